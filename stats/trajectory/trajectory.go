// Package trajectory checks a series against its target: each observed
// period against its planned milestone, and the chance of meeting the
// target by its deadline, forecast from the series' own recent trend (a
// least squares line with a Student-t prediction interval). See
// docs/stats-compare.md for the method and why it was chosen.
package trajectory

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/nhs-accord/accord"
)

// Status is the verdict on a target.
type Status string

const (
	OnTrack       Status = "on_track"
	AtRisk        Status = "at_risk"
	OffTrack      Status = "off_track"
	NotEnoughData Status = "not_enough_data" // fewer observations than Options.MinPoints
	Achieved      Status = "achieved"        // the deadline period is observed and meets the target
	Missed        Status = "missed"          // the deadline period is observed and does not
)

// Observation is one value of the series.
type Observation struct {
	Period accord.Period
	Value  float64
}

// Target is what the series should reach: Comparator (>= or <=) Value in
// the period that contains Deadline. A zero Deadline (a standing standard)
// is judged on the next period after the latest observation.
type Target struct {
	Comparator accord.Comparator
	Value      float64
	Deadline   accord.Date
}

// Options tune the forecast and the verdict. DefaultOptions gives the values
// Accord uses; Window and MinPoints count periods of the series.
type Options struct {
	Window    int     // fit the trend to at most this many latest observations
	MinPoints int     // fewer observations than this: not_enough_data (at least 3)
	Level     float64 // prediction interval level, as a fraction
	OnTrackAt float64 // P(meeting the target) at or above this is on track ...
	OffBelow  float64 // ... and below this off track
}

// DefaultOptions returns the options Accord uses for a series of periods of
// kind: an 80% prediction interval, on track from a 4-in-5 chance of meeting
// the target and off track below 1 in 5, and a window long enough to see
// through a season. Monthly series fit the latest 24 months and need 12 (a
// full year, so the winter is in the data); quarterly series fit 12 quarters
// and need 6; yearly and rolling series fit 10 and need 5.
func DefaultOptions(kind accord.PeriodKind) Options {
	o := Options{Window: 24, MinPoints: 12, Level: 0.8, OnTrackAt: 0.8, OffBelow: 0.2}
	switch kind {
	case accord.PeriodQuarter:
		o.Window, o.MinPoints = 12, 6
	case accord.PeriodFinancialYear, accord.PeriodCalendarYear, accord.PeriodRolling:
		o.Window, o.MinPoints = 10, 5
	}
	return o
}

func (o Options) validate() error {
	switch {
	case o.MinPoints < 3:
		return errors.New("trajectory: MinPoints must be at least 3")
	case o.Window < o.MinPoints:
		return errors.New("trajectory: Window must be at least MinPoints")
	case !(o.Level > 0 && o.Level < 1):
		return errors.New("trajectory: Level must be between 0 and 1")
	case !(o.OffBelow >= 0 && o.OffBelow <= o.OnTrackAt && o.OnTrackAt <= 1):
		return errors.New("trajectory: need 0 ≤ OffBelow ≤ OnTrackAt ≤ 1")
	}
	return nil
}

// MilestoneCheck is one observed period against its planned milestone.
type MilestoneCheck struct {
	Period   accord.Period
	Planned  float64
	Observed float64
	Met      bool    // Observed meets Planned under the target's comparator
	Gap      float64 // Observed − Planned: positive is above plan
}

// Forecast is the trend's forecast for the deadline period.
type Forecast struct {
	Period       accord.Period // the period the target is judged on
	Horizon      int           // periods after the latest observation
	Value        float64       // the trend line's value there
	Lower, Upper float64       // prediction interval at Level
	Level        float64
	Probability  float64 // P(the value then meets the target)
	Points       int     // observations the trend was fitted to
	Slope        float64 // change per period
	ResidualSE   float64
}

// Assessment is the verdict with its workings.
type Assessment struct {
	Status     Status
	Milestones []MilestoneCheck // the milestones whose period has been observed, in period order
	Latest     *MilestoneCheck  // the latest of them; nil when none
	Forecast   *Forecast        // nil when the deadline is already observed or data are too few
	Outcome    *Observation     // the observed deadline period, when Achieved or Missed
}

// Assess checks obs against the target and its planned milestones.
//
// The verdict: once the deadline is past, achieved or missed by the value
// of the deadline period (not_enough_data if that period is missing).
// Before, with fewer than MinPoints observations, not_enough_data.
// Otherwise, from P = the forecast chance of meeting the target and the
// latest observed milestone:
//
//	P ≥ OnTrackAt              on_track, or at_risk when the latest milestone was missed
//	OffBelow ≤ P < OnTrackAt   at_risk
//	P < OffBelow               off_track, or at_risk when the latest milestone was met
//	                           (the plan expects a step the trend cannot see)
//
// obs may be in any order but must be one kind of period with no period
// twice and finite values; milestones whose period has no observation are
// not yet due and are left out.
func Assess(obs []Observation, target Target, plan []accord.Milestone, opts Options) (Assessment, error) {
	if err := opts.validate(); err != nil {
		return Assessment{}, err
	}
	if target.Comparator != accord.AtLeast && target.Comparator != accord.AtMost {
		return Assessment{}, fmt.Errorf("trajectory: comparator %q must be >= or <=", target.Comparator)
	}
	if math.IsNaN(target.Value) || math.IsInf(target.Value, 0) {
		return Assessment{}, errors.New("trajectory: the target value is not a number")
	}
	series, err := sorted(obs)
	if err != nil {
		return Assessment{}, err
	}
	var a Assessment
	a.Milestones = CheckMilestones(series, plan, target.Comparator)
	if n := len(a.Milestones); n > 0 {
		a.Latest = &a.Milestones[n-1]
	}
	if len(series) == 0 {
		a.Status = NotEnoughData
		return a, nil
	}
	last := series[len(series)-1]
	if !target.Deadline.IsZero() && !last.Period.End().Before(target.Deadline.Time) {
		// The deadline is past: the outcome is the deadline period, the first
		// observation ending on or after it. If that period is missing (the
		// first such observation starts after the deadline), nobody can say.
		i, _ := slices.BinarySearchFunc(series, target.Deadline.Time, func(o Observation, d time.Time) int {
			return o.Period.End().Compare(d)
		})
		out := series[i]
		if out.Period.Start().After(target.Deadline.Time) {
			a.Status = NotEnoughData
			return a, nil
		}
		a.Outcome = &out
		a.Status = Missed
		if target.Comparator.Met(out.Value, target.Value) {
			a.Status = Achieved
		}
		return a, nil
	}
	if len(series) < opts.MinPoints {
		a.Status = NotEnoughData
		return a, nil
	}
	deadline, horizon := deadlinePeriod(last.Period, target.Deadline)
	f, err := forecastAt(series, deadline, horizon, target, opts)
	if err != nil {
		return Assessment{}, err
	}
	a.Forecast = &f
	a.Status = verdict(f.Probability, a.Latest, opts)
	return a, nil
}

func verdict(p float64, latest *MilestoneCheck, opts Options) Status {
	switch {
	case p >= opts.OnTrackAt:
		if latest != nil && !latest.Met {
			return AtRisk
		}
		return OnTrack
	case p < opts.OffBelow:
		if latest != nil && latest.Met {
			return AtRisk
		}
		return OffTrack
	}
	return AtRisk
}

// CheckMilestones compares each planned milestone with the observation for
// the same period, in period order. Milestones with no observation are left
// out.
func CheckMilestones(obs []Observation, plan []accord.Milestone, c accord.Comparator) []MilestoneCheck {
	at := make(map[accord.Period]float64, len(obs))
	for _, o := range obs {
		at[o.Period] = o.Value
	}
	var out []MilestoneCheck
	for _, m := range plan {
		v, ok := at[m.Period]
		if !ok {
			continue
		}
		out = append(out, MilestoneCheck{Period: m.Period, Planned: m.Value, Observed: v, Met: c.Met(v, m.Value), Gap: v - m.Value})
	}
	slices.SortFunc(out, func(a, b MilestoneCheck) int { return a.Period.Compare(b.Period) })
	return out
}

// step is how far apart consecutive periods of a kind start, in months.
func step(p accord.Period) int {
	if p.Kind() == accord.PeriodRolling {
		return 12 // each year's new rolling figure moves on a year
	}
	return p.Months()
}

// position places a period on the time axis, counted in periods of its kind.
func position(p accord.Period) float64 {
	s := p.Start()
	return float64(s.Year()*12+int(s.Month())-1) / float64(step(p))
}

// deadlinePeriod is the period of last's kind in which deadline falls, and
// how many periods after last it is. A zero deadline means the next period.
func deadlinePeriod(last accord.Period, deadline accord.Date) (accord.Period, int) {
	p, h := last.Next(), 1
	for !deadline.IsZero() && p.End().Before(deadline.Time) {
		p, h = p.Next(), h+1
	}
	return p, h
}

// forecastAt fits the trend to the latest Window observations and forecasts
// the deadline period.
func forecastAt(series []Observation, deadline accord.Period, horizon int, target Target, opts Options) (Forecast, error) {
	fit := series[max(0, len(series)-opts.Window):]
	line, err := fitSeries(fit)
	if err != nil {
		return Forecast{}, err
	}
	x := position(deadline)
	f := Forecast{Period: deadline, Horizon: horizon, Value: line.At(x), Level: opts.Level,
		Points: line.N, Slope: line.Slope, ResidualSE: line.ResidualSE}
	f.Lower, f.Upper = line.Interval(x, opts.Level)
	if target.Comparator == accord.AtMost {
		f.Probability = line.ProbBelow(x, target.Value)
	} else {
		f.Probability = line.ProbAbove(x, target.Value)
	}
	return f, nil
}

func fitSeries(obs []Observation) (Line, error) {
	xs, ys := make([]float64, len(obs)), make([]float64, len(obs))
	for i, o := range obs {
		xs[i], ys[i] = position(o.Period), o.Value
	}
	return Fit(xs, ys)
}

// sorted returns a sorted copy of obs after checking it is one kind of
// period, each period once, with finite values.
func sorted(obs []Observation) ([]Observation, error) {
	out := slices.Clone(obs)
	slices.SortFunc(out, func(a, b Observation) int { return a.Period.Compare(b.Period) })
	for i, o := range out {
		switch {
		case o.Period.IsZero():
			return nil, errors.New("trajectory: an observation has no period")
		case math.IsNaN(o.Value) || math.IsInf(o.Value, 0):
			return nil, fmt.Errorf("trajectory: the value for %s is not a number", o.Period)
		case o.Period.Kind() != out[0].Period.Kind():
			return nil, fmt.Errorf("trajectory: %s and %s are different kinds of period", out[0].Period, o.Period)
		case i > 0 && o.Period == out[i-1].Period:
			return nil, fmt.Errorf("trajectory: %s is observed twice", o.Period)
		}
	}
	return out, nil
}
