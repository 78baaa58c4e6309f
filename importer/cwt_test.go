package importer

import (
	"compress/gzip"
	"context"
	"encoding/csv"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/nhs-accord/accord"
	"github.com/nhs-accord/accord/reference"
)

const (
	cwtOct2023     = "testdata/cwt/cwt_crs_provider_extract_oct2023.csv.gz"
	cwtAprSep2023  = "testdata/cwt/cwt_crs_provider_extract_apr2023_sep2023_provisional.csv.gz"
	cwtSubLocation = "testdata/cwt/cwt_crs_icb_sub_location_extract_apr2023_oct2023.csv"
)

var cwtRef struct {
	once sync.Once
	orgs []accord.Organisation
	x    *OrgIndex
	err  error
}

// cwtOrgs is the real organisation map Accord ships.
func cwtOrgs(t testing.TB) *OrgIndex {
	t.Helper()
	cwtRef.once.Do(func() {
		d, err := reference.Parse()
		cwtRef.orgs, cwtRef.err = d.Organisations, err
		cwtRef.x = NewOrgIndex(d.Organisations)
	})
	if cwtRef.err != nil {
		t.Fatal(cwtRef.err)
	}
	return cwtRef.x
}

func cwtRead(t *testing.T, path, format string) (Result, error) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	return Read(context.Background(), filepath.Base(path), f, cwtOrgs(t), format)
}

// cwtRaw reads a file's rows with nothing of the importer's, for the
// independent sums the tests compare against. Each row is a map by column.
func cwtRaw(t *testing.T, path string) []map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var r io.Reader = f
	if strings.HasSuffix(path, ".gz") {
		zr, err := gzip.NewReader(f)
		if err != nil {
			t.Fatal(err)
		}
		r = zr
	}
	recs, err := csv.NewReader(r).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]string
	for _, rec := range recs[1:] {
		m := map[string]string{}
		for i, h := range recs[0] {
			m[h] = rec[i]
		}
		out = append(out, m)
	}
	return out
}

func cwtFloat(t *testing.T, s string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// cwtFind returns the observation for indicator, organisation and month.
func cwtFind(res Result, indicator, org, month string) (accord.Observation, bool) {
	for _, o := range res.Observations {
		if o.IndicatorID == indicator && o.OrgCode == org && o.Period.String() == month {
			return o, true
		}
	}
	return accord.Observation{}, false
}

// cwtCheck compares an observation with counts summed by a test.
func cwtCheck(t *testing.T, res Result, indicator, org, month string, within, total float64) {
	t.Helper()
	o, ok := cwtFind(res, indicator, org, month)
	if !ok {
		t.Errorf("no %s for %s in %s", indicator, org, month)
		return
	}
	if total == 0 || *o.Numerator != within || *o.Denominator != total || math.Abs(o.Value-100*within/total) > 1e-9 {
		t.Errorf("%s for %s in %s: %v%% (%v/%v), want %v/%v", indicator, org, month, o.Value, *o.Numerator, *o.Denominator, within, total)
	}
}

func cwtIndicator(standard string) string {
	for _, s := range CWTStandards {
		if s.Standard == standard {
			return s.Indicator
		}
	}
	return ""
}

// The provider extract for October 2023: each trust's figures and
// England's, checked against sums of the raw rows taken the other way
// round from the importer (the ALL CANCERS rows where it uses the
// cancer-type rows).
func TestCWTProviderOctober2023(t *testing.T) {
	res, err := cwtRead(t, cwtOct2023, "")
	if err != nil {
		t.Fatal(err)
	}
	if res.Format.Layout != "CWT-CRS provider extract" || res.Dataset != "nhse-cwt:provider" || res.Rows != 9912 {
		t.Fatalf("layout %q, dataset %q, %d rows", res.Format.Layout, res.Dataset, res.Rows)
	}
	raw := cwtRaw(t, cwtOct2023)
	type key struct{ ind, org string }
	sums := map[key][2]float64{}
	for _, r := range raw {
		ind := cwtIndicator(r["STANDARD"])
		if ind != "cancer_fds_28d" && r["CANCER TYPE"] != "ALL CANCERS" {
			continue
		}
		for _, org := range []string{r["ORG CODE"], "ENG"} {
			s := sums[key{ind, org}]
			s[0] += cwtFloat(t, r["WITHIN STANDARD"])
			s[1] += cwtFloat(t, r["TOTAL TREATED"])
			sums[key{ind, org}] = s
		}
	}
	// Manchester University NHS FT and Cambridge University Hospitals NHS FT.
	for _, org := range []string{"R0A", "RGT", "ENG"} {
		for _, std := range CWTStandards {
			s := sums[key{std.Indicator, org}]
			cwtCheck(t, res, std.Indicator, org, "2023-10", s[0], s[1])
		}
	}
	// England's Faster Diagnosis Standard in October 2023, as the sum
	// above gives it: 192,880 of 271,402 (71.1%). NHS England's national
	// time series (provider based, to October 2023) has the same counts.
	if o, _ := cwtFind(res, "cancer_fds_28d", "ENG", "2023-10"); *o.Numerator != 192880 || *o.Denominator != 271402 || math.Round(o.Value*10)/10 != 71.1 {
		t.Errorf("England FDS October 2023: %v (%v/%v)", o.Value, *o.Numerator, *o.Denominator)
	}

	trusts := map[string]bool{}
	for _, o := range res.Observations {
		if o.Status != accord.Final || o.Period.String() != "2023-10" || o.Breakdown != (accord.Breakdown{}) {
			t.Fatalf("observation %+v", o)
		}
		org, _ := cwtOrgs(t).Lookup(o.OrgCode)
		if org.Type != accord.OrgProvider && org.Type != accord.OrgEngland {
			t.Fatalf("%s is a %s: the provider extract gives trusts and England only", o.OrgCode, org.Type)
		}
		trusts[o.OrgCode] = true
	}
	// Every row is used once or counted as skipped.
	used := 0
	for _, r := range raw {
		if r["CANCER TYPE"] == "ALL CANCERS" {
			continue
		}
		if _, ok := cwtOrgs(t).Resolve(r["ORG CODE"], accord.Month(2023, 10)); ok {
			used++
		}
	}
	skipped := 0
	for _, s := range res.Skipped {
		skipped += s.Count
	}
	if used+skipped != res.Rows {
		t.Errorf("%d rows used and %d skipped, of %d (%+v)", used, skipped, res.Rows, res.Skipped)
	}
	if len(trusts) != 139 || len(res.Observations) != 412 {
		t.Errorf("%d organisations, %d observations", len(trusts), len(res.Observations))
	}
}

// The two slices of the 31-day and 62-day rows — by cancer type under ALL
// MODALITIES, by modality under ALL CANCERS — count the same patients in
// every real group, so summing either gives the same figures.
func TestCWTSlicesAgree(t *testing.T) {
	for _, path := range []string{cwtOct2023, cwtAprSep2023} {
		type key struct{ period, standard, org, stage string }
		byType, byModality := map[key][2]float64{}, map[key][2]float64{}
		for _, r := range cwtRaw(t, path) {
			if r["STANDARD"] == "28-day FDS" {
				continue
			}
			k := key{r["PERIOD"], r["STANDARD"], r["ORG CODE"], r["STAGE/ROUTE"]}
			m := byModality
			if r["TREATMENT MODALITY"] == "ALL MODALITIES" {
				m = byType
			} else if r["CANCER TYPE"] != "ALL CANCERS" {
				t.Fatalf("%s: a row in neither slice: %v", path, r)
			}
			s := m[k]
			s[0] += cwtFloat(t, r["WITHIN STANDARD"])
			s[1] += cwtFloat(t, r["TOTAL TREATED"])
			m[k] = s
		}
		if len(byType) == 0 || len(byType) != len(byModality) {
			t.Fatalf("%s: %d groups by type, %d by modality", path, len(byType), len(byModality))
		}
		for k, s := range byType {
			if byModality[k] != s {
				t.Errorf("%s: %v: by type %v, by modality %v", path, k, s, byModality[k])
			}
		}
	}
}

// The provisional April to September 2023 extract: six months, every
// observation provisional, England as the raw rows give it, and Southport
// and Ormskirk (RVY) only until it closed on 30 June 2023.
func TestCWTProvisional(t *testing.T) {
	res, err := cwtRead(t, cwtAprSep2023, "cwt")
	if err != nil {
		t.Fatal(err)
	}
	if res.Rows != 51509 {
		t.Errorf("%d rows", res.Rows)
	}
	months := map[string]bool{}
	for _, o := range res.Observations {
		if o.Status != accord.Provisional {
			t.Fatalf("%s is %s", o.Describe(), o.Status)
		}
		months[o.Period.String()] = true
	}
	if len(months) != 6 || !months["2023-04"] || !months["2023-09"] {
		t.Errorf("months %v", months)
	}
	type key struct{ ind, month string }
	eng := map[key][2]float64{}
	for _, r := range cwtRaw(t, cwtAprSep2023) {
		if r["CANCER TYPE"] == "ALL CANCERS" {
			continue
		}
		k := key{cwtIndicator(r["STANDARD"]), r["PERIOD"][:7]}
		s := eng[k]
		s[0] += cwtFloat(t, r["WITHIN STANDARD"])
		s[1] += cwtFloat(t, r["TOTAL TREATED"])
		eng[k] = s
	}
	if len(eng) != 18 {
		t.Fatalf("%d England points", len(eng))
	}
	for k, s := range eng {
		cwtCheck(t, res, k.ind, "ENG", k.month, s[0], s[1])
	}
	for month, want := range map[string]bool{"2023-06": true, "2023-07": false} {
		if _, ok := cwtFind(res, "cancer_62d", "RVY", month); ok != want {
			t.Errorf("RVY in %s: %v", month, ok)
		}
	}
}

// The sub-location extract: sub-ICB locations, ICBs and regions by
// residence, no England; North East and North Cumbria ICB checked against
// the raw rows of its sub-ICB locations.
func TestCWTSubLocation(t *testing.T) {
	res, err := cwtRead(t, cwtSubLocation, "")
	if err != nil {
		t.Fatal(err)
	}
	if res.Format.Layout != "CWT-CRS ICB sub-location extract" || res.Dataset != "nhse-cwt:residence" || res.Rows != 7127 {
		t.Fatalf("layout %q, dataset %q, %d rows", res.Format.Layout, res.Dataset, res.Rows)
	}
	parent := map[string]string{}
	for _, o := range cwtRef.orgs {
		if o.Type == accord.OrgSubICB {
			parent[o.Code] = o.ParentCode
		}
	}
	type key struct{ ind, month string }
	qhm := map[key][2]float64{}
	skippedRows, skippedCodes := 0, map[string]bool{}
	for _, r := range cwtRaw(t, cwtSubLocation) {
		icb, ok := parent[r["ICB SUB LOCATION"]]
		if !ok {
			skippedRows++
			skippedCodes[r["ICB SUB LOCATION"]] = true
			continue
		}
		if icb != "QHM" {
			continue
		}
		k := key{cwtIndicator(r["STANDARD"]), r["PERIOD"][:7]}
		s := qhm[k]
		s[0] += cwtFloat(t, r["WITHIN STANDARD"])
		s[1] += cwtFloat(t, r["TOTAL"])
		qhm[k] = s
	}
	if len(qhm) != 21 {
		t.Fatalf("%d QHM points", len(qhm))
	}
	for k, s := range qhm {
		cwtCheck(t, res, k.ind, "QHM", k.month, s[0], s[1])
	}
	// UNKNOWN, 13Q and seven other codes that are not sub-ICB locations.
	if len(res.Skipped) != 1 || res.Skipped[0].Count != skippedRows || skippedRows != 261 || len(skippedCodes) != 9 {
		t.Errorf("skipped %+v; the raw rows give %d rows of %d codes", res.Skipped, skippedRows, len(skippedCodes))
	}
	kinds := map[accord.OrgType]int{}
	for _, o := range res.Observations {
		org, _ := cwtOrgs(t).Lookup(o.OrgCode)
		kinds[org.Type]++
	}
	// 7 months × 3 standards × (106 sub-ICB locations + 42 ICBs + 7 regions).
	if kinds[accord.OrgEngland] != 0 || kinds[accord.OrgSubICB] != 7*3*106 || kinds[accord.OrgICB] != 7*3*42 || kinds[accord.OrgRegion] != 7*3*7 {
		t.Errorf("observations by kind %v", kinds)
	}
}

// England from the provider extract is everyone the sub-location extract
// counts: its seven regions plus the rows it skips.
func TestCWTEnglandAgreesAcrossExtracts(t *testing.T) {
	prov, err := cwtRead(t, cwtOct2023, "")
	if err != nil {
		t.Fatal(err)
	}
	sub, err := cwtRead(t, cwtSubLocation, "")
	if err != nil {
		t.Fatal(err)
	}
	sums := map[string][2]float64{}
	for _, o := range sub.Observations {
		if org, _ := cwtOrgs(t).Lookup(o.OrgCode); org.Type == accord.OrgRegion && o.Period.String() == "2023-10" {
			s := sums[o.IndicatorID]
			s[0] += *o.Numerator
			s[1] += *o.Denominator
			sums[o.IndicatorID] = s
		}
	}
	for _, r := range cwtRaw(t, cwtSubLocation) {
		if _, ok := cwtOrgs(t).Resolve(r["ICB SUB LOCATION"], accord.Month(2023, 10)); !ok && strings.HasPrefix(r["PERIOD"], "2023-10") {
			ind := cwtIndicator(r["STANDARD"])
			s := sums[ind]
			s[0] += cwtFloat(t, r["WITHIN STANDARD"])
			s[1] += cwtFloat(t, r["TOTAL"])
			sums[ind] = s
		}
	}
	for _, std := range CWTStandards {
		s := sums[std.Indicator]
		cwtCheck(t, prov, std.Indicator, "ENG", "2023-10", s[0], s[1])
	}
}

func TestCWTDetect(t *testing.T) {
	for _, tc := range []struct{ header, layout string }{
		{strings.Join(CWTProviderColumns, ","), "CWT-CRS provider extract"},
		{strings.Join(CWTSubICBColumns, ","), "CWT-CRS ICB sub-location extract"},
	} {
		for _, format := range []string{"", "cwt"} {
			f, err := choose("f.csv", format, strings.Split(tc.header, ","))
			if err != nil || f.Layout != tc.layout {
				t.Errorf("%q with format %q: %v, %v", tc.header, format, f, err)
			}
		}
	}
}

func TestCWTNameMonths(t *testing.T) {
	for name, want := range map[string]string{
		"cwt_crs_provider_extract_oct2023.csv":                        "2023-10 2023-10",
		"cwt_crs_provider_extract_apr2023_sep2023_provisional.csv.gz": "2023-04 2023-09",
		"CWT-CRS-Apr-23-to-Oct-23-Data-Extract-ICB-Sub-Location.csv":  "2023-04 2023-10",
		"data/CWT-CRS-September-2024-Data-Extract-Provider.csv":       "2024-09 2024-09",
		"cwt.csv":                          " ",
		"marketing2023.csv":                " ",
		"oct20231.csv":                     " ",
		"cwt_dec2023_jan2024_feb2024.csv":  " ", // more than a range: no check
		"cwt_sep2023_apr2023.csv":          " ", // backwards: no check
		"CWT-CRS-Oct-2023-wrong-month.csv": "2023-10 2023-10",
	} {
		from, to := cwtNameMonths(name)
		if got := from.String() + " " + to.String(); got != want {
			t.Errorf("%s: %q, want %q", name, got, want)
		}
	}
}

// The malformed-file corpus: each file's exact error, or for the ones that
// are fine, what it yields.
func TestCWTBadFiles(t *testing.T) {
	const provider = "PERIOD, YEAR, MONTH, STANDARD, ORG CODE, STAGE/ROUTE, TREATMENT MODALITY, CANCER TYPE, TOTAL TREATED, WITHIN STANDARD, BREACHES"
	for _, tc := range []struct {
		file string
		want string // the whole error; "" when the file is fine
	}{
		{"ok_rbs_nyt.csv", ""},
		{"ok_bom.csv", ""},
		{"ok_crlf.csv", ""},
		{"ok_blank_lines.csv", ""},
		{"ok_quoted_commas.csv", ""},
		{"ok_unknown_standard.csv", ""},
		{"sub_ok.csv", ""},
		{"header_wrong.csv", `header_wrong.csv:1:9: unexpected column "TOTAL": the CWT-CRS provider extract has ` + provider + "\n" +
			`header_wrong.csv:1: missing column "TOTAL TREATED"`},
		{"sub_header_wrong.csv", `sub_header_wrong.csv:1: missing column "SUB-CATEGORY"`},
		{"truncated_quote.csv", `truncated_quote.csv:14:67: extraneous or missing " in quoted-field (is a quote missing, or is the last line cut short?)`},
		{"truncated_number.csv", `truncated_number.csv:14: has 10 columns; the header has 11`},
		{"negative.csv", `negative.csv:4:11: BREACHES -1 is negative: a count cannot be`},
		{"within_over_total.csv", `within_over_total.csv:2:10: WITHIN STANDARD 19 is more than TOTAL TREATED 18`},
		{"sum_mismatch.csv", `sum_mismatch.csv:2:9: TOTAL TREATED 18 is not WITHIN STANDARD 17 + BREACHES 2`},
		{"sub_sum_mismatch.csv", `sub_sum_mismatch.csv:4:7: TOTAL 448 is not WITHIN STANDARD 412 + BREACHES 35`},
		{"not_a_number.csv", `not_a_number.csv:2:10: WITHIN STANDARD "seventeen" is not a number` + "\n" +
			`not_a_number.csv:3:9: TOTAL TREATED is empty: a count is required`},
		{"bad_period.csv", `bad_period.csv:2:1: PERIOD "2023-13-01" is not a date written YYYY-MM-DD (or DD/MM/YYYY), e.g. 2023-10-01` + "\n" +
			`bad_period.csv:3:3: MONTH "SEP" does not match PERIOD 2023-10-01 (OCT)` + "\n" +
			`bad_period.csv:4:2: YEAR "2022/23" does not match PERIOD 2023-10-01: it is in financial year 2023/24` + "\n" +
			`bad_period.csv:5:1: PERIOD "2023-10-15" is not the first day of a month: PERIOD names the month by its first day, e.g. 2023-10-01`},
		{"CWT-CRS-Oct-2023-wrong-month.csv", `CWT-CRS-Oct-2023-wrong-month.csv:15:1: PERIOD 2023-09-01 is not the month the file name gives (2023-10)` + "\n" +
			`CWT-CRS-Oct-2023-wrong-month.csv:16:1: PERIOD 2023-09-01 is not the month the file name gives (2023-10)`},
		{"month_again.csv", `month_again.csv:6: rows for 2023-10 start again here after rows for another month: list each month's rows together, as NHS England's extracts do`},
		{"not_utf8.csv", `not_utf8.csv:2:76: column 8 is not UTF-8 text ("Suspected children` + "\uFFFD" + `s cancer"): save the file as UTF-8 CSV`},
		{"duplicate.csv", `duplicate.csv:5: repeats line 4: the same STANDARD, ORG CODE, STAGE/ROUTE, TREATMENT MODALITY and CANCER TYPE for 2023-10`},
		{"sub_duplicate.csv", `sub_duplicate.csv:7: repeats line 6: the same STANDARD, ICB SUB LOCATION and SUB-CATEGORY for 2023-10`},
		{"slices_disagree.csv", `slices_disagree.csv:6: the ALL CANCERS (by modality) rows for RBS 31-day Combined "First Treatment" in 2023-10 add up to TOTAL TREATED 4, WITHIN STANDARD 3; the cancer-type (ALL MODALITIES) rows to TOTAL TREATED 3, WITHIN STANDARD 3: is a row missing or repeated?`},
		{"type_and_modality.csv", `type_and_modality.csv:4:7: a row for one cancer type ("Other (a)") and one modality ("Surgery"): the extract gives cancer types under ALL MODALITIES and modalities under ALL CANCERS`},
	} {
		t.Run(tc.file, func(t *testing.T) {
			res, err := cwtRead(t, "testdata/cwt/bad/"+tc.file, "cwt")
			if tc.want != "" {
				if err == nil {
					t.Fatal("no error")
				}
				if accord.ErrorCode(err) != accord.EINVALID {
					t.Errorf("code %q, want invalid", accord.ErrorCode(err))
				}
				if err.Error() != tc.want {
					t.Errorf("error\n%s\nwant\n%s", err, tc.want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]string{}
			for _, o := range res.Observations {
				got[o.IndicatorID+" "+o.OrgCode] = cwtNum(*o.Numerator) + "/" + cwtNum(*o.Denominator)
			}
			skipped := map[string]int{}
			for _, s := range res.Skipped {
				skipped[s.Reason] = s.Count
			}
			if strings.HasPrefix(tc.file, "sub_") {
				// M1J4Y is the only sub-ICB location of Bedfordshire, Luton
				// and Milton Keynes ICB; UNKNOWN residence is skipped.
				for _, org := range []string{"M1J4Y", "QHG", "Y61"} {
					if got["cancer_fds_28d "+org] != "2882/4075" || got["cancer_31d "+org] != "690/756" || got["cancer_62d "+org] != "249/391" {
						t.Errorf("%s: %v", org, got)
					}
				}
				if len(got) != 9 || skipped[cwtSkipSubICB] != 8 {
					t.Errorf("%v, skipped %v", got, skipped)
				}
				return
			}
			// RBS (Alder Hey Children's NHS FT) and NYT, an independent
			// provider Accord does not track but England counts.
			want := map[string]string{
				"cancer_fds_28d RBS": "17/18", "cancer_31d RBS": "4/4", "cancer_62d RBS": "1/1",
				"cancer_fds_28d ENG": "122/126", "cancer_31d ENG": "7/7", "cancer_62d ENG": "4.5/4.5",
			}
			if tc.file == "ok_quoted_commas.csv" {
				want["cancer_fds_28d R0A"] = "276/384"
				want["cancer_fds_28d ENG"] = "398/510"
			}
			if len(got) != len(want) {
				t.Errorf("got %v, want %v", got, want)
			}
			for k, v := range want {
				if got[k] != v {
					t.Errorf("%s: %s, want %s", k, got[k], v)
				}
			}
			if skipped[cwtSkipProvider] != 3 || skipped[cwtSkipSlice] != 6 {
				t.Errorf("skipped %v", skipped)
			}
			if tc.file == "ok_unknown_standard.csv" && len(skipped) != 3 {
				t.Errorf("the 2WW row is not counted: %v", skipped)
			}
		})
	}
}

// The chooser names both layouts when a header is neither.
func TestCWTUnknownHeader(t *testing.T) {
	_, err := cwtRead(t, "testdata/cwt/bad/header_unknown.csv", "cwt")
	if err == nil {
		t.Fatal("no error")
	}
	lines := strings.Split(err.Error(), "\n")
	if lines[0] != "header_unknown.csv:1: the header is not one of the cwt layouts; expected:" || len(lines) != 4 ||
		!strings.Contains(err.Error(), "cwt (CWT-CRS provider extract): NHS England's Cancer Waiting Times CWT-CRS provider data extract: PERIOD, YEAR,") ||
		!strings.Contains(err.Error(), "cwt (CWT-CRS ICB sub-location extract): ") || lines[3] != "found: PERIOD,ORG,MEASURE,VALUE" {
		t.Errorf("error %q", err)
	}
}

func FuzzCWT(f *testing.F) {
	for _, name := range []string{"ok_rbs_nyt.csv", "sub_ok.csv", "ok_quoted_commas.csv", "slices_disagree.csv", "month_again.csv", "bad_period.csv", "truncated_quote.csv"} {
		b, err := os.ReadFile("testdata/cwt/bad/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b))
	}
	provider := strings.Join(CWTProviderColumns, ",") + "\n"
	f.Add(provider + `2023-10-01,2023/24,OCT,31-day Combined,RBS,First Treatment,ALL MODALITIES,Other (a),3,3,0` + "\n" +
		`2023-10-01,2023/24,OCT,31-day Combined,RBS,First Treatment,ALL MODALITIES,ALL CANCERS,3,3,0` + "\n")
	f.Add(provider + `01/10/2023,2023/24,October,28-day FDS,rbs,x,,y,0.5,0.5,0` + "\n")
	f.Add(provider + `2023-10-01,2023/24,OCT,28-day FDS,RBS,x,,y,1e3,NaN,-0` + "\n")
	f.Add(strings.Join(CWTSubICBColumns, ",") + "\n" + `2023-10-01,2023/24,OCT,62-day Combined,00L,x,1.5,1,0.5` + "\n")
	f.Add("\ufeff" + provider)
	f.Add("PERIOD,STANDARD,WITHIN STANDARD,ORG CODE\n2023-10-01\n")
	f.Add("")
	orgs := cwtOrgs(f)
	f.Fuzz(func(t *testing.T, in string) {
		res, err := Read(context.Background(), "fuzz.csv", strings.NewReader(in), orgs, "cwt")
		if err != nil {
			if accord.ErrorCode(err) != accord.EINVALID || !strings.HasPrefix(err.Error(), "fuzz.csv:") {
				t.Fatalf("error without a place or code: %v", err)
			}
			return
		}
		for i, o := range res.Observations {
			if o.Period.IsZero() || o.OrgCode == "" || !strings.HasPrefix(res.Refs[i], "fuzz.csv:") ||
				o.Numerator == nil || o.Denominator == nil || *o.Numerator > *o.Denominator || *o.Denominator <= 0 ||
				math.IsNaN(o.Value) || o.Value < 0 || o.Value > 100 {
				t.Fatalf("bad observation %+v at %s", o, res.Refs[i])
			}
		}
	})
}
