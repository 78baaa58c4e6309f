package store

import (
	"context"
	"testing"

	accord "github.com/nhs-accord/accord"
)

// The store keeps password and token hashes as given; these stand in for
// what the auth package makes.
const (
	testPasswordHash = "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA"
	testTokenHash    = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
)

func TestUser(t *testing.T) {
	cases := []struct {
		name string
		run  func(t *testing.T, open factory)
	}{
		{"CreateFind", testUserCreateFind},
		{"CreateInvalid", testUserCreateInvalid},
		{"EmailTakenAnyCase", testUserEmailTaken},
		{"AddGrant", testUserAddGrant},
		{"Disable", testUserDisable},
		{"Token", testUserToken},
	}
	forEachEngine(t, func(t *testing.T, open factory) {
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				t.Parallel()
				c.run(t, open)
			})
		}
	})
}

func newUser(t *testing.T, db *DB, email string, grants ...accord.Grant) accord.User {
	t.Helper()
	u := accord.User{Email: email, Name: "Ann Smith", Grants: grants}
	if err := db.CreateUser(context.Background(), &u, testPasswordHash); err != nil {
		t.Fatalf("create %s: %v", email, err)
	}
	return u
}

func testUserCreateFind(t *testing.T, open factory) {
	ctx := context.Background()
	db := seeded(t, open)
	u := newUser(t, db, " Ann.Smith@NHS.net ", accord.Grant{Role: accord.RoleICBLead, OrgCode: "QHG"},
		accord.Grant{Role: accord.RolePeerReviewer, OrgCode: "QUE"})
	if u.ID == 0 || u.CreatedAt.IsZero() || u.Email != "Ann.Smith@NHS.net" {
		t.Fatalf("created: %+v", u)
	}
	got, hash, err := db.FindUserByEmail(ctx, "ann.smith@nhs.NET")
	if err != nil {
		t.Fatal(err)
	}
	if hash != testPasswordHash || got.ID != u.ID || got.Email != "Ann.Smith@NHS.net" || got.Name != "Ann Smith" || got.Disabled ||
		!got.CreatedAt.Equal(u.CreatedAt) || len(got.Grants) != 2 ||
		got.Grants[0] != (accord.Grant{Role: accord.RoleICBLead, OrgCode: "QHG"}) || got.Grants[1] != (accord.Grant{Role: accord.RolePeerReviewer, OrgCode: "QUE"}) {
		t.Errorf("found %+v %q", got, hash)
	}
	// An account without a password (to sign in another way).
	o := accord.User{Email: "oidc@nhs.net", Name: "Only OIDC"}
	if err := db.CreateUser(ctx, &o, ""); err != nil {
		t.Fatal(err)
	}
	if got, hash, err := db.FindUserByEmail(ctx, "oidc@nhs.net"); err != nil || hash != "" || len(got.Grants) != 0 || got.Grants == nil {
		t.Errorf("no password: %+v %q %v", got, hash, err)
	}
	_, _, err = db.FindUserByEmail(ctx, "nobody@nhs.net")
	wantError(t, err, accord.ENOTFOUND, "no user with the email nobody@nhs.net")
}

func testUserCreateInvalid(t *testing.T, open factory) {
	ctx := context.Background()
	db := seeded(t, open)
	err := db.CreateUser(ctx, &accord.User{Email: "nope"}, "")
	wantError(t, err, accord.EINVALID, "email:", "name: is required")
	err = db.CreateUser(ctx, &accord.User{Email: "a@nhs.net", Name: "A", Grants: []accord.Grant{{Role: accord.RoleICBLead, OrgCode: "ZZZ"}}}, "")
	wantError(t, err, accord.EINVALID, `organisation: "ZZZ" is not known`)
	err = db.CreateUser(ctx, &accord.User{Email: "a@nhs.net", Name: "A", Grants: []accord.Grant{{Role: accord.RoleRegionalOversight, OrgCode: "QHG"}}}, "")
	wantError(t, err, accord.EINVALID, "Regional oversight is held for an organisation of type region, and QHG is of type icb")
	if _, _, err := db.FindUserByEmail(ctx, "a@nhs.net"); accord.ErrorCode(err) != accord.ENOTFOUND {
		t.Errorf("an invalid user was stored: %v", err)
	}
}

func testUserEmailTaken(t *testing.T, open factory) {
	db := seeded(t, open)
	newUser(t, db, "ann@nhs.net")
	err := db.CreateUser(context.Background(), &accord.User{Email: "ANN@nhs.net", Name: "Another Ann"}, "")
	wantError(t, err, accord.ECONFLICT, "ANN@nhs.net already exists")
}

func testUserAddGrant(t *testing.T, open factory) {
	ctx := context.Background()
	db := seeded(t, open)
	newUser(t, db, "ann@nhs.net")
	g := accord.Grant{Role: accord.RoleRegionalOversight, OrgCode: "Y61"}
	for range 2 { // a grant already held is left as it is
		if err := db.AddGrant(ctx, "ANN@nhs.net", g); err != nil {
			t.Fatal(err)
		}
	}
	if u, _, err := db.FindUserByEmail(ctx, "ann@nhs.net"); err != nil || len(u.Grants) != 1 || u.Grants[0] != g {
		t.Errorf("grants: %+v %v", u.Grants, err)
	}
	wantError(t, db.AddGrant(ctx, "bob@nhs.net", g), accord.ENOTFOUND, "bob@nhs.net")
	wantError(t, db.AddGrant(ctx, "ann@nhs.net", accord.Grant{Role: accord.RolePatientRep, OrgCode: "ZZZ"}), accord.EINVALID, `"ZZZ" is not known`)
	wantError(t, db.AddGrant(ctx, "ann@nhs.net", accord.Grant{Role: "admin", OrgCode: "QHG"}), accord.EINVALID, `"admin" is not a role`)
	wantError(t, db.AddGrant(ctx, "ann@nhs.net", accord.Grant{Role: accord.RoleNationalOversight, OrgCode: "QHG"}), accord.EINVALID, "national oversight is held for England")
}

func testUserDisable(t *testing.T, open factory) {
	ctx := context.Background()
	db := seeded(t, open)
	newUser(t, db, "ann@nhs.net")
	if err := db.DisableUser(ctx, "Ann@nhs.net"); err != nil {
		t.Fatal(err)
	}
	if u, _, err := db.FindUserByEmail(ctx, "ann@nhs.net"); err != nil || !u.Disabled {
		t.Errorf("disabled: %+v %v", u, err)
	}
	wantError(t, db.DisableUser(ctx, "bob@nhs.net"), accord.ENOTFOUND, "bob@nhs.net")
	_, err := db.CreateToken(ctx, "ann@nhs.net", testTokenHash, "")
	wantError(t, err, accord.EINVALID, "is disabled")
}

func testUserToken(t *testing.T, open factory) {
	ctx := context.Background()
	db := seeded(t, open)
	u := newUser(t, db, "ann@nhs.net", accord.Grant{Role: accord.RoleICBLead, OrgCode: "QHG"})
	id, err := db.CreateToken(ctx, "ann@nhs.net", testTokenHash, "nightly export")
	if err != nil || id == 0 {
		t.Fatalf("create token: %d %v", id, err)
	}
	got, err := db.FindUserByToken(ctx, testTokenHash)
	if err != nil || got.ID != u.ID || len(got.Grants) != 1 {
		t.Fatalf("by token: %+v %v", got, err)
	}
	_, err = db.CreateToken(ctx, "ann@nhs.net", testTokenHash, "")
	wantError(t, err, accord.ECONFLICT)
	_, err = db.CreateToken(ctx, "ann@nhs.net", "", "")
	wantError(t, err, accord.EINVALID)
	_, err = db.CreateToken(ctx, "bob@nhs.net", "other", "")
	wantError(t, err, accord.ENOTFOUND, "bob@nhs.net")
	_, err = db.FindUserByToken(ctx, "unknown")
	wantError(t, err, accord.ENOTFOUND)

	// Revoked: gone, and revoking again is harmless.
	for range 2 {
		if err := db.RevokeToken(ctx, id); err != nil {
			t.Fatal(err)
		}
	}
	_, err = db.FindUserByToken(ctx, testTokenHash)
	wantError(t, err, accord.ENOTFOUND, "revoked")
	wantError(t, db.RevokeToken(ctx, id+100), accord.ENOTFOUND, "no API token")

	// A disabled user's tokens stop working too.
	id2, err := db.CreateToken(ctx, "ann@nhs.net", "second", "")
	if err != nil || id2 == id {
		t.Fatalf("second token: %d %v", id2, err)
	}
	if err := db.DisableUser(ctx, "ann@nhs.net"); err != nil {
		t.Fatal(err)
	}
	_, err = db.FindUserByToken(ctx, "second")
	wantError(t, err, accord.ENOTFOUND)
}
