package cli

import (
	"encoding/json"
	"errors"
	"io"
	"math"
	"reflect"
	"strings"

	"github.com/nhs-accord/accord"
	"github.com/nhs-accord/accord/stats/compare"
	"github.com/nhs-accord/accord/stats/phe"
)

// extraStatsMethods adds the public-health methods of stats/phe (the
// PHEindicatormethods port) and compare (the Fingertips benchmark
// comparison) to `accord stats`. docs/stats.md is their contract.
func extraStatsMethods() map[string]statsMethod {
	m := map[string]statsMethod{"compare": {compareAbout, runCompare}}
	for name, newInput := range phe.Methods() {
		spec, ok := pheSpecs[name]
		if !ok {
			// A method stats/phe gains later still works; the test that
			// every method has a spec asks for its help text.
			spec.about = "stats/phe method " + name
		}
		m[name] = statsMethod{spec.about, pheRunner(newInput, spec.required)}
	}
	return m
}

// pheSpec is what the command line adds to a stats/phe method: its line in
// the help and the fields that must be in the input. An absent optional
// field takes the package's default; a field given as null is R's NA,
// which the package handles as it does (often a missing result).
type pheSpec struct {
	about string
	// required lists JSON fields the input must hold; "a|b" means at least
	// one of a and b.
	required []string
}

var pheSpecs = map[string]pheSpec{
	"proportion": {"phe_proportion: x out of n, with Wilson score intervals",
		[]string{"x", "n"}},
	"rate": {"phe_rate: x per n × multiplier, with exact (x < 10) or Byar's intervals",
		[]string{"x", "n"}},
	"mean": {"phe_mean: the mean of x, with Student's t intervals",
		[]string{"x"}},
	"dsr": {"calculate_dsr: directly standardised rate, with Dobson intervals",
		[]string{"x", "n", "stdpop"}},
	"isr": {"calculate_ISRatio, or calculate_ISRate with \"statistic\": \"rate\"",
		[]string{"x|observed_totals", "n", "x_ref", "n_ref"}},
	"isratio": {"calculate_ISRatio: indirectly standardised ratio (an SMR with refvalue 100)",
		[]string{"x|observed_totals", "n", "x_ref", "n_ref"}},
	"israte": {"calculate_ISRate: indirectly standardised rate",
		[]string{"x|observed_totals", "n", "x_ref", "n_ref"}},
	"sii": {"phe_sii: slope (and relative) index of inequality across quantiles",
		[]string{"quantile", "population"}},
	"life-expectancy": {"phe_life_expectancy: abridged life table (Chiang, Silcocks)",
		[]string{"deaths", "population", "startage"}},
	"funnel": {"calculate_funnel_limits, assign_funnel_significance (and points for rates)",
		[]string{"numerator", "statistic"}},
}

// pheRunner decodes one method's input and runs it. Every error the package
// returns is about the input, so it becomes EINVALID (exit 2), prefixed by
// the field it is about where the package's own message does not name it.
func pheRunner(newInput func() phe.Input, required []string) func(dec *json.Decoder) (any, error) {
	return func(dec *json.Decoder) (any, error) {
		in := newInput()
		unset := markUnset(in, required)
		var preset string // isratio and israte fix the statistic
		if isr, ok := in.(*phe.ISRInput); ok {
			preset = isr.Statistic
		}
		if err := decodeObject(dec, in); err != nil {
			return nil, err
		}
		if isr, ok := in.(*phe.ISRInput); ok && preset != "" && isr.Statistic != preset {
			return nil, accord.Errorf(accord.EINVALID, "statistic: this method computes the %s; leave statistic out, or use isr", preset)
		}
		if err := checkRequired(in, required, unset); err != nil {
			return nil, err
		}
		out, err := in.Run()
		if err != nil {
			var ae *accord.Error
			if errors.As(err, &ae) {
				return nil, err
			}
			msg := strings.TrimPrefix(err.Error(), phe.ErrInvalid.Error()+": ")
			if f := pheField(in, msg); f != "" {
				msg = f + ": " + msg
			}
			return nil, accord.Errorf(accord.EINVALID, "%s", msg)
		}
		return out, nil
	}
}

// decodeObject decodes the input, saying so plainly when it is JSON but not
// an object, or is cut short (statsInputError reports other decoding
// errors).
func decodeObject(dec *json.Decoder, v any) error {
	err := dec.Decode(v)
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &typ) && typ.Field == "":
		return accord.Errorf(accord.EINVALID, "the input must be one JSON object, not %s", typ.Value)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return accord.Errorf(accord.EINVALID, "the input ends before its JSON object does")
	}
	return err
}

// inputField finds the field of the struct in points to whose JSON name is
// name.
func inputField(in phe.Input, name string) (reflect.Value, bool) {
	v := reflect.ValueOf(in).Elem()
	for i := 0; i < v.NumField(); i++ {
		tag, _, _ := strings.Cut(v.Type().Field(i).Tag.Get("json"), ",")
		if tag == name {
			return v.Field(i), true
		}
	}
	return reflect.Value{}, false
}

// markUnset tells an absent number from a null one. A *float64 that JSON
// gives as null becomes nil (R's NA, which the package accepts: a
// proportion of NA is NA); one not given at all must be refused. So each
// required number is pointed at a NaN before decoding: a number overwrites
// it, null clears the pointer, and absence leaves the NaN, which JSON
// cannot write. It returns those placeholders.
func markUnset(in phe.Input, required []string) map[string]*float64 {
	unset := map[string]*float64{}
	for _, r := range required {
		for _, name := range strings.Split(r, "|") {
			f, ok := inputField(in, name)
			if ok && f.Type() == reflect.TypeFor[*float64]() {
				p := new(float64)
				*p = math.NaN()
				f.Set(reflect.ValueOf(p))
				unset[name] = p
			}
		}
	}
	return unset
}

// checkRequired refuses an input without a required field and clears the
// placeholders of optional alternatives (observed_totals when x is given).
func checkRequired(in phe.Input, required []string, unset map[string]*float64) error {
	given := func(name string) bool {
		f, ok := inputField(in, name)
		if !ok {
			return false
		}
		if p, isPlaceholder := unset[name]; isPlaceholder {
			if f.Pointer() == reflect.ValueOf(p).Pointer() && math.IsNaN(*p) {
				f.SetZero()
				return false
			}
			return true
		}
		switch f.Kind() {
		case reflect.Slice, reflect.Pointer:
			return !f.IsNil()
		case reflect.String:
			return f.String() != ""
		}
		return true
	}
	for _, r := range required {
		names := strings.Split(r, "|")
		found := false
		for _, n := range names {
			if given(n) {
				found = true
			}
		}
		if !found {
			if len(names) > 1 {
				return accord.Errorf(accord.EINVALID, "%s: one of these is required", strings.Join(names, " or "))
			}
			return accord.Errorf(accord.EINVALID, "%s: is required", r)
		}
	}
	if in, ok := in.(*phe.ISRInput); ok && in.Statistic != "" && in.Statistic != "ratio" && in.Statistic != "rate" {
		return accord.Errorf(accord.EINVALID, "statistic: must be ratio or rate, not %q", in.Statistic)
	}
	return nil
}

// pheField names the input field a message of the package is about, or ""
// when the message names its fields itself. The package's messages speak
// of numerators and denominators, which are x and n in most methods.
func pheField(in phe.Input, msg string) string {
	has := func(s string) bool { return strings.Contains(msg, s) }
	if has("same length") || has("the following arguments") {
		return ""
	}
	switch in := in.(type) {
	case *phe.ProportionInput, *phe.RateInput, *phe.DSRInput:
		switch {
		case has("numerator"):
			return "x"
		case has("denominator"):
			return "n"
		}
	case *phe.ISRInput:
		switch {
		case has("numerator") && in.ObservedTotals != nil:
			return "observed_totals"
		case has("numerator"):
			return "x"
		case has("denominator"):
			return "n"
		}
	case *phe.FunnelInput:
		switch {
		case has("numerators and denominators"):
			return "numerator, denominator"
		case has("rates must be provided"):
			return "rate"
		case has("numerator"):
			return "numerator"
		case has("denominator"):
			return "denominator"
		}
	case *phe.SIIInput:
		switch {
		case has("confidence limit"):
			return "lower_cl, upper_cl"
		case has("standard errors"):
			return "se"
		case has("repetitions"):
			return "repetitions"
		case has("quantile"):
			return "quantile"
		case has("missing population"):
			return "population"
		case has("indicator value"):
			return "value"
		case has("count x"):
			return "x"
		}
	}
	return ""
}

const compareAbout = "Fingertips comparison of a value's confidence interval with a benchmark"

// compareInput is the JSON `accord stats compare` reads, in Fingertips'
// terms: the value and its 95% interval (lower, upper), the benchmark
// (England, say) and the indicator's polarity. The 99.8% interval
// (lower_998, upper_998) asks for the two-level comparison; an interval for
// the benchmark (benchmark_lower, benchmark_upper) for the overlap of two
// intervals.
type compareInput struct {
	Value          *float64        `json:"value"`
	Lower          *float64        `json:"lower"`
	Upper          *float64        `json:"upper"`
	Level          *float64        `json:"level"` // of lower and upper: 95 (default) or 99.8
	Lower998       *float64        `json:"lower_998"`
	Upper998       *float64        `json:"upper_998"`
	Benchmark      *float64        `json:"benchmark"`
	BenchmarkLower *float64        `json:"benchmark_lower"`
	BenchmarkUpper *float64        `json:"benchmark_upper"`
	BenchmarkName  string          `json:"benchmark_name"` // for the label; default England
	Polarity       accord.Polarity `json:"polarity"`
}

// compareOutput is the comparison's result word, FingertipsNext's sentence
// for it and the Fingertips method that gave it.
type compareOutput struct {
	Result compare.Result `json:"result"`
	Label  string         `json:"label"`
	Method string         `json:"method"`
}

// The Fingertips names of the comparison methods.
const (
	methodInterval95  = "CIOverlappingReferenceValue95"
	methodInterval998 = "CIOverlappingReferenceValue99_8"
	methodTwoLevels   = "SingleOverlappingCIsForTwoCILevels"
	methodOverlap     = "DoubleOverlappingCIs"
)

func runCompare(dec *json.Decoder) (any, error) {
	var in compareInput
	if err := decodeObject(dec, &in); err != nil {
		return nil, err
	}
	bad := func(format string, args ...any) (any, error) {
		return nil, accord.Errorf(accord.EINVALID, format, args...)
	}
	switch {
	case in.Value == nil:
		return bad("value: is required (the value to compare)")
	case in.Benchmark == nil:
		return bad("benchmark: is required (the benchmark's value, England's say)")
	case in.Polarity == "":
		return bad("polarity: is required: higher_is_better, lower_is_better or no_judgement")
	case in.Polarity != accord.HigherIsBetter && in.Polarity != accord.LowerIsBetter && in.Polarity != accord.NoPolarity:
		return bad("polarity: must be higher_is_better, lower_is_better or no_judgement, not %q", in.Polarity)
	}
	level := compare.Level95
	if in.Level != nil {
		level = *in.Level
		if level != compare.Level95 && level != compare.Level998 {
			return bad("level: must be 95 or 99.8 (the confidence level of lower and upper), not %v", level)
		}
	}
	pair := func(lo, hi *float64, loName, hiName string) (has bool, err error) {
		switch {
		case lo == nil && hi == nil:
			return false, nil
		case lo == nil:
			return false, accord.Errorf(accord.EINVALID, "%s: is required with %s", loName, hiName)
		case hi == nil:
			return false, accord.Errorf(accord.EINVALID, "%s: is required with %s", hiName, loName)
		case *lo > *hi:
			return false, accord.Errorf(accord.EINVALID, "%s: %v is above %s %v", loName, *lo, hiName, *hi)
		}
		return true, nil
	}
	hasCI, err := pair(in.Lower, in.Upper, "lower", "upper")
	if err != nil {
		return nil, err
	}
	has998, err := pair(in.Lower998, in.Upper998, "lower_998", "upper_998")
	if err != nil {
		return nil, err
	}
	hasBenchCI, err := pair(in.BenchmarkLower, in.BenchmarkUpper, "benchmark_lower", "benchmark_upper")
	if err != nil {
		return nil, err
	}
	name := in.BenchmarkName
	if name == "" {
		name = "England"
	}
	value, bench := *in.Value, *in.Benchmark
	var out compareOutput
	switch {
	case has998 && hasBenchCI:
		return bad("lower_998, upper_998: the two-level comparison takes no benchmark interval; leave out benchmark_lower and benchmark_upper, or the 99.8%% interval")
	case has998:
		switch {
		case !hasCI:
			return bad("lower, upper: the two-level comparison needs the 95%% interval as well as the 99.8%% one")
		case level != compare.Level95:
			return bad("level: the two-level comparison reads lower and upper as the 95%% interval; leave level out")
		case *in.Lower998 > *in.Lower || *in.Upper998 < *in.Upper:
			return bad("lower_998, upper_998: the 99.8%% interval [%v, %v] must contain the 95%% interval [%v, %v]",
				*in.Lower998, *in.Upper998, *in.Lower, *in.Upper)
		}
		out.Method = methodTwoLevels
		out.Result = compare.ByTwoLevels(value,
			compare.Interval{Lower: *in.Lower, Upper: *in.Upper, Level: compare.Level95},
			compare.Interval{Lower: *in.Lower998, Upper: *in.Upper998, Level: compare.Level998},
			bench, in.Polarity)
	case hasBenchCI:
		out.Method = methodOverlap
		var ci compare.Interval // no interval: not compared
		if hasCI {
			ci = compare.Interval{Lower: *in.Lower, Upper: *in.Upper, Level: level}
		}
		out.Result = compare.ByOverlap(value, ci, bench,
			compare.Interval{Lower: *in.BenchmarkLower, Upper: *in.BenchmarkUpper, Level: level}, in.Polarity)
	default:
		out.Method = methodInterval95
		if level == compare.Level998 {
			out.Method = methodInterval998
		}
		var lo, hi float64
		if hasCI {
			lo, hi = *in.Lower, *in.Upper
		}
		out.Result = compare.ByInterval(value, lo, hi, bench, hasCI, in.Polarity)
	}
	out.Label = out.Result.Label(name, level)
	return out, nil
}
