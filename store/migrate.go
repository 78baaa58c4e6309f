package store

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"

	accord "github.com/nhs-accord/accord"
)

// Migrations are numbered SQL files, one folder per engine, embedded in the
// binary: migrations/<engine>/NNNN_name.sql. Each runs in its own
// transaction and is recorded in schema_migrations.
//
//go:embed migrations
var migrationFiles embed.FS

type migration struct {
	version int
	name    string
	sql     string
}

// migrationsFor reads the embedded migrations of engine in order, and
// insists they are numbered 1, 2, 3… with no gap or repeat.
func migrationsFor(engine string) ([]migration, error) {
	dir := path.Join("migrations", engine)
	entries, err := fs.ReadDir(migrationFiles, dir)
	if err != nil {
		return nil, fmt.Errorf("migrations for %s: %w", engine, err)
	}
	var ms []migration
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".sql") {
			continue
		}
		base := strings.TrimSuffix(e.Name(), ".sql")
		num, name, ok := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("migration %s/%s: name it NNNN_what.sql", dir, e.Name())
		}
		b, err := fs.ReadFile(migrationFiles, path.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{version: v, name: name, sql: string(b)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	for i, m := range ms {
		if m.version != i+1 {
			return nil, fmt.Errorf("migrations for %s: expected version %d, found %d (%s)", engine, i+1, m.version, m.name)
		}
	}
	return ms, nil
}

// schema_migrations records what has been applied. Migrate creates it
// itself rather than in a migration, so that version 0 (an empty database)
// needs no special case.
func (db *DB) schemaMigrationsSQL() string {
	stamp := "TEXT" // RFC 3339, UTC
	if db.engine == Postgres {
		stamp = "TIMESTAMPTZ"
	}
	return `CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_at ` + stamp + ` NOT NULL
)`
}

// lockMigrations makes concurrent migrations of one PostgreSQL schema (two
// servers starting at once) take turns; the lock ends with the transaction.
// SQLite needs nothing: its write transactions already take turns.
func (t *tx) lockMigrations(ctx context.Context) error {
	if t.db.engine != Postgres {
		return nil
	}
	_, err := t.exec(ctx, `SELECT pg_advisory_xact_lock(hashtext('accord migrate ' || current_schema()))`)
	return err
}

// Migrate applies the migrations the database has not had yet, each in its
// own transaction, and reports how many it applied. It refuses a database
// whose schema is newer than this binary.
func (db *DB) Migrate(ctx context.Context) (applied int, err error) {
	ms, err := migrationsFor(db.engine)
	if err != nil {
		return 0, err
	}
	if err := db.createSchemaMigrations(ctx); err != nil {
		return 0, err
	}
	current, latest, err := db.SchemaVersion(ctx)
	if err != nil {
		return 0, err
	}
	if current > latest {
		return 0, newerSchema(current, latest)
	}
	for _, m := range ms {
		if m.version <= current {
			continue
		}
		ok, err := db.apply(ctx, m)
		if err != nil {
			return applied, err
		}
		if ok {
			applied++
		}
	}
	return applied, nil
}

func (db *DB) createSchemaMigrations(ctx context.Context) error {
	t, err := db.begin(ctx)
	if err != nil {
		return err
	}
	defer t.Rollback()
	if err := t.lockMigrations(ctx); err != nil {
		return fmt.Errorf("lock migrations: %w", err)
	}
	if _, err := t.exec(ctx, db.schemaMigrationsSQL()); err != nil {
		return fmt.Errorf("create schema_migrations: %w", err)
	}
	return t.Commit()
}

// apply runs one migration, unless another process applied it while we
// waited for the lock.
func (db *DB) apply(ctx context.Context, m migration) (bool, error) {
	t, err := db.begin(ctx)
	if err != nil {
		return false, err
	}
	defer t.Rollback()
	if err := t.lockMigrations(ctx); err != nil {
		return false, fmt.Errorf("lock migrations: %w", err)
	}
	done, err := t.exists(ctx, `SELECT 1 FROM schema_migrations WHERE version = ?`, m.version)
	if err != nil {
		return false, fmt.Errorf("migration %d: %w", m.version, err)
	}
	if done {
		return false, nil
	}
	// No arguments, so both drivers run the file as a script of several
	// statements (pgx uses the simple protocol for it).
	if _, err := t.ExecContext(ctx, m.sql); err != nil {
		return false, fmt.Errorf("migration %04d_%s: %w", m.version, m.name, err)
	}
	if _, err := t.exec(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`,
		m.version, m.name, time.Now().UTC().Format(time.RFC3339)); err != nil {
		return false, fmt.Errorf("record migration %d: %w", m.version, err)
	}
	if err := t.Commit(); err != nil {
		return false, fmt.Errorf("migration %04d_%s: commit: %w", m.version, m.name, err)
	}
	return true, nil
}

// SchemaVersion reports the version the database is at (0 for an empty
// database) and the latest version this binary knows.
func (db *DB) SchemaVersion(ctx context.Context) (current, latest int, err error) {
	ms, err := migrationsFor(db.engine)
	if err != nil {
		return 0, 0, err
	}
	if len(ms) > 0 {
		latest = ms[len(ms)-1].version
	}
	t, err := db.beginRead(ctx)
	if err != nil {
		return 0, 0, err
	}
	defer t.Rollback()
	var q string
	if db.engine == Postgres {
		q = `SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'schema_migrations'`
	} else {
		q = `SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'`
	}
	ok, err := t.exists(ctx, q)
	if err != nil {
		return 0, 0, fmt.Errorf("schema version: %w", err)
	}
	if !ok {
		return 0, latest, nil
	}
	if err := t.queryRow(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&current); err != nil {
		return 0, 0, fmt.Errorf("schema version: %w", err)
	}
	return current, latest, nil
}

// CheckSchema is an ESCHEMA error unless the database is at exactly the
// version this binary needs; serve calls it so that it never runs against
// a schema it does not understand.
func (db *DB) CheckSchema(ctx context.Context) error {
	current, latest, err := db.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	switch {
	case current < latest:
		return accord.Errorf(accord.ESCHEMA, "the database schema is at version %d but this accord needs %d: run `accord migrate`", current, latest)
	case current > latest:
		return newerSchema(current, latest)
	}
	return nil
}

func newerSchema(current, latest int) error {
	return accord.Errorf(accord.ESCHEMA, "the database schema is at version %d, which is newer than this accord (it knows up to version %d): use the accord that migrated it, or a later one", current, latest)
}
