package spc

import "strings"

// The special-cause labels of ptd_special_cause_type (R/ptd_calculate_point_type.R).
const (
	AboveUCLLabel         = "Above UCL"
	BelowLCLLabel         = "Below LCL"
	TrendIncreasingLabel  = "7 Point Trend (Increasing)"
	TrendDecreasingLabel  = "7 Point Trend (Decreasing)"
	TwoInThreeAboveLabel  = "2 in 3 Above CL"
	TwoInThreeBelowLabel  = "2 in 3 Below CL"
	SevenPointsAboveLabel = "7 Points Above CL"
	SevenPointsBelowLabel = "7 Points Below CL"
	CommonCauseLabel      = "Common Cause"
)

// The point types of ptd_point_type (R/ptd_calculate_point_type.R).
const (
	CommonCause             = "common_cause"
	SpecialCauseImprovement = "special_cause_improvement"
	SpecialCauseConcern     = "special_cause_concern"
	SpecialCauseNeutralHigh = "special_cause_neutral_high"
	SpecialCauseNeutralLow  = "special_cause_neutral_low"
)

// runLength is the package's run for both the trend and the shift rules: 7.
const runLength = 7

// specialCauseTypes labels every point of one group as ptd_special_cause_type
// does. The rules, in priority order (the first that holds wins):
//
//  1. outside the process limits (y > upl or y < lpl, strictly; a point
//     exactly on a limit is inside): "Above UCL" when above the mean,
//     otherwise "Below LCL";
//  2. part of 7 consecutive strictly increasing or strictly decreasing
//     points (an equal neighbour breaks a trend; the trend may cross the
//     mean): "7 Point Trend (Increasing|Decreasing)";
//  3. beyond a near limit (and not outside the limits) within 3 consecutive
//     points of which at least 2 are beyond a near limit and all 3 are
//     strictly on the same side of the mean; only the near-limit points are
//     flagged: "2 in 3 Above|Below CL";
//  4. part of 7 or more consecutive points strictly on one side of the
//     mean (a point exactly on the mean breaks the run):
//     "7 Points Above|Below CL";
//
// and "Common Cause" otherwise. It works in s's memory: the labels are s's
// until its next use.
func (s *Scratch) specialCauseTypes(ys []float64, lim limits) []string {
	n := len(ys)
	ints, bools := grow(&s.ints, 3*n), grow(&s.bools, 6*n)
	rtm, trend, side := ints[:n], ints[n:2*n], ints[2*n:]
	outside, near, partTrend := bools[:n], bools[n:2*n], bools[2*n:3*n]
	two, partTwo, partSide := bools[3*n:4*n], bools[4*n:5*n], bools[5*n:]
	for i, y := range ys {
		rtm[i] = sign(y - lim.mean)
		// Comparisons with NaN limits are false, as R's NA is in case_when.
		outside[i] = y > lim.upl || y < lim.lpl
		near[i] = !outside[i] && (y < lim.nlpl || y > lim.nupl)
	}
	partOfRunInto(partTrend, trendEndsInto(trend, ys))
	partOfTwoInThreeInto(partTwo, twoInThreeInto(two, near, rtm), near)
	partOfRunInto(partSide, sideEndsInto(side, rtm))
	return labelPointsInto(grow(&s.labels, n), ys, rtm, outside, partTrend, partTwo, partSide)
}

// grow returns (*buf)[:n], growing *buf when it is shorter. What it held
// is left for the caller to overwrite.
func grow[T any](buf *[]T, n int) []T {
	if cap(*buf) < n {
		*buf = make([]T, n)
	}
	return (*buf)[:n]
}

// labelPoints applies the rules' priority to the per-point rule results.
func labelPoints(ys []float64, rtm []int, outside, partTrend, partTwo, partSide []bool) []string {
	return labelPointsInto(make([]string, len(ys)), ys, rtm, outside, partTrend, partTwo, partSide)
}

func labelPointsInto(out []string, ys []float64, rtm []int, outside, partTrend, partTwo, partSide []bool) []string {
	for i := range ys {
		above := rtm[i] > 0
		switch {
		case outside[i]:
			out[i] = pick(rtm[i] == 1, AboveUCLLabel, BelowLCLLabel)
		case partTrend[i]:
			out[i] = pick(trendDirection(ys, partTrend, i) == 1, TrendIncreasingLabel, TrendDecreasingLabel)
		case partTwo[i]:
			out[i] = pick(above, TwoInThreeAboveLabel, TwoInThreeBelowLabel)
		case partSide[i]:
			out[i] = pick(above, SevenPointsAboveLabel, SevenPointsBelowLabel)
		default:
			out[i] = CommonCauseLabel
		}
	}
	return out
}

// trendDirection is the sign the package reads for a trend point: towards the
// next point when the next point is also part of a trend, otherwise from the
// previous point (0 for the first point). Anything but +1 reads as
// "Decreasing" — so a point joining two trends through an equal value is
// labelled decreasing, as in the package.
func trendDirection(ys []float64, partTrend []bool, i int) int {
	if i+1 < len(ys) && partTrend[i+1] {
		return sign(ys[i+1] - ys[i])
	}
	if i == 0 {
		return 0
	}
	return sign(ys[i] - ys[i-1])
}

// trendEnds is ptd_seven_point_trend: +1 at a point that ends 7 strictly
// increasing points, -1 at one that ends 7 strictly decreasing points, else 0.
func trendEnds(ys []float64) []int { return trendEndsInto(make([]int, len(ys)), ys) }

// trendEndsInto is trendEnds written into out, which is as long as ys.
func trendEndsInto(out []int, ys []float64) []int {
	clear(out)
	for i := runLength - 1; i < len(ys); i++ {
		dir := sign(ys[i] - ys[i-1])
		for k := i - 1; k > i-runLength+1 && dir != 0; k-- {
			if sign(ys[k]-ys[k-1]) != dir {
				dir = 0
			}
		}
		out[i] = dir
	}
	return out
}

// sideEnds is ptd_seven_point_one_side_mean: the side (+1/-1) at a point that
// ends 7 points all strictly on that side of the mean, else 0.
func sideEnds(rtm []int) []int { return sideEndsInto(make([]int, len(rtm)), rtm) }

// sideEndsInto is sideEnds written into out, which is as long as rtm.
func sideEndsInto(out, rtm []int) []int {
	clear(out)
	for i := runLength - 1; i < len(rtm); i++ {
		side := rtm[i]
		for k := i - 1; k > i-runLength && side != 0; k-- {
			if rtm[k] != side {
				side = 0
			}
		}
		out[i] = side
	}
	return out
}

// partOfRun is ptd_part_of_seven_trend: a point belongs to a run when a run
// ends at it or at one of the next 6 points.
func partOfRun(ends []int) []bool { return partOfRunInto(make([]bool, len(ends)), ends) }

// partOfRunInto is partOfRun written into out, which is as long as ends.
func partOfRunInto(out []bool, ends []int) []bool {
	clear(out)
	for i := range ends {
		for j := i; j < len(ends) && j < i+runLength; j++ {
			if ends[j] != 0 {
				out[i] = true
				break
			}
		}
	}
	return out
}

// twoInThree is ptd_two_in_three: true at a point when one of the three
// windows of 3 consecutive points containing it has at least 2 points beyond
// a near limit and all 3 strictly on the same side of the mean. Positions
// beyond either end count as neither close nor on a side.
func twoInThree(near []bool, rtm []int) []bool {
	return twoInThreeInto(make([]bool, len(near)), near, rtm)
}

// twoInThreeInto is twoInThree written into out, which is as long as near.
func twoInThreeInto(out, near []bool, rtm []int) []bool {
	clear(out)
	n := len(near)
	for i := range n {
		for s := i - 2; s <= i && !out[i]; s++ {
			nClose, side := 0, 0
			for k := s; k < s+3; k++ {
				if k < 0 || k >= n {
					continue
				}
				if near[k] {
					nClose++
				}
				side += rtm[k]
			}
			out[i] = nClose >= 2 && (side == 3 || side == -3)
		}
	}
	return out
}

// partOfTwoInThree is ptd_part_of_two_in_three: of the points in a qualifying
// window, only those beyond a near limit are special cause.
func partOfTwoInThree(hit, near []bool) []bool {
	return partOfTwoInThreeInto(make([]bool, len(hit)), hit, near)
}

// partOfTwoInThreeInto is partOfTwoInThree written into out, which is as
// long as hit.
func partOfTwoInThreeInto(out, hit, near []bool) []bool {
	for i := range hit {
		out[i] = hit[i] && near[i]
	}
	return out
}

// pointType is ptd_point_type: the label's direction ("Above"/"Increasing" up,
// "Below"/"Decreasing" down) read against the improvement direction.
func pointType(label string, dir Direction) string {
	v := 0
	switch label {
	// The package's own labels, without searching their text.
	case CommonCauseLabel:
	case AboveUCLLabel, TrendIncreasingLabel, TwoInThreeAboveLabel, SevenPointsAboveLabel:
		v = 1
	case BelowLCLLabel, TrendDecreasingLabel, TwoInThreeBelowLabel, SevenPointsBelowLabel:
		v = -1
	default:
		switch {
		case strings.Contains(label, "Above") || strings.Contains(label, "Increasing"):
			v = 1
		case strings.Contains(label, "Below") || strings.Contains(label, "Decreasing"):
			v = -1
		}
	}
	switch {
	case v == 0:
		return CommonCause
	case dir == Neutral:
		return pick(v > 0, SpecialCauseNeutralHigh, SpecialCauseNeutralLow)
	case dir == Decrease:
		v = -v
	}
	return pick(v > 0, SpecialCauseImprovement, SpecialCauseConcern)
}

func sign(x float64) int {
	switch {
	case x > 0:
		return 1
	case x < 0:
		return -1
	}
	return 0
}

func pick[T any](cond bool, a, b T) T {
	if cond {
		return a
	}
	return b
}
