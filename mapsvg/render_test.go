package mapsvg_test

import (
	"math"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/nhs-accord/accord/mapsvg"
)

// ringSyntax is one ring of a path as Render writes it: absolute commands,
// non-negative coordinates with at most one decimal place, closed with Z.
var ringSyntax = regexp.MustCompile(`^M\d+(\.\d)? \d+(\.\d)?(L\d+(\.\d)? \d+(\.\d)?)*Z$`)

// rings checks that d is well-formed path data inside m's view box and
// returns its rings.
func rings(t testing.TB, m mapsvg.Map, d string) [][]mapsvg.Point {
	t.Helper()
	var out [][]mapsvg.Point
	for _, r := range strings.SplitAfter(d, "Z") {
		if r == "" {
			continue
		}
		if !ringSyntax.MatchString(r) {
			t.Fatalf("ring %.80q is not M…L…Z with 1-decimal coordinates", r)
		}
		fields := strings.FieldsFunc(r, func(c rune) bool { return c == 'M' || c == 'L' || c == 'Z' || c == ' ' })
		var ring []mapsvg.Point
		for i := 0; i < len(fields); i += 2 {
			x, _ := strconv.ParseFloat(fields[i], 64)
			y, _ := strconv.ParseFloat(fields[i+1], 64)
			if x > m.Width || y > m.Height {
				t.Fatalf("point %g,%g outside view box %s", x, y, m.ViewBox())
			}
			ring = append(ring, mapsvg.Point{X: x, Y: y})
		}
		if len(ring) < 3 {
			t.Fatalf("ring %q has %d points, want at least 3", r, len(ring))
		}
		out = append(out, ring)
	}
	return out
}

// area is the signed area of a ring on screen: positive when clockwise.
func area(ring []mapsvg.Point) float64 {
	var s float64
	for i, p := range ring {
		q := ring[(i+1)%len(ring)]
		s += p.X*q.Y - q.X*p.Y
	}
	return s / 2
}

func parse(t testing.TB, in string) []mapsvg.Feature {
	t.Helper()
	features, err := mapsvg.ParseGeoJSON(strings.NewReader(in), "ICB23CD", "ICB23NM")
	if err != nil {
		t.Fatal(err)
	}
	return features
}

func TestRenderSquare(t *testing.T) {
	// One degree square centred on the equator, so cos(mid latitude) is 1:
	// at width 100 the margin is 2 and the square fills the 96 between.
	m := mapsvg.Render(parse(t, collection(feature("E54000001", squareGeometry))), 100, 0.5)
	want := mapsvg.Map{
		Width: 100, Height: 100,
		Shapes: []mapsvg.Shape{{Code: "E54000001", Name: "NHS E54000001 ICB", Path: "M2 2L98 2L98 98L2 98Z"}},
	}
	if !reflect.DeepEqual(m, want) {
		t.Errorf("got  %+v\nwant %+v", m, want)
	}
	if got := m.ViewBox(); got != "0 0 100 100" {
		t.Errorf("ViewBox() = %q, want %q", got, "0 0 100 100")
	}
}

func TestRenderHole(t *testing.T) {
	m := mapsvg.Render(parse(t, collection(feature("E54000001", holeGeometry))), 100, 0)
	if got, want := m.Shapes[0].Path, "M2 2L98 2L98 98L2 98ZM74 74L74 26L26 26L26 74Z"; got != want {
		t.Errorf("path %q, want %q", got, want)
	}
	// Whatever the source's winding, outer and hole wind opposite ways so
	// the nonzero fill rule cuts the hole out.
	rs := rings(t, m, m.Shapes[0].Path)
	if len(rs) != 2 || area(rs[0]) <= 0 || area(rs[1]) >= 0 {
		t.Errorf("rings %v: want a clockwise outer ring and an anticlockwise hole", rs)
	}
}

func TestRenderWindingIndependentOfSource(t *testing.T) {
	clockwise := `{"type":"Polygon","coordinates":[[[0,-0.5],[0,0.5],[1,0.5],[1,-0.5],[0,-0.5]]]}`
	a := mapsvg.Render(parse(t, collection(feature("E54000001", squareGeometry))), 100, 0)
	b := mapsvg.Render(parse(t, collection(feature("E54000001", clockwise))), 100, 0)
	if area(rings(t, a, a.Shapes[0].Path)[0]) <= 0 || area(rings(t, b, b.Shapes[0].Path)[0]) <= 0 {
		t.Errorf("outer rings %q and %q: want both clockwise on screen", a.Shapes[0].Path, b.Shapes[0].Path)
	}
}

func TestRenderMultiPolygon(t *testing.T) {
	// Two unit squares a degree apart near the equator: 3 degrees wide, 1 tall.
	m := mapsvg.Render(parse(t, collection(feature("E54000002", multiGeometry))), 300, 0)
	rs := rings(t, m, m.Shapes[0].Path)
	if len(rs) != 2 {
		t.Fatalf("path %q has %d rings, want 2", m.Shapes[0].Path, len(rs))
	}
	if m.Height < 100 || m.Height > 110 {
		t.Errorf("height %g, want about a third of the width plus margins", m.Height)
	}
}

func TestRenderFitsCollectionAndKeepsOrder(t *testing.T) {
	// Three squares across a wider area: the view box covers them all and
	// shapes come back in the order given, not sorted.
	features := parse(t, collection(
		feature("E54000003", `{"type":"Polygon","coordinates":[[[4,50],[5,50],[5,51],[4,50]]]}`),
		feature("E54000001", `{"type":"Polygon","coordinates":[[[-2,53],[-1,53],[-1,54],[-2,53]]]}`),
		feature("E54000002", `{"type":"Polygon","coordinates":[[[0,52],[1,52],[1,52.5],[0,52]]]}`),
	))
	m := mapsvg.Render(features, 400, 0.5)
	var codes []string
	var minX, minY, maxX, maxY = math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, s := range m.Shapes {
		codes = append(codes, s.Code)
		for _, r := range rings(t, m, s.Path) {
			for _, p := range r {
				minX, maxX = min(minX, p.X), max(maxX, p.X)
				minY, maxY = min(minY, p.Y), max(maxY, p.Y)
			}
		}
	}
	if want := []string{"E54000003", "E54000001", "E54000002"}; !reflect.DeepEqual(codes, want) {
		t.Errorf("codes %v, want %v", codes, want)
	}
	// The margin is 2% of the width on every side (the height is rounded
	// up to the 0.1 grid, so the bottom margin may be a little more).
	if minX != 8 || maxX != 392 || minY != 8 || math.Abs(maxY-(m.Height-8)) > 0.15 {
		t.Errorf("drawing spans %g,%g–%g,%g in %s, want 8,8 to the far margins", minX, minY, maxX, maxY, m.ViewBox())
	}
	// North is up: the northernmost square (E54000001) is nearest the top.
	if first := rings(t, m, m.Shapes[1].Path)[0]; first[0].Y > m.Height/2 {
		t.Errorf("E54000001 starts at y=%g, want it in the top half", first[0].Y)
	}
}

func TestRenderDropsSpecks(t *testing.T) {
	// An island a few metres across next to a large area: at width 100 it
	// is far below a pixel, so it goes, while the mainland stays.
	features := parse(t, collection(
		feature("E54000001", `{"type":"MultiPolygon","coordinates":[
			[[[0,-0.5],[1,-0.5],[1,0.5],[0,0.5],[0,-0.5]]],
			[[[1.5,0],[1.50001,0],[1.50001,0.00001],[1.5,0]]]]}`),
		feature("E54000002", `{"type":"Polygon","coordinates":[[[2,0],[2.00001,0],[2.00001,0.00001],[2,0]]]}`),
	))
	m := mapsvg.Render(features, 100, 0.5)
	if got := len(rings(t, m, m.Shapes[0].Path)); got != 1 {
		t.Errorf("E54000001 has %d rings, want only the mainland", got)
	}
	if m.Shapes[1].Code != "E54000002" || m.Shapes[1].Path != "" {
		t.Errorf("shape %+v, want E54000002 kept in place with an empty path", m.Shapes[1])
	}
}

func TestRenderSimplifies(t *testing.T) {
	// A coastline with a thousand small wiggles: at a coarse tolerance they
	// go; with none they mostly stay.
	var b strings.Builder
	b.WriteString(`{"type":"Polygon","coordinates":[[[0,0]`)
	for i := 1; i < 1000; i++ {
		b.WriteString(",[" + strconv.FormatFloat(float64(i)/1000, 'f', -1, 64) + "," + strconv.Itoa(i%2) + "e-4]")
	}
	b.WriteString(`,[1,0],[1,1],[0,1],[0,0]]]}`)
	features := parse(t, collection(feature("E54000001", b.String())))
	coarse := mapsvg.Render(features, 1000, 1)
	fine := mapsvg.Render(features, 1000, 0)
	if n := len(rings(t, coarse, coarse.Shapes[0].Path)[0]); n != 4 {
		t.Errorf("at tolerance 1: %d points, want the 4 corners", n)
	}
	if n := len(rings(t, fine, fine.Shapes[0].Path)[0]); n < 500 {
		t.Errorf("at tolerance 0: %d points, want most of the wiggles", n)
	}
}

func TestRenderEdgeCases(t *testing.T) {
	square := parse(t, collection(feature("E54000001", squareGeometry)))
	tests := []struct {
		name      string
		features  []mapsvg.Feature
		width     float64
		tolerance float64
		want      mapsvg.Map
	}{
		{"no features", nil, 100, 0.5, mapsvg.Map{Width: 100, Height: 4, Shapes: []mapsvg.Shape{}}},
		{"zero width", square, 0, 0.5, mapsvg.Map{Shapes: []mapsvg.Shape{{Code: "E54000001", Name: "NHS E54000001 ICB"}}}},
		{"negative width", square, -5, 0.5, mapsvg.Map{Shapes: []mapsvg.Shape{{Code: "E54000001", Name: "NHS E54000001 ICB"}}}},
		{"NaN width", square, math.NaN(), 0.5, mapsvg.Map{Shapes: []mapsvg.Shape{{Code: "E54000001", Name: "NHS E54000001 ICB"}}}},
		{"infinite width", square, math.Inf(1), 0.5, mapsvg.Map{Shapes: []mapsvg.Shape{{Code: "E54000001", Name: "NHS E54000001 ICB"}}}},
		{"negative tolerance is none", square, 100, -1, mapsvg.Map{Width: 100, Height: 100,
			Shapes: []mapsvg.Shape{{Code: "E54000001", Name: "NHS E54000001 ICB", Path: "M2 2L98 2L98 98L2 98Z"}}}},
		{"NaN tolerance is none", square, 100, math.NaN(), mapsvg.Map{Width: 100, Height: 100,
			Shapes: []mapsvg.Shape{{Code: "E54000001", Name: "NHS E54000001 ICB", Path: "M2 2L98 2L98 98L2 98Z"}}}},
		{"huge tolerance leaves nothing", square, 100, 1000, mapsvg.Map{Width: 100, Height: 100,
			Shapes: []mapsvg.Shape{{Code: "E54000001", Name: "NHS E54000001 ICB"}}}},
		{
			// Callers may build features by hand; points that are not
			// numbers are skipped, not drawn as "NaN".
			"non-finite points skipped",
			[]mapsvg.Feature{{Code: "X", Polygons: [][][]mapsvg.Point{{{
				{0, -0.5}, {1, -0.5}, {math.NaN(), 0}, {1, 0.5}, {0, 0.5}, {math.Inf(1), 3},
			}}}}},
			100, 0,
			mapsvg.Map{Width: 100, Height: 100, Shapes: []mapsvg.Shape{{Code: "X", Path: "M2 2L98 2L98 98L2 98Z"}}},
		},
		{
			"unclosed ring closed",
			[]mapsvg.Feature{{Code: "X", Polygons: [][][]mapsvg.Point{{{{0, -0.5}, {1, -0.5}, {1, 0.5}, {0, 0.5}}}}}},
			100, 0,
			mapsvg.Map{Width: 100, Height: 100, Shapes: []mapsvg.Shape{{Code: "X", Path: "M2 2L98 2L98 98L2 98Z"}}},
		},
		{
			"polygon without rings skipped",
			[]mapsvg.Feature{{Code: "X", Polygons: [][][]mapsvg.Point{{}, {{{0, -0.5}, {1, -0.5}, {1, 0.5}, {0, 0.5}}}}}},
			100, 0,
			mapsvg.Map{Width: 100, Height: 100, Shapes: []mapsvg.Shape{{Code: "X", Path: "M2 2L98 2L98 98L2 98Z"}}},
		},
		{
			"single point",
			[]mapsvg.Feature{{Code: "X", Polygons: [][][]mapsvg.Point{{{{1, 1}, {1, 1}, {1, 1}, {1, 1}}}}}},
			100, 0,
			mapsvg.Map{Width: 100, Height: 4, Shapes: []mapsvg.Shape{{Code: "X"}}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := mapsvg.Render(tt.features, tt.width, tt.tolerance)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestRenderICBs(t *testing.T) {
	features := parseICBs(t)
	m := mapsvg.Render(features, 600, 0.5)
	if len(m.Shapes) != 42 {
		t.Fatalf("got %d shapes, want 42", len(m.Shapes))
	}
	// England is taller than it is wide.
	if m.Width != 600 || m.Height < 650 || m.Height > 800 {
		t.Errorf("view box %s, want 600 wide and a little taller", m.ViewBox())
	}
	total, points := 0, 0
	for i, s := range m.Shapes {
		if s.Code != features[i].Code || s.Name != features[i].Name {
			t.Errorf("shape %d is %s %q, want %s %q", i, s.Code, s.Name, features[i].Code, features[i].Name)
		}
		if !strings.HasPrefix(s.Path, "M") || !strings.Contains(s.Path, "Z") {
			t.Errorf("shape %d (%s): path %.40q… is not M…Z", i, s.Code, s.Path)
		}
		for _, r := range rings(t, m, s.Path) {
			points += len(r)
		}
		total += len(s.Path)
	}
	t.Logf("42 ICBs at width 600, tolerance 0.5: view box %s, %d points, %d bytes of path data", m.ViewBox(), points, total)
	if total > 150_000 {
		t.Errorf("%d bytes of path data, want under 150 KB", total)
	}

	// Deterministic: the same input gives byte-for-byte the same map.
	if again := mapsvg.Render(features, 600, 0.5); !reflect.DeepEqual(m, again) {
		t.Error("a second Render of the same features differs")
	}
	// Render leaves its input alone.
	if !reflect.DeepEqual(features, parseICBs(t)) {
		t.Error("Render changed its input")
	}
}

func BenchmarkRender(b *testing.B) {
	features := parseICBs(b)
	b.ReportAllocs()
	var m mapsvg.Map
	for b.Loop() {
		m = mapsvg.Render(features, 600, 0.5)
	}
	size := 0
	for _, s := range m.Shapes {
		size += len(s.Path)
	}
	b.ReportMetric(float64(size), "path-bytes")
}
