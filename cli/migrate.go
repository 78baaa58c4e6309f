package cli

import (
	"context"
	"fmt"

	"github.com/nhs-accord/accord/reference"
	"github.com/nhs-accord/accord/store"
)

func runMigrate(ctx context.Context, e *env, args []string) error {
	var cfg Config
	var noReference bool
	fs := newFlagSet(e, "migrate", "[--db DB] [--no-reference]",
		"Apply any database migrations this accord has that the database lacks, each in its own\ntransaction, then load (or refresh) England's reference data: the NHS regions, ICBs,\nsub-ICB locations, places, NHS trusts, the indicator catalogue and the national priorities.\nRunning it twice changes nothing.")
	dbFlags(fs, e, &cfg)
	fs.BoolVar(&noReference, "no-reference", false, "only migrate the schema; do not load reference data")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("migrate takes no arguments, got %q", fs.Args())}
	}
	if err := cfg.validate(); err != nil {
		return err
	}
	db, err := store.Open(ctx, cfg.DB)
	if err != nil {
		return err
	}
	defer db.Close()
	return migrate(ctx, e, db, !noReference)
}

// migrate brings the schema up to date and, if asked, loads the reference data.
func migrate(ctx context.Context, e *env, db *store.DB, loadReference bool) error {
	applied, err := db.Migrate(ctx)
	if err != nil {
		return err
	}
	current, _, err := db.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Database schema at version %d (%d migrations applied now, %s).\n", current, applied, db.Engine())
	if !loadReference {
		return nil
	}
	sum, err := reference.Load(ctx, db)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Reference data: %s.\n", sum)
	if n := len(sum.Skipped); n > 0 {
		fmt.Fprintf(e.stdout, "Left out %d organisations Accord does not track (for example %s).\n", n, sum.Skipped[0])
	}
	return savePeers(ctx, e, db)
}
