package accord

import (
	"slices"
	"strconv"
	"strings"
)

// Actor is who does a thing, in which role and for which organisation: the
// grant a user acted under. The store records it with every change.
type Actor struct {
	UserID  int64  `json:"user_id"`
	Email   string `json:"email"`
	Name    string `json:"name"`
	Role    Role   `json:"role"`
	OrgCode string `json:"organisation_code"`
}

// Validate checks that the actor says who acted and under which grant, as
// the audit log and the review history need it.
func (a Actor) Validate() error {
	var p Problems
	if strings.TrimSpace(a.Email) == "" {
		p.Add("actor", "no email: say who is acting")
	}
	if !a.Role.Valid() {
		p.Add("role", "%q is not a role", a.Role)
	}
	if a.OrgCode == "" {
		p.Add("organisation", "say which organisation the actor acts for")
	}
	return p.Err("actor")
}

// Action is something a user asks to do to a target.
type Action string

const (
	ActViewTarget   Action = "view_target"
	ActCreateTarget Action = "create_target"
	ActEditTarget   Action = "edit_target" // its fields or its trajectory
	ActMoveTarget   Action = "move_target" // along the lifecycle, to a given status
	ActRespond      Action = "respond"     // to the target's consultation
	ActAnswerTheme  Action = "answer_theme"
)

// editableStatuses are the statuses in which a target's fields and trajectory may
// change: before the ICB agrees it, and while it is consulted on, so that
// it can change in answer to what consultees say.
var editableStatuses = []TargetStatus{TargetDraft, TargetConsultation}

// Editable reports whether a target in status s may be edited.
func Editable(s TargetStatus) bool { return slices.Contains(editableStatuses, s) }

// publicStatuses are the statuses everyone may see: a target NHS England has
// approved is the ICB's public commitment, and so is its outcome.
var publicStatuses = []TargetStatus{TargetApproved, TargetActive, TargetAchieved, TargetMissed}

// consulteeStatuses are the statuses consultees see, from consultation onward.
// A withdrawal is included because it may follow their consultation, and
// they should see why it ended.
var consulteeStatuses = []TargetStatus{TargetConsultation, TargetAgreed, TargetSubmitted, TargetChallenged,
	TargetApproved, TargetActive, TargetAchieved, TargetMissed, TargetWithdrawn}

// oversightStatuses are the statuses oversight sees: from submission onward,
// including a challenge and a withdrawal.
var oversightStatuses = []TargetStatus{TargetSubmitted, TargetChallenged, TargetApproved, TargetActive,
	TargetAchieved, TargetMissed, TargetWithdrawn}

// Authorize decides whether u may do act to t (for ActMoveTarget, move it
// to to; to is ignored otherwise), and returns the Actor to record: u acting
// under the grant that allows it. parentOf walks the organisation map up
// (it returns "" at the top). It is the one place access to targets is
// decided:
//
//   - the ICB lead of the target's organisation creates and edits it (in
//     draft or consultation), answers its consultation with themes, and
//     makes the ICB's moves in the lifecycle;
//   - national oversight, and regional oversight whose region covers the
//     target's organisation, make the review moves;
//   - workforce and patient representatives and partner contributors
//     respond while the target is in consultation, if their grant is for
//     the target's organisation or one beneath it (a trust or a place in
//     the ICB);
//   - nobody acts on another organisation's target, and a disabled user
//     does nothing.
//
// The error is EUNAUTHORIZED when nobody is signed in, EINVALID when the
// lifecycle has no such move at all, and otherwise EFORBIDDEN, saying why.
// ActViewTarget follows CanView; for a target everyone may see, it returns
// the zero Actor (nobody signed in, or a disabled user) or u without a
// grant when none of u's grants is needed.
func Authorize(u *User, act Action, t Target, to TargetStatus, parentOf func(string) string) (Actor, error) {
	if act == ActViewTarget && (u == nil || u.Disabled) && slices.Contains(publicStatuses, t.Status) {
		return Actor{}, nil // as anyone may: a disabled account is no worse than none
	}
	if u == nil {
		return Actor{}, Errorf(EUNAUTHORIZED, "sign in to %s", act.phrase(t, to))
	}
	if u.Disabled {
		return Actor{}, Errorf(EFORBIDDEN, "the account %s is disabled", u.Email)
	}
	if act == ActMoveTarget {
		if _, ok := findTransition(t.Status, to); !ok {
			return Actor{}, Errorf(EINVALID, "a target cannot move from %s to %s", t.Status, to)
		}
	}
	// why is the most telling refusal met so far: a grant with the right
	// role and organisation explains better than "you hold no role".
	var why string
	for _, g := range u.Grants {
		ok, reason := allows(g, act, t, to, parentOf)
		if ok {
			return Actor{UserID: u.ID, Email: u.Email, Name: u.Name, Role: g.Role, OrgCode: g.OrgCode}, nil
		}
		if why == "" {
			why = reason
		}
	}
	if act == ActViewTarget && slices.Contains(publicStatuses, t.Status) {
		return Actor{UserID: u.ID, Email: u.Email, Name: u.Name}, nil
	}
	if why == "" {
		why = "none of your roles lets you " + act.phrase(t, to)
	}
	return Actor{}, Errorf(EFORBIDDEN, "%s", why)
}

// allows reports whether g lets its holder do act; when it does not, reason
// is a refusal worth showing if the grant is the right kind for act, and ""
// if the grant has nothing to do with it.
func allows(g Grant, act Action, t Target, to TargetStatus, parentOf func(string) string) (ok bool, reason string) {
	own := g.Role == RoleICBLead && g.OrgCode == t.OrgCode
	switch act {
	case ActViewTarget:
		return grantSees(g, t, parentOf), ""
	case ActCreateTarget:
		return own, ""
	case ActEditTarget:
		if !own {
			return false, ""
		}
		if !Editable(t.Status) {
			return false, "the target is " + string(t.Status) + ": it can be edited only in draft or in consultation"
		}
		return true, ""
	case ActAnswerTheme:
		if !own {
			return false, ""
		}
		if t.Status != TargetConsultation {
			return false, "the target is " + string(t.Status) + ": themes answer a consultation, and it is not in consultation"
		}
		return true, ""
	case ActMoveTarget:
		var inScope bool
		switch g.Role {
		case RoleICBLead:
			inScope = own
		case RoleNationalOversight, RoleRegionalOversight:
			inScope = g.Covers(t.OrgCode, parentOf)
		}
		if !inScope {
			return false, ""
		}
		if err := CanTransition(t.Status, to, g.Role); err != nil {
			return false, ErrorMessage(err)
		}
		return true, ""
	case ActRespond:
		if !slices.Contains(ConsulteeRoles, g.Role) || !orgWithin(g.OrgCode, t.OrgCode, parentOf) {
			return false, ""
		}
		if t.Status != TargetConsultation {
			return false, "the target is " + string(t.Status) + ": responses are taken only while it is in consultation"
		}
		return true, ""
	}
	return false, ""
}

// CanView reports whether u (nil: nobody signed in) may see t. Everyone sees
// approved targets and their outcomes; the ICB lead sees all of its own;
// consultees for the organisation or beneath it see it from consultation
// onward; oversight covering it sees it from submission onward. Nobody else
// sees drafts.
func CanView(u *User, t Target, parentOf func(string) string) bool {
	if slices.Contains(publicStatuses, t.Status) {
		return true
	}
	if u == nil || u.Disabled {
		return false
	}
	for _, g := range u.Grants {
		if grantSees(g, t, parentOf) {
			return true
		}
	}
	return false
}

// grantSees reports whether g lets its holder see t.
func grantSees(g Grant, t Target, parentOf func(string) string) bool {
	switch g.Role {
	case RoleICBLead:
		return g.OrgCode == t.OrgCode
	case RoleNationalOversight, RoleRegionalOversight:
		return g.Covers(t.OrgCode, parentOf) && slices.Contains(oversightStatuses, t.Status)
	case RoleWorkforceRep, RolePatientRep, RolePartnerContributor:
		return orgWithin(g.OrgCode, t.OrgCode, parentOf) && slices.Contains(consulteeStatuses, t.Status)
	}
	return slices.Contains(publicStatuses, t.Status)
}

// within reports whether the organisation code is ancestor or lies beneath
// it, walking parentOf up at most maxOrgDepth steps.
func orgWithin(code, ancestor string, parentOf func(string) string) bool {
	if code == "" || ancestor == "" {
		return false
	}
	for range maxOrgDepth {
		if code == ancestor {
			return true
		}
		if parentOf == nil {
			return false
		}
		if code = parentOf(code); code == "" {
			return false
		}
	}
	return false
}

// phrase says what act is, for messages: "edit target 12".
func (act Action) phrase(t Target, to TargetStatus) string {
	what := "the target " + strconv.Quote(t.Title)
	if t.ID != 0 {
		what = "target " + strconv.FormatInt(t.ID, 10)
	}
	what += " of " + t.OrgCode
	switch act {
	case ActViewTarget:
		return "see " + what
	case ActCreateTarget:
		return "create a target for " + t.OrgCode
	case ActEditTarget:
		return "edit " + what
	case ActMoveTarget:
		return "move " + what + " to " + string(to)
	case ActRespond:
		return "respond to the consultation on " + what
	case ActAnswerTheme:
		return "answer the consultation on " + what
	}
	return string(act) + " " + what
}

// importers are the roles that supply statistics: national and regional
// teams load the published national files, and ICBs and their partners
// submit local returns. Representatives and peer reviewers read, not load.
var importers = []Role{RoleNationalOversight, RoleRegionalOversight, RoleICBLead, RolePartnerContributor}

// AuthorizeImport decides whether u may import a statistics file through
// the web or API, returning the grant they act under for the import's
// record. Imports change figures everyone sees, so nobody imports
// anonymously; `accord import` on the server itself is the administrator's
// route and needs no account.
func AuthorizeImport(u *User) (Actor, error) {
	if u == nil {
		return Actor{}, Errorf(EUNAUTHORIZED, "Sign in to import statistics.")
	}
	if u.Disabled {
		return Actor{}, Errorf(EFORBIDDEN, "This account is disabled.")
	}
	for _, g := range u.Grants {
		if slices.Contains(importers, g.Role) {
			return Actor{UserID: u.ID, Email: u.Email, Name: u.Name, Role: g.Role, OrgCode: g.OrgCode}, nil
		}
	}
	return Actor{}, Errorf(EFORBIDDEN, "Only national or regional oversight, ICB leads and partner contributors import statistics.")
}
