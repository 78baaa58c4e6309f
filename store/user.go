package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	accord "github.com/nhs-accord/accord"
)

var _ accord.UserStore = (*DB)(nil)

// emailMatch is the condition that finds a user by email whatever its case,
// with its argument: SQLite keeps a lowered copy, PostgreSQL indexes
// lower(email).
func (db *DB) emailMatch(email string) (string, any) {
	key := strings.ToLower(strings.TrimSpace(email))
	if db.engine == Postgres {
		return "lower(u.email) = ?", key
	}
	return "u.email_lower = ?", key
}

// grantRoleOrgType is the type of organisation a role must be held for,
// where there is only one (national oversight is checked by Grant itself).
var grantRoleOrgType = map[accord.Role]accord.OrgType{
	accord.RoleRegionalOversight: accord.OrgRegion,
	accord.RoleICBLead:           accord.OrgICB,
}

// checkGrant validates g and checks that its organisation exists and suits
// the role.
func (t *tx) checkGrant(ctx context.Context, g accord.Grant) error {
	if err := g.Validate(); err != nil {
		return err
	}
	var typ accord.OrgType
	err := t.queryRow(ctx, `SELECT type FROM organisations WHERE code = ?`, g.OrgCode).Scan(&typ)
	if errors.Is(err, sql.ErrNoRows) {
		return &accord.Error{Code: accord.EINVALID, Message: "grant of " + string(g.Role),
			Fields: []accord.FieldError{{Field: "organisation", Message: fmt.Sprintf("%q is not known", g.OrgCode)}}}
	}
	if err != nil {
		return fmt.Errorf("check grant: %w", err)
	}
	if want, ok := grantRoleOrgType[g.Role]; ok && typ != want {
		return &accord.Error{Code: accord.EINVALID, Message: "grant of " + string(g.Role),
			Fields: []accord.FieldError{{Field: "organisation", Message: fmt.Sprintf("%s is held for an organisation of type %s, and %s is of type %s", g.Role.Label(), want, g.OrgCode, typ)}}}
	}
	return nil
}

func (t *tx) insertGrant(ctx context.Context, userID int64, g accord.Grant) error {
	_, err := t.exec(ctx, `INSERT INTO user_grants (user_id, role, org_code) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`,
		userID, string(g.Role), g.OrgCode)
	if isForeignKeyViolation(err) {
		return accord.Errorf(accord.EINVALID, "grant of %s: organisation %q is not known", g.Role, g.OrgCode)
	}
	return err
}

// CreateUser stores u with its grants; see accord.UserStore.
func (db *DB) CreateUser(ctx context.Context, u *accord.User, passwordHash string) error {
	if err := u.Validate(); err != nil {
		return err
	}
	email := strings.TrimSpace(u.Email)
	t, err := db.begin(ctx)
	if err != nil {
		return err
	}
	defer t.Rollback()
	cond, key := db.emailMatch(email)
	taken, err := t.exists(ctx, `SELECT 1 FROM users u WHERE `+cond, key)
	if err != nil {
		return fmt.Errorf("create user: %w", err)
	}
	if taken {
		return accord.Errorf(accord.ECONFLICT, "a user with the email %s already exists", email)
	}
	for _, g := range u.Grants {
		if err := t.checkGrant(ctx, g); err != nil {
			return err
		}
	}
	now := time.Now().UTC().Truncate(time.Second)
	cols, args := `email, name, password_hash, disabled, created_at`, []any{email, strings.TrimSpace(u.Name), passwordHash, u.Disabled, now.Format(time.RFC3339)}
	if db.engine == SQLite {
		cols, args = cols+`, email_lower`, append(args, key)
	}
	var id int64
	err = t.queryRow(ctx, `INSERT INTO users (`+cols+`) VALUES (`+placeholders(len(args))+`) RETURNING id`, args...).Scan(&id)
	if isUniqueViolation(err) {
		return accord.Errorf(accord.ECONFLICT, "a user with the email %s already exists", email)
	}
	if err != nil {
		return fmt.Errorf("create user: %w", err)
	}
	for _, g := range u.Grants {
		if err := t.insertGrant(ctx, id, g); err != nil {
			return fmt.Errorf("create user: %w", err)
		}
	}
	if err := t.Commit(); err != nil {
		return fmt.Errorf("create user: commit: %w", err)
	}
	u.ID, u.Email, u.Name, u.CreatedAt = id, email, strings.TrimSpace(u.Name), now
	return nil
}

const userColumns = `u.id, u.email, u.name, u.disabled, u.created_at, u.password_hash`

// findUser loads the one user the condition selects, with grants, and the
// password hash; ENOTFOUND names what was looked for.
func (t *tx) findUser(ctx context.Context, what, from, cond string, args ...any) (accord.User, string, error) {
	var u accord.User
	var hash string
	err := t.queryRow(ctx, `SELECT `+userColumns+` FROM `+from+` WHERE `+cond, args...).
		Scan(&u.ID, &u.Email, &u.Name, &u.Disabled, timestamp{&u.CreatedAt}, &hash)
	if errors.Is(err, sql.ErrNoRows) {
		return accord.User{}, "", accord.Errorf(accord.ENOTFOUND, "no %s", what)
	}
	if err != nil {
		return accord.User{}, "", fmt.Errorf("find user: %w", err)
	}
	rows, err := t.query(ctx, `SELECT role, org_code FROM user_grants WHERE user_id = ? ORDER BY org_code, role`, u.ID)
	if err != nil {
		return accord.User{}, "", fmt.Errorf("find user grants: %w", err)
	}
	defer rows.Close()
	u.Grants = []accord.Grant{}
	for rows.Next() {
		var g accord.Grant
		if err := rows.Scan(&g.Role, &g.OrgCode); err != nil {
			return accord.User{}, "", fmt.Errorf("find user grants: %w", err)
		}
		u.Grants = append(u.Grants, g)
	}
	if err := rows.Err(); err != nil {
		return accord.User{}, "", fmt.Errorf("find user grants: %w", err)
	}
	return u, hash, nil
}

// FindUserByEmail returns the user, their grants and password hash.
func (db *DB) FindUserByEmail(ctx context.Context, email string) (accord.User, string, error) {
	t, err := db.beginRead(ctx)
	if err != nil {
		return accord.User{}, "", err
	}
	defer t.Rollback()
	cond, key := db.emailMatch(email)
	return t.findUser(ctx, "user with the email "+strings.TrimSpace(email), "users u", cond, key)
}

// userID returns the id of the user with email, or ENOTFOUND.
func (t *tx) userID(ctx context.Context, email string) (id int64, disabled bool, err error) {
	cond, key := t.db.emailMatch(email)
	err = t.queryRow(ctx, `SELECT u.id, u.disabled FROM users u WHERE `+cond, key).Scan(&id, &disabled)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, accord.Errorf(accord.ENOTFOUND, "no user with the email %s", strings.TrimSpace(email))
	}
	if err != nil {
		return 0, false, fmt.Errorf("find user: %w", err)
	}
	return id, disabled, nil
}

// AddGrant gives the user g, if they do not hold it already.
func (db *DB) AddGrant(ctx context.Context, email string, g accord.Grant) error {
	if err := g.Validate(); err != nil {
		return err
	}
	t, err := db.begin(ctx)
	if err != nil {
		return err
	}
	defer t.Rollback()
	id, _, err := t.userID(ctx, email)
	if err != nil {
		return err
	}
	if err := t.checkGrant(ctx, g); err != nil {
		return err
	}
	if err := t.insertGrant(ctx, id, g); err != nil {
		return fmt.Errorf("add grant: %w", err)
	}
	if err := t.Commit(); err != nil {
		return fmt.Errorf("add grant: commit: %w", err)
	}
	return nil
}

// DisableUser marks the user disabled.
func (db *DB) DisableUser(ctx context.Context, email string) error {
	t, err := db.begin(ctx)
	if err != nil {
		return err
	}
	defer t.Rollback()
	id, _, err := t.userID(ctx, email)
	if err != nil {
		return err
	}
	if _, err := t.exec(ctx, `UPDATE users SET disabled = TRUE WHERE id = ?`, id); err != nil {
		return fmt.Errorf("disable user: %w", err)
	}
	// Sign-in checks the flag too; deleting the sessions means none
	// outlives a later re-enabling.
	if _, err := t.exec(ctx, `DELETE FROM sessions WHERE user_id = ?`, id); err != nil {
		return fmt.Errorf("disable user: ending sessions: %w", err)
	}
	if err := t.Commit(); err != nil {
		return fmt.Errorf("disable user: commit: %w", err)
	}
	return nil
}

// CreateToken stores a token hash for the user and returns its id.
func (db *DB) CreateToken(ctx context.Context, email, tokenHash, label string) (int64, error) {
	if strings.TrimSpace(tokenHash) == "" {
		return 0, accord.Errorf(accord.EINVALID, "token: no hash given")
	}
	t, err := db.begin(ctx)
	if err != nil {
		return 0, err
	}
	defer t.Rollback()
	userID, disabled, err := t.userID(ctx, email)
	if err != nil {
		return 0, err
	}
	if disabled {
		return 0, accord.Errorf(accord.EINVALID, "the user %s is disabled: enable them before issuing a token", strings.TrimSpace(email))
	}
	var id int64
	err = t.queryRow(ctx, `INSERT INTO api_tokens (user_id, token_hash, label, created_at) VALUES (?, ?, ?, ?) RETURNING id`,
		userID, tokenHash, strings.TrimSpace(label), time.Now().UTC().Format(time.RFC3339)).Scan(&id)
	if isUniqueViolation(err) {
		return 0, accord.Errorf(accord.ECONFLICT, "that token is already issued")
	}
	if err != nil {
		return 0, fmt.Errorf("create token: %w", err)
	}
	if err := t.Commit(); err != nil {
		return 0, fmt.Errorf("create token: commit: %w", err)
	}
	return id, nil
}

// FindUserByToken returns the user a live token belongs to.
func (db *DB) FindUserByToken(ctx context.Context, tokenHash string) (accord.User, error) {
	t, err := db.beginRead(ctx)
	if err != nil {
		return accord.User{}, err
	}
	defer t.Rollback()
	// One message for all three cases, so a caller learns nothing about
	// which tokens once existed.
	u, _, err := t.findUser(ctx, "such API token: unknown, revoked, or its user disabled", "api_tokens k JOIN users u ON u.id = k.user_id",
		`k.token_hash = ? AND k.revoked_at IS NULL AND u.disabled = FALSE`, tokenHash)
	return u, err
}

// RevokeToken revokes the token with id; revoking it again keeps the first
// revocation time.
func (db *DB) RevokeToken(ctx context.Context, id int64) error {
	t, err := db.begin(ctx)
	if err != nil {
		return err
	}
	defer t.Rollback()
	found, err := t.exists(ctx, `SELECT 1 FROM api_tokens WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("revoke token: %w", err)
	}
	if !found {
		return accord.Errorf(accord.ENOTFOUND, "no API token %d", id)
	}
	if _, err := t.exec(ctx, `UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL`,
		time.Now().UTC().Format(time.RFC3339), id); err != nil {
		return fmt.Errorf("revoke token: %w", err)
	}
	if err := t.Commit(); err != nil {
		return fmt.Errorf("revoke token: commit: %w", err)
	}
	return nil
}
