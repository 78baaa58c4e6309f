package web

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nhs-accord/accord"
	"github.com/nhs-accord/accord/mapsvg"
	"github.com/nhs-accord/accord/store"
)

// testEnv is a Server over a real, migrated SQLite store seeded with a
// small piece of the real NHS map.
type testEnv struct {
	srv     *Server
	handler http.Handler
	store   *store.DB
	log     *syncBuffer
}

// syncBuffer collects log output from concurrent requests.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// testMap has the ICB's shape, one shape whose code matches no ICB, and one
// too small to draw.
var testMap = mapsvg.Map{Width: 100, Height: 120, Shapes: []mapsvg.Shape{
	{Code: "E54000056", Name: "NHS Cambridgeshire and Peterborough ICB", Path: "M10 10L90 10L90 110Z"},
	{Code: "E54999999", Name: "Somewhere else", Path: "M1 1L5 1L5 5Z"},
	{Code: "E54000099", Name: "Too small", Path: ""},
}}

// today is fixed so that "deadlines not yet passed" does not change as
// the calendar moves on.
var today = time.Date(2025, time.November, 22, 12, 0, 0, 0, time.UTC)

func newTestEnv(t *testing.T, cfg Config) *testEnv {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	seed(t, db)

	logs := &syncBuffer{}
	if cfg.Store == nil {
		cfg.Store = db
	}
	cfg.Logger = slog.New(slog.NewTextHandler(logs, nil))
	if cfg.Map.Shapes == nil {
		cfg.Map = testMap
	}
	if cfg.Ready == nil {
		cfg.Ready = db.CheckSchema
	}
	cfg.Version = "test"
	srv, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv.now = func() time.Time { return today }
	return &testEnv{srv: srv, handler: srv.Handler(), store: db, log: logs}
}

func seed(t *testing.T, db *store.DB) {
	t.Helper()
	ctx := context.Background()
	d := func(s string) accord.Date {
		v, err := accord.ParseDate(s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	orgs := []accord.Organisation{
		{Code: accord.EnglandCode, ONSCode: accord.EnglandONSCode, Name: "England", Type: accord.OrgEngland},
		{Code: "Y61", ONSCode: "E40000013", Name: "East of England", Type: accord.OrgRegion, ParentCode: accord.EnglandCode,
			ONSCodes: []accord.CodeSpell{
				{ONSCode: "E40000007", ValidFrom: d("2022-07-01"), ValidTo: d("2023-12-31")},
				{ONSCode: "E40000013", ValidFrom: d("2024-01-01")},
			}},
		{Code: "QUE", ONSCode: "E54000056", Name: "NHS Cambridgeshire and Peterborough Integrated Care Board", Type: accord.OrgICB,
			ParentCode: "Y61", ValidFrom: d("2022-07-01"),
			ONSCodes: []accord.CodeSpell{
				{ONSCode: "E54000023", ValidFrom: d("2022-07-01"), ValidTo: d("2023-03-31")},
				{ONSCode: "E54000056", ValidFrom: d("2023-04-01")},
			}},
		{Code: "E10000003", ONSCode: "E10000003", Name: "Cambridgeshire", Type: accord.OrgPlace, ParentCode: "QUE"},
		{Code: "RGT", Name: "Cambridge University Hospitals NHS Foundation Trust", Type: accord.OrgProvider, ParentCode: "QUE"},
		{Code: "06H", ONSCode: "E38000026", Name: "NHS Cambridgeshire and Peterborough ICB - 06H", Type: accord.OrgSubICB, ParentCode: "QUE"},
	}
	if err := db.UpsertOrganisations(ctx, orgs); err != nil {
		t.Fatal(err)
	}
	inds := []accord.Indicator{
		{
			ID: "ae_4h_all", Name: "A&E attendances seen within 4 hours",
			Definition: "Percentage of A&E attendances admitted, transferred or discharged within 4 hours of arrival.",
			Area:       "urgent_emergency_care", Unit: accord.UnitPercent, Polarity: accord.HigherIsBetter,
			Method: accord.MethodProportion, Numerator: "Attendances within 4 hours", Denominator: "All attendances",
			Source: "NHS England: A&E attendances and emergency admissions", SourceURL: "https://www.england.nhs.uk/statistics/statistical-work-areas/ae-waiting-times-and-activity/",
			Frequency: accord.Monthly, Tags: []accord.Tag{accord.TagProcess, accord.TagAcute},
		},
		{
			ID: "smoking_prevalence", Name: "Smoking prevalence in adults",
			Definition: "Percentage of adults aged 18 and over who smoke.",
			Area:       "population_health", Unit: accord.UnitPercent, Polarity: accord.LowerIsBetter,
			Method: accord.MethodProportion, Numerator: "Adults who smoke", Denominator: "Adults surveyed",
			Source: "OHID: Fingertips", Frequency: accord.Annual, FingertipsID: 92443,
			Tags: []accord.Tag{accord.TagOutcome, accord.TagPreventative},
		},
	}
	if err := db.UpsertIndicators(ctx, inds); err != nil {
		t.Fatal(err)
	}
	ps := []accord.Priority{
		{
			ID: "pg2526_ae_4h", Area: "urgent_emergency_care", Name: "A&E: patients seen within 4 hours",
			StandardType: accord.Planning, Metric: "% of A&E attendances within 4 hours", IndicatorID: "ae_4h_all",
			Comparator: accord.AtLeast, Standard: 78, Unit: "percent", Deadline: d("2026-03-31"),
			Source: "NHS England: 2025/26 priorities and operational planning guidance", SetBy: "NHS England", Confidence: "high",
		},
		{
			ID: "pg2425_ae_4h", Area: "urgent_emergency_care", Name: "A&E: patients seen within 4 hours (2024/25)",
			StandardType: accord.Planning, Metric: "% of A&E attendances within 4 hours", IndicatorID: "ae_4h_all",
			Comparator: accord.AtLeast, Standard: 78, Unit: "percent", Deadline: d("2025-03-31"),
			Source: "NHS England: 2024/25 priorities and operational planning guidance", SetBy: "NHS England", Confidence: "high",
		},
		{
			ID: "const_rtt_18w", Area: "elective", Name: "Referral to treatment within 18 weeks",
			StandardType: accord.Constitutional, Metric: "% of incomplete pathways within 18 weeks",
			Comparator: accord.AtLeast, Standard: 92, Unit: "percent",
			Source: "NHS Constitution", SetBy: "Department of Health and Social Care", Confidence: "high",
		},
	}
	if err := db.UpsertPriorities(ctx, ps); err != nil {
		t.Fatal(err)
	}
	obs := []accord.Observation{
		{IndicatorID: "ae_4h_all", OrgCode: "QUE", Period: accord.MustParsePeriod("2025-04"), Value: 74.5,
			Numerator: accord.Float(14900), Denominator: accord.Float(20000), Status: accord.Final, Source: "test"},
		{IndicatorID: "ae_4h_all", OrgCode: "QUE", Period: accord.MustParsePeriod("2025-05"), Value: 75.25,
			Numerator: accord.Float(15050), Denominator: accord.Float(20000), Status: accord.Provisional, Source: "test"},
		{IndicatorID: "ae_4h_all", OrgCode: "QUE", Period: accord.MustParsePeriod("2025-05"), Value: 76,
			Breakdown: accord.Breakdown{Sex: accord.SexFemale}, Status: accord.Provisional, Source: "test"},
		{IndicatorID: "ae_4h_all", OrgCode: "RGT", Period: accord.MustParsePeriod("2025-04"), Value: 70.1,
			Status: accord.Final, Source: "test"},
	}
	if err := db.AddObservations(ctx, obs); err != nil {
		t.Fatal(err)
	}
}

// get sends a request through the whole middleware chain.
func (e *testEnv) do(t *testing.T, method, target string) *http.Response {
	t.Helper()
	rec := httptest.NewRecorder()
	e.handler.ServeHTTP(rec, httptest.NewRequest(method, target, nil))
	return rec.Result()
}

func body(t *testing.T, res *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// apiErr decodes the API's error shape, failing the test if the body is
// not in it.
func apiErr(t *testing.T, b string) apiErrorBody {
	t.Helper()
	var e struct {
		Error *apiErrorBody `json:"error"`
	}
	if err := json.Unmarshal([]byte(b), &e); err != nil || e.Error == nil {
		t.Fatalf("not the API error shape: %v\n%s", err, b)
	}
	if e.Error.Code == "" || e.Error.Message == "" || e.Error.Fields == nil {
		t.Errorf("error lacks code, message or fields: %s", b)
	}
	return *e.Error
}

func hasField(e apiErrorBody, field string) bool {
	for _, f := range e.Fields {
		if f.Field == field {
			return true
		}
	}
	return false
}

func TestSecurityHeaders(t *testing.T) {
	e := newTestEnv(t, Config{})
	for _, path := range []string{"/", "/api/v1/indicators", "/nope", "/healthz"} {
		res := e.do(t, http.MethodGet, path)
		h := res.Header
		csp := h.Get("Content-Security-Policy")
		for _, want := range []string{"script-src 'self'", "frame-ancestors 'none'", "default-src 'self'"} {
			if !strings.Contains(csp, want) {
				t.Errorf("%s: CSP %q lacks %q", path, csp, want)
			}
		}
		if strings.Contains(csp, "unsafe-inline") {
			t.Errorf("%s: CSP allows inline code: %q", path, csp)
		}
		if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Referrer-Policy") == "" {
			t.Errorf("%s: headers %v", path, h)
		}
	}
}

func TestRequestLogging(t *testing.T) {
	e := newTestEnv(t, Config{})
	e.do(t, http.MethodGet, "/api/v1/indicators")
	logs := e.log.String()
	for _, want := range []string{"method=GET", "path=/api/v1/indicators", "status=200", "duration="} {
		if !strings.Contains(logs, want) {
			t.Errorf("log lacks %q:\n%s", want, logs)
		}
	}
}

func TestPanicRecovery(t *testing.T) {
	e := newTestEnv(t, Config{})
	boom := http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("secret detail") })
	h := e.srv.logRequests(e.srv.recoverPanics(secureHeaders(boom)))
	for _, tc := range []struct{ path, contentType, want string }{
		{"/api/v1/indicators", "application/json", internalMessage},
		{"/indicators", "text/html", "Sorry, there is a problem with the service"},
	} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, tc.path, nil))
		b := rec.Body.String()
		if rec.Code != http.StatusInternalServerError || !strings.Contains(rec.Header().Get("Content-Type"), tc.contentType) ||
			!strings.Contains(b, tc.want) || strings.Contains(b, "secret detail") {
			t.Errorf("%s: %d %s\n%s", tc.path, rec.Code, rec.Header().Get("Content-Type"), b)
		}
		if rec.Header().Get("Content-Security-Policy") == "" {
			t.Errorf("%s: the 500 lacks security headers", tc.path)
		}
	}
	if logs := e.log.String(); !strings.Contains(logs, "secret detail") || !strings.Contains(logs, "status=500") {
		t.Errorf("panic not logged:\n%s", logs)
	}
}

func TestHealthz(t *testing.T) {
	e := newTestEnv(t, Config{})
	res := e.do(t, http.MethodGet, "/healthz")
	if b := body(t, res); res.StatusCode != http.StatusOK || strings.TrimSpace(b) != "ok" {
		t.Errorf("healthz: %d %q", res.StatusCode, b)
	}
}

func TestReadyz(t *testing.T) {
	for _, tc := range []struct {
		name   string
		ready  func(context.Context) error
		status int
		want   []string
		hidden string
	}{
		{"ready", nil, http.StatusOK, []string{`"status": "ready"`}, ""},
		{"schema behind", func(context.Context) error {
			return accord.Errorf(accord.ESCHEMA, "the database schema is at version 1 but this accord needs 2: run `accord migrate`")
		}, http.StatusServiceUnavailable, []string{`"status": "unavailable"`, `"check": "schema"`, "run `accord migrate`"}, ""},
		{"other failure", func(context.Context) error {
			return io.ErrUnexpectedEOF
		}, http.StatusServiceUnavailable, []string{`"status": "unavailable"`, `"check": "schema"`, "server log"}, "unexpected EOF"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newTestEnv(t, Config{Ready: tc.ready})
			res := e.do(t, http.MethodGet, "/readyz")
			b := body(t, res)
			if res.StatusCode != tc.status || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
				t.Errorf("status %d (%s), want %d\n%s", res.StatusCode, res.Header.Get("Content-Type"), tc.status, b)
			}
			for _, w := range tc.want {
				if !strings.Contains(b, w) {
					t.Errorf("body lacks %q:\n%s", w, b)
				}
			}
			if tc.hidden != "" && strings.Contains(b, tc.hidden) {
				t.Errorf("body shows internal detail %q:\n%s", tc.hidden, b)
			}
		})
	}

	t.Run("database closed", func(t *testing.T) {
		e := newTestEnv(t, Config{})
		e.store.Close()
		res := e.do(t, http.MethodGet, "/readyz")
		if b := body(t, res); res.StatusCode != http.StatusServiceUnavailable {
			t.Errorf("status %d, want 503\n%s", res.StatusCode, b)
		}
	})
}
