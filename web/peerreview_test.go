package web

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nhs-accord/accord"
)

// The people of the peer review tests. QUE (East of England, Y61) is
// reviewed; the lead reviewer comes from QJ2 in another region, a peer
// from QHG in the same region (a conflict of interest to decide).
const (
	prLead      = "lead@que.nhs.net"
	prOtherLead = "lead@qhg.nhs.net"
	prNational  = "national@england.nhs.uk"
	prRegional  = "east@england.nhs.uk"
	prMidlands  = "midlands@england.nhs.uk"
	prReviewer  = "lead.reviewer@qj2.nhs.net"
	prPeer      = "peer@qhg.nhs.net"
	prOutsider  = "outsider@qhg.nhs.net" // a peer reviewer not on this team
)

// reviewEnv is a test server with the people above, two more ICBs, and
// QUE's monthly A&E values from May 2024 to May 2025, so the pack has an
// SPC chart and the progress review values since a review in late 2024.
func reviewEnv(t *testing.T) *testEnv {
	t.Helper()
	e := newTestEnv(t, Config{})
	ctx := context.Background()
	if err := e.store.UpsertOrganisations(ctx, []accord.Organisation{
		{Code: "QHG", Name: "NHS Bedfordshire, Luton and Milton Keynes Integrated Care Board", Type: accord.OrgICB, ParentCode: "Y61"},
		{Code: "Y60", Name: "Midlands", Type: accord.OrgRegion, ParentCode: accord.EnglandCode},
		{Code: "QJ2", Name: "NHS Derby and Derbyshire Integrated Care Board", Type: accord.OrgICB, ParentCode: "Y60"},
	}); err != nil {
		t.Fatal(err)
	}
	var obs []accord.Observation
	for i, m := 0, accord.Month(2024, time.May); m != accord.Month(2025, time.April); i, m = i+1, m.Next() {
		obs = append(obs, accord.Observation{IndicatorID: "ae_4h_all", OrgCode: "QUE", Period: m, Value: 70 + float64(i%4),
			Status: accord.Final, Source: "test"})
	}
	if err := e.store.AddObservations(ctx, obs); err != nil {
		t.Fatal(err)
	}
	e.addUser(t, prLead, "Lena Lead", accord.Grant{Role: accord.RoleICBLead, OrgCode: "QUE"})
	e.addUser(t, prOtherLead, "Oli Other", accord.Grant{Role: accord.RoleICBLead, OrgCode: "QHG"})
	e.addUser(t, prNational, "Nadia National", accord.Grant{Role: accord.RoleNationalOversight, OrgCode: accord.EnglandCode})
	e.addUser(t, prRegional, "Reg East", accord.Grant{Role: accord.RoleRegionalOversight, OrgCode: "Y61"})
	e.addUser(t, prMidlands, "Mo Midlands", accord.Grant{Role: accord.RoleRegionalOversight, OrgCode: "Y60"})
	e.addUser(t, prReviewer, "Rhea Reviewer", accord.Grant{Role: accord.RolePeerReviewer, OrgCode: "QJ2"})
	e.addUser(t, prPeer, "Pete Peer", accord.Grant{Role: accord.RolePeerReviewer, OrgCode: "QHG"})
	e.addUser(t, prOutsider, "Otto Outsider", accord.Grant{Role: accord.RolePeerReviewer, OrgCode: "QHG"})
	return e
}

func (e *testEnv) auditCount(t *testing.T) int {
	t.Helper()
	_, n, err := e.store.FindAudit(context.Background(), accord.AuditFilter{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func (e *testEnv) peerReview(t *testing.T, id int64) accord.PeerReview {
	t.Helper()
	pr, err := e.store.FindPeerReview(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return pr
}

func (e *testEnv) userID(t *testing.T, email string) int64 {
	t.Helper()
	u, _, err := e.store.FindUserByEmail(context.Background(), email)
	if err != nil {
		t.Fatal(err)
	}
	return u.ID
}

// publishedReview takes a review of QUE through the store to a published
// report: on site from onSite for three days, a lead reviewer from QJ2 and
// a peer from QHG, a position statement, one serious concern and a summary.
// Stopping before publication (publish false) leaves a draft report.
func (e *testEnv) publishedReview(t *testing.T, onSite accord.Date, publish bool) accord.PeerReview {
	t.Helper()
	ctx := context.Background()
	lead, regional := e.actor(t, prLead), e.actor(t, prRegional)
	reviewer, peer := e.actor(t, prReviewer), e.actor(t, prPeer)
	pr := accord.PeerReview{OrgCode: "QUE", OnSiteStart: onSite, OnSiteEnd: accord.Date{Time: onSite.AddDate(0, 0, 2)},
		FocusAreas: []accord.FocusArea{{Title: "Flow through urgent and emergency care", IndicatorIDs: []string{"ae_4h_all"}}}}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(e.store.RequestPeerReview(ctx, &pr, lead))
	move := func(n accord.StageName, by accord.Actor) {
		t.Helper()
		_, err := e.store.MoveStage(ctx, pr.ID, n, accord.StageDone, accord.Date{}, by)
		must(err)
	}
	move(accord.StageRequestAndScope, lead)
	must(e.store.AddTeamMember(ctx, pr.ID, &accord.TeamMember{UserID: reviewer.UserID, Name: "Rhea Reviewer", HomeOrg: "QJ2",
		Role: accord.TeamLeadReviewer, ChosenFor: accord.ChosenMostImproved, Why: "Most improved on A&E waits."}, regional))
	must(e.store.AddTeamMember(ctx, pr.ID, &accord.TeamMember{UserID: peer.UserID, Name: "Pete Peer", HomeOrg: "QHG",
		Role: accord.TeamPeer, ChosenFor: accord.ChosenStatisticallySimilar, Why: "A nearest peer.",
		Conflicts: []accord.Conflict{{Kind: accord.ConflictSameRegionOversight, Declared: "Same region as QUE.",
			Decision: accord.ConflictManaged, DecisionNote: "Does not review the region's own targets."}}}, regional))
	move(accord.StageTeamFormation, regional)
	_, err := e.store.WritePositionStatement(ctx, pr.ID, "SECRET-STATEMENT: our own account.", lead)
	must(err)
	move(accord.StagePositionStatement, lead)
	must(e.store.RecordFinding(ctx, pr.ID, &accord.Finding{ThemeID: "capacity_to_improve", Rating: accord.RatingSeriousConcern,
		Text: "FINDING-TEXT: four-hour performance has not moved in a year.", Recommendation: "Fix flow.",
		Evidence: []accord.Evidence{{IndicatorID: "ae_4h_all", OrgCode: "QUE"}}}, peer))
	move(accord.StageReview, reviewer)
	_, err = e.store.SaveReportSummary(ctx, pr.ID, "SUMMARY-TEXT: a system that knows itself.", reviewer)
	must(err)
	if publish {
		_, err = e.store.PublishReport(ctx, pr.ID, accord.Date{}, reviewer)
		must(err)
	}
	return e.peerReview(t, pr.ID)
}

// step is one form sent by one person, and what should come of it.
type step struct {
	who    string // "" for nobody signed in
	path   string
	form   url.Values
	status int // 303 for success
}

// send posts the form as who, with their session's CSRF token.
func (e *testEnv) send(t *testing.T, s step) (*http.Response, string) {
	t.Helper()
	b := e.browser(t)
	form := url.Values{}
	for k, v := range s.form {
		form[k] = v
	}
	if s.who != "" {
		b.mustSignIn(s.who)
		form.Set("csrf_token", b.sessionToken())
	}
	return b.post(s.path, form)
}

// refused sends a form as someone who may not use it, and checks it was
// refused with want and that nothing changed: not the review, not the
// audit log.
func (e *testEnv) refused(t *testing.T, id int64, s step) string {
	t.Helper()
	before, audit := e.peerReview(t, id), e.auditCount(t)
	res, page := e.send(t, s)
	if res.StatusCode != s.status {
		t.Fatalf("%s by %q: %d, want %d\n%.2000s", s.path, s.who, res.StatusCode, s.status, page)
	}
	after := e.peerReview(t, id)
	b1, _ := json.Marshal(before)
	b2, _ := json.Marshal(after)
	if string(b1) != string(b2) {
		t.Errorf("%s by %q was refused but the review changed:\n%s\n%s", s.path, s.who, b1, b2)
	}
	if n := e.auditCount(t); n != audit {
		t.Errorf("%s by %q was refused but the audit log grew from %d to %d", s.path, s.who, audit, n)
	}
	return page
}

// done sends a form as someone who may use it, and checks it redirected to
// the review page with a banner and wrote one audit entry.
func (e *testEnv) done(t *testing.T, id int64, s step, banner string) accord.PeerReview {
	t.Helper()
	audit := e.auditCount(t)
	res, page := e.send(t, s)
	loc := res.Header.Get("Location")
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, fmt.Sprintf("/peer-reviews/%d?done=", id)) {
		t.Fatalf("%s by %s: %d %q\n%.3000s", s.path, s.who, res.StatusCode, loc, page)
	}
	if n := e.auditCount(t); n != audit+1 {
		t.Errorf("%s by %s: the audit log grew by %d, want 1", s.path, s.who, n-audit)
	}
	b := e.browser(t)
	b.mustSignIn(s.who)
	loc, _, _ = strings.Cut(loc, "#") // a browser keeps the fragment to itself
	if _, page := b.get(loc); !strings.Contains(page, banner) {
		t.Errorf("%s: the page after does not say %q", s.path, banner)
	}
	return e.peerReview(t, id)
}

func stage(pr accord.PeerReview, n accord.StageName) accord.StageState {
	st, _ := pr.Stage(n)
	return st.State
}

func moveForm(n accord.StageName, to accord.StageState) url.Values {
	return url.Values{"stage": {string(n)}, "to": {string(to)}}
}

// TestPeerReviewStages runs one review from request to progress review
// through the page forms: at each stage the form is refused, with nothing
// changed, for people whose role does not own it, and then used by the one
// who does.
func TestPeerReviewStages(t *testing.T) {
	e := reviewEnv(t)

	// Request and scope: the ICB's own lead, for their own ICB only.
	request := url.Values{"organisation": {"QUE"}, "focus-1-title": {"Flow through urgent and emergency care"},
		"focus-1-indicator-1": {"ae_4h_all"}, "on_site_start-day": {"2"}, "on_site_start-month": {"3"}, "on_site_start-year": {"2026"},
		"on_site_end-day": {"4"}, "on_site_end-month": {"3"}, "on_site_end-year": {"2026"}}
	for _, who := range []string{prOtherLead, prNational, prReviewer} {
		audit := e.auditCount(t)
		if res, page := e.send(t, step{who: who, path: "/peer-reviews", form: request}); res.StatusCode != http.StatusForbidden {
			t.Fatalf("request by %s: %d\n%.1500s", who, res.StatusCode, page)
		}
		if _, n, _ := e.store.FindPeerReviews(context.Background(), accord.PeerReviewFilter{}); n != 0 || e.auditCount(t) != audit {
			t.Fatalf("a refused request stored something: %d reviews", n)
		}
	}
	res, page := e.send(t, step{who: prLead, path: "/peer-reviews", form: request})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/peer-reviews/1?done=requested" {
		t.Fatalf("request: %d %q\n%.3000s", res.StatusCode, res.Header.Get("Location"), page)
	}
	const id = 1
	pr := e.peerReview(t, id)
	if pr.OrgCode != "QUE" || pr.RegionCode != "Y61" || len(pr.FocusAreas) != 1 || pr.FocusAreas[0].IndicatorIDs[0] != "ae_4h_all" ||
		pr.OnSiteStart.String() != "2026-03-02" || pr.RequestedBy != prLead {
		t.Fatalf("stored request: %+v", pr)
	}
	path := func(p string) string { return fmt.Sprintf("/peer-reviews/%d%s", id, p) }

	scope := url.Values{}
	for k, v := range request {
		scope[k] = v
	}
	scope.Set("focus-2-title", "Waiting for planned care")
	scope.Set("focus-2-indicator-1", "smoking_prevalence")
	e.refused(t, id, step{prNational, path("/scope"), scope, http.StatusForbidden})
	e.refused(t, id, step{prOtherLead, path("/scope"), scope, http.StatusNotFound})
	pr = e.done(t, id, step{prLead, path("/scope"), scope, 0}, "The scope was saved.")
	if len(pr.FocusAreas) != 2 || pr.FocusAreas[1].Title != "Waiting for planned care" {
		t.Errorf("scope: %+v", pr.FocusAreas)
	}
	e.refused(t, id, step{prRegional, path("/stages"), moveForm(accord.StageRequestAndScope, accord.StageDone), http.StatusForbidden})
	pr = e.done(t, id, step{prLead, path("/stages"), moveForm(accord.StageRequestAndScope, accord.StageDone), 0}, "The stage was moved on.")
	if stage(pr, accord.StageRequestAndScope) != accord.StageDone {
		t.Fatalf("request and scope: %s", stage(pr, accord.StageRequestAndScope))
	}
	// Once settled, the scope cannot change, even by its owner.
	e.refused(t, id, step{prLead, path("/scope"), scope, http.StatusConflict})

	// Team formation: the region's oversight team (or national), not the ICB,
	// not another region's.
	leadReviewer := url.Values{"member-email": {prReviewer}, "member-home": {"QJ2"}, "member-role": {"lead_reviewer"},
		"member-chosen": {"most_improved"}, "member-why": {"Most improved on four-hour A&E waits."}}
	e.refused(t, id, step{prLead, path("/team"), leadReviewer, http.StatusForbidden})
	e.refused(t, id, step{prMidlands, path("/team"), leadReviewer, http.StatusNotFound})
	e.refused(t, id, step{prReviewer, path("/team"), leadReviewer, http.StatusNotFound})
	pr = e.done(t, id, step{prRegional, path("/team"), leadReviewer, 0}, "The member was added to the team.")
	if m, ok := pr.Lead(); !ok || m.Name != "Rhea Reviewer" || m.UserID != e.userID(t, prReviewer) || m.Why != "Most improved on four-hour A&E waits." ||
		m.ChosenFor != accord.ChosenMostImproved || m.AddedBy != prRegional {
		t.Fatalf("lead reviewer: %+v", pr.Team)
	}
	peer := url.Values{"member-email": {prPeer}, "member-home": {"QHG"}, "member-role": {"peer"},
		"member-chosen": {"statistically_similar"}, "member-why": {"A nearest peer by population and deprivation."},
		"member-conflict": {"same_region_oversight"}, "member-declared": {"QHG is in the same region as QUE."}}
	pr = e.done(t, id, step{prNational, path("/team"), peer, 0}, "The member was added to the team.")
	if len(pr.Team) != 2 || len(pr.Team[1].Conflicts) != 1 || pr.Team[1].Conflicts[0].Decision != accord.ConflictUndecided {
		t.Fatalf("peer: %+v", pr.Team)
	}
	lay := url.Values{"member-name": {"Lou Lay"}, "member-home": {"QHG"}, "member-role": {"lay_peer"},
		"member-chosen": {"expertise"}, "member-why": {"Chairs a patient panel."}}
	pr = e.done(t, id, step{prRegional, path("/team"), lay, 0}, "The member was added to the team.")
	layID := pr.Team[2].ID
	e.refused(t, id, step{prLead, path(fmt.Sprintf("/team/%d/remove", layID)), nil, http.StatusForbidden})
	pr = e.done(t, id, step{prRegional, path(fmt.Sprintf("/team/%d/remove", layID)), nil, 0}, "The member was taken off the team.")
	if len(pr.Team) != 2 {
		t.Fatalf("after removing: %+v", pr.Team)
	}
	// An undecided conflict keeps the team from being settled.
	res, page = e.send(t, step{who: prRegional, path: path("/stages"), form: moveForm(accord.StageTeamFormation, accord.StageDone)})
	if res.StatusCode != http.StatusConflict || !errorSummaryHas(page, "stage-team_formation", "not yet decided") {
		t.Fatalf("settling with an undecided conflict: %d\n%.3000s", res.StatusCode, page)
	}
	conflictID := pr.Team[1].Conflicts[0].ID
	decide := url.Values{fmt.Sprintf("decision-%d", conflictID): {"managed"},
		fmt.Sprintf("decision-note-%d", conflictID): {"Does not review the region's own targets."}}
	e.refused(t, id, step{prLead, path(fmt.Sprintf("/conflicts/%d", conflictID)), decide, http.StatusForbidden})
	e.refused(t, id, step{prPeer, path(fmt.Sprintf("/conflicts/%d", conflictID)), decide, http.StatusForbidden})
	pr = e.done(t, id, step{prRegional, path(fmt.Sprintf("/conflicts/%d", conflictID)), decide, 0}, "The decision on the conflict of interest was recorded.")
	if c := pr.Team[1].Conflicts[0]; c.Decision != accord.ConflictManaged || c.DecidedBy != prRegional {
		t.Fatalf("decision: %+v", c)
	}
	flag := url.Values{"conflict-member": {strconv.FormatInt(pr.Team[0].ID, 10)}, "conflict-kind": {"other"},
		"conflict-declared": {"Worked at QUE until 2023."}}
	e.refused(t, id, step{prReviewer, path("/conflicts"), flag, http.StatusForbidden})
	pr = e.done(t, id, step{prRegional, path("/conflicts"), flag, 0}, "The conflict of interest was recorded.")
	conflictID = pr.Team[0].Conflicts[0].ID
	pr = e.done(t, id, step{prRegional, path(fmt.Sprintf("/conflicts/%d", conflictID)), url.Values{
		fmt.Sprintf("decision-%d", conflictID): {"managed"}, fmt.Sprintf("decision-note-%d", conflictID): {"Left QUE three years ago."}}, 0},
		"The decision on the conflict of interest was recorded.")
	e.refused(t, id, step{prLead, path("/stages"), moveForm(accord.StageTeamFormation, accord.StageDone), http.StatusForbidden})
	pr = e.done(t, id, step{prRegional, path("/stages"), moveForm(accord.StageTeamFormation, accord.StageDone), 0}, "The stage was moved on.")

	// Position statement: the ICB lead.
	statement := url.Values{"position_statement": {"We know our flow is stuck.\n\nWe want help with it."}}
	e.refused(t, id, step{prReviewer, path("/position-statement"), statement, http.StatusForbidden})
	e.refused(t, id, step{prRegional, path("/position-statement"), statement, http.StatusForbidden})
	pr = e.done(t, id, step{prLead, path("/position-statement"), statement, 0}, "The position statement was saved.")
	if pr.PositionStatement != "We know our flow is stuck.\n\nWe want help with it." {
		t.Errorf("statement: %q", pr.PositionStatement)
	}
	pr = e.done(t, id, step{prLead, path("/stages"), moveForm(accord.StagePositionStatement, accord.StageDone), 0}, "The stage was moved on.")

	// The review: the team's members record findings; the ICB cannot, and
	// a peer reviewer not on the team cannot even see the review.
	finding := url.Values{"under": {"theme:capacity_to_improve"}, "rating": {"serious_concern"},
		"text": {"Four-hour performance has not moved in a year."}, "recommendation": {"Agree one flow plan across the system."},
		"evidence-1-indicator": {"ae_4h_all"}, "evidence-1-organisation": {"QUE"},
		"evidence-2-title": {"Board papers, January 2026"}, "evidence-2-url": {"https://www.example.nhs.uk/board.pdf"}}
	e.refused(t, id, step{prLead, path("/findings"), finding, http.StatusForbidden})
	e.refused(t, id, step{prRegional, path("/findings"), finding, http.StatusForbidden})
	e.refused(t, id, step{prOutsider, path("/findings"), finding, http.StatusNotFound})
	pr = e.done(t, id, step{prPeer, path("/findings"), finding, 0}, "The finding was saved in the draft report.")
	if len(pr.Findings) != 1 || len(pr.Findings[0].Evidence) != 2 || pr.Findings[0].Evidence[1].URL != "https://www.example.nhs.uk/board.pdf" ||
		pr.Findings[0].By != prPeer {
		t.Fatalf("finding: %+v", pr.Findings)
	}
	fid := pr.Findings[0].ID
	strength := url.Values{"under": {fmt.Sprintf("focus:%d", pr.FocusAreas[0].ID)}, "rating": {"strength"},
		"text": {"Partners talk to one another."}, "evidence-1-title": {"Partnership board minutes"},
		"evidence-1-url": {"https://www.example.nhs.uk/minutes.pdf"}}
	pr = e.done(t, id, step{prReviewer, path("/findings"), strength, 0}, "The finding was saved in the draft report.")
	finding.Set("text", "Four-hour performance has not moved in a year, though demand has.")
	pr = e.done(t, id, step{prPeer, path(fmt.Sprintf("/findings/%d", fid)), finding, 0}, "The finding was saved in the draft report.")
	if f, _ := pr.Finding(fid); f.Text != "Four-hour performance has not moved in a year, though demand has." {
		t.Errorf("updated finding: %q", f.Text)
	}
	// The ICB does not see the team's drafts before publication.
	b, _ := e.signedIn(t, prLead)
	if _, page := b.get(path("")); strings.Contains(page, "though demand has") {
		t.Error("the ICB lead sees a draft finding")
	}
	pr = e.done(t, id, step{prReviewer, path("/stages"), moveForm(accord.StageReview, accord.StageDone), 0}, "The stage was moved on.")

	// The report: the team drafts its summary; only the lead reviewer
	// publishes.
	summary := url.Values{"summary": {"A system that knows where it is stuck."}}
	e.refused(t, id, step{prLead, path("/report"), summary, http.StatusForbidden})
	pr = e.done(t, id, step{prPeer, path("/report"), summary, 0}, "summary was saved.")
	e.refused(t, id, step{prPeer, path("/report/publish"), nil, http.StatusForbidden})
	e.refused(t, id, step{prRegional, path("/report/publish"), nil, http.StatusForbidden})
	pr = e.done(t, id, step{prReviewer, path("/report/publish"), nil, 0}, "The report is published.")
	if !pr.Published() || stage(pr, accord.StageReport) != accord.StageDone {
		t.Fatalf("published: %+v", pr.Report)
	}

	// Once published, a finding cannot be changed: no link, no edit page,
	// and a forced POST changes nothing.
	b, _ = e.signedIn(t, prPeer)
	if _, page := b.get(path("")); strings.Contains(page, "Change this finding") || strings.Contains(page, "/findings/new") {
		t.Errorf("the published review still offers to change findings:\n%.4000s", page)
	}
	if res, _ := b.get(path(fmt.Sprintf("/findings/%d/edit", fid))); res.StatusCode != http.StatusConflict {
		t.Errorf("edit page of a published finding: %d", res.StatusCode)
	}
	finding.Set("text", "Rewritten after publication.")
	page = e.refused(t, id, step{prPeer, path(fmt.Sprintf("/findings/%d", fid)), finding, http.StatusConflict})
	if !errorSummaryHas(page, "findings", "its findings stand as published") {
		t.Errorf("a forced edit of a published finding is not explained:\n%.3000s", page)
	}
	e.refused(t, id, step{prPeer, path(fmt.Sprintf("/findings/%d/delete", fid)), nil, http.StatusConflict})

	// The response: the reviewed system answers; it cannot edit.
	respond := url.Values{fmt.Sprintf("response-%d", fid): {"We accept this and have a single flow plan."}}
	e.refused(t, id, step{prReviewer, path(fmt.Sprintf("/findings/%d/responses", fid)), respond, http.StatusForbidden})
	e.refused(t, id, step{prOtherLead, path(fmt.Sprintf("/findings/%d/responses", fid)), respond, http.StatusForbidden})
	pr = e.done(t, id, step{prLead, path(fmt.Sprintf("/findings/%d/responses", fid)), respond, 0}, "Your response was published")
	if f, _ := pr.Finding(fid); len(f.Responses) != 1 || f.Text != "Four-hour performance has not moved in a year, though demand has." {
		t.Errorf("response: %+v", f)
	}

	// The action plan: the ICB lead.
	action := url.Values{"title": {"One flow plan across the system"}, "owner_name": {"Director of Urgent Care"},
		"owner_organisation": {"QUE"}, "due-day": {"31"}, "due-month": {"3"}, "due-year": {"2027"}, "status": {"planned"},
		"findings": {strconv.FormatInt(fid, 10)}, "indicators": {"ae_4h_all"}}
	e.refused(t, id, step{prReviewer, path("/actions"), action, http.StatusForbidden})
	e.refused(t, id, step{prNational, path("/actions"), action, http.StatusForbidden})
	pr = e.done(t, id, step{prLead, path("/actions"), action, 0}, "The action plan was saved.")
	if len(pr.Actions) != 1 || pr.Actions[0].Due.String() != "2027-03-31" || pr.Actions[0].IndicatorIDs[0] != "ae_4h_all" ||
		pr.Actions[0].FindingIDs[0] != fid {
		t.Fatalf("action: %+v", pr.Actions)
	}
	aid := pr.Actions[0].ID
	e.refused(t, id, step{prReviewer, path("/stages"), moveForm(accord.StageResponseAndActionPlan, accord.StageDone), http.StatusForbidden})
	pr = e.done(t, id, step{prLead, path("/stages"), moveForm(accord.StageResponseAndActionPlan, accord.StageDone), 0}, "The stage was moved on.")

	// Progress on an action: the ICB lead, until the progress review.
	progress := url.Values{fmt.Sprintf("status-%d", aid): {"in_progress"}, fmt.Sprintf("note-%d", aid): {"The plan is agreed by every partner."}}
	e.refused(t, id, step{prReviewer, path(fmt.Sprintf("/actions/%d/progress", aid)), progress, http.StatusForbidden})
	pr = e.done(t, id, step{prLead, path(fmt.Sprintf("/actions/%d/progress", aid)), progress, 0}, "The progress on the action was recorded.")
	if a, _ := pr.Action(aid); a.Status != accord.ActionInProgress || len(a.Notes) != 1 {
		t.Errorf("progress: %+v", a)
	}

	// The progress review: the team, judging every action.
	now := time.Now().UTC()
	review := url.Values{"progress-day": {strconv.Itoa(now.Day())}, "progress-month": {strconv.Itoa(int(now.Month()))},
		"progress-year": {strconv.Itoa(now.Year())}, "progress-summary": {"Flow has improved but not enough."},
		fmt.Sprintf("assess-%d", aid): {"on_track"}, fmt.Sprintf("assess-%d-comment", aid): {"Plan agreed; values moving."}}
	e.refused(t, id, step{prLead, path("/progress-review"), review, http.StatusForbidden})
	e.refused(t, id, step{prRegional, path("/progress-review"), review, http.StatusForbidden})
	pr = e.done(t, id, step{prPeer, path("/progress-review"), review, 0}, "The progress review was recorded.")
	if pr.Progress == nil || len(pr.Progress.Assessments) != 1 || pr.Progress.Assessments[0].Rating != accord.AssessOnTrack ||
		pr.State() != accord.PeerReviewClosed {
		t.Fatalf("progress review: %+v %s", pr.Progress, pr.State())
	}
}

// errorSummaryHas reports whether the page's error summary links to the
// input id with a message saying want.
func errorSummaryHas(page, id, want string) bool {
	i := strings.Index(page, `<a href="#`+id+`">`)
	if i < 0 {
		return false
	}
	end := strings.Index(page[i:], "</a>")
	return end > 0 && strings.Contains(page[i:i+end], want)
}

// TestPeerReviewFormErrors checks that a form sent with mistakes comes
// back with what was typed and an error beside each field, and stores
// nothing.
func TestPeerReviewFormErrors(t *testing.T) {
	e := reviewEnv(t)
	b, token := e.signedIn(t, prLead)
	audit := e.auditCount(t)
	res, page := b.post("/peer-reviews", url.Values{"csrf_token": {token}, "organisation": {"QUE"},
		"focus-1-title": {"Flow"}, "on_site_start-day": {"2"}, "on_site_start-month": {"3"}, "on_site_start-year": {"2025"},
		"on_site_end-day": {"31"}, "on_site_end-month": {"2"}})
	if res.StatusCode != http.StatusBadRequest {
		t.Fatalf("bad request: %d\n%.2000s", res.StatusCode, page)
	}
	for _, want := range []struct{ id, text string }{
		{"on_site_start", "is in the past"},
		{"on_site_end", "must include a year"},
	} {
		if !errorBeside(page, want.id, want.text) {
			t.Errorf("no error beside %s saying %q", want.id, want.text)
		}
	}
	if !errorSummaryHas(page, "focus-1-title", "names no indicator") || !strings.Contains(page, `value="Flow"`) {
		t.Errorf("the focus area's error or what was typed is missing:\n%.5000s", page)
	}
	if e.auditCount(t) != audit {
		t.Error("a refused request wrote to the audit log")
	}

	pr := e.publishedReview(t, accord.NewDate(2026, time.March, 2), false)
	b, token = e.signedIn(t, prPeer)
	res, page = b.post(fmt.Sprintf("/peer-reviews/%d/findings", pr.ID), url.Values{"csrf_token": {token}, "text": {"An opinion."},
		"evidence-1-organisation": {"QUE"}})
	if res.StatusCode != http.StatusBadRequest {
		t.Fatalf("finding without evidence: %d", res.StatusCode)
	}
	if !errorBeside(page, "under", "Choose the core theme") || !errorBeside(page, "rating", "strength") ||
		!errorSummaryHas(page, "evidence-1-indicator", "at least one indicator or document") || !strings.Contains(page, "An opinion.") {
		t.Errorf("finding errors:\n%.6000s", page)
	}
	if n := len(e.peerReview(t, pr.ID).Findings); n != 1 {
		t.Errorf("%d findings after a refused one, want 1", n)
	}
}

// TestPeerReviewVisibility checks who sees what, on the pages and the API:
// before publication only the ICB, the team and oversight; after it
// everyone, but the public not the position statement, conflicts or
// anyone's email.
func TestPeerReviewVisibility(t *testing.T) {
	e := reviewEnv(t)
	draft := e.publishedReview(t, accord.NewDate(2026, time.March, 2), false)
	published := e.publishedReview(t, accord.NewDate(2026, time.April, 6), true)

	get := func(who, target string) (*http.Response, string) {
		t.Helper()
		b := e.browser(t)
		if who != "" {
			b.mustSignIn(who)
		}
		return b.get(target)
	}
	draftPath, pubPath := peerReviewPath(draft.ID), peerReviewPath(published.ID)
	for _, who := range []string{"", prOtherLead, prOutsider, prMidlands} {
		if res, _ := get(who, draftPath); res.StatusCode != http.StatusNotFound {
			t.Errorf("%q sees the draft review: %d", who, res.StatusCode)
		}
		if res, _ := get(who, draftPath+"/pack"); res.StatusCode != http.StatusNotFound {
			t.Errorf("%q sees the draft review's pack: %d", who, res.StatusCode)
		}
	}
	for _, who := range []string{prLead, prRegional, prNational, prReviewer, prPeer} {
		if res, page := get(who, draftPath); res.StatusCode != http.StatusOK {
			t.Errorf("%s cannot see the draft review: %d\n%.1000s", who, res.StatusCode, page)
		}
	}
	// The team and oversight read the draft report; the ICB does not yet.
	if _, page := get(prRegional, draftPath); !strings.Contains(page, "FINDING-TEXT") || !strings.Contains(page, "SUMMARY-TEXT") {
		t.Error("oversight cannot read the draft report")
	}
	if _, page := get(prLead, draftPath); strings.Contains(page, "FINDING-TEXT") || strings.Contains(page, "SUMMARY-TEXT") ||
		!strings.Contains(page, "SECRET-STATEMENT") {
		t.Error("the ICB lead sees the team's drafts, or not its own statement")
	}

	res, page := get("", pubPath)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("public: %d", res.StatusCode)
	}
	// The conflict is not shown, and the page does not pretend there was
	// none.
	for _, want := range []string{"FINDING-TEXT", "SUMMARY-TEXT", "Serious concern", "Rhea Reviewer", "Most improved on A&amp;E waits.",
		"Not published: conflicts of interest"} {
		if !strings.Contains(page, want) {
			t.Errorf("the public page lacks %q", want)
		}
	}
	for _, hidden := range []string{"SECRET-STATEMENT", "Same region as QUE.", "None flagged", prReviewer, prPeer, prLead, "<form method=\"post\" action=\"/peer-reviews"} {
		if strings.Contains(page, hidden) {
			t.Errorf("the public page shows %q", hidden)
		}
	}

	// The programme: the public sees published reviews only.
	_, page = get("", "/peer-reviews")
	if !strings.Contains(page, fmt.Sprintf(`data-review="%d"`, published.ID)) || strings.Contains(page, fmt.Sprintf(`data-review="%d"`, draft.ID)) {
		t.Errorf("public programme:\n%.3000s", page)
	}
	_, page = get(prRegional, "/peer-reviews?state=open")
	if !strings.Contains(page, fmt.Sprintf(`data-review="%d"`, draft.ID)) || strings.Contains(page, fmt.Sprintf(`data-review="%d"`, published.ID)) {
		t.Errorf("regional programme, open reviews:\n%.3000s", page)
	}

	// The API: the same rules, in the list shape.
	apiList := func(token, query string) (list[map[string]any], int) {
		t.Helper()
		res, b := e.api(t, http.MethodGet, "/api/v1/peer-reviews"+query, token, "")
		var l list[map[string]any]
		if res.StatusCode == http.StatusOK {
			if err := json.Unmarshal([]byte(b), &l); err != nil {
				t.Fatal(err)
			}
		}
		return l, res.StatusCode
	}
	l, status := apiList("", "")
	if status != http.StatusOK || l.Total != 1 || len(l.Items) != 1 || l.Limit != defaultLimit || l.Items[0]["id"] != float64(published.ID) {
		t.Fatalf("public API list: %d %+v", status, l)
	}
	item := l.Items[0]
	if item["position_statement"] != "" || item["state"] != "published" || item["current_stage"] != "response_and_action_plan" ||
		item["requested_by"] != "" {
		t.Errorf("public API item: %v", item)
	}
	team := item["team"].([]any)
	if m := team[1].(map[string]any); len(m["conflicts"].([]any)) != 0 || m["added_by"] != "" {
		t.Errorf("public API shows a member's conflicts or who added them: %v", m)
	}
	for _, k := range []string{"stages", "team", "findings", "actions", "focus_areas", "report", "overdue_stages"} {
		if _, ok := item[k]; !ok {
			t.Errorf("API item lacks %q", k)
		}
	}
	regional := e.tokenFor(t, prRegional)
	if l, status := apiList(regional, ""); status != http.StatusOK || l.Total != 2 {
		t.Errorf("regional API list: %d total %d", status, l.Total)
	}
	if l, _ := apiList(regional, "?state=open&organisation=que"); l.Total != 1 || l.Items[0]["id"] != float64(draft.ID) {
		t.Errorf("filtered API list: %+v", l)
	}
	if l, _ := apiList(regional, "?stage=report&limit=0"); l.Total != 1 || len(l.Items) != 0 {
		t.Errorf("stage filter with limit 0: %+v", l)
	}
	res, b := e.api(t, http.MethodGet, "/api/v1/peer-reviews?state=finished&colour=red", "", "")
	if ae := apiErr(t, b); res.StatusCode != http.StatusBadRequest || !hasField(ae, "state") || !hasField(ae, "colour") {
		t.Errorf("bad filters: %d %s", res.StatusCode, b)
	}

	res, b = e.api(t, http.MethodGet, fmt.Sprintf("/api/v1/peer-reviews/%d", draft.ID), "", "")
	if res.StatusCode != http.StatusNotFound || apiErr(t, b).Code != accord.ENOTFOUND {
		t.Errorf("public API get of a draft: %d %s", res.StatusCode, b)
	}
	res, b = e.api(t, http.MethodGet, fmt.Sprintf("/api/v1/peer-reviews/%d", draft.ID), e.tokenFor(t, prOtherLead), "")
	if res.StatusCode != http.StatusNotFound {
		t.Errorf("another ICB's lead gets a draft: %d %s", res.StatusCode, b)
	}
	res, b = e.api(t, http.MethodGet, fmt.Sprintf("/api/v1/peer-reviews/%d", draft.ID), e.tokenFor(t, prLead), "")
	var got peerReviewJSON
	if err := json.Unmarshal([]byte(b), &got); res.StatusCode != http.StatusOK || err != nil {
		t.Fatalf("the ICB lead's API get: %d %v %s", res.StatusCode, err, b)
	}
	if len(got.Findings) != 0 || got.Report.Summary != "" || !strings.Contains(got.PositionStatement, "SECRET-STATEMENT") ||
		got.State != accord.PeerReviewOpen || got.CurrentStage != accord.StageReport || len(got.Stages) != len(accord.StageNames) {
		t.Errorf("the ICB lead's view: %+v", got)
	}
	res, b = e.api(t, http.MethodGet, fmt.Sprintf("/api/v1/peer-reviews/%d", draft.ID), regional, "")
	if err := json.Unmarshal([]byte(b), &got); res.StatusCode != http.StatusOK || err != nil || len(got.Findings) != 1 ||
		len(got.Team[1].Conflicts) != 1 {
		t.Errorf("oversight's API get: %d %s", res.StatusCode, b)
	}
}

// TestPeerReviewPack checks the data pack page and its CSV.
func TestPeerReviewPack(t *testing.T) {
	e := reviewEnv(t)
	pr := e.publishedReview(t, accord.NewDate(2026, time.March, 2), true)
	res, page := e.browser(t).get(peerReviewPath(pr.ID) + "/pack")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("pack: %d\n%s", res.StatusCode, page[strings.Index(page, "<main"):])
	}
	// Without nearest peers on record, the pack compares with the ICBs the
	// reviewers come from.
	inOrder(t, page, "<h2>Peers</h2>", "NHS Derby and Derbyshire Integrated Care Board (QJ2)", "NHS Bedfordshire, Luton and Milton Keynes Integrated Care Board (QHG)")
	for _, want := range []string{`id="spc-ae_4h_all`, "The chart's points, oldest period first", "May 2024", "April 2025",
		"Compared with England", "Inequality gaps", "nhsuk-u-display-none-print", "/pack?format=csv"} {
		if !strings.Contains(page, want) {
			t.Errorf("the pack lacks %q", want)
		}
	}
	res, text := e.browser(t).get(peerReviewPath(pr.ID) + "/pack?format=csv")
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "text/csv; charset=utf-8" ||
		res.Header.Get("Content-Disposition") != fmt.Sprintf(`attachment; filename="peer-review-%d-data-pack.csv"`, pr.ID) {
		t.Fatalf("CSV: %d %v", res.StatusCode, res.Header)
	}
	recs, err := csv.NewReader(strings.NewReader(text)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(recs[0], ",") != "section,indicator_id,organisation_code,organisation_name,period,breakdown,value,lower,upper,benchmark,comparison,detail" {
		t.Errorf("CSV header: %v", recs[0])
	}
	spcRows := 0
	for _, r := range recs[1:] {
		if r[0] == "spc" && r[1] == "ae_4h_all" && r[2] == "QUE" {
			spcRows++
		}
	}
	if spcRows != 13 {
		t.Errorf("%d SPC rows in the CSV, want 13 (May 2024 to May 2025)", spcRows)
	}
	if res, _ := e.browser(t).get(peerReviewPath(pr.ID) + "/pack?format=xml"); res.StatusCode != http.StatusBadRequest {
		t.Errorf("format=xml: %d", res.StatusCode)
	}
}

// TestPeerReviewProgressValues checks the progress review shows each
// action's indicator from the last value before the peers left to the
// latest, with the change in words.
func TestPeerReviewProgressValues(t *testing.T) {
	e := reviewEnv(t)
	// On site in early December 2024: November 2024 is the last month that
	// ended before the peers left.
	pr := e.publishedReview(t, accord.NewDate(2024, time.December, 2), true)
	ctx := context.Background()
	a := accord.ReviewAction{Title: "One flow plan", OwnerName: "Director of Urgent Care", OwnerOrg: "QUE",
		Due: accord.NewDate(2026, time.March, 31), IndicatorIDs: []string{"ae_4h_all"}}
	if err := e.store.SaveAction(ctx, pr.ID, &a, e.actor(t, prLead)); err != nil {
		t.Fatal(err)
	}
	_, page := e.browser(t).get(peerReviewPath(pr.ID))
	i := strings.Index(page, `id="stage-progress_review"`)
	if i < 0 {
		t.Fatalf("no progress review section:\n%.3000s", page)
	}
	section := page[i:]
	// November 2024 is 70 + 6%4 = 72; May 2025 is the seed's 75.25.
	inOrder(t, section, "A&amp;E attendances seen within 4 hours</a> since the review", "November 2024 (at the review)", "72%",
		"December 2024", "May 2025", "75.25%", "Up 3.25 percentage points since the review: better.")
	if strings.Contains(section, "October 2024") {
		t.Error("the progress review shows values from before the review")
	}
}

// TestPeerReviewOverdueOnNationalView checks overdue stages reach the
// national view, for oversight only and within a region's scope.
func TestPeerReviewOverdueOnNationalView(t *testing.T) {
	e := reviewEnv(t)
	// The test server's day is 22 November 2025; a review on site in
	// January 2026 has its team formation due in November, unsettled.
	ctx := context.Background()
	pr := accord.PeerReview{OrgCode: "QUE", OnSiteStart: accord.NewDate(2026, time.January, 5), OnSiteEnd: accord.NewDate(2026, time.January, 7),
		FocusAreas: []accord.FocusArea{{Title: "Flow", IndicatorIDs: []string{"ae_4h_all"}}}}
	if err := e.store.RequestPeerReview(ctx, &pr, e.actor(t, prLead)); err != nil {
		t.Fatal(err)
	}
	b, _ := e.signedIn(t, prNational)
	_, page := b.get("/national")
	i := strings.Index(page, "Overdue peer-review stages")
	if i < 0 {
		t.Fatalf("no overdue section:\n%.2000s", page)
	}
	section := page[i:]
	inOrder(t, section, fmt.Sprintf(`data-review="%d"`, pr.ID), "Request and scope", "ICB lead", "13 October 2025", "40",
		"Team formation", "Regional oversight", "10 November 2025", "12")
	if strings.Contains(section[:strings.Index(section, "</table>")], "Position statement") {
		t.Error("a stage not yet due is listed as overdue")
	}
	b, _ = e.signedIn(t, prMidlands)
	if _, page := b.get("/national"); strings.Contains(page, fmt.Sprintf(`data-review="%d"`, pr.ID)) {
		t.Error("another region's oversight sees the overdue review")
	}
	// The programme flags them too.
	b, _ = e.signedIn(t, prLead)
	if _, page := b.get("/peer-reviews"); !strings.Contains(page, "Overdue</strong> <span class=\"nhsuk-body-s\">Request and scope, due 13 October 2025") {
		t.Errorf("the programme does not flag the overdue stage:\n%.4000s", page)
	}
}

// TestPeerReviewPagesOffered checks the forms each person is offered on the
// review page, and the new review page's access.
func TestPeerReviewPagesOffered(t *testing.T) {
	e := reviewEnv(t)
	ctx := context.Background()
	pr := accord.PeerReview{OrgCode: "QUE", OnSiteStart: accord.NewDate(2026, time.March, 2), OnSiteEnd: accord.NewDate(2026, time.March, 4),
		FocusAreas: []accord.FocusArea{{Title: "Flow", IndicatorIDs: []string{"ae_4h_all"}}}}
	if err := e.store.RequestPeerReview(ctx, &pr, e.actor(t, prLead)); err != nil {
		t.Fatal(err)
	}
	if _, err := e.store.MoveStage(ctx, pr.ID, accord.StageRequestAndScope, accord.StageDone, accord.Date{}, e.actor(t, prLead)); err != nil {
		t.Fatal(err)
	}
	path := peerReviewPath(pr.ID)
	for _, tc := range []struct {
		who         string
		want, avoid []string
	}{
		{prRegional, []string{`action="` + path + `/team"`, "Suggested reviewers", `value="team_formation"`},
			[]string{`action="` + path + `/position-statement"`, path + "/scope"}},
		{prLead, []string{`action="` + path + `/position-statement"`},
			[]string{`action="` + path + `/team"`, "Suggested reviewers", `value="team_formation"`}},
	} {
		b, _ := e.signedIn(t, tc.who)
		res, page := b.get(path)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d", tc.who, res.StatusCode)
		}
		for _, w := range tc.want {
			if !strings.Contains(page, w) {
				t.Errorf("%s is not offered %q", tc.who, w)
			}
		}
		for _, w := range tc.avoid {
			if strings.Contains(page, w) {
				t.Errorf("%s is offered %q", tc.who, w)
			}
		}
	}

	b, _ := e.signedIn(t, prLead)
	if res, page := b.get("/peer-reviews/new?organisation=QUE"); res.StatusCode != http.StatusOK || !strings.Contains(page, "Local priorities and outcomes") {
		t.Errorf("new review page: %d", res.StatusCode)
	}
	if res, _ := b.get("/peer-reviews/new"); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/peer-reviews/new?organisation=QUE" {
		t.Errorf("new review page without an organisation: %d %q", res.StatusCode, res.Header.Get("Location"))
	}
	if res, _ := b.get("/peer-reviews/new?organisation=QHG"); res.StatusCode != http.StatusForbidden {
		t.Errorf("another ICB's new review page: %d", res.StatusCode)
	}
	if res, _ := e.browser(t).get("/peer-reviews/new?organisation=QUE"); res.StatusCode != http.StatusSeeOther ||
		!strings.HasPrefix(res.Header.Get("Location"), "/sign-in") {
		t.Errorf("anonymous new review page: %d", res.StatusCode)
	}
}

// TestPeerReviewSuggestions checks oversight sees the reviewers the
// evidence suggests, why, and their conflicts of interest, and that taking
// a suggestion fills the team form with that evidence; and that the pack
// then compares with the stored nearest peers.
func TestPeerReviewSuggestions(t *testing.T) {
	e := reviewEnv(t)
	ctx := context.Background()
	if err := e.store.SavePeers(ctx, []accord.Peer{
		{OrgCode: "QUE", PeerCode: "QJ2", Rank: 1, Distance: 0.42},
		{OrgCode: "QUE", PeerCode: "QHG", Rank: 2, Distance: 0.57},
	}); err != nil {
		t.Fatal(err)
	}
	pr := accord.PeerReview{OrgCode: "QUE", OnSiteStart: accord.NewDate(2026, time.March, 2), OnSiteEnd: accord.NewDate(2026, time.March, 4),
		FocusAreas: []accord.FocusArea{{Title: "Flow", IndicatorIDs: []string{"ae_4h_all"}}}}
	if err := e.store.RequestPeerReview(ctx, &pr, e.actor(t, prLead)); err != nil {
		t.Fatal(err)
	}
	b, _ := e.signedIn(t, prRegional)
	_, page := b.get(peerReviewPath(pr.ID))
	i := strings.Index(page, "<h3>Suggested reviewers</h3>")
	if i < 0 {
		t.Fatalf("no suggestions:\n%.3000s", page)
	}
	inOrder(t, page[i:], `data-suggested="QJ2"`, "Statistically similar to NHS Cambridgeshire and Peterborough Integrated Care Board",
		"None found", `data-suggested="QHG"`, "In the same NHS region as")
	_, page = b.get(peerReviewPath(pr.ID) + "?suggest=QHG")
	for _, want := range []string{`<option value="QHG" selected>`, `id="member-chosen-statistically_similar" name="member-chosen" type="radio" value="statistically_similar" checked`,
		`value="same_region_oversight" checked`, "In the same NHS region as"} {
		if !strings.Contains(page, want) {
			t.Errorf("the suggested member's form lacks %q", want)
		}
	}
	i = strings.Index(page, `id="member-why"`)
	if i < 0 || !strings.Contains(page[i:i+400], "Statistically similar to") {
		t.Error("why the member was chosen is not filled in from the evidence")
	}

	_, page = e.browser(t).get(peerReviewPath(e.publishedReview(t, accord.NewDate(2026, time.April, 6), true).ID) + "/pack")
	inOrder(t, page, "<h2>Peers</h2>", "(QJ2)", "0.42", "(QHG)", "0.57")
}
