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

// sessionTouchInterval is how stale last_seen_at may grow before a request
// writes it again: a write per request would make every page view wait for
// the single writer, and a minute is nothing against a 30-minute timeout.
const sessionTouchInterval = time.Minute

// attemptRetention is how long sign-in attempts are kept: far longer than
// any rate-limit window, short enough that the table stays small.
const attemptRetention = 24 * time.Hour

// stamp writes a time as the store keeps sign-in times: UTC to the second,
// in RFC 3339. One fixed width matters in SQLite, where the comparisons
// below are between strings.
func stamp(t time.Time) string { return t.UTC().Truncate(time.Second).Format(time.RFC3339) }

// sessionEnded is the one answer for every session that cannot be used,
// so a caller learns nothing about which sessions once existed.
func sessionEnded() error {
	return accord.Errorf(accord.EUNAUTHORIZED, "Your session has ended; sign in again.")
}

// CreateSession stores a new session; see accord.UserStore.
func (db *DB) CreateSession(ctx context.Context, s *accord.Session) error {
	var p accord.Problems
	if strings.TrimSpace(s.ID) == "" {
		p.Add("id", "is required")
	}
	if s.UserID <= 0 {
		p.Add("user", "is required")
	}
	if strings.TrimSpace(s.CSRFToken) == "" {
		p.Add("csrf_token", "is required")
	}
	if s.CreatedAt.IsZero() {
		p.Add("created_at", "is required")
	}
	if err := p.Err("session"); err != nil {
		return err
	}
	created := s.CreatedAt.UTC().Truncate(time.Second)
	expires := created.Add(accord.SessionLifetime)

	t, err := db.begin(ctx)
	if err != nil {
		return err
	}
	defer t.Rollback()
	var disabled bool
	err = t.queryRow(ctx, `SELECT disabled FROM users WHERE id = ?`, s.UserID).Scan(&disabled)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && disabled) {
		return accord.Errorf(accord.EUNAUTHORIZED, "user %d cannot sign in: there is no such user, or they are disabled", s.UserID)
	}
	if err != nil {
		return fmt.Errorf("create session: %w", err)
	}
	// Ended sessions are useless; clearing them here keeps the table to
	// roughly the people signed in, without a separate sweeper.
	if _, err := t.exec(ctx, `DELETE FROM sessions WHERE expires_at <= ? OR last_seen_at <= ?`,
		stamp(created), stamp(created.Add(-accord.SessionIdleTimeout))); err != nil {
		return fmt.Errorf("create session: clearing ended sessions: %w", err)
	}
	_, err = t.exec(ctx, `INSERT INTO sessions (id, user_id, csrf_token, created_at, expires_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?)`,
		s.ID, s.UserID, s.CSRFToken, stamp(created), stamp(expires), stamp(created))
	if isUniqueViolation(err) {
		return accord.Errorf(accord.ECONFLICT, "that session already exists")
	}
	if err != nil {
		return fmt.Errorf("create session: %w", err)
	}
	if err := t.Commit(); err != nil {
		return fmt.Errorf("create session: commit: %w", err)
	}
	s.CreatedAt, s.ExpiresAt, s.LastSeenAt = created, expires, created
	return nil
}

// FindSession returns a live session and its user; see accord.UserStore.
func (db *DB) FindSession(ctx context.Context, id string, now time.Time) (accord.Session, accord.User, error) {
	if strings.TrimSpace(id) == "" {
		return accord.Session{}, accord.User{}, sessionEnded()
	}
	s, u, err := db.readSession(ctx, id)
	if err != nil {
		return accord.Session{}, accord.User{}, err
	}
	now = now.UTC().Truncate(time.Second)
	if !now.Before(s.ExpiresAt) || !now.Before(s.LastSeenAt.Add(accord.SessionIdleTimeout)) {
		// Ended: remove it now rather than wait for the next sign-in to.
		if err := db.DeleteSession(ctx, id); err != nil {
			return accord.Session{}, accord.User{}, err
		}
		return accord.Session{}, accord.User{}, sessionEnded()
	}
	if u.Disabled {
		return accord.Session{}, accord.User{}, sessionEnded()
	}
	if now.Sub(s.LastSeenAt) >= sessionTouchInterval {
		if err := db.touchSession(ctx, id, now); err != nil {
			return accord.Session{}, accord.User{}, err
		}
		s.LastSeenAt = now
	}
	return s, u, nil
}

// readSession loads a session and its user, whatever their state.
func (db *DB) readSession(ctx context.Context, id string) (accord.Session, accord.User, error) {
	t, err := db.beginRead(ctx)
	if err != nil {
		return accord.Session{}, accord.User{}, err
	}
	defer t.Rollback()
	s := accord.Session{ID: id}
	err = t.queryRow(ctx, `SELECT user_id, csrf_token, created_at, expires_at, last_seen_at FROM sessions WHERE id = ?`, id).
		Scan(&s.UserID, &s.CSRFToken, timestamp{&s.CreatedAt}, timestamp{&s.ExpiresAt}, timestamp{&s.LastSeenAt})
	if errors.Is(err, sql.ErrNoRows) {
		return accord.Session{}, accord.User{}, sessionEnded()
	}
	if err != nil {
		return accord.Session{}, accord.User{}, fmt.Errorf("find session: %w", err)
	}
	u, _, err := t.findUser(ctx, "user for that session", "users u", "u.id = ?", s.UserID)
	if accord.ErrorCode(err) == accord.ENOTFOUND { // deleted while we looked: the cascade removes the session too
		return accord.Session{}, accord.User{}, sessionEnded()
	}
	if err != nil {
		return accord.Session{}, accord.User{}, err
	}
	return s, u, nil
}

func (db *DB) touchSession(ctx context.Context, id string, now time.Time) error {
	t, err := db.begin(ctx)
	if err != nil {
		return err
	}
	defer t.Rollback()
	// The condition keeps a slower concurrent request from moving the time
	// backwards.
	if _, err := t.exec(ctx, `UPDATE sessions SET last_seen_at = ? WHERE id = ? AND last_seen_at < ?`,
		stamp(now), id, stamp(now)); err != nil {
		return fmt.Errorf("touch session: %w", err)
	}
	if err := t.Commit(); err != nil {
		return fmt.Errorf("touch session: commit: %w", err)
	}
	return nil
}

// DeleteSession ends a session.
func (db *DB) DeleteSession(ctx context.Context, id string) error {
	t, err := db.begin(ctx)
	if err != nil {
		return err
	}
	defer t.Rollback()
	if _, err := t.exec(ctx, `DELETE FROM sessions WHERE id = ?`, id); err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	if err := t.Commit(); err != nil {
		return fmt.Errorf("delete session: commit: %w", err)
	}
	return nil
}

// emailKey is how sign-in attempts name an email: the same for any case.
func emailKey(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// RecordSignInAttempt keeps one attempt; see accord.UserStore.
func (db *DB) RecordSignInAttempt(ctx context.Context, a accord.SignInAttempt) error {
	var p accord.Problems
	if emailKey(a.Email) == "" && strings.TrimSpace(a.ClientIP) == "" {
		p.Add("email", "or a client IP is required")
	}
	if a.At.IsZero() {
		p.Add("at", "is required")
	}
	if err := p.Err("sign-in attempt"); err != nil {
		return err
	}
	t, err := db.begin(ctx)
	if err != nil {
		return err
	}
	defer t.Rollback()
	if _, err := t.exec(ctx, `DELETE FROM sign_in_attempts WHERE attempted_at < ?`, stamp(a.At.Add(-attemptRetention))); err != nil {
		return fmt.Errorf("record sign-in attempt: clearing old attempts: %w", err)
	}
	if _, err := t.exec(ctx, `INSERT INTO sign_in_attempts (email_lower, client_ip, succeeded, attempted_at) VALUES (?, ?, ?, ?)`,
		emailKey(a.Email), strings.TrimSpace(a.ClientIP), a.Succeeded, stamp(a.At)); err != nil {
		return fmt.Errorf("record sign-in attempt: %w", err)
	}
	if err := t.Commit(); err != nil {
		return fmt.Errorf("record sign-in attempt: commit: %w", err)
	}
	return nil
}

// CountSignInFailures counts recent failures; see accord.UserStore.
func (db *DB) CountSignInFailures(ctx context.Context, email, clientIP string, since time.Time) (accord.SignInFailures, error) {
	var f accord.SignInFailures
	t, err := db.beginRead(ctx)
	if err != nil {
		return f, err
	}
	defer t.Rollback()
	key := emailKey(email)
	// A success clears the email's failures, so someone who mistypes a few
	// times and then gets in starts afresh; the IP count has no such reset,
	// or one account an attacker holds would reset it for all the others.
	emailCond, emailArgs := `attempted_at >= ?`, []any{stamp(since)}
	var last string
	err = t.queryRow(ctx, `SELECT attempted_at FROM sign_in_attempts WHERE email_lower = ? AND succeeded = TRUE
		ORDER BY attempted_at DESC LIMIT 1`, key).Scan(&last)
	switch {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return f, fmt.Errorf("count sign-in failures: %w", err)
	default:
		var lastOK time.Time
		if err := (timestamp{&lastOK}).parse(last); err != nil {
			return f, fmt.Errorf("count sign-in failures: %w", err)
		}
		if !lastOK.Before(since) {
			emailCond, emailArgs = `attempted_at > ?`, []any{stamp(lastOK)}
		}
	}
	count := func(cond string, args ...any) (int, time.Time, error) {
		var n int
		var latest sql.NullString
		err := t.queryRow(ctx, `SELECT count(*), max(attempted_at) FROM sign_in_attempts WHERE succeeded = FALSE AND `+cond, args...).
			Scan(&n, &latest)
		if err != nil {
			return 0, time.Time{}, fmt.Errorf("count sign-in failures: %w", err)
		}
		var at time.Time
		if latest.Valid {
			if err := (timestamp{&at}).parse(latest.String); err != nil {
				return 0, time.Time{}, fmt.Errorf("count sign-in failures: %w", err)
			}
		}
		return n, at, nil
	}
	if key != "" {
		if f.ByEmail, f.LastByEmail, err = count(`email_lower = ? AND `+emailCond, append([]any{key}, emailArgs...)...); err != nil {
			return f, err
		}
	}
	if ip := strings.TrimSpace(clientIP); ip != "" {
		if f.ByIP, f.LastByIP, err = count(`client_ip = ? AND attempted_at >= ?`, ip, stamp(since)); err != nil {
			return f, err
		}
	}
	return f, nil
}

// LinkIdentity links an OpenID Connect identity to a user; see
// accord.UserStore.
func (db *DB) LinkIdentity(ctx context.Context, issuer, subject string, userID int64) error {
	var p accord.Problems
	if strings.TrimSpace(issuer) == "" {
		p.Add("issuer", "is required")
	}
	if subject == "" {
		p.Add("subject", "is required")
	}
	if err := p.Err("identity"); err != nil {
		return err
	}
	t, err := db.begin(ctx)
	if err != nil {
		return err
	}
	defer t.Rollback()
	found, err := t.exists(ctx, `SELECT 1 FROM users WHERE id = ?`, userID)
	if err != nil {
		return fmt.Errorf("link identity: %w", err)
	}
	if !found {
		return accord.Errorf(accord.ENOTFOUND, "no user %d to link the identity to", userID)
	}
	var linked int64
	err = t.queryRow(ctx, `SELECT user_id FROM oidc_identities WHERE issuer = ? AND subject = ?`, issuer, subject).Scan(&linked)
	switch {
	case err == nil && linked == userID:
		return nil
	case err == nil:
		return accord.Errorf(accord.ECONFLICT, "the identity %s at %s is already linked to another user", subject, issuer)
	case !errors.Is(err, sql.ErrNoRows):
		return fmt.Errorf("link identity: %w", err)
	}
	// One identity per provider per account: if the provider hands an
	// account's email to a new person, matching by email must not give them
	// the account.
	var other string
	err = t.queryRow(ctx, `SELECT subject FROM oidc_identities WHERE issuer = ? AND user_id = ?`, issuer, userID).Scan(&other)
	switch {
	case err == nil:
		return accord.Errorf(accord.ECONFLICT, "user %d is already linked to another identity at %s", userID, issuer)
	case !errors.Is(err, sql.ErrNoRows):
		return fmt.Errorf("link identity: %w", err)
	}
	_, err = t.exec(ctx, `INSERT INTO oidc_identities (issuer, subject, user_id, created_at) VALUES (?, ?, ?, ?)`,
		issuer, subject, userID, stamp(time.Now()))
	if isUniqueViolation(err) { // linked by a concurrent sign-in between our look and the insert
		return accord.Errorf(accord.ECONFLICT, "the identity %s at %s is already linked", subject, issuer)
	}
	if err != nil {
		return fmt.Errorf("link identity: %w", err)
	}
	if err := t.Commit(); err != nil {
		return fmt.Errorf("link identity: commit: %w", err)
	}
	return nil
}

// FindUserByIdentity returns the user an identity is linked to.
func (db *DB) FindUserByIdentity(ctx context.Context, issuer, subject string) (accord.User, error) {
	t, err := db.beginRead(ctx)
	if err != nil {
		return accord.User{}, err
	}
	defer t.Rollback()
	u, _, err := t.findUser(ctx, "user linked to that identity", "oidc_identities i JOIN users u ON u.id = i.user_id",
		`i.issuer = ? AND i.subject = ?`, issuer, subject)
	return u, err
}
