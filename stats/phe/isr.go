package phe

import "math"

// ISREstimate is calculate_ISRatio's or calculate_ISRate's output for one
// group. RefRate is set only for the rate.
type ISREstimate struct {
	Estimate
	Observed *float64 `json:"observed"`
	Expected *float64 `json:"expected"`
	RefRate  *float64 `json:"ref_rate,omitempty"`
}

// ISRatio is calculate_ISRatio for one group: observed / expected events
// times refvalue (the package's default is 1; 100 gives an SMR), with exact
// Poisson limits for fewer than 10 observed events and Byar's otherwise.
//
// n, xRef and nRef are matched by position (one entry per age band). The
// observed events are either broken down the same way (x, one per band) or
// given as a total (observedTotal, the package's observed_totals), in which
// case x must be nil. Missing x, n or xRef entries count as zero; a missing
// total gives NA.
func ISRatio(x []float64, observedTotal *float64, n, xRef, nRef []float64, refValue float64, confidence []float64) (ISREstimate, error) {
	obs, exp, _, levels, err := isrPrepare(x, observedTotal, n, xRef, nRef, 1, confidence)
	if err != nil {
		return ISREstimate{}, err
	}
	out := ISREstimate{
		Estimate: Estimate{
			Value:     numFinite(obs / exp * refValue),
			Statistic: "indirectly standardised ratio x " + rFormatFixed(refValue),
			Intervals: []Interval{},
		},
		Observed: numFinite(obs),
		Expected: numFinite(exp),
	}
	for _, c := range levels {
		lo, hi, method := poissonLimits(obs, c)
		out.Method = method
		out.Intervals = append(out.Intervals, Interval{
			Confidence: c,
			Lower:      num(lo / exp * refValue),
			Upper:      num(hi / exp * refValue),
		})
	}
	return out, nil
}

// ISRate is calculate_ISRate for one group: observed / expected events times
// the reference rate (sum of xRef / sum of nRef × multiplier; the package's
// default multiplier is 100000), with the same limits as ISRatio.
func ISRate(x []float64, observedTotal *float64, n, xRef, nRef []float64, multiplier float64, confidence []float64) (ISREstimate, error) {
	obs, exp, refRate, levels, err := isrPrepare(x, observedTotal, n, xRef, nRef, multiplier, confidence)
	if err != nil {
		return ISREstimate{}, err
	}
	out := ISREstimate{
		Estimate: Estimate{
			Value:     numFinite(obs / exp * refRate),
			Statistic: "indirectly standardised rate per " + rFormatFixed(multiplier),
			Intervals: []Interval{},
		},
		Observed: numFinite(obs),
		Expected: numFinite(exp),
		RefRate:  numFinite(refRate),
	}
	for _, c := range levels {
		lo, hi, method := poissonLimits(obs, c)
		out.Method = method
		out.Intervals = append(out.Intervals, Interval{
			Confidence: c,
			Lower:      num(lo / exp * refRate),
			Upper:      num(hi / exp * refRate),
		})
	}
	return out, nil
}

func isrPrepare(x []float64, observedTotal *float64, n, xRef, nRef []float64, multiplier float64, confidence []float64) (obs, exp, refRate float64, levels []float64, err error) {
	if len(xRef) != len(n) {
		return 0, 0, 0, nil, invalid("x_ref length must equal number of rows in each group within data")
	}
	if len(nRef) != len(n) {
		return 0, 0, 0, nil, invalid("n_ref length must equal number of rows in each group within data")
	}
	switch {
	case observedTotal != nil && x != nil:
		return 0, 0, 0, nil, invalid("give x (age-specific observed events) or observed_totals, not both")
	case observedTotal != nil:
		obs = *observedTotal
	case x == nil:
		return 0, 0, 0, nil, invalid("x is not in data")
	case len(x) != len(n):
		return 0, 0, 0, nil, invalid("x and n must have the same length")
	default:
		obs = sumRm(x)
		for _, v := range x {
			if v < 0 {
				return 0, 0, 0, nil, invalid("numerators must all be greater than or equal to zero")
			}
		}
	}
	if obs < 0 {
		return 0, 0, 0, nil, invalid("numerators must all be greater than or equal to zero")
	}
	for _, v := range n {
		if v < 0 {
			return 0, 0, 0, nil, invalid("denominators must all be greater than or equal to zero")
		}
	}
	levels, err = confidencePair(confidence, false, rangeMsg)
	if err != nil {
		return 0, 0, 0, nil, err
	}
	for i := range n {
		exp += naZero(xRef[i]) / nRef[i] * naZero(n[i])
	}
	refRate = sumRm(xRef) / sumNA(nRef) * multiplier
	if observedTotal != nil && math.IsNaN(*observedTotal) {
		obs = math.NaN()
	}
	return obs, exp, refRate, levels, nil
}
