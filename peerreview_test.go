package accord_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/nhs-accord/accord"
)

func reviewDay(s string) accord.Date {
	d, err := accord.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// wantCode fails t unless err has code and its message holds each of want;
// code "" wants no error.
func wantReviewErr(t *testing.T, err error, code string, want ...string) {
	t.Helper()
	if code == "" {
		if err != nil {
			t.Fatalf("got %v, want no error", err)
		}
		return
	}
	if got := accord.ErrorCode(err); got != code {
		t.Fatalf("got code %q (%v), want %q", got, err, code)
	}
	for _, w := range want {
		if !strings.Contains(accord.ErrorMessage(err), w) {
			t.Errorf("message %q does not contain %q", accord.ErrorMessage(err), w)
		}
	}
}

// scopedReview is a review of QHG, on site 9–12 March 2026, with one focus
// area, its request and scope done, and nothing else started.
func scopedReview() accord.PeerReview {
	r := accord.PeerReview{
		ID: 7, OrgCode: "QHG", RegionCode: "Y61",
		FocusAreas:  []accord.FocusArea{{ID: 1, Title: "Elective recovery", IndicatorIDs: []string{"rtt_18w"}}},
		OnSiteStart: reviewDay("2026-03-09"), OnSiteEnd: reviewDay("2026-03-12"),
		Stages: accord.PlanStages(reviewDay("2026-03-09"), reviewDay("2026-03-12")),
	}
	r.Stages[0].State, r.Stages[0].Started, r.Stages[0].Completed = accord.StageDone, reviewDay("2025-11-01"), reviewDay("2025-12-01")
	return r
}

// done marks the named stages of r done on on.
func stagesDone(r accord.PeerReview, on string, names ...accord.StageName) accord.PeerReview {
	r.Stages = slices.Clone(r.Stages)
	for i := range r.Stages {
		if slices.Contains(names, r.Stages[i].Name) {
			r.Stages[i].State, r.Stages[i].Completed = accord.StageDone, reviewDay(on)
			if r.Stages[i].Started.IsZero() {
				r.Stages[i].Started = reviewDay(on)
			}
		}
	}
	return r
}

func reviewTeam() []accord.TeamMember {
	return []accord.TeamMember{
		{ID: 1, UserID: 101, Name: "Lena Lead", HomeOrg: "QUE", Role: accord.TeamLeadReviewer, Why: "nearest peer", ChosenFor: accord.ChosenStatisticallySimilar},
		{ID: 2, UserID: 102, Name: "Pete Peer", HomeOrg: "QMJ", Role: accord.TeamPeer, Why: "most improved on RTT", ChosenFor: accord.ChosenMostImproved},
	}
}

func TestStageOverdue(t *testing.T) {
	today := reviewDay("2026-11-22")
	cases := []struct {
		name  string
		stage accord.Stage
		want  bool
	}{
		{"past due, in progress", accord.Stage{Due: reviewDay("2026-11-21"), State: accord.StageInProgress}, true},
		{"past due, not started", accord.Stage{Due: reviewDay("2026-01-01"), State: accord.StageNotStarted}, true},
		{"due today", accord.Stage{Due: today, State: accord.StageInProgress}, false},
		{"due tomorrow", accord.Stage{Due: reviewDay("2026-11-23"), State: accord.StageNotStarted}, false},
		{"past due but done", accord.Stage{Due: reviewDay("2026-01-01"), State: accord.StageDone}, false},
		{"no due date", accord.Stage{State: accord.StageInProgress}, false},
	}
	for _, c := range cases {
		if got := c.stage.Overdue(today); got != c.want {
			t.Errorf("%s: Overdue = %v, want %v", c.name, got, c.want)
		}
	}
}

func TestPeerReviewOverdue(t *testing.T) {
	r := scopedReview()
	// On 2026-11-22 the stages due by then are all but the progress review
	// (due 2027-01-12); request and scope is done, so it is not overdue.
	var names []accord.StageName
	for _, s := range r.Overdue(reviewDay("2026-11-22")) {
		names = append(names, s.Name)
	}
	want := []accord.StageName{accord.StageTeamFormation, accord.StagePositionStatement, accord.StageReview,
		accord.StageReport, accord.StageResponseAndActionPlan}
	if !slices.Equal(names, want) {
		t.Errorf("overdue stages: got %v, want %v", names, want)
	}
	if got := r.Overdue(reviewDay("2025-12-01")); len(got) != 0 {
		t.Errorf("before anything falls due: %+v", got)
	}
}

func TestPlanStages(t *testing.T) {
	start, end := reviewDay("2026-03-09"), reviewDay("2026-03-12")
	stages := accord.PlanStages(start, end)
	want := map[accord.StageName]string{
		accord.StageRequestAndScope:       "2025-12-15", // 12 weeks before
		accord.StageTeamFormation:         "2026-01-12", // 8 weeks before
		accord.StagePositionStatement:     "2026-02-23", // a fortnight before
		accord.StageReview:                "2026-03-12", // the last day on site
		accord.StageReport:                "2026-05-07", // 8 weeks after
		accord.StageResponseAndActionPlan: "2026-07-02", // 16 weeks after
		accord.StageProgressReview:        "2027-01-12", // ten months after
	}
	if len(stages) != len(accord.StageNames) {
		t.Fatalf("%d stages, want %d", len(stages), len(accord.StageNames))
	}
	for i, s := range stages {
		if s.Name != accord.StageNames[i] {
			t.Errorf("stage %d is %s, want %s", i, s.Name, accord.StageNames[i])
		}
		if s.State != accord.StageNotStarted || !s.Started.IsZero() || !s.Completed.IsZero() {
			t.Errorf("stage %s starts as %+v", s.Name, s)
		}
		if s.Due.String() != want[s.Name] {
			t.Errorf("stage %s due %s, want %s", s.Name, s.Due, want[s.Name])
		}
		if i > 0 && s.Due.Before(stages[i-1].Due.Time) {
			t.Errorf("stage %s is due before the stage before it", s.Name)
		}
	}
	if got := accord.ProgressReviewDue(reviewDay("2026-05-31")); got.String() != "2027-03-31" {
		t.Errorf("ten months after 31 May 2026: got %s", got) // March has 31 days, so no overflow
	}
	if got := accord.ProgressReviewDue(accord.Date{}); !got.IsZero() {
		t.Errorf("no end date: got %s", got)
	}
}

func TestCheckStageMove(t *testing.T) {
	base := scopedReview()
	withTeam := base
	withTeam.Team = reviewTeam()
	undecided := base
	undecided.Team = reviewTeam()
	undecided.Team[1].Conflicts = []accord.Conflict{{Kind: accord.ConflictSharedProviders, Declared: "Both commission RGT"}}
	excluded := base
	excluded.Team = reviewTeam()
	excluded.Team[1].Conflicts = []accord.Conflict{{Kind: accord.ConflictOther, Declared: "Was CEO here", Decision: accord.ConflictExcluded}}
	leadOnly := base
	leadOnly.Team = reviewTeam()[:1]
	noLead := base
	noLead.Team = reviewTeam()[1:]
	statement := stagesDone(withTeam, "2026-01-10", accord.StageTeamFormation)
	statement.PositionStatement = "We are where we are."
	reviewed := stagesDone(statement, "2026-02-20", accord.StagePositionStatement, accord.StageReview)
	published := reviewed
	published.Report.PublishedAt = reviewDay("2026-05-01")
	published = stagesDone(published, "2026-05-01", accord.StageReport)
	concern := published
	concern.Findings = []accord.Finding{{ID: 9, Rating: accord.RatingSeriousConcern, Text: "Long waits"}}
	concern.Actions = []accord.ReviewAction{{ID: 3, Title: "Fund weekend lists"}}
	answered := concern
	answered.Findings = []accord.Finding{{ID: 9, Rating: accord.RatingSeriousConcern, Text: "Long waits",
		Responses: []accord.FindingResponse{{Text: "We accept this"}}}}
	noScope := base
	noScope.Stages = accord.PlanStages(base.OnSiteStart, base.OnSiteEnd)
	noScope.FocusAreas = nil

	cases := []struct {
		name  string
		r     accord.PeerReview
		stage accord.StageName
		to    accord.StageState
		on    string
		code  string
		want  string
	}{
		{"start team formation", base, accord.StageTeamFormation, accord.StageInProgress, "", "", ""},
		{"start a later stage early", base, accord.StageReport, accord.StageInProgress, "", "", ""},
		{"team settled", withTeam, accord.StageTeamFormation, accord.StageDone, "2026-01-10", "", ""},
		{"no scope", noScope, accord.StageRequestAndScope, accord.StageDone, "", accord.ECONFLICT, "focus_areas"},
		{"back to not started", base, accord.StageRequestAndScope, accord.StageNotStarted, "", accord.EINVALID, "only moves forward"},
		{"done twice", base, accord.StageRequestAndScope, accord.StageDone, "", accord.EINVALID, "only moves forward"},
		{"unknown stage", base, "site_visit", accord.StageDone, "", accord.EINVALID, "not a stage"},
		{"unknown state", base, accord.StageReview, "finished", "", accord.EINVALID, "must be not_started"},
		{"position statement before team", base, accord.StagePositionStatement, accord.StageDone, "", accord.ECONFLICT,
			"cannot be done before the Team formation stage is"},
		{"no lead", noLead, accord.StageTeamFormation, accord.StageDone, "", accord.ECONFLICT, "no lead reviewer"},
		{"lead alone", leadOnly, accord.StageTeamFormation, accord.StageDone, "", accord.ECONFLICT, "at least one peer"},
		{"conflict undecided", undecided, accord.StageTeamFormation, accord.StageDone, "", accord.ECONFLICT,
			"Pete Peer (Shared providers) is not yet decided"},
		{"conflict excluded", excluded, accord.StageTeamFormation, accord.StageDone, "", accord.ECONFLICT, "must leave the team"},
		{"done before the stage before", withTeam, accord.StageTeamFormation, accord.StageDone, "2025-11-30", accord.EINVALID,
			"before the Request and scope stage was done (2025-12-01)"},
		{"empty position statement", stagesDone(withTeam, "2026-01-10", accord.StageTeamFormation), accord.StagePositionStatement,
			accord.StageDone, "", accord.ECONFLICT, "position statement is not written"},
		{"position statement written", statement, accord.StagePositionStatement, accord.StageDone, "2026-02-20", "", ""},
		{"report without publishing", reviewed, accord.StageReport, accord.StageDone, "", accord.ECONFLICT, "publish the report"},
		{"plan without actions", published, accord.StageResponseAndActionPlan, accord.StageDone, "", accord.ECONFLICT, "no actions"},
		{"serious concern unanswered", concern, accord.StageResponseAndActionPlan, accord.StageDone, "", accord.ECONFLICT,
			"finding 9 has none"},
		{"serious concern answered", answered, accord.StageResponseAndActionPlan, accord.StageDone, "", "", ""},
		{"progress without recording it", stagesDone(answered, "2026-06-01", accord.StageResponseAndActionPlan),
			accord.StageProgressReview, accord.StageDone, "", accord.ECONFLICT, "record the progress review"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var on accord.Date
			if c.on != "" {
				on = reviewDay(c.on)
			}
			wantReviewErr(t, c.r.CheckStageMove(c.stage, c.to, on), c.code, c.want)
		})
	}
}

func TestPeerReviewHelpers(t *testing.T) {
	r := scopedReview()
	r.Team = reviewTeam()
	if got := r.State(); got != accord.PeerReviewOpen {
		t.Errorf("state %s, want open", got)
	}
	if s, ok := r.CurrentStage(); !ok || s.Name != accord.StageTeamFormation {
		t.Errorf("current stage %+v %v", s, ok)
	}
	r.Report.PublishedAt = reviewDay("2026-05-01")
	if !r.Published() || r.State() != accord.PeerReviewPublished {
		t.Errorf("published: %v %s", r.Published(), r.State())
	}
	r = stagesDone(r, "2027-01-10", accord.StageNames...)
	if r.State() != accord.PeerReviewClosed {
		t.Errorf("every stage done: state %s", r.State())
	}
	if _, ok := r.CurrentStage(); ok {
		t.Error("every stage done, yet a current stage")
	}

	owned := r.WithOwners()
	owners := map[accord.StageName]string{}
	for _, s := range owned.Stages {
		owners[s.Name] = string(s.OwnerRole) + " " + s.OwnerOrg
	}
	want := map[accord.StageName]string{
		accord.StageRequestAndScope:       "icb_lead QHG",
		accord.StageTeamFormation:         "regional_oversight Y61",
		accord.StagePositionStatement:     "icb_lead QHG",
		accord.StageReview:                "peer_reviewer QUE",
		accord.StageReport:                "peer_reviewer QUE",
		accord.StageResponseAndActionPlan: "icb_lead QHG",
		accord.StageProgressReview:        "peer_reviewer QUE",
	}
	for n, w := range want {
		if owners[n] != w {
			t.Errorf("owner of %s: %q, want %q", n, owners[n], w)
		}
	}
	if r.Stages[0].OwnerRole != "" {
		t.Error("WithOwners changed the review it was called on")
	}
	r.RegionCode, r.Team = "", nil
	if role, org := r.StageOwner(accord.StageTeamFormation); role != accord.RoleNationalOversight || org != accord.EnglandCode {
		t.Errorf("no region: team formation owned by %s %s", role, org)
	}
	if _, org := r.StageOwner(accord.StageReport); org != "" {
		t.Errorf("no lead yet: report owned by %q", org)
	}

	r.FocusAreas = []accord.FocusArea{
		{ID: 1, Title: "Elective", IndicatorIDs: []string{"rtt_18w", "ae_4h"}},
		{ID: 2, Title: "Urgent care", IndicatorIDs: []string{"ae_4h", "le_birth"}},
	}
	if got := r.IndicatorIDs(); !slices.Equal(got, []string{"rtt_18w", "ae_4h", "le_birth"}) {
		t.Errorf("indicators %v", got)
	}
	if _, ok := accord.FindCoreTheme("inequalities"); !ok || len(accord.CoreThemes) != 5 {
		t.Errorf("core themes: %+v", accord.CoreThemes)
	}
}

func TestReviewScopeValidate(t *testing.T) {
	good := scopedReview().Scope()
	cases := []struct {
		name   string
		change func(s *accord.ReviewScope)
		want   []string
	}{
		{"valid", func(s *accord.ReviewScope) {}, nil},
		{"no focus area", func(s *accord.ReviewScope) { s.FocusAreas = nil }, []string{"focus_areas: choose at least one"}},
		{"no indicator", func(s *accord.ReviewScope) { s.FocusAreas[0].IndicatorIDs = nil }, []string{"names no indicator"}},
		{"repeated title", func(s *accord.ReviewScope) {
			s.FocusAreas = append(s.FocusAreas, accord.FocusArea{Title: " elective recovery", IndicatorIDs: []string{"ae_4h"}})
		}, []string{"repeats focus area 1"}},
		{"repeated indicator", func(s *accord.ReviewScope) { s.FocusAreas[0].IndicatorIDs = []string{"rtt_18w", "rtt_18w"} },
			[]string{"names indicator rtt_18w twice"}},
		{"too many", func(s *accord.ReviewScope) {
			for i := range 5 {
				s.FocusAreas = append(s.FocusAreas, accord.FocusArea{Title: strings.Repeat("x", i+1), IndicatorIDs: []string{"ae_4h"}})
			}
		}, []string{"choose at most 5"}},
		{"no dates", func(s *accord.ReviewScope) { s.OnSiteStart, s.OnSiteEnd = accord.Date{}, accord.Date{} },
			[]string{"on_site_start: is required", "on_site_end: is required"}},
		{"end before start", func(s *accord.ReviewScope) { s.OnSiteEnd = reviewDay("2026-03-01") }, []string{"before the first day on site"}},
		{"a month on site", func(s *accord.ReviewScope) { s.OnSiteEnd = reviewDay("2026-04-12") }, []string{"more than two weeks"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := good
			s.FocusAreas = slices.Clone(good.FocusAreas)
			s.FocusAreas[0].IndicatorIDs = slices.Clone(good.FocusAreas[0].IndicatorIDs)
			c.change(&s)
			wantReviewProblems(t, s.Validate(), c.want...)
		})
	}
}

// wantProblems fails t unless err is nil (no want) or EINVALID with each of
// want in its message.
func wantReviewProblems(t *testing.T, err error, want ...string) {
	t.Helper()
	if len(want) == 0 {
		if err != nil {
			t.Fatalf("got %v, want no problem", err)
		}
		return
	}
	wantReviewErr(t, err, accord.EINVALID, want...)
}

func TestFindingValidate(t *testing.T) {
	ev := []accord.Evidence{{IndicatorID: "rtt_18w", OrgCode: "QHG"}}
	cases := []struct {
		name string
		f    accord.Finding
		want []string
	}{
		{"theme and indicator", accord.Finding{ThemeID: "inequalities", Rating: accord.RatingStrength, Text: "Gap narrowed", Evidence: ev}, nil},
		{"focus area and document", accord.Finding{FocusAreaID: 3, Rating: accord.RatingSeriousConcern, Text: "Unsafe waits",
			Evidence: []accord.Evidence{{DocumentTitle: "Board papers, May", URL: "https://www.blmkhealthandcarepartnership.org/board.pdf"}}}, nil},
		{"no evidence", accord.Finding{ThemeID: "inequalities", Rating: accord.RatingStrength, Text: "Good"}, []string{"evidence: tie the finding"}},
		{"neither theme nor area", accord.Finding{Rating: accord.RatingStrength, Text: "x", Evidence: ev}, []string{"theme: choose a core theme"}},
		{"both theme and area", accord.Finding{ThemeID: "inequalities", FocusAreaID: 1, Rating: accord.RatingStrength, Text: "x", Evidence: ev},
			[]string{"not both"}},
		{"unknown theme", accord.Finding{ThemeID: "culture", Rating: accord.RatingStrength, Text: "x", Evidence: ev}, []string{`"culture" is not a core theme`}},
		{"bad rating", accord.Finding{ThemeID: "inequalities", Rating: "weakness", Text: "x", Evidence: ev}, []string{"rating"}},
		{"no text", accord.Finding{ThemeID: "inequalities", Rating: accord.RatingStrength, Text: "  ", Evidence: ev}, []string{"text: say what"}},
		{"indicator without organisation", accord.Finding{ThemeID: "inequalities", Rating: accord.RatingStrength, Text: "x",
			Evidence: []accord.Evidence{{IndicatorID: "rtt_18w"}}}, []string{"evidence 1: give both"}},
		{"document without address", accord.Finding{ThemeID: "inequalities", Rating: accord.RatingStrength, Text: "x",
			Evidence: []accord.Evidence{{DocumentTitle: "Board papers", URL: "board.pdf"}}}, []string{"is not a web address"}},
		{"empty evidence", accord.Finding{ThemeID: "inequalities", Rating: accord.RatingStrength, Text: "x",
			Evidence: []accord.Evidence{{}}}, []string{"evidence 1 is empty"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { wantReviewProblems(t, c.f.Validate(), c.want...) })
	}
}

func TestTeamMemberValidate(t *testing.T) {
	good := reviewTeam()[0]
	cases := []struct {
		name   string
		change func(m *accord.TeamMember)
		want   []string
	}{
		{"valid", func(m *accord.TeamMember) {}, nil},
		{"lay peer without account", func(m *accord.TeamMember) { m.Role, m.UserID = accord.TeamLayPeer, 0 }, nil},
		{"lead without account", func(m *accord.TeamMember) { m.UserID = 0 }, []string{"user: the lead reviewer publishes"}},
		{"no why", func(m *accord.TeamMember) { m.Why = " " }, []string{"why: say why"}},
		{"bad kind", func(m *accord.TeamMember) { m.ChosenFor = "friendship" }, []string{"chosen_for"}},
		{"bad role", func(m *accord.TeamMember) { m.Role = "observer" }, []string{"role"}},
		{"no home", func(m *accord.TeamMember) { m.HomeOrg = "" }, []string{"home_organisation"}},
		{"managed without note", func(m *accord.TeamMember) {
			m.Conflicts = []accord.Conflict{{Kind: accord.ConflictSharedProviders, Declared: "RGT", Decision: accord.ConflictManaged}}
		}, []string{"conflict 1", "say how the conflict is managed"}},
		{"conflict of no kind", func(m *accord.TeamMember) { m.Conflicts = []accord.Conflict{{Declared: "x"}} }, []string{"conflict 1"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := good
			c.change(&m)
			wantReviewProblems(t, m.Validate(), c.want...)
		})
	}
	m := good
	m.Conflicts = []accord.Conflict{{Decision: accord.ConflictManaged}, {Decision: accord.ConflictExcluded}}
	if !m.Excluded() || good.Excluded() {
		t.Error("Excluded")
	}
}

func TestReviewActionValidate(t *testing.T) {
	good := accord.ReviewAction{Title: "Fund weekend lists", OwnerName: "Chief operating officer", OwnerOrg: "QHG",
		Due: reviewDay("2026-09-30"), Status: accord.ActionPlanned, TargetIDs: []int64{4}}
	cases := []struct {
		name   string
		change func(a *accord.ReviewAction)
		want   []string
	}{
		{"valid", func(a *accord.ReviewAction) {}, nil},
		{"indicator only", func(a *accord.ReviewAction) { a.TargetIDs, a.IndicatorIDs = nil, []string{"rtt_18w"} }, nil},
		{"moves nothing", func(a *accord.ReviewAction) { a.TargetIDs = nil }, []string{"targets: name at least one"}},
		{"twice", func(a *accord.ReviewAction) { a.TargetIDs, a.FindingIDs = []int64{4, 4}, []int64{1, 1} },
			[]string{"target 4 is named twice", "finding 1 is named twice"}},
		{"no owner or due", func(a *accord.ReviewAction) { a.OwnerName, a.OwnerOrg, a.Due = "", "", accord.Date{} },
			[]string{"owner_name", "owner_organisation", "due"}},
		{"bad status", func(a *accord.ReviewAction) { a.Status = "stalled" }, []string{"status"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := good
			c.change(&a)
			wantReviewProblems(t, a.Validate(), c.want...)
		})
	}
}

func TestProgressReviewValidate(t *testing.T) {
	good := accord.ProgressReview{Date: reviewDay("2027-01-10"), Summary: "Waits fell",
		Assessments: []accord.ActionAssessment{{ActionID: 1, Rating: accord.AssessOnTrack}}}
	wantReviewProblems(t, good.Validate())
	bad := accord.ProgressReview{Assessments: []accord.ActionAssessment{{ActionID: 1, Rating: "fine"}, {ActionID: 1, Rating: accord.AssessAchieved}, {}}}
	wantReviewProblems(t, bad.Validate(), "date: is required", "summary", `"fine" must be`, "action 1 is assessed twice", "assessment 3 names no action")
}

func TestConflictValidate(t *testing.T) {
	wantReviewProblems(t, accord.Conflict{Kind: accord.ConflictSameRegionOversight, Declared: "Seconded to Y61"}.Validate())
	wantReviewProblems(t, accord.Conflict{Kind: accord.ConflictOther, Declared: "x", Decision: "maybe"}.Validate(), "decision")
	wantReviewProblems(t, accord.Conflict{Kind: "family", Declared: " "}.Validate(), "kind", "declared")
}

func TestPeerReviewLabels(t *testing.T) {
	for _, n := range accord.StageNames {
		if n.Label() == string(n) || !n.Valid() {
			t.Errorf("stage %s has no label", n)
		}
	}
	for _, r := range accord.FindingRatings {
		if r.Label() == string(r) {
			t.Errorf("rating %s has no label", r)
		}
	}
	for _, r := range accord.TeamRoles {
		if r.Label() == string(r) {
			t.Errorf("team role %s has no label", r)
		}
	}
	if accord.StageName("x").Valid() || accord.FindingRating("x").Valid() || accord.ActionStatus("x").Valid() {
		t.Error("an unknown value is valid")
	}
}
