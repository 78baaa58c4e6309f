package gen

import (
	"bytes"
	"context"
	"encoding/csv"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nhs-accord/accord"
	"github.com/nhs-accord/accord/importer"
)

// Two generated months import, and the importer's figures are the sums of
// the rows read plainly.
func TestCWTImports(t *testing.T) {
	orgs, err := LoadOrgs()
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	opt := Options{Seed: 3, From: accord.Month(2024, time.March), Months: 2}
	if err := writeCWT(&out, orgs, opt); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(out.Bytes())).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(recs[0], ",") != strings.Join(importer.CWTProviderColumns, ",") || strings.Join(cwtHeader, ",") != strings.Join(importer.CWTProviderColumns, ",") {
		t.Fatalf("header %q", recs[0])
	}
	indicator := map[string]string{}
	for _, s := range importer.CWTStandards {
		indicator[s.Standard] = s.Indicator
	}
	type key struct{ ind, org, month string }
	type group struct{ month, standard, org, stage string }
	sums := map[key][2]float64{}
	byType, byModality := map[group][2]float64{}, map[group][2]float64{}
	seen := map[string]map[string]bool{} // month → trusts with rows
	halves := 0
	for _, r := range recs[1:] {
		total, err1 := strconv.ParseFloat(r[8], 64)
		within, err2 := strconv.ParseFloat(r[9], 64)
		breaches, err3 := strconv.ParseFloat(r[10], 64)
		if err1 != nil || err2 != nil || err3 != nil || total <= 0 || within < 0 || breaches < 0 || total != within+breaches {
			t.Fatalf("row %q", r)
		}
		if strings.Contains(r[8], ".5") {
			halves++
		}
		month := r[0][:7]
		if seen[month] == nil {
			seen[month] = map[string]bool{}
		}
		seen[month][r[4]] = true
		g := group{month, r[3], r[4], r[5]}
		add := func(m map[group][2]float64) {
			s := m[g]
			s[0] += within
			s[1] += total
			m[g] = s
		}
		if r[7] == importer.CWTAllCancers {
			add(byModality)
			continue
		}
		add(byType)
		for _, org := range []string{r[4], accord.EnglandCode} {
			k := key{indicator[r[3]], org, month}
			s := sums[k]
			s[0] += within
			s[1] += total
			sums[k] = s
		}
	}
	for g, s := range byType {
		if g.standard != "28-day FDS" && byModality[g] != s {
			t.Errorf("%v: by cancer type %v, by modality %v", g, s, byModality[g])
		}
	}
	if len(seen) != 2 || len(seen["2024-03"]) != len(orgs.Providers) || len(seen["2024-04"]) != len(orgs.Providers) || halves == 0 {
		t.Errorf("trusts with rows by month: %d, %d of %d; %d rows with halves", len(seen["2024-03"]), len(seen["2024-04"]), len(orgs.Providers), halves)
	}

	res, err := importer.Read(context.Background(), "cwt.csv", bytes.NewReader(out.Bytes()), importer.NewOrgIndex(orgs.All), "cwt")
	if err != nil {
		t.Fatal(err)
	}
	if res.Rows != len(recs)-1 || res.Format.Layout != "CWT-CRS provider extract" {
		t.Fatalf("%d rows of %d, layout %q", res.Rows, len(recs)-1, res.Format.Layout)
	}
	if len(res.Observations) != len(sums) {
		t.Errorf("%d observations, %d points in the rows", len(res.Observations), len(sums))
	}
	for _, o := range res.Observations {
		s, ok := sums[key{o.IndicatorID, o.OrgCode, o.Period.String()}]
		if !ok || *o.Numerator != s[0] || *o.Denominator != s[1] || math.Abs(o.Value-100*s[0]/s[1]) > 1e-9 {
			t.Errorf("%s: %v (%v/%v), rows give %v", o.Describe(), o.Value, *o.Numerator, *o.Denominator, s)
		}
	}
	// England's Faster Diagnosis Standard stays near the real 71%.
	for _, m := range []string{"2024-03", "2024-04"} {
		s := sums[key{"cancer_fds_28d", accord.EnglandCode, m}]
		if v := 100 * s[0] / s[1]; v < 65 || v > 78 || s[1] < 200000 || s[1] > 350000 {
			t.Errorf("England FDS %s: %.1f%% of %v", m, v, s[1])
		}
	}
}

func TestCWTDeterministic(t *testing.T) {
	orgs, err := LoadOrgs()
	if err != nil {
		t.Fatal(err)
	}
	write := func(seed uint64) []byte {
		var b bytes.Buffer
		if err := writeCWT(&b, orgs, Options{Seed: seed, Months: 1}); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	a, b, c := write(5), write(5), write(6)
	if !bytes.Equal(a, b) || bytes.Equal(a, c) {
		t.Error("the same seed must give the same bytes, another seed other bytes")
	}
	if !bytes.HasPrefix(a[bytes.IndexByte(a, '\n')+1:], []byte(`"2024-04-01","2024/25","APR","28-day FDS",`)) {
		t.Errorf("default month: %.80s", a[bytes.IndexByte(a, '\n')+1:])
	}
	if err := writeCWT(&bytes.Buffer{}, orgs, Options{From: accord.FinancialYear(2024)}); accord.ErrorCode(err) != accord.EINVALID {
		t.Errorf("a year as the first month: %v", err)
	}
}

// BenchmarkReadCWT reads a generated national year of the provider
// extract (every open trust, 12 months, about 25 MB).
func BenchmarkReadCWT(b *testing.B) {
	benchmarkRead(b, writeCWT, Options{Seed: 1, Months: 12}, "cwt")
}
