package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/nhs-accord/accord"
	"github.com/nhs-accord/accord/importer"
	"github.com/nhs-accord/accord/sample"
	"github.com/nhs-accord/accord/store"
)

func runDemo(ctx context.Context, e *env, args []string) error {
	cfg := Config{}
	var national bool
	fs := newFlagSet(e, "demo", "[--db PATH] [--addr HOST:PORT] [--national]",
		"Create (or reuse) a SQLite database, load England's reference data, import the real published\n"+
			"files shipped with Accord (A&E, cancer waiting times, referral to treatment, Fingertips\n"+
			"population health, deprivation) through the same importers as `accord import`, then serve\n"+
			"them and print the address to open in a browser.")
	cfg.DB = envOr(e, "ACCORD_DEMO_DB", "accord-demo.db")
	fs.StringVar(&cfg.DB, "db", cfg.DB, "SQLite database file to create or reuse, or a postgres:// URL (env ACCORD_DEMO_DB)")
	serverFlags(fs, e, &cfg, "127.0.0.1:8080")
	fs.BoolVar(&national, "national", false, "also generate and import national-scale files for every trust and ICB (the figures are invented), to try Accord at full-England scale")
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
	touched := map[string]bool{}
	if err := importSamples(ctx, e, db, touched); err != nil {
		return err
	}
	if national {
		if err := importGenerated(ctx, e, db, touched); err != nil {
			return err
		}
	}
	// A reused database is assessed already; only what was imported now, or
	// everything when nothing has been assessed yet, needs computing.
	_, assessed, err := db.FindAssessments(ctx, accord.AssessmentFilter{Limit: 1})
	if err != nil {
		return err
	}
	if assessed == 0 {
		err = reassess(ctx, e, db, nil)
	} else if ids := trueKeys(touched); len(ids) > 0 {
		err = reassess(ctx, e, db, ids)
	}
	if err != nil {
		return err
	}
	if err := seedDemoTargets(ctx, e, db); err != nil {
		return err
	}
	if err := seedDemoPeerReview(ctx, e, db); err != nil {
		return err
	}
	return serve(ctx, e, cfg, db, log)
}

// importSamples imports each shipped file, noting the indicators written in
// touched; one already imported is left as it is, so the demo can reuse its
// database.
func importSamples(ctx context.Context, e *env, db *store.DB, touched map[string]bool) error {
	orgs, err := importer.LoadOrgIndex(ctx, db)
	if err != nil {
		return err
	}
	for _, name := range sample.Files() {
		f, err := sample.Open(name)
		if err != nil {
			return err
		}
		sum, err := importer.Import(ctx, db, orgs, name, f, importer.Options{ImportedBy: "accord demo", PublishedOn: sample.PublishedOn(name)})
		f.Close()
		if err != nil {
			return fmt.Errorf("importing the sample %s: %w", name, err)
		}
		fmt.Fprintln(e.stdout, describeImport(name, sum))
		for _, id := range sum.Indicators {
			touched[id] = true
		}
	}
	return nil
}

// generatedSets are the national-scale files the demo's full-England mode
// generates: months chosen not to overlap the real samples, so invented
// figures never revise published ones.
var generatedSets = []struct {
	kind   string
	from   string
	months int
}{
	{"rtt", "2024-12", 1},
	{"ae", "2024-01", 12},
	{"cwt", "2024-04", 12},
}

// importGenerated writes each generated file to a temporary folder and
// imports it like any other; the file names say they are generated.
func importGenerated(ctx context.Context, e *env, db *store.DB, touched map[string]bool) error {
	dir, err := os.MkdirTemp("", "accord-national-*")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	orgs, err := importer.LoadOrgIndex(ctx, db)
	if err != nil {
		return err
	}
	for _, set := range generatedSets {
		name := filepath.Join(dir, fmt.Sprintf("generated-%s-%s.csv", set.kind, set.from))
		if err := runGen(ctx, &env{stdout: io.Discard, stderr: e.stderr, getenv: e.getenv},
			[]string{"--from", set.from, "--months", fmt.Sprint(set.months), "--out", name, set.kind}); err != nil {
			return fmt.Errorf("generating %s: %w", set.kind, err)
		}
		sum, err := importFile(ctx, e, db, orgs, name, importer.Options{ImportedBy: "accord demo (generated, invented figures)"})
		if err != nil {
			return err
		}
		for _, id := range sum.Indicators {
			touched[id] = true
		}
	}
	return nil
}
