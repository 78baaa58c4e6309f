package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/nhs-accord/accord"
)

// Paging limits for API lists.
const (
	defaultLimit = 100
	maxLimit     = 1000
)

// maxListValues caps repeatable parameters (organisation=...), each of which
// may cost a lookup.
const maxListValues = 100

// pageRequest is a validated ?limit=&offset=.
type pageRequest struct{ Offset, Limit int }

// storeLimit is the limit to ask the store for: limit=0 asks only for the
// total, but a zero Limit means "no limit" to the store.
func (p pageRequest) storeLimit() int { return max(p.Limit, 1) }

// query reads a request's query string and collects every problem with it,
// so that a client learns all of them in one answer, each naming its
// parameter.
type query struct {
	values   url.Values
	problems accord.Problems
}

// readQuery parses the query string, refusing parameters not in known:
// a misspelt filter silently ignored would answer a different question.
func readQuery(r *http.Request, known ...string) *query {
	q := readPageQuery(r)
	names := make([]string, 0, len(q.values))
	for name := range q.values {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		if !slices.Contains(known, name) {
			q.problems.Add(name, "is not a parameter here; use %s", strings.Join(known, ", "))
		}
	}
	return q
}

// readPageQuery parses the query string of a page. Pages ignore parameters
// they do not use, as links from elsewhere carry their own (utm_source=…).
func readPageQuery(r *http.Request) *query {
	// ";" is not a separator here; it is part of values such as
	// breakdown=sex=female;imd=1, so keep it rather than drop the pair.
	values, err := url.ParseQuery(strings.ReplaceAll(r.URL.RawQuery, ";", "%3B"))
	q := &query{values: values}
	if err != nil {
		q.problems.Add("query", "cannot be read: %s", err)
	}
	return q
}

// one returns the single value of a parameter, "" when absent.
func (q *query) one(name string) string {
	vs := q.values[name]
	switch len(vs) {
	case 0:
		return ""
	case 1:
		return strings.TrimSpace(vs[0])
	}
	q.problems.Add(name, "give it once, not %d times", len(vs))
	return ""
}

// list returns the values of a repeatable parameter, each of which may also
// be a comma-separated list: organisation=QUE&organisation=QHG or
// organisation=QUE,QHG.
func (q *query) list(name string) []string {
	var out []string
	for _, v := range q.values[name] {
		for _, part := range strings.Split(v, ",") {
			if part = strings.TrimSpace(part); part != "" && !slices.Contains(out, part) {
				out = append(out, part)
			}
		}
	}
	if len(out) > maxListValues {
		q.problems.Add(name, "give at most %d values, not %d", maxListValues, len(out))
		return nil
	}
	return out
}

// oneOf returns the value of name, which must be one of allowed when given.
func (q *query) oneOf(name string, allowed []string) string {
	return q.check(name, q.one(name), allowed)
}

// check returns v, the value of name, when it is "" or one of allowed.
func (q *query) check(name, v string, allowed []string) string {
	switch {
	case v == "" || slices.Contains(allowed, v):
		return v
	case len(allowed) == 0:
		q.problems.Add(name, "%q is not known: nothing held has a %s yet", v, name)
	default:
		q.problems.Add(name, "%q is not known: must be one of %s", v, strings.Join(allowed, ", "))
	}
	return ""
}

// text returns a free-text parameter, bounded in length.
func (q *query) text(name string) string {
	v := q.one(name)
	if len(v) > 200 {
		q.problems.Add(name, "must be at most 200 characters")
		return ""
	}
	return v
}

// period returns a period parameter such as 2025-04 or 2025/26.
func (q *query) period(name string) accord.Period {
	v := q.one(name)
	if v == "" {
		return accord.Period{}
	}
	p, err := accord.ParsePeriod(v)
	if err != nil {
		q.problems.Add(name, "%s", accord.ErrorMessage(err))
		return accord.Period{}
	}
	return p
}

// page returns the validated limit and offset.
func (q *query) page() pageRequest {
	pg := pageRequest{Limit: defaultLimit}
	if v := q.one("limit"); v != "" {
		n, ok := wholeNumber(v)
		switch {
		case !ok:
			q.problems.Add("limit", "%q must be a whole number from 0 to %d", v, maxLimit)
		case n > maxLimit:
			q.problems.Add("limit", "%d is more than the most a page may hold, %d", n, maxLimit)
		default:
			pg.Limit = n
		}
	}
	if v := q.one("offset"); v != "" {
		n, ok := wholeNumber(v)
		if !ok {
			q.problems.Add("offset", "%q must be a whole number, 0 or more", v)
		} else {
			pg.Offset = n
		}
	}
	return pg
}

// wholeNumber reads digits only: no sign, no spaces, no exponent.
func wholeNumber(s string) (int, bool) {
	if s == "" || len(s) > 9 {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.Atoi(s)
	return n, err == nil
}

// err returns every problem found, as one EINVALID error.
func (q *query) err() error { return q.problems.Err("The query is not valid") }
