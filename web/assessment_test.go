package web

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/nhs-accord/accord"
	"github.com/nhs-accord/accord/assess"
)

// TestAssessmentShown assesses the seeded series and checks the series page
// and the API say what the statistics found, and when.
func TestAssessmentShown(t *testing.T) {
	e := newTestEnv(t, Config{})
	ctx := context.Background()
	if _, err := assess.Recompute(ctx, e.store, nil, time.Date(2026, 11, 22, 9, 30, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	as, _, err := e.store.FindAssessments(ctx, accord.AssessmentFilter{IndicatorID: "ae_4h_all", OrgCodes: []string{"QUE"}})
	if err != nil || len(as) != 1 {
		t.Fatalf("seeded series not assessed: %+v %v", as, err)
	}
	page := body(t, e.do(t, "GET", "/organisations/QUE/indicators/ae_4h_all"))
	for _, want := range []string{"<h2>What the statistics say</h2>", "Latest value", "Assessed on 22 November 2026 at 09:30 UTC"} {
		if !strings.Contains(page, want) {
			t.Errorf("series page lacks %q", want)
		}
	}
	api := body(t, e.do(t, "GET", "/api/v1/assessments?indicator=ae_4h_all&organisation=QUE"))
	if !strings.Contains(api, `"computed_at": "2026-11-22T09:30:00Z"`) || !strings.Contains(api, `"total": 1`) {
		t.Errorf("API: %s", api)
	}
	res := e.do(t, "GET", "/api/v1/assessments?type=hospital")
	if res.StatusCode != 400 || !hasField(apiErr(t, body(t, res)), "type") {
		t.Errorf("bad type: %d", res.StatusCode)
	}
}
