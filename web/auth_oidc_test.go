package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/nhs-accord/accord"
	"github.com/nhs-accord/accord/auth"
	"github.com/nhs-accord/accord/auth/oidctest"
)

const oidcClientID = "accord-web-test"

// newOIDCEnv is a server offering sign-in through an in-process provider.
// Test requests go to example.com, httptest's host, so that is where the
// provider sends browsers back to.
func newOIDCEnv(t *testing.T) (*testEnv, *oidctest.Provider) {
	t.Helper()
	idp := oidctest.New(t, oidcClientID, "web-test-secret")
	e := newTestEnv(t, Config{OIDC: auth.OIDCConfig{
		Issuer: idp.URL, ClientID: oidcClientID, ClientSecret: "web-test-secret",
		RedirectURL: "http://example.com/sign-in/oidc/callback",
	}})
	return e, idp
}

// oidcSignIn goes through the whole flow as a browser does: to Accord,
// off to the provider, and back to Accord's callback, whose answer it
// returns.
func (b *browser) oidcSignIn(next string) (*http.Response, string) {
	b.t.Helper()
	res, page := b.get("/sign-in/oidc?next=" + url.QueryEscape(next))
	if res.StatusCode != http.StatusFound {
		b.t.Fatalf("GET /sign-in/oidc: %d\n%s", res.StatusCode, page)
	}
	flow := cookieNamed(res, "accord_oidc")
	if flow == nil || !flow.HttpOnly || flow.MaxAge != 600 || flow.SameSite != http.SameSiteLaxMode || flow.Path != "/" {
		b.t.Errorf("flow cookie: %+v", flow)
	}
	atProvider := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	pres, err := atProvider.Get(res.Header.Get("Location"))
	if err != nil {
		b.t.Fatal(err)
	}
	pres.Body.Close()
	back, err := url.Parse(pres.Header.Get("Location"))
	if pres.StatusCode != http.StatusFound || err != nil || back.Path != "/sign-in/oidc/callback" {
		b.t.Fatalf("provider: %d %q", pres.StatusCode, pres.Header.Get("Location"))
	}
	res, page = b.get(back.RequestURI())
	if c := cookieNamed(res, "accord_oidc"); c == nil || c.MaxAge >= 0 {
		b.t.Errorf("the flow cookie was not cleared at the callback: %+v", c)
	}
	return res, page
}

func TestOIDCSignIn(t *testing.T) {
	e, idp := newOIDCEnv(t)
	ctx := context.Background()
	ann := e.addUser(t, "ann@nhs.net", "Ann Lead", accord.Grant{Role: accord.RoleICBLead, OrgCode: "QUE"})
	b := e.browser(t)

	_, page := b.get("/sign-in?next=/priorities")
	if !strings.Contains(page, `<a class="nhsuk-button nhsuk-button--secondary" href="/sign-in/oidc?next=%2fpriorities">Sign in with NHS identity</a>`) {
		t.Errorf("the sign-in page does not offer the NHS identity:\n%s", page)
	}

	// First time: matched by the verified email, then linked.
	idp.SignInAs(oidctest.Login{Subject: "nhs-0001", Email: "ANN@nhs.net", EmailVerified: true, Name: "Ann"})
	res, page := b.oidcSignIn("/priorities")
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/priorities" {
		t.Fatalf("first sign-in: %d %v\n%s", res.StatusCode, res.Header, page)
	}
	if cookieNamed(res, "accord_session") == nil {
		t.Fatal("no session")
	}
	if _, page := b.get("/indicators"); !strings.Contains(page, `<li class="nhsuk-header__account-item">Ann Lead</li>`) {
		t.Error("not signed in as Ann")
	}
	if u, err := e.store.FindUserByIdentity(ctx, idp.URL, "nhs-0001"); err != nil || u.ID != ann.ID {
		t.Errorf("identity not linked: %+v %v", u, err)
	}

	// Later the provider has a new email for her: the link still finds her.
	b2 := e.browser(t)
	idp.SignInAs(oidctest.Login{Subject: "nhs-0001", Email: "ann.married@nhs.net", EmailVerified: true})
	if res, page := b2.oidcSignIn(""); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/" {
		t.Errorf("linked sign-in: %d %v\n%s", res.StatusCode, res.Header, page)
	}
	// Someone else the provider gives her old email to does not get in.
	idp.SignInAs(oidctest.Login{Subject: "nhs-0002", Email: "ann@nhs.net", EmailVerified: true})
	if res, page := e.browser(t).oidcSignIn(""); res.StatusCode != http.StatusForbidden || !strings.Contains(page, msgNoAccount) {
		t.Errorf("reused email: %d\n%s", res.StatusCode, page)
	}
	if n := idp.IDTokensIssued(); n != 3 {
		t.Errorf("%d ID tokens issued, want 3", n)
	}
}

func TestOIDCRefused(t *testing.T) {
	e, idp := newOIDCEnv(t)
	e.addUser(t, "ann@nhs.net", "Ann")
	e.addUser(t, "gone@nhs.net", "Gone")
	if err := e.store.DisableUser(context.Background(), "gone@nhs.net"); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name   string
		login  oidctest.Login
		status int
		want   string
	}{
		{"unknown person", oidctest.Login{Subject: "x1", Email: "stranger@nhs.net", EmailVerified: true},
			http.StatusForbidden, "There is no Accord account for you yet. Ask your ICB administrator to add you."},
		{"email not verified", oidctest.Login{Subject: "x2", Email: "ann@nhs.net"},
			http.StatusForbidden, msgNoAccount},
		{"disabled user", oidctest.Login{Subject: "x3", Email: "gone@nhs.net", EmailVerified: true},
			http.StatusForbidden, msgDisabled},
		{"wrong nonce", oidctest.Login{Subject: "x4", Email: "ann@nhs.net", EmailVerified: true, Nonce: "someone-elses"},
			http.StatusUnauthorized, "its nonce does not match"},
		{"wrong audience", oidctest.Login{Subject: "x5", Email: "ann@nhs.net", EmailVerified: true, Audience: []string{"another-app"}},
			http.StatusUnauthorized, "could not be verified"},
		{"expired token", oidctest.Login{Subject: "x6", Email: "ann@nhs.net", EmailVerified: true, Expiry: time.Now().Add(-time.Minute)},
			http.StatusUnauthorized, "the ID token expired at"},
	} {
		t.Run(c.name, func(t *testing.T) {
			idp.SignInAs(c.login)
			b := e.browser(t)
			res, page := b.oidcSignIn("/indicators")
			if res.StatusCode != c.status || !strings.Contains(page, c.want) || cookieNamed(res, "accord_session") != nil {
				t.Errorf("%d, want %d saying %q\n%s", res.StatusCode, c.status, c.want, page)
			}
			if !strings.Contains(page, `<h2 class="nhsuk-error-summary__title">There is a problem</h2>`) || !strings.Contains(page, `name="next" value="/indicators"`) {
				t.Errorf("not the sign-in page with the problem:\n%s", page)
			}
		})
	}
	// Nobody was created, whatever the provider said.
	if _, _, err := e.store.FindUserByEmail(context.Background(), "stranger@nhs.net"); accord.ErrorCode(err) != accord.ENOTFOUND {
		t.Errorf("an account was made for a stranger: %v", err)
	}
	if _, err := e.store.FindUserByIdentity(context.Background(), idp.URL, "x2"); accord.ErrorCode(err) != accord.ENOTFOUND {
		t.Errorf("an unverified email was linked: %v", err)
	}
}

func TestOIDCCallbackChecks(t *testing.T) {
	e, idp := newOIDCEnv(t)
	e.addUser(t, "ann@nhs.net", "Ann")
	idp.SignInAs(oidctest.Login{Subject: "s", Email: "ann@nhs.net", EmailVerified: true})

	// A callback this browser did not start (another site sending someone
	// back with the attacker's code) is refused.
	b := e.browser(t)
	res, page := b.get("/sign-in/oidc/callback?code=abc&state=def")
	if res.StatusCode != http.StatusUnauthorized || !strings.Contains(page, "no sign-in in progress") || cookieNamed(res, "accord_session") != nil {
		t.Errorf("callback without a flow: %d\n%s", res.StatusCode, page)
	}
	// A state that is not the browser's.
	b.get("/sign-in/oidc")
	res, page = b.get("/sign-in/oidc/callback?code=abc&state=def")
	if res.StatusCode != http.StatusUnauthorized || !strings.Contains(page, "the answer is for a different sign-in") {
		t.Errorf("wrong state: %d\n%s", res.StatusCode, page)
	}
	// The person cancelled at the provider.
	b.get("/sign-in/oidc")
	res, page = b.get("/sign-in/oidc/callback?error=access_denied&error_description=The+user+cancelled")
	if res.StatusCode != http.StatusUnauthorized || !strings.Contains(page, `the identity service said &#34;access_denied&#34; (The user cancelled).`) {
		t.Errorf("provider error: %d\n%s", res.StatusCode, page)
	}
}

func TestOIDCNotConfigured(t *testing.T) {
	e := newTestEnv(t, Config{})
	for _, path := range []string{"/sign-in/oidc", "/sign-in/oidc/callback?code=x&state=y"} {
		if res := e.do(t, http.MethodGet, path); res.StatusCode != http.StatusNotFound || !strings.Contains(body(t, res), "<h1>Page not found</h1>") {
			t.Errorf("%s: %d", path, res.StatusCode)
		}
	}
	if _, err := New(Config{Store: e.store, OIDC: auth.OIDCConfig{Issuer: "https://login.example"}}); err == nil ||
		!strings.Contains(accord.ErrorMessage(err), "OpenID Connect settings") {
		t.Errorf("half a configuration: %v", err)
	}
}

func TestOIDCProviderDown(t *testing.T) {
	e := newTestEnv(t, Config{OIDC: auth.OIDCConfig{Issuer: "http://127.0.0.1:1", ClientID: "a", ClientSecret: "b",
		RedirectURL: "http://example.com/sign-in/oidc/callback"}})
	res, page := e.browser(t).get("/sign-in/oidc?next=/priorities")
	if res.StatusCode != http.StatusBadGateway || !strings.Contains(page, "The NHS identity service is not answering.") ||
		!strings.Contains(page, `name="next" value="/priorities"`) {
		t.Errorf("%d\n%s", res.StatusCode, page)
	}
	if !strings.Contains(e.log.String(), "OpenID Connect provider http://127.0.0.1:1") {
		t.Errorf("the cause is not logged:\n%s", e.log.String())
	}
}
