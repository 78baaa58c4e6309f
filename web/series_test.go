package web

import (
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/nhs-accord/accord"
)

func TestSeriesPage(t *testing.T) {
	e := newTestEnv(t, Config{})
	// A figure published with its interval, for the interval column.
	if err := e.store.AddObservations(context.Background(), []accord.Observation{{
		IndicatorID: "smoking_prevalence", OrgCode: "RGT", Period: accord.MustParsePeriod("2024"), Value: 12.5,
		LowerCI: accord.Float(11.25), UpperCI: accord.Float(13.75), CILevel: 95, Status: accord.Final, Source: "test",
	}}); err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct {
		path   string
		status int
		title  string
		want   []string // in the HTML, in this order
		absent []string
	}{
		{"/organisations/QUE/indicators/ae_4h_all", 200, "A&amp;E attendances seen within 4 hours", []string{
			`<a class="nhsuk-breadcrumb__link" href="/">Home</a>`,
			`<a class="nhsuk-breadcrumb__link" href="/regions/Y61">East of England</a>`,
			`<a class="nhsuk-breadcrumb__link" href="/icbs/QUE">NHS Cambridgeshire and Peterborough Integrated Care Board</a>`,
			"Percentage of A&amp;E attendances admitted, transferred or discharged within 4 hours of arrival.",
			`<a href="https://www.england.nhs.uk/statistics/statistical-work-areas/ae-waiting-times-and-activity/">NHS England: A&amp;E attendances and emergency admissions</a>`,
			`<form method="get" action="/organisations/QUE/indicators/ae_4h_all" novalidate>`,
			`<label class="nhsuk-label nhsuk-label--s" for="breakdown">Show values for</label>`,
			`<option value="total" selected>All people</option>`, `<option value="sex=female">Female</option>`,
			`<button class="nhsuk-button nhsuk-button--secondary" data-module="nhsuk-button" type="submit">Show breakdown</button>`,
			// Newest period first.
			`<th class="nhsuk-table__header" scope="row">2025-05</th>`, `75.25%`, `15,050`, `20,000`,
			`<strong class="nhsuk-tag nhsuk-tag--yellow">Provisional</strong>`, "Not recorded",
			`<th class="nhsuk-table__header" scope="row">2025-04</th>`, `74.5%`, `14,900`,
			`<strong class="nhsuk-tag nhsuk-tag--green">Final</strong>`,
			`href="/organisations/QUE/indicators/ae_4h_all?format=csv"`,
			"No earlier values have been replaced by a revised publication.",
			`href="/api/v1/observations?breakdown=total&amp;indicator=ae_4h_all&amp;organisation=QUE"`,
		}, []string{"Confidence interval", "76%"}},
		{"/organisations/QUE/indicators/ae_4h_all?breakdown=sex%3Dfemale", 200, "A&amp;E attendances seen within 4 hours", []string{
			`<option value="total">All people</option>`, `<option value="sex=female" selected>Female</option>`,
			`<th class="nhsuk-table__header" scope="row">2025-05</th>`, "76%",
			`href="/organisations/QUE/indicators/ae_4h_all?breakdown=sex%3Dfemale&amp;format=csv"`,
		}, []string{"2025-04", "75.25%"}},
		{"/organisations/QUE/indicators/ae_4h_all?breakdown=sex=female&utm_source=email", 200, "A&amp;E attendances seen within 4 hours",
			[]string{`<option value="sex=female" selected>Female</option>`}, nil},
		{"/organisations/RGT/indicators/ae_4h_all", 200, "A&amp;E attendances seen within 4 hours", []string{
			`href="/regions/Y61"`, `<a class="nhsuk-breadcrumb__link" href="/icbs/QUE">`,
			"Cambridge University Hospitals NHS Foundation Trust (NHS trust, RGT)", "70.1%",
		}, []string{"<select"}},
		{"/organisations/RGT/indicators/smoking_prevalence", 200, "Smoking prevalence in adults", []string{
			"OHID: Fingertips", `<th class="nhsuk-table__header" scope="col">Confidence interval</th>`, "11.25% to 13.75% (95%)",
		}, nil},
		{"/organisations/QUE/indicators/smoking_prevalence", 200, "Smoking prevalence in adults", []string{
			"No values of this indicator are held for NHS Cambridgeshire and Peterborough Integrated Care Board yet.",
		}, []string{"Download this data"}},
		{"/organisations/XXX/indicators/ae_4h_all", 404, "Page not found", nil, nil},
		{"/organisations/QUE/indicators/nope", 404, "Page not found", nil, nil},
		{"/organisations/QUE/indicators/ae_4h_all?breakdown=sex=male", 404, "Page not found", nil, nil},
		{"/organisations/QUE/indicators/ae_4h_all?breakdown=colour=blue", 400, "There is a problem with the web address",
			[]string{"breakdown: "}, nil},
		{"/organisations/QUE/indicators/ae_4h_all?format=xml", 400, "There is a problem with the web address",
			[]string{"format: &#34;xml&#34; is not known"}, nil},
	} {
		t.Run(tc.path, func(t *testing.T) {
			res := e.do(t, http.MethodGet, tc.path)
			b := body(t, res)
			if res.StatusCode != tc.status {
				t.Fatalf("status %d, want %d\n%s", res.StatusCode, tc.status, b)
			}
			checkPageFrame(t, b, tc.title)
			rest := b
			for _, w := range tc.want {
				i := strings.Index(rest, w)
				if i < 0 {
					t.Errorf("lacks %s (or not in order)", w)
					continue
				}
				rest = rest[i+len(w):]
			}
			for _, a := range tc.absent {
				if strings.Contains(b, a) {
					t.Errorf("has %s", a)
				}
			}
		})
	}
}

func TestSeriesPageRedirects(t *testing.T) {
	e := newTestEnv(t, Config{})
	for _, tc := range []struct{ path, location string }{
		{"/organisations/que/indicators/ae_4h_all", "/organisations/QUE/indicators/ae_4h_all"},
		{"/organisations/E54000056/indicators/ae_4h_all?breakdown=sex%3Dfemale", "/organisations/QUE/indicators/ae_4h_all?breakdown=sex%3Dfemale"},
		{"/organisations/E54000023/indicators/ae_4h_all", "/organisations/QUE/indicators/ae_4h_all"}, // an earlier ONS code
		{"/organisations/rgt/indicators/ae_4h_all?format=csv", "/organisations/RGT/indicators/ae_4h_all?format=csv"},
	} {
		res := e.do(t, http.MethodGet, tc.path)
		if res.StatusCode != http.StatusMovedPermanently || res.Header.Get("Location") != tc.location {
			t.Errorf("%s: %d to %q, want 301 to %q", tc.path, res.StatusCode, res.Header.Get("Location"), tc.location)
		}
	}
}

func TestSeriesCSV(t *testing.T) {
	e := newTestEnv(t, Config{})
	for _, tc := range []struct {
		path, file string
		rows       [][]string // after the header
	}{
		{"/organisations/QUE/indicators/ae_4h_all?format=csv", "QUE-ae_4h_all.csv", [][]string{
			{"QUE", "ae_4h_all", "2025-05", "", "75.25", "15050", "20000", "", "", "", "provisional", ""},
			{"QUE", "ae_4h_all", "2025-04", "", "74.5", "14900", "20000", "", "", "", "final", ""},
		}},
		{"/organisations/QUE/indicators/ae_4h_all?format=csv&breakdown=sex%3Dfemale", "QUE-ae_4h_all-sex_female.csv", [][]string{
			{"QUE", "ae_4h_all", "2025-05", "sex=female", "76", "", "", "", "", "", "provisional", ""},
		}},
	} {
		t.Run(tc.path, func(t *testing.T) {
			res := e.do(t, http.MethodGet, tc.path)
			if res.StatusCode != 200 || res.Header.Get("Content-Type") != "text/csv; charset=utf-8" ||
				res.Header.Get("Content-Disposition") != `attachment; filename="`+tc.file+`"` {
				t.Fatalf("%d %v", res.StatusCode, res.Header)
			}
			recs, err := csv.NewReader(res.Body).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			want := "organisation_code,indicator_id,period,breakdown,value,numerator,denominator,lower_ci,upper_ci,ci_level,status,import_id"
			if strings.Join(recs[0], ",") != want {
				t.Errorf("header %v", recs[0])
			}
			if len(recs)-1 != len(tc.rows) {
				t.Fatalf("%d rows, want %d: %v", len(recs)-1, len(tc.rows), recs)
			}
			for i, row := range tc.rows {
				if strings.Join(recs[i+1], ",") != strings.Join(row, ",") {
					t.Errorf("row %d: %v, want %v", i+1, recs[i+1], row)
				}
			}
		})
	}
}

// TestSeriesWithRevisions imports a return and its revision, then reads
// the series and imports pages.
func TestSeriesWithRevisions(t *testing.T) {
	e := newTestEnv(t, Config{})
	for _, f := range []struct{ name, content string }{{"first.csv", firstReturn}, {"revised.csv", revisedReturn}} {
		if res, b := e.postImport(t, f.name, f.content, nil); res.StatusCode != http.StatusCreated {
			t.Fatalf("%s: %d\n%s", f.name, res.StatusCode, b)
		}
	}
	for _, tc := range []struct {
		path, title string
		want        []string // in this order
	}{
		{"/organisations/QUE/indicators/ae_4h_all", "A&amp;E attendances seen within 4 hours", []string{
			`<th class="nhsuk-table__header" scope="row">2025-07</th>`, "77.2%", "15,440",
			`<a href="/imports/2"><span class="nhsuk-u-visually-hidden">Import </span>#2</a>`,
			`<th class="nhsuk-table__header" scope="row">2025-06</th>`, "76.5%",
			"<h2>Earlier published values</h2>",
			`<th class="nhsuk-table__header" scope="row">2025-07</th>`, "77%",
			`<strong class="nhsuk-tag nhsuk-tag--yellow">Provisional</strong>`,
			`<a href="/imports/1"><span class="nhsuk-u-visually-hidden">Import </span>#1</a>`,
			`<a href="/imports/2"><span class="nhsuk-u-visually-hidden">Import </span>#2</a>`,
			`<th class="nhsuk-table__header" scope="row">2025-06</th>`, "76%",
			`href="/api/v1/revisions?breakdown=total&amp;indicator=ae_4h_all&amp;organisation=QUE"`,
		}},
		{"/organisations/QUE/indicators/ae_4h_all?breakdown=sex%3Dfemale", "A&amp;E attendances seen within 4 hours", []string{
			"81%", "<h2>Earlier published values</h2>", "80%",
		}},
		{"/imports", "Imports", []string{
			`<a class="nhsuk-header__navigation-link" href="/imports" aria-current="page">`,
			"2 imports",
			`<a href="/imports/2"><span class="nhsuk-u-visually-hidden">Import </span>#2</a>`, "revised.csv", "Long-format local return",
			"2025-06 to 2025-07", ">3<", ">3<", "None", "by " + importerEmail, `<strong class="nhsuk-tag nhsuk-tag--green">Applied</strong>`,
			`<a href="/imports/1"><span class="nhsuk-u-visually-hidden">Import </span>#1</a>`, "first.csv",
		}},
		{"/imports/1", "Import #1", []string{
			`<a class="nhsuk-breadcrumb__link" href="/imports">Imports</a>`, "first.csv", "Applied",
			"Local return", "local-return:QUE", "2025-06 to 2025-07", "Every row was loaded.",
			"This import holds no observations now: later imports replaced them.",
		}},
		{"/imports/2", "Import #2", []string{
			"Observations replaced", ">3<", "The 3 observations this import holds now",
			"A&amp;E attendances seen within 4 hours", "NHS Cambridgeshire and Peterborough Integrated Care Board (QUE)", "2025-06", "All people", "76.5%",
			`<a href="/organisations/QUE/indicators/ae_4h_all">View series<span class="nhsuk-u-visually-hidden"> of A&amp;E attendances seen within 4 hours for NHS Cambridgeshire and Peterborough Integrated Care Board, All people</span></a>`,
			`<a href="/organisations/QUE/indicators/ae_4h_all?breakdown=sex%3Dfemale">View series`,
		}},
	} {
		t.Run(tc.path, func(t *testing.T) {
			res := e.do(t, http.MethodGet, tc.path)
			b := body(t, res)
			if res.StatusCode != http.StatusOK {
				t.Fatalf("%d\n%s", res.StatusCode, b)
			}
			checkPageFrame(t, b, tc.title)
			rest := b
			for _, w := range tc.want {
				i := strings.Index(rest, w)
				if i < 0 {
					t.Errorf("lacks %s (or not in order)", w)
					continue
				}
				rest = rest[i+len(w):]
			}
		})
	}
}

func TestImportsPages(t *testing.T) {
	e := newTestEnv(t, Config{})
	for _, tc := range []struct {
		path   string
		status int
		title  string
		want   string
	}{
		{"/imports", 200, "Imports", "No files have been imported yet."},
		{"/imports?page=2", 404, "Page not found", "If you typed the web address"},
		{"/imports?page=0", 400, "There is a problem with the web address", "page: "},
		{"/imports/1", 404, "Page not found", "If you typed the web address"},
		{"/imports/first", 404, "Page not found", "If you typed the web address"},
	} {
		res := e.do(t, http.MethodGet, tc.path)
		b := body(t, res)
		if res.StatusCode != tc.status || !strings.Contains(b, tc.want) {
			t.Errorf("%s: %d, want %d with %q\n%s", tc.path, res.StatusCode, tc.status, tc.want, b)
			continue
		}
		checkPageFrame(t, b, tc.title)
	}

	// Paging: 51 imports make two pages.
	month := accord.Month(2023, time.January)
	for range importsPerPage + 1 {
		content := longHeader + "QUE,smoking_prevalence," + month.String() + ",1,10,10,,final\n"
		month = month.Next()
		if res, b := e.postImport(t, "year.csv", content, nil); res.StatusCode != http.StatusCreated {
			t.Fatalf("%d\n%s", res.StatusCode, b)
		}
	}
	for _, tc := range []struct{ path, want, absent string }{
		{"/imports", `href="/imports?page=2" rel="next"`, `rel="prev"`},
		{"/imports?page=2", `href="/imports?page=1" rel="prev"`, `rel="next"`},
	} {
		b := body(t, e.do(t, http.MethodGet, tc.path))
		if !strings.Contains(b, tc.want) || strings.Contains(b, tc.absent) || !strings.Contains(b, "51 imports") {
			t.Errorf("%s: lacks %s or has %s", tc.path, tc.want, tc.absent)
		}
	}
}

// TestImportPageSkippedRows shows the rows a national file left out, by
// reason, with an example.
func TestImportPageSkippedRows(t *testing.T) {
	e := newTestEnv(t, Config{})
	ctx := context.Background()
	w, err := e.store.BeginImport(ctx, accord.Import{Format: "ae", FileName: "ae-2025-06.csv", SHA256: "abc123",
		Publisher: "NHS England", Dataset: "ae", ImportedBy: "analyst@example.nhs.uk"})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Abort()
	if err := w.Add(ctx, accord.Observation{IndicatorID: "ae_4h_all", OrgCode: "RGT", Period: accord.MustParsePeriod("2025-06"),
		Value: 71, Status: accord.Final, Source: "test"}, "ae-2025-06.csv:2"); err != nil {
		t.Fatal(err)
	}
	skipped := []accord.SkipCount{
		{Reason: "independent-sector provider", Count: 1234, Example: "NT4: Circle Health"},
		{Reason: "Welsh organisation", Count: 2, Example: "7A1"},
	}
	imp, err := w.Finish(ctx, 1237, skipped, true)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		path, title string
		want        []string
	}{
		{fmt.Sprintf("/imports/%d", imp.ID), fmt.Sprintf("Import #%d", imp.ID), []string{
			"ae-2025-06.csv", "NHS England", "1,237", "1,236", "analyst@example.nhs.uk", "<code class=\"accord-hash\">abc123</code>",
			`<th class="nhsuk-table__header" scope="row">independent-sector provider</th>`, "1,234", "NT4: Circle Health",
			`<th class="nhsuk-table__header" scope="row">Welsh organisation</th>`, "7A1",
			"The 1 observation this import holds now", "Cambridge University Hospitals NHS Foundation Trust (RGT)",
		}},
		{"/imports", "Imports", []string{"1 import", "<li>1,234: independent-sector provider</li>", "<li>2: Welsh organisation</li>", "by analyst@example.nhs.uk"}},
	} {
		b := body(t, e.do(t, http.MethodGet, tc.path))
		checkPageFrame(t, b, tc.title)
		rest := b
		for _, w := range tc.want {
			i := strings.Index(rest, w)
			if i < 0 {
				t.Errorf("%s: lacks %s (or not in order)", tc.path, w)
				continue
			}
			rest = rest[i+len(w):]
		}
	}
}
