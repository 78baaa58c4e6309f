package mapsvg

import (
	"slices"
	"testing"
)

func pts(xy ...float64) []Point {
	out := make([]Point, 0, len(xy)/2)
	for i := 0; i+1 < len(xy); i += 2 {
		out = append(out, Point{xy[i], xy[i+1]})
	}
	return out
}

func TestDouglasPeucker(t *testing.T) {
	tests := []struct {
		name      string
		line      []Point
		tolerance float64
		want      []Point
	}{
		{"empty", nil, 1, nil},
		{"one point", pts(1, 1), 1, pts(1, 1)},
		{"two points", pts(0, 0, 5, 5), 1, pts(0, 0, 5, 5)},
		{"collinear points go", pts(0, 0, 1, 0, 2, 0, 3, 0, 4, 0), 0.1, pts(0, 0, 4, 0)},
		{"collinear points go even at zero tolerance", pts(0, 0, 1, 1, 2, 2), 0, pts(0, 0, 2, 2)},
		{"wiggle within tolerance goes", pts(0, 0, 1, 0.4, 2, -0.4, 3, 0.3, 4, 0), 0.5, pts(0, 0, 4, 0)},
		{"spike beyond tolerance stays", pts(0, 0, 1, 1.6, 2, 3, 3, 1.4, 4, 0), 0.5, pts(0, 0, 2, 3, 4, 0)},
		{"point exactly at tolerance goes", pts(0, 0, 2, 1, 4, 0), 1, pts(0, 0, 4, 0)},
		{"point just beyond tolerance stays", pts(0, 0, 2, 1.001, 4, 0), 1, pts(0, 0, 2, 1.001, 4, 0)},
		{"zero tolerance keeps every bend", pts(0, 0, 1, 0.01, 2, 0), 0, pts(0, 0, 1, 0.01, 2, 0)},
		{
			// 2,1 is furthest from the chord 0,0–4,0 and stays; then 1,0.8
			// (0.27 from 0,0–2,1) goes and 3,0 (0.45 from 2,1–4,0) stays.
			"recursion on both sides", pts(0, 0, 1, 0.8, 2, 1, 3, 0, 4, 0), 0.3,
			pts(0, 0, 2, 1, 3, 0, 4, 0),
		},
		{
			// Distance is to the segment, not the infinite line: 6,0 lies
			// on the line through 0,0 and 4,0 but 2 beyond its end.
			"overshoot past the chord's end stays", pts(0, 0, 6, 0, 4, 0), 1, pts(0, 0, 6, 0, 4, 0),
		},
		{
			// A closed ring: the chord is a point, so the furthest corner
			// is kept first and the ring survives as a triangle or better.
			"closed square", pts(0, 0, 10, 0, 10, 10, 0, 10, 0, 0), 1,
			pts(0, 0, 10, 0, 10, 10, 0, 10, 0, 0),
		},
		{
			"closed square with a near-collinear vertex", pts(0, 0, 5, 0.1, 10, 0, 10, 10, 0, 10, 0, 0), 0.5,
			pts(0, 0, 10, 0, 10, 10, 0, 10, 0, 0),
		},
		{"tiny closed ring collapses to its ends", pts(0, 0, 0.1, 0, 0.1, 0.1, 0, 0), 1, pts(0, 0, 0, 0)},
		{"ties keep the first furthest point", pts(0, 0, 1, 2, 2, 0, 3, 2, 4, 0), 2.5, pts(0, 0, 4, 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := slices.Clone(tt.line)
			got := douglasPeucker(tt.line, tt.tolerance)
			if !slices.Equal(got, tt.want) {
				t.Errorf("douglasPeucker(%v, %g) = %v, want %v", tt.line, tt.tolerance, got, tt.want)
			}
			if !slices.Equal(tt.line, in) {
				t.Errorf("input changed to %v", tt.line)
			}
		})
	}
}

func TestDouglasPeuckerLongLine(t *testing.T) {
	// A long zig-zag must not blow the stack and must keep every vertex
	// when each bend exceeds the tolerance. (This is the algorithm's
	// quadratic worst case, hence the modest length.)
	line := make([]Point, 5_000)
	for i := range line {
		line[i] = Point{float64(i), float64(i % 2)}
	}
	if got := douglasPeucker(line, 0.4); len(got) != len(line) {
		t.Errorf("kept %d of %d points, want all", len(got), len(line))
	}
	if got := douglasPeucker(line, 1); len(got) != 2 {
		t.Errorf("kept %d points at tolerance 1, want 2", len(got))
	}
}

func TestSegmentDist2(t *testing.T) {
	tests := []struct {
		p, a, b Point
		want    float64
	}{
		{Point{2, 3}, Point{0, 0}, Point{4, 0}, 9},   // above the middle
		{Point{-3, 4}, Point{0, 0}, Point{4, 0}, 25}, // before the start
		{Point{7, 4}, Point{0, 0}, Point{4, 0}, 25},  // past the end
		{Point{3, 4}, Point{0, 0}, Point{0, 0}, 25},  // zero-length segment
		{Point{1, 1}, Point{0, 0}, Point{2, 2}, 0},   // on the segment
	}
	for _, tt := range tests {
		if got := segmentDist2(tt.p, tt.a, tt.b); got != tt.want {
			t.Errorf("segmentDist2(%v, %v, %v) = %g, want %g", tt.p, tt.a, tt.b, got, tt.want)
		}
	}
}
