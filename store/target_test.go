package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	accord "github.com/nhs-accord/accord"
)

func TestTargetWorkflow(t *testing.T) {
	cases := []struct {
		name string
		run  func(t *testing.T, open factory)
	}{
		{"Journey", testTargetJourney},
		{"VersionConflict", testTargetVersionConflict},
		{"UpdateRules", testTargetUpdateRules},
		{"CreateRules", testTargetCreateRules},
		{"MoveRules", testTargetMoveRules},
		{"SetTrajectory", testTargetSetTrajectory},
		{"FloorJustification", testTargetFloorJustification},
		{"HistoryAppendOnly", testTargetHistoryAppendOnly},
		{"UnknownTarget", testTargetUnknown},
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

// fixtureDeadline is a deadline safely in the future whenever the tests
// run, since a new target's deadline may not be past.
func fixtureDeadline() accord.Date {
	return accord.NewDate(time.Now().UTC().Year()+2, time.March, 31)
}

// leadOf is the ICB lead of org, acting without a user record (the store
// records who acted; only responses need a user).
func leadOf(org string) accord.Actor {
	return accord.Actor{Email: "lead@" + strings.ToLower(org) + ".nhs.net", Name: "Lead of " + org, Role: accord.RoleICBLead, OrgCode: org}
}

func nationalReviewer() accord.Actor {
	return accord.Actor{Email: "reviewer@england.nhs.uk", Name: "Rita Reviewer", Role: accord.RoleNationalOversight, OrgCode: accord.EnglandCode}
}

// consultee creates a user holding role for org and returns them acting
// under that grant.
func consultee(t *testing.T, db *DB, email, name string, role accord.Role, org string) accord.Actor {
	t.Helper()
	u := accord.User{Email: email, Name: name, Grants: []accord.Grant{{Role: role, OrgCode: org}}}
	if err := db.CreateUser(context.Background(), &u, ""); err != nil {
		t.Fatalf("create %s: %v", email, err)
	}
	return accord.Actor{UserID: u.ID, Email: u.Email, Name: u.Name, Role: role, OrgCode: org}
}

// draftTarget stores a fresh draft of the fixture target for QHG.
func draftTarget(t *testing.T, db *DB) accord.Target {
	t.Helper()
	tg := fixtureTarget()
	if err := db.CreateTarget(context.Background(), &tg, leadOf("QHG")); err != nil {
		t.Fatalf("create target: %v", err)
	}
	return tg
}

// mustMove moves the target and fails the test if it cannot.
func mustMove(t *testing.T, db *DB, id int64, to accord.TargetStatus, by accord.Actor, reason string) accord.Target {
	t.Helper()
	got, err := db.MoveTarget(context.Background(), id, to, by, reason)
	if err != nil {
		t.Fatalf("move target %d to %s: %v", id, to, err)
	}
	if got.Status != to {
		t.Fatalf("moved to %s, stored as %s", to, got.Status)
	}
	return got
}

// auditActions lists the actions of the audit entries about target id.
func auditActions(t *testing.T, db *DB, id int64) []string {
	t.Helper()
	es, _, err := db.FindAudit(context.Background(), accord.AuditFilter{Subject: subjectOf(id)})
	if err != nil {
		t.Fatal(err)
	}
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.Action
	}
	return out
}

func subjectOf(id int64) string { return "target/" + idText(id) }

func idText(n int64) string { return strconv.FormatInt(n, 10) }

// auditCount is how many entries the whole log holds.
func auditCount(t *testing.T, db *DB) int {
	t.Helper()
	_, total, err := db.FindAudit(context.Background(), accord.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return total
}

// testTargetJourney takes one target the whole way: drafted, consulted
// on, agreed, submitted, challenged, revised, consulted on again, agreed,
// submitted, approved and made active.
func testTargetJourney(t *testing.T, open factory) {
	ctx := context.Background()
	db := seeded(t, open)
	lead, nat := leadOf("QHG"), nationalReviewer()
	staff := consultee(t, db, "unison@bedfordhospital.nhs.uk", "Sam Steward", accord.RoleWorkforceRep, "RC9")
	patient := consultee(t, db, "chair@healthwatch-bedford.org.uk", "Pat Public", accord.RolePatientRep, "E06000055")

	tg := draftTarget(t, db)
	if tg.Status != accord.TargetDraft || tg.Version != 1 || tg.SubmittedAt != nil || tg.ApprovedAt != nil {
		t.Fatalf("created: %+v", tg)
	}
	tg = mustMove(t, db, tg.ID, accord.TargetConsultation, lead, "Is 65% by March right for Bedfordshire?")

	// A response, then the same person changing their mind: one response.
	first := accord.ConsultationResponse{Stance: accord.StanceOppose, Comment: "Theatre staff cannot absorb this"}
	if err := db.Respond(ctx, tg.ID, &first, staff); err != nil {
		t.Fatal(err)
	}
	if first.ID == 0 || first.UserID != staff.UserID || first.Role != accord.RoleWorkforceRep || first.OrgCode != "RC9" ||
		first.Name != "Sam Steward" || first.At.IsZero() {
		t.Errorf("response as stored: %+v", first)
	}
	again := accord.ConsultationResponse{Stance: accord.StanceSupportWithChanges, Comment: "Only with weekend lists funded"}
	if err := db.Respond(ctx, tg.ID, &again, staff); err != nil {
		t.Fatal(err)
	}
	if again.ID != first.ID {
		t.Errorf("a second response got ID %d, want the first's %d", again.ID, first.ID)
	}
	support := accord.ConsultationResponse{Stance: accord.StanceSupport}
	if err := db.Respond(ctx, tg.ID, &support, patient); err != nil {
		t.Fatal(err)
	}

	// Agreeing with the staff response unanswered is refused, and leaves
	// nothing behind: no event, no audit entry, the consultation open.
	entries := auditCount(t, db)
	_, err := db.MoveTarget(ctx, tg.ID, accord.TargetAgreed, lead, "")
	wantError(t, err, accord.EINVALID, "themes: 1 consultation response is not yet answered", "Sam Steward (Workforce representative, Support with changes)")
	if n := auditCount(t, db); n != entries {
		t.Errorf("a refused move wrote %d audit entries", n-entries)
	}
	if h, _ := db.TargetHistory(ctx, tg.ID); len(h) != 1 {
		t.Errorf("a refused move left history %+v", h)
	}
	cs, err := db.Consultations(ctx, tg.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 1 || !cs[0].Open() || cs[0].TargetVersion != 1 || cs[0].Question != "Is 65% by March right for Bedfordshire?" ||
		cs[0].OpenedBy != lead.Email || len(cs[0].Responses) != 2 {
		t.Fatalf("consultation: %+v", cs)
	}
	if got := cs[0].Responses[0]; got.Stance != accord.StanceSupportWithChanges || got.Comment != "Only with weekend lists funded" {
		t.Errorf("the replaced response reads %+v", got)
	}
	equal(t, "summary", cs[0].Summary(), []accord.GroupSummary{
		{Role: accord.RoleWorkforceRep, SupportWithChanges: 1, Total: 1},
		{Role: accord.RolePatientRep, Support: 1, Total: 1},
		{Role: accord.RolePartnerContributor},
	})

	// The ICB answers, changing the trajectory in answer (version 2), and
	// agrees the target.
	theme := accord.Theme{YouSaid: "Staff asked for weekend lists to be funded", WeDid: "Funded them from April; the trajectory starts later",
		Changed: true, ResponseIDs: []int64{first.ID}}
	if err := db.AnswerTheme(ctx, tg.ID, &theme, lead); err != nil {
		t.Fatal(err)
	}
	if theme.ID == 0 || theme.ConsultationID != cs[0].ID || theme.By != lead.Email || theme.At.IsZero() {
		t.Errorf("theme as stored: %+v", theme)
	}
	later := tg.Trajectory
	later[0].Value = 59
	tg, err = db.SetTrajectory(ctx, tg.ID, later, lead, "weekend lists start in April")
	if err != nil {
		t.Fatal(err)
	}
	if tg.Version != 2 || tg.Status != accord.TargetConsultation || tg.Trajectory[0].Value != 59 {
		t.Fatalf("after the trajectory change: %+v", tg)
	}
	tg = mustMove(t, db, tg.ID, accord.TargetAgreed, lead, "")
	tg = mustMove(t, db, tg.ID, accord.TargetSubmitted, lead, "")
	if tg.SubmittedAt == nil || tg.SubmittedAt.Before(tg.CreatedAt) {
		t.Errorf("submitted at %v", tg.SubmittedAt)
	}
	firstSubmission := *tg.SubmittedAt

	// NHS England challenges; a challenge needs reasons.
	_, err = db.MoveTarget(ctx, tg.ID, accord.TargetChallenged, nat, " ")
	wantError(t, err, accord.EINVALID, "reason: is required")
	tg = mustMove(t, db, tg.ID, accord.TargetChallenged, nat, "Not ambitious enough given the peer group")
	tg = mustMove(t, db, tg.ID, accord.TargetDraft, lead, "revising after challenge")
	if tg.Version != 3 || tg.Status != accord.TargetDraft {
		t.Fatalf("revised: version %d, %s", tg.Version, tg.Status)
	}
	edit := tg
	edit.Value = 67
	edit.Rationale = "Raised after NHS England's challenge"
	tg, err = db.UpdateTarget(ctx, edit, lead, "answering the challenge")
	if err != nil {
		t.Fatal(err)
	}
	if tg.Version != 4 || tg.Value != 67 {
		t.Fatalf("edited: %+v", tg)
	}

	// Consulted on again (no one asks for changes), agreed, and approved.
	tg = mustMove(t, db, tg.ID, accord.TargetConsultation, lead, "")
	if err := db.Respond(ctx, tg.ID, &accord.ConsultationResponse{Stance: accord.StanceSupport}, staff); err != nil {
		t.Fatal(err)
	}
	tg = mustMove(t, db, tg.ID, accord.TargetAgreed, lead, "")
	tg = mustMove(t, db, tg.ID, accord.TargetSubmitted, lead, "")
	if tg.SubmittedAt == nil || tg.SubmittedAt.Before(firstSubmission) {
		t.Errorf("resubmitted at %v, first submitted %v", tg.SubmittedAt, firstSubmission)
	}
	tg = mustMove(t, db, tg.ID, accord.TargetApproved, nat, "")
	if tg.ApprovedAt == nil {
		t.Error("approval did not set ApprovedAt")
	}
	tg = mustMove(t, db, tg.ID, accord.TargetActive, lead, "")

	got, err := db.FindTarget(ctx, tg.ID)
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "stored target", got, tg)

	history, err := db.TargetHistory(ctx, tg.ID)
	if err != nil {
		t.Fatal(err)
	}
	type step struct {
		version  int
		from, to accord.TargetStatus
		actor    string
		role     accord.Role
	}
	var steps []step
	for _, e := range history {
		steps = append(steps, step{e.Version, e.From, e.To, e.Actor, e.Role})
		if e.TargetID != tg.ID || e.At.IsZero() {
			t.Errorf("event %+v", e)
		}
	}
	l, n := lead.Email, nat.Email
	equal(t, "history", steps, []step{
		{1, accord.TargetDraft, accord.TargetConsultation, l, accord.RoleICBLead},
		{2, accord.TargetConsultation, accord.TargetAgreed, l, accord.RoleICBLead},
		{2, accord.TargetAgreed, accord.TargetSubmitted, l, accord.RoleICBLead},
		{2, accord.TargetSubmitted, accord.TargetChallenged, n, accord.RoleNationalOversight},
		{2, accord.TargetChallenged, accord.TargetDraft, l, accord.RoleICBLead},
		{4, accord.TargetDraft, accord.TargetConsultation, l, accord.RoleICBLead},
		{4, accord.TargetConsultation, accord.TargetAgreed, l, accord.RoleICBLead},
		{4, accord.TargetAgreed, accord.TargetSubmitted, l, accord.RoleICBLead},
		{4, accord.TargetSubmitted, accord.TargetApproved, n, accord.RoleNationalOversight},
		{4, accord.TargetApproved, accord.TargetActive, l, accord.RoleICBLead},
	})
	if history[3].Reason != "Not ambitious enough given the peer group" || history[3].ActorName != "Rita Reviewer" {
		t.Errorf("challenge event: %+v", history[3])
	}

	versions, err := db.TargetVersions(ctx, tg.ID)
	if err != nil {
		t.Fatal(err)
	}
	type ver struct {
		version int
		status  accord.TargetStatus
		value   float64
		first   float64
	}
	var vs []ver
	for _, v := range versions {
		vs = append(vs, ver{v.Version, v.Status, v.Value, v.Trajectory[0].Value})
	}
	equal(t, "versions", vs, []ver{
		{1, accord.TargetConsultation, 65, 60},
		{2, accord.TargetChallenged, 65, 59},
		{3, accord.TargetDraft, 65, 59},
		{4, accord.TargetActive, 67, 59},
	})
	equal(t, "the last version is the target", versions[len(versions)-1], tg)

	cs, err = db.Consultations(ctx, tg.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 2 || cs[0].Open() || cs[1].Open() || cs[1].TargetVersion != 4 || cs[1].Question == "" {
		t.Fatalf("consultations: %+v", cs)
	}
	if len(cs[0].Themes) != 1 || len(cs[0].Unanswered()) != 0 || len(cs[1].Responses) != 1 || len(cs[1].Themes) != 0 {
		t.Errorf("consultations: %+v", cs)
	}
	equal(t, "theme", cs[0].Themes[0], theme)

	equal(t, "audit", auditActions(t, db, tg.ID), []string{
		"target.create", "target.transition",
		"consultation.respond", "consultation.respond", "consultation.respond",
		"consultation.theme", "target.trajectory",
		"target.transition", "target.transition", "target.transition", "target.transition",
		"target.update",
		"target.transition", "consultation.respond", "target.transition", "target.transition", "target.transition", "target.transition",
	})
	es, _, err := db.FindAudit(ctx, accord.AuditFilter{Subject: subjectOf(tg.ID)})
	if err != nil {
		t.Fatal(err)
	}
	if es[3].Actor != staff.Email || !strings.Contains(es[3].Detail, `"replaces":{"at":`) ||
		!strings.Contains(es[3].Detail, `"role":"workforce_rep"`) {
		t.Errorf("replaced response audit: %+v", es[3])
	}
	if e := es[11]; e.Reason != "answering the challenge" || !strings.Contains(e.Detail, `"value":{"from":65,"to":67}`) ||
		strings.Contains(e.Detail, `"title"`) {
		t.Errorf("update audit: %+v", e)
	}
	check, err := db.VerifyAudit(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !check.OK || check.Entries != 18 {
		t.Errorf("verify: %+v", check)
	}
}

func testTargetVersionConflict(t *testing.T, open factory) {
	ctx := context.Background()
	db := seeded(t, open)
	lead := leadOf("QHG")
	tg := draftTarget(t, db)

	mine, theirs := tg, tg
	theirs.Title = "Waiting under 18 weeks, all specialties"
	got, err := db.UpdateTarget(ctx, theirs, lead, "")
	if err != nil {
		t.Fatal(err)
	}
	if got.Version != 2 || got.Title != theirs.Title || !got.UpdatedAt.After(tg.UpdatedAt.Add(-time.Second)) {
		t.Errorf("updated: %+v", got)
	}
	entries := auditCount(t, db)
	mine.Value = 70
	_, err = db.UpdateTarget(ctx, mine, lead, "")
	wantError(t, err, accord.ECONFLICT, "changed by someone else", "version 1", "now version 2", "reload")
	if n := auditCount(t, db); n != entries {
		t.Errorf("a refused update wrote %d audit entries", n-entries)
	}
	stored, err := db.FindTarget(ctx, tg.ID)
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "stored", stored, got)
	versions, err := db.TargetVersions(ctx, tg.ID)
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "versions", versions, []accord.Target{tg, got})

	// Saving what is already stored changes nothing, not even the version.
	same, err := db.UpdateTarget(ctx, got, lead, "")
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "unchanged update", same, got)
	if n := auditCount(t, db); n != entries {
		t.Errorf("an update that changed nothing wrote %d audit entries", n-entries)
	}
}

func testTargetUpdateRules(t *testing.T, open factory) {
	ctx := context.Background()
	db := seeded(t, open)
	lead := leadOf("QHG")
	tg := draftTarget(t, db)

	moved := tg
	moved.OrgCode, moved.Status = "QUE", accord.TargetApproved
	_, err := db.UpdateTarget(ctx, moved, lead, "")
	wantError(t, err, accord.EINVALID, "organisation: a target stays with its organisation (QHG)", "status: is changed by moving the target")

	bad := tg
	bad.Title, bad.IndicatorID, bad.Deadline = " ", "nope", accord.NewDate(2020, time.March, 31)
	bad.Trajectory = []accord.Milestone{{Period: accord.MustParsePeriod("2025-09"), Value: 1}, {Period: accord.MustParsePeriod("2025-06"), Value: 2}}
	_, err = db.UpdateTarget(ctx, bad, lead, "")
	wantError(t, err, accord.EINVALID, "title: is required", `indicator: "nope" is not in the catalogue`,
		"deadline: 2020-03-31 is in the past", "trajectory: milestone 2 (2025-06) is not after milestone 1")

	// Past consultation, a target is no longer edited.
	tg = mustMove(t, db, tg.ID, accord.TargetConsultation, lead, "")
	tg = mustMove(t, db, tg.ID, accord.TargetAgreed, lead, "")
	late := tg
	late.Value = 70
	_, err = db.UpdateTarget(ctx, late, lead, "")
	wantError(t, err, accord.ECONFLICT, "target "+idText(tg.ID)+" is locally_agreed: it can be edited only in draft or in consultation")
	_, err = db.SetTrajectory(ctx, tg.ID, nil, lead, "")
	wantError(t, err, accord.ECONFLICT, "can be edited only in draft or in consultation")
	if vs, _ := db.TargetVersions(ctx, tg.ID); len(vs) != 1 {
		t.Errorf("refused edits left %d versions", len(vs))
	}
	if got := auditActions(t, db, tg.ID); len(got) != 3 {
		t.Errorf("audit after refused edits: %v", got)
	}
}

func testTargetCreateRules(t *testing.T, open factory) {
	ctx := context.Background()
	db := seeded(t, open)
	tg := fixtureTarget()
	tg.Status, tg.Deadline = accord.TargetApproved, accord.NewDate(2026, time.March, 31)
	tg.Trajectory = nil
	wantError(t, db.CreateTarget(ctx, &tg, leadOf("QHG")), accord.EINVALID,
		"status: a new target starts as a draft, not approved", "deadline: 2026-03-31 is in the past")

	ok := fixtureTarget()
	wantError(t, db.CreateTarget(ctx, &ok, accord.Actor{Role: "chief"}), accord.EINVALID,
		"actor: no email", `role: "chief" is not a role`, "organisation: say which organisation")
	if _, total, _ := db.FindTargets(ctx, accord.TargetFilter{}); total != 0 {
		t.Errorf("%d targets stored, want 0", total)
	}
	if n := auditCount(t, db); n != 0 {
		t.Errorf("refused creations wrote %d audit entries", n)
	}

	// Today is not in the past; a status left empty means a draft.
	ok.Deadline = deadlineToday()
	ok.Trajectory = nil
	ok.Status = ""
	if err := db.CreateTarget(ctx, &ok, leadOf("QHG")); err != nil {
		t.Fatal(err)
	}
	if ok.Status != accord.TargetDraft {
		t.Errorf("created as %s", ok.Status)
	}
	es, _, err := db.FindAudit(ctx, accord.AuditFilter{Subject: subjectOf(ok.ID)})
	if err != nil || len(es) != 1 {
		t.Fatalf("audit %+v %v", es, err)
	}
	if e := es[0]; e.Action != "target.create" || e.Actor != "lead@qhg.nhs.net" || !strings.Contains(e.Detail, `"title":"Patients waiting under 18 weeks"`) ||
		!strings.Contains(e.Detail, `"role":"icb_lead"`) {
		t.Errorf("audit entry %+v", e)
	}
}

func testTargetMoveRules(t *testing.T, open factory) {
	ctx := context.Background()
	db := seeded(t, open)
	tg := draftTarget(t, db)
	_, err := db.MoveTarget(ctx, tg.ID, accord.TargetApproved, leadOf("QHG"), "")
	wantError(t, err, accord.EINVALID, "a target cannot move from draft to approved")
	_, err = db.MoveTarget(ctx, tg.ID, accord.TargetConsultation, nationalReviewer(), "")
	wantError(t, err, accord.EFORBIDDEN, "National oversight may not move a target from draft to consultation")
	_, err = db.MoveTarget(ctx, tg.ID, accord.TargetWithdrawn, leadOf("QHG"), "")
	wantError(t, err, accord.EINVALID, "reason: is required")
	if h, _ := db.TargetHistory(ctx, tg.ID); len(h) != 0 {
		t.Errorf("refused moves left history %+v", h)
	}

	// Withdrawing during consultation closes the consultation, even with
	// responses unanswered.
	mustMove(t, db, tg.ID, accord.TargetConsultation, leadOf("QHG"), "")
	rep := consultee(t, db, "rep@rc9.nhs.uk", "Rosa Rep", accord.RoleWorkforceRep, "RC9")
	if err := db.Respond(ctx, tg.ID, &accord.ConsultationResponse{Stance: accord.StanceOppose, Comment: "No"}, rep); err != nil {
		t.Fatal(err)
	}
	mustMove(t, db, tg.ID, accord.TargetWithdrawn, leadOf("QHG"), "Replaced by a system-wide target")
	cs, err := db.Consultations(ctx, tg.ID)
	if err != nil || len(cs) != 1 || cs[0].Open() {
		t.Fatalf("consultations after withdrawal: %+v %v", cs, err)
	}
	_, err = db.MoveTarget(ctx, tg.ID, accord.TargetDraft, leadOf("QHG"), "")
	wantError(t, err, accord.EINVALID, "a target cannot move from withdrawn to draft")
}

func testTargetSetTrajectory(t *testing.T, open factory) {
	ctx := context.Background()
	db := seeded(t, open)
	lead := leadOf("QHG")
	tg := draftTarget(t, db)
	ms := []accord.Milestone{{Period: accord.MustParsePeriod("2025-12"), Value: 62}, {Period: accord.MustParsePeriod("2026-03"), Value: 65}}
	got, err := db.SetTrajectory(ctx, tg.ID, ms, lead, "quarterly is enough")
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "trajectory", got.Trajectory, ms)
	if got.Version != 2 {
		t.Errorf("version %d", got.Version)
	}
	stored, _ := db.FindTarget(ctx, tg.ID)
	equal(t, "stored", stored, got)

	late := []accord.Milestone{{Period: accord.MustParsePeriod(fmt.Sprintf("%d-05", fixtureDeadline().Year())), Value: 70}}
	_, err = db.SetTrajectory(ctx, tg.ID, late, lead, "")
	wantError(t, err, accord.EINVALID, "trajectory: milestone 1", "starts after the deadline")

	es, _, err := db.FindAudit(ctx, accord.AuditFilter{Subject: subjectOf(tg.ID)})
	if err != nil || len(es) != 2 {
		t.Fatalf("audit: %+v %v", es, err)
	}
	if e := es[1]; e.Action != "target.trajectory" || e.Reason != "quarterly is enough" ||
		!strings.Contains(e.Detail, `"to":[{"period":"2025-12","value":62},{"period":"2026-03","value":65}]`) {
		t.Errorf("audit: %+v", e)
	}

	// An empty trajectory clears it.
	got, err = db.SetTrajectory(ctx, tg.ID, nil, lead, "")
	if err != nil || got.Trajectory != nil || got.Version != 3 {
		t.Fatalf("cleared: %+v %v", got, err)
	}
}

func testTargetFloorJustification(t *testing.T, open factory) {
	ctx := context.Background()
	db := seeded(t, open)
	lead := leadOf("QHG")
	tg := fixtureTarget()
	tg.PriorityID = "rtt_92" // the constitutional standard; 65% falls short of it
	if err := db.CreateTarget(ctx, &tg, lead); err != nil {
		t.Fatal(err)
	}
	_, err := db.MoveTarget(ctx, tg.ID, accord.TargetConsultation, lead, "")
	wantError(t, err, accord.EINVALID,
		"floor_justification: the target (>= 65) falls short of the national standard of rtt_92 (>= 92)", "before it goes to consultation")
	if got, _ := db.FindTarget(ctx, tg.ID); got.Status != accord.TargetDraft {
		t.Errorf("a refused move left %s", got.Status)
	}
	tg.FloorJustification = "The backlog after the theatre refurbishment makes 92% unreachable this year"
	tg, err = db.UpdateTarget(ctx, tg, lead, "")
	if err != nil {
		t.Fatal(err)
	}
	tg = mustMove(t, db, tg.ID, accord.TargetConsultation, lead, "")

	// Edited during consultation to lose its justification, it cannot be
	// agreed; a target meeting the standard needs none.
	tg.FloorJustification = " "
	if tg, err = db.UpdateTarget(ctx, tg, lead, ""); err != nil {
		t.Fatal(err)
	}
	_, err = db.MoveTarget(ctx, tg.ID, accord.TargetAgreed, lead, "")
	wantError(t, err, accord.EINVALID, "floor_justification:", "before it goes to locally_agreed")
	tg.Value = 92
	if tg, err = db.UpdateTarget(ctx, tg, lead, ""); err != nil {
		t.Fatal(err)
	}
	tg = mustMove(t, db, tg.ID, accord.TargetAgreed, lead, "")
	mustMove(t, db, tg.ID, accord.TargetSubmitted, lead, "")
}

func testTargetHistoryAppendOnly(t *testing.T, open factory) {
	ctx := context.Background()
	db := seeded(t, open)
	tg := draftTarget(t, db)
	mustMove(t, db, tg.ID, accord.TargetConsultation, leadOf("QHG"), "")
	if err := rawExec(t, db, `UPDATE target_events SET reason = 'rewritten'`); err == nil || !strings.Contains(err.Error(), "append-only") {
		t.Errorf("update of the history: %v", err)
	}
	if err := rawExec(t, db, `DELETE FROM target_events`); err == nil || !strings.Contains(err.Error(), "append-only") {
		t.Errorf("delete from the history: %v", err)
	}
	if h, err := db.TargetHistory(ctx, tg.ID); err != nil || len(h) != 1 || h[0].Reason != "" {
		t.Errorf("history: %+v %v", h, err)
	}
}

func testTargetUnknown(t *testing.T, open factory) {
	ctx := context.Background()
	db := seeded(t, open)
	lead := leadOf("QHG")
	_, err := db.UpdateTarget(ctx, accord.Target{ID: 404, Version: 1}, lead, "")
	wantError(t, err, accord.ENOTFOUND, "target 404 not found")
	_, err = db.SetTrajectory(ctx, 404, nil, lead, "")
	wantError(t, err, accord.ENOTFOUND, "target 404 not found")
	_, err = db.MoveTarget(ctx, 404, accord.TargetConsultation, lead, "")
	wantError(t, err, accord.ENOTFOUND, "target 404 not found")
	_, err = db.TargetHistory(ctx, 404)
	wantError(t, err, accord.ENOTFOUND, "target 404 not found")
	_, err = db.TargetVersions(ctx, 404)
	wantError(t, err, accord.ENOTFOUND, "target 404 not found")
	_, err = db.Consultations(ctx, 404)
	wantError(t, err, accord.ENOTFOUND, "target 404 not found")
	err = db.AnswerTheme(ctx, 404, &accord.Theme{YouSaid: "a", WeDid: "b", ResponseIDs: []int64{1}}, lead)
	wantError(t, err, accord.ENOTFOUND, "target 404 not found")
}
