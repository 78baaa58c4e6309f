package store

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	accord "github.com/nhs-accord/accord"
)

// seriesOrderOf is EachValue's order: indicator, organisation, breakdown,
// then period.
func seriesOrderOf(x, y accord.Observation) int {
	return cmp.Or(strings.Compare(x.IndicatorID, y.IndicatorID), strings.Compare(x.OrgCode, y.OrgCode),
		strings.Compare(x.Breakdown.Key(), y.Breakdown.Key()), x.Period.Compare(y.Period))
}

// sameValues fails t unless got and want hold the same observations in the
// same order, every number to the bit, as far as EachValue reads them.
func sameValues(t *testing.T, what string, got, want []accord.Observation) {
	t.Helper()
	bits := func(p *float64) string {
		if p == nil {
			return "nil"
		}
		return fmt.Sprintf("%016x", math.Float64bits(*p))
	}
	line := func(o accord.Observation) string {
		return fmt.Sprintf("%s|%s|%s|%s value=%016x num=%s den=%s lo=%s hi=%s ci=%016x", o.IndicatorID, o.OrgCode,
			o.Breakdown.Key(), o.Period, math.Float64bits(o.Value), bits(o.Numerator), bits(o.Denominator),
			bits(o.LowerCI), bits(o.UpperCI), math.Float64bits(o.CILevel))
	}
	if len(got) != len(want) {
		t.Errorf("%s: %d values, want %d", what, len(got), len(want))
	}
	for i := range min(len(got), len(want)) {
		if g, w := line(got[i]), line(want[i]); g != w {
			t.Errorf("%s: value %d:\n got %s\nwant %s", what, i, g, w)
		}
	}
}

// eachValues collects what EachValue gives for f.
func eachValues(t *testing.T, db *DB, f accord.ObservationFilter) []accord.Observation {
	t.Helper()
	var out []accord.Observation
	if err := db.EachValue(context.Background(), f, func(o accord.Observation) error {
		out = append(out, o)
		return nil
	}); err != nil {
		t.Fatalf("each value: %v", err)
	}
	return out
}

// tableValues reads what EachValue would give for one indicator straight
// from the observations, bypassing the packed series.
func tableValues(t *testing.T, db *DB, f accord.ObservationFilter) []accord.Observation {
	t.Helper()
	w, err := observationWhere(f)
	if err != nil {
		t.Fatal(err)
	}
	tx, err := db.beginRead(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	var out []accord.Observation
	if err := tx.streamValues(context.Background(), f.IndicatorID, w, func(o accord.Observation) error {
		out = append(out, o)
		return nil
	}); err != nil {
		t.Fatalf("read the table: %v", err)
	}
	return out
}

// staleMarks counts the series marked stale.
func staleMarks(t *testing.T, db *DB) int {
	t.Helper()
	var n int
	if err := db.read.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM series_stale`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// packedCount counts the series packed.
func packedCount(t *testing.T, db *DB, id string) int {
	t.Helper()
	var n int
	if err := db.read.QueryRowContext(context.Background(), db.rebind(`SELECT COUNT(*) FROM series_values WHERE indicator_id = ?`), id).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// valueFixtures are observations of every shape EachValue reads: counts,
// intervals at both levels, breakdowns, a negative zero, extreme values and
// periods out of order.
func valueFixtures() []accord.Observation {
	var out []accord.Observation
	for i, org := range []string{"RGT", "QHG", "RC9", "QUE", accord.EnglandCode} {
		p := accord.MustParsePeriod("2024-01")
		for m := range 15 {
			o := obs("rtt_18w", org, p.String(), 60+float64(m)/3+float64(i))
			switch m % 4 {
			case 0:
				o.Numerator, o.Denominator = accord.Float(o.Value*10), accord.Float(1000)
			case 1:
				o.LowerCI, o.UpperCI, o.CILevel = accord.Float(o.Value-1.25), accord.Float(o.Value+0.1), 95
			case 2:
				o.LowerCI, o.UpperCI, o.CILevel = accord.Float(o.Value-2), accord.Float(o.Value+2), 99.8
				o.Numerator = accord.Float(math.SmallestNonzeroFloat64)
			}
			out = append(out, o)
			p = p.Next()
		}
	}
	// Written newest first, read oldest first.
	slices.Reverse(out)
	zero := obs("rtt_18w", "RGT", "2023-12", math.Copysign(0, -1))
	zero.Denominator = accord.Float(math.MaxFloat64)
	out = append(out, zero)
	for _, b := range []accord.Breakdown{{Sex: accord.SexFemale}, {Sex: accord.SexMale, AgeBand: "65+", IMDDecile: 3}, {Ethnicity: "White British"}} {
		o := obs("rtt_18w", "QHG", "2024-02", 61.5)
		o.Breakdown = b
		out = append(out, o)
	}
	for _, p := range []string{"2019-21", "2020-22", "2008-2010"} {
		out = append(out, obs("le_birth", "QHG", p, 80.25))
	}
	return out
}

// The packed series of an indicator give exactly what its observations
// give, after observations are added, revised by an import, restored by a
// rollback and removed, on every engine.
func TestPackedSeries(t *testing.T) {
	forEachEngine(t, func(t *testing.T, open factory) {
		ctx := context.Background()
		db := seeded(t, open)
		all := func(id string) accord.ObservationFilter {
			return accord.ObservationFilter{IndicatorID: id, AnyBreakdown: true}
		}
		check := func(step string, wantSeries int) {
			t.Helper()
			for _, id := range []string{"rtt_18w", "le_birth"} {
				want := tableValues(t, db, all(id))
				sameValues(t, step+": "+id, eachValues(t, db, all(id)), want)
			}
			if n := staleMarks(t, db); n != 0 {
				t.Errorf("%s: %d series still marked stale", step, n)
			}
			if n := packedCount(t, db, "rtt_18w"); n != wantSeries {
				t.Errorf("%s: %d series of rtt_18w packed, want %d", step, n, wantSeries)
			}
		}
		check("empty", 0)

		fixtures := valueFixtures()
		if err := db.AddObservations(ctx, fixtures); err != nil {
			t.Fatal(err)
		}
		if n := staleMarks(t, db); n != 9 {
			t.Errorf("after adding: %d series marked stale, want 9", n)
		}
		check("added", 8)
		want := slices.Clone(fixtures)
		slices.SortStableFunc(want, seriesOrderOf)
		var rtt []accord.Observation
		for _, o := range want {
			if o.IndicatorID == "rtt_18w" {
				rtt = append(rtt, o)
			}
		}
		if db.engine == SQLite {
			// SQLite keeps an integral REAL as an integer, so -0 comes back as 0.
			for i := range rtt {
				rtt[i].Value += 0
			}
		}
		sameValues(t, "as added", eachValues(t, db, all("rtt_18w")), rtt)

		// A revised publication replaces a month of one dataset.
		a := mustImport(t, db, fixtureImport("a.csv", "d"), obs("rtt_18w", "RGT", "2025-06", 50), obs("rtt_18w", "QUE", "2025-06", 51))
		check("imported", 8)
		b := mustImport(t, db, fixtureImport("b.csv", "d"), obs("rtt_18w", "RGT", "2025-06", 55), obs("rtt_18w", "Y61", "2025-06", 56))
		check("revised", 9)
		if _, err := db.RollbackImport(ctx, b.ID); err != nil {
			t.Fatal(err)
		}
		check("revision rolled back", 8)
		if _, err := db.RollbackImport(ctx, a.ID); err != nil {
			t.Fatal(err)
		}
		check("import rolled back", 8)

		// Deleting every observation of a series leaves nothing packed.
		if _, err := db.write.ExecContext(ctx, `DELETE FROM observations WHERE org_code = 'RGT'`); err != nil {
			t.Fatal(err)
		}
		check("deleted", 7)
		for _, o := range eachValues(t, db, all("rtt_18w")) {
			if o.OrgCode == "RGT" {
				t.Fatalf("RGT's deleted values are still read: %+v", o)
			}
		}
		// So does a change made directly in the table.
		if _, err := db.write.ExecContext(ctx, `UPDATE observations SET value = 1.5 WHERE org_code = 'QUE' AND period = '2024-03'`); err != nil {
			t.Fatal(err)
		}
		check("updated", 7)

		// The other filters EachValue takes.
		for _, f := range []accord.ObservationFilter{
			{IndicatorID: "rtt_18w"},
			{IndicatorID: "rtt_18w", Breakdown: accord.Breakdown{Sex: accord.SexFemale}},
			{IndicatorID: "rtt_18w", AnyBreakdown: true, OrgCodes: []string{"QHG", "ENG"}},
			{IndicatorID: "rtt_18w", OrgCodes: []string{"QUE"}},
		} {
			got := eachValues(t, db, f)
			if len(got) == 0 {
				t.Errorf("%+v: nothing read", f)
			}
			sameValues(t, fmt.Sprintf("%+v", f), got, tableValues(t, db, f))
		}
	})
}

// While another transaction writes, EachValue does not wait for it: it
// reads the series marked stale from the observations, and packs them
// once the writer is done.
func TestPackedSeriesBusyWriter(t *testing.T) {
	forEachEngine(t, func(t *testing.T, open factory) {
		ctx := context.Background()
		db := seeded(t, open)
		f := accord.ObservationFilter{IndicatorID: "rtt_18w", AnyBreakdown: true}
		if err := db.AddObservations(ctx, valueFixtures()[:20]); err != nil {
			t.Fatal(err)
		}
		eachValues(t, db, f)
		if err := db.AddObservations(ctx, valueFixtures()[20:40]); err != nil {
			t.Fatal(err)
		}
		marked := staleMarks(t, db)
		if marked == 0 {
			t.Fatal("adding marked no series stale")
		}
		// The writer: with SQLite it holds the one write connection; with
		// PostgreSQL, it has written observations, so holds the series lock.
		w, err := db.write.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer w.Rollback()
		if db.engine == Postgres {
			o := obs("rtt_18w", "Y61", "2030-01", 1)
			if _, err := w.ExecContext(ctx, db.rebind(insertObservationsSQL(1, false)), append(appendObservationArgs(nil, o), "")...); err != nil {
				t.Fatal(err)
			}
		}
		done := make(chan []accord.Observation)
		go func() {
			var got []accord.Observation
			err := db.EachValue(ctx, f, func(o accord.Observation) error {
				got = append(got, o)
				return nil
			})
			if err != nil {
				t.Error(err)
			}
			done <- got
		}()
		var got []accord.Observation
		select {
		case got = <-done:
		case <-time.After(20 * time.Second):
			t.Fatal("EachValue waited for the writer")
		}
		sameValues(t, "beside a writer", got, tableValues(t, db, f))
		if n := staleMarks(t, db); n != marked {
			t.Errorf("beside a writer: %d series marked stale, want the %d left as they were", n, marked)
		}
		if err := w.Rollback(); err != nil {
			t.Fatal(err)
		}
		sameValues(t, "after the writer", eachValues(t, db, f), tableValues(t, db, f))
		if n := staleMarks(t, db); n != 0 {
			t.Errorf("after the writer: %d series marked stale", n)
		}
	})
}

// A damaged packed series is an error that names it, never wrong values.
func TestPackedSeriesDamaged(t *testing.T) {
	forEachEngine(t, func(t *testing.T, open factory) {
		ctx := context.Background()
		db := seeded(t, open)
		if err := db.AddObservations(ctx, valueFixtures()[:20]); err != nil {
			t.Fatal(err)
		}
		f := accord.ObservationFilter{IndicatorID: "rtt_18w", AnyBreakdown: true}
		eachValues(t, db, f)
		if _, err := db.write.ExecContext(ctx, db.rebind(`UPDATE series_values SET packed = ? WHERE org_code = 'QUE'`), []byte{packVersion, 1, 0, 0, 0, 0, 0, 0, 0}); err != nil {
			t.Fatal(err)
		}
		err := db.EachValue(ctx, f, func(accord.Observation) error { return nil })
		wantError(t, err, accord.EINTERNAL, "the packed values of rtt_18w for QUE (All people) are damaged")
	})
}

// Series held when the database is upgraded are packed when first read.
func TestPackedSeriesMigrated(t *testing.T) {
	forEachEngine(t, func(t *testing.T, open factory) {
		ctx := context.Background()
		db := open(t)
		ms, err := migrationsFor(db.engine)
		if err != nil {
			t.Fatal(err)
		}
		at := slices.IndexFunc(ms, func(m migration) bool { return m.name == "series" })
		if at < 0 {
			t.Fatal("no series migration")
		}
		if err := db.createSchemaMigrations(ctx); err != nil {
			t.Fatal(err)
		}
		for _, m := range ms[:at] {
			if _, err := db.apply(ctx, m); err != nil {
				t.Fatal(err)
			}
		}
		if err := db.UpsertOrganisations(ctx, fixtureOrgs()); err != nil {
			t.Fatal(err)
		}
		if err := db.UpsertIndicators(ctx, fixtureIndicators()); err != nil {
			t.Fatal(err)
		}
		fixtures := valueFixtures()
		if err := db.AddObservations(ctx, fixtures); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		if n := staleMarks(t, db); n != 9 {
			t.Errorf("after migrating: %d series marked stale, want 9", n)
		}
		f := accord.ObservationFilter{IndicatorID: "le_birth", AnyBreakdown: true}
		sameValues(t, "after migrating", eachValues(t, db, f), tableValues(t, db, f))
		want := slices.Clone(fixtures[len(fixtures)-3:])
		slices.SortStableFunc(want, seriesOrderOf)
		sameValues(t, "as added", eachValues(t, db, f), want)
	})
}

// Packing loses nothing: every period kind, every combination of optional
// values, and doubles to the bit.
func TestPackRoundTrip(t *testing.T) {
	var series []accord.Observation
	for i, p := range []string{"2024-03", "2024/25 Q4", "2024/25", "2025", "2021-23", "2008-2010", "0001-01", "9999/00 Q2"} {
		period := accord.MustParsePeriod(p)
		for flags := range 1 << 5 {
			o := accord.Observation{IndicatorID: "x", OrgCode: "Y", Period: period, Value: float64(i*100 + flags)}
			period = period.Next()
			vals := []float64{math.Copysign(0, -1), math.MaxFloat64, math.SmallestNonzeroFloat64, 1.0 / 3, 95}
			if flags&hasNumerator != 0 {
				o.Numerator = &vals[0]
			}
			if flags&hasDenominator != 0 {
				o.Denominator = &vals[1]
			}
			if flags&hasLowerCI != 0 {
				o.LowerCI = &vals[2]
			}
			if flags&hasUpperCI != 0 {
				o.UpperCI = &vals[3]
			}
			if flags&hasCILevel != 0 {
				o.CILevel = vals[4]
			}
			series = append(series, o)
		}
	}
	// A series may mix kinds, but never has two values for one period.
	slices.SortStableFunc(series, func(a, b accord.Observation) int { return a.Period.Compare(b.Period) })
	series = slices.CompactFunc(series, func(a, b accord.Observation) bool { return a.Period.Compare(b.Period) == 0 })
	series[0].CILevel = math.Copysign(0, -1)
	b, err := packSeries(series)
	if err != nil {
		t.Fatal(err)
	}
	var got []accord.Observation
	if err := unpackSeries(b, accord.Observation{IndicatorID: "x", OrgCode: "Y"}, func(o accord.Observation) error {
		got = append(got, o)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	sameValues(t, "round trip", got, series)
	again, err := packSeries(got)
	if err != nil || !bytes.Equal(again, b) {
		t.Errorf("packing what was unpacked gave other bytes (%v)", err)
	}
	// Any shorter or longer form is refused.
	for n := range len(b) {
		if err := unpackSeries(b[:n], accord.Observation{}, func(accord.Observation) error { return nil }); accord.ErrorCode(err) != accord.EINTERNAL {
			t.Fatalf("cut to %d bytes: %v", n, err)
		}
	}
	if err := unpackSeries(append(b, 0), accord.Observation{}, func(accord.Observation) error { return nil }); accord.ErrorCode(err) != accord.EINTERNAL {
		t.Errorf("a byte too many: %v", err)
	}
	if _, err := packSeries([]accord.Observation{{}}); err == nil {
		t.Error("packing the zero period: no error")
	}
}

// FuzzUnpackSeries: whatever the bytes, unpacking does not panic, and what
// it accepts packs back to the same bytes.
func FuzzUnpackSeries(f *testing.F) {
	var series []accord.Observation
	for _, o := range valueFixtures() {
		if o.IndicatorID == "rtt_18w" && o.OrgCode == "RGT" {
			series = append(series, o)
		}
	}
	slices.SortFunc(series, seriesOrderOf)
	b, err := packSeries(series)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	f.Add([]byte{packVersion, 0, 0, 0, 0, 0, 0, 0, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		var got []accord.Observation
		if err := unpackSeries(b, accord.Observation{}, func(o accord.Observation) error {
			got = append(got, o)
			return nil
		}); err != nil {
			return
		}
		again, err := packSeries(got)
		if err != nil || !bytes.Equal(again, b) {
			t.Errorf("accepted %x but packs back to %x (%v)", b, again, err)
		}
	})
}
