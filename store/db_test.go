package store

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	accord "github.com/nhs-accord/accord"
)

func TestOpenMissingFolder(t *testing.T) {
	path := filepath.Join(t.TempDir(), "no-such-folder", "accord.db")
	_, err := Open(context.Background(), path)
	wantError(t, err, accord.EINVALID, `cannot open database "`+path+`"`, "does not exist")
}

func TestOpenFolder(t *testing.T) {
	dir := t.TempDir()
	_, err := Open(context.Background(), dir)
	wantError(t, err, accord.EINVALID, `cannot open database "`+dir+`"`, "folder")
}

func TestOpenEmpty(t *testing.T) {
	_, err := Open(context.Background(), "")
	wantError(t, err, accord.EINVALID, "no database given")
}

func TestOpenPostgresUnreachable(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	for _, dsn := range []string{
		"postgres://accord:s3cret-pw@127.0.0.1:1/accord?sslmode=disable",
		"postgresql://accord@127.0.0.1:1/accord?sslmode=disable&password=s3cret-pw",
	} {
		_, err := Open(ctx, dsn)
		shown := strings.ReplaceAll(dsn, "s3cret-pw", "xxxxx")
		wantError(t, err, accord.EINVALID, `cannot open database "`+shown+`"`)
		if err != nil && strings.Contains(err.Error(), "s3cret") {
			t.Errorf("the password leaked: %v", err)
		}
	}
}

// Every SQLite connection, in both pools, gets the PRAGMAs, and readers
// cannot write.
func TestOpenSQLitePragmas(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "accord.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if db.Engine() != SQLite {
		t.Errorf("engine %q", db.Engine())
	}
	check := func(pool string, q string, want string) {
		t.Helper()
		p := db.write
		if pool == "read" {
			p = db.read
		}
		var got string
		if err := p.QueryRowContext(ctx, q).Scan(&got); err != nil {
			t.Fatalf("%s %s: %v", pool, q, err)
		}
		if got != want {
			t.Errorf("%s %s = %s, want %s", pool, q, got, want)
		}
	}
	for _, pool := range []string{"write", "read"} {
		check(pool, "PRAGMA journal_mode", "wal")
		check(pool, "PRAGMA foreign_keys", "1")
		check(pool, "PRAGMA busy_timeout", "10000")
		check(pool, "PRAGMA synchronous", "1") // NORMAL
	}
	check("read", "PRAGMA query_only", "1")
	check("write", "PRAGMA query_only", "0")
	if db.write.Stats().MaxOpenConnections != 1 {
		t.Errorf("writer pool allows %d connections, want 1", db.write.Stats().MaxOpenConnections)
	}
	if _, err := db.read.ExecContext(ctx, "CREATE TABLE t (x)"); err == nil {
		t.Error("a reader connection could write")
	}
}

func TestOpenMemory(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	// Reads see the writes: one connection serves both.
	if err := db.UpsertOrganisations(ctx, fixtureOrgs()[:1]); err != nil {
		t.Fatal(err)
	}
	if _, err := db.FindOrganisation(ctx, "ENG"); err != nil {
		t.Error(err)
	}
}

func TestRebind(t *testing.T) {
	pg := &DB{engine: Postgres}
	lite := &DB{engine: SQLite}
	for _, c := range []struct{ in, want string }{
		{"SELECT 1", "SELECT 1"},
		{"a = ? AND b IN (?, ?)", "a = $1 AND b IN ($2, $3)"},
		{`x LIKE ? ESCAPE '\' AND y = '?' AND z = ?`, `x LIKE $1 ESCAPE '\' AND y = '?' AND z = $2`},
	} {
		if got := pg.rebind(c.in); got != c.want {
			t.Errorf("postgres rebind(%q) = %q, want %q", c.in, got, c.want)
		}
		if got := lite.rebind(c.in); got != c.in {
			t.Errorf("sqlite rebind(%q) = %q, want it unchanged", c.in, got)
		}
	}
}
