package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/nhs-accord/accord/mapsvg"
	"github.com/nhs-accord/accord/reference"
	"github.com/nhs-accord/accord/store"
	"github.com/nhs-accord/accord/web"
)

func runServe(ctx context.Context, e *env, args []string) error {
	var cfg Config
	fs := newFlagSet(e, "serve", "[--db DB] [--addr HOST:PORT]",
		"Serve Accord's pages and JSON API. The database must already be migrated (`accord migrate`).")
	dbFlags(fs, e, &cfg)
	serverFlags(fs, e, &cfg, "127.0.0.1:8080")
	if err := parse(fs, args); err != nil {
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
	srv, err := web.New(web.Config{Store: db, Logger: log, Map: m, Ready: db.CheckSchema, Version: Version})
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
