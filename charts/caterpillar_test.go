package charts

import (
	"fmt"
	"math"
	"strings"
	"testing"
)

// icbs are 42 organisations with values from 60% to 80.5%, every third
// without an interval.
func icbs() []CaterpillarItem {
	var items []CaterpillarItem
	for i := range 42 {
		v := 60 + float64(i)/2
		it := CaterpillarItem{Label: fmt.Sprintf("Q%02d", i), Name: fmt.Sprintf("ICB %d", i), Value: v, Lower: math.NaN(), Upper: math.NaN(), Comparison: NotCompared}
		if i%3 != 0 {
			it.Lower, it.Upper = v-1.5, v+1.5
			switch {
			case it.Lower > 70:
				it.Comparison = Better
			case it.Upper < 70:
				it.Comparison = Worse
			default:
				it.Comparison = Similar
			}
		}
		items = append(items, it)
	}
	return items
}

func TestCaterpillar(t *testing.T) {
	items := icbs()
	// In reverse order, with a name that needs escaping and one without a value.
	for i, j := 0, len(items)-1; i < j; i, j = i+1, j-1 {
		items[i], items[j] = items[j], items[i]
	}
	items[40].Label, items[40].Name = "B&NES <SW>", "Bath & North East Somerset, Swindon <and> Wiltshire"
	items = append(items, CaterpillarItem{Label: "NONE", Value: math.NaN()})
	c := CaterpillarChart{
		ID: "caterpillar", Title: "A&E within 4 hours by ICB", Items: items, Benchmark: 70, BenchmarkLabel: "England",
		Noun: "ICB", Period: "May 2025", Level: 95, XLabel: "Percentage", Format: percent,
	}
	s := Caterpillar(c)
	root := parseSVG(t, s)
	pts := root.points(t)
	var markers []*node
	for _, p := range pts {
		if p.tooltip() != "" {
			markers = append(markers, p)
		}
	}
	if len(markers) != 42 {
		t.Fatalf("%d markers, want 42", len(markers))
	}
	// Highest first.
	if tip := markers[0].tooltip(); tip != "ICB 41: 80.5% (79% to 82%) – Better than England" {
		t.Errorf("first %q", tip)
	}
	if tip := markers[41].tooltip(); tip != "ICB 0: 60% – Not compared" {
		t.Errorf("last %q", tip)
	}
	if !strings.Contains(s, "B&amp;NES &lt;SW&gt;") || strings.Contains(s, "<SW>") || strings.Contains(s, "<and>") {
		t.Error("a name is not escaped")
	}
	counts := map[string]int{}
	for _, m := range markers {
		counts[m.attrs["fill"]+m.attrs["stroke"]]++
	}
	if counts[colourBetter] == 0 || counts[colourWorse] == 0 || counts[colourSimilar] == 0 || counts["#ffffff"+colourNotCompared] != 14 {
		t.Errorf("marker colours %v", counts)
	}
	desc := root.desc()
	for _, want := range []string{
		"42 ICBs in May 2025, sorted from the highest value to the lowest", "England is 70%",
		"compared at 95% confidence: ", "14 not compared",
		"the highest is ICB 41 at 80.5% and the lowest ICB 0 at 60%", "1 ICB without a value not shown",
	} {
		if !strings.Contains(desc, want) {
			t.Errorf("desc lacks %q: %s", want, desc)
		}
	}
	if n := len(root.byClass("accord-chart__benchmark")); n != 1 {
		t.Errorf("%d benchmark lines", n)
	}
	if !strings.Contains(s, ">England 70%</text>") || !strings.Contains(s, ">95% confidence interval</text>") {
		t.Error("benchmark label or legend missing")
	}
	if Caterpillar(c) != s {
		t.Error("the same input drew a different chart")
	}
}

func TestCaterpillarWithoutBenchmarkOrPolarity(t *testing.T) {
	items := []CaterpillarItem{
		{Label: "A", Value: 3, Lower: 2, Upper: 4, Comparison: Higher},
		{Label: "B", Value: 1, Lower: 0.5, Upper: 1.5, Comparison: Lower},
		{Label: "C", Value: 2, Lower: math.NaN(), Upper: math.NaN(), Comparison: "made up"},
	}
	s := Caterpillar(CaterpillarChart{ID: "c", Title: "No polarity", Items: items, Benchmark: math.NaN()})
	root := parseSVG(t, s)
	if len(root.byClass("accord-chart__benchmark")) != 0 {
		t.Error("a benchmark line without a benchmark")
	}
	for _, want := range []string{"Higher than the benchmark", "Lower than the benchmark", "Not compared"} {
		if !strings.Contains(s, ">"+want+"</text>") {
			t.Errorf("legend lacks %q", want)
		}
	}
	if !strings.Contains(root.desc(), "3 organisations, sorted") {
		t.Errorf("desc %q", root.desc())
	}
}
