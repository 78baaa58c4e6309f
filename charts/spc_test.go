package charts

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/nhs-accord/accord/stats/spc"
)

// months labels n months from April 2023.
func months(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = time.Date(2023, time.April+time.Month(i), 1, 0, 0, 0, 0, time.UTC).Format("Jan 2006")
	}
	return out
}

func percent(v float64) string { return defaultFormat(v) + "%" }

func computeSPC(t testing.TB, values []float64, opt spc.Options) spc.Result {
	t.Helper()
	res, err := spc.Compute(values, opt)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// series24 is two years of a 4-hour performance: steady, then a run of
// seven months above the mean at the end.
var series24 = []float64{
	71.2, 70.8, 72.1, 71.5, 70.9, 71.8, 72.4, 71.1, 70.6, 71.9, 72.2, 71.4,
	70.7, 71.6, 72.0, 71.3, 73.4, 73.9, 74.2, 73.8, 74.5, 74.1, 75.0, 74.8,
}

func TestSPC(t *testing.T) {
	target := 78.0
	res := computeSPC(t, series24, spc.Options{ImprovementDirection: spc.Increase, Target: &target})
	c := SPCChart{
		ID: "spc", Title: "A&E <4 hours> for Q&A", Result: res, Periods: months(24),
		Span:   "24 months from April 2023 to March 2025",
		Target: &target, TargetLabel: "Target 78% (2025/26 planning guidance)", YLabel: "Percentage", Format: percent,
	}
	s := SPC(c)
	root := parseSVG(t, s)

	if got := root.children[0].text; got != "A&E <4 hours> for Q&A" {
		t.Errorf("title %q", got)
	}
	if !strings.Contains(s, "A&amp;E &lt;4 hours&gt; for Q&amp;A") {
		t.Error("the title is not escaped")
	}
	desc := root.desc()
	for _, want := range []string{
		"24 months from April 2023 to March 2025; ",
		"the latest value, 74.8% in Mar 2025, is special cause variation (improvement)",
		"the process will consistently fail to meet the target of 78%.",
	} {
		if !strings.Contains(desc, want) {
			t.Errorf("desc lacks %q:\n%s", want, desc)
		}
	}

	pts := root.points(t)
	if len(pts) != 24 {
		t.Fatalf("%d points, want 24", len(pts))
	}
	for i, p := range pts {
		tip := p.tooltip()
		if !strings.HasPrefix(tip, months(24)[i]+": ") {
			t.Errorf("point %d tooltip %q", i, tip)
		}
		wantColour := variationColour(res.Points[i].PointType)
		if p.attrs["fill"] != wantColour {
			t.Errorf("point %d (%s) fill %s, want %s", i, res.Points[i].PointType, p.attrs["fill"], wantColour)
		}
	}
	if !strings.HasSuffix(pts[23].tooltip(), "74.8% – Special cause – improvement") {
		t.Errorf("last tooltip %q", pts[23].tooltip())
	}

	// One mean and two limits for the one group, the target.
	if n := len(root.byClass("accord-chart__mean")); n != 1 {
		t.Errorf("%d mean lines, want 1", n)
	}
	if n := len(root.byClass("accord-chart__limit")); n != 2 {
		t.Errorf("%d limit lines, want 2", n)
	}
	tl := root.byClass("accord-chart__target")
	if len(tl) != 1 || tl[0].attrs["stroke"] != colourTarget || tl[0].attrs["stroke-dasharray"] == "" {
		t.Errorf("target line %v", tl)
	}

	// The two icons, each titled in words.
	icons := root.byClass("accord-chart__icon")
	if len(icons) != 2 {
		t.Fatalf("%d icons, want 2", len(icons))
	}
	var titles []string
	for _, ic := range icons {
		titles = append(titles, ic.tooltip())
	}
	if titles[0] != "Assurance: The system is expected to consistently fail the target" ||
		titles[1] != "Variation: Special cause variation – improvement (higher)" {
		t.Errorf("icon titles %q", titles)
	}

	// The x axis labels are thinned but keep the latest period.
	labels := root.find(func(n *node) bool {
		return n.name == "text" && strings.Contains(n.text, "20") && n.attrs["text-anchor"] == "middle"
	})
	if len(labels) == 0 || len(labels) >= 24 || labels[0].text != "Mar 2025" {
		var got []string
		for _, l := range labels {
			got = append(got, l.text)
		}
		t.Errorf("x labels %q", got)
	}

	if SPC(c) != s {
		t.Error("the same input drew a different chart")
	}
}

func TestSPCIconsAndWords(t *testing.T) {
	for _, icon := range []string{"common_cause", "improvement_high", "improvement_low", "concern_high", "concern_low", "neutral_high", "neutral_low"} {
		if VariationText(icon) == "" {
			t.Errorf("no words for %s", icon)
		}
	}
	for _, icon := range []string{"pass", "fail", "inconsistent"} {
		if AssuranceText(icon) == "" {
			t.Errorf("no words for %s", icon)
		}
	}
	if VariationText("nope") != "" || AssuranceText("") != "" {
		t.Error("words for an unknown icon")
	}

	// Every direction and every icon draws a well-formed chart.
	for _, dir := range []spc.Direction{spc.Increase, spc.Decrease, spc.Neutral} {
		for _, tgt := range []float64{60, 72, 90} {
			for _, values := range [][]float64{series24, reversed(series24), flat(15)} {
				target := tgt
				res := computeSPC(t, values, spc.Options{ImprovementDirection: dir, Target: &target})
				s := SPC(SPCChart{ID: "x", Title: "t", Result: res, Target: &target})
				root := parseSVG(t, s)
				want := 1
				if res.AssuranceIcon != "" {
					want = 2
				}
				if n := len(root.byClass("accord-chart__icon")); n != want {
					t.Errorf("%s, target %v: %d icons, want %d", dir, tgt, n, want)
				}
				if !strings.Contains(s, "Variation: "+VariationText(res.VariationIcon)) {
					t.Errorf("%s: variation icon %q not titled", dir, res.VariationIcon)
				}
			}
		}
	}
}

func reversed(v []float64) []float64 {
	out := make([]float64, len(v))
	for i := range v {
		out[i] = v[len(v)-1-i]
	}
	return out
}

func flat(n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = 50 + float64(i%3)
	}
	return out
}

func TestSPCRebaseAndNaNLimits(t *testing.T) {
	// A rebase at the last point leaves a one-point group whose limits are
	// NaN: its mean is drawn as a short mark, its limits not at all.
	res := computeSPC(t, series24, spc.Options{RebaseIndices: []int{12, 23}})
	if !math.IsNaN(res.Points[23].UPL) {
		t.Fatalf("the last group has limits %v", res.Points[23].UPL)
	}
	s := SPC(SPCChart{ID: "r", Title: "Rebased", Result: res, Periods: months(24)})
	root := parseSVG(t, s)
	if n := len(root.byClass("accord-chart__mean")); n != 3 {
		t.Errorf("%d mean lines, want 3", n)
	}
	if n := len(root.byClass("accord-chart__limit")); n != 4 {
		t.Errorf("%d limit lines, want 4 (two groups of two)", n)
	}
	if n := len(root.byClass("accord-chart__target")); n != 0 {
		t.Errorf("a target line without a target")
	}
	desc := root.desc()
	if !strings.Contains(desc, "24 points from Apr 2023 to Mar 2025") || !strings.Contains(desc, "too few points for process limits") ||
		!strings.Contains(desc, "the limits were recalculated 2 times") {
		t.Errorf("desc %q", desc)
	}

	// A single point: a chart, no limits, no failure.
	one := computeSPC(t, []float64{42}, spc.Options{})
	root = parseSVG(t, SPC(SPCChart{ID: "one", Title: "One", Result: one}))
	if len(root.points(t)) != 1 || len(root.byClass("accord-chart__limit")) != 0 {
		t.Error("one point drew limits or no point")
	}
}

func TestSPCEscapesLabels(t *testing.T) {
	res := computeSPC(t, flat(12), spc.Options{})
	periods := make([]string, 12)
	for i := range periods {
		periods[i] = fmt.Sprintf("Q&%d<", i)
	}
	s := SPC(SPCChart{ID: `bad"id`, Title: "T", Result: res, Periods: periods, YLabel: "Rate <per> 1,000 & more",
		Format: func(v float64) string { return defaultFormat(v) + " <&>" }})
	root := parseSVG(t, s)
	if root.attrs["aria-labelledby"] != "bad-id-title" {
		t.Errorf("id not made safe: %q", root.attrs["aria-labelledby"])
	}
	if !strings.Contains(root.points(t)[11].tooltip(), "Q&11<: 52 <&>") {
		t.Errorf("tooltip %q", root.points(t)[11].tooltip())
	}
	if strings.Contains(s, "Q&1") || strings.Contains(s, "<per>") {
		t.Error("unescaped text")
	}
}

func BenchmarkSPC(b *testing.B) {
	values := make([]float64, 120)
	for i := range values {
		values[i] = 70 + 3*math.Sin(float64(i)/5) + float64(i%7)/3
	}
	target := 75.0
	res := computeSPC(b, values, spc.Options{ImprovementDirection: spc.Increase, Target: &target, RebaseIndices: []int{60}})
	c := SPCChart{ID: "spc", Title: "Benchmark", Result: res, Periods: months(120), Target: &target, YLabel: "Percentage", Format: percent}
	b.ReportAllocs()
	for b.Loop() {
		_ = SPC(c)
	}
}
