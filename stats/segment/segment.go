// Package segment places organisations in segments 1 to 4 in the manner of
// the NHS Oversight Framework 2025/26: each metric is scored 1 to 4 by
// quartile across all the organisations, each organisation's scores are
// averaged, and the average is cut into segments. It is pure: it reads
// nothing and writes nothing. docs/stats-ambition.md gives the method.
package segment

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/nhs-accord/accord"
)

// Metric is one measure every organisation is scored on.
type Metric struct {
	ID       string
	Name     string
	Polarity accord.Polarity    // higher or lower is better; a metric with neither cannot be scored
	Values   map[string]float64 // organisation code → value; leave out an organisation without one
}

// Config is what can be tuned. DefaultConfig gives what Accord uses.
type Config struct {
	// Cutoffs are the highest average metric scores of segments 1, 2 and
	// 3; an average above the last is segment 4. An average exactly on a
	// cut-off is in the better segment.
	Cutoffs [3]float64 `json:"cutoffs"`
	// MinMetrics is the fewest scored metrics an organisation needs to be
	// segmented: an average of one or two says little.
	MinMetrics int `json:"min_metrics"`
}

// DefaultConfig cuts the average score into equal bands around the whole
// scores — 1.0–1.5, over 1.5–2.5, over 2.5–3.5, over 3.5–4.0 — and needs 3
// metrics. The NHS Oversight Framework 2025/26 manual says averages are
// "quartiled" into segments but the cut-offs could not be confirmed, so
// these bands are Accord's assumption, not NHS England's figures.
func DefaultConfig() Config {
	return Config{Cutoffs: [3]float64{1.5, 2.5, 3.5}, MinMetrics: 3}
}

// Validate checks the cut-offs rise within 1 to 4 and MinMetrics is at
// least 1.
func (c Config) Validate() error {
	var p accord.Problems
	if !(1 <= c.Cutoffs[0] && c.Cutoffs[0] < c.Cutoffs[1] && c.Cutoffs[1] < c.Cutoffs[2] && c.Cutoffs[2] <= 4) {
		p.Add("cutoffs", "%v must rise strictly and lie between 1 and 4", c.Cutoffs)
	}
	if c.MinMetrics < 1 {
		p.Add("min_metrics", "%d must be at least 1", c.MinMetrics)
	}
	return p.Err("segmentation settings")
}

// Score is one organisation's score on one metric.
type Score struct {
	MetricID string  `json:"metric_id"`
	Value    float64 `json:"value"`
	Better   int     `json:"better"` // organisations with a strictly better value
	Of       int     `json:"of"`     // organisations with a value
	Score    int     `json:"score"`  // 1 (best quarter) to 4 (worst quarter)
}

// Organisation is one organisation's scores, average and segment.
type Organisation struct {
	Code        string   `json:"code"`
	Scores      []Score  `json:"scores"` // in metric order, only metrics with a value
	MetricsUsed int      `json:"metrics_used"`
	Average     *float64 `json:"average_score"` // nil with no metric scored
	Segment     int      `json:"segment"`       // 1 to 4; 0 when not segmented
	// NotSegmented says why there is no segment, in plain English.
	NotSegmented string `json:"not_segmented,omitempty"`
}

// MetricSummary describes a metric as it was scored.
type MetricSummary struct {
	ID            string          `json:"id"`
	Name          string          `json:"name"`
	Polarity      accord.Polarity `json:"polarity"`
	Organisations int             `json:"organisations"` // how many had a value
}

// Result is the segmentation with everything a page needs to show how it
// was done.
type Result struct {
	Config        Config          `json:"config"`
	Method        string          `json:"method"`
	Metrics       []MetricSummary `json:"metrics"`
	Organisations []Organisation  `json:"organisations"` // in the order given, or by code
}

// Segment scores, averages and segments orgs on metrics. orgs are the
// organisations compared (all 42 ICBs); nil means every organisation with
// a value on some metric, in code order. A value for an organisation not
// in orgs is refused, since it would change everyone's quartiles.
//
// Scoring: on each metric, an organisation's score is 1 + ⌊4k/n⌋, where n
// organisations have a value and k of them have a strictly better one
// (higher or lower by the metric's polarity). Those in the best quarter
// score 1, the worst quarter 4; tied values share the better score, so a
// tie never splits across a quartile boundary.
func Segment(orgs []string, metrics []Metric, cfg Config) (Result, error) {
	if err := cfg.Validate(); err != nil {
		return Result{}, err
	}
	if err := check(orgs, metrics); err != nil {
		return Result{}, err
	}
	if orgs == nil {
		seen := map[string]bool{}
		for _, m := range metrics {
			for code := range m.Values {
				if !seen[code] {
					seen[code] = true
					orgs = append(orgs, code)
				}
			}
		}
		slices.Sort(orgs)
	}
	res := Result{Config: cfg, Method: Method(cfg)}
	byCode := make(map[string]*Organisation, len(orgs))
	res.Organisations = make([]Organisation, len(orgs))
	for i, code := range orgs {
		res.Organisations[i] = Organisation{Code: code}
		byCode[code] = &res.Organisations[i]
	}
	for _, m := range metrics {
		res.Metrics = append(res.Metrics, MetricSummary{ID: m.ID, Name: m.Name, Polarity: m.Polarity, Organisations: len(m.Values)})
		// Best first, so the index of a value's first occurrence is the
		// number of organisations strictly better.
		vals := make([]float64, 0, len(m.Values))
		for _, v := range m.Values {
			vals = append(vals, v)
		}
		slices.Sort(vals)
		if m.Polarity == accord.HigherIsBetter {
			slices.Reverse(vals)
		}
		n := len(vals)
		for _, code := range orgs {
			v, ok := m.Values[code]
			if !ok {
				continue
			}
			k := slices.Index(vals, v)
			o := byCode[code]
			o.Scores = append(o.Scores, Score{MetricID: m.ID, Value: v, Better: k, Of: n, Score: 1 + 4*k/n})
		}
	}
	for i := range res.Organisations {
		o := &res.Organisations[i]
		o.MetricsUsed = len(o.Scores)
		if o.MetricsUsed > 0 {
			total := 0
			for _, s := range o.Scores {
				total += s.Score
			}
			o.Average = accord.Float(float64(total) / float64(o.MetricsUsed))
		}
		if o.MetricsUsed < cfg.MinMetrics {
			o.NotSegmented = fmt.Sprintf("Not segmented: %s has values for %d of %d metrics, and at least %d are needed.",
				o.Code, o.MetricsUsed, len(metrics), cfg.MinMetrics)
			continue
		}
		o.Segment = cfg.SegmentOf(*o.Average)
	}
	return res, nil
}

// SegmentOf is the segment an average metric score falls in.
func (c Config) SegmentOf(average float64) int {
	for i, cut := range c.Cutoffs {
		if average <= cut {
			return i + 1
		}
	}
	return 4
}

func check(orgs []string, metrics []Metric) error {
	var p accord.Problems
	known := map[string]bool{}
	for _, code := range orgs {
		if known[code] {
			p.Add("organisations", "%s is listed twice", code)
		}
		known[code] = true
	}
	ids := map[string]bool{}
	for i, m := range metrics {
		field := fmt.Sprintf("metrics[%d]", i)
		if m.ID == "" {
			p.Add(field, "has no ID")
		} else if ids[m.ID] {
			p.Add(field, "%s appears twice", m.ID)
		}
		ids[m.ID] = true
		if m.Polarity != accord.HigherIsBetter && m.Polarity != accord.LowerIsBetter {
			p.Add(field, "%s: polarity %q must be higher_is_better or lower_is_better to be scored", m.ID, m.Polarity)
		}
		var bad, unknown []string
		for code, v := range m.Values {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				bad = append(bad, code)
			}
			if orgs != nil && !known[code] {
				unknown = append(unknown, code)
			}
		}
		if len(bad) > 0 {
			slices.Sort(bad)
			p.Add(field, "%s: the value for %s is not a number", m.ID, strings.Join(bad, ", "))
		}
		if len(unknown) > 0 {
			slices.Sort(unknown)
			p.Add(field, "%s: %s %s not among the organisations compared", m.ID, strings.Join(unknown, ", "), isAre(len(unknown)))
		}
	}
	return p.Err("segmentation")
}

func isAre(n int) string {
	if n == 1 {
		return "is"
	}
	return "are"
}

// Method describes the method under cfg in plain English, for a page.
func Method(cfg Config) string {
	return fmt.Sprintf("Each metric is scored from 1 (best) to 4 (worst) by quartile across the organisations with a value: "+
		"an organisation scores 1 + ⌊4k/n⌋, where n organisations have a value and k of them have a strictly better one, "+
		"taking account of whether higher or lower is better. Tied values share the better score. "+
		"An organisation's average metric score is the mean of its scores on the metrics it has a value for; missing values are left out. "+
		"An average up to %s is segment 1, up to %s segment 2, up to %s segment 3, and above that segment 4. "+
		"An organisation with values for fewer than %d metrics is not segmented. "+
		"This follows the shape of the NHS Oversight Framework 2025/26; the default cut-offs (1.50, 2.50, 3.50) are Accord's assumption, not figures confirmed from NHS England.",
		fmtCut(cfg.Cutoffs[0]), fmtCut(cfg.Cutoffs[1]), fmtCut(cfg.Cutoffs[2]), cfg.MinMetrics)
}

func fmtCut(v float64) string { return fmt.Sprintf("%.2f", v) }
