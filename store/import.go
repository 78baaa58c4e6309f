package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	accord "github.com/nhs-accord/accord"
)

const importColumns = `id, format, file_name, sha256, publisher, dataset, imported_by, imported_at, status,
	rows_read, added, replaced, skipped, first_period, last_period, published_on`

// importBatch is how many observations an import queues before writing
// them, so memory stays bounded whatever the size of the file.
const importBatch = 1000

// errFinished is returned by a writer used after Finish or Abort.
var errFinished = errors.New("import: the import is already finished")

// lockImports makes imports and rollbacks on PostgreSQL take turns, as
// SQLite's single writer already makes them: an import moves the values it
// revises before writing its own, and two imports of one dataset at once
// would each miss what the other is writing. The lock ends with the
// transaction.
func (t *tx) lockImports(ctx context.Context) error {
	if t.db.engine != Postgres {
		return nil
	}
	_, err := t.exec(ctx, `SELECT pg_advisory_xact_lock(hashtext('accord import ' || current_schema()))`)
	return err
}

// BeginImport records a new import and returns the writer for its
// observations. The writer holds the import's transaction, and with SQLite
// the one write connection, until Finish or Abort: nothing else writes
// meanwhile, and nothing the import writes is seen until it commits. Call
// Abort (in a defer) whatever happens, and do not write to the store by
// other means while the writer is open.
func (db *DB) BeginImport(ctx context.Context, imp accord.Import) (accord.ImportWriter, error) {
	var p accord.Problems
	for _, f := range []struct{ name, value string }{
		{"format", imp.Format}, {"file_name", imp.FileName}, {"sha256", imp.SHA256},
		{"publisher", imp.Publisher}, {"dataset", imp.Dataset}, {"imported_by", imp.ImportedBy},
	} {
		if strings.TrimSpace(f.value) == "" {
			p.Add(f.name, "is required")
		}
	}
	what := "import"
	if strings.TrimSpace(imp.FileName) != "" {
		what = "import of " + imp.FileName
	}
	if err := p.Err(what); err != nil {
		return nil, err
	}
	t, err := db.begin(ctx)
	if err != nil {
		return nil, err
	}
	begun := false
	defer func() {
		if !begun {
			t.Rollback()
		}
	}()
	if err := t.lockImports(ctx); err != nil {
		return nil, fmt.Errorf("begin import: %w", err)
	}
	rec := accord.Import{
		Format: imp.Format, FileName: imp.FileName, SHA256: imp.SHA256, Publisher: imp.Publisher,
		Dataset: imp.Dataset, ImportedBy: imp.ImportedBy, ImportedAt: time.Now().UTC().Truncate(time.Second),
		Status: accord.ImportApplied, Skipped: []accord.SkipCount{}, PublishedOn: imp.PublishedOn,
	}
	if err := t.queryRow(ctx, `INSERT INTO imports (format, file_name, sha256, publisher, dataset, imported_by, imported_at, status, published_on)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		rec.Format, rec.FileName, rec.SHA256, rec.Publisher, rec.Dataset, rec.ImportedBy,
		rec.ImportedAt.Format(time.RFC3339), string(rec.Status), dateArg(rec.PublishedOn)).Scan(&rec.ID); err != nil {
		return nil, fmt.Errorf("begin import: %w", err)
	}
	begun = true
	return &importWriter{
		tx:       t,
		imp:      rec,
		datasets: map[int64]string{rec.ID: rec.Dataset},
		inds:     map[string]*accord.Indicator{},
		orgs:     map[string]bool{},
		seen:     map[string]bool{},
		pending:  map[string][]string{},
		queue:    make([]accord.Observation, 0, importBatch),
		refs:     make([]string, 0, importBatch),
	}, nil
}

// importWriter writes one import's observations in its transaction. It is
// not safe for concurrent use.
type importWriter struct {
	tx       *tx
	imp      accord.Import // its counts so far
	datasets map[int64]string

	// What Add has looked up, found or not: a file names few indicators
	// and organisations many times over.
	inds map[string]*accord.Indicator // nil: not in the catalogue
	orgs map[string]bool

	// seen holds each indicator|period the import has met. The first time
	// it meets one, the earlier values of its dataset for that indicator
	// and period are due to become revisions: pending holds those periods,
	// by indicator, until the next flush moves them.
	seen    map[string]bool
	pending map[string][]string

	// queue waits for the next flush; refs[i] says where queue[i] came from.
	queue []accord.Observation
	refs  []string

	problems  []accord.FieldError // the first maxProblems found while writing
	bad       int                 // every problem, listed or not
	conflicts int                 // those that are clashing keys

	err  error // what broke the writer: every later call returns it
	done bool  // Finish or Abort has been called
}

// Add checks o at once and queues it; see accord.ImportWriter.
func (w *importWriter) Add(ctx context.Context, o accord.Observation, ref string) error {
	if w.done {
		return errFinished
	}
	if w.err != nil {
		return w.err
	}
	o.ImportID = w.imp.ID
	ind, err := w.indicator(ctx, o.IndicatorID)
	if err != nil {
		return w.fail(err)
	}
	if ind == nil {
		if o.IndicatorID == "" {
			return atRef(ref, o.Validate(accord.Indicator{}))
		}
		return accord.Errorf(accord.EINVALID, "%sindicator %q is not in the catalogue", refPrefix(ref), o.IndicatorID)
	}
	if err := o.Validate(*ind); err != nil {
		return atRef(ref, err)
	}
	known, err := w.orgKnown(ctx, o.OrgCode)
	if err != nil {
		return w.fail(err)
	}
	if !known {
		return accord.Errorf(accord.EINVALID, "%sorganisation %q is not known", refPrefix(ref), o.OrgCode)
	}

	if k := o.IndicatorID + "|" + o.Period.String(); !w.seen[k] {
		w.seen[k] = true
		w.pending[o.IndicatorID] = append(w.pending[o.IndicatorID], o.Period.String())
	}
	if w.imp.First.IsZero() || o.Period.Compare(w.imp.First) < 0 {
		w.imp.First = o.Period
	}
	if o.Period.Compare(w.imp.Last) > 0 {
		w.imp.Last = o.Period
	}
	w.queue = append(w.queue, o)
	w.refs = append(w.refs, ref)
	if len(w.queue) >= importBatch {
		if err := w.flush(ctx); err != nil {
			return w.fail(err)
		}
	}
	return nil
}

// AddIndicator adds ind to the catalogue in the import's transaction, so
// it stays only if the import does; an indicator already there is left as
// it is.
func (w *importWriter) AddIndicator(ctx context.Context, ind accord.Indicator) error {
	if w.done {
		return errFinished
	}
	if w.err != nil {
		return w.err
	}
	if err := ind.Validate(); err != nil {
		return err
	}
	if _, err := w.tx.exec(ctx, `INSERT INTO indicators (`+indicatorColumns+`) VALUES (`+placeholders(indicatorArity)+`)
		ON CONFLICT (id) DO NOTHING`, indicatorArgs(ind)...); err != nil {
		return w.fail(fmt.Errorf("add indicator %s: %w", ind.ID, err))
	}
	delete(w.inds, ind.ID) // looked up afresh: the stored one, whichever it is
	return nil
}

func (w *importWriter) fail(err error) error {
	w.err = fmt.Errorf("import of %s: %w", w.imp.FileName, err)
	return w.err
}

// indicator returns the catalogue's indicator id, or nil when it is not there.
func (w *importWriter) indicator(ctx context.Context, id string) (*accord.Indicator, error) {
	if id == "" {
		return nil, nil
	}
	if ind, ok := w.inds[id]; ok {
		return ind, nil
	}
	inds, err := w.tx.indicators(ctx, []string{id})
	if err != nil {
		return nil, err
	}
	var ind *accord.Indicator
	if found, ok := inds[id]; ok {
		ind = &found
	}
	w.inds[id] = ind
	return ind, nil
}

func (w *importWriter) orgKnown(ctx context.Context, code string) (bool, error) {
	if known, ok := w.orgs[code]; ok {
		return known, nil
	}
	known, err := w.tx.exists(ctx, `SELECT 1 FROM organisations WHERE code = ?`, code)
	if err != nil {
		return false, err
	}
	w.orgs[code] = known
	return known, nil
}

// flush moves the values the queued observations revise, then writes the
// queue, noting each observation whose key was already held.
func (w *importWriter) flush(ctx context.Context) error {
	if err := w.revise(ctx); err != nil {
		return err
	}
	if len(w.queue) == 0 {
		return nil
	}
	var taken []int
	n, err := w.tx.insertObservations(ctx, w.queue, w.datasets, func(i int) { taken = append(taken, i) })
	if err != nil {
		return fmt.Errorf("write observations: %w", err)
	}
	w.imp.Added += n
	for _, i := range taken {
		if err := w.conflict(ctx, w.queue[i], w.refs[i]); err != nil {
			return err
		}
	}
	clear(w.queue)
	w.queue, w.refs = w.queue[:0], w.refs[:0]
	return nil
}

// revise moves the stored values of the import's dataset for each pending
// indicator and period, written by other imports, into
// observation_revisions: this import is a revised publication of them.
func (w *importWriter) revise(ctx context.Context) error {
	for ind, periods := range w.pending {
		for _, chunk := range chunks(periods) {
			match := func(o string) string {
				return ` WHERE ` + o + `dataset = ? AND ` + o + `indicator_id = ? AND ` + o + `period IN (` +
					placeholders(len(chunk)) + `) AND ` + o + `import_id <> ?`
			}
			args := append(append([]any{w.imp.Dataset, ind}, anyArgs(chunk)...), w.imp.ID)
			res, err := w.tx.exec(ctx, `INSERT INTO observation_revisions (`+observationColumns+`, dataset, replaced_by, replaced_at)
				SELECT `+qualify("o", observationColumns)+`, o.dataset, i.id, i.imported_at
				FROM observations o JOIN imports i ON i.id = ?`+match("o."), append([]any{w.imp.ID}, args...)...)
			if err != nil {
				return fmt.Errorf("keep revisions: %w", err)
			}
			kept, err := res.RowsAffected()
			if err != nil {
				return fmt.Errorf("keep revisions: %w", err)
			}
			res, err = w.tx.exec(ctx, `DELETE FROM observations`+match(""), args...)
			if err != nil {
				return fmt.Errorf("replace revised observations: %w", err)
			}
			removed, err := res.RowsAffected()
			if err != nil {
				return fmt.Errorf("replace revised observations: %w", err)
			}
			if kept != removed {
				// Imports take turns, so only a write outside them could
				// do this; refuse rather than lose a value.
				return fmt.Errorf("replace revised observations of %s: kept %d as revisions but removed %d", ind, kept, removed)
			}
			w.imp.Replaced += int(removed)
		}
	}
	clear(w.pending)
	return nil
}

// conflict records that o could not be written because its key is held,
// and says by what.
func (w *importWriter) conflict(ctx context.Context, o accord.Observation, ref string) error {
	w.bad++
	w.conflicts++
	if len(w.problems) >= maxProblems {
		return nil // counted, not listed: no need to ask who holds it
	}
	var holder sql.NullInt64
	var file, dataset sql.NullString
	err := w.tx.queryRow(ctx, `SELECT o.import_id, i.file_name, i.dataset
		FROM observations o LEFT JOIN imports i ON i.id = o.import_id
		WHERE o.indicator_id = ? AND o.org_code = ? AND o.period = ? AND o.breakdown_key = ?`,
		o.IndicatorID, o.OrgCode, o.Period.String(), o.Breakdown.Key()).Scan(&holder, &file, &dataset)
	var msg string
	switch {
	case errors.Is(err, sql.ErrNoRows):
		msg = o.Describe() + " is already stored" // and was removed since: imports take turns, so not by one
	case err != nil:
		return fmt.Errorf("find what holds %s: %w", o.Describe(), err)
	case holder.Valid && holder.Int64 == w.imp.ID:
		msg = "duplicate in this file: " + o.Describe()
	case !holder.Valid:
		msg = o.Describe() + " is already held by an observation added outside any import; it is not a revision of it"
	default:
		msg = fmt.Sprintf("%s is already held by import #%d (%s, dataset %s); it is not a revision of it",
			o.Describe(), holder.Int64, file.String, dataset.String)
	}
	w.problems = append(w.problems, accord.FieldError{Field: ref, Message: msg})
	return nil
}

// report is the error for the problems found while writing.
func (w *importWriter) report() error {
	code := accord.EINVALID
	if w.conflicts == w.bad {
		code = accord.ECONFLICT
	}
	fields := append([]accord.FieldError(nil), w.problems...)
	if more := w.bad - len(w.problems); more > 0 {
		fields = append(fields, accord.FieldError{Message: fmt.Sprintf("and %d more", more)})
	}
	what := "observations have problems"
	if w.bad == 1 {
		what = "observation has a problem"
	}
	return &accord.Error{
		Code:    code,
		Message: fmt.Sprintf("nothing from %s was stored: %d %s", w.imp.FileName, w.bad, what),
		Fields:  fields,
	}
}

// Finish writes what is queued and records the import's counts; see
// accord.ImportWriter.
func (w *importWriter) Finish(ctx context.Context, rowsRead int, skipped []accord.SkipCount, commit bool) (accord.Import, error) {
	if w.done {
		return w.imp, errFinished
	}
	defer w.close()
	w.imp.RowsRead = rowsRead
	w.imp.Skipped = append([]accord.SkipCount{}, skipped...)
	if w.err != nil {
		return w.imp, w.err
	}
	if err := w.flush(ctx); err != nil {
		return w.imp, w.fail(err)
	}
	if w.bad > 0 {
		return w.imp, w.report()
	}
	skip, err := json.Marshal(w.imp.Skipped)
	if err != nil {
		return w.imp, w.fail(err)
	}
	if _, err := w.tx.exec(ctx, `UPDATE imports SET rows_read = ?, added = ?, replaced = ?, skipped = ?,
			first_period = ?, last_period = ? WHERE id = ?`,
		w.imp.RowsRead, w.imp.Added, w.imp.Replaced, string(skip), periodArg(w.imp.First), periodArg(w.imp.Last),
		w.imp.ID); err != nil {
		return w.imp, w.fail(fmt.Errorf("record counts: %w", err))
	}
	if !commit {
		return w.imp, nil // a dry run: close rolls back
	}
	if err := w.tx.Commit(); err != nil {
		return w.imp, w.fail(fmt.Errorf("commit: %w", err))
	}
	return w.imp, nil
}

// Abort rolls the import back; it is safe after Finish, and twice.
func (w *importWriter) Abort() error {
	return w.close()
}

// close rolls back unless committed, and lets go of what the writer holds.
func (w *importWriter) close() error {
	w.done = true
	w.queue, w.refs, w.inds, w.orgs, w.seen = nil, nil, nil, nil, nil
	if err := w.tx.Rollback(); err != nil && !errors.Is(err, sql.ErrTxDone) {
		return fmt.Errorf("import of %s: roll back: %w", w.imp.FileName, err)
	}
	return nil
}

// refPrefix is "ref: ", or nothing when there is no ref.
func refPrefix(ref string) string {
	if ref == "" {
		return ""
	}
	return ref + ": "
}

// atRef puts ref before an error's message, keeping its code and fields.
func atRef(ref string, err error) error {
	var e *accord.Error
	if errors.As(err, &e) {
		return &accord.Error{Code: e.Code, Message: refPrefix(ref) + e.Message, Fields: e.Fields}
	}
	return fmt.Errorf("%s%w", refPrefix(ref), err)
}

// qualify puts alias before each column of a comma list.
func qualify(alias, columns string) string {
	parts := strings.Split(columns, ",")
	for i, p := range parts {
		parts[i] = alias + "." + strings.TrimSpace(p)
	}
	return strings.Join(parts, ", ")
}

// FindImports returns the imports f selects, newest first, and how many
// there are in all, ignoring Offset and Limit.
func (db *DB) FindImports(ctx context.Context, f accord.ImportFilter) ([]accord.Import, int, error) {
	if err := checkPage(f.Offset, f.Limit); err != nil {
		return nil, 0, err
	}
	var w where
	if f.Format != "" {
		w.add("format = ?", f.Format)
	}
	switch f.Status {
	case "":
	case accord.ImportApplied, accord.ImportRolledBack:
		w.add("status = ?", string(f.Status))
	default:
		return nil, 0, accord.Errorf(accord.EINVALID, "status %q must be %s or %s", f.Status, accord.ImportApplied, accord.ImportRolledBack)
	}
	t, err := db.beginRead(ctx)
	if err != nil {
		return nil, 0, err
	}
	defer t.Rollback()
	var total int
	if err := t.queryRow(ctx, `SELECT COUNT(*) FROM imports`+w.String(), w.args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count imports: %w", err)
	}
	limit, largs := db.page(f.Offset, f.Limit)
	rows, err := t.query(ctx, `SELECT `+importColumns+` FROM imports`+w.String()+` ORDER BY id DESC`+limit,
		append(w.args, largs...)...)
	if err != nil {
		return nil, 0, fmt.Errorf("find imports: %w", err)
	}
	imps, err := scanImports(rows)
	if err != nil {
		return nil, 0, fmt.Errorf("find imports: %w", err)
	}
	return imps, total, nil
}

// FindImport returns the import with id, or ENOTFOUND.
func (db *DB) FindImport(ctx context.Context, id int64) (accord.Import, error) {
	t, err := db.beginRead(ctx)
	if err != nil {
		return accord.Import{}, err
	}
	defer t.Rollback()
	return t.findImport(ctx, id)
}

func (t *tx) findImport(ctx context.Context, id int64) (accord.Import, error) {
	rows, err := t.query(ctx, `SELECT `+importColumns+` FROM imports WHERE id = ?`, id)
	if err != nil {
		return accord.Import{}, fmt.Errorf("find import: %w", err)
	}
	imps, err := scanImports(rows)
	if err != nil {
		return accord.Import{}, fmt.Errorf("find import: %w", err)
	}
	if len(imps) == 0 {
		return accord.Import{}, accord.Errorf(accord.ENOTFOUND, "import %d not found", id)
	}
	return imps[0], nil
}

// FindImportByHash returns the applied import of a file with this content
// hash (the latest, should there be more), or ENOTFOUND.
func (db *DB) FindImportByHash(ctx context.Context, sha256 string) (accord.Import, error) {
	t, err := db.beginRead(ctx)
	if err != nil {
		return accord.Import{}, err
	}
	defer t.Rollback()
	rows, err := t.query(ctx, `SELECT `+importColumns+` FROM imports WHERE sha256 = ? AND status = ? ORDER BY id DESC LIMIT 1`,
		sha256, string(accord.ImportApplied))
	if err != nil {
		return accord.Import{}, fmt.Errorf("find import: %w", err)
	}
	imps, err := scanImports(rows)
	if err != nil {
		return accord.Import{}, fmt.Errorf("find import: %w", err)
	}
	if len(imps) == 0 {
		return accord.Import{}, accord.Errorf(accord.ENOTFOUND, "no applied import of a file with SHA-256 %s", sha256)
	}
	return imps[0], nil
}

func scanImports(rows *sql.Rows) ([]accord.Import, error) {
	defer rows.Close()
	var imps []accord.Import
	for rows.Next() {
		var imp accord.Import
		var status, skipped string
		if err := rows.Scan(&imp.ID, &imp.Format, &imp.FileName, &imp.SHA256, &imp.Publisher, &imp.Dataset,
			&imp.ImportedBy, timestamp{&imp.ImportedAt}, &status, &imp.RowsRead, &imp.Added, &imp.Replaced,
			&skipped, &imp.First, &imp.Last, &imp.PublishedOn); err != nil {
			return nil, err
		}
		imp.Status = accord.ImportStatus(status)
		imp.Skipped = []accord.SkipCount{}
		if err := json.Unmarshal([]byte(skipped), &imp.Skipped); err != nil {
			return nil, fmt.Errorf("import %d: skipped: %w", imp.ID, err)
		}
		if imp.Skipped == nil {
			imp.Skipped = []accord.SkipCount{} // "null", as an empty list
		}
		imps = append(imps, imp)
	}
	return imps, rows.Err()
}

// RollbackImport removes the import's observations and restores the
// values it replaced, in one transaction; see accord.ImportStore.
func (db *DB) RollbackImport(ctx context.Context, id int64) (accord.Import, error) {
	t, err := db.begin(ctx)
	if err != nil {
		return accord.Import{}, err
	}
	defer t.Rollback()
	if err := t.lockImports(ctx); err != nil {
		return accord.Import{}, fmt.Errorf("roll back import: %w", err)
	}
	imp, err := t.findImport(ctx, id)
	if err != nil {
		return accord.Import{}, err
	}
	if imp.Status == accord.ImportRolledBack {
		return accord.Import{}, accord.Errorf(accord.EINVALID, "import #%d (%s) is already rolled back", id, imp.FileName)
	}

	// A later import that revised this one's values must go first, or its
	// own rollback would have nothing to restore.
	var later int64
	err = t.queryRow(ctx, `SELECT r.replaced_by FROM observation_revisions r JOIN imports i ON i.id = r.replaced_by
		WHERE r.import_id = ? AND i.status = ? ORDER BY r.replaced_by DESC LIMIT 1`, id, string(accord.ImportApplied)).Scan(&later)
	switch {
	case err == nil:
		return accord.Import{}, accord.Errorf(accord.ECONFLICT,
			"import #%d cannot be rolled back: import #%d replaced some of its observations: roll back import #%d first", id, later, later)
	case !errors.Is(err, sql.ErrNoRows):
		return accord.Import{}, fmt.Errorf("roll back import %d: %w", id, err)
	}

	if _, err := t.exec(ctx, `DELETE FROM observations WHERE import_id = ?`, id); err != nil {
		return accord.Import{}, fmt.Errorf("roll back import %d: %w", id, err)
	}
	// A value it replaced may since have been taken by another dataset's
	// import (for an organisation this import left out).
	if err := t.checkRestorable(ctx, id); err != nil {
		return accord.Import{}, err
	}
	if _, err := t.exec(ctx, `INSERT INTO observations (`+observationColumns+`, dataset)
		SELECT `+observationColumns+`, dataset FROM observation_revisions WHERE replaced_by = ?`, id); err != nil {
		return accord.Import{}, fmt.Errorf("roll back import %d: restore revisions: %w", id, err)
	}
	if _, err := t.exec(ctx, `DELETE FROM observation_revisions WHERE replaced_by = ?`, id); err != nil {
		return accord.Import{}, fmt.Errorf("roll back import %d: %w", id, err)
	}
	if _, err := t.exec(ctx, `UPDATE imports SET status = ? WHERE id = ?`, string(accord.ImportRolledBack), id); err != nil {
		return accord.Import{}, fmt.Errorf("roll back import %d: %w", id, err)
	}
	if err := t.Commit(); err != nil {
		return accord.Import{}, fmt.Errorf("roll back import %d: commit: %w", id, err)
	}
	imp.Status = accord.ImportRolledBack
	return imp, nil
}

// checkRestorable is an ECONFLICT error when a value import id replaced
// cannot go back because its key is now held by another observation.
func (t *tx) checkRestorable(ctx context.Context, id int64) error {
	var o accord.Observation
	var breakdown string
	var holder sql.NullInt64
	err := t.queryRow(ctx, `SELECT r.indicator_id, r.org_code, r.period, r.breakdown_key, o.import_id
		FROM observation_revisions r JOIN observations o ON o.indicator_id = r.indicator_id AND o.org_code = r.org_code
			AND o.period = r.period AND o.breakdown_key = r.breakdown_key
		WHERE r.replaced_by = ? LIMIT 1`, id).Scan(&o.IndicatorID, &o.OrgCode, &o.Period, &breakdown, &holder)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil
	case err != nil:
		return fmt.Errorf("roll back import %d: %w", id, err)
	}
	o.Breakdown, _ = accord.ParseBreakdown(breakdown)
	if !holder.Valid {
		return accord.Errorf(accord.ECONFLICT, "import #%d cannot be rolled back: %s, which it replaced, is now held by an observation added outside any import",
			id, o.Describe())
	}
	return accord.Errorf(accord.ECONFLICT, "import #%d cannot be rolled back: %s, which it replaced, is now held by import #%d: roll back import #%d first",
		id, o.Describe(), holder.Int64, holder.Int64)
}

// FindRevisions returns the earlier values f selects (ImportID: the import
// they came from), newest replacement first, and how many there are in
// all, ignoring Offset and Limit.
func (db *DB) FindRevisions(ctx context.Context, f accord.ObservationFilter) ([]accord.Revision, int, error) {
	w, err := observationWhere(f)
	if err != nil {
		return nil, 0, err
	}
	t, err := db.beginRead(ctx)
	if err != nil {
		return nil, 0, err
	}
	defer t.Rollback()
	var total int
	if err := t.queryRow(ctx, `SELECT COUNT(*) FROM observation_revisions`+w.String(), w.args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count revisions: %w", err)
	}
	limit, largs := db.page(f.Offset, f.Limit)
	rows, err := t.query(ctx, `SELECT `+observationColumns+`, replaced_by, replaced_at FROM observation_revisions`+w.String()+
		` ORDER BY replaced_at DESC, replaced_by DESC, indicator_id, org_code, period_start, period_months, breakdown_key`+limit,
		append(w.args, largs...)...)
	if err != nil {
		return nil, 0, fmt.Errorf("find revisions: %w", err)
	}
	defer rows.Close()
	var revs []accord.Revision
	for rows.Next() {
		var r accord.Revision
		if r.Observation, err = scanObservation(rows, &r.ReplacedBy, timestamp{&r.ReplacedAt}); err != nil {
			return nil, 0, fmt.Errorf("find revisions: %w", err)
		}
		revs = append(revs, r)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("find revisions: %w", err)
	}
	return revs, total, nil
}
