package auth

// Signing in through an OpenID Connect provider (the NHS's identity service,
// or an ICB's own). The protocol's checks are left to two well-kept
// libraries rather than written here: github.com/coreos/go-oidc/v3 finds
// the provider's endpoints and keys and verifies ID tokens (signature,
// issuer, audience, expiry), and golang.org/x/oauth2 runs the authorization
// code exchange with PKCE. What is ours: the state, nonce and PKCE verifier
// a sign-in keeps between the redirect and the callback, and the claims we
// read.

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/nhs-accord/accord"
)

// OIDCConfig names the provider and how Accord is registered with it. All
// four fields are set or none is: with none, OpenID Connect is off.
type OIDCConfig struct {
	Issuer       string // https://… exactly as the provider's discovery document states it
	ClientID     string
	ClientSecret string
	RedirectURL  string // Accord's callback: https://accord.example.nhs.uk/sign-in/oidc/callback
}

// Enabled reports whether any of the settings is given; Validate then
// insists on all of them.
func (c OIDCConfig) Enabled() bool {
	return c.Issuer != "" || c.ClientID != "" || c.ClientSecret != "" || c.RedirectURL != ""
}

// Validate checks that the settings are complete and the URLs absolute.
func (c OIDCConfig) Validate() error {
	if !c.Enabled() {
		return nil
	}
	var p accord.Problems
	for _, f := range []struct{ name, value string }{
		{"issuer", c.Issuer}, {"client ID", c.ClientID}, {"client secret", c.ClientSecret}, {"redirect URL", c.RedirectURL},
	} {
		if strings.TrimSpace(f.value) == "" {
			p.Add(f.name, "is required when any OpenID Connect setting is given")
		}
	}
	for _, f := range []struct{ name, value string }{{"issuer", c.Issuer}, {"redirect URL", c.RedirectURL}} {
		if f.value == "" {
			continue
		}
		u, err := url.Parse(f.value)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			p.Add(f.name, "%q is not an absolute http or https URL", f.value)
		}
	}
	return p.Err("OpenID Connect settings")
}

// Identity is who the provider says signed in. Issuer and Subject together
// name the person for good; Email may change and is only to be trusted
// when EmailVerified.
type Identity struct {
	Issuer        string
	Subject       string
	Email         string
	EmailVerified bool
	Name          string
}

// OIDCRequest is what one sign-in keeps between sending the browser to the
// provider and the provider sending it back: it must come back unchanged
// (the web layer keeps it in a short-lived cookie), and none of it may be
// reused.
type OIDCRequest struct {
	State    string `json:"state"`    // ties the callback to this browser's request (CSRF)
	Nonce    string `json:"nonce"`    // ties the ID token to this request (replay)
	Verifier string `json:"verifier"` // PKCE: only we can redeem the code
}

// OIDC is a relying party for one provider. It finds the provider's
// endpoints on first use rather than at start, so Accord starts (and
// password sign-in works) while the provider is unreachable.
type OIDC struct {
	cfg    OIDCConfig
	client *http.Client
	now    func() time.Time

	mu       sync.Mutex
	provider *oidc.Provider
	verifier *oidc.IDTokenVerifier
}

// NewOIDC prepares a relying party; client is the HTTP client for talking
// to the provider (nil: one with a ten-second timeout).
func NewOIDC(cfg OIDCConfig, client *http.Client) (*OIDC, error) {
	if !cfg.Enabled() {
		return nil, accord.Errorf(accord.EINVALID, "OpenID Connect is not configured")
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if client == nil {
		client = &http.Client{Timeout: 10 * time.Second}
	}
	return &OIDC{cfg: cfg, client: client, now: time.Now}, nil
}

// Issuer is the provider's issuer URL, the first half of every Identity's
// name.
func (o *OIDC) Issuer() string { return o.cfg.Issuer }

// SetClock replaces the clock ID token expiry is judged by; for tests.
func (o *OIDC) SetClock(now func() time.Time) { o.now = now }

// discover returns the provider, fetching its discovery document on the
// first call that succeeds.
func (o *OIDC) discover(ctx context.Context) (*oidc.Provider, *oidc.IDTokenVerifier, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.provider != nil {
		return o.provider, o.verifier, nil
	}
	p, err := oidc.NewProvider(oidc.ClientContext(ctx, o.client), o.cfg.Issuer)
	if err != nil {
		return nil, nil, fmt.Errorf("OpenID Connect provider %s: %w", o.cfg.Issuer, err)
	}
	o.provider = p
	o.verifier = p.Verifier(&oidc.Config{ClientID: o.cfg.ClientID, Now: func() time.Time { return o.now() }})
	return o.provider, o.verifier, nil
}

func (o *OIDC) oauth2Config(p *oidc.Provider) *oauth2.Config {
	return &oauth2.Config{
		ClientID:     o.cfg.ClientID,
		ClientSecret: o.cfg.ClientSecret,
		RedirectURL:  o.cfg.RedirectURL,
		Endpoint:     p.Endpoint(),
		Scopes:       []string{oidc.ScopeOpenID, "email", "profile"},
	}
}

// AuthCodeURL starts a sign-in: it returns where to send the browser and
// the request to keep until the callback.
func (o *OIDC) AuthCodeURL(ctx context.Context) (string, OIDCRequest, error) {
	p, _, err := o.discover(ctx)
	if err != nil {
		return "", OIDCRequest{}, err
	}
	req := OIDCRequest{State: rand.Text(), Nonce: rand.Text(), Verifier: oauth2.GenerateVerifier()}
	u := o.oauth2Config(p).AuthCodeURL(req.State, oidc.Nonce(req.Nonce), oauth2.S256ChallengeOption(req.Verifier))
	return u, req, nil
}

// signInRefused is the error for every answer from the provider that does
// not prove who signed in.
func signInRefused(format string, args ...any) error {
	return accord.Errorf(accord.EUNAUTHORIZED, "Signing in with your NHS identity did not work: "+format, args...)
}

// Exchange finishes a sign-in: it checks the state the provider sent back
// against the request, redeems the code (with the PKCE verifier), verifies
// the ID token and its nonce, and returns the identity. Anything that does
// not check out is EUNAUTHORIZED, saying what.
func (o *OIDC) Exchange(ctx context.Context, req OIDCRequest, state, code string) (Identity, error) {
	if req.State == "" || req.Nonce == "" || req.Verifier == "" {
		return Identity{}, signInRefused("this browser has no sign-in in progress (it may have taken too long); start again")
	}
	if subtle.ConstantTimeCompare([]byte(state), []byte(req.State)) != 1 {
		return Identity{}, signInRefused("the answer is for a different sign-in; start again")
	}
	if code == "" {
		return Identity{}, signInRefused("the identity service sent no authorization code")
	}
	p, verifier, err := o.discover(ctx)
	if err != nil {
		return Identity{}, err
	}
	tok, err := o.oauth2Config(p).Exchange(context.WithValue(ctx, oauth2.HTTPClient, o.client), code, oauth2.VerifierOption(req.Verifier))
	if err != nil {
		var re *oauth2.RetrieveError
		if errors.As(err, &re) { // the provider refused the code: expired, used, or not ours
			return Identity{}, signInRefused("the identity service would not redeem the sign-in (%s); start again", re.ErrorCode)
		}
		return Identity{}, fmt.Errorf("OpenID Connect token exchange: %w", err)
	}
	raw, ok := tok.Extra("id_token").(string)
	if !ok || raw == "" {
		return Identity{}, signInRefused("the identity service sent no ID token")
	}
	idt, err := verifier.Verify(oidc.ClientContext(ctx, o.client), raw)
	if err != nil {
		var exp *oidc.TokenExpiredError
		if errors.As(err, &exp) {
			return Identity{}, signInRefused("the ID token expired at %s; start again", exp.Expiry.UTC().Format(time.RFC3339))
		}
		return Identity{}, signInRefused("the ID token could not be verified (%v)", err)
	}
	// go-oidc leaves the nonce to us.
	if subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(req.Nonce)) != 1 {
		return Identity{}, signInRefused("the ID token is not for this sign-in (its nonce does not match)")
	}
	var claims struct {
		Email         string          `json:"email"`
		EmailVerified json.RawMessage `json:"email_verified"`
		Name          string          `json:"name"`
		AZP           string          `json:"azp"`
	}
	if err := idt.Claims(&claims); err != nil {
		return Identity{}, signInRefused("the ID token's claims could not be read (%v)", err)
	}
	// OpenID Connect Core 3.1.3.7: with several audiences, the token must
	// have been issued to us.
	if len(idt.Audience) > 1 && claims.AZP != o.cfg.ClientID {
		return Identity{}, signInRefused("the ID token was issued to %q, not to Accord", claims.AZP)
	}
	if idt.Subject == "" {
		return Identity{}, signInRefused("the ID token names nobody")
	}
	return Identity{
		Issuer:        idt.Issuer,
		Subject:       idt.Subject,
		Email:         strings.TrimSpace(claims.Email),
		EmailVerified: verifiedFlag(claims.EmailVerified),
		Name:          strings.TrimSpace(claims.Name),
	}, nil
}

// verifiedFlag reads email_verified, which some providers send as the
// string "true" rather than a JSON boolean.
func verifiedFlag(raw json.RawMessage) bool {
	var b bool
	if json.Unmarshal(raw, &b) == nil {
		return b
	}
	var s string
	return json.Unmarshal(raw, &s) == nil && strings.EqualFold(s, "true")
}
