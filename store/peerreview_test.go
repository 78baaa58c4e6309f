package store

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"testing"

	accord "github.com/nhs-accord/accord"
)

func TestPeerReview(t *testing.T) {
	cases := []struct {
		name string
		run  func(t *testing.T, open factory)
	}{
		{"Journey", testPeerReviewJourney},
		{"RefusedStepsWriteNothing", testPeerReviewRefusals},
		{"RequestChecks", testPeerReviewRequestChecks},
		{"TeamChecks", testPeerReviewTeamChecks},
		{"Find", testPeerReviewFind},
		{"PublishedFindingsStand", testPeerReviewFindingsStand},
		{"OtherReviewsRecords", testPeerReviewOtherReviewsRecords},
		{"PublishNeedsAFinding", testPeerReviewPublishNeedsAFinding},
		{"EnteredAfterTheEvent", testPeerReviewBackdated},
		{"RequestedOnAPastDay", testPeerReviewRequestedEarlier},
	}
	forEachEngine(t, func(t *testing.T, open factory) {
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				t.Parallel()
				c.run(t, open)
			})
		}
	})
}

func regionalOf(region string) accord.Actor {
	return accord.Actor{Email: "oversight@" + region + ".england.nhs.uk", Name: "Regional team " + region,
		Role: accord.RoleRegionalOversight, OrgCode: region}
}

// reviewDates are days on site 120 days ago, so that every stage may be
// done by today and the stages due before today are overdue.
func reviewDates() (start, end accord.Date) {
	today := deadlineToday()
	return accord.Date{Time: today.AddDate(0, 0, -120)}, accord.Date{Time: today.AddDate(0, 0, -117)}
}

// requestReview stores a review of org with one focus area on RTT.
func requestReview(t *testing.T, db *DB, org string) accord.PeerReview {
	t.Helper()
	start, end := reviewDates()
	r := accord.PeerReview{OrgCode: org, OnSiteStart: start, OnSiteEnd: end,
		FocusAreas: []accord.FocusArea{{Title: "Elective recovery", IndicatorIDs: []string{"rtt_18w"}}}}
	if err := db.RequestPeerReview(context.Background(), &r, leadOf(org)); err != nil {
		t.Fatalf("request peer review of %s: %v", org, err)
	}
	return r
}

// reviewTeam puts a lead reviewer and a peer from QUE on the team of a
// review of QHG, settles the team, and returns them acting as reviewers.
func reviewTeam(t *testing.T, db *DB, id int64) (lead, peer accord.Actor) {
	t.Helper()
	ctx := context.Background()
	region := regionalOf("Y61")
	lead = consultee(t, db, fmt.Sprintf("lead%d@que.nhs.net", id), "Lena Lead", accord.RolePeerReviewer, "QUE")
	peer = consultee(t, db, fmt.Sprintf("peer%d@que.nhs.net", id), "Pete Peer", accord.RolePeerReviewer, "QUE")
	for _, m := range []accord.TeamMember{
		{UserID: lead.UserID, Name: lead.Name, HomeOrg: "QUE", Role: accord.TeamLeadReviewer, Why: "Nearest statistical peer",
			ChosenFor: accord.ChosenStatisticallySimilar},
		{UserID: peer.UserID, Name: peer.Name, HomeOrg: "QUE", Role: accord.TeamPeer, Why: "Most improved on RTT",
			ChosenFor: accord.ChosenMostImproved},
	} {
		if err := db.AddTeamMember(ctx, id, &m, region); err != nil {
			t.Fatalf("add %s: %v", m.Name, err)
		}
	}
	return lead, peer
}

// throughReview takes a review of QHG from request to the end of the review
// on site, with one finding recorded by its lead, and returns the review.
func throughReview(t *testing.T, db *DB) (accord.PeerReview, accord.Actor) {
	t.Helper()
	ctx := context.Background()
	r := requestReview(t, db, "QHG")
	mustStage(t, db, r.ID, accord.StageRequestAndScope, leadOf("QHG"))
	lead, _ := reviewTeam(t, db, r.ID)
	mustStage(t, db, r.ID, accord.StageTeamFormation, regionalOf("Y61"))
	if _, err := db.WritePositionStatement(ctx, r.ID, "Where we stand", leadOf("QHG")); err != nil {
		t.Fatal(err)
	}
	mustStage(t, db, r.ID, accord.StagePositionStatement, leadOf("QHG"))
	f := accord.Finding{ThemeID: "inequalities", Rating: accord.RatingSeriousConcern, Text: "The gap in life expectancy is widening",
		Evidence: []accord.Evidence{{IndicatorID: "le_birth", OrgCode: "QHG"}}}
	if err := db.RecordFinding(ctx, r.ID, &f, lead); err != nil {
		t.Fatal(err)
	}
	r = mustStage(t, db, r.ID, accord.StageReview, lead)
	return r, lead
}

// mustStage marks a stage done today.
func mustStage(t *testing.T, db *DB, id int64, name accord.StageName, by accord.Actor) accord.PeerReview {
	t.Helper()
	r, err := db.MoveStage(context.Background(), id, name, accord.StageDone, accord.Date{}, by)
	if err != nil {
		t.Fatalf("finish stage %s: %v", name, err)
	}
	if s, _ := r.Stage(name); s.State != accord.StageDone || !s.Completed.Equal(deadlineToday().Time) {
		t.Fatalf("stage %s after finishing: %+v", name, s)
	}
	return r
}

func reviewAudit(t *testing.T, db *DB, id int64) []string {
	t.Helper()
	es, _, err := db.FindAudit(context.Background(), accord.AuditFilter{Subject: fmt.Sprintf("peer_review/%d", id)})
	if err != nil {
		t.Fatal(err)
	}
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.Action
	}
	return out
}

func stageStates(r accord.PeerReview) []string {
	out := make([]string, len(r.Stages))
	for i, s := range r.Stages {
		out[i] = string(s.Name) + "=" + string(s.State)
	}
	return out
}

// testPeerReviewJourney runs one review of QHG from request to progress
// review, checking each stage's rules on the way.
func testPeerReviewJourney(t *testing.T, open factory) {
	ctx := context.Background()
	db := seeded(t, open)
	icb, region, nat := leadOf("QHG"), regionalOf("Y61"), nationalReviewer()
	today := deadlineToday()
	start, end := reviewDates()

	// Request: the stages planned, the first started, the region found.
	r := requestReview(t, db, "QHG")
	if r.ID == 0 || r.RegionCode != "Y61" || r.RequestedBy != icb.Email || len(r.FocusAreas) != 1 || r.FocusAreas[0].ID == 0 ||
		!r.OnSiteStart.Equal(start.Time) || r.CreatedAt.IsZero() || r.State() != accord.PeerReviewOpen {
		t.Fatalf("requested: %+v", r)
	}
	equal(t, "stages", stageStates(r), []string{"request_and_scope=in_progress", "team_formation=not_started",
		"position_statement=not_started", "review=not_started", "report=not_started", "response_and_action_plan=not_started",
		"progress_review=not_started"})
	if s := r.Stages[0]; !s.Started.Equal(today.Time) || s.OwnerRole != accord.RoleICBLead || s.OwnerOrg != "QHG" {
		t.Errorf("request stage: %+v", s)
	}
	if s, _ := r.Stage(accord.StageProgressReview); !s.Due.Equal(accord.ProgressReviewDue(end).Time) {
		t.Errorf("progress review due %s, want ten months after %s", s.Due, end)
	}
	if s, _ := r.Stage(accord.StageTeamFormation); s.OwnerRole != accord.RoleRegionalOversight || s.OwnerOrg != "Y61" {
		t.Errorf("team formation owned by %s %s", s.OwnerRole, s.OwnerOrg)
	}

	// Scoping again moves the dates of the stages not done.
	later, laterEnd := accord.Date{Time: start.AddDate(0, 0, 7)}, accord.Date{Time: end.AddDate(0, 0, 7)}
	scope := accord.ReviewScope{OnSiteStart: later, OnSiteEnd: laterEnd, FocusAreas: []accord.FocusArea{
		{Title: "Elective recovery", IndicatorIDs: []string{"rtt_18w"}},
		{Title: " Urgent care ", IndicatorIDs: []string{"ae_4h", " "}},
	}}
	r, err := db.ScopePeerReview(ctx, r.ID, scope, icb)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.FocusAreas) != 2 || r.FocusAreas[1].Title != "Urgent care" || !slices.Equal(r.FocusAreas[1].IndicatorIDs, []string{"ae_4h"}) {
		t.Errorf("rescoped focus areas: %+v", r.FocusAreas)
	}
	if s, _ := r.Stage(accord.StageReport); !s.Due.Equal(accord.StageDue(accord.StageReport, later, laterEnd).Time) {
		t.Errorf("report due %s after rescoping", s.Due)
	}
	mustStage(t, db, r.ID, accord.StageRequestAndScope, icb)
	if _, err := db.ScopePeerReview(ctx, r.ID, scope, icb); err == nil {
		t.Fatal("scope changed after its stage was done")
	}

	// The team: a lead and a peer with a conflict, decided by oversight.
	lead := consultee(t, db, "lena@que.nhs.net", "Lena Lead", accord.RolePeerReviewer, "QUE")
	peer := consultee(t, db, "pete@que.nhs.net", "Pete Peer", accord.RolePeerReviewer, "QUE")
	lm := accord.TeamMember{UserID: lead.UserID, Name: "Lena Lead", HomeOrg: "QUE", Role: accord.TeamLeadReviewer,
		Why: "Nearest peer by population and deprivation", ChosenFor: accord.ChosenStatisticallySimilar}
	if err := db.AddTeamMember(ctx, r.ID, &lm, region); err != nil {
		t.Fatal(err)
	}
	pm := accord.TeamMember{UserID: peer.UserID, Name: "Pete Peer", HomeOrg: "QUE", Role: accord.TeamPeer,
		Why: "Most improved on RTT in the region", ChosenFor: accord.ChosenMostImproved,
		Conflicts: []accord.Conflict{{Kind: accord.ConflictSharedProviders, Declared: "QUE also commissions from RC9"}}}
	if err := db.AddTeamMember(ctx, r.ID, &pm, nat); err != nil {
		t.Fatal(err)
	}
	if lm.ID == 0 || lm.AddedBy != region.Email || pm.Conflicts[0].ID == 0 || pm.Conflicts[0].DecidedAt != nil {
		t.Errorf("members as stored: %+v %+v", lm, pm)
	}
	_, err = db.MoveStage(ctx, r.ID, accord.StageTeamFormation, accord.StageDone, accord.Date{}, region)
	wantError(t, err, accord.ECONFLICT, "Pete Peer (Shared providers) is not yet decided")
	if err := db.DecideConflict(ctx, r.ID, pm.Conflicts[0].ID, accord.ConflictManaged, "Does not review the RC9 pathway", region); err != nil {
		t.Fatal(err)
	}
	r = mustStage(t, db, r.ID, accord.StageTeamFormation, region)
	if s, _ := r.Stage(accord.StageReview); s.OwnerRole != accord.RolePeerReviewer || s.OwnerOrg != "QUE" {
		t.Errorf("review stage owned by %s %s, want the lead reviewer's QUE", s.OwnerRole, s.OwnerOrg)
	}
	if c := r.Team[1].Conflicts[0]; c.Decision != accord.ConflictManaged || c.DecidedBy != region.Email || c.DecidedAt == nil {
		t.Errorf("conflict decided: %+v", c)
	}

	// The position statement, then findings.
	if r, err = db.WritePositionStatement(ctx, r.ID, "  Our account of where we stand  ", icb); err != nil {
		t.Fatal(err)
	}
	if r.PositionStatement != "Our account of where we stand" {
		t.Errorf("position statement %q", r.PositionStatement)
	}
	mustStage(t, db, r.ID, accord.StagePositionStatement, icb)
	concern := accord.Finding{FocusAreaID: r.FocusAreas[0].ID, Rating: accord.RatingSeriousConcern,
		Text: "Waits over 52 weeks are rising", Recommendation: "Agree a recovery plan with RC9",
		Evidence: []accord.Evidence{{IndicatorID: "rtt_18w", OrgCode: "RC9"}}}
	if err := db.RecordFinding(ctx, r.ID, &concern, lead); err != nil {
		t.Fatal(err)
	}
	strength := accord.Finding{ThemeID: "partnership_and_leadership", Rating: accord.RatingStrength, Text: "Partners trust the ICB",
		Evidence: []accord.Evidence{{DocumentTitle: "Partnership board minutes", URL: "https://www.blmkpartnership.org.uk/minutes"}}}
	if err := db.RecordFinding(ctx, r.ID, &strength, peer); err != nil {
		t.Fatal(err)
	}
	if concern.ID == 0 || concern.By != lead.Email || concern.ByName != "Lena Lead" || concern.CreatedAt.IsZero() {
		t.Errorf("finding as stored: %+v", concern)
	}
	strength.Text = "Partners trust the ICB and say so"
	got, err := db.UpdateFinding(ctx, r.ID, strength, lead)
	if err != nil {
		t.Fatal(err)
	}
	if got.Text != strength.Text || got.By != peer.Email {
		t.Errorf("updated finding %+v: the text changes, its author does not", got)
	}
	stray := accord.Finding{ThemeID: "use_of_resources", Rating: accord.RatingAreaForImprovement, Text: "Not sure yet",
		Evidence: []accord.Evidence{{IndicatorID: "ae_4h", OrgCode: "QHG"}}}
	if err := db.RecordFinding(ctx, r.ID, &stray, peer); err != nil {
		t.Fatal(err)
	}
	if err := db.DeleteFinding(ctx, r.ID, stray.ID, lead, "not borne out"); err != nil {
		t.Fatal(err)
	}

	// The report: not before the review on site is done, not without a
	// summary, and only once.
	_, err = db.PublishReport(ctx, r.ID, accord.Date{}, lead)
	wantError(t, err, accord.ECONFLICT, "before the review on site is done")
	mustStage(t, db, r.ID, accord.StageReview, lead)
	_, err = db.PublishReport(ctx, r.ID, accord.Date{}, lead)
	wantError(t, err, accord.ECONFLICT, "has no summary")
	if _, err := db.SaveReportSummary(ctx, r.ID, "A system with strong partnerships and a growing elective backlog", peer); err != nil {
		t.Fatal(err)
	}
	_, err = db.PublishReport(ctx, r.ID, accord.Date{Time: today.AddDate(0, 0, 1)}, lead)
	wantError(t, err, accord.EINVALID, "in the future")
	if r, err = db.PublishReport(ctx, r.ID, accord.Date{}, lead); err != nil {
		t.Fatal(err)
	}
	if !r.Published() || !r.Report.PublishedAt.Equal(today.Time) || r.Report.PublishedBy != lead.Email || r.State() != accord.PeerReviewPublished {
		t.Errorf("published: %+v", r.Report)
	}
	if s, _ := r.Stage(accord.StageReport); s.State != accord.StageDone {
		t.Errorf("report stage after publishing: %+v", s)
	}
	_, err = db.PublishReport(ctx, r.ID, accord.Date{}, lead)
	wantError(t, err, accord.ECONFLICT, "was published on")

	// Candour: published findings stand; the system responds.
	_, err = db.UpdateFinding(ctx, r.ID, concern, lead)
	wantError(t, err, accord.ECONFLICT, "cannot be edited or deleted, only responded to")
	wantError(t, db.DeleteFinding(ctx, r.ID, concern.ID, lead, ""), accord.ECONFLICT, "cannot be edited or deleted")
	late := strength
	late.ID = 0
	wantError(t, db.RecordFinding(ctx, r.ID, &late, lead), accord.ECONFLICT, "stand as published")
	resp := accord.FindingResponse{Text: "We accept this; the plan below answers it"}
	if err := db.RespondToFinding(ctx, r.ID, concern.ID, &resp, icb); err != nil {
		t.Fatal(err)
	}
	if resp.ID == 0 || resp.FindingID != concern.ID || resp.By != icb.Email || resp.At.IsZero() {
		t.Errorf("response as stored: %+v", resp)
	}

	// The action plan, moving a target and an indicator.
	tg := draftTarget(t, db)
	act := accord.ReviewAction{Title: "Fund weekend theatre lists", OwnerName: "Chief operating officer", OwnerOrg: "RC9",
		Due: accord.Date{Time: today.AddDate(0, 3, 0)}, FindingIDs: []int64{concern.ID}, TargetIDs: []int64{tg.ID},
		IndicatorIDs: []string{"rtt_18w"}}
	if err := db.SaveAction(ctx, r.ID, &act, icb); err != nil {
		t.Fatal(err)
	}
	if act.ID == 0 || act.Status != accord.ActionPlanned || act.ReviewID != r.ID {
		t.Errorf("action as stored: %+v", act)
	}
	act.Title = "Fund and staff weekend theatre lists"
	if err := db.SaveAction(ctx, r.ID, &act, icb); err != nil {
		t.Fatal(err)
	}
	r = mustStage(t, db, r.ID, accord.StageResponseAndActionPlan, icb)
	wantError(t, db.SaveAction(ctx, r.ID, &act, icb), accord.ECONFLICT, "record progress on the actions instead")
	moved, err := db.UpdateActionProgress(ctx, r.ID, act.ID, accord.ActionInProgress, "Lists run from June", icb)
	if err != nil {
		t.Fatal(err)
	}
	if moved.Status != accord.ActionInProgress || len(moved.Notes) != 1 || moved.Notes[0].Text != "Lists run from June" {
		t.Errorf("action after progress: %+v", moved)
	}

	// The progress review must assess every action.
	pr := accord.ProgressReview{Date: today, Summary: "Waits have begun to fall"}
	wantError(t, db.RecordProgressReview(ctx, r.ID, &pr, lead), accord.EINVALID, "is not assessed")
	pr.Assessments = []accord.ActionAssessment{{ActionID: act.ID, Rating: accord.AssessOnTrack, Comment: "Lists running"}}
	if err := db.RecordProgressReview(ctx, r.ID, &pr, lead); err != nil {
		t.Fatal(err)
	}
	if _, err := db.UpdateActionProgress(ctx, r.ID, act.ID, accord.ActionDone, "Finished", icb); accord.ErrorCode(err) != accord.ECONFLICT {
		t.Errorf("progress after the progress review: %v", err)
	}

	// All of it reads back, in order.
	r, err = db.FindPeerReview(ctx, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	if r.State() != accord.PeerReviewClosed || len(r.Overdue(today)) != 0 {
		t.Errorf("closed review: state %s, overdue %+v", r.State(), r.Overdue(today))
	}
	for _, s := range r.Stages {
		if s.State != accord.StageDone || s.Started.IsZero() || !s.Completed.Equal(today.Time) {
			t.Errorf("stage %+v", s)
		}
	}
	if len(r.Team) != 2 || len(r.Findings) != 2 || len(r.Findings[0].Responses) != 1 || r.Findings[1].Text != strength.Text ||
		len(r.Actions) != 1 || r.Actions[0].Title != act.Title || !slices.Equal(r.Actions[0].TargetIDs, []int64{tg.ID}) ||
		r.Progress == nil || len(r.Progress.Assessments) != 1 || r.Progress.Assessments[0].Rating != accord.AssessOnTrack {
		t.Errorf("the whole review: %+v", r)
	}
	equal(t, "evidence", r.Findings[0].Evidence, concern.Evidence)
	equal(t, "audit", reviewAudit(t, db, r.ID), []string{
		"peer_review.request", "peer_review.scope", "peer_review.stage",
		"peer_review.team_add", "peer_review.team_add", "peer_review.conflict_decision", "peer_review.stage",
		"peer_review.position_statement", "peer_review.stage",
		"peer_review.finding", "peer_review.finding", "peer_review.finding_update", "peer_review.finding", "peer_review.finding_delete",
		"peer_review.stage", "peer_review.report_draft", "peer_review.publish",
		"peer_review.response", "peer_review.action", "peer_review.action", "peer_review.stage", "peer_review.action_progress",
		"peer_review.progress_review",
	})
	if c := verify(t, db); !c.OK {
		t.Errorf("audit chain: %+v", c)
	}
}

// testPeerReviewRefusals checks that each refused step leaves the review
// and the audit log as they were.
func testPeerReviewRefusals(t *testing.T, open factory) {
	ctx := context.Background()
	db := seeded(t, open)
	icb := leadOf("QHG")
	r := requestReview(t, db, "QHG")
	lead, peer := reviewTeam(t, db, r.ID)
	f := accord.Finding{ThemeID: "inequalities", Rating: accord.RatingStrength, Text: "x",
		Evidence: []accord.Evidence{{IndicatorID: "le_birth", OrgCode: "QHG"}}}
	steps := []struct {
		name string
		do   func() error
		code string
		want string
	}{
		{"finding before the team is formed", func() error { return db.RecordFinding(ctx, r.ID, &f, lead) }, accord.ECONFLICT, "not yet formed"},
		{"team done before scope", func() error {
			_, err := db.MoveStage(ctx, r.ID, accord.StageTeamFormation, accord.StageDone, accord.Date{}, regionalOf("Y61"))
			return err
		}, accord.ECONFLICT, "before the Request and scope stage is"},
		{"stage backwards", func() error {
			_, err := db.MoveStage(ctx, r.ID, accord.StageRequestAndScope, accord.StageNotStarted, accord.Date{}, icb)
			return err
		}, accord.EINVALID, "only moves forward"},
		{"a stage started tomorrow", func() error {
			_, err := db.MoveStage(ctx, r.ID, accord.StageReport, accord.StageInProgress, accord.Date{Time: deadlineToday().AddDate(0, 0, 2)}, lead)
			return err
		}, accord.EINVALID, "in the future"},
		{"publish with nothing done", func() error { _, err := db.PublishReport(ctx, r.ID, accord.Date{}, lead); return err },
			accord.ECONFLICT, "before the review on site"},
		{"respond to a finding not of the review", func() error {
			return db.RespondToFinding(ctx, r.ID, 1, &accord.FindingResponse{Text: "no"}, icb)
		}, accord.ENOTFOUND, "finding 1"},
		{"action before publication", func() error {
			return db.SaveAction(ctx, r.ID, &accord.ReviewAction{Title: "a", OwnerName: "b", OwnerOrg: "QHG", Due: deadlineToday(),
				IndicatorIDs: []string{"rtt_18w"}}, icb)
		}, accord.ECONFLICT, "not yet published"},
		{"progress review before the plan", func() error {
			return db.RecordProgressReview(ctx, r.ID, &accord.ProgressReview{Date: deadlineToday(), Summary: "s"}, lead)
		}, accord.ECONFLICT, "not done"},
		{"a second lead", func() error {
			return db.AddTeamMember(ctx, r.ID, &accord.TeamMember{UserID: peer.UserID, Name: "Pete again", HomeOrg: "QUE",
				Role: accord.TeamLeadReviewer, Why: "w", ChosenFor: accord.ChosenExpertise}, regionalOf("Y61"))
		}, accord.EINVALID, "already has a lead reviewer"},
		{"an unknown conflict", func() error {
			return db.DecideConflict(ctx, r.ID, 999, accord.ConflictExcluded, "", regionalOf("Y61"))
		}, accord.ENOTFOUND, "conflict of interest 999"},
		{"an undecided decision", func() error {
			return db.DecideConflict(ctx, r.ID, 1, accord.ConflictUndecided, "", regionalOf("Y61"))
		}, accord.EINVALID, "choose managed or excluded"},
		{"empty position statement", func() error { _, err := db.WritePositionStatement(ctx, r.ID, " ", icb); return err },
			accord.EINVALID, "position_statement"},
		{"an actor without a role", func() error {
			_, err := db.WritePositionStatement(ctx, r.ID, "text", accord.Actor{Email: "x@y.nhs.uk", OrgCode: "QHG"})
			return err
		}, accord.EINVALID, "role"},
	}
	before, err := db.FindPeerReview(ctx, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	entries := auditCount(t, db)
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			wantError(t, s.do(), s.code, s.want)
			if n := auditCount(t, db); n != entries {
				t.Errorf("a refused step wrote %d audit entries", n-entries)
			}
			after, err := db.FindPeerReview(ctx, r.ID)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(before, after) {
				t.Errorf("a refused step changed the review:\n before %+v\n after  %+v", before, after)
			}
		})
	}
	if c := verify(t, db); !c.OK {
		t.Errorf("audit chain: %+v", c)
	}
}

func testPeerReviewRequestChecks(t *testing.T, open factory) {
	ctx := context.Background()
	db := seeded(t, open)
	start, end := reviewDates()
	cases := []struct {
		name string
		r    accord.PeerReview
		want []string
	}{
		{"a trust", accord.PeerReview{OrgCode: "RC9", OnSiteStart: start, OnSiteEnd: end,
			FocusAreas: []accord.FocusArea{{Title: "x", IndicatorIDs: []string{"rtt_18w"}}}},
			[]string{"a peer review is of an ICB, and RC9 is not one (NHS trust)"}},
		{"unknown organisation and indicator", accord.PeerReview{OrgCode: "QXX", OnSiteStart: start, OnSiteEnd: end,
			FocusAreas: []accord.FocusArea{{Title: "x", IndicatorIDs: []string{"smoking"}}}},
			[]string{`"QXX" is not known`, `"smoking" is not in the indicator catalogue`}},
		{"no scope", accord.PeerReview{OrgCode: "QHG"}, []string{"focus_areas", "on_site_start"}},
	}
	for _, c := range cases {
		r := c.r
		wantError(t, db.RequestPeerReview(ctx, &r, leadOf("QHG")), accord.EINVALID, c.want...)
	}
	if n := auditCount(t, db); n != 0 {
		t.Errorf("refused requests wrote %d audit entries", n)
	}
	if _, total, _ := db.FindPeerReviews(ctx, accord.PeerReviewFilter{}); total != 0 {
		t.Errorf("refused requests stored %d reviews", total)
	}
}

func testPeerReviewTeamChecks(t *testing.T, open factory) {
	ctx := context.Background()
	db := seeded(t, open)
	region := regionalOf("Y61")
	r := requestReview(t, db, "QHG")
	noGrant := consultee(t, db, "staff@que.nhs.net", "Sam Staff", accord.RoleWorkforceRep, "QUE")
	m := accord.TeamMember{UserID: noGrant.UserID, Name: "Sam Staff", HomeOrg: "QUE", Role: accord.TeamLeadReviewer, Why: "w",
		ChosenFor: accord.ChosenExpertise}
	wantError(t, db.AddTeamMember(ctx, r.ID, &m, region), accord.EINVALID, "needs a peer reviewer grant")
	m.Role, m.HomeOrg = accord.TeamPeer, "QHG"
	wantError(t, db.AddTeamMember(ctx, r.ID, &m, region), accord.EINVALID, "a peer comes from another system")
	m.HomeOrg, m.UserID = "QUE", 4242
	wantError(t, db.AddTeamMember(ctx, r.ID, &m, region), accord.EINVALID, "user 4242 is not known")

	// A lay peer without an account, excluded by a conflict, must leave
	// before the team is settled; removing them is audited with the reason.
	mustStage(t, db, r.ID, accord.StageRequestAndScope, leadOf("QHG"))
	reviewTeam(t, db, r.ID)
	lay := accord.TeamMember{Name: "Lee Lay", HomeOrg: "E06000055", Role: accord.TeamLayPeer, Why: "Patient voice",
		ChosenFor: accord.ChosenExpertise}
	if err := db.AddTeamMember(ctx, r.ID, &lay, region); err != nil {
		t.Fatal(err)
	}
	c := accord.Conflict{Kind: accord.ConflictOther, Declared: "Sits on the QHG patient panel"}
	if err := db.FlagConflict(ctx, r.ID, lay.ID, &c, region); err != nil {
		t.Fatal(err)
	}
	if err := db.DecideConflict(ctx, r.ID, c.ID, accord.ConflictExcluded, "", region); err != nil {
		t.Fatal(err)
	}
	_, err := db.MoveStage(ctx, r.ID, accord.StageTeamFormation, accord.StageDone, accord.Date{}, region)
	wantError(t, err, accord.ECONFLICT, "Lee Lay is excluded")
	if err := db.RemoveTeamMember(ctx, r.ID, lay.ID, region, "excluded by a conflict"); err != nil {
		t.Fatal(err)
	}
	r = mustStage(t, db, r.ID, accord.StageTeamFormation, region)
	if len(r.Team) != 2 {
		t.Errorf("team after removal: %+v", r.Team)
	}
	wantError(t, db.AddTeamMember(ctx, r.ID, &lay, region), accord.ECONFLICT, "its team is settled")
	es, _, err := db.FindAudit(ctx, accord.AuditFilter{Subject: fmt.Sprintf("peer_review/%d", r.ID)})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(es, func(e accord.AuditEntry) bool {
		return e.Action == "peer_review.team_remove" && e.Reason == "excluded by a conflict" && e.Actor == region.Email
	}) {
		t.Errorf("no audit entry for the removal: %+v", es)
	}
}

func testPeerReviewFind(t *testing.T, open factory) {
	ctx := context.Background()
	db := seeded(t, open)
	today := deadlineToday()
	open1 := requestReview(t, db, "QHG")
	published, lead := throughReview(t, db)
	if _, err := db.SaveReportSummary(ctx, published.ID, "Summary", lead); err != nil {
		t.Fatal(err)
	}
	if _, err := db.PublishReport(ctx, published.ID, accord.Date{}, lead); err != nil {
		t.Fatal(err)
	}
	other := requestReview(t, db, "QUE")
	mustStage(t, db, other.ID, accord.StageRequestAndScope, leadOf("QUE"))

	ids := func(f accord.PeerReviewFilter) []int64 {
		t.Helper()
		rs, total, err := db.FindPeerReviews(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		if total < len(rs) {
			t.Errorf("total %d under the %d returned", total, len(rs))
		}
		out := make([]int64, len(rs))
		for i, r := range rs {
			out[i] = r.ID
		}
		return out
	}
	equal(t, "all, newest first", ids(accord.PeerReviewFilter{}), []int64{other.ID, published.ID, open1.ID})
	equal(t, "QHG", ids(accord.PeerReviewFilter{OrgCode: "QHG"}), []int64{published.ID, open1.ID})
	equal(t, "open", ids(accord.PeerReviewFilter{State: accord.PeerReviewOpen}), []int64{other.ID, open1.ID})
	equal(t, "published", ids(accord.PeerReviewFilter{State: accord.PeerReviewPublished}), []int64{published.ID})
	equal(t, "closed", ids(accord.PeerReviewFilter{State: accord.PeerReviewClosed}), []int64{})
	equal(t, "at team formation", ids(accord.PeerReviewFilter{Stage: accord.StageTeamFormation}), []int64{other.ID})
	equal(t, "at response", ids(accord.PeerReviewFilter{Stage: accord.StageResponseAndActionPlan}), []int64{published.ID})
	// The days on site were 120 days ago: every review has a stage not done
	// and past due today; none had, four months before that.
	equal(t, "overdue today", ids(accord.PeerReviewFilter{OverdueOn: today}), []int64{other.ID, published.ID, open1.ID})
	equal(t, "overdue long ago", ids(accord.PeerReviewFilter{OverdueOn: accord.Date{Time: today.AddDate(0, 0, -365)}}), []int64{})
	equal(t, "paged", ids(accord.PeerReviewFilter{Offset: 1, Limit: 1}), []int64{published.ID})

	// What each viewer may list, as the query applies it.
	vis := func(v accord.PeerReviewVisibility) []int64 { return ids(accord.PeerReviewFilter{Visible: &v}) }
	equal(t, "the public", vis(accord.PeerReviewVisibility{}), []int64{published.ID})
	equal(t, "QUE's lead", vis(accord.PeerReviewVisibility{OrgCodes: []string{"QUE"}}), []int64{other.ID, published.ID})
	equal(t, "the region", vis(accord.PeerReviewVisibility{Regions: []string{"Y61"}}), []int64{other.ID, published.ID, open1.ID})
	equal(t, "another region", vis(accord.PeerReviewVisibility{Regions: []string{"Y56"}}), []int64{published.ID})
	equal(t, "national", vis(accord.PeerReviewVisibility{All: true}), []int64{other.ID, published.ID, open1.ID})
	equal(t, "the lead reviewer", vis(accord.PeerReviewVisibility{TeamUserID: lead.UserID}), []int64{published.ID})

	_, _, err := db.FindPeerReviews(ctx, accord.PeerReviewFilter{State: "draft"})
	wantError(t, err, accord.EINVALID, "state")
	_, _, err = db.FindPeerReviews(ctx, accord.PeerReviewFilter{Stage: "visit"})
	wantError(t, err, accord.EINVALID, "stage")
	_, err = db.FindPeerReview(ctx, 9999)
	wantError(t, err, accord.ENOTFOUND, "peer review 9999 not found")
}

// testPeerReviewFindingsStand checks the database itself refuses to change
// a published finding or a response, should anything get past the store.
func testPeerReviewFindingsStand(t *testing.T, open factory) {
	ctx := context.Background()
	db := seeded(t, open)
	r, lead := throughReview(t, db)
	fid := r.Findings[0].ID
	if err := rawExec(t, db, `UPDATE peer_review_findings SET text = ? WHERE id = ?`, "draft edit", fid); err != nil {
		t.Fatalf("a draft finding could not be edited: %v", err)
	}
	if _, err := db.SaveReportSummary(ctx, r.ID, "Summary", lead); err != nil {
		t.Fatal(err)
	}
	if _, err := db.PublishReport(ctx, r.ID, accord.Date{}, lead); err != nil {
		t.Fatal(err)
	}
	if err := rawExec(t, db, `UPDATE peer_review_findings SET text = ? WHERE id = ?`, "softened", fid); err == nil {
		t.Error("the database let a published finding be edited")
	}
	if err := rawExec(t, db, `DELETE FROM peer_review_findings WHERE id = ?`, fid); err == nil {
		t.Error("the database let a published finding be deleted")
	}
	resp := accord.FindingResponse{Text: "We accept it"}
	if err := db.RespondToFinding(ctx, r.ID, fid, &resp, leadOf("QHG")); err != nil {
		t.Fatal(err)
	}
	if err := rawExec(t, db, `UPDATE peer_review_responses SET text = ? WHERE id = ?`, "We reject it", resp.ID); err == nil {
		t.Error("the database let a response be edited")
	}
	got, err := db.FindPeerReview(ctx, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Findings[0].Text != "draft edit" || got.Findings[0].Responses[0].Text != "We accept it" {
		t.Errorf("after the attempts: %+v", got.Findings[0])
	}
}

// testPeerReviewOtherReviewsRecords checks that a record of one review
// cannot be reached through another's ID, since access is decided on the
// review named.
func testPeerReviewOtherReviewsRecords(t *testing.T, open factory) {
	ctx := context.Background()
	db := seeded(t, open)
	a, lead := throughReview(t, db)
	b := requestReview(t, db, "QUE")
	fid := a.Findings[0].ID
	f := a.Findings[0]
	_, err := db.UpdateFinding(ctx, b.ID, f, lead)
	wantError(t, err, accord.ENOTFOUND, fmt.Sprintf("finding %d is not a finding of peer review %d", fid, b.ID))
	wantError(t, db.DeleteFinding(ctx, b.ID, fid, lead, ""), accord.ENOTFOUND)
	wantError(t, db.RespondToFinding(ctx, b.ID, fid, &accord.FindingResponse{Text: "x"}, leadOf("QUE")), accord.ENOTFOUND)
	wantError(t, db.RemoveTeamMember(ctx, b.ID, a.Team[0].ID, regionalOf("Y61"), ""), accord.ENOTFOUND)
	wantError(t, db.DecideConflict(ctx, b.ID, 1, accord.ConflictExcluded, "", regionalOf("Y61")), accord.ENOTFOUND)
	_, err = db.UpdateActionProgress(ctx, b.ID, 1, accord.ActionDone, "done", leadOf("QUE"))
	wantError(t, err, accord.ENOTFOUND)
	// A finding under another review's focus area is refused too.
	g := accord.Finding{FocusAreaID: b.FocusAreas[0].ID, Rating: accord.RatingStrength, Text: "x",
		Evidence: []accord.Evidence{{IndicatorID: "rtt_18w", OrgCode: "QHG"}}}
	wantError(t, db.RecordFinding(ctx, a.ID, &g, lead), accord.EINVALID, fmt.Sprintf("is not one of peer review %d's", a.ID))
}

// testPeerReviewPublishNeedsAFinding checks that a report without findings
// is not published, and that the refusal writes nothing.
func testPeerReviewPublishNeedsAFinding(t *testing.T, open factory) {
	ctx := context.Background()
	db := seeded(t, open)
	icb := leadOf("QHG")
	r := requestReview(t, db, "QHG")
	mustStage(t, db, r.ID, accord.StageRequestAndScope, icb)
	lead, _ := reviewTeam(t, db, r.ID)
	mustStage(t, db, r.ID, accord.StageTeamFormation, regionalOf("Y61"))
	if _, err := db.WritePositionStatement(ctx, r.ID, "Where we stand", icb); err != nil {
		t.Fatal(err)
	}
	mustStage(t, db, r.ID, accord.StagePositionStatement, icb)
	mustStage(t, db, r.ID, accord.StageReview, lead)
	before, err := db.SaveReportSummary(ctx, r.ID, "Nothing to report", lead)
	if err != nil {
		t.Fatal(err)
	}
	entries := auditCount(t, db)
	_, err = db.PublishReport(ctx, r.ID, accord.Date{}, lead)
	wantError(t, err, accord.ECONFLICT, "has no findings: record at least one before publishing it")
	after, err := db.FindPeerReview(ctx, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	if n := auditCount(t, db); n != entries || !reflect.DeepEqual(before, after) {
		t.Errorf("a refused publication wrote %d audit entries and left %+v", n-entries, after.Report)
	}
}

// testPeerReviewBackdated enters a review held months ago, as the demo and
// a system catching up on its records do: each stage done on the day it
// was, though its records are written today.
func testPeerReviewBackdated(t *testing.T, open factory) {
	ctx := context.Background()
	db := seeded(t, open)
	icb, region := leadOf("QHG"), regionalOf("Y61")
	start, end := reviewDates()
	on := func(days int) accord.Date { return accord.Date{Time: start.AddDate(0, 0, days)} }
	r := requestReview(t, db, "QHG")
	move := func(name accord.StageName, day accord.Date, by accord.Actor) {
		t.Helper()
		if _, err := db.MoveStage(ctx, r.ID, name, accord.StageDone, day, by); err != nil {
			t.Fatalf("finish %s on %s: %v", name, day, err)
		}
	}
	move(accord.StageRequestAndScope, on(-90), icb)
	lead, _ := reviewTeam(t, db, r.ID)
	_, err := db.MoveStage(ctx, r.ID, accord.StageTeamFormation, accord.StageDone, on(-91), region)
	wantError(t, err, accord.EINVALID, "before the Request and scope stage was done")
	move(accord.StageTeamFormation, on(-60), region)
	if _, err := db.WritePositionStatement(ctx, r.ID, "Where we stood", icb); err != nil {
		t.Fatal(err)
	}
	move(accord.StagePositionStatement, on(-10), icb)
	f := accord.Finding{ThemeID: "capacity_to_improve", Rating: accord.RatingSeriousConcern, Text: "No improvement capacity",
		Evidence: []accord.Evidence{{IndicatorID: "rtt_18w", OrgCode: "QHG"}}}
	if err := db.RecordFinding(ctx, r.ID, &f, lead); err != nil {
		t.Fatal(err)
	}
	move(accord.StageReview, end, lead)
	if _, err := db.SaveReportSummary(ctx, r.ID, "Summary", lead); err != nil {
		t.Fatal(err)
	}
	if _, err := db.PublishReport(ctx, r.ID, accord.Date{Time: end.AddDate(0, 0, 30)}, lead); err != nil {
		t.Fatal(err)
	}
	if err := db.RespondToFinding(ctx, r.ID, f.ID, &accord.FindingResponse{Text: "Accepted"}, icb); err != nil {
		t.Fatal(err)
	}
	a := accord.ReviewAction{Title: "Build an improvement team", OwnerName: "Director of strategy", OwnerOrg: "QHG",
		Due: deadlineToday(), IndicatorIDs: []string{"rtt_18w"}}
	if err := db.SaveAction(ctx, r.ID, &a, icb); err != nil {
		t.Fatal(err)
	}
	move(accord.StageResponseAndActionPlan, accord.Date{Time: end.AddDate(0, 0, 60)}, icb)
	pr := accord.ProgressReview{Date: accord.Date{Time: end.AddDate(0, 0, 100)}, Summary: "Team in place",
		Assessments: []accord.ActionAssessment{{ActionID: a.ID, Rating: accord.AssessAchieved}}}
	if err := db.RecordProgressReview(ctx, r.ID, &pr, lead); err != nil {
		t.Fatal(err)
	}
	r, err = db.FindPeerReview(ctx, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range r.Stages {
		got = append(got, string(s.Name)+" "+s.Started.String()+".."+s.Completed.String())
		if s.Started.After(s.Completed.Time) {
			t.Errorf("stage %s started after it was done: %+v", s.Name, s)
		}
	}
	want := []string{
		"request_and_scope " + on(-90).String() + ".." + on(-90).String(),
		"team_formation " + on(-60).String() + ".." + on(-60).String(),
		"position_statement " + on(-10).String() + ".." + on(-10).String(),
		"review " + end.String() + ".." + end.String(),
		"report " + end.AddDate(0, 0, 30).Format("2006-01-02") + ".." + end.AddDate(0, 0, 30).Format("2006-01-02"),
		"response_and_action_plan " + end.AddDate(0, 0, 60).Format("2006-01-02") + ".." + end.AddDate(0, 0, 60).Format("2006-01-02"),
		"progress_review " + pr.Date.String() + ".." + pr.Date.String(),
	}
	equal(t, "stage dates", got, want)
	if r.State() != accord.PeerReviewClosed || !r.Report.PublishedAt.Equal(end.AddDate(0, 0, 30)) {
		t.Errorf("entered after the event: %s, published %s", r.State(), r.Report.PublishedAt)
	}
}

// testPeerReviewRequestedEarlier: a review held before Accord was in use
// keeps the day it was really requested; a request dated in the future is
// refused and writes nothing.
func testPeerReviewRequestedEarlier(t *testing.T, open factory) {
	ctx := context.Background()
	db := seeded(t, open)
	start, end := reviewDates()
	asked := accord.Date{Time: deadlineToday().AddDate(0, -14, 0)}
	r := accord.PeerReview{OrgCode: "QHG", OnSiteStart: start, OnSiteEnd: end,
		FocusAreas: []accord.FocusArea{{Title: "Elective recovery", IndicatorIDs: []string{"rtt_18w"}}},
		Stages:     []accord.Stage{{Name: accord.StageRequestAndScope, Started: asked}}}
	if err := db.RequestPeerReview(ctx, &r, leadOf("QHG")); err != nil {
		t.Fatal(err)
	}
	got, err := db.FindPeerReview(ctx, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	if st, _ := got.Stage(accord.StageRequestAndScope); !st.Started.Equal(asked.Time) || st.State != accord.StageInProgress {
		t.Errorf("request and scope: started %s (%s), want %s", st.Started, st.State, asked)
	}
	_, before, _ := db.FindPeerReviews(ctx, accord.PeerReviewFilter{})
	future := r
	future.ID = 0
	future.Stages = []accord.Stage{{Name: accord.StageRequestAndScope, Started: accord.Date{Time: deadlineToday().AddDate(0, 0, 1)}}}
	wantError(t, db.RequestPeerReview(ctx, &future, leadOf("QHG")), accord.EINVALID, "requested_on")
	if _, after, _ := db.FindPeerReviews(ctx, accord.PeerReviewFilter{}); after != before {
		t.Errorf("a refused request wrote a review: %d reviews, were %d", after, before)
	}
}
