package web

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/nhs-accord/accord"
	"github.com/nhs-accord/accord/auth"
)

// Password sign-in limits: after this many failures within the window,
// sign-in is refused until the window has passed since the latest one.
// Per email so one account cannot be guessed at; per IP, higher, so one
// machine cannot try many accounts, while a shared NHS network address
// still leaves room for colleagues who mistype.
const (
	signInWindow        = 15 * time.Minute
	maxFailuresPerEmail = 5
	maxFailuresPerIP    = 20
)

// oidcFlowMaxAge is how long a sign-in at the identity provider may take.
const oidcFlowMaxAge = 10 * time.Minute

// dummyPasswordHash is checked against when nobody has the email, so a
// wrong email takes as long to refuse as a wrong password and response
// times do not tell which emails have accounts. Its cost matches new
// hashes' (see auth.HashPassword); it matches no password.
var dummyPasswordHash = "$argon2id$v=19$m=65536,t=3,p=4$" +
	base64.RawStdEncoding.EncodeToString([]byte("accord-no-user!!")) + "$" +
	base64.RawStdEncoding.EncodeToString([]byte("accord-no-user-has-this-hash!!!!"))

// Messages shown on the sign-in page.
const (
	msgWrongPassword = "Your email address or password is not right. Check them and try again."
	msgSessionEnded  = "Your session has ended; sign in again."
	msgFormExpired   = "The sign-in form had expired. Enter your email address and password again."
	msgNoAccount     = "There is no Accord account for you yet. Ask your ICB administrator to add you."
	msgDisabled      = "Your Accord account is disabled. Ask your ICB administrator to enable it."
)

// signInView is the sign-in page.
type signInView struct {
	page
	FormToken string // the sign-in form's own CSRF token, also in a cookie
	Next      string // where to go once signed in
	Email     string
	Notice    string              // why the page is shown, when it was not asked for
	Errors    []accord.FieldError // the error summary; Field is the input's id, "" for none
	OIDC      bool                // whether "Sign in with NHS identity" is offered
}

// FieldError is the inline error for the input with this id.
func (v *signInView) FieldError(id string) string {
	for _, e := range v.Errors {
		if e.Field == id {
			return e.Message
		}
	}
	return ""
}

// localPath returns p if it is a path on this site, or "/" otherwise, so
// that next=https://elsewhere (or //elsewhere, or /\elsewhere, which some
// browsers read as //) cannot send someone off-site after signing in.
func localPath(p string) string {
	if p == "" || p[0] != '/' || strings.HasPrefix(p, "//") || strings.HasPrefix(p, "/\\") ||
		strings.ContainsAny(p, "\\\r\n\t") {
		return "/"
	}
	u, err := url.Parse(p)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil {
		return "/"
	}
	// Coming back to the sign-in pages would only show them again.
	if u.Path == "/sign-in" || strings.HasPrefix(u.Path, "/sign-in/") || u.Path == "/sign-out" {
		return "/"
	}
	return p
}

// clientIP is the address sign-in failures are counted against: the
// connection's peer. Behind a proxy that is the proxy, for everyone;
// see the per-IP limit.
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// renderSignIn writes the sign-in page with status, giving the browser a
// sign-in form token if neither it nor v has one.
func (s *Server) renderSignIn(w http.ResponseWriter, r *http.Request, status int, v *signInView) error {
	if v.FormToken == "" {
		if c, err := r.Cookie(s.cookieName(signInCookie)); err == nil && len(c.Value) >= 26 {
			v.FormToken = c.Value
		} else {
			v.FormToken = s.newSignInToken(w)
		}
	}
	v.Title = "Sign in"
	v.Next = localPath(v.Next)
	v.OIDC = s.oidc != nil
	v.Version = s.version
	v.Viewer = viewerOf(authOf(r))
	body, err := s.pages.execute("signin", v)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	writeBody(w, status, "text/html; charset=utf-8", body)
	return nil
}

// newSignInToken gives the browser a new sign-in form token.
func (s *Server) newSignInToken(w http.ResponseWriter) string {
	token := rand.Text()
	http.SetCookie(w, s.cookie(signInCookie, token, 0))
	return token
}

// signInInstead answers a page request that needs a sign-in it does not
// have: GET goes to the sign-in page and comes back after; a form sent
// after the session ended shows the sign-in page at once, saying so.
func (s *Server) signInInstead(w http.ResponseWriter, r *http.Request) {
	next := r.URL.RequestURI()
	if !safeMethod(r.Method) {
		// A form's address may not answer GET: return to the page that
		// held the form.
		next = "/"
		if ref, err := url.Parse(r.Referer()); err == nil && ref.Host == r.Host {
			next = ref.RequestURI()
		}
	}
	if authOf(r).ended {
		if err := s.renderSignIn(w, r, http.StatusUnauthorized, &signInView{Next: next, Notice: msgSessionEnded}); err != nil {
			s.log.Error("rendering sign-in page", "path", r.URL.Path, "error", err)
			http.Error(w, msgSessionEnded, http.StatusUnauthorized)
		}
		return
	}
	http.Redirect(w, r, "/sign-in?next="+url.QueryEscape(localPath(next)), http.StatusSeeOther)
}

// signInPage is GET /sign-in.
func (s *Server) signInPage(w http.ResponseWriter, r *http.Request) error {
	next := localPath(r.URL.Query().Get("next"))
	if s.currentUser(r) != nil {
		http.Redirect(w, r, next, http.StatusSeeOther)
		return nil
	}
	return s.renderSignIn(w, r, http.StatusOK, &signInView{Next: next})
}

// signIn is POST /sign-in: email and password.
func (s *Server) signIn(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		return accord.Errorf(accord.EINVALID, "The sign-in form could not be read: %v", err)
	}
	email := strings.TrimSpace(r.PostForm.Get("email"))
	password := r.PostForm.Get("password")
	v := &signInView{Next: r.PostForm.Get("next"), Email: email}

	// The browser must send back the token it was given with the form, so
	// another site cannot sign someone in as the attacker.
	c, err := r.Cookie(s.cookieName(signInCookie))
	if err != nil || c.Value == "" || subtle.ConstantTimeCompare([]byte(c.Value), []byte(r.PostForm.Get(csrfFormField))) != 1 {
		v.FormToken = s.newSignInToken(w)
		v.Errors = []accord.FieldError{{Field: "email", Message: msgFormExpired}}
		return s.renderSignIn(w, r, http.StatusForbidden, v)
	}

	if email == "" {
		v.Errors = append(v.Errors, accord.FieldError{Field: "email", Message: "Enter your email address"})
	}
	if password == "" {
		v.Errors = append(v.Errors, accord.FieldError{Field: "password", Message: "Enter your password"})
	}
	if len(v.Errors) > 0 {
		return s.renderSignIn(w, r, http.StatusBadRequest, v)
	}

	now := s.now()
	ip := clientIP(r)
	fails, err := s.store.CountSignInFailures(ctx, email, ip, now.Add(-signInWindow))
	if err != nil {
		return err
	}
	if wait := retryAfter(fails, now); wait > 0 {
		// Refused attempts are not recorded, so waiting is enough to try
		// again; the answer is the same whether or not the email has an
		// account.
		minutes := int((wait + time.Minute - 1) / time.Minute)
		w.Header().Set("Retry-After", strconv.Itoa(int((wait+time.Second-1)/time.Second)))
		v.Errors = []accord.FieldError{{Field: "email", Message: fmt.Sprintf(
			"You have tried to sign in too many times. Wait %d %s, then try again.", minutes, plural(minutes, "minute", "minutes"))}}
		return s.renderSignIn(w, r, http.StatusTooManyRequests, v)
	}

	u, hash, err := s.store.FindUserByEmail(ctx, email)
	if err != nil && accord.ErrorCode(err) != accord.ENOTFOUND {
		return err
	}
	if hash == "" {
		// Nobody has the email, or its account signs in only through the
		// identity provider: check anyway, so neither answers faster.
		hash = dummyPasswordHash
	}
	ok, err := auth.CheckPassword(hash, password)
	if err != nil {
		return fmt.Errorf("checking the password of user %d: %w", u.ID, err)
	}
	ok = ok && u.ID != 0
	if err := s.store.RecordSignInAttempt(ctx, accord.SignInAttempt{Email: email, ClientIP: ip, Succeeded: ok && !u.Disabled, At: now}); err != nil {
		return err
	}
	switch {
	case !ok:
		v.Errors = []accord.FieldError{{Field: "email", Message: msgWrongPassword}}
		return s.renderSignIn(w, r, http.StatusUnauthorized, v)
	case u.Disabled:
		// Only someone who knows the password learns this.
		v.Errors = []accord.FieldError{{Field: "email", Message: msgDisabled}}
		return s.renderSignIn(w, r, http.StatusForbidden, v)
	}
	if err := s.startSession(w, r, u); err != nil {
		return err
	}
	s.clearCookie(w, signInCookie)
	s.log.InfoContext(ctx, "signed in", "user", u.ID, "method", "password")
	http.Redirect(w, r, localPath(v.Next), http.StatusSeeOther)
	return nil
}

// retryAfter is how long to wait before signing in may be tried again, or
// 0 when it may be tried now.
func retryAfter(f accord.SignInFailures, now time.Time) time.Duration {
	var until time.Time
	if f.ByEmail >= maxFailuresPerEmail {
		until = f.LastByEmail.Add(signInWindow)
	}
	if f.ByIP >= maxFailuresPerIP && f.LastByIP.Add(signInWindow).After(until) {
		until = f.LastByIP.Add(signInWindow)
	}
	if d := until.Sub(now); d > 0 {
		return d
	}
	return 0
}

// signOut is POST /sign-out.
func (s *Server) signOut(w http.ResponseWriter, r *http.Request) error {
	if u := s.currentUser(r); u != nil {
		s.log.InfoContext(r.Context(), "signed out", "user", u.ID)
	}
	if err := s.endSession(w, r); err != nil {
		return err
	}
	http.Redirect(w, r, "/", http.StatusSeeOther)
	return nil
}

// oidcFlow is what the browser keeps, in a cookie, while it is away at the
// identity provider.
type oidcFlow struct {
	auth.OIDCRequest
	Next string `json:"next"`
}

// errNoOIDC answers the OpenID Connect routes when it is not configured.
func errNoOIDC() error {
	return accord.Errorf(accord.ENOTFOUND, "Signing in with an NHS identity is not set up on this service: sign in with your email address and password.")
}

// oidcStart is GET /sign-in/oidc: off to the identity provider.
func (s *Server) oidcStart(w http.ResponseWriter, r *http.Request) error {
	if s.oidc == nil {
		return errNoOIDC()
	}
	to, req, err := s.oidc.AuthCodeURL(r.Context())
	if err != nil {
		return s.providerDown(w, r, localPath(r.URL.Query().Get("next")), err)
	}
	b, err := json.Marshal(oidcFlow{OIDCRequest: req, Next: localPath(r.URL.Query().Get("next"))})
	if err != nil {
		return err
	}
	http.SetCookie(w, s.cookie(oidcCookie, base64.RawURLEncoding.EncodeToString(b), int(oidcFlowMaxAge/time.Second)))
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, to, http.StatusFound)
	return nil
}

// oidcCallback is GET /sign-in/oidc/callback: the identity provider sends
// the browser back here with a code, which becomes a verified identity,
// which must belong to an Accord account.
func (s *Server) oidcCallback(w http.ResponseWriter, r *http.Request) error {
	if s.oidc == nil {
		return errNoOIDC()
	}
	ctx := r.Context()
	var flow oidcFlow
	if c, err := r.Cookie(s.cookieName(oidcCookie)); err == nil {
		if b, err := base64.RawURLEncoding.DecodeString(c.Value); err == nil {
			_ = json.Unmarshal(b, &flow) // an unreadable cookie is no sign-in in progress, which Exchange refuses
		}
	}
	s.clearCookie(w, oidcCookie) // one use only
	refuse := func(status int, msg string) error {
		return s.renderSignIn(w, r, status, &signInView{Next: flow.Next, Errors: []accord.FieldError{{Message: msg}}})
	}
	q := r.URL.Query()
	if e := q.Get("error"); e != "" {
		// The provider's own words, such as the person cancelling.
		msg := "Signing in with your NHS identity did not work: the identity service said " + strconv.Quote(e)
		if d := q.Get("error_description"); d != "" {
			msg += " (" + d + ")"
		}
		return refuse(http.StatusUnauthorized, msg+".")
	}
	id, err := s.oidc.Exchange(ctx, flow.OIDCRequest, q.Get("state"), q.Get("code"))
	if accord.ErrorCode(err) == accord.EUNAUTHORIZED {
		s.log.WarnContext(ctx, "OpenID Connect sign-in refused", "error", err.Error())
		return refuse(http.StatusUnauthorized, accord.ErrorMessage(err))
	}
	if err != nil {
		return s.providerDown(w, r, flow.Next, err)
	}
	u, err := s.oidcUser(r, id)
	switch accord.ErrorCode(err) {
	case "":
	case accord.ENOTFOUND:
		s.log.InfoContext(ctx, "OpenID Connect sign-in with no account", "issuer", id.Issuer, "subject", id.Subject)
		return refuse(http.StatusForbidden, msgNoAccount)
	default:
		return err
	}
	if u.Disabled {
		return refuse(http.StatusForbidden, msgDisabled)
	}
	if err := s.startSession(w, r, u); err != nil {
		return err
	}
	s.log.InfoContext(ctx, "signed in", "user", u.ID, "method", "oidc")
	http.Redirect(w, r, localPath(flow.Next), http.StatusSeeOther)
	return nil
}

// providerDown answers when the identity provider cannot be reached or
// answers nonsense: our problem, not the person's, and password sign-in
// still works.
func (s *Server) providerDown(w http.ResponseWriter, r *http.Request, next string, err error) error {
	s.log.ErrorContext(r.Context(), "OpenID Connect provider", "error", err.Error())
	return s.renderSignIn(w, r, http.StatusBadGateway, &signInView{Next: next, Errors: []accord.FieldError{{
		Message: "The NHS identity service is not answering. Try again later, or sign in with your email address and password."}}})
}

// oidcUser finds the account an identity signs in as: the one linked to
// it, else the one with its email if the provider has verified that email,
// which is then linked so later changes of email do not matter. Nobody
// else gets in: accounts, and the grants that say what people may do, are
// made only by administrators.
func (s *Server) oidcUser(r *http.Request, id auth.Identity) (accord.User, error) {
	ctx := r.Context()
	u, err := s.store.FindUserByIdentity(ctx, id.Issuer, id.Subject)
	if accord.ErrorCode(err) != accord.ENOTFOUND {
		return u, err
	}
	if !id.EmailVerified || id.Email == "" {
		return accord.User{}, accord.Errorf(accord.ENOTFOUND, "no account is linked to that identity, and it has no verified email")
	}
	u, _, err = s.store.FindUserByEmail(ctx, id.Email)
	if err != nil {
		return accord.User{}, err
	}
	if u.Disabled {
		return u, nil // refused by the caller; no link for an account that cannot sign in
	}
	switch err := s.store.LinkIdentity(ctx, id.Issuer, id.Subject, u.ID); accord.ErrorCode(err) {
	case "":
	case accord.ECONFLICT:
		// The account already belongs to another identity at this provider:
		// the email has passed to someone else.
		return accord.User{}, accord.Errorf(accord.ENOTFOUND, "the account with that email is linked to another identity")
	default:
		return accord.User{}, err
	}
	s.log.InfoContext(ctx, "linked OpenID Connect identity", "user", u.ID, "issuer", id.Issuer, "subject", id.Subject)
	return u, nil
}
