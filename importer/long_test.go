package importer

import (
	"bytes"
	"compress/gzip"
	"strings"
	"testing"

	"github.com/nhs-accord/accord"
)

func TestParseLong(t *testing.T) {
	in := "\ufefforganisation_code,indicator,period,numerator,denominator,value,breakdown,status\n" +
		"QHG,ae_4h_all,2025-04,7000,10000,70,,provisional\n" +
		"QHG,healthy_life_expectancy_birth,2021-23,,,61.2,sex=female,final\n"
	recs, err := ParseLong(strings.NewReader(in), "return.csv")
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 2 {
		t.Fatalf("got %d records", len(recs))
	}
	o := recs[0].Obs
	if recs[0].Line != 2 || o.OrgCode != "QHG" || o.Period.String() != "2025-04" || *o.Numerator != 7000 || *o.Denominator != 10000 || o.Value != 70 || o.Status != accord.Provisional {
		t.Errorf("first record: %+v", recs[0])
	}
	if b := recs[1].Obs.Breakdown; b.Sex != "female" || recs[1].Obs.Numerator != nil || recs[1].Obs.Status != accord.Final {
		t.Errorf("second record: %+v", recs[1])
	}
}

func TestParseLongProblems(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		want     []string
	}{
		{"empty", "", []string{"f.csv:1: the file is empty"}},
		{"header only", "organisation_code,indicator,period,value\n", []string{"f.csv:2: the file has a header but no rows"}},
		{"missing and unexpected columns", "organisation_code,indicator,colour\nQHG,x,red\n",
			[]string{`f.csv:1:3: unexpected column "colour"`, `f.csv:1: missing column "period"`, `f.csv:1: missing column "value"`}},
		{"bad month", "organisation_code,indicator,period,value\nQHG,ae_4h_all,2025-13,50\n",
			[]string{`f.csv:2:3: period "2025-13": month must be between 01 and 12`}},
		{"bad financial year", "organisation_code,indicator,period,value\nQHG,ae_4h_all,2025/27,50\n",
			[]string{`f.csv:2:3: period "2025/27"`}},
		{"not a number", "organisation_code,indicator,period,value,numerator\nQHG,ae_4h_all,2025-04,lots,x\n",
			[]string{`f.csv:2:4: value "lots" is not a number`, `f.csv:2:5: numerator "x" is not a number`}},
		{"bad breakdown and status", "organisation_code,indicator,period,value,breakdown,status\nQHG,a,2025,1,colour=red,maybe\n",
			[]string{`f.csv:2:5: breakdown "colour=red"`, `f.csv:2:6: status "maybe" must be provisional or final`}},
		{"ragged row", "organisation_code,indicator,period,value\nQHG,a,2025\n",
			[]string{"f.csv:2:"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseLong(strings.NewReader(tc.in), "f.csv")
			if err == nil {
				t.Fatal("no error")
			}
			if accord.ErrorCode(err) != accord.EINVALID {
				t.Errorf("code %q, want invalid", accord.ErrorCode(err))
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
}

func TestProblemsCapped(t *testing.T) {
	var b strings.Builder
	b.WriteString("organisation_code,indicator,period,value\n")
	for range 50 {
		b.WriteString("QHG,ae_4h_all,2025-13,1\n")
	}
	_, err := ParseLong(strings.NewReader(b.String()), "f.csv")
	if err == nil || !strings.Contains(err.Error(), "… and 30 more problems") {
		t.Fatalf("error not capped: %v", err)
	}
	if n := strings.Count(err.Error(), "\n"); n != MaxReported {
		t.Errorf("%d lines, want %d", n+1, MaxReported+1)
	}
}

func TestDecompress(t *testing.T) {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write([]byte("organisation_code,indicator,period,value\nQHG,x,2025,1\n"))
	zw.Close()
	r, err := Decompress(&buf)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := ParseLong(r, "f.csv.gz")
	if err != nil || len(recs) != 1 {
		t.Fatalf("recs %v err %v", recs, err)
	}
}

func FuzzParseLong(f *testing.F) {
	f.Add("organisation_code,indicator,period,numerator,denominator,value,breakdown,status\nQHG,ae_4h_all,2025-04,7000,10000,70,,provisional\n")
	f.Add("organisation_code,indicator,period,value\nQHG,x,2021-23,1\n")
	f.Add("organisation_code,indicator,period,value,breakdown\nQHG,x,2025/26 Q1,1,sex=male;age=65+;imd=3\n")
	f.Add("organisation_code,indicator,period,value\n\"QHG,x,2025,1\n")
	f.Add("a,b\n1,2,3\n")
	f.Add("")
	f.Fuzz(func(t *testing.T, in string) {
		recs, err := ParseLong(strings.NewReader(in), "fuzz.csv")
		if err != nil {
			if accord.ErrorCode(err) != accord.EINVALID || !strings.HasPrefix(err.Error(), "fuzz.csv:") {
				t.Fatalf("error without a place or code: %v", err)
			}
			return
		}
		for _, r := range recs {
			if r.Line < 2 || r.Obs.Period.IsZero() {
				t.Fatalf("bad record %+v", r)
			}
		}
	})
}
