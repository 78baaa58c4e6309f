package accord

import (
	"context"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
)

// Status says whether a published figure may still be revised.
type Status string

const (
	Provisional Status = "provisional"
	Final       Status = "final"
)

// Sex values as Fingertips and ONS publish them; "" means persons.
const (
	SexPersons = ""
	SexMale    = "male"
	SexFemale  = "female"
)

// Breakdown narrows an observation to part of the population. The zero
// Breakdown is the whole population of the organisation.
type Breakdown struct {
	Sex       string `json:"sex,omitempty"`
	AgeBand   string `json:"age_band,omitempty"`
	IMDDecile int    `json:"imd_decile,omitempty"` // 1 most deprived … 10 least deprived; 0 not broken down
	Ethnicity string `json:"ethnicity,omitempty"`  // the publisher's ethnic group label
}

var ageBandRe = regexp.MustCompile(`^([0-9]{1,3}(-[0-9]{1,3}|\+)?|<[0-9]{1,3})$`)

// IsTotal reports whether b is the whole population.
func (b Breakdown) IsTotal() bool { return b == Breakdown{} }

// Key is the canonical text of b, used as part of an observation's
// identity in storage and in API filters: "" for the total, otherwise
// "sex=female;age=65+;imd=3" with empty parts left out.
func (b Breakdown) Key() string {
	var parts []string
	if b.Sex != "" {
		parts = append(parts, "sex="+b.Sex)
	}
	if b.AgeBand != "" {
		parts = append(parts, "age="+b.AgeBand)
	}
	if b.IMDDecile != 0 {
		parts = append(parts, "imd="+strconv.Itoa(b.IMDDecile))
	}
	if b.Ethnicity != "" {
		parts = append(parts, "eth="+b.Ethnicity)
	}
	return strings.Join(parts, ";")
}

// String is the plain-English label of b.
func (b Breakdown) String() string {
	if b.IsTotal() {
		return "All people"
	}
	var parts []string
	if b.Sex != "" {
		parts = append(parts, strings.ToUpper(b.Sex[:1])+b.Sex[1:])
	}
	if b.AgeBand != "" {
		parts = append(parts, "aged "+b.AgeBand)
	}
	if b.IMDDecile != 0 {
		parts = append(parts, fmt.Sprintf("deprivation decile %d", b.IMDDecile))
	}
	if b.Ethnicity != "" {
		parts = append(parts, "ethnic group "+b.Ethnicity)
	}
	return strings.Join(parts, ", ")
}

// ParseBreakdown reads the form Key writes.
func ParseBreakdown(s string) (Breakdown, error) {
	var b Breakdown
	if strings.TrimSpace(s) == "" {
		return b, nil
	}
	for _, part := range strings.Split(s, ";") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return b, Errorf(EINVALID, "breakdown %q: %q is not name=value (sex, age or imd)", s, part)
		}
		switch k {
		case "sex":
			b.Sex = v
		case "age":
			b.AgeBand = v
		case "imd":
			n, err := strconv.Atoi(v)
			if err != nil {
				return b, Errorf(EINVALID, "breakdown %q: imd must be a decile from 1 to 10", s)
			}
			b.IMDDecile = n
		case "eth":
			b.Ethnicity = v
		default:
			return b, Errorf(EINVALID, "breakdown %q: unknown part %q (use sex, age, imd or eth)", s, k)
		}
	}
	return b, b.Validate()
}

// Validate checks each part of the breakdown.
func (b Breakdown) Validate() error {
	var p Problems
	if b.Sex != SexPersons && b.Sex != SexMale && b.Sex != SexFemale {
		p.Add("breakdown.sex", "%q must be male or female (leave empty for persons)", b.Sex)
	}
	if b.AgeBand != "" && !ageBandRe.MatchString(b.AgeBand) {
		p.Add("breakdown.age_band", "%q must look like 0-4, 65+ or <75", b.AgeBand)
	}
	if b.IMDDecile < 0 || b.IMDDecile > 10 {
		p.Add("breakdown.imd_decile", "%d must be from 1 (most deprived) to 10", b.IMDDecile)
	}
	if strings.ContainsAny(b.Ethnicity, ";=") {
		p.Add("breakdown.ethnicity", "%q must not contain ; or =", b.Ethnicity)
	}
	return p.Err("breakdown")
}

// Observation is one published value of one indicator for one organisation
// and period. Numerator and denominator are kept wherever the source gives
// them, so roll-ups are recomputed from counts and never averaged.
type Observation struct {
	IndicatorID string    `json:"indicator_id"`
	OrgCode     string    `json:"organisation_code"`
	Period      Period    `json:"period"`
	Breakdown   Breakdown `json:"breakdown"`
	Value       float64   `json:"value"`
	Numerator   *float64  `json:"numerator"`
	Denominator *float64  `json:"denominator"`
	LowerCI     *float64  `json:"lower_ci"`
	UpperCI     *float64  `json:"upper_ci"`
	CILevel     float64   `json:"ci_level,omitempty"` // 95 or 99.8 when an interval is given
	Status      Status    `json:"status"`
	// Comparison is the publisher's own verdict against England where it
	// gives one (Fingertips: "Better", "Similar", "Worse", "Higher", …),
	// kept as published so Accord's own comparison can be checked against it.
	Comparison string `json:"published_comparison,omitempty"`
	Source     string `json:"source"` // provenance: publisher and publication or file
	ImportID   int64  `json:"import_id,omitempty"`
}

// Key is the identity of an observation: no two may share one.
func (o Observation) Key() string {
	return o.IndicatorID + "|" + o.OrgCode + "|" + o.Period.String() + "|" + o.Breakdown.Key()
}

// Describe names the observation for error messages.
func (o Observation) Describe() string {
	s := fmt.Sprintf("%s for %s in %s", o.IndicatorID, o.OrgCode, o.Period)
	if !o.Breakdown.IsTotal() {
		s += " (" + o.Breakdown.String() + ")"
	}
	return s
}

// Validate checks the observation against its indicator: a percentage lies
// in 0–100, a numerator does not exceed its denominator, counts are not
// negative, and an interval contains its value.
func (o Observation) Validate(ind Indicator) error {
	var p Problems
	if o.IndicatorID == "" {
		p.Add("indicator", "is required")
	} else if o.IndicatorID != ind.ID {
		p.Add("indicator", "%q does not match the indicator checked against (%q)", o.IndicatorID, ind.ID)
	}
	if o.OrgCode == "" {
		p.Add("organisation", "is required")
	}
	if o.Period.IsZero() {
		p.Add("period", "is required")
	}
	if err := o.Breakdown.Validate(); err != nil {
		p = append(p, err.(*Error).Fields...)
	}
	if math.IsNaN(o.Value) || math.IsInf(o.Value, 0) {
		p.Add("value", "must be a number")
	} else {
		switch ind.Unit {
		case UnitPercent:
			if o.Value < 0 || o.Value > 100 {
				p.Add("value", "%s is not a percentage between 0 and 100", fmtNum(o.Value))
			}
		case UnitCount, UnitPer1000, UnitPer100k, UnitYears, UnitMinutes, UnitRatio, UnitRank:
			if o.Value < 0 {
				p.Add("value", "%s must not be negative", fmtNum(o.Value))
			}
		}
	}
	for _, c := range []struct {
		name string
		v    *float64
	}{{"numerator", o.Numerator}, {"denominator", o.Denominator}} {
		if c.v != nil && (math.IsNaN(*c.v) || math.IsInf(*c.v, 0) || *c.v < 0) {
			p.Add(c.name, "%s must be a number that is not negative", fmtNum(*c.v))
		}
	}
	if o.Numerator != nil && o.Denominator != nil && ind.Method == MethodProportion && *o.Numerator > *o.Denominator {
		p.Add("numerator", "%s is more than the denominator %s", fmtNum(*o.Numerator), fmtNum(*o.Denominator))
	}
	if (o.LowerCI == nil) != (o.UpperCI == nil) {
		p.Add("interval", "give both the lower and upper limits, or neither")
	} else if o.LowerCI != nil {
		if *o.LowerCI > *o.UpperCI {
			p.Add("interval", "lower limit %s is above upper limit %s", fmtNum(*o.LowerCI), fmtNum(*o.UpperCI))
		} else if o.Value < *o.LowerCI-1e-9 || o.Value > *o.UpperCI+1e-9 {
			p.Add("interval", "%s to %s does not contain the value %s", fmtNum(*o.LowerCI), fmtNum(*o.UpperCI), fmtNum(o.Value))
		}
		if o.CILevel != 95 && o.CILevel != 99.8 {
			p.Add("ci_level", "%s must be 95 or 99.8", fmtNum(o.CILevel))
		}
	}
	if o.Status != Provisional && o.Status != Final {
		p.Add("status", "%q must be provisional or final", o.Status)
	}
	return p.Err("observation " + o.Describe())
}

func fmtNum(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// Float returns a pointer to v, for the optional fields of an Observation.
func Float(v float64) *float64 { return &v }

// ObservationFilter selects observations. Zero fields do not filter, except
// Breakdown: by default only whole-population rows are returned, and
// AnyBreakdown lifts that.
type ObservationFilter struct {
	IndicatorID  string
	OrgCodes     []string
	From, To     Period // inclusive, compared by period start
	Breakdown    Breakdown
	AnyBreakdown bool
	ImportID     int64 // only observations written by this import
	Offset       int
	Limit        int
}

// SeriesSummary describes the observations held for one indicator and
// organisation, for pages that list "the data held".
type SeriesSummary struct {
	IndicatorID string `json:"indicator_id"`
	OrgCode     string `json:"organisation_code"`
	Count       int    `json:"count"`
	First       Period `json:"first_period"`
	Last        Period `json:"last_period"`
}

// ObservationStore keeps observations.
type ObservationStore interface {
	// AddObservations validates every observation against its indicator,
	// checks the organisation exists and that no key is repeated (in the
	// batch or in the store), then writes all of them or none.
	AddObservations(ctx context.Context, obs []Observation) error
	FindObservations(ctx context.Context, f ObservationFilter) ([]Observation, int, error)
	SummariseObservations(ctx context.Context, orgCodes []string) ([]SeriesSummary, error)
	// EachValue calls fn for each observation f selects, with only what a
	// statistic needs (indicator, organisation, period, breakdown, value,
	// counts and interval), streaming rather than holding them all.
	EachValue(ctx context.Context, f ObservationFilter, fn func(Observation) error) error
}
