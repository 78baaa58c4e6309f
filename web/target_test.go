package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/nhs-accord/accord"
	"github.com/nhs-accord/accord/auth"
)

// The people of the target tests, each with the one grant they act under.
var (
	tgLead      = accord.Grant{Role: accord.RoleICBLead, OrgCode: "QUE"}
	tgNational  = accord.Grant{Role: accord.RoleNationalOversight, OrgCode: accord.EnglandCode}
	tgWorkforce = accord.Grant{Role: accord.RoleWorkforceRep, OrgCode: "QUE"}
	tgPatient   = accord.Grant{Role: accord.RolePatientRep, OrgCode: "RGT"} // a trust in the ICB
	tgOtherLead = accord.Grant{Role: accord.RoleICBLead, OrgCode: "QHG"}
)

// targetEnv is a test server with the people above, a second ICB, and
// enough monthly A&E values for QUE to chart and to assess (May 2024 to
// May 2025).
func targetEnv(t *testing.T) *testEnv {
	t.Helper()
	e := newTestEnv(t, Config{})
	ctx := context.Background()
	if err := e.store.UpsertOrganisations(ctx, []accord.Organisation{
		{Code: "QHG", Name: "NHS Bedfordshire, Luton and Milton Keynes Integrated Care Board", Type: accord.OrgICB, ParentCode: "Y61"},
	}); err != nil {
		t.Fatal(err)
	}
	var obs []accord.Observation
	for i, m := 0, accord.Month(2024, time.May); m != accord.Month(2025, time.April); i, m = i+1, m.Next() {
		obs = append(obs, accord.Observation{IndicatorID: "ae_4h_all", OrgCode: "QUE", Period: m, Value: 70 + float64(i%4),
			Status: accord.Final, Source: "test"})
	}
	if err := e.store.AddObservations(ctx, obs); err != nil {
		t.Fatal(err)
	}
	e.addUser(t, "lead@nhs.net", "Lee Lead", tgLead)
	e.addUser(t, "national@nhs.net", "Nia National", tgNational)
	e.addUser(t, "staff@nhs.net", "Sam Staff", tgWorkforce)
	e.addUser(t, "patient@nhs.net", "Pat Patient", tgPatient)
	e.addUser(t, "other@nhs.net", "Oli Other", tgOtherLead)
	return e
}

// actor is the Actor a grant's holder acts as, for writing through the
// store directly.
func (e *testEnv) actor(t *testing.T, email string) accord.Actor {
	t.Helper()
	u, _, err := e.store.FindUserByEmail(context.Background(), email)
	if err != nil {
		t.Fatal(err)
	}
	g := u.Grants[0]
	return accord.Actor{UserID: u.ID, Email: u.Email, Name: u.Name, Role: g.Role, OrgCode: g.OrgCode}
}

// draft stores a draft A&E target for QUE through the store.
func (e *testEnv) draft(t *testing.T, title string) accord.Target {
	t.Helper()
	tg := accord.Target{OrgCode: "QUE", IndicatorID: "ae_4h_all", LocalTag: accord.TagOutcome, Title: title,
		Comparator: accord.AtLeast, Value: 80, Deadline: accord.NewDate(2027, time.March, 31), Status: accord.TargetDraft}
	if err := e.store.CreateTarget(context.Background(), &tg, e.actor(t, "lead@nhs.net")); err != nil {
		t.Fatal(err)
	}
	return tg
}

// move moves a target through the store, failing the test if it cannot.
func (e *testEnv) move(t *testing.T, id int64, to accord.TargetStatus, email, reason string) accord.Target {
	t.Helper()
	tg, err := e.store.MoveTarget(context.Background(), id, to, e.actor(t, email), reason)
	if err != nil {
		t.Fatal(err)
	}
	return tg
}

// tokenFor gives the user an API token.
func (e *testEnv) tokenFor(t *testing.T, email string) string {
	t.Helper()
	token, hash := auth.NewToken()
	if _, err := e.store.CreateToken(context.Background(), email, hash, "test"); err != nil {
		t.Fatal(err)
	}
	return token
}

// api calls the JSON API with a token ("" for nobody).
func (e *testEnv) api(t *testing.T, method, target, token, body string) (*http.Response, string) {
	t.Helper()
	var req *http.Request
	if body == "" {
		req = httptest.NewRequest(method, target, nil)
	} else {
		req = httptest.NewRequest(method, target, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	rec := httptest.NewRecorder()
	e.handler.ServeHTTP(rec, req)
	return rec.Result(), rec.Body.String()
}

func (e *testEnv) targetCount(t *testing.T) int {
	t.Helper()
	_, n, err := e.store.FindTargets(context.Background(), accord.TargetFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

const goodTarget = `{"organisation": "QUE", "indicator": "ae_4h_all", "comparator": ">=", "target_value": 80,
	"deadline": "2027-03-31", "national_priority": "pg2526_ae_4h", "baseline_period": "2026-10", "baseline_value": 74.5,
	"rationale": "The ICB's urgent care plan.", "local_circumstances": "A growing, ageing population.",
	"trajectory": [{"period": "2026-11", "value": 75}, {"period": "2026-12", "value": 76}, {"period": "2027-01", "value": 77},
		{"period": "2027-02", "value": 78.5}, {"period": "2027-03", "value": 80}]}`

func TestTargetAPIJourney(t *testing.T) {
	e := targetEnv(t)
	lead, national := e.tokenFor(t, "lead@nhs.net"), e.tokenFor(t, "national@nhs.net")

	res, b := e.api(t, http.MethodPost, "/api/v1/targets", lead, goodTarget)
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("create: %d\n%s", res.StatusCode, b)
	}
	var created accord.Target
	if err := json.Unmarshal([]byte(b), &created); err != nil {
		t.Fatal(err)
	}
	if loc := res.Header.Get("Location"); loc != fmt.Sprintf("/api/v1/targets/%d", created.ID) {
		t.Errorf("Location %q", loc)
	}
	if created.Status != accord.TargetDraft || created.Version != 1 || created.Title != "A&E attendances seen within 4 hours" ||
		len(created.Trajectory) != 5 || created.PriorityID != "pg2526_ae_4h" {
		t.Errorf("created %+v", created)
	}
	path := fmt.Sprintf("/api/v1/targets/%d", created.ID)

	// The draft is the ICB's alone: 404 to anyone else, not 403.
	for _, token := range []string{"", national, e.tokenFor(t, "other@nhs.net"), e.tokenFor(t, "staff@nhs.net")} {
		if res, b := e.api(t, http.MethodGet, path, token, ""); res.StatusCode != http.StatusNotFound {
			t.Errorf("draft seen by another: %d\n%s", res.StatusCode, b)
		}
	}
	res, b = e.api(t, http.MethodGet, path, lead, "")
	var d struct {
		Target        accord.Target    `json:"target"`
		Ambition      *accord.Ambition `json:"ambition"`
		History       []eventJSON      `json:"history"`
		Versions      []versionJSON    `json:"versions"`
		Consultations []consultationJSON
	}
	if err := json.Unmarshal([]byte(b), &d); res.StatusCode != http.StatusOK || err != nil {
		t.Fatalf("get as lead: %d %v\n%s", res.StatusCode, err, b)
	}
	if d.Ambition == nil || len(d.Ambition.Checks) == 0 || len(d.Versions) != 1 || len(d.History) != 0 {
		t.Errorf("lead's detail: %s", b)
	}

	for _, step := range []struct {
		token string
		to    accord.TargetStatus
	}{
		{lead, accord.TargetConsultation}, {lead, accord.TargetAgreed}, {lead, accord.TargetSubmitted}, {national, accord.TargetApproved},
	} {
		body := fmt.Sprintf(`{"to": %q, "reason": "step to %s"}`, step.to, step.to)
		res, b := e.api(t, http.MethodPost, path+"/transitions", step.token, body)
		var moved accord.Target
		if err := json.Unmarshal([]byte(b), &moved); res.StatusCode != http.StatusOK || err != nil || moved.Status != step.to {
			t.Fatalf("move to %s: %d\n%s", step.to, res.StatusCode, b)
		}
	}

	// Approved, it is public, with its review history and without the
	// ambition checks, which are for the ICB and its reviewer.
	res, b = e.api(t, http.MethodGet, path, "", "")
	d.Ambition = nil
	if err := json.Unmarshal([]byte(b), &d); res.StatusCode != http.StatusOK || err != nil {
		t.Fatalf("get approved anonymously: %d\n%s", res.StatusCode, b)
	}
	if d.Ambition != nil || len(d.History) != 4 || d.History[3].To != accord.TargetApproved || d.History[3].By != "Nia National" ||
		d.History[3].Role != accord.RoleNationalOversight || d.History[3].Reason != "step to approved" || len(d.Consultations) != 1 {
		t.Errorf("public detail: %s", b)
	}
	if strings.Contains(b, "national@nhs.net") {
		t.Error("the public detail shows an email address")
	}
	res, b = e.api(t, http.MethodGet, "/api/v1/targets", "", "")
	if res.StatusCode != http.StatusOK || !strings.Contains(b, `"total": 1`) || !strings.Contains(b, `"status": "approved"`) {
		t.Errorf("public list: %d\n%s", res.StatusCode, b)
	}
}

func TestTargetAPIRefusals(t *testing.T) {
	e := targetEnv(t)
	lead := e.tokenFor(t, "lead@nhs.net")
	tg := e.draft(t, "Four hours")
	path := fmt.Sprintf("/api/v1/targets/%d/transitions", tg.ID)
	for _, tc := range []struct {
		name, method, path, token, body string
		status                          int
		code, field                     string
	}{
		{"create anonymously", http.MethodPost, "/api/v1/targets", "", goodTarget, 401, accord.EUNAUTHORIZED, ""},
		{"create for another ICB", http.MethodPost, "/api/v1/targets", e.tokenFor(t, "other@nhs.net"), goodTarget, 403, accord.EFORBIDDEN, ""},
		{"create as workforce", http.MethodPost, "/api/v1/targets", e.tokenFor(t, "staff@nhs.net"), goodTarget, 403, accord.EFORBIDDEN, ""},
		{"move anonymously", http.MethodPost, path, "", `{"to": "consultation"}`, 401, accord.EUNAUTHORIZED, ""},
		{"move another's draft", http.MethodPost, path, e.tokenFor(t, "national@nhs.net"), `{"to": "consultation"}`, 404, accord.ENOTFOUND, ""},
		{"lead approves", http.MethodPost, path, lead, `{"to": "approved"}`, 400, accord.EINVALID, "to"},
		{"no such status", http.MethodPost, path, lead, `{"to": "finished"}`, 400, accord.EINVALID, "to"},
		{"no status", http.MethodPost, path, lead, `{"reason": "x"}`, 400, accord.EINVALID, "to"},
		{"withdraw without a reason", http.MethodPost, path, lead, `{"to": "withdrawn"}`, 400, accord.EINVALID, "reason"},
		{"unknown field in a move", http.MethodPost, path, lead, `{"to": "consultation", "why": "x"}`, 400, accord.EINVALID, "why"},
		{"no such target", http.MethodPost, "/api/v1/targets/999/transitions", lead, `{"to": "consultation"}`, 404, accord.ENOTFOUND, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, b := e.api(t, tc.method, tc.path, tc.token, tc.body)
			ae := apiErr(t, b)
			if res.StatusCode != tc.status || ae.Code != tc.code || (tc.field != "" && !hasField(ae, tc.field)) {
				t.Errorf("%d %s, want %d %s on %q\n%s", res.StatusCode, ae.Code, tc.status, tc.code, tc.field, b)
			}
		})
	}
	if n := e.targetCount(t); n != 1 {
		t.Errorf("%d targets stored, want the one draft", n)
	}
	if got, _ := e.store.FindTarget(context.Background(), tg.ID); got.Status != accord.TargetDraft {
		t.Errorf("the draft moved to %s", got.Status)
	}
}

func TestTargetAPIBadInput(t *testing.T) {
	e := targetEnv(t)
	lead := e.tokenFor(t, "lead@nhs.net")
	// with replaces one field of the good request (or adds it).
	with := func(field, value string) string {
		var m map[string]json.RawMessage
		if err := json.Unmarshal([]byte(goodTarget), &m); err != nil {
			t.Fatal(err)
		}
		if value == "" {
			delete(m, field)
		} else {
			m[field] = json.RawMessage(value)
		}
		b, _ := json.Marshal(m)
		return string(b)
	}
	for _, tc := range []struct {
		name, body, field, says string
	}{
		{"unknown field", with("colour", `"blue"`), "colour", "not a field"},
		{"deadline past", with("deadline", `"2025-03-31"`), "deadline", "in the past"},
		{"deadline not a date", with("deadline", `"31/03/2027"`), "deadline", "YYYY-MM-DD"},
		{"no data for the indicator", with("indicator", `"smoking_prevalence"`), "indicator", "No values of Smoking prevalence in adults are held for NHS Cambridgeshire"},
		{"unknown indicator", with("indicator", `"beds"`), "indicator", "not in the indicator catalogue"},
		{"percent over 100", with("target_value", `120`), "target_value", "outside 0 to 100"},
		{"value not a number", with("target_value", `"eighty"`), "target_value", "must be a number"},
		{"no value", with("target_value", ""), "target_value", "is required"},
		{"percent trajectory over 100", with("trajectory", `[{"period": "2026-11", "value": 75}, {"period": "2026-12", "value": 176}, {"period": "2027-01", "value": 77}, {"period": "2027-02", "value": 78}, {"period": "2027-03", "value": 80}]`), "trajectory", "Milestone 2 (2026-12): the value 176 is outside 0 to 100"},
		{"trajectory with a gap", with("trajectory", `[{"period": "2026-11", "value": 75}, {"period": "2027-01", "value": 77}, {"period": "2027-02", "value": 78}, {"period": "2027-03", "value": 80}]`), "trajectory", "2026-12 is missing"},
		{"trajectory of quarters", with("trajectory", `[{"period": "2026/27 Q3", "value": 75}, {"period": "2026/27 Q4", "value": 80}]`), "trajectory", "is a financial quarter, but A&E attendances seen within 4 hours is published monthly"},
		{"trajectory short of the deadline", with("trajectory", `[{"period": "2026-11", "value": 75}, {"period": "2026-12", "value": 76}]`), "trajectory", "continue it to 2027-03"},
		{"trajectory not from the baseline", with("trajectory", `[{"period": "2027-01", "value": 77}, {"period": "2027-02", "value": 78}, {"period": "2027-03", "value": 80}]`), "trajectory", "start it at 2026-11"},
		{"baseline of the wrong kind", with("baseline_period", `"2026/27"`), "baseline_period", "published monthly"},
		{"priority and tag", with("local_tag", `"outcome"`), "local_tag", "not also tagged"},
		{"neither priority nor tag", with("national_priority", ""), "national_priority", "national priority, or tag a local priority"},
		{"unknown priority", with("national_priority", `"pg9999"`), "national_priority", "not a national priority"},
		{"bad comparator", with("comparator", `">"`), "comparator", "must be >= or <="},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, b := e.api(t, http.MethodPost, "/api/v1/targets", lead, tc.body)
			ae := apiErr(t, b)
			if res.StatusCode != http.StatusBadRequest || ae.Code != accord.EINVALID {
				t.Fatalf("%d %s\n%s", res.StatusCode, ae.Code, b)
			}
			found := false
			for _, f := range ae.Fields {
				found = found || (f.Field == tc.field && strings.Contains(f.Message, tc.says))
			}
			if !found {
				t.Errorf("no %q problem saying %q:\n%s", tc.field, tc.says, b)
			}
		})
	}
	for name, body := range map[string]string{"not JSON": `{"organisation": `, "two objects": goodTarget + goodTarget, "empty": ""} {
		res, b := e.api(t, http.MethodPost, "/api/v1/targets", lead, body)
		if ae := apiErr(t, b); res.StatusCode != http.StatusBadRequest || ae.Code != accord.EINVALID {
			t.Errorf("%s: %d\n%s", name, res.StatusCode, b)
		}
	}
	if n := e.targetCount(t); n != 0 {
		t.Errorf("%d targets stored from bad requests", n)
	}
}

func TestTargetAPIList(t *testing.T) {
	e := targetEnv(t)
	draft := e.draft(t, "Still a draft")
	consulting := e.draft(t, "In consultation")
	e.move(t, consulting.ID, accord.TargetConsultation, "lead@nhs.net", "")
	approved := e.draft(t, "Approved")
	for _, st := range []struct {
		to    accord.TargetStatus
		email string
	}{{accord.TargetConsultation, "lead@nhs.net"}, {accord.TargetAgreed, "lead@nhs.net"}, {accord.TargetSubmitted, "lead@nhs.net"}, {accord.TargetApproved, "national@nhs.net"}} {
		e.move(t, approved.ID, st.to, st.email, "")
	}

	ids := func(token, query string) []int64 {
		t.Helper()
		res, b := e.api(t, http.MethodGet, "/api/v1/targets"+query, token, "")
		var l list[accord.Target]
		if err := json.Unmarshal([]byte(b), &l); res.StatusCode != http.StatusOK || err != nil {
			t.Fatalf("%s: %d\n%s", query, res.StatusCode, b)
		}
		if l.Total < len(l.Items) {
			t.Errorf("total %d below %d items", l.Total, len(l.Items))
		}
		var out []int64
		for _, tg := range l.Items {
			out = append(out, tg.ID)
		}
		return out
	}
	eq := func(got []int64, want ...int64) bool { return fmt.Sprint(got) == fmt.Sprint(want) }
	for _, tc := range []struct {
		who, token, query string
		want              []int64
	}{
		{"anyone", "", "", []int64{approved.ID}},
		{"the lead", e.tokenFor(t, "lead@nhs.net"), "", []int64{draft.ID, consulting.ID, approved.ID}},
		{"the lead, drafts", e.tokenFor(t, "lead@nhs.net"), "?status=draft", []int64{draft.ID}},
		{"the lead, page 2", e.tokenFor(t, "lead@nhs.net"), "?limit=1&offset=1", []int64{consulting.ID}},
		{"workforce", e.tokenFor(t, "staff@nhs.net"), "", []int64{consulting.ID, approved.ID}},
		{"a patient rep at a trust in the ICB", e.tokenFor(t, "patient@nhs.net"), "?organisation=QUE", []int64{consulting.ID, approved.ID}},
		{"another ICB's lead", e.tokenFor(t, "other@nhs.net"), "", []int64{approved.ID}},
		{"national oversight", e.tokenFor(t, "national@nhs.net"), "", []int64{approved.ID}},
		{"another organisation", e.tokenFor(t, "lead@nhs.net"), "?organisation=QHG", nil},
		{"a priority", e.tokenFor(t, "lead@nhs.net"), "?priority=pg2526_ae_4h", nil},
	} {
		if got := ids(tc.token, tc.query); !eq(got, tc.want...) {
			t.Errorf("%s%s: %v, want %v", tc.who, tc.query, got, tc.want)
		}
	}
	for _, q := range []string{"?status=finished", "?organisation=NOPE", "?priority=nope", "?colour=red"} {
		res, b := e.api(t, http.MethodGet, "/api/v1/targets"+q, "", "")
		if ae := apiErr(t, b); res.StatusCode != http.StatusBadRequest || len(ae.Fields) == 0 {
			t.Errorf("%s: %d\n%s", q, res.StatusCode, b)
		}
	}
}

// --- Pages ---

// signedIn is a browser signed in as email, with its session's CSRF token.
func (e *testEnv) signedIn(t *testing.T, email string) (*browser, string) {
	t.Helper()
	b := e.browser(t)
	b.mustSignIn(email)
	return b, b.sessionToken()
}

// errorBeside reports whether the page has the inline error for field id
// saying want, inside its form group.
func errorBeside(page, id, want string) bool {
	re := regexp.MustCompile(`<span class="nhsuk-error-message" id="` + regexp.QuoteMeta(id) + `-error"><span class="nhsuk-u-visually-hidden">Error:</span> ([^<]*)</span>`)
	m := re.FindStringSubmatch(page)
	return m != nil && strings.Contains(m[1], want)
}

func TestTargetPagesCreate(t *testing.T) {
	e := targetEnv(t)
	b, token := e.signedIn(t, "lead@nhs.net")

	res, page := b.get("/targets/new?organisation=QUE")
	if res.StatusCode != http.StatusOK || !strings.Contains(page, `<option value="ae_4h_all">Urgent and emergency care: A&amp;E attendances seen within 4 hours</option>`) ||
		strings.Contains(page, `value="smoking_prevalence"`) || !strings.Contains(page, `<option value="pg2526_ae_4h">`) {
		t.Fatalf("new target form: %d\n%s", res.StatusCode, page)
	}
	// Without the organisation, a lead of one ICB goes to theirs.
	if res, _ := b.get("/targets/new"); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/targets/new?organisation=QUE" {
		t.Errorf("/targets/new: %d %s", res.StatusCode, res.Header.Get("Location"))
	}

	form := url.Values{"csrf_token": {token}, "organisation": {"QUE"}, "indicator": {"ae_4h_all"}, "title": {"Four hours for all"},
		"local_tag": {"outcome"}, "comparator": {">="}, "target_value": {"eighty"}, "deadline-day": {"31"}, "deadline-month": {"3"},
		"deadline-year": {""}, "rationale": {"Because."}}
	res, page = b.post("/targets", form)
	if res.StatusCode != http.StatusBadRequest {
		t.Fatalf("bad form: %d\n%s", res.StatusCode, page)
	}
	for _, want := range []string{
		`<h2 class="nhsuk-error-summary__title">There is a problem</h2>`,
		`<a href="#target_value">Target value must be a number, like 78 or 78.5.</a>`,
		`<a href="#deadline">Deadline must include a year.</a>`,
		`value="Four hours for all"`, `value="eighty"`, `>Because.</textarea>`, // what was typed is kept
	} {
		if !strings.Contains(page, want) {
			t.Errorf("bad form lacks %q", want)
		}
	}
	if !errorBeside(page, "target_value", "must be a number") || !errorBeside(page, "deadline", "must include a year") {
		t.Error("the errors are not beside their fields")
	}
	if n := e.targetCount(t); n != 0 {
		t.Fatalf("a bad form stored %d targets", n)
	}
	// A deadline in the past and a value no percentage can have.
	form.Set("target_value", "180")
	form.Set("deadline-year", "2024")
	if res, page = b.post("/targets", form); res.StatusCode != http.StatusBadRequest ||
		!errorBeside(page, "target_value", "180 is outside 0 to 100") || !errorBeside(page, "deadline", "is in the past") {
		t.Errorf("out of range: %d\n%s", res.StatusCode, page)
	}

	form.Set("target_value", "80")
	form.Set("deadline-year", "2027")
	res, page = b.post("/targets", form)
	if res.StatusCode != http.StatusSeeOther || !regexp.MustCompile(`^/targets/\d+\?done=created$`).MatchString(res.Header.Get("Location")) {
		t.Fatalf("good form: %d %s\n%s", res.StatusCode, res.Header.Get("Location"), page)
	}
	path := strings.TrimSuffix(res.Header.Get("Location"), "?done=created")
	res, page = b.get(res.Header.Get("Location"))
	for _, want := range []string{
		"The target was saved as a draft.", `<strong class="nhsuk-tag nhsuk-tag--grey">Draft</strong>`,
		"at least 80% by 31 March 2027", "A local priority: Outcome", "How ambitious it is",
		`<button class="nhsuk-button" data-module="nhsuk-button" type="submit" name="to" value="consultation">Open consultation</button>`,
		`name="to" value="withdrawn">Withdraw</button>`, "Change the target",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("target page lacks %q", want)
		}
	}

	// Nobody else sees the draft: a 404 page, as for a target that does
	// not exist.
	if res, page := e.browser(t).get(path); res.StatusCode != http.StatusNotFound || !strings.Contains(page, "Page not found") {
		t.Errorf("anonymous sees the draft: %d", res.StatusCode)
	}
	other, _ := e.signedIn(t, "other@nhs.net")
	if res, _ := other.get(path); res.StatusCode != http.StatusNotFound {
		t.Errorf("another ICB's lead sees the draft: %d", res.StatusCode)
	}
	if res, _ := other.get("/targets/new?organisation=QUE"); res.StatusCode != http.StatusForbidden {
		t.Errorf("another ICB's lead drafts for QUE: %d", res.StatusCode)
	}
}

func TestTargetPagesEditConflict(t *testing.T) {
	e := targetEnv(t)
	tg := e.draft(t, "Four hours")
	b, token := e.signedIn(t, "lead@nhs.net")
	path := targetPath(tg.ID)

	res, page := b.get(path + "/edit")
	if res.StatusCode != http.StatusOK || !strings.Contains(page, `<input type="hidden" name="version" value="1">`) ||
		!strings.Contains(page, `value="Four hours"`) || !strings.Contains(page, `id="deadline-year" name="deadline-year" type="text" inputmode="numeric" value="2027"`) {
		t.Fatalf("edit form: %d\n%s", res.StatusCode, page)
	}
	form := url.Values{"csrf_token": {token}, "version": {"1"}, "indicator": {"ae_4h_all"}, "title": {"Four hours, sooner"},
		"local_tag": {"outcome"}, "comparator": {">="}, "target_value": {"82"}, "deadline-day": {"31"}, "deadline-month": {"3"},
		"deadline-year": {"2027"}}

	// Someone else saves first.
	other := tg
	other.Rationale = "Their change."
	if _, err := e.store.UpdateTarget(context.Background(), other, e.actor(t, "lead@nhs.net"), ""); err != nil {
		t.Fatal(err)
	}
	res, page = b.post(path+"/edit", form)
	if res.StatusCode != http.StatusConflict || !strings.Contains(page, "Someone else changed this target while you were editing it") ||
		!strings.Contains(page, `value="Four hours, sooner"`) {
		t.Fatalf("stale edit: %d\n%s", res.StatusCode, page)
	}
	if got, _ := e.store.FindTarget(context.Background(), tg.ID); got.Title != "Four hours" || got.Version != 2 {
		t.Errorf("the stale edit changed the target: %+v", got)
	}

	form.Set("version", "2")
	form.Set("reason", "Sooner, in answer to the board.")
	if res, page = b.post(path+"/edit", form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("edit: %d\n%s", res.StatusCode, page)
	}
	_, page = b.get(path + "?done=updated")
	for _, want := range []string{"Your changes were saved as a new version.", "Version 3 (current)",
		`<th class="nhsuk-table__header" scope="row">Target value</th>`, `<td class="nhsuk-table__cell">80</td>`, `<td class="nhsuk-table__cell">82</td>`} {
		if !strings.Contains(page, want) {
			t.Errorf("after the edit the page lacks %q", want)
		}
	}

	// Submitted, it can no longer be edited.
	for _, to := range []accord.TargetStatus{accord.TargetConsultation, accord.TargetAgreed, accord.TargetSubmitted} {
		e.move(t, tg.ID, to, "lead@nhs.net", "")
	}
	form.Set("version", "3")
	if res, _ := b.post(path+"/edit", form); res.StatusCode != http.StatusForbidden {
		t.Errorf("edit of a submitted target: %d", res.StatusCode)
	}
}

func TestTargetPagesConsultation(t *testing.T) {
	e := targetEnv(t)
	tg := e.draft(t, "Four hours")
	path := targetPath(tg.ID)
	lead, leadToken := e.signedIn(t, "lead@nhs.net")

	// Withdrawing needs a reason: the error is beside the reason field and
	// nothing moves.
	res, page := lead.post(path+"/transitions", url.Values{"csrf_token": {leadToken}, "to": {"withdrawn"}, "reason": {"  "}})
	if res.StatusCode != http.StatusBadRequest || !errorBeside(page, "reason", "Give a reason to withdraw the target.") ||
		!strings.Contains(page, `<a href="#reason">`) {
		t.Fatalf("withdraw without a reason: %d\n%s", res.StatusCode, page)
	}
	if got, _ := e.store.FindTarget(context.Background(), tg.ID); got.Status != accord.TargetDraft {
		t.Fatalf("moved to %s", got.Status)
	}
	// A move the lead may not make is refused outright.
	if res, _ := lead.post(path+"/transitions", url.Values{"csrf_token": {leadToken}, "to": {"approved"}}); res.StatusCode != http.StatusBadRequest {
		t.Errorf("lead approves: %d", res.StatusCode)
	}

	res, _ = lead.post(path+"/transitions", url.Values{"csrf_token": {leadToken}, "to": {"consultation"},
		"reason": {"Is 80% by March 2027 right for our area?"}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != path+"?done=moved" {
		t.Fatalf("open consultation: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	if _, page = lead.get(path + "?done=moved"); !strings.Contains(page, "The target is now in consultation.") ||
		!strings.Contains(page, "Is 80% by March 2027 right for our area?") {
		t.Errorf("after opening the consultation:\n%s", page)
	}

	staff, staffToken := e.signedIn(t, "staff@nhs.net")
	res, page = staff.get(path)
	if res.StatusCode != http.StatusOK || !strings.Contains(page, `action="/targets/`+fmt.Sprint(tg.ID)+`/responses"`) ||
		strings.Contains(page, "How ambitious it is") || strings.Contains(page, `name="to"`) {
		t.Fatalf("workforce rep's page: %d\n%s", res.StatusCode, page)
	}
	res, page = staff.post(path+"/responses", url.Values{"csrf_token": {staffToken}, "stance": {"support_with_changes"}, "comment": {""}})
	if res.StatusCode != http.StatusBadRequest || !errorBeside(page, "comment", "Say what should change") ||
		!strings.Contains(page, `id="stance-support_with_changes" name="stance" type="radio" value="support_with_changes" checked`) {
		t.Fatalf("response without a comment: %d\n%s", res.StatusCode, page)
	}
	res, _ = staff.post(path+"/responses", url.Values{"csrf_token": {staffToken}, "stance": {"support_with_changes"},
		"comment": {"Staff the front door first."}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("response: %d", res.StatusCode)
	}
	// The lead may not respond, and the rep may not answer themes.
	if res, _ := lead.post(path+"/responses", url.Values{"csrf_token": {leadToken}, "stance": {"support"}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("lead responds: %d", res.StatusCode)
	}
	if res, _ := staff.post(path+"/themes", url.Values{"csrf_token": {staffToken}, "you_said": {"x"}, "we_did": {"y"}, "changed": {"no"}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("rep answers a theme: %d", res.StatusCode)
	}

	cs, err := e.store.Consultations(context.Background(), tg.ID)
	if err != nil || len(cs) != 1 || len(cs[0].Responses) != 1 {
		t.Fatalf("consultations %+v %v", cs, err)
	}
	respID := fmt.Sprint(cs[0].Responses[0].ID)
	// Agreeing with the response unanswered is refused, saying why.
	res, page = lead.post(path+"/transitions", url.Values{"csrf_token": {leadToken}, "to": {"locally_agreed"}})
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(page, "1 consultation response is not yet answered by a theme") {
		t.Errorf("agree with a response unanswered: %d", res.StatusCode)
	}

	_, page = lead.get(path)
	if !strings.Contains(page, `id="responses-`+respID+`" name="responses" type="checkbox" value="`+respID+`"`) ||
		!strings.Contains(page, "Sam Staff (Workforce representative, QUE): Support with changes") {
		t.Fatalf("theme form:\n%s", page)
	}
	theme := url.Values{"csrf_token": {leadToken}, "you_said": {"Staff the front door first."}, "we_did": {""}, "changed": {"yes"}, "responses": {respID}}
	res, page = lead.post(path+"/themes", theme)
	if res.StatusCode != http.StatusBadRequest || !errorBeside(page, "we_did", "Say what was done about it.") ||
		!strings.Contains(page, `>Staff the front door first.</textarea>`) || !strings.Contains(page, `value="`+respID+`" checked`) {
		t.Fatalf("theme without we did: %d\n%s", res.StatusCode, page)
	}
	theme.Set("we_did", "Added two streaming nurses to the plan.")
	if res, page = lead.post(path+"/themes", theme); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("theme: %d\n%s", res.StatusCode, page)
	}
	if res, _ = lead.post(path+"/transitions", url.Values{"csrf_token": {leadToken}, "to": {"locally_agreed"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("agree: %d", res.StatusCode)
	}
	e.move(t, tg.ID, accord.TargetSubmitted, "lead@nhs.net", "")
	e.move(t, tg.ID, accord.TargetApproved, "national@nhs.net", "Ambitious and well argued.")

	// Approved, the public sees it: the consultation as "you said, we
	// did", without consultees' names, and the review history.
	res, page = e.browser(t).get(path)
	for _, want := range []string{
		`<strong class="nhsuk-tag nhsuk-tag--green">Approved</strong>`, "<strong>You said:</strong> Staff the front door first.",
		"<strong>We did:</strong> Added two streaming nurses to the plan.", "The target changed as a result.",
		`<th class="nhsuk-table__header" scope="row">Workforce</th>`, "Ambitious and well argued.", "Nia National",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("public page lacks %q", want)
		}
	}
	if res.StatusCode != http.StatusOK || strings.Contains(page, "Sam Staff") || strings.Contains(page, `method="post" action="/targets/`) {
		t.Errorf("public page: %d, shows a name or a form", res.StatusCode)
	}
	// The public list shows it; the lead's shows it too, with a button to
	// draft another.
	if _, page = e.browser(t).get("/targets"); !strings.Contains(page, `<a href="`+path+`">Four hours</a>`) {
		t.Error("the public list lacks the approved target")
	}
	if _, page = lead.get("/targets?status=approved"); !strings.Contains(page, `href="/targets/new?organisation=QUE"`) {
		t.Error("the lead's list has no way to draft a target")
	}
}

// multipart posts a file upload as a browser does.
func (b *browser) upload(target string, fields url.Values, file, content string) (*http.Response, string) {
	b.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, vs := range fields {
		for _, v := range vs {
			_ = mw.WriteField(k, v)
		}
	}
	fw, err := mw.CreateFormFile("file", file)
	if err != nil {
		b.t.Fatal(err)
	}
	_, _ = fw.Write([]byte(content))
	mw.Close()
	req := httptest.NewRequest(http.MethodPost, target, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return b.send(req)
}

func TestTargetPagesTrajectory(t *testing.T) {
	e := targetEnv(t)
	tg := e.draft(t, "Four hours")
	tg.BaselinePeriod = accord.MustParsePeriod("2026-10")
	tg, err := e.store.UpdateTarget(context.Background(), tg, e.actor(t, "lead@nhs.net"), "")
	if err != nil {
		t.Fatal(err)
	}
	path := targetPath(tg.ID)
	b, token := e.signedIn(t, "lead@nhs.net")

	res, page := b.get(path + "/trajectory")
	if res.StatusCode != http.StatusOK || strings.Count(page, `name="period"`) != 5 ||
		!strings.Contains(page, `<label for="value-1">November 2026</label>`) || !strings.Contains(page, `<label for="value-5">March 2027</label>`) {
		t.Fatalf("trajectory form: %d\n%s", res.StatusCode, page)
	}

	// A CSV with a month missing names the line, and stores nothing.
	res, page = b.upload(path+"/trajectory", url.Values{"csrf_token": {token}}, "plan.csv",
		"\ufeffperiod,value\n2026-11,75\n2027-01,77\n2027-02,78\n2027-03,80\n")
	if res.StatusCode != http.StatusBadRequest || !errorBeside(page, "file", "Line 3 (2027-01): follows 2026-11, so 2026-12 is missing") {
		t.Fatalf("CSV with a gap: %d\n%s", res.StatusCode, page)
	}
	res, page = b.upload(path+"/trajectory", url.Values{"csrf_token": {token}}, "plan.csv", "month,plan\n2026-11,75\n")
	if res.StatusCode != http.StatusBadRequest || !errorBeside(page, "file", "Line 1: the first row must be the header period,value") {
		t.Errorf("CSV without the header: %d\n%s", res.StatusCode, page)
	}
	res, page = b.upload(path+"/trajectory", url.Values{"csrf_token": {token}}, "plan.csv", "period,value\n2026-11,75\n2026-12,seventy\n")
	if res.StatusCode != http.StatusBadRequest || !errorBeside(page, "file", `Line 3 (2026-12): the value &#34;seventy&#34; is not a number`) {
		t.Errorf("CSV with a word: %d\n%s", res.StatusCode, page)
	}
	if got, _ := e.store.FindTarget(context.Background(), tg.ID); len(got.Trajectory) != 0 {
		t.Fatalf("a bad file stored a trajectory: %v", got.Trajectory)
	}

	// The rows of the form: a value out of range is shown beside its row.
	rows := url.Values{"csrf_token": {token}, "period": {"2026-11", "2026-12", "2027-01", "2027-02", "2027-03"},
		"value": {"75", "176", "77", "78", "80"}}
	res, page = b.post(path+"/trajectory", rows)
	if res.StatusCode != http.StatusBadRequest || !errorBeside(page, "value-2", "December 2026: The value 176 is outside 0 to 100") ||
		!strings.Contains(page, `id="value-2" name="value" type="text" inputmode="decimal" spellcheck="false" value="176"`) {
		t.Fatalf("row out of range: %d\n%s", res.StatusCode, page)
	}
	rows["value"] = []string{"75", "", "77", "78", "80"}
	if res, page = b.post(path+"/trajectory", rows); res.StatusCode != http.StatusBadRequest || !errorBeside(page, "value-2", "Enter the planned value for December 2026") {
		t.Errorf("row left blank: %d\n%s", res.StatusCode, page)
	}
	rows["value"] = []string{"75", "76", "77", "78.5", "80"}
	if res, page = b.post(path+"/trajectory", rows); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("rows: %d\n%s", res.StatusCode, page)
	}
	if got, _ := e.store.FindTarget(context.Background(), tg.ID); len(got.Trajectory) != 5 || got.Trajectory[3].Value != 78.5 {
		t.Fatalf("trajectory stored %v", got.Trajectory)
	}

	// The CSV replaces it.
	res, page = b.upload(path+"/trajectory", url.Values{"csrf_token": {token}}, "plan.csv",
		"period,value\r\n2026-11,74\r\n2026-12,75\r\n2027-01,76\r\n2027-02,78\r\n2027-03,80\r\n")
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("CSV: %d\n%s", res.StatusCode, page)
	}
	res, page = b.get(path + "?done=trajectory")
	for _, want := range []string{
		"The trajectory was saved.", `class="accord-chart accord-chart--trajectory"`, "The planned trajectory has 5 milestones from Nov 2026 to Mar 2027",
		`<th class="nhsuk-table__header" scope="row">November 2026</th>`, "Download the chart's data (CSV)",
		// Thirteen consecutive months: enough for SPC and for a forecast.
		"From the latest 13 consecutive values, May 2024 to May 2025.", "80% prediction interval",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("target page lacks %q", want)
		}
	}
	res, csvBody := b.get(path + "?format=csv")
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(csvBody, "target_id,organisation_code,indicator_id,period,planned,actual,met_plan") ||
		!strings.Contains(csvBody, ",2026-11,74,,,") || !strings.Contains(csvBody, ",2025-05,,75.25,,") {
		t.Errorf("CSV: %d\n%s", res.StatusCode, csvBody)
	}
}
