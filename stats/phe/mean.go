package phe

import "math"

// MeanEstimate is phe_mean's output for one group: the mean with Student's t
// intervals, and the sum, count and standard deviation it came from.
type MeanEstimate struct {
	Estimate
	ValueSum   *float64 `json:"value_sum"`
	ValueCount int      `json:"value_count"`
	Stdev      *float64 `json:"stdev"`
}

// Mean is phe_mean for one group of values: the mean with intervals
// value ± |qt((1 - confidence)/2, n - 1)| × sd / √n. Like R's sum and sd
// without na.rm, one missing value (NaN) makes everything NA; one value
// gives an NA standard deviation and so NA limits.
func Mean(values []float64, confidence []float64) (MeanEstimate, error) {
	levels, err := confidencePair(confidence, false, rangeMsg)
	if err != nil {
		return MeanEstimate{}, err
	}
	n := len(values)
	sum := sumNA(values)
	sd := stdev(values)
	value := sum / float64(n)
	out := MeanEstimate{
		Estimate: Estimate{
			Value:     numFinite(value),
			Method:    "Student's t-distribution",
			Statistic: "mean",
			Intervals: []Interval{},
		},
		ValueSum:   numFinite(sum),
		ValueCount: n,
		Stdev:      numFinite(sd),
	}
	for _, c := range levels {
		half := math.Abs(qt((1-c)/2, float64(n-1))) * sd / math.Sqrt(float64(n))
		out.Intervals = append(out.Intervals, Interval{
			Confidence: c,
			Lower:      num(value - half),
			Upper:      num(value + half),
		})
	}
	return out, nil
}

// stdev is R's sd: the n-1 standard deviation, NaN for fewer than two
// values or any NaN. Two passes, as R computes it, so large offsets do not
// cancel.
func stdev(xs []float64) float64 {
	n := len(xs)
	if n < 2 {
		return math.NaN()
	}
	m := sumNA(xs) / float64(n)
	if math.IsNaN(m) || math.IsInf(m, 0) {
		return math.NaN()
	}
	// R's mean adds a correction pass; so do we.
	corr := 0.0
	for _, x := range xs {
		corr += x - m
	}
	m += corr / float64(n)
	ss := 0.0
	for _, x := range xs {
		d := x - m
		ss += d * d
	}
	return math.Sqrt(ss / float64(n-1))
}
