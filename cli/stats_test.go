package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/nhs-accord/accord/stats/phe"
)

func runStatsCLI(t *testing.T, method, input string) (string, error) {
	t.Helper()
	var out, errb bytes.Buffer
	err := run(context.Background(), []string{"stats", method}, &env{stdin: strings.NewReader(input), stdout: &out, stderr: &errb, getenv: func(string) string { return "" }})
	return out.String(), err
}

func TestStatsSPCContract(t *testing.T) {
	out, err := runStatsCLI(t, "spc", `{"values":[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15],"improvement_direction":"increase","target":10,"rebase_indices":[],"fix_after_n_points":null,"screen_outliers":true}`)
	if err != nil {
		t.Fatal(err)
	}
	var res struct {
		Points []struct {
			Value, Mean, LPL, UPL, NLPL, NUPL float64
			SpecialCauseType                  string `json:"special_cause_type"`
			PointType                         string `json:"point_type"`
		} `json:"points"`
		Groups []struct {
			StartIndex        int  `json:"start_index"`
			N                 int  `json:"n"`
			ShortGroupWarning bool `json:"short_group_warning"`
		} `json:"groups"`
		VariationIcon string `json:"variation_icon"`
		AssuranceType string `json:"assurance_type"`
		AssuranceIcon string `json:"assurance_icon"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	// A steady rise of 1 a point: mean 8, moving ranges all 1, so the limits
	// are 8 ± 2.66; the first and last points fall outside them.
	if len(res.Points) != 15 || res.Points[0].Mean != 8 || res.Points[0].UPL != 10.66 || res.Points[0].LPL != 5.34 {
		t.Errorf("points: %+v", res.Points[:1])
	}
	if res.Points[14].PointType != "special_cause_improvement" || res.Points[0].PointType != "special_cause_concern" {
		t.Errorf("point types: first %q last %q", res.Points[0].PointType, res.Points[14].PointType)
	}
	if len(res.Groups) != 1 || res.Groups[0].N != 15 || res.VariationIcon == "" || res.AssuranceType == "" {
		t.Errorf("groups and icons: %+v %q %q", res.Groups, res.VariationIcon, res.AssuranceType)
	}
}

func TestStatsBadInput(t *testing.T) {
	for _, tc := range []struct{ method, input, want string }{
		{"spc", ``, "standard input is empty"},
		{"spc", `nope`, "not valid JSON"},
		{"spc", `{"values":[1,`, "ends too soon"},
		{"spc", `{"valuez":[1]}`, `unknown field "valuez"`},
		{"spc", `{"values":[1,null,3]}`, "values[1]"},
		{"spc", `{"values":"many"}`, `field "values" must be`},
		{"spc", `{"values":[1,2]}{"values":[3]}`, "more than one JSON object"},
		{"nonsense", `{}`, `unknown method "nonsense"`},
	} {
		_, err := runStatsCLI(t, tc.method, tc.input)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s %q: error %v, want %q", tc.method, tc.input, err, tc.want)
		}
		if ExitCode(err) != 2 {
			t.Errorf("%s %q: exit code %d, want 2", tc.method, tc.input, ExitCode(err))
		}
	}
}

// Every stats/phe method is offered, with its own line in the help, and so
// is compare.
func TestStatsMethodsListed(t *testing.T) {
	methods := statsMethods()
	names := []string{"compare", "spc"}
	for name := range phe.Methods() {
		names = append(names, name)
		if _, ok := pheSpecs[name]; !ok {
			t.Errorf("phe method %q has no pheSpec (help text, required fields)", name)
		}
	}
	for _, name := range names {
		m, ok := methods[name]
		if !ok || m.about == "" || strings.HasPrefix(m.about, "stats/phe method") {
			t.Errorf("method %q: listed %v, about %q", name, ok, m.about)
		}
	}
	if len(methods) != len(names) {
		t.Errorf("%d methods, want %d", len(methods), len(names))
	}
}

// jsonAt digs into decoded JSON: string keys index objects, ints arrays.
func jsonAt(t *testing.T, v any, path ...any) any {
	t.Helper()
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, ok := v.(map[string]any)
			if !ok {
				t.Fatalf("%v: not an object at %q", path, k)
			}
			if v, ok = m[k]; !ok {
				t.Fatalf("%v: no field %q", path, k)
			}
		case int:
			a, ok := v.([]any)
			if !ok || k >= len(a) {
				t.Fatalf("%v: no element %d", path, k)
			}
			v = a[k]
		}
	}
	return v
}

// want is one expected figure of a worked example: the value at path,
// within tol relative to max(1, |value|) (the phe tests' rule), or a string
// or null exactly.
type want struct {
	path []any
	val  any // float64, string or nil
	tol  float64
}

func at(val any, tol float64, path ...any) want { return want{path, val, tol} }

func checkStats(t *testing.T, method, input string, wants []want) {
	t.Helper()
	out, err := runStatsCLI(t, method, input)
	if err != nil {
		t.Fatalf("%s: %v", method, err)
	}
	var got any
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%s: %v\n%s", method, err, out)
	}
	for _, w := range wants {
		g := jsonAt(t, got, w.path...)
		switch wv := w.val.(type) {
		case float64:
			gv, ok := g.(float64)
			if !ok || math.Abs(gv-wv) > w.tol*math.Max(1, math.Abs(wv)) {
				t.Errorf("%s %v = %v, want %v (±%g)", method, w.path, g, wv, w.tol)
			}
		default:
			if g != w.val {
				t.Errorf("%s %v = %v, want %v", method, w.path, g, w.val)
			}
		}
	}
}

// The data of the package's test and example cases that stats/phe's tests
// use: ages 1 to 90+ of the life-expectancy example (dsrX, dsrN in
// core_test.go), the 2013 European Standard Population, and the ISR
// reference data of TestISRMatchesR.
const (
	exX      = `[17, 9, 4, 8, 20, 15, 24, 33, 50, 71, 100, 163, 263, 304, 536, 872, 1390, 1605, 1936]`
	exN      = `[35059, 46974, 48489, 43219, 38561, 46009, 57208, 61435, 55601, 50209, 56416, 46411, 39820, 37978, 37039, 33288, 23306, 11936, 11936]`
	esp2013  = `[5000, 5500, 5500, 5500, 6000, 6000, 6500, 7000, 7000, 7000, 7000, 6500, 6000, 5500, 5000, 4000, 2500, 1500, 1000]`
	isrX     = `[2, 0, 1, null, 3, 5, 8, 12, 20, 31, 44, 60, 88, 110, 150, 190, 240, 260, 210]`
	isrXRef  = `[120, 40, 30, 55, 90, 130, 180, 260, 380, 520, 700, 950, 1400, 1900, 2600, 3300, 3900, 3600, 3000]`
	isrNRef  = `[60000, 62000, 61000, 64000, 70000, 72000, 75000, 76000, 74000, 72000, 71000, 68000, 62000, 55000, 48000, 40000, 30000, 20000, 12000]`
	leDeaths = `[17, 9, 4, 8, 20, 15, 24, 33, 50, 71, 100, 163, 263, 304, 536, 872, 1390, 1605, 1936, 1937]`
	lePops   = `[7060, 35059, 46974, 48489, 43219, 38561, 46009, 57208, 61435, 55601, 50209, 56416, 46411, 39820, 37978, 37039, 33288, 23306, 11936, 11936]`
	leAges   = `[0, 1, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90]`
)

// One worked example per method, with the expected figures of
// stats/phe's and stats/compare's tests: published package output where
// there is some (the vignette, testLifeExpectancy.R, testFunnels.R,
// Fingertips' own test cases), R reference values otherwise.
func TestStatsWorkedExamples(t *testing.T) {
	const vignette = 6e-7 // the vignette prints 7 significant figures
	const r = 1e-12       // R reference values at full precision
	ci := func(v any, tol float64, i int, end string) want { return at(v, tol, "intervals", i, end) }

	// "Introduction to PHEindicatormethods" vignette (2.1.0): area 1 of
	// its example, 27 out of 106.
	checkStats(t, "proportion", `{"x": 27, "n": 106}`, []want{
		at(0.2547170, vignette, "value"), ci(0.1813642, vignette, 0, "lower"), ci(0.3452262, vignette, 0, "upper"),
		ci(0.95, 0, 0, "confidence"), at("Wilson", 0, "method"), at("proportion of 1", 0, "statistic")})
	checkStats(t, "proportion", `{"x": 27, "n": 106, "multiplier": 100, "confidence": 99.8}`, []want{
		at(25.47170, vignette, "value"), ci(14.81031, vignette, 0, "lower"), ci(40.18735, vignette, 0, "upper"),
		ci(0.998, 0, 0, "confidence"), at("percentage", 0, "statistic")})
	// null is R's NA: a missing result, not an error.
	checkStats(t, "proportion", `{"x": null, "n": 106}`, []want{at(nil, 0, "value"), ci(nil, 0, 0, "lower")})
	checkStats(t, "rate", `{"x": 27, "n": 106}`, []want{
		at(25471.70, vignette, "value"), ci(16782.04, vignette, 0, "lower"), ci(37061.41, vignette, 0, "upper"),
		at("Byars", 0, "method"), at("rate per 100000", 0, "statistic")})
	checkStats(t, "rate", `{"x": 27, "n": 106, "multiplier": 100, "confidence": 99.8}`, []want{
		at(25.47170, vignette, "value"), ci(12.926737, vignette, 0, "lower"), ci(44.59202, vignette, 0, "upper")})
	checkStats(t, "mean", `{"x": [27, 22, 80, 53, 37, 84, 89, 85]}`, []want{
		at(59.625, vignette, "value"), ci(36.08058, vignette, 0, "lower"), ci(83.16942, vignette, 0, "upper"),
		at(28.16248, vignette, "stdev"), at(477.0, 0, "value_sum"), at(8.0, 0, "value_count")})

	// R reference values (TestDSRMatchesR, TestISRMatchesR).
	checkStats(t, "dsr", `{"x": `+exX+`, "n": `+exN+`, "stdpop": `+esp2013+`}`, []want{
		at(841.72988628876396, r, "value"), ci(822.3701141832363, r, 0, "lower"), ci(861.424733411896, r, 0, "upper"),
		at(7420.0, 0, "total_count"), at(780894.0, 0, "total_pop"), at("Dobson", 0, "method"), at("dsr per 100000", 0, "statistic")})
	isr := `"x": ` + isrX + `, "n": ` + exN + `, "x_ref": ` + isrXRef + `, "n_ref": ` + isrNRef
	isrRatio := []want{
		at(8.1383847883286364, r, "value"), ci(7.722560564228047, r, 0, "lower"), ci(8.5707810955450334, r, 0, "upper"),
		at(1434.0, 0, "observed"), at(17620.203975320979, r, "expected"), at("indirectly standardised ratio x 100", 0, "statistic")}
	checkStats(t, "isratio", `{`+isr+`, "refvalue": 100}`, isrRatio)
	checkStats(t, "isr", `{`+isr+`, "refvalue": 100}`, isrRatio)
	checkStats(t, "israte", `{`+isr+`}`, []want{
		at(172.56804008585127, r, "value"), ci(163.75081489441433, r, 0, "lower"), ci(181.73666324848466, r, 0, "upper"),
		at(2120.4212454212457, r, "ref_rate")})
	checkStats(t, "isr", `{"observed_totals": 7, "n": `+exN+`, "x_ref": `+isrXRef+`, "n_ref": `+isrNRef+`, "refvalue": 100, "confidence": 99.8}`, []want{
		at(0.039727122397699051, r, "value"), ci(0.0086283692432176512, r, 0, "lower"), ci(0.11138450736934055, r, 0, "upper"),
		at("Exact", 0, "method")})

	// phe_sii's roxygen example, area 1: the SII and RII are R's lm
	// exactly; the intervals are simulated, so they match R's (set.seed(1))
	// only to Monte Carlo error, 3% of their width (TestSIIMatchesR).
	sii := `{"quantile": [1,2,3,4,5,6,7,8,9,10], "population": [7291,7997,6105,7666,5790,6934,5918,5974,7147,7534],
		"value": [75.9,78.3,83.8,83.6,80.5,81.1,81.7,84.2,80.6,86.3], "se": [1.64,1.58,1.51,1.78,1.7,1.56,1.37,1.4,2.43,1.57], "rii": true}`
	siiWidth, riiWidth := 10.841179729060642-3.1655623854425841, 1.1422802725421861-1.0396856005135877
	checkStats(t, "sii", sii, []want{
		at(7.0002347600798958, 1e-10, "sii"), at(1.0897097049119413, 1e-10, "rii"),
		at(3.1655623854425841, 0.03*siiWidth, "sii_intervals", 0, "lower"), at(10.841179729060642, 0.03*siiWidth, "sii_intervals", 0, "upper"),
		at(1.0396856005135877, 0.03*riiWidth, "rii_intervals", 0, "lower"), at(1.1422802725421861, 0.03*riiWidth, "rii_intervals", 0, "upper"),
		at("simulation 1e+05 reps", 0, "ci_method")})

	// testLifeExpectancy.R answer1 for df1: values to 10 figures, limits to
	// 4 decimal places, as the package's test compares them.
	le := func(i int, v, lo, hi, pops, dths float64) []want {
		return []want{at(v, 1e-9, "rows", i, "value"),
			at(lo, 5e-5, "rows", i, "intervals", 0, "lower"), at(hi, 5e-5, "rows", i, "intervals", 0, "upper"),
			at(pops, 0, "rows", i, "pops_used"), at(dths, 0, "rows", i, "dths_used")}
	}
	checkStats(t, "life-expectancy", `{"deaths": `+leDeaths+`, "population": `+lePops+`, "startage": `+leAges+`, "le_age": [0, 65]}`,
		append(le(0, 80.16960813, 79.88268548, 80.45653078, 787954, 9357), le(1, 18.76856852, 18.57570352, 18.96143352, 155483, 8276)...))

	// testFunnels.R with testdata_funnel_ratio_inputs.csv rows 140, 58,
	// 142, 51, 8 and 145: their significance, and, as these rows span the
	// file's smallest and largest expected counts, the package's limits
	// (testdata_funnel_ratio_outputs.csv at 1 and 100 observed events).
	checkStats(t, "funnel", `{"numerator": [6, 893, 85, 275, 0, 40],
		"denominator": [4.293052052, 706.7669173, 67.9184978, 226.4679239, 240.6273499, 55.14959327],
		"statistic": "ratio", "ratio_type": "count", "multiplier": 100}`, []want{
		at("Not significant", 0, "significance", 0), at("High (0.001)", 0, "significance", 1),
		at("Not significant", 0, "significance", 2), at("High (0.001)", 0, "significance", 3),
		at("Low (0.001)", 0, "significance", 4), at("Low (0.025)", 0, "significance", 5),
		at("Observed_events", 0, "limits", "axis_label"), at("ratio (count)", 0, "limits", "statistic"),
		at(1.0, 0, "limits", "rows", 0, "axis"), at(5.571644585, 2e-9, "limits", "rows", 0, "lower_2s_exp_events"),
		at(-0.820519779, 2e-9, "limits", "rows", 0, "lower_2s_limit"), at(998.4532721, 2e-9, "limits", "rows", 0, "upper_3s_limit"),
		at(100.0, 0, "limits", "rows", 56, "axis"), at(-0.17781286, 2e-9, "limits", "rows", 56, "lower_2s_limit"),
		at(0.229044681, 2e-9, "limits", "rows", 56, "upper_2s_limit"), at(-0.258843765, 2e-9, "limits", "rows", 56, "lower_3s_limit"),
		at(0.390406755, 2e-9, "limits", "rows", 56, "upper_3s_limit"), at(716.0, 0, "limits", "rows", 99, "axis")})
	// calculate_funnel_points, crude rates: testdata_funnel_rate_input_funnels.csv
	// rows 1, 12 and 36 (denominator_derived_crude).
	checkStats(t, "funnel", `{"numerator": [414, 13, 870], "rate": [184, 70, 79], "statistic": "rate",
		"rate_type": "crude", "multiplier": 100000, "years_of_data": 3}`, []want{
		at(184.0, 0, "points", 0, "rate_chart"), at(75000.0, 2e-9, "points", 0, "denominator_derived"),
		at(6190.47619, 2e-9, "points", 1, "denominator_derived"), at(367088.6076, 2e-9, "points", 2, "denominator_derived"),
		at("Events", 0, "limits", "axis_label")})

	// Fingertips' cases (stats/compare's tests): FingertipsNext's 2022
	// readmissions for Cheshire and Merseyside against England; the
	// fingertips-open two-level case (2.6, 95% [2.5, 2.7], 99.8% [2.3, 2.9])
	// and DoubleOverlappingCIs case; diabetes prevalence at 99.8%.
	cmp := func(input, result, label, method string) {
		t.Helper()
		checkStats(t, "compare", input, []want{at(result, 0, "result"), at(label, 0, "label"), at(method, 0, "method")})
	}
	cmp(`{"value": 13.8, "lower": 13.6, "upper": 13.9, "benchmark": 14.2, "polarity": "lower_is_better"}`,
		"better", "Better than England (95%)", "CIOverlappingReferenceValue95")
	cmp(`{"value": 7.37636, "lower": 7.34223, "upper": 7.41063, "level": 99.8, "benchmark": 7.452844, "polarity": "no_judgement"}`,
		"lower", "Lower than England (99.8%)", "CIOverlappingReferenceValue99_8")
	two := `"value": 2.6, "lower": 2.5, "upper": 2.7, "lower_998": 2.3, "upper_998": 2.9, "polarity": "higher_is_better"`
	cmp(`{`+two+`, "benchmark": 3.0}`, "worse_99_8", "Worse than England (99.8%)", "SingleOverlappingCIsForTwoCILevels")
	cmp(`{`+two+`, "benchmark": 2.4}`, "better_95", "Better than England (95%)", "SingleOverlappingCIsForTwoCILevels")
	cmp(`{`+two+`, "benchmark": 2.6}`, "similar", "Similar to England (95%)", "SingleOverlappingCIsForTwoCILevels")
	cmp(`{"value": 3.0, "lower": 2.7, "upper": 3.1, "benchmark": 4.0, "benchmark_lower": 3.5, "benchmark_upper": 4.5,
		"polarity": "lower_is_better", "benchmark_name": "last year"}`, "better", "Better than last year (95%)", "DoubleOverlappingCIs")
	cmp(`{"value": 4.0, "lower": 3.5, "upper": 4.5, "benchmark": 3.0, "benchmark_lower": 2.0, "benchmark_upper": 3.6,
		"polarity": "lower_is_better"}`, "similar", "Similar to England (95%)", "DoubleOverlappingCIs")
	// No interval: Fingertips never judges on the point value alone.
	cmp(`{"value": 12, "benchmark": 10, "polarity": "higher_is_better"}`, "not_compared", "Not compared", "CIOverlappingReferenceValue95")
}

func TestStatsBadInputPHEAndCompare(t *testing.T) {
	isr := `"n": [100, 200], "x_ref": [1, 2], "n_ref": [1000, 2000]`
	for _, tc := range []struct{ method, input, want string }{
		// missing fields
		{"proportion", `{"n": 106}`, "stats proportion: x: is required"},
		{"rate", `{"x": 27}`, "stats rate: n: is required"},
		{"mean", `{}`, "stats mean: x: is required"},
		{"dsr", `{"x": [1, 2], "n": [10, 20]}`, "stats dsr: stdpop: is required"},
		{"isr", `{` + isr + `}`, "stats isr: x or observed_totals: one of these is required"},
		{"israte", `{"x": [1, 2], "n": [100, 200], "x_ref": [1, 2]}`, "stats israte: n_ref: is required"},
		{"sii", `{"quantile": [1, 2, 3, 4, 5], "value": [1, 2, 3, 4, 5]}`, "stats sii: population: is required"},
		{"life-expectancy", `{"deaths": [1], "population": [100]}`, "stats life-expectancy: startage: is required"},
		{"funnel", `{"numerator": [1, 2], "denominator": [10, 20]}`, "stats funnel: statistic: is required"},
		{"funnel", `{"numerator": [1, 2], "statistic": "rate"}`, "required for rates: data, numerator, rate"},
		{"compare", `{"value": 1, "lower": 0, "upper": 2, "benchmark": 1}`, "stats compare: polarity: is required"},
		{"compare", `{"lower": 0, "upper": 2, "benchmark": 1, "polarity": "higher_is_better"}`, "stats compare: value: is required"},
		{"compare", `{"value": 1, "lower": 0, "benchmark": 1, "polarity": "higher_is_better"}`, "stats compare: upper: is required with lower"},
		{"compare", `{"value": 1, "lower": 0, "upper": 2, "lower_998": -1, "upper_998": 3, "polarity": "higher_is_better"}`, "stats compare: benchmark: is required"},
		// unknown fields
		{"rate", `{"x": 27, "n": 106, "multipler": 100}`, `stats rate: unknown field "multipler"`},
		{"dsr", `{"x": [1], "n": [10], "stdpop": [5], "std_pop": [5]}`, `unknown field "std_pop"`},
		{"life-expectancy", `{"deaths": [1], "population": [100], "startage": [0], "age": [0]}`, `unknown field "age"`},
		{"compare", `{"value": 1, "lower_95": 0, "upper": 2, "benchmark": 1, "polarity": "higher_is_better"}`, `stats compare: unknown field "lower_95"`},
		// n = 0
		{"proportion", `{"x": 0, "n": 0}`, "stats proportion: n: denominators must be greater than zero"},
		{"rate", `{"x": 5, "n": 0}`, "stats rate: n: denominators must be greater than zero"},
		{"dsr", `{"x": [1, 2], "n": [10, 0], "stdpop": [5, 5]}`, "stats dsr: n: denominators must all be greater than zero"},
		{"funnel", `{"numerator": [1, 2], "denominator": [10, 0], "statistic": "proportion", "multiplier": 100}`, "stats funnel: denominator: denominators must be greater than zero"},
		{"sii", `{"quantile": [1, 2, 3, 4, 5], "population": [1, 2, 3, 4, 0], "value": [1, 2, 3, 4, 5], "se": [1, 1, 1, 1, 1]}`, "stats sii: population: some groups have a zero"},
		// negative counts
		{"proportion", `{"x": -1, "n": 10}`, "stats proportion: x: numerators must be greater than or equal to zero"},
		{"rate", `{"x": -1, "n": 10}`, "stats rate: x: numerators must be greater than or equal to zero"},
		{"dsr", `{"x": [1, -2], "n": [10, 20], "stdpop": [5, 5]}`, "stats dsr: x: numerators must all be greater than or equal to zero"},
		{"isratio", `{"x": [1, -2], ` + isr + `}`, "stats isratio: x: numerators must all be greater than or equal to zero"},
		{"isratio", `{"observed_totals": -3, ` + isr + `}`, "stats isratio: observed_totals: numerators must all be"},
		{"funnel", `{"numerator": [1, -2], "denominator": [10, 20], "statistic": "ratio", "ratio_type": "count", "multiplier": 100}`, "stats funnel: numerator: numerators must be greater than or equal to zero"},
		// other values the package refuses
		{"proportion", `{"x": 11, "n": 10}`, "stats proportion: x: numerators must be less than or equal to denominator"},
		{"rate", `{"x": 5, "n": 10, "confidence": 50}`, "stats rate: confidence level must be between 90 and 100"},
		{"israte", `{"x": [1, 2], ` + isr + `, "statistic": "ratio"}`, "stats israte: statistic: this method computes the rate"},
		{"isr", `{"x": [1, 2], ` + isr + `, "statistic": "smr"}`, "stats isr: statistic: must be ratio or rate"},
		{"sii", `{"quantile": [1, 2, 3, 4, 5], "population": [1, 2, 3, 4, 5], "value": [1, 2, 3, 4, 5], "se": [1, 1, 1, 1, 1], "repetitions": 10}`, "stats sii: repetitions: number of repetitions must be 1000 or greater"},
		{"proportion", `{"x": "27", "n": 106}`, `stats proportion: field "x" must be float64, not string`},
		{"mean", `{"x": [1, "2"]}`, `stats mean: field "x" must be float64, not string`},
		{"rate", `[27, 106]`, "stats rate: the input must be one JSON object, not array"},
		{"rate", `{"x": 27,`, "stats rate: the input ends before its JSON object does"},
		{"compare", `{"value": 1, "lower": 0, "upper": 2, "benchmark": 1, "polarity": "up"}`, "stats compare: polarity: must be higher_is_better"},
		{"compare", `{"value": 1, "lower": 2, "upper": 0, "benchmark": 1, "polarity": "higher_is_better"}`, "stats compare: lower: 2 is above upper 0"},
		{"compare", `{"value": 1, "lower": 0, "upper": 2, "level": 90, "benchmark": 1, "polarity": "higher_is_better"}`, "stats compare: level: must be 95 or 99.8"},
		{"compare", `{"value": 2.6, "lower": 2.5, "upper": 2.7, "lower_998": 2.6, "upper_998": 2.9, "benchmark": 2, "polarity": "higher_is_better"}`, "stats compare: lower_998, upper_998: the 99.8% interval [2.6, 2.9] must contain"},
		{"compare", `{"value": 2.6, "lower_998": 2.3, "upper_998": 2.9, "benchmark": 2, "polarity": "higher_is_better"}`, "stats compare: lower, upper: the two-level comparison needs the 95% interval"},
		{"compare", `{"value": 2.6, "lower": 2.5, "upper": 2.7, "lower_998": 2.3, "upper_998": 2.9, "benchmark": 2, "benchmark_lower": 1, "benchmark_upper": 3, "polarity": "higher_is_better"}`, "stats compare: lower_998, upper_998: the two-level comparison takes no benchmark interval"},
	} {
		out, err := runStatsCLI(t, tc.method, tc.input)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s %s: error %v, want %q", tc.method, tc.input, err, tc.want)
		}
		if ExitCode(err) != 2 {
			t.Errorf("%s %s: exit code %d, want 2", tc.method, tc.input, ExitCode(err))
		}
		if out != "" {
			t.Errorf("%s %s: wrote %q on error", tc.method, tc.input, out)
		}
	}
}
