package assess_test

import (
	"context"
	"math"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nhs-accord/accord"
	"github.com/nhs-accord/accord/assess"
	"github.com/nhs-accord/accord/reference"
	"github.com/nhs-accord/accord/store"
)

// TestAmbition gathers a target's ambition inputs from a real SQLite store
// loaded with the shipped reference data (so the national priorities are
// the real register) and a small RTT history.
//
// The worked example. QHG's share waiting 18 weeks or less rises by 0.25
// points a month from 54% in September 2024: 54.5% in November 2024, 58.5%
// in March 2026 and 60% in September 2026, its latest month. Its target is
// at least 66% by 31 March 2027, serving the 2026/27 national target of
// 70%; today is 22 November 2026.
//
//   - National standard: 66% < 70% by 31 March 2027: below. The 2025/26
//     ambition (65% by March 2026) is past and not the one served, so it is
//     not checked.
//   - Minimum improvement: the 2026/27 rule asks for 7 points on March
//     2026 or 65%, whichever is greater: 58.5 + 7 = 65.5 > 65, so 65.5%;
//     66% meets it. The 2025/26 5-point rule's deadline is past: not checked.
//   - Own baseline: 60% in September 2026 to 66% is +6 points: meets.
//   - Peers: the span is September 2026 to March 2027, 6 months, so each
//     peer's latest 6 months count: QUE +2, QM7 +0.5, QH8 +4 and QMM −1;
//     QJG has no March 2026 value and is left out; QMJ's sex breakdown (a
//     jump to 99%) is not read. +6 beats all 4; the median is
//     (0.5 + 2) / 2 = 1.25: meets, at the 100th percentile.
func TestAmbition(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "a.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := reference.Load(ctx, st); err != nil {
		t.Fatal(err)
	}
	var peers []accord.Peer
	for i, code := range []string{"QUE", "QM7", "QH8", "QMM", "QJG", "QMJ"} {
		peers = append(peers, accord.Peer{OrgCode: "QHG", PeerCode: code, Rank: i + 1, Distance: float64(i + 1)})
	}
	if err := st.SavePeers(ctx, peers); err != nil {
		t.Fatal(err)
	}
	var obs []accord.Observation
	add := func(org string, p accord.Period, v float64, b accord.Breakdown) {
		obs = append(obs, accord.Observation{IndicatorID: "rtt_18w_share", OrgCode: org, Period: p, Breakdown: b, Value: v, Status: accord.Final})
	}
	p := accord.MustParsePeriod("2024-09")
	for m := range 25 { // September 2024 to September 2026
		add("QHG", p, 54+0.25*float64(m), accord.Breakdown{})
		p = p.Next()
	}
	// Peers from September 2025 to September 2026, each changing steadily.
	slopes := map[string]float64{"QUE": 2.0 / 6, "QM7": 0.5 / 6, "QH8": 4.0 / 6, "QMM": -1.0 / 6, "QJG": 1}
	starts := map[string]float64{"QUE": 66, "QM7": 49, "QH8": 58, "QMM": 69, "QJG": 40}
	for code, slope := range slopes {
		p := accord.MustParsePeriod("2025-09")
		for k := range 13 {
			if code != "QJG" || p.String() != "2026-03" {
				add(code, p, starts[code]+slope*float64(k), accord.Breakdown{})
			}
			p = p.Next()
		}
	}
	add("QMJ", accord.MustParsePeriod("2026-03"), 50, accord.Breakdown{Sex: accord.SexFemale})
	add("QMJ", accord.MustParsePeriod("2026-09"), 99, accord.Breakdown{Sex: accord.SexFemale})
	// A value after today is not yet known.
	add("QHG", accord.MustParsePeriod("2026-11"), 75, accord.Breakdown{})
	if err := st.AddObservations(ctx, obs); err != nil {
		t.Fatal(err)
	}

	today := accord.NewDate(2026, time.November, 22)
	target := accord.Target{OrgCode: "QHG", IndicatorID: "rtt_18w_share", PriorityID: "mtpf_rtt_18w_2627_national", Title: "66% by March 2027",
		Comparator: accord.AtLeast, Value: 66, Deadline: accord.NewDate(2027, 3, 31), Status: accord.TargetDraft}
	a, err := assess.Ambition(ctx, st, target, today)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range a.Checks {
		got = append(got, c.Name+":"+c.PriorityID+":"+string(c.Verdict))
	}
	want := []string{
		"national_standard:mtpf_rtt_18w_2627_national:below",
		"minimum_improvement:mtpf_rtt_18w_2627_trust:meets",
		"own_baseline::meets",
		"peers::meets",
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("checks\n%v\nwant\n%v", got, want)
	}
	if a.Baseline == nil || a.Baseline.Period.String() != "2026-09" || a.Baseline.Value != 60 || a.PlannedChange == nil || *a.PlannedChange != 6 {
		t.Errorf("baseline %+v, planned change %v", a.Baseline, a.PlannedChange)
	}
	if !a.NeedsJustification {
		t.Error("a target below the national standard needs a justification")
	}
	rule, _ := a.Check(accord.CheckMinimumImprovement)
	if rule.Required == nil || math.Abs(*rule.Required-65.5) > 1e-9 || !strings.Contains(rule.Message, "March 2026 (58.5%)") {
		t.Errorf("minimum improvement: required %v, %s", rule.Required, rule.Message)
	}
	peer, _ := a.Check(accord.CheckPeers)
	if peer.PeersCompared != 4 || peer.PeersBelow != 4 || peer.Percentile == nil || *peer.Percentile != 100 {
		t.Errorf("peers: %d below of %d, percentile %v: %s", peer.PeersBelow, peer.PeersCompared, peer.Percentile, peer.Message)
	}
	for _, s := range []string{"over 6 months", "March 2026 to September 2026", "NHS Cambridgeshire and Peterborough Integrated Care Board", "improvement of 1.25 percentage points", "No peer improved this much"} {
		if !strings.Contains(peer.Message, s) {
			t.Errorf("peer message %q does not say %q", peer.Message, s)
		}
	}

	// Measured from November 2024 instead, the span is 28 months, longer
	// than any peer's history here, so no peer is compared; the planned
	// change is 66 − 54.5 = 11.5 points.
	target.BaselinePeriod = accord.MustParsePeriod("2024-11")
	a, err = assess.Ambition(ctx, st, target, today)
	if err != nil {
		t.Fatal(err)
	}
	if a.Baseline == nil || a.Baseline.Value != 54.5 || *a.PlannedChange != 11.5 {
		t.Errorf("baseline from the target's period: %+v", a.Baseline)
	}
	if c, _ := a.Check(accord.CheckPeers); c.Verdict != accord.VerdictNotAssessed || c.PeersCompared != 0 {
		t.Errorf("peers over 28 months: %s %s", c.Verdict, c.Message)
	}

	// A baseline month with no value falls back on the value given with the
	// target.
	target.BaselinePeriod, target.BaselineValue = accord.MustParsePeriod("2023-03"), accord.Float(50)
	a, err = assess.Ambition(ctx, st, target, today)
	if err != nil {
		t.Fatal(err)
	}
	if c, _ := a.Check(accord.CheckOwnBaseline); a.Baseline == nil || a.Baseline.Value != 50 || !strings.Contains(c.Message, "from 50% in March 2023") {
		t.Errorf("the target's own baseline: %+v %s", a.Baseline, c.Message)
	}

	target.IndicatorID = "no_such_indicator"
	if _, err := assess.Ambition(ctx, st, target, today); accord.ErrorCode(err) != accord.ENOTFOUND {
		t.Errorf("unknown indicator: %v", err)
	}
}
