package store

import (
	"context"
	"testing"
	"time"

	accord "github.com/nhs-accord/accord"
)

func TestSession(t *testing.T) {
	cases := []struct {
		name string
		run  func(t *testing.T, open factory)
	}{
		{"RoundTrip", testSessionRoundTrip},
		{"IdleTimeout", testSessionIdleTimeout},
		{"Lifetime", testSessionLifetime},
		{"DisabledUser", testSessionDisabledUser},
		{"Invalid", testSessionInvalid},
		{"ClearsEnded", testSessionClearsEnded},
		{"SignInFailures", testSignInFailures},
		{"SignInAttemptsExpire", testSignInAttemptsExpire},
		{"Identity", testIdentity},
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

// signInTime is a fixed moment, so the tests do not depend on the clock.
var signInTime = time.Date(2026, time.November, 22, 9, 0, 0, 0, time.UTC)

func newSession(t *testing.T, db *DB, id string, userID int64, at time.Time) accord.Session {
	t.Helper()
	s := accord.Session{ID: id, UserID: userID, CSRFToken: "csrf-" + id, CreatedAt: at}
	if err := db.CreateSession(context.Background(), &s); err != nil {
		t.Fatalf("create session %s: %v", id, err)
	}
	return s
}

func testSessionRoundTrip(t *testing.T, open factory) {
	ctx := context.Background()
	db := seeded(t, open)
	u := newUser(t, db, "ann@nhs.net", accord.Grant{Role: accord.RoleICBLead, OrgCode: "QHG"})
	s := newSession(t, db, "aa11", u.ID, signInTime.Add(500*time.Millisecond))
	if !s.CreatedAt.Equal(signInTime) || !s.ExpiresAt.Equal(signInTime.Add(12*time.Hour)) || !s.LastSeenAt.Equal(signInTime) {
		t.Fatalf("created %+v", s)
	}

	// Seen within the minute: nothing is written.
	got, gu, err := db.FindSession(ctx, "aa11", signInTime.Add(30*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	if got != s {
		t.Errorf("found %+v, want %+v", got, s)
	}
	if gu.ID != u.ID || gu.Email != "ann@nhs.net" || len(gu.Grants) != 1 || gu.Grants[0].OrgCode != "QHG" {
		t.Errorf("user %+v", gu)
	}
	// Later: last seen moves on.
	later := signInTime.Add(20 * time.Minute)
	if got, _, err = db.FindSession(ctx, "aa11", later); err != nil || !got.LastSeenAt.Equal(later) {
		t.Fatalf("after 20 minutes: %+v %v", got, err)
	}
	if got, _, err = db.FindSession(ctx, "aa11", later.Add(time.Second)); err != nil || !got.LastSeenAt.Equal(later) {
		t.Errorf("last seen was not stored: %+v %v", got, err)
	}

	wantError(t, db.CreateSession(ctx, &accord.Session{ID: "aa11", UserID: u.ID, CSRFToken: "x", CreatedAt: later}), accord.ECONFLICT)

	if err := db.DeleteSession(ctx, "aa11"); err != nil {
		t.Fatal(err)
	}
	_, _, err = db.FindSession(ctx, "aa11", later)
	wantError(t, err, accord.EUNAUTHORIZED, "Your session has ended; sign in again.")
	if err := db.DeleteSession(ctx, "aa11"); err != nil {
		t.Errorf("deleting again: %v", err)
	}
	_, _, err = db.FindSession(ctx, "never", later)
	wantError(t, err, accord.EUNAUTHORIZED, "Your session has ended")
	_, _, err = db.FindSession(ctx, "", later)
	wantError(t, err, accord.EUNAUTHORIZED)
}

func testSessionIdleTimeout(t *testing.T, open factory) {
	ctx := context.Background()
	db := seeded(t, open)
	u := newUser(t, db, "ann@nhs.net")
	newSession(t, db, "idle", u.ID, signInTime)
	// Requests every 25 minutes keep it alive well past half an hour.
	at := signInTime
	for range 4 {
		at = at.Add(25 * time.Minute)
		if _, _, err := db.FindSession(ctx, "idle", at); err != nil {
			t.Fatalf("at %s: %v", at, err)
		}
	}
	// Then 30 minutes of nothing ends it, for good.
	_, _, err := db.FindSession(ctx, "idle", at.Add(30*time.Minute))
	wantError(t, err, accord.EUNAUTHORIZED, "Your session has ended")
	_, _, err = db.FindSession(ctx, "idle", at.Add(time.Minute))
	wantError(t, err, accord.EUNAUTHORIZED)

	newSession(t, db, "edge", u.ID, signInTime)
	if _, _, err := db.FindSession(ctx, "edge", signInTime.Add(30*time.Minute-time.Second)); err != nil {
		t.Errorf("a second before the idle timeout: %v", err)
	}
}

func testSessionLifetime(t *testing.T, open factory) {
	ctx := context.Background()
	db := seeded(t, open)
	u := newUser(t, db, "ann@nhs.net")
	newSession(t, db, "long", u.ID, signInTime)
	at := signInTime
	for at.Before(signInTime.Add(12*time.Hour - 20*time.Minute)) {
		at = at.Add(20 * time.Minute)
		if _, _, err := db.FindSession(ctx, "long", at); err != nil {
			t.Fatalf("at %s: %v", at, err)
		}
	}
	// However busy, twelve hours is the end.
	_, _, err := db.FindSession(ctx, "long", signInTime.Add(12*time.Hour))
	wantError(t, err, accord.EUNAUTHORIZED, "Your session has ended")
}

func testSessionDisabledUser(t *testing.T, open factory) {
	ctx := context.Background()
	db := seeded(t, open)
	u := newUser(t, db, "ann@nhs.net")
	other := newUser(t, db, "bob@nhs.net")
	newSession(t, db, "ann1", u.ID, signInTime)
	newSession(t, db, "ann2", u.ID, signInTime)
	newSession(t, db, "bob1", other.ID, signInTime)
	if err := db.DisableUser(ctx, "ANN@nhs.net"); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"ann1", "ann2"} {
		_, _, err := db.FindSession(ctx, id, signInTime.Add(time.Minute))
		wantError(t, err, accord.EUNAUTHORIZED)
	}
	if _, gu, err := db.FindSession(ctx, "bob1", signInTime.Add(time.Minute)); err != nil || gu.ID != other.ID {
		t.Errorf("another user's session: %+v %v", gu, err)
	}
	err := db.CreateSession(ctx, &accord.Session{ID: "ann3", UserID: u.ID, CSRFToken: "x", CreatedAt: signInTime})
	wantError(t, err, accord.EUNAUTHORIZED, "cannot sign in")
	err = db.CreateSession(ctx, &accord.Session{ID: "ghost", UserID: 99999, CSRFToken: "x", CreatedAt: signInTime})
	wantError(t, err, accord.EUNAUTHORIZED)
}

func testSessionInvalid(t *testing.T, open factory) {
	db := seeded(t, open)
	err := db.CreateSession(context.Background(), &accord.Session{})
	wantError(t, err, accord.EINVALID, "session")
	var e *accord.Error
	if !asError(err, &e) || len(e.Fields) != 4 {
		t.Errorf("fields: %+v", err)
	}
}

func testSessionClearsEnded(t *testing.T, open factory) {
	ctx := context.Background()
	db := seeded(t, open)
	u := newUser(t, db, "ann@nhs.net")
	newSession(t, db, "old", u.ID, signInTime)
	newSession(t, db, "recent", u.ID, signInTime.Add(time.Hour))
	// A sign-in an hour and a quarter later clears the session idle for
	// that long, and keeps the one idle for a quarter of an hour.
	newSession(t, db, "new", u.ID, signInTime.Add(75*time.Minute))
	var ids []string
	rows, err := db.read.QueryContext(ctx, `SELECT id FROM sessions ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	equal(t, "sessions left", ids, []string{"new", "recent"})
}

func testSignInFailures(t *testing.T, open factory) {
	ctx := context.Background()
	db := seeded(t, open)
	attempt := func(email, ip string, ok bool, at time.Time) {
		t.Helper()
		if err := db.RecordSignInAttempt(ctx, accord.SignInAttempt{Email: email, ClientIP: ip, Succeeded: ok, At: at}); err != nil {
			t.Fatal(err)
		}
	}
	at := func(min int) time.Time { return signInTime.Add(time.Duration(min) * time.Minute) }
	attempt("Ann@NHS.net", "10.0.0.1", false, at(0)) // outside the window below
	attempt("ann@nhs.net", "10.0.0.1", false, at(10))
	attempt(" ANN@nhs.net", "10.0.0.2", false, at(12))
	attempt("nobody@nhs.net", "10.0.0.1", false, at(13))
	attempt("ann@nhs.net", "10.0.0.1", true, at(1)) // success before the window: no effect

	got, err := db.CountSignInFailures(ctx, "ann@NHS.NET", "10.0.0.1", at(5))
	if err != nil {
		t.Fatal(err)
	}
	want := accord.SignInFailures{ByEmail: 2, ByIP: 2, LastByEmail: at(12), LastByIP: at(13)}
	if got != want {
		t.Errorf("failures:\n got %+v\nwant %+v", got, want)
	}

	// A success clears the email's failures but not the IP's.
	attempt("ann@nhs.net", "10.0.0.1", true, at(14))
	attempt("ann@nhs.net", "10.0.0.1", false, at(15))
	got, err = db.CountSignInFailures(ctx, "ann@nhs.net", "10.0.0.1", at(5))
	if err != nil {
		t.Fatal(err)
	}
	want = accord.SignInFailures{ByEmail: 1, ByIP: 3, LastByEmail: at(15), LastByIP: at(15)}
	if got != want {
		t.Errorf("after a success:\n got %+v\nwant %+v", got, want)
	}

	// Nothing recorded: zero counts, zero times.
	got, err = db.CountSignInFailures(ctx, "else@nhs.net", "192.0.2.1", at(0))
	if err != nil || got != (accord.SignInFailures{}) {
		t.Errorf("nothing recorded: %+v %v", got, err)
	}
	wantError(t, db.RecordSignInAttempt(ctx, accord.SignInAttempt{}), accord.EINVALID, "sign-in attempt")
}

func testSignInAttemptsExpire(t *testing.T, open factory) {
	ctx := context.Background()
	db := seeded(t, open)
	for _, at := range []time.Time{signInTime, signInTime.Add(time.Hour), signInTime.Add(25 * time.Hour)} {
		if err := db.RecordSignInAttempt(ctx, accord.SignInAttempt{Email: "ann@nhs.net", ClientIP: "10.0.0.1", At: at}); err != nil {
			t.Fatal(err)
		}
	}
	var n int
	if err := db.read.QueryRowContext(ctx, `SELECT count(*) FROM sign_in_attempts`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 2 {
		t.Errorf("%d attempts kept, want 2: the one more than a day older than the latest goes", n)
	}
}

func testIdentity(t *testing.T, open factory) {
	ctx := context.Background()
	db := seeded(t, open)
	u := newUser(t, db, "ann@nhs.net", accord.Grant{Role: accord.RolePatientRep, OrgCode: "QUE"})
	other := newUser(t, db, "bob@nhs.net")
	const iss = "https://login.example.nhs.uk"

	_, err := db.FindUserByIdentity(ctx, iss, "sub-1")
	wantError(t, err, accord.ENOTFOUND, "no user linked to that identity")
	if err := db.LinkIdentity(ctx, iss, "sub-1", u.ID); err != nil {
		t.Fatal(err)
	}
	if err := db.LinkIdentity(ctx, iss, "sub-1", u.ID); err != nil {
		t.Errorf("linking again: %v", err)
	}
	got, err := db.FindUserByIdentity(ctx, iss, "sub-1")
	if err != nil || got.ID != u.ID || len(got.Grants) != 1 || got.Grants[0].Role != accord.RolePatientRep {
		t.Errorf("found %+v %v", got, err)
	}
	// The pair is the key: the same subject elsewhere is someone else.
	if _, err := db.FindUserByIdentity(ctx, "https://other.example", "sub-1"); accord.ErrorCode(err) != accord.ENOTFOUND {
		t.Errorf("another issuer: %v", err)
	}
	wantError(t, db.LinkIdentity(ctx, iss, "sub-1", other.ID), accord.ECONFLICT, "already linked to another user")
	wantError(t, db.LinkIdentity(ctx, iss, "sub-2", u.ID), accord.ECONFLICT, "already linked to another identity at "+iss)
	if err := db.LinkIdentity(ctx, "https://other.example", "sub-9", u.ID); err != nil {
		t.Errorf("an identity at another provider: %v", err)
	}
	wantError(t, db.LinkIdentity(ctx, iss, "sub-2", 99999), accord.ENOTFOUND, "no user 99999")
	wantError(t, db.LinkIdentity(ctx, "", "", u.ID), accord.EINVALID, "identity")

	// A disabled user is returned, marked so.
	if err := db.DisableUser(ctx, "ann@nhs.net"); err != nil {
		t.Fatal(err)
	}
	if got, err := db.FindUserByIdentity(ctx, iss, "sub-1"); err != nil || !got.Disabled {
		t.Errorf("disabled: %+v %v", got, err)
	}
}
