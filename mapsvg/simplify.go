package mapsvg

// douglasPeucker simplifies a line with the Douglas–Peucker algorithm: it
// keeps the first and last points and, between any two kept points, the
// point furthest from the segment joining them if that is more than
// tolerance away, until no point is. The result is a new slice; line is not
// changed. A closed ring may be passed with its first point repeated at the
// end; the distance to a zero-length segment is the distance to its point.
//
// It works from an explicit stack rather than by recursion, so a long
// boundary cannot exhaust the goroutine stack, and it breaks ties by taking
// the first furthest point, so the result is deterministic.
func douglasPeucker(line []Point, tolerance float64) []Point {
	if len(line) < 3 {
		return append([]Point(nil), line...)
	}
	tol2 := tolerance * tolerance
	keep := make([]bool, len(line))
	keep[0], keep[len(line)-1] = true, true
	type span struct{ first, last int }
	stack := []span{{0, len(line) - 1}}
	for len(stack) > 0 {
		s := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		furthest, max2 := -1, -1.0
		for i := s.first + 1; i < s.last; i++ {
			if d2 := segmentDist2(line[i], line[s.first], line[s.last]); d2 > max2 {
				furthest, max2 = i, d2
			}
		}
		if furthest >= 0 && max2 > tol2 {
			keep[furthest] = true
			stack = append(stack, span{s.first, furthest}, span{furthest, s.last})
		}
	}
	out := make([]Point, 0, len(line))
	for i, p := range line {
		if keep[i] {
			out = append(out, p)
		}
	}
	return out
}

// segmentDist2 is the squared distance from p to the segment a–b.
func segmentDist2(p, a, b Point) float64 {
	dx, dy := b.X-a.X, b.Y-a.Y
	px, py := p.X-a.X, p.Y-a.Y
	if l2 := dx*dx + dy*dy; l2 > 0 {
		t := (px*dx + py*dy) / l2
		switch {
		case t >= 1:
			px, py = p.X-b.X, p.Y-b.Y
		case t > 0:
			px, py = px-t*dx, py-t*dy
		}
	}
	return px*px + py*py
}
