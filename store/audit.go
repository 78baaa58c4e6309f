package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	accord "github.com/nhs-accord/accord"
)

var _ accord.AuditStore = (*DB)(nil)

const auditColumns = `id, at, actor, action, subject, reason, detail, prev_hash, hash`

// lockAudit makes appends to the audit log on PostgreSQL take turns, as
// SQLite's single writer already makes them: each entry takes the next id
// and the last entry's hash, so two appends at once would both claim the
// same place in the chain. The lock ends with the transaction, and under
// READ COMMITTED the next statement sees what the previous holder committed.
func (t *tx) lockAudit(ctx context.Context) error {
	if t.db.engine != Postgres {
		return nil
	}
	_, err := t.exec(ctx, `SELECT pg_advisory_xact_lock(hashtext('accord audit ' || current_schema()))`)
	return err
}

// AppendAudit stores e as the next entry of the audit log; see
// accord.AuditStore.
func (db *DB) AppendAudit(ctx context.Context, e accord.AuditEntry) (accord.AuditEntry, error) {
	t, err := db.begin(ctx)
	if err != nil {
		return accord.AuditEntry{}, err
	}
	defer t.Rollback()
	e, err = t.appendAudit(ctx, e)
	if err != nil {
		return accord.AuditEntry{}, err
	}
	if err := t.Commit(); err != nil {
		return accord.AuditEntry{}, fmt.Errorf("append audit: commit: %w", err)
	}
	return e, nil
}

// appendAudit validates e and appends it to the log inside t, so that a
// change and its entry are committed or rolled back together. It takes the
// audit lock itself; a caller that reads before it writes takes the lock
// first, so that on PostgreSQL its reads and the chain are both in turn.
func (t *tx) appendAudit(ctx context.Context, e accord.AuditEntry) (accord.AuditEntry, error) {
	if err := e.Validate(); err != nil {
		return accord.AuditEntry{}, err
	}
	if err := t.lockAudit(ctx); err != nil {
		return accord.AuditEntry{}, fmt.Errorf("append audit: %w", err)
	}
	var lastID int64
	var lastHash string
	err := t.queryRow(ctx, `SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1`).Scan(&lastID, &lastHash)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return accord.AuditEntry{}, fmt.Errorf("append audit: %w", err)
	}
	e.ID = lastID + 1
	e.At = time.Now().UTC().Truncate(time.Second)
	e.PrevHash = lastHash
	e.Hash = e.ComputeHash()
	if _, err := t.exec(ctx, `INSERT INTO audit_log (`+auditColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.ID, e.At.Format(time.RFC3339), e.Actor, e.Action, e.Subject, e.Reason, e.Detail, e.PrevHash, e.Hash); err != nil {
		return accord.AuditEntry{}, fmt.Errorf("append audit: %w", err)
	}
	return e, nil
}

// FindAudit returns the entries f selects, oldest first, with the total.
func (db *DB) FindAudit(ctx context.Context, f accord.AuditFilter) ([]accord.AuditEntry, int, error) {
	if err := checkPage(f.Offset, f.Limit); err != nil {
		return nil, 0, err
	}
	var w where
	if f.Subject != "" {
		w.add("subject = ?", f.Subject)
	}
	t, err := db.beginRead(ctx)
	if err != nil {
		return nil, 0, err
	}
	defer t.Rollback()
	var total int
	if err := t.queryRow(ctx, `SELECT COUNT(*) FROM audit_log`+w.String(), w.args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("find audit: %w", err)
	}
	pageSQL, pageArgs := db.page(f.Offset, f.Limit)
	rows, err := t.query(ctx, `SELECT `+auditColumns+` FROM audit_log`+w.String()+` ORDER BY id`+pageSQL, append(w.args, pageArgs...)...)
	if err != nil {
		return nil, 0, fmt.Errorf("find audit: %w", err)
	}
	defer rows.Close()
	out := []accord.AuditEntry{}
	for rows.Next() {
		e, err := scanAudit(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("find audit: %w", err)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("find audit: %w", err)
	}
	return out, total, nil
}

func scanAudit(rows *sql.Rows) (accord.AuditEntry, error) {
	var e accord.AuditEntry
	err := rows.Scan(&e.ID, timestamp{&e.At}, &e.Actor, &e.Action, &e.Subject, &e.Reason, &e.Detail, &e.PrevHash, &e.Hash)
	return e, err
}

// VerifyAudit walks the whole log in id order, from one snapshot, and
// reports the first entry where the chain breaks: an id skipped (an entry
// removed), a hash that does not match its entry (an entry edited), or a
// previous-hash that does not match the entry before. Removing the last
// entries leaves no gap behind them; only a copy of the latest hash kept
// elsewhere would show that.
func (db *DB) VerifyAudit(ctx context.Context) (accord.AuditCheck, error) {
	t, err := db.beginRead(ctx)
	if err != nil {
		return accord.AuditCheck{}, err
	}
	defer t.Rollback()
	rows, err := t.query(ctx, `SELECT `+auditColumns+` FROM audit_log ORDER BY id`)
	if err != nil {
		return accord.AuditCheck{}, fmt.Errorf("verify audit: %w", err)
	}
	defer rows.Close()
	check := accord.AuditCheck{OK: true}
	var prev accord.AuditEntry // ID 0, Hash "": what precedes entry 1
	for rows.Next() {
		e, err := scanAudit(rows)
		if err != nil {
			return accord.AuditCheck{}, fmt.Errorf("verify audit: %w", err)
		}
		check.Entries++
		if check.OK {
			if problem := auditProblem(prev, e); problem != "" {
				check.OK, check.BrokenAt, check.Problem = false, e.ID, problem
			}
		}
		prev = e
	}
	if err := rows.Err(); err != nil {
		return accord.AuditCheck{}, fmt.Errorf("verify audit: %w", err)
	}
	return check, nil
}

// auditProblem says what is wrong with e following prev, or "".
func auditProblem(prev, e accord.AuditEntry) string {
	if e.ID != prev.ID+1 {
		after := "the start of the log"
		if prev.ID > 0 {
			after = fmt.Sprintf("entry %d", prev.ID)
		}
		missing := fmt.Sprintf("entry %d is missing", prev.ID+1)
		if e.ID > prev.ID+2 {
			missing = fmt.Sprintf("entries %d to %d are missing", prev.ID+1, e.ID-1)
		}
		return fmt.Sprintf("entry %d follows %s: %s (deleted?)", e.ID, after, missing)
	}
	if e.ComputeHash() != e.Hash {
		return fmt.Sprintf("entry %d: its hash does not match its contents (edited?)", e.ID)
	}
	if e.PrevHash != prev.Hash {
		if prev.ID == 0 {
			return fmt.Sprintf("entry %d: previous-hash should be empty for the first entry", e.ID)
		}
		return fmt.Sprintf("entry %d: previous-hash does not match entry %d", e.ID, prev.ID)
	}
	return ""
}
