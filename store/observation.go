package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"

	accord "github.com/nhs-accord/accord"
)

// observationColumns are an observation's columns, read and written alike.
// A stored row also holds its import's dataset, written beside them but not
// part of accord.Observation: it is there so that a revised publication
// finds the values it replaces by index.
const observationColumns = `indicator_id, org_code, period, period_start, period_months, breakdown_key, sex, age_band,
	imd_decile, ethnicity, value, numerator, denominator, lower_ci, upper_ci, ci_level, status, comparison, source, import_id`

// observationArity is the number of columns in observationColumns.
const observationArity = 20

// insertRows is how many observations one INSERT writes: enough to cut the
// round trips to PostgreSQL a hundredfold, few enough (2,100 parameters)
// for either engine.
const insertRows = 100

// maxProblems is how many problems a rejected batch reports one by one; the
// rest are counted, so a file with a systematic fault gives a readable
// message rather than 100,000 lines.
const maxProblems = 20

// AddObservations checks every observation (its indicator is in the
// catalogue, it passes the indicator's rules, its organisation is known,
// its key is not repeated in the batch or already stored) and then writes
// all of them in one transaction, or none. A rejected batch reports up to
// 20 problems, each naming the observation by its place in the batch.
func (db *DB) AddObservations(ctx context.Context, obs []accord.Observation) error {
	if len(obs) == 0 {
		return nil
	}
	t, err := db.begin(ctx)
	if err != nil {
		return err
	}
	defer t.Rollback()
	datasets, err := t.checkObservations(ctx, obs)
	if err != nil {
		return err
	}
	if _, err := t.insertObservations(ctx, obs, datasets, nil); err != nil {
		switch {
		case isUniqueViolation(err):
			// Checked above, so another writer (PostgreSQL allows several)
			// stored some of the same observations meanwhile.
			return accord.Errorf(accord.ECONFLICT, "none of the %d observations were stored: some were stored by another import at the same time; try again", len(obs))
		case isForeignKeyViolation(err):
			return accord.Errorf(accord.EINVALID, "none of the %d observations were stored: an indicator, organisation or import they name was removed at the same time; try again", len(obs))
		}
		return fmt.Errorf("add observations: %w", err)
	}
	if err := t.Commit(); err != nil {
		return fmt.Errorf("add observations: commit: %w", err)
	}
	return nil
}

// checkObservations returns nil when every observation may be stored, and
// otherwise an error listing the problems: ECONFLICT when every problem is
// a repeated key, EINVALID when any is more than that. It returns the
// dataset of each import the observations name, to be stored beside them.
func (t *tx) checkObservations(ctx context.Context, obs []accord.Observation) (map[int64]string, error) {
	var indIDs, orgCodes []string
	var importIDs []int64
	seenInd, seenOrg, seenImport := map[string]bool{}, map[string]bool{}, map[int64]bool{}
	for _, o := range obs {
		if o.ImportID != 0 && !seenImport[o.ImportID] {
			seenImport[o.ImportID] = true
			importIDs = append(importIDs, o.ImportID)
		}
		if !seenInd[o.IndicatorID] {
			seenInd[o.IndicatorID] = true
			indIDs = append(indIDs, o.IndicatorID)
		}
		if !seenOrg[o.OrgCode] {
			seenOrg[o.OrgCode] = true
			orgCodes = append(orgCodes, o.OrgCode)
		}
	}
	inds, err := t.indicators(ctx, indIDs)
	if err != nil {
		return nil, err
	}
	orgs, err := t.orgsKnown(ctx, orgCodes)
	if err != nil {
		return nil, fmt.Errorf("add observations: %w", err)
	}
	datasets, err := t.importDatasets(ctx, importIDs)
	if err != nil {
		return nil, fmt.Errorf("add observations: %w", err)
	}
	stored, err := t.storedKeys(ctx, obs, inds, orgs)
	if err != nil {
		return nil, fmt.Errorf("add observations: %w", err)
	}

	var report batchReport
	first := make(map[string]int, len(obs)) // key → first place in the batch
	for i, o := range obs {
		var msgs []string
		conflict := false
		ind, ok := inds[o.IndicatorID]
		switch {
		case o.IndicatorID == "":
			msgs = append(msgs, "indicator: is required")
		case !ok:
			msgs = append(msgs, fmt.Sprintf("indicator %q is not in the catalogue", o.IndicatorID))
		default:
			if err := o.Validate(ind); err != nil {
				msgs = append(msgs, fieldText(err))
			}
		}
		if o.OrgCode != "" && !orgs[o.OrgCode] {
			msgs = append(msgs, fmt.Sprintf("organisation %q is not known", o.OrgCode))
		}
		if _, ok := datasets[o.ImportID]; o.ImportID != 0 && !ok {
			msgs = append(msgs, fmt.Sprintf("import %d is not known", o.ImportID))
		}
		if !o.Period.IsZero() {
			k := o.Key()
			if j, ok := first[k]; ok {
				msgs = append(msgs, fmt.Sprintf("repeats observation %d", j+1))
				conflict = true
			} else {
				first[k] = i
				if stored[k] {
					msgs = append(msgs, "is already stored")
					conflict = true
				}
			}
		}
		if len(msgs) > 0 {
			report.add(i, o, len(msgs) == 1 && conflict, strings.Join(msgs, "; "))
		}
	}
	return datasets, report.err(len(obs))
}

// importDatasets returns the dataset of each stored import among ids.
func (t *tx) importDatasets(ctx context.Context, ids []int64) (map[int64]string, error) {
	out := make(map[int64]string, len(ids))
	for _, chunk := range chunks(ids) {
		rows, err := t.query(ctx, `SELECT id, dataset FROM imports WHERE id IN (`+placeholders(len(chunk))+`)`, anyArgs(chunk)...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id int64
			var dataset string
			if err := rows.Scan(&id, &dataset); err != nil {
				rows.Close()
				return nil, err
			}
			out[id] = dataset
		}
		if err := errors.Join(rows.Err(), rows.Close()); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// storedKeys returns the keys of stored observations that the batch might
// repeat: those of its indicators and known organisations, within the span
// of its periods.
func (t *tx) storedKeys(ctx context.Context, obs []accord.Observation, inds map[string]accord.Indicator, orgs map[string]bool) (map[string]bool, error) {
	type span struct {
		from, to accord.Period
		orgs     map[string]bool
	}
	spans := make(map[string]*span)
	for _, o := range obs {
		if _, ok := inds[o.IndicatorID]; !ok || !orgs[o.OrgCode] || o.Period.IsZero() {
			continue
		}
		s := spans[o.IndicatorID]
		if s == nil {
			s = &span{from: o.Period, to: o.Period, orgs: map[string]bool{}}
			spans[o.IndicatorID] = s
		}
		if o.Period.Start().Before(s.from.Start()) {
			s.from = o.Period
		}
		if o.Period.Start().After(s.to.Start()) {
			s.to = o.Period
		}
		s.orgs[o.OrgCode] = true
	}
	stored := make(map[string]bool)
	for id, s := range spans {
		codes := make([]string, 0, len(s.orgs))
		for c := range s.orgs {
			codes = append(codes, c)
		}
		sort.Strings(codes)
		for _, chunk := range chunks(codes) {
			args := append([]any{id, startArg(s.from), startArg(s.to)}, anyArgs(chunk)...)
			rows, err := t.query(ctx, `SELECT org_code, period, breakdown_key FROM observations
				WHERE indicator_id = ? AND period_start BETWEEN ? AND ? AND org_code IN (`+placeholders(len(chunk))+`)`, args...)
			if err != nil {
				return nil, err
			}
			for rows.Next() {
				var org, period, breakdown string
				if err := rows.Scan(&org, &period, &breakdown); err != nil {
					rows.Close()
					return nil, err
				}
				stored[id+"|"+org+"|"+period+"|"+breakdown] = true
			}
			if err := rows.Close(); err != nil {
				return nil, err
			}
			if err := rows.Err(); err != nil {
				return nil, err
			}
		}
	}
	return stored, nil
}

// batchReport gathers the problems of a batch.
type batchReport struct {
	fields    []accord.FieldError
	bad       int
	conflicts int
}

func (r *batchReport) add(i int, o accord.Observation, conflict bool, msg string) {
	r.bad++
	if conflict {
		r.conflicts++
	}
	if len(r.fields) < maxProblems {
		r.fields = append(r.fields, accord.FieldError{
			Field:   fmt.Sprintf("observation %d (%s)", i+1, o.Describe()),
			Message: msg,
		})
	}
}

func (r *batchReport) err(n int) error {
	if r.bad == 0 {
		return nil
	}
	code := accord.EINVALID
	if r.conflicts == r.bad {
		code = accord.ECONFLICT
	}
	fields := r.fields
	if more := r.bad - len(r.fields); more > 0 {
		fields = append(fields, accord.FieldError{Message: fmt.Sprintf("and %d more", more)})
	}
	what := "observations have problems"
	if r.bad == 1 {
		what = "observation has a problem"
	}
	return &accord.Error{
		Code:    code,
		Message: fmt.Sprintf("none of the %d observations were stored: %d %s", n, r.bad, what),
		Fields:  fields,
	}
}

// fieldText is the field problems of a validation error as one line.
func fieldText(err error) string {
	e, ok := err.(*accord.Error)
	if !ok || len(e.Fields) == 0 {
		return err.Error()
	}
	parts := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		parts[i] = f.String()
	}
	return strings.Join(parts, "; ")
}

// insertObservations writes obs in multi-row INSERTs, each row with the
// dataset of its import (datasets maps import to dataset). With taken nil,
// a key already held fails the statement. Otherwise a row whose key is
// held, by a stored observation or an earlier row of obs, is left out and
// taken is called with its place in obs. It returns how many it wrote.
func (t *tx) insertObservations(ctx context.Context, obs []accord.Observation, datasets map[int64]string, taken func(i int)) (int, error) {
	skip := taken != nil
	var full *sql.Stmt
	if len(obs) >= insertRows {
		var err error
		if full, err = t.prepare(ctx, insertObservationsSQL(insertRows, skip)); err != nil {
			return 0, err
		}
		defer full.Close()
	}
	args := make([]any, 0, insertRows*(observationArity+1))
	written := 0
	for start := 0; start < len(obs); start += insertRows {
		end := min(start+insertRows, len(obs))
		chunk := obs[start:end]
		args = args[:0]
		for _, o := range chunk {
			args = appendObservationArgs(args, o)
			args = append(args, datasets[o.ImportID])
		}
		if !skip {
			var err error
			if len(chunk) == insertRows {
				_, err = full.ExecContext(ctx, args...)
			} else {
				_, err = t.exec(ctx, insertObservationsSQL(len(chunk), false), args...)
			}
			if err != nil {
				return written, err
			}
			written += len(chunk)
			continue
		}
		var rows *sql.Rows
		var err error
		if len(chunk) == insertRows {
			rows, err = full.QueryContext(ctx, args...)
		} else {
			rows, err = t.query(ctx, insertObservationsSQL(len(chunk), true), args...)
		}
		if err != nil {
			return written, err
		}
		// RETURNING names the rows written, in no promised order. Where a
		// key repeats within the chunk, the first row holding it is taken
		// to be the one written.
		got := make(map[string]int, len(chunk))
		for rows.Next() {
			var ind, org, period, breakdown string
			if err := rows.Scan(&ind, &org, &period, &breakdown); err != nil {
				rows.Close()
				return written, err
			}
			got[ind+"|"+org+"|"+period+"|"+breakdown]++
		}
		if err := errors.Join(rows.Err(), rows.Close()); err != nil {
			return written, err
		}
		for i, o := range chunk {
			k := o.Key()
			if got[k] > 0 {
				got[k]--
				written++
				continue
			}
			taken(start + i)
		}
	}
	return written, nil
}

// insertObservationsSQL writes rows observations and their dataset. With
// skipTaken, rows whose key is already held are left out and the keys of
// those written are returned.
func insertObservationsSQL(rows int, skipTaken bool) string {
	row := "(" + placeholders(observationArity+1) + ")"
	q := `INSERT INTO observations (` + observationColumns + `, dataset) VALUES ` + strings.Repeat(row+", ", rows-1) + row
	if skipTaken {
		q += ` ON CONFLICT DO NOTHING RETURNING indicator_id, org_code, period, breakdown_key`
	}
	return q
}

func appendObservationArgs(args []any, o accord.Observation) []any {
	var ci any
	if o.CILevel != 0 {
		ci = o.CILevel
	}
	return append(args, o.IndicatorID, o.OrgCode, o.Period.String(), startArg(o.Period), o.Period.Months(),
		o.Breakdown.Key(), nullString(o.Breakdown.Sex), nullString(o.Breakdown.AgeBand), nullInt(int64(o.Breakdown.IMDDecile)),
		nullString(o.Breakdown.Ethnicity), o.Value, nullFloat(o.Numerator), nullFloat(o.Denominator), nullFloat(o.LowerCI),
		nullFloat(o.UpperCI), ci, string(o.Status), nullString(o.Comparison), o.Source, nullInt(o.ImportID))
}

// FindObservations returns the observations f selects, ordered by
// indicator, organisation and period, and how many there are in all,
// ignoring Offset and Limit.
func (db *DB) FindObservations(ctx context.Context, f accord.ObservationFilter) ([]accord.Observation, int, error) {
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
	if err := t.queryRow(ctx, `SELECT COUNT(*) FROM observations`+w.String(), w.args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count observations: %w", err)
	}
	limit, largs := db.page(f.Offset, f.Limit)
	rows, err := t.query(ctx, `SELECT `+observationColumns+` FROM observations`+w.String()+
		` ORDER BY indicator_id, org_code, period_start, period_months, breakdown_key`+limit, append(w.args, largs...)...)
	if err != nil {
		return nil, 0, fmt.Errorf("find observations: %w", err)
	}
	obs, err := scanObservations(rows)
	if err != nil {
		return nil, 0, fmt.Errorf("find observations: %w", err)
	}
	return obs, total, nil
}

// observationWhere is the WHERE clause for f, over the observation columns
// that observations and observation_revisions share.
func observationWhere(f accord.ObservationFilter) (where, error) {
	var w where
	if err := checkPage(f.Offset, f.Limit); err != nil {
		return w, err
	}
	if f.IndicatorID != "" {
		w.add("indicator_id = ?", f.IndicatorID)
	}
	if len(f.OrgCodes) > 0 {
		w.in("org_code", f.OrgCodes)
	}
	if !f.From.IsZero() {
		w.add("period_start >= ?", startArg(f.From))
	}
	if !f.To.IsZero() {
		w.add("period_start <= ?", startArg(f.To))
	}
	if !f.AnyBreakdown {
		if err := f.Breakdown.Validate(); err != nil {
			return w, err
		}
		w.add("breakdown_key = ?", f.Breakdown.Key())
	}
	if f.ImportID != 0 {
		w.add("import_id = ?", f.ImportID)
	}
	return w, nil
}

func scanObservations(rows *sql.Rows) ([]accord.Observation, error) {
	defer rows.Close()
	var obs []accord.Observation
	for rows.Next() {
		o, err := scanObservation(rows)
		if err != nil {
			return nil, err
		}
		obs = append(obs, o)
	}
	return obs, rows.Err()
}

// scanObservation reads the observationColumns of one row, then extra.
func scanObservation(rows *sql.Rows, extra ...any) (accord.Observation, error) {
	var o accord.Observation
	var start accord.Date
	var months int
	var breakdown, status string
	var sex, age, eth, comparison sql.NullString
	var imd, importID sql.NullInt64
	var num, den, lo, hi, ci sql.NullFloat64
	dest := append([]any{&o.IndicatorID, &o.OrgCode, &o.Period, &start, &months, &breakdown, &sex, &age, &imd, &eth,
		&o.Value, &num, &den, &lo, &hi, &ci, &status, &comparison, &o.Source, &importID}, extra...)
	if err := rows.Scan(dest...); err != nil {
		return o, err
	}
	o.Breakdown = accord.Breakdown{Sex: sex.String, AgeBand: age.String, IMDDecile: int(imd.Int64), Ethnicity: eth.String}
	o.Numerator, o.Denominator, o.LowerCI, o.UpperCI = floatPtr(num), floatPtr(den), floatPtr(lo), floatPtr(hi)
	o.CILevel, o.Status, o.Comparison, o.ImportID = ci.Float64, accord.Status(status), comparison.String, importID.Int64
	return o, nil
}

// SummariseObservations describes the whole-population series held for
// orgCodes (for every organisation when none are given): per indicator and
// organisation, how many observations and their first and last periods.
func (db *DB) SummariseObservations(ctx context.Context, orgCodes []string) ([]accord.SeriesSummary, error) {
	w := where{conds: []string{"breakdown_key = ''"}}
	if len(orgCodes) > 0 {
		w.in("org_code", orgCodes)
	}
	t, err := db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer t.Rollback()
	// The first and last periods come from the series index, one seek each.
	rows, err := t.query(ctx, `SELECT s.indicator_id, s.org_code, s.n,
			(SELECT f.period FROM observations f
			  WHERE f.indicator_id = s.indicator_id AND f.org_code = s.org_code AND f.breakdown_key = ''
			  ORDER BY f.period_start, f.period_months LIMIT 1),
			(SELECT l.period FROM observations l
			  WHERE l.indicator_id = s.indicator_id AND l.org_code = s.org_code AND l.breakdown_key = ''
			  ORDER BY l.period_start DESC, l.period_months DESC LIMIT 1)
		FROM (SELECT indicator_id, org_code, COUNT(*) AS n FROM observations`+w.String()+`
		      GROUP BY indicator_id, org_code) s
		ORDER BY s.indicator_id, s.org_code`, w.args...)
	if err != nil {
		return nil, fmt.Errorf("summarise observations: %w", err)
	}
	defer rows.Close()
	var out []accord.SeriesSummary
	for rows.Next() {
		var s accord.SeriesSummary
		if err := rows.Scan(&s.IndicatorID, &s.OrgCode, &s.Count, &s.First, &s.Last); err != nil {
			return nil, fmt.Errorf("summarise observations: %w", err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("summarise observations: %w", err)
	}
	return out, nil
}

// EachValue calls fn for every observation f selects, in the order
// FindObservations uses, reading only the columns a statistic needs (no
// provenance, status or source) and holding no more than one row, so a
// recompute can read a whole indicator quickly. Offset and Limit are
// ignored.
func (db *DB) EachValue(ctx context.Context, f accord.ObservationFilter, fn func(accord.Observation) error) error {
	f.Offset, f.Limit = 0, 0
	w, err := observationWhere(f)
	if err != nil {
		return err
	}
	t, err := db.beginRead(ctx)
	if err != nil {
		return err
	}
	defer t.Rollback()
	rows, err := t.query(ctx, `SELECT indicator_id, org_code, period, breakdown_key, value, numerator, denominator,
		lower_ci, upper_ci, ci_level FROM observations`+w.String()+
		` ORDER BY indicator_id, org_code, period_start, period_months, breakdown_key`, w.args...)
	if err != nil {
		return fmt.Errorf("read values: %w", err)
	}
	defer rows.Close()
	// A whole indicator has few distinct periods and breakdowns: parse each
	// text once.
	periods := map[string]accord.Period{}
	breakdowns := map[string]accord.Breakdown{}
	var periodText, breakdownKey string
	var num, den, lo, hi, ci sql.NullFloat64
	for rows.Next() {
		var o accord.Observation
		if err := rows.Scan(&o.IndicatorID, &o.OrgCode, &periodText, &breakdownKey, &o.Value, &num, &den, &lo, &hi, &ci); err != nil {
			return fmt.Errorf("read values: %w", err)
		}
		p, ok := periods[periodText]
		if !ok {
			if p, err = accord.ParsePeriod(periodText); err != nil {
				return fmt.Errorf("read values: stored period: %w", err)
			}
			periods[periodText] = p
		}
		b, ok := breakdowns[breakdownKey]
		if !ok {
			if b, err = accord.ParseBreakdown(breakdownKey); err != nil {
				return fmt.Errorf("read values: stored breakdown: %w", err)
			}
			breakdowns[breakdownKey] = b
		}
		o.Period, o.Breakdown = p, b
		o.Numerator, o.Denominator, o.LowerCI, o.UpperCI, o.CILevel = floatPtr(num), floatPtr(den), floatPtr(lo), floatPtr(hi), ci.Float64
		if err := fn(o); err != nil {
			return err
		}
	}
	return rows.Err()
}
