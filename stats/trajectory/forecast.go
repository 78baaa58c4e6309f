package trajectory

import (
	"errors"
	"math"
)

// Line is an ordinary least squares straight line fitted to points (x, y),
// with what is needed for prediction intervals.
type Line struct {
	N          int     // points fitted
	XMean      float64 // mean of x
	YMean      float64 // mean of y, the line's value at XMean
	Sxx        float64 // Σ(x − x̄)²
	Slope      float64 // change in y per unit of x
	ResidualSE float64 // s = √(Σ residual² / (N − 2))
}

// DF is the residual degrees of freedom, N − 2.
func (l Line) DF() int { return l.N - 2 }

// At is the fitted line's value at x.
func (l Line) At(x float64) float64 { return l.YMean + l.Slope*(x-l.XMean) }

// PredictionSE is the standard error for a new observation at x:
// s·√(1 + 1/N + (x − x̄)²/Sxx). It grows with the distance from the fitted
// points, which is why a forecast far beyond the data is less certain.
func (l Line) PredictionSE(x float64) float64 {
	d := x - l.XMean
	return l.ResidualSE * math.Sqrt(1+1/float64(l.N)+d*d/l.Sxx)
}

// Interval is the two-sided prediction interval at level (0.8 for 80%) for
// a new observation at x: At(x) ± t_{(1+level)/2, N−2} · PredictionSE(x).
func (l Line) Interval(x, level float64) (lower, upper float64) {
	mid := l.At(x)
	half := StudentTQuantile((1+level)/2, float64(l.DF())) * l.PredictionSE(x)
	return mid - half, mid + half
}

// ProbBelow is P(a new observation at x ≤ v): the predictive distribution
// is At(x) plus PredictionSE(x) times a t variable with N−2 degrees of
// freedom. With a perfect fit (ResidualSE 0) it is 0 or 1.
func (l Line) ProbBelow(x, v float64) float64 {
	se, mid := l.PredictionSE(x), l.At(x)
	if se == 0 {
		if v >= mid {
			return 1
		}
		return 0
	}
	return StudentTCDF((v-mid)/se, float64(l.DF()))
}

// ProbAbove is P(a new observation at x ≥ v).
func (l Line) ProbAbove(x, v float64) float64 {
	se, mid := l.PredictionSE(x), l.At(x)
	if se == 0 {
		if mid >= v {
			return 1
		}
		return 0
	}
	return 1 - StudentTCDF((v-mid)/se, float64(l.DF()))
}

// Fit fits y = a + b·x by ordinary least squares. It needs at least three
// points (one residual degree of freedom) and two distinct x values.
func Fit(xs, ys []float64) (Line, error) {
	n := len(xs)
	if n != len(ys) {
		return Line{}, errors.New("trajectory: x and y differ in length")
	}
	if n < 3 {
		return Line{}, errors.New("trajectory: a trend needs at least three points")
	}
	var l Line
	l.N = n
	for i := range xs {
		l.XMean += xs[i]
		l.YMean += ys[i]
	}
	l.XMean /= float64(n)
	l.YMean /= float64(n)
	var sxy float64
	for i := range xs {
		dx := xs[i] - l.XMean
		l.Sxx += dx * dx
		sxy += dx * (ys[i] - l.YMean)
	}
	if l.Sxx == 0 {
		return Line{}, errors.New("trajectory: all points are at the same time")
	}
	l.Slope = sxy / l.Sxx
	var ssr float64
	for i := range xs {
		r := ys[i] - l.At(xs[i])
		ssr += r * r
	}
	l.ResidualSE = math.Sqrt(ssr / float64(n-2))
	return l, nil
}
