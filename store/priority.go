package store

import (
	"context"
	"database/sql"
	"fmt"

	accord "github.com/nhs-accord/accord"
)

const priorityColumns = `id, area, name, standard_type, metric, indicator_id, comparator, standard, unit,
	deadline, source, set_by, confidence`

// UpsertPriorities writes all of ps or none. A priority's indicator, when
// it names one, must be in the catalogue.
func (db *DB) UpsertPriorities(ctx context.Context, ps []accord.Priority) error {
	for _, p := range ps {
		if err := p.Validate(); err != nil {
			return err
		}
	}
	t, err := db.begin(ctx)
	if err != nil {
		return err
	}
	defer t.Rollback()
	var ids []string
	for _, p := range ps {
		if p.IndicatorID != "" {
			ids = append(ids, p.IndicatorID)
		}
	}
	inds, err := t.indicators(ctx, ids)
	if err != nil {
		return err
	}
	for _, p := range ps {
		if _, ok := inds[p.IndicatorID]; p.IndicatorID != "" && !ok {
			return &accord.Error{Code: accord.EINVALID, Message: "national priority " + p.ID, Fields: []accord.FieldError{{
				Field: "indicator_id", Message: fmt.Sprintf("%q is not in the catalogue", p.IndicatorID),
			}}}
		}
	}
	upsert, err := t.prepare(ctx, `INSERT INTO priorities (`+priorityColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET area = excluded.area, name = excluded.name, standard_type = excluded.standard_type,
			metric = excluded.metric, indicator_id = excluded.indicator_id, comparator = excluded.comparator,
			standard = excluded.standard, unit = excluded.unit, deadline = excluded.deadline, source = excluded.source,
			set_by = excluded.set_by, confidence = excluded.confidence`)
	if err != nil {
		return fmt.Errorf("upsert priorities: %w", err)
	}
	defer upsert.Close()
	for _, p := range ps {
		if _, err := upsert.ExecContext(ctx, p.ID, p.Area, p.Name, string(p.StandardType), p.Metric, nullString(p.IndicatorID),
			string(p.Comparator), p.Standard, p.Unit, dateArg(p.Deadline), p.Source, p.SetBy, p.Confidence); err != nil {
			return fmt.Errorf("upsert national priority %s: %w", p.ID, err)
		}
	}
	if err := t.Commit(); err != nil {
		return fmt.Errorf("upsert priorities: commit: %w", err)
	}
	return nil
}

// FindPriorities returns the priorities f selects, by area then id, and
// their number. The register is short, so it is not paged.
func (db *DB) FindPriorities(ctx context.Context, f accord.PriorityFilter) ([]accord.Priority, int, error) {
	var w where
	if f.StandardType != "" {
		w.add("standard_type = ?", string(f.StandardType))
	}
	if f.Area != "" {
		w.add("area = ?", f.Area)
	}
	if f.IndicatorID != "" {
		w.add("indicator_id = ?", f.IndicatorID)
	}
	t, err := db.beginRead(ctx)
	if err != nil {
		return nil, 0, err
	}
	defer t.Rollback()
	rows, err := t.query(ctx, `SELECT `+priorityColumns+` FROM priorities`+w.String()+` ORDER BY area, id`, w.args...)
	if err != nil {
		return nil, 0, fmt.Errorf("find priorities: %w", err)
	}
	ps, err := scanPriorities(rows)
	if err != nil {
		return nil, 0, fmt.Errorf("find priorities: %w", err)
	}
	return ps, len(ps), nil
}

// FindPriority returns the national priority with id, or ENOTFOUND.
func (db *DB) FindPriority(ctx context.Context, id string) (accord.Priority, error) {
	t, err := db.beginRead(ctx)
	if err != nil {
		return accord.Priority{}, err
	}
	defer t.Rollback()
	rows, err := t.query(ctx, `SELECT `+priorityColumns+` FROM priorities WHERE id = ?`, id)
	if err != nil {
		return accord.Priority{}, fmt.Errorf("find priority %s: %w", id, err)
	}
	ps, err := scanPriorities(rows)
	if err != nil {
		return accord.Priority{}, fmt.Errorf("find priority %s: %w", id, err)
	}
	if len(ps) == 0 {
		return accord.Priority{}, accord.Errorf(accord.ENOTFOUND, "national priority %q not found", id)
	}
	return ps[0], nil
}

func scanPriorities(rows *sql.Rows) ([]accord.Priority, error) {
	defer rows.Close()
	var ps []accord.Priority
	for rows.Next() {
		var p accord.Priority
		var standardType, comparator string
		var indicator sql.NullString
		if err := rows.Scan(&p.ID, &p.Area, &p.Name, &standardType, &p.Metric, &indicator, &comparator, &p.Standard,
			&p.Unit, &p.Deadline, &p.Source, &p.SetBy, &p.Confidence); err != nil {
			return nil, err
		}
		p.StandardType, p.Comparator, p.IndicatorID = accord.StandardType(standardType), accord.Comparator(comparator), indicator.String
		ps = append(ps, p)
	}
	return ps, rows.Err()
}
