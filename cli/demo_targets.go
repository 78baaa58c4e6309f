package cli

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/nhs-accord/accord"
	"github.com/nhs-accord/accord/auth"
	"github.com/nhs-accord/accord/store"
)

// DemoPassword is the password of every demo account. The demo serves on
// the loopback address with a database of its own, so a published password
// opens nothing that matters; it lets anyone try each role's view.
const DemoPassword = "accord-demo-2026"

// demoPerson is one demo account and the grant it holds.
type demoPerson struct {
	email, name string
	grant       accord.Grant
}

// demoPeople cover every role, around three ICBs: Cheshire and Merseyside
// (QYG) and Lancashire and South Cumbria (QE1) in the North West, and
// Dorset (QVV) in the South West, chosen because the shipped files hold
// their cancer, A&E and population-health figures.
var demoPeople = []demoPerson{
	{"national@example.org", "Nadia National", accord.Grant{Role: accord.RoleNationalOversight, OrgCode: accord.EnglandCode}},
	{"northwest@example.org", "Rhys Regional", accord.Grant{Role: accord.RoleRegionalOversight, OrgCode: "Y62"}},
	{"lead.cheshire-merseyside@example.org", "Chloe Lead", accord.Grant{Role: accord.RoleICBLead, OrgCode: "QYG"}},
	{"lead.lancashire@example.org", "Lewis Lead", accord.Grant{Role: accord.RoleICBLead, OrgCode: "QE1"}},
	{"lead.dorset@example.org", "Dora Lead", accord.Grant{Role: accord.RoleICBLead, OrgCode: "QVV"}},
	{"staffside@example.org", "Sam Staffside", accord.Grant{Role: accord.RoleWorkforceRep, OrgCode: "QYG"}},
	{"patientvoice@example.org", "Priya Patient", accord.Grant{Role: accord.RolePatientRep, OrgCode: "QYG"}},
	{"liverpool.hospitals@example.org", "Paul Partner", accord.Grant{Role: accord.RolePartnerContributor, OrgCode: "REM"}},
	{"healthwatch.liverpool@example.org", "Hana Healthwatch", accord.Grant{Role: accord.RolePatientRep, OrgCode: "E08000012"}},
	{"peer.reviewer@example.org", "Pat Peer", accord.Grant{Role: accord.RolePeerReviewer, OrgCode: "QE1"}},
}

// seedDemoTargets gives an empty demo database its accounts and worked
// examples of local targets in several states: one taken through the whole
// journey (consulted on, challenged, revised, approved, active), one out to
// consultation with a response still to answer, one awaiting national
// review, one challenged, a draft and an approved local inequality target.
// Everything goes through the store's own workflow, so the history, the
// consultations and the audit log are exactly what users would have left.
// A database that already has targets is left as it is.
func seedDemoTargets(ctx context.Context, e *env, db *store.DB) error {
	if _, n, err := db.FindTargets(ctx, accord.TargetFilter{Limit: 1}); err != nil {
		return err
	} else if n > 0 {
		return nil
	}
	hash, err := auth.HashPassword(DemoPassword)
	if err != nil {
		return err
	}
	who := map[string]accord.Actor{}
	for _, p := range demoPeople {
		u := accord.User{Email: p.email, Name: p.name, Grants: []accord.Grant{p.grant}}
		if err := db.CreateUser(ctx, &u, hash); err != nil && accord.ErrorCode(err) != accord.ECONFLICT {
			return fmt.Errorf("demo account %s: %w", p.email, err)
		}
		u, _, err := db.FindUserByEmail(ctx, p.email)
		if err != nil {
			return err
		}
		who[p.email] = accord.Actor{UserID: u.ID, Email: u.Email, Name: u.Name, Role: p.grant.Role, OrgCode: p.grant.OrgCode}
	}
	d := demo{ctx: ctx, db: db, who: who}

	// 1. Cheshire and Merseyside: cancer faster diagnosis, the whole journey.
	fds := d.create("lead.cheshire-merseyside@example.org", accord.Target{
		OrgCode: "QYG", IndicatorID: "cancer_fds_28d", PriorityID: "mtpf_cancer_fds_maintain",
		Title: "More people told whether they have cancer within 28 days", Comparator: accord.AtLeast, Value: 78,
		Deadline: accord.NewDate(2027, time.March, 31), BaselinePeriod: accord.MustParsePeriod("2023-10"),
		LocalCircumstances: "Two of our nine places have the longest diagnostic waits in the North West; endoscopy capacity opens at Clatterbridge in spring 2027.",
		Rationale:          "Reach 78% by March 2027 on the way to the national 80%, once the new endoscopy capacity is open.",
		FloorJustification: "The national standard of 80% is reached in 2027/28, after the endoscopy unit opens; 78% is what our current capacity can deliver this year.",
	})
	d.move(fds, accord.TargetConsultation, "lead.cheshire-merseyside@example.org", "Is 78% by March 2027 the right ambition for our system?")
	staff := d.respond(fds, "staffside@example.org", accord.StanceSupportWithChanges,
		"Support, but only with the extra endoscopy nurses funded first; the teams are already stretched.")
	patient := d.respond(fds, "patientvoice@example.org", accord.StanceOppose,
		"Too slow for people waiting in Knowsley and Liverpool; aim for the national 80% sooner.")
	d.respond(fds, "liverpool.hospitals@example.org", accord.StanceSupport, "Our diagnostic hub plan supports this trajectory.")
	d.theme(fds, "lead.cheshire-merseyside@example.org", "Staff need the extra endoscopy nurses in post before the target rises.",
		"The nurse posts are funded from April 2026 and the trajectory rises only after they start.", false, staff)
	d.theme(fds, "lead.cheshire-merseyside@example.org", "Patients in the most deprived places should not wait longer than others.",
		"We raised the target from 78% to 80% and added a place-level breakdown to the trajectory reports.", true, patient)
	fds = d.update(fds, "lead.cheshire-merseyside@example.org", func(t *accord.Target) {
		t.Value = 80
		t.FloorJustification = ""
		t.Rationale = "Meet the national 80% by March 2027, as patients asked, with the nurse posts funded first, as staff asked."
		t.Trajectory = linear(accord.MustParsePeriod("2023-11"), t.Deadline, 70, 80, 1)
	}, "Raised to 80% after the consultation")
	d.move(fds, accord.TargetAgreed, "lead.cheshire-merseyside@example.org", "")
	d.move(fds, accord.TargetSubmitted, "lead.cheshire-merseyside@example.org", "")
	d.move(fds, accord.TargetChallenged, "northwest@example.org",
		"The trajectory is flat until the last six months; show how you reach 80% with milestones that rise steadily, so slippage shows early.")
	d.move(fds, accord.TargetDraft, "lead.cheshire-merseyside@example.org", "Revising the trajectory as the region asked.")
	fds = d.update(fds, "lead.cheshire-merseyside@example.org", func(t *accord.Target) {
		t.Trajectory = linear(accord.MustParsePeriod("2023-11"), t.Deadline, 70, 80, 0.6)
	}, "Trajectory front-loaded: most of the improvement in the first two years")
	d.move(fds, accord.TargetConsultation, "lead.cheshire-merseyside@example.org", "The revised trajectory: do you still support it?")
	d.respond(fds, "staffside@example.org", accord.StanceSupport, "The earlier milestones match when the nurses start.")
	d.move(fds, accord.TargetAgreed, "lead.cheshire-merseyside@example.org", "")
	d.move(fds, accord.TargetSubmitted, "lead.cheshire-merseyside@example.org", "")
	d.move(fds, accord.TargetApproved, "national@example.org", "Ambitious and realistic; milestones now show progress each quarter.")
	d.move(fds, accord.TargetActive, "lead.cheshire-merseyside@example.org", "")

	// 2. Cheshire and Merseyside: A&E four hours, out to consultation now.
	ae := d.create("lead.cheshire-merseyside@example.org", accord.Target{
		OrgCode: "QYG", IndicatorID: "ae_4h_all", LocalTag: accord.TagOutcome,
		Title: "Fewer people waiting over four hours in A&E", Comparator: accord.AtLeast, Value: 82,
		Deadline: accord.NewDate(2027, time.March, 31), BaselinePeriod: accord.MustParsePeriod("2025-12"),
		LocalCircumstances: "Winter pressures in Liverpool's emergency departments; a new urgent treatment centre opens in 2026.",
		Rationale:          "A step towards the constitutional 95% that our departments can reach by March 2027.",
		FloorJustification: "The constitutional 95% is not reachable within a year from December 2025's level; 82% is a stretch on the 2025/26 national 78%.",
	})
	d.trajectory(ae, "lead.cheshire-merseyside@example.org", linear(accord.MustParsePeriod("2026-01"), accord.NewDate(2027, time.March, 31), 70, 82, 1))
	d.move(ae, accord.TargetConsultation, "lead.cheshire-merseyside@example.org", "Should we aim for 82% of A&E patients seen within four hours by March 2027?")
	d.respond(ae, "staffside@example.org", accord.StanceOppose,
		"Not without more staff at night: the department cannot reach 82% with today's rota.")
	d.respond(ae, "healthwatch.liverpool@example.org", accord.StanceSupport, "People in Liverpool tell us long A&E waits are their first worry.")

	// 3. Lancashire and South Cumbria: faster diagnosis, awaiting review.
	lsc := d.create("lead.lancashire@example.org", accord.Target{
		OrgCode: "QE1", IndicatorID: "cancer_fds_28d", PriorityID: "mtpf_cancer_fds_maintain",
		Title: "Keep cancer faster diagnosis at or above 80%", Comparator: accord.AtLeast, Value: 81,
		Deadline: accord.NewDate(2027, time.March, 31), BaselinePeriod: accord.MustParsePeriod("2023-10"),
		Rationale: "Already close to the standard; hold 81% through the next two winters.",
	})
	d.trajectory(lsc, "lead.lancashire@example.org", linear(accord.MustParsePeriod("2023-11"), accord.NewDate(2027, time.March, 31), 74, 81, 1))
	d.move(lsc, accord.TargetConsultation, "lead.lancashire@example.org", "")
	d.move(lsc, accord.TargetAgreed, "lead.lancashire@example.org", "")
	d.move(lsc, accord.TargetSubmitted, "lead.lancashire@example.org", "")

	// 4. Lancashire and South Cumbria: 62-day cancer, challenged.
	c62 := d.create("lead.lancashire@example.org", accord.Target{
		OrgCode: "QE1", IndicatorID: "cancer_62d", PriorityID: "mtpf_cancer_62d_2829",
		Title: "Cancer treatment within 62 days", Comparator: accord.AtLeast, Value: 78,
		Deadline: accord.NewDate(2029, time.March, 31), BaselinePeriod: accord.MustParsePeriod("2023-10"),
		Rationale:          "A steady rise from 68% as the new radiotherapy satellite comes on line.",
		FloorJustification: "Our rural geography means long journeys to treatment; 78% is realistic without a second cancer centre.",
	})
	d.trajectory(c62, "lead.lancashire@example.org", linear(accord.MustParsePeriod("2023-11"), accord.NewDate(2029, time.March, 31), 68, 78, 1))
	d.move(c62, accord.TargetConsultation, "lead.lancashire@example.org", "")
	d.move(c62, accord.TargetAgreed, "lead.lancashire@example.org", "")
	d.move(c62, accord.TargetSubmitted, "lead.lancashire@example.org", "")
	d.move(c62, accord.TargetChallenged, "national@example.org",
		"78% by 2029 is below the national 85%; peers with similar rurality have improved faster. Show the plan for reaching 85%, or a stronger justification.")

	// 5. Dorset: A&E four hours, a draft.
	d.create("lead.dorset@example.org", accord.Target{
		OrgCode: "QVV", IndicatorID: "ae_4h_all", LocalTag: accord.TagOutcome,
		Title: "A&E four-hour performance", Comparator: accord.AtLeast, Value: 80,
		Deadline: accord.NewDate(2027, time.March, 31), BaselinePeriod: accord.MustParsePeriod("2025-12"),
		Rationale: "Draft for discussion with our partners.",
	})

	// 6. Dorset: 62-day cancer, approved.
	d62 := d.create("lead.dorset@example.org", accord.Target{
		OrgCode: "QVV", IndicatorID: "cancer_62d", PriorityID: "mtpf_cancer_62d_2829",
		Title: "Cancer treatment within 62 days of urgent referral", Comparator: accord.AtLeast, Value: 85,
		Deadline: accord.NewDate(2029, time.March, 31), BaselinePeriod: accord.MustParsePeriod("2023-10"),
		Rationale: "Reach the national 85% by March 2029.",
	})
	d.trajectory(d62, "lead.dorset@example.org", linear(accord.MustParsePeriod("2023-11"), accord.NewDate(2029, time.March, 31), 70, 85, 1))
	d.move(d62, accord.TargetConsultation, "lead.dorset@example.org", "")
	d.move(d62, accord.TargetAgreed, "lead.dorset@example.org", "")
	d.move(d62, accord.TargetSubmitted, "lead.dorset@example.org", "")
	d.move(d62, accord.TargetApproved, "national@example.org", "Meets the national standard by its deadline.")

	// 7. Cheshire and Merseyside: a local inequality target, approved.
	inq := d.create("lead.cheshire-merseyside@example.org", accord.Target{
		OrgCode: "QYG", IndicatorID: "ft_93701", LocalTag: accord.TagInequality,
		Title: "Fewer children growing up in absolute low income", Comparator: accord.AtMost, Value: 14,
		Deadline: accord.NewDate(2029, time.March, 31), BaselinePeriod: accord.MustParsePeriod("2022/23"),
		LocalCircumstances: "Child poverty in Knowsley and Liverpool is among the highest in England; the Marmot community programme works with all nine places.",
		Rationale:          "A prevention and inequality priority chosen with our places, not set nationally.",
	})
	d.trajectory(inq, "lead.cheshire-merseyside@example.org", linear(accord.MustParsePeriod("2023/24"), accord.NewDate(2029, time.March, 31), 16.5, 14, 1))
	d.move(inq, accord.TargetConsultation, "lead.cheshire-merseyside@example.org", "")
	d.respond(inq, "patientvoice@example.org", accord.StanceSupport, "Families we speak to want this to be a priority.")
	d.move(inq, accord.TargetAgreed, "lead.cheshire-merseyside@example.org", "")
	d.move(inq, accord.TargetSubmitted, "lead.cheshire-merseyside@example.org", "")
	d.move(inq, accord.TargetApproved, "northwest@example.org", "A well-evidenced local priority.")
	if d.err != nil {
		return fmt.Errorf("demo targets: %w", d.err)
	}
	fmt.Fprintf(e.stdout, "Added 7 worked-example targets and %d demo accounts (password %q), e.g. %s.\n",
		len(demoPeople), DemoPassword, demoPeople[2].email)
	return nil
}

// demo runs the worked examples' steps, stopping at the first error so the
// script reads as the story it tells.
type demo struct {
	ctx context.Context
	db  *store.DB
	who map[string]accord.Actor
	err error
}

func (d *demo) create(email string, t accord.Target) int64 {
	if d.err != nil {
		return 0
	}
	t.Status = accord.TargetDraft
	if t.BaselineValue == nil {
		v, err := d.latest(t.OrgCode, t.IndicatorID, t.BaselinePeriod)
		if err != nil {
			d.err = err
			return 0
		}
		t.BaselineValue = v
	}
	d.err = d.db.CreateTarget(d.ctx, &t, d.who[email])
	return t.ID
}

// latest is the organisation's value in the baseline period (the headline,
// or the one breakdown an indicator is published for, such as children
// under 16), so the examples quote the published figure rather than one
// typed here.
func (d *demo) latest(org, indicator string, p accord.Period) (*float64, error) {
	obs, _, err := d.db.FindObservations(d.ctx, accord.ObservationFilter{IndicatorID: indicator, OrgCodes: []string{org}, From: p, To: p, AnyBreakdown: true, Limit: 1})
	if err != nil || len(obs) == 0 {
		return nil, err
	}
	v := math.Round(obs[0].Value*10) / 10
	return &v, nil
}

func (d *demo) move(id int64, to accord.TargetStatus, email, reason string) {
	if d.err == nil {
		_, d.err = d.db.MoveTarget(d.ctx, id, to, d.who[email], reason)
	}
}

func (d *demo) trajectory(id int64, email string, ms []accord.Milestone) {
	if d.err == nil {
		_, d.err = d.db.SetTrajectory(d.ctx, id, ms, d.who[email], "Trajectory from the operational plan")
	}
}

func (d *demo) update(id int64, email string, change func(*accord.Target), reason string) int64 {
	if d.err != nil {
		return id
	}
	t, err := d.db.FindTarget(d.ctx, id)
	if err != nil {
		d.err = err
		return id
	}
	change(&t)
	_, d.err = d.db.UpdateTarget(d.ctx, t, d.who[email], reason)
	return id
}

func (d *demo) respond(id int64, email string, stance accord.Stance, comment string) int64 {
	if d.err != nil {
		return 0
	}
	a := d.who[email]
	r := accord.ConsultationResponse{UserID: a.UserID, Name: a.Name, Role: a.Role, OrgCode: a.OrgCode, Stance: stance, Comment: comment}
	d.err = d.db.Respond(d.ctx, id, &r, a)
	return r.ID
}

func (d *demo) theme(id int64, email, youSaid, weDid string, changed bool, responses ...int64) {
	if d.err == nil {
		th := accord.Theme{YouSaid: youSaid, WeDid: weDid, Changed: changed, ResponseIDs: responses}
		d.err = d.db.AnswerTheme(d.ctx, id, &th, d.who[email])
	}
}

// linear is a trajectory from the period from to the period holding
// deadline, rising (or falling) from start to end. A shape below 1 brings
// the improvement forward (more of it early); 1 is a straight line.
func linear(from accord.Period, deadline accord.Date, start, end, shape float64) []accord.Milestone {
	var ps []accord.Period
	for p := from; !p.Start().After(deadline.Time); p = p.Next() {
		ps = append(ps, p)
	}
	ms := make([]accord.Milestone, len(ps))
	for i, p := range ps {
		f := 1.0
		if len(ps) > 1 {
			f = math.Pow(float64(i+1)/float64(len(ps)), shape)
		}
		ms[i] = accord.Milestone{Period: p, Value: math.Round((start+(end-start)*f)*10) / 10}
	}
	return ms
}
