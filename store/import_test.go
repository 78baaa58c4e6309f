package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"
	"time"

	accord "github.com/nhs-accord/accord"
)

// The import suite, run like TestStore against every engine.
func TestImports(t *testing.T) {
	cases := []struct {
		name string
		run  func(t *testing.T, open factory)
	}{
		{"MigrateKeepsObservations", testMigrateKeepsObservations},
		{"ImportRoundTrip", testImportRoundTrip},
		{"ImportPublishedOn", testImportPublishedOn},
		{"ImportFilters", testImportFilters},
		{"ImportDryRun", testImportDryRun},
		{"ImportBeginInvalid", testImportBeginInvalid},
		{"ImportAddInvalid", testImportAddInvalid},
		{"ImportDuplicateInFile", testImportDuplicateInFile},
		{"ImportHeldByAnotherDataset", testImportHeldByAnotherDataset},
		{"ImportRevision", testImportRevision},
		{"ImportRollbackBlockedByAnotherDataset", testImportRollbackBlocked},
		{"ImportAbort", testImportAbort},
		{"ImportAddIndicator", testImportAddIndicator},
		{"ImportLarge", testImportLarge},
	}
	forEachEngine(t, func(t *testing.T, open factory) {
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				t.Parallel()
				c.run(t, open)
			})
		}
	})
}

func fixtureImport(file, dataset string) accord.Import {
	sum := sha256.Sum256([]byte(file + "|" + dataset))
	return accord.Import{
		Format: "long", FileName: file, SHA256: hex.EncodeToString(sum[:]), Publisher: "NHS England",
		Dataset: dataset, ImportedBy: "analyst@example.nhs.uk",
	}
}

// importFile imports obs as imp and commits, naming each observation
// FILE:LINE with the first on line 2, below the header.
func importFile(t *testing.T, db *DB, imp accord.Import, obs ...accord.Observation) (accord.Import, error) {
	t.Helper()
	ctx := context.Background()
	w, err := db.BeginImport(ctx, imp)
	if err != nil {
		t.Fatalf("begin import: %v", err)
	}
	defer w.Abort()
	for i, o := range obs {
		if err := w.Add(ctx, o, fmt.Sprintf("%s:%d", imp.FileName, i+2)); err != nil {
			t.Fatalf("add: %v", err)
		}
	}
	return w.Finish(ctx, len(obs), nil, true)
}

// mustImport is importFile that fails the test on an error.
func mustImport(t *testing.T, db *DB, imp accord.Import, obs ...accord.Observation) accord.Import {
	t.Helper()
	got, err := importFile(t, db, imp, obs...)
	if err != nil {
		t.Fatalf("import %s: %v", imp.FileName, err)
	}
	return got
}

// held lists the observations f selects as "ORG PERIOD=VALUE #IMPORT".
func held(t *testing.T, db *DB, f accord.ObservationFilter) []string {
	t.Helper()
	got, total, err := db.FindObservations(context.Background(), f)
	if err != nil {
		t.Fatal(err)
	}
	if total != len(got) {
		t.Errorf("total %d, but %d returned", total, len(got))
	}
	out := []string{}
	for _, o := range got {
		out = append(out, fmt.Sprintf("%s %s=%g #%d", o.OrgCode, o.Period, o.Value, o.ImportID))
	}
	return out
}

func importCount(t *testing.T, db *DB) int {
	t.Helper()
	_, total, err := db.FindImports(context.Background(), accord.ImportFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return total
}

// Upgrading a database holding observations from version 1 keeps them: an
// import_id that named no recorded import becomes NULL, the ethnicity in a
// breakdown key gets its column, and the indexes are there again.
func testMigrateKeepsObservations(t *testing.T, open factory) {
	ctx := context.Background()
	db := open(t)
	ms, err := migrationsFor(db.engine)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.createSchemaMigrations(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := db.apply(ctx, ms[0]); err != nil {
		t.Fatal(err)
	}
	if err := db.UpsertOrganisations(ctx, fixtureOrgs()); err != nil {
		t.Fatal(err)
	}
	if err := db.UpsertIndicators(ctx, fixtureIndicators()); err != nil {
		t.Fatal(err)
	}
	for _, row := range [][]any{
		{"rtt_18w", "QHG", "2025-04", "2025-04-01", 1, "", nil, nil, nil, 58.5, "final", "v1", 42},
		{"le_birth", "QHG", "2021-23", "2021-01-01", 36, "sex=female;eth=White British", "female", nil, nil, 83.1, "final", "v1", nil},
	} {
		if _, err := db.write.ExecContext(ctx, db.rebind(`INSERT INTO observations (indicator_id, org_code, period,
				period_start, period_months, breakdown_key, sex, age_band, imd_decile, value, status, source, import_id)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`), row...); err != nil {
			t.Fatal(err)
		}
	}
	if applied, err := db.Migrate(ctx); err != nil || applied != len(ms)-1 {
		t.Fatalf("migrate: applied %d, %v", applied, err)
	}
	got, _, err := db.FindObservations(ctx, accord.ObservationFilter{AnyBreakdown: true})
	if err != nil {
		t.Fatal(err)
	}
	want := []accord.Observation{obs("le_birth", "QHG", "2021-23", 83.1), obs("rtt_18w", "QHG", "2025-04", 58.5)}
	want[0].Breakdown = accord.Breakdown{Sex: accord.SexFemale, Ethnicity: "White British"}
	want[0].Source, want[1].Source = "v1", "v1"
	equal(t, "observations after migrating", got, want)

	var q string
	if db.engine == Postgres {
		q = `SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND tablename = 'observations' ORDER BY indexname`
	} else {
		q = `SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'observations' AND sql IS NOT NULL ORDER BY name`
	}
	rows, err := db.read.QueryContext(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		if !strings.HasSuffix(n, "_pkey") && !strings.HasSuffix(n, "_key") {
			names = append(names, n)
		}
	}
	equal(t, "indexes", names, []string{"observations_dataset", "observations_import", "observations_org", "observations_series"})

	// import_id is a foreign key now.
	_, err = db.write.ExecContext(ctx, db.rebind(`INSERT INTO observations (indicator_id, org_code, period, period_start,
		period_months, value, status, import_id) VALUES ('ae_4h', 'QHG', '2025-04', '2025-04-01', 1, 70, 'final', ?)`), 999)
	if !isForeignKeyViolation(err) {
		t.Errorf("an observation naming no import: got %v, want a foreign key violation", err)
	}
}

func testImportRoundTrip(t *testing.T, open factory) {
	ctx := context.Background()
	db := seeded(t, open)
	before := time.Now().UTC().Truncate(time.Second)
	w, err := db.BeginImport(ctx, fixtureImport("rtt-2025-26.csv", "rtt"))
	if err != nil {
		t.Fatal(err)
	}
	defer w.Abort()
	month, quarter, year := obs("rtt_18w", "QHG", "2025-04", 58.5), obs("rtt_18w", "QHG", "2025/26 Q1", 59), obs("rtt_18w", "QHG", "2025/26", 60)
	month.Numerator, month.Denominator = accord.Float(585), accord.Float(1000)
	white := obs("le_birth", "E06000055", "2021-23", 81.5)
	white.Breakdown = accord.Breakdown{Ethnicity: "White British"}
	in := []accord.Observation{quarter, month, white, year}
	for i, o := range in {
		if err := w.Add(ctx, o, fmt.Sprintf("rtt-2025-26.csv:%d", i+2)); err != nil {
			t.Fatal(err)
		}
	}
	// Nothing is seen before the commit, and readers are not blocked.
	if got := held(t, db, accord.ObservationFilter{AnyBreakdown: true}); len(got) != 0 {
		t.Errorf("before commit, readers see %v", got)
	}
	if n := importCount(t, db); n != 0 {
		t.Errorf("before commit, readers see %d imports", n)
	}
	_, err = db.FindImportByHash(ctx, fixtureImport("rtt-2025-26.csv", "rtt").SHA256)
	wantError(t, err, accord.ENOTFOUND, "no applied import")

	skipped := []accord.SkipCount{{Reason: "independent sector provider", Count: 3, Example: "NT4"}}
	imp, err := w.Finish(ctx, 7, skipped, true)
	if err != nil {
		t.Fatal(err)
	}
	if imp.ID <= 0 || imp.Status != accord.ImportApplied {
		t.Errorf("import %d, status %q", imp.ID, imp.Status)
	}
	if imp.ImportedAt.Before(before) || imp.ImportedAt.Location() != time.UTC || imp.ImportedAt.Nanosecond() != 0 {
		t.Errorf("imported at %v", imp.ImportedAt)
	}
	equal(t, "counts", []int{imp.RowsRead, imp.Added, imp.Replaced}, []int{7, 4, 0})
	equal(t, "skipped", imp.Skipped, skipped)
	// By start, then the shorter first.
	equal(t, "first and last", []string{imp.First.String(), imp.Last.String()}, []string{"2021-23", "2025/26"})

	got, total, err := db.FindObservations(ctx, accord.ObservationFilter{ImportID: imp.ID, AnyBreakdown: true})
	if err != nil {
		t.Fatal(err)
	}
	for i := range in {
		in[i].ImportID = imp.ID
	}
	if total != 4 {
		t.Errorf("total %d, want 4", total)
	}
	equal(t, "observations", got, []accord.Observation{in[2], in[1], in[0], in[3]})
	if _, total, _ := db.FindObservations(ctx, accord.ObservationFilter{ImportID: imp.ID + 1, AnyBreakdown: true}); total != 0 {
		t.Errorf("another import's observations: %d, want 0", total)
	}

	found, err := db.FindImport(ctx, imp.ID)
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "FindImport", found, imp)
	found, err = db.FindImportByHash(ctx, imp.SHA256)
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "FindImportByHash", found, imp)
	_, err = db.FindImport(ctx, 7777)
	wantError(t, err, accord.ENOTFOUND, "import 7777 not found")

	// The writer is done with.
	if err := w.Abort(); err != nil {
		t.Errorf("abort after finish: %v", err)
	}
	if err := w.Add(ctx, obs("rtt_18w", "QUE", "2025-04", 60), "x:1"); err == nil {
		t.Error("add after finish succeeded")
	}
	if _, err := w.Finish(ctx, 0, nil, true); err == nil {
		t.Error("a second finish succeeded")
	}
}

// testImportPublishedOn holds that a publication date comes back as given,
// and that an import without one reads back as unknown, not as some day.
func testImportPublishedOn(t *testing.T, open factory) {
	ctx := context.Background()
	db := seeded(t, open)
	dated := fixtureImport("rtt-nov-2024.csv", "rtt")
	dated.PublishedOn = accord.NewDate(2025, time.January, 9)
	imp := mustImport(t, db, dated, obs("rtt_18w", "QHG", "2024-11", 58.5))
	if imp.PublishedOn != dated.PublishedOn {
		t.Errorf("Finish: published on %v, want %v", imp.PublishedOn, dated.PublishedOn)
	}
	undated := mustImport(t, db, fixtureImport("ae-2024.csv", "ae"), obs("ae_4h", "QHG", "2024-11", 71))
	for _, want := range []accord.Import{imp, undated} {
		found, err := db.FindImport(ctx, want.ID)
		if err != nil {
			t.Fatal(err)
		}
		equal(t, "FindImport "+want.FileName, found, want)
	}
	all, _, err := db.FindImports(ctx, accord.ImportFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var days []string
	for _, i := range all {
		days = append(days, i.PublishedOn.String())
	}
	equal(t, "FindImports", days, []string{"", "2025-01-09"})
}

func testImportFilters(t *testing.T, open factory) {
	ctx := context.Background()
	db := seeded(t, open)
	var ids []int64
	for i, format := range []string{"rtt", "ae", "rtt", "long"} {
		imp := fixtureImport(fmt.Sprintf("f%d.csv", i), format)
		imp.Format = format
		ids = append(ids, mustImport(t, db, imp).ID)
	}
	if _, err := db.RollbackImport(ctx, ids[2]); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name  string
		f     accord.ImportFilter
		want  []int64
		total int
	}{
		{"all, newest first", accord.ImportFilter{}, []int64{ids[3], ids[2], ids[1], ids[0]}, 4},
		{"format", accord.ImportFilter{Format: "rtt"}, []int64{ids[2], ids[0]}, 2},
		{"status", accord.ImportFilter{Status: accord.ImportApplied}, []int64{ids[3], ids[1], ids[0]}, 3},
		{"rolled back", accord.ImportFilter{Status: accord.ImportRolledBack}, []int64{ids[2]}, 1},
		{"page", accord.ImportFilter{Offset: 1, Limit: 2}, []int64{ids[2], ids[1]}, 4},
	} {
		got, total, err := db.FindImports(ctx, c.f)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		var gotIDs []int64
		for _, imp := range got {
			gotIDs = append(gotIDs, imp.ID)
		}
		equal(t, c.name, gotIDs, c.want)
		if total != c.total {
			t.Errorf("%s: total %d, want %d", c.name, total, c.total)
		}
	}
	_, _, err := db.FindImports(ctx, accord.ImportFilter{Status: "pending"})
	wantError(t, err, accord.EINVALID, `status "pending" must be applied or rolled_back`)
	_, _, err = db.FindImports(ctx, accord.ImportFilter{Limit: -1})
	wantError(t, err, accord.EINVALID, "limit")
}

func testImportDryRun(t *testing.T, open factory) {
	ctx := context.Background()
	db := seeded(t, open)
	imp := fixtureImport("rtt.csv", "rtt")
	w, err := db.BeginImport(ctx, imp)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Abort()
	for i, o := range []accord.Observation{obs("rtt_18w", "QHG", "2025-04", 58), obs("rtt_18w", "QUE", "2025-04", 61)} {
		if err := w.Add(ctx, o, fmt.Sprintf("rtt.csv:%d", i+2)); err != nil {
			t.Fatal(err)
		}
	}
	got, err := w.Finish(ctx, 2, nil, false)
	if err != nil {
		t.Fatal(err)
	}
	if got.ID <= 0 || got.Added != 2 || got.RowsRead != 2 || got.First.String() != "2025-04" {
		t.Errorf("dry run says %+v", got)
	}
	if h := held(t, db, accord.ObservationFilter{}); len(h) != 0 {
		t.Errorf("a dry run wrote %v", h)
	}
	if n := importCount(t, db); n != 0 {
		t.Errorf("a dry run recorded %d imports", n)
	}
	_, err = db.FindImportByHash(ctx, imp.SHA256)
	wantError(t, err, accord.ENOTFOUND)
	// The same file then imports for real.
	if real := mustImport(t, db, imp, obs("rtt_18w", "QHG", "2025-04", 58)); real.Added != 1 {
		t.Errorf("real import added %d", real.Added)
	}
}

func testImportBeginInvalid(t *testing.T, open factory) {
	ctx := context.Background()
	db := seeded(t, open)
	_, err := db.BeginImport(ctx, accord.Import{FileName: "rtt.csv", Publisher: "NHS England", Dataset: " "})
	wantError(t, err, accord.EINVALID, "import of rtt.csv", "format: is required", "sha256: is required",
		"dataset: is required", "imported_by: is required")
	var e *accord.Error
	if asError(err, &e) && len(e.Fields) != 4 {
		t.Errorf("fields %+v, want format, sha256, dataset, imported_by", e.Fields)
	}
	// Nothing was left holding the writer.
	if err := db.UpsertOrganisations(ctx, fixtureOrgs()[:1]); err != nil {
		t.Errorf("a write after the refused import: %v", err)
	}
}

func testImportAddInvalid(t *testing.T, open factory) {
	ctx := context.Background()
	db := seeded(t, open)
	w, err := db.BeginImport(ctx, fixtureImport("rtt.csv", "rtt"))
	if err != nil {
		t.Fatal(err)
	}
	defer w.Abort()
	for _, c := range []struct {
		o     accord.Observation
		ref   string
		field string
		want  string
	}{
		{obs("rtt_18w", "QHG", "2025-04", 140), "rtt.csv:12", "value",
			"rtt.csv:12: observation rtt_18w for QHG in 2025-04: value: 140 is not a percentage between 0 and 100"},
		{obs("nope", "QHG", "2025-04", 50), "rtt.csv:13", "", `rtt.csv:13: indicator "nope" is not in the catalogue`},
		{obs("", "QHG", "2025-04", 50), "rtt.csv:14", "indicator", "rtt.csv:14: observation  for QHG in 2025-04: indicator: is required"},
		{obs("rtt_18w", "ZZZ", "2025-04", 50), "rtt.csv:15", "", `rtt.csv:15: organisation "ZZZ" is not known`},
		{obs("rtt_18w", "ZZZ", "2025-05", 50), "rtt.csv:16", "", `rtt.csv:16: organisation "ZZZ" is not known`}, // from the cache
	} {
		err := w.Add(ctx, c.o, c.ref)
		wantError(t, err, accord.EINVALID, c.want)
		var e *accord.Error
		if c.field != "" && (!asError(err, &e) || len(e.Fields) == 0 || e.Fields[0].Field != c.field) {
			t.Errorf("%s: want a field error for %s, got %#v", c.ref, c.field, err)
		}
	}
	// Each problem is the caller's to collect: the import goes on.
	if err := w.Add(ctx, obs("rtt_18w", "QHG", "2025-04", 58), "rtt.csv:17"); err != nil {
		t.Fatal(err)
	}
	imp, err := w.Finish(ctx, 6, nil, true)
	if err != nil {
		t.Fatal(err)
	}
	if imp.Added != 1 {
		t.Errorf("added %d, want 1", imp.Added)
	}
}

func testImportDuplicateInFile(t *testing.T, open factory) {
	db := seeded(t, open)
	// The repeat is in the same flush as the first, and in a later one.
	var in []accord.Observation
	p := accord.Month(1990, time.January)
	for range 1200 {
		in = append(in, obs("rtt_18w", "QHG", p.String(), 50))
		p = p.Next()
	}
	in = append(in[:2], append([]accord.Observation{obs("rtt_18w", "QHG", "1990-01", 51)}, in[2:]...)...)
	in = append(in, obs("rtt_18w", "QHG", "1990-02", 52))
	imp, err := importFile(t, db, fixtureImport("rtt.csv", "rtt"), in...)
	wantError(t, err, accord.ECONFLICT, "nothing from rtt.csv was stored: 2 observations have problems",
		"rtt.csv:4: duplicate in this file: rtt_18w for QHG in 1990-01",
		fmt.Sprintf("rtt.csv:%d: duplicate in this file: rtt_18w for QHG in 1990-02", len(in)+1))
	if imp.Added != 1200 || imp.RowsRead != len(in) {
		t.Errorf("counts as they were: %+v", imp)
	}
	if h := held(t, db, accord.ObservationFilter{}); len(h) != 0 {
		t.Errorf("%d observations written", len(h))
	}
	if n := importCount(t, db); n != 0 {
		t.Errorf("%d imports recorded", n)
	}
}

func testImportHeldByAnotherDataset(t *testing.T, open factory) {
	ctx := context.Background()
	db := seeded(t, open)
	a := mustImport(t, db, fixtureImport("rtt-a.csv", "rtt"), obs("rtt_18w", "QHG", "2025-04", 58))
	if err := db.AddObservations(ctx, []accord.Observation{obs("rtt_18w", "QUE", "2025-04", 61)}); err != nil {
		t.Fatal(err)
	}
	_, err := importFile(t, db, fixtureImport("other.csv", "other"),
		obs("rtt_18w", "RC9", "2025-04", 40), obs("rtt_18w", "QHG", "2025-04", 99), obs("rtt_18w", "QUE", "2025-04", 98))
	wantError(t, err, accord.ECONFLICT,
		fmt.Sprintf("other.csv:3: rtt_18w for QHG in 2025-04 is already held by import #%d (rtt-a.csv, dataset rtt); it is not a revision of it", a.ID),
		"other.csv:4: rtt_18w for QUE in 2025-04 is already held by an observation added outside any import")
	equal(t, "held", held(t, db, accord.ObservationFilter{}), []string{"QHG 2025-04=58 #" + fmt.Sprint(a.ID), "QUE 2025-04=61 #0"})
	if n := importCount(t, db); n != 1 {
		t.Errorf("%d imports recorded, want 1", n)
	}
}

// testImportRevision: a later file of the same dataset revises the periods
// it holds, and rollbacks undo imports newest first.
func testImportRevision(t *testing.T, open factory) {
	ctx := context.Background()
	db := seeded(t, open)
	a := mustImport(t, db, fixtureImport("rtt-a.csv", "d"),
		obs("rtt_18w", "QHG", "2024-10", 50), obs("rtt_18w", "QUE", "2024-10", 60),
		obs("rtt_18w", "QHG", "2024-11", 51), obs("rtt_18w", "QUE", "2024-11", 61))
	// Another dataset's value for the same period is not touched.
	other := mustImport(t, db, fixtureImport("ae.csv", "ae"), obs("ae_4h", "QHG", "2024-11", 70))
	b := mustImport(t, db, fixtureImport("rtt-b.csv", "d"), obs("rtt_18w", "QHG", "2024-11", 52))
	if b.Added != 1 || b.Replaced != 2 || a.Replaced != 0 {
		t.Errorf("A added %d replaced %d; B added %d replaced %d", a.Added, a.Replaced, b.Added, b.Replaced)
	}
	A, B := fmt.Sprint(a.ID), fmt.Sprint(b.ID)
	all := accord.ObservationFilter{IndicatorID: "rtt_18w"}
	equal(t, "after B", held(t, db, all), []string{"QHG 2024-10=50 #" + A, "QHG 2024-11=52 #" + B, "QUE 2024-10=60 #" + A})
	equal(t, "other dataset", held(t, db, accord.ObservationFilter{IndicatorID: "ae_4h"}), []string{"QHG 2024-11=70 #" + fmt.Sprint(other.ID)})

	revs, total, err := db.FindRevisions(ctx, accord.ObservationFilter{})
	if err != nil {
		t.Fatal(err)
	}
	want := []accord.Revision{
		{Observation: obs("rtt_18w", "QHG", "2024-11", 51), ReplacedBy: b.ID, ReplacedAt: b.ImportedAt},
		{Observation: obs("rtt_18w", "QUE", "2024-11", 61), ReplacedBy: b.ID, ReplacedAt: b.ImportedAt},
	}
	want[0].ImportID, want[1].ImportID = a.ID, a.ID
	if total != 2 {
		t.Errorf("%d revisions, want 2", total)
	}
	equal(t, "revisions", revs, want)
	for _, c := range []struct {
		name string
		f    accord.ObservationFilter
		want int
	}{
		{"from A", accord.ObservationFilter{ImportID: a.ID}, 2},
		{"from B", accord.ObservationFilter{ImportID: b.ID}, 0},
		{"organisation", accord.ObservationFilter{OrgCodes: []string{"QUE"}}, 1},
		{"period", accord.ObservationFilter{From: accord.MustParsePeriod("2024-10"), To: accord.MustParsePeriod("2024-10")}, 0},
		{"indicator", accord.ObservationFilter{IndicatorID: "ae_4h"}, 0},
		{"page", accord.ObservationFilter{Offset: 1, Limit: 5}, 1},
	} {
		got, total, err := db.FindRevisions(ctx, c.f)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
		} else if len(got) != c.want || (c.name != "page" && total != c.want) {
			t.Errorf("%s: %d revisions (total %d), want %d", c.name, len(got), total, c.want)
		}
	}

	_, err = db.RollbackImport(ctx, a.ID)
	wantError(t, err, accord.ECONFLICT, fmt.Sprintf("import #%s replaced some of its observations: roll back import #%s first", B, B))
	equal(t, "after refusing A's rollback", held(t, db, all), []string{"QHG 2024-10=50 #" + A, "QHG 2024-11=52 #" + B, "QUE 2024-10=60 #" + A})

	rb, err := db.RollbackImport(ctx, b.ID)
	if err != nil {
		t.Fatal(err)
	}
	if rb.Status != accord.ImportRolledBack || rb.ID != b.ID || rb.Replaced != 2 {
		t.Errorf("rolled back B: %+v", rb)
	}
	equal(t, "after rolling back B", held(t, db, all),
		[]string{"QHG 2024-10=50 #" + A, "QHG 2024-11=51 #" + A, "QUE 2024-10=60 #" + A, "QUE 2024-11=61 #" + A})
	if _, total, _ := db.FindRevisions(ctx, accord.ObservationFilter{}); total != 0 {
		t.Errorf("%d revisions left after rolling back B", total)
	}
	if got, _ := db.FindImport(ctx, b.ID); got.Status != accord.ImportRolledBack {
		t.Errorf("B's status %q", got.Status)
	}
	_, err = db.FindImportByHash(ctx, b.SHA256)
	wantError(t, err, accord.ENOTFOUND)
	_, err = db.RollbackImport(ctx, b.ID)
	wantError(t, err, accord.EINVALID, fmt.Sprintf("import #%s (rtt-b.csv) is already rolled back", B))

	if _, err := db.RollbackImport(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	equal(t, "after rolling back A", held(t, db, all), []string{})
	equal(t, "the other dataset stays", held(t, db, accord.ObservationFilter{IndicatorID: "ae_4h"}), []string{"QHG 2024-11=70 #" + fmt.Sprint(other.ID)})
	_, err = db.RollbackImport(ctx, 9999)
	wantError(t, err, accord.ENOTFOUND, "import 9999 not found")

	// B's file may be imported again, and revises nothing now.
	again := mustImport(t, db, fixtureImport("rtt-b.csv", "d"), obs("rtt_18w", "QHG", "2024-11", 52))
	if again.Replaced != 0 || again.ID == b.ID {
		t.Errorf("B again: %+v", again)
	}
}

// A value an import replaced cannot come back while another dataset holds
// its key.
func testImportRollbackBlocked(t *testing.T, open factory) {
	ctx := context.Background()
	db := seeded(t, open)
	a := mustImport(t, db, fixtureImport("a.csv", "d"), obs("rtt_18w", "QHG", "2024-11", 51), obs("rtt_18w", "QUE", "2024-11", 61))
	b := mustImport(t, db, fixtureImport("b.csv", "d"), obs("rtt_18w", "QHG", "2024-11", 52))
	e := mustImport(t, db, fixtureImport("e.csv", "e"), obs("rtt_18w", "QUE", "2024-11", 70))
	_, err := db.RollbackImport(ctx, b.ID)
	wantError(t, err, accord.ECONFLICT, fmt.Sprintf("import #%d cannot be rolled back: rtt_18w for QUE in 2024-11, which it replaced, is now held by import #%d", b.ID, e.ID))
	equal(t, "unchanged", held(t, db, accord.ObservationFilter{}),
		[]string{fmt.Sprintf("QHG 2024-11=52 #%d", b.ID), fmt.Sprintf("QUE 2024-11=70 #%d", e.ID)})
	for _, id := range []int64{e.ID, b.ID, a.ID} {
		if _, err := db.RollbackImport(ctx, id); err != nil {
			t.Fatalf("roll back %d: %v", id, err)
		}
	}
	equal(t, "all rolled back", held(t, db, accord.ObservationFilter{}), []string{})
}

func testImportAbort(t *testing.T, open factory) {
	ctx := context.Background()
	db := seeded(t, open)
	w, err := db.BeginImport(ctx, fixtureImport("rtt.csv", "rtt"))
	if err != nil {
		t.Fatal(err)
	}
	p := accord.Month(2000, time.January)
	for i := range 1500 { // one flush written, some queued
		if err := w.Add(ctx, obs("rtt_18w", "QHG", p.String(), 50), fmt.Sprintf("rtt.csv:%d", i+2)); err != nil {
			t.Fatal(err)
		}
		p = p.Next()
	}
	if err := w.Abort(); err != nil {
		t.Fatal(err)
	}
	if err := w.Abort(); err != nil {
		t.Errorf("second abort: %v", err)
	}
	if h := held(t, db, accord.ObservationFilter{}); len(h) != 0 {
		t.Errorf("%d observations left after abort", len(h))
	}
	if n := importCount(t, db); n != 0 {
		t.Errorf("%d imports left after abort", n)
	}
	if err := w.Add(ctx, obs("rtt_18w", "QHG", "2025-04", 50), "rtt.csv:9"); err == nil {
		t.Error("add after abort succeeded")
	}
	if _, err := w.Finish(ctx, 1, nil, true); err == nil {
		t.Error("finish after abort succeeded")
	}
	// The writer is free again.
	mustImport(t, db, fixtureImport("rtt.csv", "rtt"), obs("rtt_18w", "QHG", "2025-04", 50))
}

func testImportAddIndicator(t *testing.T, open factory) {
	ctx := context.Background()
	db := seeded(t, open)
	ind := accord.Indicator{
		ID: "ft_93014", Name: "Smoking prevalence in adults", Definition: "Adults who smoke", Area: "population_health",
		Unit: accord.UnitPercent, Polarity: accord.LowerIsBetter, Method: accord.MethodProportion, Source: "OHID, Fingertips",
		Denominator: "Adults surveyed", Frequency: accord.Annual, FingertipsID: 93014,
		Tags: []accord.Tag{accord.TagOutcome},
	}
	for _, commit := range []bool{false, true} {
		w, err := db.BeginImport(ctx, fixtureImport("fingertips.csv", "fingertips"))
		if err != nil {
			t.Fatal(err)
		}
		defer w.Abort() // a failed test must not leave the writer held
		if err := w.Add(ctx, obs(ind.ID, "QHG", "2023", 12), "fingertips.csv:2"); err == nil {
			t.Error("an observation of an indicator not yet added was accepted")
		}
		if err := w.AddIndicator(ctx, ind); err != nil {
			t.Fatal(err)
		}
		// Already in the catalogue: left as it is.
		le := fixtureIndicators()[2]
		le.Name = "Renamed"
		if err := w.AddIndicator(ctx, le); err != nil {
			t.Fatal(err)
		}
		bad := ind
		bad.Unit = "furlongs"
		wantError(t, w.AddIndicator(ctx, bad), accord.EINVALID, "unit")
		if err := w.Add(ctx, obs(ind.ID, "QHG", "2023", 12), "fingertips.csv:2"); err != nil {
			t.Fatal(err)
		}
		if _, err := w.Finish(ctx, 1, nil, commit); err != nil {
			t.Fatal(err)
		}
		got, err := db.FindIndicator(ctx, ind.ID)
		if commit {
			if err != nil {
				t.Fatal(err)
			}
			equal(t, "added indicator", got, ind)
		} else {
			wantError(t, err, accord.ENOTFOUND) // rolled back with the dry run
		}
		if got, _ := db.FindIndicator(ctx, le.ID); got.Name != fixtureIndicators()[2].Name {
			t.Errorf("an indicator already in the catalogue was changed to %q", got.Name)
		}
	}
}

// testImportLarge writes 25,000 observations in batches, then revises a
// month of them.
func testImportLarge(t *testing.T, open factory) {
	ctx := context.Background()
	db := seeded(t, open)
	orgs := benchOrgs(100)
	if err := db.UpsertOrganisations(ctx, orgs); err != nil {
		t.Fatal(err)
	}
	const months = 250
	w, err := db.BeginImport(ctx, fixtureImport("big.csv", "big"))
	if err != nil {
		t.Fatal(err)
	}
	defer w.Abort()
	line := 1
	for _, org := range orgs[len(orgs)-100:] {
		p := accord.Month(2000, time.January)
		for range months {
			line++
			o := obs("rtt_18w", org.Code, p.String(), 60)
			o.Numerator, o.Denominator = accord.Float(600), accord.Float(1000)
			if err := w.Add(ctx, o, fmt.Sprintf("big.csv:%d", line)); err != nil {
				t.Fatal(err)
			}
			if n := len(w.(*importWriter).queue); n >= importBatch {
				t.Fatalf("%d observations queued: the queue is not flushed", n)
			}
			p = p.Next()
		}
	}
	imp, err := w.Finish(ctx, line-1, nil, true)
	if err != nil {
		t.Fatal(err)
	}
	if imp.Added != 100*months || imp.First.String() != "2000-01" || imp.Last.String() != "2020-10" {
		t.Errorf("big import: %+v", imp)
	}
	if _, total, err := db.FindObservations(ctx, accord.ObservationFilter{ImportID: imp.ID, Limit: 1}); err != nil || total != 100*months {
		t.Errorf("%d observations held, want %d (%v)", total, 100*months, err)
	}
	var revised []accord.Observation
	for _, org := range orgs[len(orgs)-100:] {
		revised = append(revised, obs("rtt_18w", org.Code, "2020-10", 61))
	}
	rev := mustImport(t, db, fixtureImport("big-revised.csv", "big"), revised...)
	if rev.Added != 100 || rev.Replaced != 100 {
		t.Errorf("revision: added %d, replaced %d", rev.Added, rev.Replaced)
	}
	if _, total, _ := db.FindObservations(ctx, accord.ObservationFilter{ImportID: imp.ID, Limit: 1}); total != 100*months-100 {
		t.Errorf("%d of the big import's observations held, want %d", total, 100*months-100)
	}
}

// benchOrgs is the fixture organisations and n providers under QHG.
func benchOrgs(n int) []accord.Organisation {
	orgs := fixtureOrgs()
	for i := range n {
		orgs = append(orgs, accord.Organisation{Code: fmt.Sprintf("B%04d", i), Name: fmt.Sprintf("Trust %d", i), Type: accord.OrgProvider, ParentCode: "QHG"})
	}
	return orgs
}

// benchDB is a migrated database holding the fixture organisations and 100
// providers for the write benchmarks.
func benchDB(b *testing.B, open factory) *DB {
	db := open(b)
	if _, err := db.Migrate(context.Background()); err != nil {
		b.Fatal(err)
	}
	if err := db.UpsertOrganisations(context.Background(), benchOrgs(100)); err != nil {
		b.Fatal(err)
	}
	return db
}

// benchRows is how many observations benchBatch makes.
const benchRows = 10_000

// benchBatch adds a fresh indicator for run i and returns 10,000 of its
// observations: 100 providers × 100 months.
func benchBatch(b *testing.B, db *DB, i int) (accord.Indicator, []accord.Observation) {
	ind := fixtureIndicators()[0]
	ind.ID = fmt.Sprintf("bench_%d", i)
	if err := db.UpsertIndicators(context.Background(), []accord.Indicator{ind}); err != nil {
		b.Fatal(err)
	}
	batch := make([]accord.Observation, 0, benchRows)
	for o := range 100 {
		p := accord.Month(2015, time.April)
		for range 100 {
			ob := obs(ind.ID, fmt.Sprintf("B%04d", o), p.String(), 60)
			ob.Numerator, ob.Denominator = accord.Float(600), accord.Float(1000)
			batch = append(batch, ob)
			p = p.Next()
		}
	}
	return ind, batch
}

// BenchmarkImportWriter imports 10,000 observations (100 providers × 100
// months) through BeginImport, Add and Finish on each engine, a new
// dataset each time so nothing is revised.
func BenchmarkImportWriter(b *testing.B) { forEachEngineBench(b, benchmarkImportWriter) }

func benchmarkImportWriter(b *testing.B, open factory) {
	ctx := context.Background()
	db := benchDB(b, open)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		ind, batch := benchBatch(b, db, i)
		b.StartTimer()
		w, err := db.BeginImport(ctx, fixtureImport(fmt.Sprintf("bench-%d.csv", i), ind.ID))
		if err != nil {
			b.Fatal(err)
		}
		for j, o := range batch {
			if err := w.Add(ctx, o, "bench.csv:"+fmt.Sprint(j+2)); err != nil {
				b.Fatal(err)
			}
		}
		if _, err := w.Finish(ctx, len(batch), nil, true); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(benchRows*b.N)/b.Elapsed().Seconds(), "rows/s")
}
