// Package compare says whether a value is better, similar or worse than a
// benchmark (England, its region, the mean of its peers) the way OHID's
// Fingertips does: by whether the value's confidence interval overlaps the
// benchmark. See docs/stats-compare.md for the method and its sources.
package compare

import (
	"math"

	"github.com/nhs-accord/accord"
)

// Result is the outcome of a comparison with a benchmark. The single-level
// results are the words Accord stores in an assessment's
// compared_with_england and compared_with_peers.
type Result string

const (
	Better      Result = "better"
	Similar     Result = "similar"
	Worse       Result = "worse"
	Higher      Result = "higher" // no polarity: significantly higher, neither better nor worse
	Lower       Result = "lower"
	NotCompared Result = "not_compared" // no usable interval (or benchmark), so no judgement at all
)

// The two confidence levels Fingertips compares at.
const (
	Level95  = 95.0
	Level998 = 99.8
)

// Interval is a confidence interval at a level in percent (95, 99.8). The
// zero Interval, with no level, stands for a missing interval; a genuine
// interval of [0, 0] is still valid when its level is set.
type Interval struct {
	Lower, Upper float64
	Level        float64
}

// Valid reports whether the interval can be used: a level between 0 and
// 100, both bounds finite and Lower ≤ Upper.
func (iv Interval) Valid() bool {
	return iv.Level > 0 && iv.Level < 100 && finite(iv.Lower) && finite(iv.Upper) && iv.Lower <= iv.Upper
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// side says where an interval lies relative to a benchmark: +1 wholly
// above, -1 wholly below, 0 touching or containing it. An interval that
// only touches the benchmark (a bound equal to it) is "similar", as in both
// Fingertips (the benchmark "between" the bounds, inclusive) and
// FingertipsNext (strict < and > tests).
func side(lower, upper, benchmark float64) int {
	switch {
	case lower > benchmark:
		return 1
	case upper < benchmark:
		return -1
	}
	return 0
}

// judge turns a side into a result under a polarity. Any polarity other than
// higher or lower is better is read as no judgement, as FingertipsNext does.
func judge(s int, polarity accord.Polarity) Result {
	if s == 0 {
		return Similar
	}
	up := s > 0
	switch polarity {
	case accord.HigherIsBetter:
		return pick(up, Better, Worse)
	case accord.LowerIsBetter:
		return pick(up, Worse, Better)
	}
	return pick(up, Higher, Lower)
}

func pick(cond bool, a, b Result) Result {
	if cond {
		return a
	}
	return b
}

// ByInterval compares a value, through its confidence interval [lower,
// upper], with a benchmark value: Fingertips' "confidence intervals
// overlapping reference value" method, at whatever level the interval was
// computed (95% or 99.8%). The interval wholly above the benchmark is
// better (higher is better), worse (lower is better) or higher (no
// judgement); wholly below is the reverse; touching or containing the
// benchmark is similar. Without a usable interval — hasInterval false, a
// bound not finite, lower above upper — or without a finite benchmark the
// result is not_compared: Fingertips never judges a value on its point
// estimate alone.
//
// value is not needed for the judgement (the interval decides) but must be
// finite: a missing value is not compared either.
func ByInterval(value, lower, upper, benchmark float64, hasInterval bool, polarity accord.Polarity) Result {
	if !hasInterval || !finite(value) || !finite(lower) || !finite(upper) || lower > upper || !finite(benchmark) {
		return NotCompared
	}
	return judge(side(lower, upper, benchmark), polarity)
}

// ByOverlap compares a value with a benchmark that has its own confidence
// interval: similar when the two intervals overlap (touching counts as
// overlapping), otherwise better or worse (higher or lower) by which side
// the value's interval lies. This is legacy Fingertips'
// DoubleOverlappingCIs method, which it uses where the benchmark is itself
// an estimate (its trend markers compare a value with the previous
// period's this way). It is more conservative than ByInterval: two
// intervals can overlap although the difference between the values is
// significant. Either interval missing gives not_compared.
func ByOverlap(value float64, ci Interval, benchmark float64, benchmarkCI Interval, polarity accord.Polarity) Result {
	if !finite(value) || !finite(benchmark) || !ci.Valid() || !benchmarkCI.Valid() {
		return NotCompared
	}
	s := 0
	switch {
	case ci.Lower > benchmarkCI.Upper:
		s = 1
	case ci.Upper < benchmarkCI.Lower:
		s = -1
	}
	return judge(s, polarity)
}
