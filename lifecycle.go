package accord

import (
	"slices"
	"strings"
	"time"
)

// Transition is one move a local target may make, who may make it, and
// whether the move must say why.
type Transition struct {
	From, To    TargetStatus
	By          []Role
	NeedsReason bool
}

// TargetEvent is one move of a target along its lifecycle, as its review
// history shows it: which version moved, from where to where, who moved it
// in which role, and why.
type TargetEvent struct {
	ID        int64        `json:"id"`
	TargetID  int64        `json:"target_id"`
	Version   int          `json:"version"`
	From      TargetStatus `json:"from"`
	To        TargetStatus `json:"to"`
	Actor     string       `json:"actor"` // email
	ActorName string       `json:"actor_name"`
	Role      Role         `json:"role"`
	Reason    string       `json:"reason"`
	At        time.Time    `json:"at"`
}

// transitions is the whole lifecycle, the single source of truth that
// CanTransition, NextStatuses and the pages offering moves read.
//
// Who may do what:
//   - icb_lead takes its own target through the local steps: draft to
//     consultation, consultation to locally agreed, locally agreed to
//     submitted; revises a challenged target (back to draft); makes an
//     approved target active; closes an active one as achieved or missed;
//     and withdraws a target, giving a reason, at any point it is in the
//     ICB's hands (not while national bodies are reviewing it, nor once
//     approved and not yet active).
//   - national_oversight and regional_oversight review a submitted target:
//     they approve it, or challenge it with reasons.
//   - nobody else moves targets. Partners and workforce and patient
//     representatives respond to consultations and peer reviewers review;
//     those are records of their own, not moves.
var transitions = []Transition{
	{From: TargetDraft, To: TargetConsultation, By: icbLead},
	{From: TargetConsultation, To: TargetAgreed, By: icbLead},
	{From: TargetAgreed, To: TargetSubmitted, By: icbLead},
	{From: TargetSubmitted, To: TargetApproved, By: oversight},
	{From: TargetSubmitted, To: TargetChallenged, By: oversight, NeedsReason: true},
	{From: TargetChallenged, To: TargetDraft, By: icbLead},
	{From: TargetApproved, To: TargetActive, By: icbLead},
	{From: TargetActive, To: TargetAchieved, By: icbLead},
	{From: TargetActive, To: TargetMissed, By: icbLead},
	{From: TargetDraft, To: TargetWithdrawn, By: icbLead, NeedsReason: true},
	{From: TargetConsultation, To: TargetWithdrawn, By: icbLead, NeedsReason: true},
	{From: TargetAgreed, To: TargetWithdrawn, By: icbLead, NeedsReason: true},
	{From: TargetChallenged, To: TargetWithdrawn, By: icbLead, NeedsReason: true},
	{From: TargetActive, To: TargetWithdrawn, By: icbLead, NeedsReason: true},
}

var (
	icbLead   = []Role{RoleICBLead}
	oversight = []Role{RoleNationalOversight, RoleRegionalOversight}
)

// Transitions returns a copy of the lifecycle table, for documentation
// pages and tests.
func Transitions() []Transition {
	out := make([]Transition, len(transitions))
	for i, t := range transitions {
		t.By = slices.Clone(t.By)
		out[i] = t
	}
	return out
}

// findTransition returns the table row for from → to.
func findTransition(from, to TargetStatus) (Transition, bool) {
	for _, t := range transitions {
		if t.From == from && t.To == to {
			return t, true
		}
	}
	return Transition{}, false
}

// CanTransition reports whether actor may move a target from one status to
// another: nil if so, EINVALID if the lifecycle has no such move, and
// EFORBIDDEN if the move exists but is not actor's to make. It does not
// check the reason; CheckTransition does.
func CanTransition(from, to TargetStatus, actor Role) error {
	t, ok := findTransition(from, to)
	if !ok {
		return Errorf(EINVALID, "a target cannot move from %s to %s", from, to)
	}
	if !slices.Contains(t.By, actor) {
		who := actor.Label()
		if !actor.Valid() {
			who = "an unknown role"
		}
		return Errorf(EFORBIDDEN, "%s may not move a target from %s to %s", who, from, to)
	}
	return nil
}

// CheckTransition is CanTransition plus the reason rule: a move that needs
// a reason (a challenge, a withdrawal) is EINVALID, naming the field
// "reason", when none is given.
func CheckTransition(from, to TargetStatus, actor Role, reason string) error {
	if err := CanTransition(from, to, actor); err != nil {
		return err
	}
	if t, _ := findTransition(from, to); t.NeedsReason && strings.TrimSpace(reason) == "" {
		var p Problems
		p.Add("reason", "is required to move a target from %s to %s", from, to)
		return p.Err("target move")
	}
	return nil
}

// NextStatuses lists, in lifecycle order, the statuses actor may move a
// target on to from from, so that a page offers only the allowed moves.
func NextStatuses(from TargetStatus, actor Role) []TargetStatus {
	var out []TargetStatus
	for _, t := range transitions {
		if t.From == from && slices.Contains(t.By, actor) {
			out = append(out, t.To)
		}
	}
	return out
}

// Revise returns the next version of a challenged target sent back to the
// ICB: the same target as a draft, one version on, ready to be edited.
// Callers check CanTransition(TargetChallenged, TargetDraft, ...) first.
// The copy shares no memory with t.
func (t Target) Revise() Target {
	r := t
	r.Version = t.Version + 1
	r.Status = TargetDraft
	r.Trajectory = slices.Clone(t.Trajectory)
	if t.BaselineValue != nil {
		v := *t.BaselineValue
		r.BaselineValue = &v
	}
	if t.SubmittedAt != nil {
		v := *t.SubmittedAt
		r.SubmittedAt = &v
	}
	if t.ApprovedAt != nil {
		v := *t.ApprovedAt
		r.ApprovedAt = &v
	}
	return r
}
