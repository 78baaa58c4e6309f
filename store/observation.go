package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"math/bits"
	"slices"
	"sort"
	"strings"
	"time"

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

// EachValue calls fn for every observation f selects, series by series
// (an indicator, organisation and breakdown, in byte order of their codes),
// each series in period order, with only what a statistic needs:
// indicator, organisation, period, breakdown, value, counts and interval
// (no status, provenance or source). Offset and Limit are ignored.
//
// One indicator's series, with no period range or import named, come from
// their packed copies (series_values): first the series changed since they
// were packed are packed again, unless another writer is busy, in which
// case they are read from the observations themselves. That is what makes
// a full recompute quick (docs/benchmarks.md). Any other filter streams the
// observations, holding no more than one row.
func (db *DB) EachValue(ctx context.Context, f accord.ObservationFilter, fn func(accord.Observation) error) error {
	f.Offset, f.Limit = 0, 0
	w, err := observationWhere(f)
	if err != nil {
		return err
	}
	if f.IndicatorID != "" && f.From.IsZero() && f.To.IsZero() && f.ImportID == 0 {
		return db.eachPacked(ctx, f.IndicatorID, w, fn)
	}
	t, err := db.beginRead(ctx)
	if err != nil {
		return err
	}
	defer t.Rollback()
	return t.streamValues(ctx, f.IndicatorID, w, fn)
}

// streamValues streams the observations w selects, series by series. When id
// is not empty every row is of that indicator, and its column is not read.
func (t *tx) streamValues(ctx context.Context, id string, w where, fn func(accord.Observation) error) error {
	cols := `org_code, breakdown_key, period, value, numerator, denominator, lower_ci, upper_ci, ci_level`
	// The series index's order, with codes and keys in byte order as the
	// packed series have them.
	order := ` ORDER BY ` + t.db.byteOrder("org_code") + `, ` + t.db.byteOrder("breakdown_key") + `, period_start, period_months`
	if id == "" {
		cols, order = `indicator_id, `+cols, ` ORDER BY `+t.db.byteOrder("indicator_id")+`, `+order[len(" ORDER BY "):]
	}
	rows, err := t.query(ctx, `SELECT `+cols+` FROM observations`+w.String()+order, w.args...)
	if err != nil {
		return fmt.Errorf("read values: %w", err)
	}
	defer rows.Close()
	s := newValueScanner(id)
	dest := s.dest(id == "")
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return fmt.Errorf("read values: %w", err)
		}
		o, err := s.observation()
		if err != nil {
			return err
		}
		if err := fn(o); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read values: %w", err)
	}
	return nil
}

// valueScanner turns rows of EachValue's columns into observations without
// allocating for each: a whole indicator has few distinct periods,
// breakdowns and organisations, and the optional values point into shared
// blocks.
type valueScanner struct {
	ind, org, key string
	periods       map[string]scannedPeriod
	breakdowns    map[string]accord.Breakdown
	floats        []float64

	indB, orgB, keyB, periodB sql.RawBytes
	value                     float64
	num, den, lo, hi, ci      sql.NullFloat64
}

func newValueScanner(id string) *valueScanner {
	return &valueScanner{ind: id, periods: map[string]scannedPeriod{}, breakdowns: map[string]accord.Breakdown{"": {}}}
}

// scannedPeriod is a stored period's text read, and packed.
type scannedPeriod struct {
	period accord.Period
	packed packedPeriod
}

// dest is what to scan a row into: the columns of streamValues.
func (s *valueScanner) dest(withIndicator bool) []any {
	d := []any{&s.orgB, &s.keyB, &s.periodB, &s.value, &s.num, &s.den, &s.lo, &s.hi, &s.ci}
	if withIndicator {
		d = append([]any{&s.indB}, d...)
	}
	return d
}

// observation is the row last scanned.
func (s *valueScanner) observation() (accord.Observation, error) {
	// Comparing with string(b) does not allocate; only a new value does.
	if s.indB != nil && string(s.indB) != s.ind {
		s.ind = string(s.indB)
	}
	if string(s.orgB) != s.org {
		s.org = string(s.orgB)
	}
	p, err := s.period()
	if err != nil {
		return accord.Observation{}, err
	}
	b, err := s.breakdown(s.keyB)
	if err != nil {
		return accord.Observation{}, err
	}
	return accord.Observation{IndicatorID: s.ind, OrgCode: s.org, Period: p.period, Breakdown: b, Value: s.value,
		Numerator: s.float(s.num), Denominator: s.float(s.den), LowerCI: s.float(s.lo), UpperCI: s.float(s.hi),
		CILevel: s.ci.Float64}, nil
}

// period is the period of the row last scanned.
func (s *valueScanner) period() (scannedPeriod, error) {
	p, ok := s.periods[string(s.periodB)]
	if !ok {
		var err error
		if p.period, err = accord.ParsePeriod(string(s.periodB)); err != nil {
			return p, fmt.Errorf("read values: stored period: %w", err)
		}
		if p.packed, err = packPeriod(p.period); err != nil {
			return p, err
		}
		s.periods[string(s.periodB)] = p
	}
	return p, nil
}

// packedPeriod is the packed period of the row last scanned.
func (s *valueScanner) packedPeriod() (packedPeriod, error) {
	p, err := s.period()
	return p.packed, err
}

func (s *valueScanner) breakdown(key []byte) (accord.Breakdown, error) {
	b, ok := s.breakdowns[string(key)]
	if !ok {
		var err error
		if b, err = accord.ParseBreakdown(string(key)); err != nil {
			return b, fmt.Errorf("read values: stored breakdown: %w", err)
		}
		s.breakdowns[string(key)] = b
	}
	return b, nil
}

// floatBlock is how many optional values share one allocation.
const floatBlock = 4096

// float points at a copy of n's value, or is nil for NULL.
func (s *valueScanner) float(n sql.NullFloat64) *float64 {
	if !n.Valid {
		return nil
	}
	if len(s.floats) == cap(s.floats) {
		s.floats = make([]float64, 0, floatBlock)
	}
	s.floats = append(s.floats, n.Float64)
	return &s.floats[len(s.floats)-1]
}

// The packed form of a series: a header (packVersion, then the number of
// points and of optional values, each uint32) and then each point: its
// period's kind (a packKinds code), which optional values follow (the has…
// bits), its length in months (uint16), its first month counted from
// January of year 0 (int32), its value, and the optional values present,
// in the order of the bits. Points are in period order. Integers and IEEE
// 754 doubles are little-endian, so every value reads back to the bit.
const (
	packVersion    = 1
	packHeader     = 9
	packPointFixed = 16
)

const (
	hasNumerator = 1 << iota
	hasDenominator
	hasLowerCI
	hasUpperCI
	hasCILevel
)

var packKinds = []accord.PeriodKind{1: accord.PeriodMonth, 2: accord.PeriodQuarter, 3: accord.PeriodFinancialYear,
	4: accord.PeriodCalendarYear, 5: accord.PeriodRolling}

// packedPeriod is a period as a packed point holds it.
type packedPeriod struct {
	code   byte
	months uint16
	first  int32
}

func packPeriod(p accord.Period) (packedPeriod, error) {
	code := slices.Index(packKinds, p.Kind())
	if code <= 0 {
		return packedPeriod{}, fmt.Errorf("pack values: period %q has no packed form", p)
	}
	start := p.Start()
	return packedPeriod{code: byte(code), months: uint16(p.Months()), first: int32(start.Year()*12 + int(start.Month()) - 1)}, nil
}

// before reports whether p sorts before q as accord.Period.Compare has it.
func (p packedPeriod) before(q packedPeriod) bool {
	return p.first < q.first || (p.first == q.first && p.months < q.months)
}

// appendPoint appends one packed point (nil for an optional value absent;
// a CI level of zero is none, as in accord.Observation) and returns how
// many optional values it holds.
func appendPoint(b []byte, p packedPeriod, value float64, num, den, lo, hi *float64, ci float64) ([]byte, int) {
	var flags byte
	n := 0
	for i, v := range [...]*float64{num, den, lo, hi} {
		if v != nil {
			flags |= 1 << i
			n++
		}
	}
	// Bits, not ==, so that -0 survives as well.
	if math.Float64bits(ci) != 0 {
		flags |= hasCILevel
		n++
	}
	b = append(b, p.code, flags)
	b = binary.LittleEndian.AppendUint16(b, p.months)
	b = binary.LittleEndian.AppendUint32(b, uint32(p.first))
	b = binary.LittleEndian.AppendUint64(b, math.Float64bits(value))
	for _, v := range [...]*float64{num, den, lo, hi} {
		if v != nil {
			b = binary.LittleEndian.AppendUint64(b, math.Float64bits(*v))
		}
	}
	if flags&hasCILevel != 0 {
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(ci))
	}
	return b, n
}

// packedSeries is one series in its packed form; points and optional
// count what packed holds, for its header.
type packedSeries struct {
	org, key         string
	packed           []byte
	points, optional int
	last             packedPeriod
	unordered        bool // a point came before one already packed
}

func newPackedSeries(org, key string) *packedSeries {
	return &packedSeries{org: org, key: key, packed: make([]byte, packHeader, 1024)}
}

func (s *packedSeries) add(p packedPeriod, value float64, num, den, lo, hi *float64, ci float64) {
	if s.points > 0 && !s.last.before(p) {
		s.unordered = true
	}
	var n int
	s.packed, n = appendPoint(s.packed, p, value, num, den, lo, hi, ci)
	s.points++
	s.optional += n
	s.last = p
}

// finish writes the header and puts the points in period order.
func (s *packedSeries) finish() error {
	s.packed[0] = packVersion
	binary.LittleEndian.PutUint32(s.packed[1:], uint32(s.points))
	binary.LittleEndian.PutUint32(s.packed[5:], uint32(s.optional))
	if !s.unordered {
		return nil
	}
	// Sort the points as they are: each is its fixed part and eight bytes
	// for every optional value its flags name.
	type point struct {
		period packedPeriod
		bytes  []byte
	}
	points := make([]point, 0, s.points)
	for b := s.packed[packHeader:]; len(b) > 0; {
		n := packPointFixed + 8*bits.OnesCount8(b[1])
		points = append(points, point{packedPeriod{b[0], binary.LittleEndian.Uint16(b[2:]), int32(binary.LittleEndian.Uint32(b[4:]))}, b[:n]})
		b = b[n:]
	}
	slices.SortFunc(points, func(x, y point) int {
		return cmp.Or(cmp.Compare(x.period.first, y.period.first), cmp.Compare(x.period.months, y.period.months))
	})
	sorted := append(make([]byte, 0, len(s.packed)), s.packed[:packHeader]...)
	for i, p := range points {
		if i > 0 && !points[i-1].period.before(p.period) {
			return fmt.Errorf("pack values: the series of %s (%q) has two values for one period", s.org, s.key)
		}
		sorted = append(sorted, p.bytes...)
	}
	s.packed, s.unordered = sorted, false
	return nil
}

// packSeries packs one series' observations, given in period order.
func packSeries(obs []accord.Observation) ([]byte, error) {
	s := packedSeries{packed: make([]byte, packHeader, packHeader+len(obs)*(packPointFixed+16))}
	for _, o := range obs {
		p, err := packPeriod(o.Period)
		if err != nil {
			return nil, err
		}
		s.add(p, o.Value, o.Numerator, o.Denominator, o.LowerCI, o.UpperCI, o.CILevel)
	}
	if s.unordered {
		return nil, errors.New("pack values: the observations are not in period order")
	}
	return s.packed, s.finish()
}

// unpackSeries calls fn for each observation of a packed series; tmpl
// gives the indicator, organisation and breakdown they share. The optional
// values of a series share one allocation.
func unpackSeries(b []byte, tmpl accord.Observation, fn func(accord.Observation) error) error {
	bad := func(what string) error {
		return accord.Errorf(accord.EINTERNAL, "the packed values of %s for %s (%s) are damaged: %s",
			tmpl.IndicatorID, tmpl.OrgCode, tmpl.Breakdown, what)
	}
	if len(b) < packHeader || b[0] != packVersion {
		return bad("unknown header")
	}
	points, optional := binary.LittleEndian.Uint32(b[1:]), binary.LittleEndian.Uint32(b[5:])
	if uint64(len(b)) != packHeader+uint64(points)*packPointFixed+uint64(optional)*8 {
		return bad("wrong length")
	}
	floats := make([]float64, optional)
	b = b[packHeader:]
	var prev packedPeriod
	for i := range points {
		if len(b) < packPointFixed {
			return bad("too short")
		}
		code, flags := b[0], b[1]
		if flags >= hasCILevel<<1 {
			return bad(fmt.Sprintf("unknown flags %#x", flags))
		}
		pp := packedPeriod{code: code, months: binary.LittleEndian.Uint16(b[2:]), first: int32(binary.LittleEndian.Uint32(b[4:]))}
		if i > 0 && !prev.before(pp) {
			return bad("points out of period order")
		}
		prev = pp
		months, first := int(pp.months), int(pp.first)
		o := tmpl
		o.Value = math.Float64frombits(binary.LittleEndian.Uint64(b[8:]))
		b = b[packPointFixed:]
		p, ok := unpackPeriod(code, first, months)
		if !ok {
			return bad(fmt.Sprintf("period code %d, month %d, length %d", code, first, months))
		}
		o.Period = p
		for bit, dst := range [...]**float64{&o.Numerator, &o.Denominator, &o.LowerCI, &o.UpperCI, nil} {
			if flags&(1<<bit) == 0 {
				continue
			}
			if len(b) < 8 || len(floats) == 0 {
				return bad("too short")
			}
			floats[0] = math.Float64frombits(binary.LittleEndian.Uint64(b))
			if dst == nil {
				if floats[0] == 0 && !math.Signbit(floats[0]) {
					return bad("a CI level of zero")
				}
				o.CILevel = floats[0]
			} else {
				*dst = &floats[0]
			}
			b, floats = b[8:], floats[1:]
		}
		if err := fn(o); err != nil {
			return err
		}
	}
	if len(b) != 0 || len(floats) != 0 {
		return bad("too long")
	}
	return nil
}

// unpackPeriod is the period of a packed point, or false when the packed
// form names none.
func unpackPeriod(code byte, first, months int) (accord.Period, bool) {
	if first < 0 {
		return accord.Period{}, false
	}
	year, month := first/12, first%12
	var p accord.Period
	var err error
	switch int(code) {
	case 1:
		p = accord.Month(year, time.Month(month+1))
	case 2:
		p, err = accord.FinancialQuarter((first-3)/12, (first-3)%12/3+1)
	case 3:
		p = accord.FinancialYear((first - 3) / 12)
	case 4:
		p = accord.CalendarYear(year)
	case 5:
		p, err = accord.Rolling(year, year+months/12-1)
	default:
		return accord.Period{}, false
	}
	if err != nil || p.Months() != months {
		return accord.Period{}, false
	}
	// A month is what it says; the others could start elsewhere than
	// first (a quarter from a month not starting one).
	if code != 1 && p.Start().Year()*12+int(p.Start().Month())-1 != first {
		return accord.Period{}, false
	}
	return p, true
}

// seriesLock is the PostgreSQL advisory lock that orders packing after the
// writes it packs: each statement changing observations takes it shared
// (store/migrations/postgres/0009_series.sql), packing takes it alone.
const seriesLock = `hashtext('accord series ' || current_schema())`

// eachPacked is EachValue for one indicator's series: w selects by
// indicator, and perhaps organisation and breakdown, which series_values
// and series_stale have as observations does.
func (db *DB) eachPacked(ctx context.Context, id string, w where, fn func(accord.Observation) error) error {
	if err := db.repack(ctx, id); err != nil {
		return err
	}
	// What is packed, what is marked stale and the observations behind
	// the marks must be read from one snapshot; PostgreSQL's default gives
	// each statement its own.
	opts := &sql.TxOptions{ReadOnly: true}
	if db.engine == Postgres {
		opts.Isolation = sql.LevelRepeatableRead
	}
	tt, err := db.read.BeginTx(ctx, opts)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	t := &tx{Tx: tt, db: db}
	defer t.Rollback()

	// Series still marked (repack left them to a busy writer) are read
	// from the observations.
	stale := map[[2]string]bool{}
	rows, err := t.query(ctx, `SELECT DISTINCT org_code, breakdown_key FROM series_stale`+w.String(), w.args...)
	if err != nil {
		return fmt.Errorf("read values: %w", err)
	}
	for rows.Next() {
		var k [2]string
		if err := rows.Scan(&k[0], &k[1]); err != nil {
			rows.Close()
			return fmt.Errorf("read values: %w", err)
		}
		stale[k] = true
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return fmt.Errorf("read values: %w", err)
	}
	var fresh []*packedSeries
	if len(stale) > 0 {
		if fresh, err = t.packStale(ctx, id, w); err != nil {
			return err
		}
		slices.SortFunc(fresh, func(a, b *packedSeries) int {
			return cmp.Or(strings.Compare(a.org, b.org), strings.Compare(a.key, b.key))
		})
	}

	// The packed series stream in byte order of organisation and
	// breakdown, and those just packed join them in the same order.
	s := newValueScanner(id)
	emit := func(org string, key, packed []byte) error {
		b, err := s.breakdown(key)
		if err != nil {
			return err
		}
		return unpackSeries(packed, accord.Observation{IndicatorID: id, OrgCode: org, Breakdown: b}, fn)
	}
	rows, err = t.query(ctx, `SELECT org_code, breakdown_key, packed FROM series_values`+w.String()+
		` ORDER BY `+db.byteOrder("org_code")+`, `+db.byteOrder("breakdown_key"), w.args...)
	if err != nil {
		return fmt.Errorf("read values: %w", err)
	}
	defer rows.Close()
	var org, key, packed sql.RawBytes
	for rows.Next() {
		if err := rows.Scan(&org, &key, &packed); err != nil {
			return fmt.Errorf("read values: %w", err)
		}
		for len(fresh) > 0 && cmp.Or(strings.Compare(fresh[0].org, string(org)), strings.Compare(fresh[0].key, string(key))) < 0 {
			if err := emit(fresh[0].org, []byte(fresh[0].key), fresh[0].packed); err != nil {
				return err
			}
			fresh = fresh[1:]
		}
		if len(stale) > 0 && stale[[2]string{string(org), string(key)}] {
			continue
		}
		if err := emit(string(org), key, packed); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read values: %w", err)
	}
	for _, f := range fresh {
		if err := emit(f.org, []byte(f.key), f.packed); err != nil {
			return err
		}
	}
	return nil
}

// byteOrder is col to order by bytes, as Go compares strings, whatever
// PostgreSQL's collation.
func (db *DB) byteOrder(col string) string {
	if db.engine == Postgres {
		return col + ` COLLATE "C"`
	}
	return col
}

// packStale reads and packs the series of indicator id that w selects
// and series_stale marks, in no particular order.
func (t *tx) packStale(ctx context.Context, id string, w where) ([]*packedSeries, error) {
	// From the marks to the observations of each series, so each series
	// is one seek (CROSS JOIN keeps SQLite's join in that order); rows are
	// grouped and ordered here, whatever order they come in. The indicator
	// is named again outside the subquery, or PostgreSQL scans every
	// observation.
	rows, err := t.query(ctx, `SELECT s.org_code, s.breakdown_key, o.period, o.value, o.numerator, o.denominator,
			o.lower_ci, o.upper_ci, o.ci_level
		FROM (SELECT DISTINCT org_code, breakdown_key FROM series_stale`+w.String()+`) s
		CROSS JOIN observations o
		WHERE o.indicator_id = ? AND o.org_code = s.org_code AND o.breakdown_key = s.breakdown_key`, append(slices.Clip(w.args), id)...)
	if err != nil {
		return nil, fmt.Errorf("pack values: %w", err)
	}
	defer rows.Close()
	v := newValueScanner(id)
	dest := v.dest(false)
	index := map[[2]string]*packedSeries{}
	var out []*packedSeries
	var cur *packedSeries
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return nil, fmt.Errorf("pack values: %w", err)
		}
		if cur == nil || string(v.orgB) != cur.org || string(v.keyB) != cur.key {
			k := [2]string{string(v.orgB), string(v.keyB)}
			if cur = index[k]; cur == nil {
				cur = newPackedSeries(k[0], k[1])
				index[k] = cur
				out = append(out, cur)
			}
		}
		p, err := v.packedPeriod()
		if err != nil {
			return nil, err
		}
		cur.add(p, v.value, nullable(&v.num), nullable(&v.den), nullable(&v.lo), nullable(&v.hi), v.ci.Float64)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("pack values: %w", err)
	}
	for _, s := range out {
		if err := s.finish(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// nullable points at n's value, or is nil for NULL.
func nullable(n *sql.NullFloat64) *float64 {
	if !n.Valid {
		return nil
	}
	return &n.Float64
}

// repack packs again the series of indicator id marked stale, and clears
// their marks, in one transaction. It leaves them marked, for EachValue to
// read from the observations, when another transaction is writing: with
// SQLite when the one write connection is taken, with PostgreSQL when any
// transaction holds the series lock, that is has changed observations and
// not yet ended.
func (db *DB) repack(ctx context.Context, id string) error {
	t, err := db.beginRead(ctx)
	if err != nil {
		return err
	}
	marked, err := t.exists(ctx, `SELECT 1 FROM series_stale WHERE indicator_id = ?`, id)
	t.Rollback()
	if err != nil {
		return fmt.Errorf("pack values: %w", err)
	}
	if !marked || (db.engine == SQLite && db.write.Stats().InUse > 0) {
		return nil
	}
	if t, err = db.begin(ctx); err != nil {
		return err
	}
	defer t.Rollback()
	if db.engine == Postgres {
		var alone bool
		if err := t.queryRow(ctx, `SELECT pg_try_advisory_xact_lock(`+seriesLock+`)`).Scan(&alone); err != nil {
			return fmt.Errorf("pack values: %w", err)
		}
		if !alone {
			return nil
		}
	}
	var w where
	w.add("indicator_id = ?", id)
	series, err := t.packStale(ctx, id, w)
	if err != nil {
		return err
	}
	// A marked series with no observations left has nothing to pack.
	if _, err := t.exec(ctx, `DELETE FROM series_values WHERE indicator_id = ? AND EXISTS (SELECT 1 FROM series_stale s
		WHERE s.indicator_id = series_values.indicator_id AND s.org_code = series_values.org_code
		AND s.breakdown_key = series_values.breakdown_key)`, id); err != nil {
		return fmt.Errorf("pack values: %w", err)
	}
	// Many series a statement, as for observations: one round trip each
	// to PostgreSQL would cost more than the packing.
	args := make([]any, 0, 5*min(len(series), insertRows))
	for len(series) > 0 {
		n := min(len(series), insertRows)
		args = args[:0]
		for _, s := range series[:n] {
			args = append(args, id, s.org, s.key, s.points, s.packed)
		}
		row := "(" + placeholders(5) + ")"
		q := `INSERT INTO series_values (indicator_id, org_code, breakdown_key, points, packed) VALUES ` + strings.Repeat(row+", ", n-1) + row
		if _, err := t.exec(ctx, q, args...); err != nil {
			return fmt.Errorf("pack values: %w", err)
		}
		series = series[n:]
	}
	if _, err := t.exec(ctx, `DELETE FROM series_stale WHERE indicator_id = ?`, id); err != nil {
		return fmt.Errorf("pack values: %w", err)
	}
	if err := t.Commit(); err != nil {
		return fmt.Errorf("pack values: commit: %w", err)
	}
	return nil
}
