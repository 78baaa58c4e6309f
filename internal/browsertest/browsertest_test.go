package browsertest

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

const cleanPage = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Trajectories – Accord</title></head>
<body>
<main>
<h1>Trajectories</h1>
<p>North East and North Cumbria ICB is on track.</p>
</main>
</body>
</html>`

const brokenPage = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Broken – Accord</title></head>
<body>
<main>
<h1>Broken</h1>
<img src="x.png">
<form><input type="text" name="ods"></form>
</main>
</body>
</html>`

// serve starts a test server that answers every path with page, under the
// given Content-Security-Policy if csp is not empty.
func serve(t *testing.T, page, csp string) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		if csp != "" {
			w.Header().Set("Content-Security-Policy", csp)
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(page))
	}))
	t.Cleanup(srv.Close)
	return srv
}

func ids(v []Violation) []string {
	var out []string
	for _, x := range v {
		out = append(out, x.ID)
	}
	return out
}

func TestAxeCleanPage(t *testing.T) {
	ctx := New(t)
	srv := serve(t, cleanPage, "")
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL)); err != nil {
		t.Fatal(err)
	}
	v, err := Axe(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(v) != 0 {
		t.Error(FormatViolations(v))
	}
}

func TestAxeFindsViolations(t *testing.T) {
	// A strict Content-Security-Policy must not stop the check: pages of
	// ours will have one.
	for name, csp := range map[string]string{"no CSP": "", "strict CSP": "default-src 'self'"} {
		t.Run(name, func(t *testing.T) {
			ctx := New(t)
			srv := serve(t, brokenPage, csp)
			if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL)); err != nil {
				t.Fatal(err)
			}
			v, err := Axe(ctx)
			if err != nil {
				t.Fatal(err)
			}
			got := ids(v)
			for _, want := range []string{"image-alt", "label"} {
				if !slices.Contains(got, want) {
					t.Errorf("violations %v, want %s among them", got, want)
				}
			}
			for _, x := range v {
				if len(x.Nodes) == 0 || x.Impact == "" || x.Help == "" {
					t.Errorf("violation %+v lacks nodes, impact or help", x)
				}
				if x.ID == "image-alt" && !slices.Contains(x.Nodes, "img") {
					t.Errorf("image-alt nodes %q, want img", x.Nodes)
				}
			}
			msg := FormatViolations(v)
			if !strings.Contains(msg, "image-alt") || !strings.Contains(msg, "input") {
				t.Errorf("FormatViolations does not name the rule and the element:\n%s", msg)
			}

			// A second run on the same page reuses the injected axe-core.
			again, err := Axe(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(ids(again), got) {
				t.Errorf("second run: %v, first run: %v", ids(again), got)
			}
		})
	}
}

func TestReadText(t *testing.T) {
	ctx := New(t)
	srv := serve(t, cleanPage, "")
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL)); err != nil {
		t.Fatal(err)
	}
	h1, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("h1")))
	if err != nil {
		t.Fatal(err)
	}
	if h1 != "Trajectories" {
		t.Errorf("h1 = %q, want Trajectories", h1)
	}
	p, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("main p")))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(p, "ICB is on track") {
		t.Errorf("paragraph = %q", p)
	}
	title, err := chromedp.Run(ctx, chromedp.Title())
	if err != nil {
		t.Fatal(err)
	}
	if title != "Trajectories – Accord" {
		t.Errorf("title = %q", title)
	}
}

func TestChromiumPath(t *testing.T) {
	dir := t.TempDir()
	plain := filepath.Join(dir, "chromium")
	if err := os.WriteFile(plain, []byte("#!/bin/sh\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{filepath.Join(dir, "missing"), plain, dir} {
		t.Setenv("ACCORD_CHROMIUM", p)
		if got, err := chromiumPath(); err == nil {
			t.Errorf("ACCORD_CHROMIUM=%s: got %s, want an error", p, got)
		}
	}

	if err := os.Chmod(plain, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("ACCORD_CHROMIUM", plain)
	if got, err := chromiumPath(); err != nil || got != plain {
		t.Errorf("chromiumPath() = %q, %v; want %q", got, err, plain)
	}
}

func TestFormatViolations(t *testing.T) {
	if got := FormatViolations(nil); got != "no accessibility violations" {
		t.Errorf("FormatViolations(nil) = %q", got)
	}
	got := FormatViolations([]Violation{{
		ID:          "label",
		Impact:      "critical",
		Description: "Ensure every form element has a label",
		Help:        "Form elements must have labels",
		HelpURL:     "https://dequeuniversity.com/rules/axe/4.14/label",
		Nodes:       []string{"#ods", "form > input"},
	}})
	want := `1 accessibility violation(s):

[critical] label: Form elements must have labels
  Ensure every form element has a label
  https://dequeuniversity.com/rules/axe/4.14/label
  - #ods
  - form > input
`
	if got != want {
		t.Errorf("FormatViolations:\n%s\nwant:\n%s", got, want)
	}
}
