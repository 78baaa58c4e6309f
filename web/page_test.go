package web

import (
	"encoding/csv"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
)

func TestPages(t *testing.T) {
	e := newTestEnv(t, Config{})
	for _, tc := range []struct {
		path   string
		status int
		title  string   // the <title>, before " – Accord"
		want   []string // in the HTML
	}{
		{"/", 200, "Integrated care boards in England", []string{
			`<h2 class="nhsuk-heading-m accord-region-heading" id="region-Y61">`, `<a href="/regions/Y61">East of England</a>`,
			`<ul class="nhsuk-list nhsuk-list--bullet" data-region="Y61">`,
			`<a href="/icbs/QUE" data-icb="QUE">NHS Cambridgeshire and Peterborough Integrated Care Board</a>`,
			`<svg class="accord-map" viewBox="0 0 100 120" role="group" aria-labelledby="icb-map-title" aria-describedby="icb-map-desc"`,
			`<a href="/icbs/QUE" tabindex="-1"><title>NHS Cambridgeshire and Peterborough Integrated Care Board</title><path class="accord-map__area accord-map__area--1" d="M10 10L90 10L90 110Z"/></a>`,
			`<path class="accord-map__area accord-map__area--unknown" d="M1 1L5 1L5 5Z"><title>Somewhere else</title></path>`,
			`href="/?format=csv"`,
		}},
		{"/icbs/QUE", 200, "NHS Cambridgeshire and Peterborough Integrated Care Board", []string{
			"Integrated care board", "QUE", "E54000056", "E54000023 (1 July 2022 to 31 March 2023)", "(since 1 April 2023)",
			`<a href="/regions/Y61">East of England</a>`,
			`<a class="nhsuk-breadcrumb__link" href="/regions/Y61">East of England</a>`,
			"Cambridgeshire", "E10000003", "Cambridge University Hospitals NHS Foundation Trust", "RGT",
			"NHS Cambridgeshire and Peterborough ICB - 06H", "E38000026",
			`<a href="/indicators/ae_4h_all">A&amp;E attendances seen within 4 hours</a>`,
			"<td class=\"nhsuk-table__cell nhsuk-table__cell--numeric\">75.25%</td>", // the latest value
			"<td class=\"nhsuk-table__cell\">2025-04</td>", "<td class=\"nhsuk-table__cell\">2025-05</td>",
			// Latest values and data held link to the series.
			`<a href="/organisations/QUE/indicators/ae_4h_all">View series<span class="nhsuk-u-visually-hidden"> of A&amp;E attendances seen within 4 hours for NHS Cambridgeshire and Peterborough Integrated Care Board</span></a>`,
			`<a href="/organisations/QUE/indicators/ae_4h_all">2<span class="nhsuk-u-visually-hidden"> observations of A&amp;E attendances seen within 4 hours for NHS Cambridgeshire and Peterborough Integrated Care Board</span></a>`,
			`<a href="/organisations/RGT/indicators/ae_4h_all">1<span class="nhsuk-u-visually-hidden"> observation of A&amp;E attendances seen within 4 hours for Cambridge University Hospitals NHS Foundation Trust</span></a>`,
		}},
		{"/regions/Y61", 200, "East of England", []string{"NHS region", "E40000013",
			`<a href="/icbs/QUE">NHS Cambridgeshire and Peterborough Integrated Care Board</a>`}},
		{"/indicators", 200, "Indicators", []string{
			`<caption class="nhsuk-table__caption nhsuk-table__caption--m">Urgent and emergency care</caption>`,
			`<caption class="nhsuk-table__caption nhsuk-table__caption--m">Population health</caption>`,
			`<a href="/indicators/ae_4h_all">A&amp;E attendances seen within 4 hours</a>`,
			"Higher is better", "Lower is better", "Monthly", "Percentage",
			`<strong class="nhsuk-tag nhsuk-tag--red">acute</strong>`, `<th class="nhsuk-table__header" scope="col">Source</th>`,
			`href="/indicators?format=csv"`,
		}},
		{"/indicators/smoking_prevalence", 200, "Smoking prevalence in adults", []string{
			"Percentage of adults aged 18 and over who smoke.", "Adults who smoke", "Adults surveyed", "Proportion",
			"Fingertips indicator ID", "92443", "No national priority is measured by this indicator.",
		}},
		{"/indicators/ae_4h_all", 200, "A&amp;E attendances seen within 4 hours", []string{
			`<a href="https://www.england.nhs.uk/statistics/statistical-work-areas/ae-waiting-times-and-activity/">`,
			"A&amp;E: patients seen within 4 hours", "at least 78%", "31 March 2026",
		}},
		{"/priorities", 200, "National priorities", []string{
			"Constitutional standards", "Planning priorities",
			"Referral to treatment within 18 weeks", "at least 92%", "Standing", "Department of Health and Social Care",
			"A&amp;E: patients seen within 4 hours", "31 March 2026", "31 March 2025",
			// One planning deadline (2026) is still ahead of 22 November 2025; the 2025 one has passed.
			"<strong>1</strong> national planning priority has a deadline that has not yet passed (as at 22 November 2025)",
			"no more than 10 national targets", "within the suggested ceiling",
			`href="/priorities?format=csv"`,
		}},
		{"/icbs/XXX", 404, "Page not found", []string{"If you typed the web address, check it was correct."}},
		{"/icbs/RGT", 404, "Page not found", nil},
		{"/regions/QUE", 301, "", nil},
		{"/regions/XXX", 404, "Page not found", nil},
		{"/indicators/nope", 404, "Page not found", nil},
		{"/nope", 404, "Page not found", nil},
		{"/indicators?format=xml", 400, "There is a problem with the web address", []string{"format: &#34;xml&#34; is not known"}},
		{"/icbs/E54000056", 301, "", nil},
		{"/icbs/que", 301, "", nil},
		{"/icbs/Y61", 301, "", nil},
	} {
		t.Run(tc.path, func(t *testing.T) {
			res := e.do(t, http.MethodGet, tc.path)
			b := body(t, res)
			if res.StatusCode != tc.status {
				t.Fatalf("status %d, want %d\n%s", res.StatusCode, tc.status, b)
			}
			if tc.status == 301 {
				return
			}
			if ct := res.Header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
				t.Errorf("Content-Type %q", ct)
			}
			checkPageFrame(t, b, tc.title)
			for _, w := range tc.want {
				if !strings.Contains(b, w) {
					t.Errorf("lacks %s", w)
				}
			}
		})
	}
}

// checkPageFrame checks what every page must have: language, title, one
// h1, skip link, NHS.UK header with the service name, main landmark and
// the footer's attributions, and no inline script or style.
func checkPageFrame(t *testing.T, b, title string) {
	t.Helper()
	for _, w := range []string{
		`<html lang="en">`,
		"<title>" + title + " – Accord</title>",
		`<a class="nhsuk-skip-link" data-module="nhsuk-skip-link" href="#maincontent">Skip to main content</a>`,
		`<header class="nhsuk-header"`, `<span class="nhsuk-header__service-name">Accord</span>`,
		`<div class="nhsuk-width-container">`, `<main class="nhsuk-main-wrapper" id="maincontent">`,
		`<footer class="nhsuk-footer" role="contentinfo">`,
		`Contains public sector information licensed under the <a href="https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/">Open Government Licence v3.0</a>`,
		"Source: Office for National Statistics", "Contains OS data © Crown copyright",
		`<script type="module" src="/static/`,
	} {
		if !strings.Contains(b, w) {
			t.Errorf("page frame lacks %s", w)
		}
	}
	if n := strings.Count(b, "<h1"); n != 1 {
		t.Errorf("%d h1 elements, want 1", n)
	}
	if regexp.MustCompile(`<script>|<script [^>]*>[^<]|style="`).MatchString(b) {
		t.Errorf("page has inline script or style")
	}
}

func TestPageMethodNotAllowed(t *testing.T) {
	e := newTestEnv(t, Config{})
	res := e.do(t, http.MethodPost, "/indicators")
	if b := body(t, res); res.StatusCode != 405 || !strings.Contains(b, "POST is not allowed") || res.Header.Get("Allow") == "" {
		t.Errorf("%d %v\n%s", res.StatusCode, res.Header, b)
	}
}

func TestCSVDownloads(t *testing.T) {
	e := newTestEnv(t, Config{})
	for _, tc := range []struct {
		path, file string
		header     []string
		rows       int
		row        map[string]string // a row's values, by column, matched on the first column
	}{
		{"/indicators?format=csv", "indicators.csv",
			[]string{"id", "name", "area", "unit", "polarity", "method", "frequency", "tags", "source", "source_url", "fingertips_id"}, 2,
			map[string]string{"id": "smoking_prevalence", "tags": "outcome;preventative", "fingertips_id": "92443", "polarity": "lower_is_better"}},
		{"/priorities?format=csv", "priorities.csv",
			[]string{"id", "standard_type", "area", "name", "metric", "comparator", "standard", "unit", "deadline", "source", "set_by", "indicator_id", "confidence"}, 3,
			map[string]string{"id": "pg2526_ae_4h", "comparator": ">=", "standard": "78", "deadline": "2026-03-31", "indicator_id": "ae_4h_all"}},
		{"/?format=csv", "icbs.csv",
			[]string{"icb_code", "icb_ons_code", "icb_name", "region_code", "region_name"}, 1,
			map[string]string{"icb_code": "QUE", "icb_ons_code": "E54000056", "region_name": "East of England"}},
	} {
		t.Run(tc.path, func(t *testing.T) {
			res := e.do(t, http.MethodGet, tc.path)
			if res.StatusCode != 200 || res.Header.Get("Content-Type") != "text/csv; charset=utf-8" ||
				!strings.Contains(res.Header.Get("Content-Disposition"), tc.file) {
				t.Fatalf("%d %v", res.StatusCode, res.Header)
			}
			recs, err := csv.NewReader(res.Body).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			if strings.Join(recs[0], ",") != strings.Join(tc.header, ",") || len(recs) != tc.rows+1 {
				t.Fatalf("header %v, %d rows:\n%v", recs[0], len(recs)-1, recs)
			}
			for _, rec := range recs[1:] {
				if rec[0] != tc.row[tc.header[0]] {
					continue
				}
				for i, col := range tc.header {
					if want, ok := tc.row[col]; ok && rec[i] != want {
						t.Errorf("%s = %q, want %q", col, rec[i], want)
					}
				}
				return
			}
			t.Errorf("no row for %s", tc.row[tc.header[0]])
		})
	}
}

func TestWriteCSVDefusesFormulas(t *testing.T) {
	rec := httptest.NewRecorder()
	if err := writeCSV(rec, "x.csv", []string{"a", "b"}, [][]string{{"=HYPERLINK(\"x\")", "-1.5"}}); err != nil {
		t.Fatal(err)
	}
	if got := rec.Body.String(); !strings.Contains(got, `'=HYPERLINK`) || !strings.Contains(got, ",-1.5") {
		t.Errorf("%q", got)
	}
}

func TestHomeWithoutMap(t *testing.T) {
	e := newTestEnv(t, Config{})
	e.srv.mapICB.Shapes = nil
	res := e.do(t, http.MethodGet, "/")
	if b := body(t, res); res.StatusCode != 200 || strings.Contains(b, "<svg class=\"accord-map\"") || !strings.Contains(b, `data-region="Y61"`) {
		t.Errorf("%d\n%s", res.StatusCode, b)
	}
}
