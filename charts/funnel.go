package charts

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"
)

// Band is where a point lies against a funnel's control limits.
type Band string

const (
	Within    Band = "within"      // inside the 95% limits
	Above95   Band = "above_95"    // above the 95% limit, inside the 99.8%
	Above998  Band = "above_99_8"  // above the 99.8% limit
	Below95   Band = "below_95"    // below the 95% limit, inside the 99.8%
	Below998  Band = "below_99_8"  // below the 99.8% limit
	NotBanded Band = "not_applied" // the limits were not applied to this point
)

var bands = []Band{Above998, Above95, Within, Below95, Below998, NotBanded}

// Text is the band in words.
func (b Band) Text() string {
	switch b {
	case Within:
		return "Within the 95% limits"
	case Above95:
		return "Above the 95% limit"
	case Above998:
		return "Above the 99.8% limit"
	case Below95:
		return "Below the 95% limit"
	case Below998:
		return "Below the 99.8% limit"
	}
	return "Not assessed against the limits"
}

func (b Band) colour() string {
	switch b {
	case Above95, Below95:
		return colourOutside95
	case Above998, Below998:
		return colourOutside99
	case Within:
		return colourWithin
	}
	return colourNotCompared
}

func (b Band) shape() shape {
	switch b {
	case Above95, Above998:
		return shapeUp
	case Below95, Below998:
		return shapeDown
	case Within:
		return shapeCircle
	}
	return shapeRing
}

// FunnelPoint is one organisation: its denominator (x) and value (y).
type FunnelPoint struct {
	Label       string // the organisation's short name or code
	Name        string // for the tooltip; Label when empty
	Denominator float64
	Value       float64
	Band        Band // "" is Within
}

// FunnelLimit is the control limits at one denominator; NaN where a limit
// is not defined.
type FunnelLimit struct {
	Denominator        float64
	Lower95, Upper95   float64
	Lower998, Upper998 float64
}

// FunnelChart is values plotted against their denominators, with control
// limits (precomputed, in order of denominator) around a benchmark.
type FunnelChart struct {
	ID     string
	Title  string
	Points []FunnelPoint
	Limits []FunnelLimit
	// Benchmark is the centre line, BenchmarkLabel its name.
	Benchmark      float64
	BenchmarkLabel string
	Noun, Period   string // as for CaterpillarChart
	XLabel, YLabel string
	Format         func(float64) string
}

// The funnel's frame.
const (
	funnelWidth  = 800.0
	funnelHeight = 500.0
	funnelTop    = 92.0
	funnelBottom = 440.0
	funnelRight  = 780.0
)

// Funnel draws a funnel plot: each organisation's value against its
// denominator, the 95% (dashed) and 99.8% (solid) control limits either
// side of the benchmark line, and points coloured and shaped by which
// limits they fall outside, with a legend. Limits are clipped to the plot.
func Funnel(c FunnelChart) string {
	var pts []FunnelPoint
	for _, p := range c.Points {
		if finite(p.Value) && finite(p.Denominator) && p.Denominator >= 0 {
			if p.Band == "" {
				p.Band = Within
			}
			if !slices.Contains(bands, p.Band) {
				p.Band = NotBanded
			}
			pts = append(pts, p)
		}
	}
	if len(pts) == 0 {
		return noData(c.ID, "accord-chart--funnel", c.Title, "There is no data to chart.")
	}
	f := formatter(c.Format)
	bench := cmp.Or(c.BenchmarkLabel, "Benchmark")

	// The axes span the points and the benchmark; the limits are clipped
	// rather than let stretch the value axis where denominators are small.
	xmax, ylo, yhi := 0.0, math.Inf(1), math.Inf(-1)
	for _, p := range pts {
		xmax = math.Max(xmax, p.Denominator)
		ylo, yhi = math.Min(ylo, p.Value), math.Max(yhi, p.Value)
	}
	if finite(c.Benchmark) {
		ylo, yhi = math.Min(ylo, c.Benchmark), math.Max(yhi, c.Benchmark)
	}
	pad := (yhi - ylo) * 0.15
	yt, y0, y1 := niceTicks(ylo-pad, yhi+pad, 6)
	xt, x0, x1 := niceTicks(0, xmax*1.05, 6)
	left := 24.0
	for _, v := range yt.values {
		left = math.Max(left, textWidth(formatNumber(v, yt.decimals), 12)+16)
	}
	xs := scale{x0, x1, left, funnelRight}
	ys := scale{y0, y1, funnelBottom, funnelTop}

	cv := newCanvas(c.ID, funnelWidth, funnelHeight, "accord-chart--funnel", c.Title, funnelDesc(c, pts, f, bench))

	var legend []legendItem
	for _, b := range bands {
		if slices.ContainsFunc(pts, func(p FunnelPoint) bool { return p.Band == b }) {
			legend = append(legend, legendItem{shape: b.shape(), colour: b.colour(), label: b.Text()})
		}
	}
	if finite(c.Benchmark) {
		legend = append(legend, legendItem{line: true, colour: colourBenchmark, label: bench})
	}
	if len(c.Limits) > 0 {
		legend = append(legend,
			legendItem{line: true, colour: colourSecondary, dash: "6 4", label: "95% limits"},
			legendItem{line: true, colour: colourSecondary, label: "99.8% limits"})
	}
	cv.legend(legend, 8, 20, funnelWidth-8)
	if c.YLabel != "" {
		cv.text(8, funnelTop-16, "start", c.YLabel, ` font-weight="bold"`)
	}

	for _, v := range yt.values {
		y := ys.at(v)
		cv.line(left, y, funnelRight, y, colourGrid, 1, "")
		cv.text(left-6, y+4, "end", formatNumber(v, yt.decimals), ` font-size="12"`)
	}
	for _, v := range xt.values {
		x := xs.at(v)
		cv.line(x, funnelBottom, x, funnelBottom+5, colourSecondary, 1, "")
		cv.text(x, funnelBottom+20, "middle", formatNumber(v, xt.decimals), ` font-size="12"`)
	}
	cv.line(left, funnelTop, left, funnelBottom, colourSecondary, 1, "")
	cv.line(left, funnelBottom, funnelRight, funnelBottom, colourSecondary, 1, "")
	if c.XLabel != "" {
		cv.text((left+funnelRight)/2, funnelBottom+44, "middle", c.XLabel, ` font-weight="bold"`)
	}

	// Limits and benchmark, clipped to the plot area.
	cv.printf(`<clipPath id="%s"><rect x="%s" y="%s" width="%s" height="%s"/></clipPath>`,
		cv.ref("clip"), num(left), num(funnelTop), num(funnelRight-left), num(funnelBottom-funnelTop))
	cv.printf(`<g clip-path="url(#%s)">`, cv.ref("clip"))
	if len(c.Limits) > 0 {
		lim := slices.Clone(c.Limits)
		slices.SortStableFunc(lim, func(a, b FunnelLimit) int { return cmp.Compare(a.Denominator, b.Denominator) })
		lx := make([]float64, len(lim))
		for i, l := range lim {
			lx[i] = xs.at(l.Denominator)
		}
		curve := func(get func(FunnelLimit) float64, dash string) {
			ly := make([]float64, len(lim))
			for i, l := range lim {
				ly[i] = math.NaN()
				if v := get(l); finite(v) {
					ly[i] = ys.at(v)
				}
			}
			cv.polyline(lx, ly, colourSecondary, 1.5, dash)
		}
		dashed := ` stroke-dasharray="6 4" class="accord-chart__limit"`
		curve(func(l FunnelLimit) float64 { return l.Lower95 }, dashed)
		curve(func(l FunnelLimit) float64 { return l.Upper95 }, dashed)
		curve(func(l FunnelLimit) float64 { return l.Lower998 }, ` class="accord-chart__limit"`)
		curve(func(l FunnelLimit) float64 { return l.Upper998 }, ` class="accord-chart__limit"`)
	}
	if finite(c.Benchmark) {
		y := ys.at(c.Benchmark)
		cv.line(left, y, funnelRight, y, colourBenchmark, 2, ` class="accord-chart__benchmark"`)
	}
	cv.raw(`</g>`)

	cv.raw(`<g class="accord-chart__points">`)
	for _, p := range pts {
		tip := fmt.Sprintf("%s: %s (denominator %s) – %s", cmp.Or(p.Name, p.Label), f(p.Value), defaultFormat(p.Denominator), p.Band.Text())
		cv.marker(p.Band.shape(), xs.at(p.Denominator), ys.at(p.Value), 5, p.Band.colour(), tip)
	}
	cv.raw(`</g>`)
	return cv.String()
}

// funnelDesc says how many points, the benchmark, and which lie outside
// the limits, by name.
func funnelDesc(c FunnelChart, pts []FunnelPoint, f func(float64) string, bench string) string {
	noun := cmp.Or(c.Noun, "organisation")
	head := plural(len(pts), noun)
	if c.Period != "" {
		head += " in " + c.Period
	}
	s := []string{head + " plotted against their denominators"}
	if finite(c.Benchmark) {
		s = append(s, fmt.Sprintf("%s is %s", bench, f(c.Benchmark)))
	}
	for _, b := range bands {
		var names []string
		for _, p := range pts {
			if p.Band == b {
				names = append(names, cmp.Or(p.Name, p.Label))
			}
		}
		switch {
		case len(names) == 0:
		case b == Within:
			s = append(s, fmt.Sprintf("%d within the 95%% limits", len(names)))
		default:
			s = append(s, fmt.Sprintf("%s %s: %s", plural(len(names), noun), lowerFirst(b.Text()), strings.Join(names, ", ")))
		}
	}
	return strings.Join(s, "; ") + "."
}
