package web

import (
	"cmp"
	"context"
	"fmt"
	"html/template"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/nhs-accord/accord"
	"github.com/nhs-accord/accord/assess"
	"github.com/nhs-accord/accord/charts"
	"github.com/nhs-accord/accord/stats/compare"
	"github.com/nhs-accord/accord/stats/phe"
	"github.com/nhs-accord/accord/stats/spc"
)

// The charts of the series and indicator pages: what each draws from the
// store, the words beside it, its data as a table and as CSV. The drawing
// is package charts; the statistics are packages spc, phe and compare.

// minSPCPoints is the shortest run of consecutive periods charted: the same
// as an assessment needs, so a chart and its assessment agree.
const minSPCPoints = assess.MinSPCPoints

// minCompared is the fewest ICBs worth ranking or funnelling.
const minCompared = 3

// maxICBRows bounds what the indicator page reads: every ICB's values of
// one indicator, whole population. Forty-two ICBs over ten years of
// months is 5,040.
const maxICBRows = 50_000

// --- SPC on the series page ---

// spcChart is a series' latest run of consecutive periods with its SPC
// result and the national standard drawn as its target, if any.
type spcChart struct {
	run    []accord.Observation // oldest first
	later  int                  // values after the run, not consecutive with it
	res    spc.Result
	target *accord.Priority
}

// spcView is the SPC section of a series page.
type spcView struct {
	Note            string // why the chart stops before the newest value, when it does
	SVG             template.HTML
	Span            string
	Variation       string // the variation icon in words
	VariationDetail string
	Assurance       string // the assurance icon in words, "" for none
	AssuranceDetail string
	Target          string // what the target line is, "" for none
	ShortGroup      string
	Rows            []spcRow
	CSVURL          string
}

// spcRow is one point in the chart's data table.
type spcRow struct {
	Period                    string
	Value, Mean, Lower, Upper string
	PointType                 string
}

// recentRun is the most recent run of at least min consecutive monthly (or
// quarterly) observations, of the kind the newest month or quarter has, and
// how many of that kind's values come after it. A run broken by a gap cannot
// be charted whole; charting the latest long-enough run, and saying what
// follows it, shows a series whose newest figure stands alone (a new
// publication after years without one) instead of showing nothing.
func recentRun(obs []accord.Observation, min int) ([]accord.Observation, int) {
	var kind accord.PeriodKind
	var newest accord.Period
	for _, o := range obs {
		if k := o.Period.Kind(); (k == accord.PeriodMonth || k == accord.PeriodQuarter) && o.Period.Compare(newest) > 0 {
			kind, newest = k, o.Period
		}
	}
	var same []accord.Observation
	for _, o := range obs {
		if o.Period.Kind() == kind && kind != "" {
			same = append(same, o)
		}
	}
	slices.SortFunc(same, func(a, b accord.Observation) int { return a.Period.Compare(b.Period) })
	end := len(same)
	for end > 0 {
		start := end - 1
		for start > 0 && same[start-1].Period.Next() == same[start].Period {
			start--
		}
		if end-start >= min {
			return same[start:end], len(same) - end
		}
		end = start
	}
	return nil, 0
}

// seriesSPC computes the SPC chart of a series when its latest run of
// consecutive months or quarters is long enough; nil otherwise.
func (s *Server) seriesSPC(ctx context.Context, ind accord.Indicator, obs []accord.Observation) (*spcChart, error) {
	run, later := recentRun(obs, minSPCPoints)
	if run == nil {
		return nil, nil
	}
	ps, _, err := s.store.FindPriorities(ctx, accord.PriorityFilter{IndicatorID: ind.ID})
	if err != nil {
		return nil, err
	}
	c := &spcChart{run: run, later: later, target: assess.Standard(ind, ps, run[len(run)-1].Period)}
	values := make([]float64, len(run))
	for i, o := range run {
		values[i] = o.Value
	}
	opt := spc.Options{ImprovementDirection: assess.Direction(ind.Polarity)}
	if c.target != nil {
		opt.Target = &c.target.Standard
	}
	if c.res, err = spc.Compute(values, opt); err != nil {
		// Stored values are finite and the options valid, so this is a
		// bug; the page still shows the values without the chart.
		s.log.ErrorContext(ctx, "SPC chart left out", "indicator", ind.ID, "err", err)
		return nil, nil
	}
	return c, nil
}

// axisLabel is a period as the x axis shows it: "Apr 2025", "2025/26 Q1".
func axisLabel(p accord.Period) string {
	if p.Kind() == accord.PeriodMonth {
		return p.Start().Format("Jan 2006")
	}
	return p.String()
}

// periodWords is a period as a sentence says it: "April 2025".
func periodWords(p accord.Period) string {
	if p.Kind() == accord.PeriodMonth {
		return p.Start().Format("January 2006")
	}
	return p.String()
}

// view draws the chart and writes the words and table around it.
func (c *spcChart) view(org accord.Organisation, ind accord.Indicator, b accord.Breakdown, csvURL string) *spcView {
	format := func(v float64) string { return formatValue(v, ind.Unit) }
	noun := "month"
	if c.run[0].Period.Kind() == accord.PeriodQuarter {
		noun = "quarter"
	}
	first, last := c.run[0].Period, c.run[len(c.run)-1].Period
	v := &spcView{
		Span:      fmt.Sprintf("%d %ss from %s to %s", len(c.run), noun, periodWords(first), periodWords(last)),
		Variation: charts.VariationText(c.res.VariationIcon),
		Assurance: charts.AssuranceText(c.res.AssuranceIcon),
		CSVURL:    csvURL,
	}
	if c.later > 0 {
		v.Note = fmt.Sprintf("The %d newer value%s after %s %s not consecutive with these, so the chart ends there: "+
			"SPC needs an unbroken run of at least %d %ss.", c.later, plural(c.later, "", "s"), periodWords(last),
			plural(c.later, "is", "are"), minSPCPoints, noun)
	}
	lastPoint := c.res.Points[len(c.res.Points)-1]
	v.VariationDetail = variationDetail(lastPoint, c.res.VariationIcon)
	var target *float64
	targetLabel := ""
	if c.target != nil {
		target = &c.target.Standard
		v.Target, targetLabel = targetWords(*c.target, ind.Unit)
		v.AssuranceDetail = assuranceDetail(c.res.AssuranceIcon)
		if v.AssuranceDetail == "" {
			v.AssuranceDetail = "Neither higher nor lower is better for this indicator, so there is no assurance against the target."
		}
	}
	if g := c.res.Groups[len(c.res.Groups)-1]; g.ShortGroupWarning {
		v.ShortGroup = fmt.Sprintf("The limits come from only %d points, so treat them as provisional until there are more.", g.N)
	}

	title := ind.Name + " for " + org.Name
	if !b.IsTotal() {
		title += " (" + b.String() + ")"
	}
	periods := make([]string, len(c.run))
	for i, o := range c.run {
		periods[i] = axisLabel(o.Period)
		p := c.res.Points[i]
		v.Rows = append(v.Rows, spcRow{
			Period: o.Period.String(), Value: format(p.Value), Mean: optionalValue(p.Mean, ind.Unit),
			Lower: optionalValue(p.LPL, ind.Unit), Upper: optionalValue(p.UPL, ind.Unit), PointType: charts.PointTypeText(p.PointType),
		})
	}
	v.SVG = template.HTML(charts.SPC(charts.SPCChart{
		ID: "spc-chart", Title: title + ": statistical process control chart", Result: c.res, Periods: periods, Span: v.Span,
		Target: target, TargetLabel: targetLabel, YLabel: unitLabel(ind.Unit), Format: format,
	}))
	return v
}

// optionalValue formats a limit that may be NaN (a group of one point).
func optionalValue(v float64, u accord.Unit) string {
	if math.IsNaN(v) {
		return "None"
	}
	return formatValue(v, u)
}

// variationDetail says what the latest point's variation means, naming
// the rule that flagged it.
func variationDetail(p spc.Point, icon string) string {
	if p.PointType == spc.CommonCause {
		return "The latest value is within the range the process has produced so far: there is no sign of a significant change."
	}
	rule := map[string]string{
		spc.AboveUCLLabel:         "it is above the upper process limit",
		spc.BelowLCLLabel:         "it is below the lower process limit",
		spc.TrendIncreasingLabel:  "it is part of a run of 7 or more values each higher than the one before",
		spc.TrendDecreasingLabel:  "it is part of a run of 7 or more values each lower than the one before",
		spc.TwoInThreeAboveLabel:  "2 of 3 values in a row are close to the upper process limit",
		spc.TwoInThreeBelowLabel:  "2 of 3 values in a row are close to the lower process limit",
		spc.SevenPointsAboveLabel: "it is part of a run of 7 or more values above the mean",
		spc.SevenPointsBelowLabel: "it is part of a run of 7 or more values below the mean",
	}[p.SpecialCauseType]
	meaning := "this is an improvement"
	switch {
	case strings.HasPrefix(icon, "concern"):
		meaning = "this is a concern"
	case strings.HasPrefix(icon, "neutral"):
		meaning = "neither higher nor lower is better for this indicator, so this is neither an improvement nor a concern"
	}
	return "The latest value shows a pattern unlikely to be chance – " + cmp.Or(rule, "a special-cause rule is met") + " – and " + meaning + "."
}

// assuranceDetail says what the assurance icon means for the target.
func assuranceDetail(icon string) string {
	switch icon {
	case "pass":
		return "The target is outside the process limits, on the right side: unless the process changes, it will be met every time."
	case "fail":
		return "The target is outside the process limits, on the wrong side: unless the process changes, it will be missed every time."
	case "inconsistent":
		return "The target lies between the process limits: it will be met in some periods and missed in others by chance alone."
	}
	return ""
}

// targetWords says which national standard the target line is, in a
// sentence and in a short legend label.
func targetWords(p accord.Priority, u accord.Unit) (sentence, label string) {
	std := p.Comparator.Label() + " " + formatValue(p.Standard, u)
	if p.Standing() {
		return fmt.Sprintf("The red dashed line is the constitutional standard of %s (%s), which always applies.", std, p.Name),
			"Standard: " + formatValue(p.Standard, u)
	}
	return fmt.Sprintf("The red dashed line is the national standard of %s by %s (%s, set in %s).", std, formatDate(p.Deadline), p.Name, p.Source),
		"Target: " + formatValue(p.Standard, u) + " by " + formatDate(p.Deadline)
}

// writeSPCCSV downloads the chart's data, in full precision.
func writeSPCCSV(w http.ResponseWriter, org accord.Organisation, ind accord.Indicator, b accord.Breakdown, c *spcChart) error {
	target := ""
	if c.target != nil {
		target = formatCSVNumber(c.target.Standard)
	}
	rows := make([][]string, 0, len(c.run))
	for i, o := range c.run {
		p := c.res.Points[i]
		rows = append(rows, []string{
			org.Code, ind.ID, o.Period.String(), b.Key(), formatCSVNumber(p.Value), csvFloat(p.Mean),
			csvFloat(p.LPL), csvFloat(p.UPL), csvFloat(p.NLPL), csvFloat(p.NUPL),
			p.SpecialCauseType, p.PointType, strconv.Itoa(p.Group), target,
		})
	}
	name := org.Code + "-" + ind.ID
	if !b.IsTotal() {
		name += "-" + b.Key()
	}
	return writeCSV(w, safeFileName(name)+"-spc.csv", []string{
		"organisation_code", "indicator_id", "period", "breakdown", "value", "mean",
		"lower_process_limit", "upper_process_limit", "lower_near_limit", "upper_near_limit",
		"special_cause_type", "point_type", "group", "target",
	}, rows)
}

// csvFloat writes a number in full, and NaN (no limit) as an empty cell.
func csvFloat(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return ""
	}
	return formatCSVNumber(v)
}

// --- ICBs compared on the indicator page ---

// icbValue is one ICB's value in the compared period, its 95% interval
// and its comparison with England.
type icbValue struct {
	org          accord.Organisation
	obs          accord.Observation
	lower, upper float64 // NaN: no interval
	source       string  // "published", "Wilson" or ""
	result       compare.Result
}

// icbComparison is every ICB's value of an indicator in one period,
// against England's, and the funnel plot where the indicator is a
// percentage with counts.
type icbComparison struct {
	period  accord.Period
	england *accord.Observation
	values  []icbValue // highest value first
	funnel  *icbFunnel
}

// icbFunnel is a funnel plot's points and limits.
type icbFunnel struct {
	points  []funnelPoint
	limits  []charts.FunnelLimit
	centre  float64
	omitted int // ICBs in the period without usable counts
}

type funnelPoint struct {
	org                    accord.Organisation
	numerator, denominator float64
	value                  float64
	band                   charts.Band
}

// comparedPeriod is the period the ICBs are compared in: the latest in
// which at least half as many ICBs have a value as in the best-covered
// period, so that one ICB's early local return does not make a chart of one.
func comparedPeriod(obs []accord.Observation) accord.Period {
	counts := map[accord.Period]int{}
	most := 0
	for _, o := range obs {
		counts[o.Period]++
		most = max(most, counts[o.Period])
	}
	var best accord.Period
	for p, n := range counts {
		if 2*n >= most && p.Compare(best) > 0 {
			best = p
		}
	}
	return best
}

// icbCompare gathers and compares the ICBs' values of an indicator; nil
// when fewer than minCompared ICBs have a value.
func (s *Server) icbCompare(ctx context.Context, ind accord.Indicator) (*icbComparison, error) {
	icbs, _, err := s.store.FindOrganisations(ctx, accord.OrganisationFilter{Type: accord.OrgICB})
	if err != nil || len(icbs) == 0 {
		return nil, err
	}
	byCode := make(map[string]accord.Organisation, len(icbs))
	codes := make([]string, 0, len(icbs))
	for _, o := range icbs {
		byCode[o.Code] = o
		codes = append(codes, o.Code)
	}
	all, _, err := s.store.FindObservations(ctx, accord.ObservationFilter{IndicatorID: ind.ID, OrgCodes: codes, Limit: maxICBRows})
	if err != nil {
		return nil, err
	}
	c := &icbComparison{period: comparedPeriod(all)}
	for _, o := range all {
		if o.Period != c.period {
			continue
		}
		v := icbValue{org: byCode[o.OrgCode], obs: o, lower: math.NaN(), upper: math.NaN()}
		if lo, hi, source, ok := assess.Interval95(ind, o); ok {
			v.lower, v.upper, v.source = lo, hi, source
		}
		c.values = append(c.values, v)
	}
	if len(c.values) < minCompared {
		return nil, nil
	}

	eng, _, err := s.store.FindObservations(ctx, accord.ObservationFilter{IndicatorID: ind.ID, OrgCodes: []string{accord.EnglandCode}, From: c.period, To: c.period})
	if err != nil {
		return nil, err
	}
	for i := range eng {
		if eng[i].Period == c.period {
			c.england = &eng[i]
		}
	}
	benchmark := math.NaN()
	if c.england != nil {
		benchmark = c.england.Value
	}
	for i := range c.values {
		v := &c.values[i]
		v.result = compare.ByInterval(v.obs.Value, v.lower, v.upper, benchmark, v.source != "", ind.Polarity)
	}
	slices.SortStableFunc(c.values, func(a, b icbValue) int {
		return cmp.Or(cmp.Compare(b.obs.Value, a.obs.Value), strings.Compare(a.org.Code, b.org.Code))
	})
	if ind.Method == accord.MethodProportion && ind.Unit == accord.UnitPercent {
		// The funnel is a second view of the same figures: should its
		// statistics refuse them, the page still shows the rest.
		if c.funnel, err = funnelOf(c.values); err != nil {
			s.log.WarnContext(ctx, "funnel plot left out", "indicator", ind.ID, "period", c.period.String(), "err", err)
			c.funnel = nil
		}
	}
	return c, nil
}

// funnelOf builds the funnel plot of the ICBs with counts, with PHE's
// Wilson-based control limits at 95% and 99.8% around their pooled
// percentage (PHEindicatormethods' calculate_funnel_limits and
// assign_funnel_significance); nil when fewer than minCompared have counts.
func funnelOf(values []icbValue) (*icbFunnel, error) {
	f := &icbFunnel{}
	var num, den []float64
	for _, v := range values {
		o := v.obs
		if o.Numerator == nil || o.Denominator == nil || *o.Denominator <= 0 || *o.Numerator > *o.Denominator {
			f.omitted++
			continue
		}
		num, den = append(num, *o.Numerator), append(den, *o.Denominator)
		f.points = append(f.points, funnelPoint{org: v.org, numerator: *o.Numerator, denominator: *o.Denominator, value: *o.Numerator / *o.Denominator * 100})
	}
	if len(f.points) < minCompared {
		return nil, nil
	}
	opt := phe.FunnelOptions{Statistic: "proportion", Multiplier: 100}
	lim, err := phe.FunnelLimits(num, den, nil, opt)
	if err != nil {
		return nil, err
	}
	sig, err := phe.FunnelSignificance(num, den, nil, opt)
	if err != nil {
		return nil, err
	}
	f.centre = sum(num) / sum(den) * 100
	for i, s := range sig {
		f.points[i].band = map[string]charts.Band{
			phe.HighP001: charts.Above998, phe.HighP025: charts.Above95,
			phe.LowP001: charts.Below998, phe.LowP025: charts.Below95, phe.NotSignificant: charts.Within,
		}[s]
	}
	val := func(p *float64) float64 {
		if p == nil {
			return math.NaN()
		}
		return *p
	}
	for _, r := range lim.Rows {
		f.limits = append(f.limits, charts.FunnelLimit{
			Denominator: r.Axis, Lower95: val(r.Lower2sLimit), Upper95: val(r.Upper2sLimit),
			Lower998: val(r.Lower3sLimit), Upper998: val(r.Upper3sLimit),
		})
	}
	return f, nil
}

func sum(vs []float64) float64 {
	t := 0.0
	for _, v := range vs {
		t += v
	}
	return t
}

// shortICBName drops the words every ICB's name shares, for chart labels:
// "NHS Cambridgeshire and Peterborough Integrated Care Board" is
// "Cambridgeshire and Peterborough".
func shortICBName(name string) string {
	s := strings.TrimPrefix(name, "NHS ")
	s = strings.TrimSuffix(s, " Integrated Care Board")
	return strings.TrimSuffix(s, " ICB")
}

// comparisonView is the ICB comparison section of an indicator page.
type comparisonView struct {
	Period       string // "May 2025"
	Count        int
	England      string // England's value, "" when not held
	IntervalNote string
	SVG          template.HTML
	Rows         []comparisonRow
	CSVURL       string
	Funnel       *funnelView
}

type comparisonRow struct {
	Code, Name, Value, Interval, Comparison, Colour string
}

type funnelView struct {
	SVG     template.HTML
	Centre  string
	Omitted string // "2 ICBs without a numerator and denominator are not shown.", or ""
	Rows    []funnelRow
	CSVURL  string
}

type funnelRow struct {
	Code, Name, Numerator, Denominator, Value, Position string
}

// comparisonColour is the NHS.UK tag colour of a comparison.
func comparisonColour(r compare.Result) string {
	switch r {
	case compare.Better:
		return "green"
	case compare.Similar:
		return "yellow"
	case compare.Worse:
		return "red"
	case compare.Higher, compare.Lower:
		return "blue"
	}
	return "grey"
}

// view draws the caterpillar (and funnel) and writes the words and tables.
func (c *icbComparison) view(ind accord.Indicator) *comparisonView {
	format := func(v float64) string { return formatValue(v, ind.Unit) }
	csvURL := func(chart string) string { return "/indicators/" + ind.ID + "?chart=" + chart + "&format=csv" }
	v := &comparisonView{Period: periodWords(c.period), Count: len(c.values), CSVURL: csvURL("caterpillar")}
	benchmark := math.NaN()
	if c.england != nil {
		benchmark = c.england.Value
		v.England = format(benchmark)
	}
	published, computed := 0, 0
	var items []charts.CaterpillarItem
	for _, iv := range c.values {
		name := cmp.Or(iv.org.Name, iv.obs.OrgCode)
		row := comparisonRow{Code: iv.obs.OrgCode, Name: name, Value: format(iv.obs.Value), Interval: "None",
			Comparison: iv.result.Label("England", 0), Colour: comparisonColour(iv.result)}
		switch iv.source {
		case "published":
			published++
		case "Wilson":
			computed++
		}
		if iv.source != "" {
			row.Interval = format(iv.lower) + " to " + format(iv.upper)
		}
		v.Rows = append(v.Rows, row)
		items = append(items, charts.CaterpillarItem{
			Label: shortICBName(name), Name: name, Value: iv.obs.Value, Lower: iv.lower, Upper: iv.upper,
			Comparison: charts.Comparison(iv.result.Judgement()),
		})
	}
	switch {
	case published == len(c.values):
		v.IntervalNote = "The intervals are the 95% confidence intervals published with the figures."
	case computed == len(c.values):
		v.IntervalNote = "The intervals are 95% Wilson score confidence intervals, worked out from each ICB's numerator and denominator."
	case published+computed == 0:
		v.IntervalNote = "No confidence intervals are published for these figures and none can be worked out, so the ICBs are not compared with England."
	default:
		v.IntervalNote = "The intervals are the 95% confidence intervals published with the figures where there are any, and otherwise Wilson score intervals worked out from the numerator and denominator. An ICB with neither is not compared."
	}
	v.SVG = template.HTML(charts.Caterpillar(charts.CaterpillarChart{
		ID: "caterpillar-chart", Title: ind.Name + " by integrated care board, " + v.Period, Items: items,
		Benchmark: benchmark, BenchmarkLabel: "England", Noun: "ICB", Period: v.Period, Level: compare.Level95,
		XLabel: unitLabel(ind.Unit), Format: format,
	}))

	if f := c.funnel; f != nil {
		fv := &funnelView{Centre: format(f.centre), CSVURL: csvURL("funnel")}
		switch {
		case f.omitted == 1:
			fv.Omitted = "1 ICB without a numerator and denominator is not shown."
		case f.omitted > 1:
			fv.Omitted = fmt.Sprintf("%d ICBs without a numerator and denominator are not shown.", f.omitted)
		}
		var pts []charts.FunnelPoint
		for _, p := range f.points {
			name := cmp.Or(p.org.Name, p.org.Code)
			fv.Rows = append(fv.Rows, funnelRow{
				Code: p.org.Code, Name: name, Numerator: formatNumber(p.numerator), Denominator: formatNumber(p.denominator),
				Value: format(p.value), Position: p.band.Text(),
			})
			pts = append(pts, charts.FunnelPoint{Label: shortICBName(name), Name: name, Denominator: p.denominator, Value: p.value, Band: p.band})
		}
		fv.SVG = template.HTML(charts.Funnel(charts.FunnelChart{
			ID: "funnel-chart", Title: ind.Name + " by integrated care board against its denominator, " + v.Period,
			Points: pts, Limits: f.limits, Benchmark: f.centre, BenchmarkLabel: "All ICBs shown (pooled)",
			Noun: "ICB", Period: v.Period, XLabel: cmp.Or(ind.Denominator, "Denominator"), YLabel: unitLabel(ind.Unit), Format: format,
		}))
		v.Funnel = fv
	}
	return v
}

// writeCaterpillarCSV downloads the ICBs' values, intervals and
// comparisons, in full precision.
func writeCaterpillarCSV(w http.ResponseWriter, ind accord.Indicator, c *icbComparison) error {
	england := ""
	if c.england != nil {
		england = formatCSVNumber(c.england.Value)
	}
	rows := make([][]string, 0, len(c.values))
	for _, v := range c.values {
		level := ""
		if v.source != "" {
			level = formatCSVNumber(compare.Level95)
		}
		rows = append(rows, []string{
			v.obs.OrgCode, v.org.Name, ind.ID, c.period.String(), formatCSVNumber(v.obs.Value),
			csvFloat(v.lower), csvFloat(v.upper), level, strings.ToLower(v.source), england, string(v.result),
		})
	}
	return writeCSV(w, safeFileName(ind.ID)+"-icbs-caterpillar.csv", []string{
		"organisation_code", "organisation_name", "indicator_id", "period", "value",
		"lower_ci", "upper_ci", "ci_level", "interval_source", "england_value", "compared_with_england",
	}, rows)
}

// writeFunnelCSV downloads the funnel's points and then its limits: a
// row_type of "organisation" or "limit" says which columns a row fills.
func writeFunnelCSV(w http.ResponseWriter, ind accord.Indicator, c *icbComparison) error {
	f := c.funnel
	centre := formatCSVNumber(f.centre)
	var rows [][]string
	for _, p := range f.points {
		rows = append(rows, []string{
			"organisation", p.org.Code, p.org.Name, c.period.String(), formatCSVNumber(p.numerator), formatCSVNumber(p.denominator),
			formatCSVNumber(p.value), string(p.band), centre, "", "", "", "",
		})
	}
	for _, l := range f.limits {
		rows = append(rows, []string{
			"limit", "", "", c.period.String(), "", formatCSVNumber(l.Denominator), "", "", centre,
			csvFloat(l.Lower95), csvFloat(l.Upper95), csvFloat(l.Lower998), csvFloat(l.Upper998),
		})
	}
	return writeCSV(w, safeFileName(ind.ID)+"-icbs-funnel.csv", []string{
		"row_type", "organisation_code", "organisation_name", "period", "numerator", "denominator", "value",
		"position", "centre", "lower_95", "upper_95", "lower_99_8", "upper_99_8",
	}, rows)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
