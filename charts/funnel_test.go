package charts

import (
	"math"
	"strings"
	"testing"
)

// binomialLimits are normal-approximation limits around p (in percent)
// at the given denominators.
func binomialLimits(p float64, dens ...float64) []FunnelLimit {
	var out []FunnelLimit
	for _, n := range dens {
		se := math.Sqrt(p/100*(1-p/100)/n) * 100
		out = append(out, FunnelLimit{Denominator: n, Lower95: p - 1.96*se, Upper95: p + 1.96*se, Lower998: p - 3.09*se, Upper998: p + 3.09*se})
	}
	return out
}

func TestFunnel(t *testing.T) {
	lims := binomialLimits(75, 10, 100, 1000, 5000, 10000, 20000, 40000)
	lims[0].Lower998 = math.NaN() // undefined: the curve breaks rather than fails
	pts := []FunnelPoint{
		{Label: "QUE", Name: "Cambridgeshire & Peterborough", Denominator: 20000, Value: 75.25, Band: Within},
		{Label: "QHG", Denominator: 15000, Value: 77, Band: Above998},
		{Label: "QM7", Denominator: 30000, Value: 74.5, Band: Below95},
		{Label: "Q<>", Denominator: 9000, Value: 75},
		{Label: "bad", Denominator: math.NaN(), Value: 70},
		{Label: "odd", Denominator: 1000, Value: 70, Band: "sideways"},
	}
	c := FunnelChart{
		ID: "funnel", Title: "Funnel", Points: pts, Limits: lims, Benchmark: 75, BenchmarkLabel: "All ICBs (pooled)",
		Noun: "ICB", Period: "May 2025", XLabel: "Attendances", YLabel: "Percentage", Format: percent,
	}
	s := Funnel(c)
	root := parseSVG(t, s)
	markers := root.points(t)
	if len(markers) != 5 {
		t.Fatalf("%d markers, want 5", len(markers))
	}
	want := []struct{ tip, fill string }{
		{"Cambridgeshire & Peterborough: 75.25% (denominator 20,000) – Within the 95% limits", colourWithin},
		{"QHG: 77% (denominator 15,000) – Above the 99.8% limit", colourOutside99},
		{"QM7: 74.5% (denominator 30,000) – Below the 95% limit", colourOutside95},
		{"Q<>: 75% (denominator 9,000) – Within the 95% limits", colourWithin},
		{"odd: 70% (denominator 1,000) – Not assessed against the limits", "#ffffff"},
	}
	for i, w := range want {
		if markers[i].tooltip() != w.tip || markers[i].attrs["fill"] != w.fill {
			t.Errorf("marker %d: %q %s, want %q %s", i, markers[i].tooltip(), markers[i].attrs["fill"], w.tip, w.fill)
		}
	}
	if n := len(root.byClass("accord-chart__limit")); n != 4 {
		t.Errorf("%d limit curves, want 4", n)
	}
	clip := root.find(func(n *node) bool { return n.name == "clipPath" })
	if len(clip) != 1 || clip[0].attrs["id"] != "funnel-clip" || !strings.Contains(s, `clip-path="url(#funnel-clip)"`) {
		t.Error("limits not clipped to the plot")
	}
	desc := root.desc()
	for _, w := range []string{
		"5 ICBs in May 2025 plotted against their denominators", "All ICBs (pooled) is 75%",
		"1 ICB above the 99.8% limit: QHG", "2 within the 95% limits", "1 ICB below the 95% limit: QM7",
	} {
		if !strings.Contains(desc, w) {
			t.Errorf("desc lacks %q: %s", w, desc)
		}
	}
	if Funnel(c) != s {
		t.Error("the same input drew a different chart")
	}

	// Without limits or a benchmark: points only.
	root = parseSVG(t, Funnel(FunnelChart{ID: "f2", Title: "Bare", Points: pts[:2], Benchmark: math.NaN()}))
	if len(root.byClass("accord-chart__limit")) != 0 || len(root.byClass("accord-chart__benchmark")) != 0 || len(root.points(t)) != 2 {
		t.Error("bare funnel")
	}
}
