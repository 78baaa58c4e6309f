package accord

import (
	"slices"
	"strconv"
)

// Actions on peer reviews and the learning exchange. Authorize (policy.go)
// decides access to targets; AuthorizePeerReview and AuthorizePractice are
// the one place access to these is decided.
const (
	ActRequestReview          Action = "request_review"
	ActScopeReview            Action = "scope_review"
	ActFormTeam               Action = "form_team" // add and remove members, flag and decide conflicts
	ActWritePositionStatement Action = "write_position_statement"
	ActRecordFinding          Action = "record_finding" // and draft the report's summary
	ActPublishReport          Action = "publish_report"
	ActRespondToFinding       Action = "respond_to_finding"
	ActWriteActionPlan        Action = "write_action_plan"
	ActUpdateAction           Action = "update_action" // its status and progress notes
	ActRecordProgressReview   Action = "record_progress_review"
	ActViewReview             Action = "view_review"
	ActWritePracticeNote      Action = "write_practice_note" // create, edit or delete
	ActRecordTriedElsewhere   Action = "record_tried_elsewhere"
)

// StageAction is the action whose holder moves the named stage: the owner
// of a stage says when it starts and when it is done.
func StageAction(name StageName) Action {
	switch name {
	case StageRequestAndScope:
		return ActScopeReview
	case StageTeamFormation:
		return ActFormTeam
	case StagePositionStatement:
		return ActWritePositionStatement
	case StageReview:
		return ActRecordFinding
	case StageReport:
		return ActPublishReport
	case StageResponseAndActionPlan:
		return ActWriteActionPlan
	case StageProgressReview:
		return ActRecordProgressReview
	}
	return ""
}

// AuthorizePeerReview decides whether u may do act to r, and returns the
// Actor to record: u under the grant that allows it. parentOf walks the
// organisation map up ("" at the top). The rules:
//
//   - the reviewed ICB's lead asks for the review, sets its scope, writes
//     the position statement, responds to findings, and writes and updates
//     the action plan;
//   - national oversight, and regional oversight covering the ICB, form the
//     team (members and conflict decisions) and see the whole programme;
//   - the team's members who hold a peer_reviewer grant and sign in record
//     findings, draft the report and record the progress review; the lead
//     reviewer publishes the report;
//   - everyone sees a published review (as PeerReviewAsSeenBy shows it);
//     before publication only the ICB, the team and oversight see it.
//
// Whether the review is ready for the step is the store's to say. The error
// is EUNAUTHORIZED when nobody is signed in and otherwise EFORBIDDEN, saying
// why. For ActViewReview of a published review it returns the zero Actor
// (nobody signed in, or a disabled user) or u without a grant when none is
// needed.
func AuthorizePeerReview(u *User, act Action, r PeerReview, parentOf func(string) string) (Actor, error) {
	if act == ActViewReview && (u == nil || u.Disabled) && r.Published() {
		return Actor{}, nil
	}
	if u == nil {
		return Actor{}, Errorf(EUNAUTHORIZED, "sign in to %s", act.reviewPhrase(r))
	}
	if u.Disabled {
		return Actor{}, Errorf(EFORBIDDEN, "the account %s is disabled", u.Email)
	}
	var why string
	for _, g := range u.Grants {
		ok, reason := reviewAllows(u, g, act, r, parentOf)
		if ok {
			return Actor{UserID: u.ID, Email: u.Email, Name: u.Name, Role: g.Role, OrgCode: g.OrgCode}, nil
		}
		if why == "" {
			why = reason
		}
	}
	if act == ActViewReview && r.Published() {
		return Actor{UserID: u.ID, Email: u.Email, Name: u.Name}, nil
	}
	if why == "" {
		why = "none of your roles lets you " + act.reviewPhrase(r)
	}
	return Actor{}, Errorf(EFORBIDDEN, "%s", why)
}

// reviewAllows reports whether g, held by u, lets u do act to r; when it
// does not, reason is a refusal worth showing if g is the right kind of
// grant for act, else "".
func reviewAllows(u *User, g Grant, act Action, r PeerReview, parentOf func(string) string) (ok bool, reason string) {
	ownLead := g.Role == RoleICBLead && g.OrgCode == r.OrgCode
	oversees := (g.Role == RoleNationalOversight || g.Role == RoleRegionalOversight) && g.Covers(r.OrgCode, parentOf)
	member, onTeam := r.Member(u.ID)
	reviewer := g.Role == RolePeerReviewer && onTeam
	switch act {
	case ActViewReview:
		return ownLead || oversees || reviewer, ""
	case ActRequestReview, ActScopeReview, ActWritePositionStatement, ActRespondToFinding, ActWriteActionPlan, ActUpdateAction:
		if g.Role == RoleICBLead && !ownLead {
			return false, "only the ICB lead of " + r.OrgCode + " may " + act.reviewPhrase(r)
		}
		return ownLead, ""
	case ActFormTeam:
		if g.Role == RoleRegionalOversight && !oversees {
			return false, "the review of " + r.OrgCode + " is formed by the oversight team of its own region"
		}
		return oversees, ""
	case ActRecordFinding, ActRecordProgressReview:
		if g.Role == RolePeerReviewer && !onTeam {
			return false, "you are not on the team of " + r.label()
		}
		return reviewer, ""
	case ActPublishReport:
		if g.Role != RolePeerReviewer {
			return false, ""
		}
		if !onTeam {
			return false, "you are not on the team of " + r.label()
		}
		if member.Role != TeamLeadReviewer {
			return false, "only the lead reviewer publishes the report of " + r.label()
		}
		return true, ""
	}
	return false, ""
}

// CanViewPeerReview reports whether u (nil: nobody signed in) may see r at
// all. What they see of it is PeerReviewAsSeenBy's to say.
func CanViewPeerReview(u *User, r PeerReview, parentOf func(string) string) bool {
	_, err := AuthorizePeerReview(u, ActViewReview, r, parentOf)
	return err == nil
}

// PeerReviewAsSeenBy returns r as u may see it, and false if u may not see
// it at all:
//
//   - the team and oversight see everything;
//   - the reviewed ICB sees everything but the team's drafts (findings and
//     the report's summary) until the report is published;
//   - everyone else sees a published review as the public does: the scope,
//     stages, team by name and role, findings with their responses, the
//     report, the action plan and its progress, and the progress review;
//     not the position statement, conflicts of interest or anyone's email.
//
// The copy shares no memory with r.
func PeerReviewAsSeenBy(u *User, r PeerReview, parentOf func(string) string) (PeerReview, bool) {
	if !CanViewPeerReview(u, r, parentOf) {
		return PeerReview{}, false
	}
	out := r.clone()
	var own, full bool
	if u != nil && !u.Disabled {
		for _, g := range u.Grants {
			switch g.Role {
			case RoleICBLead:
				own = own || g.OrgCode == r.OrgCode
			case RoleNationalOversight, RoleRegionalOversight:
				full = full || g.Covers(r.OrgCode, parentOf)
			case RolePeerReviewer:
				_, onTeam := r.Member(u.ID)
				full = full || onTeam
			}
		}
	}
	switch {
	case full:
		return out, true
	case own:
		if !r.Published() {
			out.Findings = []Finding{}
			out.Report.Summary = ""
		}
		return out, true
	}
	out.PositionStatement = ""
	out.RequestedBy = ""
	out.Report.PublishedBy = ""
	for i := range out.Team {
		m := &out.Team[i]
		m.UserID, m.AddedBy, m.Conflicts = 0, "", []Conflict{}
	}
	for i := range out.Findings {
		f := &out.Findings[i]
		f.By = ""
		for j := range f.Responses {
			f.Responses[j].By = ""
		}
	}
	for i := range out.Actions {
		for j := range out.Actions[i].Notes {
			out.Actions[i].Notes[j].By = ""
		}
	}
	if out.Progress != nil {
		out.Progress.By = ""
	}
	return out, true
}

// clone is a deep copy of r, so that hiding parts of it for one viewer
// leaves the caller's review alone.
func (r PeerReview) clone() PeerReview {
	c := r
	c.FocusAreas = make([]FocusArea, len(r.FocusAreas))
	for i, f := range r.FocusAreas {
		f.IndicatorIDs = slices.Clone(f.IndicatorIDs)
		c.FocusAreas[i] = f
	}
	c.Stages = slices.Clone(r.Stages)
	c.Team = make([]TeamMember, len(r.Team))
	for i, m := range r.Team {
		m.Conflicts = slices.Clone(m.Conflicts)
		c.Team[i] = m
	}
	c.Findings = make([]Finding, len(r.Findings))
	for i, f := range r.Findings {
		f.Evidence = slices.Clone(f.Evidence)
		f.Responses = slices.Clone(f.Responses)
		c.Findings[i] = f
	}
	c.Actions = make([]ReviewAction, len(r.Actions))
	for i, a := range r.Actions {
		a.FindingIDs, a.TargetIDs, a.IndicatorIDs = slices.Clone(a.FindingIDs), slices.Clone(a.TargetIDs), slices.Clone(a.IndicatorIDs)
		a.Notes = slices.Clone(a.Notes)
		c.Actions[i] = a
	}
	if r.Progress != nil {
		p := *r.Progress
		p.Assessments = slices.Clone(p.Assessments)
		c.Progress = &p
	}
	return c
}

// PeerReviewVisibility is which reviews a viewer may list, as a store
// query applies it: every published review, and before publication those of
// OrgCodes (the ICB leads' own), of ICBs in Regions (regional oversight),
// those whose team includes TeamUserID (a peer reviewer), or all (national
// oversight).
type PeerReviewVisibility struct {
	All        bool
	OrgCodes   []string
	Regions    []string
	TeamUserID int64
}

// PeerReviewVisibilityOf is what u (nil: nobody signed in) may list; it
// matches CanViewPeerReview for ICBs whose parent is their region.
func PeerReviewVisibilityOf(u *User) PeerReviewVisibility {
	var v PeerReviewVisibility
	if u == nil || u.Disabled {
		return v
	}
	for _, g := range u.Grants {
		switch g.Role {
		case RoleNationalOversight:
			v.All = true
		case RoleRegionalOversight:
			v.Regions = append(v.Regions, g.OrgCode)
		case RoleICBLead:
			v.OrgCodes = append(v.OrgCodes, g.OrgCode)
		case RolePeerReviewer:
			v.TeamUserID = u.ID
		}
	}
	return v
}

// AuthorizePractice decides whether u may do act for the organisation
// orgCode: write (create, edit, delete) a practice note of orgCode
// (ActWritePracticeNote), or record that orgCode tried a note
// (ActRecordTriedElsewhere). Any ICB lead or partner contributor does so
// for their own organisation; everyone reads notes, so reading needs no
// check. It returns the Actor to record.
func AuthorizePractice(u *User, act Action, orgCode string) (Actor, error) {
	what := "write a practice note for " + orgCode
	if act == ActRecordTriedElsewhere {
		what = "record that " + orgCode + " tried a practice note"
	}
	if u == nil {
		return Actor{}, Errorf(EUNAUTHORIZED, "sign in to %s", what)
	}
	if u.Disabled {
		return Actor{}, Errorf(EFORBIDDEN, "the account %s is disabled", u.Email)
	}
	if act != ActWritePracticeNote && act != ActRecordTriedElsewhere {
		return Actor{}, Errorf(EINVALID, "%q is not an action on practice notes", act)
	}
	writer := false
	for _, g := range u.Grants {
		if g.Role != RoleICBLead && g.Role != RolePartnerContributor {
			continue
		}
		writer = true
		if orgCode != "" && g.OrgCode == orgCode {
			return Actor{UserID: u.ID, Email: u.Email, Name: u.Name, Role: g.Role, OrgCode: g.OrgCode}, nil
		}
	}
	if writer {
		return Actor{}, Errorf(EFORBIDDEN, "you may %s only for your own organisation, not %s", verbOf(act), orgCode)
	}
	return Actor{}, Errorf(EFORBIDDEN, "only ICB leads and partner contributors %s", verbOf(act))
}

func verbOf(act Action) string {
	if act == ActRecordTriedElsewhere {
		return "record that a practice was tried"
	}
	return "write practice notes"
}

// label names r in messages: "peer review 3 of QHG".
func (r PeerReview) label() string {
	if r.ID == 0 {
		return "the peer review of " + r.OrgCode
	}
	return "peer review " + strconv.FormatInt(r.ID, 10) + " of " + r.OrgCode
}

// reviewPhrase says what act is, for messages.
func (act Action) reviewPhrase(r PeerReview) string {
	switch act {
	case ActRequestReview:
		return "ask for a peer review of " + r.OrgCode
	case ActScopeReview:
		return "set the scope of " + r.label()
	case ActFormTeam:
		return "form the team of " + r.label()
	case ActWritePositionStatement:
		return "write the position statement of " + r.label()
	case ActRecordFinding:
		return "record findings of " + r.label()
	case ActPublishReport:
		return "publish the report of " + r.label()
	case ActRespondToFinding:
		return "respond to the findings of " + r.label()
	case ActWriteActionPlan:
		return "write the action plan of " + r.label()
	case ActUpdateAction:
		return "update the action plan of " + r.label()
	case ActRecordProgressReview:
		return "record the progress review of " + r.label()
	case ActViewReview:
		return "see " + r.label()
	}
	return string(act) + " " + r.label()
}
