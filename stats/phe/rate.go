package phe

// Rate is phe_rate for one row: x/n times multiplier, with exact Poisson
// limits when x < 10 and Byar's limits otherwise (method "Exact" or
// "Byars"). It refuses x < 0 and n <= 0; a missing x or n (NaN) gives NA,
// and a missing x also an NA method (""). The package's default multiplier
// is 100000. A Byar's lower limit that would be negative is NA.
func Rate(x, n, multiplier float64, confidence []float64) (Estimate, error) {
	if x < 0 {
		return Estimate{}, invalid("numerators must be greater than or equal to zero")
	}
	if n <= 0 {
		return Estimate{}, invalid("denominators must be greater than zero")
	}
	levels, err := confidencePair(confidence, false, rangeMsg)
	if err != nil {
		return Estimate{}, err
	}
	e := Estimate{
		Value:     numFinite(x / n * multiplier),
		Statistic: "rate per " + rFormatFixed(multiplier),
		Intervals: []Interval{},
	}
	for _, c := range levels {
		lo, hi, method := poissonLimits(x, c)
		e.Method = method
		e.Intervals = append(e.Intervals, Interval{
			Confidence: c,
			Lower:      num(lo / n * multiplier),
			Upper:      num(hi / n * multiplier),
		})
	}
	return e, nil
}
