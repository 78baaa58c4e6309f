package web

import (
	"bytes"
	"context"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/nhs-accord/accord"
)

// longHeader is the long format's header (importer/long.go).
const longHeader = "organisation_code,indicator,period,numerator,denominator,value,breakdown,status\n"

// firstReturn is a local return for QUE; revisedReturn revises the same
// periods.
const (
	firstReturn = longHeader +
		"QUE,ae_4h_all,2025-06,15200,20000,76,,provisional\n" +
		"QUE,ae_4h_all,2025-07,15400,20000,77,,provisional\n" +
		"QUE,ae_4h_all,2025-07,800,1000,80,sex=female,provisional\n"
	revisedReturn = longHeader +
		"QUE,ae_4h_all,2025-06,15300,20000,76.5,,final\n" +
		"QUE,ae_4h_all,2025-07,15440,20000,77.2,,final\n" +
		"E54000056,ae_4h_all,2025-07,810,1000,81,sex=female,final\n" // an ONS code is stored under the ODS code
)

// postImport sends a file (when name is not "") and form fields to POST
// /api/v1/imports as multipart/form-data.
func (e *testEnv) postImport(t *testing.T, name, content string, fields map[string]string) (*http.Response, string) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for k, v := range fields {
		if err := mw.WriteField(k, v); err != nil {
			t.Fatal(err)
		}
	}
	if name != "" {
		fw, err := mw.CreateFormFile("file", name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := fw.Write([]byte(content)); err != nil {
			t.Fatal(err)
		}
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest(http.MethodPost, "/api/v1/imports", &b)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	if token := e.importerToken(t); token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	rec := httptest.NewRecorder()
	e.handler.ServeHTTP(rec, req)
	res := rec.Result()
	return res, body(t, res)
}

// importerEmail is the account postImport imports as: national oversight,
// who loads the published national files.
const importerEmail = "data.team@england.nhs.uk"

// importerToken gives postImport a bearer token for importerEmail, making
// the account the first time it is needed.
func (e *testEnv) importerToken(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	if _, _, err := e.store.FindUserByEmail(ctx, importerEmail); accord.ErrorCode(err) == accord.ENOTFOUND {
		u := accord.User{Email: importerEmail, Name: "Data Team", Grants: []accord.Grant{{Role: accord.RoleNationalOversight, OrgCode: accord.EnglandCode}}}
		if err := e.store.CreateUser(ctx, &u, ""); err != nil {
			t.Fatal(err)
		}
	} else if err != nil {
		t.Fatal(err)
	}
	return e.tokenFor(t, importerEmail)
}

// TestImportNeedsAnImporter: figures everyone sees change only at the hands
// of someone signed in whose role supplies statistics, and the import
// records who.
func TestImportNeedsAnImporter(t *testing.T) {
	e := newTestEnv(t, Config{})
	e.addUser(t, "staffside@que.nhs.net", "Sam Staffside", accord.Grant{Role: accord.RoleWorkforceRep, OrgCode: "QUE"})
	send := func(token string) *http.Response {
		var b bytes.Buffer
		mw := multipart.NewWriter(&b)
		fw, _ := mw.CreateFormFile("file", "first.csv")
		fw.Write([]byte(firstReturn))
		mw.Close()
		req := httptest.NewRequest(http.MethodPost, "/api/v1/imports", &b)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		rec := httptest.NewRecorder()
		e.handler.ServeHTTP(rec, req)
		return rec.Result()
	}
	if res := send(""); res.StatusCode != http.StatusUnauthorized {
		t.Errorf("anonymous import: %d, want 401", res.StatusCode)
	}
	if res := send(e.tokenFor(t, "staffside@que.nhs.net")); res.StatusCode != http.StatusForbidden {
		t.Errorf("workforce representative's import: %d, want 403", res.StatusCode)
	}
	if _, n, err := e.store.FindImports(context.Background(), accord.ImportFilter{}); err != nil || n != 0 {
		t.Fatalf("refused imports wrote %d imports (%v)", n, err)
	}
	res, b := e.postImport(t, "first.csv", firstReturn, nil)
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("national oversight's import: %d\n%s", res.StatusCode, b)
	}
	imps, _, err := e.store.FindImports(context.Background(), accord.ImportFilter{})
	if err != nil || len(imps) != 1 || imps[0].ImportedBy != importerEmail {
		t.Fatalf("the import does not record who made it: %+v (%v)", imps, err)
	}
}

// importAnswer decodes the answer to POST /api/v1/imports.
func importAnswer(t *testing.T, b string) importResult {
	t.Helper()
	var res importResult
	if err := json.Unmarshal([]byte(b), &res); err != nil {
		t.Fatalf("%v\n%s", err, b)
	}
	return res
}

// counts is how many imports and observations (every breakdown) are stored.
func (e *testEnv) counts(t *testing.T) (imports, observations int) {
	t.Helper()
	ctx := context.Background()
	_, imports, err := e.store.FindImports(ctx, accord.ImportFilter{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	_, observations, err = e.store.FindObservations(ctx, accord.ObservationFilter{AnyBreakdown: true, Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	return imports, observations
}

func TestAPICreateImport(t *testing.T) {
	e := newTestEnv(t, Config{})
	_, seeded := e.counts(t)

	res, b := e.postImport(t, "que-return.csv", firstReturn, nil)
	if res.StatusCode != http.StatusCreated || res.Header.Get("Location") != "/api/v1/imports/1" {
		t.Fatalf("%d %v\n%s", res.StatusCode, res.Header, b)
	}
	first := importAnswer(t, b)
	if imp := first.Import; imp.ID != 1 || imp.Added != 3 || imp.Replaced != 0 || imp.RowsRead != 3 || imp.Status != accord.ImportApplied ||
		imp.FileName != "que-return.csv" || imp.ImportedBy != importerEmail || imp.First.String() != "2025-06" || imp.Last.String() != "2025-07" ||
		first.Format != "long" || first.Layout == "" || first.AlreadyImported || first.DryRun {
		t.Errorf("first import: %+v", first)
	}
	if !first.Import.PublishedOn.IsZero() || !strings.Contains(b, `"published_on": null`) {
		t.Errorf("no publication date was given, yet: %s", b)
	}
	if imps, obs := e.counts(t); imps != 1 || obs != seeded+3 {
		t.Errorf("after the first import: %d imports, %d observations; want 1, %d", imps, obs, seeded+3)
	}

	t.Run("the same file again changes nothing", func(t *testing.T) {
		res, b := e.postImport(t, "renamed.csv", firstReturn, nil)
		again := importAnswer(t, b)
		if res.StatusCode != http.StatusOK || !again.AlreadyImported || again.Import.ID != 1 || again.Format != "long" {
			t.Errorf("%d\n%s", res.StatusCode, b)
		}
		if imps, obs := e.counts(t); imps != 1 || obs != seeded+3 {
			t.Errorf("%d imports, %d observations; want 1, %d", imps, obs, seeded+3)
		}
	})

	t.Run("a dry run writes nothing", func(t *testing.T) {
		dry := longHeader + "QUE,ae_4h_all,2025-08,15000,20000,75,,provisional\nRGT,ae_4h_all,2025-08,7000,10000,70,,provisional\n"
		res, b := e.postImport(t, "dry.csv", dry, map[string]string{"dry_run": "true", "format": "long"})
		got := importAnswer(t, b)
		if res.StatusCode != http.StatusOK || !got.DryRun || got.AlreadyImported || got.Import.Added != 2 || got.Import.ID != 0 ||
			res.Header.Get("Location") != "" {
			t.Errorf("%d %v\n%s", res.StatusCode, res.Header, b)
		}
		if imps, obs := e.counts(t); imps != 1 || obs != seeded+3 {
			t.Errorf("%d imports, %d observations; want 1, %d", imps, obs, seeded+3)
		}
	})

	t.Run("a publication date is kept", func(t *testing.T) {
		dated := longHeader + "QUE,ae_4h_all,2025-09,15000,20000,75,,provisional\n"
		res, b := e.postImport(t, "dated.csv", dated, map[string]string{"dry_run": "true", "published_on": "2025-10-09"})
		got := importAnswer(t, b)
		if res.StatusCode != http.StatusOK || got.Import.PublishedOn.String() != "2025-10-09" || !strings.Contains(b, `"published_on": "2025-10-09"`) {
			t.Errorf("%d\n%s", res.StatusCode, b)
		}
	})

	t.Run("a bad file writes nothing and says where", func(t *testing.T) {
		bad := longHeader +
			"QUE,ae_4h_all,2025-08,15000,20000,75,,provisional\n" +
			"QUE,ae_4h_all,2025-13,15000,20000,75,,provisional\n" +
			"ZZZ,ae_4h_all,2025-08,15000,20000,75,,provisional\n"
		res, b := e.postImport(t, "bad.csv", bad, nil)
		if res.StatusCode != http.StatusBadRequest || res.Header.Get("Content-Type") != "application/json; charset=utf-8" {
			t.Fatalf("%d\n%s", res.StatusCode, b)
		}
		er := apiErr(t, b)
		for _, want := range []string{"bad.csv:3:3: ", "month", "bad.csv:4:1: ", `"ZZZ"`} {
			if er.Code != accord.EINVALID || !strings.Contains(er.Message, want) {
				t.Errorf("%s: message lacks %q:\n%s", er.Code, want, er.Message)
			}
		}
		if imps, obs := e.counts(t); imps != 1 || obs != seeded+3 {
			t.Errorf("%d imports, %d observations; want 1, %d", imps, obs, seeded+3)
		}
	})

	t.Run("a revised file keeps the values it replaces", func(t *testing.T) {
		res, b := e.postImport(t, "que-return-revised.csv", revisedReturn, nil)
		got := importAnswer(t, b)
		if res.StatusCode != http.StatusCreated || got.Import.ID != 2 || got.Import.Added != 3 || got.Import.Replaced != 3 {
			t.Fatalf("%d\n%s", res.StatusCode, b)
		}
		if imps, obs := e.counts(t); imps != 2 || obs != seeded+3 {
			t.Errorf("%d imports, %d observations; want 2, %d", imps, obs, seeded+3)
		}
	})

	for _, tc := range []struct {
		name, file string
		fields     map[string]string
		field      string // the field the error must name
	}{
		{"no file", "", map[string]string{"format": "long"}, "file"},
		{"unknown format", "x.csv", map[string]string{"format": "spreadsheet"}, "format"},
		{"dry_run not a boolean", "x.csv", map[string]string{"dry_run": "perhaps"}, "dry_run"},
		{"published_on not a date", "x.csv", map[string]string{"published_on": "9/1/2025"}, "published_on"},
		{"published_on in the future", "x.csv", map[string]string{"published_on": "2999-01-01"}, "published_on"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, b := e.postImport(t, tc.file, firstReturn, tc.fields)
			if res.StatusCode != http.StatusBadRequest {
				t.Fatalf("%d\n%s", res.StatusCode, b)
			}
			if er := apiErr(t, b); er.Code != accord.EINVALID || !hasField(er, tc.field) {
				t.Errorf("error does not name %q: %s", tc.field, b)
			}
		})
	}

	t.Run("not multipart", func(t *testing.T) {
		req := httptest.NewRequest(http.MethodPost, "/api/v1/imports", strings.NewReader(firstReturn))
		req.Header.Set("Content-Type", "text/csv")
		req.Header.Set("Authorization", "Bearer "+e.importerToken(t))
		rec := httptest.NewRecorder()
		e.handler.ServeHTTP(rec, req)
		if rec.Code != http.StatusBadRequest || !hasField(apiErr(t, rec.Body.String()), "file") {
			t.Errorf("%d\n%s", rec.Code, rec.Body.String())
		}
	})
}

func TestAPIImportsAndRevisions(t *testing.T) {
	e := newTestEnv(t, Config{})
	for _, f := range []struct{ name, content string }{{"first.csv", firstReturn}, {"revised.csv", revisedReturn}} {
		if res, b := e.postImport(t, f.name, f.content, nil); res.StatusCode != http.StatusCreated {
			t.Fatalf("%s: %d\n%s", f.name, res.StatusCode, b)
		}
	}

	for _, tc := range []struct {
		path  string
		key   string
		want  []string
		total int
	}{
		{"/api/v1/imports", "file_name", []string{"revised.csv", "first.csv"}, 2},
		{"/api/v1/imports?format=long&status=applied&limit=1", "file_name", []string{"revised.csv"}, 2},
		{"/api/v1/imports?status=rolled_back", "file_name", nil, 0},
		{"/api/v1/revisions?organisation=QUE&indicator=ae_4h_all", "period", []string{"2025-06", "2025-07"}, 2},
		{"/api/v1/revisions?organisation=E54000056&breakdown=any", "period", []string{"2025-06", "2025-07", "2025-07"}, 3},
		{"/api/v1/revisions?organisation=QUE&breakdown=sex=female", "period", []string{"2025-07"}, 1},
		{"/api/v1/revisions?organisation=QUE&from=2025-07&to=2025-07", "period", []string{"2025-07"}, 1},
		{"/api/v1/revisions?organisation=RGT", "period", nil, 0},
		{"/api/v1/revisions?limit=0", "period", nil, 2},
	} {
		t.Run(tc.path, func(t *testing.T) {
			res := e.do(t, http.MethodGet, tc.path)
			b := body(t, res)
			if res.StatusCode != http.StatusOK {
				t.Fatalf("%d\n%s", res.StatusCode, b)
			}
			var l listBody
			if err := json.Unmarshal([]byte(b), &l); err != nil || l.Items == nil || l.Total == nil {
				t.Fatalf("not the list shape: %v\n%s", err, b)
			}
			got := l.itemKeys(tc.key)
			if strings.Join(got, " ") != strings.Join(tc.want, " ") || *l.Total != tc.total {
				t.Errorf("items %v total %d, want %v total %d", got, *l.Total, tc.want, tc.total)
			}
		})
	}

	t.Run("revision fields", func(t *testing.T) {
		var l listBody
		b := body(t, e.do(t, http.MethodGet, "/api/v1/revisions?organisation=QUE&from=2025-06&to=2025-06"))
		if err := json.Unmarshal([]byte(b), &l); err != nil || len(l.Items) != 1 {
			t.Fatalf("%v\n%s", err, b)
		}
		it := l.Items[0]
		if it["value"] != 76.0 || it["status"] != "provisional" || it["import_id"] != 1.0 || it["replaced_by_import"] != 2.0 ||
			it["replaced_at"] == nil || it["organisation_code"] != "QUE" {
			t.Errorf("revision: %v", it)
		}
	})

	t.Run("observation fields", func(t *testing.T) {
		var l listBody
		b := body(t, e.do(t, http.MethodGet, "/api/v1/observations?organisation=QUE&indicator=ae_4h_all"))
		if err := json.Unmarshal([]byte(b), &l); err != nil || len(l.Items) != 4 {
			t.Fatalf("%v\n%s", err, b)
		}
		for _, it := range l.Items {
			id, ok := it["import_id"]
			switch it["period"] {
			case "2025-04", "2025-05": // seeded outside any import
				if !ok || id != nil {
					t.Errorf("%v: import_id %v, want null", it["period"], id)
				}
			default:
				if id != 2.0 || it["value"] == 76.0 {
					t.Errorf("%v: import_id %v value %v, want the revised value from import 2", it["period"], id, it["value"])
				}
			}
		}
	})

	for _, tc := range []struct {
		path, want string
	}{
		{"/api/v1/imports/1", `"file_name": "first.csv"`},
		{"/api/v1/imports/2", `"observations_replaced": 3`},
	} {
		res := e.do(t, http.MethodGet, tc.path)
		if b := body(t, res); res.StatusCode != http.StatusOK || !strings.Contains(b, tc.want) || !strings.Contains(b, `"skipped": []`) {
			t.Errorf("%s: %d\n%s", tc.path, res.StatusCode, b)
		}
	}

	for _, tc := range []struct {
		path   string
		status int
		field  string
	}{
		{"/api/v1/imports/99", 404, ""},
		{"/api/v1/imports/abc", 404, ""},
		{"/api/v1/imports/0", 404, ""},
		{"/api/v1/imports/1?verbose=1", 400, "verbose"},
		{"/api/v1/imports?status=pending", 400, "status"},
		{"/api/v1/imports?format=pdf", 400, "format"},
		{"/api/v1/revisions?organisation=ZZZ", 400, "organisation"},
		{"/api/v1/revisions?from=2025-13", 400, "from"},
		{"/api/v1/revisions?breakdown=colour=blue", 400, "breakdown"},
		{"/api/v1/revisions?colour=blue", 400, "colour"},
	} {
		res := e.do(t, http.MethodGet, tc.path)
		b := body(t, res)
		if res.StatusCode != tc.status {
			t.Errorf("%s: %d, want %d\n%s", tc.path, res.StatusCode, tc.status, b)
			continue
		}
		if er := apiErr(t, b); tc.field != "" && !hasField(er, tc.field) {
			t.Errorf("%s: error does not name %q: %s", tc.path, tc.field, b)
		}
	}
}
