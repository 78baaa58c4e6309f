package accord_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/nhs-accord/accord"
)

var allStatuses = []accord.TargetStatus{accord.TargetDraft, accord.TargetConsultation, accord.TargetAgreed, accord.TargetSubmitted, accord.TargetChallenged, accord.TargetApproved, accord.TargetActive, accord.TargetAchieved, accord.TargetMissed, accord.TargetWithdrawn}

// TestTransitionPolicy spells out who may do what, so that a change to the
// table is a deliberate change to this list too.
func TestTransitionPolicy(t *testing.T) {
	lead := "icb_lead"
	review := "national_oversight,regional_oversight"
	want := map[[2]accord.TargetStatus]struct {
		by     string
		reason bool
	}{
		{accord.TargetDraft, accord.TargetConsultation}:     {lead, false},
		{accord.TargetConsultation, accord.TargetAgreed}:    {lead, false},
		{accord.TargetAgreed, accord.TargetSubmitted}:       {lead, false},
		{accord.TargetSubmitted, accord.TargetApproved}:     {review, false},
		{accord.TargetSubmitted, accord.TargetChallenged}:   {review, true},
		{accord.TargetChallenged, accord.TargetDraft}:       {lead, false},
		{accord.TargetApproved, accord.TargetActive}:        {lead, false},
		{accord.TargetActive, accord.TargetAchieved}:        {lead, false},
		{accord.TargetActive, accord.TargetMissed}:          {lead, false},
		{accord.TargetDraft, accord.TargetWithdrawn}:        {lead, true},
		{accord.TargetConsultation, accord.TargetWithdrawn}: {lead, true},
		{accord.TargetAgreed, accord.TargetWithdrawn}:       {lead, true},
		{accord.TargetChallenged, accord.TargetWithdrawn}:   {lead, true},
		{accord.TargetActive, accord.TargetWithdrawn}:       {lead, true},
	}
	table := accord.Transitions()
	if len(table) != len(want) {
		t.Errorf("table has %d rows, want %d", len(table), len(want))
	}
	for _, tr := range table {
		w, ok := want[[2]accord.TargetStatus{tr.From, tr.To}]
		if !ok {
			t.Errorf("unexpected move %s → %s", tr.From, tr.To)
			continue
		}
		by := make([]string, len(tr.By))
		for i, r := range tr.By {
			by[i] = string(r)
		}
		if got := strings.Join(by, ","); got != w.by || tr.NeedsReason != w.reason {
			t.Errorf("%s → %s: by %s, reason %v; want by %s, reason %v", tr.From, tr.To, got, tr.NeedsReason, w.by, w.reason)
		}
	}
}

func TestTransitionRoles(t *testing.T) {
	for _, tr := range accord.Transitions() {
		for _, r := range accord.Roles {
			err := accord.CanTransition(tr.From, tr.To, r)
			if slices.Contains(tr.By, r) {
				if err != nil {
					t.Errorf("%s: %s → %s refused: %v", r, tr.From, tr.To, err)
				}
				continue
			}
			if accord.ErrorCode(err) != accord.EFORBIDDEN {
				t.Errorf("%s: %s → %s gave %v (code %q), want forbidden", r, tr.From, tr.To, err, accord.ErrorCode(err))
			}
		}
		if err := accord.CanTransition(tr.From, tr.To, "admin"); accord.ErrorCode(err) != accord.EFORBIDDEN {
			t.Errorf("unknown role: %s → %s gave %v, want forbidden", tr.From, tr.To, err)
		}
	}
}

func TestTransitionImpossible(t *testing.T) {
	for _, from := range append(allStatuses, "", "archived") {
		for _, to := range append(allStatuses, "", "archived") {
			if slices.ContainsFunc(accord.Transitions(), func(tr accord.Transition) bool { return tr.From == from && tr.To == to }) {
				continue
			}
			for _, r := range accord.Roles {
				err := accord.CanTransition(from, to, r)
				if accord.ErrorCode(err) != accord.EINVALID {
					t.Fatalf("%s: %q → %q gave %v (code %q), want invalid", r, from, to, err, accord.ErrorCode(err))
				}
			}
		}
	}
	err := accord.CanTransition(accord.TargetDraft, accord.TargetApproved, accord.RoleNationalOversight)
	if got, want := accord.ErrorMessage(err), "a target cannot move from draft to approved"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestTransitionReason(t *testing.T) {
	tests := []struct {
		name     string
		from, to accord.TargetStatus
		actor    accord.Role
		reason   string
		code     string // "" for allowed
	}{
		{"challenge with reasons", accord.TargetSubmitted, accord.TargetChallenged, accord.RoleRegionalOversight, "Trajectory does not reach the 78% standard by March 2026.", ""},
		{"challenge without", accord.TargetSubmitted, accord.TargetChallenged, accord.RoleNationalOversight, "", accord.EINVALID},
		{"challenge with blanks", accord.TargetSubmitted, accord.TargetChallenged, accord.RoleNationalOversight, " \n\t", accord.EINVALID},
		{"withdraw with reason", accord.TargetActive, accord.TargetWithdrawn, accord.RoleICBLead, "Service moved to a new provider.", ""},
		{"withdraw without", accord.TargetDraft, accord.TargetWithdrawn, accord.RoleICBLead, "", accord.EINVALID},
		{"approve needs none", accord.TargetSubmitted, accord.TargetApproved, accord.RoleNationalOversight, "", ""},
		{"forbidden before reason", accord.TargetSubmitted, accord.TargetChallenged, accord.RoleICBLead, "", accord.EFORBIDDEN},
		{"impossible before reason", accord.TargetDraft, accord.TargetApproved, accord.RoleICBLead, "because", accord.EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := accord.CheckTransition(tt.from, tt.to, tt.actor, tt.reason)
			if got := accord.ErrorCode(err); got != tt.code {
				t.Fatalf("got %v (code %q), want code %q", err, got, tt.code)
			}
			if tt.code == accord.EINVALID && strings.TrimSpace(tt.reason) == "" {
				wantFields(t, err, "reason")
			}
		})
	}
}

func TestLifecycleNextStatuses(t *testing.T) {
	tests := []struct {
		from  accord.TargetStatus
		actor accord.Role
		want  []accord.TargetStatus
	}{
		{accord.TargetDraft, accord.RoleICBLead, []accord.TargetStatus{accord.TargetConsultation, accord.TargetWithdrawn}},
		{accord.TargetSubmitted, accord.RoleICBLead, nil},
		{accord.TargetSubmitted, accord.RoleNationalOversight, []accord.TargetStatus{accord.TargetApproved, accord.TargetChallenged}},
		{accord.TargetSubmitted, accord.RoleRegionalOversight, []accord.TargetStatus{accord.TargetApproved, accord.TargetChallenged}},
		{accord.TargetChallenged, accord.RoleICBLead, []accord.TargetStatus{accord.TargetDraft, accord.TargetWithdrawn}},
		{accord.TargetActive, accord.RoleICBLead, []accord.TargetStatus{accord.TargetAchieved, accord.TargetMissed, accord.TargetWithdrawn}},
		{accord.TargetApproved, accord.RoleICBLead, []accord.TargetStatus{accord.TargetActive}},
		{accord.TargetAchieved, accord.RoleICBLead, nil},
		{accord.TargetWithdrawn, accord.RoleNationalOversight, nil},
		{accord.TargetDraft, accord.RolePatientRep, nil},
		{accord.TargetConsultation, accord.RoleWorkforceRep, nil},
	}
	for _, tt := range tests {
		got := accord.NextStatuses(tt.from, tt.actor)
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s from %s: got %v, want %v", tt.actor, tt.from, got, tt.want)
		}
		for _, to := range got {
			if err := accord.CanTransition(tt.from, to, tt.actor); err != nil {
				t.Errorf("offered %s → %s to %s, but: %v", tt.from, to, tt.actor, err)
			}
		}
	}
}

func TestTransitionsCopy(t *testing.T) {
	a := accord.Transitions()
	a[0].By[0] = accord.RolePatientRep
	a[0].To = accord.TargetApproved
	if err := accord.CanTransition(accord.TargetDraft, accord.TargetConsultation, accord.RoleICBLead); err != nil {
		t.Fatalf("editing the copy changed the table: %v", err)
	}
}

func TestTargetRevise(t *testing.T) {
	base := 61.5
	submitted := time.Date(2026, time.November, 2, 9, 0, 0, 0, time.UTC)
	orig := accord.Target{
		ID: 7, OrgCode: "QHG", IndicatorID: "ae_4h_all", PriorityID: "ae_4h_78", Title: "A&E within 4 hours",
		Comparator: accord.AtLeast, Value: 78, BaselineValue: &base, Status: accord.TargetChallenged, Version: 2,
		Trajectory: []accord.Milestone{{Value: 70}, {Value: 78}}, SubmittedAt: &submitted,
	}
	r := orig.Revise()
	if r.Version != 3 || r.Status != accord.TargetDraft {
		t.Errorf("got version %d status %s, want 3 draft", r.Version, r.Status)
	}
	if r.ID != orig.ID || r.Title != orig.Title || r.Value != orig.Value || len(r.Trajectory) != 2 || *r.BaselineValue != base {
		t.Errorf("revision lost the target's content: %+v", r)
	}
	if r.SubmittedAt == nil || !r.SubmittedAt.Equal(submitted) || r.ApprovedAt != nil {
		t.Errorf("revision lost when it was submitted: %v, %v", r.SubmittedAt, r.ApprovedAt)
	}
	r.Trajectory[0].Value = 1
	*r.BaselineValue = 1
	*r.SubmittedAt = time.Time{}
	if orig.Trajectory[0].Value != 70 || base != 61.5 || !submitted.Equal(time.Date(2026, time.November, 2, 9, 0, 0, 0, time.UTC)) || orig.Status != accord.TargetChallenged || orig.Version != 2 {
		t.Errorf("revising changed the original: %+v", orig)
	}
}
