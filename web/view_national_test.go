package web

import (
	"context"
	"encoding/csv"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/nhs-accord/accord"
)

// nationalEnv has QUE's targets in every state oversight sees and some it
// does not, with the clock 40 days after they were made, so a submitted
// target's review is overdue.
func nationalEnv(t *testing.T) *testEnv {
	t.Helper()
	e := newTestEnv(t, Config{})
	seedViews(t, e.store)
	// At least 82% (the national standard) by 2028, with QUE near 74%: off
	// track, and ambitious enough.
	viewTarget(t, e.store, accord.Target{Title: "Reach the national standard", IndicatorID: "ae_4h_all", PriorityID: "pg2728_ae_4h",
		Value: 82}, viewToApproved...)
	// Short of the standard, with the reason given: needs a justification.
	viewTarget(t, e.store, accord.Target{Title: "Awaiting review", IndicatorID: "ae_4h_all", PriorityID: "pg2728_ae_4h", Value: 80,
		FloorJustification: "Two new emergency departments open only in 2028."}, viewToSubmitted...)
	viewTarget(t, e.store, accord.Target{Title: "Still a draft", IndicatorID: "cancer_62d", LocalTag: accord.TagOutcome, Value: 90})
	viewTarget(t, e.store, accord.Target{Title: "In local consultation", IndicatorID: "cancer_62d", LocalTag: accord.TagOutcome, Value: 90},
		accord.TargetConsultation)
	later := time.Now().Add(40 * 24 * time.Hour)
	e.srv.now = func() time.Time { return later }
	e.addUser(t, "national@england.nhs.uk", "Nadia National", accord.Grant{Role: accord.RoleNationalOversight, OrgCode: accord.EnglandCode})
	e.addUser(t, "east@england.nhs.uk", "Reg East", accord.Grant{Role: accord.RoleRegionalOversight, OrgCode: "Y61"})
	e.addUser(t, "lead@que.nhs.net", "Lena Lead", accord.Grant{Role: accord.RoleICBLead, OrgCode: "QUE"})
	e.addUser(t, "partner@rgt.nhs.net", "Pat Partner", accord.Grant{Role: accord.RolePartnerContributor, OrgCode: "RGT"})
	return e
}

// nationalCSV downloads the side-by-side table as b.
func nationalCSV(t *testing.T, b *browser) [][]string {
	t.Helper()
	res, text := b.get("/national?format=csv")
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "text/csv; charset=utf-8" ||
		res.Header.Get("Content-Disposition") != `attachment; filename="national-view.csv"` {
		t.Fatalf("%d %v", res.StatusCode, res.Header)
	}
	recs, err := csv.NewReader(strings.NewReader(text)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

func TestNationalViewAccess(t *testing.T) {
	e := nationalEnv(t)
	anon := e.do(t, http.MethodGet, "/national")
	if anon.StatusCode != http.StatusSeeOther || anon.Header.Get("Location") != "/sign-in?next=%2Fnational" {
		t.Errorf("anonymous: %d %q", anon.StatusCode, anon.Header.Get("Location"))
	}
	for _, tc := range []struct {
		email  string
		status int
		nav    bool // the header offers the national view
	}{
		{"national@england.nhs.uk", 200, true},
		{"east@england.nhs.uk", 200, true},
		{"lead@que.nhs.net", 403, false},
		{"partner@rgt.nhs.net", 403, false},
	} {
		b := e.browser(t)
		b.mustSignIn(tc.email)
		for _, path := range []string{"/national", "/national?format=csv"} {
			res, page := b.get(path)
			if res.StatusCode != tc.status {
				t.Errorf("%s %s: %d, want %d", tc.email, path, res.StatusCode, tc.status)
			}
			if tc.status == 403 && (!strings.Contains(page, "You cannot do that") || strings.Contains(page, "Reach the national standard")) {
				t.Errorf("%s %s: not a plain refusal:\n%s", tc.email, path, page)
			}
		}
		_, home := b.get("/indicators")
		if got := strings.Contains(home, `href="/national"`); got != tc.nav {
			t.Errorf("%s: national view in the header %v, want %v", tc.email, got, tc.nav)
		}
	}
}

func TestNationalViewSideBySide(t *testing.T) {
	e := nationalEnv(t)
	as, _, err := e.store.FindAssessments(context.Background(), accord.AssessmentFilter{IndicatorID: "ae_4h_all", OrgCodes: []string{"QUE"}})
	if err != nil || len(as) != 1 || as[0].AssuranceIcon == "" {
		t.Fatalf("QUE's A&E series should have an SPC assurance icon: %+v %v", as, err)
	}
	assurance := map[string]string{
		"pass": "1 pass, 0 fail, 0 inconsistent, 0 not assessed", "fail": "0 pass, 1 fail, 0 inconsistent, 0 not assessed",
		"inconsistent": "0 pass, 0 fail, 1 inconsistent, 0 not assessed",
	}[as[0].AssuranceIcon]

	b := e.browser(t)
	b.mustSignIn("national@england.nhs.uk")
	res, page := b.get("/national")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("%d\n%s", res.StatusCode, page)
	}
	checkPageFrame(t, page, "National view")
	statuses := viewSection(page, "h2", "Targets by status")
	// Submitted, challenged, approved, active, achieved, missed, withdrawn,
	// total: the draft and the consultation are not counted.
	inOrder(t, viewRow(statuses, `data-icb="QUE"`), "East of England", ">1<", ">0<", ">1<", ">0<", ">0<", ">0<", ">0<", ">2<")
	if r := viewRow(statuses, `data-icb="QHM"`); strings.Count(r, ">0<") != 8 {
		t.Errorf("QHM has no targets:\n%s", r)
	}
	que := viewRow(viewSection(page, "h2", "Ambition, assurance and exceptions"), `data-icb="QUE"`)
	for _, want := range []string{"1 of 2 need a justification (1 given)", assurance, "Segment 2"} {
		if !strings.Contains(que, want) {
			t.Errorf("QUE's row lacks %s:\n%s", want, que)
		}
	}
	inOrder(t, que, "not assessed", ">1<", ">1<", ">1<", "Segment 2") // off track, stale data, reviews overdue
	exceptions := viewSection(page, "h2", "Exceptions")
	for _, want := range []string{
		"Off track", "“Reach the national standard”: at least 82% by 31 March 2028.",
		"Stale data", "A&amp;E attendances seen within 4 hours: the latest figure is for May 2025; a monthly figure should be no more than 3 months old.",
		"Review overdue", "“Awaiting review” was submitted on " + viewDay(time.Now()) + ", 40 days ago",
	} {
		if !strings.Contains(exceptions, want) {
			t.Errorf("exceptions lack %s:\n%s", want, exceptions)
		}
	}
	for _, hidden := range []string{"Still a draft", "In local consultation"} {
		if strings.Contains(page, hidden) {
			t.Errorf("the national view shows %q", hidden)
		}
	}
	if !strings.Contains(page, `href="/national?format=csv"`) {
		t.Errorf("no CSV link")
	}

	recs := nationalCSV(t, b)
	if len(recs) != 5 || strings.Join(recs[0][:6], ",") != "icb_code,icb_name,region_code,region_name,targets_submitted,targets_challenged" {
		t.Fatalf("%d rows, header %v", len(recs), recs[0])
	}
	for _, r := range recs[1:] {
		if r[0] != "QUE" {
			continue
		}
		got := strings.Join(r[4:], ",")
		icon := map[string]string{"pass": "1,0,0,0", "fail": "0,1,0,0", "inconsistent": "0,0,1,0"}[as[0].AssuranceIcon]
		if want := "1,0,1,0,0,0,0,2,2,1,1," + icon + ",1,1,1,2,2.00"; got != want {
			t.Errorf("QUE in the CSV: %s, want %s", got, want)
		}
	}
}

func TestNationalViewSegmentation(t *testing.T) {
	e := nationalEnv(t)
	b := e.browser(t)
	b.mustSignIn("national@england.nhs.uk")
	_, page := b.get("/national")
	seg := viewSection(page, "h2", "Segmentation")
	// Every ICB ranks the same on all three metrics (A&E, 18 weeks, cancer,
	// in the configured order), so each scores the same on each: QHM best
	// (1), QUE 2, QE1 3, QM7 worst (4).
	inOrder(t, seg,
		`data-icb="QHM"`, "80% (score 1)", "70% (score 1)", "90% (score 1)", ">1.00<", "Segment 1",
		`data-icb="QUE"`, "75.25% (score 2)", "65% (score 2)", "85% (score 2)", ">2.00<", "Segment 2",
		`data-icb="QE1"`, "70% (score 3)", ">3.00<", "Segment 3",
		`data-icb="QM7"`, "65% (score 4)", ">4.00<", "Segment 4")
	for _, want := range []string{
		"Each metric is scored from 1 (best) to 4 (worst) by quartile", // the method
		"1.50, 2.50 and 3.50", // the cut-offs
		`<a href="/indicators/cancer_62d">Cancer treatment within 62 days of urgent referral</a>`,
		"May 2025",
		"ae_12h_in_department_share (not in the indicator catalogue)", // configured, not scored
	} {
		if !strings.Contains(seg, want) {
			t.Errorf("segmentation lacks %s", want)
		}
	}
}

func TestNationalViewRegional(t *testing.T) {
	e := nationalEnv(t)
	b := e.browser(t)
	b.mustSignIn("east@england.nhs.uk")
	_, page := b.get("/national")
	if !strings.Contains(page, "The 2 integrated care boards in East of England, the region you oversee.") {
		t.Errorf("scope not stated")
	}
	statuses := viewSection(page, "h2", "Targets by status")
	for code, want := range map[string]bool{"QUE": true, "QM7": true, "QHM": false, "QE1": false} {
		if got := strings.Contains(statuses, `data-icb="`+code+`"`); got != want {
			t.Errorf("%s in the region's table: %v, want %v", code, got, want)
		}
	}
	// The segmentation stays national, with the region's boards marked.
	seg := viewSection(page, "h2", "Segmentation")
	if r := viewRow(seg, `data-icb="QUE"`); !strings.Contains(r, "Your region") || !strings.Contains(r, "Segment 2") {
		t.Errorf("QUE in the segmentation:\n%s", r)
	}
	if r := viewRow(seg, `data-icb="QHM"`); r == "" || strings.Contains(r, "Your region") {
		t.Errorf("QHM in the segmentation:\n%s", r)
	}
	if recs := nationalCSV(t, b); len(recs) != 3 {
		t.Errorf("the region's CSV has %d rows, want a header and 2 ICBs", len(recs))
	}
}
