package importer

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/nhs-accord/accord"
)

func TestXLSXReturnRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	err := WriteXLSX(&buf, []Sheet{{Name: "Return", TextColumns: []int{2}, Rows: [][]string{
		LongColumns,
		{"QHG", "ae_4h_all", "2025-04", "7000", "10000", "70", "", "provisional"},
		{},
		{"E06000032", "healthy_life_expectancy_birth", "2021-23", "", "", "61.2", "sex=female", ""},
	}}})
	if err != nil {
		t.Fatal(err)
	}
	res, err := Read(context.Background(), "return.xlsx", &buf, testOrgs(), "")
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Observations) != 2 || res.Refs[1] != "return.xlsx:4" {
		t.Fatalf("%+v", res)
	}
	if o := res.Observations[0]; o.OrgCode != "QHG" || o.Period.String() != "2025-04" || *o.Numerator != 7000 || o.Status != accord.Provisional {
		t.Errorf("%+v", o)
	}
}

func TestXLSXSpreadsheetDateHint(t *testing.T) {
	var buf bytes.Buffer
	WriteXLSX(&buf, []Sheet{{Name: "Return", Rows: [][]string{{"organisation_code", "indicator", "period", "value"}, {"QHG", "ae_4h_all", "45748", "70"}}}})
	_, err := Read(context.Background(), "r.xlsx", &buf, testOrgs(), "")
	if err == nil || !strings.Contains(err.Error(), "r.xlsx:2:3:") || !strings.Contains(err.Error(), "looks like a spreadsheet date") {
		t.Fatalf("%v", err)
	}
}

func TestXLSXNotAWorkbook(t *testing.T) {
	_, err := Read(context.Background(), "r.xlsx", strings.NewReader("PK\x03\x04garbage"), testOrgs(), "")
	if err == nil || !strings.Contains(err.Error(), "r.xlsx:1: not a readable XLSX workbook") {
		t.Fatalf("%v", err)
	}
}

func TestTemplate(t *testing.T) {
	inds := []accord.Indicator{{ID: "ae_4h_all", Name: "A&E within 4 hours", Unit: accord.UnitPercent, Definition: "d <b>&"}, {ID: "rtt_18w_share", Name: "RTT"}}
	var csvOut bytes.Buffer
	if err := WriteTemplate(&csvOut, inds, "csv"); err != nil {
		t.Fatal(err)
	}
	if want := strings.Join(LongColumns, ",") + "\n,ae_4h_all,,,,,,\n,rtt_18w_share,,,,,,\n"; csvOut.String() != want {
		t.Errorf("csv template:\n%s\nwant\n%s", csvOut.String(), want)
	}
	var x bytes.Buffer
	if err := WriteTemplate(&x, inds, "xlsx"); err != nil {
		t.Fatal(err)
	}
	rows, err := readXLSX(&x, "t.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(rows.Header(), ",") != strings.Join(LongColumns, ",") {
		t.Errorf("header %v", rows.Header())
	}
	row, line, err := rows.Next()
	if err != nil || line != 2 || row[1] != "ae_4h_all" {
		t.Errorf("first row %v %d %v", row, line, err)
	}
	if err := WriteTemplate(&x, inds, "pdf"); accord.ErrorCode(err) != accord.EINVALID {
		t.Errorf("pdf: %v", err)
	}
}

func FuzzReadXLSX(f *testing.F) {
	var buf bytes.Buffer
	WriteXLSX(&buf, []Sheet{{Name: "Return", Rows: [][]string{LongColumns, {"QHG", "ae_4h_all", "2025-04", "7000", "10000", "70", "", "final"}}}})
	f.Add(buf.Bytes())
	f.Add([]byte("PK\x03\x04"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, in []byte) {
		rows, err := readXLSX(bytes.NewReader(in), "f.xlsx")
		if err != nil {
			if accord.ErrorCode(err) != accord.EINVALID || !strings.HasPrefix(err.Error(), "f.xlsx:1:") {
				t.Fatalf("error without a place or code: %v", err)
			}
			return
		}
		for {
			row, line, err := rows.Next()
			if err != nil {
				return
			}
			if line < 1 || len(row) < len(rows.Header()) {
				t.Fatalf("row %v at %d", row, line)
			}
		}
	})
}
