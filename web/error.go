package web

import (
	"errors"
	"log/slog"
	"net/http"

	"github.com/nhs-accord/accord"
)

// eMethodNotAllowed is the web layer's one error code of its own: the
// domain has no notion of HTTP methods.
const eMethodNotAllowed = "method_not_allowed"

// statusByCode is the one place accord error codes become HTTP statuses.
// Any code not listed (EINTERNAL, or an error that is not an *accord.Error)
// is a 500 whose detail is logged and never shown.
var statusByCode = map[string]int{
	accord.EINVALID:      http.StatusBadRequest,
	accord.ENOTFOUND:     http.StatusNotFound,
	eMethodNotAllowed:    http.StatusMethodNotAllowed,
	accord.ECONFLICT:     http.StatusConflict,
	accord.EFORBIDDEN:    http.StatusForbidden,
	accord.EUNAUTHORIZED: http.StatusUnauthorized,
	accord.ESCHEMA:       http.StatusServiceUnavailable,
}

// internalMessage is all a user learns of an error that is our fault.
const internalMessage = "Internal error."

// problem is an error as a user may see it.
type problem struct {
	Status  int
	Code    string
	Message string
	Fields  []accord.FieldError
}

// toProblem maps err through statusByCode, logging what users must not see.
func (s *Server) toProblem(r *http.Request, err error) problem {
	code := accord.ErrorCode(err)
	status, ok := statusByCode[code]
	if !ok {
		s.log.LogAttrs(r.Context(), slog.LevelError, "internal error",
			slog.String("method", r.Method), slog.String("path", r.URL.Path), slog.String("error", err.Error()))
		return problem{Status: http.StatusInternalServerError, Code: accord.EINTERNAL, Message: internalMessage}
	}
	if status == http.StatusServiceUnavailable {
		s.log.LogAttrs(r.Context(), slog.LevelWarn, "service unavailable",
			slog.String("method", r.Method), slog.String("path", r.URL.Path), slog.String("error", err.Error()))
	}
	p := problem{Status: status, Code: code, Message: accord.ErrorMessage(err)}
	var e *accord.Error
	if errors.As(err, &e) {
		p.Fields = e.Fields
	}
	return p
}

// apiError is the API's one error shape:
//
//	{"error": {"code": "invalid", "message": "...", "fields": [{"field": "...", "message": "..."}]}}
type apiError struct {
	Error apiErrorBody `json:"error"`
}

type apiErrorBody struct {
	Code    string              `json:"code"`
	Message string              `json:"message"`
	Fields  []accord.FieldError `json:"fields"`
}

// writeAPIError is where every API handler's error ends up.
func (s *Server) writeAPIError(w http.ResponseWriter, r *http.Request, err error) {
	p := s.toProblem(r, err)
	fields := p.Fields
	if fields == nil {
		fields = []accord.FieldError{}
	}
	body, jerr := marshalJSON(apiError{apiErrorBody{Code: p.Code, Message: p.Message, Fields: fields}})
	if jerr != nil { // cannot happen for these types; say something rather than nothing
		http.Error(w, internalMessage, http.StatusInternalServerError)
		return
	}
	if p.Status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="Accord"`) // RFC 6750: say how to sign in
	}
	writeBody(w, p.Status, "application/json; charset=utf-8", body)
}

// writePageError is where every page handler's error ends up: an NHS.UK
// style error page ("Page not found", "Sorry, there is a problem with the
// service") with the right status, or, for EUNAUTHORIZED, the sign-in page.
func (s *Server) writePageError(w http.ResponseWriter, r *http.Request, err error) {
	if accord.ErrorCode(err) == accord.EUNAUTHORIZED {
		s.signInInstead(w, r)
		return
	}
	p := s.toProblem(r, err)
	v := errorView{page: page{Version: s.version, Viewer: viewerOf(authOf(r))}, Status: p.Status, Message: p.Message, Fields: p.Fields}
	switch p.Status {
	case http.StatusNotFound:
		v.Title = "Page not found"
	case http.StatusBadRequest:
		v.Title = "There is a problem with the web address"
	case http.StatusMethodNotAllowed:
		v.Title = "This page cannot do that"
	case http.StatusForbidden:
		v.Title = "You cannot do that"
	case http.StatusUnauthorized:
		v.Title = "Sign in to do that"
	case http.StatusServiceUnavailable:
		v.Title = "Sorry, the service is unavailable"
	default:
		v.Title = "Sorry, there is a problem with the service"
	}
	body, rerr := s.pages.execute("error", &v)
	if rerr != nil {
		s.log.Error("rendering error page", "path", r.URL.Path, "error", rerr)
		http.Error(w, v.Title, p.Status)
		return
	}
	writeBody(w, p.Status, "text/html; charset=utf-8", body)
}

// errorView is the error page.
type errorView struct {
	page
	Status  int
	Message string
	Fields  []accord.FieldError
}

func writeBody(w http.ResponseWriter, status int, contentType string, body []byte) {
	w.Header().Set("Content-Type", contentType)
	w.WriteHeader(status)
	_, _ = w.Write(body)
}
