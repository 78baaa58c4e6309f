package web

import (
	"bytes"
	"encoding/json"
	"net/http"
)

// apiHandler adapts an API handler that returns its error, so that every
// error reaches writeAPIError and no handler writes one itself.
func (s *Server) apiHandler(h func(w http.ResponseWriter, r *http.Request) error) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.writeAPIError(w, r, err)
		}
	})
}

// list is the shape of every API list: one page of items and the total
// that match, so clients can page with limit and offset.
type list[T any] struct {
	Items  []T `json:"items"`
	Total  int `json:"total"`
	Limit  int `json:"limit"`
	Offset int `json:"offset"`
}

// newList makes a list whose items encode as [] rather than null.
func newList[T any](items []T, total int, pg pageRequest) list[T] {
	if items == nil {
		items = []T{}
	}
	if len(items) > pg.Limit { // limit=0: the store was asked for one item to learn the total
		items = items[:pg.Limit]
	}
	return list[T]{Items: items, Total: total, Limit: pg.Limit, Offset: pg.Offset}
}

// marshalJSON encodes v as indented JSON, so responses are readable in a
// browser, with a final newline.
func marshalJSON(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false) // "A&E", not "A\u0026E": the Content-Type is JSON and nosniff is set
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// writeJSON encodes before writing anything, so an encoding failure can
// still become a clean error response.
func writeJSON(w http.ResponseWriter, status int, v any) error {
	body, err := marshalJSON(v)
	if err != nil {
		return err
	}
	writeBody(w, status, "application/json; charset=utf-8", body)
	return nil
}
