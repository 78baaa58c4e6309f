package trajectory_test

import (
	"math"
	"slices"
	"testing"
	"time"

	"github.com/nhs-accord/accord"
	"github.com/nhs-accord/accord/stats/trajectory"
)

func TestFit(t *testing.T) {
	// A worked example: x = 1…5, y = 2, 4, 5, 4, 5. x̄ = 3, ȳ = 4, Sxx = 10,
	// Sxy = 6, so the slope is 0.6; residuals −0.8, 0.6, 1, −0.6, −0.2 give
	// SSR = 2.4 and s = √(2.4/3).
	l, err := trajectory.Fit([]float64{1, 2, 3, 4, 5}, []float64{2, 4, 5, 4, 5})
	if err != nil {
		t.Fatal(err)
	}
	s := math.Sqrt(0.8)
	if l.N != 5 || l.DF() != 3 || !close(l.Slope, 0.6, 1e-14) || !close(l.At(0), 2.2, 1e-14) || !close(l.ResidualSE, s, 1e-14) {
		t.Fatalf("Fit = %+v", l)
	}
	// At x = 6: ŷ = 5.8, se = s·√(1 + 1/5 + 9/10), 95% half-width t(0.975, 3)·se.
	se := s * math.Sqrt(2.1)
	if got := l.PredictionSE(6); !close(got, se, 1e-14) {
		t.Errorf("PredictionSE(6) = %v, want %v", got, se)
	}
	lo, hi := l.Interval(6, 0.95)
	if !close(lo, 5.8-3.182446305284263*se, 1e-9) || !close(hi, 5.8+3.182446305284263*se, 1e-9) {
		t.Errorf("Interval(6, 95%%) = [%v, %v]", lo, hi)
	}
	// The predictive probabilities are the t distribution around ŷ.
	if got := l.ProbAbove(6, 5.8); !close(got, 0.5, 1e-14) {
		t.Errorf("ProbAbove(6, ŷ) = %v, want 0.5", got)
	}
	if got := l.ProbBelow(6, hi); !close(got, 0.975, 1e-9) {
		t.Errorf("ProbBelow(6, upper 95%%) = %v, want 0.975", got)
	}

	// A perfect line: no residual spread, certain predictions.
	l, err = trajectory.Fit([]float64{0, 1, 2, 3}, []float64{10, 12, 14, 16})
	if err != nil {
		t.Fatal(err)
	}
	if l.ResidualSE != 0 || l.ProbAbove(5, 20) != 1 || l.ProbAbove(5, 20.1) != 0 || l.ProbBelow(5, 20) != 1 {
		t.Errorf("perfect fit: %+v, P(≥20) = %v", l, l.ProbAbove(5, 20))
	}

	for _, bad := range [][2][]float64{
		{{1, 2}, {1, 2}},
		{{1, 1, 1}, {1, 2, 3}},
		{{1, 2, 3}, {1, 2}},
	} {
		if _, err := trajectory.Fit(bad[0], bad[1]); err == nil {
			t.Errorf("Fit(%v, %v) should fail", bad[0], bad[1])
		}
	}
}

var monthlyOpts = trajectory.DefaultOptions(accord.PeriodMonth)

// monthly builds observations for consecutive months from start.
func monthly(start accord.Period, values ...float64) []trajectory.Observation {
	out := make([]trajectory.Observation, len(values))
	p := start
	for i, v := range values {
		out[i] = trajectory.Observation{Period: p, Value: v}
		p = p.Next()
	}
	return out
}

func ms(pairs ...any) []accord.Milestone {
	var out []accord.Milestone
	for i := 0; i < len(pairs); i += 2 {
		out = append(out, accord.Milestone{Period: accord.MustParsePeriod(pairs[i].(string)), Value: pairs[i+1].(float64)})
	}
	return out
}

func TestAssess(t *testing.T) {
	apr24 := accord.Month(2024, time.April)
	mar26 := accord.NewDate(2026, time.March, 31)
	// A&E 4-hour performance (%), improving by about 0.5 points a month with
	// a little noise; the target is at least 78% by March 2026.
	rising := monthly(apr24, 70.1, 70.9, 71.2, 71.8, 72.5, 72.8, 73.6, 74.0, 74.4, 75.1, 75.6, 76.0)
	// Flat at 71% with the same noise.
	flat := monthly(apr24, 71.1, 70.9, 70.7, 71.3, 71.0, 70.8, 71.1, 71.2, 70.9, 70.6, 71.4, 71.0)
	// Rising slowly: the trend reaches about 78% in March 2026, a toss-up.
	slow := monthly(apr24, 72.4, 72.0, 72.6, 72.3, 73.3, 73.5, 73.2, 74.3, 73.9, 74.3, 74.3, 75.1)
	atLeast78 := trajectory.Target{Comparator: accord.AtLeast, Value: 78, Deadline: mar26}

	tests := []struct {
		name   string
		obs    []trajectory.Observation
		target trajectory.Target
		plan   []accord.Milestone
		want   trajectory.Status
	}{
		{"rising steadily, no plan", rising, atLeast78, nil, trajectory.OnTrack},
		{"rising steadily, latest milestone met", rising, atLeast78, ms("2025-02", 75.0, "2025-03", 75.5), trajectory.OnTrack},
		{"rising steadily, latest milestone missed", rising, atLeast78, ms("2025-02", 75.0, "2025-03", 76.5), trajectory.AtRisk},
		{"flat far below", flat, atLeast78, nil, trajectory.OffTrack},
		{"flat far below, latest milestone missed", flat, atLeast78, ms("2025-03", 72.0), trajectory.OffTrack},
		{"flat far below but on plan (a step change is planned)", flat, atLeast78, ms("2025-03", 71.0, "2026-01", 78.0), trajectory.AtRisk},
		{"slow rise: a toss-up", slow, atLeast78, nil, trajectory.AtRisk},
		{"too few points", rising[:5], atLeast78, nil, trajectory.NotEnoughData},
		{"no observations", nil, atLeast78, nil, trajectory.NotEnoughData},
		// A lower-is-better target: a waiting list (thousands) falling by about
		// 2 a month from 300 must be at most 260 by March 2026 (the trend
		// gives about 254).
		{"falling list, at most", monthly(apr24, 300, 298.5, 296, 294.2, 292, 290.3, 288, 285.6, 284.1, 282, 279.8, 278.1), trajectory.Target{Comparator: accord.AtMost, Value: 260, Deadline: mar26}, nil, trajectory.OnTrack},
		{"rising list, at most", monthly(apr24, 280, 282, 284, 286, 288, 290, 292.2, 293.8, 296, 298, 300.1, 302), trajectory.Target{Comparator: accord.AtMost, Value: 285, Deadline: mar26}, nil, trajectory.OffTrack},
		// The deadline period already observed.
		{"deadline observed and met", rising, trajectory.Target{Comparator: accord.AtLeast, Value: 75, Deadline: accord.NewDate(2025, time.March, 31)}, nil, trajectory.Achieved},
		{"deadline observed and missed", rising, trajectory.Target{Comparator: accord.AtLeast, Value: 76.5, Deadline: accord.NewDate(2025, time.March, 31)}, nil, trajectory.Missed},
		// The deadline period missing from the data: nobody can say.
		{"deadline period missing", append(slices.Clone(rising[:3]), rising[4:]...), trajectory.Target{Comparator: accord.AtLeast, Value: 72, Deadline: accord.NewDate(2024, time.July, 31)}, nil, trajectory.NotEnoughData},
		{"deadline before the series", rising, trajectory.Target{Comparator: accord.AtLeast, Value: 72, Deadline: accord.NewDate(2023, time.March, 31)}, nil, trajectory.NotEnoughData},
		// July 2024 (71.8) is judged, not the latest month (76.0).
		{"deadline observed mid-series", rising, trajectory.Target{Comparator: accord.AtLeast, Value: 72, Deadline: accord.NewDate(2024, time.July, 15)}, nil, trajectory.Missed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := trajectory.Assess(tt.obs, tt.target, tt.plan, monthlyOpts)
			if err != nil {
				t.Fatal(err)
			}
			if a.Forecast != nil {
				t.Logf("P = %.3f, forecast %.2f [%.2f, %.2f]", a.Forecast.Probability, a.Forecast.Value, a.Forecast.Lower, a.Forecast.Upper)
			}
			if a.Status != tt.want {
				t.Errorf("Status = %s, want %s (forecast %+v, latest %+v)", a.Status, tt.want, a.Forecast, a.Latest)
			}
		})
	}
}

func TestAssessForecast(t *testing.T) {
	// An exact line with noise of known pattern: y = 60 + 0.5·i ± 0.3.
	var vals []float64
	for i := range 18 {
		vals = append(vals, 60+0.5*float64(i)+0.3*float64(1-2*(i%2)))
	}
	obs := monthly(accord.Month(2024, time.April), vals...) // April 2024 to September 2025
	target := trajectory.Target{Comparator: accord.AtLeast, Value: 70, Deadline: accord.NewDate(2026, time.March, 31)}
	a, err := trajectory.Assess(obs, target, nil, monthlyOpts)
	if err != nil {
		t.Fatal(err)
	}
	f := a.Forecast
	if f == nil {
		t.Fatalf("no forecast: %+v", a)
	}
	if f.Period != accord.Month(2026, time.March) || f.Horizon != 6 || f.Points != 18 {
		t.Errorf("forecast for %s, %d ahead, from %d points; want 2026-03, 6, 18", f.Period, f.Horizon, f.Points)
	}
	// The points alternate ±0.3 around the line, so the slope is 0.5 less a
	// little (the last point is −0.3) and the trend at March 2026 (i = 23) is
	// close to 60 + 0.5·23 = 71.5.
	if !close(f.Value, 71.5, 0.01) || math.Abs(f.Slope-0.5) > 0.05 {
		t.Errorf("forecast value %v, slope %v; want about 71.5 and 0.5", f.Value, f.Slope)
	}
	if !(f.Lower < f.Value && f.Value < f.Upper) || f.Level != 0.8 {
		t.Errorf("interval [%v, %v] at %v does not surround %v", f.Lower, f.Upper, f.Level, f.Value)
	}
	if f.Probability < 0.95 || a.Status != trajectory.OnTrack {
		t.Errorf("P = %v, status %s; want nearly certain and on track", f.Probability, a.Status)
	}

	// A quarterly series: the deadline 31 March 2026 is judged on 2025/26 Q4.
	q := []trajectory.Observation{}
	p, _ := accord.FinancialQuarter(2023, 1)
	for i := range 8 {
		q = append(q, trajectory.Observation{Period: p, Value: 50 + float64(i) + 0.2*float64(i%2)})
		p = p.Next()
	}
	a, err = trajectory.Assess(q, target, nil, trajectory.Options{Window: 8, MinPoints: 4, Level: 0.8, OnTrackAt: 0.8, OffBelow: 0.2})
	if err != nil {
		t.Fatal(err)
	}
	if want, _ := accord.FinancialQuarter(2025, 4); a.Forecast == nil || a.Forecast.Period != want || a.Forecast.Horizon != 4 {
		t.Errorf("quarterly forecast %+v, want 2025/26 Q4, 4 ahead", a.Forecast)
	}
	if a.Status != trajectory.OffTrack { // about 61 against 70
		t.Errorf("quarterly status %s, want off_track", a.Status)
	}

	// A standing standard (no deadline) is judged on the next period.
	a, err = trajectory.Assess(obs, trajectory.Target{Comparator: accord.AtLeast, Value: 60}, nil, monthlyOpts)
	if err != nil {
		t.Fatal(err)
	}
	if a.Forecast == nil || a.Forecast.Period != accord.Month(2025, time.October) || a.Forecast.Horizon != 1 || a.Status != trajectory.OnTrack {
		t.Errorf("standing standard: %+v, %s", a.Forecast, a.Status)
	}

	// Observations may come in any order.
	shuffled := slices.Clone(obs)
	slices.Reverse(shuffled)
	b, err := trajectory.Assess(shuffled, target, nil, monthlyOpts)
	if err != nil {
		t.Fatal(err)
	}
	if b.Forecast.Value != f.Value || b.Forecast.Probability != f.Probability {
		t.Errorf("order changed the forecast: %+v against %+v", b.Forecast, f)
	}
}

func TestCheckMilestones(t *testing.T) {
	obs := monthly(accord.Month(2025, time.April), 70, 72, 74)
	plan := ms("2025-06", 75.0, "2025-04", 69.5, "2025-05", 72.0, "2025-07", 76.0)
	got := trajectory.CheckMilestones(obs, plan, accord.AtLeast)
	want := []trajectory.MilestoneCheck{
		{Period: accord.Month(2025, time.April), Planned: 69.5, Observed: 70, Met: true, Gap: 0.5},
		{Period: accord.Month(2025, time.May), Planned: 72, Observed: 72, Met: true, Gap: 0},
		{Period: accord.Month(2025, time.June), Planned: 75, Observed: 74, Met: false, Gap: -1},
	}
	if !slices.Equal(got, want) {
		t.Errorf("CheckMilestones = %+v\nwant %+v", got, want)
	}
	// At most: below plan is met, and the gap keeps its sign.
	got = trajectory.CheckMilestones(obs, plan, accord.AtMost)
	if got[0].Met || !got[1].Met || !got[2].Met || got[2].Gap != -1 {
		t.Errorf("at most: %+v", got)
	}
	a, err := trajectory.Assess(obs, trajectory.Target{Comparator: accord.AtLeast, Value: 80, Deadline: accord.NewDate(2026, time.March, 31)}, plan, monthlyOpts)
	if err != nil {
		t.Fatal(err)
	}
	if a.Status != trajectory.NotEnoughData || len(a.Milestones) != 3 || a.Latest == nil || a.Latest.Period != accord.Month(2025, time.June) {
		t.Errorf("short series still checks milestones: %+v", a)
	}
}

func TestAssessRejects(t *testing.T) {
	ok := trajectory.Target{Comparator: accord.AtLeast, Value: 80, Deadline: accord.NewDate(2026, time.March, 31)}
	apr := accord.Month(2025, time.April)
	fy := accord.FinancialYear(2025)
	tests := []struct {
		name   string
		obs    []trajectory.Observation
		target trajectory.Target
		opts   trajectory.Options
	}{
		{"two kinds of period", []trajectory.Observation{{apr, 1}, {fy, 2}}, ok, monthlyOpts},
		{"a period twice", []trajectory.Observation{{apr, 1}, {apr, 2}}, ok, monthlyOpts},
		{"no period", []trajectory.Observation{{accord.Period{}, 1}}, ok, monthlyOpts},
		{"NaN value", []trajectory.Observation{{apr, math.NaN()}}, ok, monthlyOpts},
		{"bad comparator", monthly(apr, 1, 2, 3), trajectory.Target{Comparator: ">", Value: 1}, monthlyOpts},
		{"NaN target", monthly(apr, 1, 2, 3), trajectory.Target{Comparator: accord.AtLeast, Value: math.NaN()}, monthlyOpts},
		{"MinPoints below 3", monthly(apr, 1, 2, 3), ok, trajectory.Options{Window: 12, MinPoints: 2, Level: 0.8, OnTrackAt: 0.8, OffBelow: 0.2}},
		{"Window below MinPoints", monthly(apr, 1, 2, 3), ok, trajectory.Options{Window: 4, MinPoints: 6, Level: 0.8, OnTrackAt: 0.8, OffBelow: 0.2}},
		{"level of 80", monthly(apr, 1, 2, 3), ok, trajectory.Options{Window: 12, MinPoints: 6, Level: 80, OnTrackAt: 0.8, OffBelow: 0.2}},
		{"thresholds crossed", monthly(apr, 1, 2, 3), ok, trajectory.Options{Window: 12, MinPoints: 6, Level: 0.8, OnTrackAt: 0.2, OffBelow: 0.8}},
	}
	for _, tt := range tests {
		if _, err := trajectory.Assess(tt.obs, tt.target, nil, tt.opts); err == nil {
			t.Errorf("%s: Assess should fail", tt.name)
		}
	}
}

func BenchmarkAssess(b *testing.B) {
	var vals []float64
	for i := range 36 {
		vals = append(vals, 70+0.3*float64(i)+math.Sin(float64(i)))
	}
	obs := monthly(accord.Month(2023, time.April), vals...)
	target := trajectory.Target{Comparator: accord.AtLeast, Value: 82, Deadline: accord.NewDate(2026, time.March, 31)}
	plan := ms("2026-01", 80.0, "2026-02", 81.0)
	for b.Loop() {
		if _, err := trajectory.Assess(obs, target, plan, monthlyOpts); err != nil {
			b.Fatal(err)
		}
	}
}
