package web

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/nhs-accord/accord/internal/browsertest"
)

// Issue 6, point 9: one peer review in a real browser, from the ICB's
// request to the progress review, by the people who take each step: the
// ICB lead asks and sets the scope; the region's oversight team forms the
// team from the suggestions and decides a conflict of interest; the ICB
// writes its position statement; a peer records a finding and drafts the
// report; the lead reviewer publishes it; the public reads it and its data
// pack; the ICB responds, plans and reports progress; and the peer records
// the progress review. Every step is a form filled in and a button
// pressed, and axe-core checks each kind of page on the way.

// reviewTab drives one browser tab through the site.
type reviewTab struct {
	t       *testing.T
	ctx     context.Context
	base    string
	checked map[string]bool // the kinds of page axe-core has passed
}

func (j *reviewTab) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	j.t.Helper()
	if err := chromedp.Do(j.ctx, steps...); err != nil {
		j.t.Fatalf("%s: %v", what, err)
	}
}

func (j *reviewTab) eval(script string) string {
	j.t.Helper()
	v, err := chromedp.Run(j.ctx, chromedp.Evaluate[string](script))
	if err != nil {
		j.t.Fatalf("%s: %v", script, err)
	}
	return v
}

// text is what the page's main element says, white space made single.
func (j *reviewTab) text() string {
	j.t.Helper()
	return j.eval(`document.querySelector("main").textContent.replace(/\s+/g, " ").trim()`)
}

func (j *reviewTab) path() string { return j.eval(`location.pathname + location.search`) }

func (j *reviewTab) open(path string) {
	j.t.Helper()
	res, err := chromedp.RunResponse(j.ctx, chromedp.Navigate(j.base+path))
	if err != nil {
		j.t.Fatalf("open %s: %v", path, err)
	}
	if res.Status != http.StatusOK {
		j.t.Fatalf("open %s: %d\n%s", path, res.Status, j.text())
	}
}

// press clicks a button or link that loads a page, and checks the status
// of the page it leads to.
func (j *reviewTab) press(what, selector string, status int) {
	j.t.Helper()
	res, err := chromedp.RunResponse(j.ctx, chromedp.Click(chromedp.CSS(selector)))
	if err != nil {
		j.t.Fatalf("%s: %v", what, err)
	}
	if res.Status != int64(status) {
		j.t.Fatalf("%s: %d at %s, want %d\n%s", what, res.Status, res.URL, status, j.text())
	}
}

// submit presses a form's button and expects the review page's banner.
func (j *reviewTab) submit(what, selector, banner string) {
	j.t.Helper()
	j.press(what, selector, http.StatusOK)
	j.expect(banner)
}

func (j *reviewTab) expect(want ...string) {
	j.t.Helper()
	got := j.text()
	for _, w := range want {
		if !strings.Contains(got, w) {
			j.t.Errorf("at %s the page does not say %q:\n%.3000s", j.path(), w, got)
		}
	}
}

func (j *reviewTab) axe(kind string) {
	j.t.Helper()
	if j.checked[kind] {
		return
	}
	j.checked[kind] = true
	v, err := browsertest.Axe(j.ctx)
	if err != nil {
		j.t.Fatalf("%s: axe: %v", kind, err)
	}
	if len(v) > 0 {
		j.t.Errorf("%s (%s): %s", kind, j.path(), browsertest.FormatViolations(v))
	}
}

// typeInto replaces what a text field holds with what a person types.
func (j *reviewTab) typeInto(id, text string) {
	j.t.Helper()
	j.eval(fmt.Sprintf(`(document.getElementById(%q).value = "")`, id))
	j.do("type into #"+id, chromedp.SendKeys(chromedp.ID(id), text))
}

// choose clicks a radio button's or box's label, as a person does: the
// NHS.UK inputs are drawn over by their labels.
func (j *reviewTab) choose(id string) {
	j.t.Helper()
	j.do("choose #"+id, chromedp.Click(chromedp.CSS(`label[for="`+id+`"]`)))
}

func (j *reviewTab) pick(id, value string) {
	j.t.Helper()
	j.do("pick "+value+" in #"+id, chromedp.SetValue(chromedp.ID(id), value))
}

func (j *reviewTab) date(id string, d time.Time) {
	j.t.Helper()
	j.typeInto(id+"-day", strconv.Itoa(d.Day()))
	j.typeInto(id+"-month", strconv.Itoa(int(d.Month())))
	j.typeInto(id+"-year", strconv.Itoa(d.Year()))
}

func (j *reviewTab) signIn(email string) {
	j.t.Helper()
	j.open("/sign-in")
	j.typeInto("email", email)
	j.typeInto("password", testPassword)
	j.press("sign in as "+email, `main form[action="/sign-in"] button[type="submit"]`, http.StatusOK)
}

func (j *reviewTab) signOut() {
	j.t.Helper()
	j.press("sign out", `form[action="/sign-out"] button`, http.StatusOK)
}

// finish marks a stage done with its own button.
func (j *reviewTab) finish(stage string) {
	j.t.Helper()
	j.submit("finish "+stage, `form:has(input[name="stage"][value="`+stage+`"]) button[value="done"]`, "The stage was moved on.")
}

func TestPeerReviewInBrowser(t *testing.T) {
	// Many sign-ins, forms and axe runs: three times the usual bound.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(browsertest.New(t)), 3*browsertest.Timeout)
	t.Cleanup(cancel)
	e := reviewEnv(t)
	ts := httptest.NewServer(e.handler)
	t.Cleanup(ts.Close)
	j := &reviewTab{t: t, ctx: ctx, base: ts.URL, checked: map[string]bool{}}

	// The ICB lead asks for a review of their system: first with nothing
	// filled in, then properly.
	j.signIn(prLead)
	j.open("/peer-reviews")
	j.axe("programme, ICB lead")
	j.press("ask for a review", `a[href="/peer-reviews/new?organisation=QUE"]`, http.StatusOK)
	j.axe("request form")
	j.press("ask with nothing filled in", `main form[action="/peer-reviews"] button[type="submit"]`, http.StatusBadRequest)
	j.expect("There is a problem", "Enter the first day on site.")
	j.axe("request form with errors")
	j.typeInto("focus-1-title", "Flow through urgent and emergency care")
	j.pick("focus-1-indicator-1", "ae_4h_all")
	j.date("on_site_start", time.Date(2026, time.March, 2, 0, 0, 0, 0, time.UTC))
	j.date("on_site_end", time.Date(2026, time.March, 4, 0, 0, 0, 0, time.UTC))
	j.submit("ask for the review", `main form[action="/peer-reviews"] button[type="submit"]`, "Your request was saved.")
	reviewPath := regexp.MustCompile(`^/peer-reviews/\d+`).FindString(j.path())
	if reviewPath == "" {
		t.Fatalf("the request went to %s", j.path())
	}
	j.expect("Flow through urgent and emergency care", "2 to 4 March 2026", "Inequalities")
	j.axe("review page, ICB lead")
	j.finish("request_and_scope")
	j.signOut()

	// The region's oversight team forms the team from the suggestions'
	// evidence, with a conflict of interest it decides.
	j.signIn(prRegional)
	j.open(reviewPath)
	j.expect("Suggested reviewers", "Add a member")
	j.axe("review page, oversight forming the team")
	j.typeInto("member-email", prReviewer)
	j.pick("member-home", "QJ2")
	j.choose("member-role-lead_reviewer")
	j.choose("member-chosen-most_improved")
	j.typeInto("member-why", "Most improved on four-hour A&E waits.")
	j.submit("add the lead reviewer", `form[action$="/team"] button[type="submit"]`, "The member was added to the team.")
	j.typeInto("member-email", prPeer)
	j.pick("member-home", "QHG")
	j.choose("member-role-peer")
	j.choose("member-chosen-statistically_similar")
	j.typeInto("member-why", "A nearest peer by population and deprivation.")
	j.choose("member-conflict-same_region_oversight")
	j.typeInto("member-declared", "QHG is in the same region as QUE.")
	j.submit("add the peer", `form[action$="/team"] button[type="submit"]`, "The member was added to the team.")
	id := j.eval(`document.querySelector('form[action*="/conflicts/"] input[type=radio]').name`)
	j.choose(id + "-managed")
	j.typeInto(strings.Replace(id, "decision-", "decision-note-", 1), "They do not review the region's own targets.")
	j.submit("decide the conflict", `form[action*="/conflicts/"] button[type="submit"]`, "The decision on the conflict of interest was recorded.")
	j.expect("Rhea Reviewer", "Pete Peer", "Managed")
	j.finish("team_formation")
	j.signOut()

	// The ICB writes its position statement.
	j.signIn(prLead)
	j.open(reviewPath)
	j.typeInto("position_statement", "We know our flow is stuck, and we want help with it.")
	j.submit("save the statement", `form[action$="/position-statement"] button`, "The position statement was saved.")
	j.finish("position_statement")
	j.signOut()

	// A peer records a finding, and drafts the report's summary.
	j.signIn(prPeer)
	j.open(reviewPath)
	j.axe("review page, the team")
	j.press("record a finding", `a[href$="/findings/new"]`, http.StatusOK)
	j.axe("finding form")
	j.choose("under-4") // capacity to improve
	j.choose("rating-serious_concern")
	j.typeInto("text", "Four-hour performance has not moved in a year.")
	j.typeInto("recommendation", "Agree one flow plan across the system.")
	j.pick("evidence-1-indicator", "ae_4h_all")
	j.submit("save the finding", `main form[action$="/findings"] button[type="submit"]`, "The finding was saved in the draft report.")
	j.finish("review")
	j.typeInto("summary", "A system that knows where it is stuck.")
	j.submit("save the summary", `form[action$="/report"] button`, "summary was saved.")
	j.signOut()

	// The lead reviewer publishes the report.
	j.signIn(prReviewer)
	j.open(reviewPath)
	j.submit("publish", `form[action$="/report/publish"] button`, "The report is published.")
	j.signOut()

	// Anyone can read it, and its data pack.
	j.open(reviewPath)
	j.axe("review page, public")
	j.expect("Serious concern", "Four-hour performance has not moved in a year.", "A system that knows where it is stuck.")
	if got := j.text(); strings.Contains(got, "We know our flow is stuck") || strings.Contains(got, "same region as QUE") {
		t.Errorf("the public sees the position statement or a conflict of interest:\n%s", got)
	}
	j.press("read the pack", `a[href$="/pack"]`, http.StatusOK)
	j.expect("Peer review data pack", "Statistical process control", "Inequality gaps")
	j.axe("data pack")
	j.open("/peer-reviews")
	j.axe("programme, public")

	// The ICB responds, plans and reports progress.
	j.signIn(prLead)
	j.open(reviewPath)
	j.axe("review page, ICB lead responding")
	response := j.eval(`document.querySelector('textarea[id^="response-"]').id`)
	j.typeInto(response, "We accept this, and have agreed a single flow plan.")
	j.submit("respond", `form[action$="/responses"] button`, "Your response was published beside the finding.")
	j.press("add an action", `a[href$="/actions/new"]`, http.StatusOK)
	j.axe("action form")
	j.typeInto("title", "One flow plan across the system")
	j.typeInto("owner_name", "Director of Urgent Care")
	j.date("due", time.Date(2027, time.March, 31, 0, 0, 0, 0, time.UTC))
	j.choose("indicators-ae_4h_all")
	j.choose(j.eval(`document.querySelector('input[name="findings"]').id`))
	j.submit("save the action", `main form[action$="/actions"] button[type="submit"]`, "The action plan was saved.")
	j.finish("response_and_action_plan")
	status := j.eval(`document.querySelector('form[action$="/progress"] input[type=radio][value="in_progress"]').id`)
	j.choose(status)
	j.typeInto(strings.Replace(strings.TrimSuffix(status, "-in_progress"), "status-", "note-", 1), "Every partner has agreed the plan.")
	j.submit("record progress", `form[action$="/progress"] button`, "The progress on the action was recorded.")
	j.signOut()

	// The peers come back and record the progress review, judging the
	// action against the values since the review.
	j.signIn(prPeer)
	j.open(reviewPath)
	j.expect("since the review")
	j.axe("review page, the progress review")
	j.date("progress", time.Now().UTC())
	j.typeInto("progress-summary", "The plan is agreed; flow has yet to improve.")
	assess := j.eval(`document.querySelector('input[name^="assess-"][type=radio]').name`)
	j.choose(assess + "-on_track")
	j.typeInto(assess+"-comment", "Agreed by every partner.")
	j.submit("record the progress review", `form[action$="/progress-review"] button[type="submit"]`, "The progress review was recorded.")
	j.expect("Progress reviewed", "The plan is agreed; flow has yet to improve.", "On track")
	j.axe("review page, closed")
}
