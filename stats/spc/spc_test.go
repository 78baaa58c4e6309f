package spc

import (
	"math"
	"testing"
)

type oracleCase struct {
	name          string
	values        []float64
	rebase        []int
	fix           int
	dir           Direction
	target        *float64
	noScreen      bool
	groups        []wantGroup
	labels        []string
	types         []string
	assurance     string
	variationIcon string
	assuranceIcon string
}

type wantGroup struct {
	start, n                   int
	mean, lpl, upl, nlpl, nupl float64
	commonCause, improvement   int
	concern                    int
	variationType              string
	short                      bool
}

var nan = math.NaN()

func ptr[T any](v T) *T { return &v }

func (c oracleCase) options() Options {
	o := Options{ImprovementDirection: c.dir, Target: c.target, RebaseIndices: c.rebase}
	if c.fix > 0 {
		o.FixAfterNPoints = ptr(c.fix)
	}
	if c.noScreen {
		o.ScreenOutliers = ptr(false)
	}
	return o
}

// close reports whether got matches want to 1e-12 relative (NaN matches NaN).
func closeTo(got, want float64) bool {
	if math.IsNaN(want) || math.IsNaN(got) {
		return math.IsNaN(want) && math.IsNaN(got)
	}
	return math.Abs(got-want) <= 1e-12*math.Max(1, math.Abs(want))
}

func TestComputeMatchesPackage(t *testing.T) {
	for _, c := range oracleCases {
		t.Run(c.name, func(t *testing.T) {
			res, err := Compute(c.values, c.options())
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Groups) != len(c.groups) {
				t.Fatalf("%d groups, want %d", len(res.Groups), len(c.groups))
			}
			for gi, w := range c.groups {
				g := res.Groups[gi]
				if g.StartIndex != w.start || g.N != w.n {
					t.Errorf("group %d: start %d n %d, want %d %d", gi, g.StartIndex, g.N, w.start, w.n)
				}
				for _, f := range []struct {
					name      string
					got, want float64
				}{
					{"mean", g.Mean, w.mean}, {"lpl", g.LPL, w.lpl}, {"upl", g.UPL, w.upl},
					{"nlpl", g.NLPL, w.nlpl}, {"nupl", g.NUPL, w.nupl},
				} {
					if !closeTo(f.got, f.want) {
						t.Errorf("group %d %s = %.17g, want %.17g", gi, f.name, f.got, f.want)
					}
				}
				if g.CommonCause != w.commonCause || g.SpecialCauseImprovement != w.improvement || g.SpecialCauseConcern != w.concern {
					t.Errorf("group %d counts %d/%d/%d, want %d/%d/%d", gi,
						g.CommonCause, g.SpecialCauseImprovement, g.SpecialCauseConcern, w.commonCause, w.improvement, w.concern)
				}
				if g.VariationType != w.variationType || g.ShortGroupWarning != w.short {
					t.Errorf("group %d variation %q short %v, want %q %v", gi, g.VariationType, g.ShortGroupWarning, w.variationType, w.short)
				}
			}
			for i, p := range res.Points {
				if p.SpecialCauseType != c.labels[i] || p.PointType != c.types[i] {
					t.Errorf("point %d (%v): %q %q, want %q %q", i, p.Value, p.SpecialCauseType, p.PointType, c.labels[i], c.types[i])
				}
				g := c.groups[p.Group]
				if i < g.start || i >= g.start+g.n {
					t.Errorf("point %d in group %d, which spans %d..%d", i, p.Group, g.start, g.start+g.n-1)
				}
				if !closeTo(p.UPL, g.upl) || !closeTo(p.LPL, g.lpl) || !closeTo(p.Mean, g.mean) || p.Value != c.values[i] {
					t.Errorf("point %d carries %v/%v/%v, not its group's limits", i, p.LPL, p.Mean, p.UPL)
				}
			}
			if res.AssuranceType != c.assurance || res.VariationIcon != c.variationIcon || res.AssuranceIcon != c.assuranceIcon {
				t.Errorf("assurance %q icons %q %q, want %q %q %q",
					res.AssuranceType, res.VariationIcon, res.AssuranceIcon, c.assurance, c.variationIcon, c.assuranceIcon)
			}
		})
	}
}

// TestSnapshotValues checks the printed values of the package's snapshots
// against the rounding the snapshot shows, so that the oracle itself is tied
// to the package's recorded output.
func TestSnapshotValues(t *testing.T) {
	y := oracleCases[0].values // set.seed(123); rnorm(20)
	round3 := func(x float64) float64 { return math.Round(x*1000) / 1000 }
	tests := []struct {
		name                 string // file and snapshot
		values               []float64
		opt                  Options
		group                int
		mean, lpl, upl       float64
		meanDP, lplDP, uplDP func(float64) float64
	}{
		// tests/testthat/_snaps/ptd_spc_standard.md "it returns expected values"
		// and _snaps/ptd_spc.md "it outputs expected content" (first block):
		// mean 0.142, lpl -3.01, upl 3.29.
		{"snap ptd_spc_standard", y, Options{}, 0, 0.142, -3.01, 3.29, round3, round2, round2},
		// _snaps/ptd_spc.md "it outputs expected content", facets 0 and 1
		// (each facet is computed as its own group, as a rebase does).
		{"snap facet 0", y, Options{RebaseIndices: []int{10}}, 0, 0.0746, -2.60, 2.75, round4, round2, round2},
		{"snap facet 1", y, Options{RebaseIndices: []int{10}}, 1, 0.209, -3.28, 3.70, round3, round2, round2},
	}
	for _, tc := range tests {
		res, err := Compute(tc.values, tc.opt)
		if err != nil {
			t.Fatal(err)
		}
		g := res.Groups[tc.group]
		if tc.meanDP(g.Mean) != tc.mean || tc.lplDP(g.LPL) != tc.lpl || tc.uplDP(g.UPL) != tc.upl {
			t.Errorf("%s: %v %v %v, snapshot shows %v %v %v", tc.name, g.Mean, g.LPL, g.UPL, tc.mean, tc.lpl, tc.upl)
		}
		if g.CommonCause != g.N || g.VariationType != CommonCause {
			t.Errorf("%s: snapshot shows all %d points common cause, got %+v", tc.name, g.N, g)
		}
	}
}

func round2(x float64) float64 { return math.Round(x*100) / 100 }
func round4(x float64) float64 { return math.Round(x*10000) / 10000 }
