package importer

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/nhs-accord/accord"
	"github.com/nhs-accord/accord/reference"
)

// OHID publishes its public health indicators through Fingertips. Three
// layouts of the same figures reach Accord, each registered as "fingertips":
//
//   - The Fingertips API CSV (fingertips.phe.org.uk/api/all_data/csv/…),
//     which fingertipsR's fingertips_data mirrors with the spaces taken out
//     of the column names. Its header is the one Fingertips' own service
//     tests assert (PholioVisualisation.ServicesWebTest DataControllerTest
//     .HeaderText: "Indicator ID,Indicator Name,Parent Code,…,Compared to
//     goal"); later exports add "Time period range" and name the second
//     comparison column after the parent area type, so only the columns
//     Accord reads are required.
//   - The FingertipsNext data extract (IndicatorId,Year,AgeID,…), which
//     carries no indicator metadata: that comes from the FingertipsNext
//     indicator list embedded here (fingertips_indicators.csv).
//   - The fingertipsR-derived extract many local analysts keep
//     (area_code,area_name,period,value,indicator,…,group,significance),
//     which names its indicator in words.
//
// Indicators are matched to Accord's catalogue by Fingertips ID; one the
// catalogue lacks is defined from the published metadata as ft_<id>. Areas
// are resolved by ONS code; GP practices, PCNs, districts and the other
// area types Accord does not track are counted as skipped, as are rows
// with no value and breakdowns Accord has no place for.
//
// Breakdowns: Persons is the whole population, Male and Female are sexes;
// "All ages" is no age band and "65+ yrs" is the band 65+ (a catalogue
// indicator's own age, such as under-75 mortality's "<75 yrs", is its whole
// population); deciles of neighbourhoods (LSOA deprivation deciles, in
// England or within the area) are IMD deciles 1 (most deprived) to 10;
// ethnic groups keep the publisher's label. Deciles of whole areas (County
// & UA, District & UA, CCG, GP), quintiles and other categories (socio-
// economic class, disability, …) are skipped with their reason.

//go:embed fingertips_indicators.csv
var fingertipsIndicatorsCSV []byte

// Column names are compared with spaces removed and in lower case, so the
// API's "Indicator ID" and fingertipsR's "IndicatorID" are one column.
func ftNorm(s string) string {
	return strings.ToLower(strings.ReplaceAll(strings.TrimSpace(s), " ", ""))
}

func ftColumns(header []string) columns {
	h := make([]string, len(header))
	for i, s := range header {
		h[i] = ftNorm(s)
	}
	return newColumns(h, false)
}

// The columns each layout must have (normalised by ftNorm).
var (
	ftAPIRequired      = []string{"indicatorid", "areacode", "sex", "age", "timeperiod", "value"}
	ftNextRequired     = []string{"indicatorid", "year", "areacode", "sex", "age", "value"}
	ftTraffordRequired = []string{"area_code", "period", "value", "indicator", "group"}
)

// FingertipsAPIHeader is the header of a Fingertips API all_data CSV export.
const FingertipsAPIHeader = "Indicator ID,Indicator Name,Parent Code,Parent Name,Area Code,Area Name,Area Type,Sex,Age," +
	"Category Type,Category,Time period,Value,Lower CI 95.0 limit,Upper CI 95.0 limit,Lower CI 99.8 limit,Upper CI 99.8 limit," +
	"Count,Denominator,Value note,Recent Trend,Compared to England value or percentiles,Compared to Region value or percentiles," +
	"Time period Sortable,New data,Compared to goal"

func init() {
	for _, f := range []*Format{
		{
			Layout: "Fingertips API CSV",
			Detect: func(h []string) bool {
				c := ftColumns(h)
				return c.has(ftAPIRequired...) && !c.has("year")
			},
			Expect: FingertipsAPIHeader + " (Indicator ID, Area Code, Sex, Age, Time period and Value are required)",
			Parse:  func(p *Parse) error { return newFTParse(p, ftAPI).run() },
		},
		{
			Layout: "FingertipsNext data extract",
			Detect: func(h []string) bool {
				c := ftColumns(h)
				return c.has(ftNextRequired...) && !c.has("timeperiod")
			},
			Expect: "IndicatorId,Year,AgeID,SexID,AreaCode,Count,Value,LowerCI,UpperCI,Denominator,Trend,Sex,Age,CategoryType,Category",
			Parse:  func(p *Parse) error { return newFTParse(p, ftNext).run() },
		},
		{
			Layout: "fingertipsR extract",
			Detect: func(h []string) bool { return ftColumns(h).has(ftTraffordRequired...) },
			Expect: "area_code,area_name,period,value,indicator,measure,unit,group,significance",
			Parse:  func(p *Parse) error { return newFTParse(p, ftTrafford).run() },
		},
	} {
		f.Name, f.Publisher, f.Dataset, f.National = "fingertips", "OHID (Fingertips)", "ohid-fingertips", true
		register(f)
	}
}

type ftLayout int

const (
	ftAPI ftLayout = iota
	ftNext
	ftTrafford
)

// ftMeta is one row of the FingertipsNext indicator list.
type ftMeta struct {
	ID         int
	Polarity   string // High is good, Low is good, No judgement, or empty
	Benchmark  string // BenchmarkComparisonMethod
	ValueType  string // Proportion, Crude rate, Directly standardised rate, …
	Name       string
	PeriodType string // Calendar, Financial, Financial multi-year, Yearly, Academic, Financial year end point
	Frequency  string // annually, quarterly, monthly
}

// fingertipsMetadata reads the embedded indicator list once.
var fingertipsMetadata = sync.OnceValues(func() (map[int]ftMeta, error) {
	return parseFingertipsMetadata(bytes.NewReader(fingertipsIndicatorsCSV))
})

func parseFingertipsMetadata(r io.Reader) (map[int]ftMeta, error) {
	rows, err := newCSVRows(r, "fingertips_indicators.csv")
	if err != nil {
		return nil, err
	}
	c := ftColumns(rows.Header())
	need := []string{"indicatorid", "polarity", "valuetype", "indicatorname", "periodtype", "frequency"}
	if m := c.missing(need...); len(m) > 0 {
		return nil, fmt.Errorf("fingertips_indicators.csv: missing columns %s", strings.Join(m, ", "))
	}
	get := func(row []string, name string) string {
		if i := c.at(name); i >= 0 && i < len(row) {
			return strings.TrimSpace(row[i])
		}
		return ""
	}
	out := map[int]ftMeta{}
	for {
		row, line, err := rows.Next()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		id, err := strconv.Atoi(get(row, "indicatorid"))
		if err != nil {
			return nil, fmt.Errorf("fingertips_indicators.csv:%d: IndicatorID %q is not a number", line, get(row, "indicatorid"))
		}
		out[id] = ftMeta{ID: id, Polarity: get(row, "polarity"), Benchmark: get(row, "benchmarkcomparisonmethod"),
			ValueType: get(row, "valuetype"), Name: get(row, "indicatorname"), PeriodType: get(row, "periodtype"),
			Frequency: get(row, "frequency")}
	}
}

// fingertipsCatalogue maps Fingertips IDs to Accord's own indicators, from
// the shipped catalogue's fingertips_id column.
var fingertipsCatalogue = sync.OnceValues(func() (map[int]accord.Indicator, error) {
	d, err := reference.Parse()
	if err != nil {
		return nil, err
	}
	out := map[int]accord.Indicator{}
	for _, ind := range d.Indicators {
		if ind.FingertipsID != 0 {
			out[ind.FingertipsID] = ind
		}
	}
	return out, nil
})

// catalogueOwnAge is the age group a catalogue indicator is defined on,
// when it is not all ages: Fingertips publishes it in the Age column, but
// for Accord it is the indicator's whole population, not a breakdown.
var catalogueOwnAge = map[string]string{"mortality_under75_all_causes": "<75"}

// ftPer1000 lists crude rates Fingertips publishes per 1,000 rather than
// per 100,000 (its metadata has no unit column).
var ftPer1000 = map[int]bool{
	20401: true, // conceptions in women aged under 18 per 1,000 women aged 15 to 17
	92266: true, // general fertility rate: live births per 1,000 women aged 15 to 44
}

// defineFingertips builds an Accord indicator from Fingertips metadata. It
// returns a reason when the value type has no Accord unit. Fingertips'
// indicators are mostly outcomes of public health, so they are tagged
// outcome and preventative, except counts and scores (populations,
// deprivation), which describe an area and are tagged context.
func defineFingertips(m ftMeta) (accord.Indicator, string) {
	ind := accord.Indicator{
		ID:           fmt.Sprintf("ft_%d", m.ID),
		Name:         m.Name,
		Area:         "population_health",
		Definition:   fmt.Sprintf("%s: OHID Fingertips indicator %d (%s), as published.", m.Name, m.ID, strings.ToLower(m.ValueType)),
		Numerator:    "The count Fingertips publishes with each value",
		Denominator:  "The denominator Fingertips publishes with each value",
		Source:       fmt.Sprintf("OHID: Fingertips indicator %d", m.ID),
		SourceURL:    "https://fingertips.phe.org.uk/",
		FingertipsID: m.ID,
		Tags:         []accord.Tag{accord.TagOutcome, accord.TagPreventative},
	}
	if ind.Name == "" {
		ind.Name = fmt.Sprintf("Fingertips indicator %d", m.ID)
	}
	switch strings.ToLower(m.ValueType) {
	case "proportion":
		ind.Unit, ind.Method = accord.UnitPercent, accord.MethodProportion
	case "crude rate":
		ind.Unit, ind.Method = accord.UnitPer100k, accord.MethodRate
		if ftPer1000[m.ID] {
			ind.Unit = accord.UnitPer1000
		}
	case "directly standardised rate":
		ind.Unit, ind.Method = accord.UnitPer100k, accord.MethodDSR
	case "indirectly standardised rate":
		ind.Unit, ind.Method = accord.UnitPer100k, accord.MethodRate
	case "life expectancy":
		ind.Unit, ind.Method = accord.UnitYears, accord.MethodLifeExpectancy
	case "count":
		ind.Unit, ind.Method = accord.UnitCount, accord.MethodCount
		ind.Tags = []accord.Tag{accord.TagContext}
	case "score":
		ind.Unit, ind.Method = accord.UnitScore, accord.MethodScore
		ind.Tags = []accord.Tag{accord.TagContext}
	case "indirectly standardised ratio", "ratio":
		// Observed over expected: the count can exceed the "denominator".
		ind.Unit, ind.Method = accord.UnitRatio, accord.MethodRatio
	case "indirectly standardised proportion":
		// A percentage, but standardised: not the count over the
		// denominator, so it is not re-computed from them as a proportion.
		ind.Unit, ind.Method = accord.UnitPercent, accord.MethodRatio
	default:
		return ind, "indicator's value type has no Accord unit"
	}
	switch pol := strings.ToLower(m.Polarity); {
	case strings.Contains(pol, "high is good"):
		ind.Polarity = accord.HigherIsBetter
	case strings.Contains(pol, "low is good"):
		ind.Polarity = accord.LowerIsBetter
	default:
		ind.Polarity = accord.NoPolarity
	}
	switch strings.ToLower(m.Frequency) {
	case "annually", "annual", "yearly":
		ind.Frequency = accord.Annual
	case "quarterly":
		ind.Frequency = accord.Quarterly
	case "monthly":
		ind.Frequency = accord.Monthly
	default:
		ind.Frequency = accord.Irregular
	}
	return ind, ""
}

// ftIndicator is what one Fingertips ID means in this import.
type ftIndicator struct {
	ind    accord.Indicator
	meta   *ftMeta
	define bool   // not in the catalogue: defined from the metadata
	skip   string // why its rows are left out, when they are
}

type ftParse struct {
	p       *Parse
	layout  ftLayout
	cols    columns
	header  []string
	byID    map[int]*ftIndicator
	defined map[string]bool
	seen    map[string]ftSeen // observation key → where it was first given
}

type ftSeen struct {
	line              int
	value, count, den string
}

func newFTParse(p *Parse, l ftLayout) *ftParse {
	return &ftParse{p: p, layout: l, header: p.Rows.Header(), cols: ftColumns(p.Rows.Header()),
		byID: map[int]*ftIndicator{}, defined: map[string]bool{}, seen: map[string]ftSeen{}}
}

// field is one cell: its text, its column (1-based, 0 when absent) and the
// column's name as the file writes it, for messages.
type field struct {
	s    string
	col  int
	name string
}

func (s *ftParse) get(row []string, name string) field {
	i := s.cols.at(name)
	if i < 0 {
		return field{name: name}
	}
	f := field{col: i + 1, name: s.header[i]}
	if i < len(row) {
		f.s = strings.TrimSpace(row[i])
	}
	return f
}

func (s *ftParse) run() error {
	required := map[ftLayout][]string{ftAPI: ftAPIRequired, ftNext: ftNextRequired, ftTrafford: ftTraffordRequired}[s.layout]
	for _, m := range s.cols.missing(required...) {
		s.p.Problem(1, 0, "missing column %q", m)
	}
	if s.p.Failed() {
		return nil
	}
	for {
		row, line, err := s.p.Rows.Next()
		if err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		}
		s.p.Row()
		if len(row) != len(s.header) {
			s.p.Problem(line, 0, "has %d columns; the header has %d", len(row), len(s.header))
			continue
		}
		switch s.layout {
		case ftAPI:
			s.apiRow(row, line)
		case ftNext:
			s.nextRow(row, line)
		case ftTrafford:
			s.traffordRow(row, line)
		}
	}
}

// ftRow is one published value, whatever the layout.
type ftRow struct {
	line                    int
	area, areaType          string
	sex, age                field
	catType, cat            field
	value, count, den       field
	lower, upper            field
	ciLevel                 float64
	comparison              string   // the publisher's verdict against England ("Worse", "Similar"…)
	missingValues           []string // texts that mean "no value" besides the empty cell
	conflictingRepeatIsSkip bool
}

func (s *ftParse) apiRow(row []string, line int) {
	ind, ok := s.indicator(s.get(row, "indicatorid"), line)
	if !ok {
		return
	}
	tp := s.get(row, "timeperiod")
	per, skip, err := fingertipsPeriod(tp.s)
	if err != nil {
		s.p.Problem(line, tp.col, "%s", err)
		return
	}
	if skip != "" {
		s.p.Skip(skip, fmt.Sprintf("line %d: %s", line, tp.s))
		return
	}
	r := ftRow{line: line, area: s.get(row, "areacode").s, areaType: s.get(row, "areatype").s,
		sex: s.get(row, "sex"), age: s.get(row, "age"), catType: s.get(row, "categorytype"), cat: s.get(row, "category"),
		value: s.get(row, "value"), count: s.get(row, "count"), den: s.get(row, "denominator"),
		lower: s.get(row, "lowerci95.0limit"), upper: s.get(row, "upperci95.0limit"), ciLevel: 95,
		comparison: s.get(row, "comparedtoenglandvalueorpercentiles").s}
	if r.lower.s == "" && r.upper.s == "" {
		if lo, hi := s.get(row, "lowerci99.8limit"), s.get(row, "upperci99.8limit"); lo.s != "" || hi.s != "" {
			r.lower, r.upper, r.ciLevel = lo, hi, 99.8
		}
	}
	s.emit(ind, per, r)
}

func (s *ftParse) nextRow(row []string, line int) {
	ind, ok := s.indicator(s.get(row, "indicatorid"), line)
	if !ok {
		return
	}
	y := s.get(row, "year")
	year, err := strconv.Atoi(y.s)
	if err != nil || !ftIsYear(y.s) {
		s.p.Problem(line, y.col, "%s %q is not a year", y.name, y.s)
		return
	}
	per, skip := fingertipsNextPeriod(year, ind.meta, ind.ind)
	if skip != "" {
		s.p.Skip(skip, fmt.Sprintf("line %d: indicator %d, %s %d", line, ind.ind.FingertipsID, y.name, year))
		return
	}
	// In the FingertipsNext extract the two category columns hold each
	// other's values: CategoryType has the category ("Most deprived
	// decile") and Category its type. Read them the way round they are.
	catType, cat := s.get(row, "category"), s.get(row, "categorytype")
	if ftLooksLikeCategoryType(cat.s) && !ftLooksLikeCategoryType(catType.s) {
		catType, cat = cat, catType
	}
	r := ftRow{line: line, area: s.get(row, "areacode").s,
		sex: s.get(row, "sex"), age: s.get(row, "age"), catType: catType, cat: cat,
		value: s.get(row, "value"), count: s.get(row, "count"), den: s.get(row, "denominator"),
		// The extract's intervals are 95% even where the benchmark method
		// uses 99.8% limits (checked against the published counts).
		lower: s.get(row, "lowerci"), upper: s.get(row, "upperci"), ciLevel: 95,
		// The proof-of-concept extract repeats some sub-ICB rows with
		// figures from another vintage; the first is kept.
		conflictingRepeatIsSkip: true}
	s.emit(ind, per, r)
}

// ftTraffordIndicators names the indicators the fingertipsR extract may
// carry, by the indicator text it writes.
var ftTraffordIndicators = map[string]string{
	"Healthy life expectancy at birth":       "healthy_life_expectancy_birth",
	"Inequality in life expectancy at birth": "life_expectancy_sii",
	"Life expectancy at birth":               "life_expectancy_birth",
}

func (s *ftParse) traffordRow(row []string, line int) {
	name := s.get(row, "indicator")
	id, ok := ftTraffordIndicators[name.s]
	if !ok {
		known := make([]string, 0, len(ftTraffordIndicators))
		for k := range ftTraffordIndicators {
			known = append(known, fmt.Sprintf("%q", k))
		}
		slices.Sort(known)
		s.p.Problem(line, name.col, "indicator %q is not one Accord reads from this layout: the known ones are %s", name.s, strings.Join(known, ", "))
		return
	}
	cat, err := fingertipsCatalogue()
	if err != nil {
		s.p.fatal = err
		return
	}
	var ind accord.Indicator
	for _, c := range cat {
		if c.ID == id {
			ind = c
		}
	}
	if ind.ID == "" {
		s.p.fatal = fmt.Errorf("fingertips: indicator %s is not in the shipped catalogue", id)
		return
	}
	pf := s.get(row, "period")
	per, err := fingertipsRolling(pf.s)
	if err != nil {
		if y, e := strconv.Atoi(pf.s); e == nil && ftIsYear(pf.s) {
			per, err = accord.CalendarYear(y), nil
		}
	}
	if err != nil {
		s.p.Problem(line, pf.col, "%s %q is not a rolling period such as 2009-11, nor a year", pf.name, pf.s)
		return
	}
	r := ftRow{line: line, area: s.get(row, "area_code").s, sex: s.get(row, "group"),
		value: s.get(row, "value"), comparison: s.get(row, "significance").s, missingValues: []string{"NA"}}
	s.emit(ftIndicator{ind: ind}, per, r)
}

// indicator resolves a Fingertips ID. ok is false when the row is left
// out (counted) or wrong (a problem).
func (s *ftParse) indicator(f field, line int) (ftIndicator, bool) {
	id, err := strconv.Atoi(f.s)
	if err != nil || id <= 0 {
		s.p.Problem(line, f.col, "%s %q is not a Fingertips indicator number", f.name, f.s)
		return ftIndicator{}, false
	}
	fi, ok := s.byID[id]
	if !ok {
		fi, err = s.resolveIndicator(id)
		if err != nil {
			s.p.fatal = err
			return ftIndicator{}, false
		}
		s.byID[id] = fi
	}
	if fi.skip != "" {
		s.p.Skip(fi.skip, fmt.Sprintf("line %d: Fingertips indicator %d", line, id))
		return ftIndicator{}, false
	}
	return *fi, true
}

func (s *ftParse) resolveIndicator(id int) (*ftIndicator, error) {
	cat, err := fingertipsCatalogue()
	if err != nil {
		return nil, err
	}
	metas, err := fingertipsMetadata()
	if err != nil {
		return nil, err
	}
	var meta *ftMeta
	if m, ok := metas[id]; ok {
		meta = &m
	}
	if ind, ok := cat[id]; ok {
		// Accord's own definition wins; the metadata still says how a
		// FingertipsNext Year is to be read.
		return &ftIndicator{ind: ind, meta: meta}, nil
	}
	if meta == nil {
		return &ftIndicator{skip: "indicator not in Accord's catalogue and no Fingertips metadata to define it"}, nil
	}
	ind, why := defineFingertips(*meta)
	if why != "" {
		return &ftIndicator{skip: why}, nil
	}
	return &ftIndicator{ind: ind, meta: meta, define: true}, nil
}

// emit turns one row into an observation: the area resolved, the breakdown
// read, the figures checked, and a repeated key caught.
func (s *ftParse) emit(fi ftIndicator, per accord.Period, r ftRow) {
	ind, line := fi.ind, r.line
	org, why := s.area(r.area, per)
	if why != "" {
		ex := r.area
		if r.areaType != "" {
			ex += " (" + r.areaType + ")"
		}
		s.p.Skip(why, fmt.Sprintf("line %d: %s", line, ex))
		return
	}
	b, ok := s.breakdown(ind, r)
	if !ok {
		return
	}
	if r.value.s == "" || slices.Contains(r.missingValues, r.value.s) {
		s.p.Skip("no value published", fmt.Sprintf("line %d: %s %s %s", line, ind.ID, r.area, per))
		return
	}
	o := accord.Observation{IndicatorID: ind.ID, OrgCode: org, Period: per, Breakdown: b}
	bad := false
	number := func(f field) *float64 {
		if f.s == "" || slices.Contains(r.missingValues, f.s) {
			return nil
		}
		v, err := strconv.ParseFloat(f.s, 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			s.p.Problem(line, f.col, "%s %q is not a number", f.name, f.s)
			bad = true
			return nil
		}
		return &v
	}
	if v := number(r.value); v != nil {
		o.Value = *v
	}
	o.Numerator, o.Denominator = number(r.count), number(r.den)
	o.LowerCI, o.UpperCI = number(r.lower), number(r.upper)
	if bad {
		return
	}
	problem := func(col int, format string, args ...any) {
		s.p.Problem(line, col, format, args...)
		bad = true
	}
	for _, c := range []struct {
		f field
		v *float64
	}{{r.count, o.Numerator}, {r.den, o.Denominator}} {
		if c.v != nil && *c.v < 0 {
			problem(c.f.col, "%s %s is negative", c.f.name, c.f.s)
		}
	}
	if !bad && ind.Method == accord.MethodProportion && o.Numerator != nil && o.Denominator != nil && *o.Numerator > *o.Denominator {
		problem(r.count.col, "%s %s is more than the %s %s", r.count.name, r.count.s, r.den.name, r.den.s)
	}
	switch ind.Unit {
	case accord.UnitPercent:
		if o.Value < 0 || o.Value > 100 {
			problem(r.value.col, "%s %s is not a percentage between 0 and 100", r.value.name, r.value.s)
		}
	case accord.UnitCount, accord.UnitPer1000, accord.UnitPer100k, accord.UnitYears, accord.UnitRatio:
		if o.Value < 0 {
			problem(r.value.col, "%s %s is negative", r.value.name, r.value.s)
		}
	}
	// Fingertips rounds some values more coarsely than their limits: the
	// published 15.6 (1,645,057 of 10,575,320, 15.556%) comes with 15.52 to
	// 15.59. Such an interval cannot be stored with the value as published,
	// so the value is kept and the interval left out.
	if o.LowerCI != nil && o.UpperCI != nil && *o.LowerCI <= *o.UpperCI {
		half := 0.5*math.Pow10(-decimals(r.value.s)) + 1e-9
		if (o.Value < *o.LowerCI && *o.LowerCI-o.Value <= half) || (o.Value > *o.UpperCI && o.Value-*o.UpperCI <= half) {
			o.LowerCI, o.UpperCI = nil, nil
		}
	}
	switch {
	case (o.LowerCI == nil) != (o.UpperCI == nil):
		problem(max(r.lower.col, r.upper.col), "%s and %s must both be given, or neither", r.lower.name, r.upper.name)
	case o.LowerCI != nil && (*o.LowerCI > *o.UpperCI || o.Value < *o.LowerCI-1e-9 || o.Value > *o.UpperCI+1e-9):
		problem(r.lower.col, "the interval %s to %s does not contain the value %s", r.lower.s, r.upper.s, r.value.s)
	case o.LowerCI != nil:
		o.CILevel = r.ciLevel
	}
	if bad {
		return
	}
	o.Comparison = r.comparison
	key := o.Key()
	if prev, dup := s.seen[key]; dup {
		switch {
		case fingertipsSameNumber(prev.value, r.value.s) && fingertipsSameNumber(prev.count, r.count.s) && fingertipsSameNumber(prev.den, r.den.s):
			s.p.Skip("repeats an earlier row with the same figures", fmt.Sprintf("line %d repeats line %d: %s", line, prev.line, o.Describe()))
		case r.conflictingRepeatIsSkip:
			s.p.Skip("repeats an earlier row with different figures (the first is kept)",
				fmt.Sprintf("line %d repeats line %d: %s, %s not %s", line, prev.line, o.Describe(), r.value.s, prev.value))
		default:
			s.p.Problem(line, 0, "repeats line %d (%s) with a different value: %s, not %s", prev.line, o.Describe(), r.value.s, prev.value)
		}
		return
	}
	s.seen[key] = ftSeen{line: line, value: r.value.s, count: r.count.s, den: r.den.s}
	if fi.define && !s.defined[ind.ID] {
		// Defined at its first observation, so an indicator whose every
		// row is left out is not added to the catalogue.
		s.defined[ind.ID] = true
		s.p.DefineIndicator(ind)
	}
	s.p.Emit(o, line)
}

// ftIsYear reports whether s is a year written with four digits.
func ftIsYear(s string) bool {
	if len(s) != 4 {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// fingertipsSameNumber reports whether two published figures are the same
// number, one perhaps rounded: "20.0558" and "20.0558045901172" are.
func fingertipsSameNumber(a, b string) bool {
	if a == b {
		return true
	}
	x, err1 := strconv.ParseFloat(a, 64)
	y, err2 := strconv.ParseFloat(b, 64)
	if err1 != nil || err2 != nil {
		return false
	}
	d := min(decimals(a), decimals(b))
	scale := math.Pow10(d)
	return math.Round(x*scale) == math.Round(y*scale)
}

func decimals(s string) int {
	if _, frac, ok := strings.Cut(s, "."); ok {
		return len(frac)
	}
	return 0
}

// Area code prefixes of the geographies Accord tracks: England, NHS
// regions, ICBs, sub-ICB locations and upper-tier local authorities.
var ftTrackedPrefixes = []string{"E92", "E40", "E54", "E38", "E06", "E08", "E09", "E10"}

// area resolves an area code to Accord's organisation, or says why the row
// is left out.
func (s *ftParse) area(code string, per accord.Period) (string, string) {
	code = strings.ToUpper(strings.TrimSpace(code))
	if code == accord.EnglandONSCode || code == accord.EnglandCode {
		return accord.EnglandCode, ""
	}
	if o, ok := s.p.Orgs.Resolve(code, per); ok {
		return o.Code, ""
	}
	// Fingertips re-computes back series on today's boundaries, so an ICB's
	// 2018 value carries the ICB's current code although ICBs began in
	// 2022: a code that is an open organisation's own is taken whatever
	// the period.
	if o, ok := s.p.Orgs.Resolve(code, accord.Period{}); ok && o.ValidTo.IsZero() && (o.Code == code || o.ONSCode == code) {
		return o.Code, ""
	}
	for _, pre := range ftTrackedPrefixes {
		if strings.HasPrefix(code, pre) {
			return "", "area not known to Accord for the period"
		}
	}
	return "", "area type not tracked by Accord"
}

// breakdown reads sex, age and category. ok is false when the row was left
// out or is wrong (already counted or reported).
func (s *ftParse) breakdown(ind accord.Indicator, r ftRow) (accord.Breakdown, bool) {
	var b accord.Breakdown
	switch strings.ToLower(r.sex.s) {
	case "persons", "not applicable", "":
	case "male", "males":
		b.Sex = accord.SexMale
	case "female", "females":
		b.Sex = accord.SexFemale
	default:
		s.p.Problem(r.line, r.sex.col, "%s %q must be Persons, Male or Female", r.sex.name, r.sex.s)
		return b, false
	}
	age, ok := fingertipsAge(r.age.s)
	if !ok {
		s.p.Skip("age group Accord cannot hold as an age band", fmt.Sprintf("line %d: %s", r.line, r.age.s))
		return b, false
	}
	if own, ok := catalogueOwnAge[ind.ID]; ok && age == own {
		age = ""
	}
	b.AgeBand = age
	typ := strings.Trim(r.catType.s, `" `)
	cat := strings.Trim(r.cat.s, `" `)
	lt := strings.ToLower(typ)
	switch {
	case typ == "" && cat == "":
	case strings.Contains(lt, "decile") && strings.HasPrefix(lt, "lsoa"):
		n, ok := fingertipsDecile(cat)
		if !ok {
			s.p.Problem(r.line, r.cat.col, "category %q is not a deprivation decile (Most deprived decile … Least deprived decile)", cat)
			return b, false
		}
		b.IMDDecile = n
	case strings.Contains(lt, "decile"):
		s.p.Skip("deprivation deciles of whole areas, not of neighbourhoods (LSOAs), are not an Accord breakdown", fmt.Sprintf("line %d: %s", r.line, typ))
		return b, false
	case strings.Contains(lt, "quintile"):
		s.p.Skip("deprivation quintiles are not an Accord breakdown (deciles are)", fmt.Sprintf("line %d: %s", r.line, typ))
		return b, false
	case strings.HasPrefix(lt, "ethnic"):
		if cat == "" || strings.ContainsAny(cat, ";=") {
			s.p.Problem(r.line, r.cat.col, "ethnic group %q must be a label without ; or =", cat)
			return b, false
		}
		b.Ethnicity = cat
	default:
		s.p.Skip("breakdown by a category Accord does not keep (it keeps deprivation deciles and ethnic groups)", fmt.Sprintf("line %d: %s", r.line, typ))
		return b, false
	}
	return b, true
}

// ftLooksLikeCategoryType tells a category type ("Ethnic groups", "LSOA11
// deprivation deciles within area") from a category ("Most deprived
// decile", "Mixed / Multiple ethnic groups").
func ftLooksLikeCategoryType(s string) bool {
	l := strings.ToLower(strings.Trim(s, `" `))
	switch {
	case strings.Contains(l, "deciles"), strings.Contains(l, "quintiles"), strings.HasPrefix(l, "ethnic groups"),
		strings.HasPrefix(l, "sexuality"):
		return true
	}
	return slices.Contains([]string{"socioeconomic class", "level of education", "disability", "working status"}, l)
}

var ftDeciles = map[string]int{
	"most deprived decile": 1, "second most deprived decile": 2, "third more deprived decile": 3,
	"fourth more deprived decile": 4, "fifth more deprived decile": 5, "fifth less deprived decile": 6,
	"fourth less deprived decile": 7, "third less deprived decile": 8, "second least deprived decile": 9,
	"least deprived decile": 10,
}

// fingertipsDecile reads a decile label, with or without its index
// ("Most deprived decile (IMD2019)"), as 1 (most deprived) to 10.
func fingertipsDecile(s string) (int, bool) {
	l := strings.ToLower(strings.TrimSpace(s))
	if i := strings.Index(l, " ("); i >= 0 {
		l = l[:i]
	}
	n, ok := ftDeciles[l]
	return n, ok
}

// fingertipsAge reads Fingertips' age text: "All ages" is the whole
// population, "65+ yrs" is 65+, "<18 yrs" is <18, "2 yrs" is 2.
func fingertipsAge(s string) (string, bool) {
	l := strings.TrimSpace(s)
	switch strings.ToLower(l) {
	case "", "all ages", "not applicable":
		return "", true
	}
	for _, suffix := range []string{" yrs", " yr", " years", " year"} {
		l = strings.TrimSuffix(l, suffix)
	}
	l = strings.ReplaceAll(l, " ", "")
	if (accord.Breakdown{AgeBand: l}).Validate() != nil {
		return "", false
	}
	return l, true
}

var (
	ftRollingRe       = regexp.MustCompile(`^([0-9]{4}) ?- ?([0-9]{2}|[0-9]{4})$`)
	ftMultiFinancial  = regexp.MustCompile(`^[0-9]{4}/[0-9]{2} ?- ?[0-9]{2}/[0-9]{2}$`)
	ftCalendarQuarter = regexp.MustCompile(`^[0-9]{4} Q[1-4]$`)
	ftMonthRe         = regexp.MustCompile(`^([A-Za-z]+) ([0-9]{4})$`)
)

// fingertipsRolling reads a span of calendar years as Fingertips writes it:
// "2021 - 23", or "2009-11" in extracts that took the spaces out (there it
// is never a month).
func fingertipsRolling(s string) (accord.Period, error) {
	m := ftRollingRe.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return accord.Period{}, fmt.Errorf("not a rolling period")
	}
	first, _ := strconv.Atoi(m[1])
	last, _ := strconv.Atoi(m[2])
	if len(m[2]) == 2 {
		last += first - first%100
		if last <= first {
			last += 100
		}
	}
	return accord.Rolling(first, last)
}

// fingertipsPeriod reads the API's "Time period". A period Accord cannot
// hold (a span of financial years, a calendar quarter) gives a reason to
// leave the row out; text that is no period at all is an error.
func fingertipsPeriod(s string) (accord.Period, string, error) {
	s = strings.TrimSpace(s)
	switch {
	case ftMultiFinancial.MatchString(s):
		return accord.Period{}, "spans of financial years have no Accord period", nil
	case ftCalendarQuarter.MatchString(s):
		return accord.Period{}, "calendar quarters have no Accord period", nil
	case ftRollingRe.MatchString(s):
		p, err := fingertipsRolling(s)
		if err != nil {
			return p, "", fmt.Errorf("Time period %q: %s", s, accord.ErrorMessage(err))
		}
		return p, "", nil
	}
	if m := ftMonthRe.FindStringSubmatch(s); m != nil {
		for mon := time.January; mon <= time.December; mon++ {
			if strings.EqualFold(m[1], mon.String()) || strings.EqualFold(m[1], mon.String()[:3]) {
				y, _ := strconv.Atoi(m[2])
				return accord.Month(y, mon), "", nil
			}
		}
	}
	p, err := accord.ParsePeriod(s)
	if err != nil || p.Kind() == accord.PeriodMonth {
		return accord.Period{}, "", fmt.Errorf("Time period %q is not a Fingertips period (such as 2021 - 23, 2023, 2023/24 or 2023/24 Q1)", s)
	}
	return p, "", nil
}

// fingertipsNextPeriod turns a FingertipsNext Year into a period using the
// indicator's period type. Year is the first year: a Financial 2018 is
// 2018/19 (QOF diabetes prevalence for England, 6.93% on 3,319,266
// patients, is the published 2018/19 figure). Academic (September to
// August) and Yearly (survey years such as Active Lives', mid-November to
// mid-November) years are labelled 2018/19 in Fingertips too, and are held
// as that financial year; a Financial year end point (a count on 31 March)
// is held as the financial year it ends. Financial multi-year spans have no
// Accord period, and quarterly and monthly values cannot be placed: this
// layout has no quarter or month column.
func fingertipsNextPeriod(year int, meta *ftMeta, ind accord.Indicator) (accord.Period, string) {
	if meta == nil {
		if ind.Frequency == accord.Annual {
			return accord.CalendarYear(year), ""
		}
		return accord.Period{}, "no Fingertips period type for the indicator"
	}
	switch strings.ToLower(meta.Frequency) {
	case "quarterly", "monthly":
		return accord.Period{}, "quarterly and monthly values carry no quarter or month in this layout"
	}
	switch strings.ToLower(meta.PeriodType) {
	case "calendar":
		return accord.CalendarYear(year), ""
	case "financial", "academic", "yearly", "financial year end point":
		return accord.FinancialYear(year), ""
	case "financial multi-year":
		return accord.Period{}, "spans of financial years have no Accord period"
	}
	return accord.Period{}, "period type Accord does not know"
}
