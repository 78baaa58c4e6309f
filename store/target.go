package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"time"

	accord "github.com/nhs-accord/accord"
)

var _ accord.TargetStore = (*DB)(nil)

const targetColumns = `id, org_code, indicator_id, priority_id, local_tag, title, comparator, value, baseline_period,
	baseline_value, deadline, local_circumstances, rationale, floor_justification, status, version, created_at, updated_at,
	submitted_at, approved_at`

// defaultQuestion is what a consultation asks when the ICB lead opening it
// gives no question of their own.
const defaultQuestion = "Do you support this target as proposed? If not, what should change?"

// deadlineToday is the date deadlines are checked against: the day in UTC,
// which is the day in England but for the hour after midnight in summer.
func deadlineToday() accord.Date {
	y, m, d := time.Now().UTC().Date()
	return accord.NewDate(y, m, d)
}

// stampNow is the moment a change is recorded, to the second as stored.
func stampNow() time.Time { return time.Now().UTC().Truncate(time.Second) }

// CreateTarget stores t, a new draft (an empty status is taken to mean
// one), and its trajectory after checking
// that its deadline is not past and its organisation, indicator and
// national priority (if any) exist; it sets its ID, Version (1) and
// timestamps, and records the creation in the audit log.
func (db *DB) CreateTarget(ctx context.Context, t *accord.Target, by accord.Actor) error {
	if t == nil {
		return accord.Errorf(accord.EINVALID, "no target given")
	}
	if err := by.Validate(); err != nil {
		return err
	}
	if t.Status == "" {
		// A new target can only be a draft, so a form need not say so.
		t.Status = accord.TargetDraft
	}
	p, err := problemsOf(t.Validate())
	if err != nil {
		return err
	}
	if t.Status != accord.TargetDraft {
		p.Add("status", "a new target starts as a draft, not %s", t.Status)
	}
	if !t.Deadline.IsZero() && t.Deadline.Before(deadlineToday().Time) {
		p.Add("deadline", "%s is in the past; choose today or a later date", t.Deadline)
	}
	x, err := db.begin(ctx)
	if err != nil {
		return err
	}
	defer x.Rollback()
	if err := x.lockAudit(ctx); err != nil {
		return fmt.Errorf("create target: %w", err)
	}
	if p, err = x.checkTargetRefs(ctx, *t, p); err != nil {
		return fmt.Errorf("create target: %w", err)
	}
	if err := p.Err("target " + t.Title); err != nil {
		return err
	}

	now := stampNow()
	stamp := now.Format(time.RFC3339)
	var id int64
	if err := x.queryRow(ctx, `INSERT INTO targets (org_code, indicator_id, priority_id, local_tag, title, comparator, value,
			baseline_period, baseline_value, deadline, local_circumstances, rationale, floor_justification, status, version,
			created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?) RETURNING id`,
		t.OrgCode, t.IndicatorID, nullString(t.PriorityID), string(t.LocalTag), t.Title, string(t.Comparator), t.Value,
		periodArg(t.BaselinePeriod), nullFloat(t.BaselineValue), dateArg(t.Deadline), t.LocalCircumstances, t.Rationale,
		t.FloorJustification, string(accord.TargetDraft), stamp, stamp).Scan(&id); err != nil {
		if isForeignKeyViolation(err) {
			return accord.Errorf(accord.EINVALID, "target %s: its organisation, indicator or priority was removed at the same time; try again", t.Title)
		}
		return fmt.Errorf("create target: %w", err)
	}
	if err := x.insertTrajectory(ctx, id, t.Trajectory); err != nil {
		return fmt.Errorf("create target: %w", err)
	}
	created := *t
	created.ID, created.Version, created.Status, created.CreatedAt, created.UpdatedAt = id, 1, accord.TargetDraft, now, now
	created.SubmittedAt, created.ApprovedAt = nil, nil
	if err := x.record(ctx, by, "target.create", id, "", map[string]any{"target": created}); err != nil {
		return fmt.Errorf("create target: %w", err)
	}
	if err := x.Commit(); err != nil {
		return fmt.Errorf("create target: commit: %w", err)
	}
	*t = created
	return nil
}

// UpdateTarget replaces the editable fields and trajectory of a target in
// draft or consultation, as the next version; see accord.TargetStore. An
// update that changes nothing stores nothing and returns the target as it
// is.
func (db *DB) UpdateTarget(ctx context.Context, t accord.Target, by accord.Actor, reason string) (accord.Target, error) {
	if err := by.Validate(); err != nil {
		return accord.Target{}, err
	}
	x, err := db.begin(ctx)
	if err != nil {
		return accord.Target{}, err
	}
	defer x.Rollback()
	if err := x.lockAudit(ctx); err != nil {
		return accord.Target{}, fmt.Errorf("update target %d: %w", t.ID, err)
	}
	cur, err := x.findTarget(ctx, t.ID)
	if err != nil {
		return accord.Target{}, err
	}
	if t.Version != cur.Version {
		return accord.Target{}, accord.Errorf(accord.ECONFLICT,
			"target %d was changed by someone else (you edited version %d; it is now version %d); reload it and make your changes again",
			t.ID, t.Version, cur.Version)
	}
	if err := editableNow(cur); err != nil {
		return accord.Target{}, err
	}
	var p accord.Problems
	if t.OrgCode != "" && t.OrgCode != cur.OrgCode {
		p.Add("organisation", "a target stays with its organisation (%s); create a new target for %s", cur.OrgCode, t.OrgCode)
	}
	if t.Status != "" && t.Status != cur.Status {
		p.Add("status", "is changed by moving the target, not by editing it")
	}
	next := cur
	next.IndicatorID, next.PriorityID, next.LocalTag = t.IndicatorID, t.PriorityID, t.LocalTag
	next.Title, next.Comparator, next.Value = t.Title, t.Comparator, t.Value
	next.BaselinePeriod, next.BaselineValue, next.Deadline = t.BaselinePeriod, t.BaselineValue, t.Deadline
	next.LocalCircumstances, next.Rationale, next.FloorJustification = t.LocalCircumstances, t.Rationale, t.FloorJustification
	next.Trajectory = t.Trajectory
	vp, err := problemsOf(next.Validate())
	if err != nil {
		return accord.Target{}, err
	}
	p = append(p, vp...)
	if !next.Deadline.Equal(cur.Deadline.Time) && !next.Deadline.IsZero() && next.Deadline.Before(deadlineToday().Time) {
		p.Add("deadline", "%s is in the past; choose today or a later date", next.Deadline)
	}
	if p, err = x.checkTargetRefs(ctx, next, p); err != nil {
		return accord.Target{}, fmt.Errorf("update target %d: %w", t.ID, err)
	}
	if err := p.Err("target " + next.Title); err != nil {
		return accord.Target{}, err
	}
	changed, err := targetChanges(cur, next)
	if err != nil {
		return accord.Target{}, fmt.Errorf("update target %d: %w", t.ID, err)
	}
	if len(changed) == 0 {
		return cur, nil
	}
	next, err = x.saveVersion(ctx, cur, next, true)
	if err != nil {
		return accord.Target{}, fmt.Errorf("update target %d: %w", t.ID, err)
	}
	if err := x.record(ctx, by, "target.update", next.ID, reason,
		map[string]any{"version": next.Version, "changed": changed}); err != nil {
		return accord.Target{}, fmt.Errorf("update target %d: %w", t.ID, err)
	}
	if err := x.Commit(); err != nil {
		return accord.Target{}, fmt.Errorf("update target %d: commit: %w", t.ID, err)
	}
	return next, nil
}

// SetTrajectory replaces the trajectory of a target in draft or
// consultation, as the next version; see accord.TargetStore.
func (db *DB) SetTrajectory(ctx context.Context, id int64, ms []accord.Milestone, by accord.Actor, reason string) (accord.Target, error) {
	if err := by.Validate(); err != nil {
		return accord.Target{}, err
	}
	x, err := db.begin(ctx)
	if err != nil {
		return accord.Target{}, err
	}
	defer x.Rollback()
	if err := x.lockAudit(ctx); err != nil {
		return accord.Target{}, fmt.Errorf("set trajectory of target %d: %w", id, err)
	}
	cur, err := x.findTarget(ctx, id)
	if err != nil {
		return accord.Target{}, err
	}
	if err := editableNow(cur); err != nil {
		return accord.Target{}, err
	}
	next := cur
	next.Trajectory = ms
	if err := next.Validate(); err != nil {
		return accord.Target{}, err
	}
	if reflect.DeepEqual(normalTrajectory(cur.Trajectory), normalTrajectory(ms)) {
		return cur, nil
	}
	next, err = x.saveVersion(ctx, cur, next, true)
	if err != nil {
		return accord.Target{}, fmt.Errorf("set trajectory of target %d: %w", id, err)
	}
	if err := x.record(ctx, by, "target.trajectory", id, reason, map[string]any{
		"version": next.Version, "from": normalTrajectory(cur.Trajectory), "to": normalTrajectory(ms),
	}); err != nil {
		return accord.Target{}, fmt.Errorf("set trajectory of target %d: %w", id, err)
	}
	if err := x.Commit(); err != nil {
		return accord.Target{}, fmt.Errorf("set trajectory of target %d: commit: %w", id, err)
	}
	return next, nil
}

// MoveTarget moves a target along the lifecycle; see accord.TargetStore.
func (db *DB) MoveTarget(ctx context.Context, id int64, to accord.TargetStatus, by accord.Actor, reason string) (accord.Target, error) {
	if err := by.Validate(); err != nil {
		return accord.Target{}, err
	}
	x, err := db.begin(ctx)
	if err != nil {
		return accord.Target{}, err
	}
	defer x.Rollback()
	if err := x.lockAudit(ctx); err != nil {
		return accord.Target{}, fmt.Errorf("move target %d: %w", id, err)
	}
	cur, err := x.findTarget(ctx, id)
	if err != nil {
		return accord.Target{}, err
	}
	if err := accord.CheckTransition(cur.Status, to, by.Role, reason); err != nil {
		return accord.Target{}, err
	}
	// Consultees see the case for a target short of its national standard,
	// and the ICB agrees and submits it with that case made; it is checked
	// at each step because the target may be edited during consultation.
	if to == accord.TargetConsultation || to == accord.TargetAgreed || to == accord.TargetSubmitted {
		if err := x.checkFloor(ctx, cur, to); err != nil {
			return accord.Target{}, err
		}
	}
	now := stampNow()
	next := cur
	next.Status = to
	detail := map[string]any{"from": cur.Status, "to": to, "version": cur.Version}

	if cur.Status == accord.TargetConsultation {
		open, err := x.openConsultation(ctx, id)
		if err != nil {
			return accord.Target{}, fmt.Errorf("move target %d: %w", id, err)
		}
		if open != nil {
			if to == accord.TargetAgreed {
				if err := unansweredProblem(*open); err != nil {
					return accord.Target{}, err
				}
			}
			if _, err := x.exec(ctx, `UPDATE consultations SET closed_at = ? WHERE id = ?`, now.Format(time.RFC3339), open.ID); err != nil {
				return accord.Target{}, fmt.Errorf("move target %d: close consultation: %w", id, err)
			}
			detail["consultation_closed"] = open.ID
		}
	}
	switch to {
	case accord.TargetConsultation:
		question := reason
		if question == "" {
			question = defaultQuestion
		}
		var cid int64
		if err := x.queryRow(ctx, `INSERT INTO consultations (target_id, target_version, question, opened_by, opened_at)
			VALUES (?, ?, ?, ?, ?) RETURNING id`, id, cur.Version, question, by.Email, now.Format(time.RFC3339)).Scan(&cid); err != nil {
			return accord.Target{}, fmt.Errorf("move target %d: open consultation: %w", id, err)
		}
		detail["consultation_opened"] = cid
	case accord.TargetSubmitted:
		next.SubmittedAt = &now
	case accord.TargetApproved:
		next.ApprovedAt = &now
	}
	if cur.Status == accord.TargetChallenged && to == accord.TargetDraft {
		next = cur.Revise()
		detail["new_version"] = next.Version
		next, err = x.saveVersion(ctx, cur, next, false)
	} else {
		next, err = x.saveStatus(ctx, cur, next, now)
	}
	if err != nil {
		return accord.Target{}, fmt.Errorf("move target %d: %w", id, err)
	}
	if _, err := x.exec(ctx, `INSERT INTO target_events (target_id, version, from_status, to_status, actor, actor_name, role, reason, at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, id, cur.Version, string(cur.Status), string(to), by.Email, by.Name,
		string(by.Role), reason, now.Format(time.RFC3339)); err != nil {
		return accord.Target{}, fmt.Errorf("move target %d: record event: %w", id, err)
	}
	if err := x.record(ctx, by, "target.transition", id, reason, detail); err != nil {
		return accord.Target{}, fmt.Errorf("move target %d: %w", id, err)
	}
	if err := x.Commit(); err != nil {
		return accord.Target{}, fmt.Errorf("move target %d: commit: %w", id, err)
	}
	return next, nil
}

// TargetHistory returns the target's moves, oldest first, or ENOTFOUND.
func (db *DB) TargetHistory(ctx context.Context, id int64) ([]accord.TargetEvent, error) {
	x, err := db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer x.Rollback()
	if err := x.targetExists(ctx, id); err != nil {
		return nil, err
	}
	rows, err := x.query(ctx, `SELECT id, target_id, version, from_status, to_status, actor, actor_name, role, reason, at
		FROM target_events WHERE target_id = ? ORDER BY id`, id)
	if err != nil {
		return nil, fmt.Errorf("target %d history: %w", id, err)
	}
	defer rows.Close()
	out := []accord.TargetEvent{}
	for rows.Next() {
		var e accord.TargetEvent
		var from, to, role string
		if err := rows.Scan(&e.ID, &e.TargetID, &e.Version, &from, &to, &e.Actor, &e.ActorName, &role, &e.Reason,
			timestamp{&e.At}); err != nil {
			return nil, fmt.Errorf("target %d history: %w", id, err)
		}
		e.From, e.To, e.Role = accord.TargetStatus(from), accord.TargetStatus(to), accord.Role(role)
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("target %d history: %w", id, err)
	}
	return out, nil
}

// TargetVersions returns the superseded versions of the target as they
// stood, then the current one, oldest first; or ENOTFOUND.
func (db *DB) TargetVersions(ctx context.Context, id int64) ([]accord.Target, error) {
	x, err := db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer x.Rollback()
	cur, err := x.findTarget(ctx, id)
	if err != nil {
		return nil, err
	}
	rows, err := x.query(ctx, `SELECT version, snapshot FROM target_versions WHERE target_id = ? ORDER BY version`, id)
	if err != nil {
		return nil, fmt.Errorf("target %d versions: %w", id, err)
	}
	defer rows.Close()
	var out []accord.Target
	for rows.Next() {
		var version int
		var snapshot string
		if err := rows.Scan(&version, &snapshot); err != nil {
			return nil, fmt.Errorf("target %d versions: %w", id, err)
		}
		var t accord.Target
		if err := json.Unmarshal([]byte(snapshot), &t); err != nil {
			return nil, fmt.Errorf("target %d version %d: %w", id, version, err)
		}
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("target %d versions: %w", id, err)
	}
	return append(out, cur), nil
}

// FindTarget returns the target with id and its trajectory, or ENOTFOUND.
func (db *DB) FindTarget(ctx context.Context, id int64) (accord.Target, error) {
	x, err := db.beginRead(ctx)
	if err != nil {
		return accord.Target{}, err
	}
	defer x.Rollback()
	return x.findTarget(ctx, id)
}

// FindTargets returns the targets f selects, oldest first, each with its
// trajectory, and how many there are in all, ignoring Offset and Limit.
func (db *DB) FindTargets(ctx context.Context, f accord.TargetFilter) ([]accord.Target, int, error) {
	if err := checkPage(f.Offset, f.Limit); err != nil {
		return nil, 0, err
	}
	var w where
	if f.OrgCode != "" {
		w.add("org_code = ?", f.OrgCode)
	}
	if f.IndicatorID != "" {
		w.add("indicator_id = ?", f.IndicatorID)
	}
	if f.PriorityID != "" {
		w.add("priority_id = ?", f.PriorityID)
	}
	if f.Status != "" {
		w.add("status = ?", string(f.Status))
	}
	x, err := db.beginRead(ctx)
	if err != nil {
		return nil, 0, err
	}
	defer x.Rollback()
	var total int
	if err := x.queryRow(ctx, `SELECT COUNT(*) FROM targets`+w.String(), w.args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count targets: %w", err)
	}
	limit, largs := db.page(f.Offset, f.Limit)
	rows, err := x.query(ctx, `SELECT `+targetColumns+` FROM targets`+w.String()+` ORDER BY id`+limit, append(w.args, largs...)...)
	if err != nil {
		return nil, 0, fmt.Errorf("find targets: %w", err)
	}
	ts, err := scanTargets(rows)
	if err != nil {
		return nil, 0, fmt.Errorf("find targets: %w", err)
	}
	if err := x.loadTrajectories(ctx, ts); err != nil {
		return nil, 0, err
	}
	return ts, total, nil
}

// findTarget reads one target with its trajectory inside x, or ENOTFOUND.
func (x *tx) findTarget(ctx context.Context, id int64) (accord.Target, error) {
	rows, err := x.query(ctx, `SELECT `+targetColumns+` FROM targets WHERE id = ?`, id)
	if err != nil {
		return accord.Target{}, fmt.Errorf("find target %d: %w", id, err)
	}
	ts, err := scanTargets(rows)
	if err != nil {
		return accord.Target{}, fmt.Errorf("find target %d: %w", id, err)
	}
	if len(ts) == 0 {
		return accord.Target{}, accord.Errorf(accord.ENOTFOUND, "target %d not found", id)
	}
	if err := x.loadTrajectories(ctx, ts); err != nil {
		return accord.Target{}, err
	}
	return ts[0], nil
}

// targetExists is nil if the target is stored, else ENOTFOUND.
func (x *tx) targetExists(ctx context.Context, id int64) error {
	ok, err := x.exists(ctx, `SELECT 1 FROM targets WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("find target %d: %w", id, err)
	}
	if !ok {
		return accord.Errorf(accord.ENOTFOUND, "target %d not found", id)
	}
	return nil
}

// checkTargetRefs adds to p a problem for each of t's organisation,
// indicator and national priority that is not stored.
func (x *tx) checkTargetRefs(ctx context.Context, t accord.Target, p accord.Problems) (accord.Problems, error) {
	if t.OrgCode != "" {
		if ok, err := x.exists(ctx, `SELECT 1 FROM organisations WHERE code = ?`, t.OrgCode); err != nil {
			return p, err
		} else if !ok {
			p.Add("organisation", "%q is not known", t.OrgCode)
		}
	}
	if t.IndicatorID != "" {
		if ok, err := x.exists(ctx, `SELECT 1 FROM indicators WHERE id = ?`, t.IndicatorID); err != nil {
			return p, err
		} else if !ok {
			p.Add("indicator", "%q is not in the catalogue", t.IndicatorID)
		}
	}
	if t.PriorityID != "" {
		if ok, err := x.exists(ctx, `SELECT 1 FROM priorities WHERE id = ?`, t.PriorityID); err != nil {
			return p, err
		} else if !ok {
			p.Add("priority", "%q is not a national priority on the register", t.PriorityID)
		}
	}
	return p, nil
}

// checkFloor refuses to take on a target short of its national priority's
// standard that does not say why it is still right.
func (x *tx) checkFloor(ctx context.Context, t accord.Target, to accord.TargetStatus) error {
	if t.PriorityID == "" || strings.TrimSpace(t.FloorJustification) != "" {
		return nil
	}
	var pr accord.Priority
	var comparator string
	err := x.queryRow(ctx, `SELECT id, comparator, standard FROM priorities WHERE id = ?`, t.PriorityID).
		Scan(&pr.ID, &comparator, &pr.Standard)
	if errors.Is(err, sql.ErrNoRows) {
		return nil // the priority left the register; there is no standard to fall short of
	}
	if err != nil {
		return fmt.Errorf("check standard of target %d: %w", t.ID, err)
	}
	pr.Comparator = accord.Comparator(comparator)
	if !t.ShortOf(pr) {
		return nil
	}
	var p accord.Problems
	p.Add("floor_justification", "the target (%s %g) falls short of the national standard of %s (%s %g): say why it is still the right target before it goes to %s",
		t.Comparator, t.Value, pr.ID, pr.Comparator, pr.Standard, to)
	return p.Err(fmt.Sprintf("target %d", t.ID))
}

// editableNow is nil if cur may be edited, else ECONFLICT naming its status.
func editableNow(cur accord.Target) error {
	if accord.Editable(cur.Status) {
		return nil
	}
	return accord.Errorf(accord.ECONFLICT, "target %d is %s: it can be edited only in draft or in consultation", cur.ID, cur.Status)
}

// saveVersion stores next as the version after cur, keeping a snapshot of
// cur; with trajectory, the milestones are replaced too. It returns next
// as stored. Every change to what a target says makes a new version, so
// that what was consulted on, submitted or challenged stays on record and
// an edit made from a stale page is caught by its version.
func (x *tx) saveVersion(ctx context.Context, cur, next accord.Target, trajectory bool) (accord.Target, error) {
	now := stampNow()
	snapshot, err := json.Marshal(cur)
	if err != nil {
		return accord.Target{}, err
	}
	if _, err := x.exec(ctx, `INSERT INTO target_versions (target_id, version, snapshot, created_at) VALUES (?, ?, ?, ?)`,
		cur.ID, cur.Version, string(snapshot), now.Format(time.RFC3339)); err != nil {
		if isUniqueViolation(err) {
			return accord.Target{}, accord.Errorf(accord.ECONFLICT, "target %d version %d was changed at the same time; reload it", cur.ID, cur.Version)
		}
		return accord.Target{}, fmt.Errorf("keep version %d: %w", cur.Version, err)
	}
	next.Version = cur.Version + 1
	next.UpdatedAt = now
	res, err := x.exec(ctx, `UPDATE targets SET indicator_id = ?, priority_id = ?, local_tag = ?, title = ?, comparator = ?,
			value = ?, baseline_period = ?, baseline_value = ?, deadline = ?, local_circumstances = ?, rationale = ?,
			floor_justification = ?, status = ?, version = ?, updated_at = ?, submitted_at = ?, approved_at = ?
		WHERE id = ? AND version = ?`,
		next.IndicatorID, nullString(next.PriorityID), string(next.LocalTag), next.Title, string(next.Comparator), next.Value,
		periodArg(next.BaselinePeriod), nullFloat(next.BaselineValue), dateArg(next.Deadline), next.LocalCircumstances,
		next.Rationale, next.FloorJustification, string(next.Status), next.Version, now.Format(time.RFC3339),
		nullTime(next.SubmittedAt), nullTime(next.ApprovedAt), cur.ID, cur.Version)
	if err != nil {
		if isForeignKeyViolation(err) {
			return accord.Target{}, accord.Errorf(accord.EINVALID, "target %d: its indicator or priority was removed at the same time; try again", cur.ID)
		}
		return accord.Target{}, fmt.Errorf("save version %d: %w", next.Version, err)
	}
	if err := oneRow(res, cur); err != nil {
		return accord.Target{}, err
	}
	if trajectory {
		if _, err := x.exec(ctx, `DELETE FROM target_milestones WHERE target_id = ?`, cur.ID); err != nil {
			return accord.Target{}, fmt.Errorf("replace trajectory: %w", err)
		}
		if err := x.insertTrajectory(ctx, cur.ID, next.Trajectory); err != nil {
			return accord.Target{}, err
		}
	}
	return next, nil
}

// saveStatus stores a move that keeps the version: the status and the
// moments it sets.
func (x *tx) saveStatus(ctx context.Context, cur, next accord.Target, now time.Time) (accord.Target, error) {
	next.UpdatedAt = now
	res, err := x.exec(ctx, `UPDATE targets SET status = ?, updated_at = ?, submitted_at = ?, approved_at = ?
		WHERE id = ? AND version = ?`, string(next.Status), now.Format(time.RFC3339), nullTime(next.SubmittedAt),
		nullTime(next.ApprovedAt), cur.ID, cur.Version)
	if err != nil {
		return accord.Target{}, fmt.Errorf("save status: %w", err)
	}
	if err := oneRow(res, cur); err != nil {
		return accord.Target{}, err
	}
	return next, nil
}

// oneRow is ECONFLICT unless res changed exactly one row: the audit lock
// makes writers take turns, so this is a backstop, not the usual check.
func oneRow(res sql.Result, cur accord.Target) error {
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n != 1 {
		return accord.Errorf(accord.ECONFLICT, "target %d was changed by someone else; reload it", cur.ID)
	}
	return nil
}

func (x *tx) insertTrajectory(ctx context.Context, id int64, ms []accord.Milestone) error {
	if len(ms) == 0 {
		return nil
	}
	add, err := x.prepare(ctx, `INSERT INTO target_milestones (target_id, seq, period, period_start, value) VALUES (?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	defer add.Close()
	for i, m := range ms {
		if _, err := add.ExecContext(ctx, id, i+1, m.Period.String(), startArg(m.Period), m.Value); err != nil {
			return fmt.Errorf("milestone %d: %w", i+1, err)
		}
	}
	return nil
}

// record appends the audit entry for a change to target id made by by.
// The detail says what changed and under which grant by acted, because the
// audit log's actor is only an email.
func (x *tx) record(ctx context.Context, by accord.Actor, action string, id int64, reason string, detail map[string]any) error {
	detail["as"] = map[string]any{"name": by.Name, "role": by.Role, "organisation": by.OrgCode}
	b, err := json.Marshal(detail)
	if err != nil {
		return fmt.Errorf("audit %s: %w", action, err)
	}
	_, err = x.appendAudit(ctx, accord.AuditEntry{
		Actor: by.Email, Action: action, Subject: fmt.Sprintf("target/%d", id), Reason: reason, Detail: string(b),
	})
	return err
}

// targetChanges lists the fields that differ between two versions of a
// target, each as {"from": …, "to": …}, by their JSON names. Bookkeeping
// fields (id, version, status, moments) are left out: they are not edits.
func targetChanges(before, after accord.Target) (map[string]any, error) {
	before.Trajectory, after.Trajectory = normalTrajectory(before.Trajectory), normalTrajectory(after.Trajectory)
	a, err := jsonFields(before)
	if err != nil {
		return nil, err
	}
	b, err := jsonFields(after)
	if err != nil {
		return nil, err
	}
	out := map[string]any{}
	for k, v := range b {
		switch k {
		case "id", "version", "status", "created_at", "updated_at", "submitted_at", "approved_at":
			continue
		}
		if !reflect.DeepEqual(a[k], v) {
			out[k] = map[string]any{"from": a[k], "to": v}
		}
	}
	for k, v := range a {
		if _, ok := b[k]; !ok {
			out[k] = map[string]any{"from": v, "to": nil}
		}
	}
	return out, nil
}

func jsonFields(t accord.Target) (map[string]any, error) {
	b, err := json.Marshal(t)
	if err != nil {
		return nil, err
	}
	var m map[string]any
	return m, json.Unmarshal(b, &m)
}

// normalTrajectory makes an empty trajectory nil, so that "none" compares
// and records alike however it was given.
func normalTrajectory(ms []accord.Milestone) []accord.Milestone {
	if len(ms) == 0 {
		return nil
	}
	return ms
}

// problemsOf returns the field problems of a validation error, so that
// more can be added before it is returned; any other error comes back as
// it is.
func problemsOf(err error) (accord.Problems, error) {
	if err == nil {
		return nil, nil
	}
	var e *accord.Error
	if errors.As(err, &e) && e.Code == accord.EINVALID && len(e.Fields) > 0 {
		return append(accord.Problems(nil), e.Fields...), nil
	}
	return nil, err
}

func nullTime(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.UTC().Format(time.RFC3339)
}

func scanTargets(rows *sql.Rows) ([]accord.Target, error) {
	defer rows.Close()
	var ts []accord.Target
	for rows.Next() {
		var t accord.Target
		var priority sql.NullString
		var localTag, comparator, status string
		var baseline sql.NullFloat64
		if err := rows.Scan(&t.ID, &t.OrgCode, &t.IndicatorID, &priority, &localTag, &t.Title, &comparator, &t.Value,
			&t.BaselinePeriod, &baseline, &t.Deadline, &t.LocalCircumstances, &t.Rationale, &t.FloorJustification, &status,
			&t.Version, timestamp{&t.CreatedAt}, timestamp{&t.UpdatedAt}, nullTimestamp{&t.SubmittedAt},
			nullTimestamp{&t.ApprovedAt}); err != nil {
			return nil, err
		}
		t.PriorityID, t.LocalTag, t.Comparator, t.Status = priority.String, accord.Tag(localTag), accord.Comparator(comparator), accord.TargetStatus(status)
		t.BaselineValue = floatPtr(baseline)
		ts = append(ts, t)
	}
	return ts, rows.Err()
}

// loadTrajectories fills in the milestones of ts, in order.
func (x *tx) loadTrajectories(ctx context.Context, ts []accord.Target) error {
	if len(ts) == 0 {
		return nil
	}
	at := make(map[int64]int, len(ts))
	ids := make([]int64, len(ts))
	for i, t := range ts {
		at[t.ID] = i
		ids[i] = t.ID
	}
	for _, chunk := range chunks(ids) {
		rows, err := x.query(ctx, `SELECT target_id, period, value FROM target_milestones
			WHERE target_id IN (`+placeholders(len(chunk))+`) ORDER BY target_id, seq`, anyArgs(chunk)...)
		if err != nil {
			return fmt.Errorf("load trajectories: %w", err)
		}
		err = func() error {
			defer rows.Close()
			for rows.Next() {
				var id int64
				var m accord.Milestone
				if err := rows.Scan(&id, &m.Period, &m.Value); err != nil {
					return err
				}
				i := at[id]
				ts[i].Trajectory = append(ts[i].Trajectory, m)
			}
			return rows.Err()
		}()
		if err != nil {
			return fmt.Errorf("load trajectories: %w", err)
		}
	}
	return nil
}

// timestamp scans a moment written as RFC 3339 text (SQLite) or read as a
// time.Time (PostgreSQL's TIMESTAMPTZ), always into UTC.
type timestamp struct{ t *time.Time }

func (s timestamp) Scan(src any) error {
	switch v := src.(type) {
	case time.Time:
		*s.t = v.UTC()
		return nil
	case string:
		return s.parse(v)
	case []byte:
		return s.parse(string(v))
	}
	return fmt.Errorf("timestamp: cannot scan %T", src)
}

func (s timestamp) parse(v string) error {
	t, err := time.Parse(time.RFC3339Nano, v)
	if err != nil {
		return fmt.Errorf("timestamp %q: %w", v, err)
	}
	*s.t = t.UTC()
	return nil
}

// nullTimestamp scans a moment that may be NULL, into nil.
type nullTimestamp struct{ t **time.Time }

func (s nullTimestamp) Scan(src any) error {
	if src == nil {
		*s.t = nil
		return nil
	}
	var v time.Time
	if err := (timestamp{&v}).Scan(src); err != nil {
		return err
	}
	*s.t = &v
	return nil
}
