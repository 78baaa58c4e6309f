package accord_test

import (
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/nhs-accord/accord"
)

// reviewUsers is every role for the reviewed ICB (QHG, in Y61) and for
// another, the review team's two members (IDs 101 and 102, peer reviewers
// from QUE and QMJ), a peer reviewer not on the team, a lay peer on the
// team without a peer reviewer grant, nobody and a disabled lead.
func reviewUsers() map[string]*accord.User {
	u := func(id int64, name string, grants ...accord.Grant) *accord.User {
		return &accord.User{ID: id, Email: name + "@example.nhs.uk", Name: name, Grants: grants}
	}
	disabled := u(1, "disabled", grant(accord.RoleICBLead, "QHG"))
	disabled.Disabled = true
	return map[string]*accord.User{
		"nobody":        nil,
		"disabled":      disabled,
		"national":      u(2, "national", grant(accord.RoleNationalOversight, accord.EnglandCode)),
		"regionalOwn":   u(3, "regionalOwn", grant(accord.RoleRegionalOversight, "Y61")),
		"regionalOther": u(4, "regionalOther", grant(accord.RoleRegionalOversight, "Y56")),
		"leadOwn":       u(5, "leadOwn", grant(accord.RoleICBLead, "QHG")),
		"leadOther":     u(6, "leadOther", grant(accord.RoleICBLead, "QUE")),
		"partnerOwn":    u(7, "partnerOwn", grant(accord.RolePartnerContributor, "RC9")),
		"patientOwn":    u(8, "patientOwn", grant(accord.RolePatientRep, "QHG")),
		"teamLead":      u(101, "teamLead", grant(accord.RolePeerReviewer, "QUE")),
		"teamPeer":      u(102, "teamPeer", grant(accord.RolePeerReviewer, "QMJ")),
		"reviewerOff":   u(103, "reviewerOff", grant(accord.RolePeerReviewer, "QUE")),
		"layOnTeam":     u(104, "layOnTeam", grant(accord.RolePatientRep, "QUE")),
		// A lead of another ICB who also reviews, on this team: the
		// reviewer grant is the one that counts.
		"leadAndPeer": u(102, "leadAndPeer", grant(accord.RoleICBLead, "QMJ"), grant(accord.RolePeerReviewer, "QMJ")),
	}
}

// policyReview is a draft review of QHG with a team of lead 101, peer 102
// and lay peer 104, one draft finding and a draft summary.
func policyReview() accord.PeerReview {
	r := scopedReview()
	r.Team = append(reviewTeam(), accord.TeamMember{ID: 3, UserID: 104, Name: "Lay", HomeOrg: "QUE", Role: accord.TeamLayPeer,
		Why: "patient voice", ChosenFor: accord.ChosenExpertise,
		Conflicts: []accord.Conflict{{ID: 5, Kind: accord.ConflictOther, Declared: "Patient at RC9", Decision: accord.ConflictManaged,
			DecisionNote: "Not on the elective focus", DecidedBy: "region@england.nhs.uk"}}})
	r.RequestedBy = "lead@qhg.nhs.net"
	r.PositionStatement = "Our own account"
	r.Findings = []accord.Finding{{ID: 1, ReviewID: r.ID, ThemeID: "inequalities", Rating: accord.RatingAreaForImprovement,
		Text: "Gap not closing", Evidence: []accord.Evidence{{IndicatorID: "le_birth", OrgCode: "QHG"}}, By: "lead@que.nhs.net",
		Responses: []accord.FindingResponse{{ID: 1, Text: "Agreed", By: "lead@qhg.nhs.net"}}}}
	r.Report.Summary = "Draft summary"
	r.Actions = []accord.ReviewAction{{ID: 1, Title: "Act", Notes: []accord.ActionNote{{Text: "Begun", By: "lead@qhg.nhs.net"}}}}
	r.Progress = &accord.ProgressReview{Summary: "Moving", By: "lead@que.nhs.net"}
	return r
}

func TestAuthorizePeerReview(t *testing.T) {
	draft := policyReview()
	published := policyReview()
	published.Report.PublishedAt, published.Report.PublishedBy = reviewDay("2026-05-01"), "lead@que.nhs.net"
	icb := []string{"leadOwn"}
	team := []string{"leadAndPeer", "teamLead", "teamPeer"}
	oversight := []string{"national", "regionalOwn"}
	cases := []struct {
		act     accord.Action
		r       accord.PeerReview
		allowed []string
	}{
		{accord.ActRequestReview, draft, icb},
		{accord.ActScopeReview, draft, icb},
		{accord.ActWritePositionStatement, draft, icb},
		{accord.ActRespondToFinding, published, icb},
		{accord.ActWriteActionPlan, published, icb},
		{accord.ActUpdateAction, published, icb},
		{accord.ActFormTeam, draft, oversight},
		{accord.ActRecordFinding, draft, team},
		{accord.ActRecordProgressReview, published, team},
		{accord.ActPublishReport, draft, []string{"teamLead"}},
		{accord.ActViewReview, draft, append(append(slices.Clone(icb), team...), oversight...)},
		{accord.ActViewReview, published, nil}, // everyone: checked below
	}
	users := reviewUsers()
	for _, c := range cases {
		for name, u := range users {
			actor, err := accord.AuthorizePeerReview(u, c.act, c.r, policyParent)
			want := slices.Contains(c.allowed, name) || (c.act == accord.ActViewReview && c.r.Published())
			if (err == nil) != want {
				t.Errorf("%s (published %v) by %s: err %v, want allowed %v", c.act, c.r.Published(), name, err, want)
				continue
			}
			switch {
			case err == nil && c.act != accord.ActViewReview && (actor.Email != u.Email || !actor.Role.Valid()):
				t.Errorf("%s by %s: actor %+v", c.act, name, actor)
			case err != nil && u == nil && accord.ErrorCode(err) != accord.EUNAUTHORIZED:
				t.Errorf("%s by nobody: code %s, want unauthorized", c.act, accord.ErrorCode(err))
			case err != nil && u != nil && accord.ErrorCode(err) != accord.EFORBIDDEN:
				t.Errorf("%s by %s: code %s, want forbidden", c.act, name, accord.ErrorCode(err))
			}
			if err == nil && name == "leadAndPeer" && c.act != accord.ActViewReview && actor.Role != accord.RolePeerReviewer {
				t.Errorf("%s by a lead who also reviews: acted as %s, want peer_reviewer", c.act, actor.Role)
			}
		}
	}
}

func TestAuthorizePeerReviewMessages(t *testing.T) {
	r := policyReview()
	users := reviewUsers()
	cases := []struct {
		user string
		act  accord.Action
		want string
	}{
		{"nobody", accord.ActRecordFinding, "sign in to record findings of peer review 7 of QHG"},
		{"disabled", accord.ActScopeReview, "the account disabled@example.nhs.uk is disabled"},
		{"leadOther", accord.ActScopeReview, "only the ICB lead of QHG may set the scope of peer review 7 of QHG"},
		{"regionalOther", accord.ActFormTeam, "formed by the oversight team of its own region"},
		{"reviewerOff", accord.ActRecordFinding, "you are not on the team of peer review 7 of QHG"},
		{"teamPeer", accord.ActPublishReport, "only the lead reviewer publishes the report"},
		{"patientOwn", accord.ActRespondToFinding, "none of your roles lets you respond to the findings of peer review 7 of QHG"},
	}
	for _, c := range cases {
		_, err := accord.AuthorizePeerReview(users[c.user], c.act, r, policyParent)
		if err == nil || !strings.Contains(accord.ErrorMessage(err), c.want) {
			t.Errorf("%s by %s: %v, want %q", c.act, c.user, err, c.want)
		}
	}
}

func TestPeerReviewAsSeenBy(t *testing.T) {
	users := reviewUsers()
	draft := policyReview()
	published := policyReview()
	published.Report.PublishedAt, published.Report.PublishedBy = reviewDay("2026-05-01"), "lead@que.nhs.net"

	for _, name := range []string{"national", "regionalOwn", "teamPeer"} {
		got, ok := accord.PeerReviewAsSeenBy(users[name], draft, policyParent)
		if !ok || got.Report.Summary != "Draft summary" || len(got.Findings) != 1 || got.PositionStatement == "" ||
			len(got.Team[2].Conflicts) != 1 || got.Findings[0].By == "" {
			t.Errorf("%s sees the draft as %+v (%v), want all of it", name, got, ok)
		}
	}
	got, ok := accord.PeerReviewAsSeenBy(users["leadOwn"], draft, policyParent)
	if !ok || len(got.Findings) != 0 || got.Report.Summary != "" || got.PositionStatement == "" || len(got.Team) != 3 {
		t.Errorf("the reviewed ICB sees the draft as %+v (%v): want it without the team's drafts", got, ok)
	}
	for _, name := range []string{"nobody", "disabled", "leadOther", "regionalOther", "reviewerOff", "layOnTeam", "partnerOwn"} {
		if _, ok := accord.PeerReviewAsSeenBy(users[name], draft, policyParent); ok {
			t.Errorf("%s sees the draft", name)
		}
		if accord.CanViewPeerReview(users[name], draft, policyParent) {
			t.Errorf("CanViewPeerReview: %s sees the draft", name)
		}
	}

	got, ok = accord.PeerReviewAsSeenBy(users["leadOwn"], published, policyParent)
	if !ok || len(got.Findings) != 1 || got.Report.Summary != "Draft summary" {
		t.Errorf("the reviewed ICB sees the published review as %+v", got)
	}
	for _, name := range []string{"nobody", "leadOther", "reviewerOff"} {
		got, ok := accord.PeerReviewAsSeenBy(users[name], published, policyParent)
		if !ok {
			t.Fatalf("%s cannot see a published review", name)
		}
		if len(got.Findings) != 1 || len(got.Findings[0].Responses) != 1 || got.Report.Summary == "" || len(got.Actions) != 1 ||
			got.Progress == nil || len(got.Team) != 3 || got.Team[0].Name == "" {
			t.Errorf("%s sees the published review without its report: %+v", name, got)
		}
		if got.PositionStatement != "" || got.RequestedBy != "" || got.Report.PublishedBy != "" || got.Findings[0].By != "" ||
			got.Findings[0].Responses[0].By != "" || got.Actions[0].Notes[0].By != "" || got.Progress.By != "" {
			t.Errorf("%s sees what the public does not: %+v", name, got)
		}
		for _, m := range got.Team {
			if len(m.Conflicts) != 0 || m.UserID != 0 || m.AddedBy != "" {
				t.Errorf("%s sees member %+v", name, m)
			}
		}
	}
	// Hiding parts for one viewer leaves the review itself alone.
	if published.Findings[0].By == "" || len(published.Team[2].Conflicts) != 1 || published.Progress.By == "" ||
		published.Findings[0].Responses[0].By == "" || published.Actions[0].Notes[0].By == "" {
		t.Errorf("PeerReviewAsSeenBy changed the review passed in: %+v", published)
	}
}

func TestPeerReviewVisibilityOf(t *testing.T) {
	users := reviewUsers()
	cases := map[string]accord.PeerReviewVisibility{
		"nobody":      {},
		"disabled":    {},
		"national":    {All: true},
		"regionalOwn": {Regions: []string{"Y61"}},
		"leadOwn":     {OrgCodes: []string{"QHG"}},
		"teamPeer":    {TeamUserID: 102},
		"leadAndPeer": {OrgCodes: []string{"QMJ"}, TeamUserID: 102},
		"patientOwn":  {},
	}
	for name, want := range cases {
		got := accord.PeerReviewVisibilityOf(users[name])
		if got.All != want.All || !slices.Equal(got.Regions, want.Regions) || !slices.Equal(got.OrgCodes, want.OrgCodes) ||
			got.TeamUserID != want.TeamUserID {
			t.Errorf("%s: got %+v, want %+v", name, got, want)
		}
	}
}

func TestStageAction(t *testing.T) {
	seen := map[accord.Action]bool{}
	for _, n := range accord.StageNames {
		a := accord.StageAction(n)
		if a == "" {
			t.Errorf("stage %s has no action", n)
		}
		seen[a] = true
	}
	if len(seen) != len(accord.StageNames) {
		t.Errorf("stages share actions: %v", seen)
	}
	// The team formation stage is oversight's to move, not the ICB's.
	r := policyReview()
	if _, err := accord.AuthorizePeerReview(reviewUsers()["leadOwn"], accord.StageAction(accord.StageTeamFormation), r, policyParent); err == nil {
		t.Error("the ICB lead may move the team formation stage")
	}
}

func TestAuthorizePractice(t *testing.T) {
	users := reviewUsers()
	users["partnerOther"] = &accord.User{ID: 9, Email: "p@rgt.nhs.uk", Name: "p", Grants: []accord.Grant{grant(accord.RolePartnerContributor, "RGT")}}
	cases := []struct {
		act     accord.Action
		org     string
		allowed []string
	}{
		{accord.ActWritePracticeNote, "QHG", []string{"leadOwn"}},
		{accord.ActWritePracticeNote, "RC9", []string{"partnerOwn"}},
		{accord.ActRecordTriedElsewhere, "QUE", []string{"leadOther"}},
		{accord.ActRecordTriedElsewhere, "RGT", []string{"partnerOther"}},
		{accord.ActWritePracticeNote, "QMJ", []string{"leadAndPeer"}},
	}
	for _, c := range cases {
		for name, u := range users {
			actor, err := accord.AuthorizePractice(u, c.act, c.org)
			want := slices.Contains(c.allowed, name)
			if (err == nil) != want {
				t.Errorf("%s for %s by %s: err %v, want allowed %v", c.act, c.org, name, err, want)
				continue
			}
			if err == nil && (actor.OrgCode != c.org || actor.Email != u.Email) {
				t.Errorf("%s for %s by %s: actor %+v", c.act, c.org, name, actor)
			}
			if err != nil && u == nil && accord.ErrorCode(err) != accord.EUNAUTHORIZED {
				t.Errorf("nobody: %v", err)
			}
		}
	}
	_, err := accord.AuthorizePractice(users["leadOther"], accord.ActWritePracticeNote, "QHG")
	if !strings.Contains(accord.ErrorMessage(err), "only for your own organisation, not QHG") {
		t.Errorf("another ICB's lead: %v", err)
	}
	_, err = accord.AuthorizePractice(users["teamLead"], accord.ActWritePracticeNote, "QUE")
	if !strings.Contains(accord.ErrorMessage(err), "only ICB leads and partner contributors") {
		t.Errorf("a peer reviewer: %v", err)
	}
	_, err = accord.AuthorizePractice(users["leadOwn"], accord.ActViewTarget, "QHG")
	if accord.ErrorCode(err) != accord.EINVALID {
		t.Errorf("a target action on a note: %v", err)
	}
}

// TestPeerPolicyActionsNamed keeps the action names unique across both
// policies, since the web layer's error pages and logs name them.
func TestPeerPolicyActionsNamed(t *testing.T) {
	acts := []accord.Action{accord.ActRequestReview, accord.ActScopeReview, accord.ActFormTeam, accord.ActWritePositionStatement,
		accord.ActRecordFinding, accord.ActPublishReport, accord.ActRespondToFinding, accord.ActWriteActionPlan,
		accord.ActUpdateAction, accord.ActRecordProgressReview, accord.ActViewReview, accord.ActWritePracticeNote,
		accord.ActRecordTriedElsewhere, accord.ActViewTarget, accord.ActCreateTarget, accord.ActEditTarget,
		accord.ActMoveTarget, accord.ActRespond, accord.ActAnswerTheme}
	names := make([]string, len(acts))
	for i, a := range acts {
		names[i] = string(a)
	}
	sort.Strings(names)
	if len(slices.Compact(names)) != len(acts) {
		t.Errorf("action names repeat: %v", names)
	}
}
