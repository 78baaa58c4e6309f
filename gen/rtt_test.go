package gen

import (
	"bytes"
	"encoding/csv"
	"io"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/nhs-accord/accord"
)

func rttOrgs(t testing.TB, providers int) Orgs {
	t.Helper()
	orgs, err := LoadOrgs()
	if err != nil {
		t.Fatal(err)
	}
	if providers > 0 {
		orgs.Providers = orgs.Providers[:providers]
	}
	return orgs
}

func TestRTTDeterministic(t *testing.T) {
	orgs := rttOrgs(t, 4)
	write := func(seed uint64) []byte {
		var b bytes.Buffer
		if err := writeRTT(&b, orgs, Options{Seed: seed}); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	a, b, c := write(3), write(3), write(4)
	if !bytes.Equal(a, b) {
		t.Error("the same seed gave different files")
	}
	if bytes.Equal(a, c) {
		t.Error("different seeds gave the same file")
	}
}

// TestRTTLayout checks a generated file row by row against the real file's
// conventions: the 121 columns; blanks where the real file has them for
// each part; Total (C_999) rows that are the sums of their
// treatment-function rows; no duplicate rows.
func TestRTTLayout(t *testing.T) {
	orgs := rttOrgs(t, 6)
	var buf bytes.Buffer
	if err := writeRTT(&buf, orgs, Options{Seed: 11, From: accord.MustParsePeriod("2025-03"), Months: 2}); err != nil {
		t.Fatal(err)
	}
	cr := csv.NewReader(&buf)
	header, err := cr.Read()
	if err != nil {
		t.Fatal(err)
	}
	if len(header) != 121 || header[0] != "Period" || header[13] != "Gt 00 To 01 Weeks SUM 1" || header[116] != "Gt 103 To 104 Weeks SUM 1" ||
		header[117] != "Gt 104 Weeks SUM 1" || header[118] != "Total" || header[120] != "Total All" {
		t.Fatalf("header %q", header)
	}
	n := func(s string) int64 {
		v, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			t.Fatalf("%q: %v", s, err)
		}
		return v
	}
	codes := map[string]string{"C_999": "Total"}
	for _, f := range rttFunctions {
		codes[f.code] = f.name
	}
	type group struct{ provider, commissioner, part, period string }
	sums := map[group][]int64{}
	totals := map[group][]string{}
	seen := map[string]bool{}
	periods := map[string]int{}
	providers := map[string]bool{}
	rows := 0
	for {
		row, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		rows++
		periods[row[0]]++
		providers[row[3]] = true
		key := strings.Join([]string{row[0], row[3], row[7], row[9], row[11]}, "|")
		if seen[key] {
			t.Fatalf("duplicate row %s", key)
		}
		seen[key] = true
		if codes[row[11]] != row[12] {
			t.Fatalf("treatment function %s %q", row[11], row[12])
		}
		weeks, total, unknown, all := row[13:118], row[118], row[119], row[120]
		var sum int64
		switch row[9] {
		case "Part_3":
			if strings.Join(weeks, "")+total+unknown != "" {
				t.Fatalf("new periods with weekly counts: %q", row)
			}
		case "Part_2", "Part_2A":
			if total != "" || unknown != "" {
				t.Fatalf("incomplete pathways with Total or unknown clock starts: %q", row)
			}
		case "Part_1A", "Part_1B":
			if total == "" || unknown == "" {
				t.Fatalf("completed pathways without Total or unknown clock starts: %q", row)
			}
		default:
			t.Fatalf("part %q", row[9])
		}
		for _, w := range weeks {
			if w != "" {
				sum += n(w)
			}
		}
		if total != "" && n(total) != sum {
			t.Fatalf("Total %s, weeks %d: %q", total, sum, row)
		}
		if row[9] != "Part_3" {
			u := int64(0)
			if unknown != "" {
				u = n(unknown)
			}
			if n(all) != sum+u {
				t.Fatalf("Total All %s, weeks %d + unknown %d", all, sum, u)
			}
		}
		if n(all) <= 0 {
			t.Fatalf("a row with nothing in it: %q", row)
		}
		g := group{row[3], row[7], row[9], row[0]}
		if row[11] == "C_999" {
			totals[g] = slices.Clone(row[13:121])
			continue
		}
		s := sums[g]
		if s == nil {
			s = make([]int64, 108)
		}
		for i, v := range row[13:121] {
			if v != "" {
				s[i] += n(v)
			}
		}
		sums[g] = s
	}
	if len(sums) != len(totals) {
		t.Fatalf("%d groups of treatment-function rows, %d Total rows", len(sums), len(totals))
	}
	for g, s := range sums {
		for i, v := range totals[g] {
			if (v == "" && s[i] != 0) || (v != "" && n(v) != s[i]) {
				t.Fatalf("%+v: Total row column %d is %q, the treatment functions add up to %d", g, 14+i, v, s[i])
			}
		}
	}
	if len(periods) != 2 || periods["RTT-March-2025"] == 0 || periods["RTT-April-2025"] == 0 {
		t.Errorf("periods %v", periods)
	}
	if len(providers) != len(orgs.Providers) {
		t.Errorf("%d providers, want %d", len(providers), len(orgs.Providers))
	}
}

// TestRTTNationalScale checks one national month is the size of the real
// one: about 180,000 rows and 80 MB.
func TestRTTNationalScale(t *testing.T) {
	if testing.Short() {
		t.Skip("national month")
	}
	orgs := rttOrgs(t, 0)
	c := &rttCounter{}
	if err := writeRTT(c, orgs, Options{Seed: 1}); err != nil {
		t.Fatal(err)
	}
	if c.lines < 150_000 || c.lines > 220_000 || c.bytes < 65e6 || c.bytes > 100e6 {
		t.Errorf("%d rows, %.1f MB; want about 180,000 rows and 80 MB", c.lines, float64(c.bytes)/1e6)
	}
	t.Logf("%d rows, %.1f MB, %d providers", c.lines, float64(c.bytes)/1e6, len(orgs.Providers))
}

type rttCounter struct{ bytes, lines int64 }

func (c *rttCounter) Write(b []byte) (int, error) {
	c.bytes += int64(len(b))
	c.lines += int64(bytes.Count(b, []byte("\n")))
	return len(b), nil
}

func TestRTTOptions(t *testing.T) {
	orgs := rttOrgs(t, 1)
	var buf bytes.Buffer
	if err := writeRTT(&buf, orgs, Options{Seed: 1}); err != nil {
		t.Fatal(err)
	}
	if _, first, _ := strings.Cut(buf.String(), "\n"); !strings.HasPrefix(first, "RTT-November-2024,") {
		t.Errorf("default month: %.40s", first)
	}
	if err := writeRTT(io.Discard, orgs, Options{From: accord.MustParsePeriod("2024/25")}); err == nil {
		t.Error("a financial year accepted as the first month")
	}
	found := false
	for _, g := range Generators() {
		found = found || (g.Name == "rtt" && g.Months == 1)
	}
	if !found {
		t.Error("rtt generator not registered")
	}
}
