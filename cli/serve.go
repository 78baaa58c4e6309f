package cli

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/nhs-accord/accord"
	"github.com/nhs-accord/accord/mapsvg"
	"github.com/nhs-accord/accord/reference"
	"github.com/nhs-accord/accord/store"
	"github.com/nhs-accord/accord/web"
)

func runServe(ctx context.Context, e *env, args []string) error {
	var cfg Config
	fs := newFlagSet(e, "serve", "[--db DB] [--addr HOST:PORT] [--secure-cookies=false] [--oidc-issuer URL --oidc-client-id ID --oidc-redirect-url URL]",
		"Serve Accord's pages and JSON API. The database must already be migrated (`accord migrate`).")
	dbFlags(fs, e, &cfg)
	serverFlags(fs, e, &cfg, "127.0.0.1:8080")
	secretFile, err := signInFlags(fs, e, &cfg)
	if err != nil {
		return err
	}
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := readOIDCSecret(&cfg, *secretFile); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("serve takes no arguments, got %q", fs.Args())}
	}
	if err := cfg.validate(); err != nil {
		return err
	}
	log := cfg.logger(e.stderr)
	db, err := store.Open(ctx, cfg.DB)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.CheckSchema(ctx); err != nil {
		return err
	}
	return serve(ctx, e, cfg, db, log)
}

// signInFlags registers how people sign in: cookie security and the
// OpenID Connect provider. The client secret comes from the environment or
// a file, never a flag, so it does not show in the process list; the
// returned string is the file flag's value once parsed.
func signInFlags(fs *flag.FlagSet, e *env, cfg *Config) (*string, error) {
	secure := true
	if v := e.getenv("ACCORD_SECURE_COOKIES"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return nil, usageError{fmt.Sprintf("ACCORD_SECURE_COOKIES=%q: use true or false", v)}
		}
		secure = b
	}
	fs.BoolVar(&cfg.SecureCookies, "secure-cookies", secure,
		"mark cookies Secure, with the __Host- prefix; turn off only to sign in over plain HTTP on your own machine (env ACCORD_SECURE_COOKIES)")
	fs.StringVar(&cfg.OIDC.Issuer, "oidc-issuer", envOr(e, "ACCORD_OIDC_ISSUER", ""),
		"OpenID Connect provider's issuer URL, to offer \"Sign in with NHS identity\" (env ACCORD_OIDC_ISSUER)")
	fs.StringVar(&cfg.OIDC.ClientID, "oidc-client-id", envOr(e, "ACCORD_OIDC_CLIENT_ID", ""),
		"client ID Accord is registered under at the provider (env ACCORD_OIDC_CLIENT_ID)")
	fs.StringVar(&cfg.OIDC.RedirectURL, "oidc-redirect-url", envOr(e, "ACCORD_OIDC_REDIRECT_URL", ""),
		"Accord's callback URL as registered at the provider, ending /sign-in/oidc/callback (env ACCORD_OIDC_REDIRECT_URL)")
	cfg.OIDC.ClientSecret = e.getenv("ACCORD_OIDC_CLIENT_SECRET")
	file := fs.String("oidc-client-secret-file", "",
		"file holding the client secret (or set env ACCORD_OIDC_CLIENT_SECRET)")
	return file, nil
}

// readOIDCSecret reads the client secret file, if one was named, and
// checks the OpenID Connect settings are complete.
func readOIDCSecret(cfg *Config, file string) error {
	if file != "" {
		b, err := os.ReadFile(file)
		if err != nil {
			return usageError{fmt.Sprintf("--oidc-client-secret-file: %v", err)}
		}
		cfg.OIDC.ClientSecret = strings.TrimSpace(string(b))
	}
	if err := cfg.OIDC.Validate(); err != nil {
		return usageError{accord.ErrorMessage(err) + ": " + fieldList(err)}
	}
	return nil
}

// fieldList writes an error's field problems on one line.
func fieldList(err error) string {
	var e *accord.Error
	if !errors.As(err, &e) {
		return ""
	}
	parts := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		parts[i] = f.Field + " " + f.Message
	}
	return strings.Join(parts, "; ")
}

// icbMap draws the shipped ICB boundaries once at start.
func icbMap() (mapsvg.Map, error) {
	b, err := reference.ICBBoundaries()
	if err != nil {
		return mapsvg.Map{}, err
	}
	features, err := mapsvg.ParseGeoJSON(bytes.NewReader(b), "ICB23CD", "ICB23NM")
	if err != nil {
		return mapsvg.Map{}, fmt.Errorf("%s: %w", reference.ICBBoundariesFile, err)
	}
	return mapsvg.Render(features, 480, 0.6), nil
}

// serve runs the HTTP server until ctx is cancelled, then drains open
// requests for up to ten seconds.
func serve(ctx context.Context, e *env, cfg Config, db *store.DB, log *slog.Logger) error {
	m, err := icbMap()
	if err != nil {
		return err
	}
	srv, err := web.New(web.Config{Store: db, Logger: log, Map: m, Ready: db.CheckSchema, Version: Version,
		SecureCookies: cfg.SecureCookies, OIDC: cfg.OIDC})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return usageError{fmt.Sprintf("cannot listen on %q: %v", cfg.Addr, err)}
	}
	hs := &http.Server{
		Handler:           srv.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       time.Minute,
		WriteTimeout:      2 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	addr := ln.Addr().String()
	log.Info("serving", "url", "http://"+addr, "engine", db.Engine(), "version", Version)
	fmt.Fprintf(e.stdout, "Accord is running at http://%s/ (press Ctrl+C to stop)\n", addr)
	if e.ready != nil {
		e.ready(addr)
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutting down: %w", err)
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	log.Info("stopped")
	return nil
}
