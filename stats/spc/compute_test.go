package spc

import (
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/nhs-accord/accord"
)

func mustCompute(t *testing.T, values []float64, opt Options) Result {
	t.Helper()
	res, err := Compute(values, opt)
	if err != nil {
		t.Fatalf("Compute: %v", err)
	}
	return res
}

func shortFlags(res Result) []bool {
	out := make([]bool, len(res.Groups))
	for i, g := range res.Groups {
		out[i] = g.ShortGroupWarning
	}
	return out
}

// tests/testthat/test-ptd_add_short_group_warnings.R. The package's tests
// pass a threshold of 12 explicitly; ptd_spc uses the default of 13, which is
// what Compute applies, so "equal to the threshold" is 13 points here.
func TestShortGroupWarning(t *testing.T) {
	tests := []struct {
		name   string // test name in the package
		n      int
		rebase []int
		want   []bool
	}{
		{"it warns when a group is shorter than the warning_threshold", 11, nil, []bool{true}},
		{"(default threshold 13) a group of 12 is short", 12, nil, []bool{true}},
		{"it does not warn when a group is equal to the warning_threshold", 13, nil, []bool{false}},
		{"it handles facets and rebase groups - no warnings", 40, []int{20}, []bool{false, false}},
		{"it handles facets and rebase groups - warning on one facet (a)", 40, []int{35}, []bool{false, true}},
		{"it handles facets and rebase groups - warning on one facet (b)", 40, []int{20}, []bool{false, false}},
	}
	for _, tc := range tests {
		res := mustCompute(t, seq(1, float64(tc.n)), Options{RebaseIndices: tc.rebase})
		if got := shortFlags(res); !equalBools(got, tc.want) {
			t.Errorf("%s: short = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func equalBools(a, b []bool) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestComputeRejectsBadInput(t *testing.T) {
	twelve := seq(1, 12)
	tests := []struct {
		name   string
		values []float64
		opt    Options
		fields []string // every field the error must name
		text   string   // and a phrase of its message
	}{
		{"empty", nil, Options{}, []string{"values"}, "empty"},
		{"missing value", []float64{1, 2, math.NaN(), 4}, Options{}, []string{"values[2]"}, "position 2"},
		{"infinite value", []float64{1, math.Inf(1), 3}, Options{}, []string{"values[1]"}, "position 1"},
		{"many missing values", rep(math.NaN(), 25), Options{}, []string{"values[0]", "values[9]", "values"}, "15 more"},
		{"unknown direction", twelve, Options{ImprovementDirection: "up"}, []string{"improvement_direction"}, `"up"`},
		{"rebase out of range", twelve, Options{RebaseIndices: []int{12}}, []string{"rebase_indices[0]"}, "outside"},
		{"negative rebase", twelve, Options{RebaseIndices: []int{-1}}, []string{"rebase_indices[0]"}, "outside"},
		{"rebase not increasing", twelve, Options{RebaseIndices: []int{5, 5}}, []string{"rebase_indices[1]"}, "strictly increasing"},
		{"rebase decreasing", twelve, Options{RebaseIndices: []int{6, 3}}, []string{"rebase_indices[1]"}, "strictly increasing"},
		// R/ptd_spc_options.R: fix_after_n_points must be >= 12.
		{"fix after 11", twelve, Options{FixAfterNPoints: ptr(11)}, []string{"fix_after_n_points"}, "at least 12"},
		{"fix after 0", twelve, Options{FixAfterNPoints: ptr(0)}, []string{"fix_after_n_points"}, "at least 12"},
		{"non-finite target", twelve, Options{Target: ptr(math.NaN())}, []string{"target"}, "finite"},
	}
	for _, tc := range tests {
		_, err := Compute(tc.values, tc.opt)
		var e *accord.Error
		if !errors.As(err, &e) || e.Code != accord.EINVALID {
			t.Errorf("%s: err = %v, want an EINVALID *accord.Error", tc.name, err)
			continue
		}
		for _, f := range tc.fields {
			found := false
			for _, fe := range e.Fields {
				found = found || fe.Field == f
			}
			if !found {
				t.Errorf("%s: error %q does not name field %s", tc.name, err, f)
			}
		}
		if !strings.Contains(err.Error(), tc.text) {
			t.Errorf("%s: error %q does not say %q", tc.name, err, tc.text)
		}
	}

	// The smallest baseline the package accepts, and an empty direction
	// (the package's default, "increase"), are fine.
	res := mustCompute(t, seq(1, 20), Options{FixAfterNPoints: ptr(12)})
	if res.Groups[0].Mean != 6.5 {
		t.Errorf("fix after 12: mean %v, want 6.5 (mean of 1..12)", res.Groups[0].Mean)
	}
}

func TestDefaultsAreThePackages(t *testing.T) {
	y := oracleCases[1].values // rnorm(20) with an outlier at the 15th point
	def := mustCompute(t, y, Options{})
	explicit := mustCompute(t, y, Options{ImprovementDirection: Increase, ScreenOutliers: ptr(true)})
	off := mustCompute(t, y, Options{ScreenOutliers: ptr(false)})
	if def.Groups[0] != explicit.Groups[0] {
		t.Errorf("zero Options %+v differ from increase with screening %+v", def.Groups[0], explicit.Groups[0])
	}
	// Screening narrows the limits (test-ptd_spc_standard.R "it returns
	// expected values": r3's range is larger than r2's).
	if off.Groups[0].UPL-off.Groups[0].LPL <= def.Groups[0].UPL-def.Groups[0].LPL {
		t.Errorf("unscreened range %v not wider than screened %v",
			off.Groups[0].UPL-off.Groups[0].LPL, def.Groups[0].UPL-def.Groups[0].LPL)
	}
}

// Near limits are 2 × (2.66 / 3) = 1.7733… mean moving ranges from the mean,
// evaluated in double precision as R/ptd_spc_standard.R does.
func TestConstants(t *testing.T) {
	two66 := 2.66
	if nearLimitFactor != 2*(two66/3) || limitFactor != 2.66 || screenFactor != 3.267 {
		t.Errorf("factors %v %v %v", limitFactor, nearLimitFactor, screenFactor)
	}
	res := mustCompute(t, []float64{10, 12, 10, 12, 10, 12, 10, 12, 10, 12, 10, 12, 11}, Options{})
	g := res.Groups[0] // mean 11, mean moving range 23/12
	amr := 23.0 / 12
	if g.Mean != 11 || !closeTo(g.UPL, 11+2.66*amr) || !closeTo(g.NLPL, 11-2*(2.66/3)*amr) {
		t.Errorf("group %+v", g)
	}
}

// A group whose moving ranges are all screened out, or that has none, has NaN
// limits in the package; its points are common cause and JSON shows null.
func TestUndefinedLimits(t *testing.T) {
	res := mustCompute(t, rep(5, 15), Options{})
	g := res.Groups[0]
	if g.Mean != 5 || !math.IsNaN(g.LPL) || !math.IsNaN(g.UPL) || !math.IsNaN(g.NLPL) || !math.IsNaN(g.NUPL) {
		t.Errorf("all equal, screened: %+v, want mean 5 and NaN limits", g)
	}
	b, err := json.Marshal(res)
	if err != nil {
		t.Fatalf("marshal: %v", err)
	}
	if !strings.Contains(string(b), `"lpl":null`) || !strings.Contains(string(b), `"mean":5`) {
		t.Errorf("JSON %s", b)
	}
	var back Result
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if !math.IsNaN(back.Points[3].UPL) || back.Points[3].Mean != 5 || back.Groups[0].N != 15 {
		t.Errorf("round trip lost the NaN limits: %+v", back.Points[3])
	}

	// Without screening the same series has limits on the mean.
	res = mustCompute(t, rep(5, 15), Options{ScreenOutliers: ptr(false)})
	if g := res.Groups[0]; g.LPL != 5 || g.UPL != 5 || g.CommonCause != 15 {
		t.Errorf("all equal, unscreened: %+v", g)
	}

	// A one-point group after a rebase.
	res = mustCompute(t, seq(1, 15), Options{RebaseIndices: []int{14}})
	if g := res.Groups[1]; g.N != 1 || g.Mean != 15 || !math.IsNaN(g.UPL) || g.VariationType != CommonCause || !g.ShortGroupWarning {
		t.Errorf("one-point group: %+v", g)
	}
}

// fix_after_n_points computes each group's limits from its own first N
// points (issue #93, R/ptd_spc_standard.R fix_y) and carries them over the
// rest of the group; later points are still classified.
func TestFixAfterNPointsPerGroup(t *testing.T) {
	// Each group: a baseline of 12 points alternating around its mean, then 8
	// points far away that must not move the limits.
	alternate := func(lo float64) []float64 {
		out := make([]float64, 12)
		for i := range out {
			out[i] = lo + float64(i%2*2)
		}
		return out
	}
	y := cat(alternate(10), rep(100, 8), alternate(50), rep(-100, 8))
	res := mustCompute(t, y, Options{FixAfterNPoints: ptr(12), RebaseIndices: []int{20}})
	if g := res.Groups[0]; g.Mean != 11 || g.N != 20 {
		t.Errorf("group 0 %+v, want mean 11 from its first 12 points", g)
	}
	if g := res.Groups[1]; g.Mean != 51 || g.StartIndex != 20 {
		t.Errorf("group 1 %+v, want mean 51 from its first 12 points", g)
	}
	if p := res.Points[15]; p.SpecialCauseType != AboveUCLLabel || p.PointType != SpecialCauseImprovement || p.Group != 0 {
		t.Errorf("point 15 %+v, want above the fixed limits", p)
	}
	if p := res.Points[35]; p.SpecialCauseType != BelowLCLLabel || p.PointType != SpecialCauseConcern || p.Group != 1 {
		t.Errorf("point 35 %+v, want below the fixed limits", p)
	}
	if res.VariationIcon != "concern_low" {
		t.Errorf("variation icon %q", res.VariationIcon)
	}
}

// A point exactly on a process limit is inside it (strict comparisons in
// R/ptd_spc_standard.R) but beyond the near limit.
func TestPointOnTheLimit(t *testing.T) {
	upl := 11 + 2.66*2
	base := []float64{10, 12, 10, 12, 10, 12, 10, 12, 10, 12, 10, 12}
	res := mustCompute(t, cat(base, []float64{upl, 12, upl}), Options{FixAfterNPoints: ptr(12)})
	if res.Groups[0].UPL != upl {
		t.Fatalf("upl %v, want %v", res.Groups[0].UPL, upl)
	}
	for _, i := range []int{12, 14} {
		if p := res.Points[i]; p.SpecialCauseType != TwoInThreeAboveLabel {
			t.Errorf("point %d on the limit: %q, want %q", i, p.SpecialCauseType, TwoInThreeAboveLabel)
		}
	}
	res = mustCompute(t, cat(base, []float64{math.Nextafter(upl, 100)}), Options{FixAfterNPoints: ptr(12)})
	if p := res.Points[12]; p.SpecialCauseType != AboveUCLLabel {
		t.Errorf("just above the limit: %q", p.SpecialCauseType)
	}
}

func TestJSONContract(t *testing.T) {
	res := mustCompute(t, oracleCases[0].values, Options{Target: ptr(0.5)})
	b, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"points", "groups", "variation_icon", "assurance_type", "assurance_icon"} {
		if _, ok := m[k]; !ok {
			t.Errorf("result JSON lacks %q: %s", k, b)
		}
	}
	p := m["points"].([]any)[0].(map[string]any)
	for _, k := range []string{"value", "mean", "lpl", "upl", "nlpl", "nupl", "special_cause_type", "point_type", "group"} {
		if _, ok := p[k]; !ok {
			t.Errorf("point JSON lacks %q", k)
		}
	}
	g := m["groups"].([]any)[0].(map[string]any)
	for _, k := range []string{"start_index", "n", "mean", "lpl", "upl", "nlpl", "nupl", "common_cause",
		"special_cause_improvement", "special_cause_concern", "variation_type", "short_group_warning"} {
		if _, ok := g[k]; !ok {
			t.Errorf("group JSON lacks %q", k)
		}
	}
	var back Result
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if back.Points[7] != res.Points[7] || back.Groups[0] != res.Groups[0] || back.AssuranceIcon != "inconsistent" {
		t.Errorf("round trip changed the result")
	}

	var opt Options
	if err := json.Unmarshal([]byte(`{"improvement_direction":"decrease","target":0.9,"rebase_indices":[12],`+
		`"fix_after_n_points":12,"screen_outliers":false}`), &opt); err != nil {
		t.Fatal(err)
	}
	if opt.ImprovementDirection != Decrease || *opt.Target != 0.9 || opt.RebaseIndices[0] != 12 ||
		*opt.FixAfterNPoints != 12 || *opt.ScreenOutliers {
		t.Errorf("options from JSON: %+v", opt)
	}
}

func TestComputeIsDeterministicAndPure(t *testing.T) {
	y := oracleCases[len(oracleCases)-10].values
	in := append([]float64(nil), y...)
	opt := Options{RebaseIndices: []int{30}, Target: ptr(0.0)}
	a := mustCompute(t, y, opt)
	b := mustCompute(t, y, opt)
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	if string(ja) != string(jb) {
		t.Error("two runs differ")
	}
	for i := range y {
		if y[i] != in[i] {
			t.Fatal("Compute changed its input")
		}
	}
}
