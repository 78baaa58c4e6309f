package phe

import (
	"math"
	"testing"
)

// The data of phe_sii's roxygen example (SII_function.R): two areas, ten
// deciles each.
var siiEx = struct{ pop, val, lcl, ucl, se [2][]float64 }{
	pop: [2][]float64{{7291, 7997, 6105, 7666, 5790, 6934, 5918, 5974, 7147, 7534}, {21675, 20065, 19750, 24713, 20112, 19618, 22408, 19752, 18939, 19312}},
	val: [2][]float64{{75.9, 78.3, 83.8, 83.6, 80.5, 81.1, 81.7, 84.2, 80.6, 86.3}, {70.5, 71.6, 72.5, 73.5, 73.1, 76.2, 78.7, 80.6, 80.9, 80}},
	lcl: [2][]float64{{72.7, 75.3, 80.9, 80.2, 77.1, 78, 79, 81.4, 75.8, 83.2}, {70.1, 71.1, 72, 73.1, 72.7, 75.7, 78.2, 80.1, 80.4, 79.5}},
	ucl: [2][]float64{{79.1, 81.4, 86.8, 87.1, 83.8, 84.2, 84.4, 86.9, 85.4, 89.4}, {71, 72.1, 73.2, 73.7, 75.8, 78.8, 79.8, 81.2, 81.3, 80.9}},
	se:  [2][]float64{{1.64, 1.58, 1.51, 1.78, 1.7, 1.56, 1.37, 1.4, 2.43, 1.57}, {0.23, 0.26, 0.3, 0.16, 0.79, 0.78, 0.4, 0.28, 0.23, 0.35}},
}

// Printed by R 4.2.2: point estimates from lm(yvals ~ sqrt_a + b_sqrt_a - 1)
// exactly as phe_sii fits them, and intervals from a transcription of
// SimulationFunc with set.seed(1) and 100,000 repetitions. want holds sii,
// rii, intercept, sii lower, sii upper, rii lower, rii upper. scale divides
// values and limits (100 turns the example into proportions).
var refSII = []struct {
	area, valueType   int
	transform, useSE  bool
	mult, conf, scale float64
	want              [7]float64
}{
	{1, 0, false, true, 1, 0.95, 1, [7]float64{7.0002347600798958, 1.0897097049119413, 78.032078769529946, 3.1655623854425841, 10.841179729060642, 1.0396856005135877, 1.1422802725421861}},
	{2, 0, false, true, 1, 0.95, 1, [7]float64{12.622738563631648, 1.1820343480014959, 69.342619688059756, 12.016458414259986, 13.236193109646607, 1.1726121974484818, 1.1916236072678483}},
	{1, 0, false, false, 1, 0.95, 1, [7]float64{7.0002347600798958, 1.0897097049119413, 78.032078769529946, 3.1665366616820094, 10.840527045566404, 1.0396270049685457, 1.142270141965761}},
	{2, 0, false, false, 1, 0.998, 1, [7]float64{12.622738563631648, 1.1820343480014959, 69.342619688059756, 11.646204790683228, 13.588930460577131, 1.166964517988575, 1.1971528498263189}},
	{1, 1, false, false, 1, 0.95, 1, [7]float64{7.0002347600798771, 1.0897097049119411, 78.032078769529974, 3.179363821818356, 10.863912288790296, 1.0398039438897841, 1.1424896595034968}},
	{2, 1, false, true, -1, 0.95, 1, [7]float64{-12.622738563631669, 0.84599910458670879, 69.342619688059727, -71.3655658667697, 32.367263420257544, 0.42860652085747097, 1.510187034843796}},
	{1, 1, true, false, 1, 0.95, 1, [7]float64{7.0662410464884147, 1.0905687146706808, 78.020772097541098, 3.1859019329176448, 10.950742136648756, 1.0398736440554983, 1.1437374592556384}},
	{2, 1, true, false, -1, 0.95, 1, [7]float64{-12.607730758205847, 0.84648476168017206, 69.519170103188586, -13.221169865526051, -11.999690191485755, 0.8396651457519172, 0.85330131085062466}},
	{1, 1, true, false, 100, 0.99, 1, [7]float64{706.62410464884147, 1.0905687146706808, 7802.0772097541094, 198.64322920538058, 1219.641835887589, 1.0246791935670143, 1.1613133303510015}},
	{1, 2, false, false, 100, 0.95, 100, [7]float64{7.0002347600798984, 1.0897097049119413, 0.78032078769529956, 3.0024251681068979, 10.800191011192783, 1.0376067668966051, 1.1420311812131221}},
	{2, 2, true, false, 100, 0.95, 100, [7]float64{12.703936058597165, 1.1842701820042401, 68.941897817764414, 12.05859652961465, 13.354619799026468, 1.173955175417533, 1.1947939056704644}},
	{1, 2, true, false, -1, 0.95, 100, [7]float64{-0.068947047441138665, 0.91880312673149034, 0.78018721925824464, -0.10858904563661664, -0.029655018584296644, 0.87450526885001645, 0.96433686841476174}},
	{2, 1, true, false, 0.5, 0.95, 1, [7]float64{6.3038653791029233, 1.1813561746996111, 34.759585051594293, 6.6105849327630253, 5.9998450957428773, 0.8396651457519172, 0.85330131085062466}},
}

func siiCase(area, vt int, transform, useSE bool, mult, conf, scale float64, reps int, seed uint64) (SIIResult, error) {
	div := func(v []float64) []float64 {
		out := make([]float64, len(v))
		for i := range v {
			out[i] = v[i] / scale
		}
		return out
	}
	o := SIIOptions{
		Value: div(siiEx.val[area]), ValueType: vt, Transform: transform, Multiplier: mult,
		Repetitions: reps, Confidence: []float64{conf}, RII: true, Intercept: true, Seed: seed,
	}
	if useSE {
		o.SE = div(siiEx.se[area])
	} else {
		o.LowerCL, o.UpperCL = div(siiEx.lcl[area]), div(siiEx.ucl[area])
	}
	q := []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	return SII(q, siiEx.pop[area], o)
}

// The point estimates are deterministic: exact agreement with R's lm. The
// intervals are simulated with different random numbers from R's, so they
// agree to Monte Carlo error: 3% of the interval's width, about ten
// standard errors at 100,000 repetitions.
func TestSIIMatchesR(t *testing.T) {
	for _, c := range refSII {
		res, err := siiCase(c.area-1, c.valueType, c.transform, c.useSE, c.mult, c.conf, c.scale, 100000, 1)
		if err != nil {
			t.Fatal(err)
		}
		w := c.want
		for j, got := range []*float64{res.SII, res.RII, res.Intercept} {
			if !near(got, w[j], 1e-10) {
				t.Errorf("%+v: estimate %d = %v, R %v", c, j, show(got), w[j])
			}
		}
		si, ri := res.SIIIntervals[0], res.RIIIntervals[0]
		sw, rw := math.Abs(w[4]-w[3]), math.Abs(w[6]-w[5])
		for j, got := range []*float64{si.Lower, si.Upper, ri.Lower, ri.Upper} {
			width := sw
			if j >= 2 {
				width = rw
			}
			if got == nil || math.Abs(*got-w[3+j]) > 0.03*width {
				t.Errorf("%+v: limit %d = %v, R %v (width %v)", c, j, show(got), w[3+j], width)
			}
		}
	}
}

func TestSIIDeterministicAndReliability(t *testing.T) {
	a, _ := siiCase(0, 0, false, true, 1, 0.95, 1, 1000, 7)
	b, _ := siiCase(0, 0, false, true, 1, 0.95, 1, 1000, 7)
	if *a.SIIIntervals[0].Lower != *b.SIIIntervals[0].Lower || *a.RIIIntervals[0].Upper != *b.RIIIntervals[0].Upper {
		t.Error("same seed, different intervals")
	}
	if a.CIMethod != "simulation 1000 reps" || a.IndicatorType != "normal" || a.Transform != "none" {
		t.Errorf("metadata %q %q %q", a.CIMethod, a.IndicatorType, a.Transform)
	}
	o := SIIOptions{Value: siiEx.val[0], SE: siiEx.se[0], Repetitions: 2000, RII: true, ReliabilityStat: true,
		Confidence: []float64{95, 99}}
	res, err := SII([]float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, siiEx.pop[0], o)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Reliability) != 2 || res.Reliability[1].Confidence != 0.99 || !(*res.Reliability[0].SIIMAD > 0) || res.Reliability[0].RIIMAD == nil {
		t.Errorf("reliability %+v", res.Reliability)
	}
	def, _ := siiCase(0, 0, false, true, 1, 0.95, 1, 0, 1)
	if def.CIMethod != "simulation 1e+05 reps" {
		t.Errorf("default repetitions label %q", def.CIMethod)
	}
}

// Argument checks from testSII.R's error section.
func TestSIIErrors(t *testing.T) {
	q := []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	p, v, se := siiEx.pop[0], siiEx.val[0], siiEx.se[0]
	bad := func(name string, q, p []float64, o SIIOptions) {
		t.Helper()
		if _, err := SII(q, p, o); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	bad("no value", q, p, SIIOptions{SE: se})
	bad("no se or limits", q, p, SIIOptions{Value: v})
	bad("value_type 3", q, p, SIIOptions{Value: v, SE: se, ValueType: 3})
	bad("999 repetitions", q, p, SIIOptions{Value: v, SE: se, Repetitions: 999})
	bad("transform normal", q, p, SIIOptions{Value: v, LowerCL: v, UpperCL: v, Transform: true})
	bad("transform with se", q, p, SIIOptions{Value: v, SE: se, ValueType: 1, Transform: true})
	bad("confidence 0.8", q, p, SIIOptions{Value: v, SE: se, Confidence: []float64{0.8}})
	bad("zero population", q, append([]float64{0}, p[1:]...), SIIOptions{Value: v, SE: se})
	bad("negative se", q, p, SIIOptions{Value: v, SE: append([]float64{-1}, se[1:]...)})
	bad("proportion above 1", q, p, SIIOptions{Value: v, SE: se, ValueType: 2})
	bad("four quantiles", q[:4], p[:4], SIIOptions{Value: v[:4], SE: se[:4]})
}
