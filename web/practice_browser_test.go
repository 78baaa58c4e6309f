package web

import (
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/nhs-accord/accord"
	"github.com/nhs-accord/accord/internal/browsertest"
)

// TestPracticePagesInBrowser runs axe-core over the learning exchange as
// its readers and writers see it: the list, a note with its SPC chart and
// the improvers table anonymously; then, signed in as another ICB's lead,
// the note form sent empty (its errors), and a note with the form to say
// it was tried elsewhere.
func TestPracticePagesInBrowser(t *testing.T) {
	f := practiceEnv(t)
	n := f.note(t, "lead@nhs.net", accord.PracticeNote{Title: "Weekend discharge team", Topics: []string{"discharge"},
		Evidence: []accord.PracticeEvidence{aeEvidence("QUE", "2025-01", "2025-05", accord.VerdictImprovement)}})
	ts := httptest.NewServer(f.handler)
	t.Cleanup(ts.Close)
	ctx := browsertest.New(t)

	text := func(path string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("main").innerText`))
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		return s
	}
	check := func(path, mustShow string) {
		t.Helper()
		if s := text(path); !strings.Contains(s, mustShow) {
			t.Errorf("%s: the page does not show %q:\n%.600s", path, mustShow, s)
		}
		v, err := browsertest.Axe(ctx)
		if err != nil {
			t.Fatalf("%s: axe: %v", path, err)
		}
		if len(v) > 0 {
			t.Errorf("%s: accessibility violations:\n%s", path, browsertest.FormatViolations(v))
		}
	}
	visit := func(path, mustShow string) {
		t.Helper()
		if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+path)); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		check(path, mustShow)
	}
	// submit runs js (which submits a form) and waits for the next page.
	submit := func(what, js string) {
		t.Helper()
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => { window.accordOldPage = true; `+js+`; return "ok"; })()`)); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		for i := 0; ; i++ {
			loaded, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`!window.accordOldPage && document.readyState === "complete"`))
			if err == nil && loaded {
				return
			}
			if i == 100 {
				t.Fatalf("%s: the next page did not load: %v", what, err)
			}
			if err := chromedp.Do(ctx, chromedp.Sleep(50*time.Millisecond)); err != nil {
				t.Fatal(err)
			}
		}
	}

	notePath := practicePath(n.ID)
	visit("/practice", "Weekend discharge team")
	visit(notePath, "Special cause improvement")
	// The chart is inside a details element; open it so axe checks it too.
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => { document.querySelectorAll("details").forEach(d => d.open = true); return true; })()`)); err != nil {
		t.Fatal(err)
	}
	check(notePath+" (chart open)", "Lower limit")
	visit("/practice/improvers?indicator=ae_4h_all&organisation=QUE", "No note yet")

	visit("/sign-in", "Sign in")
	submit("sign in", `document.querySelector("#email").value = "other@nhs.net";
		document.querySelector("#password").value = `+strconv.Quote(testPassword)+`;
		document.querySelector("#password").form.querySelector("button[type=submit], .nhsuk-button").click()`)
	visit("/practice/new", "Evidence 1")
	submit("an empty note", `document.querySelector("#title").form.querySelector("button[type=submit]").click()`)
	check("/practice/new (with errors)", "There is a problem")
	visit(notePath, "Tell others you tried this")
	submit("an empty record", `document.querySelector("#te-result").form.querySelector("button[type=submit]").click()`)
	check(notePath+" (record with errors)", "There is a problem")
}
