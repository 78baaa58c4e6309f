package web

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/nhs-accord/accord/internal/browsertest"
)

// TestPagesInBrowser loads every page, error pages included, in headless
// Chromium and runs axe-core on each for WCAG 2.2 AA. It also checks that
// the NHS.UK frontend's JavaScript loaded under the Content-Security-Policy
// (accord.js marks the body once its import has run).
func TestPagesInBrowser(t *testing.T) {
	e := newTestEnv(t, Config{})
	ts := httptest.NewServer(e.handler)
	t.Cleanup(ts.Close)
	// Two imports, the second revising the first, so the series and import
	// pages show every part they have.
	for _, f := range []struct{ name, content string }{{"first.csv", firstReturn}, {"revised.csv", revisedReturn}} {
		if res, b := e.postImport(t, f.name, f.content, nil); res.StatusCode != http.StatusCreated {
			t.Fatalf("%s: %d\n%s", f.name, res.StatusCode, b)
		}
	}
	seedCharts(t, e.store) // the series and indicator pages then show their charts
	ctx := browsertest.New(t)

	for _, path := range []string{
		"/", "/icbs/QUE", "/regions/Y61", "/indicators", "/indicators/ae_4h_all", "/indicators/smoking_prevalence",
		"/priorities", "/icbs/NOPE", "/indicators?format=xml",
		"/organisations/QUE/indicators/ae_4h_all", "/organisations/QUE/indicators/ae_4h_all?breakdown=sex%3Dfemale",
		"/organisations/RGT/indicators/smoking_prevalence", "/imports", "/imports/1", "/imports/2",
	} {
		if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+path)); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		class, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body.className`))
		if err != nil || !strings.Contains(class, "nhsuk-frontend-supported") {
			t.Errorf("%s: the NHS.UK frontend script did not run (body class %q, %v)", path, class, err)
		}
		v, err := browsertest.Axe(ctx)
		if err != nil {
			t.Fatalf("%s: axe: %v", path, err)
		}
		if len(v) > 0 {
			t.Errorf("%s: accessibility violations:\n%s", path, browsertest.FormatViolations(v))
		}
	}
}
