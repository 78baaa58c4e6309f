package trajectory_test

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/nhs-accord/accord"
	"github.com/nhs-accord/accord/stats/trajectory"
)

// synthetic is y_i = 50 + 0.3·i + e_i over n months, with e an AR(1) process
// e_i = φ·e_{i−1} + u_i scaled so every e_i has standard deviation 2
// (φ = 0 gives independent normal noise: exactly the model the forecast
// assumes).
func synthetic(r *rand.Rand, n int, phi float64) []trajectory.Observation {
	vals := make([]float64, n)
	e := 2 * r.NormFloat64()
	for i := range vals {
		if i > 0 {
			e = phi*e + 2*math.Sqrt(1-phi*phi)*r.NormFloat64()
		}
		vals[i] = 50 + 0.3*float64(i) + e
	}
	return monthly(accord.Month(2015, time.April), vals...)
}

// pooled backtests many seeded series and pools the scores.
func pooled(t *testing.T, series int, phi float64, horizon int) trajectory.BacktestResult {
	t.Helper()
	target := trajectory.Target{Comparator: accord.AtLeast, Value: 70}
	var all trajectory.BacktestResult
	var mae, pit, brier float64
	for seed := range series {
		r := rand.New(rand.NewPCG(uint64(seed), 20260331))
		res, err := trajectory.Backtest(synthetic(r, 120, phi), horizon, target, monthlyOpts)
		if err != nil {
			t.Fatal(err)
		}
		all.Forecasts += res.Forecasts
		all.Covered += res.Covered
		n := float64(res.Forecasts)
		mae, pit, brier = mae+res.MeanAbsError*n, pit+res.MeanPIT*n, brier+res.Brier*n
	}
	n := float64(all.Forecasts)
	all.Coverage = float64(all.Covered) / n
	all.MeanAbsError, all.MeanPIT, all.Brier = mae/n, pit/n, brier/n
	return all
}

// When the series really is a straight line plus independent noise, the
// 80% prediction interval covers about 80% of what happens next, at every
// horizon, and the forecast is unbiased.
func TestBacktestCalibration(t *testing.T) {
	for _, h := range []int{1, 6, 12} {
		res := pooled(t, 40, 0, h)
		t.Logf("independent noise, %2d ahead: %d forecasts, 80%% interval covers %.3f, MAE %.2f, mean PIT %.3f, Brier %.3f",
			h, res.Forecasts, res.Coverage, res.MeanAbsError, res.MeanPIT, res.Brier)
		if res.Coverage < 0.77 || res.Coverage > 0.83 {
			t.Errorf("%d ahead: coverage %.3f, want 0.80 ± 0.03", h, res.Coverage)
		}
		if math.Abs(res.MeanPIT-0.5) > 0.03 {
			t.Errorf("%d ahead: mean PIT %.3f, want 0.5 ± 0.03", h, res.MeanPIT)
		}
	}
}

// The documented weakness: with autocorrelated noise (φ = 0.7, common in
// monthly NHS series) the window mistakes runs for trend and the intervals
// are too narrow.
func TestBacktestAutocorrelation(t *testing.T) {
	iid := pooled(t, 40, 0, 6)
	ar := pooled(t, 40, 0.7, 6)
	t.Logf("AR(1) φ = 0.7, 6 ahead: %d forecasts, 80%% interval covers %.3f, MAE %.2f (independent: %.3f, MAE %.2f)",
		ar.Forecasts, ar.Coverage, ar.MeanAbsError, iid.Coverage, iid.MeanAbsError)
	if ar.Coverage > iid.Coverage-0.05 {
		t.Errorf("autocorrelated coverage %.3f is not clearly below the independent %.3f", ar.Coverage, iid.Coverage)
	}
}

// aeFourHour is the share (%) of A&E attendances (all types) seen within
// four hours each month, April 2016 to March 2019, summed over every
// provider in NHS-R Community's NHSRdatasets::ae_attendances (NHS England
// A&E attendances and emergency admissions; shared data
// ae/nhsrdatasets_ae_attendances_2016_2019.csv): 100 × (1 − breaches /
// attendances). It has the winter dips of the real national series.
var aeFourHour = []float64{
	90.04, 90.28, 90.56, 90.29, 90.98, 90.65, 89.05, 88.38, 86.18, 85.14, 87.53, 90.01,
	90.52, 89.70, 90.73, 90.35, 90.30, 89.67, 89.94, 88.77, 84.99, 85.30, 85.04, 84.62,
	88.57, 90.39, 90.76, 89.32, 89.73, 88.94, 89.01, 87.60, 86.45, 84.35, 84.23, 86.60,
}

// On a real, seasonal series the straight line does worse than on the
// synthetic one: the winter dips are outside its intervals more often than
// one time in five. The test only guards that the backtest runs and reports
// sensible numbers; docs/stats-compare.md quotes them.
func TestBacktestAE(t *testing.T) {
	obs := monthly(accord.Month(2016, time.April), aeFourHour...)
	target := trajectory.Target{Comparator: accord.AtLeast, Value: 88}
	for _, h := range []int{1, 3, 6} {
		res, err := trajectory.Backtest(obs, h, target, monthlyOpts)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("A&E 4-hour, %d ahead: %d forecasts, 80%% interval covers %.2f, MAE %.2f points, mean PIT %.2f, Brier %.3f",
			h, res.Forecasts, res.Coverage, res.MeanAbsError, res.MeanPIT, res.Brier)
		if res.Forecasts != len(aeFourHour)-monthlyOpts.MinPoints-h+1 || res.Coverage <= 0 || res.Coverage > 1 || res.MeanAbsError <= 0 {
			t.Errorf("%d ahead: implausible %+v", h, res)
		}
	}
}

func TestBacktestRejects(t *testing.T) {
	obs := monthly(accord.Month(2016, time.April), aeFourHour[:8]...)
	target := trajectory.Target{Comparator: accord.AtLeast, Value: 88}
	if _, err := trajectory.Backtest(obs, 1, trajectory.Target{Comparator: ">", Value: 88}, monthlyOpts); err == nil {
		t.Error("comparator > should fail")
	}
	if _, err := trajectory.Backtest(obs, 0, target, monthlyOpts); err == nil {
		t.Error("horizon 0 should fail")
	}
	if _, err := trajectory.Backtest(obs, 3, target, monthlyOpts); err == nil {
		t.Error("8 points, 12 needed to fit, leave nothing to score, which should fail")
	}
}

func BenchmarkBacktest(b *testing.B) {
	obs := monthly(accord.Month(2016, time.April), aeFourHour...)
	target := trajectory.Target{Comparator: accord.AtLeast, Value: 88}
	for b.Loop() {
		if _, err := trajectory.Backtest(obs, 3, target, monthlyOpts); err != nil {
			b.Fatal(err)
		}
	}
}
