package charts

import (
	"math"
	"strings"
	"testing"
)

func TestTrajectory(t *testing.T) {
	nan := math.NaN()
	target := 78.0
	s := Trajectory(TrajectoryChart{
		ID:      "plan",
		Title:   "A&E within 4 hours: plan against actual",
		Periods: []string{"Mar 2026", "Apr 2026", "May 2026", "Jun 2026"},
		// The plan starts after the baseline month; June has no actual yet.
		Planned:     []float64{nan, 75, 76, 77},
		Actual:      []float64{74, 74.5, nan, nan},
		Target:      &target,
		TargetLabel: "Target: 78%",
		YLabel:      "Percentage",
		Format:      func(v float64) string { return defaultFormat(v) + "%" },
	})
	root := parseSVG(t, s)
	desc := root.desc()
	for _, want := range []string{
		"The planned trajectory has 3 milestones from Apr 2026 to Jun 2026, ending at 77%.",
		"2 actual values from Mar 2026 to Apr 2026. The latest, for Apr 2026, is 74.5% against a planned 75%.",
		"The red dashed line is the target, 78%.",
	} {
		if !strings.Contains(desc, want) {
			t.Errorf("desc lacks %q:\n%s", want, desc)
		}
	}
	pts := root.points(t)
	if len(pts) != 2 {
		t.Fatalf("%d actual markers, want 2", len(pts))
	}
	if got := pts[1].tooltip(); got != "Apr 2026: actual 74.5% against a planned 75%" {
		t.Errorf("tooltip %q", got)
	}
	plan := root.byClass("accord-chart__plan")
	if len(plan) != 1 || len(plan[0].children) != 3 {
		t.Fatalf("planned markers: %v", plan)
	}
	if got := plan[0].children[0].tooltip(); got != "Apr 2026: planned 75%" {
		t.Errorf("planned tooltip %q", got)
	}
	if len(root.byClass("accord-chart__target")) != 1 {
		t.Error("no target line")
	}
	// The actual line breaks at May, so only March–April is drawn: one
	// polyline of two points.
	lines := root.byClass("accord-chart__actual-line")
	if len(lines) != 1 || strings.Count(lines[0].attrs["points"], ",") != 2 {
		t.Errorf("actual line %v", lines)
	}
	if !strings.Contains(s, ">Target: 78%</text>") || !strings.Contains(s, ">Planned trajectory</text>") {
		t.Error("legend lacks the target or the plan")
	}
	// The same input gives the same bytes.
	if again := Trajectory(TrajectoryChart{ID: "plan", Title: "A&E within 4 hours: plan against actual",
		Periods: []string{"Mar 2026", "Apr 2026", "May 2026", "Jun 2026"}, Planned: []float64{nan, 75, 76, 77},
		Actual: []float64{74, 74.5, nan, nan}, Target: &target, TargetLabel: "Target: 78%", YLabel: "Percentage",
		Format: func(v float64) string { return defaultFormat(v) + "%" }}); again != s {
		t.Error("not deterministic")
	}
}

func TestTrajectoryNoData(t *testing.T) {
	s := Trajectory(TrajectoryChart{ID: "p", Title: "Nothing", Periods: []string{"Apr 2026"}, Planned: []float64{math.NaN()}})
	if root := parseSVG(t, s); root.desc() != "There is no data to chart." {
		t.Errorf("desc %q", root.desc())
	}
}

func TestTrajectoryPlanOnly(t *testing.T) {
	s := Trajectory(TrajectoryChart{ID: "p", Title: "Plan only", Periods: []string{"2026/27 Q1"}, Planned: []float64{12}})
	root := parseSVG(t, s)
	if d := root.desc(); !strings.Contains(d, "1 milestone from 2026/27 Q1 to 2026/27 Q1") || !strings.Contains(d, "No actual values are published yet.") {
		t.Errorf("desc %q", d)
	}
	if len(root.points(t)) != 0 {
		t.Error("actual markers drawn with no actual values")
	}
}
