package phe

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
)

// Every method decodes its documented example, runs, and marshals back to
// JSON (no NaN or Inf may reach the encoder).
func TestMethodsJSON(t *testing.T) {
	cases := map[string]string{
		"proportion":      `{"x": 27, "n": 106, "multiplier": 100, "confidence": [0.95, 0.998]}`,
		"rate":            `{"x": 5, "n": 1000, "confidence": 1}`,
		"mean":            `{"x": [30, 40, 50, 60]}`,
		"dsr":             `{"x": [17, 9, null, 8], "n": [35059, 46974, 48489, 43219], "stdpop": [5000, 5500, 5500, 5500]}`,
		"isr":             `{"x": [2, 0, 1, 12], "n": [35059, 46974, 48489, 43219], "x_ref": [120, 40, 30, 55], "n_ref": [60000, 62000, 61000, 64000], "refvalue": 100}`,
		"israte":          `{"observed_totals": 0, "n": [35059, 46974], "x_ref": [120, 40], "n_ref": [60000, 62000]}`,
		"isratio":         `{"observed_totals": 12, "n": [35059, 46974], "x_ref": [120, 40], "n_ref": [60000, 0]}`,
		"sii":             `{"quantile": [1,2,3,4,5], "population": [100,200,300,400,500], "value": [5,4,3,3,2], "se": [0.5,0.4,0.3,0.3,0.2], "repetitions": 1000, "rii": true, "intercept": true}`,
		"life-expectancy": `{"deaths": [17,9,4,8,20,15,24,33,50,71,100,163,263,304,536,872,1390,1605,1936,1937], "population": [7060,35059,46974,48489,43219,38561,46009,57208,61435,55601,50209,56416,46411,39820,37978,37039,33288,23306,11936,11936], "startage": [0,1,5,10,15,20,25,30,35,40,45,50,55,60,65,70,75,80,85,90], "le_age": [0, 65], "confidence": [95, 99.8, 100]}`,
		"funnel":          `{"numerator": [10232, 12321, 15123, 13213], "denominator": [15232, 16123, 17932, 18475], "statistic": "proportion", "multiplier": 100}`,
	}
	methods := Methods()
	for name := range methods {
		if _, ok := cases[name]; !ok {
			t.Errorf("no JSON case for %q", name)
		}
	}
	for name, body := range cases {
		in := methods[name]()
		if err := json.Unmarshal([]byte(body), in); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		out, err := in.Run()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if _, err := json.Marshal(out); err != nil {
			t.Errorf("%s: marshal: %v", name, err)
		}
	}
}

func TestInputDefaultsAndNulls(t *testing.T) {
	run := func(name, body string) any {
		t.Helper()
		in := Methods()[name]()
		if err := json.Unmarshal([]byte(body), in); err != nil {
			t.Fatal(err)
		}
		out, err := in.Run()
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	e := run("rate", `{"x": 27, "n": 106}`).(Estimate)
	x, n := 27.0, 106.0
	if *e.Value != x/n*100000 || e.Intervals[0].Confidence != 0.95 || e.Statistic != "rate per 100000" {
		t.Errorf("rate defaults: %+v", e)
	}
	e = run("proportion", `{"x": null, "n": 106}`).(Estimate)
	if e.Value != nil || e.Intervals[0].Lower != nil {
		t.Errorf("null x: %+v", e)
	}
	e = run("proportion", `{"x": 5, "n": 10, "confidence": null}`).(Estimate)
	if len(e.Intervals) != 0 {
		t.Errorf("confidence null: %+v", e)
	}
	e = run("proportion", `{"x": 5, "n": 10, "confidence": 99.8}`).(Estimate)
	if e.Intervals[0].Confidence != 0.998 {
		t.Errorf("confidence 99.8: %+v", e.Intervals)
	}
	// An infinite upper limit is null in JSON.
	b, _ := json.Marshal(run("rate", `{"x": 5, "n": 10, "confidence": 1}`))
	if !strings.Contains(string(b), `"upper":null`) || !strings.Contains(string(b), `"lower":0`) {
		t.Errorf("confidence 1 JSON: %s", b)
	}
	// Bad input is an error, not a panic.
	in := Methods()["rate"]()
	_ = json.Unmarshal([]byte(`{"x": 5, "n": 0}`), in)
	if _, err := in.Run(); err == nil {
		t.Error("n = 0 accepted")
	}
}

func TestVectorUnmarshal(t *testing.T) {
	var v Vector
	if err := json.Unmarshal([]byte(`[1, null, 3]`), &v); err != nil || len(v) != 3 || !math.IsNaN(v[1]) {
		t.Errorf("%v %v", v, err)
	}
	if err := json.Unmarshal([]byte(`0.95`), &v); err != nil || len(v) != 1 || v[0] != 0.95 {
		t.Errorf("%v %v", v, err)
	}
	var l []Label
	if err := json.Unmarshal([]byte(`["0-4", 5, 10.5]`), &l); err != nil || l[1] != "5" || l[2] != "10.5" {
		t.Errorf("%v %v", l, err)
	}
}
