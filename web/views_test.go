package web

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/nhs-accord/accord"
	"github.com/nhs-accord/accord/assess"
	"github.com/nhs-accord/accord/store"
)

// The accountability views' tests share one picture of four ICBs in three
// regions, built on seed's: Cambridgeshire and Peterborough (QUE) with two
// trusts and two places, and three ICBs to segment it against. Figures go
// in through real imports, so they carry the date they were added.

// viewDeadline is far enough ahead that the store, which checks deadlines
// against the real clock, takes it.
var viewDeadline = accord.NewDate(2028, 3, 31)

var (
	viewLead     = accord.Actor{Email: "lead@que.nhs.net", Name: "Lena Lead", Role: accord.RoleICBLead, OrgCode: "QUE"}
	viewReviewer = accord.Actor{Email: "reviewer@england.nhs.uk", Name: "Rita Reviewer", Role: accord.RoleNationalOversight, OrgCode: accord.EnglandCode}
)

// seedViews adds the organisations, indicators, a national priority and
// the imports, then computes the assessments as an import would.
func seedViews(t *testing.T, db *store.DB) {
	t.Helper()
	ctx := context.Background()
	orgs := []accord.Organisation{
		{Code: "Y62", ONSCode: "E40000014", Name: "North West", Type: accord.OrgRegion, ParentCode: accord.EnglandCode},
		{Code: "Y63", ONSCode: "E40000012", Name: "North East and Yorkshire", Type: accord.OrgRegion, ParentCode: accord.EnglandCode},
		{Code: "QHM", ONSCode: "E54000050", Name: "NHS North East and North Cumbria Integrated Care Board", Type: accord.OrgICB, ParentCode: "Y63"},
		{Code: "QE1", ONSCode: "E54000048", Name: "NHS Lancashire and South Cumbria Integrated Care Board", Type: accord.OrgICB, ParentCode: "Y62"},
		{Code: "QM7", ONSCode: "E54000025", Name: "NHS Hertfordshire and West Essex Integrated Care Board", Type: accord.OrgICB, ParentCode: "Y61"},
		{Code: "RGN", Name: "North West Anglia NHS Foundation Trust", Type: accord.OrgProvider, ParentCode: "QUE"},
		{Code: "E06000031", ONSCode: "E06000031", Name: "Peterborough", Type: accord.OrgPlace, ParentCode: "QUE"},
	}
	if err := db.UpsertOrganisations(ctx, orgs); err != nil {
		t.Fatal(err)
	}
	proportion := func(id, name string, pol accord.Polarity) accord.Indicator {
		return accord.Indicator{ID: id, Name: name, Definition: name + ".", Area: "elective", Unit: accord.UnitPercent, Polarity: pol,
			Method: accord.MethodProportion, Numerator: "Patients seen in time", Denominator: "All patients", Source: "NHS England",
			Frequency: accord.Monthly, Tags: []accord.Tag{accord.TagProcess}}
	}
	inds := []accord.Indicator{
		proportion("cancer_62d", "Cancer treatment within 62 days of urgent referral", accord.HigherIsBetter),
		proportion("rtt_18w_share", "Patients waiting 18 weeks or less for treatment", accord.HigherIsBetter),
		{ID: "ae_12h_dta", Name: "Waits of more than 12 hours from decision to admit", Definition: "Patients waiting more than 12 hours.",
			Area: "urgent_emergency_care", Unit: accord.UnitCount, Polarity: accord.LowerIsBetter, Method: accord.MethodCount,
			Numerator: "Patients waiting more than 12 hours", Source: "NHS England", Frequency: accord.Monthly, Tags: []accord.Tag{accord.TagProcess}},
	}
	if err := db.UpsertIndicators(ctx, inds); err != nil {
		t.Fatal(err)
	}
	if err := db.UpsertPriorities(ctx, []accord.Priority{{
		ID: "pg2728_ae_4h", Area: "urgent_emergency_care", Name: "A&E: patients seen within 4 hours (2027/28)",
		StandardType: accord.Planning, Metric: "% of A&E attendances within 4 hours", IndicatorID: "ae_4h_all",
		Comparator: accord.AtLeast, Standard: 82, Unit: "percent", Deadline: viewDeadline,
		Source: "NHS England: planning guidance", SetBy: "NHS England", Confidence: "high",
	}}); err != nil {
		t.Fatal(err)
	}

	prop := func(ind, org, period string, num, den float64) accord.Observation {
		return accord.Observation{IndicatorID: ind, OrgCode: org, Period: accord.MustParsePeriod(period), Value: num / den * 100,
			Numerator: accord.Float(num), Denominator: accord.Float(den), Status: accord.Final, Source: "test"}
	}
	// QUE's A&E series runs from April 2024 to the seed's May 2025: 14
	// months, enough for SPC and a trend.
	var ae []accord.Observation
	period := accord.Month(2024, time.April)
	for _, v := range []float64{74.0, 74.6, 73.8, 74.4, 74.1, 74.9, 73.9, 74.5, 74.2, 74.7, 74.0, 74.3} {
		ae = append(ae, prop("ae_4h_all", "QUE", period.String(), v*200, 20000))
		period = period.Next()
	}
	ae = append(ae,
		prop("ae_4h_all", "QHM", "2025-05", 16000, 20000),
		prop("ae_4h_all", "QE1", "2025-05", 14000, 20000),
		prop("ae_4h_all", "QM7", "2025-05", 13000, 20000),
		prop("ae_4h_all", "RGT", "2025-05", 9000, 12000),
		prop("ae_4h_all", "RGN", "2025-05", 5000, 7000),
		prop("ae_4h_all", accord.EnglandCode, "2025-05", 1520000, 2000000),
	)
	viewImport(t, db, "ae-2025.csv", "NHS England", "A&E attendances and emergency admissions", ae)

	count := func(ind, org, period string, n float64) accord.Observation {
		return accord.Observation{IndicatorID: ind, OrgCode: org, Period: accord.MustParsePeriod(period), Value: n,
			Numerator: accord.Float(n), Status: accord.Final, Source: "test"}
	}
	viewImport(t, db, "waits-2025-05.csv", "NHS England", "Waiting times", []accord.Observation{
		prop("cancer_62d", "QHM", "2025-05", 90, 100),
		prop("cancer_62d", "QUE", "2025-05", 170, 200),
		prop("cancer_62d", "QE1", "2025-05", 80, 100),
		prop("cancer_62d", "QM7", "2025-05", 60, 100),
		prop("cancer_62d", "E10000003", "2025-05", 12, 13), // shown as 10 out of 15
		prop("cancer_62d", accord.EnglandCode, "2025-05", 7000, 10000),
		prop("rtt_18w_share", "QHM", "2025-05", 700, 1000),
		prop("rtt_18w_share", "QUE", "2025-05", 650, 1000),
		prop("rtt_18w_share", "QE1", "2025-05", 600, 1000),
		prop("rtt_18w_share", "QM7", "2025-05", 500, 1000),
		prop("rtt_18w_share", "E10000003", "2025-05", 5, 40), // built on a count of 5: hidden
		prop("rtt_18w_share", accord.EnglandCode, "2025-05", 600, 1000),
		count("ae_12h_dta", "E10000003", "2025-05", 5), // hidden
		count("ae_12h_dta", accord.EnglandCode, "2025-05", 3),
	})
	// A rate published as such, with its interval and no counts, as
	// Fingertips publishes smoking prevalence.
	viewImport(t, db, "fingertips-smoking.csv", "OHID", "Fingertips: smoking prevalence", []accord.Observation{
		{IndicatorID: "smoking_prevalence", OrgCode: "E10000003", Period: accord.MustParsePeriod("2023"), Value: 14.2,
			LowerCI: accord.Float(12.0), UpperCI: accord.Float(16.4), CILevel: 95, Status: accord.Final, Source: "test"},
		{IndicatorID: "smoking_prevalence", OrgCode: accord.EnglandCode, Period: accord.MustParsePeriod("2023"), Value: 11.9,
			Status: accord.Final, Source: "test"},
	})
	if _, err := assess.Recompute(ctx, db, nil, today); err != nil {
		t.Fatal(err)
	}
}

// viewImport stores obs as one import of a file, as the importers do.
func viewImport(t *testing.T, db *store.DB, file, publisher, dataset string, obs []accord.Observation) accord.Import {
	t.Helper()
	ctx := context.Background()
	sum := sha256.Sum256([]byte(file))
	w, err := db.BeginImport(ctx, accord.Import{Format: "long", FileName: file, SHA256: hex.EncodeToString(sum[:]),
		Publisher: publisher, Dataset: dataset, ImportedBy: "analyst@nhs.net"})
	if err != nil {
		t.Fatal(err)
	}
	for i, o := range obs {
		if err := w.Add(ctx, o, fmt.Sprintf("%s:%d", file, i+2)); err != nil {
			t.Fatal(err)
		}
	}
	imp, err := w.Finish(ctx, len(obs), nil, true)
	if err != nil {
		t.Fatal(err)
	}
	return imp
}

// viewTarget creates tg for QUE as its ICB lead and moves it along path,
// each move by whoever the lifecycle lets make it.
func viewTarget(t *testing.T, db *store.DB, tg accord.Target, path ...accord.TargetStatus) accord.Target {
	t.Helper()
	ctx := context.Background()
	if tg.OrgCode == "" {
		tg.OrgCode = "QUE"
	}
	if tg.Deadline.IsZero() {
		tg.Deadline = viewDeadline
	}
	tg.Comparator = accord.AtLeast
	if err := db.CreateTarget(ctx, &tg, viewLead); err != nil {
		t.Fatal(err)
	}
	for _, to := range path {
		by, reason := viewLead, ""
		switch to {
		case accord.TargetApproved, accord.TargetChallenged:
			by, reason = viewReviewer, "Reviewed."
		case accord.TargetWithdrawn:
			reason = "No longer needed."
		}
		moved, err := db.MoveTarget(ctx, tg.ID, to, by, reason)
		if err != nil {
			t.Fatalf("move %q to %s: %v", tg.Title, to, err)
		}
		tg = moved
	}
	return tg
}

// viewToSubmitted and viewToApproved are the moves to those statuses from a draft.
var (
	viewToSubmitted = []accord.TargetStatus{accord.TargetConsultation, accord.TargetAgreed, accord.TargetSubmitted}
	viewToApproved  = append(append([]accord.TargetStatus{}, viewToSubmitted...), accord.TargetApproved)
)

// viewRow is the <tr> of a page that contains text, or "".
func viewRow(page, text string) string {
	for _, m := range regexp.MustCompile(`(?s)<tr[ >].*?</tr>`).FindAllString(page, -1) {
		if strings.Contains(m, text) {
			return m
		}
	}
	return ""
}

// viewSection is the part of a page from the heading with text to the next
// heading of the same level, or the end of main.
func viewSection(page, level, text string) string {
	start := strings.Index(page, "<"+level+">"+text+"</"+level+">")
	if start < 0 {
		return ""
	}
	rest := page[start+len(text)+9:]
	if end := strings.Index(rest, "<"+level+">"); end >= 0 {
		return rest[:end]
	}
	if end := strings.Index(rest, "</main>"); end >= 0 {
		return rest[:end]
	}
	return rest
}
