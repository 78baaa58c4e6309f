// Package store keeps Accord's records in SQLite (the default: embedded, one
// file) or PostgreSQL, behind the accord.Store interface. One implementation
// over database/sql serves both; the engines differ only in placeholders,
// column types and how a connection is opened.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	accord "github.com/nhs-accord/accord"
)

// Engine names, as Engine reports them.
const (
	SQLite   = "sqlite"
	Postgres = "postgres"
)

var _ accord.Store = (*DB)(nil)

// DB is an open Accord database.
type DB struct {
	engine string
	// write takes every write transaction. For SQLite it is one connection,
	// because SQLite allows one writer at a time and a queue in Go is
	// kinder than SQLITE_BUSY; for PostgreSQL it is the same pool as read.
	write *sql.DB
	// read serves queries: a pool of query-only connections for SQLite.
	read *sql.DB
	// name is the DSN as it may be shown: a postgres URL without its password.
	name string
}

// sqlitePragmas go in the DSN, so every pooled connection gets them, not
// just the first. WAL lets readers go on while the writer writes; NORMAL
// synchronous is safe with WAL and much faster than FULL.
//
// temp_store(MEMORY) keeps statement journals in memory: a multi-row insert
// otherwise writes one to a temporary file, which cost about a sixth of an
// import's time (docs/benchmarks.md).
const sqlitePragmas = "_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)&_pragma=temp_store(MEMORY)"

// sqliteReaders is the size of SQLite's reader pool.
const sqliteReaders = 4

// Open opens the database named by dsn: a postgres:// or postgresql:// URL
// for PostgreSQL, anything else a SQLite file (created when missing). It
// pings the database, so a database that cannot be reached fails here, with
// a message that names it. Open does not migrate: see Migrate and
// CheckSchema.
func Open(ctx context.Context, dsn string) (*DB, error) {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		return openPostgres(ctx, dsn)
	}
	return openSQLite(ctx, dsn)
}

func openSQLite(ctx context.Context, path string) (*DB, error) {
	if strings.TrimSpace(path) == "" {
		return nil, accord.Errorf(accord.EINVALID, "no database given: name a SQLite file or a postgres:// URL")
	}
	cannot := func(format string, args ...any) error {
		return accord.Errorf(accord.EINVALID, "cannot open database %q: %s", path, fmt.Sprintf(format, args...))
	}
	if path == ":memory:" {
		// An in-memory database lives and dies with its connection, so a
		// pool would give each connection a different, empty database: use
		// exactly one connection, kept open, for reads and writes alike.
		db, err := sql.Open("sqlite", ":memory:?_pragma=foreign_keys(1)")
		if err != nil {
			return nil, cannot("%v", err)
		}
		db.SetMaxOpenConns(1)
		db.SetMaxIdleConns(1)
		db.SetConnMaxLifetime(0)
		db.SetConnMaxIdleTime(0)
		d := &DB{engine: SQLite, write: db, read: db, name: path}
		if err := d.Ping(ctx); err != nil {
			db.Close()
			return nil, cannot("%v", err)
		}
		return d, nil
	}
	if strings.ContainsAny(path, "?#") {
		return nil, cannot("a SQLite file name must not contain ? or #")
	}
	dir := filepath.Dir(path)
	if fi, err := os.Stat(dir); err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, cannot("the folder %q does not exist", dir)
		}
		return nil, cannot("%v", err)
	} else if !fi.IsDir() {
		return nil, cannot("%q is not a folder", dir)
	}
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return nil, cannot("it is a folder, not a file")
	}

	// IMMEDIATE takes the write lock at BEGIN, so a transaction that reads
	// and then writes waits under busy_timeout instead of failing midway
	// when another process holds the lock.
	write, err := sql.Open("sqlite", path+"?"+sqlitePragmas+"&_txlock=immediate")
	if err != nil {
		return nil, cannot("%v", err)
	}
	write.SetMaxOpenConns(1)
	write.SetMaxIdleConns(1)
	write.SetConnMaxLifetime(0)
	write.SetConnMaxIdleTime(0)
	// The writer connects first: it creates the file and turns on WAL.
	if err := write.PingContext(ctx); err != nil {
		write.Close()
		return nil, cannot("%v", err)
	}
	read, err := sql.Open("sqlite", path+"?"+sqlitePragmas+"&_query_only=1")
	if err != nil {
		write.Close()
		return nil, cannot("%v", err)
	}
	read.SetMaxOpenConns(sqliteReaders)
	read.SetMaxIdleConns(sqliteReaders)
	if err := read.PingContext(ctx); err != nil {
		write.Close()
		read.Close()
		return nil, cannot("%v", err)
	}
	return &DB{engine: SQLite, write: write, read: read, name: path}, nil
}

func openPostgres(ctx context.Context, dsn string) (*DB, error) {
	name, password := redact(dsn)
	cannot := func(err error) error {
		msg := err.Error()
		if password != "" {
			msg = strings.ReplaceAll(msg, password, "xxxxx")
		}
		return accord.Errorf(accord.EINVALID, "cannot open database %q: %s", name, msg)
	}
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, cannot(err)
	}
	db.SetMaxOpenConns(20)
	db.SetMaxIdleConns(5)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, cannot(err)
	}
	return &DB{engine: Postgres, write: db, read: db, name: name}, nil
}

// redact returns a postgres URL fit to show, with any password (in the user
// part or a password= parameter) replaced, and the password itself so that
// it can be scrubbed from driver messages too.
func redact(dsn string) (shown, password string) {
	u, err := url.Parse(dsn)
	if err != nil {
		// The URL cannot be parsed, so we cannot tell where a password
		// might be; show only the scheme.
		scheme, _, _ := strings.Cut(dsn, "://")
		return scheme + "://…", ""
	}
	if p, ok := u.User.Password(); ok {
		password = p
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	// Edit the query in place rather than re-encoding it, so the URL shown
	// is the one the user wrote.
	parts := strings.Split(u.RawQuery, "&")
	for i, part := range parts {
		k, v, _ := strings.Cut(part, "=")
		if k == "password" && v != "" {
			if p, err := url.QueryUnescape(v); err == nil {
				password = p
			}
			parts[i] = "password=xxxxx"
		}
	}
	u.RawQuery = strings.Join(parts, "&")
	return u.String(), password
}

// Engine reports "sqlite" or "postgres".
func (db *DB) Engine() string { return db.engine }

// Name is the database as it may be shown in logs and messages: the SQLite
// path, or the postgres URL with its password redacted.
func (db *DB) Name() string { return db.name }

// Ping reports whether the database answers.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.write.PingContext(ctx); err != nil {
		return fmt.Errorf("ping %s: %w", db.engine, err)
	}
	if db.read != db.write {
		if err := db.read.PingContext(ctx); err != nil {
			return fmt.Errorf("ping %s readers: %w", db.engine, err)
		}
	}
	return nil
}

// Close closes the database.
func (db *DB) Close() error {
	err := db.write.Close()
	if db.read != db.write {
		err = errors.Join(err, db.read.Close())
	}
	return err
}

// tx is a transaction that speaks the store's dialect: queries are written
// with ? placeholders and rebound for PostgreSQL.
type tx struct {
	*sql.Tx
	db *DB
}

// begin starts a write transaction.
func (db *DB) begin(ctx context.Context) (*tx, error) {
	t, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("begin: %w", err)
	}
	return &tx{Tx: t, db: db}, nil
}

// beginRead starts a read-only transaction, so that a page of items and
// its total are counted from the same snapshot.
func (db *DB) beginRead(ctx context.Context) (*tx, error) {
	t, err := db.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("begin: %w", err)
	}
	return &tx{Tx: t, db: db}, nil
}

func (t *tx) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return t.ExecContext(ctx, t.db.rebind(query), args...)
}

func (t *tx) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return t.QueryContext(ctx, t.db.rebind(query), args...)
}

func (t *tx) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	return t.QueryRowContext(ctx, t.db.rebind(query), args...)
}

func (t *tx) prepare(ctx context.Context, query string) (*sql.Stmt, error) {
	return t.PrepareContext(ctx, t.db.rebind(query))
}

// exists reports whether query returns a row.
func (t *tx) exists(ctx context.Context, query string, args ...any) (bool, error) {
	var one int
	err := t.queryRow(ctx, query, args...).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

// rebind turns ? placeholders into $1, $2, … for PostgreSQL, leaving any ?
// inside quotes alone.
func (db *DB) rebind(query string) string {
	if db.engine != Postgres || !strings.Contains(query, "?") {
		return query
	}
	var b strings.Builder
	b.Grow(len(query) + 16)
	n := 0
	var quote byte
	for i := 0; i < len(query); i++ {
		c := query[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '?':
			n++
			fmt.Fprintf(&b, "$%d", n)
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// page is the LIMIT/OFFSET clause for a filter's Offset and Limit.
func (db *DB) page(offset, limit int) (string, []any) {
	switch {
	case limit > 0 && offset > 0:
		return " LIMIT ? OFFSET ?", []any{limit, offset}
	case limit > 0:
		return " LIMIT ?", []any{limit}
	case offset > 0 && db.engine == SQLite:
		return " LIMIT -1 OFFSET ?", []any{offset} // SQLite has no OFFSET without LIMIT
	case offset > 0:
		return " OFFSET ?", []any{offset}
	}
	return "", nil
}

func checkPage(offset, limit int) error {
	var p accord.Problems
	if offset < 0 {
		p.Add("offset", "%d must not be negative", offset)
	}
	if limit < 0 {
		p.Add("limit", "%d must not be negative (0 means no limit)", limit)
	}
	return p.Err("page")
}

// where builds a WHERE clause from conditions joined by AND.
type where struct {
	conds []string
	args  []any
}

func (w *where) add(cond string, args ...any) {
	w.conds = append(w.conds, cond)
	w.args = append(w.args, args...)
}

// in adds "col IN (…)"; an empty list matches nothing.
func (w *where) in(col string, values []string) {
	if len(values) == 0 {
		w.add("1 = 0")
		return
	}
	w.add(col+" IN ("+placeholders(len(values))+")", anyArgs(values)...)
}

func (w *where) String() string {
	if len(w.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(w.conds, " AND ")
}

func placeholders(n int) string {
	if n <= 0 {
		return ""
	}
	return strings.Repeat("?, ", n-1) + "?"
}

func anyArgs[T any](values []T) []any {
	args := make([]any, len(values))
	for i, v := range values {
		args[i] = v
	}
	return args
}

// inChunk bounds the number of values bound in one IN list, well below
// both engines' limits on parameters.
const inChunk = 500

// chunks splits values for IN lists of at most inChunk.
func chunks[T any](values []T) [][]T {
	var out [][]T
	for len(values) > inChunk {
		out = append(out, values[:inChunk])
		values = values[inChunk:]
	}
	if len(values) > 0 {
		out = append(out, values)
	}
	return out
}

// likePattern is a case-insensitive "contains" pattern for LIKE … ESCAPE '\'.
func likePattern(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(strings.ToLower(strings.TrimSpace(s))) + "%"
}

// Optional values are NULL in the database rather than zero.

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func nullFloat(f *float64) any {
	if f == nil {
		return nil
	}
	return *f
}

func nullInt(n int64) any {
	if n == 0 {
		return nil
	}
	return n
}

func dateArg(d accord.Date) any {
	if d.IsZero() {
		return nil
	}
	return d.String()
}

func periodArg(p accord.Period) any {
	if p.IsZero() {
		return nil
	}
	return p.String()
}

// startArg is the first day of p as a date, for period_start columns.
func startArg(p accord.Period) any {
	return p.Start().Format("2006-01-02")
}

func floatPtr(n sql.NullFloat64) *float64 {
	if !n.Valid {
		return nil
	}
	v := n.Float64
	return &v
}

// isUniqueViolation reports whether err is a unique or primary key
// violation in either engine.
func isUniqueViolation(err error) bool {
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || se.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code == "23505"
	}
	return false
}

// isForeignKeyViolation reports whether err is a foreign key violation in
// either engine: something named was removed between our check and the write.
func isForeignKeyViolation(err error) bool {
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code() == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code == "23503"
	}
	return false
}
