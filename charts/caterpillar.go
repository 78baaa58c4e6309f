package charts

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"
)

// Comparison is how an organisation's value compares with the benchmark,
// in the words of package stats/compare: better, similar, worse, higher or
// lower (no polarity), not_compared.
type Comparison string

const (
	Better      Comparison = "better"
	Similar     Comparison = "similar"
	Worse       Comparison = "worse"
	Higher      Comparison = "higher"
	Lower       Comparison = "lower"
	NotCompared Comparison = "not_compared"
)

// comparisons lists the kinds in legend order; anything else is drawn as
// not compared.
var comparisons = []Comparison{Better, Similar, Worse, Higher, Lower, NotCompared}

// Text is the comparison in words, against a benchmark such as "England".
func (c Comparison) Text(benchmark string) string {
	switch c {
	case Better:
		return "Better than " + benchmark
	case Similar:
		return "Similar to " + benchmark
	case Worse:
		return "Worse than " + benchmark
	case Higher:
		return "Higher than " + benchmark
	case Lower:
		return "Lower than " + benchmark
	}
	return "Not compared"
}

func (c Comparison) colour() string {
	switch c {
	case Better:
		return colourBetter
	case Similar:
		return colourSimilar
	case Worse:
		return colourWorse
	case Higher:
		return colourHigher
	case Lower:
		return colourLower
	}
	return colourNotCompared
}

// shape: up for better or higher, down for worse or lower, a disc for
// similar and a ring for not compared.
func (c Comparison) shape() shape {
	switch c {
	case Better, Higher:
		return shapeUp
	case Worse, Lower:
		return shapeDown
	case Similar:
		return shapeCircle
	}
	return shapeRing
}

func (c Comparison) known() Comparison {
	if slices.Contains(comparisons, c) {
		return c
	}
	return NotCompared
}

// CaterpillarItem is one organisation: its value and interval.
type CaterpillarItem struct {
	Label string // on the axis: an ODS code or a short name
	Name  string // in the point's tooltip; Label when empty
	Value float64
	// Lower and Upper bound the interval; NaN for none.
	Lower, Upper float64
	Comparison   Comparison
}

// CaterpillarChart is organisations ranked by value against a benchmark.
type CaterpillarChart struct {
	ID    string
	Title string
	Items []CaterpillarItem // in any order: the chart sorts them
	// Benchmark is the value compared with (England's), NaN for none;
	// BenchmarkLabel names it ("England").
	Benchmark      float64
	BenchmarkLabel string
	// Noun names the items in the description ("ICB"); "organisation"
	// when empty. Period says when ("May 2025"), optional.
	Noun, Period string
	// Level is the intervals' confidence in percent (95), for the legend
	// and description; 0 leaves it unsaid.
	Level  float64
	XLabel string // the value axis ("Percentage")
	Format func(float64) string
}

// The caterpillar's frame.
const (
	catWidth  = 800.0
	catRow    = 16.0
	catTop    = 84.0 // legend and benchmark label above the rows
	catBottom = 52.0 // tick labels and axis title below
	catRight  = 780.0
)

// Caterpillar draws organisations sorted by value, highest at the top, each
// a marker with its interval as a bar, against a vertical benchmark line;
// markers are coloured and shaped by comparison with the benchmark, with a
// legend. Items without a finite value are left out and counted in the
// description.
func Caterpillar(c CaterpillarChart) string {
	var items []CaterpillarItem
	for _, it := range c.Items {
		if finite(it.Value) {
			it.Comparison = it.Comparison.known()
			items = append(items, it)
		}
	}
	if len(items) == 0 {
		return noData(c.ID, "accord-chart--caterpillar", c.Title, "There is no data to chart.")
	}
	slices.SortStableFunc(items, func(a, b CaterpillarItem) int {
		return cmp.Or(cmp.Compare(b.Value, a.Value), strings.Compare(a.Label, b.Label))
	})
	f := formatter(c.Format)
	bench := cmp.Or(c.BenchmarkLabel, "the benchmark")

	lo, hi := math.Inf(1), math.Inf(-1)
	for _, it := range items {
		for _, v := range []float64{it.Value, it.Lower, it.Upper} {
			if finite(v) {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
	}
	if finite(c.Benchmark) {
		lo, hi = math.Min(lo, c.Benchmark), math.Max(hi, c.Benchmark)
	}
	xt, d0, d1 := niceTicks(lo, hi, 7)

	// Labels take the room they need, up to a third of the width.
	left := 40.0
	for _, it := range items {
		left = math.Max(left, textWidth(it.Label, 12)+14)
	}
	left = math.Min(left, catWidth/3)
	height := catTop + float64(len(items))*catRow + catBottom
	xs := scale{d0, d1, left + 8, catRight}
	bottom := catTop + float64(len(items))*catRow

	cv := newCanvas(c.ID, catWidth, height, "accord-chart--caterpillar", c.Title, caterpillarDesc(c, items, f, bench))

	// Legend: the comparisons shown, the interval and the benchmark.
	var legend []legendItem
	for _, k := range comparisons {
		if slices.ContainsFunc(items, func(it CaterpillarItem) bool { return it.Comparison == k }) {
			legend = append(legend, legendItem{shape: k.shape(), colour: k.colour(), label: k.Text(bench)})
		}
	}
	interval := "Confidence interval"
	if c.Level > 0 {
		interval = fmt.Sprintf("%s%% confidence interval", defaultFormat(c.Level))
	}
	legend = append(legend, legendItem{line: true, colour: colourSecondary, label: interval})
	if finite(c.Benchmark) {
		legend = append(legend, legendItem{line: true, colour: colourBenchmark, dash: "5 3", label: bench})
	}
	cv.legend(legend, 8, 20, catWidth-8)

	// Rows: a stripe on every other one, the grid, the axis.
	for i := range items {
		if i%2 == 1 {
			cv.printf(`<rect x="0" y="%s" width="%s" height="%s" fill="%s"/>`, num(catTop+float64(i)*catRow), num(catWidth), num(catRow), colourStripe)
		}
	}
	for _, v := range xt.values {
		x := xs.at(v)
		cv.line(x, catTop, x, bottom, colourGrid, 1, "")
		cv.line(x, bottom, x, bottom+5, colourSecondary, 1, "")
		cv.text(x, bottom+18, "middle", formatNumber(v, xt.decimals), ` font-size="12"`)
	}
	cv.line(left+8, bottom, catRight, bottom, colourSecondary, 1, "")
	if c.XLabel != "" {
		cv.text((left+8+catRight)/2, bottom+40, "middle", c.XLabel, ` font-weight="bold"`)
	}
	if finite(c.Benchmark) {
		x := xs.at(c.Benchmark)
		cv.line(x, catTop-8, x, bottom, colourBenchmark, 2, ` stroke-dasharray="5 3" class="accord-chart__benchmark"`)
		cv.text(x, catTop-12, "middle", bench+" "+f(c.Benchmark), ` font-size="12" font-weight="bold" fill="`+colourBenchmark+`"`)
	}

	cv.raw(`<g class="accord-chart__points">`)
	for i, it := range items {
		y := catTop + (float64(i)+0.5)*catRow
		cv.text(left, y+4, "end", truncate(it.Label, left-8, 12), ` font-size="12"`)
		colour := it.Comparison.colour()
		tip := cmp.Or(it.Name, it.Label) + ": " + f(it.Value)
		if finite(it.Lower) && finite(it.Upper) {
			x0, x1 := xs.at(it.Lower), xs.at(it.Upper)
			cv.line(x0, y, x1, y, colour, 2, "")
			cv.line(x0, y-4, x0, y+4, colour, 2, "")
			cv.line(x1, y-4, x1, y+4, colour, 2, "")
			tip += " (" + f(it.Lower) + " to " + f(it.Upper) + ")"
		}
		tip += " – " + it.Comparison.Text(bench)
		cv.marker(it.Comparison.shape(), xs.at(it.Value), y, 5, colour, tip)
	}
	cv.raw(`</g>`)
	return cv.String()
}

// caterpillarDesc says how many organisations are shown, the benchmark,
// how many compare which way, and the highest and lowest.
func caterpillarDesc(c CaterpillarChart, items []CaterpillarItem, f func(float64) string, bench string) string {
	noun := cmp.Or(c.Noun, "organisation")
	head := plural(len(items), noun)
	if c.Period != "" {
		head += " in " + c.Period
	}
	s := []string{head + ", sorted from the highest value to the lowest"}
	if finite(c.Benchmark) {
		s = append(s, fmt.Sprintf("%s is %s", bench, f(c.Benchmark)))
	}
	var counts []string
	for _, k := range comparisons {
		n := 0
		for _, it := range items {
			if it.Comparison == k {
				n++
			}
		}
		if n > 0 {
			counts = append(counts, fmt.Sprintf("%d %s", n, lowerFirst(k.Text(bench))))
		}
	}
	level := ""
	if c.Level > 0 {
		level = fmt.Sprintf(" at %s%% confidence", defaultFormat(c.Level))
	}
	s = append(s, "compared"+level+": "+strings.Join(counts, ", "))
	hi, lo := items[0], items[len(items)-1]
	s = append(s, fmt.Sprintf("the highest is %s at %s and the lowest %s at %s", cmp.Or(hi.Name, hi.Label), f(hi.Value), cmp.Or(lo.Name, lo.Label), f(lo.Value)))
	if left := len(c.Items) - len(items); left > 0 {
		s = append(s, fmt.Sprintf("%s without a value not shown", plural(left, noun)))
	}
	return strings.Join(s, "; ") + "."
}
