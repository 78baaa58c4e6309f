package web

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/nhs-accord/accord"
)

// listBody is the shape of every API list.
type listBody struct {
	Items  []map[string]any `json:"items"`
	Total  *int             `json:"total"`
	Limit  int              `json:"limit"`
	Offset int              `json:"offset"`
}

// itemKeys lists a field of every item, for comparing lists.
func (l listBody) itemKeys(field string) []string {
	var out []string
	for _, it := range l.Items {
		s, _ := it[field].(string)
		out = append(out, s)
	}
	return out
}

func TestAPILists(t *testing.T) {
	e := newTestEnv(t, Config{})
	for _, tc := range []struct {
		path  string
		key   string   // item field to compare
		want  []string // the items' keys, in order
		total int
	}{
		// Organisations come in hierarchy order, then by name.
		{"/api/v1/organisations", "code", []string{"ENG", "Y61", "QUE", "06H", "E10000003", "RGT"}, 6},
		{"/api/v1/organisations?type=icb", "code", []string{"QUE"}, 1},
		{"/api/v1/organisations?type=provider", "code", []string{"RGT"}, 1},
		{"/api/v1/organisations?parent=QUE", "code", []string{"06H", "E10000003", "RGT"}, 3},
		{"/api/v1/organisations?parent=E54000056&type=place", "code", []string{"E10000003"}, 1}, // parent by ONS code
		{"/api/v1/organisations?q=cambridge", "code", []string{"QUE", "06H", "E10000003", "RGT"}, 4},
		{"/api/v1/organisations?limit=2&offset=1", "code", []string{"Y61", "QUE"}, 6},
		{"/api/v1/organisations?limit=0", "code", nil, 6},
		{"/api/v1/organisations?q=nowhere", "code", nil, 0},

		{"/api/v1/indicators", "id", []string{"smoking_prevalence", "ae_4h_all"}, 2}, // by area, then name
		{"/api/v1/indicators?tag=preventative", "id", []string{"smoking_prevalence"}, 1},
		{"/api/v1/indicators?area=urgent_emergency_care", "id", []string{"ae_4h_all"}, 1},
		{"/api/v1/indicators?q=smok", "id", []string{"smoking_prevalence"}, 1},
		{"/api/v1/indicators?tag=inequality", "id", nil, 0},

		{"/api/v1/observations?indicator=ae_4h_all&organisation=QUE", "period", []string{"2025-04", "2025-05"}, 2},
		{"/api/v1/observations?organisation=QUE,RGT&from=2025-04&to=2025-04", "organisation_code", []string{"QUE", "RGT"}, 2},
		{"/api/v1/observations?organisation=QUE&organisation=RGT&to=2025-04", "organisation_code", []string{"QUE", "RGT"}, 2},
		{"/api/v1/observations?organisation=E54000056&from=2025-05", "period", []string{"2025-05"}, 1},
		{"/api/v1/observations?organisation=QUE&from=2025/26", "period", []string{"2025-04", "2025-05"}, 2},
		{"/api/v1/observations?organisation=QUE&breakdown=sex=female", "period", []string{"2025-05"}, 1},
		{"/api/v1/observations?organisation=QUE&breakdown=sex%3Dfemale", "period", []string{"2025-05"}, 1},
		{"/api/v1/observations?organisation=QUE&breakdown=any", "period", []string{"2025-04", "2025-05", "2025-05"}, 3},
		{"/api/v1/observations?organisation=QUE&breakdown=sex=male;imd=1", "period", nil, 0},

		{"/api/v1/priorities", "id", []string{"const_rtt_18w", "pg2526_ae_4h", "pg2425_ae_4h"}, 3},
		{"/api/v1/priorities?type=planning", "id", []string{"pg2526_ae_4h", "pg2425_ae_4h"}, 2},
		{"/api/v1/priorities?type=constitutional&area=elective", "id", []string{"const_rtt_18w"}, 1},
		{"/api/v1/priorities?indicator=ae_4h_all&limit=1&offset=1", "id", []string{"pg2425_ae_4h"}, 2},
	} {
		t.Run(tc.path, func(t *testing.T) {
			res := e.do(t, http.MethodGet, tc.path)
			b := body(t, res)
			if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "application/json; charset=utf-8" {
				t.Fatalf("%d %s\n%s", res.StatusCode, res.Header.Get("Content-Type"), b)
			}
			var l listBody
			if err := json.Unmarshal([]byte(b), &l); err != nil {
				t.Fatal(err)
			}
			if l.Items == nil || l.Total == nil {
				t.Fatalf("not the list shape {items, total}:\n%s", b)
			}
			if got := l.itemKeys(tc.key); strings.Join(got, " ") != strings.Join(tc.want, " ") || *l.Total != tc.total {
				t.Errorf("items %v total %d, want %v total %d", got, *l.Total, tc.want, tc.total)
			}
		})
	}
}

func TestAPIListItemFields(t *testing.T) {
	e := newTestEnv(t, Config{})
	res := e.do(t, http.MethodGet, "/api/v1/organisations?type=icb")
	var l listBody
	if err := json.Unmarshal([]byte(body(t, res)), &l); err != nil || len(l.Items) != 1 {
		t.Fatalf("%v %v", err, l)
	}
	for _, f := range []string{"code", "ons_code", "name", "type", "parent_code", "valid_from", "valid_to"} {
		if _, ok := l.Items[0][f]; !ok {
			t.Errorf("organisation item lacks %q: %v", f, l.Items[0])
		}
	}
	if l.Items[0]["valid_from"] != "2022-07-01" || l.Items[0]["valid_to"] != nil || l.Items[0]["parent_code"] != "Y61" {
		t.Errorf("item: %v", l.Items[0])
	}
}

func TestAPIDetails(t *testing.T) {
	e := newTestEnv(t, Config{})
	for _, tc := range []struct {
		path string
		want []string
	}{
		{"/api/v1/organisations/QUE", []string{`"code": "QUE"`, `"ons_code": "E54000056"`, `"parent"`, `"East of England"`,
			`"children"`, `"RGT"`, `"Cambridge University Hospitals NHS Foundation Trust"`, `"type": "provider"`, `"E10000003"`,
			`"ons_code": "E54000023"`, `"valid_to": "2023-03-31"`}},
		{"/api/v1/organisations/E54000056", []string{`"code": "QUE"`}},     // current ONS code
		{"/api/v1/organisations/E54000023", []string{`"code": "QUE"`}},     // earlier ONS code
		{"/api/v1/organisations/que", []string{`"code": "QUE"`}},           // any case
		{"/api/v1/organisations/ENG", []string{`"parent": null`, `"Y61"`}}, // England has no parent
		{"/api/v1/organisations/RGT", []string{`"children": []`}},
		{"/api/v1/indicators/ae_4h_all", []string{`"id": "ae_4h_all"`, `"numerator_definition"`, `"priorities"`, `"pg2526_ae_4h"`, `"deadline": "2026-03-31"`}},
		{"/api/v1/indicators/smoking_prevalence", []string{`"fingertips_id": 92443`, `"priorities": []`}},
	} {
		t.Run(tc.path, func(t *testing.T) {
			res := e.do(t, http.MethodGet, tc.path)
			b := body(t, res)
			if res.StatusCode != http.StatusOK {
				t.Fatalf("%d\n%s", res.StatusCode, b)
			}
			for _, w := range tc.want {
				if !strings.Contains(b, w) {
					t.Errorf("lacks %s:\n%s", w, b)
				}
			}
		})
	}
}

func TestAPIErrors(t *testing.T) {
	e := newTestEnv(t, Config{})
	for _, tc := range []struct {
		method, path string
		status       int
		code         string
		field        string // a field the error must name; "" for none
		message      string // text the message or a field must contain
	}{
		{"GET", "/api/v1/organisations?type=hospital", 400, "invalid", "type", "must be one of england, region, icb, sub_icb, place, provider"},
		{"GET", "/api/v1/organisations?parent=XXX", 400, "invalid", "parent", `"XXX"`},
		{"GET", "/api/v1/organisations?limit=-1", 400, "invalid", "limit", "whole number"},
		{"GET", "/api/v1/organisations?limit=abc", 400, "invalid", "limit", "whole number"},
		{"GET", "/api/v1/organisations?limit=1001", 400, "invalid", "limit", "1000"},
		{"GET", "/api/v1/organisations?offset=1.5", 400, "invalid", "offset", "whole number"},
		{"GET", "/api/v1/organisations?type=icb&type=region", 400, "invalid", "type", "once"},
		{"GET", "/api/v1/organisations?colour=blue", 400, "invalid", "colour", "not a parameter"},
		{"GET", "/api/v1/indicators?tag=urgent", 400, "invalid", "tag", "must be one of outcome"},
		{"GET", "/api/v1/indicators?area=dentistry", 400, "invalid", "area", "population_health, urgent_emergency_care"},
		{"GET", "/api/v1/observations?from=2025-13", 400, "invalid", "from", "month must be between 01 and 12"},
		{"GET", "/api/v1/observations?to=2025/27", 400, "invalid", "to", "2025/27"},
		{"GET", "/api/v1/observations?from=2025-05&to=2025-04", 400, "invalid", "to", "before"},
		{"GET", "/api/v1/observations?indicator=nope", 400, "invalid", "indicator", `"nope"`},
		{"GET", "/api/v1/observations?organisation=QUE,ZZZ", 400, "invalid", "organisation", `"ZZZ"`},
		{"GET", "/api/v1/observations?breakdown=colour=blue", 400, "invalid", "breakdown", "unknown part"},
		{"GET", "/api/v1/observations?breakdown=imd=11", 400, "invalid", "breakdown", "decile"},
		{"GET", "/api/v1/priorities?type=local", 400, "invalid", "type", "constitutional, planning"},
		{"GET", "/api/v1/priorities?area=nowhere", 400, "invalid", "area", "elective"},
		{"GET", "/api/v1/organisations/XXX", 404, "not_found", "", "XXX"},
		{"GET", "/api/v1/indicators/nope", 404, "not_found", "", "nope"},
		{"GET", "/api/v1/nope", 404, "not_found", "", "/api/v1/nope"},
		{"GET", "/api/v1/organisations/QUE/extra", 404, "not_found", "", ""},
		{"GET", "/api/v2/organisations", 404, "not_found", "", ""},
		{"POST", "/api/v1/organisations", 405, "method_not_allowed", "", "GET"},
		{"DELETE", "/api/v1/indicators/ae_4h_all", 405, "method_not_allowed", "", "GET"},
	} {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			res := e.do(t, tc.method, tc.path)
			b := body(t, res)
			if res.StatusCode != tc.status || res.Header.Get("Content-Type") != "application/json; charset=utf-8" {
				t.Fatalf("%d %s, want %d JSON\n%s", res.StatusCode, res.Header.Get("Content-Type"), tc.status, b)
			}
			er := apiErr(t, b)
			if er.Code != tc.code {
				t.Errorf("code %q, want %q", er.Code, tc.code)
			}
			if tc.field != "" && !hasField(er, tc.field) {
				t.Errorf("error does not name field %q: %s", tc.field, b)
			}
			if !strings.Contains(er.Message, tc.message) {
				t.Errorf("message %q lacks %q", er.Message, tc.message)
			}
			if tc.status == 405 && !strings.Contains(res.Header.Get("Allow"), "GET") {
				t.Errorf("Allow: %q", res.Header.Get("Allow"))
			}
		})
	}
}

// failingStore breaks one call, as a lost database connection would.
type failingStore struct{ accord.Store }

func (failingStore) FindIndicators(context.Context, accord.IndicatorFilter) ([]accord.Indicator, int, error) {
	return nil, 0, errors.New("dial tcp 10.0.0.5:5432: password authentication failed for user accord")
}

func (failingStore) FindPriorities(context.Context, accord.PriorityFilter) ([]accord.Priority, int, error) {
	return nil, 0, accord.Errorf(accord.ESCHEMA, "the database schema is at version 1 but this accord needs 2")
}

func TestInternalErrorsAreHidden(t *testing.T) {
	e := newTestEnv(t, Config{})
	e = newTestEnv(t, Config{Store: failingStore{e.store}})
	for _, tc := range []struct {
		path   string
		status int
		want   string
	}{
		{"/api/v1/indicators", 500, internalMessage},
		{"/indicators", 500, "Sorry, there is a problem with the service"},
		{"/api/v1/priorities", 503, "version 1"},
		{"/priorities", 503, "Sorry, the service is unavailable"},
	} {
		res := e.do(t, http.MethodGet, tc.path)
		b := body(t, res)
		if res.StatusCode != tc.status || !strings.Contains(b, tc.want) || strings.Contains(b, "password") {
			t.Errorf("%s: %d, want %d with %q\n%s", tc.path, res.StatusCode, tc.status, tc.want, b)
		}
		if strings.HasPrefix(tc.path, "/api/") {
			if er := apiErr(t, b); tc.status == 500 && (er.Code != accord.EINTERNAL || er.Message != internalMessage) {
				t.Errorf("%s: %+v", tc.path, er)
			}
		}
	}
	if !strings.Contains(e.log.String(), "password authentication failed") {
		t.Errorf("the real error was not logged:\n%s", e.log.String())
	}
}
