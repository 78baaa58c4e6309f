package importer_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/nhs-accord/accord"
	"github.com/nhs-accord/accord/gen"
	"github.com/nhs-accord/accord/importer"
	"github.com/nhs-accord/accord/reference"
)

// These tests use only what the package exports (gen imports importer, so
// a test that imports gen lives outside the package), and name the
// columns, indicators, layouts and skip reasons in their own words.

// The count columns of the monthly CSV, after Period, Org Code, Parent Org
// and Org name.
const (
	aeAtt1 = iota
	aeAtt2
	aeAtt3
	aeBooked1
	aeBooked2
	aeBooked3
	aeOver1
	aeOver2
	aeOver3
	aeBookedOver1
	aeBookedOver2
	aeBookedOver3
	aeDTA4to12
	aeDTA12
	aeAdm1
	aeAdm2
	aeAdm3
	aeAdmOther
	aeCounts
)

const (
	aeIndAttendances = "ae_attendances"
	aeInd4hAll       = "ae_4h_all"
	aeInd4hType1     = "ae_4h_type1"
	aeInd12hDTA      = "ae_12h_dta"
	aeIndAdmissions  = "emergency_admissions"

	aeLayoutOfficial = "A&E monthly CSV by provider"
	aeLayoutOld      = "A&E monthly CSV by provider, earlier wording"

	aeSkipTotalReason        = "TOTAL row: checked against the sum of the provider rows above it, not added again"
	aeSkipUnattributedReason = "provider neither tracked by Accord nor in NHS England's attribution of A&E providers to ICBs (March 2024): counted in England only"
)

// aeTestMapping reads NHS England's attribution of providers to ICBs.
func aeTestMapping(t *testing.T) map[string]string {
	t.Helper()
	f, err := reference.Open(importer.AEMappingFile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]string{}
	for _, r := range recs[1:] {
		m[strings.ToUpper(r[0])] = r[2]
	}
	return m
}

// aeRealOrgs is the whole shipped organisation map, built once.
var aeRealOrgs = sync.OnceValues(func() (*importer.OrgIndex, error) {
	d, err := reference.Parse()
	if err != nil {
		return nil, err
	}
	return importer.NewOrgIndex(d.Organisations), nil
})

func aeOrgs(t testing.TB) *importer.OrgIndex {
	t.Helper()
	x, err := aeRealOrgs()
	if err != nil {
		t.Fatal(err)
	}
	return x
}

// readAE reads testdata/ae/rel as the "ae" format, naming it rel.
func readAE(t testing.TB, rel string) (importer.Result, error) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "ae", rel))
	if err != nil {
		t.Fatal(err)
	}
	return importer.Read(context.Background(), rel, bytes.NewReader(b), aeOrgs(t), "ae")
}

type aeKey struct{ indicator, org, period string }

// aeByKey indexes observations, failing on a repeated key.
func aeByKey(t testing.TB, res importer.Result) map[aeKey]accord.Observation {
	t.Helper()
	m := make(map[aeKey]accord.Observation, len(res.Observations))
	for i, o := range res.Observations {
		k := aeKey{o.IndicatorID, o.OrgCode, o.Period.String()}
		if _, dup := m[k]; dup {
			t.Fatalf("observation %v twice (%s)", k, res.Refs[i])
		}
		m[k] = o
	}
	return m
}

// aeWant checks one observation: its value, and for a share its counts.
func aeWant(t *testing.T, obs map[aeKey]accord.Observation, indicator, org, period string, num, den float64) {
	t.Helper()
	o, ok := obs[aeKey{indicator, org, period}]
	if !ok {
		t.Errorf("no %s for %s in %s", indicator, org, period)
		return
	}
	if den == 0 {
		if o.Value != num || o.Numerator != nil {
			t.Errorf("%s for %s in %s = %v (numerator %v), want %v", indicator, org, period, o.Value, o.Numerator, num)
		}
		return
	}
	if o.Numerator == nil || o.Denominator == nil || *o.Numerator != num || *o.Denominator != den || math.Abs(o.Value-100*num/den) > 1e-9 {
		t.Errorf("%s for %s in %s = %v (%v/%v), want %v/%v", indicator, org, period, o.Value, deref(o.Numerator), deref(o.Denominator), num, den)
	}
}

func deref(p *float64) float64 {
	if p == nil {
		return math.NaN()
	}
	return *p
}

// aeFileRow is a row of the monthly CSV read plainly, to check the importer by.
type aeFileRow struct {
	code string
	v    [aeCounts]int64
}

func aeReadPlain(t *testing.T, path string) (rows []aeFileRow, total aeFileRow) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range recs[1:] {
		row := aeFileRow{code: strings.TrimSpace(r[1])}
		for c := range row.v {
			if row.v[c], err = strconv.ParseInt(r[4+c], 10, 64); err != nil {
				t.Fatal(err)
			}
		}
		if row.code == "TOTAL" {
			total = row
			continue
		}
		rows = append(rows, row)
	}
	return rows, total
}

// aeSums are the indicator counts of some rows, worked out from the columns.
type aeSums struct{ att, within, att1, within1, dta12, admissions float64 }

func (s *aeSums) add(v [aeCounts]int64) {
	att := v[aeAtt1] + v[aeAtt2] + v[aeAtt3] + v[aeBooked1] + v[aeBooked2] + v[aeBooked3]
	over := v[aeOver1] + v[aeOver2] + v[aeOver3] + v[aeBookedOver1] + v[aeBookedOver2] + v[aeBookedOver3]
	s.att += float64(att)
	s.within += float64(att - over)
	s.att1 += float64(v[aeAtt1] + v[aeBooked1])
	s.within1 += float64(v[aeAtt1] + v[aeBooked1] - v[aeOver1] - v[aeBookedOver1])
	s.dta12 += float64(v[aeDTA12])
	s.admissions += float64(v[aeAdm1] + v[aeAdm2] + v[aeAdm3] + v[aeAdmOther])
}

func (s aeSums) check(t *testing.T, obs map[aeKey]accord.Observation, org, period string) {
	t.Helper()
	aeWant(t, obs, aeIndAttendances, org, period, s.att, 0)
	aeWant(t, obs, aeInd4hAll, org, period, s.within, s.att)
	aeWant(t, obs, aeInd4hType1, org, period, s.within1, s.att1)
	aeWant(t, obs, aeInd12hDTA, org, period, s.dta12, 0)
	aeWant(t, obs, aeIndAdmissions, org, period, s.admissions, 0)
}

func TestReadAEDecember2025(t *testing.T) {
	res, err := readAE(t, "December-2025-official-header.csv")
	if err != nil {
		t.Fatal(err)
	}
	if res.Format.Layout != aeLayoutOfficial || res.Rows != 198 || res.Dataset != "nhse-ae" {
		t.Fatalf("layout %q, %d rows, dataset %q", res.Format.Layout, res.Rows, res.Dataset)
	}
	obs := aeByKey(t, res)
	const dec = "2025-12"

	// England is the file's own TOTAL row: 2,327,015 attendances (booked
	// appointments included), 608,527 of them over 4 hours, so 73.8% within
	// 4 hours — the figure NHS England published for December 2025.
	rows, total := aeReadPlain(t, filepath.Join("testdata", "ae", "December-2025-official-header.csv"))
	var eng aeSums
	eng.add(total.v)
	eng.check(t, obs, "ENG", dec)
	aeWant(t, obs, aeInd4hAll, "ENG", dec, 1718488, 2327015)
	aeWant(t, obs, aeInd4hType1, "ENG", dec, 858176, 1438921)
	aeWant(t, obs, aeInd12hDTA, "ENG", dec, 50775, 0)
	aeWant(t, obs, aeIndAdmissions, "ENG", dec, 542195, 0)
	if v := obs[aeKey{aeInd4hAll, "ENG", dec}].Value; math.Round(v*10)/10 != 73.8 {
		t.Errorf("England 4-hour share %.2f, published 73.8", v)
	}

	// A trust, worked by hand from its row: Wirral University Teaching
	// Hospital, 7,893 type 1 + 3,086 other + 155 booked other attendances.
	aeWant(t, obs, aeIndAttendances, "RBL", dec, 11134, 0)
	aeWant(t, obs, aeInd4hAll, "RBL", dec, 11134-4414-209-12, 11134)
	aeWant(t, obs, aeInd4hType1, "RBL", dec, 7893-4414, 7893)
	aeWant(t, obs, aeInd12hDTA, "RBL", dec, 897, 0)
	aeWant(t, obs, aeIndAdmissions, "RBL", dec, 2204+1853, 0)
	// Liverpool Heart and Chest has no A&E: counts, but no 4-hour share.
	aeWant(t, obs, aeIndAdmissions, "RBQ", dec, 186, 0)
	if _, ok := obs[aeKey{aeInd4hAll, "RBQ", dec}]; ok {
		t.Error("a 4-hour share for a trust with no attendances")
	}

	// An ICB is the sum of the providers NHS England attributes to it. The
	// Black Country's include Sandwell and West Birmingham (hosted by
	// Birmingham and Solihull) and the Summerfield urgent care centre.
	mapping := aeTestMapping(t)
	icbs := map[string]*aeSums{}
	var attributed float64
	for _, r := range rows {
		icb := mapping[r.code]
		if icb == "" {
			if o, ok := aeOrgs(t).Lookup(r.code); ok {
				icb = o.ParentCode
			}
		}
		if icb == "" {
			continue
		}
		if icbs[icb] == nil {
			icbs[icb] = &aeSums{}
		}
		icbs[icb].add(r.v)
	}
	aeWant(t, obs, aeInd4hAll, "QUA", dec, 55423, 74392)
	for icb, s := range icbs {
		s.check(t, obs, icb, dec)
		attributed += s.att
	}
	if len(icbs) != 42 {
		t.Errorf("%d ICBs have providers, want 42", len(icbs))
	}
	// Regions add up their ICBs; England adds every row, so it is the
	// regions plus the rows no ICB is attributed.
	var regions float64
	for _, reg := range []string{"Y56", "Y58", "Y59", "Y60", "Y61", "Y62", "Y63"} {
		regions += obs[aeKey{aeIndAttendances, reg, dec}].Value
	}
	unattributed := eng.att - attributed
	if regions != attributed || unattributed <= 0 {
		t.Errorf("regions %v, ICBs %v, England %v", regions, attributed, eng.att)
	}

	// The TOTAL row is checked, not counted; eight sites are in neither the
	// map nor NHS England's attribution (NTV0B is there, written NTV0b).
	want := map[string]accord.SkipCount{
		aeSkipTotalReason:        {Reason: aeSkipTotalReason, Count: 1, Example: "line 199"},
		aeSkipUnattributedReason: {Reason: aeSkipUnattributedReason, Count: 8, Example: "line 9: G3P9C TROWBRIDGE MINOR INJURIES UNIT"},
	}
	if len(res.Skipped) != len(want) {
		t.Errorf("skipped %+v", res.Skipped)
	}
	for _, s := range res.Skipped {
		if want[s.Reason] != s {
			t.Errorf("skipped %+v, want %+v", s, want[s.Reason])
		}
	}
	for i, o := range res.Observations {
		org, _ := aeOrgs(t).Lookup(o.OrgCode)
		if org.Type == "" || o.Period.String() != dec || o.Status != accord.Final || !o.Breakdown.IsTotal() ||
			!strings.HasPrefix(res.Refs[i], "December-2025-official-header.csv:") {
			t.Fatalf("observation %+v at %s", o, res.Refs[i])
		}
	}
}

func TestReadAEOldWording(t *testing.T) {
	res, err := readAE(t, "December-2025-old-wording-derived.csv")
	if err != nil {
		t.Fatal(err)
	}
	if res.Format.Layout != aeLayoutOld || res.Rows != 198 {
		t.Fatalf("layout %q, %d rows", res.Format.Layout, res.Rows)
	}
	obs := aeByKey(t, res)
	// Without the booked appointments: 2,240,325 attendances, 599,421 over 4 hours.
	aeWant(t, obs, aeInd4hAll, "ENG", "2025-12", 2240325-599421, 2240325)
	aeWant(t, obs, aeInd4hType1, "ENG", "2025-12", 1407880-572137, 1407880)
	aeWant(t, obs, aeIndAttendances, "RBL", "2025-12", 7893+3086, 0)
	aeWant(t, obs, aeInd12hDTA, "ENG", "2025-12", 50775, 0)
}

func TestReadAENHSRdatasets(t *testing.T) {
	res, err := readAE(t, "nhsrdatasets_ae_attendances_2016_2019.csv")
	if err != nil {
		t.Fatal(err)
	}
	if res.Format.Layout != "NHSRdatasets ae_attendances" || res.Rows != 12765 {
		t.Fatalf("layout %q, %d rows", res.Format.Layout, res.Rows)
	}
	obs := aeByKey(t, res)
	months := map[string]bool{}
	for _, o := range res.Observations {
		if o.IndicatorID == aeIndAdmissions || o.IndicatorID == aeInd12hDTA {
			t.Fatalf("%s from a file with admissions via A&E only", o.IndicatorID)
		}
		if o.OrgCode == "ENG" && o.IndicatorID == aeIndAttendances {
			months[o.Period.String()] = true
		}
		if !strings.Contains(o.Source, "NHSRdatasets") {
			t.Fatalf("source %q", o.Source)
		}
	}
	if len(months) != 36 || !months["2016-04"] || !months["2019-03"] {
		t.Errorf("%d months", len(months))
	}
	// March 2017, added up by hand from the file: England 2,015,834
	// attendances with 201,392 breaches (90.0%); type 1 1,309,507 with
	// 195,626. Barking, Havering and Redbridge (RF4): 21,289 + 813 + 2,850.
	aeWant(t, obs, aeIndAttendances, "ENG", "2017-03", 2015834, 0)
	aeWant(t, obs, aeInd4hAll, "ENG", "2017-03", 2015834-201392, 2015834)
	aeWant(t, obs, aeInd4hType1, "ENG", "2017-03", 1309507-195626, 1309507)
	aeWant(t, obs, aeIndAttendances, "RF4", "2017-03", 24952, 0)
	aeWant(t, obs, aeInd4hAll, "RF4", "2017-03", 24952-2907, 24952)
	aeWant(t, obs, aeInd4hType1, "RF4", "2017-03", 21289-2879, 21289)
	if len(res.Skipped) != 1 || res.Skipped[0].Reason != aeSkipUnattributedReason || res.Skipped[0].Count != 2383 {
		t.Errorf("skipped %+v", res.Skipped)
	}
}

// The December 2025 file as a third party re-headed it (underscores, "AE")
// is not an NHS England layout: it is refused, naming what is expected.
func TestReadAEUnderscoredHeader(t *testing.T) {
	for _, format := range []string{"ae", ""} {
		b, err := os.ReadFile(filepath.Join("testdata", "ae", "December-2025-CSV.csv"))
		if err != nil {
			t.Fatal(err)
		}
		_, err = importer.Read(context.Background(), "December-2025-CSV.csv", bytes.NewReader(b), aeOrgs(t), format)
		if err == nil {
			t.Fatal("accepted")
		}
		msg := err.Error()
		start := "December-2025-CSV.csv:1: the header is not one of the ae layouts; expected:\n"
		if format == "" {
			start = "December-2025-CSV.csv:1: the header is not one Accord recognises; expected one of:\n"
		}
		for _, w := range []string{
			"  ae (A&E monthly CSV by provider): " + strings.Join(importer.AEColumns, ",") + "\n",
			"  ae (A&E monthly CSV by provider, earlier wording): " + strings.Join(importer.AEOldColumns, ",") + "\n",
			"  ae (NHSRdatasets ae_attendances): period,org_code,type,attendances,breaches,admissions (period YYYY-MM-01, type 1, 2 or other)\n",
			"\nfound: Period,Org_Code,Parent_Org,Org_name,AE_attendances_Type_1,",
		} {
			if !strings.HasPrefix(msg, start) || !strings.Contains(msg, w) {
				t.Errorf("--format %q: error\n%s\nlacks\n%s", format, msg, w)
			}
		}
		if accord.ErrorCode(err) != accord.EINVALID {
			t.Errorf("code %q", accord.ErrorCode(err))
		}
	}
}

// Each layout's Detect accepts its own real header and no other's.
func TestAEDetect(t *testing.T) {
	headers := map[string][]string{
		aeLayoutOfficial:              importer.AEColumns,
		aeLayoutOld:                   importer.AEOldColumns,
		"NHSRdatasets ae_attendances": importer.AENHSRColumns,
		"":                            strings.Split("Period,Org_Code,Parent_Org,Org_name,AE_attendances_Type_1,AE_attendances_Type_2", ","),
		"rtt":                         {"Period", "Provider Parent Org Code", "Provider Parent Name", "Provider Org Code", "Provider Org Name", "Commissioner Parent Org Code", "Commissioner Parent Name", "Commissioner Org Code", "Commissioner Org Name", "RTT Part Type", "RTT Part Description", "Treatment Function Code", "Treatment Function Name", "Gt 00 To 01 Weeks SUM 1"},
		"long":                        {"organisation_code", "indicator", "period", "numerator", "denominator", "value", "breakdown", "status"},
	}
	for want, h := range headers {
		var got []string
		for _, f := range importer.Formats() {
			if f.Name == "ae" && f.Detect(h) {
				got = append(got, f.Layout)
			}
		}
		isAE := want != "" && want != "rtt" && want != "long"
		if (isAE && (len(got) != 1 || got[0] != want)) || (!isAE && len(got) != 0) {
			t.Errorf("header for %q detected as %q", want, got)
		}
	}
	// A header mixing the wordings goes to the current layout, whose
	// parser names the stray column.
	mixed := append(append([]string{}, importer.AEColumns...), importer.AEOldColumns[4])
	var n int
	for _, f := range importer.Formats() {
		if f.Name == "ae" && f.Detect(mixed) {
			n++
		}
	}
	if n != 1 {
		t.Errorf("mixed header detected by %d layouts", n)
	}
}

// The malformed-file corpus: each file gives exactly this error, or none.
func TestReadAEBadFiles(t *testing.T) {
	const unexpected = "not in NHS England's A&E monthly CSV by provider"
	for _, tc := range []struct {
		file string
		want string // the whole error; "" when the file imports
		obs  int    // observations when it imports
	}{
		{"bad/bom.csv", "", 33},
		{"bad/crlf.csv", "", 33},
		{"bad/quoted-commas.csv", "", 33},
		{"bad/blank-lines.csv", "", 33},
		{"bad/unknown-org.csv", "", 25},
		{"bad/two-months.csv", "", 66},
		{"bad/empty.csv", "bad/empty.csv:1: the file is empty: expected a header row", 0},
		{"bad/header-only.csv", "bad/header-only.csv:2: no observations: the file has no rows Accord can use", 0},
		{"bad/wrong-header.csv", `bad/wrong-header.csv:1:11: unexpected column "Attendances over 4 hrs Type 1": ` + unexpected + "\n" +
			`bad/wrong-header.csv:1: missing column "Attendances over 4hrs Type 1"`, 0},
		{"bad/old-wording-with-booked.csv", `bad/old-wording-with-booked.csv:1:17: unexpected column "A&E attendances Booked Appointments Type 1": ` + unexpected + ", earlier wording", 0},
		{"bad/truncated.csv", "bad/truncated.csv:4: has 4 columns; the header has 22", 0},
		{"bad/truncated-quote.csv", `bad/truncated-quote.csv:4:66: extraneous or missing " in quoted-field (is a quote missing, or is the last line cut short?)`, 0},
		{"bad/negative.csv", `bad/negative.csv:3:5: A&E attendances Type 1 is "-5": a count cannot be negative`, 0},
		{"bad/not-a-number.csv", `bad/not-a-number.csv:2:7: A&E attendances Other A&E Department is "3086a": not a number` + "\n" +
			`bad/not-a-number.csv:3:22: Other emergency admissions is "647.5": not a whole number`, 0},
		{"bad/over-more-than-attendances.csv", "bad/over-more-than-attendances.csv:3:11: Attendances over 4hrs Type 1 (17741) is more than A&E attendances Type 1 (17740)", 0},
		{"bad/bad-period.csv", `bad/bad-period.csv:3:1: Period "MSitAE-DECEMBRE-2025" is not a month written as NHS England does, e.g. MSitAE-DECEMBER-2025`, 0},
		{"bad/other-month.csv", "bad/other-month.csv:4:1: Period November 2025 is not the month of the rows above (December 2025, from line 2): a monthly file holds one month, and another may follow only after its TOTAL row", 0},
		{"bad/month-again.csv", "bad/month-again.csv:6:1: the rows for December 2025 already ended with the TOTAL row on line 5", 0},
		{"bad/non-utf8.csv", `bad/non-utf8.csv:3:50: column 4 is not UTF-8 text ("MERSEY AND WEST LANCASHIRE CAF` + "\uFFFD" + ` TEACHING HOSPITALS NHS TRUST"): save the file as UTF-8 CSV`, 0},
		{"bad/duplicate.csv", "bad/duplicate.csv:4:2: Org Code RBL appears twice for December 2025 (first on line 2)", 0},
		{"bad/total-mismatch.csv", "bad/total-mismatch.csv:5:8: the TOTAL row gives A&E attendances Booked Appointments Type 1 as 247 but the rows for December 2025 (lines 2 to 4) add up to 246", 0},
		{"bad/total-first.csv", "bad/total-first.csv:2: a TOTAL row must follow the provider rows it adds up", 0},
		{"bad/nhsr-wrong-header.csv", `bad/nhsr-wrong-header.csv:1:6: unexpected column "colour": expected period, org_code, type, attendances, breaches, admissions`, 0},
		{"bad/nhsr-bad-type.csv", `bad/nhsr-bad-type.csv:3:3: type "3" is not 1, 2 or other`, 0},
		{"bad/nhsr-bad-period.csv", `bad/nhsr-bad-period.csv:3:1: period "2017-03-15" is not the first day of a month written YYYY-MM-DD, e.g. 2017-03-01` + "\n" +
			`bad/nhsr-bad-period.csv:4:1: period "March 2017" is not the first day of a month written YYYY-MM-DD, e.g. 2017-03-01`, 0},
		{"bad/nhsr-breaches.csv", "bad/nhsr-breaches.csv:2:5: breaches (21289) are more than attendances (2879)", 0},
		{"bad/nhsr-negative.csv", `bad/nhsr-negative.csv:3:4: attendances is "-813": a count cannot be negative`, 0},
		{"bad/nhsr-duplicate.csv", "bad/nhsr-duplicate.csv:5: duplicate row: RF4, type 1, March 2017 is already on line 2", 0},
	} {
		t.Run(tc.file, func(t *testing.T) {
			res, err := readAE(t, tc.file)
			if tc.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				if len(res.Observations) != tc.obs {
					t.Errorf("%d observations, want %d", len(res.Observations), tc.obs)
				}
				return
			}
			if err == nil {
				t.Fatalf("no error, want %s", tc.want)
			}
			if err.Error() != tc.want {
				t.Errorf("error\n%s\nwant\n%s", err, tc.want)
			}
			if accord.ErrorCode(err) != accord.EINVALID {
				t.Errorf("code %q, want invalid", accord.ErrorCode(err))
			}
		})
	}
}

// The files that import give the same figures: the BOM, line ends, quoted
// commas and blank lines change nothing.
func TestReadAEBadFilesSameFigures(t *testing.T) {
	base, err := readAE(t, "bad/crlf.csv")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"bad/bom.csv", "bad/quoted-commas.csv", "bad/blank-lines.csv"} {
		res, err := readAE(t, f)
		if err != nil {
			t.Fatal(err)
		}
		for i, o := range res.Observations {
			b := base.Observations[i]
			if o.Key() != b.Key() || o.Value != b.Value {
				t.Errorf("%s: %s = %v, crlf.csv has %s = %v", f, o.Key(), o.Value, b.Key(), b.Value)
			}
		}
	}
	// The unknown site counts for England and nowhere else.
	res, err := readAE(t, "bad/unknown-org.csv")
	if err != nil {
		t.Fatal(err)
	}
	obs := aeByKey(t, res)
	aeWant(t, obs, aeIndAttendances, "ENG", "2025-12", 11134+25148+2775, 0)
	aeWant(t, obs, aeIndAttendances, "QYG", "2025-12", 11134+25148, 0)
	if res.Skipped[0] != (accord.SkipCount{Reason: aeSkipUnattributedReason, Count: 1, Example: "line 4: ZZZ99 AN UNKNOWN SITE"}) {
		t.Errorf("skipped %+v", res.Skipped)
	}
	// Two months, each checked against its own TOTAL row.
	res, err = readAE(t, "bad/two-months.csv")
	if err != nil {
		t.Fatal(err)
	}
	obs = aeByKey(t, res)
	aeWant(t, obs, aeIndAttendances, "ENG", "2025-11", 39057, 0)
	aeWant(t, obs, aeIndAttendances, "ENG", "2025-12", 39057, 0)
}

// A trust Accord tracks that NHS England's attribution does not list counts
// in its host ICB.
func TestReadAEHostICB(t *testing.T) {
	mapping := aeTestMapping(t)
	d, err := reference.Parse()
	if err != nil {
		t.Fatal(err)
	}
	var trust accord.Organisation
	for _, o := range d.Organisations {
		if o.Type == accord.OrgProvider && o.ValidTo.IsZero() && mapping[o.Code] == "" {
			trust = o
			break
		}
	}
	in := strings.Join(importer.AEColumns, ",") + "\n" +
		"MSitAE-DECEMBER-2025," + trust.Code + ",X,Y,0,0,100,0,0,0,0,0,10,0,0,0,0,0,0,0,0,5\n"
	res, err := importer.Read(context.Background(), "host.csv", strings.NewReader(in), aeOrgs(t), "")
	if err != nil {
		t.Fatal(err)
	}
	obs := aeByKey(t, res)
	aeWant(t, obs, aeInd4hAll, trust.Code, "2025-12", 90, 100)
	aeWant(t, obs, aeInd4hAll, trust.ParentCode, "2025-12", 90, 100)
	aeWant(t, obs, aeIndAdmissions, "ENG", "2025-12", 5, 0)
}

func FuzzReadAE(f *testing.F) {
	header := strings.Join(importer.AEColumns, ",")
	row := "MSitAE-DECEMBER-2025,RBL,NHS ENGLAND NORTH WEST ,WIRRAL UNIVERSITY TEACHING HOSPITAL NHS FOUNDATION TRUST,7893,0,3086,0,0,155,4414,0,209,0,0,12,480,897,2204,0,0,1853"
	total := "TOTAL ,TOTAL ,TOTAL ,TOTAL ,7893,0,3086,0,0,155,4414,0,209,0,0,12,480,897,2204,0,0,1853"
	f.Add(header + "\n" + row + "\n" + total + "\n")
	f.Add("\ufeff" + header + "\r\n" + row + "\r\n\r\n" + total + "\r\n")
	f.Add(header + "\n" + strings.Replace(row, "RBL", "QHG", 1) + "\n")
	f.Add(header + "\n" + strings.Replace(row, "7893", "-1", 1) + "\n" + total + "\n")
	f.Add(header + "\n" + strings.Replace(row, "DECEMBER", "NOVEMBER", 1) + "\n" + row + "\n")
	f.Add(header + "\n" + total + "\n" + row + "\n" + total + "\n" + row + "\n")
	f.Add(header + "\n" + row[:40])
	f.Add(header + "\n\"" + row + "\n")
	f.Add(strings.Join(importer.AEOldColumns, ",") + "\nMSitAE-March-2019,RF4,NHS ENGLAND LONDON,\"BARKING, HAVERING\",1,0,2,1,0,0,0,0,0,0,0,0\n")
	f.Add("period,org_code,type,attendances,breaches,admissions\n2017-03-01,RF4,1,21289,2879,5060\n2017-03-01,RF4,other,2850,6,0\n")
	f.Add("period,org_code,type,attendances,breaches,admissions\n2017-03-01,RF4,1,1,2,0\n2017-03-02,ZZZ,3,x,,\n")
	f.Add("Period,Org Code\n")
	f.Add("")
	orgs := aeOrgs(f)
	f.Fuzz(func(t *testing.T, in string) {
		res, err := importer.Read(context.Background(), "fuzz.csv", strings.NewReader(in), orgs, "ae")
		if err != nil {
			if accord.ErrorCode(err) != accord.EINVALID || !strings.HasPrefix(err.Error(), "fuzz.csv:") {
				t.Fatalf("error without a place or code: %v", err)
			}
			return
		}
		for i, o := range res.Observations {
			if o.Period.IsZero() || o.OrgCode == "" || !strings.HasPrefix(res.Refs[i], "fuzz.csv:") || o.Value < 0 ||
				(o.Denominator != nil && (*o.Numerator > *o.Denominator || o.Value > 100)) {
				t.Fatalf("bad observation %+v at %s", o, res.Refs[i])
			}
		}
	})
}

// BenchmarkReadAE reads a generated year of the monthly CSV: every open
// trust and attributed site, twelve months, each with its TOTAL row.
func BenchmarkReadAE(b *testing.B) {
	orgs, err := gen.LoadOrgs()
	if err != nil {
		b.Fatal(err)
	}
	var g *gen.Generator
	for _, cand := range gen.Generators() {
		if cand.Name == "ae" {
			g = &cand
		}
	}
	if g == nil {
		b.Fatal("no ae generator")
	}
	var buf bytes.Buffer
	if err := g.Write(&buf, orgs, gen.Options{Seed: 1, From: accord.Month(2025, 1), Months: 12}); err != nil {
		b.Fatal(err)
	}
	index := aeOrgs(b)
	b.SetBytes(int64(buf.Len()))
	b.ReportAllocs()
	rows := 0
	for b.Loop() {
		res, err := importer.Read(context.Background(), "year.csv", bytes.NewReader(buf.Bytes()), index, "ae")
		if err != nil {
			b.Fatal(err)
		}
		rows += res.Rows
	}
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
}
