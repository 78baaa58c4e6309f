package phe

import (
	"math"
	"testing"
)

// ordered reports whether lower <= value <= upper wherever all three are
// defined (allowing a rounding ulp or two).
func ordered(v *float64, iv Interval) bool {
	if v == nil {
		return true
	}
	eps := 1e-12 * math.Max(1, math.Abs(*v))
	if iv.Lower != nil && *iv.Lower > *v+eps {
		return false
	}
	if iv.Upper != nil && *iv.Upper < *v-eps {
		return false
	}
	return true
}

func fuzzConfidence(c float64) []float64 {
	switch {
	case c < 0:
		return []float64{0.95, 0.998}
	case c == 0:
		return nil
	}
	return []float64{c}
}

func FuzzProportion(f *testing.F) {
	f.Add(27.0, 106.0, 1.0, 0.95)
	f.Add(0.0, 10.0, 100.0, 0.998)
	f.Add(10.0, 10.0, 100.0, 1.0)
	f.Add(5.0, 10.0, 1.0, 99.8)
	f.Add(0.445, 1.0, 1.0, -1.0)
	f.Add(3.0, 1e-300, 1e300, 0.0)
	f.Fuzz(func(t *testing.T, x, n, mult, c float64) {
		e, err := Proportion(x, n, mult, fuzzConfidence(c))
		if err != nil {
			return
		}
		if mult < 0 {
			return // a negative multiplier swaps the limits, as in R
		}
		for _, iv := range e.Intervals {
			if !ordered(e.Value, iv) {
				t.Fatalf("Proportion(%v, %v, %v, %v): %v outside %+v", x, n, mult, c, *e.Value, iv)
			}
		}
	})
}

func FuzzRate(f *testing.F) {
	f.Add(27.0, 106.0, 100000.0, 0.95)
	f.Add(0.0, 1000.0, 100.0, 0.998)
	f.Add(9.0, 10.0, 1.0, 1.0)
	f.Add(10.0, 10.0, 1.0, 95.0)
	f.Add(1e6, 3.0, 1.0, -1.0)
	f.Add(0.5, 3.0, 1.0, 0.0)
	f.Fuzz(func(t *testing.T, x, n, mult, c float64) {
		e, err := Rate(x, n, mult, fuzzConfidence(c))
		if err != nil || mult < 0 {
			return
		}
		for _, iv := range e.Intervals {
			if !ordered(e.Value, iv) {
				t.Fatalf("Rate(%v, %v, %v, %v): %v outside %+v", x, n, mult, c, *e.Value, iv)
			}
		}
	})
}
