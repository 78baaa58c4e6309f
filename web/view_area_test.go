package web

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/nhs-accord/accord"
)

func TestAreaPageShowsOnlyPublicTargets(t *testing.T) {
	e := newTestEnv(t, Config{})
	seedViews(t, e.store)
	viewTarget(t, e.store, accord.Target{Title: "See more people within 4 hours in A&E", IndicatorID: "ae_4h_all",
		PriorityID: "pg2728_ae_4h", Value: 82, BaselinePeriod: accord.MustParsePeriod("2025-04"), BaselineValue: accord.Float(74.5)},
		viewToApproved...)
	viewTarget(t, e.store, accord.Target{Title: "Secret draft target", IndicatorID: "ae_4h_all", LocalTag: accord.TagOutcome, Value: 90})
	viewTarget(t, e.store, accord.Target{Title: "Cancer target under consultation", IndicatorID: "cancer_62d", LocalTag: accord.TagOutcome,
		Value: 88, Rationale: "Unpublished rationale"}, accord.TargetConsultation)
	viewTarget(t, e.store, accord.Target{Title: "Submitted, not yet approved", IndicatorID: "rtt_18w_share", LocalTag: accord.TagOutcome,
		Value: 70}, viewToSubmitted...)
	viewTarget(t, e.store, accord.Target{Title: "Withdrawn target", IndicatorID: "rtt_18w_share", LocalTag: accord.TagOutcome,
		Value: 70}, accord.TargetWithdrawn)

	// The ICB lead sees every one of QUE's targets elsewhere; the public
	// page is the same for them as for anyone.
	e.addUser(t, "lead@que.nhs.net", "Lena Lead", accord.Grant{Role: accord.RoleICBLead, OrgCode: "QUE"})
	lead := e.browser(t)
	lead.mustSignIn("lead@que.nhs.net")
	anon := e.do(t, http.MethodGet, "/area/QUE")
	_, signedIn := lead.get("/area/QUE")
	for name, b := range map[string]string{"anonymous": body(t, anon), "ICB lead": signedIn} {
		t.Run(name, func(t *testing.T) {
			checkPageFrame(t, b, "How is NHS Cambridgeshire and Peterborough Integrated Care Board doing?")
			targets := viewSection(b, "h2", "Targets")
			for _, want := range []string{
				"<h3>See more people within 4 hours in A&amp;E</h3>",
				"A&amp;E attendances seen within 4 hours</a>: at least 82% by 31 March 2028",
				"74.5% in April 2025", // the starting point
				"75.25% in May 2025",  // the latest figure, from seed
				"Approved by NHS England",
			} {
				if !strings.Contains(targets, want) {
					t.Errorf("targets lack %s:\n%s", want, targets)
				}
			}
			for _, hidden := range []string{"Secret draft target", "Cancer target under consultation", "Unpublished rationale",
				"Submitted, not yet approved", "Withdrawn target", "Do you support this target"} {
				if strings.Contains(b, hidden) {
					t.Errorf("the public page shows %q", hidden)
				}
			}
			if n := strings.Count(targets, "<h3>"); n != 1 {
				t.Errorf("%d targets shown, want 1", n)
			}
		})
	}
	if anon.StatusCode != http.StatusOK || anon.Header.Get("Cache-Control") == "no-store" {
		t.Errorf("anonymous: %d, Cache-Control %q", anon.StatusCode, anon.Header.Get("Cache-Control"))
	}
}

func TestAreaPageProgressInWords(t *testing.T) {
	e := newTestEnv(t, Config{})
	seedViews(t, e.store)
	// QUE's 14 months hover around 74%: 82% is out of reach at that rate,
	// and 60% already met.
	viewTarget(t, e.store, accord.Target{Title: "Reach 82%", IndicatorID: "ae_4h_all", LocalTag: accord.TagOutcome, Value: 82}, viewToApproved...)
	viewTarget(t, e.store, accord.Target{Title: "Stay above 60%", IndicatorID: "ae_4h_all", LocalTag: accord.TagOutcome, Value: 60}, viewToApproved...)
	b := body(t, e.do(t, http.MethodGet, "/area/QUE"))
	inOrder(t, b,
		"<h3>Reach 82%</h3>", `<strong class="nhsuk-tag nhsuk-tag--red">Not on track</strong> If the recent trend continues, the target will not be met by 31 March 2028.`,
		"<h3>Stay above 60%</h3>", `<strong class="nhsuk-tag nhsuk-tag--green">On track</strong> If the recent trend continues, the target will be met by 31 March 2028.`)
}

func TestAreaPageSuppression(t *testing.T) {
	e := newTestEnv(t, Config{})
	seedViews(t, e.store)
	res := e.do(t, http.MethodGet, "/area/E10000003")
	b := body(t, res)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("%d\n%s", res.StatusCode, b)
	}
	checkPageFrame(t, b, "How is Cambridgeshire doing?")
	hidden := `*<span class="nhsuk-u-visually-hidden"> (hidden: fewer than 8)</span>`
	for _, tc := range []struct {
		row     string
		want    []string
		notWant []string
	}{
		// 12 out of 13: both counts rounded, the percentage from the
		// unrounded counts; compared with England by its interval, which
		// on 13 patients is wide (Wilson: 66.7% to 98.6%).
		{"Cancer treatment within 62 days", []string{"10 out of 15", ">92.31%<", ">70%<", "Similar to England", "May 2025"}, []string{">12<", ">13<"}},
		// A count of 5 is hidden; England's count of 3 is not.
		{"Waits of more than 12 hours", []string{">" + hidden + "<", ">3<", "Not compared"}, []string{">5<"}},
		// A percentage built on a count of 5 is hidden, and so is its
		// comparison.
		{"Patients waiting 18 weeks or less", []string{">" + hidden + "<", "Not compared: the figure is hidden", ">60%<"}, []string{"12.5", "Better", "Worse"}},
		// A rate published as such, without counts, is shown as published.
		{"Smoking prevalence in adults", []string{">14.2%<", ">11.9%<", "Worse than England", ">2023<"}, nil},
	} {
		row := viewRow(b, tc.row)
		if row == "" {
			t.Errorf("no row for %s", tc.row)
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(row, w) {
				t.Errorf("%s: row lacks %s:\n%s", tc.row, w, row)
			}
		}
		for _, w := range tc.notWant {
			if strings.Contains(row, w) {
				t.Errorf("%s: row shows %s:\n%s", tc.row, w, row)
			}
		}
	}
	if !strings.Contains(b, "<strong>*</strong> means a figure is hidden") || !strings.Contains(b, "rounded to the nearest 5") {
		t.Errorf("the page does not explain suppression")
	}
	// A place links to its ICB's page.
	if !strings.Contains(b, `is part of <a href="/area/QUE">NHS Cambridgeshire and Peterborough Integrated Care Board</a>`) {
		t.Errorf("no link to the ICB's page")
	}
}

func TestAreaPagePublishedDate(t *testing.T) {
	e := newTestEnv(t, Config{})
	seedViews(t, e.store)
	imps, _, err := e.store.FindImports(context.Background(), accord.ImportFilter{})
	if err != nil || len(imps) != 3 {
		t.Fatalf("%d imports, %v", len(imps), err)
	}
	var waits, smoking accord.Import
	for _, imp := range imps {
		switch imp.FileName {
		case "waits-2025-05.csv":
			waits = imp
		case "fingertips-smoking.csv":
			smoking = imp
		}
	}
	b := body(t, e.do(t, http.MethodGet, "/area/E10000003"))
	if want := "The figures on this page were last updated on " + viewDay(smoking.ImportedAt) + "."; !strings.Contains(b, want) {
		t.Errorf("lacks %q", want)
	}
	// No publication date was recorded, so the day it was imported is
	// given, labelled as such.
	if row := viewRow(b, "Cancer treatment within 62 days"); !strings.Contains(row, ">Added to Accord on "+viewDay(waits.ImportedAt)+"<") {
		t.Errorf("the figure does not say when it was added:\n%s", row)
	}
	if strings.Contains(b, "Published on") || strings.Contains(b, "were published on") {
		t.Errorf("the page gives a publication date none of its imports has")
	}
	sources := viewSection(b, "h2", "Where the figures come from")
	for _, want := range []string{"Waiting times", "waits-2025-05.csv", "Fingertips: smoking prevalence", "OHID", "NHS England"} {
		if !strings.Contains(sources, want) {
			t.Errorf("sources lack %s:\n%s", want, sources)
		}
	}
	// The A&E import has no figure for Cambridgeshire, so it is not listed.
	if strings.Contains(sources, "ae-2025.csv") {
		t.Errorf("sources list an import with no figure on the page:\n%s", sources)
	}
}

func TestAreaPageShowsPublicationDate(t *testing.T) {
	e := newTestEnv(t, Config{})
	seedViews(t, e.store)
	ctx := context.Background()
	w, err := e.store.BeginImport(ctx, accord.Import{Format: "fingertips", FileName: "fingertips-smoking-2024.csv", SHA256: "f00d",
		Publisher: "OHID", Dataset: "Fingertips: smoking prevalence 2024", ImportedBy: "analyst@nhs.net",
		PublishedOn: accord.NewDate(2025, time.January, 9)})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Abort()
	for i, o := range []accord.Observation{
		{IndicatorID: "smoking_prevalence", OrgCode: "E10000003", Period: accord.MustParsePeriod("2024"), Value: 13.1, Status: accord.Final, Source: "test"},
		{IndicatorID: "smoking_prevalence", OrgCode: accord.EnglandCode, Period: accord.MustParsePeriod("2024"), Value: 11.6, Status: accord.Final, Source: "test"},
	} {
		if err := w.Add(ctx, o, fmt.Sprint("fingertips-smoking-2024.csv:", i+2)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := w.Finish(ctx, 2, nil, true); err != nil {
		t.Fatal(err)
	}
	imps, _, err := e.store.FindImports(ctx, accord.ImportFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var waits accord.Import
	for _, imp := range imps {
		if imp.FileName == "waits-2025-05.csv" {
			waits = imp
		}
	}

	b := body(t, e.do(t, http.MethodGet, "/area/E10000003"))
	// The headline dates the figures by their publication, and still says
	// when the undated ones came in rather than passing them off as dated.
	if want := "The newest figures on this page were published on 9 January 2025; those with no publication date recorded were last added to Accord on " +
		viewDay(waits.ImportedAt) + "."; !strings.Contains(b, want) {
		t.Errorf("lacks %q", want)
	}
	if strings.Contains(b, "last updated on") {
		t.Errorf("the page still gives only the import day as when it was updated")
	}
	if row := viewRow(b, "Smoking prevalence in adults"); !strings.Contains(row, ">Published on 9 January 2025<") || strings.Contains(row, "Added to Accord") {
		t.Errorf("the figure does not say when it was published:\n%s", row)
	}
	if row := viewRow(b, "Cancer treatment within 62 days"); !strings.Contains(row, ">Added to Accord on "+viewDay(waits.ImportedAt)+"<") {
		t.Errorf("an undated figure does not say when it was added:\n%s", row)
	}
	sources := viewSection(b, "h2", "Where the figures come from")
	if !strings.Contains(sources, "Published on 9 January 2025") {
		t.Errorf("sources do not give the publication date:\n%s", sources)
	}
}

func TestAreaPageAddresses(t *testing.T) {
	e := newTestEnv(t, Config{})
	seedViews(t, e.store)
	for _, tc := range []struct {
		path, location string
		status         int
	}{
		{"/area/QUE", "", 200},
		{"/area/E54000056", "/area/QUE", 301}, // the ICB's ONS code
		{"/area/E54000023", "/area/QUE", 301}, // and its earlier one
		{"/area/que", "/area/QUE", 301},
		{"/area/E10000003", "", 200},
		{"/area/e10000003", "/area/E10000003", 301},
		{"/area/RGT", "", 404}, // a trust
		{"/area/Y61", "", 404}, // a region
		{"/area/NOPE", "", 404},
	} {
		res := e.do(t, http.MethodGet, tc.path)
		b := body(t, res)
		if res.StatusCode != tc.status || res.Header.Get("Location") != tc.location {
			t.Errorf("%s: %d %q, want %d %q", tc.path, res.StatusCode, res.Header.Get("Location"), tc.status, tc.location)
		}
		if tc.status == 404 && !strings.Contains(b, "Page not found") {
			t.Errorf("%s: not the not-found page:\n%s", tc.path, b)
		}
	}
	// An ICB's page lists its places' pages; the ICB page links to it.
	b := body(t, e.do(t, http.MethodGet, "/area/QUE"))
	if !strings.Contains(b, `<a href="/area/E06000031">How is Peterborough doing?</a>`) {
		t.Errorf("no link to a place's page")
	}
	icb := body(t, e.do(t, http.MethodGet, "/icbs/QUE"))
	for _, want := range []string{`<a href="/area/QUE">`, `<a href="/icbs/QUE/partners">`} {
		if !strings.Contains(icb, want) {
			t.Errorf("the ICB page lacks %s", want)
		}
	}
}
