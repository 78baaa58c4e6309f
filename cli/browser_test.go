package cli

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/nhs-accord/accord/internal/browsertest"
)

// checkPagesInBrowser loads the demo's pages in headless Chromium, as a
// person would, and runs axe-core on each for WCAG 2.2 AA.
func checkPagesInBrowser(t *testing.T, base string) {
	ctx := browsertest.New(t)

	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/")); err != nil {
		t.Fatal(err)
	}
	count := func(selector string) int {
		n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('`+selector+`').length`))
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	regions, icbLinks := count(`main [data-region]`), count(`main [data-region] a[href^="/icbs/"]`)
	if regions != 7 || icbLinks != 42 {
		t.Errorf("home page shows %d ICB links under %d regions, want 42 under 7", icbLinks, regions)
	}
	if shapes := count(`main svg a[href^="/icbs/"] path`); shapes != 42 {
		t.Errorf("map has %d ICB shapes, want 42", shapes)
	}

	for _, path := range []string{"/", "/icbs/QHG", "/regions/Y61", "/indicators", "/indicators/ae_4h_all", "/priorities",
		"/indicators/cancer_fds_28d", "/organisations/RBL/indicators/ae_4h_all", "/imports", "/imports/10"} {
		if err := chromedp.Do(ctx, chromedp.Navigate(base+path)); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		h1, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("h1")))
		if err != nil || strings.TrimSpace(h1) == "" {
			t.Errorf("%s: no heading (%v)", path, err)
		}
		v, err := browsertest.Axe(ctx)
		if err != nil {
			t.Fatalf("%s: axe: %v", path, err)
		}
		if len(v) > 0 {
			t.Errorf("%s: accessibility violations:\n%s", path, browsertest.FormatViolations(v))
		}
	}

	// A trust's A&E series carries its SPC chart (April 2016 to March 2019,
	// the run before December 2025's figure), and the indicator page its
	// ICB comparison charts, each an image with a title and description.
	for path, want := range map[string]int{"/organisations/RBL/indicators/ae_4h_all": 1, "/indicators/cancer_fds_28d": 2} {
		if err := chromedp.Do(ctx, chromedp.Navigate(base+path)); err != nil {
			t.Fatal(err)
		}
		if n := count(`main svg[role="img"][aria-labelledby][aria-describedby]`); n < want {
			t.Errorf("%s: %d charts, want at least %d", path, n, want)
		}
	}

	// The ICB page shows the places, trusts and data the demo holds for it.
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/icbs/QHG")); err != nil {
		t.Fatal(err)
	}
	text, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("main")))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Bedfordshire, Luton and Milton Keynes", "Bedfordshire Hospitals NHS Foundation Trust", "Luton", "A&E attendances seen within 4 hours"} {
		if !strings.Contains(text, want) {
			t.Errorf("ICB page lacks %q", want)
		}
	}
}
