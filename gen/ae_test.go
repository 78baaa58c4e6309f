package gen

import (
	"bytes"
	"context"
	"encoding/csv"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nhs-accord/accord"
	"github.com/nhs-accord/accord/importer"
)

func TestAEImports(t *testing.T) {
	orgs, err := LoadOrgs()
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	opt := Options{Seed: 7, From: accord.Month(2025, time.December), Months: 2}
	if err := writeAE(&out, orgs, opt); err != nil {
		t.Fatal(err)
	}
	text := out.String()

	// Read the file plainly: per month, the sums of the provider rows and
	// the TOTAL row, column by column.
	recs, err := csv.NewReader(strings.NewReader(text)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(recs[0], ",") != strings.Join(importer.AEColumns, ",") {
		t.Fatalf("header %q", recs[0])
	}
	type month struct {
		rows        int
		sums, total [aeCounts]int64
	}
	months := map[string]*month{}
	var order []string
	current := ""
	for _, r := range recs[1:] {
		if r[1] == "TOTAL " {
			for c := range aeCounts {
				months[current].total[c], _ = strconv.ParseInt(r[4+c], 10, 64)
			}
			continue
		}
		if months[r[0]] == nil {
			months[r[0]] = &month{}
			order = append(order, r[0])
		}
		current = r[0]
		m := months[current]
		m.rows++
		for c := range aeCounts {
			n, err := strconv.ParseInt(r[4+c], 10, 64)
			if err != nil || n < 0 {
				t.Fatalf("%q: %v", r, err)
			}
			m.sums[c] += n
		}
	}
	if strings.Join(order, " ") != "MSitAE-DECEMBER-2025 MSitAE-JANUARY-2026" {
		t.Fatalf("months %q", order)
	}
	for _, k := range order {
		m := months[k]
		if m.sums != m.total {
			t.Errorf("%s: TOTAL %v, rows add up to %v", k, m.total, m.sums)
		}
		if m.rows < len(orgs.Providers)+40 {
			t.Errorf("%s: %d rows for %d open trusts and the other attributed sites", k, m.rows, len(orgs.Providers))
		}
	}

	res, err := importer.Read(context.Background(), "ae.csv", strings.NewReader(text), importer.NewOrgIndex(orgs.All), "")
	if err != nil {
		t.Fatal(err)
	}
	if res.Format.Name != "ae" || res.Rows != len(recs)-1 {
		t.Fatalf("%s, %d rows of %d", res.Format.Name, res.Rows, len(recs)-1)
	}
	got := map[string]accord.Observation{}
	for _, o := range res.Observations {
		if o.OrgCode == accord.EnglandCode {
			got[o.IndicatorID+" "+o.Period.String()] = o
		}
	}
	for i, k := range order {
		s := months[k].sums
		period := accord.Month(2025, time.December+time.Month(i)).String()
		att := s[0] + s[1] + s[2] + s[3] + s[4] + s[5]
		over := s[6] + s[7] + s[8] + s[9] + s[10] + s[11]
		want := map[string][2]int64{
			"ae_attendances":       {att, 0},
			"ae_4h_all":            {att - over, att},
			"ae_4h_type1":          {s[0] + s[3] - s[6] - s[9], s[0] + s[3]},
			"ae_12h_dta":           {s[13], 0},
			"emergency_admissions": {s[14] + s[15] + s[16] + s[17], 0},
		}
		for ind, w := range want {
			o, ok := got[ind+" "+period]
			switch {
			case !ok:
				t.Errorf("no England %s for %s", ind, period)
			case w[1] == 0 && o.Value != float64(w[0]):
				t.Errorf("England %s for %s = %v, rows add up to %d", ind, period, o.Value, w[0])
			case w[1] != 0 && (*o.Numerator != float64(w[0]) || *o.Denominator != float64(w[1])):
				t.Errorf("England %s for %s = %v/%v, rows add up to %d/%d", ind, period, *o.Numerator, *o.Denominator, w[0], w[1])
			}
		}
		// Shaped like the real thing: around 2 to 3 million attendances, most within 4 hours.
		if share := got["ae_4h_all "+period].Value; att < 2_000_000 || att > 3_200_000 || share < 60 || share > 85 {
			t.Errorf("%s: %d attendances, %.1f%% within 4 hours", period, att, share)
		}
	}

	// The same seed writes the same bytes; another seed, others.
	var again, other bytes.Buffer
	if err := writeAE(&again, orgs, opt); err != nil {
		t.Fatal(err)
	}
	opt.Seed++
	if err := writeAE(&other, orgs, opt); err != nil {
		t.Fatal(err)
	}
	if again.String() != text || other.String() == text {
		t.Error("output does not follow the seed")
	}
}

func TestAEDefaults(t *testing.T) {
	orgs, err := LoadOrgs()
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := writeAE(&out, orgs, Options{Seed: 1}); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(out.String(), "TOTAL ,TOTAL ,TOTAL ,TOTAL ,"); n != 12 {
		t.Errorf("%d months by default, want 12", n)
	}
	if err := writeAE(&out, orgs, Options{Seed: 1, From: accord.FinancialYear(2025)}); accord.ErrorCode(err) != accord.EINVALID {
		t.Errorf("a financial year as the first month: %v", err)
	}
}
