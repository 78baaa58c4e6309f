package cli

import (
	"context"
	"fmt"

	"github.com/nhs-accord/accord/sample"
	"github.com/nhs-accord/accord/store"
)

func runDemo(ctx context.Context, e *env, args []string) error {
	cfg := Config{}
	fs := newFlagSet(e, "demo", "[--db PATH] [--addr HOST:PORT]",
		"Create (or reuse) a SQLite database, load England's reference data and the real sample\nstatistics shipped with Accord (A&E performance by ICB, deprivation, healthy life expectancy),\nthen serve them and print the address to open in a browser.")
	cfg.DB = envOr(e, "ACCORD_DEMO_DB", "accord-demo.db")
	fs.StringVar(&cfg.DB, "db", cfg.DB, "SQLite database file to create or reuse, or a postgres:// URL (env ACCORD_DEMO_DB)")
	serverFlags(fs, e, &cfg, "127.0.0.1:8080")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("demo takes no arguments, got %q", fs.Args())}
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
	if err := migrate(ctx, e, db, true); err != nil {
		return err
	}
	results, err := sample.Load(ctx, db)
	if err != nil {
		return fmt.Errorf("loading sample data: %w", err)
	}
	for _, r := range results {
		switch {
		case r.AlreadyHeld:
			fmt.Fprintf(e.stdout, "Sample %s: already loaded.\n", r.File)
		case r.Skipped > 0:
			fmt.Fprintf(e.stdout, "Sample %s: %d observations; %d rows left out (%s).\n", r.File, r.Observations, r.Skipped, r.SkipReason)
		default:
			fmt.Fprintf(e.stdout, "Sample %s: %d observations.\n", r.File, r.Observations)
		}
	}
	return serve(ctx, e, cfg, db, log)
}
