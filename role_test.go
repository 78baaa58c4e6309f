package accord_test

import (
	"testing"

	"github.com/nhs-accord/accord"
)

func TestRoleNames(t *testing.T) {
	// The names are a published contract: changing one breaks exports and
	// API clients, so this list is spelled out rather than derived.
	want := []string{"national_oversight", "regional_oversight", "icb_lead", "partner_contributor", "workforce_rep", "patient_rep", "peer_reviewer"}
	if len(accord.Roles) != len(want) {
		t.Fatalf("got %d roles, want %d", len(accord.Roles), len(want))
	}
	for i, r := range accord.Roles {
		if string(r) != want[i] {
			t.Errorf("role %d is %q, want %q", i, r, want[i])
		}
		if !r.Valid() {
			t.Errorf("%q is not valid", r)
		}
		if l := r.Label(); l == "" || l == string(r) {
			t.Errorf("%q has no plain-English label (got %q)", r, l)
		}
	}
	for _, r := range []accord.Role{"", "admin", "ICB_LEAD"} {
		if r.Valid() {
			t.Errorf("%q is valid", r)
		}
	}
}

func TestGrantValidate(t *testing.T) {
	tests := []struct {
		name   string
		g      accord.Grant
		fields []string // nil: valid
	}{
		{"national", accord.Grant{Role: accord.RoleNationalOversight, OrgCode: accord.EnglandCode}, nil},
		{"regional", accord.Grant{Role: accord.RoleRegionalOversight, OrgCode: "Y61"}, nil},
		{"icb lead", accord.Grant{Role: accord.RoleICBLead, OrgCode: "QHG"}, nil},
		{"partner by ONS code", accord.Grant{Role: accord.RolePartnerContributor, OrgCode: "E06000055"}, nil},
		{"patient rep", accord.Grant{Role: accord.RolePatientRep, OrgCode: "QHG"}, nil},
		{"unknown role", accord.Grant{Role: "admin", OrgCode: "QHG"}, []string{"role"}},
		{"no organisation", accord.Grant{Role: accord.RoleICBLead}, []string{"organisation"}},
		{"bad code", accord.Grant{Role: accord.RoleICBLead, OrgCode: "qhg!"}, []string{"organisation"}},
		{"national below England", accord.Grant{Role: accord.RoleNationalOversight, OrgCode: "Y61"}, []string{"organisation"}},
		{"regional for England", accord.Grant{Role: accord.RoleRegionalOversight, OrgCode: accord.EnglandCode}, []string{"organisation"}},
		{"icb lead for England", accord.Grant{Role: accord.RoleICBLead, OrgCode: accord.EnglandCode}, []string{"organisation"}},
		{"nothing", accord.Grant{}, []string{"role", "organisation"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.g.Validate()
			if tt.fields == nil {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			wantFields(t, err, tt.fields...)
		})
	}
}

func TestGrantCovers(t *testing.T) {
	// England > East of England (Y61) > BLMK ICB (QHG) > sub-ICB (M1J) > trust (RC9).
	parents := map[string]string{"Y61": accord.EnglandCode, "QHG": "Y61", "M1J": "QHG", "RC9": "M1J", "Y56": accord.EnglandCode, "QMF": "Y56"}
	parentOf := func(c string) string { return parents[c] }
	loop := func(c string) string { // bad data: A and B are each other's parent
		return map[string]string{"A": "B", "B": "A"}[c]
	}
	national := accord.Grant{Role: accord.RoleNationalOversight, OrgCode: accord.EnglandCode}
	regional := accord.Grant{Role: accord.RoleRegionalOversight, OrgCode: "Y61"}
	lead := accord.Grant{Role: accord.RoleICBLead, OrgCode: "QHG"}
	tests := []struct {
		name     string
		g        accord.Grant
		org      string
		parentOf func(string) string
		want     bool
	}{
		{"national, itself", national, accord.EnglandCode, parentOf, true},
		{"national, a region", national, "Y56", parentOf, true},
		{"national, a trust four levels down", national, "RC9", parentOf, true},
		{"national, unknown organisation", national, "ZZZ", parentOf, false},
		{"regional, itself", regional, "Y61", parentOf, true},
		{"regional, its ICB", regional, "QHG", parentOf, true},
		{"regional, a trust in its ICB", regional, "RC9", parentOf, true},
		{"regional, another region's ICB", regional, "QMF", parentOf, false},
		{"regional, England above it", regional, accord.EnglandCode, parentOf, false},
		{"regional, no map", regional, "QHG", nil, false},
		{"regional, loop in the map", regional, "A", loop, false},
		{"icb lead, its ICB", lead, "QHG", parentOf, true},
		{"icb lead, not beneath it", lead, "M1J", parentOf, false},
		{"icb lead, another ICB", lead, "QMF", parentOf, false},
		{"empty organisation", national, "", parentOf, false},
		{"empty grant", accord.Grant{Role: accord.RoleNationalOversight}, "QHG", func(string) string { return "" }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.g.Covers(tt.org, tt.parentOf); got != tt.want {
				t.Errorf("%+v covers %q: got %v, want %v", tt.g, tt.org, got, tt.want)
			}
		})
	}
}
