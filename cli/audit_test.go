package cli

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nhs-accord/accord"
)

func TestAuditVerify(t *testing.T) {
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "a.db")
	if _, _, err := runCLI(t, "migrate", "--db", db); err != nil {
		t.Fatal(err)
	}
	out, _, err := runCLI(t, "audit", "verify", "--db", db)
	if err != nil || ExitCode(err) != 0 || !strings.Contains(out, "Audit log intact: 0 entries.") {
		t.Fatalf("empty log: %v %q", err, out)
	}
	st := openStore(t, db)
	for _, subject := range []string{"target/1", "target/2", "target/1"} {
		if _, err := st.AppendAudit(ctx, accord.AuditEntry{Actor: "analyst@qhg", Action: "target.create", Subject: subject,
			Reason: "first draft", Detail: `{"status":"draft"}`}); err != nil {
			t.Fatal(err)
		}
	}
	out, _, err = runCLI(t, "audit", "verify", "--db", db)
	if ExitCode(err) != 0 || !strings.Contains(out, "Audit log intact: 3 entries.") {
		t.Fatalf("intact log: %v %q", err, out)
	}
	out, _, err = runCLI(t, "audit", "list", "--db", db, "--subject", "target/1")
	if err != nil || strings.Count(out, "target/1") != 2 || strings.Contains(out, "target/2") || !strings.Contains(out, `{"status":"draft"}`) {
		t.Errorf("list: %v %q", err, out)
	}

	// Tamper behind the store's back: it takes dropping the trigger first.
	raw, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.ExecContext(ctx, `UPDATE audit_log SET reason = 'nothing to see' WHERE id = 2`); err == nil {
		t.Fatal("the trigger let an entry be edited")
	}
	for _, q := range []string{`DROP TRIGGER audit_log_no_update`, `UPDATE audit_log SET reason = 'nothing to see' WHERE id = 2`} {
		if _, err := raw.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	out, _, err = runCLI(t, "audit", "verify", "--db", db)
	if ExitCode(err) != 1 || !strings.Contains(err.Error(), "entry 2: its hash does not match its contents") || strings.Contains(out, "intact") {
		t.Fatalf("tampered log: exit %d, %v, %q", ExitCode(err), err, out)
	}
}

func TestAuditUsage(t *testing.T) {
	out, _, err := runCLI(t, "audit", "--help")
	if err != nil || !strings.Contains(out, "Usage: accord audit") || !strings.Contains(out, "-subject") {
		t.Errorf("help: %v %q", err, out)
	}
	for _, args := range [][]string{
		{"audit"},
		{"audit", "rewrite"},
		{"audit", "verify", "--subject", "target/1"},
		{"audit", "list", "extra"},
	} {
		if _, _, err := runCLI(t, args...); ExitCode(err) != 2 {
			t.Errorf("%v: exit %d, %v", args, ExitCode(err), err)
		}
	}
}
