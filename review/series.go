package review

import (
	"context"
	"slices"

	"github.com/nhs-accord/accord"
	"github.com/nhs-accord/accord/assess"
	"github.com/nhs-accord/accord/stats/spc"
)

// series reads one indicator's observations for the given organisations
// (every breakdown when anyBreakdown), grouped by organisation, each group
// oldest period first. Periods starting after today are left out: they
// can only be mistakes, and a pack dated today should not show them.
func series(ctx context.Context, st accord.Store, indicatorID string, orgCodes []string, anyBreakdown bool, today accord.Date) (map[string][]accord.Observation, error) {
	out := map[string][]accord.Observation{}
	if len(orgCodes) == 0 {
		return out, nil
	}
	f := accord.ObservationFilter{IndicatorID: indicatorID, OrgCodes: orgCodes, AnyBreakdown: anyBreakdown}
	err := st.EachValue(ctx, f, func(o accord.Observation) error {
		if !today.IsZero() && o.Period.Start().After(today.Time) {
			return nil
		}
		out[o.OrgCode] = append(out[o.OrgCode], o)
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, s := range out {
		slices.SortStableFunc(s, byPeriod)
	}
	return out, nil
}

func byPeriod(a, b accord.Observation) int { return a.Period.Compare(b.Period) }

// whole keeps the whole-population observations of s.
func whole(s []accord.Observation) []accord.Observation {
	var out []accord.Observation
	for _, o := range s {
		if o.Breakdown.IsTotal() {
			out = append(out, o)
		}
	}
	return out
}

// at finds the observation for period p in s, sorted by period.
func at(s []accord.Observation, p accord.Period) (accord.Observation, bool) {
	i, ok := slices.BinarySearchFunc(s, p, func(o accord.Observation, p accord.Period) int { return o.Period.Compare(p) })
	if !ok {
		return accord.Observation{}, false
	}
	return s[i], true
}

// recentRun is the most recent run of at least assess.MinSPCPoints
// consecutive months (or quarters, whichever the newest such period is) in
// s, sorted by period, and how many values of that kind follow it. It is the
// run the series page charts, so the pack's chart is the one users know.
func recentRun(s []accord.Observation) (run []accord.Observation, later int) {
	var kind accord.PeriodKind
	for i := len(s) - 1; i >= 0; i-- {
		if k := s[i].Period.Kind(); k == accord.PeriodMonth || k == accord.PeriodQuarter {
			kind = k
			break
		}
	}
	if kind == "" {
		return nil, 0
	}
	var same []accord.Observation
	for _, o := range s {
		if o.Period.Kind() == kind {
			same = append(same, o)
		}
	}
	end := len(same)
	for end > 0 {
		start := end - 1
		for start > 0 && same[start-1].Period.Next() == same[start].Period {
			start--
		}
		if end-start >= assess.MinSPCPoints {
			return same[start:end], len(same) - end
		}
		end = start
	}
	return nil, 0
}

// computeSPC runs Making Data Count SPC over run in the indicator's
// direction, against standard when there is one.
func computeSPC(ind accord.Indicator, run []accord.Observation, standard *accord.Priority) (spc.Result, error) {
	values := make([]float64, len(run))
	for i, o := range run {
		values[i] = o.Value
	}
	opt := spc.Options{ImprovementDirection: assess.Direction(ind.Polarity)}
	if standard != nil {
		opt.Target = accord.Float(standard.Standard)
	}
	return spc.Compute(values, opt)
}

// interval is the 95% interval of o as assessments give it: published, or
// Wilson's from the counts of a proportion.
func interval(ind accord.Indicator, o accord.Observation) Value {
	v := Value{Period: o.Period, Value: o.Value}
	if lo, hi, src, ok := assess.Interval95(ind, o); ok {
		v.Lower, v.Upper, v.IntervalSource = accord.Float(lo), accord.Float(hi), src
	}
	return v
}

// better reports whether v is better than w under the polarity; with no
// polarity higher counts as first, as assessments rank.
func better(v, w float64, pol accord.Polarity) bool {
	if pol == accord.LowerIsBetter {
		return v < w
	}
	return v > w
}
