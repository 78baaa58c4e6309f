package phe

import "math"

// Input is one method's JSON arguments. Run computes the statistic; its
// result marshals to JSON directly. Field names are the package's argument
// names; an absent field takes the package's default. In every Vector a
// JSON null is a missing value (R's NA). confidence may be a number or a
// list; for "proportion" an explicit null asks for no intervals, as the
// package's confidence = NA does.
type Input interface {
	Run() (any, error)
}

// Methods maps the names `accord stats METHOD` accepts to a constructor for
// that method's input.
func Methods() map[string]func() Input {
	return map[string]func() Input{
		"proportion":      func() Input { return &ProportionInput{} },
		"rate":            func() Input { return &RateInput{} },
		"mean":            func() Input { return &MeanInput{} },
		"dsr":             func() Input { return &DSRInput{} },
		"isr":             func() Input { return &ISRInput{} },
		"isratio":         func() Input { return &ISRInput{Statistic: "ratio"} },
		"israte":          func() Input { return &ISRInput{Statistic: "rate"} },
		"sii":             func() Input { return &SIIInput{} },
		"life-expectancy": func() Input { return &LifeExpectancyInput{} },
		"funnel":          func() Input { return &FunnelInput{} },
	}
}

func or(p *float64, def float64) float64 {
	if p == nil {
		return def
	}
	return *p
}

// confidenceArg turns a decoded confidence into the Go API's form: absent
// is nil (the default), anything else as given.
func confidenceArg(v Vector) []float64 {
	if v == nil {
		return nil
	}
	return []float64(v)
}

// ProportionInput is phe_proportion's arguments for one row.
type ProportionInput struct {
	X          *float64 `json:"x"`
	N          *float64 `json:"n"`
	Multiplier *float64 `json:"multiplier"` // default 1
	Confidence Vector   `json:"confidence"` // default 0.95; null for none
}

// Run computes the proportion.
func (in *ProportionInput) Run() (any, error) {
	return Proportion(val(in.X), val(in.N), or(in.Multiplier, 1), confidenceArg(in.Confidence))
}

// RateInput is phe_rate's arguments for one row.
type RateInput struct {
	X          *float64 `json:"x"`
	N          *float64 `json:"n"`
	Multiplier *float64 `json:"multiplier"` // default 100000
	Confidence Vector   `json:"confidence"`
}

// Run computes the rate.
func (in *RateInput) Run() (any, error) {
	return Rate(val(in.X), val(in.N), or(in.Multiplier, 100000), confidenceArg(in.Confidence))
}

// MeanInput is phe_mean's arguments for one group.
type MeanInput struct {
	X          Vector `json:"x"`
	Confidence Vector `json:"confidence"`
}

// Run computes the mean.
func (in *MeanInput) Run() (any, error) {
	return Mean(in.X, confidenceArg(in.Confidence))
}

// DSRInput is calculate_dsr's arguments for one group.
type DSRInput struct {
	X                 Vector   `json:"x"`
	N                 Vector   `json:"n"`
	StdPop            Vector   `json:"stdpop"`
	Multiplier        *float64 `json:"multiplier"` // default 100000
	Confidence        Vector   `json:"confidence"`
	IndependentEvents *bool    `json:"independent_events"` // default true
	EventFreq         Vector   `json:"eventfreq"`
	AgeBand           []Label  `json:"ageband"`
}

// Run computes the DSR.
func (in *DSRInput) Run() (any, error) {
	var bands []string
	if in.AgeBand != nil {
		bands = make([]string, len(in.AgeBand))
		for i, b := range in.AgeBand {
			bands[i] = string(b)
		}
	}
	return DSR(in.X, in.N, in.StdPop, or(in.Multiplier, 100000), confidenceArg(in.Confidence),
		DSROptions{IndependentEvents: in.IndependentEvents, EventFreq: in.EventFreq, AgeBand: bands})
}

// ISRInput is calculate_ISRatio's (statistic "ratio", the default) or
// calculate_ISRate's (statistic "rate") arguments for one group. Give x by
// age band, or observed_totals as the group's total observed events.
type ISRInput struct {
	Statistic      string   `json:"statistic"`
	X              Vector   `json:"x"`
	ObservedTotals *float64 `json:"observed_totals"`
	N              Vector   `json:"n"`
	XRef           Vector   `json:"x_ref"`
	NRef           Vector   `json:"n_ref"`
	RefValue       *float64 `json:"refvalue"`   // ratio only; default 1
	Multiplier     *float64 `json:"multiplier"` // rate only; default 100000
	Confidence     Vector   `json:"confidence"`
}

// Run computes the ratio or rate.
func (in *ISRInput) Run() (any, error) {
	switch in.Statistic {
	case "", "ratio":
		return ISRatio(in.X, in.ObservedTotals, in.N, in.XRef, in.NRef, or(in.RefValue, 1), confidenceArg(in.Confidence))
	case "rate":
		return ISRate(in.X, in.ObservedTotals, in.N, in.XRef, in.NRef, or(in.Multiplier, 100000), confidenceArg(in.Confidence))
	}
	return nil, invalid("statistic must be ratio or rate")
}

// LifeExpectancyInput is phe_life_expectancy's arguments for one area.
type LifeExpectancyInput struct {
	Deaths      Vector `json:"deaths"`
	Population  Vector `json:"population"`
	StartAge    []int  `json:"startage"`
	AgeContents []int  `json:"age_contents"` // default 0, 1, 5, ..., 90
	LEAge       []int  `json:"le_age"`       // default all
	Confidence  Vector `json:"confidence"`
}

// Run computes the life table.
func (in *LifeExpectancyInput) Run() (any, error) {
	return LifeExpectancy(in.Deaths, in.Population, in.StartAge, confidenceArg(in.Confidence),
		LEOptions{AgeContents: in.AgeContents, LEAge: in.LEAge})
}

// SIIInput is phe_sii's arguments for one area, plus the seed of the
// simulation (default 1), which R's set.seed would play.
type SIIInput struct {
	Quantile        Vector   `json:"quantile"`
	Population      Vector   `json:"population"`
	X               Vector   `json:"x"`
	Value           Vector   `json:"value"`
	ValueType       int      `json:"value_type"`
	Transform       bool     `json:"transform"`
	LowerCL         Vector   `json:"lower_cl"`
	UpperCL         Vector   `json:"upper_cl"`
	SE              Vector   `json:"se"`
	Multiplier      *float64 `json:"multiplier"`  // default 1
	Repetitions     *int     `json:"repetitions"` // default 100000
	Confidence      Vector   `json:"confidence"`
	RII             bool     `json:"rii"`
	Intercept       bool     `json:"intercept"`
	ReliabilityStat bool     `json:"reliability_stat"`
	Seed            *uint64  `json:"seed"`
}

// Run computes the SII.
func (in *SIIInput) Run() (any, error) {
	mult := or(in.Multiplier, 1)
	if mult == 0 {
		return nil, invalid("multiplier must not be zero")
	}
	reps := 100000
	if in.Repetitions != nil {
		reps = *in.Repetitions
		if reps < 1000 {
			return nil, invalid("number of repetitions must be 1000 or greater. Default is 100,000")
		}
	}
	seed := uint64(1)
	if in.Seed != nil {
		seed = *in.Seed
	}
	return SII(in.Quantile, in.Population, SIIOptions{
		Value: in.Value, X: in.X, ValueType: in.ValueType, Transform: in.Transform,
		LowerCL: in.LowerCL, UpperCL: in.UpperCL, SE: in.SE, Multiplier: mult,
		Repetitions: reps, Confidence: confidenceArg(in.Confidence),
		RII: in.RII, Intercept: in.Intercept, ReliabilityStat: in.ReliabilityStat, Seed: seed,
	})
}

// FunnelInput is the arguments of calculate_funnel_limits and
// assign_funnel_significance (and, for rates, calculate_funnel_points).
type FunnelInput struct {
	Numerator   Vector   `json:"numerator"`
	Denominator Vector   `json:"denominator"`
	Rate        Vector   `json:"rate"`
	Statistic   string   `json:"statistic"`
	Multiplier  *float64 `json:"multiplier"`
	RatioType   string   `json:"ratio_type"`
	RateType    string   `json:"rate_type"`
	YearsOfData *float64 `json:"years_of_data"`
}

// FunnelOutput is the funnel's control limits, each row's significance and,
// for rates, the points to plot.
type FunnelOutput struct {
	Limits       FunnelLimitTable `json:"limits"`
	Significance []string         `json:"significance"`
	Points       []FunnelPoint    `json:"points,omitempty"`
}

// Run computes limits, significance and (rates) points.
func (in *FunnelInput) Run() (any, error) {
	o := FunnelOptions{
		Statistic: in.Statistic, Multiplier: or(in.Multiplier, 0), RatioType: in.RatioType,
		RateType: in.RateType, YearsOfData: or(in.YearsOfData, 0),
	}
	if math.IsNaN(o.Multiplier) || math.IsNaN(o.YearsOfData) {
		return nil, invalid("multiplier and years_of_data must be numbers")
	}
	var out FunnelOutput
	var err error
	if out.Limits, err = FunnelLimits(in.Numerator, in.Denominator, in.Rate, o); err != nil {
		return nil, err
	}
	if out.Significance, err = FunnelSignificance(in.Numerator, in.Denominator, in.Rate, o); err != nil {
		return nil, err
	}
	if o.Statistic == "rate" {
		if out.Points, err = FunnelPoints(in.Numerator, in.Denominator, in.Rate, o); err != nil {
			return nil, err
		}
	}
	return out, nil
}
