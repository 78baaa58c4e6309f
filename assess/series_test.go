package assess_test

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/nhs-accord/accord"
	"github.com/nhs-accord/accord/assess"
	"github.com/nhs-accord/accord/reference"
	"github.com/nhs-accord/accord/store"
)

// seriesFixture is one indicator's observations for England, three ICBs
// (two of them each other's peers) and a trust, whole population and two
// breakdowns, 30 months each, in the store's order: series by series, each
// in period order.
func seriesFixture(ind string) []accord.Observation {
	var obs []accord.Observation
	for ci, org := range []string{accord.EnglandCode, "QHG", "QM7", "QUE", "RC9"} {
		for bi, b := range []accord.Breakdown{{}, {Sex: accord.SexFemale}, {Sex: accord.SexMale, IMDDecile: 2}} {
			p := accord.MustParsePeriod("2023-01")
			for m := range 30 {
				x := 600 + 100*math.Sin(float64(m+3*ci+bi)/5) + float64(m*ci)
				o := accord.Observation{IndicatorID: ind, OrgCode: org, Period: p, Breakdown: b, Value: x / 10,
					Numerator: accord.Float(x), Denominator: accord.Float(1000), Status: accord.Final}
				if m%7 == 3 {
					o.LowerCI, o.UpperCI, o.CILevel = accord.Float(o.Value-2), accord.Float(o.Value+2), 95
				}
				obs = append(obs, o)
				p = p.Next()
			}
		}
	}
	return obs
}

func seriesInputs(obs []accord.Observation) assess.Inputs {
	return assess.Inputs{
		Indicator:    accord.Indicator{ID: "ae_4h_all", Unit: accord.UnitPercent, Polarity: accord.HigherIsBetter, Method: accord.MethodProportion},
		Observations: obs,
		Types: map[string]accord.OrgType{accord.EnglandCode: accord.OrgEngland, "QHG": accord.OrgICB, "QM7": accord.OrgICB,
			"QUE": accord.OrgICB, "RC9": accord.OrgProvider},
		PeerOf: map[string][]string{"QHG": {"QUE", "QM7"}, "QUE": {"QHG"}},
		Priorities: []accord.Priority{{ID: "const_ae_4h", StandardType: accord.Constitutional, Comparator: accord.AtLeast,
			Standard: 95, Unit: "percent"}},
		Targets: []accord.Target{{ID: 7, OrgCode: "QHG", Comparator: accord.AtLeast, Value: 70,
			Deadline: accord.NewDate(2026, 3, 31), Status: accord.TargetActive}},
	}
}

// Indicator gives the same assessments whatever the order of its
// observations — series whole and in order as the store gives them,
// shuffled, or a series split in pieces — and leaves them as they were.
func TestIndicatorAnyOrder(t *testing.T) {
	now := time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)
	ordered := seriesFixture("ae_4h_all")
	want := assess.Indicator(seriesInputs(ordered), now)
	if len(want) != 15 {
		t.Fatalf("%d assessments, want 15", len(want))
	}
	byKey := func(as []accord.Assessment) []accord.Assessment {
		as = slices.Clone(as)
		slices.SortFunc(as, func(a, b accord.Assessment) int {
			return cmp.Or(strings.Compare(a.OrgCode, b.OrgCode), strings.Compare(a.Breakdown.Key(), b.Breakdown.Key()))
		})
		return as
	}
	// Each half of every series, the later halves first.
	var pieces []accord.Observation
	for half := range 2 {
		for i := 0; i < len(ordered); i += 30 {
			if half == 0 {
				pieces = append(pieces, ordered[i+15:i+30]...)
			} else {
				pieces = append(pieces, ordered[i:i+15]...)
			}
		}
	}
	shuffled := slices.Clone(ordered)
	rand.New(rand.NewPCG(1, 2)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	for name, obs := range map[string][]accord.Observation{"shuffled": shuffled, "in pieces": pieces} {
		before := slices.Clone(obs)
		got := assess.Indicator(seriesInputs(obs), now)
		if !reflect.DeepEqual(byKey(got), byKey(want)) {
			t.Errorf("%s: the assessments differ from those of the series in order", name)
		}
		if !reflect.DeepEqual(obs, before) {
			t.Errorf("%s: Indicator changed its input", name)
		}
	}
	// The fixture exercises what it should.
	qhg := byKey(want)[3]
	if qhg.OrgCode != "QHG" || qhg.VariationIcon == "" || qhg.PeerCount != 3 || qhg.England == nil || qhg.TargetID != 7 {
		t.Errorf("QHG: %+v", qhg)
	}
}

// A recompute from the store, which reads packed series, saves what the
// statistics give over the observations as FindObservations returns them,
// after they are added, revised and rolled back.
func TestRecomputeMatchesObservations(t *testing.T) {
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
	if err := st.SavePeers(ctx, []accord.Peer{{OrgCode: "QHG", PeerCode: "QUE", Rank: 1, Distance: 1}, {OrgCode: "QHG", PeerCode: "QM7", Rank: 2, Distance: 2}}); err != nil {
		t.Fatal(err)
	}
	if err := st.AddObservations(ctx, seriesFixture("ae_4h_all")); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)
	check := func(step string) {
		t.Helper()
		if _, err := assess.Recompute(ctx, st, []string{"ae_4h_all"}, now); err != nil {
			t.Fatal(err)
		}
		got, _, err := st.FindAssessments(ctx, accord.AssessmentFilter{IndicatorID: "ae_4h_all", AnyBreakdown: true})
		if err != nil {
			t.Fatal(err)
		}
		obs, _, err := st.FindObservations(ctx, accord.ObservationFilter{IndicatorID: "ae_4h_all", AnyBreakdown: true})
		if err != nil {
			t.Fatal(err)
		}
		ind, err := st.FindIndicator(ctx, "ae_4h_all")
		if err != nil {
			t.Fatal(err)
		}
		priorities, _, err := st.FindPriorities(ctx, accord.PriorityFilter{IndicatorID: ind.ID})
		if err != nil {
			t.Fatal(err)
		}
		in := seriesInputs(obs)
		in.Indicator, in.Priorities, in.Targets, in.PeerOf = ind, priorities, nil, map[string][]string{"QHG": {"QUE", "QM7"}}
		want := assess.Indicator(in, now)
		slices.SortFunc(want, func(a, b accord.Assessment) int {
			return cmp.Or(strings.Compare(a.OrgCode, b.OrgCode), strings.Compare(a.Breakdown.Key(), b.Breakdown.Key()))
		})
		if len(got) != len(want) {
			t.Fatalf("%s: %d assessments saved, want %d", step, len(got), len(want))
		}
		for i := range want {
			if g, w := fmt.Sprintf("%+v", deref(got[i])), fmt.Sprintf("%+v", deref(want[i])); g != w {
				t.Errorf("%s: assessment %d:\n got %s\nwant %s", step, i, g, w)
			}
		}
	}
	check("added")

	imp := accord.Import{Format: "long", FileName: "revised.csv", SHA256: strings.Repeat("ab", 32), Publisher: "NHS England",
		Dataset: "ae", ImportedBy: "analyst@example.nhs.uk"}
	w, err := st.BeginImport(ctx, imp)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Abort()
	for i, org := range []string{"QHG", "QUE"} {
		o := accord.Observation{IndicatorID: "ae_4h_all", OrgCode: org, Period: accord.MustParsePeriod("2025-07"), Value: 91,
			Numerator: accord.Float(910), Denominator: accord.Float(1000), Status: accord.Provisional}
		if err := w.Add(ctx, o, fmt.Sprintf("revised.csv:%d", i+2)); err != nil {
			t.Fatal(err)
		}
	}
	done, err := w.Finish(ctx, 2, nil, true)
	if err != nil {
		t.Fatal(err)
	}
	check("imported")
	if _, err := st.RollbackImport(ctx, done.ID); err != nil {
		t.Fatal(err)
	}
	check("rolled back")
}

// deref shows an assessment's optional numbers, not their addresses.
func deref(a accord.Assessment) string {
	f := func(p *float64) string {
		if p == nil {
			return "nil"
		}
		return fmt.Sprintf("%016x", math.Float64bits(*p))
	}
	return fmt.Sprintf("%s %s %q n=%d %s..%s v=%016x ci=%s,%s spc=%s/%s/%s eng=%s %s peers=%s %s %d/%d traj=%q",
		a.IndicatorID, a.OrgCode, a.Breakdown.Key(), a.Points, a.First, a.Latest, math.Float64bits(a.Value), f(a.LowerCI), f(a.UpperCI),
		a.VariationIcon, a.AssuranceIcon, a.PointType, f(a.England), a.VsEngland, f(a.PeerMean), a.VsPeers, a.PeerRank, a.PeerCount, a.Trajectory)
}
