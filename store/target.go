package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	accord "github.com/nhs-accord/accord"
)

const targetColumns = `id, org_code, indicator_id, priority_id, local_tag, title, comparator, value, baseline_period,
	baseline_value, deadline, local_circumstances, rationale, status, version, created_at, updated_at`

// CreateTarget stores t and its trajectory after checking that its
// organisation, indicator and national priority (if any) exist, and sets
// its ID, Version (1) and timestamps.
func (db *DB) CreateTarget(ctx context.Context, t *accord.Target) error {
	if t == nil {
		return accord.Errorf(accord.EINVALID, "no target given")
	}
	if err := t.Validate(); err != nil {
		return err
	}
	x, err := db.begin(ctx)
	if err != nil {
		return err
	}
	defer x.Rollback()

	var p accord.Problems
	if ok, err := x.exists(ctx, `SELECT 1 FROM organisations WHERE code = ?`, t.OrgCode); err != nil {
		return fmt.Errorf("create target: %w", err)
	} else if !ok {
		p.Add("organisation", "%q is not known", t.OrgCode)
	}
	if ok, err := x.exists(ctx, `SELECT 1 FROM indicators WHERE id = ?`, t.IndicatorID); err != nil {
		return fmt.Errorf("create target: %w", err)
	} else if !ok {
		p.Add("indicator", "%q is not in the catalogue", t.IndicatorID)
	}
	if t.PriorityID != "" {
		if ok, err := x.exists(ctx, `SELECT 1 FROM priorities WHERE id = ?`, t.PriorityID); err != nil {
			return fmt.Errorf("create target: %w", err)
		} else if !ok {
			p.Add("priority", "%q is not a national priority on the register", t.PriorityID)
		}
	}
	if err := p.Err("target " + t.Title); err != nil {
		return err
	}

	now := time.Now().UTC().Truncate(time.Second)
	stamp := now.Format(time.RFC3339)
	var id int64
	if err := x.queryRow(ctx, `INSERT INTO targets (org_code, indicator_id, priority_id, local_tag, title, comparator, value,
			baseline_period, baseline_value, deadline, local_circumstances, rationale, status, version, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?) RETURNING id`,
		t.OrgCode, t.IndicatorID, nullString(t.PriorityID), string(t.LocalTag), t.Title, string(t.Comparator), t.Value,
		periodArg(t.BaselinePeriod), nullFloat(t.BaselineValue), dateArg(t.Deadline), t.LocalCircumstances, t.Rationale,
		string(t.Status), stamp, stamp).Scan(&id); err != nil {
		if isForeignKeyViolation(err) {
			return accord.Errorf(accord.EINVALID, "target %s: its organisation, indicator or priority was removed at the same time; try again", t.Title)
		}
		return fmt.Errorf("create target: %w", err)
	}
	if len(t.Trajectory) > 0 {
		add, err := x.prepare(ctx, `INSERT INTO target_milestones (target_id, seq, period, period_start, value) VALUES (?, ?, ?, ?, ?)`)
		if err != nil {
			return fmt.Errorf("create target: %w", err)
		}
		defer add.Close()
		for i, m := range t.Trajectory {
			if _, err := add.ExecContext(ctx, id, i+1, m.Period.String(), startArg(m.Period), m.Value); err != nil {
				return fmt.Errorf("create target: milestone %d: %w", i+1, err)
			}
		}
	}
	if err := x.Commit(); err != nil {
		return fmt.Errorf("create target: commit: %w", err)
	}
	t.ID, t.Version, t.CreatedAt, t.UpdatedAt = id, 1, now, now
	return nil
}

// FindTarget returns the target with id and its trajectory, or ENOTFOUND.
func (db *DB) FindTarget(ctx context.Context, id int64) (accord.Target, error) {
	x, err := db.beginRead(ctx)
	if err != nil {
		return accord.Target{}, err
	}
	defer x.Rollback()
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

func scanTargets(rows *sql.Rows) ([]accord.Target, error) {
	defer rows.Close()
	var ts []accord.Target
	for rows.Next() {
		var t accord.Target
		var priority sql.NullString
		var localTag, comparator, status string
		var baseline sql.NullFloat64
		if err := rows.Scan(&t.ID, &t.OrgCode, &t.IndicatorID, &priority, &localTag, &t.Title, &comparator, &t.Value,
			&t.BaselinePeriod, &baseline, &t.Deadline, &t.LocalCircumstances, &t.Rationale, &status, &t.Version,
			timestamp{&t.CreatedAt}, timestamp{&t.UpdatedAt}); err != nil {
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
