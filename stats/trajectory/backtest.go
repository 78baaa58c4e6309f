package trajectory

import (
	"errors"
	"fmt"
	"math"

	"github.com/nhs-accord/accord"
)

// BacktestResult says how well the trend forecast would have done on a
// series' own history.
type BacktestResult struct {
	Forecasts    int     // forecasts made
	Covered      int     // actual values inside the prediction interval
	Coverage     float64 // Covered / Forecasts; should be near Options.Level
	MeanAbsError float64 // mean |actual − forecast|
	MeanPIT      float64 // mean of the predictive CDF at the actual value; 0.5 when unbiased
	Brier        float64 // mean (P(meets target) − met)², 0 is perfect, 0.25 a coin toss
}

// Backtest replays the forecast on history. For every cut with at least
// opts.MinPoints observations before it, it fits the trend to the latest
// opts.Window observations before the cut, forecasts the observation
// horizon periods later, and scores that forecast against what happened:
// whether the prediction interval covered it, the absolute error, the
// probability integral transform (PIT), and the Brier score of the
// probability of meeting target.Value under target.Comparator (the
// deadline is not used). Observations are taken to be consecutive periods;
// a gap shifts the forecast's position accordingly.
func Backtest(obs []Observation, horizon int, target Target, opts Options) (BacktestResult, error) {
	if err := opts.validate(); err != nil {
		return BacktestResult{}, err
	}
	if target.Comparator != accord.AtLeast && target.Comparator != accord.AtMost {
		return BacktestResult{}, fmt.Errorf("trajectory: comparator %q must be >= or <=", target.Comparator)
	}
	if horizon < 1 {
		return BacktestResult{}, errors.New("trajectory: horizon must be at least 1")
	}
	series, err := sorted(obs)
	if err != nil {
		return BacktestResult{}, err
	}
	var r BacktestResult
	var absErr, pit, brier float64
	for cut := opts.MinPoints; cut+horizon-1 < len(series); cut++ {
		line, err := fitSeries(series[max(0, cut-opts.Window):cut])
		if err != nil {
			return BacktestResult{}, err
		}
		actual := series[cut+horizon-1]
		x := position(actual.Period)
		lo, hi := line.Interval(x, opts.Level)
		r.Forecasts++
		if actual.Value >= lo && actual.Value <= hi {
			r.Covered++
		}
		absErr += math.Abs(actual.Value - line.At(x))
		pit += line.ProbBelow(x, actual.Value)
		p := line.ProbAbove(x, target.Value)
		if target.Comparator == accord.AtMost {
			p = line.ProbBelow(x, target.Value)
		}
		met := 0.0
		if target.Comparator.Met(actual.Value, target.Value) {
			met = 1
		}
		brier += (p - met) * (p - met)
	}
	if r.Forecasts == 0 {
		return r, errors.New("trajectory: the series is too short to backtest")
	}
	n := float64(r.Forecasts)
	r.Coverage = float64(r.Covered) / n
	r.MeanAbsError, r.MeanPIT, r.Brier = absErr/n, pit/n, brier/n
	return r, nil
}
