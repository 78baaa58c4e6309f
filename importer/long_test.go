package importer

import (
	"bytes"
	"compress/gzip"
	"context"
	"strings"
	"testing"

	"github.com/nhs-accord/accord"
)

// testOrgs is a small real slice of the map: England, the East of England,
// two ICBs, Luton and a trust; Surrey Heartlands with its ONS code history.
func testOrgs() *OrgIndex {
	return NewOrgIndex([]accord.Organisation{
		{Code: "ENG", ONSCode: "E92000001", Name: "England", Type: accord.OrgEngland},
		{Code: "Y61", ONSCode: "E40000013", Name: "East of England", Type: accord.OrgRegion, ParentCode: "ENG"},
		{Code: "Y59", ONSCode: "E40000005", Name: "South East", Type: accord.OrgRegion, ParentCode: "ENG"},
		{Code: "QHG", ONSCode: "E54000024", Name: "NHS Bedfordshire, Luton and Milton Keynes Integrated Care Board", Type: accord.OrgICB, ParentCode: "Y61", ValidFrom: accord.NewDate(2022, 7, 1)},
		{Code: "QUE", ONSCode: "E54000056", Name: "NHS Cambridgeshire and Peterborough Integrated Care Board", Type: accord.OrgICB, ParentCode: "Y61", ValidFrom: accord.NewDate(2022, 7, 1)},
		{Code: "QXU", ONSCode: "E54000063", Name: "NHS Surrey Heartlands Integrated Care Board", Type: accord.OrgICB, ParentCode: "Y59", ValidFrom: accord.NewDate(2022, 7, 1),
			ONSCodes: []accord.CodeSpell{{ONSCode: "E54000052", ValidFrom: accord.NewDate(2022, 7, 1), ValidTo: accord.NewDate(2023, 3, 31)}, {ONSCode: "E54000063", ValidFrom: accord.NewDate(2023, 4, 1)}}},
		{Code: "E06000032", ONSCode: "E06000032", Name: "Luton", Type: accord.OrgPlace, ParentCode: "QHG"},
		{Code: "RC9", Name: "Bedfordshire Hospitals NHS Foundation Trust", Type: accord.OrgProvider, ParentCode: "QHG", ValidFrom: accord.NewDate(2020, 4, 1)},
	})
}

func readString(t *testing.T, name, in, format string) (Result, error) {
	t.Helper()
	return Read(context.Background(), name, strings.NewReader(in), testOrgs(), format)
}

func TestReadLong(t *testing.T) {
	in := "\ufefforganisation_code,indicator,period,numerator,denominator,value,breakdown,status\r\n" +
		"QHG,ae_4h_all,2025-04,7000,10000,70,,provisional\r\n" +
		"\r\n" +
		"E06000032,healthy_life_expectancy_birth,2021-23,,,61.2,sex=female,final\r\n" +
		"E54000052,ae_4h_all,2023-01,,,71.5,,\r\n"
	res, err := readString(t, "return.csv", in, "")
	if err != nil {
		t.Fatal(err)
	}
	if res.Format.Name != "long" || len(res.Observations) != 3 || res.Rows != 3 || res.Dataset != "local-return:QHG" {
		t.Fatalf("%+v", res)
	}
	o := res.Observations[0]
	if res.Refs[0] != "return.csv:2" || o.OrgCode != "QHG" || o.Period.String() != "2025-04" || *o.Numerator != 7000 || *o.Denominator != 10000 || o.Value != 70 || o.Status != accord.Provisional {
		t.Errorf("first: %+v %s", o, res.Refs[0])
	}
	if b := res.Observations[1]; b.Breakdown.Sex != "female" || b.Numerator != nil || b.Status != accord.Final || res.Refs[1] != "return.csv:4" {
		t.Errorf("second: %+v", b)
	}
	if s := res.Observations[2]; s.OrgCode != "QXU" {
		t.Errorf("Surrey Heartlands' 2022 ONS code resolved to %q", s.OrgCode)
	}
}

func TestReadLongProblems(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		want     []string
	}{
		{"empty", "", []string{"f.csv:1: the file is empty"}},
		{"header only", "organisation_code,indicator,period,value\n", []string{"f.csv:2: no observations"}},
		{"unexpected column", "organisation_code,indicator,period,value,colour\nQHG,x,2025,1,red\n",
			[]string{`f.csv:1:5: unexpected column "colour"`}},
		{"bad month", "organisation_code,indicator,period,value\nQHG,ae_4h_all,2025-13,50\n",
			[]string{`f.csv:2:3: period "2025-13": month must be between 01 and 12`}},
		{"bad financial year", "organisation_code,indicator,period,value\nQHG,ae_4h_all,2025/27,50\n",
			[]string{`f.csv:2:3: period "2025/27"`}},
		{"not a number", "organisation_code,indicator,period,value,numerator\nQHG,ae_4h_all,2025-04,lots,x\n",
			[]string{`f.csv:2:4: value "lots" is not a number`, `f.csv:2:5: numerator "x" is not a number`}},
		{"bad breakdown and status", "organisation_code,indicator,period,value,breakdown,status\nQHG,a,2025,1,colour=red,maybe\n",
			[]string{`f.csv:2:5: breakdown "colour=red"`, `f.csv:2:6: status "maybe" must be provisional or final`}},
		{"unknown organisation", "organisation_code,indicator,period,value\nZZZ9,a,2025,1\n",
			[]string{`f.csv:2:1: organisation "ZZZ9" is not known for 2025`}},
		{"code not yet valid", "organisation_code,indicator,period,value\nQHG,a,2019,1\n",
			[]string{`f.csv:2:1: organisation "QHG" is not known for 2019`}},
		{"ragged row", "organisation_code,indicator,period,value\nQHG,a,2025\n",
			[]string{"f.csv:2: has 3 columns; the header has 4"}},
		{"unclosed quote", "organisation_code,indicator,period,value\nQHG,a,2025,\"1\n",
			[]string{"f.csv:2:", "is the last line cut short?"}},
		{"not UTF-8", "organisation_code,indicator,period,value\nQHG,caf\xe9,2025,1\n",
			[]string{"f.csv:2:", "is not UTF-8 text"}},
		{"unknown header", "colour,size\nred,1\n", []string{"f.csv:1: the header is not one Accord recognises", "long (long-format local return)"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := readString(t, "f.csv", tc.in, "")
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
	_, err := readString(t, "f.csv", b.String(), "long")
	if err == nil || !strings.Contains(err.Error(), "… and 30 more problems") {
		t.Fatalf("error not capped: %v", err)
	}
	if n := strings.Count(err.Error(), "\n"); n != MaxReported {
		t.Errorf("%d lines, want %d", n+1, MaxReported+1)
	}
}

func TestGzip(t *testing.T) {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write([]byte("organisation_code,indicator,period,value\nQHG,x,2025,1\n"))
	zw.Close()
	res, err := Read(context.Background(), "f.csv.gz", &buf, testOrgs(), "")
	if err != nil || len(res.Observations) != 1 {
		t.Fatalf("%+v %v", res, err)
	}
}

func FuzzReadLong(f *testing.F) {
	f.Add("organisation_code,indicator,period,numerator,denominator,value,breakdown,status\nQHG,ae_4h_all,2025-04,7000,10000,70,,provisional\n")
	f.Add("organisation_code,indicator,period,value\nQHG,x,2021-23,1\n")
	f.Add("organisation_code,indicator,period,value,breakdown\nQHG,x,2025/26 Q1,1,sex=male;age=65+;imd=3\n")
	f.Add("organisation_code,indicator,period,value\n\"QHG,x,2025,1\n")
	f.Add("\xef\xbb\xbforganisation_code,indicator,period,value\r\nE54000052,x,2023-01,1\r\n")
	f.Add("a,b\n1,2,3\n")
	f.Add("")
	f.Fuzz(func(t *testing.T, in string) {
		res, err := Read(context.Background(), "fuzz.csv", strings.NewReader(in), testOrgs(), "long")
		if err != nil {
			if accord.ErrorCode(err) != accord.EINVALID || !strings.HasPrefix(err.Error(), "fuzz.csv:") {
				t.Fatalf("error without a place or code: %v", err)
			}
			return
		}
		for i, o := range res.Observations {
			if o.Period.IsZero() || o.OrgCode == "" || !strings.HasPrefix(res.Refs[i], "fuzz.csv:") {
				t.Fatalf("bad observation %+v at %s", o, res.Refs[i])
			}
		}
	})
}
