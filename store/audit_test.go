package store

import (
	"context"
	"strings"
	"sync"
	"testing"

	accord "github.com/nhs-accord/accord"
)

func TestAudit(t *testing.T) {
	cases := []struct {
		name string
		run  func(t *testing.T, open factory)
	}{
		{"Chain", testAuditChain},
		{"AppendOnly", testAuditAppendOnly},
		{"EditDetected", testAuditEditDetected},
		{"DeleteDetected", testAuditDeleteDetected},
		{"Invalid", testAuditInvalid},
		{"ConcurrentAppends", testAuditConcurrent},
	}
	forEachEngine(t, func(t *testing.T, open factory) {
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				t.Parallel()
				c.run(t, open)
			})
		}
	})
}

// appendThree appends three entries, the first and third about one target.
func appendThree(t *testing.T, db *DB) []accord.AuditEntry {
	t.Helper()
	var out []accord.AuditEntry
	for _, e := range []accord.AuditEntry{
		{Actor: "analyst@qhg", Action: "target.create", Subject: "target/12", Reason: "new local target", Detail: `{"status":"draft"}`},
		{Actor: "analyst@qhg", Action: "target.create", Subject: "target/13"},
		{Actor: "lead@qhg", Action: "target.transition", Subject: "target/12", Reason: "agreed at board", Detail: `{"from":"draft","to":"consultation"}`},
	} {
		got, err := db.AppendAudit(context.Background(), e)
		if err != nil {
			t.Fatalf("append %s: %v", e.Subject, err)
		}
		out = append(out, got)
	}
	return out
}

// rawExec runs SQL behind the store's back, as someone tampering would.
func rawExec(t *testing.T, db *DB, query string, args ...any) error {
	t.Helper()
	_, err := db.write.ExecContext(context.Background(), db.rebind(query), args...)
	return err
}

func dropTrigger(t *testing.T, db *DB, name string) {
	t.Helper()
	q := "DROP TRIGGER " + name
	if db.Engine() == Postgres {
		q += " ON audit_log"
	}
	if err := rawExec(t, db, q); err != nil {
		t.Fatalf("drop trigger %s: %v", name, err)
	}
}

func verify(t *testing.T, db *DB) accord.AuditCheck {
	t.Helper()
	c, err := db.VerifyAudit(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func testAuditChain(t *testing.T, open factory) {
	ctx := context.Background()
	db := migrated(t, open)
	if c := verify(t, db); !c.OK || c.Entries != 0 {
		t.Errorf("empty log: %+v", c)
	}
	es := appendThree(t, db)
	for i, e := range es {
		if e.ID != int64(i+1) || e.At.IsZero() || e.Hash != e.ComputeHash() || len(e.Hash) != 64 {
			t.Errorf("entry %d: %+v", i+1, e)
		}
	}
	if es[0].PrevHash != "" || es[1].PrevHash != es[0].Hash || es[2].PrevHash != es[1].Hash {
		t.Errorf("chain links: %+v", es)
	}
	if c := verify(t, db); !c.OK || c.Entries != 3 || c.BrokenAt != 0 || c.Problem != "" {
		t.Errorf("verify: %+v", c)
	}

	got, total, err := db.FindAudit(ctx, accord.AuditFilter{Subject: "target/12"})
	if err != nil || total != 2 || len(got) != 2 || got[0].ID != 1 || got[1].ID != 3 {
		t.Fatalf("by subject: %+v %d %v", got, total, err)
	}
	g, w := got[1], es[2]
	if !g.At.Equal(w.At) || g.Actor != w.Actor || g.Action != w.Action || g.Reason != w.Reason || g.Detail != w.Detail ||
		g.PrevHash != w.PrevHash || g.Hash != w.Hash || g.ComputeHash() != g.Hash {
		t.Errorf("round trip: %+v, want %+v", g, w)
	}
	page, total, err := db.FindAudit(ctx, accord.AuditFilter{Offset: 1, Limit: 1})
	if err != nil || total != 3 || len(page) != 1 || page[0].ID != 2 {
		t.Errorf("page: %+v %d %v", page, total, err)
	}
	if _, _, err := db.FindAudit(ctx, accord.AuditFilter{Limit: -1}); accord.ErrorCode(err) != accord.EINVALID {
		t.Errorf("negative limit: %v", err)
	}
}

func testAuditAppendOnly(t *testing.T, open factory) {
	db := migrated(t, open)
	appendThree(t, db)
	for _, q := range []string{
		`UPDATE audit_log SET reason = 'nothing to see' WHERE id = 2`,
		`DELETE FROM audit_log WHERE id = 2`,
	} {
		err := rawExec(t, db, q)
		if err == nil || !strings.Contains(err.Error(), "the audit log is append-only") {
			t.Errorf("%s: %v", q, err)
		}
	}
	if db.Engine() == Postgres {
		if err := rawExec(t, db, `TRUNCATE audit_log`); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("truncate: %v", err)
		}
	}
	if c := verify(t, db); !c.OK || c.Entries != 3 {
		t.Errorf("after refused changes: %+v", c)
	}
}

func testAuditEditDetected(t *testing.T, open factory) {
	db := migrated(t, open)
	appendThree(t, db)
	dropTrigger(t, db, "audit_log_no_update")
	if err := rawExec(t, db, `UPDATE audit_log SET reason = ? WHERE id = 2`, "nothing to see"); err != nil {
		t.Fatal(err)
	}
	c := verify(t, db)
	if c.OK || c.Entries != 3 || c.BrokenAt != 2 || !strings.Contains(c.Problem, "entry 2: its hash does not match its contents") {
		t.Errorf("edit: %+v", c)
	}
}

func testAuditDeleteDetected(t *testing.T, open factory) {
	db := migrated(t, open)
	appendThree(t, db)
	dropTrigger(t, db, "audit_log_no_delete")
	if err := rawExec(t, db, `DELETE FROM audit_log WHERE id = 2`); err != nil {
		t.Fatal(err)
	}
	c := verify(t, db)
	if c.OK || c.Entries != 2 || c.BrokenAt != 3 || c.Problem != "entry 3 follows entry 1: entry 2 is missing (deleted?)" {
		t.Errorf("delete: %+v", c)
	}
	// Whatever comes next still chains to the last entry: the gap stays.
	e, err := db.AppendAudit(context.Background(), accord.AuditEntry{Actor: "a", Action: "target.create", Subject: "target/14"})
	if err != nil || e.ID != 4 {
		t.Fatalf("append after delete: %+v %v", e, err)
	}
	if c := verify(t, db); c.OK || c.BrokenAt != 3 {
		t.Errorf("after another append: %+v", c)
	}
}

func testAuditInvalid(t *testing.T, open factory) {
	db := migrated(t, open)
	_, err := db.AppendAudit(context.Background(), accord.AuditEntry{Action: " ", Detail: "{not json"})
	if accord.ErrorCode(err) != accord.EINVALID {
		t.Fatalf("want EINVALID: %v", err)
	}
	for _, field := range []string{"actor", "action", "subject", "detail"} {
		if !strings.Contains(err.Error(), field+":") {
			t.Errorf("error does not name %s: %v", field, err)
		}
	}
	if c := verify(t, db); c.Entries != 0 {
		t.Errorf("an invalid entry was stored: %+v", c)
	}
}

// Appends at once still make one unbroken chain: each takes its turn.
func testAuditConcurrent(t *testing.T, open factory) {
	db := migrated(t, open)
	const n = 12
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for range n {
		wg.Go(func() {
			_, err := db.AppendAudit(context.Background(), accord.AuditEntry{Actor: "a", Action: "target.create", Subject: "target/1"})
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	if c := verify(t, db); !c.OK || c.Entries != n {
		t.Errorf("after concurrent appends: %+v", c)
	}
}
