package accord_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/nhs-accord/accord"
)

func TestStances(t *testing.T) {
	// The names are stored and published, so they are spelled out.
	want := map[accord.Stance]string{
		"support":              "Support",
		"support_with_changes": "Support with changes",
		"oppose":               "Oppose",
	}
	if len(accord.Stances) != len(want) {
		t.Fatalf("%d stances, want %d", len(accord.Stances), len(want))
	}
	for _, s := range accord.Stances {
		if !s.Valid() || s.Label() != want[s] {
			t.Errorf("%q: valid %v, label %q", s, s.Valid(), s.Label())
		}
	}
	if accord.Stance("maybe").Valid() {
		t.Error("an unknown stance is valid")
	}
}

func TestResponseValidate(t *testing.T) {
	cases := []struct {
		name string
		r    accord.ConsultationResponse
		want []string // fields named, "" for valid
	}{
		{"plain support", accord.ConsultationResponse{Role: accord.RoleWorkforceRep, Stance: accord.StanceSupport}, nil},
		{"support with changes, saying which", accord.ConsultationResponse{Role: accord.RolePatientRep, Stance: accord.StanceSupportWithChanges, Comment: "Later"}, nil},
		{"opposed, saying why", accord.ConsultationResponse{Role: accord.RolePartnerContributor, Stance: accord.StanceOppose, Comment: "No capacity"}, nil},
		{"no stance", accord.ConsultationResponse{Role: accord.RoleWorkforceRep}, []string{"stance"}},
		{"unknown stance", accord.ConsultationResponse{Role: accord.RoleWorkforceRep, Stance: "meh"}, []string{"stance"}},
		{"changes unsaid", accord.ConsultationResponse{Role: accord.RoleWorkforceRep, Stance: accord.StanceSupportWithChanges, Comment: " \n"}, []string{"comment"}},
		{"opposed without why", accord.ConsultationResponse{Role: accord.RolePatientRep, Stance: accord.StanceOppose}, []string{"comment"}},
		{"ICB lead", accord.ConsultationResponse{Role: accord.RoleICBLead, Stance: accord.StanceSupport}, []string{"role"}},
		{"oversight, opposed without why", accord.ConsultationResponse{Role: accord.RoleNationalOversight, Stance: accord.StanceOppose}, []string{"comment", "role"}},
	}
	for _, c := range cases {
		if got := invalidFields(t, c.r.Validate()); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: fields %v, want %v", c.name, got, c.want)
		}
	}
}

func TestThemeValidate(t *testing.T) {
	cases := []struct {
		name string
		th   accord.Theme
		want []string
	}{
		{"complete", accord.Theme{YouSaid: "Too fast", WeDid: "Slowed the trajectory", Changed: true, ResponseIDs: []int64{3, 4}}, nil},
		{"empty", accord.Theme{}, []string{"you_said", "we_did", "responses"}},
		{"blank texts", accord.Theme{YouSaid: " ", WeDid: "\t", ResponseIDs: []int64{1}}, []string{"you_said", "we_did"}},
		{"a response twice", accord.Theme{YouSaid: "a", WeDid: "b", ResponseIDs: []int64{1, 2, 1}}, []string{"responses"}},
	}
	for _, c := range cases {
		if got := invalidFields(t, c.th.Validate()); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: fields %v, want %v", c.name, got, c.want)
		}
	}
}

// invalidFields lists the fields an EINVALID error names, nil for no error.
func invalidFields(t *testing.T, err error) []string {
	t.Helper()
	if err == nil {
		return nil
	}
	var e *accord.Error
	if !errors.As(err, &e) || e.Code != accord.EINVALID {
		t.Fatalf("got %v, want EINVALID", err)
	}
	var out []string
	for _, f := range e.Fields {
		out = append(out, f.Field)
	}
	return out
}

func consultationFixture() accord.Consultation {
	r := func(id int64, role accord.Role, s accord.Stance) accord.ConsultationResponse {
		return accord.ConsultationResponse{ID: id, Role: role, Stance: s, Name: "person " + string(rune('A'+id))}
	}
	return accord.Consultation{
		Responses: []accord.ConsultationResponse{
			r(1, accord.RolePatientRep, accord.StanceSupport),
			r(2, accord.RoleWorkforceRep, accord.StanceOppose),
			r(3, accord.RoleWorkforceRep, accord.StanceSupportWithChanges),
			r(4, accord.RolePatientRep, accord.StanceOppose),
			r(5, accord.RoleWorkforceRep, accord.StanceSupport),
			r(6, accord.RolePeerReviewer, accord.StanceOppose), // not a consultee: left out of the summary
		},
		Themes: []accord.Theme{{ID: 1, YouSaid: "a", WeDid: "b", ResponseIDs: []int64{2, 1}}},
	}
}

func TestConsultationSummary(t *testing.T) {
	got := consultationFixture().Summary()
	want := []accord.GroupSummary{
		{Role: accord.RoleWorkforceRep, Support: 1, SupportWithChanges: 1, Oppose: 1, Total: 3},
		{Role: accord.RolePatientRep, Support: 1, Oppose: 1, Total: 2},
		{Role: accord.RolePartnerContributor},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("summary:\n got %+v\nwant %+v", got, want)
	}
	if got := (accord.Consultation{}).Summary(); len(got) != 3 || got[2].Role != accord.RolePartnerContributor || got[0].Total != 0 {
		t.Errorf("summary of no responses: %+v", got)
	}
}

func TestConsultationUnanswered(t *testing.T) {
	c := consultationFixture()
	var ids []int64
	for _, r := range c.Unanswered() {
		ids = append(ids, r.ID)
	}
	// 1 and 5 support plainly; 2 is answered; 3, 4 and 6 ask for something.
	if !reflect.DeepEqual(ids, []int64{3, 4, 6}) {
		t.Errorf("unanswered %v, want [3 4 6]", ids)
	}
	c.Themes = append(c.Themes, accord.Theme{ResponseIDs: []int64{3, 4, 6}})
	if left := c.Unanswered(); len(left) != 0 {
		t.Errorf("all answered, yet %+v", left)
	}
	if !c.Open() {
		t.Error("a consultation without ClosedAt is not open")
	}
}

func TestConsulteeRolesLabelled(t *testing.T) {
	for _, r := range accord.ConsulteeRoles {
		if !r.Valid() || strings.Contains(r.Label(), "_") {
			t.Errorf("consultee role %q: %q", r, r.Label())
		}
	}
}
