package accord

import (
	"context"
	"strings"
	"time"
)

// User is a person who signs in to Accord: by password, by an API token, or
// (later) through the NHS's identity provider. What they may do comes only
// from their grants.
type User struct {
	ID        int64     `json:"id"`
	Email     string    `json:"email"`
	Name      string    `json:"name"`
	Disabled  bool      `json:"disabled"`
	Grants    []Grant   `json:"grants"`
	CreatedAt time.Time `json:"created_at"`
}

// maxEmailLength is the longest address SMTP carries (RFC 5321).
const maxEmailLength = 254

// Validate checks a user on its own; whether the email is taken and the
// grants' organisations exist is the store's job.
func (u User) Validate() error {
	var p Problems
	email := strings.TrimSpace(u.Email)
	switch {
	case email == "":
		p.Add("email", "is required")
	case !emailShaped(email):
		p.Add("email", "%q is not an email address like name@nhs.net", u.Email)
	}
	if strings.TrimSpace(u.Name) == "" {
		p.Add("name", "is required")
	}
	for _, g := range u.Grants {
		if err := g.Validate(); err != nil {
			p.Add("grants", "%s", ErrorMessage(err))
		}
	}
	return p.Err("user " + email)
}

// emailShaped is a shape check, not proof that mail arrives: one @, text
// before it, a dotted domain after it, no spaces or angle brackets.
func emailShaped(s string) bool {
	if len(s) > maxEmailLength || strings.ContainsAny(s, " \t\r\n<>,;\"") {
		return false
	}
	local, domain, ok := strings.Cut(s, "@")
	if !ok || local == "" || strings.Contains(domain, "@") {
		return false
	}
	dot := strings.LastIndexByte(domain, '.')
	return dot > 0 && dot < len(domain)-1 && !strings.Contains(domain, "..")
}

// UserStore keeps local accounts, their grants and their API tokens.
// Emails match whatever their case; password and token hashes come from
// the auth package, and nothing here sees a password or token itself.
type UserStore interface {
	// CreateUser validates u and stores it with its grants and the password
	// hash ("" for no password), setting ID and CreatedAt. A taken email is
	// ECONFLICT; a grant's unknown organisation is EINVALID.
	CreateUser(ctx context.Context, u *User, passwordHash string) error
	// FindUserByEmail returns the user with their grants and password hash
	// ("" for none), or ENOTFOUND. A disabled user is returned, marked so.
	FindUserByEmail(ctx context.Context, email string) (User, string, error)
	// AddGrant gives the user a grant; one already held is left as it is.
	// An unknown user is ENOTFOUND, an unknown organisation EINVALID.
	AddGrant(ctx context.Context, email string, g Grant) error
	// DisableUser stops the user signing in, by any means; ENOTFOUND.
	DisableUser(ctx context.Context, email string) error
	// CreateToken stores the hash of a new API token for the user and
	// returns its id. A disabled user gets none (EINVALID).
	CreateToken(ctx context.Context, email string, tokenHash string, label string) (int64, error)
	// FindUserByToken returns the user a token hash belongs to, with their
	// grants: ENOTFOUND for an unknown or revoked token, or a disabled user.
	FindUserByToken(ctx context.Context, tokenHash string) (User, error)
	// RevokeToken revokes a token for good (again is harmless); ENOTFOUND.
	RevokeToken(ctx context.Context, id int64) error

	// CreateSession stores a new browser session for s.UserID, setting
	// ExpiresAt (CreatedAt + SessionLifetime) and LastSeenAt (CreatedAt).
	// ID, UserID, CSRFToken and CreatedAt are required (EINVALID); an
	// unknown or disabled user is EUNAUTHORIZED. Sessions that have ended
	// are cleared out on the way.
	CreateSession(ctx context.Context, s *Session) error
	// FindSession returns the session with this id and its user with their
	// grants, as of now, and marks it seen so the idle timeout slides. An
	// unknown session, one idle for SessionIdleTimeout or past ExpiresAt,
	// or one whose user is disabled is EUNAUTHORIZED.
	FindSession(ctx context.Context, id string, now time.Time) (Session, User, error)
	// DeleteSession ends a session; one already gone is no error.
	DeleteSession(ctx context.Context, id string) error
	// RecordSignInAttempt keeps one password sign-in attempt for rate
	// limiting, and clears out attempts older than a day.
	RecordSignInAttempt(ctx context.Context, a SignInAttempt) error
	// CountSignInFailures counts failed attempts since the given time for
	// the email (whatever its case, and only since its last success) and,
	// separately, for the client IP.
	CountSignInFailures(ctx context.Context, email, clientIP string, since time.Time) (SignInFailures, error)
	// LinkIdentity lets an OpenID Connect identity sign in as the user.
	// Linking it to the same user again is harmless; an identity already
	// linked to someone else, or a user already linked to another identity
	// at the same issuer, is ECONFLICT; an unknown user ENOTFOUND.
	LinkIdentity(ctx context.Context, issuer, subject string, userID int64) error
	// FindUserByIdentity returns the user an identity is linked to, with
	// their grants, or ENOTFOUND. A disabled user is returned, marked so.
	FindUserByIdentity(ctx context.Context, issuer, subject string) (User, error)
}

// How long a browser stays signed in: sessions end after half an hour
// without a request, and after twelve hours whatever, so a shared NHS
// computer left signed in does not stay so.
const (
	SessionIdleTimeout = 30 * time.Minute
	SessionLifetime    = 12 * time.Hour
)

// Session is a signed-in browser. The browser holds a random value in a
// cookie; only its hash is the session's ID, so the stored sessions cannot
// be replayed by whoever reads them.
type Session struct {
	ID         string // hex SHA-256 of the cookie value
	UserID     int64
	CSRFToken  string // sent back with every form, proving it came from our page
	CreatedAt  time.Time
	ExpiresAt  time.Time // the absolute end; activity never extends it
	LastSeenAt time.Time // the idle timeout runs from here
}

// SignInAttempt is one try at signing in with a password.
type SignInAttempt struct {
	Email     string // as typed, whether or not an account has it
	ClientIP  string
	Succeeded bool
	At        time.Time
}

// SignInFailures are the recent failed attempts for one email and from one
// client IP, with the latest of each, so a refusal can say when to retry.
type SignInFailures struct {
	ByEmail, ByIP         int
	LastByEmail, LastByIP time.Time // zero when there are none
}
