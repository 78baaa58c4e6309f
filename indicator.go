package accord

import (
	"context"
	"regexp"
	"slices"
	"strings"
)

// Unit is what an indicator's value is measured in.
type Unit string

const (
	UnitPercent Unit = "percent"
	UnitPer1000 Unit = "per_1000"
	UnitPer100k Unit = "per_100000"
	UnitCount   Unit = "count"
	UnitYears   Unit = "years"
	UnitMinutes Unit = "minutes"
	UnitRatio   Unit = "ratio"
	UnitScore   Unit = "score"
	UnitRank    Unit = "rank"
	UnitPoints  Unit = "percentage_points"
)

var units = []Unit{UnitPercent, UnitPer1000, UnitPer100k, UnitCount, UnitYears, UnitMinutes, UnitRatio, UnitScore, UnitRank, UnitPoints}

// Symbol is the short suffix shown after a value.
func (u Unit) Symbol() string {
	switch u {
	case UnitPercent:
		return "%"
	case UnitPer1000:
		return " per 1,000"
	case UnitPer100k:
		return " per 100,000"
	case UnitYears:
		return " years"
	case UnitMinutes:
		return " minutes"
	case UnitPoints:
		return " percentage points"
	}
	return ""
}

// Polarity says which direction is better, so comparisons can say better or
// worse rather than higher or lower.
type Polarity string

const (
	HigherIsBetter Polarity = "higher_is_better"
	LowerIsBetter  Polarity = "lower_is_better"
	NoPolarity     Polarity = "no_judgement"
)

// Label is the plain-English form of the polarity.
func (p Polarity) Label() string {
	switch p {
	case HigherIsBetter:
		return "Higher is better"
	case LowerIsBetter:
		return "Lower is better"
	}
	return "Neither higher nor lower is better"
}

// Method is how the value is computed, which decides the statistics that
// apply (Wilson intervals for proportions, Byar's for rates, and so on).
type Method string

const (
	MethodProportion     Method = "proportion"
	MethodRate           Method = "rate"
	MethodDSR            Method = "directly_standardised_rate"
	MethodMean           Method = "mean"
	MethodCount          Method = "count"
	MethodRatio          Method = "ratio"
	MethodLifeExpectancy Method = "life_expectancy"
	MethodScore          Method = "score"
	MethodSlopeIndex     Method = "slope_index"
)

var methods = []Method{MethodProportion, MethodRate, MethodDSR, MethodMean, MethodCount, MethodRatio, MethodLifeExpectancy, MethodScore, MethodSlopeIndex}

// Frequency is how often the source publishes.
type Frequency string

const (
	Monthly   Frequency = "monthly"
	Quarterly Frequency = "quarterly"
	Annual    Frequency = "annual"
	Rolling3  Frequency = "rolling_3_year"
	Irregular Frequency = "irregular"
)

var frequencies = []Frequency{Monthly, Quarterly, Annual, Rolling3, Irregular}

// Tag classifies an indicator. Kind tags (outcome, process, context) and focus tags
// (acute, preventative, inequality) let a board see at a glance whether its
// targets are all acute activity.
type Tag string

const (
	TagOutcome      Tag = "outcome"
	TagProcess      Tag = "process"
	TagContext      Tag = "context" // describes the population (deprivation) rather than care
	TagAcute        Tag = "acute"
	TagPreventative Tag = "preventative"
	TagInequality   Tag = "inequality"
)

var tags = []Tag{TagOutcome, TagProcess, TagContext, TagAcute, TagPreventative, TagInequality}

// Indicator is what is measured, with enough metadata for an analyst to
// reproduce it from the source.
type Indicator struct {
	ID           string    `json:"id"`
	Name         string    `json:"name"`
	Definition   string    `json:"definition"`
	Area         string    `json:"area"` // elective, cancer, urgent_emergency_care, population_health, …
	Unit         Unit      `json:"unit"`
	Polarity     Polarity  `json:"polarity"`
	Method       Method    `json:"method"`
	Numerator    string    `json:"numerator_definition"`
	Denominator  string    `json:"denominator_definition"`
	Source       string    `json:"source"`
	SourceURL    string    `json:"source_url"`
	Frequency    Frequency `json:"frequency"`
	Tags         []Tag     `json:"tags"`
	FingertipsID int       `json:"fingertips_id,omitempty"`
}

var indicatorIDRe = regexp.MustCompile(`^[a-z0-9][a-z0-9_]{1,62}$`)

// HasTag reports whether the indicator carries t.
func (ind Indicator) HasTag(t Tag) bool { return slices.Contains(ind.Tags, t) }

// Validate checks the metadata is complete and uses known vocabularies.
func (ind Indicator) Validate() error {
	var p Problems
	if !indicatorIDRe.MatchString(ind.ID) {
		p.Add("id", "%q must be 2 to 63 lower-case letters, digits or underscores", ind.ID)
	}
	if strings.TrimSpace(ind.Name) == "" {
		p.Add("name", "is required")
	}
	if strings.TrimSpace(ind.Definition) == "" {
		p.Add("definition", "is required")
	}
	if !slices.Contains(units, ind.Unit) {
		p.Add("unit", "%q is not a known unit", ind.Unit)
	}
	if ind.Polarity != HigherIsBetter && ind.Polarity != LowerIsBetter && ind.Polarity != NoPolarity {
		p.Add("polarity", "%q must be higher_is_better, lower_is_better or no_judgement", ind.Polarity)
	}
	if !slices.Contains(methods, ind.Method) {
		p.Add("method", "%q is not a known method", ind.Method)
	}
	if (ind.Method == MethodProportion || ind.Method == MethodRate || ind.Method == MethodDSR) && strings.TrimSpace(ind.Denominator) == "" {
		p.Add("denominator_definition", "is required for a %s", ind.Method)
	}
	if strings.TrimSpace(ind.Source) == "" {
		p.Add("source", "is required")
	}
	if !slices.Contains(frequencies, ind.Frequency) {
		p.Add("frequency", "%q is not a known frequency", ind.Frequency)
	}
	var kind int
	for _, t := range ind.Tags {
		if !slices.Contains(tags, t) {
			p.Add("tags", "%q is not one of outcome, process, context, acute, preventative, inequality", t)
		}
		if t == TagOutcome || t == TagProcess || t == TagContext {
			kind++
		}
	}
	if kind != 1 {
		p.Add("tags", "must include exactly one of outcome, process or context")
	}
	return p.Err("indicator " + ind.ID)
}

// IndicatorFilter selects indicators. Zero fields do not filter.
type IndicatorFilter struct {
	IDs    []string
	Tag    Tag
	Area   string
	Query  string
	Offset int
	Limit  int
}

// IndicatorStore keeps the indicator catalogue.
type IndicatorStore interface {
	UpsertIndicators(ctx context.Context, inds []Indicator) error
	FindIndicators(ctx context.Context, f IndicatorFilter) ([]Indicator, int, error)
	FindIndicator(ctx context.Context, id string) (Indicator, error)
}
