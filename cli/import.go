package cli

import (
	"context"
	"fmt"
	"os"

	"github.com/nhs-accord/accord"
	"github.com/nhs-accord/accord/importer"
	"github.com/nhs-accord/accord/store"
)

func runImport(ctx context.Context, e *env, args []string) error {
	var cfg Config
	var format string
	var dryRun bool
	fs := newFlagSet(e, "import", "[--db DB] [--format long] [--dry-run] FILE…",
		"Import statistics files. Each file is checked row by row and written in one transaction:\nall of it or none of it. Problems are reported as FILE:LINE:COLUMN: message.\n\nThe long format (a local return) has the columns\n  organisation_code,indicator,period,numerator,denominator,value[,breakdown][,status]\nwith periods such as 2025-04, 2025/26 Q1, 2025/26, 2025 or 2021-23. Files may be gzipped.")
	dbFlags(fs, e, &cfg)
	fs.StringVar(&format, "format", "long", "file format: long")
	fs.BoolVar(&dryRun, "dry-run", false, "check the files and report what would be imported, writing nothing")
	if err := parse(fs, args); err != nil {
		return err
	}
	if format != "long" {
		return usageError{fmt.Sprintf("--format %q: the formats are: long", format)}
	}
	if fs.NArg() == 0 {
		return usageError{"import: name at least one FILE (see `accord import --help`)"}
	}
	if err := cfg.validate(); err != nil {
		return err
	}
	db, err := store.Open(ctx, cfg.DB)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.CheckSchema(ctx); err != nil {
		return err
	}
	var failed int
	for _, name := range fs.Args() {
		if err := importFile(ctx, e, db, name, dryRun); err != nil {
			failed++
			fmt.Fprintln(e.stderr, accord.ErrorMessage(err))
			if accord.ErrorCode(err) == accord.EINTERNAL {
				fmt.Fprintln(e.stderr, err)
			}
		}
	}
	if failed > 0 {
		return &accord.Error{Code: accord.EINVALID, Message: fmt.Sprintf("%d of %d files not imported; nothing was written from them", failed, fs.NArg())}
	}
	return nil
}

func importFile(ctx context.Context, e *env, db *store.DB, name string, dryRun bool) error {
	f, err := os.Open(name)
	if err != nil {
		return accord.Errorf(accord.EINVALID, "%s: cannot open: %v", name, err)
	}
	defer f.Close()
	res, err := importer.ImportLong(ctx, db, name, f, dryRun)
	if err != nil {
		return err
	}
	if res.DryRun {
		fmt.Fprintf(e.stdout, "%s: would import %d observations (dry run: nothing written).\n", name, res.Observations)
	} else {
		fmt.Fprintf(e.stdout, "%s: imported %d observations.\n", name, res.Observations)
	}
	return nil
}
