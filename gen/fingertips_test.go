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
	"github.com/nhs-accord/accord/reference"
)

// Two generated periods import whole, and each value imported is the one
// written: the sums by indicator agree with the file read plainly.
func TestFingertipsImports(t *testing.T) {
	orgs, err := LoadOrgs()
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := writeFingertips(&out, orgs, Options{Seed: 7, From: accord.Month(2023, time.January), Months: 2}); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(out.Bytes())).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(recs[0], ",") != importer.FingertipsAPIHeader {
		t.Fatalf("header %q", recs[0])
	}
	areas := 1 + len(orgs.Regions) + len(orgs.ICBs) + len(orgs.Places)
	if areas != 203 {
		t.Errorf("%d areas, want England, 7 regions, 42 ICBs and 153 places", areas)
	}
	// Three indicators by two sexes and one by three, for two periods.
	wantRows := 2 * areas * (3*2 + 3)
	if len(recs)-1 != wantRows {
		t.Fatalf("%d rows, want %d", len(recs)-1, wantRows)
	}
	indicator := map[string]string{"90362": "healthy_life_expectancy_birth", "90366": "life_expectancy_birth",
		"92901": "life_expectancy_sii", "108": "mortality_under75_all_causes"}
	plain := map[string]float64{}
	periods := map[string]bool{}
	for _, r := range recs[1:] {
		v, err := strconv.ParseFloat(r[12], 64)
		if err != nil {
			t.Fatalf("row %q", r)
		}
		plain[indicator[r[0]]] += v
		periods[r[11]] = true
	}
	if len(periods) != 2 || !periods["2020 - 22"] || !periods["2021 - 23"] {
		t.Errorf("periods %v", periods)
	}

	res, err := importer.Read(context.Background(), "fingertips.csv", bytes.NewReader(out.Bytes()), importer.NewOrgIndex(orgs.All), "")
	if err != nil {
		t.Fatal(err)
	}
	if res.Format.Name != "fingertips" || res.Format.Layout != "Fingertips API CSV" || res.Rows != wantRows ||
		len(res.Observations) != wantRows || len(res.Skipped) != 0 || len(res.Indicators) != 0 {
		t.Fatalf("%s: %d rows, %d observations, skipped %v, defined %d", res.Format.Layout, res.Rows, len(res.Observations), res.Skipped, len(res.Indicators))
	}
	inds := map[string]accord.Indicator{}
	ref, err := reference.Parse()
	if err != nil {
		t.Fatal(err)
	}
	for _, ind := range ref.Indicators {
		inds[ind.ID] = ind
	}
	got := map[string]float64{}
	types := map[accord.OrgType]int{}
	typeOf := map[string]accord.OrgType{}
	for _, o := range orgs.All {
		typeOf[o.Code] = o.Type
	}
	for i, o := range res.Observations {
		got[o.IndicatorID] += o.Value
		types[typeOf[o.OrgCode]]++
		o.Status = accord.Final
		if err := o.Validate(inds[o.IndicatorID]); err != nil {
			t.Fatalf("%s: %v", res.Refs[i], err)
		}
		if o.Breakdown.AgeBand != "" || o.Period.Kind() != accord.PeriodRolling || o.LowerCI == nil || o.CILevel != 95 {
			t.Fatalf("%s: %+v", res.Refs[i], o)
		}
		if (o.IndicatorID == "mortality_under75_all_causes") != (o.Numerator != nil && o.Denominator != nil) {
			t.Fatalf("%s: counts %+v", res.Refs[i], o)
		}
	}
	for id, v := range plain {
		if math.Abs(got[id]-v) > 1e-6 {
			t.Errorf("%s: imported sum %v, file sum %v", id, got[id], v)
		}
	}
	perArea := 2 * 9
	if types[accord.OrgEngland] != perArea || types[accord.OrgRegion] != 7*perArea || types[accord.OrgICB] != 42*perArea || types[accord.OrgPlace] != 153*perArea {
		t.Errorf("observations by organisation type: %v", types)
	}
}

func TestFingertipsDeterministic(t *testing.T) {
	orgs, err := LoadOrgs()
	if err != nil {
		t.Fatal(err)
	}
	write := func(seed uint64) []byte {
		var b bytes.Buffer
		if err := writeFingertips(&b, orgs, Options{Seed: seed}); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	a, b, c := write(5), write(5), write(6)
	if !bytes.Equal(a, b) || bytes.Equal(a, c) {
		t.Error("the same seed must give the same bytes, another seed other bytes")
	}
	// By default ten periods, 2012-14 to 2021-23.
	if n := bytes.Count(a, []byte("\n")) - 1; n != 10*203*9 {
		t.Errorf("%d rows by default", n)
	}
	if !bytes.Contains(a, []byte(",2012 - 14,")) || !bytes.Contains(a, []byte(",2021 - 23,")) ||
		bytes.Contains(a, []byte(",2011 - 13,")) || bytes.Contains(a, []byte(",2022 - 24,")) {
		t.Error("default periods are not 2012-14 to 2021-23")
	}
}

// BenchmarkReadFingertips reads a generated national file: four indicators,
// 203 areas, by sex, ten rolling periods (18,270 rows).
func BenchmarkReadFingertips(b *testing.B) {
	benchmarkRead(b, writeFingertips, Options{Seed: 1, Months: 10}, "fingertips")
}
