// Package sample loads the real published statistics that ship with Accord
// for its demo: four months of A&E performance for England and every ICB,
// deprivation for every ICB, and healthy life expectancy and its inequality
// gap for England and its upper-tier local authorities. Each file is turned
// into observations and written in one all-or-nothing batch.
package sample

import (
	"bytes"
	"context"
	"embed"
	"encoding/csv"
	"fmt"
	"strconv"
	"strings"

	"github.com/nhs-accord/accord"
)

//go:embed data
var files embed.FS

// FileResult says what loading one file did.
type FileResult struct {
	File         string
	Observations int
	Skipped      int    // rows for areas Accord does not track, or with no value
	SkipReason   string // why rows were skipped
	AlreadyHeld  bool   // the file was loaded before, so nothing was written
}

type loader struct {
	file   string
	source string
	build  func(rows [][]string, col func(string) int, orgs orgIndex) (obs []accord.Observation, skipped int, reason string, err error)
}

var loaders = []loader{
	{"ae_by_icb_nov2023_feb2024.csv", "NHS England: A&E Attendances and Emergency Admissions monthly statistics, System Level Data", buildAE},
	{"iod2025_icb24_summaries.csv", "MHCLG: English Indices of Deprivation 2025, File 13 (ICB summaries)", buildIoD},
	{"healthy_life_expectancy_at_birth_utla.csv", "OHID Fingertips indicator 90362 (ONS), via Trafford Data Lab", buildFingertips("healthy_life_expectancy_birth")},
	{"sii_life_expectancy_utla.csv", "OHID Fingertips indicator 92901, via Trafford Data Lab", buildFingertips("life_expectancy_sii")},
}

// orgIndex resolves the codes a publication uses (ODS, or current or
// earlier ONS codes) to Accord's organisation codes.
type orgIndex map[string]string

func newOrgIndex(ctx context.Context, st accord.Store) (orgIndex, error) {
	orgs, _, err := st.FindOrganisations(ctx, accord.OrganisationFilter{})
	if err != nil {
		return nil, err
	}
	idx := orgIndex{"-": accord.EnglandCode}
	for _, o := range orgs {
		idx[o.Code] = o.Code
		if o.ONSCode != "" {
			idx[o.ONSCode] = o.Code
		}
		for _, s := range o.ONSCodes {
			idx[s.ONSCode] = o.Code
		}
	}
	return idx, nil
}

// Load writes every sample file's observations to st. A file already loaded
// is left alone, so the demo can reuse its database.
func Load(ctx context.Context, st accord.Store) ([]FileResult, error) {
	idx, err := newOrgIndex(ctx, st)
	if err != nil {
		return nil, err
	}
	var results []FileResult
	for _, l := range loaders {
		b, err := files.ReadFile("data/" + l.file)
		if err != nil {
			return results, err
		}
		recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\xef\xbb\xbf")))).ReadAll()
		if err != nil {
			return results, fmt.Errorf("%s: %w", l.file, err)
		}
		if len(recs) < 2 {
			return results, fmt.Errorf("%s:1: no data rows", l.file)
		}
		header := map[string]int{}
		for i, h := range recs[0] {
			header[strings.TrimSpace(h)] = i
		}
		var missing []string
		col := func(name string) int {
			i, ok := header[name]
			if !ok {
				missing = append(missing, name)
			}
			return i
		}
		// A first pass with no rows only looks up columns, so a changed
		// header is reported before any row is read.
		if _, _, _, err := l.build(nil, col, idx); err != nil || len(missing) > 0 {
			return results, fmt.Errorf("%s:1: missing columns %s", l.file, strings.Join(missing, ", "))
		}
		obs, skipped, reason, err := l.build(recs[1:], col, idx)
		if err != nil {
			return results, fmt.Errorf("%s:%w", l.file, err)
		}
		res := FileResult{File: l.file, Observations: len(obs), Skipped: skipped, SkipReason: reason}
		for i := range obs {
			obs[i].Source = l.source
			if obs[i].Status == "" {
				obs[i].Status = accord.Final
			}
		}
		held, err := alreadyHeld(ctx, st, obs[0])
		if err != nil {
			return results, err
		}
		if held {
			res.AlreadyHeld = true
		} else if err := st.AddObservations(ctx, obs); err != nil {
			return results, fmt.Errorf("%s: %w", l.file, err)
		}
		results = append(results, res)
	}
	return results, nil
}

func alreadyHeld(ctx context.Context, st accord.Store, o accord.Observation) (bool, error) {
	_, n, err := st.FindObservations(ctx, accord.ObservationFilter{IndicatorID: o.IndicatorID, OrgCodes: []string{o.OrgCode},
		From: o.Period, To: o.Period, Breakdown: o.Breakdown, Limit: 1})
	return n > 0, err
}

// rowErr formats an error at data row i (0 after the header) for Load to
// prefix with the file name.
func rowErr(i int, format string, args ...any) error {
	return fmt.Errorf("%d: %s", i+2, fmt.Sprintf(format, args...))
}

func number(row []string, i, line int, name string) (float64, error) {
	s := strings.TrimSpace(row[i])
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, rowErr(line, "%s: %q is not a number", name, s)
	}
	return v, nil
}

func buildAE(rows [][]string, col func(string) int, orgs orgIndex) ([]accord.Observation, int, string, error) {
	const (
		attAll   = "A&E attendances: Total attendances"
		attT1    = "A&E attendances: Type 1 Departments - Major A&E"
		in4All   = "A&E attendances < 4 hours from arrival to admission, transfer or discharge: Total Attendances < 4 hours"
		in4T1    = "A&E attendances < 4 hours from arrival to admission, transfer or discharge: Type 1 Departments - Major A&E"
		dta12    = "Emergency Admissions: Number of patients spending >12 hours from decision to admit to admission"
		emAdmits = "Emergency Admissions: Total Emergency Admissions"
	)
	cPeriod, cCode := col("Period"), col("Code")
	cols := map[string]int{attAll: col(attAll), attT1: col(attT1), in4All: col(in4All), in4T1: col(in4T1), dta12: col(dta12), emAdmits: col(emAdmits)}
	var out []accord.Observation
	for i, r := range rows {
		p, err := accord.ParsePeriod(r[cPeriod])
		if err != nil {
			return nil, 0, "", rowErr(i, "%v", err)
		}
		code, ok := orgs[strings.TrimSpace(r[cCode])]
		if !ok {
			return nil, 0, "", rowErr(i, "organisation %q is not known", r[cCode])
		}
		v := map[string]float64{}
		for name, c := range cols {
			if v[name], err = number(r, c, i, name); err != nil {
				return nil, 0, "", err
			}
		}
		base := accord.Observation{OrgCode: code, Period: p}
		add := func(ind string, value float64, num, den *float64) {
			o := base
			o.IndicatorID, o.Value, o.Numerator, o.Denominator = ind, value, num, den
			out = append(out, o)
		}
		add("ae_4h_all", 100*v[in4All]/v[attAll], accord.Float(v[in4All]), accord.Float(v[attAll]))
		if v[attT1] > 0 {
			add("ae_4h_type1", 100*v[in4T1]/v[attT1], accord.Float(v[in4T1]), accord.Float(v[attT1]))
		}
		add("ae_attendances", v[attAll], nil, nil)
		add("ae_12h_dta", v[dta12], nil, nil)
		add("emergency_admissions", v[emAdmits], nil, nil)
	}
	return out, 0, "", nil
}

func buildIoD(rows [][]string, col func(string) int, orgs orgIndex) ([]accord.Observation, int, string, error) {
	cCode, cScore, cShare := col("icb24_code"), col("imd_average_score"), col("imd_proportion_of_lso_as_in_most_deprived_10_percent_nationally")
	period := accord.CalendarYear(2025)
	var out []accord.Observation
	for i, r := range rows {
		code, ok := orgs[strings.TrimSpace(r[cCode])]
		if !ok {
			return nil, 0, "", rowErr(i, "ICB %q is not known", r[cCode])
		}
		score, err := number(r, cScore, i, "imd_average_score")
		if err != nil {
			return nil, 0, "", err
		}
		share, err := number(r, cShare, i, "imd_proportion_of_lso_as_in_most_deprived_10_percent_nationally")
		if err != nil {
			return nil, 0, "", err
		}
		out = append(out,
			accord.Observation{IndicatorID: "imd_2025_score", OrgCode: code, Period: period, Value: score},
			accord.Observation{IndicatorID: "imd_2025_most_deprived_decile_share", OrgCode: code, Period: period, Value: 100 * share})
	}
	return out, 0, "", nil
}

// buildFingertips reads the fingertipsR-derived layout (area_code, period,
// value, group = sex). Areas Accord does not track — pre-2019 county codes
// and combined authorities — are counted, not loaded.
func buildFingertips(indicator string) func([][]string, func(string) int, orgIndex) ([]accord.Observation, int, string, error) {
	return func(rows [][]string, col func(string) int, orgs orgIndex) ([]accord.Observation, int, string, error) {
		cCode, cPeriod, cValue, cGroup := col("area_code"), col("period"), col("value"), col("group")
		var out []accord.Observation
		skipped := 0
		for i, r := range rows {
			code, ok := orgs[strings.TrimSpace(r[cCode])]
			if !ok || strings.TrimSpace(r[cValue]) == "NA" {
				skipped++
				continue
			}
			p, err := accord.ParsePeriod(r[cPeriod])
			if err != nil {
				return nil, 0, "", rowErr(i, "%v", err)
			}
			v, err := number(r, cValue, i, "value")
			if err != nil {
				return nil, 0, "", err
			}
			sex := strings.ToLower(strings.TrimSpace(r[cGroup]))
			if sex == "persons" {
				sex = accord.SexPersons
			}
			out = append(out, accord.Observation{IndicatorID: indicator, OrgCode: code, Period: p, Value: v,
				Breakdown: accord.Breakdown{Sex: sex}})
		}
		return out, skipped, "areas Accord does not track (boundaries before 2019, combined authorities) or no published value", nil
	}
}
