package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"time"

	accord "github.com/nhs-accord/accord"
)

var _ accord.PracticeStore = (*DB)(nil)

const practiceColumns = `n.id, n.org_code, n.author, n.author_name, n.title, n.problem, n.tried, n.happened, n.version,
	n.created_at, n.updated_at`

// CreatePracticeNote stores a new note; see accord.PracticeStore.
func (db *DB) CreatePracticeNote(ctx context.Context, n *accord.PracticeNote, by accord.Actor) error {
	if n == nil {
		return accord.Errorf(accord.EINVALID, "no practice note given")
	}
	if err := by.Validate(); err != nil {
		return err
	}
	note := normalNote(*n)
	x, err := db.begin(ctx)
	if err != nil {
		return err
	}
	defer x.Rollback()
	if err := x.lockAudit(ctx); err != nil {
		return fmt.Errorf("create practice note: %w", err)
	}
	if err := x.checkNote(ctx, note); err != nil {
		return err
	}
	now := stampNow()
	stamp := now.Format(time.RFC3339)
	note.Author, note.AuthorName, note.Version, note.CreatedAt, note.UpdatedAt = by.Email, by.Name, 1, now, now
	note.TriedElsewhere = []accord.TriedElsewhere{}
	if err := x.queryRow(ctx, `INSERT INTO practice_notes (org_code, author, author_name, title, problem, tried, happened, version,
			created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?) RETURNING id`,
		note.OrgCode, by.Email, by.Name, note.Title, note.Problem, note.Tried, note.Happened, stamp, stamp).Scan(&note.ID); err != nil {
		if isForeignKeyViolation(err) {
			return accord.Errorf(accord.EINVALID, "practice note %s: its organisation was removed at the same time; try again", note.Title)
		}
		return fmt.Errorf("create practice note: %w", err)
	}
	if err := x.insertNoteParts(ctx, note); err != nil {
		return fmt.Errorf("create practice note: %w", err)
	}
	if err := x.recordNote(ctx, by, "practice_note.create", note.ID, "", map[string]any{"note": note}); err != nil {
		return fmt.Errorf("create practice note: %w", err)
	}
	if err := x.Commit(); err != nil {
		return fmt.Errorf("create practice note: commit: %w", err)
	}
	*n = note
	return nil
}

// UpdatePracticeNote replaces a note's text, topics and evidence; see
// accord.PracticeStore. An update that changes nothing stores nothing.
func (db *DB) UpdatePracticeNote(ctx context.Context, n accord.PracticeNote, by accord.Actor) (accord.PracticeNote, error) {
	if err := by.Validate(); err != nil {
		return accord.PracticeNote{}, err
	}
	x, err := db.begin(ctx)
	if err != nil {
		return accord.PracticeNote{}, err
	}
	defer x.Rollback()
	if err := x.lockAudit(ctx); err != nil {
		return accord.PracticeNote{}, fmt.Errorf("update practice note %d: %w", n.ID, err)
	}
	cur, err := x.findPracticeNote(ctx, n.ID)
	if err != nil {
		return accord.PracticeNote{}, err
	}
	if n.Version != cur.Version {
		return accord.PracticeNote{}, accord.Errorf(accord.ECONFLICT,
			"practice note %d was changed by someone else (you edited version %d; it is now version %d); reload it and make your changes again",
			n.ID, n.Version, cur.Version)
	}
	if n.OrgCode != "" && n.OrgCode != cur.OrgCode {
		var p accord.Problems
		p.Add("organisation", "a practice note stays with its organisation (%s)", cur.OrgCode)
		return accord.PracticeNote{}, p.Err("practice note " + cur.Title)
	}
	next := cur
	next.Title, next.Topics, next.Problem, next.Tried, next.Happened, next.Evidence = n.Title, n.Topics, n.Problem, n.Tried, n.Happened, n.Evidence
	next = normalNote(next)
	if err := x.checkNote(ctx, next); err != nil {
		return accord.PracticeNote{}, err
	}
	changed := noteChanges(cur, next)
	if len(changed) == 0 {
		return cur, nil
	}
	now := stampNow()
	next.Version, next.UpdatedAt = cur.Version+1, now
	res, err := x.exec(ctx, `UPDATE practice_notes SET title = ?, problem = ?, tried = ?, happened = ?, version = ?, updated_at = ?
		WHERE id = ? AND version = ?`, next.Title, next.Problem, next.Tried, next.Happened, next.Version, now.Format(time.RFC3339),
		cur.ID, cur.Version)
	if err != nil {
		return accord.PracticeNote{}, fmt.Errorf("update practice note %d: %w", n.ID, err)
	}
	if k, err := res.RowsAffected(); err != nil || k != 1 {
		return accord.PracticeNote{}, accord.Errorf(accord.ECONFLICT, "practice note %d was changed by someone else; reload it", n.ID)
	}
	for _, q := range []string{`DELETE FROM practice_note_topics WHERE note_id = ?`, `DELETE FROM practice_note_evidence WHERE note_id = ?`} {
		if _, err := x.exec(ctx, q, cur.ID); err != nil {
			return accord.PracticeNote{}, fmt.Errorf("update practice note %d: %w", n.ID, err)
		}
	}
	if err := x.insertNoteParts(ctx, next); err != nil {
		return accord.PracticeNote{}, fmt.Errorf("update practice note %d: %w", n.ID, err)
	}
	if err := x.recordNote(ctx, by, "practice_note.update", cur.ID, "", map[string]any{"version": next.Version, "changed": changed}); err != nil {
		return accord.PracticeNote{}, fmt.Errorf("update practice note %d: %w", n.ID, err)
	}
	if err := x.Commit(); err != nil {
		return accord.PracticeNote{}, fmt.Errorf("update practice note %d: commit: %w", n.ID, err)
	}
	return next, nil
}

// DeletePracticeNote removes a note and what hangs from it; the audit entry
// keeps it as it was.
func (db *DB) DeletePracticeNote(ctx context.Context, id int64, by accord.Actor, reason string) error {
	if err := by.Validate(); err != nil {
		return err
	}
	x, err := db.begin(ctx)
	if err != nil {
		return err
	}
	defer x.Rollback()
	if err := x.lockAudit(ctx); err != nil {
		return fmt.Errorf("delete practice note %d: %w", id, err)
	}
	cur, err := x.findPracticeNote(ctx, id)
	if err != nil {
		return err
	}
	for _, q := range []string{
		`DELETE FROM practice_tried_elsewhere WHERE note_id = ?`,
		`DELETE FROM practice_note_topics WHERE note_id = ?`,
		`DELETE FROM practice_note_evidence WHERE note_id = ?`,
		`DELETE FROM practice_notes WHERE id = ?`,
	} {
		if _, err := x.exec(ctx, q, id); err != nil {
			return fmt.Errorf("delete practice note %d: %w", id, err)
		}
	}
	if err := x.recordNote(ctx, by, "practice_note.delete", id, reason, map[string]any{"note": cur}); err != nil {
		return fmt.Errorf("delete practice note %d: %w", id, err)
	}
	if err := x.Commit(); err != nil {
		return fmt.Errorf("delete practice note %d: commit: %w", id, err)
	}
	return nil
}

// AddTriedElsewhere records that another organisation tried a note; see
// accord.PracticeStore.
func (db *DB) AddTriedElsewhere(ctx context.Context, noteID int64, te *accord.TriedElsewhere, by accord.Actor) error {
	if te == nil {
		return accord.Errorf(accord.EINVALID, "no record given")
	}
	if err := by.Validate(); err != nil {
		return err
	}
	rec := *te
	rec.By, rec.Result = strings.TrimSpace(rec.By), strings.TrimSpace(rec.Result)
	p, err := problemsOf(rec.Validate())
	if err != nil {
		return err
	}
	if rec.When.After(deadlineToday().Time) {
		p.Add("when", "%s is in the future: record what was tried once it has been", rec.When)
	}
	x, err := db.begin(ctx)
	if err != nil {
		return err
	}
	defer x.Rollback()
	if err := x.lockAudit(ctx); err != nil {
		return fmt.Errorf("record tried elsewhere: %w", err)
	}
	var noteOrg string
	err = x.queryRow(ctx, `SELECT org_code FROM practice_notes WHERE id = ?`, noteID).Scan(&noteOrg)
	if errors.Is(err, sql.ErrNoRows) {
		return accord.Errorf(accord.ENOTFOUND, "practice note %d not found", noteID)
	}
	if err != nil {
		return fmt.Errorf("record tried elsewhere: %w", err)
	}
	if rec.OrgCode != "" && rec.OrgCode == noteOrg {
		p.Add("organisation", "%s wrote the note; tried elsewhere is for another organisation", noteOrg)
	} else if p, err = x.checkOrgs(ctx, "organisation", []string{rec.OrgCode}, p); err != nil {
		return fmt.Errorf("record tried elsewhere: %w", err)
	}
	if err := p.Err("tried elsewhere"); err != nil {
		return err
	}
	now := stampNow()
	rec.NoteID, rec.RecordedBy, rec.At = noteID, by.Email, now
	if err := x.queryRow(ctx, `INSERT INTO practice_tried_elsewhere (note_id, org_code, by_name, tried_on, result, verdict, recorded_by, at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, noteID, rec.OrgCode, rec.By, dateArg(rec.When), rec.Result,
		string(rec.Verdict), by.Email, now.Format(time.RFC3339)).Scan(&rec.ID); err != nil {
		return fmt.Errorf("record tried elsewhere: %w", err)
	}
	if err := x.recordNote(ctx, by, "practice_note.tried_elsewhere", noteID, "", map[string]any{"tried_elsewhere": rec}); err != nil {
		return fmt.Errorf("record tried elsewhere: %w", err)
	}
	if err := x.Commit(); err != nil {
		return fmt.Errorf("record tried elsewhere: commit: %w", err)
	}
	*te = rec
	return nil
}

// FindPracticeNote returns the note with id, or ENOTFOUND.
func (db *DB) FindPracticeNote(ctx context.Context, id int64) (accord.PracticeNote, error) {
	x, err := db.beginRead(ctx)
	if err != nil {
		return accord.PracticeNote{}, err
	}
	defer x.Rollback()
	return x.findPracticeNote(ctx, id)
}

// FindPracticeNotes returns the notes f selects, most recently updated
// first, and how many there are in all.
func (db *DB) FindPracticeNotes(ctx context.Context, f accord.PracticeNoteFilter) ([]accord.PracticeNote, int, error) {
	if err := checkPage(f.Offset, f.Limit); err != nil {
		return nil, 0, err
	}
	var w where
	if f.OrgCode != "" {
		w.add("n.org_code = ?", f.OrgCode)
	}
	if f.IndicatorID != "" {
		w.add("EXISTS (SELECT 1 FROM practice_note_evidence e WHERE e.note_id = n.id AND e.indicator_id = ?)", f.IndicatorID)
	}
	if topic := accord.NormalTopic(f.Topic); topic != "" {
		w.add("EXISTS (SELECT 1 FROM practice_note_topics t WHERE t.note_id = n.id AND t.topic = ?)", topic)
	}
	if strings.TrimSpace(f.Q) != "" {
		q := likePattern(f.Q)
		w.add(`(LOWER(n.title) LIKE ? ESCAPE '\' OR LOWER(n.problem) LIKE ? ESCAPE '\' OR LOWER(n.tried) LIKE ? ESCAPE '\'
			OR LOWER(n.happened) LIKE ? ESCAPE '\'
			OR EXISTS (SELECT 1 FROM practice_note_topics t WHERE t.note_id = n.id AND t.topic LIKE ? ESCAPE '\'))`, q, q, q, q, q)
	}
	x, err := db.beginRead(ctx)
	if err != nil {
		return nil, 0, err
	}
	defer x.Rollback()
	var total int
	if err := x.queryRow(ctx, `SELECT COUNT(*) FROM practice_notes n`+w.String(), w.args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count practice notes: %w", err)
	}
	limit, largs := db.page(f.Offset, f.Limit)
	ns, err := x.loadPracticeNotes(ctx, `SELECT `+practiceColumns+` FROM practice_notes n`+w.String()+
		` ORDER BY n.updated_at DESC, n.id DESC`+limit, append(w.args, largs...)...)
	if err != nil {
		return nil, 0, fmt.Errorf("find practice notes: %w", err)
	}
	return ns, total, nil
}

// recordNote appends the audit entry for a change to practice note id.
func (x *tx) recordNote(ctx context.Context, by accord.Actor, action string, id int64, reason string, detail map[string]any) error {
	return x.recordSubject(ctx, by, action, fmt.Sprintf("practice_note/%d", id), reason, detail)
}

// checkNote validates n and checks that its organisation and its
// evidence's indicators and organisations are known.
func (x *tx) checkNote(ctx context.Context, n accord.PracticeNote) error {
	p, err := problemsOf(n.Validate())
	if err != nil {
		return err
	}
	if n.OrgCode != "" {
		if p, err = x.checkOrgs(ctx, "organisation", []string{n.OrgCode}, p); err != nil {
			return err
		}
	}
	var indicators, orgs []string
	for _, e := range n.Evidence {
		indicators, orgs = append(indicators, e.IndicatorID), append(orgs, e.OrgCode)
	}
	if p, err = x.checkIndicators(ctx, "evidence", indicators, p); err != nil {
		return err
	}
	if p, err = x.checkOrgs(ctx, "evidence", orgs, p); err != nil {
		return err
	}
	return p.Err("practice note " + n.Title)
}

func (x *tx) insertNoteParts(ctx context.Context, n accord.PracticeNote) error {
	for i, t := range n.Topics {
		if _, err := x.exec(ctx, `INSERT INTO practice_note_topics (note_id, seq, topic) VALUES (?, ?, ?)`, n.ID, i+1, t); err != nil {
			return fmt.Errorf("topic %q: %w", t, err)
		}
	}
	for i, e := range n.Evidence {
		if _, err := x.exec(ctx, `INSERT INTO practice_note_evidence (note_id, seq, indicator_id, org_code, period_from, from_start,
				period_to, to_start, verdict) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			n.ID, i+1, e.IndicatorID, e.OrgCode, e.From.String(), startArg(e.From), e.To.String(), startArg(e.To), string(e.Verdict)); err != nil {
			return fmt.Errorf("evidence %d: %w", i+1, err)
		}
	}
	return nil
}

// findPracticeNote reads one note with its parts, or ENOTFOUND.
func (x *tx) findPracticeNote(ctx context.Context, id int64) (accord.PracticeNote, error) {
	ns, err := x.loadPracticeNotes(ctx, `SELECT `+practiceColumns+` FROM practice_notes n WHERE n.id = ?`, id)
	if err != nil {
		return accord.PracticeNote{}, fmt.Errorf("find practice note %d: %w", id, err)
	}
	if len(ns) == 0 {
		return accord.PracticeNote{}, accord.Errorf(accord.ENOTFOUND, "practice note %d not found", id)
	}
	return ns[0], nil
}

// loadPracticeNotes reads the notes query selects (practiceColumns), in its
// order, with their topics, evidence and tried-elsewhere records.
func (x *tx) loadPracticeNotes(ctx context.Context, query string, args ...any) ([]accord.PracticeNote, error) {
	out := []accord.PracticeNote{}
	err := x.eachRow(ctx, func(rows *sql.Rows) error {
		var n accord.PracticeNote
		if err := rows.Scan(&n.ID, &n.OrgCode, &n.Author, &n.AuthorName, &n.Title, &n.Problem, &n.Tried, &n.Happened, &n.Version,
			timestamp{&n.CreatedAt}, timestamp{&n.UpdatedAt}); err != nil {
			return err
		}
		n.Topics, n.Evidence, n.TriedElsewhere = []string{}, []accord.PracticeEvidence{}, []accord.TriedElsewhere{}
		out = append(out, n)
		return nil
	}, query, args...)
	if err != nil || len(out) == 0 {
		return out, err
	}
	at := make(map[int64]int, len(out))
	ids := make([]int64, len(out))
	for i, n := range out {
		at[n.ID], ids[i] = i, n.ID
	}
	for _, chunk := range chunks(ids) {
		in := "(" + placeholders(len(chunk)) + ")"
		args := anyArgs(chunk)
		err := x.eachRow(ctx, func(rows *sql.Rows) error {
			var id int64
			var topic string
			if err := rows.Scan(&id, &topic); err != nil {
				return err
			}
			out[at[id]].Topics = append(out[at[id]].Topics, topic)
			return nil
		}, `SELECT note_id, topic FROM practice_note_topics WHERE note_id IN `+in+` ORDER BY note_id, seq`, args...)
		if err != nil {
			return nil, fmt.Errorf("practice note topics: %w", err)
		}
		err = x.eachRow(ctx, func(rows *sql.Rows) error {
			var id int64
			var e accord.PracticeEvidence
			var verdict string
			if err := rows.Scan(&id, &e.IndicatorID, &e.OrgCode, &e.From, &e.To, &verdict); err != nil {
				return err
			}
			e.Verdict = accord.SPCVerdict(verdict)
			out[at[id]].Evidence = append(out[at[id]].Evidence, e)
			return nil
		}, `SELECT note_id, indicator_id, org_code, period_from, period_to, verdict FROM practice_note_evidence
			WHERE note_id IN `+in+` ORDER BY note_id, seq`, args...)
		if err != nil {
			return nil, fmt.Errorf("practice note evidence: %w", err)
		}
		err = x.eachRow(ctx, func(rows *sql.Rows) error {
			var te accord.TriedElsewhere
			var verdict string
			if err := rows.Scan(&te.NoteID, &te.ID, &te.OrgCode, &te.By, &te.When, &te.Result, &verdict, &te.RecordedBy,
				timestamp{&te.At}); err != nil {
				return err
			}
			te.Verdict = accord.SPCVerdict(verdict)
			out[at[te.NoteID]].TriedElsewhere = append(out[at[te.NoteID]].TriedElsewhere, te)
			return nil
		}, `SELECT note_id, id, org_code, by_name, tried_on, result, verdict, recorded_by, at FROM practice_tried_elsewhere
			WHERE note_id IN `+in+` ORDER BY note_id, id`, args...)
		if err != nil {
			return nil, fmt.Errorf("practice tried elsewhere: %w", err)
		}
	}
	return out, nil
}

// normalNote trims a note's text and puts its topics in NormalTopic form.
func normalNote(n accord.PracticeNote) accord.PracticeNote {
	n.Title, n.Problem = strings.TrimSpace(n.Title), strings.TrimSpace(n.Problem)
	n.Tried, n.Happened = strings.TrimSpace(n.Tried), strings.TrimSpace(n.Happened)
	topics := make([]string, len(n.Topics))
	for i, t := range n.Topics {
		topics[i] = accord.NormalTopic(t)
	}
	n.Topics = topics
	n.Evidence = nonNil(n.Evidence)
	for i := range n.Evidence {
		e := &n.Evidence[i]
		e.IndicatorID, e.OrgCode = strings.TrimSpace(e.IndicatorID), strings.TrimSpace(e.OrgCode)
	}
	return n
}

// noteChanges lists the edited fields that differ, each as {"from", "to"}.
func noteChanges(before, after accord.PracticeNote) map[string]any {
	out := map[string]any{}
	add := func(name string, a, b any) {
		if !reflect.DeepEqual(a, b) {
			out[name] = map[string]any{"from": a, "to": b}
		}
	}
	add("title", before.Title, after.Title)
	add("topics", nonNil(before.Topics), nonNil(after.Topics))
	add("problem", before.Problem, after.Problem)
	add("tried", before.Tried, after.Tried)
	add("happened", before.Happened, after.Happened)
	add("evidence", nonNil(before.Evidence), nonNil(after.Evidence))
	return out
}
