package charts

import (
	"fmt"
	"html"
	"math"
	"strconv"
	"strings"
)

// canvas writes one <svg> element. Coordinates are in the chart's own
// viewBox units; the element scales to the width of its container.
type canvas struct {
	b    strings.Builder
	id   string
	w, h float64
}

// newCanvas opens the <svg> with its title and description, referenced by
// id so that assistive technology reads them as the image's name and
// description, and paints a white background (the colours' contrast is
// measured against white).
func newCanvas(id string, w, h float64, class, title, desc string) *canvas {
	c := &canvas{id: safeID(id), w: w, h: h}
	fmt.Fprintf(&c.b, `<svg xmlns="http://www.w3.org/2000/svg" class="accord-chart %s" viewBox="0 0 %s %s" width="100%%" role="img" aria-labelledby="%s" aria-describedby="%s" font-size="13" fill="%s">`,
		esc(class), num(w), num(h), c.ref("title"), c.ref("desc"), colourText)
	fmt.Fprintf(&c.b, `<title id="%s">%s</title><desc id="%s">%s</desc>`, c.ref("title"), esc(title), c.ref("desc"), esc(desc))
	fmt.Fprintf(&c.b, `<rect x="0" y="0" width="%s" height="%s" fill="#ffffff"/>`, num(w), num(h))
	return c
}

// ref is an id unique to this chart, for title, desc and clip paths.
func (c *canvas) ref(name string) string { return c.id + "-" + name }

func (c *canvas) raw(s string) { c.b.WriteString(s) }

func (c *canvas) printf(format string, args ...any) { fmt.Fprintf(&c.b, format, args...) }

// line draws a straight line; attrs are extra attributes, already escaped.
func (c *canvas) line(x1, y1, x2, y2 float64, stroke string, width float64, attrs string) {
	c.printf(`<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="%s"%s/>`,
		num(x1), num(y1), num(x2), num(y2), stroke, num(width), attrs)
}

// text writes a label; anchor is start, middle or end; attrs are extra
// attributes, already escaped.
func (c *canvas) text(x, y float64, anchor, s, attrs string) {
	c.printf(`<text x="%s" y="%s" text-anchor="%s"%s>%s</text>`, num(x), num(y), anchor, attrs, esc(s))
}

// polyline draws runs of points, breaking the line at any NaN, so a gap in
// the data is a gap in the line.
func (c *canvas) polyline(xs, ys []float64, stroke string, width float64, attrs string) {
	var run []string
	flush := func() {
		if len(run) > 1 {
			c.printf(`<polyline points="%s" fill="none" stroke="%s" stroke-width="%s" stroke-linejoin="round"%s/>`,
				strings.Join(run, " "), stroke, num(width), attrs)
		}
		run = run[:0]
	}
	for i := range xs {
		if !finite(xs[i]) || !finite(ys[i]) {
			flush()
			continue
		}
		run = append(run, num(xs[i])+","+num(ys[i]))
	}
	flush()
}

func (c *canvas) String() string { return c.b.String() + "</svg>" }

// noData is the chart drawn when there is nothing to chart: still an image
// with a name and a description, saying so.
func noData(id, class, title, message string) string {
	c := newCanvas(id, 800, 120, class, title, message)
	c.printf(`<rect x="1" y="1" width="798" height="118" fill="none" stroke="%s" stroke-width="2"/>`, colourGrid)
	c.text(400, 66, "middle", message, ` font-size="16"`)
	return c.String()
}

// safeID keeps letters, digits, - and _, so an id is a valid XML name
// and needs no escaping; it starts with a letter.
func safeID(id string) string {
	id = strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_':
			return r
		}
		return '-'
	}, id)
	if id == "" || !(id[0] >= 'a' && id[0] <= 'z' || id[0] >= 'A' && id[0] <= 'Z') {
		id = "chart" + id
	}
	return id
}

// esc escapes text for an XML element or attribute value.
func esc(s string) string { return html.EscapeString(s) }

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// num writes a coordinate to 0.1 of a unit, which is finer than any screen
// shows, so the markup stays short and the same for the same input.
func num(v float64) string {
	s := strconv.FormatFloat(math.Round(v*10)/10, 'f', 1, 64)
	s = strings.TrimSuffix(s, ".0")
	if s == "-0" {
		s = "0"
	}
	return s
}

// formatNumber writes v with the given decimal places and thousands
// grouped: 12,345.6.
func formatNumber(v float64, decimals int) string {
	if !finite(v) {
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	s := strconv.FormatFloat(v, 'f', decimals, 64)
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	whole, frac, hasFrac := strings.Cut(s, ".")
	var b strings.Builder
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if hasFrac {
		b.WriteString("." + frac)
	}
	if strings.Trim(b.String(), "0.,") == "" {
		sign = ""
	}
	return sign + b.String()
}

// defaultFormat rounds to 2 decimal places at most, dropping trailing zeros.
func defaultFormat(v float64) string {
	s := formatNumber(v, 2)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s
}

// formatter returns f, or the default when f is nil.
func formatter(f func(float64) string) func(float64) string {
	if f == nil {
		return defaultFormat
	}
	return f
}

// scale maps a domain [d0, d1] onto a range [r0, r1].
type scale struct{ d0, d1, r0, r1 float64 }

func (s scale) at(v float64) float64 {
	if s.d1 == s.d0 {
		return (s.r0 + s.r1) / 2
	}
	return s.r0 + (v-s.d0)/(s.d1-s.d0)*(s.r1-s.r0)
}

// ticks are round values spanning a domain, with the decimals their
// labels need.
type ticks struct {
	values   []float64
	decimals int
}

// niceTicks chooses about n round ticks (steps of 1, 2 or 5
// times a power of ten) covering [lo, hi], and widens the domain to the
// outer ticks.
func niceTicks(lo, hi float64, n int) (t ticks, d0, d1 float64) {
	if !finite(lo) || !finite(hi) {
		lo, hi = 0, 1
	}
	if lo > hi {
		lo, hi = hi, lo
	}
	if hi == lo {
		pad := math.Abs(lo) * 0.1
		if pad == 0 {
			pad = 1
		}
		lo, hi = lo-pad, hi+pad
	}
	raw := (hi - lo) / float64(max(n-1, 1))
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step := 10 * mag
	for _, m := range []float64{1, 2, 5, 10} {
		if m*mag >= raw*(1-1e-9) {
			step = m * mag
			break
		}
	}
	k0 := math.Floor(lo/step + 1e-9)
	k1 := math.Ceil(hi/step - 1e-9)
	t.decimals = decimalsFor(step)
	p := math.Pow(10, float64(t.decimals))
	for k := k0; k <= k1 && len(t.values) <= 100; k++ {
		// Round to the label's decimals so that 3 × 0.05 is 0.15 exactly.
		v := math.Round(k*step*p) / p
		if v == 0 {
			v = 0 // not -0
		}
		t.values = append(t.values, v)
	}
	return t, t.values[0], t.values[len(t.values)-1]
}

// decimalsFor is the number of decimals that writes every multiple of step
// exactly: 0 for 5, 1 for 0.5, 2 for 0.25.
func decimalsFor(step float64) int {
	for d := 0; d < 8; d++ {
		scaled := step * math.Pow(10, float64(d))
		if math.Abs(scaled-math.Round(scaled)) < 1e-6*math.Max(1, scaled) {
			return d
		}
	}
	return 8
}

// textWidth estimates the width of a label in viewBox units at a font
// size: about 0.55 em a character for the NHS.UK fonts (Frutiger, Arial).
func textWidth(s string, size float64) float64 {
	return float64(len([]rune(s))) * size * 0.55
}

// truncate shortens s to fit width at size, ending with an ellipsis.
func truncate(s string, width, size float64) string {
	if textWidth(s, size) <= width {
		return s
	}
	r := []rune(s)
	n := int(width/(size*0.55)) - 1
	if n < 1 {
		return "…"
	}
	return strings.TrimSpace(string(r[:min(n, len(r))])) + "…"
}

// marker shapes, so that colour is never the only difference.
type shape int

const (
	shapeCircle shape = iota
	shapeUp           // triangle pointing up
	shapeDown         // triangle pointing down
	shapeDiamond
	shapeSquare
	shapeRing // hollow circle
)

// marker draws a shape of radius r at (x, y) with an optional tooltip.
func (c *canvas) marker(sh shape, x, y, r float64, colour, tooltip string) {
	var body string
	switch sh {
	case shapeUp:
		body = fmt.Sprintf(`<path d="M%s %sL%s %sL%s %sZ" fill="%s"`, num(x), num(y-r*1.2), num(x+r*1.1), num(y+r*0.8), num(x-r*1.1), num(y+r*0.8), colour)
	case shapeDown:
		body = fmt.Sprintf(`<path d="M%s %sL%s %sL%s %sZ" fill="%s"`, num(x), num(y+r*1.2), num(x+r*1.1), num(y-r*0.8), num(x-r*1.1), num(y-r*0.8), colour)
	case shapeDiamond:
		body = fmt.Sprintf(`<path d="M%s %sL%s %sL%s %sL%s %sZ" fill="%s"`, num(x), num(y-r*1.3), num(x+r*1.3), num(y), num(x), num(y+r*1.3), num(x-r*1.3), num(y), colour)
	case shapeSquare:
		body = fmt.Sprintf(`<rect x="%s" y="%s" width="%s" height="%s" fill="%s"`, num(x-r), num(y-r), num(2*r), num(2*r), colour)
	case shapeRing:
		body = fmt.Sprintf(`<circle cx="%s" cy="%s" r="%s" fill="#ffffff" stroke="%s" stroke-width="2"`, num(x), num(y), num(r*0.85), colour)
	default:
		body = fmt.Sprintf(`<circle cx="%s" cy="%s" r="%s" fill="%s"`, num(x), num(y), num(r), colour)
	}
	if tooltip == "" {
		c.raw(body + "/>")
		return
	}
	c.raw(body + "><title>" + esc(tooltip) + "</title></" + strings.Fields(body[1:])[0] + ">")
}

// legendItem is one entry of a legend: a marker or a line, and its words.
type legendItem struct {
	shape  shape
	colour string
	line   bool   // a line sample rather than a marker
	dash   string // the line's stroke-dasharray, "" for solid
	label  string
}

// legend draws items left to right from (x, y), wrapping at maxX, and
// returns the y of the last row.
func (c *canvas) legend(items []legendItem, x, y, maxX float64) float64 {
	cx := x
	for _, it := range items {
		w := 22 + textWidth(it.label, 13) + 18
		if cx > x && cx+w > maxX {
			cx, y = x, y+22
		}
		if it.line {
			dash := ""
			if it.dash != "" {
				dash = ` stroke-dasharray="` + it.dash + `"`
			}
			c.line(cx, y-4, cx+18, y-4, it.colour, 2, dash)
		} else {
			c.marker(it.shape, cx+9, y-4, 5, it.colour, "")
		}
		c.text(cx+24, y, "start", it.label, "")
		cx += w
	}
	return y
}

// plural writes n and a noun, adding s unless n is 1.
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

// lowerFirst lower-cases the first letter only, so that "Better than
// England" reads "better than England" mid-sentence.
func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}
