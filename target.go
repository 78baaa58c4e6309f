package accord

import (
	"context"
	"strings"
	"time"
)

// TargetStatus is where a local target is in its lifecycle. The workflow
// that moves targets between states belongs to a later change; the states
// are fixed here so records are stored in their final vocabulary.
type TargetStatus string

const (
	TargetDraft        TargetStatus = "draft"
	TargetConsultation TargetStatus = "consultation"
	TargetAgreed       TargetStatus = "locally_agreed"
	TargetSubmitted    TargetStatus = "submitted"
	TargetChallenged   TargetStatus = "challenged"
	TargetApproved     TargetStatus = "approved"
	TargetActive       TargetStatus = "active"
	TargetAchieved     TargetStatus = "achieved"
	TargetMissed       TargetStatus = "missed"
	TargetWithdrawn    TargetStatus = "withdrawn"
)

var targetStatuses = []TargetStatus{TargetDraft, TargetConsultation, TargetAgreed, TargetSubmitted, TargetChallenged, TargetApproved, TargetActive, TargetAchieved, TargetMissed, TargetWithdrawn}

// Milestone is one point of a trajectory: the value planned for a period.
type Milestone struct {
	Period Period  `json:"period"`
	Value  float64 `json:"value"`
}

// Target is an organisation's own target. It serves a national priority
// (PriorityID set, with the local refinement recorded) or is a local
// priority (LocalTag set).
type Target struct {
	ID                 int64        `json:"id"`
	OrgCode            string       `json:"organisation_code"`
	IndicatorID        string       `json:"indicator_id"`
	PriorityID         string       `json:"priority_id,omitempty"`
	LocalTag           Tag          `json:"local_tag,omitempty"` // outcome, preventative or inequality, for a local priority
	Title              string       `json:"title"`
	Comparator         Comparator   `json:"comparator"`
	Value              float64      `json:"value"`
	BaselinePeriod     Period       `json:"baseline_period"`
	BaselineValue      *float64     `json:"baseline_value"`
	Deadline           Date         `json:"deadline"`
	LocalCircumstances string       `json:"local_circumstances"`
	Rationale          string       `json:"rationale"`
	Status             TargetStatus `json:"status"`
	Version            int          `json:"version"`
	Trajectory         []Milestone  `json:"trajectory"`
	CreatedAt          time.Time    `json:"created_at"`
	UpdatedAt          time.Time    `json:"updated_at"`
}

// Validate checks a target on its own (whether its organisation, indicator
// and priority exist is the store's job).
func (t Target) Validate() error {
	var p Problems
	if t.OrgCode == "" {
		p.Add("organisation", "is required")
	}
	if t.IndicatorID == "" {
		p.Add("indicator", "is required")
	}
	if strings.TrimSpace(t.Title) == "" {
		p.Add("title", "is required")
	}
	switch {
	case t.PriorityID == "" && t.LocalTag == "":
		p.Add("priority", "link a national priority, or tag a local priority as outcome, preventative or inequality")
	case t.PriorityID != "" && t.LocalTag != "":
		p.Add("local_tag", "a target serving a national priority is not also tagged as a local priority")
	case t.LocalTag != "" && t.LocalTag != TagOutcome && t.LocalTag != TagPreventative && t.LocalTag != TagInequality:
		p.Add("local_tag", "%q must be outcome, preventative or inequality", t.LocalTag)
	}
	if t.Comparator != AtLeast && t.Comparator != AtMost {
		p.Add("comparator", "%q must be >= or <=", t.Comparator)
	}
	if t.Deadline.IsZero() {
		p.Add("deadline", "is required")
	}
	if t.BaselineValue != nil && t.BaselinePeriod.IsZero() {
		p.Add("baseline_period", "is required when a baseline value is given")
	}
	valid := false
	for _, s := range targetStatuses {
		valid = valid || s == t.Status
	}
	if !valid {
		p.Add("status", "%q is not a target status", t.Status)
	}
	for i, m := range t.Trajectory {
		if m.Period.IsZero() {
			p.Add("trajectory", "milestone %d has no period", i+1)
			continue
		}
		if i > 0 && t.Trajectory[i-1].Period.Compare(m.Period) >= 0 {
			p.Add("trajectory", "milestone %d (%s) is not after milestone %d (%s)", i+1, m.Period, i, t.Trajectory[i-1].Period)
		}
		if !t.Deadline.IsZero() && m.Period.Start().After(t.Deadline.Time) {
			p.Add("trajectory", "milestone %d (%s) starts after the deadline %s", i+1, m.Period, t.Deadline)
		}
	}
	if t.Version < 0 {
		p.Add("version", "must not be negative")
	}
	return p.Err("target " + t.Title)
}

// TargetFilter selects targets. Zero fields do not filter.
type TargetFilter struct {
	OrgCode     string
	IndicatorID string
	PriorityID  string
	Status      TargetStatus
	Offset      int
	Limit       int
}

// TargetStore keeps local targets and their trajectories.
type TargetStore interface {
	// CreateTarget stores t with its trajectory and sets its ID, version 1
	// and timestamps.
	CreateTarget(ctx context.Context, t *Target) error
	FindTarget(ctx context.Context, id int64) (Target, error)
	FindTargets(ctx context.Context, f TargetFilter) ([]Target, int, error)
}

// Store is everything Accord keeps, behind one interface with one
// implementation per database engine.
type Store interface {
	OrganisationStore
	IndicatorStore
	ObservationStore
	PriorityStore
	TargetStore
	ImportStore
	AssessmentStore
	AuditStore
	UserStore
	// Ping reports whether the database answers.
	Ping(ctx context.Context) error
	Close() error
}
