package web

import (
	"context"
	"encoding/csv"
	"encoding/xml"
	"io"
	"math"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/nhs-accord/accord"
	"github.com/nhs-accord/accord/assess"
	"github.com/nhs-accord/accord/reference"
	"github.com/nhs-accord/accord/stats/spc"
	"github.com/nhs-accord/accord/store"
)

// queSeries is QUE's A&E 4-hour performance from June 2023 to March 2025;
// with the two months seed adds (April and May 2025) it is 24 consecutive
// months, rising in the second year.
var queSeries = []float64{
	71.2, 70.8, 72.1, 71.5, 70.9, 71.8, 72.4, 71.1, 70.6, 71.9, 72.2, 71.4,
	70.7, 71.6, 72.0, 71.3, 73.4, 73.9, 74.2, 73.8, 74.5, 74.1,
}

// seedCharts adds what the charts need to seed's store: every NHS region
// and ICB from the shipped reference data, QUE's 24-month series, and
// May 2025 values for all 42 ICBs and England. One ICB (QOX) has its
// value without counts, so it has no interval, is not compared and is left
// out of the funnel; one (QHG) carries a published 95% interval.
func seedCharts(t *testing.T, db *store.DB) {
	t.Helper()
	ctx := context.Background()
	ref, err := reference.Parse()
	if err != nil {
		t.Fatal(err)
	}
	var orgs []accord.Organisation
	var icbs []string
	for _, o := range ref.Organisations {
		if o.Type != accord.OrgRegion && o.Type != accord.OrgICB {
			continue
		}
		if o.Type == accord.OrgICB {
			icbs = append(icbs, o.Code)
		}
		if _, err := db.FindOrganisation(ctx, o.Code); err == nil {
			continue // seed's own records, with their code histories, stay
		} else if accord.ErrorCode(err) != accord.ENOTFOUND {
			t.Fatal(err)
		}
		orgs = append(orgs, o)
	}
	if len(icbs) != 42 {
		t.Fatalf("%d ICBs in the reference data, want 42", len(icbs))
	}
	if err := db.UpsertOrganisations(ctx, orgs); err != nil {
		t.Fatal(err)
	}

	var obs []accord.Observation
	add := func(org, period string, value, num, den float64) {
		o := accord.Observation{IndicatorID: "ae_4h_all", OrgCode: org, Period: accord.MustParsePeriod(period), Value: value, Status: accord.Final, Source: "test"}
		if den > 0 {
			o.Numerator, o.Denominator = accord.Float(num), accord.Float(den)
		}
		obs = append(obs, o)
	}
	for i, v := range queSeries {
		add("QUE", accord.Month(2023, time.June+time.Month(i)).String(), v, v*200, 20000)
	}
	add(accord.EnglandCode, "2025-05", 74, 1_480_000, 2_000_000)
	slices.Sort(icbs)
	for i, code := range icbs {
		if code == "QUE" {
			continue // seed has its May 2025 value
		}
		den := float64(8000 + 1500*(i%17))
		p := 0.66 + 0.16*math.Mod(float64(i)*0.618, 1)
		num := math.Round(p * den)
		value := math.Round(num/den*10000) / 100
		switch code {
		case "QOX":
			add(code, "2025-05", value, 0, 0)
		case "QHG":
			add(code, "2025-05", value, num, den)
			obs[len(obs)-1].LowerCI, obs[len(obs)-1].UpperCI, obs[len(obs)-1].CILevel = accord.Float(value-0.5), accord.Float(value+0.5), 95
		default:
			add(code, "2025-05", value, num, den)
		}
	}
	if err := db.AddObservations(ctx, obs); err != nil {
		t.Fatal(err)
	}
}

// svgOf cuts the chart with the given id out of a page and checks it is
// well-formed XML with role img, a title and a description that it names.
func svgOf(t *testing.T, page, id string) string {
	t.Helper()
	start := strings.Index(page, `<svg xmlns="http://www.w3.org/2000/svg" class="accord-chart`)
	for start >= 0 && !strings.Contains(page[start:start+400], `aria-labelledby="`+id+`-title"`) {
		next := strings.Index(page[start+1:], `<svg xmlns="http://www.w3.org/2000/svg" class="accord-chart`)
		if next < 0 {
			start = -1
			break
		}
		start += 1 + next
	}
	if start < 0 {
		t.Fatalf("no chart %s on the page", id)
	}
	end := strings.Index(page[start:], "</svg>")
	svg := page[start : start+end+len("</svg>")]
	d := xml.NewDecoder(strings.NewReader(svg))
	d.Strict = true
	for {
		if _, err := d.Token(); err == io.EOF {
			break
		} else if err != nil {
			t.Fatalf("chart %s is not well-formed: %v", id, err)
		}
	}
	for _, want := range []string{`role="img"`, `aria-describedby="` + id + `-desc"`, `<title id="` + id + `-title">`, `<desc id="` + id + `-desc">`} {
		if !strings.Contains(svg, want) {
			t.Errorf("chart %s lacks %s", id, want)
		}
	}
	return svg
}

// inOrder fails for each of want that is not in b after the one before.
func inOrder(t *testing.T, b string, want ...string) {
	t.Helper()
	rest := b
	for _, w := range want {
		i := strings.Index(rest, w)
		if i < 0 {
			t.Errorf("lacks %s (or not in order)", w)
			continue
		}
		rest = rest[i+len(w):]
	}
}

func readCSV(t *testing.T, res *http.Response, file string) [][]string {
	t.Helper()
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "text/csv; charset=utf-8" ||
		res.Header.Get("Content-Disposition") != `attachment; filename="`+file+`"` {
		t.Fatalf("%d %v", res.StatusCode, res.Header)
	}
	recs, err := csv.NewReader(res.Body).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

func TestSeriesSPC(t *testing.T) {
	e := newTestEnv(t, Config{})
	seedCharts(t, e.store)

	// What the chart should say, from the statistics themselves.
	values := append(slices.Clone(queSeries), 74.5, 75.25)
	target := 78.0
	res, err := spc.Compute(values, spc.Options{ImprovementDirection: spc.Increase, Target: &target})
	if err != nil {
		t.Fatal(err)
	}
	if res.VariationIcon != "improvement_high" || res.AssuranceIcon != "fail" {
		t.Fatalf("the test series gives %s and %s", res.VariationIcon, res.AssuranceIcon)
	}

	res0 := e.do(t, http.MethodGet, "/organisations/QUE/indicators/ae_4h_all")
	b := body(t, res0)
	if res0.StatusCode != 200 {
		t.Fatalf("%d\n%s", res0.StatusCode, b)
	}
	checkPageFrame(t, b, "A&amp;E attendances seen within 4 hours")
	svg := svgOf(t, b, "spc-chart")
	inOrder(t, svg,
		`<title id="spc-chart-title">A&amp;E attendances seen within 4 hours for NHS Cambridgeshire and Peterborough Integrated Care Board: statistical process control chart</title>`,
		`<desc id="spc-chart-desc">24 months from June 2023 to May 2025; the latest value, 75.25% in May 2025, is special cause variation (improvement); the mean is `,
		"the process will consistently fail to meet the target of 78%.</desc>",
		"<title>Variation: Special cause variation – improvement (higher)</title>",
	)
	if !strings.Contains(svg, "<title>Assurance: The system is expected to consistently fail the target</title>") ||
		!strings.Contains(svg, ">Target: 78% by 31 March 2026</text>") {
		t.Error("the chart lacks its assurance icon or target legend")
	}
	if n := strings.Count(svg, "<title>") - 2; n != 24 {
		t.Errorf("%d point titles (icons aside), want 24", n)
	}
	inOrder(t, b,
		"<h2>Statistical process control chart</h2>",
		"24 months from June 2023 to May 2025, drawn as a Making Data Count chart.",
		`<div class="accord-chart-frame">`, `<svg xmlns="http://www.w3.org/2000/svg" class="accord-chart accord-chart--spc"`,
		"Special cause variation – improvement (higher)",
		"The latest value shows a pattern unlikely to be chance – it is above the upper process limit – and this is an improvement.",
		"The system is expected to consistently fail the target",
		"The red dashed line is the national standard of at least 78% by 31 March 2026 (A&amp;E: patients seen within 4 hours, set in NHS England: 2025/26 priorities and operational planning guidance).",
		`<details class="nhsuk-details">`, "Chart data as a table",
		`<th class="nhsuk-table__header nhsuk-table__header--numeric" scope="col">Lower process limit</th>`,
		`<th class="nhsuk-table__header" scope="row">2023-06</th>`, "71.2%",
		`<th class="nhsuk-table__header" scope="row">2025-05</th>`, "75.25%", "Special cause – improvement",
		"</details>",
		`<a href="/organisations/QUE/indicators/ae_4h_all?chart=spc&amp;format=csv" download>Download the chart's data (CSV)</a>`,
		"<h2>Values</h2>",
	)
	n := 0
	for _, kind := range []string{"Common cause", "Special cause – improvement", "Special cause – concern"} {
		n += strings.Count(b, `<td class="nhsuk-table__cell">`+kind+`</td>`)
	}
	if n != 24 {
		t.Errorf("%d chart table rows, want 24", n)
	}
	if regexp.MustCompile(`style="`).MatchString(b) {
		t.Error("inline style")
	}

	// The chart's data as CSV, in full precision.
	recs := readCSV(t, e.do(t, http.MethodGet, "/organisations/QUE/indicators/ae_4h_all?format=csv&chart=spc"), "QUE-ae_4h_all-spc.csv")
	if strings.Join(recs[0], ",") != "organisation_code,indicator_id,period,breakdown,value,mean,lower_process_limit,upper_process_limit,lower_near_limit,upper_near_limit,special_cause_type,point_type,group,target" {
		t.Errorf("header %v", recs[0])
	}
	if len(recs) != 25 {
		t.Fatalf("%d rows, want 24", len(recs)-1)
	}
	last := recs[24]
	p := res.Points[23]
	if last[2] != "2025-05" || last[4] != "75.25" || last[5] != formatCSVNumber(p.Mean) || last[7] != formatCSVNumber(p.UPL) ||
		last[10] != p.SpecialCauseType || last[11] != "special_cause_improvement" || last[12] != "0" || last[13] != "78" {
		t.Errorf("last row %v", last)
	}

	for _, tc := range []struct {
		path   string
		status int
		absent bool
	}{
		// Too few months: no chart, and no chart data to download.
		{"/organisations/RGT/indicators/ae_4h_all", 200, true},
		{"/organisations/QUE/indicators/ae_4h_all?breakdown=sex%3Dfemale", 200, true},
		{"/organisations/RGT/indicators/ae_4h_all?format=csv&chart=spc", 404, true},
		{"/organisations/QUE/indicators/ae_4h_all?format=csv&chart=pie", 400, true},
	} {
		res := e.do(t, http.MethodGet, tc.path)
		b := body(t, res)
		if res.StatusCode != tc.status {
			t.Errorf("%s: %d, want %d", tc.path, res.StatusCode, tc.status)
		}
		if tc.absent && strings.Contains(b, "accord-chart--spc") {
			t.Errorf("%s: has an SPC chart", tc.path)
		}
	}
}

func TestICBComparisonCharts(t *testing.T) {
	e := newTestEnv(t, Config{})
	seedCharts(t, e.store)

	res := e.do(t, http.MethodGet, "/indicators/ae_4h_all")
	b := body(t, res)
	if res.StatusCode != 200 {
		t.Fatalf("%d\n%s", res.StatusCode, b)
	}
	checkPageFrame(t, b, "A&amp;E attendances seen within 4 hours")
	cat := svgOf(t, b, "caterpillar-chart")
	inOrder(t, cat,
		`<title id="caterpillar-chart-title">A&amp;E attendances seen within 4 hours by integrated care board, May 2025</title>`,
		`<desc id="caterpillar-chart-desc">42 ICBs in May 2025, sorted from the highest value to the lowest; England is 74%; compared at 95% confidence: `,
		"1 not compared",
		">England 74%</text>",
	)
	if n := strings.Count(cat, "<title>"); n != 42 {
		t.Errorf("%d ICB markers, want 42", n)
	}
	if !strings.Contains(cat, "<title>NHS Cambridgeshire and Peterborough Integrated Care Board: 75.25% (") ||
		!strings.Contains(cat, ">Cambridgeshire and Peterborough</text>") {
		t.Error("QUE is not labelled by its short name and titled by its full name")
	}
	fun := svgOf(t, b, "funnel-chart")
	inOrder(t, fun, `<desc id="funnel-chart-desc">41 ICBs in May 2025 plotted against their denominators; All ICBs shown (pooled) is `)
	if n := strings.Count(fun, "<title>"); n != 41 {
		t.Errorf("%d funnel points, want 41", n)
	}
	if strings.Count(fun, `class="accord-chart__limit"`) != 4 {
		t.Error("the funnel lacks its four limit lines")
	}

	inOrder(t, b,
		"<h2>Integrated care boards compared, May 2025</h2>",
		"Each of the 42 integrated care boards with a value for May 2025", "against England's value of 74%.",
		"The intervals are the 95% confidence intervals published with the figures where there are any, and otherwise Wilson score intervals",
		`<svg xmlns="http://www.w3.org/2000/svg" class="accord-chart accord-chart--caterpillar"`,
		"Caterpillar plot data as a table",
		`<th class="nhsuk-table__header" scope="row">NHS Cambridgeshire and Peterborough Integrated Care Board (QUE)</th>`,
		`<a href="/indicators/ae_4h_all?chart=caterpillar&amp;format=csv" download>`,
		"<h3>Funnel plot</h3>", "1 ICB without a numerator and denominator is not shown.",
		`<svg xmlns="http://www.w3.org/2000/svg" class="accord-chart accord-chart--funnel"`,
		"Funnel plot data as a table",
		`<a href="/indicators/ae_4h_all?chart=funnel&amp;format=csv" download>`,
		"<h2>National priorities using this indicator</h2>",
	)
	if !strings.Contains(b, `<strong class="nhsuk-tag nhsuk-tag--grey">Not compared</strong>`) ||
		!strings.Contains(b, `<strong class="nhsuk-tag nhsuk-tag--green">Better than England</strong>`) ||
		!strings.Contains(b, `<strong class="nhsuk-tag nhsuk-tag--red">Worse than England</strong>`) {
		t.Error("the comparison table lacks a kind of comparison")
	}

	recs := readCSV(t, e.do(t, http.MethodGet, "/indicators/ae_4h_all?format=csv&chart=caterpillar"), "ae_4h_all-icbs-caterpillar.csv")
	if strings.Join(recs[0], ",") != "organisation_code,organisation_name,indicator_id,period,value,lower_ci,upper_ci,ci_level,interval_source,england_value,compared_with_england" || len(recs) != 43 {
		t.Fatalf("%d rows, header %v", len(recs)-1, recs[0])
	}
	byCode := map[string][]string{}
	for _, r := range recs[1:] {
		byCode[r[0]] = r
	}
	if r := byCode["QOX"]; r[5] != "" || r[8] != "" || r[10] != "not_compared" {
		t.Errorf("QOX %v", r)
	}
	if r := byCode["QHG"]; r[8] != "published" || r[7] != "95" {
		t.Errorf("QHG %v", r)
	}
	if r := byCode["QUE"]; r[4] != "75.25" || r[8] != "wilson" || r[9] != "74" || r[10] != "better" {
		t.Errorf("QUE %v", r)
	}

	recs = readCSV(t, e.do(t, http.MethodGet, "/indicators/ae_4h_all?format=csv&chart=funnel"), "ae_4h_all-icbs-funnel.csv")
	kinds := map[string]int{}
	for _, r := range recs[1:] {
		kinds[r[0]]++
	}
	if kinds["organisation"] != 41 || kinds["limit"] != 100 {
		t.Errorf("funnel rows %v", kinds)
	}

	for _, tc := range []struct {
		path   string
		status int
	}{
		{"/indicators/ae_4h_all?format=csv", 400},
		{"/indicators/ae_4h_all?format=csv&chart=bar", 400},
		{"/indicators/smoking_prevalence?format=csv&chart=funnel", 404},
	} {
		if res := e.do(t, http.MethodGet, tc.path); res.StatusCode != tc.status {
			t.Errorf("%s: %d, want %d", tc.path, res.StatusCode, tc.status)
		}
	}
	if b := body(t, e.do(t, http.MethodGet, "/indicators/smoking_prevalence")); strings.Contains(b, "accord-chart") {
		t.Error("an indicator without ICB values has a chart")
	}
}

func TestRecentRunAndTarget(t *testing.T) {
	ob := func(p string) accord.Observation { return accord.Observation{Period: accord.MustParsePeriod(p)} }
	obs := []accord.Observation{ob("2025-03"), ob("2024-12"), ob("2025-01"), ob("2025-02"), ob("2024-10"), ob("2024/25"), ob("2024/25 Q3")}
	periods := func(run []accord.Observation) string {
		var got []string
		for _, o := range run {
			got = append(got, o.Period.String())
		}
		return strings.Join(got, " ")
	}
	if run, later := recentRun(obs, 2); periods(run) != "2024-12 2025-01 2025-02 2025-03" || later != 0 {
		t.Errorf("latest run %s, %d later", periods(run), later)
	}
	// The newest value stands alone after a gap: the run before it is charted.
	if run, later := recentRun(obs, 5); run != nil {
		t.Errorf("no run of 5, got %s %d", periods(run), later)
	}
	gap := []accord.Observation{ob("2016-04"), ob("2016-05"), ob("2016-06"), ob("2025-12")}
	if run, later := recentRun(gap, 3); periods(run) != "2016-04 2016-05 2016-06" || later != 1 {
		t.Errorf("run before a gap: %s, %d later", periods(run), later)
	}
	if run, _ := recentRun([]accord.Observation{ob("2024"), ob("2025")}, 2); run != nil {
		t.Error("a run of years")
	}

	d := func(s string) accord.Date { v, _ := accord.ParseDate(s); return v }
	ps := []accord.Priority{
		{ID: "old", Deadline: d("2025-03-31"), Unit: "percent"}, {ID: "later", Deadline: d("2027-03-31"), Unit: "percent"},
		{ID: "next", Deadline: d("2026-03-31"), Unit: "percent"}, {ID: "const", StandardType: accord.Constitutional, Unit: "percent"},
		// A percentage-point improvement is no target line for a percentage.
		{ID: "a_points", Deadline: d("2025-03-31"), Unit: "percentage points"},
	}
	for _, tc := range []struct{ latest, want string }{
		{"2025-03", "old"}, {"2025-05", "next"}, {"2026/27 Q4", "later"}, {"2027-04", "const"},
	} {
		if p := assess.Standard(accord.Indicator{Unit: accord.UnitPercent}, ps, accord.MustParsePeriod(tc.latest)); p == nil || p.ID != tc.want {
			t.Errorf("latest %s: target %v, want %s", tc.latest, p, tc.want)
		}
	}
	if assess.Standard(accord.Indicator{Unit: accord.UnitPercent}, ps[:3], accord.MustParsePeriod("2028-01")) != nil {
		t.Error("a target past every deadline")
	}
}
