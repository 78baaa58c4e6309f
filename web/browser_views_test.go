package web

import (
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/nhs-accord/accord/internal/browsertest"
)

// TestAccountabilityPagesInBrowser runs axe-core over the pages issue 5
// added, as the people who use them see them: the public and partner pages
// and the targets list anonymously, then the sign-in page, a form with its
// errors, and the national view and a target under review signed in as
// national oversight.
func TestAccountabilityPagesInBrowser(t *testing.T) {
	e := nationalEnv(t)
	ts := httptest.NewServer(e.handler)
	t.Cleanup(ts.Close)
	ctx := browsertest.New(t)

	check := func(path string) {
		t.Helper()
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
		text, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("main").innerText`))
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if !strings.Contains(text, mustShow) {
			t.Errorf("%s: the page does not show %q:\n%.600s", path, mustShow, text)
		}
		check(path)
	}

	visit("/area/QUE", "Reach the national standard")
	visit("/icbs/QUE/partners", "Reach the national standard")
	visit("/targets", "Reach the national standard")
	visit("/sign-in", "Sign in")

	// A sign-in with a wrong password shows the error summary and the
	// message beside the field; both must pass too.
	signIn := func(password string) string {
		t.Helper()
		// Fill the form and submit it as a person would (the button, not a
		// request of our own), then wait for the next page to load.
		js := `(() => {
			window.accordOldPage = true;
			document.querySelector("#email").value = "national@england.nhs.uk";
			document.querySelector("#password").value = ` + strconv.Quote(password) + `;
			document.querySelector("#password").form.querySelector("button[type=submit], .nhsuk-button").click();
			return "ok";
		})()`
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[string](js)); err != nil {
			t.Fatalf("sign in: %v", err)
		}
		// The old page carries a mark the new one lacks; wait for the new
		// one to have loaded.
		for i := 0; ; i++ {
			loaded, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`!window.accordOldPage && document.readyState === "complete"`))
			if err == nil && loaded {
				break
			}
			if i == 100 {
				t.Fatalf("the page after sign-in did not load: %v", err)
			}
			if err := chromedp.Do(ctx, chromedp.Sleep(50*time.Millisecond)); err != nil {
				t.Fatal(err)
			}
		}
		text, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("main").innerText`))
		if err != nil {
			t.Fatalf("after sign-in: %v", err)
		}
		return text
	}
	if text := signIn("not the password"); !strings.Contains(text, "There is a problem") {
		t.Fatalf("a wrong password shows no error summary:\n%.600s", text)
	}
	check("/sign-in (with errors)")
	if text := signIn(testPassword); strings.Contains(text, "There is a problem") {
		t.Fatalf("signing in failed:\n%.600s", text)
	}
	visit("/national", "Segment")
	visit("/targets?status=submitted", "Awaiting review")
}
