package web

import (
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
)

func TestStaticFiles(t *testing.T) {
	e := newTestEnv(t, Config{})
	home := body(t, e.do(t, http.MethodGet, "/"))
	urlOf := func(file string) string {
		m := regexp.MustCompile(`/static/([0-9a-f]{16})/` + regexp.QuoteMeta(file)).FindString(home)
		if m == "" {
			t.Fatalf("home page does not link %s", file)
		}
		return m
	}
	for _, tc := range []struct{ file, contentType, want string }{
		{"accord.css", "text/css; charset=utf-8", ".accord-map"},
		{"accord.js", "text/javascript; charset=utf-8", "initAll"},
		{vendorCSS, "text/css; charset=utf-8", ".nhsuk-header"},
		{"vendor/nhsuk/assets/images/favicon.svg", "image/svg+xml", "<svg"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			u := urlOf(tc.file)
			res := e.do(t, http.MethodGet, u)
			b := body(t, res)
			if res.StatusCode != 200 || res.Header.Get("Content-Type") != tc.contentType || !strings.Contains(b, tc.want) {
				t.Fatalf("%s: %d %q", u, res.StatusCode, res.Header.Get("Content-Type"))
			}
			if cc := res.Header.Get("Cache-Control"); !strings.Contains(cc, "max-age=31536000") || !strings.Contains(cc, "immutable") {
				t.Errorf("Cache-Control %q", cc)
			}
			// A browser revalidating its copy is answered without the body.
			req := httptest.NewRequest(http.MethodGet, u, nil)
			req.Header.Set("If-None-Match", res.Header.Get("ETag"))
			rec := httptest.NewRecorder()
			e.handler.ServeHTTP(rec, req)
			if rec.Code != http.StatusNotModified {
				t.Errorf("revalidation: %d", rec.Code)
			}
		})
	}

	// A relative URL inside a hashed file (the stylesheet's icons, the
	// module's import) arrives with the wrong hash and is sent on.
	css := urlOf("accord.css")
	hash := strings.Split(css, "/")[2]
	res := e.do(t, http.MethodGet, "/static/"+hash+"/vendor/nhsuk/assets/images/nhsuk-icon-arrow-down.svg")
	if loc := res.Header.Get("Location"); res.StatusCode != http.StatusFound ||
		!regexp.MustCompile(`^/static/[0-9a-f]{16}/vendor/nhsuk/assets/images/nhsuk-icon-arrow-down.svg$`).MatchString(loc) || strings.Contains(loc, hash) {
		t.Errorf("wrong hash: %d to %q", res.StatusCode, loc)
	}
	if res := e.do(t, http.MethodGet, "/static/"+hash+"/nope.css"); res.StatusCode != http.StatusNotFound {
		t.Errorf("unknown file: %d", res.StatusCode)
	}
}

func TestContentHashChangesWithContent(t *testing.T) {
	urlOf := func(css string) string {
		t.Helper()
		sf, err := loadStatic(fstest.MapFS{"static/a.css": {Data: []byte(css)}})
		if err != nil {
			t.Fatal(err)
		}
		u, err := sf.url("a.css")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := sf.url("nope.css"); err == nil {
			t.Error("a missing file has a URL")
		}
		return u
	}
	a, b := urlOf("p { color: red }"), urlOf("p { color: blue }")
	if a == b || a != urlOf("p { color: red }") || !regexp.MustCompile(`^/static/[0-9a-f]{16}/a\.css$`).MatchString(a) {
		t.Errorf("URLs %q and %q", a, b)
	}
}
