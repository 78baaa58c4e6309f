package phe

import "testing"

func BenchmarkProportion(b *testing.B) {
	conf := []float64{0.95, 0.998}
	for b.Loop() {
		if _, err := Proportion(27, 106, 100, conf); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRate(b *testing.B) {
	conf := []float64{0.95, 0.998}
	for _, bc := range []struct {
		name string
		x    float64
	}{{"Exact", 7}, {"Byars", 270}} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := Rate(bc.x, 10600, 100000, conf); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkDSR(b *testing.B) {
	conf := []float64{0.95, 0.998}
	for b.Loop() {
		if _, err := DSR(dsrX, dsrN, esp2013, 100000, conf, DSROptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLifeExpectancy(b *testing.B) {
	for b.Loop() {
		if _, err := LifeExpectancy(leDeaths, lePops, leAges, nil, LEOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}
