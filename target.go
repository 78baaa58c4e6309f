package accord

import (
	"context"
	"strings"
	"time"
)

// TargetStatus is where a local target is in its lifecycle; lifecycle.go
// says who moves it from one to another. The names are stored and
// published, so they never change.
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
	ID                 int64      `json:"id"`
	OrgCode            string     `json:"organisation_code"`
	IndicatorID        string     `json:"indicator_id"`
	PriorityID         string     `json:"priority_id,omitempty"`
	LocalTag           Tag        `json:"local_tag,omitempty"` // outcome, preventative or inequality, for a local priority
	Title              string     `json:"title"`
	Comparator         Comparator `json:"comparator"`
	Value              float64    `json:"value"`
	BaselinePeriod     Period     `json:"baseline_period"`
	BaselineValue      *float64   `json:"baseline_value"`
	Deadline           Date       `json:"deadline"`
	LocalCircumstances string     `json:"local_circumstances"`
	Rationale          string     `json:"rationale"`
	// FloorJustification says why a target short of its national
	// priority's standard is still the right one for the area; a target
	// that falls short cannot be submitted without it.
	FloorJustification string       `json:"floor_justification"`
	Status             TargetStatus `json:"status"`
	Version            int          `json:"version"`
	Trajectory         []Milestone  `json:"trajectory"`
	CreatedAt          time.Time    `json:"created_at"`
	UpdatedAt          time.Time    `json:"updated_at"`
	// SubmittedAt is when the target last went to NHS England for review,
	// so that reviews left waiting can be found; nil until then.
	SubmittedAt *time.Time `json:"submitted_at"`
	ApprovedAt  *time.Time `json:"approved_at"`
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

// ShortOf reports whether t falls short of the standard of p, the national
// priority it serves: a lower value where at least the standard is asked,
// a higher one where at most. Such a target needs a FloorJustification
// before it is submitted.
func (t Target) ShortOf(p Priority) bool {
	return p.ID != "" && p.ID == t.PriorityID && !p.Comparator.Met(t.Value, p.Standard)
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

// TargetStore keeps local targets, their trajectories, versions, history
// and consultations. Every write records by in the audit log in the same
// transaction as the change, so a change and its audit entry are kept or
// lost together. Who may act is decided by Authorize before the call; the
// store applies only the lifecycle and its reason rule (CheckTransition).
type TargetStore interface {
	// CreateTarget stores t, a draft whose deadline is not in the past,
	// with its trajectory, and sets its ID, version 1 and timestamps.
	CreateTarget(ctx context.Context, t *Target, by Actor) error
	// FindTarget returns the target with its trajectory, or ENOTFOUND.
	FindTarget(ctx context.Context, id int64) (Target, error)
	FindTargets(ctx context.Context, f TargetFilter) ([]Target, int, error)
	// UpdateTarget replaces the editable fields and the trajectory of a
	// target in draft or consultation and returns it as stored. t.Version
	// must be the stored version (else ECONFLICT: someone else changed it);
	// its organisation and status cannot change here.
	UpdateTarget(ctx context.Context, t Target, by Actor, reason string) (Target, error)
	// SetTrajectory replaces the trajectory of a target in draft or
	// consultation and returns it as stored.
	SetTrajectory(ctx context.Context, id int64, ms []Milestone, by Actor, reason string) (Target, error)
	// MoveTarget moves a target along the lifecycle (CheckTransition with
	// by.Role), records the move as a TargetEvent and returns the target as
	// stored. Moving into consultation opens a consultation on the current
	// version; agreeing it closes it, and is refused while responses are
	// unanswered; challenged to draft starts the next version, keeping the
	// superseded one; submission sets SubmittedAt and approval ApprovedAt.
	MoveTarget(ctx context.Context, id int64, to TargetStatus, by Actor, reason string) (Target, error)
	// TargetHistory returns the target's moves, oldest first.
	TargetHistory(ctx context.Context, id int64) ([]TargetEvent, error)
	// TargetVersions returns the superseded versions of the target, then
	// the current one, oldest first.
	TargetVersions(ctx context.Context, id int64) ([]Target, error)
	ConsultationStore
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
	PeerReviewStore
	PracticeStore
	// Ping reports whether the database answers.
	Ping(ctx context.Context) error
	Close() error
}
