package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/nhs-accord/accord"
)

// practiceEnv is a test server with four ICBs in one region, QUE's ten
// nearest peers stored as the three others, a year and more of monthly A&E
// figures for each, and people of each kind that matters to the learning
// exchange. QUE's figures sit near 70% through 2024 and step up to about
// 75% from January 2025, which SPC reads as a special cause improvement.
func practiceEnv(t *testing.T) *practiceFixture {
	t.Helper()
	e := newTestEnv(t, Config{})
	ctx := context.Background()
	icb := func(code, name string) accord.Organisation {
		return accord.Organisation{Code: code, Name: name, Type: accord.OrgICB, ParentCode: "Y61"}
	}
	if err := e.store.UpsertOrganisations(ctx, []accord.Organisation{
		icb("QHG", "NHS Bedfordshire, Luton and Milton Keynes Integrated Care Board"),
		icb("QM7", "NHS Hertfordshire and West Essex Integrated Care Board"),
		icb("QJG", "NHS Suffolk and North East Essex Integrated Care Board"),
	}); err != nil {
		t.Fatal(err)
	}
	if err := e.store.UpsertIndicators(ctx, []accord.Indicator{{
		ID: "ae_attendances", Name: "A&E attendances", Definition: "All A&E attendances.", Area: "urgent_emergency_care",
		Unit: accord.UnitCount, Polarity: accord.NoPolarity, Method: accord.MethodCount, Source: "NHS England",
		Frequency: accord.Monthly, Tags: []accord.Tag{accord.TagProcess},
	}}); err != nil {
		t.Fatal(err)
	}
	var obs []accord.Observation
	add := func(org string, p accord.Period, v float64) {
		obs = append(obs, accord.Observation{IndicatorID: "ae_4h_all", OrgCode: org, Period: p, Value: v, Status: accord.Final, Source: "test"})
	}
	wobble := []float64{70, 71, 70, 69, 70, 71, 70, 69, 70, 71, 70, 69}
	for i, m := 0, accord.Month(2024, time.January); i < 12; i, m = i+1, m.Next() {
		add("QUE", m, wobble[i])
	}
	for i, v := range []float64{74, 74.5, 75} { // April and May 2025 are in the shared seed
		add("QUE", accord.Month(2025, time.January+time.Month(i)), v)
	}
	for i, m := 0, accord.Month(2024, time.May); m != accord.Month(2025, time.June); i, m = i+1, m.Next() {
		add("QHG", m, 72+float64(i)*8/12) // 72% to 80%: the most improved
		add("QM7", m, 75-float64(i)/12)   // 75% to 74%: a little worse
	}
	add("QJG", accord.Month(2025, time.May), 71) // no value a year before: not measured
	if err := e.store.AddObservations(ctx, obs); err != nil {
		t.Fatal(err)
	}
	if err := e.store.SavePeers(ctx, []accord.Peer{
		{OrgCode: "QUE", PeerCode: "QM7", Rank: 1, Distance: 0.4},
		{OrgCode: "QUE", PeerCode: "QHG", Rank: 2, Distance: 0.6},
		{OrgCode: "QUE", PeerCode: "QJG", Rank: 3, Distance: 0.9},
	}); err != nil {
		t.Fatal(err)
	}
	e.addUser(t, "lead@nhs.net", "Lee Lead", accord.Grant{Role: accord.RoleICBLead, OrgCode: "QUE"})
	e.addUser(t, "other@nhs.net", "Oli Other", accord.Grant{Role: accord.RoleICBLead, OrgCode: "QHG"})
	e.addUser(t, "staff@nhs.net", "Sam Staff", accord.Grant{Role: accord.RoleWorkforceRep, OrgCode: "QUE"})
	e.addUser(t, "trust@nhs.net", "Tia Trust", accord.Grant{Role: accord.RolePartnerContributor, OrgCode: "RGT"})
	return &practiceFixture{testEnv: e}
}

type practiceFixture struct{ *testEnv }

// note stores a note through the store as the given person.
func (f *practiceFixture) note(t *testing.T, email string, n accord.PracticeNote) accord.PracticeNote {
	t.Helper()
	a := f.actor(t, email)
	n.OrgCode = a.OrgCode
	if n.Problem == "" {
		n.Problem, n.Tried, n.Happened = "Long waits.", "Something new.", "Waits fell."
	}
	if err := f.store.CreatePracticeNote(context.Background(), &n, a); err != nil {
		t.Fatal(err)
	}
	return n
}

func (f *practiceFixture) noteCount(t *testing.T) int {
	t.Helper()
	_, n, err := f.store.FindPracticeNotes(context.Background(), accord.PracticeNoteFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func aeEvidence(org, from, to string, v accord.SPCVerdict) accord.PracticeEvidence {
	return accord.PracticeEvidence{IndicatorID: "ae_4h_all", OrgCode: org, From: accord.MustParsePeriod(from), To: accord.MustParsePeriod(to), Verdict: v}
}

// noteForm is a complete note as the form sends it, with two rows of
// evidence: the step up in 2025, and the first half of 2024, too short a
// run for SPC.
func noteForm(token, org string) url.Values {
	return url.Values{
		"csrf_token": {token}, "organisation": {org}, "title": {"Weekend discharge team"},
		"topics":  {"Discharge,  Weekend working"},
		"problem": {"Beds full on Monday mornings.\nPeople waited in A&E for a bed."},
		"tried":   {"A discharge team working Saturdays and Sundays."}, "happened": {"Fewer people waited over four hours."},
		"evidence_rows":        {"2"},
		"evidence-1-indicator": {"ae_4h_all"}, "evidence-1-organisation": {"QUE"},
		"evidence-1-from": {"2025-01"}, "evidence-1-to": {"2025-05"},
		"evidence-2-indicator": {"ae_4h_all"}, "evidence-2-organisation": {"QUE"},
		"evidence-2-from": {"2024-01"}, "evidence-2-to": {"2024-06"},
	}
}

var noteLocation = regexp.MustCompile(`^/practice/(\d+)\?done=created$`)

func TestPracticeWriteNote(t *testing.T) {
	f := practiceEnv(t)
	b := f.browser(t)
	b.mustSignIn("lead@nhs.net")
	res, page := b.get("/practice/new")
	if res.StatusCode != http.StatusOK || !strings.Contains(page, `name="evidence-2-to"`) ||
		!strings.Contains(page, `<input type="hidden" name="organisation" value="QUE">`) {
		t.Fatalf("the form: %d\n%s", res.StatusCode, page)
	}
	res, page = b.post("/practice", noteForm(formTokenIn(t, page), "QUE"))
	m := noteLocation.FindStringSubmatch(res.Header.Get("Location"))
	if res.StatusCode != http.StatusSeeOther || m == nil {
		t.Fatalf("create: %d %q\n%s", res.StatusCode, res.Header.Get("Location"), page)
	}
	var id int64
	fmt.Sscan(m[1], &id)
	n, err := f.store.FindPracticeNote(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if n.OrgCode != "QUE" || n.Author != "lead@nhs.net" || strings.Join(n.Topics, "|") != "discharge|weekend working" || len(n.Evidence) != 2 {
		t.Fatalf("stored %+v", n)
	}
	// The verdicts are worked out from the stored figures, not typed.
	if n.Evidence[0].Verdict != accord.VerdictImprovement || n.Evidence[1].Verdict != accord.VerdictNotEnoughData {
		t.Errorf("verdicts %s, %s; want special cause improvement, then not enough data", n.Evidence[0].Verdict, n.Evidence[1].Verdict)
	}

	notePath := practicePath(id)
	res, page = b.get(res.Header.Get("Location"))
	for _, want := range []string{"Your practice note was published", "Weekend discharge team", "<p>Beds full on Monday mornings.</p>",
		"Special cause improvement", "Not enough data", `id="evidence-1-chart`, `href="/organisations/QUE/indicators/ae_4h_all"`,
		`href="/practice?topic=weekend&#43;working"`, "Edit this note"} {
		if !strings.Contains(page, want) {
			t.Errorf("the note's page lacks %q", want)
		}

	}
	checkPageFrame(t, page, "Weekend discharge team")
	if strings.Contains(page, "Tell others you tried this") {
		t.Error("the note's own ICB is offered the tried-elsewhere form")
	}

	// Anyone may read it, without the author's email.
	res, page = f.browser(t).get(notePath)
	if res.StatusCode != http.StatusOK || !strings.Contains(page, "Lee Lead") || strings.Contains(page, "lead@nhs.net") ||
		strings.Contains(page, "Edit this note") {
		t.Errorf("the public's view: %d\n%s", res.StatusCode, page)
	}
}

func TestPracticeWriteRefused(t *testing.T) {
	f := practiceEnv(t)
	lead := f.browser(t)
	lead.mustSignIn("lead@nhs.net")
	token := lead.sessionToken()

	// For another ICB: forbidden, and nothing stored.
	res, page := lead.post("/practice", noteForm(token, "QHG"))
	if res.StatusCode != http.StatusForbidden || !strings.Contains(page, "only for your own organisation") {
		t.Errorf("a note for another ICB: %d\n%s", res.StatusCode, page)
	}
	// A workforce representative reads but does not write.
	staff := f.browser(t)
	staff.mustSignIn("staff@nhs.net")
	if res, page := staff.get("/practice/new"); res.StatusCode != http.StatusForbidden || !strings.Contains(page, "only ICB leads and partner contributors") {
		t.Errorf("the form for a workforce representative: %d\n%s", res.StatusCode, page)
	}
	if res, _ := staff.post("/practice", noteForm(staff.sessionToken(), "QUE")); res.StatusCode != http.StatusForbidden {
		t.Errorf("a note by a workforce representative: %d", res.StatusCode)
	}
	if res, _ := f.browser(t).get("/practice/new"); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/sign-in") {
		t.Errorf("the form for nobody signed in: %d %s", res.StatusCode, res.Header.Get("Location"))
	}

	// Problems are shown beside their fields, with what was typed.
	bad := noteForm(token, "QUE")
	bad.Set("title", "")
	bad.Set("evidence-1-to", "2026-01")    // nothing published for it
	bad.Set("evidence-2-from", "April")    // not a period
	bad.Set("evidence-2-to", "2024/25 Q1") // a quarter, not the month the from should be
	res, page = lead.post("/practice", bad)
	if res.StatusCode != http.StatusBadRequest {
		t.Fatalf("a bad note: %d\n%s", res.StatusCode, page)
	}
	for _, want := range []string{"There is a problem", `href="#title"`, "The title is required", `href="#evidence-1-to"`,
		"No value of A&amp;E attendances seen within 4 hours is held for QUE for 2026-01", `href="#evidence-2-from"`,
		`value="Discharge,  Weekend working"`} {
		if !strings.Contains(page, want) {
			t.Errorf("the form shown again lacks %q", want)
		}
	}
	// An indicator on which neither direction is better cannot show an improvement.
	nodir := noteForm(token, "QUE")
	nodir.Set("evidence-1-indicator", "ae_attendances")
	if res, page := lead.post("/practice", nodir); res.StatusCode != http.StatusBadRequest || !strings.Contains(page, "Neither higher nor lower is better for A&amp;E attendances") {
		t.Errorf("evidence without a direction: %d\n%s", res.StatusCode, page)
	}
	if n := f.noteCount(t); n != 0 {
		t.Errorf("%d notes stored after refusals", n)
	}

	// A partner contributor writes for their own trust, and may cite their ICB's figures.
	trust := f.browser(t)
	trust.mustSignIn("trust@nhs.net")
	res, page = trust.get("/practice/new")
	if res.StatusCode != http.StatusOK || !strings.Contains(page, `<option value="QUE"`) {
		t.Fatalf("the form for a partner: %d\n%s", res.StatusCode, page)
	}
	if res, page := trust.post("/practice", noteForm(formTokenIn(t, page), "RGT")); res.StatusCode != http.StatusSeeOther {
		t.Errorf("a partner's note: %d\n%s", res.StatusCode, page)
	}
}

func TestPracticeEditConflict(t *testing.T) {
	f := practiceEnv(t)
	n := f.note(t, "lead@nhs.net", accord.PracticeNote{Title: "Frailty at the front door",
		Evidence: []accord.PracticeEvidence{aeEvidence("QUE", "2025-01", "2025-05", accord.VerdictCommonCause)}})
	b := f.browser(t)
	b.mustSignIn("lead@nhs.net")
	edit := practicePath(n.ID) + "/edit"
	res, page := b.get(edit)
	if res.StatusCode != http.StatusOK || !strings.Contains(page, `name="version" value="1"`) || !strings.Contains(page, `value="Frailty at the front door"`) {
		t.Fatalf("the edit form: %d\n%s", res.StatusCode, page)
	}
	form := url.Values{"csrf_token": {formTokenIn(t, page)}, "version": {"1"}, "title": {"Frailty team at the front door"},
		"problem": {"Frail people admitted overnight."}, "tried": {"A frailty team in A&E."}, "happened": {"Fewer admissions."},
		"evidence_rows": {"1"}, "evidence-1-indicator": {"ae_4h_all"}, "evidence-1-organisation": {"QUE"},
		"evidence-1-from": {"2025-01"}, "evidence-1-to": {"2025-05"}}
	if res, page := b.post(edit, form); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != practicePath(n.ID)+"?done=updated" {
		t.Fatalf("save: %d\n%s", res.StatusCode, page)
	}
	got, err := f.store.FindPracticeNote(context.Background(), n.ID)
	if err != nil {
		t.Fatal(err)
	}
	// Saving judges the evidence again from the figures.
	if got.Version != 2 || got.Title != "Frailty team at the front door" || got.Evidence[0].Verdict != accord.VerdictImprovement {
		t.Errorf("after the edit: %+v", got)
	}
	form.Set("title", "Someone else's title")
	res, page = b.post(edit, form) // still version 1
	if res.StatusCode != http.StatusConflict || !strings.Contains(page, "Someone else changed this note while you were editing it") {
		t.Errorf("an edit over another: %d\n%s", res.StatusCode, page)
	}
	if got, _ := f.store.FindPracticeNote(context.Background(), n.ID); got.Title != "Frailty team at the front door" {
		t.Errorf("the conflicting edit was saved: %q", got.Title)
	}
	other := f.browser(t)
	other.mustSignIn("other@nhs.net")
	if res, _ := other.get(edit); res.StatusCode != http.StatusForbidden {
		t.Errorf("another ICB's lead editing: %d", res.StatusCode)
	}
}

func TestPracticeSearch(t *testing.T) {
	f := practiceEnv(t)
	f.note(t, "lead@nhs.net", accord.PracticeNote{Title: "Weekend discharge team", Topics: []string{"discharge"},
		Evidence: []accord.PracticeEvidence{aeEvidence("QUE", "2025-01", "2025-05", accord.VerdictImprovement)}})
	frailty := f.note(t, "other@nhs.net", accord.PracticeNote{Title: "Frailty at the front door", Topics: []string{"frailty"},
		Tried: "Geriatricians in A&E every afternoon.", Problem: "Frail people waited longest.", Happened: "Waits fell.",
		Evidence: []accord.PracticeEvidence{aeEvidence("QHG", "2024-06", "2025-05", accord.VerdictCommonCause)}})
	f.note(t, "lead@nhs.net", accord.PracticeNote{Title: "Stop smoking in pregnancy", Topics: []string{"prevention"},
		Evidence: []accord.PracticeEvidence{{IndicatorID: "smoking_prevalence", OrgCode: "QUE",
			From: accord.MustParsePeriod("2023"), To: accord.MustParsePeriod("2024"), Verdict: accord.VerdictNotEnoughData}}})

	titles := []string{"Weekend discharge team", "Frailty at the front door", "Stop smoking in pregnancy"}
	for _, c := range []struct {
		query string
		want  []bool
	}{
		{"", []bool{true, true, true}},
		{"q=GERIATRICIANS", []bool{false, true, false}},
		{"q=discharge", []bool{true, false, false}},
		{"topic=frailty", []bool{false, true, false}},
		{"indicator=smoking_prevalence", []bool{false, false, true}},
		{"indicator=ae_4h_all", []bool{true, true, false}},
		{"organisation=QHG", []bool{false, true, false}},
		{"organisation=que&indicator=ae_4h_all", []bool{true, false, false}},
	} {
		res, page := f.browser(t).get("/practice?" + c.query)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d\n%s", c.query, res.StatusCode, page)
		}
		for i, title := range titles {
			if strings.Contains(page, ">"+title+"</a>") != c.want[i] {
				t.Errorf("%s: %q listed is %v, want %v", c.query, title, !c.want[i], c.want[i])
			}
		}
	}
	_, page := f.browser(t).get("/practice?indicator=ae_4h_all")
	for _, want := range []string{"Special cause improvement", "Common cause (no real change)", `href="/practice/improvers?indicator=ae_4h_all"`} {
		if !strings.Contains(page, want) {
			t.Errorf("the list lacks %q", want)
		}
	}
	if res, _ := f.browser(t).get("/practice?indicator=nonsense"); res.StatusCode != http.StatusBadRequest {
		t.Errorf("an unknown indicator: %d", res.StatusCode)
	}

	// The API answers the same, in the list shape, and names the author
	// only to those signed in.
	res, b := f.api(t, http.MethodGet, "/api/v1/practice-notes?q=geriatricians", "", "")
	var l struct {
		Items  []accord.PracticeNote `json:"items"`
		Total  int                   `json:"total"`
		Limit  int                   `json:"limit"`
		Offset int                   `json:"offset"`
	}
	if err := json.Unmarshal([]byte(b), &l); res.StatusCode != http.StatusOK || err != nil {
		t.Fatalf("API list: %d %v\n%s", res.StatusCode, err, b)
	}
	if l.Total != 1 || len(l.Items) != 1 || l.Items[0].ID != frailty.ID || l.Limit != defaultLimit || l.Items[0].Author != "" ||
		l.Items[0].AuthorName != "Oli Other" || len(l.Items[0].Evidence) != 1 || l.Items[0].Evidence[0].Verdict != accord.VerdictCommonCause {
		t.Errorf("API list: %s", b)
	}
	res, b = f.api(t, http.MethodGet, "/api/v1/practice-notes?indicator=ae_4h_all&organisation=QUE&limit=0", "", "")
	if err := json.Unmarshal([]byte(b), &l); res.StatusCode != http.StatusOK || err != nil || l.Total != 1 || len(l.Items) != 0 {
		t.Errorf("API count: %d\n%s", res.StatusCode, b)
	}
	res, b = f.api(t, http.MethodGet, fmt.Sprintf("/api/v1/practice-notes/%d", frailty.ID), f.tokenFor(t, "staff@nhs.net"), "")
	var one accord.PracticeNote
	if err := json.Unmarshal([]byte(b), &one); res.StatusCode != http.StatusOK || err != nil || one.Title != frailty.Title ||
		one.Author != "other@nhs.net" || strings.Join(one.Topics, ",") != "frailty" {
		t.Errorf("API note: %d\n%s", res.StatusCode, b)
	}
	res, b = f.api(t, http.MethodGet, "/api/v1/practice-notes/999", "", "")
	if e := apiErr(t, b); res.StatusCode != http.StatusNotFound || e.Code != accord.ENOTFOUND {
		t.Errorf("API missing note: %d\n%s", res.StatusCode, b)
	}
	res, b = f.api(t, http.MethodGet, "/api/v1/practice-notes?indicator=nonsense&colour=red", "", "")
	if e := apiErr(t, b); res.StatusCode != http.StatusBadRequest || !hasField(e, "indicator") || !hasField(e, "colour") {
		t.Errorf("API bad filters: %d\n%s", res.StatusCode, b)
	}
}

func TestPracticeTriedElsewhere(t *testing.T) {
	f := practiceEnv(t)
	n := f.note(t, "lead@nhs.net", accord.PracticeNote{Title: "Weekend discharge team",
		Evidence: []accord.PracticeEvidence{aeEvidence("QUE", "2025-01", "2025-05", accord.VerdictImprovement)}})
	path := practicePath(n.ID)
	other := f.browser(t)
	other.mustSignIn("other@nhs.net")
	res, page := other.get(path)
	if res.StatusCode != http.StatusOK || !strings.Contains(page, "Tell others you tried this") ||
		!strings.Contains(page, `<input type="hidden" name="te-organisation" value="QHG">`) || !strings.Contains(page, `value="Oli Other"`) {
		t.Fatalf("the form for another ICB: %d\n%s", res.StatusCode, page)
	}
	token := formTokenIn(t, page)

	res, page = other.post(path+"/tried-elsewhere", url.Values{"csrf_token": {token}, "te-organisation": {"QHG"}, "te-by": {""},
		"te-when-day": {"31"}, "te-when-month": {"2"}, "te-when-year": {"2025"}})
	if res.StatusCode != http.StatusBadRequest {
		t.Fatalf("an incomplete record: %d\n%s", res.StatusCode, page)
	}
	for _, want := range []string{`href="#te-by"`, `href="#te-when"`, "must be a real date", `href="#te-result"`, `href="#te-verdict"`} {
		if !strings.Contains(page, want) {
			t.Errorf("the record shown again lacks %q", want)
		}
	}

	staff := f.browser(t)
	staff.mustSignIn("staff@nhs.net")
	if res, _ := staff.post(path+"/tried-elsewhere", url.Values{"csrf_token": {staff.sessionToken()}, "te-organisation": {"QUE"},
		"te-by": {"Sam"}, "te-when-day": {"1"}, "te-when-month": {"6"}, "te-when-year": {"2025"}, "te-result": {"Worked"},
		"te-verdict": {"common_cause"}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("a workforce representative's record: %d", res.StatusCode)
	}
	if got, _ := f.store.FindPracticeNote(context.Background(), n.ID); len(got.TriedElsewhere) != 0 {
		t.Fatalf("records after refusals: %+v", got.TriedElsewhere)
	}

	res, page = other.post(path+"/tried-elsewhere", url.Values{"csrf_token": {token}, "te-organisation": {"QHG"},
		"te-by": {"Discharge team, Bedford Hospital"}, "te-when-day": {"1"}, "te-when-month": {"6"}, "te-when-year": {"2025"},
		"te-result": {"Weekend discharges rose by a third."}, "te-verdict": {"special_cause_improvement"}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != path+"?done=tried#tried-elsewhere" {
		t.Fatalf("a record: %d\n%s", res.StatusCode, page)
	}
	got, err := f.store.FindPracticeNote(context.Background(), n.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.TriedElsewhere) != 1 || got.TriedElsewhere[0].OrgCode != "QHG" || got.TriedElsewhere[0].Verdict != accord.VerdictImprovement ||
		got.TriedElsewhere[0].RecordedBy != "other@nhs.net" || !got.TriedElsewhere[0].When.Equal(time.Date(2025, time.June, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("stored %+v", got.TriedElsewhere)
	}
	_, page = f.browser(t).get(path)
	for _, want := range []string{"NHS Bedfordshire, Luton and Milton Keynes Integrated Care Board", "Weekend discharges rose by a third.", "1 June 2025"} {
		if !strings.Contains(page, want) {
			t.Errorf("the public page lacks %q", want)
		}
	}
	_, page = f.browser(t).get("/practice")
	if !strings.Contains(page, "Tried in 1 other place") {
		t.Error("the list does not say the note was tried elsewhere")
	}
}

func TestPracticeImprovers(t *testing.T) {
	f := practiceEnv(t)
	qhg := f.note(t, "other@nhs.net", accord.PracticeNote{Title: "Frailty at the front door",
		Evidence: []accord.PracticeEvidence{aeEvidence("QHG", "2024-06", "2025-05", accord.VerdictImprovement)}})
	f.note(t, "lead@nhs.net", accord.PracticeNote{Title: "Weekend discharge team",
		Evidence: []accord.PracticeEvidence{aeEvidence("QUE", "2025-01", "2025-05", accord.VerdictImprovement)}})

	res, page := f.browser(t).get("/practice/improvers?indicator=ae_4h_all&organisation=QUE")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("%d\n%s", res.StatusCode, page)
	}
	checkPageFrame(t, page, "Who improved most on A&amp;E attendances seen within 4 hours")
	order := []string{"NHS Bedfordshire, Luton and Milton Keynes", "NHS Cambridgeshire and Peterborough", "NHS Hertfordshire and West Essex",
		"NHS Suffolk and North East Essex"}
	last := -1
	for _, name := range order {
		i := strings.Index(page, ">"+name)
		if i < 0 || i < last {
			t.Fatalf("%q is not after the one before it in\n%s", name, page)
		}
		last = i
	}
	rows := strings.Split(page, `<tr class="nhsuk-table__row">`)
	if len(rows) != 6 { // the page before the table, the header and four organisations
		t.Fatalf("%d rows", len(rows)-2)
	}
	for i, want := range [][]string{
		{">1<", fmt.Sprintf(`href="/practice/%d">Frailty at the front door</a>`, qhg.ID), "8 percentage points better"},
		{">2<", "Weekend discharge team", "Whose peers these are", "Special cause improvement", "5.25 percentage points better"},
		{">3<", "No note yet", "1 percentage point worse"},
		{"Not ranked", "Not measured: no value for 2024-05", "No note yet"},
	} {
		for _, w := range want {
			if !strings.Contains(rows[i+2], w) {
				t.Errorf("row %d lacks %q:\n%s", i+1, w, rows[i+2])
			}
		}
	}
	if !strings.Contains(page, "NHS Cambridgeshire and Peterborough Integrated Care Board and its 3 nearest peers") {
		t.Error("the page does not say whom it compares")
	}

	// A lead arriving from the indicator page sees their own ICB's peers.
	lead := f.browser(t)
	lead.mustSignIn("lead@nhs.net")
	if _, page := lead.get("/practice/improvers?indicator=ae_4h_all"); !strings.Contains(page, "Whose peers these are") {
		t.Error("a lead is not shown their own ICB's peers")
	}
	if _, page := f.browser(t).get("/indicators/ae_4h_all"); !strings.Contains(page, `href="/practice/improvers?indicator=ae_4h_all"`) {
		t.Error("the indicator page does not link to who improved most")
	}
	// An earlier end measures an earlier year; QJG then has no value at all.
	if _, page := f.browser(t).get("/practice/improvers?indicator=ae_4h_all&organisation=QUE&to=2025-03"); !strings.Contains(page, "no value for 2025-03") {
		t.Errorf("an earlier end:\n%s", page)
	}
	// A series with a gap: nobody has the year before the latest, so the
	// page offers the latest span most can be measured over.
	var smoking []accord.Observation
	for _, org := range []string{"QUE", "QHG", "QM7"} {
		for _, y := range []int{2019, 2020, 2021, 2024} {
			smoking = append(smoking, accord.Observation{IndicatorID: "smoking_prevalence", OrgCode: org, Period: accord.CalendarYear(y),
				Value: 15 - float64(y-2019)/2, Status: accord.Final, Source: "test"})
		}
	}
	if err := f.store.AddObservations(context.Background(), smoking); err != nil {
		t.Fatal(err)
	}
	_, page = f.browser(t).get("/practice/improvers?indicator=smoking_prevalence&organisation=QUE")
	if !strings.Contains(page, "Nobody can be measured over this span") ||
		!strings.Contains(page, `href="/practice/improvers?indicator=smoking_prevalence&amp;organisation=QUE&amp;to=2021"`) {
		t.Errorf("a series with a gap:\n%s", page)
	}
	_, page = f.browser(t).get("/practice/improvers?indicator=smoking_prevalence&organisation=QUE&to=2021")
	if !strings.Contains(page, "3 of 4 measured") || !strings.Contains(page, "1 percentage point better") {
		t.Errorf("the earlier span:\n%s", page)
	}
	if _, page := f.browser(t).get("/practice/improvers?indicator=ae_attendances&organisation=QUE"); !strings.Contains(page, "Neither higher nor lower is better") {
		t.Error("an indicator without a direction is ranked")
	}
	if res, _ := f.browser(t).get("/practice/improvers?indicator=ae_4h_all&organisation=RGT"); res.StatusCode != http.StatusBadRequest {
		t.Errorf("peers of a trust: %d", res.StatusCode)
	}
}
