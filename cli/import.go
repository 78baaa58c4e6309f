package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/nhs-accord/accord"
	"github.com/nhs-accord/accord/importer"
	"github.com/nhs-accord/accord/store"
)

func runImport(ctx context.Context, e *env, args []string) error {
	var cfg Config
	var format, as, published string
	var dryRun, quiet bool
	fs := newFlagSet(e, "import", "[--db DB] [--format "+strings.Join(importer.FormatNames(), "|")+"] [--published YYYY-MM-DD] [--dry-run] FILE…",
		"Import statistics files as NHS England, OHID, ONS and MHCLG publish them, or local returns.\n"+
			"The format is found from the header unless --format names it. Files may be gzipped; local\n"+
			"returns may be XLSX. Each file is checked row by row and written in one transaction: all of\n"+
			"it or none of it. Problems are reported as FILE:LINE:COLUMN: message. Importing the same file\n"+
			"again changes nothing; a revised publication replaces the earlier figures, which are kept.\n\n"+
			"Layouts:\n"+layoutList())
	dbFlags(fs, e, &cfg)
	fs.StringVar(&format, "format", "", "file format (default: found from the header): "+strings.Join(importer.FormatNames(), ", "))
	fs.BoolVar(&dryRun, "dry-run", false, "check the files and report what would change, writing nothing")
	fs.BoolVar(&quiet, "quiet", false, "no progress line, even on a terminal")
	fs.StringVar(&published, "published", "", "the day the files were published, YYYY-MM-DD (default: unknown); public pages date the figures by it")
	fs.StringVar(&as, "as", envOr(e, "USER", "accord"), "who is importing, recorded with the import")
	if err := parse(fs, args); err != nil {
		return err
	}
	if format != "" && !slices.Contains(importer.FormatNames(), format) {
		return usageError{fmt.Sprintf("--format %q: the formats are %s", format, strings.Join(importer.FormatNames(), ", "))}
	}
	publishedOn, err := importer.ParsePublishedOn(published, time.Now())
	if err != nil {
		return usageError{"--published " + accord.ErrorMessage(err)}
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
	orgs, err := importer.LoadOrgIndex(ctx, db)
	if err != nil {
		return err
	}
	var failed int
	touched := map[string]bool{}
	for _, name := range fs.Args() {
		opt := importer.Options{Format: format, DryRun: dryRun, ImportedBy: as, PublishedOn: publishedOn}
		if !quiet && isTerminal(e.stderr) {
			opt.Progress = e.stderr
		}
		sum, err := importFile(ctx, e, db, orgs, name, opt)
		for _, id := range sum.Indicators {
			touched[id] = !dryRun
		}
		if err != nil {
			failed++
			fmt.Fprintln(e.stderr, accord.ErrorMessage(err))
			if accord.ErrorCode(err) == accord.EINTERNAL {
				fmt.Fprintln(e.stderr, err)
			}
		}
	}
	if ids := trueKeys(touched); len(ids) > 0 {
		if err := reassess(ctx, e, db, ids); err != nil {
			return err
		}
	}
	if failed > 0 {
		return &accord.Error{Code: accord.EINVALID, Message: fmt.Sprintf("%d of %d files not imported; nothing was written from them", failed, fs.NArg())}
	}
	return nil
}

func trueKeys(m map[string]bool) []string {
	var out []string
	for k, v := range m {
		if v {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}

func layoutList() string {
	var b strings.Builder
	for _, f := range importer.Formats() {
		fmt.Fprintf(&b, "  %-10s %s (%s)\n", f.Name, f.Layout, f.Publisher)
	}
	return strings.TrimRight(b.String(), "\n")
}

// isTerminal reports whether w is a character device, so progress is drawn
// for a person watching and not written into logs.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

func importFile(ctx context.Context, e *env, db *store.DB, orgs *importer.OrgIndex, name string, opt importer.Options) (importer.Summary, error) {
	f, err := os.Open(name)
	if err != nil {
		return importer.Summary{}, accord.Errorf(accord.EINVALID, "%s: cannot open: %v", name, err)
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil {
		opt.Size = fi.Size()
	}
	sum, err := importer.Import(ctx, db, orgs, name, f, opt)
	if err != nil {
		return sum, err
	}
	fmt.Fprintln(e.stdout, describeImport(name, sum))
	return sum, nil
}

// describeImport is the summary a person reads after an import.
func describeImport(name string, s importer.Summary) string {
	imp := s.Import
	if s.AlreadyImported {
		return fmt.Sprintf("%s: already imported as import %d on %s; nothing changed.", name, imp.ID, imp.ImportedAt.Format("2 January 2006"))
	}
	var b strings.Builder
	verb := "imported"
	if s.DryRun {
		verb = "would import (dry run: nothing written)"
	}
	fmt.Fprintf(&b, "%s: %s %d observations from %d rows", name, verb, imp.Added, imp.RowsRead)
	if s.Format != nil {
		fmt.Fprintf(&b, " (%s", s.Format.Layout)
		if !imp.First.IsZero() {
			fmt.Fprintf(&b, ", %s", imp.First)
			if imp.Last != imp.First {
				fmt.Fprintf(&b, " to %s", imp.Last)
			}
		}
		b.WriteString(")")
	}
	if !s.DryRun {
		fmt.Fprintf(&b, " as import %d", imp.ID)
	}
	b.WriteString(".")
	if imp.Replaced > 0 {
		fmt.Fprintf(&b, "\n  %d earlier values of the same publication replaced and kept as revisions.", imp.Replaced)
	}
	for _, sk := range imp.Skipped {
		fmt.Fprintf(&b, "\n  %d rows not loaded: %s (for example %s).", sk.Count, sk.Reason, sk.Example)
	}
	return b.String()
}

func runImports(ctx context.Context, e *env, args []string) error {
	var cfg Config
	fs := newFlagSet(e, "imports", "[--db DB] [rollback ID]",
		"List the files imported, newest first, with who imported them, when, and what they changed;\nor `accord imports rollback ID` to undo one import: its observations are removed and the\nvalues it replaced are restored.")
	dbFlags(fs, e, &cfg)
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := cfg.validate(); err != nil {
		return err
	}
	rest := fs.Args()
	var rollback int64
	switch {
	case len(rest) == 0:
	case rest[0] == "rollback" && len(rest) == 2:
		if _, err := fmt.Sscan(rest[1], &rollback); err != nil || rollback <= 0 {
			return usageError{fmt.Sprintf("imports rollback: %q is not an import number", rest[1])}
		}
	default:
		return usageError{fmt.Sprintf("imports: unexpected %q (use `accord imports` or `accord imports rollback ID`)", strings.Join(rest, " "))}
	}
	db, err := store.Open(ctx, cfg.DB)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.CheckSchema(ctx); err != nil {
		return err
	}
	if rollback > 0 {
		imp, err := db.RollbackImport(ctx, rollback)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "Import %d (%s) rolled back: its %d observations removed", imp.ID, imp.FileName, imp.Added)
		if imp.Replaced > 0 {
			fmt.Fprintf(e.stdout, " and %d earlier values restored", imp.Replaced)
		}
		fmt.Fprintln(e.stdout, ".")
		// What the rollback restored or removed changes England's values and
		// peers' too, so every series is assessed again.
		return reassess(ctx, e, db, nil)
	}
	imps, total, err := db.FindImports(ctx, accord.ImportFilter{})
	if err != nil {
		return err
	}
	if total == 0 {
		fmt.Fprintln(e.stdout, "No files have been imported.")
		return nil
	}
	fmt.Fprintf(e.stdout, "%-5s %-20s %-11s %-10s %-12s %9s %9s  %s\n", "ID", "IMPORTED", "STATUS", "FORMAT", "PERIODS", "ADDED", "REPLACED", "FILE (BY)")
	for _, imp := range imps {
		periods := imp.First.String()
		if imp.Last != imp.First {
			periods += "–" + imp.Last.String()
		}
		fmt.Fprintf(e.stdout, "%-5d %-20s %-11s %-10s %-12s %9d %9d  %s (%s)\n", imp.ID, imp.ImportedAt.Format("2006-01-02 15:04"), imp.Status,
			imp.Format, periods, imp.Added, imp.Replaced, filepath.Base(imp.FileName), imp.ImportedBy)
	}
	return nil
}
