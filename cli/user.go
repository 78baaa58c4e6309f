package cli

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/nhs-accord/accord"
	"github.com/nhs-accord/accord/auth"
	"github.com/nhs-accord/accord/store"
)

const userAbout = "Manage local accounts:\n" +
	"  accord user add --email E --name N --role ROLE --org CODE [--password-stdin]\n" +
	"  accord user role --email E --role ROLE --org CODE     (grant another role)\n" +
	"  accord user disable --email E\n" +
	"  accord user token E [--label L]                      (print a new API token, once; or --email E)\n" +
	"  accord user token revoke ID\n" +
	"Every subcommand takes --db. Roles: " + "%s."

func roleList() string {
	names := make([]string, len(accord.Roles))
	for i, r := range accord.Roles {
		names[i] = string(r)
	}
	return strings.Join(names, ", ")
}

func runUser(ctx context.Context, e *env, args []string) error {
	about := fmt.Sprintf(userAbout, roleList())
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		fs := newFlagSet(e, "user", "add|role|disable|token [flags]", about)
		if err := parse(fs, args); err != nil {
			return err
		}
		return usageError{"user: say what to do: add, role, disable or token (see `accord user --help`)"}
	}
	sub, args := args[0], args[1:]
	switch sub {
	case "add":
		return runUserAdd(ctx, e, args)
	case "role":
		return runUserRole(ctx, e, args)
	case "disable":
		return runUserDisable(ctx, e, args)
	case "token":
		if len(args) > 0 && args[0] == "revoke" {
			return runUserTokenRevoke(ctx, e, args[1:])
		}
		return runUserToken(ctx, e, args)
	}
	return usageError{fmt.Sprintf("user: unknown %q (use add, role, disable or token; see `accord user --help`)", sub)}
}

// userFlags are the flags the subcommands share; each registers those it uses.
type userFlags struct {
	cfg               Config
	email, name, role string
	org, label        string
	passwordStdin     bool
}

func (f *userFlags) grant() (accord.Grant, error) {
	var missing []string
	if f.role == "" {
		missing = append(missing, "--role")
	}
	if f.org == "" {
		missing = append(missing, "--org")
	}
	if len(missing) > 0 {
		return accord.Grant{}, usageError{fmt.Sprintf("%s is required", strings.Join(missing, " and "))}
	}
	r := accord.Role(f.role)
	if !r.Valid() {
		return accord.Grant{}, usageError{fmt.Sprintf("%q is not a role: use one of %s", f.role, roleList())}
	}
	return accord.Grant{Role: r, OrgCode: strings.ToUpper(strings.TrimSpace(f.org))}, nil
}

// parseUser parses a subcommand's flags, checks there is nothing left over
// and that --email is given where needed.
func parseUser(fs *flag.FlagSet, f *userFlags, args []string, needEmail bool) error {
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("%s: unexpected %q", fs.Name(), strings.Join(fs.Args(), " "))}
	}
	if needEmail && strings.TrimSpace(f.email) == "" {
		return usageError{fs.Name() + ": --email is required"}
	}
	return f.cfg.validate()
}

func newUserFlagSet(e *env, f *userFlags, name, synopsis, about string) *flag.FlagSet {
	fs := newFlagSet(e, name, synopsis, about)
	dbFlags(fs, e, &f.cfg)
	return fs
}

// openUserStore opens a database whose schema is current.
func openUserStore(ctx context.Context, cfg Config) (*store.DB, error) {
	db, err := store.Open(ctx, cfg.DB)
	if err != nil {
		return nil, err
	}
	if err := db.CheckSchema(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// userInputError makes a taken email or an unknown user or token a
// command-line mistake (exit 2), like any other bad input.
func userInputError(err error) error {
	switch accord.ErrorCode(err) {
	case accord.ECONFLICT, accord.ENOTFOUND:
		return usageError{accord.ErrorMessage(err)}
	}
	return err
}

// readPassword reads one line from standard input: the password, without
// its line ending.
func readPassword(e *env) (string, error) {
	in := e.stdin
	if in == nil {
		in = os.Stdin
	}
	line, err := bufio.NewReader(io.LimitReader(in, 4096)).ReadString('\n')
	if err != nil && err != io.EOF {
		return "", fmt.Errorf("read password: %w", err)
	}
	pw := strings.TrimRight(line, "\r\n")
	if pw == "" {
		return "", usageError{"--password-stdin: no password on standard input"}
	}
	return pw, nil
}

func runUserAdd(ctx context.Context, e *env, args []string) error {
	var f userFlags
	fs := newUserFlagSet(e, &f, "user add", "--email E --name N --role ROLE --org CODE [--password-stdin] [--db DB]",
		"Add a user holding one role for one organisation. With --password-stdin the password is\nthe first line of standard input (at least 12 characters); without it the account has no\npassword and signs in another way. Roles: "+roleList()+".")
	fs.StringVar(&f.email, "email", "", "the user's email address (required)")
	fs.StringVar(&f.name, "name", "", "the user's full name (required)")
	fs.StringVar(&f.role, "role", "", "the role to grant (required)")
	fs.StringVar(&f.org, "org", "", "the ODS or ONS code of the organisation the role is held for (required)")
	fs.BoolVar(&f.passwordStdin, "password-stdin", false, "read the password from standard input")
	if err := parseUser(fs, &f, args, true); err != nil {
		return err
	}
	g, err := f.grant()
	if err != nil {
		return err
	}
	u := accord.User{Email: f.email, Name: f.name, Grants: []accord.Grant{g}}
	if err := u.Validate(); err != nil {
		return err
	}
	// Hash before opening the database, so bad input writes nothing.
	var hash string
	if f.passwordStdin {
		pw, err := readPassword(e)
		if err != nil {
			return err
		}
		if hash, err = auth.HashPassword(pw); err != nil {
			return err
		}
	}
	db, err := openUserStore(ctx, f.cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.CreateUser(ctx, &u, hash); err != nil {
		return userInputError(err)
	}
	how := "with a password"
	if hash == "" {
		how = "without a password"
	}
	fmt.Fprintf(e.stdout, "Added user %s (%s), %s, as %s for %s.\n", u.Email, u.Name, how, g.Role.Label(), g.OrgCode)
	return nil
}

func runUserRole(ctx context.Context, e *env, args []string) error {
	var f userFlags
	fs := newUserFlagSet(e, &f, "user role", "--email E --role ROLE --org CODE [--db DB]",
		"Grant a user another role for an organisation. Roles: "+roleList()+".")
	fs.StringVar(&f.email, "email", "", "the user's email address (required)")
	fs.StringVar(&f.role, "role", "", "the role to grant (required)")
	fs.StringVar(&f.org, "org", "", "the ODS or ONS code of the organisation the role is held for (required)")
	if err := parseUser(fs, &f, args, true); err != nil {
		return err
	}
	g, err := f.grant()
	if err != nil {
		return err
	}
	db, err := openUserStore(ctx, f.cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.AddGrant(ctx, f.email, g); err != nil {
		return userInputError(err)
	}
	fmt.Fprintf(e.stdout, "%s now holds %s for %s.\n", strings.TrimSpace(f.email), g.Role.Label(), g.OrgCode)
	return nil
}

func runUserDisable(ctx context.Context, e *env, args []string) error {
	var f userFlags
	fs := newUserFlagSet(e, &f, "user disable", "--email E [--db DB]",
		"Disable a user: they can no longer sign in, and their API tokens stop working.")
	fs.StringVar(&f.email, "email", "", "the user's email address (required)")
	if err := parseUser(fs, &f, args, true); err != nil {
		return err
	}
	db, err := openUserStore(ctx, f.cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.DisableUser(ctx, f.email); err != nil {
		return userInputError(err)
	}
	fmt.Fprintf(e.stdout, "Disabled %s.\n", strings.TrimSpace(f.email))
	return nil
}

func runUserToken(ctx context.Context, e *env, args []string) error {
	var f userFlags
	fs := newUserFlagSet(e, &f, "user token", "EMAIL [--label L] [--db DB]  |  revoke ID [--db DB]",
		"Issue an API bearer token for a user and print it once, on standard output; only its\nhash is kept, so it cannot be shown again. `accord user token revoke ID` revokes one.")
	fs.StringVar(&f.email, "email", "", "the user's email address (required)")
	fs.StringVar(&f.label, "label", "", "what the token is for, e.g. nightly export")
	// The published contract is `accord user token E`: the email may come
	// first, before the flags, or last, after them, as well as by --email.
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		f.email, args = args[0], args[1:]
	}
	if err := parse(fs, args); err != nil {
		return err
	}
	if rest := fs.Args(); len(rest) == 1 && strings.TrimSpace(f.email) == "" {
		f.email = rest[0]
	} else if len(rest) > 0 {
		return usageError{fmt.Sprintf("%s: unexpected %q", fs.Name(), strings.Join(rest, " "))}
	}
	if strings.TrimSpace(f.email) == "" {
		return usageError{fs.Name() + ": say whose token: accord user token EMAIL (or --email EMAIL)"}
	}
	if err := f.cfg.validate(); err != nil {
		return err
	}
	db, err := openUserStore(ctx, f.cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	token, hash := auth.NewToken()
	id, err := db.CreateToken(ctx, f.email, hash, f.label)
	if err != nil {
		return userInputError(err)
	}
	fmt.Fprintln(e.stdout, token)
	fmt.Fprintf(e.stderr, "API token %d issued to %s. It is shown only this once: keep it safe. Revoke it with `accord user token revoke %d`.\n",
		id, strings.TrimSpace(f.email), id)
	return nil
}

func runUserTokenRevoke(ctx context.Context, e *env, args []string) error {
	var f userFlags
	fs := newUserFlagSet(e, &f, "user token revoke", "ID [--db DB]", "Revoke an API token for good.")
	// The id may come before or after the flags.
	var idText string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		idText, args = args[0], args[1:]
	}
	if err := parse(fs, args); err != nil {
		return err
	}
	rest := fs.Args()
	if idText == "" && len(rest) > 0 {
		idText, rest = rest[0], rest[1:]
	}
	if len(rest) > 0 {
		return usageError{fmt.Sprintf("user token revoke: unexpected %q", strings.Join(rest, " "))}
	}
	id, err := strconv.ParseInt(idText, 10, 64)
	if err != nil || id <= 0 {
		return usageError{fmt.Sprintf("user token revoke: give the token's id, a number (got %q)", idText)}
	}
	if err := f.cfg.validate(); err != nil {
		return err
	}
	db, err := openUserStore(ctx, f.cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.RevokeToken(ctx, id); err != nil {
		return userInputError(err)
	}
	fmt.Fprintf(e.stdout, "Revoked API token %d.\n", id)
	return nil
}
