package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nhs-accord/accord"
)

// Issue 6: who may do what to a peer review and in the learning exchange,
// by role, by whether the review or note is their organisation's own, and,
// for peer reviewers, by whether they are on the review's team and lead it.
// As in role_matrix_test.go, every outcome is written out by hand from the
// rules the issue states (the comments of accord.AuthorizePeerReview,
// accord.CanViewPeerReview and accord.AuthorizePractice), not computed from
// them:
//
//   - the reviewed ICB's lead asks for the review, sets its scope, writes
//     the position statement, responds to findings, and writes and updates
//     the action plan;
//   - national oversight, and regional oversight whose region holds the
//     ICB, form the team: members and conflicts of interest;
//   - the team's members who hold a peer_reviewer grant record findings,
//     draft the report and record the progress review; only the lead
//     reviewer publishes the report;
//   - each stage is moved on (started, done) by whoever owns it, as above;
//   - before publication only the ICB's lead, the team and that oversight
//     see a review; a review someone may not see is not found (404), one
//     they see but may not change is forbidden (403); after publication
//     everyone sees it, so a refusal is 403; a write by nobody signed in is
//     asked to sign in before anything is looked up;
//   - any ICB lead or partner contributor writes practice notes, and records
//     that a note was tried, for their own organisation (the one their
//     grant names, not one within it), and nobody else does; everyone reads
//     notes, so a refusal is 403.
//
// The review is of QUE (East of England, Y61). The team's lead reviewer
// comes from QJ2 (Midlands, Y60), its peer from QHG (East of England); the
// outsider is a peer reviewer from QJ2 too, on no team, so that being on the
// team goes by the person and not by where they work.

// The peer reviewers the review matrix adds to matrixCast.
var (
	reviewerLead    = matrixPerson{"reviewer-lead", "lead.reviewer@qj2.nhs.net", accord.Grant{Role: accord.RolePeerReviewer, OrgCode: "QJ2"}}
	reviewerPeer    = matrixPerson{"reviewer", "reviewer@qhg.nhs.net", accord.Grant{Role: accord.RolePeerReviewer, OrgCode: "QHG"}}
	reviewerOutside = matrixPerson{"outsider", "outsider@qj2.nhs.net", accord.Grant{Role: accord.RolePeerReviewer, OrgCode: "QJ2"}}
)

// peerCast is the columns of the peer review matrix: matrixCast's people,
// then the three peer reviewers above, then nobody signed in.
var peerCast = slices.Concat(matrixCast[:len(matrixCast)-1],
	[]matrixPerson{reviewerLead, reviewerPeer, reviewerOutside}, matrixCast[len(matrixCast)-1:])

// peerCells is one row's outcomes, a cell per person of peerCast in order:
//
//	national, region, region-other, lead, lead-other, partner, partner-other,
//	workforce, workforce-other, patient, patient-other, peer, peer-other,
//	reviewer-lead, reviewer, outsider, anonymous
type peerCells [17]want

// peerAt is what a row acts on: a review of QUE at a point in its stages,
// or a practice note; "" for nothing (a request, a new note).
type peerAt string

const (
	// The request and scope stage in progress; no team.
	atRequested peerAt = "review: scope not yet settled"
	// The scope settled and the team forming: the lead reviewer, the peer
	// (a conflict managed) and a lay peer with no account and a conflict
	// not yet decided.
	atForming peerAt = "review: team forming"
	// As atForming without the lay peer: ready to be settled.
	atTeamReady peerAt = "review: team ready to settle"
	// The team settled and a position statement written, its stage not
	// done.
	atTeamFormed peerAt = "review: position statement written"
	// The position statement done and one finding recorded: the review on
	// site.
	atOnSite peerAt = "review: on site, one finding"
	// The review stage done with a summary: the report ready to publish.
	atReviewed peerAt = "review: report ready to publish"
	// The report published and one action in the plan.
	atPublished peerAt = "review: report published, one action"
	// The action plan agreed: awaiting the progress review.
	atPlanAgreed peerAt = "review: action plan agreed"

	// Practice notes, each written through the store by its own writer.
	noteOfQUE peerAt = "note of QUE"
	noteOfRGT peerAt = "note of RGT"
	noteOfQJ2 peerAt = "note of QJ2"
)

// peerSubject is the review or note a row acts on.
type peerSubject struct {
	review accord.PeerReview
	note   accord.PracticeNote
}

// peerRow is one action on one kind of subject, through one route.
type peerRow struct {
	route  string // the pattern as server.go registers it
	name   string
	at     peerAt
	shared bool // a read: one subject, made first, serves every person
	call   func(mx *matrixEnv, p matrixPerson, s peerSubject) (want, string)
	// done checks, for an allowed write, that it took effect; nil for a
	// read.
	done func(before, after peerState) string
	want peerCells
}

// Who may see a review before it is published: national (0), the region
// (1), the ICB's lead (3), and the team once on it (13, 14).
var peerMatrix = []peerRow{
	// --- Request and scope: the ICB's lead ---
	{"POST /peer-reviews", "page: ask for a peer review of QUE", "", false, postRequest, reviewRequested,
		peerCells{deny, deny, deny, okay, deny, deny, deny, deny, deny, deny, deny, deny, deny, deny, deny, deny, sign}},
	{"POST /peer-reviews/{id}/scope", "page: change the scope before it is settled", atRequested, false, postScope, scopeChanged,
		peerCells{deny, deny, hide, okay, hide, hide, hide, hide, hide, hide, hide, hide, hide, hide, hide, hide, sign}},
	{"POST /peer-reviews/{id}/stages", "page: settle the scope", atRequested, false, postStage(accord.StageRequestAndScope), stageDone(accord.StageRequestAndScope),
		peerCells{deny, deny, hide, okay, hide, hide, hide, hide, hide, hide, hide, hide, hide, hide, hide, hide, sign}},

	// --- Team formation: oversight of the ICB's region, or national ---
	{"POST /peer-reviews/{id}/team", "page: add a member to a forming team", atForming, false, postMember, teamGrew,
		peerCells{okay, okay, hide, deny, hide, hide, hide, hide, hide, hide, hide, hide, hide, deny, deny, hide, sign}},
	{"POST /peer-reviews/{id}/team/{member}/remove", "page: take a member off a forming team", atForming, false, postRemoveMember, teamShrank,
		peerCells{okay, okay, hide, deny, hide, hide, hide, hide, hide, hide, hide, hide, hide, deny, deny, hide, sign}},
	{"POST /peer-reviews/{id}/conflicts", "page: flag a conflict of interest", atForming, false, postFlagConflict, conflictFlagged,
		peerCells{okay, okay, hide, deny, hide, hide, hide, hide, hide, hide, hide, hide, hide, deny, deny, hide, sign}},
	{"POST /peer-reviews/{id}/conflicts/{conflict}", "page: decide a conflict of interest", atForming, false, postDecideConflict, conflictDecided,
		peerCells{okay, okay, hide, deny, hide, hide, hide, hide, hide, hide, hide, hide, hide, deny, deny, hide, sign}},
	{"POST /peer-reviews/{id}/stages", "page: settle the team", atTeamReady, false, postStage(accord.StageTeamFormation), stageDone(accord.StageTeamFormation),
		peerCells{okay, okay, hide, deny, hide, hide, hide, hide, hide, hide, hide, hide, hide, deny, deny, hide, sign}},

	// --- Position statement: the ICB's lead ---
	{"POST /peer-reviews/{id}/position-statement", "page: write the position statement", atTeamFormed, false, postStatement, statementWritten,
		peerCells{deny, deny, hide, okay, hide, hide, hide, hide, hide, hide, hide, hide, hide, deny, deny, hide, sign}},
	{"POST /peer-reviews/{id}/stages", "page: finish the position statement", atTeamFormed, false, postStage(accord.StagePositionStatement), stageDone(accord.StagePositionStatement),
		peerCells{deny, deny, hide, okay, hide, hide, hide, hide, hide, hide, hide, hide, hide, deny, deny, hide, sign}},

	// --- The review on site and the draft report: the team ---
	{"POST /peer-reviews/{id}/findings", "page: record a finding", atOnSite, false, postFinding, findingsGrew,
		peerCells{deny, deny, hide, deny, hide, hide, hide, hide, hide, hide, hide, hide, hide, okay, okay, hide, sign}},
	{"POST /peer-reviews/{id}/findings/{finding}", "page: change a draft finding", atOnSite, false, postUpdateFinding, findingChanged,
		peerCells{deny, deny, hide, deny, hide, hide, hide, hide, hide, hide, hide, hide, hide, okay, okay, hide, sign}},
	{"POST /peer-reviews/{id}/findings/{finding}/delete", "page: delete a draft finding", atOnSite, false, postDeleteFinding, findingsShrank,
		peerCells{deny, deny, hide, deny, hide, hide, hide, hide, hide, hide, hide, hide, hide, okay, okay, hide, sign}},
	{"POST /peer-reviews/{id}/report", "page: draft the report's summary", atOnSite, false, postSummary, summaryWritten,
		peerCells{deny, deny, hide, deny, hide, hide, hide, hide, hide, hide, hide, hide, hide, okay, okay, hide, sign}},
	{"POST /peer-reviews/{id}/stages", "page: finish the review on site", atOnSite, false, postStage(accord.StageReview), stageDone(accord.StageReview),
		peerCells{deny, deny, hide, deny, hide, hide, hide, hide, hide, hide, hide, hide, hide, okay, okay, hide, sign}},

	// --- Publication: the lead reviewer alone ---
	{"POST /peer-reviews/{id}/report/publish", "page: publish the report", atReviewed, false, postPublish, reportPublished,
		peerCells{deny, deny, hide, deny, hide, hide, hide, hide, hide, hide, hide, hide, hide, okay, deny, hide, sign}},

	// --- After publication everyone sees the review: refusals are 403 ---
	{"POST /peer-reviews/{id}/findings/{finding}/responses", "page: respond to a published finding", atPublished, false, postRespond, responded,
		peerCells{deny, deny, deny, okay, deny, deny, deny, deny, deny, deny, deny, deny, deny, deny, deny, deny, sign}},
	{"POST /peer-reviews/{id}/actions", "page: add an action to the plan", atPublished, false, postAction, actionsGrew,
		peerCells{deny, deny, deny, okay, deny, deny, deny, deny, deny, deny, deny, deny, deny, deny, deny, deny, sign}},
	{"POST /peer-reviews/{id}/actions/{action}", "page: change an action of the plan", atPublished, false, postChangeAction, actionChanged,
		peerCells{deny, deny, deny, okay, deny, deny, deny, deny, deny, deny, deny, deny, deny, deny, deny, deny, sign}},
	{"POST /peer-reviews/{id}/stages", "page: agree the action plan", atPublished, false, postStage(accord.StageResponseAndActionPlan), stageDone(accord.StageResponseAndActionPlan),
		peerCells{deny, deny, deny, okay, deny, deny, deny, deny, deny, deny, deny, deny, deny, deny, deny, deny, sign}},
	{"POST /peer-reviews/{id}/actions/{action}/progress", "page: record progress on an action", atPlanAgreed, false, postProgress, progressNoted,
		peerCells{deny, deny, deny, okay, deny, deny, deny, deny, deny, deny, deny, deny, deny, deny, deny, deny, sign}},
	{"POST /peer-reviews/{id}/progress-review", "page: record the progress review", atPlanAgreed, false, postProgressReview, progressReviewed,
		peerCells{deny, deny, deny, deny, deny, deny, deny, deny, deny, deny, deny, deny, deny, okay, okay, deny, sign}},

	// --- Reads: a review nobody may see is not found, even anonymously ---
	{"GET /peer-reviews/{id}", "page: read a review before its scope is settled", atRequested, true, getReviewPage(""), nil,
		peerCells{okay, okay, hide, okay, hide, hide, hide, hide, hide, hide, hide, hide, hide, hide, hide, hide, hide}},
	{"GET /peer-reviews/{id}", "page: read a review with its report drafted", atReviewed, true, getReviewPage(""), nil,
		peerCells{okay, okay, hide, okay, hide, hide, hide, hide, hide, hide, hide, hide, hide, okay, okay, hide, hide}},
	{"GET /peer-reviews/{id}", "page: read a published review", atPublished, true, getReviewPage(""), nil,
		peerCells{okay, okay, okay, okay, okay, okay, okay, okay, okay, okay, okay, okay, okay, okay, okay, okay, okay}},
	{"GET /api/v1/peer-reviews/{id}", "API: read a review before its scope is settled", atRequested, true, getReviewAPI, nil,
		peerCells{okay, okay, hide, okay, hide, hide, hide, hide, hide, hide, hide, hide, hide, hide, hide, hide, hide}},
	{"GET /api/v1/peer-reviews/{id}", "API: read a review with its report drafted", atReviewed, true, getReviewAPI, nil,
		peerCells{okay, okay, hide, okay, hide, hide, hide, hide, hide, hide, hide, hide, hide, okay, okay, hide, hide}},
	{"GET /api/v1/peer-reviews/{id}", "API: read a published review", atPublished, true, getReviewAPI, nil,
		peerCells{okay, okay, okay, okay, okay, okay, okay, okay, okay, okay, okay, okay, okay, okay, okay, okay, okay}},

	{"GET /peer-reviews/{id}/pack", "page: read the data pack of a review with its report drafted", atReviewed, true, getReviewPage("/pack"), nil,
		peerCells{okay, okay, hide, okay, hide, hide, hide, hide, hide, hide, hide, hide, hide, okay, okay, hide, hide}},
	{"GET /peer-reviews", "page: list a review with its report drafted", atReviewed, true, pageReviewListed, nil,
		peerCells{okay, okay, hide, okay, hide, hide, hide, hide, hide, hide, hide, hide, hide, okay, okay, hide, hide}},
	{"GET /peer-reviews", "page: list a published review", atPublished, true, pageReviewListed, nil,
		peerCells{okay, okay, okay, okay, okay, okay, okay, okay, okay, okay, okay, okay, okay, okay, okay, okay, okay}},
	{"GET /api/v1/peer-reviews", "API: list a review before its scope is settled", atRequested, true, apiReviewListed, nil,
		peerCells{okay, okay, hide, okay, hide, hide, hide, hide, hide, hide, hide, hide, hide, hide, hide, hide, hide}},
	{"GET /api/v1/peer-reviews", "API: list a review with its report drafted", atReviewed, true, apiReviewListed, nil,
		peerCells{okay, okay, hide, okay, hide, hide, hide, hide, hide, hide, hide, hide, hide, okay, okay, hide, hide}},
	{"GET /api/v1/peer-reviews", "API: list a published review", atPublished, true, apiReviewListed, nil,
		peerCells{okay, okay, okay, okay, okay, okay, okay, okay, okay, okay, okay, okay, okay, okay, okay, okay, okay}},

	// --- The pages that hold only a form: as the form's own write ---
	{"GET /peer-reviews/new", "page: the form to ask for a review of QUE", "", true, getPage("/peer-reviews/new?organisation=QUE"), nil,
		peerCells{deny, deny, deny, okay, deny, deny, deny, deny, deny, deny, deny, deny, deny, deny, deny, deny, sign}},
	{"GET /peer-reviews/{id}/scope", "page: the form to change the scope", atRequested, true, getReviewPage("/scope"), nil,
		peerCells{deny, deny, hide, okay, hide, hide, hide, hide, hide, hide, hide, hide, hide, hide, hide, hide, sign}},
	{"GET /peer-reviews/{id}/findings/new", "page: the form to record a finding", atOnSite, true, getReviewPage("/findings/new"), nil,
		peerCells{deny, deny, hide, deny, hide, hide, hide, hide, hide, hide, hide, hide, hide, okay, okay, hide, sign}},
	{"GET /peer-reviews/{id}/findings/{finding}/edit", "page: the form to change a draft finding", atOnSite, true, getFindingEdit, nil,
		peerCells{deny, deny, hide, deny, hide, hide, hide, hide, hide, hide, hide, hide, hide, okay, okay, hide, sign}},
	{"GET /peer-reviews/{id}/actions/new", "page: the form to add an action", atPublished, true, getReviewPage("/actions/new"), nil,
		peerCells{deny, deny, deny, okay, deny, deny, deny, deny, deny, deny, deny, deny, deny, deny, deny, deny, sign}},
	{"GET /peer-reviews/{id}/actions/{action}/edit", "page: the form to change an action", atPublished, true, getActionEdit, nil,
		peerCells{deny, deny, deny, okay, deny, deny, deny, deny, deny, deny, deny, deny, deny, deny, deny, deny, sign}},
	{"GET /practice/new", "page: the form to write a note", "", true, getPage("/practice/new"), nil,
		peerCells{deny, deny, deny, okay, okay, okay, okay, deny, deny, deny, deny, deny, deny, deny, deny, deny, sign}},
	{"GET /practice/{id}/edit", "page: the form to edit a note of QUE", noteOfQUE, true, getNoteEdit, nil,
		peerCells{deny, deny, deny, okay, deny, deny, deny, deny, deny, deny, deny, deny, deny, deny, deny, deny, sign}},

	// --- The learning exchange: ICB leads and partners, for their own ---
	{"POST /practice", "page: write a note for your own organisation", "", false, postNote(ownOrg), noteWritten,
		peerCells{deny, deny, deny, okay, okay, okay, okay, deny, deny, deny, deny, deny, deny, deny, deny, deny, sign}},
	{"POST /practice", "page: write a note for QUE", "", false, postNote(func(matrixPerson) string { return "QUE" }), noteWritten,
		peerCells{deny, deny, deny, okay, deny, deny, deny, deny, deny, deny, deny, deny, deny, deny, deny, deny, sign}},
	{"POST /practice/{id}/edit", "page: edit a note of QUE", noteOfQUE, false, postEditNote, noteEdited,
		peerCells{deny, deny, deny, okay, deny, deny, deny, deny, deny, deny, deny, deny, deny, deny, deny, deny, sign}},
	{"POST /practice/{id}/edit", "page: edit a note of RGT, a trust in QUE", noteOfRGT, false, postEditNote, noteEdited,
		peerCells{deny, deny, deny, deny, deny, okay, deny, deny, deny, deny, deny, deny, deny, deny, deny, deny, sign}},
	{"POST /practice/{id}/tried-elsewhere", "page: record that your own organisation tried QJ2's note", noteOfQJ2, false, postTried(ownOrg), triedRecorded,
		peerCells{deny, deny, deny, okay, okay, okay, okay, deny, deny, deny, deny, deny, deny, deny, deny, deny, sign}},
	{"POST /practice/{id}/tried-elsewhere", "page: record that 06H, within QUE, tried QJ2's note", noteOfQJ2, false, postTried(func(matrixPerson) string { return "06H" }), triedRecorded,
		peerCells{deny, deny, deny, deny, deny, deny, deny, deny, deny, deny, deny, deny, deny, deny, deny, deny, sign}},
}

// noteAuthorQJ2 writes QJ2's note; nobody in the cast writes for QJ2, so
// every column may try it as another organisation.
const noteAuthorQJ2 = "lead@qj2.nhs.net"

// newPeerMatrixEnv is newMatrixEnv with the reviewers' organisations and
// the three peer reviewers, signed in and with tokens.
func newPeerMatrixEnv(t *testing.T) *matrixEnv {
	t.Helper()
	mx := newMatrixEnv(t)
	if err := mx.store.UpsertOrganisations(context.Background(), []accord.Organisation{
		{Code: "QHG", Name: "NHS Bedfordshire, Luton and Milton Keynes Integrated Care Board", Type: accord.OrgICB, ParentCode: "Y61"},
		{Code: "Y60", Name: "Midlands", Type: accord.OrgRegion, ParentCode: accord.EnglandCode},
		{Code: "QJ2", Name: "NHS Derby and Derbyshire Integrated Care Board", Type: accord.OrgICB, ParentCode: "Y60"},
	}); err != nil {
		t.Fatal(err)
	}
	for _, p := range []matrixPerson{reviewerLead, reviewerPeer, reviewerOutside} {
		mx.addUser(t, p.email, p.key, p.grant)
		mx.browsers[p.key], mx.csrf[p.key] = mx.signedIn(t, p.email)
		mx.tokens[p.key] = mx.tokenFor(t, p.email)
	}
	mx.addUser(t, noteAuthorQJ2, "Derby lead", accord.Grant{Role: accord.RoleICBLead, OrgCode: "QJ2"})
	return mx
}

// The review's days on site: after the test server's day (22 November
// 2025), so the forms accept them, and before the store's, so every stage
// may be done today.
var (
	matrixOnSiteStart = accord.NewDate(2026, time.March, 2)
	matrixOnSiteEnd   = accord.NewDate(2026, time.March, 4)
)

// subject makes what a row acts on, through the store, each step by whoever
// the rules let take it.
func (mx *matrixEnv) subject(at peerAt) peerSubject {
	t := mx.t
	t.Helper()
	ctx := context.Background()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("making %s: %v", at, err)
		}
	}
	switch at {
	case "":
		return peerSubject{}
	case noteOfQUE, noteOfRGT, noteOfQJ2:
		author := map[peerAt]string{noteOfQUE: "lead@que.nhs.net", noteOfRGT: "partner@rgt.nhs.net", noteOfQJ2: noteAuthorQJ2}[at]
		by := mx.actor(t, author)
		n := accord.PracticeNote{OrgCode: by.OrgCode, Title: "Discharge to assess", Topics: []string{"discharge"},
			Problem: "Patients waited days to leave.", Tried: "A discharge team at weekends.", Happened: "Weekend discharges rose."}
		must(mx.store.CreatePracticeNote(ctx, &n, by))
		return peerSubject{note: n}
	}
	levels := []peerAt{atRequested, atForming, atTeamReady, atTeamFormed, atOnSite, atReviewed, atPublished, atPlanAgreed}
	level := slices.Index(levels, at)
	if level < 0 {
		t.Fatalf("no way to make %q", at)
	}
	reached := func(l peerAt) bool { return level >= slices.Index(levels, l) }
	lead, region := mx.lead(), mx.actor(t, "east@england.nhs.uk")
	rl, rp := mx.actor(t, reviewerLead.email), mx.actor(t, reviewerPeer.email)
	move := func(id int64, n accord.StageName, by accord.Actor) {
		t.Helper()
		_, err := mx.store.MoveStage(ctx, id, n, accord.StageDone, accord.Date{}, by)
		must(err)
	}

	pr := accord.PeerReview{OrgCode: "QUE", OnSiteStart: matrixOnSiteStart, OnSiteEnd: matrixOnSiteEnd,
		FocusAreas: []accord.FocusArea{{Title: "Flow through urgent and emergency care", IndicatorIDs: []string{"ae_4h_all"}}}}
	must(mx.store.RequestPeerReview(ctx, &pr, lead))
	id := pr.ID
	if reached(atForming) {
		move(id, accord.StageRequestAndScope, lead)
		must(mx.store.AddTeamMember(ctx, id, &accord.TeamMember{UserID: rl.UserID, Name: "Rhea Reviewer", HomeOrg: "QJ2",
			Role: accord.TeamLeadReviewer, ChosenFor: accord.ChosenMostImproved, Why: "Most improved on A&E waits."}, region))
		must(mx.store.AddTeamMember(ctx, id, &accord.TeamMember{UserID: rp.UserID, Name: "Pete Peer", HomeOrg: "QHG",
			Role: accord.TeamPeer, ChosenFor: accord.ChosenStatisticallySimilar, Why: "A nearest peer.",
			Conflicts: []accord.Conflict{{Kind: accord.ConflictSameRegionOversight, Declared: "Same region as QUE.",
				Decision: accord.ConflictManaged, DecisionNote: "Does not review the region's own targets."}}}, region))
	}
	if at == atForming {
		must(mx.store.AddTeamMember(ctx, id, &accord.TeamMember{Name: "Lou Lay", HomeOrg: "QHG", Role: accord.TeamLayPeer,
			ChosenFor: accord.ChosenExpertise, Why: "Chairs a patient panel.",
			Conflicts: []accord.Conflict{{Kind: accord.ConflictOther, Declared: "A patient of RGT."}}}, region))
	}
	if reached(atTeamFormed) {
		move(id, accord.StageTeamFormation, region)
		_, err := mx.store.WritePositionStatement(ctx, id, "Our flow is stuck, and we want help with it.", lead)
		must(err)
	}
	if reached(atOnSite) {
		move(id, accord.StagePositionStatement, lead)
		must(mx.store.RecordFinding(ctx, id, &accord.Finding{ThemeID: "capacity_to_improve", Rating: accord.RatingAreaForImprovement,
			Text: "Four-hour performance has not moved in a year.", Recommendation: "Agree one flow plan.",
			Evidence: []accord.Evidence{{IndicatorID: "ae_4h_all", OrgCode: "QUE"}}}, rp))
	}
	if reached(atReviewed) {
		move(id, accord.StageReview, rl)
		_, err := mx.store.SaveReportSummary(ctx, id, "A system that knows where it is stuck.", rl)
		must(err)
	}
	if reached(atPublished) {
		_, err := mx.store.PublishReport(ctx, id, accord.Date{}, rl)
		must(err)
		must(mx.store.SaveAction(ctx, id, &accord.ReviewAction{Title: "One flow plan", OwnerName: "Director of Urgent Care",
			OwnerOrg: "QUE", Due: accord.NewDate(2027, time.March, 31), Status: accord.ActionPlanned,
			IndicatorIDs: []string{"ae_4h_all"}}, lead))
	}
	if reached(atPlanAgreed) {
		move(id, accord.StageResponseAndActionPlan, lead)
	}
	pr, err := mx.store.FindPeerReview(ctx, id)
	must(err)
	return peerSubject{review: pr}
}

// peerState is everything a refused request must leave as it was: the
// audit log's length, how many reviews and notes there are, and the
// subject as the store finds it (in JSON, to compare; and decoded, for
// the checks of what an allowed write did).
type peerState struct {
	audit, reviews, notes int
	reviewJSON, noteJSON  string
	review                accord.PeerReview
	note                  accord.PracticeNote
}

func (s peerState) same(o peerState) bool {
	return s.audit == o.audit && s.reviews == o.reviews && s.notes == o.notes && s.reviewJSON == o.reviewJSON && s.noteJSON == o.noteJSON
}

func (s peerState) String() string {
	return fmt.Sprintf("audit %d, reviews %d, notes %d\n  review %s\n  note %s", s.audit, s.reviews, s.notes, s.reviewJSON, s.noteJSON)
}

func (mx *matrixEnv) peerState(sub peerSubject) peerState {
	t := mx.t
	t.Helper()
	ctx := context.Background()
	var s peerState
	var err error
	if _, s.audit, err = mx.store.FindAudit(ctx, accord.AuditFilter{Limit: 1}); err != nil {
		t.Fatal(err)
	}
	// Only the counts: a page far past the last loads no review or note.
	if _, s.reviews, err = mx.store.FindPeerReviews(ctx, accord.PeerReviewFilter{Offset: 1 << 30, Limit: 1}); err != nil {
		t.Fatal(err)
	}
	if _, s.notes, err = mx.store.FindPracticeNotes(ctx, accord.PracticeNoteFilter{Offset: 1 << 30, Limit: 1}); err != nil {
		t.Fatal(err)
	}
	if sub.review.ID != 0 {
		if s.review, err = mx.store.FindPeerReview(ctx, sub.review.ID); err != nil {
			t.Fatal(err)
		}
		b, err := json.Marshal(s.review)
		if err != nil {
			t.Fatal(err)
		}
		s.reviewJSON = string(b)
	}
	if sub.note.ID != 0 {
		if s.note, err = mx.store.FindPracticeNote(ctx, sub.note.ID); err != nil {
			t.Fatal(err)
		}
		b, err := json.Marshal(s.note)
		if err != nil {
			t.Fatal(err)
		}
		s.noteJSON = string(b)
	}
	return s
}

// --- What an allowed write must have done ---

// auditedOnce is "" when exactly one entry reached the audit log, as each
// write to a review or note records one, else what is wrong.
func auditedOnce(before, after peerState) string {
	if after.audit != before.audit+1 {
		return fmt.Sprintf("the audit log grew by %d, not 1", after.audit-before.audit)
	}
	return ""
}

// checked is a done check: the audit entry, then what the write changed.
func checked(what func(before, after peerState) string) func(before, after peerState) string {
	return func(before, after peerState) string {
		if msg := auditedOnce(before, after); msg != "" {
			return msg
		}
		return what(before, after)
	}
}

func counted(what string, before, after int, by int) string {
	if after != before+by {
		return fmt.Sprintf("%d %s after, %d before", after, what, before)
	}
	return ""
}

var reviewRequested = checked(func(b, a peerState) string { return counted("reviews", b.reviews, a.reviews, 1) })

var scopeChanged = checked(func(b, a peerState) string {
	if len(a.review.FocusAreas) != 2 || a.review.FocusAreas[1].Title != "Waiting for planned care" {
		return fmt.Sprintf("the focus areas are %+v", a.review.FocusAreas)
	}
	return ""
})

func stageDone(name accord.StageName) func(before, after peerState) string {
	return checked(func(_, a peerState) string {
		if st, _ := a.review.Stage(name); st.State != accord.StageDone {
			return fmt.Sprintf("the %s stage is %s", name, st.State)
		}
		return ""
	})
}

var teamGrew = checked(func(b, a peerState) string { return counted("members", len(b.review.Team), len(a.review.Team), 1) })

var teamShrank = checked(func(b, a peerState) string { return counted("members", len(b.review.Team), len(a.review.Team), -1) })

func conflicts(r accord.PeerReview, decided bool) int {
	n := 0
	for _, m := range r.Team {
		for _, c := range m.Conflicts {
			if (c.Decision != accord.ConflictUndecided) == decided {
				n++
			}
		}
	}
	return n
}

var conflictFlagged = checked(func(b, a peerState) string {
	return counted("undecided conflicts", conflicts(b.review, false), conflicts(a.review, false), 1)
})

var conflictDecided = checked(func(b, a peerState) string {
	return counted("decided conflicts", conflicts(b.review, true), conflicts(a.review, true), 1)
})

const matrixStatement = "We know our flow is stuck. Written by the matrix."

var statementWritten = checked(func(_, a peerState) string {
	if a.review.PositionStatement != matrixStatement {
		return fmt.Sprintf("the position statement is %q", a.review.PositionStatement)
	}
	return ""
})

var findingsGrew = checked(func(b, a peerState) string {
	return counted("findings", len(b.review.Findings), len(a.review.Findings), 1)
})

var findingsShrank = checked(func(b, a peerState) string {
	return counted("findings", len(b.review.Findings), len(a.review.Findings), -1)
})

const matrixFindingText = "Four-hour performance has not moved in a year, though demand has."

var findingChanged = checked(func(b, a peerState) string {
	if len(a.review.Findings) != 1 || a.review.Findings[0].Text != matrixFindingText {
		return fmt.Sprintf("the findings are %+v", a.review.Findings)
	}
	return ""
})

const matrixSummary = "Summary drafted by the matrix."

var summaryWritten = checked(func(_, a peerState) string {
	if a.review.Report.Summary != matrixSummary {
		return fmt.Sprintf("the summary is %q", a.review.Report.Summary)
	}
	return ""
})

var reportPublished = checked(func(_, a peerState) string {
	if !a.review.Published() {
		return "the report is not published"
	}
	return ""
})

func responses(r accord.PeerReview) int {
	n := 0
	for _, f := range r.Findings {
		n += len(f.Responses)
	}
	return n
}

var responded = checked(func(b, a peerState) string { return counted("responses", responses(b.review), responses(a.review), 1) })

var actionsGrew = checked(func(b, a peerState) string {
	return counted("actions", len(b.review.Actions), len(a.review.Actions), 1)
})

const matrixActionTitle = "One flow plan, agreed by every partner"

var actionChanged = checked(func(_, a peerState) string {
	if len(a.review.Actions) != 1 || a.review.Actions[0].Title != matrixActionTitle {
		return fmt.Sprintf("the actions are %+v", a.review.Actions)
	}
	return ""
})

var progressNoted = checked(func(b, a peerState) string {
	if len(a.review.Actions) != 1 {
		return fmt.Sprintf("the actions are %+v", a.review.Actions)
	}
	return counted("notes of progress", len(b.review.Actions[0].Notes), len(a.review.Actions[0].Notes), 1)
})

var progressReviewed = checked(func(_, a peerState) string {
	if a.review.Progress == nil || a.review.State() != accord.PeerReviewClosed {
		return fmt.Sprintf("the progress review is %+v and the review %s", a.review.Progress, a.review.State())
	}
	return ""
})

var noteWritten = checked(func(b, a peerState) string { return counted("notes", b.notes, a.notes, 1) })

var noteEdited = checked(func(b, a peerState) string {
	if a.note.Version != b.note.Version+1 || a.note.Title != "Weekend discharge team" {
		return fmt.Sprintf("the note is at version %d, titled %q (version %d before)", a.note.Version, a.note.Title, b.note.Version)
	}
	return ""
})

var triedRecorded = checked(func(b, a peerState) string {
	return counted("records of tried elsewhere", len(b.note.TriedElsewhere), len(a.note.TriedElsewhere), 1)
})

// --- Requests ---

func reviewPath(s peerSubject, rest string) string { return peerReviewPath(s.review.ID) + rest }

// scopeForm is the request form for QUE, on site on the matrix's days, with
// the focus areas given (title, indicator).
func scopeForm(areas ...[2]string) url.Values {
	form := url.Values{"organisation": {"QUE"},
		"on_site_start-day": {strconv.Itoa(matrixOnSiteStart.Day())}, "on_site_start-month": {strconv.Itoa(int(matrixOnSiteStart.Month()))},
		"on_site_start-year": {strconv.Itoa(matrixOnSiteStart.Year())},
		"on_site_end-day":    {strconv.Itoa(matrixOnSiteEnd.Day())}, "on_site_end-month": {strconv.Itoa(int(matrixOnSiteEnd.Month()))},
		"on_site_end-year": {strconv.Itoa(matrixOnSiteEnd.Year())}}
	for i, a := range areas {
		form.Set(fmt.Sprintf("focus-%d-title", i+1), a[0])
		form.Set(fmt.Sprintf("focus-%d-indicator-1", i+1), a[1])
	}
	return form
}

func postRequest(mx *matrixEnv, p matrixPerson, _ peerSubject) (want, string) {
	return mx.post(p, "/peer-reviews", scopeForm([2]string{"Flow through urgent and emergency care", "ae_4h_all"}))
}

func postScope(mx *matrixEnv, p matrixPerson, s peerSubject) (want, string) {
	return mx.post(p, reviewPath(s, "/scope"), scopeForm([2]string{"Flow through urgent and emergency care", "ae_4h_all"},
		[2]string{"Waiting for planned care", "smoking_prevalence"}))
}

func postStage(name accord.StageName) func(*matrixEnv, matrixPerson, peerSubject) (want, string) {
	return func(mx *matrixEnv, p matrixPerson, s peerSubject) (want, string) {
		return mx.post(p, reviewPath(s, "/stages"), moveForm(name, accord.StageDone))
	}
}

func postMember(mx *matrixEnv, p matrixPerson, s peerSubject) (want, string) {
	return mx.post(p, reviewPath(s, "/team"), url.Values{"member-name": {"Cal Clinician"}, "member-home": {"QHG"},
		"member-role": {"clinical_peer"}, "member-chosen": {"expertise"}, "member-why": {"An emergency physician."}})
}

// member is the subject's team member in role.
func (mx *matrixEnv) member(s peerSubject, role accord.TeamRole) accord.TeamMember {
	for _, m := range s.review.Team {
		if m.Role == role {
			return m
		}
	}
	mx.t.Fatalf("no %s on the team of %+v", role, s.review.Team)
	return accord.TeamMember{}
}

func postRemoveMember(mx *matrixEnv, p matrixPerson, s peerSubject) (want, string) {
	lay := mx.member(s, accord.TeamLayPeer)
	return mx.post(p, reviewPath(s, fmt.Sprintf("/team/%d/remove", lay.ID)), url.Values{"reason": {"Not needed on site."}})
}

func postFlagConflict(mx *matrixEnv, p matrixPerson, s peerSubject) (want, string) {
	lead := mx.member(s, accord.TeamLeadReviewer)
	return mx.post(p, reviewPath(s, "/conflicts"), url.Values{"conflict-member": {strconv.FormatInt(lead.ID, 10)},
		"conflict-kind": {"other"}, "conflict-declared": {"Worked at QUE until 2023."}})
}

func postDecideConflict(mx *matrixEnv, p matrixPerson, s peerSubject) (want, string) {
	lay := mx.member(s, accord.TeamLayPeer)
	if len(lay.Conflicts) != 1 || lay.Conflicts[0].Decision != accord.ConflictUndecided {
		mx.t.Fatalf("the lay peer's conflicts: %+v", lay.Conflicts)
	}
	n := strconv.FormatInt(lay.Conflicts[0].ID, 10)
	return mx.post(p, reviewPath(s, "/conflicts/"+n), url.Values{"decision-" + n: {"managed"},
		"decision-note-" + n: {"Does not look at RGT's own services."}})
}

func postStatement(mx *matrixEnv, p matrixPerson, s peerSubject) (want, string) {
	return mx.post(p, reviewPath(s, "/position-statement"), url.Values{"position_statement": {matrixStatement}})
}

func findingForm(text string) url.Values {
	return url.Values{"under": {"theme:capacity_to_improve"}, "rating": {"area_for_improvement"}, "text": {text},
		"recommendation": {"Agree one flow plan across the system."}, "evidence-1-indicator": {"ae_4h_all"}, "evidence-1-organisation": {"QUE"}}
}

// finding is the subject's one finding.
func (mx *matrixEnv) finding(s peerSubject) accord.Finding {
	if len(s.review.Findings) != 1 {
		mx.t.Fatalf("the findings: %+v", s.review.Findings)
	}
	return s.review.Findings[0]
}

func postFinding(mx *matrixEnv, p matrixPerson, s peerSubject) (want, string) {
	return mx.post(p, reviewPath(s, "/findings"), findingForm("Partners talk to one another."))
}

func postUpdateFinding(mx *matrixEnv, p matrixPerson, s peerSubject) (want, string) {
	return mx.post(p, reviewPath(s, fmt.Sprintf("/findings/%d", mx.finding(s).ID)), findingForm(matrixFindingText))
}

func postDeleteFinding(mx *matrixEnv, p matrixPerson, s peerSubject) (want, string) {
	return mx.post(p, reviewPath(s, fmt.Sprintf("/findings/%d/delete", mx.finding(s).ID)), url.Values{"reason": {"Said twice."}})
}

func postSummary(mx *matrixEnv, p matrixPerson, s peerSubject) (want, string) {
	return mx.post(p, reviewPath(s, "/report"), url.Values{"summary": {matrixSummary}})
}

func postPublish(mx *matrixEnv, p matrixPerson, s peerSubject) (want, string) {
	return mx.post(p, reviewPath(s, "/report/publish"), url.Values{})
}

func postRespond(mx *matrixEnv, p matrixPerson, s peerSubject) (want, string) {
	n := strconv.FormatInt(mx.finding(s).ID, 10)
	return mx.post(p, reviewPath(s, "/findings/"+n+"/responses"), url.Values{"response-" + n: {"We accept this and have one flow plan."}})
}

func actionForm(title string) url.Values {
	return url.Values{"title": {title}, "owner_name": {"Director of Urgent Care"}, "owner_organisation": {"QUE"},
		"due-day": {"31"}, "due-month": {"3"}, "due-year": {"2027"}, "status": {"planned"}, "indicators": {"ae_4h_all"}}
}

// action is the subject's one action.
func (mx *matrixEnv) action(s peerSubject) accord.ReviewAction {
	if len(s.review.Actions) != 1 {
		mx.t.Fatalf("the actions: %+v", s.review.Actions)
	}
	return s.review.Actions[0]
}

func postAction(mx *matrixEnv, p matrixPerson, s peerSubject) (want, string) {
	return mx.post(p, reviewPath(s, "/actions"), actionForm("Discharge before noon"))
}

func postChangeAction(mx *matrixEnv, p matrixPerson, s peerSubject) (want, string) {
	return mx.post(p, reviewPath(s, fmt.Sprintf("/actions/%d", mx.action(s).ID)), actionForm(matrixActionTitle))
}

func postProgress(mx *matrixEnv, p matrixPerson, s peerSubject) (want, string) {
	n := strconv.FormatInt(mx.action(s).ID, 10)
	return mx.post(p, reviewPath(s, "/actions/"+n+"/progress"), url.Values{"status-" + n: {"in_progress"},
		"note-" + n: {"Every partner has signed the plan."}})
}

// postProgressReview holds the progress review on the day the action plan
// was agreed: not before it, and not in the future by the store's clock.
func postProgressReview(mx *matrixEnv, p matrixPerson, s peerSubject) (want, string) {
	plan, _ := s.review.Stage(accord.StageResponseAndActionPlan)
	on := plan.Completed
	n := strconv.FormatInt(mx.action(s).ID, 10)
	return mx.post(p, reviewPath(s, "/progress-review"), url.Values{"progress-day": {strconv.Itoa(on.Day())},
		"progress-month": {strconv.Itoa(int(on.Month()))}, "progress-year": {strconv.Itoa(on.Year())},
		"progress-summary": {"Flow has improved, but not enough."}, "assess-" + n: {"on_track"}, "assess-" + n + "-comment": {"Plan agreed."}})
}

func getPage(path string) func(*matrixEnv, matrixPerson, peerSubject) (want, string) {
	return func(mx *matrixEnv, p matrixPerson, _ peerSubject) (want, string) {
		return pageOutcome(mx.browsers[p.key].get(path))
	}
}

func getReviewPage(rest string) func(*matrixEnv, matrixPerson, peerSubject) (want, string) {
	return func(mx *matrixEnv, p matrixPerson, s peerSubject) (want, string) {
		return pageOutcome(mx.browsers[p.key].get(reviewPath(s, rest)))
	}
}

func getFindingEdit(mx *matrixEnv, p matrixPerson, s peerSubject) (want, string) {
	return pageOutcome(mx.browsers[p.key].get(reviewPath(s, fmt.Sprintf("/findings/%d/edit", mx.finding(s).ID))))
}

func getActionEdit(mx *matrixEnv, p matrixPerson, s peerSubject) (want, string) {
	return pageOutcome(mx.browsers[p.key].get(reviewPath(s, fmt.Sprintf("/actions/%d/edit", mx.action(s).ID))))
}

func getNoteEdit(mx *matrixEnv, p matrixPerson, s peerSubject) (want, string) {
	return pageOutcome(mx.browsers[p.key].get(practicePath(s.note.ID) + "/edit"))
}

// reviewListQuery selects the reviews of QUE at the subject's current
// stage: few enough, however many the writes add, for the subject to be on
// the first page of the programme, newest first.
func reviewListQuery(s peerSubject) string {
	st, _ := s.review.CurrentStage()
	return "organisation=QUE&stage=" + string(st.Name)
}

func pageReviewListed(mx *matrixEnv, p matrixPerson, s peerSubject) (want, string) {
	res, b := mx.browsers[p.key].get("/peer-reviews?" + reviewListQuery(s))
	if res.StatusCode != http.StatusOK {
		return "", fmt.Sprintf("%d\n%s", res.StatusCode, b)
	}
	if strings.Contains(b, fmt.Sprintf(`data-review="%d"`, s.review.ID)) {
		return okay, ""
	}
	return hide, ""
}

func apiReviewListed(mx *matrixEnv, p matrixPerson, s peerSubject) (want, string) {
	req := httptest.NewRequest(http.MethodGet, "/api/v1/peer-reviews?limit=1000&"+reviewListQuery(s), nil)
	if tok := mx.tokens[p.key]; tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	rec := httptest.NewRecorder()
	mx.handler.ServeHTTP(rec, req)
	var l list[peerReviewJSON]
	if err := json.Unmarshal(rec.Body.Bytes(), &l); rec.Code != http.StatusOK || err != nil {
		return "", fmt.Sprintf("%d %v %s", rec.Code, err, rec.Body)
	}
	if l.Total > len(l.Items) {
		return "", fmt.Sprintf("%d reviews, %d listed: the query is too wide", l.Total, len(l.Items))
	}
	if slices.ContainsFunc(l.Items, func(x peerReviewJSON) bool { return x.ID == s.review.ID }) {
		return okay, ""
	}
	return hide, ""
}

func getReviewAPI(mx *matrixEnv, p matrixPerson, s peerSubject) (want, string) {
	return mx.apiCall(p, http.MethodGet, fmt.Sprintf("/api/v1/peer-reviews/%d", s.review.ID), "", nil)
}

// ownOrg is the organisation the person's grant names; "" for nobody.
func ownOrg(p matrixPerson) string { return p.grant.OrgCode }

func matrixNoteForm(org string) url.Values {
	return url.Values{"organisation": {org}, "title": {"Weekend discharge team"}, "topics": {"discharge, weekends"},
		"problem": {"Patients waited over the weekend to go home."}, "tried": {"A discharge team on Saturdays and Sundays."},
		"happened": {"Weekend discharges rose by a third."}, "evidence_rows": {"0"}}
}

func postNote(org func(matrixPerson) string) func(*matrixEnv, matrixPerson, peerSubject) (want, string) {
	return func(mx *matrixEnv, p matrixPerson, _ peerSubject) (want, string) {
		return mx.post(p, "/practice", matrixNoteForm(org(p)))
	}
}

func postEditNote(mx *matrixEnv, p matrixPerson, s peerSubject) (want, string) {
	form := matrixNoteForm(s.note.OrgCode)
	form.Set("version", strconv.Itoa(s.note.Version))
	return mx.post(p, practicePath(s.note.ID)+"/edit", form)
}

func postTried(org func(matrixPerson) string) func(*matrixEnv, matrixPerson, peerSubject) (want, string) {
	return func(mx *matrixEnv, p matrixPerson, s peerSubject) (want, string) {
		return mx.post(p, practicePath(s.note.ID)+"/tried-elsewhere", url.Values{"te-organisation": {org(p)},
			"te-by": {"The discharge team"}, "te-when-day": {"1"}, "te-when-month": {"10"}, "te-when-year": {"2025"},
			"te-result": {"Weekend discharges rose by a fifth."}, "te-verdict": {"common_cause"}})
	}
}

// TestRoleMatrixPeerReviewsAndPractice runs the peer review and learning
// exchange rows as TestRoleMatrix runs the targets'.
func TestRoleMatrixPeerReviewsAndPractice(t *testing.T) {
	parent := t
	mx := newPeerMatrixEnv(t)
	if len(peerCast) != len(peerCells{}) {
		t.Fatalf("%d people, %d cells a row", len(peerCast), len(peerCells{}))
	}
	// The reads' subjects come first, each made once.
	shared := map[peerAt]peerSubject{}
	for _, row := range peerMatrix {
		if _, ok := shared[row.at]; row.shared && !ok {
			shared[row.at] = mx.subject(row.at)
		}
	}
	for _, row := range peerMatrix {
		t.Run(row.name, func(t *testing.T) {
			mx.use(t)
			defer mx.use(parent)
			// A write's subject serves each person in turn until one
			// changes it; the next person gets a fresh one.
			// What one person left is what the next finds, unless the
			// subject is made afresh.
			var sub peerSubject
			var before peerState
			fresh := true
			for i, p := range peerCast {
				switch {
				case fresh && row.shared:
					sub, fresh = shared[row.at], false
					before = mx.peerState(sub)
				case fresh:
					sub, fresh = mx.subject(row.at), false
					before = mx.peerState(sub)
				}
				got, odd := row.call(mx, p, sub)
				after := mx.peerState(sub)
				switch {
				case odd != "":
					t.Errorf("%s: want %s, got an unexpected answer: %.3000s", p.key, row.want[i], odd)
				case got != row.want[i]:
					t.Errorf("%s: %s, want %s", p.key, got, row.want[i])
				}
				switch {
				case got == okay && row.done != nil:
					if msg := row.done(before, after); msg != "" {
						t.Errorf("%s: allowed, but %s", p.key, msg)
					}
				case !after.same(before):
					t.Errorf("%s: %s, yet something changed:\nbefore %s\nafter  %s", p.key, got, before, after)
				}
				if !after.same(before) && !row.shared {
					fresh = true
				}
				before = after
			}
		})
	}
}
