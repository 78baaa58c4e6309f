package store

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	accord "github.com/nhs-accord/accord"
)

func TestConsultation(t *testing.T) {
	cases := []struct {
		name string
		run  func(t *testing.T, open factory)
	}{
		{"ResponseRules", testConsultationResponseRules},
		{"ThemeRules", testConsultationThemeRules},
		{"ChangedResponseAnsweredAgain", testConsultationChangedResponse},
		{"None", testConsultationNone},
		{"ConcurrentWrites", testConsultationConcurrent},
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

// inConsultation stores the fixture target for QHG and opens its
// consultation.
func inConsultation(t *testing.T, db *DB) accord.Target {
	t.Helper()
	tg := draftTarget(t, db)
	return mustMove(t, db, tg.ID, accord.TargetConsultation, leadOf("QHG"), "")
}

func testConsultationResponseRules(t *testing.T, open factory) {
	ctx := context.Background()
	db := seeded(t, open)
	draft := draftTarget(t, db)
	tg := inConsultation(t, db)
	rep := consultee(t, db, "rep@rc9.nhs.uk", "Rosa Rep", accord.RoleWorkforceRep, "RC9")
	entries := auditCount(t, db)

	err := db.Respond(ctx, tg.ID, &accord.ConsultationResponse{}, rep)
	wantError(t, err, accord.EINVALID, "stance: choose support, support with changes or oppose")
	err = db.Respond(ctx, tg.ID, &accord.ConsultationResponse{Stance: accord.StanceOppose, Comment: "  "}, rep)
	wantError(t, err, accord.EINVALID, "comment: say what should change, or why you oppose the target")
	err = db.Respond(ctx, tg.ID, &accord.ConsultationResponse{Stance: "maybe"}, rep)
	wantError(t, err, accord.EINVALID, `stance: "maybe" must be support, support_with_changes or oppose`)
	reviewer := rep
	reviewer.Role = accord.RolePeerReviewer
	err = db.Respond(ctx, tg.ID, &accord.ConsultationResponse{Stance: accord.StanceSupport}, reviewer)
	wantError(t, err, accord.EINVALID, "role: only workforce and patient representatives and partner contributors respond", "not Peer reviewer")
	anonymous := rep
	anonymous.UserID = 0
	err = db.Respond(ctx, tg.ID, &accord.ConsultationResponse{Stance: accord.StanceSupport}, anonymous)
	wantError(t, err, accord.EINVALID, "recorded against a signed-in user")
	ghost := rep
	ghost.UserID = 9999
	err = db.Respond(ctx, tg.ID, &accord.ConsultationResponse{Stance: accord.StanceSupport}, ghost)
	wantError(t, err, accord.EINVALID, "user 9999 or organisation \"RC9\" is not known")
	err = db.Respond(ctx, draft.ID, &accord.ConsultationResponse{Stance: accord.StanceSupport}, rep)
	wantError(t, err, accord.ECONFLICT, "target "+idText(draft.ID)+" is draft: responses are taken only while it is in consultation")
	err = db.Respond(ctx, 404, &accord.ConsultationResponse{Stance: accord.StanceSupport}, rep)
	wantError(t, err, accord.ENOTFOUND, "target 404 not found")
	err = db.Respond(ctx, tg.ID, nil, rep)
	wantError(t, err, accord.EINVALID, "no response given")

	if n := auditCount(t, db); n != entries {
		t.Errorf("refused responses wrote %d audit entries", n-entries)
	}
	cs, err := db.Consultations(ctx, tg.ID)
	if err != nil || len(cs) != 1 || len(cs[0].Responses) != 0 {
		t.Fatalf("after refused responses: %+v %v", cs, err)
	}

	// What the caller says of who responds is ignored: it is the actor's.
	r := accord.ConsultationResponse{UserID: 77, Name: "Someone Else", Role: accord.RolePatientRep, OrgCode: "QUE",
		Stance: accord.StanceSupport, Comment: "  Good plan  "}
	if err := db.Respond(ctx, tg.ID, &r, rep); err != nil {
		t.Fatal(err)
	}
	cs, err = db.Consultations(ctx, tg.ID)
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "responses", cs[0].Responses, []accord.ConsultationResponse{r})
	if r.UserID != rep.UserID || r.Name != "Rosa Rep" || r.Role != accord.RoleWorkforceRep || r.OrgCode != "RC9" || r.Comment != "Good plan" {
		t.Errorf("response as stored: %+v", r)
	}
}

func testConsultationThemeRules(t *testing.T, open factory) {
	ctx := context.Background()
	db := seeded(t, open)
	lead := leadOf("QHG")
	tg := inConsultation(t, db)
	other := inConsultation(t, db)
	rep := consultee(t, db, "rep@rc9.nhs.uk", "Rosa Rep", accord.RoleWorkforceRep, "RC9")
	mine := accord.ConsultationResponse{Stance: accord.StanceOppose, Comment: "Too fast"}
	if err := db.Respond(ctx, tg.ID, &mine, rep); err != nil {
		t.Fatal(err)
	}
	elsewhere := accord.ConsultationResponse{Stance: accord.StanceOppose, Comment: "Too slow"}
	if err := db.Respond(ctx, other.ID, &elsewhere, rep); err != nil {
		t.Fatal(err)
	}
	entries := auditCount(t, db)

	err := db.AnswerTheme(ctx, tg.ID, &accord.Theme{YouSaid: " ", ResponseIDs: []int64{mine.ID, mine.ID}}, lead)
	wantError(t, err, accord.EINVALID, "you_said: is required", "we_did: is required", "responses: response "+idText(mine.ID)+" is chosen twice")
	err = db.AnswerTheme(ctx, tg.ID, &accord.Theme{YouSaid: "a", WeDid: "b"}, lead)
	wantError(t, err, accord.EINVALID, "responses: choose at least one response")
	err = db.AnswerTheme(ctx, tg.ID, &accord.Theme{YouSaid: "Pace", WeDid: "Slowed", ResponseIDs: []int64{mine.ID, elsewhere.ID}}, lead)
	wantError(t, err, accord.EINVALID, "responses: response "+idText(elsewhere.ID)+" is not a response to the consultation on target "+idText(tg.ID))
	err = db.AnswerTheme(ctx, tg.ID, nil, lead)
	wantError(t, err, accord.EINVALID, "no theme given")
	if n := auditCount(t, db); n != entries {
		t.Errorf("refused themes wrote %d audit entries", n-entries)
	}
	cs, _ := db.Consultations(ctx, tg.ID)
	if len(cs) != 1 || len(cs[0].Themes) != 0 {
		t.Fatalf("after refused themes: %+v", cs)
	}

	// Themes answer the open consultation only.
	theme := accord.Theme{YouSaid: "Pace", WeDid: "Kept it, with support for staff", ResponseIDs: []int64{mine.ID}}
	if err := db.AnswerTheme(ctx, tg.ID, &theme, lead); err != nil {
		t.Fatal(err)
	}
	mustMove(t, db, tg.ID, accord.TargetAgreed, lead, "")
	err = db.AnswerTheme(ctx, tg.ID, &accord.Theme{YouSaid: "a", WeDid: "b", ResponseIDs: []int64{mine.ID}}, lead)
	wantError(t, err, accord.ECONFLICT, "is locally_agreed: themes are answered only while it is in consultation")

	es, _, err := db.FindAudit(ctx, accord.AuditFilter{Subject: subjectOf(tg.ID)})
	if err != nil {
		t.Fatal(err)
	}
	var themed *accord.AuditEntry
	for i := range es {
		if es[i].Action == "consultation.theme" {
			themed = &es[i]
		}
	}
	if themed == nil || themed.Actor != lead.Email || !strings.Contains(themed.Detail, `"responses":[`+idText(mine.ID)+`]`) ||
		!strings.Contains(themed.Detail, `"we_did":"Kept it, with support for staff"`) {
		t.Errorf("theme audit: %+v", themed)
	}
}

// testConsultationChangedResponse: a theme answers what a response said;
// when the response changes what it says, the ICB must answer it again
// before agreeing, and sending the same response again changes nothing.
func testConsultationChangedResponse(t *testing.T, open factory) {
	ctx := context.Background()
	db := seeded(t, open)
	lead := leadOf("QHG")
	tg := inConsultation(t, db)
	rep := consultee(t, db, "rep@rc9.nhs.uk", "Rosa Rep", accord.RoleWorkforceRep, "RC9")
	partner := consultee(t, db, "partner@bedford.gov.uk", "Paul Partner", accord.RolePartnerContributor, "E06000055")
	r := accord.ConsultationResponse{Stance: accord.StanceSupportWithChanges, Comment: "Add weekend lists"}
	if err := db.Respond(ctx, tg.ID, &r, rep); err != nil {
		t.Fatal(err)
	}
	p := accord.ConsultationResponse{Stance: accord.StanceOppose, Comment: "Social care cannot keep up"}
	if err := db.Respond(ctx, tg.ID, &p, partner); err != nil {
		t.Fatal(err)
	}
	if err := db.AnswerTheme(ctx, tg.ID, &accord.Theme{YouSaid: "Weekend lists", WeDid: "Added", Changed: true, ResponseIDs: []int64{r.ID}}, lead); err != nil {
		t.Fatal(err)
	}
	if err := db.AnswerTheme(ctx, tg.ID, &accord.Theme{YouSaid: "Social care capacity", WeDid: "Joint plan with the council", ResponseIDs: []int64{p.ID}}, lead); err != nil {
		t.Fatal(err)
	}

	same := accord.ConsultationResponse{Stance: accord.StanceSupportWithChanges, Comment: "Add weekend lists"}
	if err := db.Respond(ctx, tg.ID, &same, rep); err != nil {
		t.Fatal(err)
	}
	cs, _ := db.Consultations(ctx, tg.ID)
	if left := cs[0].Unanswered(); len(left) != 0 {
		t.Errorf("the same response again is unanswered: %+v", left)
	}

	changed := accord.ConsultationResponse{Stance: accord.StanceOppose, Comment: "Weekend lists are not enough"}
	if err := db.Respond(ctx, tg.ID, &changed, rep); err != nil {
		t.Fatal(err)
	}
	cs, _ = db.Consultations(ctx, tg.ID)
	left := cs[0].Unanswered()
	if len(left) != 1 || left[0].ID != r.ID || left[0].Comment != "Weekend lists are not enough" {
		t.Fatalf("unanswered after the change: %+v", left)
	}
	equal(t, "summary", cs[0].Summary(), []accord.GroupSummary{
		{Role: accord.RoleWorkforceRep, Oppose: 1, Total: 1},
		{Role: accord.RolePatientRep},
		{Role: accord.RolePartnerContributor, Oppose: 1, Total: 1},
	})
	if len(cs[0].Themes) != 2 || len(cs[0].Themes[0].ResponseIDs) != 0 || len(cs[0].Themes[1].ResponseIDs) != 1 {
		t.Errorf("themes after the change: %+v", cs[0].Themes)
	}
	es, _, _ := db.FindAudit(ctx, accord.AuditFilter{Subject: subjectOf(tg.ID)})
	if last := es[len(es)-1]; !strings.Contains(last.Detail, `"unlinked_from_themes":1`) {
		t.Errorf("the change's audit entry: %+v", last)
	}
	_, err := db.MoveTarget(ctx, tg.ID, accord.TargetAgreed, lead, "")
	wantError(t, err, accord.EINVALID, "themes: 1 consultation response is not yet answered", "Rosa Rep (Workforce representative, Oppose)")

	if err := db.AnswerTheme(ctx, tg.ID, &accord.Theme{YouSaid: "More than weekend lists", WeDid: "Added a second theatre team", Changed: true,
		ResponseIDs: []int64{r.ID}}, lead); err != nil {
		t.Fatal(err)
	}
	mustMove(t, db, tg.ID, accord.TargetAgreed, lead, "")
	if check, err := db.VerifyAudit(ctx); err != nil || !check.OK {
		t.Errorf("verify: %+v %v", check, err)
	}
}

func testConsultationNone(t *testing.T, open factory) {
	db := seeded(t, open)
	tg := draftTarget(t, db)
	cs, err := db.Consultations(context.Background(), tg.ID)
	if err != nil {
		t.Fatal(err)
	}
	if cs == nil || len(cs) != 0 {
		t.Errorf("consultations of a draft: %#v, want an empty list", cs)
	}
}

// testConsultationConcurrent: responses and other audit entries written at
// once all land, and the audit chain stays one line.
func testConsultationConcurrent(t *testing.T, open factory) {
	ctx := context.Background()
	db := seeded(t, open)
	tg := inConsultation(t, db)
	before := auditCount(t, db)
	const people = 6
	reps := make([]accord.Actor, people)
	for i := range reps {
		reps[i] = consultee(t, db, fmt.Sprintf("rep%d@rc9.nhs.uk", i), fmt.Sprintf("Rep %d", i), accord.RoleWorkforceRep, "RC9")
	}
	var wg sync.WaitGroup
	errs := make(chan error, 2*people)
	for i, rep := range reps {
		wg.Go(func() {
			errs <- db.Respond(ctx, tg.ID, &accord.ConsultationResponse{Stance: accord.StanceOppose, Comment: fmt.Sprintf("reason %d", i)}, rep)
		})
		wg.Go(func() {
			_, err := db.AppendAudit(ctx, accord.AuditEntry{Actor: "importer", Action: "import.run", Subject: fmt.Sprintf("import/%d", i)})
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	cs, err := db.Consultations(ctx, tg.ID)
	if err != nil || len(cs) != 1 || len(cs[0].Responses) != people || len(cs[0].Unanswered()) != people {
		t.Fatalf("consultation: %+v %v", cs, err)
	}
	check, err := db.VerifyAudit(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !check.OK || check.Entries != before+2*people {
		t.Errorf("verify: %+v, want %d entries", check, before+2*people)
	}
}
