package web

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/crypto/argon2"

	"github.com/nhs-accord/accord"
	"github.com/nhs-accord/accord/auth"
)

// cheapHash is an argon2id hash auth.CheckPassword accepts, at the lowest
// cost it allows, so tests that sign in many times stay quick. Production
// hashes come from auth.HashPassword.
func cheapHash(pw string) string {
	salt := []byte("saltsaltsaltsalt")
	key := argon2.IDKey([]byte(pw), salt, 1, 8, 1, 32)
	b64 := base64.RawStdEncoding
	return "$argon2id$v=19$m=8,t=1,p=1$" + b64.EncodeToString(salt) + "$" + b64.EncodeToString(key)
}

const testPassword = "correct horse battery staple"

func (e *testEnv) addUser(t *testing.T, email, name string, grants ...accord.Grant) accord.User {
	t.Helper()
	u := accord.User{Email: email, Name: name, Grants: grants}
	if err := e.store.CreateUser(context.Background(), &u, cheapHash(testPassword)); err != nil {
		t.Fatal(err)
	}
	return u
}

// browser keeps cookies between requests, as a browser does, and sends
// every request through the whole middleware chain.
type browser struct {
	t       *testing.T
	e       *testEnv
	cookies map[string]*http.Cookie
	ip      string
}

func (e *testEnv) browser(t *testing.T) *browser {
	return &browser{t: t, e: e, cookies: map[string]*http.Cookie{}, ip: "192.0.2.10"}
}

func (b *browser) send(req *http.Request) (*http.Response, string) {
	b.t.Helper()
	req.RemoteAddr = b.ip + ":4321"
	for _, c := range b.cookies {
		req.AddCookie(&http.Cookie{Name: c.Name, Value: c.Value})
	}
	rec := httptest.NewRecorder()
	b.e.handler.ServeHTTP(rec, req)
	res := rec.Result()
	for _, c := range res.Cookies() {
		if c.MaxAge < 0 {
			delete(b.cookies, c.Name)
		} else {
			b.cookies[c.Name] = c
		}
	}
	return res, body(b.t, res)
}

func (b *browser) get(target string) (*http.Response, string) {
	b.t.Helper()
	return b.send(httptest.NewRequest(http.MethodGet, target, nil))
}

// post sends a form the way a browser does.
func (b *browser) post(target string, form url.Values) (*http.Response, string) {
	b.t.Helper()
	req := httptest.NewRequest(http.MethodPost, target, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return b.send(req)
}

var hiddenToken = regexp.MustCompile(`<input type="hidden" name="csrf_token" value="([^"]+)">`)

// formToken is the CSRF token in a page's first form.
func formTokenIn(t *testing.T, page string) string {
	t.Helper()
	m := hiddenToken.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no csrf_token field in the page:\n%s", page)
	}
	return m[1]
}

// signIn fills in the sign-in form as a person does, returning the answer
// to the POST.
func (b *browser) signIn(email, password, next string) (*http.Response, string) {
	b.t.Helper()
	target := "/sign-in"
	if next != "" {
		target += "?next=" + url.QueryEscape(next)
	}
	res, page := b.get(target)
	if res.StatusCode != http.StatusOK {
		b.t.Fatalf("GET %s: %d\n%s", target, res.StatusCode, page)
	}
	return b.post("/sign-in", url.Values{"email": {email}, "password": {password}, "next": {next}, "csrf_token": {formTokenIn(b.t, page)}})
}

func (b *browser) mustSignIn(email string) {
	b.t.Helper()
	res, page := b.signIn(email, testPassword, "")
	if res.StatusCode != http.StatusSeeOther {
		b.t.Fatalf("sign in as %s: %d\n%s", email, res.StatusCode, page)
	}
}

// sessionToken is the CSRF token of the signed-in session, as the pages
// carry it.
func (b *browser) sessionToken() string {
	b.t.Helper()
	_, page := b.get("/indicators")
	return formTokenIn(b.t, page)
}

// withTestRoutes adds routes that stand for the pages and API endpoints
// built on sign-in: one that needs a user, and ones that change something
// (counting the changes).
func withTestRoutes(e *testEnv) *atomic.Int32 {
	var changes atomic.Int32
	s := e.srv
	s.mux.Handle("GET /test/private", s.pageHandler(func(w http.ResponseWriter, r *http.Request) error {
		u, err := s.requireUser(r)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "private page for %s", u.Email)
		return nil
	}))
	s.mux.Handle("POST /test/change", s.pageHandler(func(w http.ResponseWriter, r *http.Request) error {
		if _, err := s.requireUser(r); err != nil {
			return err
		}
		changes.Add(1)
		fmt.Fprintf(w, "changed %q", r.PostFormValue("what"))
		if f, _, err := r.FormFile("file"); err == nil {
			b, _ := io.ReadAll(f)
			fmt.Fprintf(w, " with file %q", b)
		}
		return nil
	}))
	s.mux.Handle("GET /api/v1/test/me", s.apiHandler(func(w http.ResponseWriter, r *http.Request) error {
		u, err := s.requireUser(r)
		if err != nil {
			return err
		}
		return json.NewEncoder(w).Encode(u)
	}))
	s.mux.Handle("POST /api/v1/test/change", s.apiHandler(func(w http.ResponseWriter, r *http.Request) error {
		if _, err := s.requireUser(r); err != nil {
			return err
		}
		changes.Add(1)
		return nil
	}))
	return &changes
}

func cookieNamed(res *http.Response, name string) *http.Cookie {
	for _, c := range res.Cookies() {
		if c.Name == name {
			return c
		}
	}
	return nil
}

func TestSignInAndOut(t *testing.T) {
	e := newTestEnv(t, Config{})
	withTestRoutes(e)
	e.addUser(t, "Ann.Lead@nhs.net", "Ann Lead", accord.Grant{Role: accord.RoleICBLead, OrgCode: "QUE"})
	b := e.browser(t)

	// Anonymous: the header offers to sign in and come back.
	_, page := b.get("/indicators?area=elective")
	if !strings.Contains(page, `href="/sign-in?next=%2findicators%3farea%3delective">Sign in</a>`) || strings.Contains(page, "Sign out") {
		t.Errorf("anonymous header:\n%s", page)
	}

	res, page := b.get("/sign-in?next=/indicators")
	checkPageFrame(t, page, "Sign in")
	for _, want := range []string{`<form method="post" action="/sign-in" novalidate>`, `name="next" value="/indicators"`,
		`autocomplete="username"`, `autocomplete="current-password"`, "ask your ICB administrator to add you"} {
		if !strings.Contains(page, want) {
			t.Errorf("sign-in page lacks %s", want)
		}
	}
	if strings.Contains(page, "Sign in with NHS identity") {
		t.Error("the sign-in page offers OpenID Connect, which is not configured")
	}
	if res.Header.Get("Cache-Control") != "no-store" || cookieNamed(res, "accord_sign_in") == nil {
		t.Errorf("sign-in page headers: %v", res.Header)
	}

	res, page = b.post("/sign-in", url.Values{"email": {"ann.lead@NHS.net"}, "password": {testPassword}, "next": {"/indicators"},
		"csrf_token": {formTokenIn(t, page)}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/indicators" {
		t.Fatalf("sign in: %d %v\n%s", res.StatusCode, res.Header, page)
	}
	sc := cookieNamed(res, "accord_session")
	if sc == nil {
		t.Fatal("no session cookie")
	}
	if !sc.HttpOnly || sc.SameSite != http.SameSiteLaxMode || sc.Path != "/" || sc.Secure || sc.MaxAge != 0 || sc.Domain != "" || len(sc.Value) < 43 {
		t.Errorf("session cookie %+v", sc)
	}
	if c := cookieNamed(res, "accord_sign_in"); c == nil || c.MaxAge >= 0 {
		t.Errorf("the sign-in form token was not cleared: %+v", c)
	}
	// The store knows the session only by the hash of the cookie value.
	ctx := context.Background()
	if _, u, err := e.store.FindSession(ctx, sessionID(sc.Value), e.srv.now()); err != nil || u.Email != "Ann.Lead@nhs.net" {
		t.Errorf("session by hash: %+v %v", u, err)
	}
	if _, _, err := e.store.FindSession(ctx, sc.Value, e.srv.now()); err == nil {
		t.Error("the raw cookie value is a session id in the store")
	}

	// Signed in: the header names the user and signs out by a form.
	res, page = b.get("/indicators")
	if !strings.Contains(page, `<li class="nhsuk-header__account-item">Ann Lead</li>`) ||
		!strings.Contains(page, `<form class="nhsuk-header__account-form" method="post" action="/sign-out" novalidate>`) ||
		strings.Contains(page, ">Sign in</a>") {
		t.Errorf("signed-in header:\n%s", page)
	}
	if res.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("a signed-in page may be cached: %v", res.Header)
	}
	if _, page = b.get("/test/private"); page != "private page for Ann.Lead@nhs.net" {
		t.Errorf("requireUser: %s", page)
	}
	// Signed in already, the sign-in page sends you on.
	if res, _ := b.get("/sign-in?next=/priorities"); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/priorities" {
		t.Errorf("sign-in page when signed in: %d %v", res.StatusCode, res.Header)
	}

	stolen := sc.Value
	res, _ = b.post("/sign-out", url.Values{"csrf_token": {b.sessionToken()}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/" {
		t.Fatalf("sign out: %d %v", res.StatusCode, res.Header)
	}
	if c := cookieNamed(res, "accord_session"); c == nil || c.MaxAge >= 0 {
		t.Errorf("sign out did not clear the cookie: %+v", c)
	}
	if _, page := b.get("/indicators"); !strings.Contains(page, ">Sign in</a>") {
		t.Error("still signed in after signing out")
	}
	// The old cookie is worthless: the session is gone from the store.
	if _, _, err := e.store.FindSession(ctx, sessionID(stolen), e.srv.now()); accord.ErrorCode(err) != accord.EUNAUTHORIZED {
		t.Errorf("session after sign-out: %v", err)
	}
	b.cookies["accord_session"] = &http.Cookie{Name: "accord_session", Value: stolen}
	if _, page := b.get("/test/private"); !strings.Contains(page, "Your session has ended; sign in again.") {
		t.Errorf("a signed-out cookie still works:\n%s", page)
	}
}

func TestSignInRotatesSession(t *testing.T) {
	e := newTestEnv(t, Config{})
	e.addUser(t, "ann@nhs.net", "Ann")
	b := e.browser(t)
	b.mustSignIn("ann@nhs.net")
	first := b.cookies["accord_session"].Value

	// Signed in, the sign-in page sends you on rather than show the form;
	// fetch it as if anonymous, then send it with the session cookie.
	session := b.cookies["accord_session"]
	delete(b.cookies, "accord_session")
	_, page := b.get("/sign-in")
	b.cookies["accord_session"] = session
	res, page := b.post("/sign-in", url.Values{"email": {"ann@nhs.net"}, "password": {testPassword}, "csrf_token": {formTokenIn(t, page)}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("second sign-in: %d\n%s", res.StatusCode, page)
	}
	if second := b.cookies["accord_session"].Value; second == first {
		t.Fatal("the session value was not rotated at sign-in")
	}
	if _, _, err := e.store.FindSession(context.Background(), sessionID(first), e.srv.now()); accord.ErrorCode(err) != accord.EUNAUTHORIZED {
		t.Errorf("the session from before sign-in survives it: %v", err)
	}
}

func TestSignInProblems(t *testing.T) {
	e := newTestEnv(t, Config{})
	e.addUser(t, "ann@nhs.net", "Ann")
	b := e.browser(t)

	// Nothing filled in: both fields say so, linked from the summary.
	_, page := b.get("/sign-in")
	res, page := b.post("/sign-in", url.Values{"csrf_token": {formTokenIn(t, page)}})
	if res.StatusCode != http.StatusBadRequest {
		t.Errorf("empty form: %d", res.StatusCode)
	}
	for _, want := range []string{`<h2 class="nhsuk-error-summary__title">There is a problem</h2>`,
		`<a href="#email">Enter your email address</a>`, `<a href="#password">Enter your password</a>`,
		`<div class="nhsuk-form-group nhsuk-form-group--error">`,
		`<span class="nhsuk-error-message" id="password-error"><span class="nhsuk-u-visually-hidden">Error:</span> Enter your password</span>`,
		`aria-describedby="email-error"`} {
		if !strings.Contains(page, want) {
			t.Errorf("empty form: page lacks %s", want)
		}
	}

	// A wrong password and an unknown email get the same answer.
	res, wrong := b.signIn("ann@nhs.net", "not the password at all", "/priorities")
	if res.StatusCode != http.StatusUnauthorized || !strings.Contains(wrong, msgWrongPassword) || cookieNamed(res, "accord_session") != nil {
		t.Errorf("wrong password: %d\n%s", res.StatusCode, wrong)
	}
	if !strings.Contains(wrong, `value="ann@nhs.net"`) || !strings.Contains(wrong, `name="next" value="/priorities"`) {
		t.Error("the form lost the email or where to go next")
	}
	if strings.Contains(wrong, "not the password at all") {
		t.Error("the page repeats the password")
	}
	res, unknown := b.signIn("nobody@nhs.net", "not the password at all", "")
	if res.StatusCode != http.StatusUnauthorized || !strings.Contains(unknown, msgWrongPassword) {
		t.Errorf("unknown email: %d\n%s", res.StatusCode, unknown)
	}

	// An account that signs in only through the identity provider has no
	// password to guess.
	if err := e.store.CreateUser(context.Background(), &accord.User{Email: "oidc-only@nhs.net", Name: "O"}, ""); err != nil {
		t.Fatal(err)
	}
	if res, page := b.signIn("oidc-only@nhs.net", "", ""); res.StatusCode != http.StatusBadRequest || !strings.Contains(page, "Enter your password") {
		t.Errorf("no password given: %d", res.StatusCode)
	}
	if res, page := b.signIn("oidc-only@nhs.net", "anything", ""); res.StatusCode != http.StatusUnauthorized || !strings.Contains(page, msgWrongPassword) {
		t.Errorf("account without a password: %d\n%s", res.StatusCode, page)
	}

	// A form without the token its browser was given is refused and shown
	// again, ready to send.
	res, page = b.post("/sign-in", url.Values{"email": {"ann@nhs.net"}, "password": {testPassword}, "csrf_token": {"forged"}})
	if res.StatusCode != http.StatusForbidden || !strings.Contains(page, msgFormExpired) || cookieNamed(res, "accord_session") != nil {
		t.Errorf("forged sign-in form: %d\n%s", res.StatusCode, page)
	}
	res, _ = b.post("/sign-in", url.Values{"email": {"ann@nhs.net"}, "password": {testPassword}, "csrf_token": {formTokenIn(t, page)}})
	if res.StatusCode != http.StatusSeeOther {
		t.Errorf("the form shown again does not work: %d", res.StatusCode)
	}

	// Another site cannot sign you in, even with a token.
	other := e.browser(t)
	_, page = other.get("/sign-in")
	req := httptest.NewRequest(http.MethodPost, "/sign-in", strings.NewReader(url.Values{"email": {"ann@nhs.net"},
		"password": {testPassword}, "csrf_token": {formTokenIn(t, page)}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	if res, page := other.send(req); res.StatusCode != http.StatusForbidden || !strings.Contains(page, "came from another website") {
		t.Errorf("cross-site sign-in: %d\n%s", res.StatusCode, page)
	}
}

func TestSignInDisabledUser(t *testing.T) {
	e := newTestEnv(t, Config{})
	e.addUser(t, "ann@nhs.net", "Ann")
	b := e.browser(t)
	b.mustSignIn("ann@nhs.net")
	withTestRoutes(e)
	if err := e.store.DisableUser(context.Background(), "ann@nhs.net"); err != nil {
		t.Fatal(err)
	}
	// Disabling ends the session at once.
	if res, page := b.get("/test/private"); res.StatusCode != http.StatusUnauthorized || !strings.Contains(page, msgSessionEnded) {
		t.Errorf("after disabling: %d\n%s", res.StatusCode, page)
	}
	// With the right password, a disabled user learns why; with a wrong
	// one, nothing.
	if res, page := b.signIn("ann@nhs.net", testPassword, ""); res.StatusCode != http.StatusForbidden || !strings.Contains(page, msgDisabled) {
		t.Errorf("disabled, right password: %d\n%s", res.StatusCode, page)
	}
	if res, page := b.signIn("ann@nhs.net", "wrong wrong wrong", ""); res.StatusCode != http.StatusUnauthorized || strings.Contains(page, "disabled") {
		t.Errorf("disabled, wrong password: %d\n%s", res.StatusCode, page)
	}
}

func TestSignInRateLimit(t *testing.T) {
	e := newTestEnv(t, Config{})
	e.addUser(t, "ann@nhs.net", "Ann")
	b := e.browser(t)
	for i := range maxFailuresPerEmail {
		if res, page := b.signIn("ANN@nhs.net", fmt.Sprintf("guess number %d", i), ""); res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("failure %d: %d\n%s", i+1, res.StatusCode, page)
		}
	}
	// Now even the right password is refused, and the page says how long
	// to wait.
	const wait = "You have tried to sign in too many times. Wait 15 minutes, then try again."
	res, page := b.signIn("ann@nhs.net", testPassword, "")
	if res.StatusCode != http.StatusTooManyRequests || !strings.Contains(page, wait) || res.Header.Get("Retry-After") != "900" ||
		cookieNamed(res, "accord_session") != nil {
		t.Fatalf("after %d failures: %d %v\n%s", maxFailuresPerEmail, res.StatusCode, res.Header, page)
	}

	// An email nobody has is limited the same way, in the same words.
	ctx := context.Background()
	for range maxFailuresPerEmail {
		if err := e.store.RecordSignInAttempt(ctx, accord.SignInAttempt{Email: "nobody@nhs.net", ClientIP: "198.51.100.1", At: today}); err != nil {
			t.Fatal(err)
		}
	}
	if res, page := b.signIn("nobody@nhs.net", "anything at all", ""); res.StatusCode != http.StatusTooManyRequests || !strings.Contains(page, wait) {
		t.Errorf("unknown email: %d\n%s", res.StatusCode, page)
	}

	// Later, with time to go: the wait counts down.
	e.srv.now = func() time.Time { return today.Add(10*time.Minute + 30*time.Second) }
	if res, page := b.signIn("ann@nhs.net", testPassword, ""); res.StatusCode != http.StatusTooManyRequests ||
		!strings.Contains(page, "Wait 5 minutes") || res.Header.Get("Retry-After") != "270" {
		t.Errorf("ten minutes on: %d %v\n%s", res.StatusCode, res.Header, page)
	}
	// Once the window has passed since the last failure, the right password works.
	e.srv.now = func() time.Time { return today.Add(16 * time.Minute) }
	if res, page := b.signIn("ann@nhs.net", testPassword, ""); res.StatusCode != http.StatusSeeOther {
		t.Errorf("after the window: %d\n%s", res.StatusCode, page)
	}
}

func TestSignInRateLimitByIP(t *testing.T) {
	e := newTestEnv(t, Config{})
	e.addUser(t, "ann@nhs.net", "Ann")
	ctx := context.Background()
	for i := range maxFailuresPerIP {
		a := accord.SignInAttempt{Email: fmt.Sprintf("user%d@nhs.net", i), ClientIP: "203.0.113.9", At: today.Add(-time.Minute)}
		if err := e.store.RecordSignInAttempt(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	b := e.browser(t)
	b.ip = "203.0.113.9"
	if res, page := b.signIn("ann@nhs.net", testPassword, ""); res.StatusCode != http.StatusTooManyRequests || !strings.Contains(page, "Wait 14 minutes") {
		t.Errorf("from the busy address: %d\n%s", res.StatusCode, page)
	}
	b.ip = "203.0.113.10"
	if res, page := b.signIn("ann@nhs.net", testPassword, ""); res.StatusCode != http.StatusSeeOther {
		t.Errorf("from another address: %d\n%s", res.StatusCode, page)
	}
}

func TestCSRF(t *testing.T) {
	e := newTestEnv(t, Config{})
	changes := withTestRoutes(e)
	e.addUser(t, "ann@nhs.net", "Ann")
	b := e.browser(t)
	b.mustSignIn("ann@nhs.net")
	token := b.sessionToken()

	refused := func(what string, res *http.Response, page string) {
		t.Helper()
		if res.StatusCode != http.StatusForbidden || !strings.Contains(page, "<h1>You cannot do that</h1>") {
			t.Errorf("%s: %d, want 403\n%s", what, res.StatusCode, page)
		}
		if n := changes.Load(); n != 0 {
			t.Fatalf("%s: %d changes made", what, n)
		}
	}
	res, page := b.post("/test/change", url.Values{"what": {"x"}})
	refused("no token", res, page)
	if !strings.Contains(page, "This form has expired or did not come from Accord, so nothing was changed.") {
		t.Errorf("no token: the message does not say what happened\n%s", page)
	}
	res, page = b.post("/test/change", url.Values{"what": {"x"}, "csrf_token": {token + "x"}})
	refused("wrong token", res, page)
	other := e.browser(t)
	e.addUser(t, "bob@nhs.net", "Bob")
	other.mustSignIn("bob@nhs.net")
	res, page = b.post("/test/change", url.Values{"what": {"x"}, "csrf_token": {other.sessionToken()}})
	refused("another session's token", res, page)
	// The token in the address is not the form's: it would leak in logs.
	res, page = b.post("/test/change?csrf_token="+url.QueryEscape(token), url.Values{"what": {"x"}})
	refused("token in the query", res, page)
	// The right token, but the browser says another site sent it.
	req := httptest.NewRequest(http.MethodPost, "/test/change", strings.NewReader(url.Values{"csrf_token": {token}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	res, page = b.send(req)
	refused("cross-site", res, page)
	req = httptest.NewRequest(http.MethodPost, "/test/change", strings.NewReader(url.Values{"csrf_token": {token}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "https://evil.example")
	res, page = b.send(req)
	refused("cross origin", res, page)
	// Signing out is a form too.
	res, page = b.post("/sign-out", nil)
	refused("sign out without a token", res, page)
	if _, page := b.get("/indicators"); !strings.Contains(page, "Sign out") {
		t.Error("a refused sign-out signed out")
	}

	// The right token: in the form, in a multipart form with a file, or in
	// the header for scripts.
	if res, page := b.post("/test/change", url.Values{"what": {"x"}, "csrf_token": {token}}); res.StatusCode != http.StatusOK || page != `changed "x"` {
		t.Errorf("good form: %d %s", res.StatusCode, page)
	}
	var mb bytes.Buffer
	mw := multipart.NewWriter(&mb)
	_ = mw.WriteField("csrf_token", token)
	_ = mw.WriteField("what", "upload")
	fw, _ := mw.CreateFormFile("file", "a.csv")
	_, _ = fw.Write([]byte("a,b\n"))
	_ = mw.Close()
	req = httptest.NewRequest(http.MethodPost, "/test/change", &mb)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	if res, page := b.send(req); res.StatusCode != http.StatusOK || page != `changed "upload" with file "a,b\n"` {
		t.Errorf("multipart form: %d %s", res.StatusCode, page)
	}
	req = httptest.NewRequest(http.MethodPost, "/test/change", nil)
	req.Header.Set("X-CSRF-Token", token)
	if res, page := b.send(req); res.StatusCode != http.StatusOK {
		t.Errorf("header token: %d %s", res.StatusCode, page)
	}
	if n := changes.Load(); n != 3 {
		t.Errorf("%d changes, want 3", n)
	}

	// The API with the session cookie needs the header; the form field is
	// not read there.
	req = httptest.NewRequest(http.MethodPost, "/api/v1/test/change", strings.NewReader(url.Values{"csrf_token": {token}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if res, page := b.send(req); res.StatusCode != http.StatusForbidden || apiErr(t, page).Code != accord.EFORBIDDEN {
		t.Errorf("API by cookie without the header: %d %s", res.StatusCode, page)
	}
	req = httptest.NewRequest(http.MethodPost, "/api/v1/test/change", nil)
	req.Header.Set("X-CSRF-Token", token)
	if res, page := b.send(req); res.StatusCode != http.StatusOK {
		t.Errorf("API by cookie with the header: %d %s", res.StatusCode, page)
	}

	// Nobody signed in: a page form goes to sign in, and comes back to the
	// page it was sent from.
	anon := e.browser(t)
	req = httptest.NewRequest(http.MethodPost, "/test/change", strings.NewReader("what=x"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Referer", "http://example.com/priorities?x=1")
	if res, _ := anon.send(req); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/sign-in?next=%2Fpriorities%3Fx%3D1" {
		t.Errorf("anonymous form: %d %v", res.StatusCode, res.Header)
	}
	if n := changes.Load(); n != 4 {
		t.Errorf("%d changes, want 4", n)
	}
}

func TestSessionExpiry(t *testing.T) {
	e := newTestEnv(t, Config{})
	changes := withTestRoutes(e)
	e.addUser(t, "ann@nhs.net", "Ann")
	b := e.browser(t)

	// Not signed in: a page that needs it sends you to sign in and back.
	res, _ := b.get("/test/private?tab=2")
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/sign-in?next=%2Ftest%2Fprivate%3Ftab%3D2" {
		t.Fatalf("anonymous: %d %v", res.StatusCode, res.Header)
	}
	res, page := b.signIn("ann@nhs.net", testPassword, "/test/private?tab=2")
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/test/private?tab=2" {
		t.Fatalf("sign in and back: %d %v\n%s", res.StatusCode, res.Header, page)
	}
	token := b.sessionToken()

	// Requests within half an hour of each other keep the session going.
	for _, m := range []time.Duration{20, 40, 60} {
		e.srv.now = func() time.Time { return today.Add(m * time.Minute) }
		if res, page := b.get("/test/private"); res.StatusCode != http.StatusOK {
			t.Fatalf("%d minutes on: %d\n%s", m, res.StatusCode, page)
		}
	}
	// Half an hour idle ends it: a page that needs a sign-in says so.
	e.srv.now = func() time.Time { return today.Add(91 * time.Minute) }
	res, page = b.get("/test/private")
	if res.StatusCode != http.StatusUnauthorized || !strings.Contains(page, msgSessionEnded) || !strings.Contains(page, `name="next" value="/test/private"`) {
		t.Errorf("idle session: %d\n%s", res.StatusCode, page)
	}
	if c := cookieNamed(res, "accord_session"); c == nil || c.MaxAge >= 0 {
		t.Errorf("the ended session's cookie was not cleared: %+v", c)
	}

	// A form sent after the session ended changes nothing, and says why.
	b.cookies["accord_session"] = &http.Cookie{Name: "accord_session", Value: "whatever-it-was"}
	res, page = b.post("/test/change", url.Values{"csrf_token": {token}})
	if res.StatusCode != http.StatusUnauthorized || !strings.Contains(page, msgSessionEnded) || changes.Load() != 0 {
		t.Errorf("form after the session ended: %d %d\n%s", res.StatusCode, changes.Load(), page)
	}
	// The API says so in its own shape.
	b.cookies["accord_session"] = &http.Cookie{Name: "accord_session", Value: "whatever-it-was"}
	res, page = b.get("/api/v1/test/me")
	if e := apiErr(t, page); res.StatusCode != http.StatusUnauthorized || e.Code != accord.EUNAUTHORIZED || e.Message != msgSessionEnded {
		t.Errorf("API after the session ended: %d %s", res.StatusCode, page)
	}
	// Public pages still show, to nobody in particular.
	b.cookies["accord_session"] = &http.Cookie{Name: "accord_session", Value: "whatever-it-was"}
	if res, page := b.get("/priorities"); res.StatusCode != http.StatusOK || !strings.Contains(page, ">Sign in</a>") {
		t.Errorf("public page with an ended session: %d", res.StatusCode)
	}

	// Signing in again works, from the page that said the session ended.
	b.cookies = map[string]*http.Cookie{}
	res, _ = b.signIn("ann@nhs.net", testPassword, "/test/private")
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("signing in again: %d", res.StatusCode)
	}
	// Twelve hours is the end, however busy.
	start := today.Add(91 * time.Minute)
	for at := start; at.Before(start.Add(12 * time.Hour)); at = at.Add(25 * time.Minute) {
		e.srv.now = func() time.Time { return at }
		if res, _ := b.get("/test/private"); res.StatusCode != http.StatusOK {
			t.Fatalf("busy, %v after signing in: %d", at.Sub(start), res.StatusCode)
		}
	}
	e.srv.now = func() time.Time { return start.Add(12 * time.Hour) }
	if res, page := b.get("/test/private"); res.StatusCode != http.StatusUnauthorized || !strings.Contains(page, msgSessionEnded) {
		t.Errorf("after twelve hours: %d\n%s", res.StatusCode, page)
	}
}

func TestBearerTokens(t *testing.T) {
	e := newTestEnv(t, Config{})
	changes := withTestRoutes(e)
	ctx := context.Background()
	e.addUser(t, "ann@nhs.net", "Ann", accord.Grant{Role: accord.RoleNationalOversight, OrgCode: accord.EnglandCode})
	token, hash := auth.NewToken()
	id, err := e.store.CreateToken(ctx, "ann@nhs.net", hash, "test")
	if err != nil {
		t.Fatal(err)
	}
	call := func(method, target, authz string) (*http.Response, string) {
		t.Helper()
		req := httptest.NewRequest(method, target, nil)
		if authz != "" {
			req.Header.Set("Authorization", authz)
		}
		rec := httptest.NewRecorder()
		e.handler.ServeHTTP(rec, req)
		return rec.Result(), rec.Body.String()
	}

	res, b := call(http.MethodGet, "/api/v1/test/me", "Bearer "+token)
	var u accord.User
	if err := json.Unmarshal([]byte(b), &u); res.StatusCode != http.StatusOK || err != nil || u.Email != "ann@nhs.net" ||
		len(u.Grants) != 1 || u.Grants[0].Role != accord.RoleNationalOversight {
		t.Fatalf("token: %d %s", res.StatusCode, b)
	}
	if res.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("an answer for a signed-in client may be cached: %v", res.Header)
	}
	// Code sends tokens, not browsers: no CSRF token is needed.
	if res, b := call(http.MethodPost, "/api/v1/test/change", "bearer "+token); res.StatusCode != http.StatusOK || changes.Load() != 1 {
		t.Errorf("POST with a token: %d %s", res.StatusCode, b)
	}
	// Pages ignore tokens: they are for the API.
	if res, _ := call(http.MethodGet, "/test/private", "Bearer "+token); res.StatusCode != http.StatusSeeOther {
		t.Errorf("a token on a page: %d", res.StatusCode)
	}

	// No token where one is needed.
	res, b = call(http.MethodGet, "/api/v1/test/me", "")
	if e := apiErr(t, b); res.StatusCode != http.StatusUnauthorized || !strings.Contains(e.Message, "Authorization: Bearer <token>") ||
		res.Header.Get("WWW-Authenticate") != `Bearer realm="Accord"` {
		t.Errorf("no token: %d %v %s", res.StatusCode, res.Header, b)
	}
	// A token that is not one, or not sent as Bearer, is refused even on
	// an open endpoint, so a client learns its token is wrong.
	for _, authz := range []string{"Bearer not-a-token", "Basic " + token, "Bearer "} {
		res, b := call(http.MethodGet, "/api/v1/indicators", authz)
		if e := apiErr(t, b); res.StatusCode != http.StatusUnauthorized || e.Code != accord.EUNAUTHORIZED {
			t.Errorf("%q: %d %s", authz, res.StatusCode, b)
		}
	}
	if err := e.store.RevokeToken(ctx, id); err != nil {
		t.Fatal(err)
	}
	res, b = call(http.MethodGet, "/api/v1/test/me", "Bearer "+token)
	if e := apiErr(t, b); res.StatusCode != http.StatusUnauthorized || !strings.Contains(e.Message, "has been revoked") {
		t.Errorf("revoked token: %d %s", res.StatusCode, b)
	}
	if res, _ := call(http.MethodPost, "/api/v1/test/change", "Bearer "+token); res.StatusCode != http.StatusUnauthorized || changes.Load() != 1 {
		t.Errorf("POST with a revoked token: %d", res.StatusCode)
	}
}

func TestSecureCookies(t *testing.T) {
	e := newTestEnv(t, Config{SecureCookies: true})
	e.addUser(t, "ann@nhs.net", "Ann")
	b := e.browser(t)
	res, page := b.get("/sign-in")
	if c := cookieNamed(res, "__Host-accord_sign_in"); c == nil || !c.Secure || !c.HttpOnly || c.Path != "/" {
		t.Errorf("sign-in form cookie: %+v", c)
	}
	res, _ = b.post("/sign-in", url.Values{"email": {"ann@nhs.net"}, "password": {testPassword}, "csrf_token": {formTokenIn(t, page)}})
	c := cookieNamed(res, "__Host-accord_session")
	if res.StatusCode != http.StatusSeeOther || c == nil || !c.Secure || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" || c.Domain != "" {
		t.Fatalf("secure session cookie: %d %+v", res.StatusCode, c)
	}
	if cookieNamed(res, "accord_session") != nil {
		t.Error("an unprefixed session cookie was set too")
	}
	if _, page := b.get("/indicators"); !strings.Contains(page, "Sign out") {
		t.Error("the __Host- cookie does not sign in")
	}
}

func TestLocalPath(t *testing.T) {
	for in, want := range map[string]string{
		"":                          "/",
		"/":                         "/",
		"/icbs/QUE":                 "/icbs/QUE",
		"/indicators?area=elective": "/indicators?area=elective",
		"https://evil.example/":     "/",
		"//evil.example/":           "/",
		"/\\evil.example":           "/",
		"evil.example":              "/",
		"javascript:alert(1)":       "/",
		"/a\r\nLocation: x":         "/",
		"/sign-in?next=/x":          "/",
		"/sign-in/oidc":             "/",
		"/sign-out":                 "/",
	} {
		if got := localPath(in); got != want {
			t.Errorf("localPath(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestRetryAfter(t *testing.T) {
	last := today.Add(-5 * time.Minute)
	for _, c := range []struct {
		f    accord.SignInFailures
		want time.Duration
	}{
		{accord.SignInFailures{ByEmail: 4, LastByEmail: last, ByIP: 19, LastByIP: last}, 0},
		{accord.SignInFailures{ByEmail: 5, LastByEmail: last}, 10 * time.Minute},
		{accord.SignInFailures{ByEmail: 5, LastByEmail: last.Add(-20 * time.Minute)}, 0},
		{accord.SignInFailures{ByEmail: 5, LastByEmail: last, ByIP: 20, LastByIP: last.Add(2 * time.Minute)}, 12 * time.Minute},
		{accord.SignInFailures{ByIP: 25, LastByIP: today}, 15 * time.Minute},
	} {
		if got := retryAfter(c.f, today); got != c.want {
			t.Errorf("%+v: %v, want %v", c.f, got, c.want)
		}
	}
}
