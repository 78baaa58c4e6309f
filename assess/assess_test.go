package assess_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/nhs-accord/accord"
	"github.com/nhs-accord/accord/assess"
	"github.com/nhs-accord/accord/reference"
	"github.com/nhs-accord/accord/store"
)

func TestRecompute(t *testing.T) {
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
	// QHG's peers: two ICBs, one better and one worse than it.
	if err := st.SavePeers(ctx, []accord.Peer{{OrgCode: "QHG", PeerCode: "QUE", Rank: 1, Distance: 1}, {OrgCode: "QHG", PeerCode: "QM7", Rank: 2, Distance: 2}}); err != nil {
		t.Fatal(err)
	}
	var obs []accord.Observation
	p := accord.MustParsePeriod("2023-04")
	for i := range 24 {
		add := func(org string, within, total float64) {
			obs = append(obs, accord.Observation{IndicatorID: "ae_4h_all", OrgCode: org, Period: p, Value: 100 * within / total,
				Numerator: accord.Float(within), Denominator: accord.Float(total), Status: accord.Final})
		}
		// QHG improves steadily from 70% to about 79%; England holds at 72%.
		add("QHG", 7000+float64(i)*40, 10000)
		add(accord.EnglandCode, 1_440_000, 2_000_000)
		add("QUE", 8500, 10000)
		add("QM7", 6000, 10000)
		p = p.Next()
	}
	if err := st.AddObservations(ctx, obs); err != nil {
		t.Fatal(err)
	}
	target := accord.Target{OrgCode: "QHG", IndicatorID: "ae_4h_all", PriorityID: "pg2526_ae_4h", Title: "78% by March 2026",
		Comparator: accord.AtLeast, Value: 78, Deadline: accord.NewDate(time.Now().Year()+1, 3, 31), Status: accord.TargetDraft}
	lead := accord.Actor{Email: "lead@qhg.nhs.net", Name: "QHG lead", Role: accord.RoleICBLead, OrgCode: "QHG"}
	if err := st.CreateTarget(ctx, &target, lead); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	sum, err := assess.Recompute(ctx, st, []string{"ae_4h_all"}, now)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Series != 4 || sum.Points != 96 {
		t.Errorf("summary %+v", sum)
	}
	as, _, err := st.FindAssessments(ctx, accord.AssessmentFilter{IndicatorID: "ae_4h_all", OrgCodes: []string{"QHG"}})
	if err != nil || len(as) != 1 {
		t.Fatalf("%+v %v", as, err)
	}
	a := as[0]
	if a.Points != 24 || a.Latest.String() != "2025-03" || a.Value < 79.1 || a.Value > 79.3 || !a.ComputedAt.Equal(now) {
		t.Errorf("latest: %+v", a)
	}
	// 7,920 of 10,000: Wilson's 95% interval is about ±0.8 points.
	if a.LowerCI == nil || *a.LowerCI > 79 || *a.UpperCI < 79.4 {
		t.Errorf("interval: %v %v", a.LowerCI, a.UpperCI)
	}
	// A steady rise is special-cause improvement; the planning standard of
	// 78% lies inside the limits, so assurance is inconsistent.
	if a.VariationIcon != "improvement_high" || a.PointType != "special_cause_improvement" {
		t.Errorf("SPC: %q %q", a.VariationIcon, a.PointType)
	}
	if a.AssuranceIcon == "" {
		t.Error("no assurance icon against the national standard")
	}
	if a.VsEngland != "better" || *a.England != 72 {
		t.Errorf("England: %q %v", a.VsEngland, a.England)
	}
	if *a.PeerMean != 72.5 || a.VsPeers != "better" || a.PeerRank != 2 || a.PeerCount != 3 {
		t.Errorf("peers: mean %v %q rank %d of %d", *a.PeerMean, a.VsPeers, a.PeerRank, a.PeerCount)
	}
	if a.TargetID != target.ID || a.Trajectory == "" {
		t.Errorf("trajectory: %q target %d", a.Trajectory, a.TargetID)
	}
	eng, _, _ := st.FindAssessments(ctx, accord.AssessmentFilter{IndicatorID: "ae_4h_all", OrgCodes: []string{accord.EnglandCode}})
	if len(eng) != 1 || eng[0].VsEngland != "" || eng[0].VariationIcon != "common_cause" {
		t.Errorf("England's own assessment: %+v", eng)
	}
}

func TestInterval95(t *testing.T) {
	ind := accord.Indicator{Unit: accord.UnitPercent, Method: accord.MethodProportion}
	counts := accord.Observation{Value: 70, Numerator: accord.Float(700), Denominator: accord.Float(1000)}
	if lo, hi, src, ok := assess.Interval95(ind, counts); !ok || src != "Wilson" || lo < 67.08 || lo > 67.09 || hi < 72.75 || hi > 72.76 {
		t.Errorf("Wilson 700/1000: %v %v %q %v", lo, hi, src, ok)
	}
	published := counts
	published.LowerCI, published.UpperCI, published.CILevel = accord.Float(60), accord.Float(80), 95
	if lo, hi, src, ok := assess.Interval95(ind, published); !ok || src != "published" || lo != 60 || hi != 80 {
		t.Errorf("published: %v %v %q %v", lo, hi, src, ok)
	}
	// A value not worked out from these counts gets no interval from them.
	other := counts
	other.Value = 75
	if _, _, _, ok := assess.Interval95(ind, other); ok {
		t.Error("an interval from counts that do not give the value")
	}
	if _, _, _, ok := assess.Interval95(accord.Indicator{Unit: accord.UnitCount, Method: accord.MethodCount}, accord.Observation{Value: 5}); ok {
		t.Error("an interval for a count with none published")
	}
}
