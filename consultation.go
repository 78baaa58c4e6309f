package accord

import (
	"context"
	"slices"
	"strings"
	"time"
)

// Stance is where a consultee stands on a proposed target.
type Stance string

const (
	StanceSupport            Stance = "support"
	StanceSupportWithChanges Stance = "support_with_changes"
	StanceOppose             Stance = "oppose"
)

// Stances lists every stance, most favourable first, for forms.
var Stances = []Stance{StanceSupport, StanceSupportWithChanges, StanceOppose}

// Valid reports whether s is a known stance.
func (s Stance) Valid() bool { return slices.Contains(Stances, s) }

// Label is the plain-English name of the stance.
func (s Stance) Label() string {
	switch s {
	case StanceSupport:
		return "Support"
	case StanceSupportWithChanges:
		return "Support with changes"
	case StanceOppose:
		return "Oppose"
	}
	return string(s)
}

// ConsulteeRoles are the roles that respond to a consultation, in the order
// summaries list them: staff, patients and the public, then partners.
var ConsulteeRoles = []Role{RoleWorkforceRep, RolePatientRep, RolePartnerContributor}

// Consultation asks workforce and patient representatives and partners
// about one version of a target. It opens when the target moves into
// consultation and closes when the ICB agrees the target locally (or the
// target leaves consultation some other way).
type Consultation struct {
	ID            int64                  `json:"id"`
	TargetID      int64                  `json:"target_id"`
	TargetVersion int                    `json:"target_version"`
	Question      string                 `json:"question"`
	OpenedBy      string                 `json:"opened_by"` // email
	OpenedAt      time.Time              `json:"opened_at"`
	ClosedAt      *time.Time             `json:"closed_at"` // nil while open
	Responses     []ConsultationResponse `json:"responses"`
	Themes        []Theme                `json:"themes"`
}

// Open reports whether the consultation still takes responses.
func (c Consultation) Open() bool { return c.ClosedAt == nil }

// ConsultationResponse is one consultee's answer. Each person answers a
// consultation once; answering again replaces the earlier answer.
type ConsultationResponse struct {
	ID             int64     `json:"id"`
	ConsultationID int64     `json:"consultation_id"`
	UserID         int64     `json:"user_id"`
	Name           string    `json:"name"`
	Role           Role      `json:"role"`
	OrgCode        string    `json:"organisation_code"` // whom they speak for
	Stance         Stance    `json:"stance"`
	Comment        string    `json:"comment"`
	At             time.Time `json:"at"`
}

// Validate checks a response on its own; that the target is in
// consultation is the store's job and that the person may respond is
// Authorize's.
func (r ConsultationResponse) Validate() error {
	var p Problems
	switch {
	case r.Stance == "":
		p.Add("stance", "choose support, support with changes or oppose")
	case !r.Stance.Valid():
		p.Add("stance", "%q must be support, support_with_changes or oppose", r.Stance)
	case r.Stance != StanceSupport && strings.TrimSpace(r.Comment) == "":
		// Without the why, the ICB has nothing to answer in its themes.
		p.Add("comment", "say what should change, or why you oppose the target")
	}
	if !slices.Contains(ConsulteeRoles, r.Role) {
		p.Add("role", "only workforce and patient representatives and partner contributors respond to a consultation, not %s", r.Role.Label())
	}
	return p.Err("consultation response")
}

// Theme is the ICB's answer to a group of responses, published as "you
// said, we did": what consultees raised, what the ICB did about it, and
// whether the target changed as a result.
type Theme struct {
	ID             int64     `json:"id"`
	ConsultationID int64     `json:"consultation_id"`
	YouSaid        string    `json:"you_said"`
	WeDid          string    `json:"we_did"`
	Changed        bool      `json:"changed"` // the target was changed in answer
	ResponseIDs    []int64   `json:"response_ids"`
	By             string    `json:"by"` // email
	At             time.Time `json:"at"`
}

// Validate checks a theme on its own; that its responses belong to the
// open consultation is the store's job.
func (th Theme) Validate() error {
	var p Problems
	if strings.TrimSpace(th.YouSaid) == "" {
		p.Add("you_said", "is required: sum up what consultees said")
	}
	if strings.TrimSpace(th.WeDid) == "" {
		p.Add("we_did", "is required: say what was done about it")
	}
	if len(th.ResponseIDs) == 0 {
		p.Add("responses", "choose at least one response this theme answers")
	}
	seen := make(map[int64]bool, len(th.ResponseIDs))
	for _, id := range th.ResponseIDs {
		if seen[id] {
			p.Add("responses", "response %d is chosen twice", id)
		}
		seen[id] = true
	}
	return p.Err("theme")
}

// GroupSummary counts the stances of one consultee group.
type GroupSummary struct {
	Role               Role `json:"role"`
	Support            int  `json:"support"`
	SupportWithChanges int  `json:"support_with_changes"`
	Oppose             int  `json:"oppose"`
	Total              int  `json:"total"`
}

// Summary counts the responses by group, one entry per consultee role in
// ConsulteeRoles order, groups without responses included, so that a page
// shows plainly that a group was silent.
func (c Consultation) Summary() []GroupSummary {
	out := make([]GroupSummary, len(ConsulteeRoles))
	for i, r := range ConsulteeRoles {
		out[i].Role = r
	}
	for _, r := range c.Responses {
		i := slices.Index(ConsulteeRoles, r.Role)
		if i < 0 {
			continue
		}
		switch r.Stance {
		case StanceSupport:
			out[i].Support++
		case StanceSupportWithChanges:
			out[i].SupportWithChanges++
		case StanceOppose:
			out[i].Oppose++
		default:
			continue
		}
		out[i].Total++
	}
	return out
}

// Unanswered lists, in the order given, the responses that ask for
// something (support with changes, or opposition) and that no theme
// answers yet. A consultation cannot close with any left.
func (c Consultation) Unanswered() []ConsultationResponse {
	answered := make(map[int64]bool)
	for _, th := range c.Themes {
		for _, id := range th.ResponseIDs {
			answered[id] = true
		}
	}
	var out []ConsultationResponse
	for _, r := range c.Responses {
		if r.Stance != StanceSupport && !answered[r.ID] {
			out = append(out, r)
		}
	}
	return out
}

// ConsultationStore keeps consultations on targets, their responses and
// the ICB's themes, each write audited in the same transaction.
type ConsultationStore interface {
	// Respond records r on the open consultation of a target in
	// consultation, setting its ID, ConsultationID and At. A person's second
	// response replaces their first.
	Respond(ctx context.Context, targetID int64, r *ConsultationResponse, by Actor) error
	// AnswerTheme records th on the open consultation, setting its ID,
	// ConsultationID, By and At; its responses must belong to that
	// consultation.
	AnswerTheme(ctx context.Context, targetID int64, th *Theme, by Actor) error
	// Consultations returns the target's consultations with their
	// responses and themes, oldest first.
	Consultations(ctx context.Context, targetID int64) ([]Consultation, error)
}
