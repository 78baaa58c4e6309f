package trajectory

import "math"

// StudentTCDF is P(T ≤ t) for Student's t distribution with df degrees of
// freedom (df > 0, not necessarily whole; +Inf gives the standard normal).
// It returns NaN for df ≤ 0 or a NaN argument.
//
// It uses the identity with the regularised incomplete beta function,
// P(|T| > |t|) = I_{df/(df+t²)}(df/2, 1/2), which keeps full relative
// precision in the tails, and its complement 1 − I_{t²/(df+t²)}(1/2, df/2)
// for |t| < 1, where the tail is at least 0.16 and the complement keeps the
// digits of a tiny t.
func StudentTCDF(t, df float64) float64 {
	switch {
	case math.IsNaN(t) || math.IsNaN(df) || df <= 0:
		return math.NaN()
	case math.IsInf(df, 1):
		return 0.5 * math.Erfc(-t/math.Sqrt2)
	case math.IsInf(t, 1):
		return 1
	case math.IsInf(t, -1):
		return 0
	}
	t2 := t * t
	var tail float64 // P(T > |t|)
	if t2 < 1 {
		tail = 0.5 - 0.5*regIncBeta(0.5, df/2, t2/(df+t2))
	} else {
		tail = 0.5 * regIncBeta(df/2, 0.5, df/(df+t2))
	}
	if t > 0 {
		return 1 - tail
	}
	return tail
}

// StudentTQuantile is the t with StudentTCDF(t, df) = p, for 0 < p < 1 (±Inf
// at 0 and 1, NaN outside or for df ≤ 0). It solves in the lower tail and
// uses symmetry for p > ½, so upper quantiles keep full precision, by Newton
// steps on the density kept inside a bisection bracket.
func StudentTQuantile(p, df float64) float64 {
	switch {
	case math.IsNaN(p) || math.IsNaN(df) || df <= 0 || p < 0 || p > 1:
		return math.NaN()
	case p == 0:
		return math.Inf(-1)
	case p == 1:
		return math.Inf(1)
	case p == 0.5:
		return 0
	case p > 0.5:
		return -StudentTQuantile(1-p, df)
	case math.IsInf(df, 1):
		return -math.Sqrt2 * math.Erfcinv(2*p)
	}
	// Bracket the root in [lo, hi] with hi ≤ 0.
	lo, hi := -1.0, 0.0
	for StudentTCDF(lo, df) > p {
		hi = lo
		lo *= 2
		if math.IsInf(lo, -1) {
			return lo
		}
	}
	t := (lo + hi) / 2
	if z := -math.Sqrt2 * math.Erfcinv(2*p); z > lo && z < hi {
		t = z // the normal quantile is a good first guess for moderate df
	}
	logNorm := lgamma((df+1)/2) - lgamma(df/2) - 0.5*math.Log(df*math.Pi)
	for range 200 {
		f := StudentTCDF(t, df) - p
		if f > 0 {
			hi = t
		} else {
			lo = t
		}
		dens := math.Exp(logNorm - (df+1)/2*math.Log1p(t*t/df))
		next := t - f/dens
		if dens == 0 || math.IsNaN(next) || next <= lo || next >= hi {
			next = (lo + hi) / 2
		}
		if math.Abs(next-t) <= 1e-15*math.Max(1, math.Abs(t)) {
			return next
		}
		t = next
	}
	return t
}

func lgamma(x float64) float64 {
	v, _ := math.Lgamma(x)
	return v
}

// regIncBeta is the regularised incomplete beta function I_x(a, b) for
// a, b > 0 and 0 ≤ x ≤ 1, from its continued fraction (DLMF 8.17.22),
// evaluated by the modified Lentz method on whichever of x and 1−x makes
// the fraction converge fast.
func regIncBeta(a, b, x float64) float64 {
	switch {
	case x <= 0:
		return 0
	case x >= 1:
		return 1
	}
	logFront := a*math.Log(x) + b*math.Log1p(-x) - (lgamma(a) + lgamma(b) - lgamma(a+b))
	if x < (a+1)/(a+b+2) {
		return math.Exp(logFront) * betaFraction(a, b, x) / a
	}
	return 1 - math.Exp(logFront)*betaFraction(b, a, 1-x)/b
}

// betaFraction evaluates the continued fraction of I_x(a, b) (without its
// front factor). It converges in O(√max(a, b)) terms for x below the mean
// (a+1)/(a+b+2).
func betaFraction(a, b, x float64) float64 {
	const tiny, eps = 1e-300, 1e-16
	guard := func(v float64) float64 {
		if math.Abs(v) < tiny {
			return tiny
		}
		return v
	}
	c := 1.0
	d := 1 / guard(1-(a+b)*x/(a+1))
	h := d
	for m := 1.0; m <= 10000; m++ {
		// Even step: d_{2m} = m(b−m)x / ((a+2m−1)(a+2m)).
		num := m * (b - m) * x / ((a + 2*m - 1) * (a + 2*m))
		d = 1 / guard(1+num*d)
		c = guard(1 + num/c)
		h *= d * c
		// Odd step: d_{2m+1} = −(a+m)(a+b+m)x / ((a+2m)(a+2m+1)).
		num = -(a + m) * (a + b + m) * x / ((a + 2*m) * (a + 2*m + 1))
		d = 1 / guard(1+num*d)
		c = guard(1 + num/c)
		step := d * c
		h *= step
		if math.Abs(step-1) < eps {
			break
		}
	}
	return h
}
