package spc

import (
	"reflect"
	"testing"
)

// R's rule helpers return 0/1 (or -1/0/1) vectors; these turn ours into the
// same shape for comparison.
func nonzero(v []int) []float64 {
	out := make([]float64, len(v))
	for i, x := range v {
		if x != 0 {
			out[i] = 1
		}
	}
	return out
}

func ones(v []bool) []float64 {
	out := make([]float64, len(v))
	for i, b := range v {
		if b {
			out[i] = 1
		}
	}
	return out
}

func toInts(v []float64) []int {
	out := make([]int, len(v))
	for i, x := range v {
		out[i] = int(x)
	}
	return out
}

func toBools(v []float64) []bool {
	out := make([]bool, len(v))
	for i, x := range v {
		out[i] = x != 0
	}
	return out
}

func seq(from, to float64) []float64 {
	var out []float64
	if from <= to {
		for x := from; x <= to; x++ {
			out = append(out, x)
		}
	} else {
		for x := from; x >= to; x-- {
			out = append(out, x)
		}
	}
	return out
}

func cat(parts ...[]float64) []float64 {
	var out []float64
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

func rep(x float64, n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = x
	}
	return out
}

// tests/testthat/test-ptd_calculate_point_type.R
// "ptd_seven_point_one_side_mean works as expected"
func TestSideEnds(t *testing.T) {
	tests := []struct {
		rtm, want []float64
	}{
		{nil, []float64{}},
		{rep(1, 6), rep(0, 6)},
		{cat(rep(1, 6), []float64{-1}), rep(0, 7)},
		{cat(rep(1, 8), []float64{-1}), []float64{0, 0, 0, 0, 0, 0, 1, 1, 0}},
		{cat(rep(-1, 8), []float64{1}), []float64{0, 0, 0, 0, 0, 0, 1, 1, 0}},
	}
	for _, tc := range tests {
		got := sideEnds(toInts(tc.rtm))
		if !reflect.DeepEqual(nonzero(got), tc.want) {
			t.Errorf("sideEnds(%v) = %v, want %v", tc.rtm, got, tc.want)
		}
	}
}

// tests/testthat/test-ptd_calculate_point_type.R
// "ptd_part_of_seven_trend works as expected"
func TestPartOfRun(t *testing.T) {
	tests := []struct {
		ends, want []float64
	}{
		{nil, []float64{}},
		{rep(0, 6), rep(0, 6)},
		{cat(rep(0, 6), []float64{1, 0}), cat(rep(1, 7), []float64{0})},
		{cat(rep(0, 7), []float64{1, 0}), cat([]float64{0}, rep(1, 7), []float64{0})},
		{cat(rep(0, 6), []float64{-1, 0}), cat(rep(1, 7), []float64{0})},
		{cat(rep(0, 7), []float64{-1, 0}), cat([]float64{0}, rep(1, 7), []float64{0})},
	}
	for _, tc := range tests {
		if got := ones(partOfRun(toInts(tc.ends))); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("partOfRun(%v) = %v, want %v", tc.ends, got, tc.want)
		}
	}
}

// tests/testthat/test-ptd_calculate_point_type.R
// "ptd_seven_point_trend works as expected"
func TestTrendEnds(t *testing.T) {
	tests := []struct {
		y    []float64
		want []int
	}{
		{nil, []int{}},
		{seq(1, 6), []int{0, 0, 0, 0, 0, 0}},
		{cat(seq(1, 3), seq(3, 6)), []int{0, 0, 0, 0, 0, 0, 0}}, // an equal step breaks the trend
		{seq(1, 7), []int{0, 0, 0, 0, 0, 0, 1}},
		{cat([]float64{2}, seq(1, 7), []float64{3}), []int{0, 0, 0, 0, 0, 0, 0, 1, 0}},
		{seq(7, 1), []int{0, 0, 0, 0, 0, 0, -1}},
		{cat([]float64{2}, seq(7, 1), []float64{3}), []int{0, 0, 0, 0, 0, 0, 0, -1, 0}},
	}
	for _, tc := range tests {
		if got := trendEnds(tc.y); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("trendEnds(%v) = %v, want %v", tc.y, got, tc.want)
		}
	}
}

// tests/testthat/test-ptd_calculate_point_type.R
// "ptd_two_in_three works as expected" and "ptd_two_in_three works as
// expected when points are on opposite sides of the mean".
func TestTwoInThree(t *testing.T) {
	tests := []struct {
		near, rtm, want []float64
	}{
		{nil, nil, []float64{}},
		// The package passes rtm = numeric(1) here and relies on recycling;
		// all points on the mean is the same input.
		{rep(0, 3), rep(0, 3), rep(0, 3)},
		{[]float64{1, 0, 1}, rep(1, 3), rep(1, 3)},
		{[]float64{0, 1, 1}, rep(1, 3), rep(1, 3)},
		{[]float64{1, 1, 0}, rep(1, 3), rep(1, 3)},
		{[]float64{0, 0, 1, 0, 1, 0, 0}, rep(1, 7), []float64{0, 0, 1, 1, 1, 0, 0}},
		{[]float64{0, 0, 1, 1, 0, 0, 0}, rep(1, 7), []float64{0, 1, 1, 1, 1, 0, 0}},
		{[]float64{1, 0, 1}, []float64{1, -1, 1}, rep(0, 3)},
		{[]float64{0, 1, 1}, []float64{1, -1, 1}, rep(0, 3)},
		{[]float64{1, 1, 0}, []float64{1, -1, 1}, rep(0, 3)},
		{[]float64{0, 0, 1, 0, 1, 0, 0}, []float64{1, -1, 1, -1, 1, -1, 1}, rep(0, 7)},
		{[]float64{0, 0, 1, 1, 0, 0, 0}, []float64{-1, 1, -1, 1, -1, 1, -1}, rep(0, 7)},
	}
	for _, tc := range tests {
		if got := ones(twoInThree(toBools(tc.near), toInts(tc.rtm))); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("twoInThree(%v, %v) = %v, want %v", tc.near, tc.rtm, got, tc.want)
		}
	}
}

// tests/testthat/test-ptd_calculate_point_type.R
// "ptd_part_of_two_in_three works as expected": only the points beyond a
// near limit are flagged.
func TestPartOfTwoInThree(t *testing.T) {
	tests := []struct {
		near, rtm, want []float64
	}{
		{nil, nil, []float64{}},
		{rep(0, 3), rep(0, 3), rep(0, 3)},
		{[]float64{1, 0, 1}, rep(1, 3), []float64{1, 0, 1}},
		{[]float64{0, 1, 1}, rep(1, 3), []float64{0, 1, 1}},
		{[]float64{1, 1, 0}, rep(1, 3), []float64{1, 1, 0}},
		{[]float64{0, 0, 1, 0, 1, 0, 0}, rep(1, 7), []float64{0, 0, 1, 0, 1, 0, 0}},
		{[]float64{0, 0, 1, 1, 0, 0, 0}, rep(1, 7), []float64{0, 0, 1, 1, 0, 0, 0}},
		{[]float64{1, 0, 0, 1}, rep(1, 4), []float64{0, 0, 0, 0}},
		{[]float64{1, 0, 0, 1, 1}, rep(1, 5), []float64{0, 0, 0, 1, 1}},
	}
	for _, tc := range tests {
		near := toBools(tc.near)
		if got := ones(partOfTwoInThree(twoInThree(near, toInts(tc.rtm)), near)); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("partOfTwoInThree(%v, %v) = %v, want %v", tc.near, tc.rtm, got, tc.want)
		}
	}
}

// tests/testthat/test-ptd_calculate_point_type.R
// "ptd_special_cause_type works as expected": the package mocks the rule
// helpers with these vectors to check the priority of the labels.
func TestLabelPriority(t *testing.T) {
	y := seq(1, 8)
	rtm := []int{1, 1, 1, 1, -1, -1, -1, -1}
	outside := toBools([]float64{0, 0, 0, 0, 0, 1, -1, 0})
	partTrend := toBools([]float64{1, -1, 0, 0, 0, 0, 0, 0})
	partSide := toBools([]float64{0, 0, 1, -1, 0, 0, 0, 0})
	partTwo := toBools([]float64{0, 0, 0, 0, 1, 0, 0, 0})
	got := labelPoints(y, rtm, outside, partTrend, partTwo, partSide)
	want := []string{
		"7 Point Trend (Increasing)",
		"7 Point Trend (Increasing)",
		"7 Points Above CL",
		"7 Points Above CL",
		"2 in 3 Below CL",
		"Below LCL",
		"Below LCL",
		"Common Cause",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("labels = %q, want %q", got, want)
	}
}

// R/ptd_calculate_point_type.R ptd_point_type: every label against every
// direction.
func TestPointType(t *testing.T) {
	labels := []string{
		AboveUCLLabel, BelowLCLLabel, TrendIncreasingLabel, TrendDecreasingLabel,
		TwoInThreeAboveLabel, TwoInThreeBelowLabel, SevenPointsAboveLabel, SevenPointsBelowLabel, CommonCauseLabel,
	}
	up := []bool{true, false, true, false, true, false, true, false}
	for i, l := range labels {
		for _, dir := range []Direction{Increase, Decrease, Neutral} {
			want := CommonCause
			if l != CommonCauseLabel {
				switch dir {
				case Neutral:
					want = pick(up[i], SpecialCauseNeutralHigh, SpecialCauseNeutralLow)
				case Increase:
					want = pick(up[i], SpecialCauseImprovement, SpecialCauseConcern)
				case Decrease:
					want = pick(up[i], SpecialCauseConcern, SpecialCauseImprovement)
				}
			}
			if got := pointType(l, dir); got != want {
				t.Errorf("pointType(%q, %s) = %q, want %q", l, dir, got, want)
			}
		}
	}
}

// tests/testthat/test-ptd_calculate_assurance_type.R: the three facets
// a, b, c with lpl (1, 5, 1), upl (3, 7, 5) and a target of 4.
func TestAssuranceType(t *testing.T) {
	lpl := []float64{1, 5, 1}
	upl := []float64{3, 7, 5}
	tests := []struct {
		name string
		dir  Direction
		want []string
	}{
		{"it returns correct values for assurance when improvement_direction is increase", Increase,
			[]string{ConsistentFail, ConsistentPass, Inconsistent}},
		{"it returns correct values for assurance when improvement_direction is decrease", Decrease,
			[]string{ConsistentPass, ConsistentFail, Inconsistent}},
		{"it returns correct values for assurance when improvement_direction is neutral", Neutral,
			[]string{"", "", ""}},
	}
	for _, tc := range tests {
		for i := range lpl {
			if got := assuranceType(tc.dir, 4, lpl[i], upl[i]); got != tc.want[i] {
				t.Errorf("%s: facet %d = %q, want %q", tc.name, i, got, tc.want[i])
			}
		}
	}
	// "it returns a column of NA's if there is no target"
	res, err := Compute(seq(1, 13), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.AssuranceType != "" || res.AssuranceIcon != "" {
		t.Errorf("no target: assurance %q icon %q, want none", res.AssuranceType, res.AssuranceIcon)
	}
}

// The icon names of ptd_get_icons (R/geom_ptd_icon.R) for every point type
// and direction, and for every assurance type.
func TestIcons(t *testing.T) {
	tests := []struct {
		pointType string
		dir       Direction
		want      string
	}{
		{CommonCause, Increase, "common_cause"},
		{CommonCause, Neutral, "common_cause"},
		{SpecialCauseImprovement, Increase, "improvement_high"},
		{SpecialCauseImprovement, Decrease, "improvement_low"},
		{SpecialCauseConcern, Increase, "concern_low"},
		{SpecialCauseConcern, Decrease, "concern_high"},
		{SpecialCauseNeutralHigh, Neutral, "neutral_high"},
		{SpecialCauseNeutralLow, Neutral, "neutral_low"},
	}
	for _, tc := range tests {
		if got := variationIcon(tc.pointType, tc.dir); got != tc.want {
			t.Errorf("variationIcon(%q, %s) = %q, want %q", tc.pointType, tc.dir, got, tc.want)
		}
	}
	for in, want := range map[string]string{ConsistentPass: "pass", ConsistentFail: "fail", Inconsistent: "inconsistent", "": ""} {
		if got := assuranceIcon(in); got != want {
			t.Errorf("assuranceIcon(%q) = %q, want %q", in, got, want)
		}
	}
}
