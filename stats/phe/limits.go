package phe

import "math"

// The package's internal limit functions (utils.R). Each takes a confidence
// already scaled to a fraction.

// wilsonLower is the lower Wilson score limit for x cases out of n. At a
// confidence of exactly 1 the package returns 0 rather than evaluate z = Inf.
func wilsonLower(x, n, conf float64) float64 {
	if conf == 1 {
		return 0
	}
	z := zFor(conf)
	return (2*x + z*z - z*math.Sqrt(z*z+4*x*(1-(x/n)))) / 2 / (n + z*z)
}

// wilsonUpper is the upper Wilson score limit; 1 at a confidence of 1.
func wilsonUpper(x, n, conf float64) float64 {
	if conf == 1 {
		return 1
	}
	z := zFor(conf)
	return (2*x + z*z + z*math.Sqrt(z*z+4*x*(1-(x/n)))) / 2 / (n + z*z)
}

// byarsLower is Byar's lower limit for an observed count x. The package sets
// a negative result (very small x, or confidence near 1) to NA.
func byarsLower(x, conf float64) float64 {
	z := zFor(conf)
	v := x * math.Pow(1-1/(9*x)-z/(3*math.Sqrt(x)), 3)
	if v < 0 {
		return math.NaN()
	}
	return v
}

// byarsUpper is Byar's upper limit for an observed count x.
func byarsUpper(x, conf float64) float64 {
	z := zFor(conf)
	return (x + 1) * math.Pow(1-1/(9*(x+1))+z/(3*math.Sqrt(x+1)), 3)
}

// exactLower and exactUpper are the exact Poisson limits for a count x,
// from the chi-squared distribution, as phe_rate writes them inline.
func exactLower(x, conf float64) float64 { return qchisq((1-conf)/2, 2*x, true) / 2 }
func exactUpper(x, conf float64) float64 {
	return qchisq(conf+(1-conf)/2, 2*x+2, true) / 2
}

// poissonLimits returns the limits for a count x the way phe_rate,
// calculate_ISRatio and calculate_ISRate choose them: exact below 10,
// Byar's from 10, with the label the package writes in its method column.
// A missing count gives NA limits and an NA (empty) method.
func poissonLimits(x, conf float64) (lo, hi float64, method string) {
	switch {
	case math.IsNaN(x):
		return math.NaN(), math.NaN(), ""
	case x < 10:
		return exactLower(x, conf), exactUpper(x, conf), "Exact"
	default:
		return byarsLower(x, conf), byarsUpper(x, conf), "Byars"
	}
}
