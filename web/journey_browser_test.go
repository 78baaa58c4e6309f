package web

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/nhs-accord/accord"
	"github.com/nhs-accord/accord/assess"
	"github.com/nhs-accord/accord/importer"
	"github.com/nhs-accord/accord/internal/browsertest"
	"github.com/nhs-accord/accord/reference"
	"github.com/nhs-accord/accord/store"
)

// Issue 5, point 9(b): the whole journey of a target in a real browser, by
// the people who take it: the ICB lead drafts it and opens it to
// consultation; a workforce and a patient representative respond; the lead
// answers each response and agrees and submits the target; NHS England
// challenges it; the lead revises it and takes it round again; NHS England
// approves it; and anyone can then read it on the area's public page, with
// small numbers hidden and the rest rounded. Every step is a form filled in
// and a button pressed, and every kind of page on the way is checked with
// axe-core.

// journeyReturn is QUE's local return: eighteen months of A&E performance
// ending in September 2026 at 15,052 of 20,000 (published as 15,050), and
// two counts for the suppression rules: 5 waits of over 12 hours (hidden)
// and 13 people waiting over 104 weeks (published as 15).
func journeyReturn() string {
	var b strings.Builder
	b.WriteString(longHeader)
	m := accord.Month(2025, time.April)
	for i := range 18 {
		num := 14800 + 15*i
		if i == 17 {
			num = 15052
		}
		fmt.Fprintf(&b, "QUE,ae_4h_all,%s,%d,20000,%g,,final\n", m, num, float64(num)/200)
		m = m.Next()
	}
	b.WriteString("QUE,ae_12h_dta,2026-09,5,,5,,final\n")
	b.WriteString("QUE,rtt_104w_count,2026-09,13,,13,,final\n")
	return b.String()
}

// journeyEnv is a server over a fresh SQLite store holding England's
// shipped reference data and QUE's return, imported by the real importer.
func journeyEnv(t *testing.T) *testEnv {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "journey.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := reference.Load(ctx, db); err != nil {
		t.Fatal(err)
	}
	orgs, err := importer.LoadOrgIndex(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	sum, err := importer.Import(ctx, db, orgs, "que-return-2026-09.csv", strings.NewReader(journeyReturn()),
		importer.Options{ImportedBy: "analyst@que.nhs.net"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := assess.Recompute(ctx, db, sum.Indicators, time.Now().UTC()); err != nil {
		t.Fatal(err)
	}
	logs := &syncBuffer{}
	srv, err := New(Config{Store: db, Logger: slog.New(slog.NewTextHandler(logs, nil)), Map: testMap, Ready: db.CheckSchema, Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	return &testEnv{srv: srv, handler: srv.Handler(), store: db, log: logs}
}

// journey drives one browser tab through the site.
type journey struct {
	t    *testing.T
	ctx  context.Context
	base string
	// checked are the kinds of page axe-core has passed, so each is
	// checked once however often the journey comes back to it.
	checked map[string]bool
}

func (j *journey) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	j.t.Helper()
	if err := chromedp.Do(j.ctx, steps...); err != nil {
		j.t.Fatalf("%s: %v", what, err)
	}
}

// submit presses a button that sends a form, waits for the page it leads
// to, and fails the test unless that page answered 200.
func (j *journey) submit(what, button string) {
	j.t.Helper()
	res, err := chromedp.RunResponse(j.ctx, chromedp.Click(chromedp.CSS(button)))
	if err != nil {
		j.t.Fatalf("%s: %v", what, err)
	}
	if res.Status != http.StatusOK {
		j.t.Fatalf("%s: %d at %s\n%s", what, res.Status, res.URL, j.text("main"))
	}
}

func (j *journey) open(path string) {
	j.t.Helper()
	res, err := chromedp.RunResponse(j.ctx, chromedp.Navigate(j.base+path))
	if err != nil {
		j.t.Fatalf("open %s: %v", path, err)
	}
	if res.Status != http.StatusOK {
		j.t.Fatalf("open %s: %d\n%s", path, res.Status, j.text("main"))
	}
}

// evalJS runs a script in the page.
func evalJS[T any](j *journey, script string) T {
	j.t.Helper()
	v, err := chromedp.Run(j.ctx, chromedp.Evaluate[T](script))
	if err != nil {
		j.t.Fatalf("%s: %v", script, err)
	}
	return v
}

// text is what an element says, with runs of white space made one space.
func (j *journey) text(selector string) string {
	j.t.Helper()
	return evalJS[string](j, fmt.Sprintf(`(document.querySelector(%q) || {textContent: ""}).textContent.replace(/\s+/g, " ").trim()`, selector))
}

func (j *journey) path() string {
	return evalJS[string](j, `location.pathname + location.search`)
}

// expect fails the test unless the element says each of want.
func (j *journey) expect(selector string, want ...string) {
	j.t.Helper()
	got := j.text(selector)
	for _, w := range want {
		if !strings.Contains(got, w) {
			j.t.Errorf("at %s, %s does not say %q:\n%s", j.path(), selector, w, got)
		}
	}
}

// axe checks the page the tab shows, once for each kind of page.
func (j *journey) axe(kind string) {
	j.t.Helper()
	if j.checked[kind] {
		return
	}
	j.checked[kind] = true
	// accord.js marks the body once the NHS.UK frontend has loaded under
	// the Content-Security-Policy, as TestPagesInBrowser checks.
	if class := evalJS[string](j, `document.body.className`); !strings.Contains(class, "nhsuk-frontend-supported") {
		j.t.Errorf("%s: the NHS.UK frontend script did not run (body class %q)", kind, class)
	}
	v, err := browsertest.Axe(j.ctx)
	if err != nil {
		j.t.Fatalf("%s: axe: %v", kind, err)
	}
	if len(v) > 0 {
		j.t.Errorf("%s (%s): %s", kind, j.path(), browsertest.FormatViolations(v))
	}
}

// typeInto replaces what a text field holds with what a person types.
func (j *journey) typeInto(id, text string) {
	j.t.Helper()
	// chromedp's Clear cannot empty a textarea that is already empty.
	evalJS[bool](j, fmt.Sprintf(`(document.getElementById(%q).value = "") === ""`, id))
	j.do("type into #"+id, chromedp.SendKeys(chromedp.ID(id), text))
}

// choose picks a radio button or ticks a box by clicking its label, as a
// person does: the NHS.UK inputs themselves are drawn over by the label.
func (j *journey) choose(id string) {
	j.t.Helper()
	j.do("choose #"+id, chromedp.Click(chromedp.CSS(`label[for="`+id+`"]`)))
}

func (j *journey) signIn(email string) {
	j.t.Helper()
	j.open("/sign-in")
	j.axe("sign-in page")
	j.typeInto("email", email)
	j.typeInto("password", testPassword)
	j.submit("sign in as "+email, `main form[action="/sign-in"] button[type="submit"]`)
}

func (j *journey) signOut() {
	j.t.Helper()
	j.submit("sign out", `form[action="/sign-out"] button`)
	if got := j.text("header"); !strings.Contains(got, "Sign in") {
		j.t.Fatalf("still signed in after signing out: %s", got)
	}
}

// move presses one of the target page's move buttons, with a reason when
// given, and checks the target's new status.
func (j *journey) move(to accord.TargetStatus, reason, status string) {
	j.t.Helper()
	if reason != "" {
		j.typeInto("reason", reason)
	}
	j.submit("move to "+string(to), `form[action$="/transitions"] button[name="to"][value="`+string(to)+`"]`)
	j.expect("main", "The target is now "+strings.ToLower(status)+".")
}

// responseBox is the id of the theme form's box for the response whose
// label names who.
func (j *journey) responseBox(who string) string {
	j.t.Helper()
	id := evalJS[string](j, fmt.Sprintf(`(() => {
		for (const box of document.querySelectorAll('input[name="responses"]')) {
			const label = document.querySelector('label[for="' + box.id + '"]');
			if (label && label.textContent.includes(%q)) return box.id;
		}
		return "";
	})()`, who))
	if id == "" {
		j.t.Fatalf("the theme form has no response from %s:\n%s", who, j.text("main"))
	}
	return id
}

// rowCells is the text of each cell of the table row whose heading says
// heading, or nil.
func (j *journey) rowCells(heading string) []string {
	j.t.Helper()
	return evalJS[[]string](j, fmt.Sprintf(`(() => {
		for (const row of document.querySelectorAll('tbody tr')) {
			const th = row.querySelector('th');
			if (th && th.textContent.includes(%q)) {
				return [...row.children].map(c => c.textContent.replace(/\s+/g, " ").trim());
			}
		}
		return null;
	})()`, heading))
}

func TestJourneyInBrowser(t *testing.T) {
	// browsertest.Timeout bounds a test that looks at pages; this one signs
	// in and out seven times and sends fifteen forms, so it has three times
	// that. WithoutCancel keeps the tab and drops only the shorter deadline.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(browsertest.New(t)), 3*browsertest.Timeout)
	t.Cleanup(cancel)
	e := journeyEnv(t)
	e.addUser(t, "lead@que.nhs.net", "Lee Lead", accord.Grant{Role: accord.RoleICBLead, OrgCode: "QUE"})
	e.addUser(t, "staff@que.nhs.net", "Sam Staff", accord.Grant{Role: accord.RoleWorkforceRep, OrgCode: "QUE"})
	e.addUser(t, "pat@healthwatchcambridgeshire.co.uk", "Pat Patient", accord.Grant{Role: accord.RolePatientRep, OrgCode: "QUE"})
	e.addUser(t, "nia@england.nhs.uk", "Nia National", accord.Grant{Role: accord.RoleNationalOversight, OrgCode: accord.EnglandCode})
	ts := httptest.NewServer(e.handler)
	t.Cleanup(ts.Close)
	j := &journey{t: t, ctx: ctx, base: ts.URL, checked: map[string]bool{}}

	// The ICB lead drafts the target. The national standard is 95%; the
	// ICB's 78% falls short of it, so the form says why.
	j.signIn("lead@que.nhs.net")
	j.open("/targets/new?organisation=QUE")
	j.axe("target form")
	j.do("choose the indicator", chromedp.SetValue(chromedp.ID("indicator"), "ae_4h_all"))
	j.typeInto("title", "See more people within 4 hours in A&E")
	j.do("choose the priority", chromedp.SetValue(chromedp.ID("national_priority"), "const_ae_4h"))
	j.choose("comparator-0") // at least
	j.typeInto("target_value", "78")
	j.typeInto("deadline-day", "31")
	j.typeInto("deadline-month", "3")
	j.typeInto("deadline-year", "2028")
	j.typeInto("local_circumstances", "A growing, ageing population and two busy emergency departments.")
	j.typeInto("rationale", "Three points above where we are, with the new urgent treatment centre.")
	j.typeInto("floor_justification", "95% is not reachable by 2028 from 75%; 78% is the interim standard.")
	j.submit("save the draft", `main form button[type="submit"]`)
	targetURL := regexp.MustCompile(`^/targets/\d+`).FindString(j.path())
	if targetURL == "" {
		t.Fatalf("saving the draft went to %s:\n%s", j.path(), j.text("main"))
	}
	j.expect("main", "The target was saved as a draft.", "Draft", "at least 78% by 31 March 2028")
	j.axe("target page, the lead's draft")
	j.move(accord.TargetConsultation, "Is 78% by March 2028 right for Cambridgeshire and Peterborough?", "In consultation")
	j.signOut()

	// The representatives respond: one asks for changes, one opposes.
	j.signIn("staff@que.nhs.net")
	j.open(targetURL)
	j.axe("target page, a consultee's")
	j.choose("stance-support_with_changes")
	j.typeInto("comment", "Staff the front door first: streaming nurses before the new centre.")
	j.submit("the workforce's response", `form[action$="/responses"] button[type="submit"]`)
	j.expect("main", "Your response was recorded.")
	j.signOut()

	j.signIn("pat@healthwatchcambridgeshire.co.uk")
	j.open(targetURL)
	j.choose("stance-oppose")
	j.typeInto("comment", "78% still leaves one in five waiting too long; aim higher.")
	j.submit("the patients' response", `form[action$="/responses"] button[type="submit"]`)
	j.expect("main", "Your response was recorded.")
	j.signOut()

	// The lead answers each response, then agrees and submits the target.
	j.signIn("lead@que.nhs.net")
	j.open(targetURL)
	j.axe("target page, the lead answering the consultation")
	for _, th := range []struct{ who, youSaid, weDid, changed string }{
		{"Sam Staff", "Staff the front door first.", "Two streaming nurses are in the plan from April.", "changed-no"},
		{"Pat Patient", "Aim higher than 78%.", "We will raise it if NHS England's review finds room.", "changed-no"},
	} {
		box := j.responseBox(th.who)
		j.typeInto("you_said", th.youSaid)
		j.typeInto("we_did", th.weDid)
		j.choose(th.changed)
		j.choose(box)
		j.submit("answer "+th.who, `form[action$="/themes"] button[type="submit"]`)
		j.expect("main", "Your answer was published with the consultation.", th.weDid)
	}
	j.move(accord.TargetAgreed, "", "Locally agreed")
	j.move(accord.TargetSubmitted, "", "Submitted for review")
	j.signOut()

	// Until NHS England approves it, the public does not see it.
	j.open("/area/QUE")
	j.expect("main", "has no targets approved by NHS England yet")
	if strings.Contains(j.text("main"), "See more people within 4 hours") {
		t.Error("the area page shows the target before its approval")
	}

	// NHS England challenges it, saying why.
	j.signIn("nia@england.nhs.uk")
	j.open(targetURL)
	j.axe("target page, the reviewer's")
	j.move(accord.TargetChallenged, "Peers with a similar start are aiming for 80%.", "Challenged")
	j.signOut()

	// The lead revises it as a new version, raises it, and takes it round
	// the lifecycle again.
	j.signIn("lead@que.nhs.net")
	j.open(targetURL)
	j.expect("main", "Peers with a similar start are aiming for 80%.")
	j.move(accord.TargetDraft, "", "Draft")
	j.do("change the target", chromedp.Click(chromedp.CSS(`a[href="`+targetURL+`/edit"]`)))
	j.do("wait for the edit form", chromedp.WaitVisible(chromedp.ID("target_value")))
	j.axe("target form, editing")
	j.typeInto("target_value", "80")
	j.typeInto("reason", "Raised to 80% after NHS England's review.")
	j.submit("save the change", `main form button[type="submit"]`)
	j.expect("main", "Your changes were saved as a new version.", "at least 80% by 31 March 2028")
	j.move(accord.TargetConsultation, "We have raised the target to 80%. Is that right?", "In consultation")
	j.move(accord.TargetAgreed, "", "Locally agreed")
	j.move(accord.TargetSubmitted, "", "Submitted for review")
	j.signOut()

	j.signIn("nia@england.nhs.uk")
	j.open(targetURL)
	j.move(accord.TargetApproved, "Ambitious for where the ICB starts, and well argued.", "Approved")
	j.signOut()

	// Anyone may now read it, on the target's page and the area's.
	j.open(targetURL)
	j.axe("target page, public")
	j.expect("main", "Approved", "at least 80% by 31 March 2028", "You said: Staff the front door first.",
		"We did: Two streaming nurses are in the plan from April.", "Peers with a similar start are aiming for 80%.")
	if got := j.text("main"); strings.Contains(got, "Sam Staff") || strings.Contains(got, "Pat Patient") {
		t.Errorf("the public page names a consultee:\n%s", got)
	}

	j.open("/area/QUE")
	j.axe("area page")
	j.expect("main", "See more people within 4 hours in A&E",
		"A&E attendances seen within 4 hours (all types): at least 80% by 31 March 2028",
		"75.26% in September 2026", "Approved by NHS England")
	for _, tc := range []struct{ heading, area string }{
		// Counts below England: 1 to 7 hidden, the rest rounded to 5.
		{"Waits of more than 12 hours from decision to admit", "* (hidden: fewer than 8)"},
		{"People waiting more than 104 weeks", "15"},
		// A percentage from large counts is shown as published.
		{"A&E attendances seen within 4 hours (all types)", "75.26%"},
	} {
		cells := j.rowCells(tc.heading)
		if len(cells) < 3 || cells[2] != tc.area {
			t.Errorf("%s: the area's figure is not %q: %v", tc.heading, tc.area, cells)
		}
	}
	// Its counts are rounded to 5, and the exact ones appear nowhere.
	if cells := j.rowCells("A&E attendances seen within 4 hours (all types)"); len(cells) == 0 || !strings.Contains(cells[0], "15,050 out of 20,000") {
		t.Errorf("the A&E counts are not rounded to 5: %v", cells)
	}
	if got := j.text("main"); strings.Contains(got, "15,052") {
		t.Errorf("the area page shows an unrounded count:\n%s", got)
	}
	j.expect("main", "* means a figure is hidden")
}
