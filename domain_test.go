package accord_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/nhs-accord/accord"
)

// wantFields checks err is an EINVALID error naming each field.
func wantFields(t *testing.T, err error, fields ...string) {
	t.Helper()
	if accord.ErrorCode(err) != accord.EINVALID {
		t.Fatalf("got %v (code %q), want an invalid error", err, accord.ErrorCode(err))
	}
	for _, f := range fields {
		if !strings.Contains(err.Error(), f+":") {
			t.Errorf("error %q does not name field %q", err, f)
		}
	}
}

func TestOrganisationValidate(t *testing.T) {
	icb := accord.Organisation{Code: "QHG", ONSCode: "E54000024", Name: "NHS Bedfordshire, Luton and Milton Keynes Integrated Care Board", Type: accord.OrgICB, ParentCode: "Y61"}
	if err := icb.Validate(); err != nil {
		t.Fatal(err)
	}
	if err := (accord.Organisation{Code: accord.EnglandCode, ONSCode: accord.EnglandONSCode, Name: "England", Type: accord.OrgEngland}).Validate(); err != nil {
		t.Fatal(err)
	}
	bad := icb
	bad.Code, bad.ONSCode, bad.Name, bad.Type = "q h g", "54000024", " ", "hospital"
	wantFields(t, bad.Validate(), "code", "ons_code", "name", "type")

	orphan := icb
	orphan.ParentCode = ""
	wantFields(t, orphan.Validate(), "parent_code")

	backwards := icb
	backwards.ValidFrom, backwards.ValidTo = accord.NewDate(2024, 4, 1), accord.NewDate(2022, 7, 1)
	wantFields(t, backwards.Validate(), "valid_to")

	closed := icb
	closed.ValidFrom, closed.ValidTo = accord.NewDate(2022, 7, 1), accord.NewDate(2024, 3, 31)
	if !closed.ValidOn(time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)) || closed.ValidOn(time.Date(2024, 4, 1, 0, 0, 0, 0, time.UTC)) || closed.ValidOn(time.Date(2022, 6, 30, 0, 0, 0, 0, time.UTC)) {
		t.Error("ValidOn does not respect the dates")
	}
}

func percentIndicator() accord.Indicator {
	return accord.Indicator{ID: "ae_4h_all", Name: "A&E within 4 hours", Definition: "d", Unit: accord.UnitPercent,
		Polarity: accord.HigherIsBetter, Method: accord.MethodProportion, Denominator: "attendances", Source: "NHS England",
		Frequency: accord.Monthly, Tags: []accord.Tag{accord.TagProcess, accord.TagAcute}}
}

func TestIndicatorValidate(t *testing.T) {
	if err := percentIndicator().Validate(); err != nil {
		t.Fatal(err)
	}
	bad := accord.Indicator{ID: "Bad ID", Unit: "furlongs", Polarity: "up", Method: "guess", Frequency: "sometimes", Tags: []accord.Tag{"acute", "shiny"}}
	wantFields(t, bad.Validate(), "id", "name", "definition", "unit", "polarity", "method", "source", "frequency", "tags")
	twoKinds := percentIndicator()
	twoKinds.Tags = []accord.Tag{accord.TagOutcome, accord.TagProcess}
	wantFields(t, twoKinds.Validate(), "tags")
	noDen := percentIndicator()
	noDen.Denominator = ""
	wantFields(t, noDen.Validate(), "denominator_definition")
}

func TestObservationValidate(t *testing.T) {
	ind := percentIndicator()
	ok := accord.Observation{IndicatorID: ind.ID, OrgCode: "QHG", Period: accord.MustParsePeriod("2025-04"), Value: 70,
		Numerator: accord.Float(7000), Denominator: accord.Float(10000), LowerCI: accord.Float(69.1), UpperCI: accord.Float(70.9), CILevel: 95, Status: accord.Final}
	if err := ok.Validate(ind); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		edit  func(*accord.Observation)
		field string
		text  string
	}{
		{"percentage of 140", func(o *accord.Observation) { o.Value = 140 }, "value", "140 is not a percentage between 0 and 100"},
		{"numerator above denominator", func(o *accord.Observation) { o.Numerator = accord.Float(10001) }, "numerator", "10001 is more than the denominator 10000"},
		{"negative count", func(o *accord.Observation) { o.Denominator = accord.Float(-1) }, "denominator", "must be a number that is not negative"},
		{"half an interval", func(o *accord.Observation) { o.UpperCI = nil }, "interval", "both"},
		{"interval missing the value", func(o *accord.Observation) { o.LowerCI = accord.Float(70.5) }, "interval", "does not contain"},
		{"odd level", func(o *accord.Observation) { o.CILevel = 90 }, "ci_level", "95 or 99.8"},
		{"no status", func(o *accord.Observation) { o.Status = "" }, "status", "provisional or final"},
		{"no period", func(o *accord.Observation) { o.Period = accord.Period{} }, "period", "required"},
		{"bad decile", func(o *accord.Observation) { o.Breakdown.IMDDecile = 11 }, "breakdown.imd_decile", "from 1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := ok
			tc.edit(&o)
			err := o.Validate(ind)
			wantFields(t, err, tc.field)
			if !strings.Contains(err.Error(), tc.text) {
				t.Errorf("error %q lacks %q", err, tc.text)
			}
			if !strings.Contains(err.Error(), "observation ae_4h_all for QHG") {
				t.Errorf("error %q does not say which observation", err)
			}
		})
	}
}

func TestBreakdownKeyRoundTrip(t *testing.T) {
	for _, b := range []accord.Breakdown{{}, {Sex: "female"}, {AgeBand: "65+"}, {Sex: "male", AgeBand: "0-4", IMDDecile: 1}, {IMDDecile: 10}} {
		got, err := accord.ParseBreakdown(b.Key())
		if err != nil || got != b {
			t.Errorf("ParseBreakdown(%q) = %+v, %v", b.Key(), got, err)
		}
	}
	for _, bad := range []string{"colour=red", "sex", "imd=x", "imd=0;sex=female;imd=11", "sex=other", "age=old"} {
		if _, err := accord.ParseBreakdown(bad); accord.ErrorCode(err) != accord.EINVALID {
			t.Errorf("ParseBreakdown(%q) accepted: %v", bad, err)
		}
	}
	if s := (accord.Breakdown{Sex: "female", IMDDecile: 1}).String(); s != "Female, deprivation decile 1" {
		t.Errorf("label %q", s)
	}
}

func TestTargetValidate(t *testing.T) {
	tg := accord.Target{OrgCode: "QHG", IndicatorID: "rtt_18w_share", PriorityID: "pg2526_rtt_18w_national", Title: "Reach 65% within 18 weeks",
		Comparator: accord.AtLeast, Value: 65, Deadline: accord.NewDate(2026, 3, 31), Status: accord.TargetDraft,
		Trajectory: []accord.Milestone{{Period: accord.MustParsePeriod("2025-04"), Value: 58}, {Period: accord.MustParsePeriod("2026-03"), Value: 65}}}
	if err := tg.Validate(); err != nil {
		t.Fatal(err)
	}
	bad := tg
	bad.PriorityID, bad.Status, bad.Comparator = "", "pending", "="
	wantFields(t, bad.Validate(), "priority", "status", "comparator")
	both := tg
	both.LocalTag = accord.TagInequality
	wantFields(t, both.Validate(), "local_tag")
	disorder := tg
	disorder.Trajectory = []accord.Milestone{tg.Trajectory[1], tg.Trajectory[0]}
	wantFields(t, disorder.Validate(), "trajectory")
	late := tg
	late.Trajectory = append(late.Trajectory, accord.Milestone{Period: accord.MustParsePeriod("2026-06"), Value: 66})
	wantFields(t, late.Validate(), "trajectory")
}

func TestPriorityValidate(t *testing.T) {
	p := accord.Priority{ID: "const_ae_4h", Name: "A&E 4-hour standard", StandardType: accord.Constitutional, Comparator: accord.AtLeast,
		Standard: 95, Unit: "percent", Source: "Handbook to the NHS Constitution", Confidence: "high"}
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	if !p.Standing() || !p.Comparator.Met(95, 95) || p.Comparator.Met(94.9, 95) || !accord.AtMost.Met(1, 1) {
		t.Error("standing/comparator logic")
	}
	p.Standard, p.StandardType, p.Confidence = 140, "wish", "sure"
	wantFields(t, p.Validate(), "standard", "standard_type", "confidence")
}

func TestErrorHelpers(t *testing.T) {
	if accord.ErrorCode(nil) != "" || accord.ErrorMessage(nil) != "" {
		t.Error("nil error")
	}
	plain := json.Unmarshal([]byte("{"), &struct{}{})
	if accord.ErrorCode(plain) != accord.EINTERNAL || accord.ErrorMessage(plain) != "Internal error." {
		t.Error("an unknown error must read as internal, with no detail")
	}
	d, err := accord.ParseDate("2026-03-31")
	if err != nil || d.String() != "2026-03-31" {
		t.Error(d, err)
	}
	if _, err := accord.ParseDate("31/03/2026"); accord.ErrorCode(err) != accord.EINVALID {
		t.Error("bad date accepted")
	}
}

func TestDateJSON(t *testing.T) {
	type rec struct {
		From accord.Date `json:"from"`
		To   accord.Date `json:"to"`
	}
	b, err := json.Marshal(rec{From: accord.NewDate(2022, 7, 1)})
	if err != nil || string(b) != `{"from":"2022-07-01","to":null}` {
		t.Fatalf("%s %v", b, err)
	}
	var r rec
	if err := json.Unmarshal(b, &r); err != nil || r.From.String() != "2022-07-01" || !r.To.IsZero() {
		t.Fatalf("%+v %v", r, err)
	}
	if err := json.Unmarshal([]byte(`{"from":"1 July 2022"}`), &r); err == nil {
		t.Error("a date in words was accepted")
	}
}
