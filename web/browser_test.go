package web

import (
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
	ctx := browsertest.New(t)

	for _, path := range []string{
		"/", "/icbs/QUE", "/regions/Y61", "/indicators", "/indicators/ae_4h_all", "/indicators/smoking_prevalence",
		"/priorities", "/icbs/NOPE", "/indicators?format=xml",
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
