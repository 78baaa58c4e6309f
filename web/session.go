package web

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"

	"github.com/nhs-accord/accord"
	"github.com/nhs-accord/accord/auth"
)

// Cookie names. With Secure cookies the __Host- prefix makes browsers
// refuse a cookie that is not Secure, has a Domain, or has a Path other
// than /, so a neighbouring subdomain cannot plant one. Browsers only
// accept the prefix over HTTPS, so plain HTTP (local use) drops it.
const (
	sessionCookie = "accord_session" // the session's random value; the store keeps only its hash
	signInCookie  = "accord_sign_in" // the sign-in form's own CSRF token, before there is a session
	oidcCookie    = "accord_oidc"    // an OpenID Connect sign-in between redirect and callback
)

func (s *Server) cookieName(base string) string {
	if s.secureCookies {
		return "__Host-" + base
	}
	return base
}

// cookie is one of our cookies as every one of them is set: whole site,
// out of reach of scripts, not sent on cross-site subrequests.
func (s *Server) cookie(base, value string, maxAge int) *http.Cookie {
	return &http.Cookie{
		Name:     s.cookieName(base),
		Value:    value,
		Path:     "/",
		MaxAge:   maxAge,
		HttpOnly: true,
		Secure:   s.secureCookies,
		SameSite: http.SameSiteLaxMode,
	}
}

// clearCookie tells the browser to forget one of our cookies.
func (s *Server) clearCookie(w http.ResponseWriter, base string) {
	http.SetCookie(w, s.cookie(base, "", -1))
}

// sessionID is the store's name for a session: the SHA-256 of the value
// only the browser holds.
func sessionID(cookieValue string) string {
	sum := sha256.Sum256([]byte(cookieValue))
	return hex.EncodeToString(sum[:])
}

// requestAuth is who a request comes from, worked out once by authenticate.
type requestAuth struct {
	user    *accord.User
	session *accord.Session // nil when signed in by API token or not at all
	bearer  bool            // signed in by API token: no cookie, so no CSRF to fear
	ended   bool            // a session cookie came, but its session has ended
	back    string          // where sign-in should return to: this page, if it can be fetched again
}

type authKey struct{}

// authOf returns what authenticate found; never nil.
func authOf(r *http.Request) *requestAuth {
	if a, ok := r.Context().Value(authKey{}).(*requestAuth); ok {
		return a
	}
	return &requestAuth{}
}

// currentUser is the signed-in user, with their grants, or nil when the
// request is anonymous.
func (s *Server) currentUser(r *http.Request) *accord.User {
	return authOf(r).user
}

// requireUser returns the signed-in user or an EUNAUTHORIZED error, which
// sends a page to the sign-in page (and back after) and answers the API
// with a 401.
func (s *Server) requireUser(r *http.Request) (*accord.User, error) {
	if u := s.currentUser(r); u != nil {
		return u, nil
	}
	return nil, errSignIn(r)
}

// errSignIn says why a request needs a sign-in it does not have.
func errSignIn(r *http.Request) error {
	switch {
	case authOf(r).ended:
		return accord.Errorf(accord.EUNAUTHORIZED, "Your session has ended; sign in again.")
	case isAPI(r):
		return accord.Errorf(accord.EUNAUTHORIZED, "%s needs you to sign in: send an API token in the header \"Authorization: Bearer <token>\".", r.URL.Path)
	}
	return accord.Errorf(accord.EUNAUTHORIZED, "You need to sign in to use this page.")
}

// unauthenticated paths answer without looking anyone up: probes and
// static files must stay cheap and never touch the sessions table.
func unauthenticated(path string) bool {
	return path == "/healthz" || path == "/readyz" || strings.HasPrefix(path, "/static/")
}

// authenticate works out who sent the request: an API token (API only) or
// a session cookie. It then refuses state-changing requests that fail the
// CSRF checks, before any handler sees them.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if unauthenticated(r.URL.Path) {
			next.ServeHTTP(w, r)
			return
		}
		a := &requestAuth{}
		if r.Method == http.MethodGet {
			a.back = localPath(r.URL.RequestURI())
		}
		r = r.WithContext(context.WithValue(r.Context(), authKey{}, a))
		if err := s.identify(w, r, a); err != nil {
			s.writeError(w, r, err)
			return
		}
		if a.user != nil {
			// Pages now carry the user's name and CSRF token: no cache may
			// keep them.
			w.Header().Set("Cache-Control", "no-store")
		}
		cleanup, err := s.checkCSRF(w, r, a)
		if cleanup != nil {
			defer cleanup()
		}
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		next.ServeHTTP(&authWriter{ResponseWriter: w, auth: a}, r)
	})
}

// identify fills a from the request's API token or session cookie.
func (s *Server) identify(w http.ResponseWriter, r *http.Request, a *requestAuth) error {
	ctx := r.Context()
	// Tokens are for the API: a page cannot be reached with one, so a token
	// pasted into some other tool's request never acts on the site's forms.
	if h := r.Header.Get("Authorization"); h != "" && isAPI(r) {
		scheme, token, _ := strings.Cut(h, " ")
		token = strings.TrimSpace(token)
		if !strings.EqualFold(scheme, "Bearer") || token == "" {
			return accord.Errorf(accord.EUNAUTHORIZED, "The Authorization header must be \"Bearer\" followed by an API token.")
		}
		u, err := s.store.FindUserByToken(ctx, auth.HashToken(token))
		if accord.ErrorCode(err) == accord.ENOTFOUND {
			return accord.Errorf(accord.EUNAUTHORIZED, "The API token is not known, has been revoked, or belongs to a disabled user: ask for a new one.")
		}
		if err != nil {
			return err
		}
		a.user, a.bearer = &u, true
		return nil
	}
	c, err := r.Cookie(s.cookieName(sessionCookie))
	if err != nil || c.Value == "" {
		return nil
	}
	sess, u, err := s.store.FindSession(ctx, sessionID(c.Value), s.now())
	switch accord.ErrorCode(err) {
	case "":
		a.user, a.session = &u, &sess
	case accord.EUNAUTHORIZED, accord.ENOTFOUND:
		// The request goes on anonymously; only what needs a sign-in says
		// the session ended.
		a.ended = true
		s.clearCookie(w, sessionCookie)
	default:
		return err
	}
	return nil
}

// writeError answers in the request's surface shape.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	if isAPI(r) {
		s.writeAPIError(w, r, err)
	} else {
		s.writePageError(w, r, err)
	}
}

// startSession signs u in on this browser: always a new session (so a
// session value planted before sign-in is worthless after it), replacing
// any the browser had.
func (s *Server) startSession(w http.ResponseWriter, r *http.Request, u accord.User) error {
	ctx := r.Context()
	if c, err := r.Cookie(s.cookieName(sessionCookie)); err == nil && c.Value != "" {
		if err := s.store.DeleteSession(ctx, sessionID(c.Value)); err != nil {
			return err
		}
	}
	value := rand.Text() + rand.Text() // 256 bits
	sess := accord.Session{ID: sessionID(value), UserID: u.ID, CSRFToken: rand.Text() + rand.Text(), CreatedAt: s.now()}
	if err := s.store.CreateSession(ctx, &sess); err != nil {
		return err
	}
	// No Max-Age: the cookie goes when the browser closes, and the store
	// ends the session sooner if it idles or reaches its twelve hours.
	http.SetCookie(w, s.cookie(sessionCookie, value, 0))
	w.Header().Set("Cache-Control", "no-store")
	return nil
}

// endSession signs the browser out: the session is deleted, so the cookie
// is worthless even if the browser keeps it.
func (s *Server) endSession(w http.ResponseWriter, r *http.Request) error {
	if c, err := r.Cookie(s.cookieName(sessionCookie)); err == nil && c.Value != "" {
		if err := s.store.DeleteSession(r.Context(), sessionID(c.Value)); err != nil {
			return err
		}
	}
	s.clearCookie(w, sessionCookie)
	return nil
}

// authWriter carries the request's sign-in to render, which has the
// ResponseWriter but not the request, so every page's header shows who is
// signed in without each handler passing it on.
type authWriter struct {
	http.ResponseWriter
	auth *requestAuth
}

// Unwrap lets http.ResponseController reach the connection underneath.
func (w *authWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// authFromWriter finds the sign-in authenticate attached to w, looking
// through any wrappers added since.
func authFromWriter(w http.ResponseWriter) *requestAuth {
	for w != nil {
		if aw, ok := w.(*authWriter); ok {
			return aw.auth
		}
		u, ok := w.(interface{ Unwrap() http.ResponseWriter })
		if !ok {
			return nil
		}
		w = u.Unwrap()
	}
	return nil
}

// viewer is what every page knows of who is looking at it.
type viewer struct {
	User      *accord.User // nil: nobody is signed in
	CSRFToken string       // the session's; "" when nobody is signed in
	Back      string       // this page's address, for "Sign in" to return to
}

func viewerOf(a *requestAuth) viewer {
	if a == nil {
		return viewer{}
	}
	if a.user == nil {
		return viewer{Back: a.back}
	}
	v := viewer{User: a.user, Back: a.back}
	if a.session != nil {
		v.CSRFToken = a.session.CSRFToken
	}
	return v
}
