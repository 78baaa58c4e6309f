package phe

import (
	"math"
	"math/rand/v2"
	"sort"
)

// SIIOptions are phe_sii's arguments other than the quantiles and their
// populations. Slices are per quantile, in the same order as the quantiles.
type SIIOptions struct {
	// Value is the indicator value per quantile. For proportions
	// (ValueType 2) X, the numerator, may be given instead.
	Value []float64
	X     []float64
	// ValueType is 0 (other), 1 (rate) or 2 (proportion).
	ValueType int
	// Transform fits the regression on log rates or logit proportions.
	Transform bool
	// LowerCL and UpperCL are 95% limits of Value; SE may be given instead
	// (not with Transform).
	LowerCL, UpperCL, SE []float64
	// Multiplier scales the SII; negative inverts the RII. 0 means 1.
	Multiplier float64
	// Repetitions is the number of simulations (at least 1000); 0 means the
	// package's 100000.
	Repetitions int
	// Confidence is any number of levels; nil means 0.95.
	Confidence []float64
	// RII, Intercept and ReliabilityStat ask for the package's optional
	// outputs.
	RII, Intercept, ReliabilityStat bool
	// Seed seeds the simulation. R's random numbers cannot be reproduced
	// outside R, so intervals agree with the package's only to Monte Carlo
	// error; the same seed always gives the same intervals here.
	Seed uint64
}

// SIIReliability is the mean absolute difference between the first run of
// the simulation and nine more, per confidence level (reliability_stat).
type SIIReliability struct {
	Confidence float64  `json:"confidence"`
	SIIMAD     *float64 `json:"sii_mad"`
	RIIMAD     *float64 `json:"rii_mad,omitempty"`
}

// SIIResult is phe_sii's output for one area.
type SIIResult struct {
	SII          *float64         `json:"sii"`
	SIIIntervals []Interval       `json:"sii_intervals"`
	RII          *float64         `json:"rii,omitempty"`
	RIIIntervals []Interval       `json:"rii_intervals,omitempty"`
	Intercept    *float64         `json:"intercept,omitempty"`
	Reliability  []SIIReliability `json:"reliability,omitempty"`
	// IndicatorType, Transform and CIMethod are the package's metadata
	// columns (indicator_type, transform, CI_method).
	IndicatorType string   `json:"indicator_type"`
	Transform     string   `json:"transform"`
	CIMethod      string   `json:"ci_method"`
	Warnings      []string `json:"warnings,omitempty"`
}

// SII is phe_sii for one area: the slope index of inequality from a
// population-weighted regression of the indicator on the relative rank of
// each quantile (the midpoint of its share of the cumulative population),
// quantiles taken in ascending order of their labels, least to most
// advantaged. Intervals come from simulation, as in the package: the value
// of each quantile is redrawn from a normal distribution with its standard
// error, and the regression refitted, Repetitions times.
//
// The point estimates are deterministic and match the package exactly; the
// intervals are the same method with Go's random numbers, not R's.
func SII(quantile, population []float64, opts SIIOptions) (SIIResult, error) {
	k := len(quantile)
	if len(population) != k {
		return SIIResult{}, invalid("quantile and population must have the same length")
	}
	if opts.Value == nil && opts.X == nil {
		return SIIResult{}, invalid("function phe_sii requires value field, or x field if indicator is a proportion of population")
	}
	haveCL := opts.LowerCL != nil && opts.UpperCL != nil
	if opts.SE == nil && !haveCL {
		return SIIResult{}, invalid("function phe_sii requires either lower_cl and upper_cl fields, or se field")
	}
	if opts.ValueType < 0 || opts.ValueType > 2 {
		return SIIResult{}, invalid("value_type should be 0, 1 or 2")
	}
	reps := opts.Repetitions
	if reps == 0 {
		reps = 100000
	}
	if reps < 1000 {
		return SIIResult{}, invalid("number of repetitions must be 1000 or greater. Default is 100,000")
	}
	if opts.Transform && opts.ValueType == 0 {
		return SIIResult{}, invalid("value_type should be 1 or 2 when transform is true")
	}
	if opts.Transform && opts.SE != nil {
		return SIIResult{}, invalid("function phe_sii requires se to be missing when transform is true")
	}
	if opts.Transform && !haveCL {
		return SIIResult{}, invalid("function phe_sii requires lower_cl and upper_cl fields when transform is true")
	}
	levels, err := confidenceMany(opts.Confidence)
	if err != nil {
		return SIIResult{}, err
	}
	mult := opts.Multiplier
	if mult == 0 {
		mult = 1
	}
	for _, s := range []struct {
		v    []float64
		name string
	}{{opts.Value, "value"}, {opts.X, "x"}, {opts.LowerCL, "lower_cl"}, {opts.UpperCL, "upper_cl"}, {opts.SE, "se"}} {
		if s.v != nil && len(s.v) != k {
			return SIIResult{}, invalid("%s must have one entry per quantile", s.name)
		}
	}
	for _, p := range population {
		if !(p > 0) {
			return SIIResult{}, invalid("some groups have a zero, negative or missing population")
		}
	}
	if opts.SE != nil {
		for _, s := range opts.SE {
			if !(s >= 0) {
				return SIIResult{}, invalid("negative or missing standard errors in input dataset")
			}
		}
	}
	if haveCL {
		for i := range opts.LowerCL {
			if math.IsNaN(opts.LowerCL[i]) || math.IsNaN(opts.UpperCL[i]) {
				return SIIResult{}, invalid("missing lower or upper confidence limits in input dataset")
			}
		}
	}
	if opts.ValueType == 2 {
		for _, v := range opts.Value {
			if v < 0 || v > 1 {
				return SIIResult{}, invalid("value proportions are not all between 0 and 1")
			}
		}
		if haveCL {
			for i := range opts.LowerCL {
				lo, hi := opts.LowerCL[i], opts.UpperCL[i]
				if lo < 0 || lo > 1 || hi < 0 || hi > 1 {
					return SIIResult{}, invalid("confidence limit proportions are not all between 0 and 1")
				}
			}
		}
		if opts.Value == nil {
			for _, x := range opts.X {
				if x <= 0 {
					return SIIResult{}, invalid("some groups have a zero or negative count x")
				}
			}
		}
	} else if opts.Value == nil {
		return SIIResult{}, invalid("x can stand in for value only for proportions (value_type 2)")
	}
	distinct := map[float64]bool{}
	for _, q := range quantile {
		if math.IsNaN(q) || distinct[q] {
			return SIIResult{}, invalid("each quantile must appear once")
		}
		distinct[q] = true
	}
	var res SIIResult
	if k < 5 || k > 100 {
		return SIIResult{}, invalid("Number of quantiles must be between 5 and 100")
	}
	if k > 10 {
		res.Warnings = append(res.Warnings, "WARNING: Small values can make SII unstable when using a large number of quantiles")
	}

	// Order by quantile label.
	idx := make([]int, k)
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(a, b int) bool { return quantile[idx[a]] < quantile[idx[b]] })
	pick := func(v []float64) []float64 {
		if v == nil {
			return nil
		}
		out := make([]float64, k)
		for i, j := range idx {
			out[i] = v[j]
		}
		return out
	}
	pop := pick(population)
	value := pick(opts.Value)
	if value == nil {
		x := pick(opts.X)
		value = make([]float64, k)
		for i := range x {
			value[i] = x[i] / pop[i]
		}
	}
	for _, v := range value {
		if math.IsNaN(v) {
			return SIIResult{}, invalid("missing values in the indicator value")
		}
	}
	lo, hi, se := pick(opts.LowerCL), pick(opts.UpperCL), pick(opts.SE)

	vt := opts.ValueType
	fwd := func(v float64) float64 {
		switch vt {
		case 1:
			return math.Log(v)
		case 2:
			return math.Log(v / (1 - v))
		}
		return v
	}
	back := func(v float64) float64 {
		switch vt {
		case 1:
			return math.Exp(v)
		case 2:
			return math.Exp(v) / (1 + math.Exp(v))
		}
		return v
	}
	tv := make([]float64, k) // value on the transformed scale
	for i := range value {
		tv[i] = fwd(value[i])
	}
	seCalc := make([]float64, k)
	if se != nil {
		copy(seCalc, se)
	} else {
		z := qnorm(0.975) // the package assumes 95% limits
		for i := range seCalc {
			seCalc[i] = (fwd(hi[i]) - fwd(lo[i])) / z / 2
		}
	}

	// a: population share; b: relative rank (FindXValues).
	total := sumNA(pop)
	sqrtA := make([]float64, k)
	bSqrtA := make([]float64, k)
	cum := 0.0
	for i := range pop {
		a := pop[i] / total
		prop := pop[i] / total
		var b float64
		if i == 0 {
			b = prop / 2
		} else {
			b = prop/2 + cum
		}
		cum += prop
		sqrtA[i] = math.Sqrt(a)
		bSqrtA[i] = b * sqrtA[i]
	}
	y := make([]float64, k)
	for i := range y {
		if opts.Transform {
			y[i] = sqrtA[i] * tv[i]
		} else {
			y[i] = sqrtA[i] * back(tv[i])
		}
	}
	// Least squares through the origin on (sqrt_a, b_sqrt_a): the rows of
	// solve(m %*% t(m)) %*% m, as SimulationFunc builds them.
	var s11, s12, s22 float64
	for i := 0; i < k; i++ {
		s11 += sqrtA[i] * sqrtA[i]
		s12 += sqrtA[i] * bSqrtA[i]
		s22 += bSqrtA[i] * bSqrtA[i]
	}
	det := s11*s22 - s12*s12
	w1 := make([]float64, k) // weights giving the intercept (sqrt_a coefficient)
	w2 := make([]float64, k) // weights giving the slope (b_sqrt_a coefficient)
	for i := 0; i < k; i++ {
		w1[i] = (s22*sqrtA[i] - s12*bSqrtA[i]) / det
		w2[i] = (-s12*sqrtA[i] + s11*bSqrtA[i]) / det
	}
	fit := func(y []float64) (icpt, slope float64) {
		for i := range y {
			icpt += w1[i] * y[i]
			slope += w2[i] * y[i]
		}
		return
	}
	icpt, slope := fit(y)

	res.IndicatorType = [...]string{"normal", "rate", "proportion"}[vt]
	res.Transform = "none"
	if opts.Transform {
		res.Transform = [...]string{"none", "log", "logit"}[vt]
	}
	res.CIMethod = "simulation " + rNumber(float64(reps)) + " reps"

	var xHalf float64
	if !opts.Transform {
		rii := (icpt + slope) / icpt
		if mult < 0 {
			rii = 1 / rii
		}
		res.SII = numFinite(mult * slope)
		if opts.RII {
			res.RII = numFinite(rii)
		}
		if opts.Intercept {
			res.Intercept = numFinite(icpt)
		}
	} else {
		x1 := icpt + slope
		xHalf = (icpt + x1) / 2
		ai, a1 := back(icpt), back(x1)
		rii := a1 / ai
		if mult < 0 {
			rii = 1 / (a1 / ai)
		}
		res.SII = numFinite((a1 - ai) * mult)
		if opts.RII {
			res.RII = numFinite(rii)
		}
		if opts.Intercept {
			res.Intercept = numFinite(ai * math.Abs(mult))
		}
	}

	// Simulation. Draws are made quantile by quantile within each
	// repetition, as R fills its matrix.
	runs := 1
	if opts.ReliabilityStat {
		runs = 10
	}
	rng := rand.New(rand.NewPCG(opts.Seed, opts.Seed^0x9e3779b97f4a7c15))
	sims := make([][]float64, runs) // slope per repetition
	simR := make([][]float64, runs) // RII per repetition (untransformed only)
	ys := make([]float64, k)
	for r := 0; r < runs; r++ {
		sims[r] = make([]float64, reps)
		if opts.RII && !opts.Transform {
			simR[r] = make([]float64, reps)
		}
		for j := 0; j < reps; j++ {
			for i := 0; i < k; i++ {
				draw := tv[i] + seCalc[i]*rng.NormFloat64()
				if !opts.Transform {
					draw = back(draw)
				}
				ys[i] = draw * sqrtA[i]
			}
			a, b := fit(ys)
			if opts.Transform {
				sims[r][j] = b
				continue
			}
			sims[r][j] = b * mult
			if opts.RII {
				rr := (b + a) / a
				if mult < 0 {
					rr = 1 / rr
				}
				simR[r][j] = rr
			}
		}
		sort.Float64s(sims[r])
		if simR[r] != nil {
			sort.Float64s(simR[r])
		}
	}

	// at returns the package's order statistic: round(reps * p), 1-based.
	at := func(sorted []float64, p float64) float64 {
		pos := int(math.RoundToEven(float64(reps) * p))
		if pos < 1 || pos > len(sorted) {
			return math.NaN()
		}
		return sorted[pos-1]
	}
	// limits returns SII and RII limits for run r at confidence c.
	limits := func(r int, c float64) (sl, su, rl, ru float64) {
		cv := c + (1-c)/2
		sl, su = at(sims[r], 1-cv), at(sims[r], cv)
		if !opts.Transform {
			if opts.RII {
				rl, ru = at(simR[r], 1-cv), at(simR[r], cv)
			}
			return
		}
		il, iu := xHalf-sl/2, xHalf-su/2
		xl, xu := xHalf+sl/2, xHalf+su/2
		flip := mult < 0
		if vt == 1 {
			flip = mult < 1 // sic: the package tests multiplier < 1 for rates
		}
		if flip {
			sl, su = (back(xu)-back(iu))*mult, (back(xl)-back(il))*mult
			rl, ru = 1/(back(xu)/back(iu)), 1/(back(xl)/back(il))
		} else {
			sl, su = (back(xl)-back(il))*mult, (back(xu)-back(iu))*mult
			rl, ru = back(xl)/back(il), back(xu)/back(iu)
		}
		return
	}
	for _, c := range levels {
		sl, su, rl, ru := limits(0, c)
		res.SIIIntervals = append(res.SIIIntervals, Interval{Confidence: c, Lower: num(sl), Upper: num(su)})
		if opts.RII {
			res.RIIIntervals = append(res.RIIIntervals, Interval{Confidence: c, Lower: num(rl), Upper: num(ru)})
		}
		if opts.ReliabilityStat {
			var sSum, rSum float64
			for r := 1; r < runs; r++ {
				l2, u2, rl2, ru2 := limits(r, c)
				sSum += math.Abs(l2-sl) + math.Abs(u2-su)
				rSum += math.Abs(rl2-rl) + math.Abs(ru2-ru)
			}
			rel := SIIReliability{Confidence: c, SIIMAD: numFinite(sSum / float64(2*(runs-1)))}
			if opts.RII {
				rel.RIIMAD = numFinite(rSum / float64(2*(runs-1)))
			}
			res.Reliability = append(res.Reliability, rel)
		}
	}
	return res, nil
}
