package phe

import (
	"math"
)

// FunnelOptions are the arguments calculate_funnel_limits,
// assign_funnel_significance and calculate_funnel_points share.
type FunnelOptions struct {
	// Statistic is "proportion", "ratio" or "rate".
	Statistic string
	// Multiplier is the scale the values are expressed on (100 for a
	// percentage, 100000 for a rate per 100,000). The package requires it
	// for limits; 0 means not given.
	Multiplier float64
	// RatioType is "count" or "isr" (statistic "ratio").
	RatioType string
	// RateType is "dsr" or "crude" (statistic "rate").
	RateType string
	// YearsOfData is the number of years the data cover (rate limits and
	// points); 0 means not given.
	YearsOfData float64
}

// FunnelLimitRow is one of the 100 points of the funnel's control limits.
// Axis is the package's Population (proportions), Observed_events (ratios)
// or Events (rates) column. The expected-events and one-year-population
// columns appear only for ratios and rates respectively.
type FunnelLimitRow struct {
	Axis                   float64  `json:"axis"`
	Lower2sExpEvents       *float64 `json:"lower_2s_exp_events,omitempty"`
	Lower2sPopulation1Year *float64 `json:"lower_2s_population_1_year,omitempty"`
	Lower2sLimit           *float64 `json:"lower_2s_limit"`
	Upper2sExpEvents       *float64 `json:"upper_2s_exp_events,omitempty"`
	Upper2sPopulation1Year *float64 `json:"upper_2s_population_1_year,omitempty"`
	Upper2sLimit           *float64 `json:"upper_2s_limit"`
	Lower3sExpEvents       *float64 `json:"lower_3s_exp_events,omitempty"`
	Lower3sPopulation1Year *float64 `json:"lower_3s_population_1_year,omitempty"`
	Lower3sLimit           *float64 `json:"lower_3s_limit"`
	Upper3sExpEvents       *float64 `json:"upper_3s_exp_events,omitempty"`
	Upper3sPopulation1Year *float64 `json:"upper_3s_population_1_year,omitempty"`
	Upper3sLimit           *float64 `json:"upper_3s_limit"`
	Baseline               *float64 `json:"baseline,omitempty"`
}

// FunnelLimitTable is calculate_funnel_limits' output.
type FunnelLimitTable struct {
	// AxisLabel names the Axis column as the package does.
	AxisLabel string           `json:"axis_label"`
	Rows      []FunnelLimitRow `json:"rows"`
	Statistic string           `json:"statistic"`
	Method    string           `json:"method"`
}

// Funnel significance labels, as the package's factor levels.
const (
	HighP001         = "High (0.001)"
	HighP025         = "High (0.025)"
	LowP001          = "Low (0.001)"
	LowP025          = "Low (0.025)"
	NotSignificant   = "Not significant"
	NotApplicableDSR = "Not applicable for events less than 10 for dsrs"
)

// funnelData checks the rows as the package does and returns the
// denominators it derives: the denominator itself for proportions and
// ratios, and for rates the population implied by the count and the rate
// (or the given denominator where there are no events, for crude rates).
// forLimits selects calculate_funnel_limits' expression order and checks;
// assign_funnel_significance writes the same derivation slightly
// differently.
func funnelData(numer, den, rate []float64, o FunnelOptions, forLimits bool) ([]float64, error) {
	n := len(numer)
	if den != nil && len(den) != n {
		return nil, invalid("numerator and denominator must have the same length")
	}
	if rate != nil && len(rate) != n {
		return nil, invalid("numerator and rate must have the same length")
	}
	switch o.Statistic {
	case "proportion", "ratio":
		if den == nil {
			return nil, invalid("the following arguments are required for %ss: data, numerator, denominator", o.Statistic)
		}
		if o.Statistic == "ratio" && forLimits && o.RatioType == "" {
			return nil, invalid("the following arguments are required for ratios: data, numerator, denominator, ratio_type, multiplier")
		}
		if o.Statistic == "ratio" && o.RatioType != "" && o.RatioType != "count" && o.RatioType != "isr" {
			return nil, invalid("'ratio_type' should be one of \"count\", \"isr\"")
		}
		if o.Statistic == "proportion" {
			for i := range numer {
				if math.IsNaN(numer[i]) || math.IsNaN(den[i]) {
					return nil, invalid("for proportions, numerators and denominators must be provided for all records, even when their values are zero")
				}
			}
		}
		if forLimits && o.Multiplier == 0 {
			return nil, invalid("the following arguments are required for %ss: multiplier", o.Statistic)
		}
		return append([]float64(nil), den...), nil
	case "rate":
	default:
		return nil, invalid("statistic must be provided as proportion, rate or ratio")
	}
	if rate == nil || o.RateType == "" || o.Multiplier == 0 || (forLimits && o.YearsOfData == 0) {
		if forLimits {
			return nil, invalid("the following arguments are required for rates: data, numerator, rate, rate_type, multiplier, years_of_data")
		}
		return nil, invalid("the following arguments are required for rates: data, numerator, rate, rate_type, multiplier")
	}
	if o.RateType != "dsr" && o.RateType != "crude" {
		return nil, invalid("'rate_type' should be one of \"dsr\", \"crude\"")
	}
	for i := range numer {
		if math.IsNaN(numer[i]) {
			return nil, invalid("for rates, numerators must be provided for all records, even when their values are zero")
		}
		if math.IsNaN(rate[i]) && (den == nil || math.IsNaN(den[i])) {
			return nil, invalid("for rates, rates must be provided for all records, or a denominator must be provided if the rate is zero")
		}
	}
	for i := range numer {
		if numer[i] == 0 {
			if den == nil {
				return nil, invalid("for rates, where there are 0 events for a record, the denominator field needs to be provided using the denominator argument")
			}
			if den[i] <= 0 || math.IsNaN(den[i]) {
				return nil, invalid("for rates, where there are 0 events for a record, the denominator must be provided")
			}
		}
	}
	out := make([]float64, n)
	m := o.Multiplier
	for i := range numer {
		implied := m * numer[i] / rate[i]
		if !forLimits {
			implied = numer[i] / rate[i] * m
			if o.RateType == "crude" {
				implied = m * numer[i] / rate[i]
			}
		}
		switch {
		case o.RateType == "dsr" && numer[i] == 0:
			out[i] = math.NaN()
		case o.RateType == "crude" && den != nil && numer[i] == 0:
			out[i] = den[i]
		default:
			out[i] = implied
		}
	}
	return out, nil
}

// FunnelLimits is calculate_funnel_limits: 100 points along the
// x axis and, at each, the 95% (2s) and 99.8% (3s) control limits around
// the overall average, Wilson-based for proportions and Poisson for ratios
// and rates. num, den and rate are the data the funnel is drawn for; den
// may be nil for rates, and rate is used only for rates.
func FunnelLimits(numer, den, rate []float64, o FunnelOptions) (FunnelLimitTable, error) {
	dd, err := funnelData(numer, den, rate, o, true)
	if err != nil {
		return FunnelLimitTable{}, err
	}
	av := sumNA(numer) / sumRm(dd)
	minD, maxD := math.Inf(1), math.Inf(-1)
	for _, d := range dd {
		if !math.IsNaN(d) {
			minD = math.Min(minD, d)
			maxD = math.Max(maxD, d)
		}
	}
	var axisMin, axisMax float64
	if maxD > 2*minD {
		axisMin = 0
	} else if o.Statistic == "rate" {
		axisMin = signifFloor(minD/o.YearsOfData) * o.YearsOfData
	} else {
		axisMin = signifFloor(minD)
	}
	if o.Statistic == "rate" {
		axisMax = signifCeiling(maxD/o.YearsOfData) * o.YearsOfData
	} else {
		axisMax = signifCeiling(maxD)
	}
	out := FunnelLimitTable{Statistic: o.Statistic}
	switch o.Statistic {
	case "proportion":
		out.AxisLabel = "Population"
		out.Method = "Wilson"
	case "ratio":
		out.AxisLabel = "Observed_events"
		out.Statistic = "ratio (" + o.RatioType + ")"
		out.Method = "Poisson"
	case "rate":
		out.AxisLabel = "Events"
		axisMin = math.Floor(axisMin * av)
		axisMax = math.Ceil(axisMax * av)
		out.Statistic = "rate (" + o.RateType + " per " + rFormatBigMark(o.Multiplier) + ")"
		out.Method = "Poisson"
	}

	// 100 axis points, spaced geometrically so they crowd where the funnel
	// bends.
	axis := make([]float64, 100)
	axis[0] = math.Max(1, axisMin)
	for j := 2; j <= 100; j++ {
		offset := float64(j)
		if o.Statistic == "ratio" {
			offset = float64(j - 1)
		}
		prev := axis[j-2]
		axis[j-1] = math.Max(math.RoundToEven(math.Pow(axisMax/prev, 1/(101-offset))*prev), prev+1)
	}

	for _, x := range axis {
		r := FunnelLimitRow{Axis: x}
		switch o.Statistic {
		case "proportion":
			r.Lower2sLimit = numFinite(math.Max(0, sigmaAdjustment(0.975, x, av, false, o.Multiplier)))
			r.Upper2sLimit = numFinite(math.Min(100, sigmaAdjustment(0.975, x, av, true, o.Multiplier)))
			r.Lower3sLimit = numFinite(math.Max(0, sigmaAdjustment(0.999, x, av, false, o.Multiplier)))
			r.Upper3sLimit = numFinite(math.Min(100, sigmaAdjustment(0.999, x, av, true, o.Multiplier)))
			r.Baseline = numFinite(av * o.Multiplier)
		case "ratio":
			l2 := poissonFunnel(x, 0.025, true)
			u2 := poissonFunnel(x, 0.025, false)
			l3 := poissonFunnel(x, 0.001, true)
			u3 := poissonFunnel(x, 0.001, false)
			adj := func(v float64) float64 {
				if o.RatioType == "count" {
					return v - 1
				}
				return v * 100
			}
			r.Lower2sExpEvents, r.Lower2sLimit = numFinite(l2), numFinite(adj(x/l2))
			r.Upper2sExpEvents, r.Upper2sLimit = numFinite(u2), numFinite(adj(x/u2))
			r.Lower3sExpEvents, r.Lower3sLimit = numFinite(l3), numFinite(adj(x/l3))
			r.Upper3sExpEvents, r.Upper3sLimit = numFinite(u3), numFinite(adj(x/u3))
		case "rate":
			l2 := poissonFunnel(x, 0.025, true) / av
			u2 := poissonFunnel(x, 0.025, false) / av
			l3 := poissonFunnel(x, 0.001, true) / av
			u3 := poissonFunnel(x, 0.001, false) / av
			m, y := o.Multiplier, o.YearsOfData
			r.Lower2sPopulation1Year, r.Lower2sLimit = numFinite(l2/y), numFinite(x/l2*m)
			r.Upper2sPopulation1Year, r.Upper2sLimit = numFinite(u2/y), numFinite(x/u2*m)
			r.Lower3sPopulation1Year, r.Lower3sLimit = numFinite(l3/y), numFinite(x/l3*m)
			r.Upper3sPopulation1Year, r.Upper3sLimit = numFinite(u3/y), numFinite(x/u3*m)
			r.Baseline = numFinite(av * m)
		}
		out.Rows = append(out.Rows, r)
	}
	return out, nil
}

// FunnelSignificance is assign_funnel_significance: for each row,
// whether it lies outside the 95% or 99.8% limits around the overall
// average, as one of the package's labels (HighP001 ... NotApplicableDSR).
// Multiplier is needed only for rates.
func FunnelSignificance(numer, den, rate []float64, o FunnelOptions) ([]string, error) {
	dd, err := funnelData(numer, den, rate, o, false)
	if err != nil {
		return nil, err
	}
	for _, v := range numer {
		if v < 0 {
			return nil, invalid("numerators must be greater than or equal to zero")
		}
	}
	for _, v := range den {
		if v <= 0 {
			return nil, invalid("denominators must be greater than zero")
		}
	}
	out := make([]string, len(numer))
	switch o.Statistic {
	case "proportion":
		for i := range numer {
			if numer[i] > den[i] {
				return nil, invalid("numerators must be less than or equal to denominator for a proportion statistic")
			}
		}
		avg := sumNA(numer) / sumNA(den)
		for i := range numer {
			p := numer[i] / den[i]
			switch {
			case p < sigmaAdjustment(0.999, den[i], avg, false, 1):
				out[i] = LowP001
			case p < sigmaAdjustment(0.975, den[i], avg, false, 1):
				out[i] = LowP025
			case p > sigmaAdjustment(0.999, den[i], avg, true, 1):
				out[i] = HighP001
			case p > sigmaAdjustment(0.975, den[i], avg, true, 1):
				out[i] = HighP025
			default:
				out[i] = NotSignificant
			}
		}
	case "ratio":
		for i := range numer {
			if math.IsNaN(numer[i]) {
				return nil, invalid("missing value where TRUE/FALSE needed (numerator is NA)")
			}
			out[i] = ratioSignificance(1, numer[i], den[i])
		}
	case "rate":
		wavg := sumNA(numer) / sumRm(dd)
		for i := range numer {
			out[i] = ratioSignificance(wavg, numer[i], dd[i])
			if o.RateType == "dsr" && numer[i] < 10 {
				out[i] = NotApplicableDSR
			}
		}
	}
	return out, nil
}

// ratioSignificance compares a reference level with the Poisson limits of
// obs relative to expected, as assign_funnel_significance does for ratios
// (reference 1) and rates (reference the weighted average).
func ratioSignificance(ref, obs, expected float64) string {
	switch {
	case ref < funnelRatioSignificance(obs, expected, 0.998, true):
		return HighP001
	case ref < funnelRatioSignificance(obs, expected, 0.95, true):
		return HighP025
	case ref > funnelRatioSignificance(obs, expected, 0.998, false):
		return LowP001
	case ref > funnelRatioSignificance(obs, expected, 0.95, false):
		return LowP025
	}
	return NotSignificant
}

// FunnelPoint is calculate_funnel_points' output for one row of rate data:
// the rate to plot (RateChart, NA for DSRs from fewer than 10 events) and
// the derived annual population.
type FunnelPoint struct {
	RateChart          *float64 `json:"rate_chart"`
	DenominatorDerived *float64 `json:"denominator_derived"`
}

// FunnelPoints is calculate_funnel_points for rate-based funnels.
func FunnelPoints(numer, den, rate []float64, o FunnelOptions) ([]FunnelPoint, error) {
	if rate == nil || o.RateType == "" || o.YearsOfData == 0 || o.Multiplier == 0 {
		return nil, invalid("the following arguments are required for rates: data, numerator, rate, rate_type, years_of_data, multiplier")
	}
	if len(rate) != len(numer) || (den != nil && len(den) != len(numer)) {
		return nil, invalid("numerator, denominator and rate must have the same length")
	}
	for i := range numer {
		if numer[i] == 0 {
			if den == nil {
				return nil, invalid("for rates, where there are 0 events for a record, the denominator field needs to be provided using the denominator argument")
			}
			if den[i] == 0 || math.IsNaN(den[i]) {
				return nil, invalid("for rates, where there are 0 events for a record, the denominator must be provided")
			}
		}
	}
	m, y := o.Multiplier, o.YearsOfData
	out := make([]FunnelPoint, len(numer))
	for i := range numer {
		switch o.RateType {
		case "dsr":
			if numer[i] < 10 {
				continue
			}
			out[i] = FunnelPoint{numFinite(rate[i]), numFinite((m * numer[i] / rate[i]) / y)}
		case "crude":
			d := (m * numer[i] / rate[i]) / y
			if den != nil && numer[i] == 0 {
				d = den[i] / y
			}
			out[i] = FunnelPoint{numFinite(rate[i]), numFinite(d)}
		default:
			return nil, invalid("'rate_type' should be one of \"dsr\", \"crude\"")
		}
	}
	return out, nil
}

// sigmaAdjustment is the package's sigma_adjustment: the proportion at
// which a population of the given size sits on the Wilson funnel for
// two-sided probability p around average, times multiplier.
func sigmaAdjustment(p, population, average float64, high bool, multiplier float64) float64 {
	z := qnorm(p)
	z2 := z * z
	first := average * (population/z2 + 1)
	t := -8 * average * (population/z2 + 1)
	adj := math.Sqrt(t*t - 64*(1/z2+1/population)*average*
		(population*(average*(population/z2+2)-1)+z2*(average-1)))
	last := 1/z2 + 1/population
	var v float64
	if high {
		v = (first + adj/8) / last
	} else {
		v = (first - adj/8) / last
	}
	return (v / population) * multiplier
}

// poissonCIs is the package's poisson_cis: the Poisson(z) probability of a
// count between xa and xb, summed term by term with rescaling.
func poissonCIs(z, xa, xb float64) float64 {
	q, tot, s, k := 1.0, 0.0, 0.0, 0.0
	for k <= z || q > tot*1e-10 {
		tot += q
		if k >= xa && k <= xb {
			s += q
		}
		if tot > 1e30 {
			s /= 1e30
			tot /= 1e30
			q /= 1e30
		}
		k++
		q = q * z / k
	}
	return s / tot
}

// poissonFunnel is the package's poisson_funnel: by bisection, the Poisson
// mean for which obs is at tail probability p. low (the package's side
// "low") gives the upper control limit's expected events.
func poissonFunnel(obs, p float64, high bool) float64 {
	v, dv := 0.5, 0.5
	for dv > 1e-7 {
		dv /= 2
		mean := (1 + obs) * v / (1 - v)
		if high {
			if poissonCIs(mean, 0, obs) < p {
				v -= dv
			} else {
				v += dv
			}
		} else {
			if poissonCIs(mean, obs, 1e10) > p {
				v -= dv
			} else {
				v += dv
			}
		}
	}
	return (1 + obs) * v / (1 - v)
}

// funnelRatioSignificance is the package's funnel_ratio_significance:
// the exact (below 10) or Byar's limit of obs over expected.
func funnelRatioSignificance(obs, expected, p float64, low bool) float64 {
	var ts float64
	switch {
	case obs == 0 && low:
		ts = 0
	case obs < 10:
		if low {
			ts = qchisq(0.5+p/2, 2*obs, false) / 2
		} else {
			ts = qchisq(0.5+p/2, 2*obs+2, true) / 2
		}
	default:
		z := qnorm(0.5 + p/2)
		if low {
			ts = obs * math.Pow(1-1/(9*obs)-z/3/math.Sqrt(obs), 3)
		} else {
			oa := obs + 1
			ts = oa * math.Pow(1-1/(9*oa)+z/3/math.Sqrt(oa), 3)
		}
	}
	return ts / expected
}

// signifFloor and signifCeiling round the axis ends as the package's
// signif.floor and signif.ceiling do, including their use of nchar() on
// R's printed form of the number ("1e+05" has five characters).
func signifFloor(x float64) float64 {
	if x == 0 {
		return 0
	}
	n := len(rNumber(math.Floor(x*0.95))) - 1
	return math.Floor(x*0.95/math.Pow10(n)) * math.Pow10(n)
}

func signifCeiling(x float64) float64 {
	if x == 0 {
		return 0
	}
	n := len(rNumber(math.Ceil(x*1.05))) - 2
	return math.Ceil(x*1.05/math.Pow10(n)) * math.Pow10(n)
}

// rFormatBigMark is format(x, big.mark = ",", scientific = FALSE).
func rFormatBigMark(x float64) string {
	s := rFormatFixed(x)
	intPart, frac := s, ""
	for i, c := range s {
		if c == '.' {
			intPart, frac = s[:i], s[i:]
			break
		}
	}
	neg := len(intPart) > 0 && intPart[0] == '-'
	if neg {
		intPart = intPart[1:]
	}
	var b []byte
	for i := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b = append(b, ',')
		}
		b = append(b, intPart[i])
	}
	out := string(b) + frac
	if neg {
		out = "-" + out
	}
	return out
}
