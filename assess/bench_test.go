package assess_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"fmt"
	"math"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nhs-accord/accord"
	"github.com/nhs-accord/accord/assess"
	"github.com/nhs-accord/accord/reference"
	"github.com/nhs-accord/accord/store"
)

// recomputeStore is a store holding a full-England monthly dataset:
// England, the 7 regions, 42 ICBs and every trust open throughout, every
// monthly indicator in the catalogue, 10 years of months. It returns the
// indicators, the organisations and how many series there are.
func recomputeStore(b *testing.B, open func(b *testing.B) *store.DB) (st *store.DB, inds, codes []string, series int) {
	ctx := context.Background()
	st = open(b)
	if _, err := st.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	if _, err := reference.Load(ctx, st); err != nil {
		b.Fatal(err)
	}
	orgs, _, err := st.FindOrganisations(ctx, accord.OrganisationFilter{})
	if err != nil {
		b.Fatal(err)
	}
	for _, o := range orgs {
		switch {
		case o.Type == accord.OrgEngland, o.Type == accord.OrgRegion, o.Type == accord.OrgICB:
			codes = append(codes, o.Code)
		case o.Type == accord.OrgProvider && o.ValidTo.IsZero() && o.ValidFrom.Year() < 2015:
			codes = append(codes, o.Code)
		}
	}
	catalogue, _, err := st.FindIndicators(ctx, accord.IndicatorFilter{})
	if err != nil {
		b.Fatal(err)
	}
	for _, ind := range catalogue {
		if ind.Frequency == accord.Monthly {
			inds = append(inds, ind.ID)
		}
	}
	addMonths(b, st, catalogue, inds, codes, accord.MustParsePeriod("2015-04"), 120)
	return st, inds, codes, len(inds) * len(codes)
}

// addMonths adds n months from first to every series.
func addMonths(b *testing.B, st *store.DB, catalogue []accord.Indicator, inds, codes []string, first accord.Period, n int) {
	proportion := map[string]bool{}
	for _, ind := range catalogue {
		proportion[ind.ID] = ind.Method == accord.MethodProportion
	}
	// The values follow the month's place after April 2015.
	offset := 0
	for p := accord.MustParsePeriod("2015-04"); p != first; p = p.Next() {
		offset++
	}
	var obs []accord.Observation
	for ii, ind := range inds {
		for ci, code := range codes {
			p := first
			for m := offset; m < offset+n; m++ {
				v := 70 + 10*math.Sin(float64(m+ci+ii)/7)
				o := accord.Observation{IndicatorID: ind, OrgCode: code, Period: p, Status: accord.Final}
				if proportion[ind] {
					o.Value, o.Numerator, o.Denominator = v, accord.Float(v*100), accord.Float(10000)
				} else {
					o.Value = math.Round(v * 1000)
				}
				obs = append(obs, o)
				p = p.Next()
			}
		}
	}
	for len(obs) > 0 {
		n := min(len(obs), 50_000)
		if err := st.AddObservations(context.Background(), obs[:n]); err != nil {
			b.Fatal(err)
		}
		obs = obs[n:]
	}
}

// openSQLite is a new SQLite store.
func openSQLite(b *testing.B) *store.DB {
	st, err := store.Open(context.Background(), filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	return st
}

// openPostgres is a new store in a schema of its own in the database that
// ACCORD_TEST_POSTGRES_URL names, dropped afterwards; without it the
// benchmark is skipped.
func openPostgres(b *testing.B) *store.DB {
	base := os.Getenv("ACCORD_TEST_POSTGRES_URL")
	if base == "" {
		b.Skip("set ACCORD_TEST_POSTGRES_URL to run the benchmark on PostgreSQL")
	}
	ctx := context.Background()
	admin, err := sql.Open("pgx", base)
	if err != nil {
		b.Fatal(err)
	}
	schema := "accord_bench_" + strings.ToLower(rand.Text()[:16])
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		admin.Close()
		b.Fatal(err)
	}
	b.Cleanup(func() {
		if _, err := admin.ExecContext(ctx, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			b.Errorf("drop schema %s: %v", schema, err)
		}
		admin.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		b.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	st, err := store.Open(ctx, u.String())
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	return st
}

// engines runs bench on SQLite and, when ACCORD_TEST_POSTGRES_URL is set,
// on PostgreSQL.
func engines(b *testing.B, bench func(b *testing.B, open func(*testing.B) *store.DB)) {
	b.Run("sqlite", func(b *testing.B) { bench(b, openSQLite) })
	b.Run("postgres", func(b *testing.B) { bench(b, openPostgres) })
}

// BenchmarkRecompute assesses every series of the full-England monthly
// dataset (recomputeStore) with nothing changed since the last recompute,
// as when a target or a priority changes: every series is read packed.
func BenchmarkRecompute(b *testing.B) { engines(b, benchmarkRecompute) }

func benchmarkRecompute(b *testing.B, open func(*testing.B) *store.DB) {
	ctx := context.Background()
	st, inds, _, series := recomputeStore(b, open)
	first, err := assess.Recompute(ctx, st, inds, time.Now())
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		sum, err := assess.Recompute(ctx, st, inds, time.Now())
		if err != nil {
			b.Fatal(err)
		}
		if sum.Series != series || sum.Points != first.Points {
			b.Fatalf("assessed %d series, %d points; want %d, %d", sum.Series, sum.Points, series, first.Points)
		}
	}
	reportRecompute(b, series, first.Points)
}

// BenchmarkRecomputeChanged assesses every series of the same dataset when
// each has a new month since the last recompute, as after a national
// import: every series is read from the observations and packed again.
func BenchmarkRecomputeChanged(b *testing.B) { engines(b, benchmarkRecomputeChanged) }

func benchmarkRecomputeChanged(b *testing.B, open func(*testing.B) *store.DB) {
	ctx := context.Background()
	st, inds, codes, series := recomputeStore(b, open)
	catalogue, _, err := st.FindIndicators(ctx, accord.IndicatorFilter{})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := assess.Recompute(ctx, st, inds, time.Now()); err != nil {
		b.Fatal(err)
	}
	next := accord.MustParsePeriod("2025-04")
	points := 0
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		addMonths(b, st, catalogue, inds, codes, next, 1)
		next = next.Next()
		b.StartTimer()
		sum, err := assess.Recompute(ctx, st, inds, time.Now())
		if err != nil {
			b.Fatal(err)
		}
		if sum.Series != series {
			b.Fatalf("assessed %d series, want %d", sum.Series, series)
		}
		points += sum.Points
	}
	reportRecompute(b, series, points/b.N)
}

func reportRecompute(b *testing.B, series, points int) {
	perOp := b.Elapsed().Seconds() / float64(b.N)
	b.ReportMetric(float64(series)/perOp, "series/s")
	b.ReportMetric(float64(points)/perOp, "points/s")
	b.ReportMetric(float64(points), "points")
	b.ReportMetric(perOp/float64(points)*1e6, "s/Mpoints")
}

// BenchmarkIndicator measures the statistics alone — SPC, intervals,
// England and peer comparison — over one indicator's full-England monthly
// series held in memory: 265 organisations × 120 months.
func BenchmarkIndicator(b *testing.B) {
	ind := accord.Indicator{ID: "ae_4h_all", Unit: accord.UnitPercent, Polarity: accord.HigherIsBetter, Method: accord.MethodProportion}
	types := map[string]accord.OrgType{accord.EnglandCode: accord.OrgEngland}
	peerOf := map[string][]string{}
	codes := []string{accord.EnglandCode}
	for i := range 264 {
		code := fmt.Sprintf("X%03d", i)
		codes = append(codes, code)
		if i < 42 {
			types[code] = accord.OrgICB
		} else {
			types[code] = accord.OrgProvider
		}
	}
	for i := range 42 {
		for k := 1; k <= 10; k++ {
			peerOf[codes[1+i]] = append(peerOf[codes[1+i]], codes[1+(i+k)%42])
		}
	}
	var obs []accord.Observation
	for ci, code := range codes {
		p := accord.MustParsePeriod("2015-04")
		for m := range 120 {
			v := 70 + 10*math.Sin(float64(m+ci)/7)
			obs = append(obs, accord.Observation{IndicatorID: ind.ID, OrgCode: code, Period: p, Value: v,
				Numerator: accord.Float(v * 100), Denominator: accord.Float(10000), Status: accord.Final})
			p = p.Next()
		}
	}
	in := assess.Inputs{Indicator: ind, Observations: obs, Types: types, PeerOf: peerOf,
		Priorities: []accord.Priority{{ID: "const_ae_4h", StandardType: accord.Constitutional, Comparator: accord.AtLeast, Standard: 95, Unit: "percent"}}}
	now := time.Now()
	for b.Loop() {
		if as := assess.Indicator(in, now); len(as) != len(codes) {
			b.Fatalf("%d assessments", len(as))
		}
	}
	perOp := b.Elapsed().Seconds() / float64(b.N)
	b.ReportMetric(float64(len(codes))/perOp, "series/s")
	b.ReportMetric(float64(len(obs))/perOp, "points/s")
}
