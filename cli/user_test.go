package cli

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nhs-accord/accord"
	"github.com/nhs-accord/accord/auth"
)

// runUserCLI runs accord with input on standard input.
func runUserCLI(t *testing.T, input string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errb bytes.Buffer
	err = run(context.Background(), args, &env{stdin: strings.NewReader(input), stdout: &out, stderr: &errb, getenv: func(string) string { return "" }})
	return out.String(), errb.String(), err
}

// userDB is a migrated database holding the reference organisations.
func userDB(t *testing.T) string {
	t.Helper()
	db := filepath.Join(t.TempDir(), "a.db")
	if _, _, err := runCLI(t, "migrate", "--db", db); err != nil {
		t.Fatal(err)
	}
	return db
}

func TestUserLifecycle(t *testing.T) {
	ctx := context.Background()
	db := userDB(t)
	// The real argon2 cost: one hash, here.
	out, _, err := runUserCLI(t, "correct horse battery\n", "user", "add", "--db", db, "--email", "Ann.Smith@nhs.net",
		"--name", "Ann Smith", "--role", "icb_lead", "--org", "QHG", "--password-stdin")
	if err != nil || !strings.Contains(out, "Added user Ann.Smith@nhs.net (Ann Smith), with a password, as ICB lead for QHG.") {
		t.Fatalf("add: %v %q", err, out)
	}
	st := openStore(t, db)
	u, hash, err := st.FindUserByEmail(ctx, "ann.smith@nhs.net")
	if err != nil || len(u.Grants) != 1 || u.Grants[0] != (accord.Grant{Role: accord.RoleICBLead, OrgCode: "QHG"}) {
		t.Fatalf("stored: %+v %v", u, err)
	}
	if ok, err := auth.CheckPassword(hash, "correct horse battery"); !ok || err != nil {
		t.Errorf("the stored hash does not verify: %v %v", ok, err)
	}
	if ok, err := auth.CheckPassword(hash, "correct horse battery "); ok || err != nil {
		t.Errorf("a wrong password verifies: %v %v", ok, err)
	}

	// Without --password-stdin: no password.
	if _, _, err := runCLI(t, "user", "add", "--db", db, "--email", "oidc@nhs.net", "--name", "O", "--role", "patient_rep", "--org", "QHG"); err != nil {
		t.Fatal(err)
	}
	if _, hash, err := st.FindUserByEmail(ctx, "oidc@nhs.net"); err != nil || hash != "" {
		t.Errorf("no password: %q %v", hash, err)
	}

	out, _, err = runCLI(t, "user", "role", "--db", db, "--email", "ann.smith@nhs.net", "--role", "peer_reviewer", "--org", "que")
	if err != nil || !strings.Contains(out, "now holds Peer reviewer for QUE") {
		t.Fatalf("role: %v %q", err, out)
	}
	if u, _, _ := st.FindUserByEmail(ctx, "ann.smith@nhs.net"); len(u.Grants) != 2 {
		t.Errorf("grants after role: %+v", u.Grants)
	}

	out, stderr, err := runCLI(t, "user", "token", "--db", db, "--email", "ann.smith@nhs.net", "--label", "nightly export")
	token := strings.TrimSpace(out)
	if err != nil || len(token) != 43 || !strings.Contains(stderr, "shown only this once") {
		t.Fatalf("token: %v %q %q", err, out, stderr)
	}
	if got, err := st.FindUserByToken(ctx, auth.HashToken(token)); err != nil || got.ID != u.ID {
		t.Fatalf("by token: %+v %v", got, err)
	}
	var id string
	if _, after, ok := strings.Cut(stderr, "API token "); ok {
		id, _, _ = strings.Cut(after, " ")
	}
	if out, _, err := runCLI(t, "user", "token", "revoke", id, "--db", db); err != nil || !strings.Contains(out, "Revoked API token "+id) {
		t.Fatalf("revoke %q: %v %q", id, err, out)
	}
	if _, err := st.FindUserByToken(ctx, auth.HashToken(token)); accord.ErrorCode(err) != accord.ENOTFOUND {
		t.Errorf("revoked token: %v", err)
	}

	// The contract's form, `accord user token E`, with the email before or
	// after the flags.
	for _, args := range [][]string{
		{"user", "token", "ann.smith@nhs.net", "--db", db},
		{"user", "token", "--db", db, "ann.smith@nhs.net"},
	} {
		out, _, err := runCLI(t, args...)
		if got, ferr := st.FindUserByToken(ctx, auth.HashToken(strings.TrimSpace(out))); err != nil || ferr != nil || got.ID != u.ID {
			t.Errorf("%q: %v %v %q", args, err, ferr, out)
		}
	}
	if _, _, err := runCLI(t, "user", "token", "--db", db); err == nil || !strings.Contains(err.Error(), "say whose token") {
		t.Errorf("token without an email: %v", err)
	}
	if _, _, err := runCLI(t, "user", "token", "a@nhs.net", "--db", db, "b@nhs.net"); err == nil || !strings.Contains(err.Error(), "unexpected") {
		t.Errorf("token with two emails: %v", err)
	}

	if out, _, err := runCLI(t, "user", "disable", "--db", db, "--email", "ANN.SMITH@nhs.net"); err != nil || !strings.Contains(out, "Disabled") {
		t.Fatalf("disable: %v %q", err, out)
	}
	if u, _, _ := st.FindUserByEmail(ctx, "ann.smith@nhs.net"); !u.Disabled {
		t.Error("not disabled")
	}
}

func TestUserBadInput(t *testing.T) {
	ctx := context.Background()
	db := userDB(t)
	if _, _, err := runCLI(t, "user", "add", "--db", db, "--email", "ann@nhs.net", "--name", "Ann", "--role", "icb_lead", "--org", "QHG"); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		input string
		args  []string
		want  string
	}{
		{"", []string{"add", "--email", "bob@nhs.net", "--name", "Bob", "--role", "admin", "--org", "QHG"},
			`"admin" is not a role: use one of national_oversight, regional_oversight, icb_lead, partner_contributor, workforce_rep, patient_rep, peer_reviewer`},
		{"", []string{"add", "--email", "bob@nhs.net", "--name", "Bob", "--role", "icb_lead", "--org", "ZZZ"}, `"ZZZ" is not known`},
		{"", []string{"add", "--email", "ANN@nhs.net", "--name", "Ann", "--role", "icb_lead", "--org", "QHG"}, "already exists"},
		{"short pw\n", []string{"add", "--email", "bob@nhs.net", "--name", "Bob", "--role", "icb_lead", "--org", "QHG", "--password-stdin"}, "at least 12 characters"},
		{"", []string{"add", "--email", "bob@nhs.net", "--name", "Bob", "--role", "icb_lead", "--org", "QHG", "--password-stdin"}, "no password on standard input"},
		{"", []string{"add", "--email", "bob", "--name", "Bob", "--role", "icb_lead", "--org", "QHG"}, "not an email address"},
		{"", []string{"add", "--email", "bob@nhs.net", "--name", "Bob"}, "--role and --org is required"},
		{"", []string{"role", "--email", "nobody@nhs.net", "--role", "icb_lead", "--org", "QHG"}, "no user with the email nobody@nhs.net"},
		{"", []string{"role", "--email", "ann@nhs.net", "--role", "boss", "--org", "QHG"}, "is not a role"},
		{"", []string{"disable"}, "--email is required"},
		{"", []string{"token", "revoke", "x"}, "give the token's id"},
		{"", []string{"token", "revoke", "99"}, "no API token 99"},
		{"", []string{"sack", "--email", "ann@nhs.net"}, `unknown "sack"`},
		{"", nil, "say what to do"},
	} {
		args := append([]string{"user"}, tc.args...)
		if len(tc.args) > 0 && tc.args[0] != "sack" {
			args = append(args, "--db", db)
		}
		_, _, err := runUserCLI(t, tc.input, args...)
		if ExitCode(err) != 2 || err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: exit %d, %v; want %q", tc.args, ExitCode(err), err, tc.want)
		}
	}
	// Nothing was written: only Ann is there, as she was.
	st := openStore(t, db)
	if _, _, err := st.FindUserByEmail(ctx, "bob@nhs.net"); accord.ErrorCode(err) != accord.ENOTFOUND {
		t.Errorf("bob was stored: %v", err)
	}
	if u, _, err := st.FindUserByEmail(ctx, "ann@nhs.net"); err != nil || u.Name != "Ann" || len(u.Grants) != 1 {
		t.Errorf("ann changed: %+v %v", u, err)
	}
}

func TestUserHelp(t *testing.T) {
	for _, sub := range [][]string{{"user", "--help"}, {"user", "add", "--help"}, {"user", "role", "--help"}, {"user", "disable", "--help"},
		{"user", "token", "--help"}, {"user", "token", "revoke", "--help"}} {
		out, _, err := runCLI(t, sub...)
		if err != nil || !strings.Contains(out, "Usage: accord "+strings.Join(sub[:len(sub)-1], " ")) || !strings.Contains(out, "-db") {
			t.Errorf("%v: %v %q", sub, err, out)
		}
	}
}
