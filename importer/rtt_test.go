package importer_test

// The RTT tests are an external test package: they use the gen package to
// make national-scale files, and gen (like any user of the importer) sits
// above this package.

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/nhs-accord/accord"
	"github.com/nhs-accord/accord/gen"
	"github.com/nhs-accord/accord/importer"
	"github.com/nhs-accord/accord/reference"
)

// rttDorset is the real November 2024 Full CSV filtered to Dorset County
// Hospital (RBD); see testdata/rtt/PROVENANCE.md.
const rttDorset = "testdata/rtt/20241130-RTT-November-2024-RBD.csv"

// referenceOrgs is the real organisation map shipped with Accord.
var referenceOrgs = sync.OnceValues(func() (*importer.OrgIndex, error) {
	d, err := reference.Parse()
	if err != nil {
		return nil, err
	}
	return importer.NewOrgIndex(d.Organisations), nil
})

func rttOrgs(t testing.TB) *importer.OrgIndex {
	t.Helper()
	x, err := referenceOrgs()
	if err != nil {
		t.Fatal(err)
	}
	return x
}

func readRTT(t testing.TB, name string, r io.Reader) (importer.Result, error) {
	t.Helper()
	return importer.Read(context.Background(), name, r, rttOrgs(t), "")
}

// rttObs indexes observations by organisation and indicator.
func rttObs(t testing.TB, res importer.Result) map[[2]string]accord.Observation {
	t.Helper()
	m := map[[2]string]accord.Observation{}
	for i, o := range res.Observations {
		k := [2]string{o.OrgCode, o.IndicatorID}
		if _, dup := m[k]; dup {
			t.Fatalf("two observations of %s for %s (%s)", o.IndicatorID, o.OrgCode, res.Refs[i])
		}
		m[k] = o
	}
	return m
}

// rttFileSums adds up a file's incomplete pathways the slow, obvious way,
// from the Total (C_999) rows or from the treatment-function rows, by
// provider and in all, so the parser is checked against the file itself.
type rttFileSums struct {
	all, within18, over52, over65, over78, over104 int64
}

func (a rttFileSums) plus(b rttFileSums) rttFileSums {
	return rttFileSums{a.all + b.all, a.within18 + b.within18, a.over52 + b.over52, a.over65 + b.over65, a.over78 + b.over78, a.over104 + b.over104}
}

// rttExpect is an observation's value and counts, as the sums give them.
type rttExpect struct{ value, num, den float64 }

// expect gives every indicator's observation for the sums.
func (a rttFileSums) expect() map[string]rttExpect {
	all := float64(a.all)
	share := func(n int64) rttExpect { return rttExpect{100 * float64(n) / all, float64(n), all} }
	return map[string]rttExpect{
		"rtt_waiting_list": {value: all},
		"rtt_18w_share":    share(a.within18),
		"rtt_52w_count":    {value: float64(a.over52)}, "rtt_52w_share": share(a.over52),
		"rtt_65w_count": {value: float64(a.over65)}, "rtt_65w_share": share(a.over65),
		"rtt_78w_count": {value: float64(a.over78)}, "rtt_78w_share": share(a.over78),
		"rtt_104w_count": {value: float64(a.over104)}, "rtt_104w_share": share(a.over104),
	}
}

func (e rttExpect) plus(f rttExpect) rttExpect {
	return rttExpect{e.value + f.value, e.num + f.num, e.den + f.den}
}

// rttSame reports whether o is e (values to rounding).
func rttSame(o accord.Observation, e rttExpect) bool {
	if (o.Numerator == nil) != (e.den == 0) {
		return false
	}
	if o.Numerator != nil && (*o.Numerator != e.num || *o.Denominator != e.den) {
		return false
	}
	return math.Abs(o.Value-e.value) < 1e-9
}

func sumRTTFile(t testing.TB, data []byte, totals bool) (all rttFileSums, byProvider, byCommissioner map[string]rttFileSums) {
	t.Helper()
	cr := csv.NewReader(bytes.NewReader(data))
	header, err := cr.Read()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.TrimPrefix(h, "\ufeff")] = i
	}
	n := func(s string) int64 {
		if s == "" {
			return 0
		}
		v, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			t.Fatalf("%q: %v", s, err)
		}
		return v
	}
	byProvider, byCommissioner = map[string]rttFileSums{}, map[string]rttFileSums{}
	for {
		row, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if row[col["RTT Part Type"]] != "Part_2" || (row[col["Treatment Function Code"]] == "C_999") != totals {
			continue
		}
		var s rttFileSums
		s.all = n(row[col["Total All"]])
		for k := range 105 {
			v := n(row[col[importer.RTTWeekColumn(k)]])
			switch {
			case k < 18:
				s.within18 += v
			case k >= 104:
				s.over104 += v
				fallthrough
			case k >= 78:
				s.over78 += v
				fallthrough
			case k >= 65:
				s.over65 += v
				fallthrough
			case k >= 52:
				s.over52 += v
			}
		}
		provider, commissioner := row[col["Provider Org Code"]], row[col["Commissioner Org Code"]]
		all, byProvider[provider], byCommissioner[commissioner] = all.plus(s), byProvider[provider].plus(s), byCommissioner[commissioner].plus(s)
	}
	return all, byProvider, byCommissioner
}

// The reasons an RTT import gives for rows it leaves out, word for word.
const (
	skipPart         = "not incomplete pathways: completed pathways (Part_1A, Part_1B), incomplete with a decision to admit (Part_2A) and new periods (Part_3) are not used"
	skipSpecialty    = "treatment-function row: Accord uses the Total (C_999) row of each provider and commissioner, and checks it against these"
	skipProvider     = "provider not tracked by Accord (independent sector or non-NHS)"
	skipCommissioner = "commissioner not tracked by Accord (commissioning hub, non-English or unknown): counted in England only"
)

func TestReadRTTDorset(t *testing.T) {
	data, err := os.ReadFile(rttDorset)
	if err != nil {
		t.Fatal(err)
	}

	// The published figures for RBD, November 2024, added up from the
	// file both ways: the Total rows, and the treatment-function rows.
	// Either gives the same, so reading the Total rows alone never counts
	// a pathway twice.
	want := rttFileSums{all: 21702, within18: 12539, over52: 647, over65: 45, over78: 1, over104: 0}
	for _, totals := range []bool{true, false} {
		got, _, _ := sumRTTFile(t, data, totals)
		if got != want {
			t.Errorf("file sums (Total rows %v): %+v, want %+v", totals, got, want)
		}
	}

	res, err := readRTT(t, "rbd.csv", bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if res.Format.Name != "rtt" || res.Dataset != "nhse-rtt" || res.Rows != 512 {
		t.Fatalf("format %s, dataset %s, %d rows", res.Format.Name, res.Dataset, res.Rows)
	}
	obs := rttObs(t, res)
	check := func(org string, s rttFileSums) {
		t.Helper()
		for id, e := range s.expect() {
			if o, ok := obs[[2]string{org, id}]; !ok || !rttSame(o, e) {
				t.Errorf("%s %s = %+v, want %+v", org, id, o, e)
			}
		}
	}
	// The provider, and England: every row of the file, whoever commissioned it.
	check("RBD", want)
	check("ENG", want)
	if o := obs[[2]string{"RBD", "rtt_18w_share"}]; math.Abs(o.Value-57.778) > 0.001 {
		t.Errorf("RBD 18-week share %.3f%%, want 57.778%%", o.Value)
	}
	// Dorset residents: sub-ICB location 11J is the whole of Dorset ICB.
	dorset := rttFileSums{all: 20568, within18: 11971, over52: 600, over65: 40, over78: 1}
	check("11J", dorset)
	check("QVV", dorset)

	for i, o := range res.Observations {
		if o.Period.String() != "2024-11" || o.Status != accord.Final || !strings.HasPrefix(res.Refs[i], "rbd.csv:") || !o.Breakdown.IsTotal() {
			t.Fatalf("observation %+v at %s", o, res.Refs[i])
		}
	}

	// Every roll-up is the sum of the level below: ICBs of their sub-ICB
	// locations, regions of their ICBs, and England of its regions and the
	// commissioners Accord does not track (hubs 13Q and 14T, and NONC).
	_, _, byCommissioner := sumRTTFile(t, data, true)
	orgs := rttOrgs(t)
	below := map[[2]string]rttExpect{}
	for _, c := range []string{"13Q", "14T", "NONC"} {
		for id, e := range byCommissioner[c].expect() {
			if e.den != 0 {
				e.value = 0 // a share is recomputed from the summed counts
			}
			below[[2]string{"ENG", id}] = below[[2]string{"ENG", id}].plus(e)
		}
	}
	for _, o := range res.Observations {
		org, _ := orgs.Lookup(o.OrgCode)
		if org.Type != accord.OrgSubICB && org.Type != accord.OrgICB && org.Type != accord.OrgRegion {
			continue
		}
		e := rttExpect{value: o.Value}
		if o.Numerator != nil {
			e = rttExpect{num: *o.Numerator, den: *o.Denominator}
		}
		k := [2]string{org.ParentCode, o.IndicatorID}
		below[k] = below[k].plus(e)
	}
	parents := map[string]bool{}
	for k, e := range below {
		o := obs[k]
		if o.Numerator != nil {
			e.value = 100 * e.num / e.den
		}
		if !rttSame(o, e) {
			t.Errorf("%s %s = %+v; the level below adds up to %+v", k[0], k[1], o, e)
		}
		parents[k[0]] = true
	}
	// RBD's waiting list lives across England: 31 ICBs in all 7 regions.
	if len(parents) != 1+7+31 {
		t.Errorf("%d roll-ups checked, want 39", len(parents))
	}

	wantSkipped := map[string]int{skipPart: 310, skipSpecialty: 161, skipCommissioner: 3}
	if len(res.Skipped) != len(wantSkipped) {
		t.Errorf("skipped %+v", res.Skipped)
	}
	for _, s := range res.Skipped {
		if wantSkipped[s.Reason] != s.Count || s.Example == "" {
			t.Errorf("skipped %d for %q (example %q), want %d", s.Count, s.Reason, s.Example, wantSkipped[s.Reason])
		}
		if s.Reason == skipCommissioner && s.Example != "line 27: 13Q NATIONAL COMMISSIONING HUB 1" {
			t.Errorf("example %q", s.Example)
		}
	}
}

// TestRTTDetect checks the RTT header is recognised, and that no other
// layout claims it.
func TestRTTDetect(t *testing.T) {
	cols := importer.RTTColumns
	if len(cols) != 121 || cols[13] != "Gt 00 To 01 Weeks SUM 1" || cols[116] != "Gt 103 To 104 Weeks SUM 1" || cols[117] != "Gt 104 Weeks SUM 1" {
		t.Errorf("columns %d: %q … %q", len(cols), cols[13], cols[117])
	}
	var claims []string
	for _, f := range importer.Formats() {
		if f.Detect(cols) {
			claims = append(claims, f.Name+" ("+f.Layout+")")
		}
		if f.Name == "rtt" && f.Detect(importer.LongColumns) {
			t.Error("rtt accepts the long format's header")
		}
	}
	if len(claims) != 1 || claims[0] != "rtt (RTT Full CSV data file)" {
		t.Errorf("the RTT header is claimed by %q", claims)
	}
	// Detected without --format, the file is read as RTT.
	res, err := importer.Read(context.Background(), "f.csv", strings.NewReader(strings.Join(cols, ",")+"\n"), rttOrgs(t), "")
	if res.Format == nil || res.Format.Name != "rtt" || err == nil || err.Error() != "f.csv:2: no observations: the file has no rows Accord can use" {
		t.Errorf("format %v, error %v", res.Format, err)
	}
}

// TestReadRTTCorpus reads small files cut from the real November 2024 file
// (header and its lines 105–118: three commissioners of RBD) and changed
// one fault at a time; see testdata/rtt/PROVENANCE.md.
func TestReadRTTCorpus(t *testing.T) {
	// The cut holds 5 incomplete pathways: 2 for 15E (Birmingham and
	// Solihull ICB, Midlands), 2 for 16C (North East and North Cumbria,
	// North East and Yorkshire), 1 for 06T (Suffolk and North East Essex,
	// East of England); 3 of them waited 18 weeks or less.
	allOrgs := []string{"RBD", "ENG", "15E", "QHL", "Y60", "16C", "QHM", "Y63", "06T", "QJG", "Y61"}
	fine := func(skip string, skipped int, absent ...string) func(t *testing.T, res importer.Result) {
		return func(t *testing.T, res importer.Result) {
			obs := rttObs(t, res)
			want := 10 * len(allOrgs)
			for _, org := range absent {
				if slices.Contains(allOrgs, org) {
					want -= 10
				}
			}
			if len(res.Observations) != want || res.Rows != 14 {
				t.Errorf("%d observations from %d rows, want %d from 14", len(res.Observations), res.Rows, want)
			}
			for _, org := range absent {
				if _, ok := obs[[2]string{org, "rtt_waiting_list"}]; ok {
					t.Errorf("%s has observations", org)
				}
			}
			if o := obs[[2]string{"ENG", "rtt_waiting_list"}]; o.Value != 5 {
				t.Errorf("England waiting list %v, want 5", o.Value)
			}
			if o := obs[[2]string{"ENG", "rtt_18w_share"}]; o.Numerator == nil || *o.Numerator != 3 || *o.Denominator != 5 {
				t.Errorf("England 18 weeks %+v, want 3/5", o)
			}
			if o := obs[[2]string{"16C", "rtt_waiting_list"}]; o.Value != 2 {
				t.Errorf("16C waiting list %v, want 2", o.Value)
			}
			got := 0
			for _, s := range res.Skipped {
				if s.Reason == skip {
					got = s.Count
				}
			}
			if skip != "" && got != skipped {
				t.Errorf("skipped %+v, want %d for %q", res.Skipped, skipped, skip)
			}
		}
	}
	for _, tc := range []struct {
		file string
		want string // the whole error text; "" when the file imports
		ok   func(t *testing.T, res importer.Result)
	}{
		{"bom.csv", "", fine("", 0)},
		{"crlf.csv", "", fine("", 0)},
		{"blank_lines.csv", "", fine("", 0)},
		{"quoted_fields.csv", "", fine("", 0)},
		{"independent_provider.csv", "", fine(skipProvider, 3, "RBD", "NT3")},
		{"welsh_commissioner.csv", "", fine(skipCommissioner, 1, "06T", "QJG", "Y61", "7A1")},

		{"header_renamed.csv", `header_renamed.csv:1:121: unexpected column "Total all": not in the RTT Full CSV layout
header_renamed.csv:1: missing column "Total All"`, nil},
		{"header_old_52_weeks.csv", `header_old_52_weeks.csv:1:66: unexpected column "Gt 52 Weeks SUM 1": not in the RTT Full CSV layout
header_old_52_weeks.csv:1: missing 53 columns: "Gt 52 To 53 Weeks SUM 1", "Gt 53 To 54 Weeks SUM 1", "Gt 54 To 55 Weeks SUM 1" … "Gt 104 Weeks SUM 1"`, nil},
		{"header_only.csv", "header_only.csv:2: no observations: the file has no rows Accord can use", nil},
		{"completed_only.csv", "completed_only.csv:2: no observations: the file has no rows Accord can use", nil},
		{"truncated.csv", "truncated.csv:15: has 60 columns; the header has 121", nil},
		{"extra_column.csv", "extra_column.csv:3: has 122 columns; the header has 121", nil},
		{"unclosed_quote.csv", `unclosed_quote.csv:9:366: extraneous or missing " in quoted-field (is a quote missing, or is the last line cut short?)`, nil},
		{"not_utf8.csv", "not_utf8.csv:9:167: column 9 is not UTF-8 text (\"NHS TEES VALL\uFFFDE (SUB ICB LOCATION)\"): save the file as UTF-8 CSV", nil},
		{"negative.csv", `negative.csv:6:14: Gt 00 To 01 Weeks SUM 1 is "-1": a count of pathways cannot be negative`, nil},
		{"not_a_number.csv", `not_a_number.csv:4:19: Gt 05 To 06 Weeks SUM 1 is "1.0": expected a whole number of pathways`, nil},
		{"total_all_short.csv", "total_all_short.csv:13:121: Total All is 0 but the weekly columns (1) and unknown clock starts (0) add up to 1", nil},
		{"total_mismatch.csv", "total_mismatch.csv:11: the Total (C_999) row of provider RBD and commissioner 16C has 1 incomplete pathways (Total All) but its treatment-function rows add up to 2", nil},
		{"no_total.csv", "no_total.csv:12: provider RBD and commissioner 06T have incomplete pathways by treatment function but no Total (C_999) row", nil},
		{"duplicate.csv", "duplicate.csv:7: duplicate row: provider RBD, commissioner 15E, Part_2, treatment function C_999 is already on line 6", nil},
		{"bad_period.csv", `bad_period.csv:9:1: period "RTT-Novmber-2024" is not an RTT month such as RTT-November-2024`, nil},
		{"other_month.csv", "other_month.csv:13:1: period RTT-December-2024 (2024-12) is not the file's month: line 2 is for RTT-November-2024 (2024-11)", nil},
		{"part_type.csv", `part_type.csv:4:10: RTT Part Type "Part_4" is not one of Part_1A, Part_1B, Part_2, Part_2A, Part_3`, nil},
		{"empty_provider.csv", "empty_provider.csv:6:4: Provider Org Code is empty", nil},
	} {
		t.Run(tc.file, func(t *testing.T) {
			f, err := os.Open(filepath.Join("testdata/rtt/bad", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			res, err := readRTT(t, tc.file, f)
			if tc.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				tc.ok(t, res)
				return
			}
			if err == nil {
				t.Fatalf("no error; want %s", tc.want)
			}
			if accord.ErrorCode(err) != accord.EINVALID {
				t.Errorf("code %q, want invalid", accord.ErrorCode(err))
			}
			if err.Error() != tc.want {
				t.Errorf("error\n%s\nwant\n%s", err, tc.want)
			}
		})
	}
}

// TestRTTCells puts one value at a time into a real Total row (15E's, line
// 6 of the corpus files) and reads it: counts, blanks and periods.
func TestRTTCells(t *testing.T) {
	sample, err := os.ReadFile("testdata/rtt/bad/crlf.csv")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(sample), "\r\n")
	header, total := lines[0], lines[5]
	fields := strings.Split(strings.ReplaceAll(total, `"NHS BIRMINGHAM, SOLIHULL AND WEST BIRMINGHAM (SUB ICB LOCATION)"`, "NAME"), ",")
	if len(fields) != 121 || fields[11] != "C_999" || fields[120] != "2" {
		t.Fatalf("line 6 is not 15E's Total row: %q", total)
	}
	// The row's one other pathway is in the sixth weekly column; a count
	// put in the first is added to Total All, so the row stays whole.
	fields[13], fields[18], fields[120] = "0", "1", "1"
	read := func(col int, v string) (importer.Result, error) {
		f := slices.Clone(fields)
		f[col] = v
		if n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64); col == 13 && err == nil && n >= 0 && n < 1e9 {
			f[120] = strconv.FormatInt(1+n, 10)
		}
		return readRTT(t, "c.csv", strings.NewReader(header+"\n"+strings.Join(f, ",")+"\n"))
	}
	for _, tc := range []struct {
		in, want string // want: the error, or "" when it reads
	}{
		{"", ""}, {"0", ""}, {"1", ""}, {" 1 ", ""}, {"  ", ""}, {"999999999", ""},
		{"-1", `c.csv:2:14: Gt 00 To 01 Weeks SUM 1 is "-1": a count of pathways cannot be negative`},
		{"-", `c.csv:2:14: Gt 00 To 01 Weeks SUM 1 is "-": expected a whole number of pathways`},
		{"1.0", `c.csv:2:14: Gt 00 To 01 Weeks SUM 1 is "1.0": expected a whole number of pathways`},
		{"1,234", "c.csv:2: has 122 columns; the header has 121"},
		{"1000000001", `c.csv:2:14: Gt 00 To 01 Weeks SUM 1 is "1000000001": too large to be a count of pathways`},
		{"99999999999999999999", `c.csv:2:14: Gt 00 To 01 Weeks SUM 1 is "99999999999999999999": too large to be a count of pathways`},
	} {
		_, err := read(13, tc.in)
		if got := fmt.Sprint(err); (tc.want == "" && err != nil) || (tc.want != "" && got != tc.want) {
			t.Errorf("%q: %v, want %q", tc.in, err, tc.want)
		}
	}
	for in, want := range map[string]string{"RTT-November-2024": "2024-11", "RTT-april-2025": "2025-04", " RTT-March-2019 ": "2019-03"} {
		res, err := read(0, in)
		if err != nil || res.Observations[0].Period.String() != want {
			t.Errorf("period %q: %v", in, err)
		}
	}
	for _, in := range []string{"", "November-2024", "RTT-Nov-2024", "RTT-November-24", "RTT-November", "2024-11"} {
		want := fmt.Sprintf("c.csv:2:1: period %q is not an RTT month such as RTT-November-2024", in)
		if _, err := read(0, in); fmt.Sprint(err) != want {
			t.Errorf("period %q: %v", in, err)
		}
	}
}

func rttGenerator(t testing.TB) gen.Generator {
	t.Helper()
	for _, g := range gen.Generators() {
		if g.Name == "rtt" {
			return g
		}
	}
	t.Fatal("no rtt generator")
	return gen.Generator{}
}

// TestReadRTTGenerated imports a generated month for a handful of trusts
// (every commissioner in England) and checks England and each trust
// against the generated Total rows.
func TestReadRTTGenerated(t *testing.T) {
	orgs, err := gen.LoadOrgs()
	if err != nil {
		t.Fatal(err)
	}
	orgs.Providers = orgs.Providers[:8]
	var buf bytes.Buffer
	if err := rttGenerator(t).Write(&buf, orgs, gen.Options{Seed: 7, Months: 1}); err != nil {
		t.Fatal(err)
	}
	data := buf.Bytes()
	total, byProvider, _ := sumRTTFile(t, data, true)
	if spec, _, _ := sumRTTFile(t, data, false); spec != total || total.all == 0 {
		t.Fatalf("generated Total rows %+v, treatment-function rows %+v", total, spec)
	}
	res, err := readRTT(t, "gen.csv", bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if lines := bytes.Count(data, []byte("\n")) - 1; res.Rows != lines {
		t.Errorf("read %d rows of %d", res.Rows, lines)
	}
	obs := rttObs(t, res)
	for org, s := range map[string]rttFileSums{"ENG": total} {
		if o := obs[[2]string{org, "rtt_waiting_list"}]; o.Value != float64(s.all) {
			t.Errorf("%s waiting list %v, want %d", org, o.Value, s.all)
		}
		if o := obs[[2]string{org, "rtt_18w_share"}]; *o.Numerator != float64(s.within18) || *o.Denominator != float64(s.all) {
			t.Errorf("%s 18 weeks %v/%v, want %d/%d", org, *o.Numerator, *o.Denominator, s.within18, s.all)
		}
		if o := obs[[2]string{org, "rtt_52w_count"}]; o.Value != float64(s.over52) {
			t.Errorf("%s 52 weeks %v, want %d", org, o.Value, s.over52)
		}
	}
	for _, p := range orgs.Providers {
		s := byProvider[p.Code]
		if o := obs[[2]string{p.Code, "rtt_waiting_list"}]; o.Value != float64(s.all) || s.all == 0 {
			t.Errorf("%s waiting list %v, want %d", p.Code, o.Value, s.all)
		}
		if o := obs[[2]string{p.Code, "rtt_65w_count"}]; o.Value != float64(s.over65) {
			t.Errorf("%s 65 weeks %v, want %d", p.Code, o.Value, s.over65)
		}
	}

	// The Full CSV is monthly: a generated file of two months is refused
	// at the first row of the second.
	buf.Reset()
	if err := rttGenerator(t).Write(&buf, gen.Orgs{All: orgs.All, ICBs: orgs.ICBs, SubICBs: orgs.SubICBs, Providers: orgs.Providers[:1]},
		gen.Options{Seed: 7, Months: 2}); err != nil {
		t.Fatal(err)
	}
	_, err = readRTT(t, "two.csv", &buf)
	if err == nil || !strings.Contains(err.Error(), "period RTT-December-2024 (2024-12) is not the file's month: line 2 is for RTT-November-2024 (2024-11)") {
		t.Errorf("two months: %v", err)
	}
}

// rttNational is one generated national month, made once.
var rttNational = sync.OnceValues(func() ([]byte, error) {
	orgs, err := gen.LoadOrgs()
	if err != nil {
		return nil, err
	}
	for _, g := range gen.Generators() {
		if g.Name == "rtt" {
			var buf bytes.Buffer
			err := g.Write(&buf, orgs, gen.Options{Seed: 1, Months: 1})
			return buf.Bytes(), err
		}
	}
	return nil, io.ErrUnexpectedEOF
})

// BenchmarkReadRTT reads one generated national month (about 180,000 rows,
// 90 MB) from memory.
func BenchmarkReadRTT(b *testing.B) {
	data, err := rttNational()
	if err != nil {
		b.Fatal(err)
	}
	orgs := rttOrgs(b)
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	rows := 0
	for b.Loop() {
		res, err := importer.Read(context.Background(), "national.csv", bytes.NewReader(data), orgs, "rtt")
		if err != nil {
			b.Fatal(err)
		}
		rows += res.Rows
	}
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
}

// FuzzReadRTT reads fuzzed rows under the real header (withHeader) or
// whole fuzzed files; keeping the 121-column header out of the input keeps
// inputs small enough to mutate and minimise quickly.
func FuzzReadRTT(f *testing.F) {
	sample, err := os.ReadFile("testdata/rtt/bad/crlf.csv")
	if err != nil {
		f.Fatal(err)
	}
	header := strings.Join(importer.RTTColumns, ",")
	lines := strings.Split(strings.ReplaceAll(string(sample), "\r\n", "\n"), "\n")
	rows := func(ls ...int) string {
		var b strings.Builder
		for _, l := range ls {
			b.WriteString(lines[l-1] + "\n")
		}
		return b.String()
	}
	f.Add(true, rows(4, 5, 6))             // 15E's incomplete pathways: two treatment functions and their Total
	f.Add(true, rows(2, 3, 4, 5, 6, 7, 8)) // with completed pathways and new periods
	f.Add(true, rows(9, 10, 11, 12, 13))   // 16C and 06T
	f.Add(true, rows(6))                   // a Total row alone
	f.Add(true, rows(4, 6))                // a Total that does not add up
	f.Add(true, rows(6, 6))                // a duplicate
	f.Add(true, strings.Replace(rows(4, 5, 6), "RTT-November-2024", "RTT-Smarch-2024", 1))
	f.Add(true, strings.Replace(rows(4, 5, 6), "RTT-November-2024", "RTT-December-2024", 2))
	f.Add(true, strings.Replace(rows(6), ",1,", ",-1,", 1))
	f.Add(true, strings.Replace(rows(6), "Part_2,", "Part_3,", 1))
	f.Add(true, strings.Replace(rows(6), "15E", "7A1", 1))
	f.Add(true, strings.Replace(rows(6), "RBD", "NT3", 1))
	f.Add(true, rows(6)[:300])
	f.Add(true, "")
	f.Add(false, "\ufeff"+header+"\r\n"+strings.ReplaceAll(rows(4, 5, 6), "\n", "\r\n"))
	f.Add(false, "Period,Provider Org Code,Commissioner Org Code,RTT Part Type,Treatment Function Code\nRTT-November-2024,RBD,11J,Part_2,C_999\n")
	f.Add(false, "")
	orgs := rttOrgs(f)
	f.Fuzz(func(t *testing.T, withHeader bool, body string) {
		in := body
		if withHeader {
			in = header + "\n" + body
		}
		res, err := importer.Read(context.Background(), "fuzz.csv", strings.NewReader(in), orgs, "rtt")
		if err != nil {
			if accord.ErrorCode(err) != accord.EINVALID || !strings.HasPrefix(err.Error(), "fuzz.csv:") {
				t.Fatalf("error without a place or code: %v", err)
			}
			return
		}
		for i, o := range res.Observations {
			if o.Period.Kind() != accord.PeriodMonth || o.OrgCode == "" || o.Value < 0 || !strings.HasPrefix(res.Refs[i], "fuzz.csv:") {
				t.Fatalf("bad observation %+v at %s", o, res.Refs[i])
			}
			if o.Numerator != nil && (*o.Numerator > *o.Denominator || *o.Denominator <= 0) {
				t.Fatalf("bad proportion %+v at %s", o, res.Refs[i])
			}
		}
	})
}
