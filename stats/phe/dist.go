package phe

import "math"

// The quantile functions below stand in for R's qnorm, qchisq and qt, which
// PHEindicatormethods calls. They are checked against values printed by R
// 4.2.2 in dist_test.go; agreement is to about 1e-14 relative, far inside the
// 1e-9 the package's own tests ask for.

// qnorm returns the standard normal quantile for lower-tail probability p,
// using Wichura's algorithm AS 241 (PPND16), the algorithm R's qnorm uses.
func qnorm(p float64) float64 {
	switch {
	case math.IsNaN(p) || p < 0 || p > 1:
		return math.NaN()
	case p == 0:
		return math.Inf(-1)
	case p == 1:
		return math.Inf(1)
	}
	q := p - 0.5
	if math.Abs(q) <= 0.425 {
		r := 0.180625 - q*q
		num := (((((((r*2509.0809287301226727+33430.575583588128105)*r+67265.770927008700853)*r+
			45921.953931549871457)*r+13731.693765509461125)*r+1971.5909503065514427)*r+
			133.14166789178437745)*r + 3.387132872796366608)
		den := (((((((r*5226.495278852545925+28729.085735721942674)*r+39307.89580009271061)*r+
			21213.794301586595867)*r+5394.1960214247511077)*r+687.1870074920579083)*r+
			42.313330701600911252)*r + 1)
		return q * num / den
	}
	r := p
	if q > 0 {
		r = 1 - p
	}
	r = math.Sqrt(-math.Log(r))
	var val float64
	if r <= 5 {
		r -= 1.6
		val = (((((((r*7.7454501427834140764e-4+.0227238449892691845833)*r+.24178072517745061177)*r+
			1.27045825245236838258)*r+3.64784832476320460504)*r+5.7694972214606914055)*r+
			4.6303378461565452959)*r + 1.42343711074968357734) /
			(((((((r*1.05075007164441684324e-9+5.475938084995344946e-4)*r+.0151986665636164571966)*r+
				.14810397642748007459)*r+.68976733498510000455)*r+1.6763848301838038494)*r+
				2.05319162663775882187)*r + 1)
	} else {
		r -= 5
		val = (((((((r*2.01033439929228813265e-7+2.71155556874348757815e-5)*r+.0012426609473880784386)*r+
			.026532189526576123093)*r+.29656057182850489123)*r+1.7848265399172913358)*r+
			5.4637849111641143699)*r + 6.6579046435011037772) /
			(((((((r*2.04426310338993978564e-15+1.4215117583164458887e-7)*r+1.8463183175100546818e-5)*r+
				7.868691311456132591e-4)*r+.0148753612908506148525)*r+.13692988092273580531)*r+
				.59983220655588793769)*r + 1)
	}
	if q < 0 {
		val = -val
	}
	return val
}

// gammaP returns the regularised lower incomplete gamma function P(a, x)
// and its complement Q(a, x), each computed directly so that neither loses
// precision by subtraction.
func gammaP(a, x float64) (p, q float64) {
	if x <= 0 {
		return 0, 1
	}
	if math.IsInf(x, 1) {
		return 1, 0
	}
	lg, _ := math.Lgamma(a)
	logPre := -x + a*math.Log(x) - lg
	if x < a+1 {
		// Series: P = x^a e^-x / Gamma(a+1) * sum x^n / ((a+1)...(a+n)).
		term := 1 / a
		sum := term
		for n := 1; n < 10000; n++ {
			term *= x / (a + float64(n))
			sum += term
			if math.Abs(term) < math.Abs(sum)*1e-17 {
				break
			}
		}
		p = sum * math.Exp(logPre)
		return p, 1 - p
	}
	// Continued fraction for Q (modified Lentz).
	const tiny = 1e-300
	b := x + 1 - a
	c := 1 / tiny
	d := 1 / b
	h := d
	for i := 1; i < 10000; i++ {
		an := -float64(i) * (float64(i) - a)
		b += 2
		d = an*d + b
		if math.Abs(d) < tiny {
			d = tiny
		}
		c = b + an/c
		if math.Abs(c) < tiny {
			c = tiny
		}
		d = 1 / d
		del := d * c
		h *= del
		if math.Abs(del-1) < 1e-17 {
			break
		}
	}
	q = math.Exp(logPre) * h
	return 1 - q, q
}

// qgamma returns the quantile of the Gamma(shape a, scale 1) distribution
// for lower-tail probability p (upper-tail when lower is false).
func qgamma(p, a float64, lower bool) float64 {
	if math.IsNaN(p) || math.IsNaN(a) || p < 0 || p > 1 || a < 0 {
		return math.NaN()
	}
	lo := p
	if !lower {
		lo = 1 - p
	}
	// R: a zero shape is a point mass at zero.
	if a == 0 {
		return 0
	}
	if (lower && p == 0) || (!lower && p == 1) {
		return 0
	}
	if (lower && p == 1) || (!lower && p == 0) {
		return math.Inf(1)
	}
	// Bracket the root, then polish with safeguarded Newton steps.
	f := func(x float64) float64 {
		pp, qq := gammaP(a, x)
		if lower {
			return pp - p
		}
		return p - qq // increasing in x as well
	}
	// Wilson-Hilferty start.
	z := qnorm(lo)
	c := 1 / (9 * a)
	x := a * math.Pow(1-c+z*math.Sqrt(c), 3)
	if !(x > 0) || math.IsInf(x, 0) {
		x = a
	}
	left, right := 0.0, math.Inf(1)
	lg, _ := math.Lgamma(a)
	for i := 0; i < 200; i++ {
		fx := f(x)
		if fx == 0 {
			return x
		}
		if fx < 0 {
			left = x
		} else {
			right = x
		}
		dens := math.Exp(-x + (a-1)*math.Log(x) - lg)
		next := x - fx/dens
		if !(next > left && next < right) || math.IsNaN(next) {
			if math.IsInf(right, 1) {
				next = 2*x + 1
			} else {
				next = (left + right) / 2
			}
		}
		if math.Abs(next-x) <= 1e-16*math.Abs(x) || next == x {
			return next
		}
		x = next
	}
	return x
}

// qchisq returns the chi-squared quantile with df degrees of freedom.
func qchisq(p, df float64, lower bool) float64 {
	return 2 * qgamma(p, df/2, lower)
}

// betaInc returns the regularised incomplete beta function I_x(a, b).
func betaInc(x, a, b float64) float64 {
	if x <= 0 {
		return 0
	}
	if x >= 1 {
		return 1
	}
	front := math.Exp(a*math.Log(x) + b*math.Log1p(-x) - lbeta(a, b))
	if x < (a+1)/(a+b+2) {
		return front * betaCF(x, a, b) / a
	}
	return 1 - front*betaCF(1-x, b, a)/b
}

// lbeta returns log(Beta(a, b)). For large arguments it works from
// Stirling's series, as R's lbeta does, because the difference of three large
// log-gamma values loses about twelve digits when a is in the hundreds.
func lbeta(a, b float64) float64 {
	p, q := math.Min(a, b), math.Max(a, b)
	const lnSqrt2Pi = 0.918938533204672741780329736406
	switch {
	case p >= 10:
		corr := lgammacor(p) + lgammacor(q) - lgammacor(p+q)
		return -0.5*math.Log(q) + lnSqrt2Pi + corr + (p-0.5)*math.Log(p/(p+q)) + q*math.Log1p(-p/(p+q))
	case q >= 10:
		corr := lgammacor(q) - lgammacor(p+q)
		lp, _ := math.Lgamma(p)
		return lp + corr + p - p*math.Log(p+q) + (q-0.5)*math.Log1p(-p/(p+q))
	default:
		lp, _ := math.Lgamma(p)
		lq, _ := math.Lgamma(q)
		lpq, _ := math.Lgamma(p + q)
		return lp + lq - lpq
	}
}

// lgammacor returns log(Gamma(x)) - ((x-0.5)log(x) - x + log(sqrt(2 pi)))
// for x >= 10, from the Stirling series.
func lgammacor(x float64) float64 {
	x2 := 1 / (x * x)
	return (1.0/12 + x2*(-1.0/360+x2*(1.0/1260+x2*(-1.0/1680+x2*(1.0/1188+x2*(-691.0/360360+x2*(1.0/156))))))) / x
}

// betaCF evaluates the continued fraction for the incomplete beta function
// (modified Lentz).
func betaCF(x, a, b float64) float64 {
	const tiny = 1e-300
	qab, qap, qam := a+b, a+1, a-1
	c := 1.0
	d := 1 - qab*x/qap
	if math.Abs(d) < tiny {
		d = tiny
	}
	d = 1 / d
	h := d
	for m := 1; m < 10000; m++ {
		fm := float64(m)
		m2 := 2 * fm
		aa := fm * (b - fm) * x / ((qam + m2) * (a + m2))
		d = 1 + aa*d
		if math.Abs(d) < tiny {
			d = tiny
		}
		c = 1 + aa/c
		if math.Abs(c) < tiny {
			c = tiny
		}
		d = 1 / d
		h *= d * c
		aa = -(a + fm) * (qab + fm) * x / ((a + m2) * (qap + m2))
		d = 1 + aa*d
		if math.Abs(d) < tiny {
			d = tiny
		}
		c = 1 + aa/c
		if math.Abs(c) < tiny {
			c = tiny
		}
		d = 1 / d
		del := d * c
		h *= del
		if math.Abs(del-1) < 1e-17 {
			break
		}
	}
	return h
}

// ptLower returns P(T <= t) for t <= 0 with df degrees of freedom.
func ptLower(t, df float64) float64 {
	return 0.5 * betaInc(df/(df+t*t), df/2, 0.5)
}

// qt returns the Student t quantile for lower-tail probability p. Like R it
// gives NaN for df <= 0.
func qt(p, df float64) float64 {
	switch {
	case math.IsNaN(p) || math.IsNaN(df) || p < 0 || p > 1 || df <= 0:
		return math.NaN()
	case p == 0:
		return math.Inf(-1)
	case p == 1:
		return math.Inf(1)
	case p == 0.5:
		return 0
	case p > 0.5:
		return -qt(1-p, df)
	case df == 1:
		return math.Tan(math.Pi * (p - 0.5))
	case df == 2:
		return (2*p - 1) / math.Sqrt(2*p*(1-p))
	}
	// Solve ptLower(t) = p for t < 0: bracket, then safeguarded Newton.
	t := qnorm(p)
	left, right := math.Inf(-1), 0.0
	lc, _ := math.Lgamma((df + 1) / 2)
	ld, _ := math.Lgamma(df / 2)
	logC := lc - ld - 0.5*math.Log(df*math.Pi)
	for i := 0; i < 300; i++ {
		f := ptLower(t, df) - p
		if f == 0 {
			return t
		}
		if f < 0 {
			left = t
		} else {
			right = t
		}
		dens := math.Exp(logC - (df+1)/2*math.Log1p(t*t/df))
		next := t - f/dens
		if !(next > left && next < right) || math.IsNaN(next) {
			if math.IsInf(left, -1) {
				next = 2*t - 1
			} else {
				next = (left + right) / 2
			}
		}
		if math.Abs(next-t) <= 1e-16*math.Abs(t) || next == t {
			return next
		}
		t = next
	}
	return t
}
