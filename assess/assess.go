// Package assess puts the statistics to work on the store: for every series
// (an indicator for an organisation and breakdown) it computes the
// assessment — latest value and interval, Making Data Count SPC variation
// and assurance, comparison with England and with peer ICBs, trajectory
// status against a target — and saves it. Imports call it for the
// indicators they touched.
package assess

import (
	"cmp"
	"context"
	"errors"
	"math"
	"slices"
	"time"

	"github.com/nhs-accord/accord"
	"github.com/nhs-accord/accord/stats/compare"
	"github.com/nhs-accord/accord/stats/peers"
	"github.com/nhs-accord/accord/stats/phe"
	"github.com/nhs-accord/accord/stats/spc"
	"github.com/nhs-accord/accord/stats/trajectory"
)

// MinSPCPoints is the shortest run of consecutive periods charted: Making
// Data Count advises at least 12 points before limits mean much (and
// NHSRplotthedots warns below 13).
const MinSPCPoints = spc.MinFixAfterNPoints

// Summary says what a recompute did.
type Summary struct {
	Indicators int
	Series     int
	Points     int
	Took       time.Duration
}

// Recompute computes and saves the assessment of every series of the given
// indicators (every indicator in the catalogue when ids is empty). England's
// value and peers' values feed other series' comparisons, so a whole
// indicator is recomputed at once.
func Recompute(ctx context.Context, st accord.Store, ids []string, now time.Time) (Summary, error) {
	start := time.Now()
	var sum Summary
	if len(ids) == 0 {
		inds, _, err := st.FindIndicators(ctx, accord.IndicatorFilter{})
		if err != nil {
			return sum, err
		}
		for _, ind := range inds {
			ids = append(ids, ind.ID)
		}
	}
	orgs, _, err := st.FindOrganisations(ctx, accord.OrganisationFilter{})
	if err != nil {
		return sum, err
	}
	types := make(map[string]accord.OrgType, len(orgs))
	peerOf := map[string][]string{}
	for _, o := range orgs {
		types[o.Code] = o.Type
		if o.Type == accord.OrgICB {
			ps, err := st.FindPeers(ctx, o.Code)
			if err != nil {
				return sum, err
			}
			for _, p := range ps {
				peerOf[o.Code] = append(peerOf[o.Code], p.PeerCode)
			}
		}
	}
	var w worker
	for _, id := range ids {
		ind, err := st.FindIndicator(ctx, id)
		if err != nil {
			return sum, err
		}
		as, points, err := w.indicator(ctx, st, ind, types, peerOf, now)
		if err != nil {
			return sum, err
		}
		if err := st.SaveAssessments(ctx, as); err != nil {
			return sum, err
		}
		sum.Indicators++
		sum.Series += len(as)
		sum.Points += points
	}
	sum.Took = time.Since(start)
	return sum, nil
}

type seriesKey struct {
	org       string
	breakdown string
}

func byPeriod(a, b accord.Observation) int { return a.Period.Compare(b.Period) }

// worker holds the memory a recompute reuses from one indicator and one
// series to the next, so that it grows to the largest and stays there.
type worker struct {
	obs []accord.Observation
	run []float64
	spc spc.Scratch
}

// indicator fetches what one indicator's assessments need and computes them.
func (w *worker) indicator(ctx context.Context, st accord.Store, ind accord.Indicator, types map[string]accord.OrgType,
	peerOf map[string][]string, now time.Time) ([]accord.Assessment, int, error) {
	obs := w.obs[:0]
	err := st.EachValue(ctx, accord.ObservationFilter{IndicatorID: ind.ID, AnyBreakdown: true}, func(o accord.Observation) error {
		obs = append(obs, o)
		return nil
	})
	w.obs = obs
	if err != nil || len(obs) == 0 {
		return nil, 0, err
	}
	targets, _, err := st.FindTargets(ctx, accord.TargetFilter{IndicatorID: ind.ID})
	if err != nil {
		return nil, 0, err
	}
	priorities, _, err := st.FindPriorities(ctx, accord.PriorityFilter{IndicatorID: ind.ID})
	if err != nil {
		return nil, 0, err
	}
	in := Inputs{Indicator: ind, Observations: obs, Types: types, PeerOf: peerOf, Priorities: priorities, Targets: targets}
	return w.assess(in, now), len(obs), nil
}

// Inputs are everything one indicator's assessments are computed from.
type Inputs struct {
	Indicator    accord.Indicator
	Observations []accord.Observation      // every observation of the indicator, any order
	Types        map[string]accord.OrgType // organisation code → type
	PeerOf       map[string][]string       // ICB → its peers
	Priorities   []accord.Priority         // national priorities on the indicator: SPC assurance is judged against one
	Targets      []accord.Target           // local targets on the indicator
}

// Indicator computes the assessment of every series of one indicator: the
// statistics alone, with no I/O. It does not change in.Observations.
func Indicator(in Inputs, now time.Time) []accord.Assessment {
	var w worker
	return w.assess(in, now)
}

// assess is Indicator in w's memory.
func (w *worker) assess(in Inputs, now time.Time) []accord.Assessment {
	ind, obs, types, peerOf, targets := in.Indicator, in.Observations, in.Types, in.PeerOf, in.Targets
	// The store gives each series whole, in period order, so a series is
	// usually one run of the observations and is used where it lies; one
	// that comes in pieces or out of order is gathered into a copy.
	index := map[seriesKey]int{}
	var keys []seriesKey
	var series [][]accord.Observation
	for i := 0; i < len(obs); {
		j := i + 1
		for j < len(obs) && obs[j].OrgCode == obs[i].OrgCode && obs[j].Breakdown == obs[i].Breakdown {
			j++
		}
		k := seriesKey{obs[i].OrgCode, obs[i].Breakdown.Key()}
		if at, ok := index[k]; ok {
			// Clipped, so the copy never writes over the caller's slice.
			series[at] = append(slices.Clip(series[at]), obs[i:j]...)
		} else {
			index[k] = len(series)
			keys = append(keys, k)
			series = append(series, obs[i:j])
		}
		i = j
	}
	for i, s := range series {
		if !slices.IsSortedFunc(s, byPeriod) {
			s = slices.Clone(s)
			slices.SortFunc(s, byPeriod)
			series[i] = s
		}
	}
	// at finds a series' observation for a period (England's, a peer's).
	at := func(k seriesKey, p accord.Period) (accord.Observation, bool) {
		n, ok := index[k]
		if !ok {
			return accord.Observation{}, false
		}
		s := series[n]
		i, ok := slices.BinarySearchFunc(s, p, func(o accord.Observation, p accord.Period) int { return o.Period.Compare(p) })
		if !ok {
			return accord.Observation{}, false
		}
		return s[i], true
	}
	out := make([]accord.Assessment, 0, len(keys))
	for n, k := range keys {
		s := series[n]
		latest := s[len(s)-1]
		a := accord.Assessment{IndicatorID: ind.ID, OrgCode: k.org, Breakdown: latest.Breakdown, Points: len(s),
			First: s[0].Period, Latest: latest.Period, Value: latest.Value, ComputedAt: now}
		if lo, hi, _, ok := Interval95(ind, latest); ok {
			a.LowerCI, a.UpperCI = accord.Float(lo), accord.Float(hi)
		}
		w.applySPC(&a, ind, s, in.Priorities)
		if k.org != accord.EnglandCode {
			if eng, ok := at(seriesKey{accord.EnglandCode, k.breakdown}, latest.Period); ok {
				a.England = accord.Float(eng.Value)
				a.VsEngland = string(versus(a, eng.Value, ind.Polarity))
			}
		}
		if types[k.org] == accord.OrgICB {
			applyPeers(&a, ind, peerOf[k.org], func(code string) (accord.Observation, bool) {
				return at(seriesKey{code, k.breakdown}, latest.Period)
			})
		}
		if k.breakdown == "" {
			for _, t := range targets {
				if t.OrgCode == k.org && t.Status != accord.TargetWithdrawn {
					applyTrajectory(&a, s, t)
				}
			}
		}
		out = append(out, a)
	}
	return out
}

// Interval95 is the 95% interval of an observation and where it comes
// from: as published ("published"), or for a proportion with its counts,
// Wilson's score interval as PHEindicatormethods' phe_proportion gives it
// ("Wilson") — but only when the published value agrees with those counts
// (to its rounding), since a value published from other counts is not
// theirs to qualify. ok is false when there is none.
func Interval95(ind accord.Indicator, o accord.Observation) (lower, upper float64, source string, ok bool) {
	if o.LowerCI != nil && o.UpperCI != nil && (o.CILevel == 0 || o.CILevel == compare.Level95) {
		return *o.LowerCI, *o.UpperCI, "published", true
	}
	if ind.Method != accord.MethodProportion || o.Numerator == nil || o.Denominator == nil {
		return 0, 0, "", false
	}
	x, n, mult := *o.Numerator, *o.Denominator, Multiplier(ind.Unit)
	if n <= 0 || x < 0 || x > n || math.Abs(x/n*mult-o.Value) > 0.051*mult/100 {
		return 0, 0, "", false
	}
	est, err := phe.Proportion(x, n, mult, []float64{0.95})
	if err != nil {
		return 0, 0, "", false
	}
	iv, has := est.Interval(0.95)
	if !has || iv.Lower == nil || iv.Upper == nil {
		return 0, 0, "", false
	}
	return *iv.Lower, *iv.Upper, "Wilson", true
}

// Multiplier is the scale a unit's values are on: 100 for a percentage,
// 1,000 or 100,000 for rates, 1 otherwise.
func Multiplier(u accord.Unit) float64 {
	switch u {
	case accord.UnitPercent:
		return 100
	case accord.UnitPer1000:
		return 1000
	case accord.UnitPer100k:
		return 100_000
	}
	return 1
}

func versus(a accord.Assessment, benchmark float64, pol accord.Polarity) compare.Result {
	if a.LowerCI == nil || a.UpperCI == nil {
		return compare.ByInterval(a.Value, 0, 0, benchmark, false, pol)
	}
	return compare.ByInterval(a.Value, *a.LowerCI, *a.UpperCI, benchmark, true, pol)
}

// Standard is the national standard a series ending in latest is judged
// against — its SPC assurance, and the target line on its chart: of the
// priorities in the indicator's own unit (not, say, a percentage-point
// improvement on a percentage) with a deadline on or after the end of the
// latest period, the nearest; failing that, a constitutional standard,
// which always applies. nil when none fits.
func Standard(ind accord.Indicator, ps []accord.Priority, latest accord.Period) *accord.Priority {
	end := latest.End()
	var best *accord.Priority
	for i, p := range ps {
		if p.Unit != string(ind.Unit) || p.Standing() || p.Deadline.Before(end) {
			continue
		}
		if best == nil || p.Deadline.Before(best.Deadline.Time) || (p.Deadline.Equal(best.Deadline.Time) && p.ID < best.ID) {
			best = &ps[i]
		}
	}
	if best != nil {
		return best
	}
	for i, p := range ps {
		if p.Unit == string(ind.Unit) && p.Standing() && p.StandardType == accord.Constitutional && (best == nil || p.ID < best.ID) {
			best = &ps[i]
		}
	}
	return best
}

// Direction is the SPC improvement direction an indicator's polarity means.
func Direction(p accord.Polarity) spc.Direction {
	switch p {
	case accord.HigherIsBetter:
		return spc.Increase
	case accord.LowerIsBetter:
		return spc.Decrease
	}
	return spc.Neutral
}

// applySPC runs SPC over the latest run of consecutive months or quarters.
func (w *worker) applySPC(a *accord.Assessment, ind accord.Indicator, s []accord.Observation, priorities []accord.Priority) {
	kind := s[len(s)-1].Period.Kind()
	if kind != accord.PeriodMonth && kind != accord.PeriodQuarter {
		return
	}
	first := len(s) - 1
	for first > 0 && s[first-1].Period.Kind() == kind && s[first-1].Period.Next() == s[first].Period {
		first--
	}
	if len(s)-first < MinSPCPoints {
		return
	}
	run := w.run[:0]
	for _, o := range s[first:] {
		run = append(run, o.Value)
	}
	w.run = run
	opt := spc.Options{ImprovementDirection: Direction(ind.Polarity)}
	if p := Standard(ind, priorities, s[len(s)-1].Period); p != nil {
		opt.Target = accord.Float(p.Standard)
	}
	res, err := w.spc.Compute(run, opt)
	if err != nil {
		return
	}
	a.VariationIcon, a.AssuranceIcon = res.VariationIcon, res.AssuranceIcon
	a.PointType = res.Points[len(res.Points)-1].PointType
}

// applyPeers compares an ICB with the mean of its peers' values for the
// same period and ranks it among itself and its peers (1 = best).
func applyPeers(a *accord.Assessment, ind accord.Indicator, peerCodes []string, valueOf func(string) (accord.Observation, bool)) {
	var vals []float64
	for _, c := range peerCodes {
		if o, ok := valueOf(c); ok {
			vals = append(vals, o.Value)
		}
	}
	if len(vals) == 0 {
		return
	}
	var total float64
	for _, v := range vals {
		total += v
	}
	mean := total / float64(len(vals))
	a.PeerMean = accord.Float(mean)
	a.VsPeers = string(versus(*a, mean, ind.Polarity))
	a.PeerCount = len(vals) + 1
	a.PeerRank = 1
	for _, v := range vals {
		if better(v, a.Value, ind.Polarity) {
			a.PeerRank++
		}
	}
}

// better reports whether v ranks above w: higher values first unless lower
// is better.
func better(v, w float64, pol accord.Polarity) bool {
	if pol == accord.LowerIsBetter {
		return v < w
	}
	return v > w
}

func applyTrajectory(a *accord.Assessment, s []accord.Observation, t accord.Target) {
	obs := make([]trajectory.Observation, 0, len(s))
	for _, o := range s {
		obs = append(obs, trajectory.Observation{Period: o.Period, Value: o.Value})
	}
	res, err := trajectory.Assess(obs, trajectory.Target{Comparator: t.Comparator, Value: t.Value, Deadline: t.Deadline},
		t.Trajectory, trajectory.DefaultOptions(s[len(s)-1].Period.Kind()))
	if err != nil {
		return
	}
	a.Trajectory, a.TargetID = string(res.Status), t.ID
}

// Peers computes every ICB's ten nearest peers from the shipped profiles
// and saves them.
func Peers(ctx context.Context, st accord.Store, profiles []peers.ICB) (int, error) {
	if len(profiles) == 0 {
		return 0, errors.New("assess: no ICB profiles")
	}
	feats, err := peers.ICBFeatures(profiles)
	if err != nil {
		return 0, err
	}
	groups, err := peers.Nearest(feats, peers.ICBWeights(), 10)
	if err != nil {
		return 0, err
	}
	recs := peers.Records(groups)
	slices.SortFunc(recs, func(x, y accord.Peer) int { return cmp.Or(cmp.Compare(x.OrgCode, y.OrgCode), x.Rank-y.Rank) })
	return len(groups), st.SavePeers(ctx, recs)
}
