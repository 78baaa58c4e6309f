package phe

import (
	"errors"
	"math"
	"testing"
)

func ptr(v float64) *float64 { return &v }

// near compares a result with a reference value: both NA, both the same
// infinity, or within tol relative (absolute near zero).
func near(got *float64, want, tol float64) bool {
	if math.IsNaN(want) {
		return got == nil
	}
	if got == nil {
		return false
	}
	if math.IsInf(want, 0) {
		return *got == want
	}
	return math.Abs(*got-want) <= tol*math.Max(1, math.Abs(want))
}

func show(p *float64) any {
	if p == nil {
		return "NA"
	}
	return *p
}

func one(t *testing.T, e Estimate) Interval {
	t.Helper()
	if len(e.Intervals) != 1 {
		t.Fatalf("%d intervals, want 1", len(e.Intervals))
	}
	return e.Intervals[0]
}

// The esp2013 vector from data-raw/LoadTestdata.R (19 bands, 90+ last).
var esp2013 = []float64{5000, 5500, 5500, 5500, 6000, 6000, 6500, 7000, 7000, 7000, 7000, 6500, 6000, 5500, 5000, 4000, 2500, 1500, 1000}

// Deaths and populations by age band used for DSR and ISR cases; the
// figures are those of the package's life-expectancy example, from age 1.
var (
	dsrX = []float64{17, 9, 4, 8, 20, 15, 24, 33, 50, 71, 100, 163, 263, 304, 536, 872, 1390, 1605, 1936}
	dsrN = []float64{35059, 46974, 48489, 43219, 38561, 46009, 57208, 61435, 55601, 50209, 56416, 46411, 39820, 37978, 37039, 33288, 23306, 11936, 11936}
)

func TestProportionMatchesR(t *testing.T) {
	for _, c := range refProportion {
		e, err := Proportion(c.x, c.n, c.mult, []float64{c.conf})
		if err != nil {
			t.Fatalf("%+v: %v", c, err)
		}
		iv := one(t, e)
		if !near(e.Value, c.value, 1e-13) || !near(iv.Lower, c.lower, 1e-12) || !near(iv.Upper, c.upper, 1e-12) {
			t.Errorf("Proportion(%v, %v, %v, %v) = %v [%v, %v], R gives %v [%v, %v]",
				c.x, c.n, c.mult, c.conf, show(e.Value), show(iv.Lower), show(iv.Upper), c.value, c.lower, c.upper)
		}
		if e.Method != "Wilson" {
			t.Errorf("method %q", e.Method)
		}
	}
}

func TestRateMatchesR(t *testing.T) {
	for _, c := range refRate {
		e, err := Rate(c.x, c.n, c.mult, []float64{c.conf})
		if err != nil {
			t.Fatalf("%+v: %v", c, err)
		}
		iv := one(t, e)
		if !near(e.Value, c.value, 1e-13) || !near(iv.Lower, c.lower, 1e-12) || !near(iv.Upper, c.upper, 1e-12) {
			t.Errorf("Rate(%v, %v, %v, %v) = %v [%v, %v], R gives %v [%v, %v]",
				c.x, c.n, c.mult, c.conf, show(e.Value), show(iv.Lower), show(iv.Upper), c.value, c.lower, c.upper)
		}
		want := "Byars"
		if c.x < 10 {
			want = "Exact"
		}
		if e.Method != want {
			t.Errorf("Rate(%v): method %q, want %q", c.x, e.Method, want)
		}
	}
}

func TestMeanMatchesR(t *testing.T) {
	for _, c := range refMean {
		e, err := Mean(c.values, []float64{c.conf})
		if err != nil {
			t.Fatal(err)
		}
		iv := one(t, e.Estimate)
		if !near(e.Value, c.value, 1e-14) || !near(e.Stdev, c.sd, 1e-13) ||
			!near(iv.Lower, c.lower, 1e-12) || !near(iv.Upper, c.upper, 1e-12) {
			t.Errorf("Mean(%v, %v) = %v sd %v [%v, %v], R gives %v sd %v [%v, %v]", c.values, c.conf,
				show(e.Value), show(e.Stdev), show(iv.Lower), show(iv.Upper), c.value, c.sd, c.lower, c.upper)
		}
	}
}

func TestDSRMatchesR(t *testing.T) {
	xs := map[string][]float64{
		"ex":    dsrX,
		"small": {1, 0, nan, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 2, 1, 1},
		"ten":   {1, 0, nan, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 2, 1, 2},
		"na":    append(append(append([]float64{}, dsrX[:2]...), nan), append(append(append([]float64{}, dsrX[3:6]...), nan), dsrX[7:]...)...),
	}
	for _, c := range refDSR {
		e, err := DSR(xs[c.name], dsrN, esp2013, c.mult, []float64{c.conf}, DSROptions{})
		if err != nil {
			t.Fatal(err)
		}
		iv := one(t, e.Estimate)
		if e.TotalCount != c.count || e.TotalPop != c.pop || !near(e.Value, c.value, 1e-13) ||
			!near(iv.Lower, c.lower, 1e-12) || !near(iv.Upper, c.upper, 1e-12) {
			t.Errorf("DSR %s ×%v at %v = %v/%v %v [%v, %v], R gives %v/%v %v [%v, %v]", c.name, c.mult, c.conf,
				e.TotalCount, e.TotalPop, show(e.Value), show(iv.Lower), show(iv.Upper), c.count, c.pop, c.value, c.lower, c.upper)
		}
		wantStat := "dsr per " + rFormatFixed(c.mult)
		if c.count < 10 {
			wantStat = "dsr NA for total count < 10"
		}
		if e.Statistic != wantStat || e.Method != MethodDobson {
			t.Errorf("DSR %s: statistic %q method %q", c.name, e.Statistic, e.Method)
		}
	}
}

// The non-independent example from calculate_dsr's roxygen: 10% of events
// in people with 3 events, 20% in people with 2, the rest single.
func TestDSRNonIndependentMatchesR(t *testing.T) {
	f1 := []float64{15, 9, 4, 8, 16, 13, 20, 24, 37, 51, 71, 116, 187, 214, 379, 611, 974, 1126, 1358}
	f2 := []float64{1, 0, 0, 0, 2, 1, 2, 3, 5, 7, 10, 16, 26, 30, 53, 87, 139, 160, 193}
	f3 := []float64{0, 0, 0, 0, 0, 0, 0, 1, 1, 2, 3, 5, 8, 10, 17, 29, 46, 53, 64}
	var x, n, sp, freq []float64
	var band []string
	for i := range dsrX {
		for f, people := range [][]float64{f1, f2, f3} {
			x = append(x, people[i])
			n = append(n, dsrN[i])
			sp = append(sp, esp2013[i])
			freq = append(freq, float64(f+1))
			band = append(band, rNumber(float64(i)))
		}
	}
	indep := false
	e, err := DSR(x, n, sp, 100000, []float64{0.95, 0.998},
		DSROptions{IndependentEvents: &indep, EventFreq: freq, AgeBand: band})
	if err != nil {
		t.Fatal(err)
	}
	// The DSR itself equals the independent one: events = Σ freq × people.
	plain, _ := DSR(dsrX, dsrN, esp2013, 100000, nil, DSROptions{})
	if !near(e.Value, *plain.Value, 1e-13) {
		t.Errorf("value %v, independent %v", show(e.Value), show(plain.Value))
	}
	for i, c := range refDSRNonIndependent {
		iv := e.Intervals[i]
		if iv.Confidence != c.conf || !near(e.Value, c.value, 1e-13) || e.TotalCount != c.count ||
			!near(iv.Lower, c.lower, 1e-12) || !near(iv.Upper, c.upper, 1e-12) {
			t.Errorf("non-independent at %v = %v [%v, %v], R gives %v [%v, %v]",
				c.conf, show(e.Value), show(iv.Lower), show(iv.Upper), c.value, c.lower, c.upper)
		}
	}
	if e.Method != MethodDobsonNonIndependent {
		t.Errorf("method %q", e.Method)
	}
	// Wider than the independent interval, as the roxygen example says.
	if !(*e.Intervals[0].Lower < *plain.Intervals[0].Lower && *e.Intervals[0].Upper > *plain.Intervals[0].Upper) {
		t.Error("non-independent interval is not wider")
	}
	// A band whose rows disagree on population is refused.
	n[1] = 1
	if _, err := DSR(x, n, sp, 100000, nil, DSROptions{IndependentEvents: &indep, EventFreq: freq, AgeBand: band}); err == nil {
		t.Error("inconsistent population accepted")
	}
}

func TestISRMatchesR(t *testing.T) {
	ix := []float64{2, 0, 1, nan, 3, 5, 8, 12, 20, 31, 44, 60, 88, 110, 150, 190, 240, 260, 210}
	ixr := []float64{120, 40, 30, 55, 90, 130, 180, 260, 380, 520, 700, 950, 1400, 1900, 2600, 3300, 3900, 3600, 3000}
	inr := []float64{60000, 62000, 61000, 64000, 70000, 72000, 75000, 76000, 74000, 72000, 71000, 68000, 62000, 55000, 48000, 40000, 30000, 20000, 12000}
	for _, c := range refISR {
		x, total := ix, (*float64)(nil)
		if c.total >= 0 {
			x, total = nil, ptr(c.total)
		}
		var e ISREstimate
		var err error
		if c.rate {
			e, err = ISRate(x, total, dsrN, ixr, inr, c.mult, []float64{c.conf})
		} else {
			e, err = ISRatio(x, total, dsrN, ixr, inr, c.mult, []float64{c.conf})
		}
		if err != nil {
			t.Fatal(err)
		}
		iv := one(t, e.Estimate)
		if !near(e.Observed, c.observed, 0) || !near(e.Expected, c.expected, 1e-13) ||
			!near(e.Value, c.value, 1e-13) || !near(iv.Lower, c.lower, 1e-12) || !near(iv.Upper, c.upper, 1e-12) {
			t.Errorf("ISR total=%v rate=%v conf=%v: %v/%v = %v [%v, %v], R gives %v/%v = %v [%v, %v]",
				c.total, c.rate, c.conf, show(e.Observed), show(e.Expected), show(e.Value), show(iv.Lower), show(iv.Upper),
				c.observed, c.expected, c.value, c.lower, c.upper)
		}
		if c.rate && !near(e.RefRate, c.refRate, 1e-13) {
			t.Errorf("ref_rate %v, R gives %v", show(e.RefRate), c.refRate)
		}
	}
}

// Published outputs of the package: the "Introduction to
// PHEindicatormethods" vignette of the 2.1.0 development build prints
// phe_proportion, phe_rate and phe_mean on this data to 7 significant
// figures.
func TestVignetteOutputs(t *testing.T) {
	obs := []float64{27, 22, 80, 53, 37, 84, 89, 85}
	pop := []float64{106, 113, 150, 193, 159, 122, 101, 196}
	prop95 := [][3]float64{
		{0.2547170, 0.1813642, 0.3452262}, {0.1946903, 0.1322333, 0.2772229},
		{0.5333333, 0.4536625, 0.6113395}, {0.2746114, 0.2165053, 0.3415146},
		{0.2327044, 0.1738037, 0.3042162}, {0.6885246, 0.6016542, 0.7638851},
		{0.8811881, 0.8037295, 0.9307128}, {0.4336735, 0.3662266, 0.5036703}}
	prop998pct := [][3]float64{
		{25.47170, 14.81031, 40.18735}, {19.46903, 10.54176, 33.15448},
		{53.33333, 40.92696, 65.34069}, {27.46114, 18.77465, 38.27289},
		{23.27044, 14.61350, 34.95622}, {68.85246, 54.93185, 80.03596},
		{88.11881, 74.76217, 94.88987}, {43.36735, 32.98917, 54.36182}}
	rate95 := [][3]float64{
		{25471.70, 16782.04, 37061.41}, {19469.03, 12196.90, 29477.68},
		{53333.33, 42288.58, 66378.77}, {27461.14, 20568.85, 35920.56},
		{23270.44, 16382.37, 32076.16}, {68852.46, 54917.70, 85245.02},
		{88118.81, 70764.64, 108438.96}, {43367.35, 34639.24, 53625.01}}
	rate998per100 := [][3]float64{
		{25.47170, 12.926737, 44.59202}, {19.46903, 9.074329, 36.05431},
		{53.33333, 36.773690, 74.46881}, {27.46114, 17.249087, 41.24758},
		{23.27044, 13.193195, 37.70884}, {68.85246, 47.933814, 95.39407},
		{88.11881, 62.029689, 120.99575}, {43.36735, 30.260955, 59.97329}}
	check := func(name string, e Estimate, err error, want [3]float64) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		iv := one(t, e)
		for j, got := range []*float64{e.Value, iv.Lower, iv.Upper} {
			if !near(got, want[j], 6e-7) {
				t.Errorf("%s: column %d = %v, vignette prints %v", name, j, show(got), want[j])
			}
		}
	}
	for i := range obs {
		e, err := Proportion(obs[i], pop[i], 1, nil)
		check("phe_proportion", e, err, prop95[i])
		e, err = Proportion(obs[i], pop[i], 100, []float64{99.8})
		check("phe_proportion 99.8 ×100", e, err, prop998pct[i])
		e, err = Rate(obs[i], pop[i], 100000, nil)
		check("phe_rate", e, err, rate95[i])
		e, err = Rate(obs[i], pop[i], 100, []float64{99.8})
		check("phe_rate 99.8 ×100", e, err, rate998per100[i])
	}
	m, err := Mean(obs, nil)
	check("phe_mean", m.Estimate, err, [3]float64{59.625, 36.08058, 83.16942})
	if !near(m.Stdev, 28.16248, 2e-7) || *m.ValueSum != 477 || m.ValueCount != 8 {
		t.Errorf("phe_mean: sd %v sum %v n %v", show(m.Stdev), show(m.ValueSum), m.ValueCount)
	}
	// Grouped by year, 99.8%: printed to 3 significant figures.
	g, _ := Mean(obs[:4], []float64{0.998})
	iv := one(t, g.Estimate)
	if math.Round(*iv.Lower*10)/10 != -90.9 || math.Round(*iv.Upper) != 182 {
		t.Errorf("phe_mean 2015 at 99.8%%: [%v, %v], vignette prints [-90.9, 182]", *iv.Lower, *iv.Upper)
	}
}

// Edge cases the brief asks about, with what the package does.
func TestEdgeCases(t *testing.T) {
	// x = 0 and x = n: Wilson limits stay inside [0, 1].
	e, _ := Proportion(0, 50, 1, nil)
	if iv := one(t, e); *e.Value != 0 || math.Abs(*iv.Lower) > 1e-17 || *iv.Upper <= 0 {
		t.Errorf("x = 0: %v [%v, %v]", *e.Value, *iv.Lower, *iv.Upper)
	}
	e, _ = Proportion(50, 50, 100, nil)
	if iv := one(t, e); *e.Value != 100 || *iv.Upper < 100-1e-12 || *iv.Upper > 100+1e-12 || *iv.Lower >= 100 {
		t.Errorf("x = n: %v [%v, %v]", *e.Value, *iv.Lower, *iv.Upper)
	}
	// Confidence 1: Wilson gives [0, multiplier]; exact rates [0, Inf];
	// Byar's [NA, Inf].
	e, _ = Proportion(5, 50, 100, []float64{1})
	if iv := one(t, e); *iv.Lower != 0 || *iv.Upper != 100 {
		t.Errorf("proportion at confidence 1: [%v, %v]", *iv.Lower, *iv.Upper)
	}
	e, _ = Rate(5, 50, 100, []float64{100})
	if iv := one(t, e); *iv.Lower != 0 || !math.IsInf(*iv.Upper, 1) || iv.Confidence != 1 {
		t.Errorf("exact rate at confidence 1: %+v", iv)
	}
	e, _ = Rate(50, 500, 100, []float64{1})
	if iv := one(t, e); iv.Lower != nil || !math.IsInf(*iv.Upper, 1) {
		t.Errorf("Byar's rate at confidence 1: %v %v", show(iv.Lower), show(iv.Upper))
	}
	// Zero and negative denominators are errors, as in the package.
	for _, f := range []func() error{
		func() error { _, err := Proportion(1, 0, 1, nil); return err },
		func() error { _, err := Proportion(-1, 10, 1, nil); return err },
		func() error { _, err := Proportion(11, 10, 1, nil); return err },
		func() error { _, err := Rate(1, 0, 1, nil); return err },
		func() error { _, err := Rate(-1, 10, 1, nil); return err },
		func() error { _, err := Proportion(1, 10, 1, []float64{0.8}); return err },
		func() error { _, err := Proportion(1, 10, 1, []float64{50}); return err },
		func() error { _, err := Proportion(1, 10, 1, []float64{130}); return err },
		func() error { _, err := Rate(1, 10, 1, []float64{0.95, 0.98}); return err },
		func() error { _, err := Rate(1, 10, 1, []float64{0.95, 0.998, 0.8}); return err },
		func() error { _, err := Rate(1, 10, 1, []float64{95, 99.8}); return err },
		func() error { _, err := Mean([]float64{1, 2}, []float64{0.2}); return err },
		func() error {
			_, err := DSR([]float64{1}, []float64{0}, []float64{1}, 1e5, nil, DSROptions{})
			return err
		},
		func() error {
			_, err := DSR([]float64{1}, []float64{nan}, []float64{1}, 1e5, nil, DSROptions{})
			return err
		},
		func() error {
			_, err := DSR([]float64{1}, []float64{1}, []float64{-1}, 1e5, nil, DSROptions{})
			return err
		},
		func() error {
			_, err := DSR([]float64{1}, []float64{1}, []float64{1}, -1, nil, DSROptions{})
			return err
		},
		func() error {
			f := false
			_, err := DSR([]float64{1}, []float64{1}, []float64{1}, 1e5, nil, DSROptions{IndependentEvents: &f})
			return err
		},
		func() error {
			_, err := ISRatio([]float64{1}, nil, []float64{1, 2}, []float64{1}, []float64{1}, 1, nil)
			return err
		},
	} {
		if err := f(); !errors.Is(err, ErrInvalid) {
			t.Errorf("want an ErrInvalid error, got %v", err)
		}
	}
	// Missing values: NA in, NA out (method NA for a rate).
	e, _ = Proportion(nan, 100, 1, nil)
	if iv := one(t, e); e.Value != nil || iv.Lower != nil || iv.Upper != nil {
		t.Errorf("proportion with NA x: %+v", e)
	}
	e, _ = Rate(nan, 100, 1, nil)
	if iv := one(t, e); e.Value != nil || iv.Lower != nil || e.Method != "" {
		t.Errorf("rate with NA x: %+v", e)
	}
	e, _ = Rate(3, nan, 1, nil)
	if e.Value != nil || e.Method != "Exact" {
		t.Errorf("rate with NA n: %+v", e)
	}
	// confidence = NA: proportions without intervals (phe_proportion's
	// "not requested"); other methods refuse it.
	e, err := Proportion(5, 10, 1, []float64{nan})
	if err != nil || len(e.Intervals) != 0 || e.Method != "" || *e.Value != 0.5 {
		t.Errorf("proportion without CIs: %+v %v", e, err)
	}
	if _, err := Rate(5, 10, 1, []float64{nan}); err == nil {
		t.Error("rate accepted confidence NA")
	}
	// Both levels: labels as the package's two-level columns.
	e, _ = Proportion(5, 10, 1, []float64{0.95, 0.998})
	if len(e.Intervals) != 2 || e.Intervals[0].Confidence != 0.95 || e.Intervals[1].Confidence != 0.998 {
		t.Errorf("two levels: %+v", e.Intervals)
	}
	// Negative lower limits are possible for means and are kept.
	m, _ := Mean([]float64{-1, 1, 3}, []float64{0.998})
	if iv := one(t, m.Estimate); !(*iv.Lower < 0) {
		t.Errorf("mean lower %v", *iv.Lower)
	}
	// One value: no standard deviation, NA limits; a missing value makes
	// everything NA.
	m, _ = Mean([]float64{4}, nil)
	if iv := one(t, m.Estimate); *m.Value != 4 || m.Stdev != nil || iv.Lower != nil {
		t.Errorf("mean of one value: %+v", m)
	}
	m, _ = Mean([]float64{4, nan}, nil)
	if m.Value != nil || m.ValueSum != nil {
		t.Errorf("mean with NA: %+v", m)
	}
	// DSR below 10 events: NA value and limits.
	d, _ := DSR([]float64{3, 6}, []float64{100, 200}, []float64{1, 1}, 1e5, []float64{0.95, 0.998}, DSROptions{})
	if d.Value != nil || d.Intervals[0].Lower != nil || d.Intervals[1].Upper != nil || d.Statistic != "dsr NA for total count < 10" || d.TotalCount != 9 {
		t.Errorf("DSR below 10: %+v", d)
	}
	// ISR with the total missing: NA with NA method.
	r, _ := ISRatio(nil, ptr(nan), []float64{1, 2}, []float64{1, 1}, []float64{10, 10}, 1, nil)
	if r.Value != nil || r.Method != "" {
		t.Errorf("ISR with NA total: %+v", r)
	}
}

func TestStatisticLabels(t *testing.T) {
	cases := []struct {
		got, want string
	}{
		{mustP(Proportion(1, 2, 1, nil)).Statistic, "proportion of 1"},
		{mustP(Proportion(1, 2, 100, nil)).Statistic, "percentage"},
		{mustP(Proportion(1, 2, 1e5, nil)).Statistic, "proportion of 1e+05"},
		{mustP(Rate(1, 2, 1e5, nil)).Statistic, "rate per 100000"},
		{mustP(Rate(1, 2, 1000, nil)).Statistic, "rate per 1000"},
		{rNumber(0.998 * 100), "99.8"},
		{rNumber(95000), "95000"},
		{rNumber(1200000), "1200000"},
		{rNumber(2e6), "2e+06"},
		{rNumber(0.25), "0.25"},
		{rFormatBigMark(1e5), "100,000"},
	}
	for _, c := range cases {
		if c.got != c.want {
			t.Errorf("%q, want %q", c.got, c.want)
		}
	}
}

func mustP(e Estimate, err error) Estimate {
	if err != nil {
		panic(err)
	}
	return e
}
