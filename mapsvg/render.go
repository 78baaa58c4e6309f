package mapsvg

import (
	"math"
	"slices"
	"strconv"
)

// Shape is one feature drawn. Path is the "d" attribute of an SVG path:
// absolute M, L and Z commands, coordinates to one decimal place, every
// ring closed with Z. Path is empty when the feature is too small to draw
// at the map's size.
type Shape struct {
	Code, Name string
	Path       string
}

// Map is a set of shapes in a coordinate space Width wide and Height tall,
// with the origin at the top left, ready for an <svg> element.
type Map struct {
	Width, Height float64
	Shapes        []Shape
}

// ViewBox is the value of the viewBox attribute for an <svg> showing m.
func (m Map) ViewBox() string {
	b := []byte("0 0 ")
	b = appendNumber(b, m.Width)
	b = append(b, ' ')
	b = appendNumber(b, m.Height)
	return string(b)
}

// marginFraction is the share of the width left blank on every side, so a
// stroke along the edge of the outermost shapes is not clipped.
const marginFraction = 0.02

// Render draws features as a map width units wide, its height following
// from the shape of the area covered. It projects longitude/latitude
// equirectangularly, shrinking longitude by the cosine of the latitude
// midway across the collection (close enough for a country the size of
// England), fits the whole collection inside the margin, and simplifies
// every ring with Douglas–Peucker at tolerance output units. A ring that
// then has fewer than 3 distinct points, or an area below tolerance², is
// dropped, and a polygon whose outer ring is dropped goes with its holes.
//
// There is one Shape per feature, in the order given, so callers can pair
// shapes with their data by index as well as by Code. Render is
// deterministic: the same input always gives the same output. A width
// that is not a positive finite number gives a Map with no size and empty
// paths.
func Render(features []Feature, width, tolerance float64) Map {
	shapes := make([]Shape, len(features))
	for i, f := range features {
		shapes[i] = Shape{Code: f.Code, Name: f.Name}
	}
	if !(width > 0) || math.IsInf(width, 1) {
		return Map{Shapes: shapes}
	}
	if !(tolerance > 0) { // also NaN
		tolerance = 0
	}

	pr := fit(features, width)
	minArea := tolerance * tolerance
	var path []byte
	for i, f := range features {
		path = path[:0]
		for _, rings := range f.Polygons {
			if len(rings) == 0 {
				continue
			}
			outer := pr.ring(rings[0], tolerance, minArea)
			if outer == nil {
				continue
			}
			path = appendRing(path, orient(outer, true))
			for _, hole := range rings[1:] {
				if h := pr.ring(hole, tolerance, minArea); h != nil {
					path = appendRing(path, orient(h, false))
				}
			}
		}
		shapes[i].Path = string(path)
	}
	return Map{Width: width, Height: pr.height, Shapes: shapes}
}

// projection maps longitude/latitude to output units.
type projection struct {
	k                  float64 // cos(mid latitude): how much a degree of longitude shrinks
	minX, minY         float64 // top-left of the collection, in projected degrees
	scale, margin      float64 // output units per projected degree; blank border
	maxX, maxY, height float64 // largest coordinate that stays on the 0.1 grid inside the view box; its height
}

// fit chooses the projection that puts every finite point of features
// inside a width-wide view box.
func fit(features []Feature, width float64) projection {
	minLon, maxLon := math.Inf(1), math.Inf(-1)
	minLat, maxLat := math.Inf(1), math.Inf(-1)
	for _, f := range features {
		for _, rings := range f.Polygons {
			for _, ring := range rings {
				for _, p := range ring {
					if !finite(p) {
						continue
					}
					minLon, maxLon = min(minLon, p.X), max(maxLon, p.X)
					minLat, maxLat = min(minLat, p.Y), max(maxLat, p.Y)
				}
			}
		}
	}
	pr := projection{margin: width * marginFraction}
	inner := width - 2*pr.margin
	if minLon <= maxLon { // at least one point
		pr.k = math.Abs(math.Cos((minLat + maxLat) / 2 * math.Pi / 180))
		pr.minX, pr.minY = minLon*pr.k, -maxLat // y is flipped: north is up
		spanX, spanY := (maxLon-minLon)*pr.k, maxLat-minLat
		switch {
		case spanX > 0:
			pr.scale = inner / spanX
		case spanY > 0: // a north–south line: draw it as tall as the map is wide
			pr.scale = inner / spanY
		}
		if math.IsInf(pr.scale, 0) || math.IsNaN(pr.scale) {
			pr.scale = 0
		}
		pr.height = spanY*pr.scale + 2*pr.margin
	} else {
		pr.height = 2 * pr.margin
	}
	pr.height = math.Ceil(pr.height*10) / 10
	pr.maxX = math.Floor(width*10) / 10
	pr.maxY = pr.height
	return pr
}

func (pr projection) project(p Point) Point {
	return Point{
		X: pr.margin + (p.X*pr.k-pr.minX)*pr.scale,
		Y: pr.margin + (-p.Y-pr.minY)*pr.scale,
	}
}

// ring projects, simplifies and snaps one ring to the output grid of 0.1
// units. It returns the ring without its closing point, or nil if too
// little of it is left to draw.
func (pr projection) ring(ring []Point, tolerance, minArea float64) []Point {
	pts := make([]Point, 0, len(ring)+1)
	for _, p := range ring {
		// Checked after projecting too: wild input can overflow to ±Inf.
		if q := pr.project(p); finite(p) && finite(q) {
			pts = append(pts, q)
		}
	}
	if len(pts) > 1 && pts[0] == pts[len(pts)-1] {
		pts = pts[:len(pts)-1]
	}
	if len(pts) < 3 {
		return nil
	}
	// Simplify as a closed line, so the closing edge is judged too.
	pts = douglasPeucker(append(pts, pts[0]), tolerance)
	pts = pts[:len(pts)-1]

	out := pts[:0]
	for _, p := range pts {
		q := Point{X: min(snap(p.X), pr.maxX), Y: min(snap(p.Y), pr.maxY)}
		if len(out) == 0 || q != out[len(out)-1] {
			out = append(out, q)
		}
	}
	for len(out) > 1 && out[0] == out[len(out)-1] {
		out = out[:len(out)-1]
	}
	if len(out) < 3 {
		return nil
	}
	if a := math.Abs(signedArea(out)); a == 0 || a < minArea {
		return nil
	}
	return out
}

// orient winds an outer ring clockwise on screen and a hole anticlockwise,
// so holes are cut out under SVG's default nonzero fill rule whatever the
// winding of the source file.
func orient(ring []Point, outer bool) []Point {
	if (signedArea(ring) > 0) != outer {
		slices.Reverse(ring)
	}
	return ring
}

// signedArea is the shoelace area of an unclosed ring: positive when the
// ring runs clockwise on screen (y pointing down).
func signedArea(ring []Point) float64 {
	var s float64
	for i, p := range ring {
		q := ring[(i+1)%len(ring)]
		s += p.X*q.Y - q.X*p.Y
	}
	return s / 2
}

func appendRing(b []byte, ring []Point) []byte {
	for i, p := range ring {
		if i == 0 {
			b = append(b, 'M')
		} else {
			b = append(b, 'L')
		}
		b = appendNumber(b, p.X)
		b = append(b, ' ')
		b = appendNumber(b, p.Y)
	}
	return append(b, 'Z')
}

// appendNumber writes v in the shortest form that reads back as v; v is
// already on the 0.1 grid, so that is at most one decimal place.
func appendNumber(b []byte, v float64) []byte {
	if v == 0 {
		v = 0 // no "-0"
	}
	return strconv.AppendFloat(b, v, 'f', -1, 64)
}

// snap rounds v to the output grid of 0.1 units.
func snap(v float64) float64 { return math.Round(v*10) / 10 }

func finite(p Point) bool {
	return !math.IsNaN(p.X) && !math.IsInf(p.X, 0) && !math.IsNaN(p.Y) && !math.IsInf(p.Y, 0)
}
