package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
)

func runStatsCLI(t *testing.T, method, input string) (string, error) {
	t.Helper()
	var out, errb bytes.Buffer
	err := run(context.Background(), []string{"stats", method}, &env{stdin: strings.NewReader(input), stdout: &out, stderr: &errb, getenv: func(string) string { return "" }})
	return out.String(), err
}

func TestStatsSPCContract(t *testing.T) {
	out, err := runStatsCLI(t, "spc", `{"values":[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15],"improvement_direction":"increase","target":10,"rebase_indices":[],"fix_after_n_points":null,"screen_outliers":true}`)
	if err != nil {
		t.Fatal(err)
	}
	var res struct {
		Points []struct {
			Value, Mean, LPL, UPL, NLPL, NUPL float64
			SpecialCauseType                  string `json:"special_cause_type"`
			PointType                         string `json:"point_type"`
		} `json:"points"`
		Groups []struct {
			StartIndex        int  `json:"start_index"`
			N                 int  `json:"n"`
			ShortGroupWarning bool `json:"short_group_warning"`
		} `json:"groups"`
		VariationIcon string `json:"variation_icon"`
		AssuranceType string `json:"assurance_type"`
		AssuranceIcon string `json:"assurance_icon"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	// A steady rise of 1 a point: mean 8, moving ranges all 1, so the limits
	// are 8 ± 2.66; the first and last points fall outside them.
	if len(res.Points) != 15 || res.Points[0].Mean != 8 || res.Points[0].UPL != 10.66 || res.Points[0].LPL != 5.34 {
		t.Errorf("points: %+v", res.Points[:1])
	}
	if res.Points[14].PointType != "special_cause_improvement" || res.Points[0].PointType != "special_cause_concern" {
		t.Errorf("point types: first %q last %q", res.Points[0].PointType, res.Points[14].PointType)
	}
	if len(res.Groups) != 1 || res.Groups[0].N != 15 || res.VariationIcon == "" || res.AssuranceType == "" {
		t.Errorf("groups and icons: %+v %q %q", res.Groups, res.VariationIcon, res.AssuranceType)
	}
}

func TestStatsBadInput(t *testing.T) {
	for _, tc := range []struct{ method, input, want string }{
		{"spc", ``, "standard input is empty"},
		{"spc", `nope`, "not valid JSON"},
		{"spc", `{"valuez":[1]}`, `unknown field "valuez"`},
		{"spc", `{"values":[1,null,3]}`, "values[1]"},
		{"spc", `{"values":"many"}`, `field "values" must be`},
		{"spc", `{"values":[1,2]}{"values":[3]}`, "more than one JSON object"},
		{"nonsense", `{}`, `unknown method "nonsense"`},
	} {
		_, err := runStatsCLI(t, tc.method, tc.input)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s %q: error %v, want %q", tc.method, tc.input, err, tc.want)
		}
		if ExitCode(err) != 2 {
			t.Errorf("%s %q: exit code %d, want 2", tc.method, tc.input, ExitCode(err))
		}
	}
}
