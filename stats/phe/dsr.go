package phe

import (
	"math"
	"sort"
)

// DSROptions are calculate_dsr's optional arguments.
type DSROptions struct {
	// IndependentEvents is the package's independent_events; nil means TRUE.
	// When false, x counts the unique people who had each event frequency
	// and EventFreq and AgeBand must be given, one entry per row.
	IndependentEvents *bool
	EventFreq         []float64
	AgeBand           []string
}

// DSREstimate is calculate_dsr's output for one group.
type DSREstimate struct {
	Estimate
	TotalCount float64 `json:"total_count"`
	TotalPop   float64 `json:"total_pop"`
}

// Methods the package writes for a DSR.
const (
	MethodDobson               = "Dobson"
	MethodDobsonNonIndependent = "Dobson, with confidence adjusted for non-independent events"
)

// DSR is calculate_dsr for one group: a directly standardised rate per
// multiplier (the package's default is 100000) with Dobson intervals built
// from Byar's limits for the total count. x, n and stdpop are the rows of
// the group (usually one per age band). A missing x counts as zero; n and
// stdpop may not be missing. When the total count is below 10 the value and
// limits are NA and the statistic reads "dsr NA for total count < 10".
//
// For non-independent events (opts.IndependentEvents false) the variance is
// the package's: the Dobson variance of each event-frequency subgroup,
// weighted by the frequency squared and summed; the rate itself counts
// frequency × people per age band.
func DSR(x, n, stdpop []float64, multiplier float64, confidence []float64, opts DSROptions) (DSREstimate, error) {
	if len(x) != len(n) || len(x) != len(stdpop) {
		return DSREstimate{}, invalid("x, n and stdpop must have the same length")
	}
	for i := range n {
		switch {
		case math.IsNaN(n[i]):
			return DSREstimate{}, invalid("field n cannot have missing values")
		case math.IsNaN(stdpop[i]):
			return DSREstimate{}, invalid("field stdpop cannot have missing values")
		}
	}
	for i := range x {
		if x[i] < 0 {
			return DSREstimate{}, invalid("numerators must all be greater than or equal to zero")
		}
	}
	for i := range n {
		if n[i] <= 0 {
			return DSREstimate{}, invalid("denominators must all be greater than zero")
		}
	}
	for i := range stdpop {
		if stdpop[i] < 0 {
			return DSREstimate{}, invalid("stdpop must all be greater than or equal to zero")
		}
	}
	levels, err := confidencePair(confidence, false, rangeMsg)
	if err != nil {
		return DSREstimate{}, err
	}
	if math.IsNaN(multiplier) {
		return DSREstimate{}, invalid("multiplier must be numeric")
	}
	if multiplier <= 0 {
		return DSREstimate{}, invalid("multiplier must be greater than 0")
	}
	if opts.IndependentEvents == nil || *opts.IndependentEvents {
		count, pop, value, v := dobson(x, n, stdpop, multiplier)
		return dsrFinish(count, pop, value, v, multiplier, levels, MethodDobson), nil
	}

	// Non-independent events.
	if opts.EventFreq == nil {
		return DSREstimate{}, invalid("function calculate_dsr requires an eventfreq column to be specified when independent_events is FALSE")
	}
	if opts.AgeBand == nil {
		return DSREstimate{}, invalid("function calculate_dsr requires an ageband column to be specified when independent_events is FALSE")
	}
	if len(opts.EventFreq) != len(x) || len(opts.AgeBand) != len(x) {
		return DSREstimate{}, invalid("eventfreq and ageband must have one entry per row")
	}
	for _, f := range opts.EventFreq {
		if math.IsNaN(f) {
			return DSREstimate{}, invalid("eventfreq field must not have any missing values")
		}
	}
	// Every row of an age band must share its population and standard
	// population, or the event totals cannot be rebuilt.
	type band struct{ n, stdpop, events float64 }
	bands := map[string]*band{}
	var order []string
	for i, ab := range opts.AgeBand {
		b, ok := bands[ab]
		if !ok {
			b = &band{n: n[i], stdpop: stdpop[i]}
			bands[ab] = b
			order = append(order, ab)
		} else if b.n != n[i] || b.stdpop != stdpop[i] {
			return DSREstimate{}, invalid("There are rows with the same grouping variables and ageband but with different populations (n) or standard populations(stdpop)")
		}
		if !math.IsNaN(x[i]) {
			b.events += opts.EventFreq[i] * x[i]
		}
	}
	// Variance: Dobson variance within each frequency, times frequency².
	byFreq := map[float64][]int{}
	var freqs []float64
	for i, f := range opts.EventFreq {
		if _, ok := byFreq[f]; !ok {
			freqs = append(freqs, f)
		}
		byFreq[f] = append(byFreq[f], i)
	}
	sort.Float64s(freqs)
	customVar := 0.0
	for _, f := range freqs {
		var fx, fn, fs []float64
		for _, i := range byFreq[f] {
			fx, fn, fs = append(fx, x[i]), append(fn, n[i]), append(fs, stdpop[i])
		}
		_, _, _, v := dobson(fx, fn, fs, multiplier)
		customVar += v * f * f
	}
	// The package groups events by age band in sorted order before summing.
	sort.Strings(order)
	ex := make([]float64, len(order))
	en := make([]float64, len(order))
	es := make([]float64, len(order))
	for i, ab := range order {
		ex[i], en[i], es[i] = bands[ab].events, bands[ab].n, bands[ab].stdpop
	}
	count, pop, value, _ := dobson(ex, en, es, multiplier)
	return dsrFinish(count, pop, value, customVar, multiplier, levels, MethodDobsonNonIndependent), nil
}

// dobson returns the total count, total population, the DSR and its
// variance (before the multiplier) for one set of rows, as dsr_inner does.
func dobson(x, n, stdpop []float64, multiplier float64) (count, pop, value, variance float64) {
	var wt, sq, sp float64
	for i := range x {
		xi := naZero(x[i])
		wt += xi * stdpop[i] / n[i]
		r := stdpop[i] / n[i]
		sq += xi * (r * r)
		sp += stdpop[i]
	}
	count = sumRm(x)
	pop = sumNA(n)
	value = wt / sp * multiplier
	variance = 1 / (sp * sp) * sq
	return
}

func dsrFinish(count, pop, value, variance, multiplier float64, levels []float64, method string) DSREstimate {
	out := DSREstimate{
		Estimate: Estimate{
			Value:     numFinite(value),
			Method:    method,
			Statistic: "dsr per " + rFormatFixed(multiplier),
			Intervals: []Interval{},
		},
		TotalCount: count,
		TotalPop:   pop,
	}
	suppress := count < 10
	if suppress {
		out.Value = nil
		out.Statistic = "dsr NA for total count < 10"
	}
	for _, c := range levels {
		iv := Interval{Confidence: c}
		if !suppress {
			se := math.Sqrt(variance / count)
			iv.Lower = num(value + se*(byarsLower(count, c)-count)*multiplier)
			iv.Upper = num(value + se*(byarsUpper(count, c)-count)*multiplier)
		}
		out.Intervals = append(out.Intervals, iv)
	}
	return out
}
