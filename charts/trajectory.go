package charts

import (
	"cmp"
	"fmt"
	"math"
	"strings"
)

// TrajectoryChart is what the plan-against-actual chart of a local target
// needs: one label per period and, for each period, the planned and the
// actual value, NaN where there is none.
type TrajectoryChart struct {
	// ID makes the chart's element ids unique on its page.
	ID    string
	Title string
	// Periods label the x axis, oldest first: every period with a planned
	// or an actual value ("Apr 2026").
	Periods []string
	// Planned and Actual line up with Periods; NaN where there is no value.
	Planned []float64
	Actual  []float64
	// Target, when set, is the target value, drawn as a red dashed line;
	// TargetLabel names it in the legend ("Target: 78% by 31 March 2027").
	Target      *float64
	TargetLabel string
	// YLabel names the value axis ("Percentage").
	YLabel string
	// Format writes a value with its unit; nil writes the number to 2
	// decimal places at most.
	Format func(float64) string
}

// The trajectory chart's frame, in viewBox units.
const (
	trajWidth  = 800.0
	trajHeight = 420.0
	trajTop    = 48.0
	trajBottom = 330.0 // the x axis
	trajRight  = 784.0
)

// Trajectory draws a local target's planned trajectory (dashed, hollow
// markers) against what actually happened (solid, filled markers), with the
// target value as a red dashed line. A gap in either series is a gap in its
// line. Planned and actual differ in line style and marker shape as well as
// colour, so neither depends on colour alone.
func Trajectory(c TrajectoryChart) string {
	n := len(c.Periods)
	at := func(vs []float64, i int) float64 {
		if i < len(vs) {
			return vs[i]
		}
		return math.NaN()
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	widen := func(v float64) {
		if finite(v) {
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
	}
	for i := range n {
		widen(at(c.Planned, i))
		widen(at(c.Actual, i))
	}
	if math.IsInf(lo, 1) {
		return noData(c.ID, "accord-chart--trajectory", c.Title, "There is no data to chart.")
	}
	if c.Target != nil {
		widen(*c.Target)
	}
	f := formatter(c.Format)

	pad := (hi - lo) * 0.04
	yt, d0, d1 := niceTicks(lo-pad, hi+pad, 6)
	left := 24.0
	for _, v := range yt.values {
		left = math.Max(left, textWidth(formatNumber(v, yt.decimals), 12)+16)
	}
	ys := scale{d0, d1, trajBottom, trajTop}
	xs := scale{0, float64(max(n-1, 1)), left + 12, trajRight - 12}
	if n == 1 {
		xs = scale{0, 0, left + 12, trajRight - 12} // one period sits in the middle
	}

	cv := newCanvas(c.ID, trajWidth, trajHeight, "accord-chart--trajectory", c.Title, trajectoryDesc(c, f))
	for _, v := range yt.values {
		y := ys.at(v)
		cv.line(left, y, trajRight, y, colourGrid, 1, "")
		cv.text(left-6, y+4, "end", formatNumber(v, yt.decimals), ` font-size="12"`)
	}
	cv.line(left, trajTop, left, trajBottom, colourSecondary, 1, "")
	cv.line(left, trajBottom, trajRight, trajBottom, colourSecondary, 1, "")
	if c.YLabel != "" {
		cv.text(8, 24, "start", c.YLabel, ` font-weight="bold"`)
	}

	// Period axis: labels thinned to fit, always keeping the latest.
	widest := 0.0
	for _, p := range c.Periods {
		widest = math.Max(widest, textWidth(p, 12))
	}
	fit := max(1, int((trajRight-left)/(widest+14)))
	step := (n + fit - 1) / fit
	for i := n - 1; i >= 0; i -= step {
		x := xs.at(float64(i))
		cv.line(x, trajBottom, x, trajBottom+5, colourSecondary, 1, "")
		cv.text(x, trajBottom+20, "middle", c.Periods[i], ` font-size="12"`)
	}

	if c.Target != nil && finite(*c.Target) {
		y := ys.at(*c.Target)
		cv.line(left, y, trajRight, y, colourTarget, 2, ` stroke-dasharray="10 5" class="accord-chart__target"`)
	}

	px := make([]float64, n)
	plan, actual := make([]float64, n), make([]float64, n)
	for i := range n {
		px[i] = xs.at(float64(i))
		plan[i], actual[i] = math.NaN(), math.NaN()
		if v := at(c.Planned, i); finite(v) {
			plan[i] = ys.at(v)
		}
		if v := at(c.Actual, i); finite(v) {
			actual[i] = ys.at(v)
		}
	}
	cv.polyline(px, plan, colourBenchmark, 2, ` stroke-dasharray="6 4" class="accord-chart__plan-line"`)
	cv.polyline(px, actual, colourImprovement, 2, ` class="accord-chart__actual-line"`)

	cv.raw(`<g class="accord-chart__plan">`)
	for i := range n {
		if v := at(c.Planned, i); finite(v) {
			cv.marker(shapeRing, px[i], plan[i], 4.5, colourBenchmark, c.Periods[i]+": planned "+f(v))
		}
	}
	cv.raw(`</g><g class="accord-chart__points">`)
	for i := range n {
		if v := at(c.Actual, i); finite(v) {
			tip := c.Periods[i] + ": actual " + f(v)
			if p := at(c.Planned, i); finite(p) {
				tip += " against a planned " + f(p)
			}
			cv.marker(shapeCircle, px[i], actual[i], 4.5, colourImprovement, tip)
		}
	}
	cv.raw(`</g>`)

	items := []legendItem{
		{line: true, colour: colourImprovement, label: "Actual"},
		{line: true, colour: colourBenchmark, dash: "6 4", label: "Planned trajectory"},
	}
	if c.Target != nil && finite(*c.Target) {
		items = append(items, legendItem{line: true, colour: colourTarget, dash: "10 5", label: cmp.Or(c.TargetLabel, "Target")})
	}
	cv.legend(items, left, trajBottom+56, trajRight)
	return cv.String()
}

// trajectoryDesc says in words what the chart shows: the plan's span and
// end, the actual values' span, and how the latest compares with the plan.
func trajectoryDesc(c TrajectoryChart, f func(float64) string) string {
	var b strings.Builder
	first, last, count := -1, -1, 0
	for i, v := range c.Planned {
		if i < len(c.Periods) && finite(v) {
			if first < 0 {
				first = i
			}
			last, count = i, count+1
		}
	}
	if count == 0 {
		b.WriteString("No trajectory is planned. ")
	} else {
		fmt.Fprintf(&b, "The planned trajectory has %s from %s to %s, ending at %s. ", plural(count, "milestone"),
			c.Periods[first], c.Periods[last], f(c.Planned[last]))
	}
	first, last, count = -1, -1, 0
	for i, v := range c.Actual {
		if i < len(c.Periods) && finite(v) {
			if first < 0 {
				first = i
			}
			last, count = i, count+1
		}
	}
	if count == 0 {
		b.WriteString("No actual values are published yet.")
	} else {
		fmt.Fprintf(&b, "%s from %s to %s. The latest, for %s, is %s", plural(count, "actual value"),
			c.Periods[first], c.Periods[last], c.Periods[last], f(c.Actual[last]))
		if last < len(c.Planned) && finite(c.Planned[last]) {
			fmt.Fprintf(&b, " against a planned %s", f(c.Planned[last]))
		}
		b.WriteString(".")
	}
	if c.Target != nil && finite(*c.Target) {
		fmt.Fprintf(&b, " The red dashed line is the target, %s.", f(*c.Target))
	}
	return b.String()
}
