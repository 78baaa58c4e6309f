package trajectory_test

import (
	"math"
	"testing"

	"github.com/nhs-accord/accord/stats/trajectory"
)

func close(got, want, tol float64) bool {
	return math.Abs(got-want) <= tol*math.Max(1, math.Abs(want))
}

// Closed forms: df 1 is the Cauchy distribution, df 2 and 4 have algebraic
// CDFs (Abramowitz and Stegun 26.7.3 and 26.7.4).
func TestStudentTCDFClosedForms(t *testing.T) {
	for _, x := range []float64{-1e6, -300, -12.7, -4, -2, -1, -0.5, -1e-9, 0, 1e-9, 0.3, 1, 2.5, 7, 50, 1e5} {
		cauchy := 0.5 + math.Atan(x)/math.Pi
		if got := trajectory.StudentTCDF(x, 1); !close(got, cauchy, 1e-13) {
			t.Errorf("df 1: CDF(%v) = %.16g, want %.16g", x, got, cauchy)
		}
		two := 0.5 + x/(2*math.Sqrt(2+x*x))
		if got := trajectory.StudentTCDF(x, 2); !close(got, two, 1e-13) {
			t.Errorf("df 2: CDF(%v) = %.16g, want %.16g", x, got, two)
		}
		u := x * x / 4
		four := 0.5 + 0.375*x/math.Sqrt(1+u)*(1-u/(3*(1+u)))
		if got := trajectory.StudentTCDF(x, 4); !close(got, four, 1e-13) {
			t.Errorf("df 4: CDF(%v) = %.16g, want %.16g", x, got, four)
		}
		normal := 0.5 * math.Erfc(-x/math.Sqrt2)
		if got := trajectory.StudentTCDF(x, math.Inf(1)); got != normal {
			t.Errorf("df ∞: CDF(%v) = %v, want %v", x, got, normal)
		}
	}
}

func TestStudentTCDFTails(t *testing.T) {
	// Far tails keep relative precision: P(T ≤ −t) for df 1 is atan's tail.
	for _, x := range []float64{1e3, 1e6, 1e9} {
		want := math.Atan(1/x) / math.Pi
		if got := trajectory.StudentTCDF(-x, 1); !close(got/want, 1, 1e-12) {
			t.Errorf("df 1: CDF(%v) = %g, want %g", -x, got, want)
		}
	}
	// Approaches the normal as df grows.
	if got, want := trajectory.StudentTCDF(1.96, 1e7), 0.5*math.Erfc(-1.96/math.Sqrt2); !close(got, want, 1e-7) {
		t.Errorf("df 1e7: CDF(1.96) = %v, want about %v", got, want)
	}
	for _, bad := range [][2]float64{{1, 0}, {1, -2}, {math.NaN(), 3}, {1, math.NaN()}} {
		if got := trajectory.StudentTCDF(bad[0], bad[1]); !math.IsNaN(got) {
			t.Errorf("CDF(%v, df %v) = %v, want NaN", bad[0], bad[1], got)
		}
	}
}

func TestStudentTQuantile(t *testing.T) {
	tests := []struct {
		p, df, want float64
		tol         float64
	}{
		// Closed forms.
		{0.975, 1, math.Tan(math.Pi * 0.475), 1e-12},
		{0.9, 1, math.Tan(math.Pi * 0.4), 1e-12},
		{1e-10, 1, -1 / math.Tan(math.Pi*1e-10), 1e-12}, // tan(π(p−½)) = −cot(πp), without cancellation
		{0.975, 2, 0.95 / math.Sqrt(2*0.975*0.025), 1e-12},
		{0.1, 2, -0.8 / math.Sqrt(2*0.1*0.9), 1e-12},
		// Published table values (t-tables, to the digits printed).
		{0.975, 10, 2.228139, 1e-6},
		{0.95, 5, 2.015048, 1e-6},
		{0.9, 5, 1.475884, 1e-6},
		{0.9, 10, 1.372184, 1e-6},
		{0.995, 30, 2.749996, 1e-6},
		{0.9, 20, 1.325341, 1e-6},
		{0.975, 3, 3.182446, 1e-6},
		{0.5, 7, 0, 0},
		{0.975, math.Inf(1), 1.959964, 1e-6},
	}
	for _, tt := range tests {
		if got := trajectory.StudentTQuantile(tt.p, tt.df); !close(got, tt.want, tt.tol) {
			t.Errorf("Quantile(%v, df %v) = %.12g, want %.12g", tt.p, tt.df, got, tt.want)
		}
	}
	if !math.IsInf(trajectory.StudentTQuantile(0, 5), -1) || !math.IsInf(trajectory.StudentTQuantile(1, 5), 1) {
		t.Error("Quantile(0) and Quantile(1) should be −∞ and +∞")
	}
	if !math.IsNaN(trajectory.StudentTQuantile(1.5, 5)) || !math.IsNaN(trajectory.StudentTQuantile(0.5, 0)) {
		t.Error("Quantile outside its domain should be NaN")
	}
}

func TestStudentTRoundTrip(t *testing.T) {
	for _, df := range []float64{0.5, 1, 1.5, 2, 3, 4, 5, 8, 10, 22, 30, 100, 1000} {
		for _, p := range []float64{1e-12, 1e-6, 0.001, 0.025, 0.1, 0.2, 0.4, 0.5, 0.6, 0.8, 0.9, 0.975, 0.999, 1 - 1e-9} {
			q := trajectory.StudentTQuantile(p, df)
			got := trajectory.StudentTCDF(q, df)
			// Compare in the smaller tail, where the probability has its digits.
			tail, want := got, p
			if p > 0.5 {
				tail, want = 1-got, 1-p
			}
			if !close(tail/want, 1, 1e-9) {
				t.Errorf("df %v: CDF(Quantile(%v)) = %.15g", df, p, got)
			}
			// Symmetry, where 1−p is exact enough to test it.
			if p < 1e-3 || p > 1-1e-3 {
				continue
			}
			if q2 := trajectory.StudentTQuantile(1-p, df); !close(q2, -q, 1e-9) {
				t.Errorf("df %v: Quantile(1−%v) = %v, want %v", df, p, q2, -q)
			}
		}
	}
}

func BenchmarkStudentTQuantile(b *testing.B) {
	for i := 0; b.Loop(); i++ {
		trajectory.StudentTQuantile(0.9, float64(4+i%20))
	}
}

func BenchmarkStudentTCDF(b *testing.B) {
	for i := 0; b.Loop(); i++ {
		trajectory.StudentTCDF(float64(i%50)/10-2.5, 10)
	}
}
