package assess

import (
	"cmp"
	"context"

	"github.com/nhs-accord/accord"
)

// maxSpanPeriods bounds the walk from a baseline to a deadline, so a
// deadline mistyped centuries ahead cannot stall a request.
const maxSpanPeriods = 1200

// Ambition checks how ambitious target t is (accord.CheckAmbition),
// gathering what the checks read from the store: the indicator, the
// national priorities on it, the organisation's baseline (its value in the
// target's baseline period, or its latest value as of today), its values
// in the months minimum-improvement rules measure from, and what its ten
// nearest peer ICBs actually achieved over a span as long as the target's,
// from the most recent such span in each peer's history. Only
// whole-population values are read. t need not be stored yet, so a draft
// can be checked before it is saved.
func Ambition(ctx context.Context, st accord.Store, t accord.Target, today accord.Date) (accord.Ambition, error) {
	ind, err := st.FindIndicator(ctx, t.IndicatorID)
	if err != nil {
		return accord.Ambition{}, err
	}
	ps, _, err := st.FindPriorities(ctx, accord.PriorityFilter{IndicatorID: ind.ID})
	if err != nil {
		return accord.Ambition{}, err
	}
	own, _, err := st.FindObservations(ctx, accord.ObservationFilter{IndicatorID: ind.ID, OrgCodes: []string{t.OrgCode}})
	if err != nil {
		return accord.Ambition{}, err
	}
	own = upTo(own, today)
	in := accord.AmbitionInput{Target: t, Indicator: ind, Priorities: ps, Today: today}
	switch {
	case !t.BaselinePeriod.IsZero():
		if o, ok := valueIn(own, t.BaselinePeriod); ok {
			in.Baseline = &accord.PeriodValue{Period: o.Period, Value: o.Value}
		}
	case len(own) > 0:
		last := own[len(own)-1]
		in.Baseline = &accord.PeriodValue{Period: last.Period, Value: last.Value}
	}
	for _, p := range ps {
		if !p.IsMinimumImprovement() {
			continue
		}
		if o, ok := valueIn(own, p.ImprovementBaseline()); ok {
			in.Floors = append(in.Floors, accord.PeriodValue{Period: o.Period, Value: o.Value})
		}
	}

	// The span is the target's own, from its baseline period (stored or
	// given) to the deadline, counted in periods of the baseline's kind.
	from := t.BaselinePeriod
	if in.Baseline != nil {
		from = in.Baseline.Period
	}
	if steps := spanPeriods(from, t.Deadline); steps > 0 {
		in.PeerImprovements, err = peerImprovements(ctx, st, ind.ID, t.OrgCode, from.Kind(), steps, today)
		if err != nil {
			return accord.Ambition{}, err
		}
	}
	return accord.CheckAmbition(in), nil
}

// upTo keeps the observations (in period order) whose period has ended by
// today, so a check run as of a past day sees only what was known then.
func upTo(obs []accord.Observation, today accord.Date) []accord.Observation {
	if today.IsZero() {
		return obs
	}
	out := obs[:0:0]
	for _, o := range obs {
		if !o.Period.End().After(today.Time) {
			out = append(out, o)
		}
	}
	return out
}

func valueIn(obs []accord.Observation, p accord.Period) (accord.Observation, bool) {
	if p.IsZero() {
		return accord.Observation{}, false
	}
	for _, o := range obs {
		if o.Period == p {
			return o, true
		}
	}
	return accord.Observation{}, false
}

// spanPeriods is how many periods of from's kind lie between from and the
// period containing deadline: 6 from September 2026 to 31 March 2027.
// 0 when either is missing or the deadline is not after from.
func spanPeriods(from accord.Period, deadline accord.Date) int {
	if from.IsZero() || deadline.IsZero() || !deadline.After(from.End()) {
		return 0
	}
	p, n := from, 0
	for p.End().Before(deadline.Time) && n < maxSpanPeriods {
		p, n = p.Next(), n+1
	}
	return n
}

// peerImprovements is, for each of org's stored peers, its change over the
// latest span of steps periods of kind that its own history covers at both
// ends. A peer without both ends is left out.
func peerImprovements(ctx context.Context, st accord.Store, indicatorID, org string, kind accord.PeriodKind, steps int, today accord.Date) ([]accord.PeerImprovement, error) {
	peers, err := st.FindPeers(ctx, org)
	if err != nil || len(peers) == 0 {
		return nil, err
	}
	codes := make([]string, len(peers))
	for i, p := range peers {
		codes[i] = p.PeerCode
	}
	orgs, _, err := st.FindOrganisations(ctx, accord.OrganisationFilter{Codes: codes})
	if err != nil {
		return nil, err
	}
	names := make(map[string]string, len(orgs))
	for _, o := range orgs {
		names[o.Code] = o.Name
	}
	obs, _, err := st.FindObservations(ctx, accord.ObservationFilter{IndicatorID: indicatorID, OrgCodes: codes})
	if err != nil {
		return nil, err
	}
	series := map[string][]accord.Observation{}
	for _, o := range upTo(obs, today) {
		if o.Period.Kind() == kind {
			series[o.OrgCode] = append(series[o.OrgCode], o)
		}
	}
	var out []accord.PeerImprovement
	for _, code := range codes { // nearest first, as stored
		s := series[code]
		if len(s) == 0 {
			continue
		}
		to := s[len(s)-1]
		for _, o := range s {
			p := o.Period
			for range steps {
				p = p.Next()
			}
			if p == to.Period {
				out = append(out, accord.PeerImprovement{OrgCode: code, Name: cmp.Or(names[code], code),
					From: o.Period, To: to.Period, FromValue: o.Value, ToValue: to.Value})
				break
			}
		}
	}
	return out, nil
}
