package compare

import (
	"fmt"
	"strconv"

	"github.com/nhs-accord/accord"
)

// Results of the two-level comparison, which reads the 95% and the 99.8%
// intervals together. Legacy Fingertips calls the five outcomes Best,
// Better, Same, Worse and Worst (its SingleOverlappingCIsForTwoCILevels
// comparer); Accord names them by level so that "better" never means two
// different things.
const (
	Better998 Result = "better_99_8" // significantly better at 99.8% (and so at 95%)
	Better95  Result = "better_95"   // better at 95% but not at 99.8%
	Worse95   Result = "worse_95"
	Worse998  Result = "worse_99_8"
	Higher998 Result = "higher_99_8" // no polarity
	Higher95  Result = "higher_95"
	Lower95   Result = "lower_95"
	Lower998  Result = "lower_99_8"
)

// ByTwoLevels compares a value with a benchmark value through both its 95%
// and its 99.8% intervals: similar when the 95% interval touches or contains
// the benchmark; better_95 / worse_95 (higher_95 / lower_95) when only the
// 95% interval excludes it; better_99_8 / worse_99_8 (higher_99_8 /
// lower_99_8) when the 99.8% interval excludes it too. A benchmark lying
// exactly on a 99.8% bound is significant at 95% only.
//
// ci95 must have Level 95 and ci998 Level 99.8, both valid, and the 99.8%
// interval must contain the 95% one; otherwise the result is not_compared
// (Fingertips likewise refuses unless both intervals are valid).
func ByTwoLevels(value float64, ci95, ci998 Interval, benchmark float64, polarity accord.Polarity) Result {
	if !finite(value) || !finite(benchmark) || !ci95.Valid() || !ci998.Valid() ||
		ci95.Level != Level95 || ci998.Level != Level998 || ci998.Lower > ci95.Lower || ci998.Upper < ci95.Upper {
		return NotCompared
	}
	s95 := side(ci95.Lower, ci95.Upper, benchmark)
	if s95 == 0 {
		return Similar
	}
	strong := side(ci998.Lower, ci998.Upper, benchmark) != 0
	r := judge(s95, polarity)
	switch {
	case r == Better && strong:
		return Better998
	case r == Better:
		return Better95
	case r == Worse && strong:
		return Worse998
	case r == Worse:
		return Worse95
	case r == Higher && strong:
		return Higher998
	case r == Higher:
		return Higher95
	case r == Lower && strong:
		return Lower998
	}
	return Lower95
}

// Judgement reduces any result to the single-level words (better, similar,
// worse, higher, lower, not_compared), dropping the level.
func (r Result) Judgement() Result {
	switch r {
	case Better998, Better95:
		return Better
	case Worse998, Worse95:
		return Worse
	case Higher998, Higher95:
		return Higher
	case Lower998, Lower95:
		return Lower
	}
	return r
}

// level is the confidence level a two-level result was reached at, or 0.
func (r Result) level() float64 {
	switch r {
	case Better998, Worse998, Higher998, Lower998:
		return Level998
	case Better95, Worse95, Higher95, Lower95:
		return Level95
	}
	return 0
}

// Label is the sentence FingertipsNext shows for a result: "Better than
// England (95%)", "Similar to England (99.8%)", "Not compared". level is the
// interval's confidence level; a two-level result carries its own and
// ignores it. A level of 0 leaves the bracket out.
func (r Result) Label(benchmarkName string, level float64) string {
	if l := r.level(); l > 0 {
		level = l
	}
	var s string
	switch r.Judgement() {
	case Better:
		s = "Better than " + benchmarkName
	case Worse:
		s = "Worse than " + benchmarkName
	case Higher:
		s = "Higher than " + benchmarkName
	case Lower:
		s = "Lower than " + benchmarkName
	case Similar:
		s = "Similar to " + benchmarkName
	default:
		return "Not compared"
	}
	if level > 0 {
		s += fmt.Sprintf(" (%s%%)", strconv.FormatFloat(level, 'f', -1, 64))
	}
	return s
}
