package web

import (
	"net/http"
	"strings"
	"testing"

	"github.com/nhs-accord/accord"
)

func TestPartnersContributionsAddUp(t *testing.T) {
	e := newTestEnv(t, Config{})
	seedViews(t, e.store)
	viewTarget(t, e.store, accord.Target{Title: "See more people within 4 hours in A&E", IndicatorID: "ae_4h_all",
		PriorityID: "pg2728_ae_4h", Value: 82}, viewToApproved...)
	res := e.do(t, http.MethodGet, "/icbs/QUE/partners")
	b := body(t, res)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("%d\n%s", res.StatusCode, b)
	}
	checkPageFrame(t, b, "Partners’ contributions")
	ae := viewSection(b, "h2", "A&amp;E attendances seen within 4 hours")
	trusts := viewSection(ae, "h3", "NHS trusts")
	// The trusts' own figures for May 2025, the system's latest month:
	// 9,000 of 12,000 and 5,000 of 7,000, which add up to 14,000 of 19,000
	// (73.68%) against the system's own 15,050 of 20,000 (75.25%).
	for row, want := range map[string][]string{
		"Cambridge University Hospitals NHS Foundation Trust": {">75%<", ">9,000<", ">12,000<"},
		"North West Anglia NHS Foundation Trust":              {">71.43%<", ">5,000<", ">7,000<"},
		"Total of the trusts":                                 {">73.68%<", ">14,000<", ">19,000<"},
		"The system’s own figure":                             {">75.25%<", ">15,050<", ">20,000<"},
		"Difference":                                          {">-1.57 percentage points<", ">-1,050<", ">-1,000<"},
	} {
		r := viewRow(trusts, row)
		for _, w := range want {
			if !strings.Contains(r, w) {
				t.Errorf("%s: row lacks %s:\n%s", row, w, r)
			}
		}
	}
	for _, want := range []string{
		"The system’s own figure for May 2025: <strong>75.25%</strong> (15,050 out of 20,000).",
		"<li>See more people within 4 hours in A&amp;E: at least 82% by 31 March 2028 (Approved by NHS England).",
	} {
		if !strings.Contains(ae, want) {
			t.Errorf("lacks %s", want)
		}
	}
	if !strings.Contains(trusts, "The total of the trusts differs from the system’s own figure.") ||
		!strings.Contains(trusts, "Trusts count everyone they treat, including patients who live in other systems") {
		t.Errorf("the difference is not explained:\n%s", trusts)
	}
	// No place publishes A&E figures: no table of blanks.
	places := viewSection(ae, "h3", "Places")
	if strings.Contains(places, "<table") || !strings.Contains(places, "None of the places publishes figures for this measure.") {
		t.Errorf("places:\n%s", places)
	}
	if strings.Contains(b, "Your organisation") {
		t.Errorf("an anonymous viewer's organisation is marked")
	}
}

func TestPartnersAddUpExactly(t *testing.T) {
	e := newTestEnv(t, Config{})
	seedViews(t, e.store)
	viewImport(t, e.store, "cancer-trusts.csv", "NHS England", "Cancer waiting times by trust", []accord.Observation{
		{IndicatorID: "cancer_62d", OrgCode: "RGT", Period: accord.MustParsePeriod("2025-05"), Value: 80,
			Numerator: accord.Float(120), Denominator: accord.Float(150), Status: accord.Final, Source: "test"},
		{IndicatorID: "cancer_62d", OrgCode: "RGN", Period: accord.MustParsePeriod("2025-05"), Value: 100,
			Numerator: accord.Float(50), Denominator: accord.Float(50), Status: accord.Final, Source: "test"},
		// Peterborough has an older figure only; Cambridgeshire's 12 of 13
		// is rounded.
		{IndicatorID: "cancer_62d", OrgCode: "E06000031", Period: accord.MustParsePeriod("2025-04"), Value: 50,
			Numerator: accord.Float(20), Denominator: accord.Float(40), Status: accord.Final, Source: "test"},
	})
	viewTarget(t, e.store, accord.Target{Title: "Treat cancer sooner", IndicatorID: "cancer_62d", LocalTag: accord.TagOutcome, Value: 90},
		viewToApproved...)
	b := body(t, e.do(t, http.MethodGet, "/icbs/QUE/partners"))
	cancer := viewSection(b, "h2", "Cancer treatment within 62 days of urgent referral")
	trusts := viewSection(cancer, "h3", "NHS trusts")
	if r := viewRow(trusts, "Total of the trusts"); !strings.Contains(r, ">85%<") || !strings.Contains(r, ">170<") || !strings.Contains(r, ">200<") {
		t.Errorf("total:\n%s", r)
	}
	if !strings.Contains(trusts, "The trusts’ figures add up to the system’s own figure.") || strings.Contains(trusts, "Difference") {
		t.Errorf("the parts should add up exactly:\n%s", trusts)
	}
	places := viewSection(cancer, "h3", "Places")
	if r := viewRow(places, "Cambridgeshire"); !strings.Contains(r, ">92.31%<") || !strings.Contains(r, ">10<") || !strings.Contains(r, ">15<") {
		t.Errorf("Cambridgeshire:\n%s", r)
	}
	if r := viewRow(places, "Peterborough"); !strings.Contains(r, "No figure for May 2025; the latest is for April 2025.") {
		t.Errorf("Peterborough:\n%s", r)
	}
	if !strings.Contains(places, "One of the places has no figure for May 2025, so the total leaves it out.") {
		t.Errorf("the missing place is not explained:\n%s", places)
	}
}

func TestPartnersViewerSeesOwnOrganisation(t *testing.T) {
	e := newTestEnv(t, Config{})
	seedViews(t, e.store)
	viewTarget(t, e.store, accord.Target{Title: "Approved A&E target", IndicatorID: "ae_4h_all", LocalTag: accord.TagOutcome, Value: 80},
		viewToApproved...)
	viewTarget(t, e.store, accord.Target{Title: "A&E target in consultation", IndicatorID: "ae_4h_all", LocalTag: accord.TagOutcome, Value: 85},
		accord.TargetConsultation)
	viewTarget(t, e.store, accord.Target{Title: "Draft A&E target", IndicatorID: "ae_4h_all", LocalTag: accord.TagOutcome, Value: 86})
	e.addUser(t, "partner@rgt.nhs.net", "Pat Partner", accord.Grant{Role: accord.RolePartnerContributor, OrgCode: "RGT"})
	partner := e.browser(t)
	partner.mustSignIn("partner@rgt.nhs.net")
	res, b := partner.get("/icbs/QUE/partners")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("%d\n%s", res.StatusCode, b)
	}
	if r := viewRow(b, "Cambridge University Hospitals NHS Foundation Trust"); !strings.Contains(r, `<strong class="nhsuk-tag nhsuk-tag--blue">Your organisation</strong>`) {
		t.Errorf("the partner's own trust is not marked:\n%s", r)
	}
	if r := viewRow(b, "North West Anglia NHS Foundation Trust"); strings.Contains(r, "Your organisation") {
		t.Errorf("another trust is marked:\n%s", r)
	}
	if !strings.Contains(b, "You take part for Cambridge University Hospitals NHS Foundation Trust.") {
		t.Errorf("the page does not say whom the viewer takes part for")
	}
	// A partner sees the target it is consulted on; nobody but the ICB
	// sees the draft; the public sees only the approved one.
	for _, tc := range []struct {
		who  string
		page string
		see  []string
		not  []string
	}{
		{"partner", b, []string{"Approved A&amp;E target", "A&amp;E target in consultation: at least 85% by 31 March 2028 (In consultation)"}, []string{"Draft A&amp;E target"}},
		{"anonymous", body(t, e.do(t, http.MethodGet, "/icbs/QUE/partners")), []string{"Approved A&amp;E target"},
			[]string{"A&amp;E target in consultation", "Draft A&amp;E target"}},
	} {
		for _, w := range tc.see {
			if !strings.Contains(tc.page, w) {
				t.Errorf("%s does not see %s", tc.who, w)
			}
		}
		for _, w := range tc.not {
			if strings.Contains(tc.page, w) {
				t.Errorf("%s sees %s", tc.who, w)
			}
		}
	}
}

func TestPartnersAddresses(t *testing.T) {
	e := newTestEnv(t, Config{})
	seedViews(t, e.store)
	for _, tc := range []struct {
		path, location string
		status         int
	}{
		{"/icbs/QUE/partners", "", 200},
		{"/icbs/E54000056/partners", "/icbs/QUE/partners", 301},
		{"/icbs/RGT/partners", "", 404},
		{"/icbs/NOPE/partners", "", 404},
	} {
		res := e.do(t, http.MethodGet, tc.path)
		b := body(t, res)
		if res.StatusCode != tc.status || res.Header.Get("Location") != tc.location {
			t.Errorf("%s: %d %q, want %d %q", tc.path, res.StatusCode, res.Header.Get("Location"), tc.status, tc.location)
		}
		if tc.status == 200 && !strings.Contains(b, "There are no shared targets for you to see yet.") {
			t.Errorf("%s: with no targets:\n%s", tc.path, b)
		}
	}
}
