package peers_test

import (
	"math"
	"reflect"
	"slices"
	"testing"

	"github.com/nhs-accord/accord/stats/peers"
)

func TestStandardise(t *testing.T) {
	in := []peers.Features{
		{Code: "A", Values: []float64{1, 10, 5}},
		{Code: "B", Values: []float64{2, 20, 5}},
		{Code: "C", Values: []float64{3, 60, 5}},
	}
	z := peers.Standardise(in)
	// Column 1: mean 2, sample sd 1. Column 2: mean 30, sd √700. Column 3:
	// no spread, so 0.
	want := [][]float64{{-1, -20 / math.Sqrt(700), 0}, {0, -10 / math.Sqrt(700), 0}, {1, 30 / math.Sqrt(700), 0}}
	for i := range z {
		for j := range z[i].Values {
			if math.Abs(z[i].Values[j]-want[i][j]) > 1e-15 {
				t.Errorf("z[%d][%d] = %v, want %v", i, j, z[i].Values[j], want[i][j])
			}
		}
	}
	if in[0].Values[0] != 1 {
		t.Error("Standardise changed its input")
	}
}

// Four organisations on a line at 0, 1, 3, 6 (one feature, sd √7).
func TestNearestOnALine(t *testing.T) {
	all := []peers.Features{
		{Code: "D", Values: []float64{6}},
		{Code: "A", Values: []float64{0}},
		{Code: "C", Values: []float64{3}},
		{Code: "B", Values: []float64{1}},
	}
	got, err := peers.Nearest(all, []float64{1}, 2)
	if err != nil {
		t.Fatal(err)
	}
	sd := math.Sqrt(7.0) // mean 2.5; squares 6.25 + 2.25 + 0.25 + 12.25 = 21, over 3
	want := map[string][]peers.Peer{
		"A": {{"B", 1 / sd, 1}, {"C", 3 / sd, 2}},
		"B": {{"A", 1 / sd, 1}, {"C", 2 / sd, 2}},
		"C": {{"B", 2 / sd, 1}, {"A", 3 / sd, 2}},
		"D": {{"C", 3 / sd, 1}, {"B", 5 / sd, 2}},
	}
	if len(got) != len(want) {
		t.Fatalf("got %v", got)
	}
	for code, ps := range want {
		for i, p := range ps {
			g := got[code][i]
			if g.Code != p.Code || g.Rank != p.Rank || math.Abs(g.Distance-p.Distance) > 1e-12 {
				t.Errorf("%s peer %d = %+v, want %+v", code, i+1, g, p)
			}
		}
	}
}

// Ties are broken by code, and weights scale squared differences.
func TestNearestTiesAndWeights(t *testing.T) {
	// X is exactly as far from W, Y and Z on feature 1.
	all := []peers.Features{
		{Code: "Z", Values: []float64{1, 0}},
		{Code: "X", Values: []float64{0, 0}},
		{Code: "Y", Values: []float64{-1, 0}},
		{Code: "W", Values: []float64{1, 0}},
	}
	got, err := peers.Nearest(all, []float64{1, 1}, 3)
	if err != nil {
		t.Fatal(err)
	}
	if codes := codesOf(got["X"]); !slices.Equal(codes, []string{"W", "Y", "Z"}) {
		t.Errorf("X's peers %v, want W, Y, Z (ties by code)", codes)
	}
	// Give feature 2 spread and all the weight: feature 1 no longer counts.
	all[0].Values[1], all[2].Values[1] = 5, 1
	got, err = peers.Nearest(all, []float64{0, 1}, 3)
	if err != nil {
		t.Fatal(err)
	}
	if codes := codesOf(got["X"]); !slices.Equal(codes, []string{"W", "Y", "Z"}) {
		t.Errorf("X's peers by feature 2 alone %v, want W (same), Y (1 away), Z (5 away)", codes)
	}
	if got["X"][0].Distance != 0 {
		t.Errorf("W and X are identical on feature 2, distance %v", got["X"][0].Distance)
	}
}

func TestNearestIgnoresInputOrder(t *testing.T) {
	var all []peers.Features
	for i := range 30 {
		x := float64(i)
		all = append(all, peers.Features{Code: string(rune('A'+i/26)) + string(rune('a'+i%26)), Values: []float64{math.Sin(x), math.Cos(3 * x), x * x / 100}})
	}
	w := []float64{1, 0.5, 2}
	a, err := peers.Nearest(all, w, 10)
	if err != nil {
		t.Fatal(err)
	}
	rev := slices.Clone(all)
	slices.Reverse(rev)
	b, err := peers.Nearest(rev, w, 10)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a, b) {
		t.Error("reversing the input changed the peers")
	}
	for code, ps := range a {
		if len(ps) != 10 {
			t.Errorf("%s has %d peers", code, len(ps))
		}
		for i, p := range ps {
			if p.Code == code || p.Rank != i+1 || (i > 0 && p.Distance < ps[i-1].Distance) {
				t.Errorf("%s: bad peer %d %+v", code, i, p)
			}
		}
	}
	// Distance is symmetric.
	for code, ps := range a {
		for _, p := range ps {
			for _, q := range a[p.Code] {
				if q.Code == code && q.Distance != p.Distance {
					t.Errorf("d(%s, %s) = %v but d(%s, %s) = %v", code, p.Code, p.Distance, p.Code, code, q.Distance)
				}
			}
		}
	}
}

func TestNearestRejects(t *testing.T) {
	two := []peers.Features{{Code: "A", Values: []float64{1}}, {Code: "B", Values: []float64{2}}}
	tests := []struct {
		name string
		all  []peers.Features
		w    []float64
		k    int
	}{
		{"one organisation", two[:1], []float64{1}, 1},
		{"k zero", two, []float64{1}, 0},
		{"k as many as the organisations", two, []float64{1}, 2},
		{"no weights", two, nil, 1},
		{"negative weight", two, []float64{-1}, 1},
		{"all weights zero", two, []float64{0}, 1},
		{"NaN weight", two, []float64{math.NaN()}, 1},
		{"feature count differs", []peers.Features{{Code: "A", Values: []float64{1}}, {Code: "B", Values: []float64{2, 3}}}, []float64{1}, 1},
		{"duplicate code", []peers.Features{{Code: "A", Values: []float64{1}}, {Code: "A", Values: []float64{2}}}, []float64{1}, 1},
		{"empty code", []peers.Features{{Code: "", Values: []float64{1}}, {Code: "A", Values: []float64{2}}}, []float64{1}, 1},
		{"NaN feature", []peers.Features{{Code: "A", Values: []float64{math.NaN()}}, {Code: "B", Values: []float64{2}}}, []float64{1}, 1},
	}
	for _, tt := range tests {
		if _, err := peers.Nearest(tt.all, tt.w, tt.k); err == nil {
			t.Errorf("%s: Nearest should fail", tt.name)
		}
	}
}

func TestRecords(t *testing.T) {
	groups := map[string][]peers.Peer{
		"QOP": {{"QWO", 1.07, 1}, {"QRV", 1.6, 2}},
		"QHG": {{"QPM", 1.2, 1}},
	}
	got := peers.Records(groups)
	if len(got) != 3 || got[0].OrgCode != "QHG" || got[1].OrgCode != "QOP" || got[1].PeerCode != "QWO" || got[2].Rank != 2 || got[2].Distance != 1.6 {
		t.Errorf("Records = %+v", got)
	}
}

func codesOf(ps []peers.Peer) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Code)
	}
	return out
}

func BenchmarkNearest42(b *testing.B) {
	var all []peers.Features
	for i := range 42 {
		x := float64(i)
		all = append(all, peers.Features{Code: string(rune('A'+i/26)) + string(rune('a'+i%26)),
			Values: []float64{math.Sin(x), math.Cos(2 * x), math.Sin(3 * x), x, math.Log(1 + x)}})
	}
	w := []float64{1, 0.5, 0.5, 1, 1}
	for b.Loop() {
		if _, err := peers.Nearest(all, w, 10); err != nil {
			b.Fatal(err)
		}
	}
}
