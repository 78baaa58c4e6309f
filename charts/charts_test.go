package charts

import (
	"encoding/xml"
	"io"
	"math"
	"strings"
	"testing"
)

// node is a parsed XML element, enough to check a chart's structure.
type node struct {
	name     string
	attrs    map[string]string
	text     string // character data directly inside
	children []*node
}

// parseSVG decodes a chart with encoding/xml, failing the test on any
// markup that is not well formed, and checks what every chart must have:
// one <svg> root with role="img", a width of 100% and a viewBox, and a
// non-empty <title> and <desc> referenced by aria-labelledby and
// aria-describedby.
func parseSVG(t *testing.T, s string) *node {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(s))
	d.Strict = true
	var root *node
	var stack []*node
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v\n%s", err, s)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			n := &node{name: tok.Name.Local, attrs: map[string]string{}}
			for _, a := range tok.Attr {
				n.attrs[a.Name.Local] = a.Value
			}
			if len(stack) == 0 {
				if root != nil {
					t.Fatalf("more than one root element")
				}
				root = n
			} else {
				p := stack[len(stack)-1]
				p.children = append(p.children, n)
			}
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].text += string(tok)
			}
		}
	}
	if root == nil || root.name != "svg" {
		t.Fatalf("the root is not <svg>: %s", s)
	}
	if root.attrs["role"] != "img" || root.attrs["width"] != "100%" || root.attrs["viewBox"] == "" {
		t.Errorf("svg attributes %v", root.attrs)
	}
	if root.attrs["xmlns"] != "http://www.w3.org/2000/svg" {
		t.Errorf("svg namespace %q", root.attrs["xmlns"])
	}
	if len(root.children) < 2 || root.children[0].name != "title" || root.children[1].name != "desc" {
		t.Fatalf("svg does not start with <title> and <desc>")
	}
	title, desc := root.children[0], root.children[1]
	if strings.TrimSpace(title.text) == "" || strings.TrimSpace(desc.text) == "" {
		t.Errorf("empty title %q or desc %q", title.text, desc.text)
	}
	if title.attrs["id"] == "" || root.attrs["aria-labelledby"] != title.attrs["id"] {
		t.Errorf("aria-labelledby %q does not name the title %q", root.attrs["aria-labelledby"], title.attrs["id"])
	}
	if desc.attrs["id"] == "" || root.attrs["aria-describedby"] != desc.attrs["id"] {
		t.Errorf("aria-describedby %q does not name the desc %q", root.attrs["aria-describedby"], desc.attrs["id"])
	}
	if strings.Contains(s, "NaN") || strings.Contains(s, "Inf") {
		t.Errorf("the chart writes a non-finite number")
	}
	return root
}

// find returns every element under n (n included) that matches.
func (n *node) find(match func(*node) bool) []*node {
	var out []*node
	if match(n) {
		out = append(out, n)
	}
	for _, c := range n.children {
		out = append(out, c.find(match)...)
	}
	return out
}

func (n *node) byClass(class string) []*node {
	return n.find(func(m *node) bool { return strings.Contains(" "+m.attrs["class"]+" ", " "+class+" ") })
}

// points are the markers of a chart, each with its tooltip.
func (n *node) points(t *testing.T) []*node {
	t.Helper()
	g := n.byClass("accord-chart__points")
	if len(g) != 1 {
		t.Fatalf("%d point groups, want 1", len(g))
	}
	return g[0].children
}

// tooltip is the <title> of a marker.
func (n *node) tooltip() string {
	for _, c := range n.children {
		if c.name == "title" {
			return c.text
		}
	}
	return ""
}

func (n *node) desc() string { return n.children[1].text }

func TestNoData(t *testing.T) {
	for name, s := range map[string]string{
		"spc":         SPC(SPCChart{ID: "s", Title: "Empty SPC"}),
		"caterpillar": Caterpillar(CaterpillarChart{ID: "c", Title: "Empty caterpillar", Items: []CaterpillarItem{{Label: "X", Value: math.NaN()}}}),
		"funnel":      Funnel(FunnelChart{ID: "f", Title: "Empty funnel"}),
	} {
		t.Run(name, func(t *testing.T) {
			root := parseSVG(t, s)
			if root.desc() != "There is no data to chart." || !strings.Contains(s, ">There is no data to chart.</text>") {
				t.Errorf("no clear message: %s", s)
			}
		})
	}
}

func TestSafeID(t *testing.T) {
	for in, want := range map[string]string{"": "chart", "spc": "spc", "1x": "chart1x", `a"b<c`: "a-b-c", "é": "chart-"} {
		if got := safeID(in); got != want {
			t.Errorf("safeID(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestNiceTicks(t *testing.T) {
	for _, tc := range []struct {
		lo, hi   float64
		n        int
		want     []float64
		decimals int
	}{
		{68.4, 79.1, 6, []float64{65, 70, 75, 80}, 0},
		{0, 100, 6, []float64{0, 20, 40, 60, 80, 100}, 0},
		{0.12, 0.31, 5, []float64{0.1, 0.15, 0.2, 0.25, 0.3, 0.35}, 2},
		{5, 5, 6, []float64{4.4, 4.6, 4.8, 5, 5.2, 5.4, 5.6}, 1},
		{0, 0, 6, []float64{-1, -0.5, 0, 0.5, 1}, 1},
		{-3, 12, 4, []float64{-5, 0, 5, 10, 15}, 0},
		{0, 52500, 6, []float64{0, 20000, 40000, 60000}, 0},
	} {
		got, d0, d1 := niceTicks(tc.lo, tc.hi, tc.n)
		if len(got.values) != len(tc.want) || got.decimals != tc.decimals || d0 != got.values[0] || d1 != got.values[len(got.values)-1] {
			t.Errorf("niceTicks(%v, %v, %d) = %v (%d decimals), domain %v–%v; want %v (%d)", tc.lo, tc.hi, tc.n, got.values, got.decimals, d0, d1, tc.want, tc.decimals)
			continue
		}
		for i := range got.values {
			if math.Abs(got.values[i]-tc.want[i]) > 1e-9 {
				t.Errorf("niceTicks(%v, %v, %d) = %v, want %v", tc.lo, tc.hi, tc.n, got.values, tc.want)
				break
			}
		}
	}
}

func TestFormatNumber(t *testing.T) {
	for _, tc := range []struct {
		v    float64
		d    int
		want string
	}{
		{1234567, 0, "1,234,567"}, {-1234.5, 1, "-1,234.5"}, {-0.01, 1, "0.0"}, {999, 0, "999"}, {0.25, 2, "0.25"},
	} {
		if got := formatNumber(tc.v, tc.d); got != tc.want {
			t.Errorf("formatNumber(%v, %d) = %q, want %q", tc.v, tc.d, got, tc.want)
		}
	}
	for v, want := range map[float64]string{71.2: "71.2", 71.256: "71.26", 20000: "20,000", 3: "3"} {
		if got := defaultFormat(v); got != want {
			t.Errorf("defaultFormat(%v) = %q, want %q", v, got, want)
		}
	}
	if got := truncate("Bath and North East Somerset, Swindon and Wiltshire", 120, 12); !strings.HasSuffix(got, "…") || textWidth(got, 12) > 120 {
		t.Errorf("truncate gave %q", got)
	}
}
