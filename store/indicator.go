package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	accord "github.com/nhs-accord/accord"
)

const indicatorColumns = `id, name, definition, area, unit, polarity, method, numerator_definition,
	denominator_definition, source, source_url, frequency, tags, fingertips_id`

// indicatorArity is the number of columns in indicatorColumns.
const indicatorArity = 14

// UpsertIndicators writes all of inds or none; writing the same indicators
// again changes nothing.
func (db *DB) UpsertIndicators(ctx context.Context, inds []accord.Indicator) error {
	for _, ind := range inds {
		if err := ind.Validate(); err != nil {
			return err
		}
	}
	t, err := db.begin(ctx)
	if err != nil {
		return err
	}
	defer t.Rollback()
	upsert, err := t.prepare(ctx, `INSERT INTO indicators (`+indicatorColumns+`) VALUES (`+placeholders(indicatorArity)+`)
		ON CONFLICT (id) DO UPDATE SET name = excluded.name, definition = excluded.definition, area = excluded.area,
			unit = excluded.unit, polarity = excluded.polarity, method = excluded.method,
			numerator_definition = excluded.numerator_definition, denominator_definition = excluded.denominator_definition,
			source = excluded.source, source_url = excluded.source_url, frequency = excluded.frequency,
			tags = excluded.tags, fingertips_id = excluded.fingertips_id`)
	if err != nil {
		return fmt.Errorf("upsert indicators: %w", err)
	}
	defer upsert.Close()
	for _, ind := range inds {
		if _, err := upsert.ExecContext(ctx, indicatorArgs(ind)...); err != nil {
			return fmt.Errorf("upsert indicator %s: %w", ind.ID, err)
		}
	}
	if err := t.Commit(); err != nil {
		return fmt.Errorf("upsert indicators: commit: %w", err)
	}
	return nil
}

// indicatorArgs are ind's values for indicatorColumns.
func indicatorArgs(ind accord.Indicator) []any {
	return []any{ind.ID, ind.Name, ind.Definition, ind.Area, string(ind.Unit),
		string(ind.Polarity), string(ind.Method), ind.Numerator, ind.Denominator, ind.Source, ind.SourceURL,
		string(ind.Frequency), joinTags(ind.Tags), nullInt(int64(ind.FingertipsID))}
}

// FindIndicators returns the indicators f selects, by area then name, and
// how many there are in all, ignoring Offset and Limit.
func (db *DB) FindIndicators(ctx context.Context, f accord.IndicatorFilter) ([]accord.Indicator, int, error) {
	if err := checkPage(f.Offset, f.Limit); err != nil {
		return nil, 0, err
	}
	var w where
	if len(f.IDs) > 0 {
		w.in("id", f.IDs)
	}
	if f.Tag != "" {
		// Tags are a comma list; fencing it with commas makes each tag a
		// whole-word match.
		w.add(`(',' || tags || ',') LIKE ? ESCAPE '\'`, "%,"+strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(string(f.Tag))+",%")
	}
	if f.Area != "" {
		w.add("area = ?", f.Area)
	}
	if strings.TrimSpace(f.Query) != "" {
		p := likePattern(f.Query)
		w.add(`(LOWER(name) LIKE ? ESCAPE '\' OR LOWER(id) LIKE ? ESCAPE '\')`, p, p)
	}
	t, err := db.beginRead(ctx)
	if err != nil {
		return nil, 0, err
	}
	defer t.Rollback()
	var total int
	if err := t.queryRow(ctx, `SELECT COUNT(*) FROM indicators`+w.String(), w.args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count indicators: %w", err)
	}
	limit, largs := db.page(f.Offset, f.Limit)
	rows, err := t.query(ctx, `SELECT `+indicatorColumns+` FROM indicators`+w.String()+` ORDER BY area, name, id`+limit,
		append(w.args, largs...)...)
	if err != nil {
		return nil, 0, fmt.Errorf("find indicators: %w", err)
	}
	inds, err := scanIndicators(rows)
	if err != nil {
		return nil, 0, fmt.Errorf("find indicators: %w", err)
	}
	return inds, total, nil
}

// FindIndicator returns the indicator with id, or ENOTFOUND.
func (db *DB) FindIndicator(ctx context.Context, id string) (accord.Indicator, error) {
	t, err := db.beginRead(ctx)
	if err != nil {
		return accord.Indicator{}, err
	}
	defer t.Rollback()
	inds, err := t.indicators(ctx, []string{id})
	if err != nil {
		return accord.Indicator{}, err
	}
	ind, ok := inds[id]
	if !ok {
		return accord.Indicator{}, accord.Errorf(accord.ENOTFOUND, "indicator %q not found", id)
	}
	return ind, nil
}

// indicators returns the stored indicators among ids, by id.
func (t *tx) indicators(ctx context.Context, ids []string) (map[string]accord.Indicator, error) {
	out := make(map[string]accord.Indicator, len(ids))
	for _, chunk := range chunks(ids) {
		rows, err := t.query(ctx, `SELECT `+indicatorColumns+` FROM indicators WHERE id IN (`+placeholders(len(chunk))+`)`, anyArgs(chunk)...)
		if err != nil {
			return nil, fmt.Errorf("find indicators: %w", err)
		}
		inds, err := scanIndicators(rows)
		if err != nil {
			return nil, fmt.Errorf("find indicators: %w", err)
		}
		for _, ind := range inds {
			out[ind.ID] = ind
		}
	}
	return out, nil
}

func scanIndicators(rows *sql.Rows) ([]accord.Indicator, error) {
	defer rows.Close()
	var inds []accord.Indicator
	for rows.Next() {
		var ind accord.Indicator
		var unit, polarity, method, frequency, tags string
		var fingertips sql.NullInt64
		if err := rows.Scan(&ind.ID, &ind.Name, &ind.Definition, &ind.Area, &unit, &polarity, &method,
			&ind.Numerator, &ind.Denominator, &ind.Source, &ind.SourceURL, &frequency, &tags, &fingertips); err != nil {
			return nil, err
		}
		ind.Unit, ind.Polarity, ind.Method, ind.Frequency = accord.Unit(unit), accord.Polarity(polarity), accord.Method(method), accord.Frequency(frequency)
		ind.Tags = splitTags(tags)
		ind.FingertipsID = int(fingertips.Int64)
		inds = append(inds, ind)
	}
	return inds, rows.Err()
}

func joinTags(tags []accord.Tag) string {
	s := make([]string, len(tags))
	for i, t := range tags {
		s[i] = string(t)
	}
	return strings.Join(s, ",")
}

func splitTags(s string) []accord.Tag {
	if s == "" {
		return nil
	}
	parts := strings.Split(s, ",")
	tags := make([]accord.Tag, len(parts))
	for i, p := range parts {
		tags[i] = accord.Tag(p)
	}
	return tags
}
