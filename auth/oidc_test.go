package auth

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/nhs-accord/accord"
	"github.com/nhs-accord/accord/auth/oidctest"
)

const (
	testClientID     = "accord-test"
	testClientSecret = "s3cret-for-tests"
	testRedirect     = "https://accord.test/sign-in/oidc/callback"
)

func newRelyingParty(t *testing.T) (*OIDC, *oidctest.Provider) {
	t.Helper()
	idp := oidctest.New(t, testClientID, testClientSecret)
	o, err := NewOIDC(OIDCConfig{Issuer: idp.URL, ClientID: testClientID, ClientSecret: testClientSecret, RedirectURL: testRedirect}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return o, idp
}

// authorize starts a sign-in and follows the browser to the provider,
// returning the request to keep and the code and state the provider sent
// back to the redirect URL.
func authorize(t *testing.T, o *OIDC) (req OIDCRequest, code, state string) {
	t.Helper()
	ctx := context.Background()
	to, req, err := o.AuthCodeURL(ctx)
	if err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(to)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	if q.Get("code_challenge_method") != "S256" || q.Get("code_challenge") == "" || q.Get("nonce") != req.Nonce ||
		q.Get("state") != req.State || q.Get("redirect_uri") != testRedirect || !strings.Contains(q.Get("scope"), "openid") {
		t.Fatalf("authorization URL lacks what the flow needs: %s", to)
	}
	if strings.Contains(to, req.Verifier) {
		t.Fatal("the PKCE verifier must never leave in the authorization URL")
	}
	browser := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := browser.Get(to)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	back, err := url.Parse(res.Header.Get("Location"))
	if res.StatusCode != http.StatusFound || err != nil || !strings.HasPrefix(back.String(), testRedirect+"?") {
		t.Fatalf("provider answered %d, Location %q", res.StatusCode, res.Header.Get("Location"))
	}
	return req, back.Query().Get("code"), back.Query().Get("state")
}

func wantRefused(t *testing.T, err error, want string) {
	t.Helper()
	if accord.ErrorCode(err) != accord.EUNAUTHORIZED {
		t.Fatalf("got %v (code %q), want EUNAUTHORIZED", err, accord.ErrorCode(err))
	}
	if msg := accord.ErrorMessage(err); !strings.Contains(msg, want) || !strings.HasPrefix(msg, "Signing in with your NHS identity did not work: ") {
		t.Errorf("message %q does not say %q", msg, want)
	}
}

func TestOIDCHappyPath(t *testing.T) {
	o, idp := newRelyingParty(t)
	idp.SignInAs(oidctest.Login{Subject: "9990001", Email: "Ann.Smith@nhs.net", EmailVerified: true, Name: "Ann Smith"})
	req, code, state := authorize(t, o)
	id, err := o.Exchange(context.Background(), req, state, code)
	if err != nil {
		t.Fatal(err)
	}
	want := Identity{Issuer: idp.URL, Subject: "9990001", Email: "Ann.Smith@nhs.net", EmailVerified: true, Name: "Ann Smith"}
	if id != want {
		t.Errorf("identity:\n got %+v\nwant %+v", id, want)
	}
	if o.Issuer() != idp.URL {
		t.Errorf("issuer %q", o.Issuer())
	}
	// A code is good once.
	_, err = o.Exchange(context.Background(), req, state, code)
	wantRefused(t, err, "would not redeem the sign-in (invalid_grant)")
}

func TestOIDCEachRequestIsFresh(t *testing.T) {
	o, _ := newRelyingParty(t)
	_, a, err := o.AuthCodeURL(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	_, b, err := o.AuthCodeURL(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if a.State == b.State || a.Nonce == b.Nonce || a.Verifier == b.Verifier || len(a.State) < 20 || len(a.Verifier) < 43 {
		t.Errorf("requests repeat or are short: %+v %+v", a, b)
	}
}

func TestOIDCRefusals(t *testing.T) {
	otherKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	base := oidctest.Login{Subject: "9990001", Email: "ann@nhs.net", EmailVerified: true}
	cases := []struct {
		name  string
		login func(l oidctest.Login) oidctest.Login
		spoil func(req *OIDCRequest, code, state *string)
		want  string
	}{
		{"wrong nonce", func(l oidctest.Login) oidctest.Login { l.Nonce = "replayed-nonce"; return l }, nil,
			"its nonce does not match"},
		{"wrong audience", func(l oidctest.Login) oidctest.Login { l.Audience = []string{"someone-else"}; return l }, nil,
			`expected audience "accord-test"`},
		{"expired", func(l oidctest.Login) oidctest.Login { l.Expiry = time.Now().Add(-time.Minute); return l }, nil,
			"the ID token expired at"},
		{"another issuer", func(l oidctest.Login) oidctest.Login { l.Issuer = "https://evil.example"; return l }, nil,
			"issued by a different provider"},
		{"signed with another key", func(l oidctest.Login) oidctest.Login { l.SignWith = otherKey; return l }, nil,
			"could not be verified"},
		{"several audiences, not issued to us", func(l oidctest.Login) oidctest.Login {
			l.Audience = []string{testClientID, "someone-else"}
			return l
		}, nil, "was issued to \"\", not to Accord"},
		{"state from another sign-in", nil, func(_ *OIDCRequest, _, state *string) { *state = "forged" },
			"the answer is for a different sign-in"},
		{"no sign-in in progress", nil, func(req *OIDCRequest, _, _ *string) { *req = OIDCRequest{} },
			"no sign-in in progress"},
		{"PKCE verifier not ours", nil, func(req *OIDCRequest, _, _ *string) { req.Verifier = strings.Repeat("x", 43) },
			"would not redeem the sign-in (invalid_grant)"},
		{"no code", nil, func(_ *OIDCRequest, code, _ *string) { *code = "" },
			"sent no authorization code"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			o, idp := newRelyingParty(t)
			l := base
			if c.login != nil {
				l = c.login(l)
			}
			idp.SignInAs(l)
			req, code, state := authorize(t, o)
			if c.spoil != nil {
				c.spoil(&req, &code, &state)
			}
			id, err := o.Exchange(context.Background(), req, state, code)
			if err == nil {
				t.Fatalf("accepted %+v", id)
			}
			wantRefused(t, err, c.want)
		})
	}
}

func TestOIDCClock(t *testing.T) {
	o, idp := newRelyingParty(t)
	idp.SignInAs(oidctest.Login{Subject: "1", Expiry: time.Now().Add(10 * time.Minute)})
	o.SetClock(func() time.Time { return time.Now().Add(time.Hour) })
	req, code, state := authorize(t, o)
	_, err := o.Exchange(context.Background(), req, state, code)
	wantRefused(t, err, "expired")
}

func TestOIDCProviderUnreachable(t *testing.T) {
	o, err := NewOIDC(OIDCConfig{Issuer: "http://127.0.0.1:1", ClientID: "a", ClientSecret: "b", RedirectURL: testRedirect}, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = o.AuthCodeURL(context.Background())
	if err == nil || accord.ErrorCode(err) != accord.EINTERNAL || !strings.Contains(err.Error(), "OpenID Connect provider http://127.0.0.1:1") {
		t.Errorf("got %v, want an internal error naming the provider", err)
	}
}

func TestOIDCConfig(t *testing.T) {
	if (OIDCConfig{}).Enabled() || (OIDCConfig{}).Validate() != nil {
		t.Error("an empty config is off and valid")
	}
	if _, err := NewOIDC(OIDCConfig{}, nil); accord.ErrorCode(err) != accord.EINVALID {
		t.Errorf("NewOIDC with nothing configured: %v", err)
	}
	err := OIDCConfig{Issuer: "login.nhs.uk", RedirectURL: "/callback"}.Validate()
	var e *accord.Error
	if accord.ErrorCode(err) != accord.EINVALID || !asAccordError(err, &e) {
		t.Fatalf("got %v", err)
	}
	got := map[string]string{}
	for _, f := range e.Fields {
		got[f.Field] += f.Message
	}
	for field, want := range map[string]string{
		"client ID":     "is required when any OpenID Connect setting is given",
		"client secret": "is required",
		"issuer":        `"login.nhs.uk" is not an absolute http or https URL`,
		"redirect URL":  `"/callback" is not an absolute`,
	} {
		if !strings.Contains(got[field], want) {
			t.Errorf("%s: %q, want %q", field, got[field], want)
		}
	}
}

func TestVerifiedFlag(t *testing.T) {
	for raw, want := range map[string]bool{`true`: true, `false`: false, `"true"`: true, `"TRUE"`: true, `"false"`: false, `1`: false, ``: false} {
		if got := verifiedFlag(json.RawMessage(raw)); got != want {
			t.Errorf("%s: %v, want %v", raw, got, want)
		}
	}
}

func asAccordError(err error, target **accord.Error) bool {
	e, ok := err.(*accord.Error)
	if ok {
		*target = e
	}
	return ok
}
