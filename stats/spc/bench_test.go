package spc

import (
	"math"
	"testing"
)

// BenchmarkCompute runs a 120-point series (ten years of months) with a
// rebase, a baseline fixed after 12 points and a target.
func BenchmarkCompute(b *testing.B) {
	values := make([]float64, 120)
	for i := range values {
		// A deterministic series with seasonality, a step and some trends.
		values[i] = 70 + 5*math.Sin(float64(i)/3) + float64(i%17)/4
		if i >= 60 {
			values[i] += 8
		}
	}
	opt := Options{
		ImprovementDirection: Increase,
		Target:               ptr(75.0),
		RebaseIndices:        []int{60},
		FixAfterNPoints:      ptr(24),
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Compute(values, opt); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*len(values))/b.Elapsed().Seconds(), "points/s")
}
