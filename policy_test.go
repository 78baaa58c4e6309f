package accord_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/nhs-accord/accord"
)

// policyMap is a small organisation map: East of England (Y61) holds two
// ICBs, QHG (with a trust and a place) and QUE (with a trust); London (Y56)
// holds QMJ.
var policyMap = map[string]string{
	"Y61": accord.EnglandCode, "Y56": accord.EnglandCode,
	"QHG": "Y61", "QUE": "Y61", "QMJ": "Y56",
	"RC9": "QHG", "E06000055": "QHG", "RGT": "QUE",
}

func policyParent(code string) string { return policyMap[code] }

func userWith(name string, grants ...accord.Grant) *accord.User {
	return &accord.User{ID: int64(len(name)), Email: name + "@example.nhs.uk", Name: name, Grants: grants}
}

func grant(r accord.Role, org string) accord.Grant { return accord.Grant{Role: r, OrgCode: org} }

// policyUsers is every role for the target's own organisation (or beneath
// it) and for another, plus nobody and a disabled lead.
func policyUsers() map[string]*accord.User {
	disabled := userWith("disabled", grant(accord.RoleICBLead, "QHG"))
	disabled.Disabled = true
	return map[string]*accord.User{
		"nobody":          nil,
		"disabled":        disabled,
		"national":        userWith("national", grant(accord.RoleNationalOversight, accord.EnglandCode)),
		"regionalOwn":     userWith("regionalOwn", grant(accord.RoleRegionalOversight, "Y61")),
		"regionalOther":   userWith("regionalOther", grant(accord.RoleRegionalOversight, "Y56")),
		"leadOwn":         userWith("leadOwn", grant(accord.RoleICBLead, "QHG")),
		"leadOther":       userWith("leadOther", grant(accord.RoleICBLead, "QUE")),
		"workforceTrust":  userWith("workforceTrust", grant(accord.RoleWorkforceRep, "RC9")),
		"workforceICB":    userWith("workforceICB", grant(accord.RoleWorkforceRep, "QHG")),
		"workforceOther":  userWith("workforceOther", grant(accord.RoleWorkforceRep, "RGT")),
		"patientPlace":    userWith("patientPlace", grant(accord.RolePatientRep, "E06000055")),
		"patientOther":    userWith("patientOther", grant(accord.RolePatientRep, "QUE")),
		"partnerTrust":    userWith("partnerTrust", grant(accord.RolePartnerContributor, "RC9")),
		"partnerOther":    userWith("partnerOther", grant(accord.RolePartnerContributor, "RGT")),
		"peerOwn":         userWith("peerOwn", grant(accord.RolePeerReviewer, "QHG")),
		"peerOther":       userWith("peerOther", grant(accord.RolePeerReviewer, "QUE")),
		"regionalOverICB": userWith("regionalOverICB", grant(accord.RoleRegionalOversight, "Y56"), grant(accord.RoleWorkforceRep, "QUE")),
	}
}

// TestAuthorize is the role × organisation table: for each action on a
// QHG target, exactly the users listed may act, and everyone else is
// refused (EUNAUTHORIZED when nobody is signed in, else EFORBIDDEN).
func TestAuthorize(t *testing.T) {
	consultees := []string{"workforceTrust", "workforceICB", "patientPlace", "partnerTrust"}
	reviewers := []string{"national", "regionalOwn"}
	cases := []struct {
		act     accord.Action
		status  accord.TargetStatus
		to      accord.TargetStatus
		allowed []string
	}{
		{accord.ActCreateTarget, accord.TargetDraft, "", []string{"leadOwn"}},
		{accord.ActEditTarget, accord.TargetDraft, "", []string{"leadOwn"}},
		{accord.ActEditTarget, accord.TargetConsultation, "", []string{"leadOwn"}},
		{accord.ActEditTarget, accord.TargetAgreed, "", nil},
		{accord.ActEditTarget, accord.TargetSubmitted, "", nil},
		{accord.ActEditTarget, accord.TargetApproved, "", nil},
		{accord.ActMoveTarget, accord.TargetDraft, accord.TargetConsultation, []string{"leadOwn"}},
		{accord.ActMoveTarget, accord.TargetConsultation, accord.TargetAgreed, []string{"leadOwn"}},
		{accord.ActMoveTarget, accord.TargetAgreed, accord.TargetSubmitted, []string{"leadOwn"}},
		{accord.ActMoveTarget, accord.TargetSubmitted, accord.TargetApproved, reviewers},
		{accord.ActMoveTarget, accord.TargetSubmitted, accord.TargetChallenged, reviewers},
		{accord.ActMoveTarget, accord.TargetChallenged, accord.TargetDraft, []string{"leadOwn"}},
		{accord.ActMoveTarget, accord.TargetApproved, accord.TargetActive, []string{"leadOwn"}},
		{accord.ActMoveTarget, accord.TargetActive, accord.TargetAchieved, []string{"leadOwn"}},
		{accord.ActMoveTarget, accord.TargetActive, accord.TargetWithdrawn, []string{"leadOwn"}},
		{accord.ActRespond, accord.TargetConsultation, "", consultees},
		{accord.ActRespond, accord.TargetDraft, "", nil},
		{accord.ActRespond, accord.TargetAgreed, "", nil},
		{accord.ActAnswerTheme, accord.TargetConsultation, "", []string{"leadOwn"}},
		{accord.ActAnswerTheme, accord.TargetDraft, "", nil},
		{accord.ActAnswerTheme, accord.TargetAgreed, "", nil},
	}
	users := policyUsers()
	for _, c := range cases {
		tg := accord.Target{ID: 7, OrgCode: "QHG", Title: "Waits", Status: c.status}
		for name, u := range users {
			actor, err := accord.Authorize(u, c.act, tg, c.to, policyParent)
			what := string(c.act) + " " + string(c.status) + "→" + string(c.to) + " by " + name
			if slices.Contains(c.allowed, name) {
				if err != nil {
					t.Errorf("%s: refused: %v", what, err)
					continue
				}
				if actor.UserID != u.ID || actor.Email != u.Email || actor.Name != u.Name || !slices.Contains(u.Grants, accord.Grant{Role: actor.Role, OrgCode: actor.OrgCode}) {
					t.Errorf("%s: actor %+v does not match the user's grant", what, actor)
				}
				continue
			}
			want := accord.EFORBIDDEN
			if u == nil {
				want = accord.EUNAUTHORIZED
			}
			if got := accord.ErrorCode(err); got != want {
				t.Errorf("%s: got %q (%v), want %s", what, got, err, want)
			}
			if actor != (accord.Actor{}) {
				t.Errorf("%s: refused, but returned actor %+v", what, actor)
			}
		}
	}
}

func TestAuthorizeMessages(t *testing.T) {
	users := policyUsers()
	tg := accord.Target{ID: 7, OrgCode: "QHG", Title: "Waits", Status: accord.TargetSubmitted}
	cases := []struct {
		user string
		act  accord.Action
		to   accord.TargetStatus
		code string
		want string
	}{
		{"nobody", accord.ActEditTarget, "", accord.EUNAUTHORIZED, "sign in to edit target 7 of QHG"},
		{"disabled", accord.ActEditTarget, "", accord.EFORBIDDEN, "the account disabled@example.nhs.uk is disabled"},
		{"leadOwn", accord.ActEditTarget, "", accord.EFORBIDDEN, "the target is submitted: it can be edited only in draft or in consultation"},
		{"leadOther", accord.ActEditTarget, "", accord.EFORBIDDEN, "none of your roles lets you edit target 7 of QHG"},
		{"leadOwn", accord.ActMoveTarget, accord.TargetApproved, accord.EFORBIDDEN, "ICB lead may not move a target from submitted to approved"},
		{"regionalOther", accord.ActMoveTarget, accord.TargetApproved, accord.EFORBIDDEN, "none of your roles lets you move target 7 of QHG to approved"},
		{"national", accord.ActMoveTarget, accord.TargetDraft, accord.EINVALID, "a target cannot move from submitted to draft"},
		{"workforceTrust", accord.ActRespond, "", accord.EFORBIDDEN, "the target is submitted: responses are taken only while it is in consultation"},
		{"leadOwn", accord.ActAnswerTheme, "", accord.EFORBIDDEN, "themes answer a consultation, and it is not in consultation"},
	}
	for _, c := range cases {
		_, err := accord.Authorize(users[c.user], c.act, tg, c.to, policyParent)
		if got := accord.ErrorCode(err); got != c.code {
			t.Errorf("%s %s: got %q (%v), want %s", c.user, c.act, got, err, c.code)
			continue
		}
		if msg := accord.ErrorMessage(err); !strings.Contains(msg, c.want) {
			t.Errorf("%s %s: message %q does not contain %q", c.user, c.act, msg, c.want)
		}
	}
	// A new target, not yet stored, is named by its title.
	_, err := accord.Authorize(nil, accord.ActCreateTarget, accord.Target{OrgCode: "QHG", Title: "Waits"}, "", policyParent)
	if msg := accord.ErrorMessage(err); msg != "sign in to create a target for QHG" {
		t.Errorf("create while signed out: %q", msg)
	}
}

// TestAuthorizeChoosesGrant: with several grants, the actor is the one
// that allows the action.
func TestAuthorizeChoosesGrant(t *testing.T) {
	u := userWith("both", grant(accord.RolePatientRep, "QUE"), grant(accord.RoleICBLead, "QHG"), grant(accord.RoleWorkforceRep, "RC9"))
	tg := accord.Target{ID: 7, OrgCode: "QHG", Status: accord.TargetConsultation}
	a, err := accord.Authorize(u, accord.ActMoveTarget, tg, accord.TargetAgreed, policyParent)
	if err != nil || a.Role != accord.RoleICBLead || a.OrgCode != "QHG" {
		t.Errorf("move: %+v %v", a, err)
	}
	a, err = accord.Authorize(u, accord.ActRespond, tg, "", policyParent)
	if err != nil || a.Role != accord.RoleWorkforceRep || a.OrgCode != "RC9" {
		t.Errorf("respond: %+v %v", a, err)
	}
}

// TestCanView: who sees a QHG target at each status. Authorize with
// ActViewTarget agrees with CanView.
func TestCanView(t *testing.T) {
	everyone := []string{}
	for name := range policyUsers() {
		everyone = append(everyone, name)
	}
	consultees := []string{"leadOwn", "workforceTrust", "workforceICB", "patientPlace", "partnerTrust"}
	withReview := append(slices.Clone(consultees), "national", "regionalOwn")
	want := map[accord.TargetStatus][]string{
		accord.TargetDraft:        {"leadOwn"},
		accord.TargetConsultation: consultees,
		accord.TargetAgreed:       consultees,
		accord.TargetSubmitted:    withReview,
		accord.TargetChallenged:   withReview,
		accord.TargetWithdrawn:    withReview,
		accord.TargetApproved:     everyone,
		accord.TargetActive:       everyone,
		accord.TargetAchieved:     everyone,
		accord.TargetMissed:       everyone,
	}
	if len(want) != len(allStatuses) {
		t.Fatalf("the table covers %d statuses of %d", len(want), len(allStatuses))
	}
	for status, allowed := range want {
		tg := accord.Target{ID: 7, OrgCode: "QHG", Status: status}
		for name, u := range policyUsers() {
			wantSee := slices.Contains(allowed, name)
			if got := accord.CanView(u, tg, policyParent); got != wantSee {
				t.Errorf("%s sees a %s target: %v, want %v", name, status, got, wantSee)
			}
			_, err := accord.Authorize(u, accord.ActViewTarget, tg, "", policyParent)
			if (err == nil) != wantSee {
				t.Errorf("Authorize view of a %s target by %s: %v", status, name, err)
			}
		}
	}
}

func TestActorValidate(t *testing.T) {
	ok := accord.Actor{UserID: 1, Email: "lead@qhg.nhs.net", Name: "Lead", Role: accord.RoleICBLead, OrgCode: "QHG"}
	if err := ok.Validate(); err != nil {
		t.Errorf("valid actor: %v", err)
	}
	err := accord.Actor{Role: "boss"}.Validate()
	msg := accord.ErrorMessage(err)
	for _, w := range []string{"actor: no email", `role: "boss" is not a role`, "organisation: say which organisation"} {
		if !strings.Contains(msg, w) {
			t.Errorf("%q does not contain %q", msg, w)
		}
	}
}

func TestEditable(t *testing.T) {
	for _, s := range allStatuses {
		want := s == accord.TargetDraft || s == accord.TargetConsultation
		if got := accord.Editable(s); got != want {
			t.Errorf("Editable(%s) = %v", s, got)
		}
	}
}
