package assess_test

import (
	"context"
	"fmt"
	"math"
	"path/filepath"
	"testing"
	"time"

	"github.com/nhs-accord/accord"
	"github.com/nhs-accord/accord/assess"
	"github.com/nhs-accord/accord/reference"
	"github.com/nhs-accord/accord/store"
)

// BenchmarkRecompute assesses every series of a full-England monthly
// dataset: England, the 7 regions, 42 ICBs and every trust open throughout,
// every monthly indicator in the catalogue, 10 years of months.
func BenchmarkRecompute(b *testing.B) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
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
	var codes []string
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
	var inds []string
	proportion := map[string]bool{}
	for _, ind := range catalogue {
		if ind.Frequency == accord.Monthly {
			inds = append(inds, ind.ID)
			proportion[ind.ID] = ind.Method == accord.MethodProportion
		}
	}
	var obs []accord.Observation
	points := 0
	for ii, ind := range inds {
		for ci, code := range codes {
			p := accord.MustParsePeriod("2015-04")
			for m := range 120 {
				v := 70 + 10*math.Sin(float64(m+ci+ii)/7)
				o := accord.Observation{IndicatorID: ind, OrgCode: code, Period: p, Status: accord.Final}
				if proportion[ind] {
					o.Value, o.Numerator, o.Denominator = v, accord.Float(v*100), accord.Float(10000)
				} else {
					o.Value = math.Round(v * 1000)
				}
				obs = append(obs, o)
				points++
				p = p.Next()
			}
		}
	}
	for len(obs) > 0 {
		n := min(len(obs), 50_000)
		if err := st.AddObservations(ctx, obs[:n]); err != nil {
			b.Fatal(err)
		}
		obs = obs[n:]
	}
	series := len(inds) * len(codes)
	b.ResetTimer()
	for b.Loop() {
		sum, err := assess.Recompute(ctx, st, inds, time.Now())
		if err != nil {
			b.Fatal(err)
		}
		if sum.Series != series {
			b.Fatalf("assessed %d series, want %d", sum.Series, series)
		}
	}
	perOp := b.Elapsed().Seconds() / float64(b.N)
	b.ReportMetric(float64(series)/perOp, "series/s")
	b.ReportMetric(float64(points)/perOp, "points/s")
	b.ReportMetric(float64(points), "points")
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
