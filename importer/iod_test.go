package importer

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nhs-accord/accord"
)

func TestReadIoD(t *testing.T) {
	res, err := ftRead(t, "testdata/iod/iod2025_icb24_summaries.csv", "")
	if err != nil {
		t.Fatal(err)
	}
	if res.Format.Name != "iod" || res.Dataset != "mhclg-iod2025" || res.Rows != 42 || len(res.Observations) != 84 || len(res.Skipped) != 0 {
		t.Fatalf("%s %s: %d rows, %d observations, skipped %v", res.Format.Name, res.Dataset, res.Rows, len(res.Observations), res.Skipped)
	}
	ftCheckValid(t, res)
	scores, shares := map[string]float64{}, map[string]float64{}
	var scoreSum, shareSum float64
	for _, o := range res.Observations {
		if o.Period != accord.CalendarYear(2025) || !o.Breakdown.IsTotal() {
			t.Errorf("%+v", o)
		}
		switch o.IndicatorID {
		case "imd_2025_score":
			scores[o.OrgCode] = o.Value
			scoreSum += o.Value
		case "imd_2025_most_deprived_decile_share":
			shares[o.OrgCode] = o.Value
			shareSum += o.Value
		default:
			t.Errorf("indicator %s", o.IndicatorID)
		}
	}
	if len(scores) != 42 || len(shares) != 42 {
		t.Errorf("%d ICBs with a score, %d with a share", len(scores), len(shares))
	}
	// The file's totals over the 42 ICBs: scores 870.859, proportions 3.4595.
	if math.Abs(scoreSum-870.859) > 1e-9 || math.Abs(shareSum-345.95) > 1e-9 {
		t.Errorf("sums %v and %v", scoreSum, shareSum)
	}
	for _, tc := range []struct {
		org          string
		score, share float64
	}{
		{"QYG", 25.531, 20.11}, // Cheshire and Merseyside, E54000008
		{"QHL", 34.77, 37.83},  // Birmingham and Solihull, the most deprived (rank 1)
		{"QXU", 10.378, 0},     // Surrey Heartlands, E54000063, the least
	} {
		if scores[tc.org] != tc.score || shares[tc.org] != tc.share {
			t.Errorf("%s: score %v share %v, want %v and %v", tc.org, scores[tc.org], shares[tc.org], tc.score, tc.share)
		}
	}
}

func TestReadIoDBadFiles(t *testing.T) {
	for _, tc := range []badFile{
		{file: "wrong_header.csv", want: "wrong_header.csv:1: the header is not one of the iod layouts; expected:\n" +
			"  iod (English Indices of Deprivation 2025, File 13 ICB summaries): icb24_code,icb24_name,imd_average_rank,imd_rank_of_average_rank,imd_average_score,…," +
			"imd_proportion_of_lso_as_in_most_deprived_10_percent_nationally,… (the 58 columns of File 13 in snake_case; icb24_code, imd_average_score and " +
			"imd_proportion_of_lso_as_in_most_deprived_10_percent_nationally are required)\n" +
			"found: icb24_code,icb24_name,imd_average_rank,imd_rank_of_average_rank,imd_score,imd_rank_of_average_score,imd_proportion_of_lso_as_in_most_deprived_10_percent_nationally," +
			"imd_rank_of_proportion_of_lso_as_in_most_deprived_10_percent_nationally,imd_2025_extent,imd_2025_rank_of_extent,imd_2025_local_concentra…"},
		{file: "bom_crlf.csv", obs: 6},
		{file: "quoted_commas.csv", obs: 2}, // "NHS Shropshire, Telford and Wrekin Integrated Care Board"
		{file: "blank_lines.csv", obs: 4},
		{file: "unknown_icb.csv", obs: 2, skipped: map[string]int{"ICB code not known to Accord": 1}},
		{file: "truncated.csv", want: `truncated.csv:3:45: extraneous or missing " in quoted-field (is a quote missing, or is the last line cut short?)`},
		{file: "short_row.csv", want: "short_row.csv:3: has 10 columns; the header has 58"},
		{file: "negative_share.csv", want: "negative_share.csv:2:7: imd_proportion_of_lso_as_in_most_deprived_10_percent_nationally -0.2011 is not a proportion between 0 and 1"},
		{file: "share_over_one.csv", want: "share_over_one.csv:2:7: imd_proportion_of_lso_as_in_most_deprived_10_percent_nationally 20.11 is not a proportion between 0 and 1"},
		{file: "not_a_number.csv", want: `not_a_number.csv:2:5: imd_average_score "n/a" is not a number`},
		{file: "duplicate_icb.csv", want: "duplicate_icb.csv:4:1: icb24_code E54000008 (QYG) is repeated: it is on line 2 too"},
		{file: "not_utf8.csv", want: `not_utf8.csv:3:13: column 2 is not UTF-8 text ("NHS Staffordshire and Stoke` + "\uFFFDon\uFFFD" + `Trent Integrated Care Board"): save the file as UTF-8 CSV`},
	} {
		t.Run(tc.file, func(t *testing.T) { tc.check(t, "testdata/iod/bad", "iod") })
	}
	files, _ := filepath.Glob("testdata/iod/bad/*.csv")
	if len(files) != 12 {
		t.Errorf("%d files in testdata/iod/bad; the table reads 12", len(files))
	}
}

func FuzzReadIoD(f *testing.F) {
	b, err := os.ReadFile("testdata/iod/iod2025_icb24_summaries.csv")
	if err != nil {
		f.Fatal(err)
	}
	lines := strings.SplitAfter(string(b), "\n")
	f.Add(strings.Join(lines[:4], ""))
	bad, _ := filepath.Glob("testdata/iod/bad/*.csv")
	for _, path := range bad {
		b, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b))
	}
	f.Add("icb24_code,imd_average_score,imd_proportion_of_lso_as_in_most_deprived_10_percent_nationally\nE54000008,25.531,0.2011\n")
	f.Add("icb24_code,imd_average_score,imd_proportion_of_lso_as_in_most_deprived_10_percent_nationally\nQYG,NaN,1e400\n")
	f.Add("")
	orgs := ftOrgs(f)
	f.Fuzz(func(t *testing.T, in string) {
		res, err := Read(context.Background(), "fuzz.csv", strings.NewReader(in), orgs, "iod")
		if err != nil {
			if accord.ErrorCode(err) != accord.EINVALID || !strings.HasPrefix(err.Error(), "fuzz.csv:") {
				t.Fatalf("error without a place or code: %v", err)
			}
			return
		}
		for i, o := range res.Observations {
			if o.OrgCode == "" || math.IsNaN(o.Value) || math.IsInf(o.Value, 0) || !strings.HasPrefix(res.Refs[i], "fuzz.csv:") {
				t.Fatalf("bad observation %+v at %s", o, res.Refs[i])
			}
		}
	})
}
