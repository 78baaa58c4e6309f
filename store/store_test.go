package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	accord "github.com/nhs-accord/accord"
)

// The conformance suite: every case runs against every engine. SQLite
// always runs; PostgreSQL runs when ACCORD_TEST_POSTGRES_URL is set, and CI
// (CI=true) must set it.

// factory opens a fresh, empty (unmigrated) database for one test and
// closes it when the test ends.
type factory func(t testing.TB) *DB

func sqliteFactory(t testing.TB) *DB {
	t.Helper()
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "accord.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// postgresFactory gives each test its own schema in the database at base,
// so tests are isolated and can run in parallel, and drops it afterwards.
func postgresFactory(base string) factory {
	return func(t testing.TB) *DB {
		t.Helper()
		ctx := context.Background()
		admin, err := sql.Open("pgx", base)
		if err != nil {
			t.Fatal(err)
		}
		schema := "accord_test_" + strings.ToLower(rand.Text()[:16])
		if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
			admin.Close()
			t.Fatalf("create schema: %v", err)
		}
		// Cleanups run last first: the test's DB closes before the drop.
		t.Cleanup(func() {
			if _, err := admin.ExecContext(ctx, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
				t.Errorf("drop schema %s: %v", schema, err)
			}
			admin.Close()
		})
		u, err := url.Parse(base)
		if err != nil {
			t.Fatal(err)
		}
		q := u.Query()
		q.Set("search_path", schema) // pgx sends unknown parameters as run-time settings
		u.RawQuery = q.Encode()
		db, err := Open(ctx, u.String())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	}
}

// forEachEngine runs run once per engine, as parallel subtests.
func forEachEngine(t *testing.T, run func(t *testing.T, open factory)) {
	t.Run("sqlite", func(t *testing.T) {
		t.Parallel()
		run(t, sqliteFactory)
	})
	t.Run("postgres", func(t *testing.T) {
		base := os.Getenv("ACCORD_TEST_POSTGRES_URL")
		if base == "" {
			if os.Getenv("CI") == "true" {
				t.Fatal("CI must run the PostgreSQL suite: set ACCORD_TEST_POSTGRES_URL")
			}
			t.Skip("set ACCORD_TEST_POSTGRES_URL to run the suite against PostgreSQL")
		}
		t.Parallel()
		run(t, postgresFactory(base))
	})
}

func TestStore(t *testing.T) {
	cases := []struct {
		name string
		run  func(t *testing.T, open factory)
	}{
		{"MigrateFromEmpty", testMigrateFromEmpty},
		{"MigrateTwiceIsNoOp", testMigrateTwice},
		{"CheckSchemaBehind", testCheckSchemaBehind},
		{"CheckSchemaAhead", testCheckSchemaAhead},
		{"OrganisationHierarchy", testOrganisationHierarchy},
		{"OrganisationParentMissing", testOrganisationParentMissing},
		{"OrganisationInvalid", testOrganisationInvalid},
		{"OrganisationByONSCode", testOrganisationByONSCode},
		{"OrganisationFilters", testOrganisationFilters},
		{"Indicators", testIndicators},
		{"Priorities", testPriorities},
		{"ObservationRoundTrip", testObservationRoundTrip},
		{"ObservationAllOrNothing", testObservationAllOrNothing},
		{"ObservationManyProblems", testObservationManyProblems},
		{"ObservationPeriodRange", testObservationPeriodRange},
		{"ObservationBreakdown", testObservationBreakdown},
		{"ObservationPaging", testObservationPaging},
		{"SummariseObservations", testSummariseObservations},
		{"TargetRoundTrip", testTargetRoundTrip},
		{"TargetChecks", testTargetChecks},
		{"NotFound", testNotFound},
		{"PingClose", testPingClose},
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

// Fixtures. The codes are shaped like real ODS and ONS codes; the ONS
// history is made up for the tests.

func fixtureOrgs() []accord.Organisation {
	return []accord.Organisation{
		{Code: accord.EnglandCode, ONSCode: accord.EnglandONSCode, Name: "England", Type: accord.OrgEngland},
		{Code: "Y61", ONSCode: "E40000007", Name: "East of England", Type: accord.OrgRegion, ParentCode: "ENG"},
		{
			Code: "QHG", ONSCode: "E54000024", Name: "NHS Bedfordshire, Luton and Milton Keynes Integrated Care Board",
			Type: accord.OrgICB, ParentCode: "Y61", ValidFrom: accord.NewDate(2022, time.July, 1),
			ONSCodes: []accord.CodeSpell{
				{ONSCode: "E54000091", ValidFrom: accord.NewDate(2022, time.July, 1), ValidTo: accord.NewDate(2023, time.March, 31)},
				{ONSCode: "E54000024", ValidFrom: accord.NewDate(2023, time.April, 1)},
			},
		},
		{Code: "QUE", ONSCode: "E54000056", Name: "NHS Cambridgeshire and Peterborough Integrated Care Board", Type: accord.OrgICB, ParentCode: "Y61"},
		{Code: "E06000055", ONSCode: "E06000055", Name: "Bedford", Type: accord.OrgPlace, ParentCode: "QHG"},
		{Code: "RC9", Name: "Bedfordshire Hospitals NHS Foundation Trust", Type: accord.OrgProvider, ParentCode: "QHG"},
		{Code: "RGT", Name: "Cambridge University Hospitals NHS Foundation Trust", Type: accord.OrgProvider, ParentCode: "QUE"},
	}
}

func fixtureIndicators() []accord.Indicator {
	return []accord.Indicator{
		{
			ID: "rtt_18w", Name: "Referral to treatment within 18 weeks", Definition: "Incomplete pathways waiting under 18 weeks",
			Area: "elective", Unit: accord.UnitPercent, Polarity: accord.HigherIsBetter, Method: accord.MethodProportion,
			Numerator: "Incomplete pathways under 18 weeks", Denominator: "All incomplete pathways",
			Source: "NHS England, Referral to Treatment waiting times", SourceURL: "https://www.england.nhs.uk/statistics/",
			Frequency: accord.Monthly, Tags: []accord.Tag{accord.TagProcess, accord.TagAcute},
		},
		{
			ID: "ae_4h", Name: "A&E attendances seen within 4 hours", Definition: "Attendances admitted, transferred or discharged within 4 hours",
			Area: "urgent_emergency_care", Unit: accord.UnitPercent, Polarity: accord.HigherIsBetter, Method: accord.MethodProportion,
			Denominator: "All attendances", Source: "NHS England, A&E attendances and emergency admissions",
			Frequency: accord.Monthly, Tags: []accord.Tag{accord.TagProcess, accord.TagAcute},
		},
		{
			ID: "le_birth", Name: "Life expectancy at birth", Definition: "Average years a newborn would live at current mortality rates",
			Area: "population_health", Unit: accord.UnitYears, Polarity: accord.HigherIsBetter, Method: accord.MethodLifeExpectancy,
			Source: "OHID, Fingertips", Frequency: accord.Rolling3, FingertipsID: 90366,
			Tags: []accord.Tag{accord.TagOutcome, accord.TagInequality},
		},
	}
}

func fixturePriorities() []accord.Priority {
	return []accord.Priority{
		{
			ID: "rtt_65", Area: "elective", Name: "65% of patients waiting under 18 weeks", StandardType: accord.Planning,
			Metric: "RTT incomplete pathways under 18 weeks", IndicatorID: "rtt_18w", Comparator: accord.AtLeast, Standard: 65,
			Unit: "percent", Deadline: accord.NewDate(2026, time.March, 31), Source: "2025/26 priorities and operational planning guidance",
			SetBy: "NHS England", Confidence: "high",
		},
		{
			ID: "rtt_92", Area: "elective", Name: "92% of patients waiting under 18 weeks", StandardType: accord.Constitutional,
			Comparator: accord.AtLeast, Standard: 92, Unit: "percent", Source: "NHS Constitution", SetBy: "DHSC", Confidence: "high",
		},
	}
}

// migrated opens a fresh database and migrates it.
func migrated(t *testing.T, open factory) *DB {
	t.Helper()
	db := open(t)
	if _, err := db.Migrate(context.Background()); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	return db
}

// seeded opens a migrated database holding the fixtures.
func seeded(t *testing.T, open factory) *DB {
	t.Helper()
	ctx := context.Background()
	db := migrated(t, open)
	if err := db.UpsertOrganisations(ctx, fixtureOrgs()); err != nil {
		t.Fatalf("seed organisations: %v", err)
	}
	if err := db.UpsertIndicators(ctx, fixtureIndicators()); err != nil {
		t.Fatalf("seed indicators: %v", err)
	}
	if err := db.UpsertPriorities(ctx, fixturePriorities()); err != nil {
		t.Fatalf("seed priorities: %v", err)
	}
	return db
}

// wantError fails t unless err has code and its message contains each of want.
func wantError(t *testing.T, err error, code string, want ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want %s", code)
	}
	if got := accord.ErrorCode(err); got != code {
		t.Fatalf("got code %q (%v), want %q", got, err, code)
	}
	msg := accord.ErrorMessage(err)
	for _, w := range want {
		if !strings.Contains(msg, w) {
			t.Errorf("message %q does not contain %q", msg, w)
		}
	}
}

func obs(ind, org, period string, v float64) accord.Observation {
	return accord.Observation{
		IndicatorID: ind, OrgCode: org, Period: accord.MustParsePeriod(period), Value: v,
		Status: accord.Final, Source: "test",
	}
}

func codes(orgs []accord.Organisation) []string {
	out := make([]string, len(orgs))
	for i, o := range orgs {
		out[i] = o.Code
	}
	return out
}

func periods(os []accord.Observation) []string {
	out := make([]string, len(os))
	for i, o := range os {
		out[i] = o.Period.String()
	}
	return out
}

func equal[T any](t *testing.T, what string, got, want T) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s:\n got %+v\nwant %+v", what, got, want)
	}
}

func testMigrateFromEmpty(t *testing.T, open factory) {
	ctx := context.Background()
	db := open(t)
	current, latest, err := db.SchemaVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if current != 0 || latest < 1 {
		t.Fatalf("fresh database: version %d of %d, want 0 of at least 1", current, latest)
	}
	applied, err := db.Migrate(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if applied != latest {
		t.Errorf("applied %d migrations, want %d", applied, latest)
	}
	if current, _, _ = db.SchemaVersion(ctx); current != latest {
		t.Errorf("after migrating: version %d, want %d", current, latest)
	}
	if err := db.CheckSchema(ctx); err != nil {
		t.Errorf("CheckSchema after migrating: %v", err)
	}
	// The tables are there and empty.
	orgs, total, err := db.FindOrganisations(ctx, accord.OrganisationFilter{})
	if err != nil || total != 0 || len(orgs) != 0 {
		t.Errorf("empty database: %d organisations (%d), %v", len(orgs), total, err)
	}
}

func testMigrateTwice(t *testing.T, open factory) {
	ctx := context.Background()
	db := migrated(t, open)
	applied, err := db.Migrate(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if applied != 0 {
		t.Errorf("second migrate applied %d, want 0", applied)
	}
	if err := db.CheckSchema(ctx); err != nil {
		t.Error(err)
	}
}

func testCheckSchemaBehind(t *testing.T, open factory) {
	db := open(t)
	_, latest, err := db.SchemaVersion(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	wantError(t, db.CheckSchema(context.Background()), accord.ESCHEMA,
		fmt.Sprintf("the database schema is at version 0 but this accord needs %d", latest), "run `accord migrate`")
}

func testCheckSchemaAhead(t *testing.T, open factory) {
	ctx := context.Background()
	db := migrated(t, open)
	if _, err := db.write.ExecContext(ctx, db.rebind(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`),
		999, "from_the_future", time.Now().UTC().Format(time.RFC3339)); err != nil {
		t.Fatal(err)
	}
	wantError(t, db.CheckSchema(ctx), accord.ESCHEMA, "version 999", "is newer than this accord")
	_, err := db.Migrate(ctx)
	wantError(t, err, accord.ESCHEMA, "is newer than this accord")
}

func testOrganisationHierarchy(t *testing.T, open factory) {
	ctx := context.Background()
	db := seeded(t, open)
	rc9, err := db.FindOrganisation(ctx, "RC9")
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "RC9", rc9, fixtureOrgs()[5])

	before, total, err := db.FindOrganisations(ctx, accord.OrganisationFilter{})
	if err != nil {
		t.Fatal(err)
	}
	// Hierarchy order, then name.
	equal(t, "order", codes(before), []string{"ENG", "Y61", "QHG", "QUE", "E06000055", "RC9", "RGT"})
	if total != 7 {
		t.Errorf("total %d, want 7", total)
	}
	// Upserting again changes nothing.
	if err := db.UpsertOrganisations(ctx, fixtureOrgs()); err != nil {
		t.Fatal(err)
	}
	after, total, err := db.FindOrganisations(ctx, accord.OrganisationFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if total != 7 {
		t.Errorf("total after second upsert %d, want 7", total)
	}
	equal(t, "after second upsert", after, before)

	// An update replaces the record and its ONS history.
	q := fixtureOrgs()[2]
	q.Name = "NHS Bedfordshire, Luton and Milton Keynes ICB"
	q.ONSCodes = q.ONSCodes[1:]
	if err := db.UpsertOrganisations(ctx, []accord.Organisation{q}); err != nil {
		t.Fatal(err)
	}
	got, err := db.FindOrganisation(ctx, "QHG")
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "updated QHG", got, q)
}

func testOrganisationParentMissing(t *testing.T, open factory) {
	ctx := context.Background()
	db := migrated(t, open)
	orgs := fixtureOrgs()[:2] // England, then its region
	orgs = append(orgs, accord.Organisation{Code: "QXX", Name: "Nowhere ICB", Type: accord.OrgICB, ParentCode: "Y99"})
	err := db.UpsertOrganisations(ctx, orgs)
	wantError(t, err, accord.EINVALID, "QXX", `"Y99" is not known`)
	// All or nothing: England and the region were not written either.
	_, total, err := db.FindOrganisations(ctx, accord.OrganisationFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if total != 0 {
		t.Errorf("%d organisations stored after a failed batch, want 0", total)
	}
	// A parent later in the batch is not yet known either.
	all := fixtureOrgs()
	all[0], all[1] = all[1], all[0]
	wantError(t, db.UpsertOrganisations(ctx, all), accord.EINVALID, "Y61", `"ENG" is not known`)
}

func testOrganisationInvalid(t *testing.T, open factory) {
	ctx := context.Background()
	db := migrated(t, open)
	bad := fixtureOrgs()
	bad[1].Name = " "
	err := db.UpsertOrganisations(ctx, bad)
	wantError(t, err, accord.EINVALID, "organisation Y61", "name: is required")
	var e *accord.Error
	if !asError(err, &e) || len(e.Fields) == 0 || e.Fields[0].Field != "name" {
		t.Errorf("want a field error for name, got %#v", err)
	}
	if _, total, _ := db.FindOrganisations(ctx, accord.OrganisationFilter{}); total != 0 {
		t.Errorf("%d organisations stored after a failed batch, want 0", total)
	}
}

func testOrganisationByONSCode(t *testing.T, open factory) {
	ctx := context.Background()
	db := seeded(t, open)
	for _, code := range []string{"QHG", "qhg", "E54000024", "E54000091"} {
		got, err := db.FindOrganisation(ctx, code)
		if err != nil {
			t.Errorf("%s: %v", code, err)
			continue
		}
		if got.Code != "QHG" {
			t.Errorf("%s found %s, want QHG", code, got.Code)
		}
	}
	got, _ := db.FindOrganisation(ctx, "E54000091")
	equal(t, "ONS history", got.ONSCodes, fixtureOrgs()[2].ONSCodes)
	// A place's code is its ONS code.
	if got, err := db.FindOrganisation(ctx, "E06000055"); err != nil || got.Name != "Bedford" {
		t.Errorf("E06000055: %+v, %v", got, err)
	}
}

func testOrganisationFilters(t *testing.T, open factory) {
	ctx := context.Background()
	db := seeded(t, open)
	for _, c := range []struct {
		name  string
		f     accord.OrganisationFilter
		want  []string
		total int
	}{
		{"type", accord.OrganisationFilter{Type: accord.OrgICB}, []string{"QHG", "QUE"}, 2},
		{"parent", accord.OrganisationFilter{ParentCode: "QHG"}, []string{"E06000055", "RC9"}, 2},
		{"codes", accord.OrganisationFilter{Codes: []string{"RGT", "ENG", "NOPE"}}, []string{"ENG", "RGT"}, 2},
		{"query name", accord.OrganisationFilter{Query: "BEDford"}, []string{"QHG", "E06000055", "RC9"}, 3},
		{"query code", accord.OrganisationFilter{Query: "rc9"}, []string{"RC9"}, 1},
		{"query like characters", accord.OrganisationFilter{Query: "%"}, nil, 0},
		{"limit", accord.OrganisationFilter{Limit: 2}, []string{"ENG", "Y61"}, 7},
		{"offset", accord.OrganisationFilter{Offset: 5}, []string{"RC9", "RGT"}, 7},
		{"offset and limit", accord.OrganisationFilter{Offset: 2, Limit: 2}, []string{"QHG", "QUE"}, 7},
		{"combined", accord.OrganisationFilter{Type: accord.OrgProvider, Query: "cambridge"}, []string{"RGT"}, 1},
	} {
		got, total, err := db.FindOrganisations(ctx, c.f)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if !reflect.DeepEqual(codes(got), c.want) && !(len(got) == 0 && len(c.want) == 0) {
			t.Errorf("%s: got %v, want %v", c.name, codes(got), c.want)
		}
		if total != c.total {
			t.Errorf("%s: total %d, want %d", c.name, total, c.total)
		}
	}
	_, _, err := db.FindOrganisations(ctx, accord.OrganisationFilter{Limit: -1})
	wantError(t, err, accord.EINVALID, "limit")
}

func testIndicators(t *testing.T, open factory) {
	ctx := context.Background()
	db := seeded(t, open)
	for _, want := range fixtureIndicators() {
		got, err := db.FindIndicator(ctx, want.ID)
		if err != nil {
			t.Fatal(err)
		}
		equal(t, want.ID, got, want)
	}
	ids := func(inds []accord.Indicator) []string {
		var out []string
		for _, i := range inds {
			out = append(out, i.ID)
		}
		return out
	}
	for _, c := range []struct {
		name  string
		f     accord.IndicatorFilter
		want  []string
		total int
	}{
		{"all, by area then name", accord.IndicatorFilter{}, []string{"rtt_18w", "le_birth", "ae_4h"}, 3},
		{"tag", accord.IndicatorFilter{Tag: accord.TagAcute}, []string{"rtt_18w", "ae_4h"}, 2},
		{"tag is a whole word", accord.IndicatorFilter{Tag: "acut"}, nil, 0},
		{"area", accord.IndicatorFilter{Area: "population_health"}, []string{"le_birth"}, 1},
		{"query", accord.IndicatorFilter{Query: "4 HOURS"}, []string{"ae_4h"}, 1},
		{"query id with underscore", accord.IndicatorFilter{Query: "rtt_"}, []string{"rtt_18w"}, 1},
		{"ids", accord.IndicatorFilter{IDs: []string{"ae_4h", "le_birth"}}, []string{"le_birth", "ae_4h"}, 2},
		{"page", accord.IndicatorFilter{Offset: 1, Limit: 1}, []string{"le_birth"}, 3},
	} {
		got, total, err := db.FindIndicators(ctx, c.f)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		equal(t, c.name, ids(got), c.want)
		if total != c.total {
			t.Errorf("%s: total %d, want %d", c.name, total, c.total)
		}
	}
	// Upsert updates in place.
	ind := fixtureIndicators()[0]
	ind.Tags = []accord.Tag{accord.TagProcess}
	ind.FingertipsID = 0
	if err := db.UpsertIndicators(ctx, []accord.Indicator{ind}); err != nil {
		t.Fatal(err)
	}
	got, _ := db.FindIndicator(ctx, ind.ID)
	equal(t, "updated", got, ind)
	if _, total, _ := db.FindIndicators(ctx, accord.IndicatorFilter{}); total != 3 {
		t.Errorf("total after update %d, want 3", total)
	}
	bad := fixtureIndicators()[1]
	bad.Unit = "furlongs"
	wantError(t, db.UpsertIndicators(ctx, []accord.Indicator{bad}), accord.EINVALID, "indicator ae_4h", "unit")
}

func testPriorities(t *testing.T, open factory) {
	ctx := context.Background()
	db := seeded(t, open)
	for _, want := range fixturePriorities() {
		got, err := db.FindPriority(ctx, want.ID)
		if err != nil {
			t.Fatal(err)
		}
		equal(t, want.ID, got, want)
	}
	got, total, err := db.FindPriorities(ctx, accord.PriorityFilter{StandardType: accord.Constitutional})
	if err != nil || total != 1 || len(got) != 1 || got[0].ID != "rtt_92" {
		t.Errorf("constitutional: %+v (%d), %v", got, total, err)
	}
	got, total, err = db.FindPriorities(ctx, accord.PriorityFilter{IndicatorID: "rtt_18w"})
	if err != nil || total != 1 || len(got) != 1 || got[0].ID != "rtt_65" {
		t.Errorf("by indicator: %+v (%d), %v", got, total, err)
	}
	if _, total, _ := db.FindPriorities(ctx, accord.PriorityFilter{Area: "elective"}); total != 2 {
		t.Errorf("elective: %d, want 2", total)
	}
	bad := fixturePriorities()[0]
	bad.ID, bad.IndicatorID = "cancer_fds", "fds_28d"
	wantError(t, db.UpsertPriorities(ctx, []accord.Priority{bad}), accord.EINVALID, "national priority cancer_fds", `"fds_28d" is not in the catalogue`)
	if _, err := db.FindPriority(ctx, "cancer_fds"); accord.ErrorCode(err) != accord.ENOTFOUND {
		t.Errorf("rejected priority was stored: %v", err)
	}
}

func testObservationRoundTrip(t *testing.T, open factory) {
	ctx := context.Background()
	db := seeded(t, open)
	full := obs("rtt_18w", "QHG", "2025-04", 58.5)
	full.Numerator, full.Denominator = accord.Float(117), accord.Float(200)
	full.LowerCI, full.UpperCI, full.CILevel = accord.Float(51.6), accord.Float(65.2), 95
	full.Status = accord.Provisional
	female := obs("le_birth", "E06000055", "2021-23", 83.1)
	female.Breakdown = accord.Breakdown{Sex: accord.SexFemale, AgeBand: "0-4", IMDDecile: 3, Ethnicity: "White British"}
	in := []accord.Observation{full, female, obs("ae_4h", "RC9", "2025/26 Q1", 74)}
	// An observation added outside an import may still name one.
	imp, err := importFile(t, db, fixtureImport("empty.csv", "rtt"))
	if err != nil {
		t.Fatal(err)
	}
	full.ImportID = imp.ID
	in[0] = full
	bad := in[2]
	bad.ImportID = imp.ID + 100
	wantError(t, db.AddObservations(ctx, []accord.Observation{bad}), accord.EINVALID,
		fmt.Sprintf("observation 1 (ae_4h for RC9 in 2025/26 Q1): import %d is not known", bad.ImportID))
	if err := db.AddObservations(ctx, in); err != nil {
		t.Fatal(err)
	}
	got, total, err := db.FindObservations(ctx, accord.ObservationFilter{AnyBreakdown: true})
	if err != nil {
		t.Fatal(err)
	}
	if total != 3 {
		t.Errorf("total %d, want 3", total)
	}
	// Ordered by indicator, then organisation.
	equal(t, "observations", got, []accord.Observation{in[2], in[1], in[0]})
}

func testObservationAllOrNothing(t *testing.T, open factory) {
	ctx := context.Background()
	good := func() []accord.Observation {
		return []accord.Observation{
			obs("rtt_18w", "QHG", "2025-04", 58.5),
			obs("rtt_18w", "QHG", "2025-05", 59.1),
			obs("rtt_18w", "QHG", "2025-06", 59.8),
			obs("rtt_18w", "QUE", "2025-06", 61.2),
		}
	}
	for _, c := range []struct {
		name  string
		spoil func(b []accord.Observation) []accord.Observation
		code  string
		want  []string
	}{
		{"percentage over 100", func(b []accord.Observation) []accord.Observation {
			b[2].Value = 140
			return b
		}, accord.EINVALID, []string{"observation 3 (rtt_18w for QHG in 2025-06): value: 140 is not a percentage"}},
		{"unknown organisation", func(b []accord.Observation) []accord.Observation {
			b[2].OrgCode = "ZZZ"
			return b
		}, accord.EINVALID, []string{`observation 3 (rtt_18w for ZZZ in 2025-06): organisation "ZZZ" is not known`}},
		{"unknown indicator", func(b []accord.Observation) []accord.Observation {
			b[2].IndicatorID = "x"
			return b
		}, accord.EINVALID, []string{`observation 3 (x for QHG in 2025-06): indicator "x" is not in the catalogue`}},
		{"duplicate in batch", func(b []accord.Observation) []accord.Observation {
			return append(b, obs("rtt_18w", "QHG", "2025-05", 60))
		}, accord.ECONFLICT, []string{"observation 5 (rtt_18w for QHG in 2025-05): repeats observation 2"}},
		{"duplicate of a stored observation", func(b []accord.Observation) []accord.Observation {
			return append(b, obs("rtt_18w", "RC9", "2025-03", 60))
		}, accord.ECONFLICT, []string{"observation 5 (rtt_18w for RC9 in 2025-03): is already stored"}},
		{"several problems in one observation", func(b []accord.Observation) []accord.Observation {
			b[0].OrgCode, b[0].Value = "ZZZ", -1
			return b
		}, accord.EINVALID, []string{"observation 1 (rtt_18w for ZZZ in 2025-04): value: -1 is not a percentage", `; organisation "ZZZ" is not known`}},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			db := seeded(t, open)
			stored := obs("rtt_18w", "RC9", "2025-03", 55)
			if err := db.AddObservations(ctx, []accord.Observation{stored}); err != nil {
				t.Fatal(err)
			}
			err := db.AddObservations(ctx, c.spoil(good()))
			wantError(t, err, c.code, append([]string{"none of the"}, c.want...)...)
			got, total, err := db.FindObservations(ctx, accord.ObservationFilter{AnyBreakdown: true})
			if err != nil {
				t.Fatal(err)
			}
			if total != 1 || len(got) != 1 || got[0].Key() != stored.Key() {
				t.Errorf("after a rejected batch: %d stored (%v), want only the one stored before", total, periods(got))
			}
			// The good rows alone go in.
			if err := db.AddObservations(ctx, good()); err != nil {
				t.Errorf("the good rows alone: %v", err)
			}
		})
	}
}

func testObservationManyProblems(t *testing.T, open factory) {
	ctx := context.Background()
	db := seeded(t, open)
	var batch []accord.Observation
	p := accord.Month(2020, time.January)
	for i := 0; i < 30; i++ {
		o := obs("rtt_18w", "QHG", p.String(), 150)
		batch = append(batch, o)
		p = p.Next()
	}
	batch = append(batch, obs("rtt_18w", "QHG", p.String(), 50))
	err := db.AddObservations(ctx, batch)
	wantError(t, err, accord.EINVALID, "none of the 31 observations were stored: 30 observations have problems",
		"observation 1 (rtt_18w for QHG in 2020-01)", "observation 20 (", "and 10 more")
	var e *accord.Error
	if asError(err, &e) && len(e.Fields) != 21 {
		t.Errorf("%d fields, want 20 problems and one 'and 10 more'", len(e.Fields))
	}
	if strings.Contains(err.Error(), "observation 21 (") {
		t.Errorf("more than 20 problems listed: %v", err)
	}
}

func testObservationPeriodRange(t *testing.T, open factory) {
	ctx := context.Background()
	db := seeded(t, open)
	var batch []accord.Observation
	for p := accord.Month(2024, time.January); p.Start().Year() < 2026; p = p.Next() {
		batch = append(batch, obs("rtt_18w", "QHG", p.String(), 55))
	}
	batch = append(batch, obs("rtt_18w", "QHG", "2025/26 Q1", 57), obs("rtt_18w", "QUE", "2025-05", 61))
	if err := db.AddObservations(ctx, batch); err != nil {
		t.Fatal(err)
	}
	m := accord.MustParsePeriod
	for _, c := range []struct {
		name  string
		f     accord.ObservationFilter
		want  []string
		total int
	}{
		{"closed range, by start", accord.ObservationFilter{OrgCodes: []string{"QHG"}, From: m("2025-04"), To: m("2025-06")},
			[]string{"2025-04", "2025/26 Q1", "2025-05", "2025-06"}, 4},
		{"from only", accord.ObservationFilter{OrgCodes: []string{"QHG"}, From: m("2025-11")}, []string{"2025-11", "2025-12"}, 2},
		{"to only", accord.ObservationFilter{OrgCodes: []string{"QHG"}, To: m("2024-02")}, []string{"2024-01", "2024-02"}, 2},
		{"a year as the bound compares by its start", accord.ObservationFilter{IndicatorID: "rtt_18w", From: m("2025/26"), To: m("2025/26")},
			[]string{"2025-04", "2025/26 Q1"}, 2},
		{"organisations", accord.ObservationFilter{OrgCodes: []string{"QUE"}}, []string{"2025-05"}, 1},
		{"empty range", accord.ObservationFilter{From: m("2025-06"), To: m("2025-05")}, nil, 0},
	} {
		got, total, err := db.FindObservations(ctx, c.f)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if !reflect.DeepEqual(periods(got), c.want) && !(len(got) == 0 && len(c.want) == 0) {
			t.Errorf("%s: got %v, want %v", c.name, periods(got), c.want)
		}
		if total != c.total {
			t.Errorf("%s: total %d, want %d", c.name, total, c.total)
		}
	}
}

func testObservationBreakdown(t *testing.T, open factory) {
	ctx := context.Background()
	db := seeded(t, open)
	all := obs("le_birth", "E06000055", "2021-23", 81.2)
	female, male, poorest := all, all, all
	female.Breakdown, female.Value = accord.Breakdown{Sex: accord.SexFemale}, 83.1
	male.Breakdown, male.Value = accord.Breakdown{Sex: accord.SexMale}, 79.4
	poorest.Breakdown, poorest.Value = accord.Breakdown{IMDDecile: 1}, 76.0
	if err := db.AddObservations(ctx, []accord.Observation{male, all, poorest, female}); err != nil {
		t.Fatal(err)
	}
	values := func(f accord.ObservationFilter) []float64 {
		t.Helper()
		got, total, err := db.FindObservations(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		if total != len(got) {
			t.Errorf("total %d, but %d returned", total, len(got))
		}
		var out []float64
		for _, o := range got {
			out = append(out, o.Value)
		}
		return out
	}
	equal(t, "default is the whole population", values(accord.ObservationFilter{}), []float64{81.2})
	equal(t, "female", values(accord.ObservationFilter{Breakdown: accord.Breakdown{Sex: accord.SexFemale}}), []float64{83.1})
	equal(t, "decile 1", values(accord.ObservationFilter{Breakdown: accord.Breakdown{IMDDecile: 1}}), []float64{76.0})
	// Any breakdown, ordered by breakdown key: "", imd=1, sex=female, sex=male.
	equal(t, "any", values(accord.ObservationFilter{AnyBreakdown: true}), []float64{81.2, 76.0, 83.1, 79.4})
	_, _, err := db.FindObservations(ctx, accord.ObservationFilter{Breakdown: accord.Breakdown{Sex: "other"}})
	wantError(t, err, accord.EINVALID, "breakdown.sex")
}

func testObservationPaging(t *testing.T, open factory) {
	ctx := context.Background()
	db := seeded(t, open)
	var batch []accord.Observation
	for _, org := range []string{"RGT", "RC9"} {
		for p := accord.Month(2025, time.January); p.Start().Month() <= time.June && p.Start().Year() == 2025; p = p.Next() {
			batch = append(batch, obs("ae_4h", org, p.String(), 70))
		}
	}
	if err := db.AddObservations(ctx, batch); err != nil {
		t.Fatal(err)
	}
	got, total, err := db.FindObservations(ctx, accord.ObservationFilter{IndicatorID: "ae_4h", Offset: 5, Limit: 3})
	if err != nil {
		t.Fatal(err)
	}
	if total != 12 {
		t.Errorf("total %d, want 12", total)
	}
	var keys []string
	for _, o := range got {
		keys = append(keys, o.OrgCode+" "+o.Period.String())
	}
	equal(t, "page", keys, []string{"RC9 2025-06", "RGT 2025-01", "RGT 2025-02"})
}

func testSummariseObservations(t *testing.T, open factory) {
	ctx := context.Background()
	db := seeded(t, open)
	female := obs("rtt_18w", "QHG", "2023-01", 50)
	female.Breakdown.Sex = accord.SexFemale // breakdowns are not counted
	batch := []accord.Observation{
		obs("rtt_18w", "QHG", "2025-03", 58), obs("rtt_18w", "QHG", "2024-11", 57), obs("rtt_18w", "QHG", "2025-01", 57.5),
		obs("rtt_18w", "QUE", "2025-02", 61), female,
		obs("le_birth", "QHG", "2019-21", 81), obs("le_birth", "QHG", "2020-22", 81.1),
	}
	if err := db.AddObservations(ctx, batch); err != nil {
		t.Fatal(err)
	}
	m := accord.MustParsePeriod
	got, err := db.SummariseObservations(ctx, []string{"QHG"})
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "QHG", got, []accord.SeriesSummary{
		{IndicatorID: "le_birth", OrgCode: "QHG", Count: 2, First: m("2019-21"), Last: m("2020-22")},
		{IndicatorID: "rtt_18w", OrgCode: "QHG", Count: 3, First: m("2024-11"), Last: m("2025-03")},
	})
	got, err = db.SummariseObservations(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || got[2].OrgCode != "QUE" || got[2].Count != 1 {
		t.Errorf("all organisations: %+v", got)
	}
}

func fixtureTarget() accord.Target {
	return accord.Target{
		OrgCode: "QHG", IndicatorID: "rtt_18w", PriorityID: "rtt_65",
		Title: "Patients waiting under 18 weeks", Comparator: accord.AtLeast, Value: 65,
		BaselinePeriod: accord.MustParsePeriod("2025-03"), BaselineValue: accord.Float(58.2),
		Deadline:           fixtureDeadline(),
		LocalCircumstances: "Orthopaedic backlog after the theatre refurbishment",
		Rationale:          "Meets the national standard on the planned trajectory",
		Status:             accord.TargetDraft,
		Trajectory: []accord.Milestone{
			{Period: accord.MustParsePeriod("2025-06"), Value: 60},
			{Period: accord.MustParsePeriod("2025-09"), Value: 61.5},
			{Period: accord.MustParsePeriod("2025-12"), Value: 63},
			{Period: accord.MustParsePeriod("2026-03"), Value: 65},
		},
	}
}

func testTargetRoundTrip(t *testing.T, open factory) {
	ctx := context.Background()
	db := seeded(t, open)
	before := time.Now().UTC().Truncate(time.Second)
	tg := fixtureTarget()
	if err := db.CreateTarget(ctx, &tg, leadOf("QHG")); err != nil {
		t.Fatal(err)
	}
	if tg.ID <= 0 || tg.Version != 1 {
		t.Errorf("created target has ID %d, version %d", tg.ID, tg.Version)
	}
	if tg.CreatedAt.Before(before) || !tg.CreatedAt.Equal(tg.UpdatedAt) || tg.CreatedAt.Location() != time.UTC ||
		tg.CreatedAt.Nanosecond() != 0 {
		t.Errorf("timestamps %v, %v", tg.CreatedAt, tg.UpdatedAt)
	}
	got, err := db.FindTarget(ctx, tg.ID)
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "target", got, tg)

	local := fixtureTarget()
	local.PriorityID, local.LocalTag = "", accord.TagInequality
	local.OrgCode, local.Title = "QUE", "Narrow the gap in waits"
	local.BaselinePeriod, local.BaselineValue, local.Trajectory = accord.Period{}, nil, nil
	if err := db.CreateTarget(ctx, &local, leadOf("QUE")); err != nil {
		t.Fatal(err)
	}
	local, err = db.MoveTarget(ctx, local.ID, accord.TargetConsultation, leadOf("QUE"), "")
	if err != nil {
		t.Fatal(err)
	}
	if local.ID == tg.ID {
		t.Errorf("both targets have ID %d", tg.ID)
	}
	got, err = db.FindTarget(ctx, local.ID)
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "local target", got, local)

	for _, c := range []struct {
		name  string
		f     accord.TargetFilter
		want  []int64
		total int
	}{
		{"all", accord.TargetFilter{}, []int64{tg.ID, local.ID}, 2},
		{"organisation", accord.TargetFilter{OrgCode: "QUE"}, []int64{local.ID}, 1},
		{"priority", accord.TargetFilter{PriorityID: "rtt_65"}, []int64{tg.ID}, 1},
		{"status", accord.TargetFilter{Status: accord.TargetDraft}, []int64{tg.ID}, 1},
		{"indicator", accord.TargetFilter{IndicatorID: "rtt_18w", Limit: 1, Offset: 1}, []int64{local.ID}, 2},
	} {
		ts, total, err := db.FindTargets(ctx, c.f)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		var ids []int64
		for _, x := range ts {
			ids = append(ids, x.ID)
		}
		equal(t, c.name, ids, c.want)
		if total != c.total {
			t.Errorf("%s: total %d, want %d", c.name, total, c.total)
		}
		if c.name == "all" {
			equal(t, "listed with trajectories", ts, []accord.Target{tg, local})
		}
	}
}

func testTargetChecks(t *testing.T, open factory) {
	ctx := context.Background()
	db := seeded(t, open)
	tg := fixtureTarget()
	tg.OrgCode, tg.IndicatorID, tg.PriorityID = "ZZZ", "nope", "none"
	err := db.CreateTarget(ctx, &tg, leadOf("QHG"))
	wantError(t, err, accord.EINVALID, `organisation: "ZZZ" is not known`, `indicator: "nope" is not in the catalogue`,
		`priority: "none" is not a national priority`)
	if tg.ID != 0 {
		t.Errorf("a rejected target was given ID %d", tg.ID)
	}
	untitled := fixtureTarget()
	untitled.Title = ""
	wantError(t, db.CreateTarget(ctx, &untitled, leadOf("QHG")), accord.EINVALID, "title: is required")
	if _, total, _ := db.FindTargets(ctx, accord.TargetFilter{}); total != 0 {
		t.Errorf("%d targets stored, want 0", total)
	}
}

func testNotFound(t *testing.T, open factory) {
	ctx := context.Background()
	db := seeded(t, open)
	_, err := db.FindOrganisation(ctx, "XYZ")
	wantError(t, err, accord.ENOTFOUND, `organisation "XYZ" not found`)
	_, err = db.FindOrganisation(ctx, "")
	wantError(t, err, accord.ENOTFOUND, `organisation "" not found`)
	_, err = db.FindIndicator(ctx, "nope")
	wantError(t, err, accord.ENOTFOUND, `indicator "nope" not found`)
	_, err = db.FindPriority(ctx, "nope")
	wantError(t, err, accord.ENOTFOUND, `national priority "nope" not found`)
	_, err = db.FindTarget(ctx, 999)
	wantError(t, err, accord.ENOTFOUND, "target 999 not found")
}

func testPingClose(t *testing.T, open factory) {
	ctx := context.Background()
	db := open(t)
	if err := db.Ping(ctx); err != nil {
		t.Fatal(err)
	}
	if got := db.Engine(); got != SQLite && got != Postgres {
		t.Errorf("engine %q", got)
	}
	// A second handle on the same database closes independently.
	other, err := Open(ctx, dsnOf(t, db))
	if err != nil {
		t.Fatal(err)
	}
	if err := other.Close(); err != nil {
		t.Errorf("close: %v", err)
	}
	if err := other.Ping(ctx); err == nil {
		t.Error("ping after close succeeded")
	}
	if err := db.Ping(ctx); err != nil {
		t.Errorf("the first handle stopped answering: %v", err)
	}
}

// dsnOf recovers a DSN that opens db again (postgres names are redacted,
// but the test URL has no password).
func dsnOf(t *testing.T, db *DB) string {
	t.Helper()
	if strings.Contains(db.Name(), "xxxxx") {
		t.Skip("test database URL has a password")
	}
	return db.Name()
}

func asError(err error, target **accord.Error) bool {
	e, ok := err.(*accord.Error)
	if ok {
		*target = e
	}
	return ok
}

// BenchmarkAddObservations stores 10,000 observations (100 providers × 100
// months) in one batch on each engine, so the two can be compared in one
// run (docs/benchmarks.md).
func BenchmarkAddObservations(b *testing.B) { forEachEngineBench(b, benchmarkAddObservations) }

// forEachEngineBench runs a benchmark on SQLite and, when its URL is set,
// on PostgreSQL.
func forEachEngineBench(b *testing.B, run func(b *testing.B, open factory)) {
	b.Run("sqlite", func(b *testing.B) { run(b, sqliteFactory) })
	b.Run("postgres", func(b *testing.B) {
		base := os.Getenv("ACCORD_TEST_POSTGRES_URL")
		if base == "" {
			b.Skip("set ACCORD_TEST_POSTGRES_URL to benchmark PostgreSQL")
		}
		run(b, postgresFactory(base))
	})
}

func benchmarkAddObservations(b *testing.B, open factory) {
	ctx := context.Background()
	db := benchDB(b, open)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		_, batch := benchBatch(b, db, i)
		b.StartTimer()
		if err := db.AddObservations(ctx, batch); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(benchRows*b.N)/b.Elapsed().Seconds(), "rows/s")
}
