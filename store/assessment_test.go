package store

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	accord "github.com/nhs-accord/accord"
)

func TestAssessments(t *testing.T) {
	forEachEngine(t, func(t *testing.T, open factory) {
		ctx := context.Background()
		db := seeded(t, open)
		ind := fixtureIndicators()[0]
		orgs := fixtureOrgs()
		var icb, other string
		for _, o := range orgs {
			if o.Type == accord.OrgICB {
				if icb == "" {
					icb = o.Code
				} else if other == "" {
					other = o.Code
				}
			}
		}
		if other == "" {
			t.Fatalf("fixture needs two ICBs: %+v", orgs)
		}
		at := time.Date(2026, 11, 22, 9, 30, 0, 0, time.UTC)
		a := accord.Assessment{IndicatorID: ind.ID, OrgCode: icb, Points: 24, First: accord.MustParsePeriod("2023-04"),
			Latest: accord.MustParsePeriod("2025-03"), Value: 71.2, LowerCI: accord.Float(70.1), UpperCI: accord.Float(72.3),
			VariationIcon: "improvement_high", AssuranceIcon: "inconsistent", PointType: "common_cause", England: accord.Float(73.1),
			VsEngland: "worse", VsPeers: "similar", PeerMean: accord.Float(71), PeerRank: 4, PeerCount: 11, ComputedAt: at}
		female := a
		female.Breakdown = accord.Breakdown{Sex: "female"}
		if err := db.SaveAssessments(ctx, []accord.Assessment{a, female}); err != nil {
			t.Fatal(err)
		}
		// Saving again replaces, not adds.
		a.Value, a.ComputedAt = 72, at.Add(time.Hour)
		if err := db.SaveAssessments(ctx, []accord.Assessment{a}); err != nil {
			t.Fatal(err)
		}
		got, total, err := db.FindAssessments(ctx, accord.AssessmentFilter{IndicatorID: ind.ID})
		if err != nil || total != 1 || len(got) != 1 {
			t.Fatalf("%+v %d %v", got, total, err)
		}
		g := got[0]
		if g.Value != 72 || !g.ComputedAt.Equal(at.Add(time.Hour)) || *g.UpperCI != 72.3 || g.VariationIcon != "improvement_high" ||
			g.Latest.String() != "2025-03" || g.PeerRank != 4 || *g.England != 73.1 || g.TargetID != 0 {
			t.Errorf("round trip: %+v", g)
		}
		if _, n, _ := db.FindAssessments(ctx, accord.AssessmentFilter{AnyBreakdown: true, OrgCodes: []string{icb}}); n != 2 {
			t.Errorf("any breakdown: %d", n)
		}
		if _, n, _ := db.FindAssessments(ctx, accord.AssessmentFilter{OrgType: accord.OrgICB}); n != 1 {
			t.Errorf("by type: %d", n)
		}
		bad := a
		bad.OrgCode = "NOPE9"
		if err := db.SaveAssessments(ctx, []accord.Assessment{bad}); accord.ErrorCode(err) != accord.EINVALID {
			t.Errorf("unknown organisation: %v", err)
		}

		peers := []accord.Peer{{OrgCode: icb, PeerCode: other, Rank: 1, Distance: 0.5}, {OrgCode: other, PeerCode: icb, Rank: 1, Distance: 0.5}}
		if err := db.SavePeers(ctx, peers); err != nil {
			t.Fatal(err)
		}
		if err := db.SavePeers(ctx, peers[:1]); err != nil {
			t.Fatal(err)
		}
		ps, err := db.FindPeers(ctx, icb)
		if err != nil || len(ps) != 1 || ps[0].PeerCode != other {
			t.Errorf("peers: %+v %v", ps, err)
		}
		if ps, _ := db.FindPeers(ctx, other); len(ps) != 0 {
			t.Errorf("SavePeers did not replace: %+v", ps)
		}
		if err := db.SavePeers(ctx, []accord.Peer{{OrgCode: icb, PeerCode: icb, Rank: 1}}); accord.ErrorCode(err) != accord.EINVALID {
			t.Errorf("self peer: %v", err)
		}
	})
}

func TestEachValue(t *testing.T) {
	forEachEngine(t, func(t *testing.T, open factory) {
		ctx := context.Background()
		db := seeded(t, open)
		ind := fixtureIndicators()[0].ID
		org := fixtureOrgs()[len(fixtureOrgs())-1].Code
		a, b, c := obs(ind, org, "2025-04", 70), obs(ind, org, "2025-05", 71), obs(ind, org, "2025-04", 60)
		a.Numerator, a.Denominator, a.LowerCI, a.UpperCI, a.CILevel = accord.Float(700), accord.Float(1000), accord.Float(69), accord.Float(71), 95
		c.Breakdown = accord.Breakdown{Sex: "female", IMDDecile: 3}
		if err := db.AddObservations(ctx, []accord.Observation{a, b, c}); err != nil {
			t.Fatal(err)
		}
		want, _, err := db.FindObservations(ctx, accord.ObservationFilter{AnyBreakdown: true})
		if err != nil || len(want) == 0 {
			t.Fatalf("seeded observations: %d %v", len(want), err)
		}
		// EachValue goes series by series.
		slices.SortStableFunc(want, seriesOrderOf)
		var got []accord.Observation
		if err := db.EachValue(ctx, accord.ObservationFilter{AnyBreakdown: true}, func(o accord.Observation) error {
			got = append(got, o)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want) {
			t.Fatalf("%d values, want %d", len(got), len(want))
		}
		for i := range want {
			w, g := want[i], got[i]
			if g.Key() != w.Key() || g.Value != w.Value || g.Breakdown != w.Breakdown || (w.Numerator == nil) != (g.Numerator == nil) ||
				(w.Numerator != nil && *w.Numerator != *g.Numerator) || g.CILevel != w.CILevel {
				t.Errorf("value %d: %+v, want %+v", i, g, w)
			}
		}
		stop := errors.New("stop")
		n := 0
		if err := db.EachValue(ctx, accord.ObservationFilter{AnyBreakdown: true}, func(accord.Observation) error {
			n++
			return stop
		}); err != stop || n != 1 {
			t.Errorf("fn's error must end the read: %v after %d", err, n)
		}
	})
}
