package cli

import (
	"context"
	"fmt"
	"strings"

	"github.com/nhs-accord/accord"
	"github.com/nhs-accord/accord/store"
)

// auditBroken is a verify that found the chain broken: it exits 1, like any
// failure that is not the caller's input.
type auditBroken struct{ check accord.AuditCheck }

func (e auditBroken) Error() string {
	return fmt.Sprintf("the audit log is broken at entry %d of %d: %s", e.check.BrokenAt, e.check.Entries, e.check.Problem)
}

func runAudit(ctx context.Context, e *env, args []string) error {
	var cfg Config
	var subject string
	fs := newFlagSet(e, "audit", "verify|list [--db DB] [--subject S]",
		"`accord audit verify` walks the append-only audit log, recomputing each entry's hash and\nchecking each link to the entry before: it exits 0 when the chain is intact and 1, naming\nthe first broken entry, when an entry was edited or removed.\n`accord audit list` prints the entries, oldest first.")
	dbFlags(fs, e, &cfg)
	fs.StringVar(&subject, "subject", "", "list only the entries about this record, e.g. target/12")
	// The subcommand may come before or after the flags.
	var sub string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		sub, args = args[0], args[1:]
	}
	if err := parse(fs, args); err != nil {
		return err
	}
	rest := fs.Args()
	if sub == "" && len(rest) > 0 {
		sub, rest = rest[0], rest[1:]
	}
	switch {
	case sub == "":
		return usageError{"audit: say what to do: `accord audit verify` or `accord audit list`"}
	case sub != "verify" && sub != "list":
		return usageError{fmt.Sprintf("audit: unknown %q (use `accord audit verify` or `accord audit list`)", sub)}
	case len(rest) > 0:
		return usageError{fmt.Sprintf("audit %s: unexpected %q", sub, strings.Join(rest, " "))}
	case sub == "verify" && subject != "":
		return usageError{"audit verify: --subject is for list; verify checks the whole chain"}
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
	if sub == "verify" {
		check, err := db.VerifyAudit(ctx)
		if err != nil {
			return err
		}
		if !check.OK {
			return auditBroken{check}
		}
		fmt.Fprintf(e.stdout, "Audit log intact: %d entries.\n", check.Entries)
		return nil
	}
	entries, total, err := db.FindAudit(ctx, accord.AuditFilter{Subject: subject})
	if err != nil {
		return err
	}
	if total == 0 {
		fmt.Fprintln(e.stdout, "No audit entries.")
		return nil
	}
	fmt.Fprintf(e.stdout, "%-6s %-20s %-20s %-20s %-16s %s\n", "ID", "AT (UTC)", "ACTOR", "ACTION", "SUBJECT", "REASON")
	for _, a := range entries {
		fmt.Fprintf(e.stdout, "%-6d %-20s %-20s %-20s %-16s %s\n", a.ID, a.At.UTC().Format("2006-01-02 15:04:05"), a.Actor, a.Action, a.Subject, a.Reason)
		if a.Detail != "" {
			fmt.Fprintf(e.stdout, "%6s %s\n", "", a.Detail)
		}
	}
	return nil
}
