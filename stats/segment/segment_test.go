package segment_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/nhs-accord/accord"
	"github.com/nhs-accord/accord/stats/segment"
)

func scoresOf(t *testing.T, res segment.Result, metric string) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, o := range res.Organisations {
		for _, s := range o.Scores {
			if s.MetricID == metric {
				out[o.Code] = s.Score
			}
		}
	}
	return out
}

func TestQuartileScores(t *testing.T) {
	codes := []string{"A", "B", "C", "D", "E", "F", "G", "H"}
	values := func(vs ...float64) map[string]float64 {
		m := map[string]float64{}
		for i, v := range vs {
			m[codes[i]] = v
		}
		return m
	}
	cases := []struct {
		name     string
		polarity accord.Polarity
		values   map[string]float64
		want     string // scores of A…H
	}{
		{"higher is better, two to a quarter", accord.HigherIsBetter, values(90, 80, 70, 60, 50, 40, 30, 20), "11223344"},
		{"lower is better reverses", accord.LowerIsBetter, values(90, 80, 70, 60, 50, 40, 30, 20), "44332211"},
		{"order given does not matter", accord.HigherIsBetter, values(20, 90, 50, 80, 30, 70, 40, 60), "41314232"},
		// B and C tie across the boundary between the best quarter (first
		// two) and the next: both take the better score, and D, with 3
		// better, is in the second quarter.
		{"a tie across a boundary shares the better score", accord.HigherIsBetter, values(90, 80, 80, 70, 60, 50, 40, 30), "11123344"},
		{"a tie at the top", accord.HigherIsBetter, values(50, 50, 50, 50, 10, 10, 10, 10), "11113333"},
		{"all equal", accord.LowerIsBetter, values(7, 7, 7, 7, 7, 7, 7, 7), "11111111"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res, err := segment.Segment(codes, []segment.Metric{{ID: "m", Polarity: tc.polarity, Values: tc.values}}, segment.DefaultConfig())
			if err != nil {
				t.Fatal(err)
			}
			got := scoresOf(t, res, "m")
			var b strings.Builder
			for _, c := range codes {
				fmt.Fprint(&b, got[c])
			}
			if b.String() != tc.want {
				t.Errorf("scores %s, want %s", b.String(), tc.want)
			}
		})
	}
}

func TestQuartilesOf42(t *testing.T) {
	// With 42 ICBs: k < 10.5 scores 1, so 11, 10, 11 and 10 ICBs score 1
	// to 4.
	vals := map[string]float64{}
	for i := range 42 {
		vals[fmt.Sprintf("Q%02d", i)] = float64(i)
	}
	res, err := segment.Segment(nil, []segment.Metric{{ID: "m", Polarity: accord.LowerIsBetter, Values: vals}}, segment.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	count := map[int]int{}
	for _, s := range scoresOf(t, res, "m") {
		count[s]++
	}
	if count[1] != 11 || count[2] != 10 || count[3] != 11 || count[4] != 10 {
		t.Errorf("quarter sizes %v", count)
	}
	if len(res.Organisations) != 42 || res.Organisations[0].Code != "Q00" || res.Organisations[41].Code != "Q41" {
		t.Errorf("organisations not in code order: first %s", res.Organisations[0].Code)
	}
	if s := res.Organisations[10].Scores[0]; s.Score != 1 || s.Better != 10 || s.Of != 42 {
		t.Errorf("Q10: %+v", s)
	}
	if s := res.Organisations[11].Scores[0]; s.Score != 2 || s.Better != 11 {
		t.Errorf("Q11: %+v", s)
	}
}

func TestSegmentWorked(t *testing.T) {
	metrics := []segment.Metric{
		// A 1, B 2, C 3, D 4.
		{ID: "rtt_18w", Name: "RTT 18 weeks", Polarity: accord.HigherIsBetter, Values: map[string]float64{"A": 80, "B": 70, "C": 60, "D": 50}},
		// D has no value, so 3 are scored: A and B tie best (k = 0, score
		// 1); C has 2 better, 1 + ⌊8/3⌋ = 3.
		{ID: "ae_12h", Name: "12 hours in A&E", Polarity: accord.LowerIsBetter, Values: map[string]float64{"A": 5, "B": 5, "C": 7}},
		// D 1, B 2, C 3, A 4.
		{ID: "cancer_fds", Name: "Faster diagnosis", Polarity: accord.HigherIsBetter, Values: map[string]float64{"A": 10, "B": 30, "C": 20, "D": 40}},
	}
	cases := []struct {
		name string
		cfg  segment.Config
		want map[string]string // code → "average/segment"
	}{
		// A (1+1+4)/3 = 2.00 → 2; B (2+1+2)/3 = 1.67 → 2; C 3.00 → 3;
		// D has 2 metrics of the 3 needed.
		{"default", segment.DefaultConfig(), map[string]string{"A": "2.00/2", "B": "1.67/2", "C": "3.00/3", "D": "2.50/0"}},
		// D's 2.50 is exactly on a cut-off: the better segment.
		{"two metrics are enough", segment.Config{Cutoffs: [3]float64{1.5, 2.5, 3.5}, MinMetrics: 2}, map[string]string{"A": "2.00/2", "B": "1.67/2", "C": "3.00/3", "D": "2.50/2"}},
		{"other cut-offs", segment.Config{Cutoffs: [3]float64{1.7, 2, 2.9}, MinMetrics: 1}, map[string]string{"A": "2.00/2", "B": "1.67/1", "C": "3.00/4", "D": "2.50/3"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res, err := segment.Segment([]string{"A", "B", "C", "D"}, metrics, tc.cfg)
			if err != nil {
				t.Fatal(err)
			}
			for _, o := range res.Organisations {
				got := fmt.Sprintf("%.2f/%d", *o.Average, o.Segment)
				if got != tc.want[o.Code] {
					t.Errorf("%s: %s, want %s", o.Code, got, tc.want[o.Code])
				}
				if (o.Segment == 0) != (o.NotSegmented != "") {
					t.Errorf("%s: segment %d with reason %q", o.Code, o.Segment, o.NotSegmented)
				}
			}
			if res.Config != tc.cfg || len(res.Metrics) != 3 || res.Metrics[1].Organisations != 3 || res.Metrics[1].Polarity != accord.LowerIsBetter {
				t.Errorf("config %+v, metrics %+v", res.Config, res.Metrics)
			}
		})
	}
	res, _ := segment.Segment([]string{"A", "B", "C", "D"}, metrics, segment.DefaultConfig())
	d := res.Organisations[3]
	if d.MetricsUsed != 2 || len(d.Scores) != 2 || d.Scores[0].MetricID != "rtt_18w" || d.Scores[1].MetricID != "cancer_fds" {
		t.Errorf("D's scores: %+v", d)
	}
	if d.NotSegmented != "Not segmented: D has values for 2 of 3 metrics, and at least 3 are needed." {
		t.Errorf("D's reason: %q", d.NotSegmented)
	}
	for _, s := range []string{"⌊4k/n⌋", "Tied values share the better score", "up to 1.50 is segment 1", "fewer than 3 metrics", "missing values are left out"} {
		if !strings.Contains(res.Method, s) {
			t.Errorf("method %q does not say %q", res.Method, s)
		}
	}
	b, err := json.Marshal(res)
	if err != nil || !strings.Contains(string(b), `"cutoffs":[1.5,2.5,3.5]`) || !strings.Contains(string(b), `"not_segmented":"Not segmented`) {
		t.Errorf("JSON %s %v", b, err)
	}
}

func TestSegmentOrganisationWithoutValues(t *testing.T) {
	res, err := segment.Segment([]string{"A", "B", "Z"}, []segment.Metric{{ID: "m", Polarity: accord.HigherIsBetter, Values: map[string]float64{"A": 1, "B": 2}}},
		segment.Config{Cutoffs: [3]float64{1.5, 2.5, 3.5}, MinMetrics: 1})
	if err != nil {
		t.Fatal(err)
	}
	z := res.Organisations[2]
	if z.Code != "Z" || z.Average != nil || z.Segment != 0 || z.MetricsUsed != 0 || z.NotSegmented == "" {
		t.Errorf("Z: %+v", z)
	}
	// B is best of 2 (score 1); A has 1 better: 1 + ⌊4/2⌋ = 3.
	if a, b := res.Organisations[0], res.Organisations[1]; a.Segment != 3 || b.Segment != 1 {
		t.Errorf("A segment %d, B segment %d", a.Segment, b.Segment)
	}
}

func TestSegmentOf(t *testing.T) {
	cfg := segment.DefaultConfig()
	for _, tc := range []struct {
		avg  float64
		want int
	}{{1, 1}, {1.5, 1}, {1.51, 2}, {2.5, 2}, {2.51, 3}, {3.5, 3}, {3.51, 4}, {4, 4}} {
		if got := cfg.SegmentOf(tc.avg); got != tc.want {
			t.Errorf("SegmentOf(%v) = %d, want %d", tc.avg, got, tc.want)
		}
	}
}

func TestSegmentRefuses(t *testing.T) {
	good := segment.Metric{ID: "m", Polarity: accord.HigherIsBetter, Values: map[string]float64{"A": 1}}
	nan := 0.0
	cases := []struct {
		name    string
		orgs    []string
		metrics []segment.Metric
		cfg     segment.Config
		field   string
		says    string
	}{
		{"cut-offs not rising", nil, []segment.Metric{good}, segment.Config{Cutoffs: [3]float64{2.5, 1.5, 3.5}, MinMetrics: 1}, "cutoffs", "must rise"},
		{"cut-off above 4", nil, []segment.Metric{good}, segment.Config{Cutoffs: [3]float64{1.5, 2.5, 4.5}, MinMetrics: 1}, "cutoffs", "between 1 and 4"},
		{"no minimum", nil, []segment.Metric{good}, segment.Config{Cutoffs: [3]float64{1.5, 2.5, 3.5}}, "min_metrics", "at least 1"},
		{"no polarity", nil, []segment.Metric{{ID: "m", Polarity: accord.NoPolarity, Values: map[string]float64{"A": 1}}}, segment.DefaultConfig(), "metrics[0]", "polarity"},
		{"not a number", nil, []segment.Metric{{ID: "m", Polarity: accord.HigherIsBetter, Values: map[string]float64{"A": 1, "B": nan / nan}}}, segment.DefaultConfig(), "metrics[0]", "the value for B is not a number"},
		{"an organisation not compared", []string{"A"}, []segment.Metric{{ID: "m", Polarity: accord.HigherIsBetter, Values: map[string]float64{"A": 1, "X": 2}}}, segment.DefaultConfig(), "metrics[0]", "X is not among the organisations"},
		{"a metric twice", nil, []segment.Metric{good, good}, segment.DefaultConfig(), "metrics[1]", "m appears twice"},
		{"an organisation twice", []string{"A", "A"}, []segment.Metric{good}, segment.DefaultConfig(), "organisations", "A is listed twice"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := segment.Segment(tc.orgs, tc.metrics, tc.cfg)
			if accord.ErrorCode(err) != accord.EINVALID || !strings.Contains(err.Error(), tc.field+": ") || !strings.Contains(err.Error(), tc.says) {
				t.Errorf("got %v, want an invalid error on %s saying %q", err, tc.field, tc.says)
			}
		})
	}
}

func BenchmarkSegment(b *testing.B) {
	var metrics []segment.Metric
	for m := range 20 {
		vals := map[string]float64{}
		for i := range 42 {
			vals[fmt.Sprintf("Q%02d", i)] = float64((i*7 + m*13) % 42)
		}
		metrics = append(metrics, segment.Metric{ID: fmt.Sprintf("m%d", m), Polarity: accord.HigherIsBetter, Values: vals})
	}
	for b.Loop() {
		if _, err := segment.Segment(nil, metrics, segment.DefaultConfig()); err != nil {
			b.Fatal(err)
		}
	}
}
