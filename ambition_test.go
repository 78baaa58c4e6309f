package accord_test

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/nhs-accord/accord"
)

// The national priorities on the RTT 18-week indicator, as the shipped
// register holds them (reference/data/national_targets.csv).
var (
	rttInd = accord.Indicator{ID: "rtt_18w_share", Name: "Patients waiting 18 weeks or less for treatment (RTT)",
		Unit: accord.UnitPercent, Polarity: accord.HigherIsBetter}
	rttNational2526 = accord.Priority{ID: "pg2526_rtt_18w_national", Name: "RTT waiting 18 weeks or less for treatment (national ambition)",
		StandardType: accord.Planning, Comparator: accord.AtLeast, Standard: 65, Unit: "percent", Deadline: accord.NewDate(2026, 3, 31)}
	rttTrust2526 = accord.Priority{ID: "pg2526_rtt_18w_trust_improvement", Name: "RTT 18-week performance: minimum improvement expected of every trust",
		Metric:       "percentage-point improvement in 18-week RTT performance (baseline November 2024)",
		StandardType: accord.Planning, Comparator: accord.AtLeast, Standard: 5, Unit: "percentage points", Deadline: accord.NewDate(2026, 3, 31)}
	rttConst = accord.Priority{ID: "const_rtt_18w", Name: "RTT 18-week standard", StandardType: accord.Constitutional,
		Comparator: accord.AtLeast, Standard: 92, Unit: "percent", Deadline: accord.NewDate(2029, 3, 31)}
	rttNational2627 = accord.Priority{ID: "mtpf_rtt_18w_2627_national", Name: "RTT waiting 18 weeks or less (national target for 2026/27)",
		StandardType: accord.Planning, Comparator: accord.AtLeast, Standard: 70, Unit: "percent", Deadline: accord.NewDate(2027, 3, 31)}
	rttTrust2627 = accord.Priority{ID: "mtpf_rtt_18w_2627_trust", Name: "RTT 18-week improvement per trust in 2026/27",
		Metric:       "percentage-point improvement in 18-week RTT performance",
		StandardType: accord.Planning, Comparator: accord.AtLeast, Standard: 7, Unit: "percentage points", Deadline: accord.NewDate(2027, 3, 31)}
	rttAll = []accord.Priority{rttNational2526, rttTrust2526, rttConst, rttNational2627, rttTrust2627}

	wait52Ind = accord.Indicator{ID: "rtt_52w_share", Name: "Waiting over 52 weeks", Unit: accord.UnitPercent, Polarity: accord.LowerIsBetter}
	wait52    = accord.Priority{ID: "pg2526_rtt_52w_share", Name: "Patients waiting over 52 weeks as a share of the total waiting list",
		StandardType: accord.Planning, Comparator: accord.AtMost, Standard: 1, Unit: "percent", Deadline: accord.NewDate(2026, 3, 31)}

	aeInd   = accord.Indicator{ID: "ae_4h_all", Name: "A&E 4 hours", Unit: accord.UnitPercent, Polarity: accord.HigherIsBetter}
	ae2526  = accord.Priority{ID: "pg2526_ae_4h", Name: "A&E 4-hour performance", StandardType: accord.Planning, Comparator: accord.AtLeast, Standard: 78, Unit: "percent", Deadline: accord.NewDate(2026, 3, 31)}
	aeConst = accord.Priority{ID: "const_ae_4h", Name: "A&E 4-hour standard", StandardType: accord.Constitutional, Comparator: accord.AtLeast, Standard: 95, Unit: "percent"}
)

func rttTarget(value float64, deadline accord.Date, priority string) accord.Target {
	t := accord.Target{ID: 7, OrgCode: "QHG", IndicatorID: "rtt_18w_share", PriorityID: priority, Title: "RTT 18 weeks",
		Comparator: accord.AtLeast, Value: value, Deadline: deadline, Status: accord.TargetDraft}
	if priority == "" {
		t.LocalTag = accord.TagOutcome
	}
	return t
}

func checksNamed(a accord.Ambition, name string) []accord.AmbitionCheck {
	var out []accord.AmbitionCheck
	for _, c := range a.Checks {
		if c.Name == name {
			out = append(out, c)
		}
	}
	return out
}

type wantCheck struct {
	priority string
	verdict  accord.Verdict
	late     bool
	required float64 // checked when not zero
	says     []string
}

func (w wantCheck) test(t *testing.T, c accord.AmbitionCheck) {
	t.Helper()
	if c.PriorityID != w.priority || c.Verdict != w.verdict || c.Late != w.late {
		t.Errorf("check %s: got %s %s late=%v, want %s %s late=%v\n%s", c.Name, c.PriorityID, c.Verdict, c.Late, w.priority, w.verdict, w.late, c.Message)
	}
	if w.required != 0 && (c.Required == nil || math.Abs(*c.Required-w.required) > 1e-9) {
		t.Errorf("check %s %s: required %v, want %v", c.Name, c.PriorityID, c.Required, w.required)
	}
	for _, s := range w.says {
		if !strings.Contains(c.Message, s) {
			t.Errorf("check %s %s: message %q does not say %q", c.Name, c.PriorityID, c.Message, s)
		}
	}
}

func TestAmbitionNationalStandard(t *testing.T) {
	autumn := accord.NewDate(2026, 11, 22)
	march26, march27 := accord.NewDate(2026, 3, 31), accord.NewDate(2027, 3, 31)
	cases := []struct {
		name  string
		in    accord.AmbitionInput
		want  []wantCheck
		needs bool
	}{
		{
			name: "exactly on the standard and deadline meets",
			in:   accord.AmbitionInput{Target: rttTarget(65, march26, "pg2526_rtt_18w_national"), Indicator: rttInd, Priorities: rttAll, Today: accord.NewDate(2025, 6, 1)},
			want: []wantCheck{{priority: "pg2526_rtt_18w_national", verdict: accord.VerdictMeets, required: 65, says: []string{"meets the national standard", "at least 65% by 31 March 2026"}}},
		},
		{
			// The example in the issue: 60% by 2027 serves the 2025/26
			// ambition of 65% by March 2026. It is also checked against
			// the standard in force at its own deadline, 70% by March 2027.
			name: "below the standard and later than its deadline says both",
			in:   accord.AmbitionInput{Target: rttTarget(60, march27, "pg2526_rtt_18w_national"), Indicator: rttInd, Priorities: rttAll, Today: autumn},
			want: []wantCheck{
				{priority: "pg2526_rtt_18w_national", verdict: accord.VerdictBelow, late: true, says: []string{"is below the national standard", "at least 65%", "later than its deadline", "31 March 2026"}},
				{priority: "mtpf_rtt_18w_2627_national", verdict: accord.VerdictBelow, required: 70, says: []string{"at least 60% by 31 March 2027 is below", "at least 70% by 31 March 2027"}},
			},
			needs: true,
		},
		{
			name: "on the level but later than the deadline",
			in:   accord.AmbitionInput{Target: rttTarget(71, accord.NewDate(2026, 6, 30), "pg2526_rtt_18w_national"), Indicator: rttInd, Priorities: rttAll, Today: accord.NewDate(2026, 1, 10)},
			want: []wantCheck{
				{priority: "pg2526_rtt_18w_national", verdict: accord.VerdictBelow, late: true, says: []string{"later than the deadline of the national standard"}},
				{priority: "mtpf_rtt_18w_2627_national", verdict: accord.VerdictMeets},
			},
			needs: true,
		},
		{
			name: "a local priority is checked against the standard in force at its deadline",
			in:   accord.AmbitionInput{Target: rttTarget(71, march27, ""), Indicator: rttInd, Priorities: rttAll, Today: autumn},
			want: []wantCheck{{priority: "mtpf_rtt_18w_2627_national", verdict: accord.VerdictMeets}},
		},
		{
			name:  "a deadline after every dated standard is late for the last",
			in:    accord.AmbitionInput{Target: rttTarget(93, accord.NewDate(2029, 6, 30), ""), Indicator: rttInd, Priorities: rttAll, Today: autumn},
			want:  []wantCheck{{priority: "const_rtt_18w", verdict: accord.VerdictBelow, late: true, says: []string{"later than the deadline", "31 March 2029"}}},
			needs: true,
		},
		{
			name: "no national priority on the indicator",
			in:   accord.AmbitionInput{Target: rttTarget(65, march27, ""), Indicator: rttInd, Today: autumn},
			want: []wantCheck{{verdict: accord.VerdictNotAssessed, says: []string{"no national standard"}}},
		},
		{
			name: "lower is better, under the ceiling",
			in: accord.AmbitionInput{Target: accord.Target{OrgCode: "QHG", Comparator: accord.AtMost, Value: 0.8, Deadline: march26},
				Indicator: wait52Ind, Priorities: []accord.Priority{wait52}, Today: accord.NewDate(2025, 5, 1)},
			want: []wantCheck{{priority: "pg2526_rtt_52w_share", verdict: accord.VerdictMeets, says: []string{"at most 0.8%"}}},
		},
		{
			name: "lower is better, above the ceiling",
			in: accord.AmbitionInput{Target: accord.Target{OrgCode: "QHG", Comparator: accord.AtMost, Value: 1.5, Deadline: march26},
				Indicator: wait52Ind, Priorities: []accord.Priority{wait52}, Today: accord.NewDate(2025, 5, 1)},
			want:  []wantCheck{{priority: "pg2526_rtt_52w_share", verdict: accord.VerdictBelow, says: []string{"below the national standard", "at most 1%"}}},
			needs: true,
		},
		{
			name: "the wrong side of the standard is below whatever the number",
			in: accord.AmbitionInput{Target: accord.Target{OrgCode: "QHG", Comparator: accord.AtMost, Value: 70, Deadline: march26, PriorityID: "pg2526_rtt_18w_national"},
				Indicator: rttInd, Priorities: []accord.Priority{rttNational2526}, Today: accord.NewDate(2025, 5, 1)},
			want:  []wantCheck{{priority: "pg2526_rtt_18w_national", verdict: accord.VerdictBelow, says: []string{"counts at most 70% as met"}}},
			needs: true,
		},
		{
			// pg2526_ae_4h's deadline has passed, so a new target that does
			// not serve it is held to the constitutional standard.
			name: "a past deadline binds no new target: the standing standard applies",
			in: accord.AmbitionInput{Target: accord.Target{OrgCode: "QHG", Comparator: accord.AtLeast, Value: 82, Deadline: march27},
				Indicator: aeInd, Priorities: []accord.Priority{ae2526, aeConst}, Today: autumn},
			want:  []wantCheck{{priority: "const_ae_4h", verdict: accord.VerdictBelow, says: []string{"which always applies"}}},
			needs: true,
		},
		{
			name: "a past deadline the target serves is still checked",
			in: accord.AmbitionInput{Target: accord.Target{OrgCode: "QHG", Comparator: accord.AtLeast, Value: 82, Deadline: march27, PriorityID: "pg2526_ae_4h"},
				Indicator: aeInd, Priorities: []accord.Priority{ae2526, aeConst}, Today: autumn},
			want: []wantCheck{
				{priority: "pg2526_ae_4h", verdict: accord.VerdictBelow, late: true},
				{priority: "const_ae_4h", verdict: accord.VerdictBelow},
			},
			needs: true,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := accord.CheckAmbition(tc.in)
			got := checksNamed(a, accord.CheckNationalStandard)
			if len(got) != len(tc.want) {
				t.Fatalf("%d national standard checks, want %d: %+v", len(got), len(tc.want), got)
			}
			for i, w := range tc.want {
				w.test(t, got[i])
			}
			// No floors are given, so the rules are not assessed and only
			// the standards decide.
			if a.NeedsJustification != tc.needs {
				t.Errorf("needs justification %v, want %v", a.NeedsJustification, tc.needs)
			}
		})
	}
}

func TestAmbitionMinimumImprovement(t *testing.T) {
	march26, march27 := accord.NewDate(2026, 3, 31), accord.NewDate(2027, 3, 31)
	nov24, mar26 := accord.MustParsePeriod("2024-11"), accord.MustParsePeriod("2026-03")
	spring := accord.NewDate(2025, 5, 1)
	autumn := accord.NewDate(2026, 11, 22)
	twoRules := []accord.Priority{rttTrust2526, rttTrust2627}
	wait52Cut := accord.Priority{ID: "local_rule_52w_cut", Name: "Cut the 52-week share by a point", Metric: "percentage-point reduction (baseline: March 2025)",
		StandardType: accord.Planning, Comparator: accord.AtLeast, Standard: 1, Unit: "percentage_points", Deadline: march26}
	cases := []struct {
		name string
		in   accord.AmbitionInput
		want []wantCheck
	}{
		{
			// 58.3 + 5 is 63.3 only up to floating-point error.
			name: "exactly 5 points on November 2024 meets",
			in: accord.AmbitionInput{Target: rttTarget(63.3, march26, "pg2526_rtt_18w_national"), Indicator: rttInd, Priorities: twoRules,
				Floors: []accord.PeriodValue{{Period: nov24, Value: 58.3}}, Today: spring},
			want: []wantCheck{
				{priority: "mtpf_rtt_18w_2627_trust", verdict: accord.VerdictNotAssessed, says: []string{"no published value for QHG in March 2026"}},
				{priority: "pg2526_rtt_18w_trust_improvement", verdict: accord.VerdictMeets, required: 63.3,
					says: []string{"at least 5 percentage points of improvement on the value in November 2024 (58.3%)", "so at least 63.3% by 31 March 2026", "5 percentage points better than in November 2024"}},
			},
		},
		{
			name: "short of 5 points is below",
			in: accord.AmbitionInput{Target: rttTarget(63.2, march26, ""), Indicator: rttInd, Priorities: []accord.Priority{rttTrust2526},
				Floors: []accord.PeriodValue{{Period: nov24, Value: 58.3}}, Today: spring},
			want: []wantCheck{{priority: "pg2526_rtt_18w_trust_improvement", verdict: accord.VerdictBelow, required: 63.3, says: []string{"4.9 percentage points better", "falls short"}}},
		},
		{
			name: "no value in the baseline month",
			in:   accord.AmbitionInput{Target: rttTarget(70, march26, ""), Indicator: rttInd, Priorities: []accord.Priority{rttTrust2526}, Today: spring},
			want: []wantCheck{{priority: "pg2526_rtt_18w_trust_improvement", verdict: accord.VerdictNotAssessed, says: []string{"November 2024"}}},
		},
		{
			// From 55%, 7 points is 62%, so reaching 65% is the greater:
			// 64% is 9 points better and still below.
			name: "7 points or 65%, whichever is greater: 65% binds",
			in: accord.AmbitionInput{Target: rttTarget(64, march27, ""), Indicator: rttInd, Priorities: twoRules,
				Floors: []accord.PeriodValue{{Period: mar26, Value: 55}}, Today: autumn},
			want: []wantCheck{{priority: "mtpf_rtt_18w_2627_trust", verdict: accord.VerdictBelow, required: 65,
				says: []string{"or reaching 65%, whichever is greater", "so at least 65% by 31 March 2027", "9 percentage points better"}}},
		},
		{
			name: "7 points or 65%, whichever is greater: 7 points binds",
			in: accord.AmbitionInput{Target: rttTarget(67, march27, ""), Indicator: rttInd, Priorities: twoRules,
				Floors: []accord.PeriodValue{{Period: mar26, Value: 60}}, Today: autumn},
			want: []wantCheck{{priority: "mtpf_rtt_18w_2627_trust", verdict: accord.VerdictMeets, required: 67}},
		},
		{
			name: "a rule the target serves is checked after its deadline, and the target is late",
			in: accord.AmbitionInput{Target: rttTarget(70, march27, "pg2526_rtt_18w_trust_improvement"), Indicator: rttInd, Priorities: []accord.Priority{rttTrust2526},
				Floors: []accord.PeriodValue{{Period: nov24, Value: 58.3}}, Today: autumn},
			want: []wantCheck{{priority: "pg2526_rtt_18w_trust_improvement", verdict: accord.VerdictBelow, late: true, says: []string{"deadline is later than the rule's"}}},
		},
		{
			name: "lower is better: the rule asks for a reduction from the month its text names",
			in: accord.AmbitionInput{Target: accord.Target{OrgCode: "QHG", Comparator: accord.AtMost, Value: 1.4, Deadline: march26},
				Indicator: wait52Ind, Priorities: []accord.Priority{wait52Cut}, Floors: []accord.PeriodValue{{Period: accord.MustParsePeriod("2025-03"), Value: 2.4}}, Today: spring},
			want: []wantCheck{{priority: "local_rule_52w_cut", verdict: accord.VerdictMeets, required: 1.4, says: []string{"so at most 1.4%"}}},
		},
		{
			name: "lower is better: too small a reduction",
			in: accord.AmbitionInput{Target: accord.Target{OrgCode: "QHG", Comparator: accord.AtMost, Value: 1.5, Deadline: march26},
				Indicator: wait52Ind, Priorities: []accord.Priority{wait52Cut}, Floors: []accord.PeriodValue{{Period: accord.MustParsePeriod("2025-03"), Value: 2.4}}, Today: spring},
			want: []wantCheck{{priority: "local_rule_52w_cut", verdict: accord.VerdictBelow, required: 1.4, says: []string{"0.9 percentage points better"}}},
		},
		{
			name: "a percentage cannot pass 100",
			in: accord.AmbitionInput{Target: rttTarget(100, march26, ""), Indicator: rttInd, Priorities: []accord.Priority{rttTrust2526},
				Floors: []accord.PeriodValue{{Period: nov24, Value: 97}}, Today: spring},
			want: []wantCheck{{priority: "pg2526_rtt_18w_trust_improvement", verdict: accord.VerdictMeets, required: 100}},
		},
		{
			name: "no better direction",
			in: accord.AmbitionInput{Target: rttTarget(70, march26, ""), Indicator: accord.Indicator{Unit: accord.UnitPercent, Polarity: accord.NoPolarity},
				Priorities: []accord.Priority{rttTrust2526}, Floors: []accord.PeriodValue{{Period: nov24, Value: 58}}, Today: spring},
			want: []wantCheck{{priority: "pg2526_rtt_18w_trust_improvement", verdict: accord.VerdictNotAssessed, says: []string{"no direction"}}},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := accord.CheckAmbition(tc.in)
			got := checksNamed(a, accord.CheckMinimumImprovement)
			if len(got) != len(tc.want) {
				t.Fatalf("%d minimum-improvement checks, want %d: %+v", len(got), len(tc.want), got)
			}
			below := false
			for i, w := range tc.want {
				w.test(t, got[i])
				below = below || w.verdict == accord.VerdictBelow
			}
			for _, c := range checksNamed(a, accord.CheckNationalStandard) {
				below = below || c.Verdict == accord.VerdictBelow
			}
			if a.NeedsJustification != below {
				t.Errorf("needs justification %v, want %v", a.NeedsJustification, below)
			}
		})
	}
}

func TestImprovementBaseline(t *testing.T) {
	cases := []struct {
		p    accord.Priority
		want string
	}{
		{rttTrust2526, "2024-11"}, // known, and also in its text
		{rttTrust2627, "2026-03"}, // known: the March before 2026/27
		{accord.Priority{ID: "x_rule", Metric: "improvement (Baseline October 2023)", Deadline: accord.NewDate(2026, 3, 31)}, "2023-10"},
		{accord.Priority{ID: "x_rule", Deadline: accord.NewDate(2027, 3, 31)}, "2026-03"},
		{accord.Priority{ID: "x_rule", Deadline: accord.NewDate(2026, 6, 30)}, "2026-03"},
		{accord.Priority{ID: "x_rule", Deadline: accord.NewDate(2026, 4, 1)}, "2026-03"},
		{accord.Priority{ID: "x_rule"}, ""},
	}
	for _, tc := range cases {
		if got := tc.p.ImprovementBaseline().String(); got != tc.want {
			t.Errorf("%s %q due %s: baseline %q, want %q", tc.p.ID, tc.p.Metric, tc.p.Deadline, got, tc.want)
		}
	}
	if !rttTrust2526.IsMinimumImprovement() || rttNational2526.IsMinimumImprovement() || !(accord.Priority{Unit: "percentage_points"}).IsMinimumImprovement() {
		t.Error("IsMinimumImprovement: only percentage-point rules")
	}
}

func TestAmbitionOwnBaseline(t *testing.T) {
	sep25 := accord.MustParsePeriod("2025-09")
	march27 := accord.NewDate(2027, 3, 31)
	autumn := accord.NewDate(2026, 11, 22)
	fds := accord.Indicator{ID: "cancer_fds_28d", Unit: accord.UnitPercent, Polarity: accord.HigherIsBetter}
	fdsMaintain := accord.Priority{ID: "mtpf_cancer_fds_maintain", Name: "Maintain Faster Diagnosis Standard at 80%", StandardType: accord.Planning,
		Comparator: accord.AtLeast, Standard: 80, Unit: "percent", Deadline: accord.NewDate(2029, 3, 31)}
	withOwn := rttTarget(65, march27, "")
	withOwn.BaselinePeriod, withOwn.BaselineValue = sep25, accord.Float(60)
	cases := []struct {
		name    string
		in      accord.AmbitionInput
		verdict accord.Verdict
		change  *float64
		says    string
	}{
		{"an improvement", accord.AmbitionInput{Target: rttTarget(65, march27, ""), Indicator: rttInd, Baseline: &accord.PeriodValue{Period: sep25, Value: 58.3}, Today: autumn},
			accord.VerdictMeets, accord.Float(6.7), "improvement of 6.7 percentage points, from 58.3% in September 2025 to 65%"},
		{"no change planned", accord.AmbitionInput{Target: rttTarget(58.3, march27, ""), Indicator: rttInd, Priorities: rttAll, Baseline: &accord.PeriodValue{Period: sep25, Value: 58.3}, Today: autumn},
			accord.VerdictBelow, accord.Float(0), "No change planned"},
		{"holding a level that meets the national standard", accord.AmbitionInput{Target: accord.Target{OrgCode: "QHG", Comparator: accord.AtLeast, Value: 81.5, Deadline: march27},
			Indicator: fds, Priorities: []accord.Priority{fdsMaintain}, Baseline: &accord.PeriodValue{Period: sep25, Value: 81.5}, Today: autumn},
			accord.VerdictMeets, accord.Float(0), "already meets the national standard"},
		{"a deterioration", accord.AmbitionInput{Target: rttTarget(56, march27, ""), Indicator: rttInd, Baseline: &accord.PeriodValue{Period: sep25, Value: 58.3}, Today: autumn},
			accord.VerdictBelow, accord.Float(-2.3), "deterioration of 2.3 percentage points"},
		{"lower is better: a reduction is an improvement", accord.AmbitionInput{Target: accord.Target{OrgCode: "QHG", Comparator: accord.AtMost, Value: 1, Deadline: march27},
			Indicator: wait52Ind, Baseline: &accord.PeriodValue{Period: sep25, Value: 2.1}, Today: autumn},
			accord.VerdictMeets, accord.Float(-1.1), "improvement of 1.1 percentage points, from 2.1% in September 2025 to 1%"},
		{"lower is better: a rise is a deterioration", accord.AmbitionInput{Target: accord.Target{OrgCode: "QHG", Comparator: accord.AtMost, Value: 2.5, Deadline: march27},
			Indicator: wait52Ind, Baseline: &accord.PeriodValue{Period: sep25, Value: 2.1}, Today: autumn},
			accord.VerdictBelow, accord.Float(0.4), "deterioration of 0.4 percentage points"},
		{"no baseline", accord.AmbitionInput{Target: rttTarget(65, march27, ""), Indicator: rttInd, Today: autumn},
			accord.VerdictNotAssessed, nil, "no baseline for QHG"},
		{"the target's own baseline when none is published", accord.AmbitionInput{Target: withOwn, Indicator: rttInd, Today: autumn},
			accord.VerdictMeets, accord.Float(5), "from 60% in September 2025"},
		{"a cap on a higher-is-better indicator", accord.AmbitionInput{Target: accord.Target{OrgCode: "QHG", Comparator: accord.AtMost, Value: 65, Deadline: march27},
			Indicator: rttInd, Baseline: &accord.PeriodValue{Period: sep25, Value: 58.3}, Today: autumn},
			accord.VerdictBelow, accord.Float(6.7), "higher is better"},
		{"no better direction", accord.AmbitionInput{Target: rttTarget(65, march27, ""), Indicator: accord.Indicator{Unit: accord.UnitCount, Polarity: accord.NoPolarity},
			Baseline: &accord.PeriodValue{Period: sep25, Value: 60}, Today: autumn},
			accord.VerdictNotAssessed, accord.Float(5), "change of +5"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := accord.CheckAmbition(tc.in)
			c, ok := a.Check(accord.CheckOwnBaseline)
			if !ok {
				t.Fatal("no own-baseline check")
			}
			if c.Verdict != tc.verdict || !strings.Contains(c.Message, tc.says) {
				t.Errorf("got %s %q, want %s saying %q", c.Verdict, c.Message, tc.verdict, tc.says)
			}
			switch {
			case (a.PlannedChange == nil) != (tc.change == nil):
				t.Errorf("planned change %v, want %v", a.PlannedChange, tc.change)
			case a.PlannedChange != nil && math.Abs(*a.PlannedChange-*tc.change) > 1e-9:
				t.Errorf("planned change %v, want %v", *a.PlannedChange, *tc.change)
			}
		})
	}
}

func peersWith(changes ...float64) []accord.PeerImprovement {
	var out []accord.PeerImprovement
	for i, d := range changes {
		out = append(out, accord.PeerImprovement{OrgCode: "P" + string(rune('A'+i)), Name: "Peer " + string(rune('A'+i)),
			From: accord.MustParsePeriod("2024-07"), To: accord.MustParsePeriod("2025-11"), FromValue: 55, ToValue: 55 + d})
	}
	return out
}

func TestAmbitionPeers(t *testing.T) {
	base := &accord.PeriodValue{Period: accord.MustParsePeriod("2025-11"), Value: 58.3}
	deadline := accord.NewDate(2027, 3, 31) // 16 months after November 2025
	cases := []struct {
		name       string
		in         accord.AmbitionInput
		verdict    accord.Verdict
		below, of  int
		percentile float64
		says       []string
		notSays    string
	}{
		{
			// +6.7 points beats the six peers that improved by 1 to 6; the
			// median of 1…10 is 5.5.
			name: "above the median peer", in: accord.AmbitionInput{Target: rttTarget(65, deadline, ""), Indicator: rttInd, Baseline: base,
				PeerImprovements: peersWith(1, 2, 3, 4, 5, 6, 7, 8, 9, 10)},
			verdict: accord.VerdictMeets, below: 6, of: 10, percentile: 60,
			says:    []string{"more ambitious than 6 of 10 peers' actual improvement over 16 months", "July 2024 to November 2025", "median peer achieved an improvement of 5.5 percentage points"},
			notSays: "No peer",
		},
		{
			name: "below the median peer", in: accord.AmbitionInput{Target: rttTarget(60, deadline, ""), Indicator: rttInd, Baseline: base,
				PeerImprovements: peersWith(-1, 0.5, 2, 3, 4)},
			verdict: accord.VerdictBelow, below: 2, of: 5, percentile: 40, says: []string{"improvement of 1.7 percentage points", "median peer achieved an improvement of 2 percentage points"},
		},
		{
			// A tie with a peer is not "more ambitious" than it.
			name: "ties are not counted as beaten", in: accord.AmbitionInput{Target: rttTarget(61.3, deadline, ""), Indicator: rttInd, Baseline: base,
				PeerImprovements: peersWith(1, 3, 3, 5)},
			verdict: accord.VerdictMeets, below: 1, of: 4, percentile: 25,
		},
		{
			name: "more than any peer achieved", in: accord.AmbitionInput{Target: rttTarget(75, deadline, ""), Indicator: rttInd, Baseline: base,
				PeerImprovements: peersWith(1, 2, 3)},
			verdict: accord.VerdictMeets, below: 3, of: 3, percentile: 100, says: []string{"No peer improved this much", "realistic"},
		},
		{
			// Lower is better: peers' falls are improvements.
			name: "lower is better", in: accord.AmbitionInput{Target: accord.Target{OrgCode: "QHG", Comparator: accord.AtMost, Value: 1.5, Deadline: deadline},
				Indicator: wait52Ind, Baseline: &accord.PeriodValue{Period: base.Period, Value: 2.5}, PeerImprovements: peersWith(-2, -1.2, -0.5, 0.3)},
			verdict: accord.VerdictMeets, below: 2, of: 4, percentile: 50, says: []string{"improvement of 1 percentage point:"},
		},
		{
			name: "fewer than 3 peers with data", in: accord.AmbitionInput{Target: rttTarget(65, deadline, ""), Indicator: rttInd, Baseline: base,
				PeerImprovements: append(peersWith(1, 2), accord.PeerImprovement{OrgCode: "PZ", FromValue: math.NaN(), ToValue: 50, From: base.Period, To: base.Period})},
			verdict: accord.VerdictNotAssessed, of: 2, says: []string{"2 peers have values", "at least 3"},
		},
		{
			name: "no baseline", in: accord.AmbitionInput{Target: rttTarget(65, deadline, ""), Indicator: rttInd, PeerImprovements: peersWith(1, 2, 3, 4)},
			verdict: accord.VerdictNotAssessed, says: []string{"without a baseline"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, _ := accord.CheckAmbition(tc.in).Check(accord.CheckPeers)
			if c.Verdict != tc.verdict || c.PeersBelow != tc.below || c.PeersCompared != tc.of {
				t.Errorf("got %s, %d of %d, want %s, %d of %d: %s", c.Verdict, c.PeersBelow, c.PeersCompared, tc.verdict, tc.below, tc.of, c.Message)
			}
			if tc.verdict != accord.VerdictNotAssessed && (c.Percentile == nil || math.Abs(*c.Percentile-tc.percentile) > 1e-9) {
				t.Errorf("percentile %v, want %v", c.Percentile, tc.percentile)
			}
			for _, s := range tc.says {
				if !strings.Contains(c.Message, s) {
					t.Errorf("message %q does not say %q", c.Message, s)
				}
			}
			if tc.notSays != "" && strings.Contains(c.Message, tc.notSays) {
				t.Errorf("message %q says %q", c.Message, tc.notSays)
			}
		})
	}
}

// TestAmbitionWorked runs every check on one target and reads the summary
// a reviewer would see.
func TestAmbitionWorked(t *testing.T) {
	in := accord.AmbitionInput{
		Target:           rttTarget(66, accord.NewDate(2027, 3, 31), "mtpf_rtt_18w_2627_national"),
		Indicator:        rttInd,
		Priorities:       rttAll,
		Baseline:         &accord.PeriodValue{Period: accord.MustParsePeriod("2025-11"), Value: 58.3},
		Floors:           []accord.PeriodValue{{Period: accord.MustParsePeriod("2024-11"), Value: 55.1}, {Period: accord.MustParsePeriod("2026-03"), Value: 59.4}},
		PeerImprovements: peersWith(1, 2, 3, 4, 5, 6, 7, 8, 9, 10),
		Today:            accord.NewDate(2026, 11, 22),
	}
	a := accord.CheckAmbition(in)
	var names []string
	for _, c := range a.Checks {
		names = append(names, c.Name+":"+c.PriorityID+":"+string(c.Verdict))
	}
	// 66% is below 70% by March 2027; 59.4 + 7 = 66.4 > 65, so the
	// 2026/27 rule asks for 66.4% and 66% falls short; the 2025/26 rule's
	// deadline has passed. 66 − 58.3 = 7.7 points beats 7 of 10 peers.
	want := []string{
		"national_standard:mtpf_rtt_18w_2627_national:below",
		"minimum_improvement:mtpf_rtt_18w_2627_trust:below",
		"own_baseline::meets",
		"peers::meets",
	}
	if strings.Join(names, " ") != strings.Join(want, " ") {
		t.Fatalf("checks\n%v\nwant\n%v", names, want)
	}
	if !a.NeedsJustification || a.TargetID != 7 || a.Unit != accord.UnitPercent {
		t.Errorf("needs justification %v, target %d, unit %q", a.NeedsJustification, a.TargetID, a.Unit)
	}
	s := a.Summary()
	for _, want := range []string{"Meets 2 of 4 checks; below on 2.", "at least 70%", "at least 66.4%", "needs a written justification"} {
		if !strings.Contains(s, want) {
			t.Errorf("summary %q does not say %q", s, want)
		}
	}

	in.Target.Value = 70
	s = accord.CheckAmbition(in).Summary()
	if s != "Meets 4 of 4 checks." {
		t.Errorf("summary of a target meeting everything: %q", s)
	}

	b, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"needs_justification":true`, `"verdict":"below"`, `"name":"peers"`, `"percentile":70`, `"period":"2025-11"`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("JSON %s lacks %s", b, want)
		}
	}
}

func TestAmbitionNumbers(t *testing.T) {
	// Large counts are grouped in thousands in messages.
	ind := accord.Indicator{Name: "Urgent dental appointments", Unit: accord.UnitCount, Polarity: accord.HigherIsBetter}
	a := accord.CheckAmbition(accord.AmbitionInput{
		Target:    accord.Target{OrgCode: "QHG", Comparator: accord.AtLeast, Value: 1234567.891, Deadline: accord.NewDate(2026, 3, 31)},
		Indicator: ind, Baseline: &accord.PeriodValue{Period: accord.MustParsePeriod("2024/25"), Value: 1000000},
		Today: accord.NewDate(2025, time.May, 1),
	})
	c, _ := a.Check(accord.CheckOwnBaseline)
	if !strings.Contains(c.Message, "improvement of 234,567.89, from 1,000,000 in 2024/25 to 1,234,567.89") {
		t.Errorf("message %q", c.Message)
	}
}
