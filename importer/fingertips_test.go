package importer

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/nhs-accord/accord"
	"github.com/nhs-accord/accord/reference"
)

// ftReference is the real organisation map and catalogue, parsed once.
var ftReference = sync.OnceValues(func() (reference.Data, error) { return reference.Parse() })

func ftOrgs(t testing.TB) *OrgIndex {
	t.Helper()
	d, err := ftReference()
	if err != nil {
		t.Fatal(err)
	}
	return NewOrgIndex(d.Organisations)
}

func ftRead(t testing.TB, path, format string) (Result, error) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	return Read(context.Background(), filepath.Base(path), f, ftOrgs(t), format)
}

// ftCheckValid checks every observation against its indicator, as the store
// will: Read itself does not.
func ftCheckValid(t *testing.T, res Result) {
	t.Helper()
	d, _ := ftReference()
	inds := map[string]accord.Indicator{}
	for _, ind := range d.Indicators {
		inds[ind.ID] = ind
	}
	for _, ind := range res.Indicators {
		if err := ind.Validate(); err != nil {
			t.Errorf("defined indicator: %v", err)
		}
		if _, dup := inds[ind.ID]; dup {
			t.Errorf("indicator %s defined twice, or over a catalogue one", ind.ID)
		}
		inds[ind.ID] = ind
	}
	keys := map[string]string{}
	for i, o := range res.Observations {
		ind, ok := inds[o.IndicatorID]
		if !ok {
			t.Errorf("%s: indicator %s is neither in the catalogue nor defined", res.Refs[i], o.IndicatorID)
			continue
		}
		if err := o.Validate(ind); err != nil {
			t.Errorf("%s: %v", res.Refs[i], err)
		}
		if prev, dup := keys[o.Key()]; dup {
			t.Errorf("%s repeats the key of %s: %s", res.Refs[i], prev, o.Key())
		}
		keys[o.Key()] = res.Refs[i]
	}
}

func ftFind(res Result, indicator, org, period string, b accord.Breakdown) (accord.Observation, string, bool) {
	for i, o := range res.Observations {
		if o.IndicatorID == indicator && o.OrgCode == org && o.Period.String() == accord.MustParsePeriod(period).String() && o.Breakdown == b {
			return o, res.Refs[i], true
		}
	}
	return accord.Observation{}, "", false
}

func ftSkipped(res Result) map[string]int {
	out := map[string]int{}
	for _, s := range res.Skipped {
		out[s.Reason] = s.Count
	}
	return out
}

func ftEqualCounts(t *testing.T, got, want map[string]int) {
	t.Helper()
	for k, v := range want {
		if got[k] != v {
			t.Errorf("skipped %q: %d, want %d", k, got[k], v)
		}
	}
	for k, v := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("skipped %q: %d, not expected", k, v)
		}
	}
}

func deref64(p *float64) float64 {
	if p == nil {
		return -1
	}
	return *p
}

func TestReadFingertipsNext(t *testing.T) {
	res, err := ftRead(t, "testdata/fingertips/fingertipsnext_healthdata_poc_feb2025_subset.csv", "")
	if err != nil {
		t.Fatal(err)
	}
	if res.Format.Name != "fingertips" || res.Format.Layout != "FingertipsNext data extract" || res.Dataset != "ohid-fingertips" {
		t.Errorf("format %s (%s), dataset %s", res.Format.Name, res.Format.Layout, res.Dataset)
	}
	if res.Rows != 7219 || len(res.Observations) != 2172 || len(res.Indicators) != 29 {
		t.Errorf("%d rows, %d observations, %d indicators defined", res.Rows, len(res.Observations), len(res.Indicators))
	}
	// Every row is accounted for: kept, or counted with its reason.
	skipped := ftSkipped(res)
	ftEqualCounts(t, skipped, map[string]int{
		"area type not tracked by Accord":                                                                850, // GP A82003, PCN U01901, Chorley district
		"repeats an earlier row with the same figures":                                                   244,
		"repeats an earlier row with different figures (the first is kept)":                              2,
		"deprivation deciles of whole areas, not of neighbourhoods (LSOAs), are not an Accord breakdown": 2837,
		"no value published": 34,
		"breakdown by a category Accord does not keep (it keeps deprivation deciles and ethnic groups)": 194,
		"deprivation quintiles are not an Accord breakdown (deciles are)":                               110,
		"quarterly and monthly values carry no quarter or month in this layout":                         590, // 91040 NHS Health Checks
		"indicator not in Accord's catalogue and no Fingertips metadata to define it":                   186, // 92026
	})
	total := len(res.Observations)
	for _, n := range skipped {
		total += n
	}
	if total != res.Rows {
		t.Errorf("%d observations and skipped rows for %d rows", total, res.Rows)
	}
	ftCheckValid(t, res)

	// QOF diabetes prevalence (17+) in England, 2018/19, as in the file's
	// second line: 3,319,266 of 47,886,072 registered patients.
	o, ref, ok := ftFind(res, "ft_241", "ENG", "2018/19", accord.Breakdown{AgeBand: "17+"})
	if !ok {
		t.Fatal("no England diabetes prevalence for 2018/19")
	}
	if ref != "fingertipsnext_healthdata_poc_feb2025_subset.csv:2" || o.Value != 6.93158962798202 || deref64(o.Numerator) != 3319266 ||
		deref64(o.Denominator) != 47886072 || deref64(o.LowerCI) != 6.92439909041205 || deref64(o.UpperCI) != 6.93878531830596 || o.CILevel != 95 {
		t.Errorf("England diabetes 2018/19: %+v at %s", o, ref)
	}
	// The ICB's back series is kept on its current code, and the sub-ICB
	// location resolves from its ONS code.
	if o, _, ok := ftFind(res, "ft_241", "QE1", "2018/19", accord.Breakdown{AgeBand: "17+"}); !ok || deref64(o.Numerator) != 105846 {
		t.Errorf("Lancashire and South Cumbria ICB 2018/19: %+v %v", o, ok)
	}
	if o, _, ok := ftFind(res, "ft_241", "00Q", "2018/19", accord.Breakdown{AgeBand: "17+"}); !ok || o.Value != 8.50391021050616 {
		t.Errorf("sub-ICB 00Q 2018/19: %+v %v", o, ok)
	}
	// A calendar-year indicator, a neighbourhood decile and an ethnic group.
	if o, _, ok := ftFind(res, "ft_93553", "ENG", "2019", accord.Breakdown{}); !ok || o.Value != 21.7220870988933 || o.LowerCI != nil {
		t.Errorf("England IMD 2019 score: %+v %v", o, ok)
	}
	if o, _, ok := ftFind(res, "ft_93015", "ENG", "2021/22", accord.Breakdown{AgeBand: "19+", IMDDecile: 1}); !ok || o.Value != 35.1708 || deref64(o.Numerator) != 126 {
		t.Errorf("physical inactivity, most deprived decile: %+v %v", o, ok)
	}
	if o, _, ok := ftFind(res, "ft_92033", "ENG", "2018/19", accord.Breakdown{AgeBand: "10-11", Ethnicity: "White British"}); !ok || o.Value != 19.6 {
		t.Errorf("Year 6 obesity, White British: %+v %v", o, ok)
	}
	// The published 15.6 is rounded more coarsely than its limits (15.52
	// to 15.59): the value is kept as published, the interval left out.
	if o, _, ok := ftFind(res, "ft_93701", "ENG", "2022/23", accord.Breakdown{AgeBand: "<16"}); !ok || o.Value != 15.6 || o.LowerCI != nil || deref64(o.Numerator) != 1645057 {
		t.Errorf("children in low income families 2022/23: %+v %v", o, ok)
	}
	for _, ind := range res.Indicators {
		switch ind.ID {
		case "ft_241":
			if ind.Unit != accord.UnitPercent || ind.Method != accord.MethodProportion || ind.Polarity != accord.NoPolarity || ind.FingertipsID != 241 ||
				ind.Name != "Diabetes prevalence aged 17 years and over (Quality and Outcomes Framework)" {
				t.Errorf("ft_241: %+v", ind)
			}
		case "ft_91344":
			if ind.Unit != accord.UnitRatio || ind.Method != accord.MethodRatio {
				t.Errorf("ft_91344 (indirectly standardised ratio): %+v", ind)
			}
		case "ft_20401":
			if ind.Unit != accord.UnitPer1000 || ind.Polarity != accord.LowerIsBetter {
				t.Errorf("ft_20401 (conceptions per 1,000): %+v", ind)
			}
		case "ft_91040":
			t.Errorf("ft_91040 defined although every row was left out")
		}
	}
}

func TestReadFingertipsAPI(t *testing.T) {
	res, err := ftRead(t, "testdata/fingertips/fingertips_api_relaid.csv", "fingertips")
	if err != nil {
		t.Fatal(err)
	}
	if res.Format.Layout != "Fingertips API CSV" || res.Rows != 44 || len(res.Observations) != 39 {
		t.Errorf("%s: %d rows, %d observations", res.Format.Layout, res.Rows, len(res.Observations))
	}
	ftEqualCounts(t, ftSkipped(res), map[string]int{
		"no value published":              2, // City of London 2009-11, "NA" in the source
		"area type not tracked by Accord": 2, // GP A82003, Chorley district
		"deprivation deciles of whole areas, not of neighbourhoods (LSOAs), are not an Accord breakdown": 1,
	})
	ftCheckValid(t, res)
	// Healthy life expectancy is the catalogue's own indicator: nothing is
	// defined for it. Luton, women, 2009-11: 59.7 years, worse than England.
	o, _, ok := ftFind(res, "healthy_life_expectancy_birth", "E06000032", "2009 - 11", accord.Breakdown{Sex: "female"})
	if !ok || o.Value != 59.7 || o.Comparison != "Worse" {
		t.Errorf("Luton female HLE 2009-11: %+v %v", o, ok)
	}
	if o, _, ok := ftFind(res, "healthy_life_expectancy_birth", "ENG", "2016 - 18", accord.Breakdown{Sex: "male"}); !ok || o.Value != 63.4 {
		t.Errorf("England male HLE 2016-18: %+v %v", o, ok)
	}
	if o, _, ok := ftFind(res, "ft_93553", "QE1", "2019", accord.Breakdown{}); !ok || o.Value != 25.9982715274201 {
		t.Errorf("Lancashire and South Cumbria IMD 2019 score: %+v %v", o, ok)
	}
	if o, _, ok := ftFind(res, "ft_241", "00Q", "2018/19", accord.Breakdown{AgeBand: "17+"}); !ok || deref64(o.Denominator) != 141041 || o.CILevel != 95 {
		t.Errorf("00Q diabetes 2018/19: %+v %v", o, ok)
	}
	var ids []string
	for _, ind := range res.Indicators {
		ids = append(ids, ind.ID)
	}
	if strings.Join(ids, ",") != "ft_241,ft_93553,ft_93701" {
		t.Errorf("defined %v", ids)
	}
}

func TestReadFingertipsRExtract(t *testing.T) {
	for _, tc := range []struct {
		file                   string
		rows, obs              int
		skipped                map[string]int
		indicator, org, period string
		sex                    string
		value                  float64
	}{
		{"trafforddatalab_healthy_life_expectancy_at_birth_utla.csv", 2454, 2288,
			map[string]int{"area not known to Accord for the period": 122, "no value published": 32, "area type not tracked by Accord": 12},
			"healthy_life_expectancy_birth", "E06000032", "2009 - 11", "female", 59.7},
		{"trafforddatalab_sii_life_expectancy_utla.csv", 1848, 1703,
			map[string]int{"area not known to Accord for the period": 96, "no value published": 37, "area type not tracked by Accord": 12},
			"life_expectancy_sii", "ENG", "2015 - 17", "male", 9.4},
	} {
		t.Run(tc.file, func(t *testing.T) {
			res, err := ftRead(t, "testdata/fingertips/"+tc.file, "")
			if err != nil {
				t.Fatal(err)
			}
			if res.Format.Layout != "fingertipsR extract" || res.Rows != tc.rows || len(res.Observations) != tc.obs || len(res.Indicators) != 0 {
				t.Errorf("%s: %d rows, %d observations, %d defined", res.Format.Layout, res.Rows, len(res.Observations), len(res.Indicators))
			}
			ftEqualCounts(t, ftSkipped(res), tc.skipped)
			ftCheckValid(t, res)
			o, _, ok := ftFind(res, tc.indicator, tc.org, tc.period, accord.Breakdown{Sex: tc.sex})
			if !ok || o.Value != tc.value || o.Period.Kind() != accord.PeriodRolling {
				t.Errorf("%s %s %s: %+v %v", tc.indicator, tc.org, tc.period, o, ok)
			}
		})
	}
}

// TestReadFingertipsBadFiles reads the malformed corpus: each file gives its
// exact error, or (for those that are fine) imports as expected.
// badFile is one file of a malformed-file corpus and what reading it must
// give: its exact error, or, for a file that imports, its observations and
// what was left out.
type badFile struct {
	file    string
	want    string
	obs     int
	skipped map[string]int
}

func (tc badFile) check(t *testing.T, dir, format string) {
	t.Helper()
	res, err := ftRead(t, filepath.Join(dir, tc.file), format)
	if tc.want != "" {
		if err == nil {
			t.Fatalf("no error; want %s", tc.want)
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
	if len(res.Observations) != tc.obs {
		t.Errorf("%d observations, want %d", len(res.Observations), tc.obs)
	}
	ftEqualCounts(t, ftSkipped(res), tc.skipped)
	ftCheckValid(t, res)
}

func TestReadFingertipsBadFiles(t *testing.T) {
	for _, tc := range []badFile{
		{file: "next_wrong_header.csv", want: "next_wrong_header.csv:1: the header is not one of the fingertips layouts; expected:\n" +
			"  fingertips (Fingertips API CSV): " + FingertipsAPIHeader + " (Indicator ID, Area Code, Sex, Age, Time period and Value are required)\n" +
			"  fingertips (FingertipsNext data extract): IndicatorId,Year,AgeID,SexID,AreaCode,Count,Value,LowerCI,UpperCI,Denominator,Trend,Sex,Age,CategoryType,Category\n" +
			"  fingertips (fingertipsR extract): area_code,area_name,period,value,indicator,measure,unit,group,significance\n" +
			"found: IndicatorId,Yr,AgeID,SexID,AreaCode,Count,Val,LowerCI,UpperCI,Denominator,Trend,Sex,Age,CategoryType,Category"},
		{file: "next_bom_crlf.csv", obs: 2, skipped: map[string]int{"area type not tracked by Accord": 1}},
		{file: "next_blank_lines.csv", obs: 2},
		{file: "next_quoted_commas.csv", obs: 2, skipped: map[string]int{
			"deprivation deciles of whole areas, not of neighbourhoods (LSOAs), are not an Accord breakdown": 1,
			"breakdown by a category Accord does not keep (it keeps deprivation deciles and ethnic groups)":  1}},
		{file: "next_unknown_area.csv", obs: 1, skipped: map[string]int{"area not known to Accord for the period": 1, "area type not tracked by Accord": 1}},
		{file: "next_conflicting_repeat.csv", obs: 2, skipped: map[string]int{"repeats an earlier row with different figures (the first is kept)": 1}},
		{file: "next_truncated.csv", want: `next_truncated.csv:3:112: extraneous or missing " in quoted-field (is a quote missing, or is the last line cut short?)`},
		{file: "next_negative_count.csv", want: "next_negative_count.csv:3:6: Count -105846 is negative"},
		{file: "next_numerator_over_denominator.csv", want: "next_numerator_over_denominator.csv:3:6: Count 1474530 is more than the Denominator 1474529"},
		{file: "next_bad_year.csv", want: `next_bad_year.csv:2:2: Year "2018/19" is not a year`},
		{file: "next_not_utf8.csv", want: `next_not_utf8.csv:2:97: column 12 is not UTF-8 text ("Pers` + "\uFFFD" + `ns"): save the file as UTF-8 CSV`},
		{file: "next_not_a_number.csv", want: `next_not_a_number.csv:2:7: Value "6,93" is not a number`},
		{file: "next_percentage_over_100.csv", want: "next_percentage_over_100.csv:2:7: Value 106.9 is not a percentage between 0 and 100"},
		{file: "api_bad_period.csv", want: `api_bad_period.csv:3:12: Time period "2009 to 2011" is not a Fingertips period (such as 2021 - 23, 2023, 2023/24 or 2023/24 Q1)`},
		{file: "api_interval.csv", want: "api_interval.csv:2:14: the interval 6.92439909041205 to 6.90 does not contain the value 6.93158962798202"},
		{file: "api_duplicate.csv", want: "api_duplicate.csv:4: repeats line 2 (healthy_life_expectancy_birth for E06000032 in 2009-2011 (Female)) with a different value: 59.8, not 59.7"},
		{file: "api_short_row.csv", want: "api_short_row.csv:3: has 12 columns; the header has 26"},
		{file: "api_bad_indicator.csv", want: `api_bad_indicator.csv:3:1: Indicator ID "HLE" is not a Fingertips indicator number`},
		{file: "api_financial_span.csv", obs: 1, skipped: map[string]int{"spans of financial years have no Accord period": 1}},
		{file: "trafford_unknown_indicator.csv", want: `trafford_unknown_indicator.csv:3:5: indicator "Disability-free life expectancy at birth" is not one Accord reads from this layout: ` +
			`the known ones are "Healthy life expectancy at birth", "Inequality in life expectancy at birth", "Life expectancy at birth"`},
		{file: "trafford_bad_group.csv", want: `trafford_bad_group.csv:2:8: group "Both" must be Persons, Male or Female`},
		{file: "trafford_bad_period.csv", want: `trafford_bad_period.csv:2:3: period "2009-21" is not a rolling period such as 2009-11, nor a year`},
		{file: "trafford_na.csv", obs: 1, skipped: map[string]int{"no value published": 1}},
	} {
		t.Run(tc.file, func(t *testing.T) { tc.check(t, "testdata/fingertips/bad", "fingertips") })
	}
}

// The bad files cover every case listed for a format's corpus.
func TestFingertipsBadCorpusComplete(t *testing.T) {
	files, _ := filepath.Glob("testdata/fingertips/bad/*.csv")
	if len(files) != 23 {
		t.Errorf("%d files in testdata/fingertips/bad; the table reads 23", len(files))
	}
}

// Each of these real headers is taken by exactly one registered layout.
func TestFingertipsDetectUnambiguous(t *testing.T) {
	for _, path := range []string{
		"testdata/fingertips/fingertips_api_relaid.csv",
		"testdata/fingertips/fingertipsnext_healthdata_poc_feb2025_subset.csv",
		"testdata/fingertips/trafforddatalab_healthy_life_expectancy_at_birth_utla.csv",
		"testdata/fingertips/trafforddatalab_sii_life_expectancy_utla.csv",
		"testdata/iod/iod2025_icb24_summaries.csv",
	} {
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		rows, err := newCSVRows(f, path)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		var took []string
		for _, fm := range Formats() {
			if fm.Detect(rows.Header()) {
				took = append(took, fm.Name+" ("+fm.Layout+")")
			}
		}
		if len(took) != 1 {
			t.Errorf("%s: taken by %v", path, took)
		}
	}
	// fingertipsR's fingertips_data() names the API's columns without spaces.
	h := strings.Split(strings.ReplaceAll(FingertipsAPIHeader, " ", ""), ",")
	if f, err := choose("f.csv", "", h); err != nil || f.Layout != "Fingertips API CSV" {
		t.Errorf("fingertipsR column names: %v %v", f, err)
	}
}

func TestFingertipsPeriod(t *testing.T) {
	for _, tc := range []struct{ in, want, skip, err string }{
		{in: "2021 - 23", want: "2021 - 23"},
		{in: "2009-11", want: "2009 - 11"},
		{in: "1999 - 01", want: "1999 - 2001"},
		{in: "2023", want: "2023"},
		{in: "2023/24", want: "2023/24"},
		{in: "2023/24 Q2", want: "2023/24 Q2"},
		{in: "June 2020", want: "2020-06"},
		{in: "Jun 2020", want: "2020-06"},
		{in: "2014/15 - 18/19", skip: "spans of financial years have no Accord period"},
		{in: "2020 Q1", skip: "calendar quarters have no Accord period"},
		{in: "2021 - 2045", err: `Time period "2021 - 2045": rolling period`},
		{in: "2020-06", err: `Time period "2020-06": rolling period 2020 to 2106`},
		{in: "last year", err: `Time period "last year" is not a Fingertips period`},
	} {
		p, skip, err := fingertipsPeriod(tc.in)
		switch {
		case tc.err != "":
			if err == nil || !strings.HasPrefix(err.Error(), tc.err) {
				t.Errorf("%q: error %v, want %s", tc.in, err, tc.err)
			}
		case tc.skip != "":
			if skip != tc.skip || err != nil {
				t.Errorf("%q: skip %q %v", tc.in, skip, err)
			}
		default:
			if err != nil || skip != "" || p != accord.MustParsePeriod(tc.want) {
				t.Errorf("%q: %v %q %v, want %s", tc.in, p, skip, err, tc.want)
			}
		}
	}
}

func TestFingertipsNextPeriod(t *testing.T) {
	meta := func(periodType, freq string) *ftMeta { return &ftMeta{PeriodType: periodType, Frequency: freq} }
	for _, tc := range []struct {
		meta       *ftMeta
		want, skip string
	}{
		{meta("Calendar", "annually"), "2018", ""},
		{meta("Financial", "annually"), "2018/19", ""},
		{meta("Academic", "annually"), "2018/19", ""},
		{meta("Yearly", "annually"), "2018/19", ""},
		{meta("Financial year end point", "annually"), "2018/19", ""},
		{meta("Financial multi-year", "quarterly"), "", "quarterly and monthly values carry no quarter or month in this layout"},
		{meta("Financial multi-year", "annually"), "", "spans of financial years have no Accord period"},
		{meta("Financial", "monthly"), "", "quarterly and monthly values carry no quarter or month in this layout"},
		{meta("Fortnightly", "annually"), "", "period type Accord does not know"},
	} {
		p, skip := fingertipsNextPeriod(2018, tc.meta, accord.Indicator{})
		if skip != tc.skip || (tc.want != "" && p != accord.MustParsePeriod(tc.want)) {
			t.Errorf("%+v: %v %q, want %s %q", *tc.meta, p, skip, tc.want, tc.skip)
		}
	}
	if p, skip := fingertipsNextPeriod(2018, nil, accord.Indicator{Frequency: accord.Annual}); skip != "" || p != accord.CalendarYear(2018) {
		t.Errorf("catalogue annual indicator without metadata: %v %q", p, skip)
	}
}

func TestFingertipsBreakdownText(t *testing.T) {
	for in, want := range map[string]string{"All ages": "", "Not applicable": "", "65+ yrs": "65+", "17+ yrs": "17+", "0-4 yrs": "0-4",
		"<18 yrs": "<18", "2 yrs": "2", "85-89 yrs": "85-89"} {
		if got, ok := fingertipsAge(in); !ok || got != want {
			t.Errorf("age %q: %q %v, want %q", in, got, ok, want)
		}
	}
	if _, ok := fingertipsAge("Reception"); ok {
		t.Error("age Reception read as a band")
	}
	for in, want := range map[string]int{"Most deprived decile": 1, "Second most deprived decile (IMD2019)": 2, "Third more deprived decile": 3,
		"Fifth more deprived decile": 5, "Fifth less deprived decile": 6, "Second least deprived decile (IMD2015)": 9, "Least deprived decile": 10} {
		if got, ok := fingertipsDecile(in); !ok || got != want {
			t.Errorf("decile %q: %d %v, want %d", in, got, ok, want)
		}
	}
	if _, ok := fingertipsDecile("Most deprived quintile"); ok {
		t.Error("a quintile read as a decile")
	}
	for s, want := range map[string]bool{"Ethnic groups": true, "LSOA11 deprivation deciles within area (IMD  trend)": true,
		`"CCG deprivation deciles in England (IMD2019, 2021 CCGs)"`: true, "Socioeconomic class": true,
		"Most deprived decile": false, "Mixed / Multiple ethnic groups": false, "White British": false} {
		if ftLooksLikeCategoryType(s) != want {
			t.Errorf("%q looks like a category type: %v", s, !want)
		}
	}
	if !fingertipsSameNumber("20.0558", "20.0558045901172") || fingertipsSameNumber("20.3684", "20.3652178247431") || !fingertipsSameNumber("", "") {
		t.Error("fingertipsSameNumber")
	}
}

func TestDefineFingertips(t *testing.T) {
	metas, err := fingertipsMetadata()
	if err != nil {
		t.Fatal(err)
	}
	if len(metas) != 37 {
		t.Errorf("%d indicators in the embedded list, want 37", len(metas))
	}
	for id, m := range metas {
		ind, why := defineFingertips(m)
		if why != "" {
			t.Errorf("%d: %s", id, why)
			continue
		}
		if err := ind.Validate(); err != nil {
			t.Errorf("%d: %v", id, err)
		}
	}
	for _, tc := range []struct {
		valueType string
		unit      accord.Unit
		method    accord.Method
	}{
		{"Proportion", accord.UnitPercent, accord.MethodProportion},
		{"Crude rate", accord.UnitPer100k, accord.MethodRate},
		{"Directly standardised rate", accord.UnitPer100k, accord.MethodDSR},
		{"Life expectancy", accord.UnitYears, accord.MethodLifeExpectancy},
		{"Count", accord.UnitCount, accord.MethodCount},
		{"Score", accord.UnitScore, accord.MethodScore},
		{"Indirectly standardised ratio", accord.UnitRatio, accord.MethodRatio},
		{"Indirectly standardised proportion", accord.UnitPercent, accord.MethodRatio},
	} {
		ind, why := defineFingertips(ftMeta{ID: 1, Name: "x", ValueType: tc.valueType, Polarity: "RAG - High is good", Frequency: "annually"})
		if why != "" || ind.Unit != tc.unit || ind.Method != tc.method || ind.Polarity != accord.HigherIsBetter || ind.ID != "ft_1" {
			t.Errorf("%s: %+v %q", tc.valueType, ind, why)
		}
	}
	if _, why := defineFingertips(ftMeta{ID: 1, Name: "x", ValueType: "Mean"}); why == "" {
		t.Error("a Mean value type was given a unit")
	}
}

func FuzzReadFingertips(f *testing.F) {
	for _, path := range []string{"testdata/fingertips/fingertips_api_relaid.csv", "testdata/fingertips/trafforddatalab_sii_life_expectancy_utla.csv"} {
		b, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		lines := strings.SplitAfter(string(b), "\n")
		f.Add(strings.Join(lines[:min(12, len(lines))], ""))
	}
	b, err := os.ReadFile("testdata/fingertips/fingertipsnext_healthdata_poc_feb2025_subset.csv")
	if err != nil {
		f.Fatal(err)
	}
	lines := strings.SplitAfter(string(b), "\n")
	f.Add(strings.Join(lines[:40], ""))
	f.Add(lines[0] + strings.Join(lines[2010:2030], ""))
	bad, _ := filepath.Glob("testdata/fingertips/bad/*.csv")
	for _, path := range bad {
		b, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b))
	}
	f.Add("Indicator ID,Area Code,Sex,Age,Time period,Value\n90362,E92000001,Male,All ages,2021 - 23,\"63\n")
	f.Add("IndicatorId,Year,AreaCode,Sex,Age,Value\n241,2018,E92000001,Persons,17+ yrs,-1\n")
	f.Add("")
	orgs := ftOrgs(f)
	f.Fuzz(func(t *testing.T, in string) {
		res, err := Read(context.Background(), "fuzz.csv", strings.NewReader(in), orgs, "fingertips")
		if err != nil {
			if accord.ErrorCode(err) != accord.EINVALID || !strings.HasPrefix(err.Error(), "fuzz.csv:") {
				t.Fatalf("error without a place or code: %v", err)
			}
			return
		}
		for i, o := range res.Observations {
			if o.Period.IsZero() || o.OrgCode == "" || o.IndicatorID == "" || !strings.HasPrefix(res.Refs[i], "fuzz.csv:") {
				t.Fatalf("bad observation %+v at %s", o, res.Refs[i])
			}
		}
	})
}
