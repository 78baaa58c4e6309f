package phe

import (
	"math"
	"strconv"
	"testing"
)

// The expectations in this file are PHEindicatormethods' own: rows of the
// expected outputs its tests/testthat/testFunnels.R checks, from the
// testdata_funnel_*.csv files beside it, at version 2.0.2.9001 (the
// development version that became 2.1.0). Each table names the file its
// rows come from and gives the row numbers (1-based, below the header). The
// package prints the figures to 6 decimals (proportions) or 10 significant
// figures (ratios, rates), which sets the tolerances.
//
// calculate_funnel_limits and assign_funnel_significance judge each row
// against the whole data set (its overall average, and for limits the
// largest and smallest denominator), so where a test uses only some rows
// of the package's data it adds inputs with the same totals; each test says
// how.

func checkNum(t *testing.T, what string, got *float64, want, tol float64, rel bool) {
	t.Helper()
	if math.IsNaN(want) {
		if got != nil {
			t.Errorf("%s = %v, want NA", what, *got)
		}
		return
	}
	if got == nil {
		t.Errorf("%s = NA, want %v", what, want)
		return
	}
	// rel: relative tolerance, but never tighter than the 9 decimal places
	// the package's CSV files print.
	diff := math.Abs(*got - want)
	allowed := tol
	if rel {
		allowed = math.Max(tol*math.Abs(want), 5.1e-10)
	}
	if diff > allowed {
		t.Errorf("%s = %.12g, want %.12g", what, *got, want)
	}
}

// testFunnels.R: "confidence limits calculate correctly for proportions".
//
// calculate_funnel_limits uses the data only through the overall average
// (total numerator over total denominator) and the largest and smallest
// denominators, which set the axis. testdata_funnel_prop_inputs.csv (303
// rows) totals 10325813.8504 over 12804440, with denominators from 16386 to
// 102950, so two rows at that average with those denominators draw the
// package's funnel.
func propFunnelData() (num, den []float64) {
	avg := 10325813.8504 / 12804440
	den = []float64{16386, 102950}
	return []float64{avg * den[0], avg * den[1]}, den
}

// Rows of testdata_funnel_prop_outputs.csv: small populations, where the
// limits are cut off at 0 and 100, to the largest. Baseline is 80.642448 on
// every row.
var wantPropLimits = []struct {
	row                                            int
	population, lower2s, upper2s, lower3s, upper3s float64
}{
	{1, 1, 3.204264, 100, 0, 100},
	{2, 2, 25.885383, 100, 0, 100},
	{3, 3, 35.933491, 100, 10.150815, 100},
	{5, 5, 46.011039, 100, 26.039864, 100},
	{8, 8, 53.263915, 100, 37.475315, 100},
	{12, 12, 58.28797, 100, 45.396631, 100},
	{20, 27, 65.739462, 95.545433, 57.145237, 100},
	{33, 102, 72.974925, 88.309971, 68.553233, 92.731663},
	{45, 356, 76.538232, 84.746663, 74.171421, 87.113475},
	{60, 1699, 78.763743, 82.521152, 77.680336, 83.60456},
	{80, 13669, 79.980099, 81.304797, 79.598137, 81.686759},
	{100, 110000, 80.408963, 80.875933, 80.274317, 81.010578},
}

func TestFunnelLimitsProportion(t *testing.T) {
	num, den := propFunnelData()
	got, err := FunnelLimits(num, den, nil, FunnelOptions{Statistic: "proportion", Multiplier: 100})
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Rows) != 100 {
		t.Fatalf("%d rows, want 100", len(got.Rows))
	}
	for _, w := range wantPropLimits {
		r := got.Rows[w.row-1]
		at := " at row " + strconv.Itoa(w.row)
		if r.Axis != w.population {
			t.Errorf("Population%s = %v, want %v", at, r.Axis, w.population)
		}
		checkNum(t, "Lower2s0025limit"+at, r.Lower2sLimit, w.lower2s, 5.1e-7, false)
		checkNum(t, "Upper2s0025limit"+at, r.Upper2sLimit, w.upper2s, 5.1e-7, false)
		checkNum(t, "Lower3s0001limit"+at, r.Lower3sLimit, w.lower3s, 5.1e-7, false)
		checkNum(t, "Upper3s0001limit"+at, r.Upper3sLimit, w.upper3s, 5.1e-7, false)
		checkNum(t, "Baseline"+at, r.Baseline, 80.642448, 5.1e-7, false)
	}
	if got.Method != "Wilson" || got.Statistic != "proportion" || got.AxisLabel != "Population" {
		t.Errorf("metadata %q %q %q", got.Method, got.Statistic, got.AxisLabel)
	}
}

// testFunnels.R: "Significance for proportions calculates correctly". Rows
// of testdata_funnel_prop_inputs.csv (numerator, denominator, significance):
// the smallest and largest denominators and every label.
var wantPropSignificance = []struct {
	row      int
	num, den float64
	want     string
}{
	{166, 13551.222, 16386, HighP001},
	{284, 13240.9172, 16477, NotSignificant},
	{53, 15808.1975, 20597, LowP001},
	{143, 16924.1296, 20776, HighP025},
	{150, 16997.2937, 21839, LowP001},
	{120, 30277.5312, 37828, LowP025},
	{142, 38045.3716, 46958, HighP025},
	{3, 50050.7443, 61921, NotSignificant},
	{168, 59356.4384, 73352, NotSignificant},
	{6, 66969.6742, 80002, HighP001},
	{275, 81412.86, 102950, LowP001},
}

func TestFunnelSignificanceProportion(t *testing.T) {
	// Each row is judged against the overall average, so a last row holds
	// the rest of the file: its totals (see propFunnelData) less these rows.
	var num, den []float64
	restNum, restDen := 10325813.8504, 12804440.0
	for _, r := range wantPropSignificance {
		num, den = append(num, r.num), append(den, r.den)
		restNum, restDen = restNum-r.num, restDen-r.den
	}
	num, den = append(num, restNum), append(den, restDen)
	got, err := FunnelSignificance(num, den, nil, FunnelOptions{Statistic: "proportion"})
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range wantPropSignificance {
		if got[i] != r.want {
			t.Errorf("row %d (%v of %v): %q, want %q", r.row, r.num, r.den, got[i], r.want)
		}
	}
}

// The package's Observed_events column for ratios (testdata_funnel_ratio_outputs.csv).
var ratioAxis = []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20,
	21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 35, 37, 39, 41, 43, 45, 47, 49, 51, 53, 55,
	58, 61, 64, 67, 70, 73, 76, 80, 84, 88, 92, 96, 100, 105, 110, 115, 120, 126, 132, 138, 144,
	151, 158, 165, 173, 181, 189, 198, 207, 217, 227, 238, 249, 261, 273, 286, 299, 313, 328, 343,
	359, 376, 394, 413, 432, 452, 473, 495, 518, 543, 569, 596, 624, 653, 684, 716}

// Rows of testdata_funnel_ratio_outputs.csv by Observed_events: expected
// events and limits (count and isr) at 95% (2s) and 99.8% (3s).
var wantRatioLimits = []struct {
	obs                                  float64
	lower2sExp, lower2sCount, lower2sISR float64
	upper2sExp, upper2sCount, upper2sISR float64
	lower3sExp, lower3sCount, lower3sISR float64
	upper3sExp, upper3sCount, upper3sISR float64
}{
	{1, 5.571644585, -0.820519779, 17.94802207, 0.025317898, 38.49774946, 3949.774946, 9.233410143, -0.891697652, 10.83023482, 0.001000547, 998.4532721, 99945.32721},
	{2, 7.224687515, -0.723171418, 27.6828582, 0.242209467, 7.257315569, 825.7315569, 11.22886836, -0.821887662, 17.81123382, 0.04540199, 43.05093268, 4405.093268},
	{3, 8.767273828, -0.657818376, 34.21816244, 0.618671905, 3.849096876, 484.9096876, 13.06224507, -0.770330446, 22.96695541, 0.190533306, 14.7452787, 1574.52787},
	{9, 17.08479966, -0.473215948, 52.67840524, 4.11537405, 1.186921502, 218.6921502, 22.65737951, -0.602778424, 39.72215762, 2.452425215, 2.669836676, 366.9836676},
	{10, 18.39035799, -0.456236795, 54.3763205, 4.795387629, 1.085337156, 208.5337156, 24.13397235, -0.585646331, 41.43536693, 2.960519925, 2.37778507, 337.778507},
	{20, 30.88838097, -0.352507339, 64.74926614, 12.21651877, 0.637127595, 163.7127595, 38.04188668, -0.47426372, 52.57362804, 8.958211233, 1.232588569, 223.2588569},
	{33, 46.34427966, -0.28793801, 71.206199, 22.71567629, 0.452741252, 145.2741252, 54.89565059, -0.398859479, 60.11405211, 18.04631223, 0.828628453, 182.8628453},
	{51, 67.05559502, -0.239437067, 76.05629327, 37.97285619, 0.343064629, 134.3064629, 77.15705647, -0.339010554, 66.09894458, 31.74201957, 0.606703061, 160.6703061},
	{100, 121.6268111, -0.17781286, 82.21871402, 81.36400699, 0.229044681, 122.9044681, 134.9243187, -0.258843765, 74.11562345, 71.92139974, 0.390406755, 139.0406755},
	{151, 177.0968366, -0.147359135, 85.26408651, 127.8762368, 0.180829244, 118.0829244, 192.964063, -0.217470872, 78.25291281, 115.8558441, 0.303343833, 130.3343833},
	{413, 454.8179145, -0.091944299, 90.80557006, 374.1243435, 0.103911058, 110.3911058, 479.7365479, -0.139110827, 86.08891731, 353.0371292, 0.169848624, 116.9848624},
	{716, 770.4222128, -0.070639465, 92.93605352, 664.5083011, 0.077488421, 107.7488421, 802.60414, -0.107903929, 89.20960712, 636.1521174, 0.125516964, 112.5516964},
}

// testFunnels.R: "confidence limits calculate correctly for ratios (count)"
// and "(isr)".
func TestFunnelLimitsRatio(t *testing.T) {
	// Ratio limits depend on the data only through the range of the
	// expected counts, which sets the axis: in testdata_funnel_ratio_inputs.csv
	// that runs from row 140 (6 observed, 4.293052052 expected) to row 58
	// (893, 706.7669173).
	obs, expected := []float64{6, 893}, []float64{4.293052052, 706.7669173}
	for _, rt := range []string{"count", "isr"} {
		got, err := FunnelLimits(obs, expected, nil,
			FunnelOptions{Statistic: "ratio", Multiplier: 100, RatioType: rt})
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Rows) != len(ratioAxis) {
			t.Fatalf("%d rows", len(got.Rows))
		}
		byAxis := map[float64]FunnelLimitRow{}
		for i, r := range got.Rows {
			if r.Axis != ratioAxis[i] {
				t.Errorf("%s row %d: Observed_events %v, want %v", rt, i, r.Axis, ratioAxis[i])
			}
			byAxis[r.Axis] = r
		}
		for _, w := range wantRatioLimits {
			r, ok := byAxis[w.obs]
			if !ok {
				t.Errorf("%s: no row for %v observed events", rt, w.obs)
				continue
			}
			l2, u2, l3, u3 := w.lower2sCount, w.upper2sCount, w.lower3sCount, w.upper3sCount
			if rt == "isr" {
				l2, u2, l3, u3 = w.lower2sISR, w.upper2sISR, w.lower3sISR, w.upper3sISR
			}
			for _, c := range []struct {
				name string
				got  *float64
				want float64
			}{
				{"lower_2s_exp_events", r.Lower2sExpEvents, w.lower2sExp},
				{"upper_2s_exp_events", r.Upper2sExpEvents, w.upper2sExp},
				{"lower_3s_exp_events", r.Lower3sExpEvents, w.lower3sExp},
				{"upper_3s_exp_events", r.Upper3sExpEvents, w.upper3sExp},
				{"lower_2s_" + rt, r.Lower2sLimit, l2},
				{"upper_2s_" + rt, r.Upper2sLimit, u2},
				{"lower_3s_" + rt, r.Lower3sLimit, l3},
				{"upper_3s_" + rt, r.Upper3sLimit, u3},
			} {
				checkNum(t, rt+" "+c.name+" at "+strconv.Itoa(int(w.obs)), c.got, c.want, 2e-9, true)
			}
		}
		if got.Statistic != "ratio ("+rt+")" || got.Method != "Poisson" {
			t.Errorf("metadata %q %q", got.Statistic, got.Method)
		}
	}
}

// testFunnels.R: "Significance for ratios calculates correctly". Rows of
// testdata_funnel_ratio_inputs.csv (obs, expected, significance): the
// smallest and largest expected counts, observed counts below 10 (exact
// limits, including 0) and above (Byar's), and every label. Each row is
// judged on its own.
var wantRatioSignificance = []struct {
	row           int
	obs, expected float64
	want          string
}{
	{140, 6, 4.293052052, NotSignificant},
	{142, 85, 67.9184978, NotSignificant},
	{8, 0, 240.6273499, LowP001},
	{174, 27, 26.73002673, NotSignificant},
	{51, 275, 226.4679239, HighP001},
	{3, 159, 232.9329036, LowP001},
	{145, 40, 55.14959327, LowP025},
	{60, 241, 288.6919023, LowP025},
	{169, 74, 52.09066592, HighP025},
	{67, 355, 318.5570711, HighP025},
	{265, 87, 45.27241505, HighP001},
	{58, 893, 706.7669173, HighP001},
}

func TestFunnelSignificanceRatio(t *testing.T) {
	var obs, expected []float64
	for _, r := range wantRatioSignificance {
		obs, expected = append(obs, r.obs), append(expected, r.expected)
	}
	got, err := FunnelSignificance(obs, expected, nil, FunnelOptions{Statistic: "ratio"})
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range wantRatioSignificance {
		if got[i] != r.want {
			t.Errorf("row %d (%v of %v): %q, want %q", r.row, r.obs, r.expected, got[i], r.want)
		}
	}
}

// The package's Events column for rates (testdata_funnel_rate_outputs.csv).
var rateAxis = []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20,
	21, 22, 23, 24, 25, 26, 27, 28, 30, 32, 34, 36, 38, 40, 42, 44, 46, 49, 52, 55, 58, 61, 64,
	68, 72, 76, 80, 84, 89, 94, 99, 104, 110, 116, 122, 129, 136, 143, 151, 159, 168, 177, 187,
	197, 208, 219, 231, 244, 257, 271, 286, 302, 319, 337, 356, 376, 397, 419, 442, 466, 492, 519,
	548, 578, 610, 643, 678, 715, 754, 796, 840, 886, 935, 986, 1040, 1097, 1158, 1222, 1289, 1360}

// Rows of testdata_funnel_rate_outputs.csv by Events: one-year populations
// and limits at 95% (2s) and 99.8% (3s). Baseline is 116.1720835 on every
// row.
var wantRateLimits = []struct {
	events              float64
	lower2sPop, lower2s float64
	upper2sPop, upper2s float64
	lower3sPop, lower3s float64
	upper3sPop, upper3s float64
}{
	{1, 1598.675694, 20.85059119, 7.264481402, 4588.535848, 2649.348525, 12.58170943, 0.287087625, 116108.569},
	{2, 2072.984403, 32.15975314, 69.49732367, 959.2695538, 3221.906682, 20.69168143, 13.02722321, 5117.48863},
	{10, 5276.757672, 63.17010446, 1375.943768, 242.2579623, 6924.776769, 48.13632908, 849.4639547, 392.4043292},
	{28, 11611.44963, 80.38043163, 5338.572981, 174.8282428, 13921.71041, 67.04157073, 4143.443861, 225.2554553},
	{30, 12288.34267, 81.37793899, 5807.727562, 172.1843853, 14657.31486, 68.22532023, 4553.350694, 219.6184891},
	{49, 18587.54012, 87.87248461, 10401.37233, 157.0305612, 21440.7871, 76.17879537, 8659.019991, 188.6279666},
	{99, 34583.45945, 95.42133877, 23087.10848, 142.9369123, 38382.78582, 85.97604186, 20393.92315, 161.8129075},
	{151, 50814.51335, 99.05306578, 36691.61384, 137.1793935, 55367.30719, 90.90803922, 33242.59456, 151.4121686},
	{302, 96998.02794, 103.7821787, 77154.59535, 130.473974, 103195.3143, 97.54964876, 72057.88032, 139.7025089},
	{610, 189485.3592, 107.3082027, 161411.8671, 125.9717374, 198052.0816, 102.6665974, 153943.2733, 132.0832856},
	{1360, 411529.9259, 110.158048, 369759.5622, 122.6021934, 424043.2424, 106.9073359, 358342.3275, 126.5084525},
}

// testFunnels.R: "confidence limits calculate correctly for rates (dsr)".
func TestFunnelLimitsRateDSR(t *testing.T) {
	// Rate limits depend on the data only through the overall rate (total
	// events over total implied population, 100000 × ev / rate) and the
	// largest and smallest implied populations. testdata_funnel_rate_input_funnels.csv
	// has 27157 events over 23376528.318688456, the largest population
	// being 870 events at 79 per 100,000 (1101265.82...), so two areas at
	// the overall rate, one of that population, draw the package's funnel.
	overall := 1e5 * 27157 / 23376528.318688456
	ev := []float64{1101265.8227848101 * overall / 1e5, 10}
	rate := []float64{overall, overall}
	got, err := FunnelLimits(ev, nil, rate,
		FunnelOptions{Statistic: "rate", Multiplier: 1e5, RateType: "dsr", YearsOfData: 3})
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Rows) != len(rateAxis) {
		t.Fatalf("%d rows", len(got.Rows))
	}
	byAxis := map[float64]FunnelLimitRow{}
	for i, r := range got.Rows {
		if r.Axis != rateAxis[i] {
			t.Errorf("row %d: Events %v, want %v", i, r.Axis, rateAxis[i])
		}
		byAxis[r.Axis] = r
	}
	for _, w := range wantRateLimits {
		r, ok := byAxis[w.events]
		if !ok {
			t.Errorf("no row for %v events", w.events)
			continue
		}
		for _, c := range []struct {
			name string
			got  *float64
			want float64
		}{
			{"lower_2s_population_1_year", r.Lower2sPopulation1Year, w.lower2sPop},
			{"upper_2s_population_1_year", r.Upper2sPopulation1Year, w.upper2sPop},
			{"lower_3s_population_1_year", r.Lower3sPopulation1Year, w.lower3sPop},
			{"upper_3s_population_1_year", r.Upper3sPopulation1Year, w.upper3sPop},
			{"lower_2s_limit", r.Lower2sLimit, w.lower2s},
			{"upper_2s_limit", r.Upper2sLimit, w.upper2s},
			{"lower_3s_limit", r.Lower3sLimit, w.lower3s},
			{"upper_3s_limit", r.Upper3sLimit, w.upper3s},
			{"baseline", r.Baseline, 116.1720835},
		} {
			checkNum(t, c.name+" at "+strconv.Itoa(int(w.events)), c.got, c.want, 2e-9, true)
		}
	}
	if got.Statistic != "rate (dsr per 100,000)" || got.Method != "Poisson" {
		t.Errorf("metadata %q %q", got.Statistic, got.Method)
	}
}

// Rows of testdata_funnel_rate_dsr_inputs.csv: count, rate_dsr, pop,
// rate_crude_per_100000, rate_crude_per_100 and the expected labels: dsr
// (the same per 100,000 and per 100, with and without the zero row), crude
// with the zero row and crude without it (each the same per 100,000 and per
// 100). Row 40 has no events and no DSR.
var wantRateSignificance = []struct {
	row                                     int
	count, rateDSR, pop, crude1e5, crude100 float64
	dsr, crudeWith0, crudeWithout0          string
}{
	{6, 2159, 769.6242217, 293578, 735.409329, 0.735409329, HighP001, HighP001, HighP001},
	{7, 2130, 752.3254955, 286718, 742.8902266, 0.742890227, HighP025, HighP001, HighP001},
	{10, 2083, 717.7035916, 297424, 700.3469794, 0.700346979, NotSignificant, HighP025, NotSignificant},
	{11, 2078, 755.8016993, 272628, 762.2107781, 0.762210778, HighP001, HighP001, HighP001},
	{13, 2061, 702.2972468, 294692, 699.3742619, 0.699374262, NotSignificant, HighP025, NotSignificant},
	{14, 2033, 785.6210132, 277710, 732.0586223, 0.732058622, HighP001, HighP001, HighP025},
	{18, 2002, 652.3391553, 290888, 688.2373972, 0.688237397, LowP001, NotSignificant, NotSignificant},
	{24, 1881, 627.1624732, 289653, 649.3977276, 0.649397728, LowP001, NotSignificant, LowP025},
	{25, 1844, 657.1114147, 282519, 652.6994645, 0.652699464, LowP025, NotSignificant, LowP025},
	{30, 1809, 646.7588823, 288384, 627.2886152, 0.627288615, LowP001, LowP025, LowP001},
	{31, 1798, 703.1689982, 287072, 626.3237097, 0.62632371, NotSignificant, LowP025, LowP001},
	{39, 1332, 469.5645784, 281425, 473.3054988, 0.473305499, LowP001, LowP001, LowP001},
	{40, 0, nan, 297820, 0, 0, NotApplicableDSR, LowP001, NotSignificant},
}

// testFunnels.R: the "Significance for rates calculates correctly" cases:
// dsr and crude, per 100,000 and per 100, with and without the zero-count
// row.
func TestFunnelSignificanceRate(t *testing.T) {
	// Each row is judged against the overall rate, total count over total
	// implied population (count / rate × multiplier, or pop where a crude
	// rate has no events). The file's 40 rows hold 75831 events; the sum of
	// count / rate over those with events is 107.57688949237806 (rate_dsr),
	// 110.45483999910171 (rate_crude_per_100000) and 110454.84000041966
	// (rate_crude_per_100). A last row holds the rest: the remaining events
	// at the rate that gives the remaining implied population.
	type column struct {
		name        string
		rate        func(int) float64
		countOnRate float64
	}
	dsr := column{"rate_dsr", func(i int) float64 { return wantRateSignificance[i].rateDSR }, 107.57688949237806}
	crude1e5 := column{"rate_crude_per_100000", func(i int) float64 { return wantRateSignificance[i].crude1e5 }, 110.45483999910171}
	crude100 := column{"rate_crude_per_100", func(i int) float64 { return wantRateSignificance[i].crude100 }, 110454.84000041966}
	cases := []struct {
		wantCol  string
		col      column
		rateType string
		mult     float64
		withZero bool
	}{
		{"dsr_per_100000_with_0", dsr, "dsr", 1e5, true},
		{"dsr_per_100_with_0", dsr, "dsr", 100, true},
		{"dsr_per_100000_without_0", dsr, "dsr", 1e5, false},
		{"dsr_per_100_without_0", dsr, "dsr", 100, false},
		{"crude_per_100000_with_0", crude1e5, "crude", 1e5, true},
		{"crude_per_100_with_0", crude100, "crude", 100, true},
		{"crude_per_100000_without_0", crude1e5, "crude", 1e5, false},
		{"crude_per_100_without_0", crude100, "crude", 100, false},
	}
	for _, c := range cases {
		var n, d, r []float64
		var w []string
		restCount, restCountOnRate := 75831.0, c.col.countOnRate
		for i, row := range wantRateSignificance {
			if row.count > 0 {
				restCount -= row.count
				restCountOnRate -= row.count / c.col.rate(i)
			}
			if !c.withZero && row.count == 0 {
				continue
			}
			want := row.dsr
			if c.rateType == "crude" {
				want = row.crudeWithout0
				if c.withZero {
					want = row.crudeWith0
				}
			}
			n, d, r, w = append(n, row.count), append(d, row.pop), append(r, c.col.rate(i)), append(w, want)
		}
		n, d, r = append(n, restCount), append(d, nan), append(r, restCount/restCountOnRate)
		got, err := FunnelSignificance(n, d, r,
			FunnelOptions{Statistic: "rate", RateType: c.rateType, Multiplier: c.mult})
		if err != nil {
			t.Fatalf("%s: %v", c.wantCol, err)
		}
		for i := range w {
			if got[i] != w[i] {
				t.Errorf("%s (%s) count %v: %q, want %q", c.wantCol, c.col.name, n[i], got[i], w[i])
			}
		}
	}
}

// Rows of testdata_funnel_rate_input_funnels.csv: ev, rate, pop and the
// expected rate_chart and denominator_derived for the dsr case, the crude
// case and the crude case with denominators. In row 23 (988 events, the
// most) the dsr case has 5 events and the case with denominators 0.
var wantFunnelPoints = []struct {
	row                  int
	ev, rate, pop        float64
	dsrChart, dsrDen     float64
	crudeChart, crudeDen float64
	denomChart, denomDen float64
}{
	{1, 414, 184, 5705, 184, 75000, 184, 75000, 184, 45000},
	{6, 937, 125, 6026, 125, 249866.6667, 125, 249866.6667, 125, 149920},
	{12, 13, 70, 9173, 70, 6190.47619, 70, 6190.47619, 70, 3714.285714},
	{16, 602, 65, 9517, 65, 308717.9487, 65, 308717.9487, 65, 185230.7692},
	{19, 90, 55, 9010, 55, 54545.45455, 55, 54545.45455, 55, 32727.27273},
	{23, 988, 167, 6883, nan, nan, 167, 197205.5888, 167, 1376.6},
	{26, 25, 53, 7182, 53, 15723.27044, 53, 15723.27044, 53, 9433.962264},
	{36, 870, 79, 8477, 79, 367088.6076, 79, 367088.6076, 79, 220253.1646},
	{47, 22, 185, 4832, 185, 3963.963964, 185, 3963.963964, 185, 2378.378378},
	{49, 955, 123, 6369, 123, 258807.5881, 123, 258807.5881, 123, 155284.5528},
}

// testFunnels.R: the calculate_funnel_points cases. Each row stands alone.
func TestFunnelPoints(t *testing.T) {
	var ev, dsrEv, zeroEv, rate, pop []float64
	for _, p := range wantFunnelPoints {
		e, de, ze := p.ev, p.ev, p.ev
		if p.row == 23 {
			de, ze = 5, 0
		}
		ev, dsrEv, zeroEv = append(ev, e), append(dsrEv, de), append(zeroEv, ze)
		rate, pop = append(rate, p.rate), append(pop, p.pop)
	}
	cases := []struct {
		name     string
		ev, den  []float64
		rateType string
		years    float64
		want     func(int) (chart, den float64)
	}{
		{"dsr with events less than 10", dsrEv, nil, "dsr", 3,
			func(i int) (float64, float64) { return wantFunnelPoints[i].dsrChart, wantFunnelPoints[i].dsrDen }},
		{"crude", ev, nil, "crude", 3,
			func(i int) (float64, float64) { return wantFunnelPoints[i].crudeChart, wantFunnelPoints[i].crudeDen }},
		{"crude with 0 event record and denominators", zeroEv, pop, "crude", 5,
			func(i int) (float64, float64) { return wantFunnelPoints[i].denomChart, wantFunnelPoints[i].denomDen }},
	}
	for _, c := range cases {
		got, err := FunnelPoints(c.ev, c.den, rate,
			FunnelOptions{RateType: c.rateType, YearsOfData: c.years, Multiplier: 1e5})
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if len(got) != len(wantFunnelPoints) {
			t.Fatalf("%s: %d points", c.name, len(got))
		}
		for i := range got {
			wc, wd := c.want(i)
			at := " at row " + strconv.Itoa(wantFunnelPoints[i].row)
			checkNum(t, c.name+" rate_chart"+at, got[i].RateChart, wc, 1e-9, true)
			checkNum(t, c.name+" denominator_derived"+at, got[i].DenominatorDerived, wd, 2e-9, true)
		}
	}
}

// testFunnels.R error cases.
func TestFunnelErrors(t *testing.T) {
	cases := []struct {
		name           string
		num, den, rate []float64
		o              FunnelOptions
	}{
		{"denominator zero", []float64{65, 80, 30}, []float64{100, 100, 0}, nil, FunnelOptions{Statistic: "proportion", Multiplier: 100}},
		{"numerator negative", []float64{65, -80, 30}, []float64{100, 100, 100}, nil, FunnelOptions{Statistic: "proportion", Multiplier: 100}},
		{"numerator above denominator", []float64{650, 80, 30}, []float64{100, 100, 100}, nil, FunnelOptions{Statistic: "proportion", Multiplier: 100}},
		{"unknown statistic", []float64{65, 80, 30}, []float64{100, 100, 100}, nil, FunnelOptions{Statistic: "pop"}},
		{"rate zero events without denominator", []float64{0, 80}, nil, []float64{0, 5}, FunnelOptions{Statistic: "rate", RateType: "dsr", Multiplier: 1e5}},
	}
	for _, c := range cases {
		if _, err := FunnelSignificance(c.num, c.den, c.rate, c.o); err == nil {
			t.Errorf("%s: no error", c.name)
		}
	}
}
