package spc

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// One Scratch used for series after series, long and short, gives what a
// fresh Compute gives for each, to the bit: nothing is carried over from the
// series before.
func TestScratchMatchesCompute(t *testing.T) {
	r := rand.New(rand.NewPCG(2026, 11))
	var s Scratch
	for i := range 600 {
		// Long and short series in turn, so a long one's leftovers would
		// show in the next.
		n := 1 + r.IntN(150)
		if i%2 == 1 {
			n = 1 + r.IntN(20)
		}
		values := make([]float64, n)
		level := 50.0
		for j := range values {
			switch r.IntN(4) {
			case 0: // ties
				values[j] = float64(r.IntN(3))
			case 1: // a trend
				level += 1
				values[j] = level
			default:
				values[j] = level + r.NormFloat64()*5
			}
		}
		opt := Options{ImprovementDirection: []Direction{Increase, Decrease, Neutral, ""}[r.IntN(4)]}
		if r.IntN(2) == 0 {
			opt.Target = ptr(level + r.NormFloat64()*10)
		}
		if n > 2 && r.IntN(3) == 0 {
			opt.RebaseIndices = []int{1 + r.IntN(n-1)}
		}
		if r.IntN(3) == 0 {
			opt.FixAfterNPoints = ptr(MinFixAfterNPoints + r.IntN(20))
		}
		if r.IntN(3) == 0 {
			opt.ScreenOutliers = ptr(false)
		}
		want, wantErr := Compute(values, opt)
		got, gotErr := s.Compute(values, opt)
		if fmt.Sprint(gotErr) != fmt.Sprint(wantErr) {
			t.Fatalf("series %d: error %v, want %v", i, gotErr, wantErr)
		}
		if g, w := fmt.Sprintf("%#v", got), fmt.Sprintf("%#v", want); g != w {
			t.Fatalf("series %d (%d values, %+v):\n got %s\nwant %s", i, n, opt, g, w)
		}
	}
	// A bad series leaves the Scratch fit for the next.
	if _, err := s.Compute([]float64{1, math.NaN()}, Options{}); err == nil {
		t.Fatal("NaN accepted")
	}
	want, _ := Compute([]float64{1, 2, 3}, Options{})
	if got, _ := s.Compute([]float64{1, 2, 3}, Options{}); fmt.Sprintf("%#v", got) != fmt.Sprintf("%#v", want) {
		t.Errorf("after an error:\n got %#v\nwant %#v", got, want)
	}
}

// BenchmarkScratchCompute is BenchmarkCompute with one Scratch kept, as
// assess keeps one for every series of an indicator.
func BenchmarkScratchCompute(b *testing.B) {
	values := make([]float64, 120)
	for i := range values {
		values[i] = 70 + 5*math.Sin(float64(i)/3) + float64(i%17)/4
		if i >= 60 {
			values[i] += 8
		}
	}
	opt := Options{ImprovementDirection: Increase, Target: ptr(75.0), RebaseIndices: []int{60}, FixAfterNPoints: ptr(24)}
	var s Scratch
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Compute(values, opt); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*len(values))/b.Elapsed().Seconds(), "points/s")
}
