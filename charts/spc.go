package charts

import (
	"cmp"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/nhs-accord/accord/stats/spc"
)

// SPCChart is what the Making Data Count chart needs: the computed chart,
// a label for each point, and how to write values.
type SPCChart struct {
	// ID makes the chart's element ids unique on its page ("spc" gives
	// spc-title, spc-desc).
	ID    string
	Title string
	// Result is spc.Compute's answer for the series, oldest point first.
	Result spc.Result
	// Periods label the points, oldest first, as the x axis shows them
	// ("Apr 2023"); a missing label is the point's position.
	Periods []string
	// Span says in words what the points cover ("24 months from April 2023
	// to March 2025"); "" gives "N points from the first label to the last".
	Span string
	// Target, when set, is drawn as a red dashed line; TargetLabel names it
	// in the legend ("Target: 78%"), "Target" when empty.
	Target      *float64
	TargetLabel string
	// YLabel names the value axis ("Percentage").
	YLabel string
	// Format writes a value with its unit ("71.2%"); nil writes the number
	// to 2 decimal places at most.
	Format func(float64) string
}

// The SPC chart's frame, in viewBox units.
const (
	spcWidth  = 800.0
	spcHeight = 440.0
	spcTop    = 64.0
	spcBottom = 344.0 // the x axis
	spcRight  = 784.0
)

// SPC draws a Making Data Count XmR chart: the values joined by a line,
// each point coloured by its type (common cause grey, improvement blue,
// concern orange, neutral purple), the mean (solid) and process limits
// (dashed) of each group, breaking where the limits were recalculated,
// an optional target (red dashed), and the variation and assurance icons
// top right. Limits that are NaN (a one-point group) are not drawn.
func SPC(c SPCChart) string {
	pts := c.Result.Points
	if len(pts) == 0 {
		return noData(c.ID, "accord-chart--spc", c.Title, "There is no data to chart.")
	}
	f := formatter(c.Format)
	label := func(i int) string {
		if i < len(c.Periods) && c.Periods[i] != "" {
			return c.Periods[i]
		}
		return strconv.Itoa(i + 1)
	}

	// The value axis spans the values, the limits and the target.
	lo, hi := math.Inf(1), math.Inf(-1)
	widen := func(v float64) {
		if finite(v) {
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
	}
	for _, p := range pts {
		widen(p.Value)
		widen(p.Mean)
		widen(p.LPL)
		widen(p.UPL)
	}
	if c.Target != nil {
		widen(*c.Target)
	}
	// A little room, so that a target or limit is not drawn on the frame.
	pad := (hi - lo) * 0.04
	yt, d0, d1 := niceTicks(lo-pad, hi+pad, 6)
	left := 24.0
	for _, v := range yt.values {
		left = math.Max(left, textWidth(formatNumber(v, yt.decimals), 12)+16)
	}
	ys := scale{d0, d1, spcBottom, spcTop}
	n := len(pts)
	xs := scale{0, float64(n - 1), left + 12, spcRight - 12}

	cv := newCanvas(c.ID, spcWidth, spcHeight, "accord-chart--spc", c.Title, spcDesc(c, f, label))

	// Grid and value axis.
	for _, v := range yt.values {
		y := ys.at(v)
		cv.line(left, y, spcRight, y, colourGrid, 1, "")
		cv.text(left-6, y+4, "end", formatNumber(v, yt.decimals), ` font-size="12"`)
	}
	cv.line(left, spcTop, left, spcBottom, colourSecondary, 1, "")
	cv.line(left, spcBottom, spcRight, spcBottom, colourSecondary, 1, "")
	if c.YLabel != "" {
		cv.text(8, 24, "start", c.YLabel, ` font-weight="bold"`)
	}

	// Period axis: labels thinned to fit, always keeping the latest.
	widest := 0.0
	for i := range pts {
		widest = math.Max(widest, textWidth(label(i), 12))
	}
	fit := max(1, int((spcRight-left)/(widest+14)))
	step := (n + fit - 1) / fit
	for i := n - 1; i >= 0; i -= step {
		x := xs.at(float64(i))
		cv.line(x, spcBottom, x, spcBottom+5, colourSecondary, 1, "")
		cv.text(x, spcBottom+20, "middle", label(i), ` font-size="12"`)
	}

	// Mean and process limits, group by group.
	for _, g := range c.Result.Groups {
		if g.N <= 0 || g.StartIndex < 0 || g.StartIndex+g.N > n {
			continue
		}
		x0, x1 := xs.at(float64(g.StartIndex)), xs.at(float64(g.StartIndex+g.N-1))
		if g.N == 1 { // a short mark rather than a line of no length
			x0, x1 = x0-6, x1+6
		}
		if finite(g.LPL) && finite(g.UPL) {
			cv.line(x0, ys.at(g.UPL), x1, ys.at(g.UPL), colourLimit, 1.5, ` stroke-dasharray="6 4" class="accord-chart__limit"`)
			cv.line(x0, ys.at(g.LPL), x1, ys.at(g.LPL), colourLimit, 1.5, ` stroke-dasharray="6 4" class="accord-chart__limit"`)
		}
		if finite(g.Mean) {
			cv.line(x0, ys.at(g.Mean), x1, ys.at(g.Mean), colourMean, 1.5, ` class="accord-chart__mean"`)
		}
	}
	if c.Target != nil && finite(*c.Target) {
		y := ys.at(*c.Target)
		cv.line(left, y, spcRight, y, colourTarget, 2, ` stroke-dasharray="10 5" class="accord-chart__target"`)
	}

	// The values and their points.
	px, py := make([]float64, n), make([]float64, n)
	for i, p := range pts {
		px[i], py[i] = xs.at(float64(i)), ys.at(p.Value)
	}
	cv.polyline(px, py, colourValueLine, 1.5, "")
	cv.raw(`<g class="accord-chart__points">`)
	for i, p := range pts {
		if !finite(p.Value) {
			continue
		}
		cv.marker(pointShape(p.PointType), px[i], py[i], 4.5, variationColour(p.PointType),
			label(i)+": "+f(p.Value)+" – "+PointTypeText(p.PointType))
	}
	cv.raw(`</g>`)

	// The icons, top right.
	x := spcRight - iconSize
	if c.Result.AssuranceIcon != "" {
		cv.assuranceIcon(c.Result.AssuranceIcon, x, 8)
		x -= iconSize + 8
	}
	if c.Result.VariationIcon != "" {
		cv.variationIcon(c.Result.VariationIcon, x, 8)
	}

	cv.legend(spcLegend(c), left, spcBottom+56, spcRight)
	return cv.String()
}

// pointShape gives each point type its own marker as well as its colour.
func pointShape(pointType string) shape {
	switch pointType {
	case spc.SpecialCauseImprovement:
		return shapeSquare
	case spc.SpecialCauseConcern:
		return shapeDiamond
	case spc.SpecialCauseNeutralHigh:
		return shapeUp
	case spc.SpecialCauseNeutralLow:
		return shapeDown
	}
	return shapeCircle
}

// spcLegend lists the point types the chart shows, then its lines.
func spcLegend(c SPCChart) []legendItem {
	var items []legendItem
	for _, pt := range []string{spc.CommonCause, spc.SpecialCauseImprovement, spc.SpecialCauseConcern, spc.SpecialCauseNeutralHigh, spc.SpecialCauseNeutralLow} {
		for _, p := range c.Result.Points {
			if p.PointType == pt {
				items = append(items, legendItem{shape: pointShape(pt), colour: variationColour(pt), label: PointTypeText(pt)})
				break
			}
		}
	}
	items = append(items,
		legendItem{line: true, colour: colourMean, label: "Mean"},
		legendItem{line: true, colour: colourLimit, dash: "6 4", label: "Process limits"})
	if c.Target != nil && finite(*c.Target) {
		items = append(items, legendItem{line: true, colour: colourTarget, dash: "10 5", label: cmp.Or(c.TargetLabel, "Target")})
	}
	return items
}

// spcDesc says in words what the chart shows: what it covers, what the
// latest point is, the limits, and the assurance against the target.
func spcDesc(c SPCChart, f func(float64) string, label func(int) string) string {
	pts := c.Result.Points
	n := len(pts)
	last := pts[n-1]
	var s []string
	if c.Span != "" {
		s = append(s, c.Span)
	} else {
		s = append(s, fmt.Sprintf("%s from %s to %s", plural(n, "point"), label(0), label(n-1)))
	}
	variation := "common-cause variation"
	if last.PointType != spc.CommonCause && last.PointType != "" {
		variation = "special cause variation (" + strings.ToLower(strings.TrimPrefix(PointTypeText(last.PointType), "Special cause – ")) + ")"
	}
	s = append(s, fmt.Sprintf("the latest value, %s in %s, is %s", f(last.Value), label(n-1), variation))
	if finite(last.Mean) && finite(last.LPL) && finite(last.UPL) {
		s = append(s, fmt.Sprintf("the mean is %s and the process limits are %s to %s", f(last.Mean), f(last.LPL), f(last.UPL)))
	} else if finite(last.Mean) {
		s = append(s, fmt.Sprintf("the mean is %s; there are too few points for process limits", f(last.Mean)))
	}
	if g := len(c.Result.Groups); g > 1 {
		s = append(s, fmt.Sprintf("the limits were recalculated %s", plural(g-1, "time")))
	}
	if c.Target != nil && finite(*c.Target) {
		t := f(*c.Target)
		switch c.Result.AssuranceIcon {
		case "pass":
			s = append(s, "the process will consistently meet the target of "+t)
		case "fail":
			s = append(s, "the process will consistently fail to meet the target of "+t)
		case "inconsistent":
			s = append(s, "the process will not consistently meet the target of "+t)
		default:
			s = append(s, "the target is "+t)
		}
	}
	return strings.Join(s, "; ") + "."
}
