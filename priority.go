package accord

import (
	"context"
	"strings"
)

// Comparator says which side of a standard counts as meeting it.
type Comparator string

const (
	AtLeast Comparator = ">="
	AtMost  Comparator = "<="
)

// Met reports whether value meets standard under c.
func (c Comparator) Met(value, standard float64) bool {
	if c == AtMost {
		return value <= standard
	}
	return value >= standard
}

// Label is the plain-English form, as in "at least 65%".
func (c Comparator) Label() string {
	if c == AtMost {
		return "at most"
	}
	return "at least"
}

// StandardType says where a national standard comes from.
type StandardType string

const (
	Constitutional StandardType = "constitutional" // the NHS Constitution's standing rights
	Planning       StandardType = "planning"       // a year's planning guidance or framework
)

// Priority is one national target: a standard set nationally, with its
// deadline, that local targets are set in line with.
type Priority struct {
	ID           string       `json:"id"`
	Area         string       `json:"area"`
	Name         string       `json:"name"`
	StandardType StandardType `json:"standard_type"`
	Metric       string       `json:"metric"`
	IndicatorID  string       `json:"indicator_id,omitempty"` // "" when Accord does not yet measure it
	Comparator   Comparator   `json:"comparator"`
	Standard     float64      `json:"standard"`
	Unit         string       `json:"unit"`
	Deadline     Date         `json:"deadline"` // zero for a standing standard
	Source       string       `json:"source"`
	SetBy        string       `json:"set_by"`
	Confidence   string       `json:"confidence"` // high / medium / low: how directly the source was seen
}

// Standing reports whether the standard has no deadline (a constitutional
// standard that always applies).
func (p Priority) Standing() bool { return p.Deadline.IsZero() }

// Validate checks a priority record.
func (p Priority) Validate() error {
	var pr Problems
	if !indicatorIDRe.MatchString(p.ID) {
		pr.Add("id", "%q must be 2 to 63 lower-case letters, digits or underscores", p.ID)
	}
	if strings.TrimSpace(p.Name) == "" {
		pr.Add("name", "is required")
	}
	if p.StandardType != Constitutional && p.StandardType != Planning {
		pr.Add("standard_type", "%q must be constitutional or planning", p.StandardType)
	}
	if p.Comparator != AtLeast && p.Comparator != AtMost {
		pr.Add("comparator", "%q must be >= or <=", p.Comparator)
	}
	if p.Unit == string(UnitPercent) && (p.Standard < 0 || p.Standard > 100) {
		pr.Add("standard", "%s is not a percentage between 0 and 100", fmtNum(p.Standard))
	}
	if strings.TrimSpace(p.Source) == "" {
		pr.Add("source", "is required")
	}
	switch p.Confidence {
	case "high", "medium", "low":
	default:
		pr.Add("confidence", "%q must be high, medium or low", p.Confidence)
	}
	return pr.Err("national priority " + p.ID)
}

// PriorityFilter selects priorities. Zero fields do not filter.
type PriorityFilter struct {
	StandardType StandardType
	Area         string
	IndicatorID  string
}

// PriorityStore keeps the national priorities register.
type PriorityStore interface {
	UpsertPriorities(ctx context.Context, ps []Priority) error
	FindPriorities(ctx context.Context, f PriorityFilter) ([]Priority, int, error)
	FindPriority(ctx context.Context, id string) (Priority, error)
}
