package importer

import (
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/nhs-accord/accord"
)

// The English Indices of Deprivation 2025, File 13: each ICB's summary of
// its neighbourhoods' (LSOAs') deprivation, as shipped with snake_case
// column names (icb24_code, imd_average_score,
// imd_proportion_of_lso_as_in_most_deprived_10_percent_nationally, …).
// Accord keeps two of its measures for each ICB: the population-weighted
// average IMD score and the share of LSOAs among England's most deprived
// tenth.

const (
	iodCode  = "icb24_code"
	iodScore = "imd_average_score"
	iodShare = "imd_proportion_of_lso_as_in_most_deprived_10_percent_nationally"
)

// The period the 2025 indices describe, for Accord: the year they were
// published (their inputs are mostly from 2021 to 2024).
var iodPeriod = accord.CalendarYear(2025)

func init() {
	register(&Format{
		Name:      "iod",
		Layout:    "English Indices of Deprivation 2025, File 13 ICB summaries",
		Publisher: "MHCLG",
		Dataset:   "mhclg-iod2025",
		National:  true,
		Detect: func(h []string) bool {
			return newColumns(lowerAll(h), false).has(iodCode, iodScore, iodShare)
		},
		Expect: "icb24_code,icb24_name,imd_average_rank,imd_rank_of_average_rank,imd_average_score,…," +
			"imd_proportion_of_lso_as_in_most_deprived_10_percent_nationally,… (the 58 columns of File 13 in snake_case; " +
			"icb24_code, imd_average_score and imd_proportion_of_lso_as_in_most_deprived_10_percent_nationally are required)",
		Parse: parseIoD,
	})
}

func parseIoD(p *Parse) error {
	header := lowerAll(p.Rows.Header())
	cols := newColumns(header, false)
	for _, m := range cols.missing(iodCode, iodScore, iodShare) {
		p.Problem(1, 0, "missing column %q", m)
	}
	for i, h := range header {
		if cols.at(h) != i {
			p.Problem(1, i+1, "column %q appears twice", h)
		}
	}
	if p.Failed() {
		return nil
	}
	seen := map[string]int{} // Accord code → line
	for {
		row, line, err := p.Rows.Next()
		if err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		}
		p.Row()
		if len(row) != len(header) {
			p.Problem(line, 0, "has %d columns; the header has %d", len(row), len(header))
			continue
		}
		get := func(name string) (string, int) {
			i := cols.at(name)
			return strings.TrimSpace(row[i]), i + 1
		}
		code, codeCol := get(iodCode)
		scoreText, scoreCol := get(iodScore)
		shareText, shareCol := get(iodShare)
		bad := false
		score, err := strconv.ParseFloat(scoreText, 64)
		if err != nil || math.IsNaN(score) || math.IsInf(score, 0) {
			p.Problem(line, scoreCol, "%s %q is not a number", iodScore, scoreText)
			bad = true
		}
		share, err := strconv.ParseFloat(shareText, 64)
		switch {
		case err != nil || math.IsNaN(share):
			p.Problem(line, shareCol, "%s %q is not a number", iodShare, shareText)
			bad = true
		case share < 0 || share > 1:
			p.Problem(line, shareCol, "%s %s is not a proportion between 0 and 1", iodShare, shareText)
			bad = true
		}
		if code == "" {
			p.Problem(line, codeCol, "%s is empty", iodCode)
			continue
		}
		org, ok := p.Orgs.Resolve(code, iodPeriod)
		if !ok || org.Type != accord.OrgICB {
			p.Skip("ICB code not known to Accord", fmt.Sprintf("line %d: %s", line, code))
			continue
		}
		if prev, dup := seen[org.Code]; dup {
			p.Problem(line, codeCol, "%s %s (%s) is repeated: it is on line %d too", iodCode, code, org.Code, prev)
			continue
		}
		seen[org.Code] = line
		if bad {
			continue
		}
		p.Emit(accord.Observation{IndicatorID: "imd_2025_score", OrgCode: org.Code, Period: iodPeriod, Value: score}, line)
		// The file gives the share as a proportion to four places; as a
		// percentage it has two, without binary noise (0.2011 → 20.11).
		pct := math.Round(share*100*1e8) / 1e8
		p.Emit(accord.Observation{IndicatorID: "imd_2025_most_deprived_decile_share", OrgCode: org.Code, Period: iodPeriod, Value: pct}, line)
	}
}
