package accord

import (
	"strings"
	"testing"
)

func TestUserValidate(t *testing.T) {
	ok := User{Email: "Ann.Smith@nhs.net", Name: "Ann Smith", Grants: []Grant{{Role: RoleICBLead, OrgCode: "QHG"}}}
	if err := ok.Validate(); err != nil {
		t.Fatalf("valid user: %v", err)
	}
	for _, tc := range []struct {
		u    User
		want []string
	}{
		{User{}, []string{"email: is required", "name: is required"}},
		{User{Email: "ann", Name: "Ann"}, []string{`email: "ann" is not an email address`}},
		{User{Email: "ann@nhs", Name: "Ann"}, []string{"email:"}},
		{User{Email: "@nhs.net", Name: "Ann"}, []string{"email:"}},
		{User{Email: "a@b@nhs.net", Name: "Ann"}, []string{"email:"}},
		{User{Email: "ann smith@nhs.net", Name: "Ann"}, []string{"email:"}},
		{User{Email: "ann@nhs.", Name: "Ann"}, []string{"email:"}},
		{User{Email: "ann@nhs.net", Name: "  "}, []string{"name: is required"}},
		{User{Email: "ann@nhs.net", Name: "Ann", Grants: []Grant{{Role: "admin", OrgCode: "QHG"}}}, []string{`grants:`, `"admin" is not a role`}},
	} {
		err := tc.u.Validate()
		if ErrorCode(err) != EINVALID {
			t.Errorf("%+v: want EINVALID, got %v", tc.u, err)
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%+v: %q does not contain %q", tc.u, err, w)
			}
		}
	}
}
