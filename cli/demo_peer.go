package cli

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/nhs-accord/accord"
	"github.com/nhs-accord/accord/auth"
	"github.com/nhs-accord/accord/review"
	"github.com/nhs-accord/accord/store"
	"github.com/nhs-accord/accord/web"
)

// The demo's worked peer review: Lancashire and South Cumbria (QE1),
// reviewed by peers from its statistically nearest ICBs, taken through
// every stage with the store's own methods, on the days each step would
// have happened; and practice notes from several ICBs on the indicators
// the review looked at.

// The reviewed ICB and the indicators of its focus areas.
const (
	demoReviewed = "QE1"
	demoFDS      = "cancer_fds_28d"
	demo62Day    = "cancer_62d"
	demoAE       = "ae_4h_all"
)

// demoReviewers are the review team's accounts. Which ICB each comes from
// is not written here: review.SuggestReviewers picks them from QE1's
// nearest peers, as a region forming a team would.
var demoReviewers = []demoPerson{
	{"reviewer.lead@example.org", "Rosa Reviewer", accord.Grant{Role: accord.RolePeerReviewer}},
	{"reviewer.peer@example.org", "Colin Colleague", accord.Grant{Role: accord.RolePeerReviewer}},
	{"reviewer.clinical@example.org", "Dr Cara Clinician", accord.Grant{Role: accord.RolePeerReviewer}},
}

// demoNoteWriters are the leads of the two ICBs whose practice notes the
// improvers page finds (the other notes come from the demo's own people).
var demoNoteWriters = []demoPerson{
	{"lead.staffordshire@example.org", "Stella Lead", accord.Grant{Role: accord.RoleICBLead, OrgCode: "QNC"}},
	{"lead.west-yorkshire@example.org", "Wes Lead", accord.Grant{Role: accord.RoleICBLead, OrgCode: "QWO"}},
}

// The review's days. The request comes in the autumn, the peers are on
// site in February, the report follows within two months and the action
// plan two months after that; the progress review is held nine months on,
// a month before it falls due. All are before the demo's today.
var (
	dayRequested       = accord.NewDate(2025, time.October, 6)
	dayScoped          = accord.NewDate(2025, time.November, 10)
	dayTeamStarted     = accord.NewDate(2025, time.November, 12)
	dayTeamFormed      = accord.NewDate(2025, time.December, 12)
	dayStatementBegun  = accord.NewDate(2026, time.January, 5)
	dayStatementDone   = accord.NewDate(2026, time.January, 23)
	dayOnSiteStart     = accord.NewDate(2026, time.February, 9)
	dayOnSiteEnd       = accord.NewDate(2026, time.February, 12)
	dayReportDrafted   = accord.NewDate(2026, time.February, 16)
	dayPublished       = accord.NewDate(2026, time.April, 2)
	dayPlanBegun       = accord.NewDate(2026, time.April, 7)
	dayPlanAgreed      = accord.NewDate(2026, time.May, 28)
	dayProgressBegun   = accord.NewDate(2026, time.October, 12)
	dayProgressHeld    = accord.NewDate(2026, time.November, 10)
	dayStreamingBegan  = accord.NewDate(2026, time.March, 2)
	dayDemoReviewToday = dayProgressHeld // the latest day the example needs
)

// peerDemo runs the worked example's steps, stopping at the first error so
// the script reads as the story it tells.
type peerDemo struct {
	ctx context.Context
	db  *store.DB
	who map[string]accord.Actor
	err error
	// backdated is false when the store started the request stage today
	// rather than on the request day; every later step is then dated
	// today too, since a stage cannot be done before it started.
	backdated bool
	today     accord.Date
}

func (d *peerDemo) on(day accord.Date) accord.Date {
	if d.backdated {
		return day
	}
	return d.today
}

func (d *peerDemo) do(what string, step func() error) {
	if d.err == nil {
		if err := step(); err != nil {
			d.err = fmt.Errorf("%s: %w", what, err)
		}
	}
}

// seedDemoPeerReview gives a demo database without peer reviews one
// completed review of QE1 by its nearest peers and practice notes from
// several ICBs; a database that has reviews already is left as it is.
func seedDemoPeerReview(ctx context.Context, e *env, db *store.DB) error {
	if _, n, err := db.FindPeerReviews(ctx, accord.PeerReviewFilter{Limit: 1}); err != nil {
		return err
	} else if n > 0 {
		return nil
	}
	today := accord.NewDate(time.Now().UTC().Date())
	if today.Before(dayDemoReviewToday.Time) {
		return fmt.Errorf("the demo's worked peer review is dated up to %s, after today", dayDemoReviewToday)
	}
	d := &peerDemo{ctx: ctx, db: db, who: map[string]accord.Actor{}, today: today}
	suggested, err := review.SuggestReviewers(ctx, db, demoReviewed, []string{demoFDS, demo62Day, demoAE}, today)
	if err != nil {
		return fmt.Errorf("demo peer review: suggesting reviewers: %w", err)
	}
	if len(suggested) < len(demoReviewers)+1 {
		return fmt.Errorf("demo peer review: only %d reviewers suggested for %s; are the peer groups computed?", len(suggested), demoReviewed)
	}
	people := append([]demoPerson{}, demoNoteWriters...)
	for i, p := range demoReviewers {
		p.grant.OrgCode = suggested[i].OrgCode
		people = append(people, p)
	}
	for _, p := range append(people, demoPeople...) {
		if err := d.account(p); err != nil {
			return err
		}
	}
	id := d.review(suggested)
	notes := d.notes()
	if d.err != nil {
		return fmt.Errorf("demo peer review: %w", d.err)
	}
	when := "on the days each step happened"
	if !d.backdated {
		when = "every stage dated today, as the store starts a review on the day it is asked for"
	}
	fmt.Fprintf(e.stdout, "Added a completed peer review of %s by its nearest peers (/peer-reviews/%d, %s), %d practice notes, and %d more demo accounts.\n",
		demoReviewed, id, when, notes, len(people))
	return nil
}

// account finds (or creates, with the demo password) a demo person and
// notes the Actor they act as.
func (d *peerDemo) account(p demoPerson) error {
	if _, ok := d.who[p.email]; ok {
		return nil
	}
	u, _, err := d.db.FindUserByEmail(d.ctx, p.email)
	if accord.ErrorCode(err) == accord.ENOTFOUND {
		hash, herr := auth.HashPassword(DemoPassword)
		if herr != nil {
			return herr
		}
		u = accord.User{Email: p.email, Name: p.name, Grants: []accord.Grant{p.grant}}
		err = d.db.CreateUser(d.ctx, &u, hash)
	}
	if err != nil {
		return fmt.Errorf("demo account %s: %w", p.email, err)
	}
	d.who[p.email] = accord.Actor{UserID: u.ID, Email: u.Email, Name: u.Name, Role: p.grant.Role, OrgCode: p.grant.OrgCode}
	return nil
}

// figure is an organisation's value of an indicator in its latest period
// held, in words ("74.1% in October 2023"), so the findings quote the
// published figures rather than ones typed here.
func (d *peerDemo) figure(org, indicator string) string {
	if d.err != nil {
		return ""
	}
	obs, _, err := d.db.FindObservations(d.ctx, accord.ObservationFilter{IndicatorID: indicator, OrgCodes: []string{org}})
	if err != nil {
		d.err = err
		return ""
	}
	var latest accord.Observation
	for _, o := range obs {
		if o.Period.Compare(latest.Period) > 0 {
			latest = o
		}
	}
	if latest.Period.IsZero() {
		return "no published figure"
	}
	return fmt.Sprintf("%.1f%% in %s", latest.Value, latest.Period.Start().Format("January 2006"))
}

// review takes the review of QE1 through every stage and returns its ID.
func (d *peerDemo) review(suggested []review.Suggestion) int64 {
	lead, region := d.who["lead.lancashire@example.org"], d.who["northwest@example.org"]
	leadReviewer := d.who[demoReviewers[0].email]
	var r accord.PeerReview
	d.do("request", func() error {
		r = accord.PeerReview{OrgCode: demoReviewed, OnSiteStart: dayOnSiteStart, OnSiteEnd: dayOnSiteEnd,
			FocusAreas: []accord.FocusArea{
				{Title: "Cancer: faster diagnosis and treatment", IndicatorIDs: []string{demoFDS, demo62Day}},
				{Title: "Urgent and emergency care", IndicatorIDs: []string{demoAE}},
			},
			// The day the ICB asked; a store that records it starts the
			// request and scope stage then rather than today.
			Stages: []accord.Stage{{Name: accord.StageRequestAndScope, Started: dayRequested}},
		}
		if err := d.db.RequestPeerReview(d.ctx, &r, lead); err != nil {
			return err
		}
		s, _ := r.Stage(accord.StageRequestAndScope)
		d.backdated = s.Started.Equal(dayRequested.Time)
		return nil
	})
	d.move(r.ID, accord.StageRequestAndScope, accord.StageDone, dayScoped, lead)

	// The team: the three most relevant suggestions sign in; a lay peer
	// from the fourth does not. Each says why, in the suggestion's words.
	d.move(r.ID, accord.StageTeamFormation, accord.StageInProgress, dayTeamStarted, region)
	roles := []accord.TeamRole{accord.TeamLeadReviewer, accord.TeamPeer, accord.TeamClinicalPeer}
	var team []accord.TeamMember
	for i, s := range suggested[:len(demoReviewers)+1] {
		m := accord.TeamMember{Name: "Lay peer from " + s.Name, HomeOrg: s.OrgCode, Role: accord.TeamLayPeer,
			ChosenFor: accord.ChosenStatisticallySimilar, Why: reasonsOf(s)}
		if i < len(demoReviewers) {
			a := d.who[demoReviewers[i].email]
			m.UserID, m.Name, m.Role = a.UserID, a.Name, roles[i]
		}
		for _, c := range s.Conflicts {
			kind := accord.ConflictOther
			switch c.Kind {
			case review.ConflictSameRegion:
				kind = accord.ConflictSameRegionOversight
			case review.ConflictSharedProviders:
				kind = accord.ConflictSharedProviders
			}
			m.Conflicts = append(m.Conflicts, accord.Conflict{Kind: kind, Declared: c.Text})
		}
		if m.Role == accord.TeamClinicalPeer {
			m.Conflicts = append(m.Conflicts, accord.Conflict{Kind: accord.ConflictOther,
				Declared: "Trained as a registrar at Lancashire Teaching Hospitals until 2016."})
		}
		d.do("add "+m.Name, func() error { return d.db.AddTeamMember(d.ctx, r.ID, &m, region) })
		team = append(team, m)
	}
	for _, m := range team {
		for _, c := range m.Conflicts {
			note := "Managed: " + m.Name + " takes no part in findings on services their own system shares with Lancashire and South Cumbria."
			if c.Kind == accord.ConflictOther {
				note = "Managed: nearly ten years ago and no current ties; declared in the report."
			}
			d.do("decide a conflict of "+m.Name, func() error {
				return d.db.DecideConflict(d.ctx, r.ID, c.ID, accord.ConflictManaged, note, region)
			})
		}
	}
	d.move(r.ID, accord.StageTeamFormation, accord.StageDone, dayTeamFormed, region)

	d.move(r.ID, accord.StagePositionStatement, accord.StageInProgress, dayStatementBegun, lead)
	d.do("position statement", func() error {
		_, err := d.db.WritePositionStatement(d.ctx, r.ID, "Lancashire and South Cumbria serves 1.8 million people across a large, "+
			"partly rural footprint with four acute trusts. Faster diagnosis of cancer has held above England's rate, but treatment within 62 days "+
			"has not, and four-hour A&E performance fell short of the 78% planning standard through winter 2025/26.\n"+
			"We ask the peers to test our cancer pathway redesign and our urgent care recovery plan, and to tell us plainly where we are not yet good enough.", lead)
		return err
	})
	d.move(r.ID, accord.StagePositionStatement, accord.StageDone, dayStatementDone, lead)

	// On site: the findings, each rated and tied to the published figures.
	d.move(r.ID, accord.StageReview, accord.StageInProgress, dayOnSiteStart, leadReviewer)
	var stored accord.PeerReview
	d.do("read the review", func() (err error) { stored, err = d.db.FindPeerReview(d.ctx, r.ID); return err })
	if d.err != nil {
		return 0
	}
	cancer, uec := stored.FocusAreas[0].ID, stored.FocusAreas[1].ID
	ev := func(ind string) []accord.Evidence {
		return []accord.Evidence{{IndicatorID: ind, OrgCode: demoReviewed}, {IndicatorID: ind, OrgCode: accord.EnglandCode}}
	}
	findings := []accord.Finding{
		{FocusAreaID: cancer, Rating: accord.RatingStrength, Evidence: ev(demoFDS),
			Text: fmt.Sprintf("People are told quickly whether they have cancer: %s, against England's %s, and above England in every month published.",
				d.figure(demoReviewed, demoFDS), d.figure(accord.EnglandCode, demoFDS)),
			Recommendation: "Keep the straight-to-test pathways and share them: other systems asked how they were set up."},
		{FocusAreaID: cancer, Rating: accord.RatingAreaForImprovement, Evidence: ev(demo62Day),
			Text: fmt.Sprintf("Fast diagnosis does not yet lead to fast treatment: %s began treatment within 62 days (England %s), far from the 85%% standard.",
				d.figure(demoReviewed, demo62Day), d.figure(accord.EnglandCode, demo62Day)),
			Recommendation: "Run one waiting list for cancer treatment across the four trusts, with the oncology capacity planned against it."},
		{FocusAreaID: uec, Rating: accord.RatingSeriousConcern, Evidence: ev(demoAE),
			Text: fmt.Sprintf("Four-hour A&E performance was %s against the 78%% planning standard (England %s); the recovery plan had no measures the board could track month by month.",
				d.figure(demoReviewed, demoAE), d.figure(accord.EnglandCode, demoAE)),
			Recommendation: "Set a monthly trajectory to 78% and learn from peers whose streaming at the front door made a real change."},
		{ThemeID: "capacity_to_improve", Rating: accord.RatingAreaForImprovement, Evidence: ev(demoAE)[:1],
			Text:           "The improvement team is skilled, but board papers showed single months against last year rather than statistical process control, so noise was read as progress.",
			Recommendation: "Report every focus indicator to the board as an SPC chart."},
	}
	for i := range findings {
		d.do("finding", func() error { return d.db.RecordFinding(d.ctx, r.ID, &findings[i], leadReviewer) })
	}
	d.move(r.ID, accord.StageReview, accord.StageDone, dayOnSiteEnd, leadReviewer)

	d.move(r.ID, accord.StageReport, accord.StageInProgress, dayReportDrafted, leadReviewer)
	d.do("report summary", func() error {
		_, err := d.db.SaveReportSummary(d.ctx, r.ID, "A system that diagnoses cancer quickly and knows it must now treat it as quickly, "+
			"with an urgent care plan that needs measures it can be held to. The peers found one serious concern, on A&E, which the system has accepted.", leadReviewer)
		return err
	})
	d.do("publish", func() error {
		_, err := d.db.PublishReport(d.ctx, r.ID, d.on(dayPublished), leadReviewer)
		return err
	})

	// The system's response and action plan, tied to its targets.
	d.move(r.ID, accord.StageResponseAndActionPlan, accord.StageInProgress, dayPlanBegun, lead)
	responses := []string{
		"Accepted. Our two straight-to-test pathways are written up in the learning exchange.",
		"Accepted. A single cancer treatment waiting list is in the action plan, owned by the cancer alliance.",
		"Accepted in full. The board now receives a monthly A&E trajectory, and we are adopting front-door streaming as Staffordshire and Stoke-on-Trent did.",
		"Accepted. From April 2026 every board report on the focus indicators is an SPC chart.",
	}
	for i, f := range findings {
		d.do("respond", func() error {
			return d.db.RespondToFinding(d.ctx, r.ID, f.ID, &accord.FindingResponse{Text: responses[i]}, lead)
		})
	}
	targets := map[string]int64{}
	d.do("find targets", func() error {
		ts, _, err := d.db.FindTargets(d.ctx, accord.TargetFilter{OrgCode: demoReviewed})
		for _, t := range ts {
			targets[t.IndicatorID] = t.ID
		}
		return err
	})
	targetIDs := func(ind string) []int64 {
		if id, ok := targets[ind]; ok {
			return []int64{id}
		}
		return nil
	}
	actions := []accord.ReviewAction{
		{Title: "One cancer treatment waiting list across the four trusts", OwnerName: "Director of the Lancashire and South Cumbria Cancer Alliance",
			OwnerOrg: demoReviewed, Due: accord.NewDate(2026, time.September, 30), Status: accord.ActionPlanned,
			FindingIDs: []int64{findings[1].ID}, TargetIDs: targetIDs(demo62Day), IndicatorIDs: []string{demo62Day}},
		{Title: "Streaming at the front door of every emergency department", OwnerName: "Urgent and emergency care programme director",
			OwnerOrg: demoReviewed, Due: accord.NewDate(2026, time.July, 31), Status: accord.ActionPlanned,
			FindingIDs: []int64{findings[2].ID}, IndicatorIDs: []string{demoAE}},
		{Title: "SPC charts for every focus indicator in board reports", OwnerName: "Chief finance and performance officer",
			OwnerOrg: demoReviewed, Due: accord.NewDate(2026, time.June, 30), Status: accord.ActionPlanned,
			FindingIDs: []int64{findings[3].ID}, TargetIDs: targetIDs(demoFDS), IndicatorIDs: []string{demoFDS, demo62Day, demoAE}},
	}
	for i := range actions {
		d.do("action", func() error { return d.db.SaveAction(d.ctx, r.ID, &actions[i], lead) })
	}
	d.move(r.ID, accord.StageResponseAndActionPlan, accord.StageDone, dayPlanAgreed, lead)

	// Follow-up, then the peers' return.
	progress := []struct {
		status accord.ActionStatus
		note   string
	}{
		{accord.ActionInProgress, "The shared waiting list is live for lung and colorectal cancer; the other tumour sites join in January 2027."},
		{accord.ActionDone, "Streaming opened at Royal Preston in March and at all four emergency departments by July."},
		{accord.ActionDone, "Board reports have used SPC charts since the June 2026 meeting."},
	}
	for i, a := range actions {
		d.do("progress", func() error {
			_, err := d.db.UpdateActionProgress(d.ctx, r.ID, a.ID, progress[i].status, progress[i].note, lead)
			return err
		})
	}
	d.move(r.ID, accord.StageProgressReview, accord.StageInProgress, dayProgressBegun, leadReviewer)
	d.do("progress review", func() error {
		return d.db.RecordProgressReview(d.ctx, r.ID, &accord.ProgressReview{Date: d.on(dayProgressHeld),
			Summary: "Real progress on the plan's process and on how the board reads its figures. The published A&E and cancer figures held do not yet " +
				"cover the months since the review, so the change in outcomes cannot yet be judged; the peers will look again when they are published.",
			Assessments: []accord.ActionAssessment{
				{ActionID: actions[0].ID, Rating: accord.AssessOnTrack, Comment: "Two tumour sites live; the rest planned."},
				{ActionID: actions[1].ID, Rating: accord.AssessAchieved, Comment: "In place in every emergency department."},
				{ActionID: actions[2].ID, Rating: accord.AssessAchieved, Comment: "Seen in the September board papers."},
			}}, leadReviewer)
	})
	return r.ID
}

// move moves a stage on the given day (today when the store could not
// record the request day).
func (d *peerDemo) move(id int64, stage accord.StageName, to accord.StageState, day accord.Date, by accord.Actor) {
	d.do("move "+string(stage)+" to "+string(to), func() error {
		_, err := d.db.MoveStage(d.ctx, id, stage, to, d.on(day), by)
		return err
	})
}

// reasonsOf is why a suggested reviewer was chosen, in the suggestion's
// own sentences, so the record quotes the evidence.
func reasonsOf(s review.Suggestion) string {
	texts := make([]string, len(s.Reasons))
	for i, r := range s.Reasons {
		texts[i] = r.Text
	}
	return strings.Join(texts, " ")
}

// demoNote is a practice note of the demo: who writes it and its evidence,
// whose SPC verdicts are worked out from the stored figures as the pages
// do.
type demoNote struct {
	email string
	note  accord.PracticeNote
}

// notes writes the demo's practice notes and one record of a note tried
// elsewhere, returning how many notes it wrote.
func (d *peerDemo) notes() int {
	ev := func(ind, org, from, to string) accord.PracticeEvidence {
		return accord.PracticeEvidence{IndicatorID: ind, OrgCode: org, From: accord.MustParsePeriod(from), To: accord.MustParsePeriod(to)}
	}
	notes := []demoNote{
		{"lead.staffordshire@example.org", accord.PracticeNote{
			Title:    "Streaming at the front door of the emergency department",
			Topics:   []string{"urgent and emergency care", "streaming", "primary care"},
			Problem:  "A third of the people in our emergency departments could have been seen by a GP or in an urgent treatment centre, and they queued with everyone else.",
			Tried:    "From April 2018 an experienced nurse met every walk-in patient at the door and sent those who did not need the emergency department to GPs working on site or to the urgent treatment centre next door.",
			Happened: "The share of people seen within four hours rose through 2018/19, and SPC shows a change unlikely to be chance. The GPs on site were the hardest part to staff.",
			Evidence: []accord.PracticeEvidence{ev(demoAE, "QNC", "2018-04", "2019-03")},
		}},
		{"lead.west-yorkshire@example.org", accord.PracticeNote{
			Title:    "Discharge to assess in all five places",
			Topics:   []string{"urgent and emergency care", "discharge", "social care"},
			Problem:  "People well enough to leave hospital waited days for an assessment of the care they would need at home, and the emergency departments filled behind them.",
			Tried:    "In 2018/19 the five places agreed to assess people at home within a day of discharge rather than on the ward, with the councils' reablement teams.",
			Happened: "Four-hour performance was higher in March 2019 than a year before, but SPC reads the year as common cause variation: the figures moved no more than they usually do. We are keeping it for the patients' sake and measuring delayed discharges directly.",
			Evidence: []accord.PracticeEvidence{ev(demoAE, "QWO", "2018-04", "2019-03")},
		}},
		{"lead.lancashire@example.org", accord.PracticeNote{
			Title:    "Straight-to-test for suspected lower gastrointestinal cancer",
			Topics:   []string{"cancer", "faster diagnosis", "endoscopy"},
			Problem:  "People referred urgently with bowel symptoms waited for an outpatient appointment before any test was booked.",
			Tried:    "A nurse telephone assessment within three days of referral books the test directly, with a FIT result required on referral.",
			Happened: "Faster diagnosis stayed above England's rate through 2023. Only seven months are published here, so SPC cannot yet say whether it changed.",
			Evidence: []accord.PracticeEvidence{ev(demoFDS, demoReviewed, "2023-04", "2023-10")},
		}},
		{"liverpool.hospitals@example.org", accord.PracticeNote{
			Title:    "Nurse-led triage of urgent suspected cancer referrals",
			Topics:   []string{"cancer", "62-day treatment", "triage"},
			Problem:  "Consultants triaged every urgent referral by hand, and referrals waited for clinic slots to be reviewed.",
			Tried:    "Specialist nurses triage referrals against agreed protocols the day they arrive, and book diagnostics before the first appointment.",
			Happened: "Treatment within 62 days across Cheshire and Merseyside rose over the summer of 2023. With seven months published, SPC cannot yet judge it.",
			Evidence: []accord.PracticeEvidence{ev(demo62Day, "QYG", "2023-04", "2023-10"), ev(demoFDS, "QYG", "2023-04", "2023-10")},
		}},
	}
	var streaming accord.PracticeNote
	for i, dn := range notes {
		n := dn.note
		a := d.who[dn.email]
		n.OrgCode = a.OrgCode
		for j := range n.Evidence {
			d.do("judge the evidence of "+n.Title, func() (err error) {
				n.Evidence[j].Verdict, err = web.JudgeEvidence(d.ctx, d.db, n.Evidence[j])
				return err
			})
		}
		d.do("note "+n.Title, func() error { return d.db.CreatePracticeNote(d.ctx, &n, a) })
		if i == 0 {
			streaming = n
		}
	}
	// Lancashire and South Cumbria tried Staffordshire's streaming after
	// its review; the figures since are too few for SPC to judge.
	lead := d.who["lead.lancashire@example.org"]
	d.do("tried elsewhere", func() error {
		verdict, err := web.JudgeEvidence(d.ctx, d.db, accord.PracticeEvidence{IndicatorID: demoAE, OrgCode: demoReviewed,
			From: accord.MustParsePeriod("2025-12"), To: accord.MustParsePeriod("2025-12")})
		if err != nil {
			return err
		}
		return d.db.AddTriedElsewhere(d.ctx, streaming.ID, &accord.TriedElsewhere{OrgCode: demoReviewed,
			By: "Urgent and emergency care team, Royal Preston Hospital", When: dayStreamingBegan, Verdict: verdict,
			Result: "Streaming opened at Royal Preston in March 2026 and in every emergency department by July, as our peer review's action plan asked. " +
				"Fewer walk-in patients wait for a bed-based assessment; the four-hour figures since are not yet published here."}, lead)
	})
	return len(notes)
}
