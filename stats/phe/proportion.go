package phe

import "math"

// Proportion is phe_proportion for one row (or one group's summed x and n):
// x/n times multiplier with Wilson score intervals.
//
// As the package does, it refuses x < 0, n <= 0 and x > n, and gives NA for
// a missing x or n (NaN). confidence nil means 0.95; a single NaN means no
// intervals (the package's confidence = NA). At a confidence of 1 the
// interval is [0, multiplier].
func Proportion(x, n, multiplier float64, confidence []float64) (Estimate, error) {
	if x < 0 {
		return Estimate{}, invalid("numerators must be greater than or equal to zero")
	}
	if n <= 0 {
		return Estimate{}, invalid("denominators must be greater than zero")
	}
	if x > n {
		return Estimate{}, invalid("numerators must be less than or equal to denominator for a proportion statistic")
	}
	levels, err := confidencePair(confidence, true,
		"confidence level, if specified, must be between 90 and 100 or between 0.9 and 1")
	if err != nil {
		return Estimate{}, err
	}
	stat := "proportion of " + rNumber(multiplier)
	if multiplier == 100 {
		stat = "percentage"
	}
	e := Estimate{Value: numFinite(x / n * multiplier), Statistic: stat, Intervals: []Interval{}}
	if len(levels) > 0 {
		e.Method = "Wilson"
	}
	missing := math.IsNaN(x) || math.IsNaN(n)
	for _, c := range levels {
		iv := Interval{Confidence: c}
		if !missing {
			iv.Lower = num(wilsonLower(x, n, c) * multiplier)
			iv.Upper = num(wilsonUpper(x, n, c) * multiplier)
		}
		e.Intervals = append(e.Intervals, iv)
	}
	return e, nil
}
