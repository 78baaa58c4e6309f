package review

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/nhs-accord/accord"
	"github.com/nhs-accord/accord/assess"
	"github.com/nhs-accord/accord/charts"
	"github.com/nhs-accord/accord/stats/compare"
	"github.com/nhs-accord/accord/stats/spc"
	"github.com/nhs-accord/accord/stats/trajectory"
)

// Where a pack's peers came from.
const (
	PeersNearest = "nearest" // the reviewed ICB's stored nearest peers
	PeersChosen  = "chosen"  // named by whoever asked for the pack
)

// Kinds of inequality gap.
const (
	// GapIMDDecile is the value for the most deprived tenth of the
	// population (IMD decile 1) minus that for the least deprived (decile
	// 10), from the indicator's own breakdowns.
	GapIMDDecile = "imd_decile"
	// GapSlopeIndex is the slope index of inequality as published: the
	// indicator's own if it is one, otherwise its companion in the
	// catalogue (life_expectancy_sii for life_expectancy_birth).
	GapSlopeIndex = "slope_index"
)

// Which way a deprivation gap runs, for an indicator with a good direction.
const (
	WorseForMostDeprived  = "worse_for_most_deprived"
	BetterForMostDeprived = "better_for_most_deprived"
	NoGap                 = "no_gap"
)

// Pack is the data pack of a peer review: for each focus indicator, the
// reviewed system's series and SPC, how its latest value compares with
// England and with its peers, its peers' values, its published targets and
// their trajectories, and the inequality gaps the data allow.
type Pack struct {
	Reviewed   OrgRef          `json:"reviewed"`
	PeersFrom  string          `json:"peers_from"` // PeersNearest or PeersChosen
	Peers      []OrgRef        `json:"peers"`
	Generated  accord.Date     `json:"generated_on"`
	Indicators []IndicatorPack `json:"indicators"`
}

// OrgRef names an organisation in the pack.
type OrgRef struct {
	Code string         `json:"code"`
	Name string         `json:"name"`
	Type accord.OrgType `json:"type"`
	// Rank and Distance place it among the reviewed ICB's stored nearest
	// peers; 0 and nil when it is not one of them.
	Rank     int      `json:"peer_rank,omitempty"`
	Distance *float64 `json:"peer_distance,omitempty"`
}

// Value is one figure with its 95% interval where there is one: published,
// or Wilson's from the counts of a proportion (IntervalSource says which).
type Value struct {
	Period         accord.Period `json:"period"`
	Value          float64       `json:"value"`
	Lower          *float64      `json:"lower_ci"`
	Upper          *float64      `json:"upper_ci"`
	IntervalSource string        `json:"interval_source,omitempty"`
}

// IndicatorPack is one focus indicator's section of the pack.
type IndicatorPack struct {
	Indicator accord.Indicator `json:"indicator"`
	// Series is the reviewed system's whole-population values, oldest
	// first.
	Series []Value `json:"series"`
	// SPC is the chart of the latest run of at least 12 consecutive months
	// or quarters; nil when there is none.
	SPC *SPC `json:"spc"`
	// Latest is the reviewed system's newest value; nil when it has none,
	// and then nothing below is compared.
	Latest    *Value         `json:"latest"`
	England   *Value         `json:"england"` // England's value for the same period
	VsEngland compare.Result `json:"compared_with_england,omitempty"`
	// PeerMean is the mean of the peers' values for the same period, of
	// PeerCount peers; PeerRank places the reviewed system among itself
	// and them (1 = best).
	PeerMean  *float64       `json:"peer_mean"`
	PeerCount int            `json:"peer_count"`
	VsPeers   compare.Result `json:"compared_with_peers,omitempty"`
	PeerRank  int            `json:"peer_rank,omitempty"`
	// Peers is each peer's value for the reviewed system's latest period,
	// or its own latest when it has none for that period.
	Peers      []PeerRow   `json:"peers"`
	Targets    []TargetRow `json:"targets"`
	Inequality []Gap       `json:"inequality"`
}

// SPC is a series' chart as the series page draws it: the periods of the
// run, its SPC result (points with mean, limits and special cause, the
// variation and assurance icons), and the national standard the assurance
// is judged against.
type SPC struct {
	Periods  []accord.Period  `json:"periods"`
	Result   spc.Result       `json:"result"`
	Standard *accord.Priority `json:"standard"`
	// Later counts values after the run that are not consecutive with it.
	Later int `json:"later"`
}

// Span says in words what the run covers: "24 months from April 2023 to
// March 2025".
func (s SPC) Span() string {
	if len(s.Periods) == 0 {
		return ""
	}
	noun := "month"
	if s.Periods[0].Kind() == accord.PeriodQuarter {
		noun = "quarter"
	}
	return fmt.Sprintf("%d %ss from %s to %s", len(s.Periods), noun, periodWords(s.Periods[0]), periodWords(s.Periods[len(s.Periods)-1]))
}

// Chart is what charts.SPC draws the run from; format writes a value with
// its unit (nil: the number alone).
func (s SPC) Chart(id, title, yLabel string, format func(float64) string) charts.SPCChart {
	labels := make([]string, len(s.Periods))
	for i, p := range s.Periods {
		labels[i] = p.String()
		if p.Kind() == accord.PeriodMonth {
			labels[i] = p.Start().Format("Jan 2006")
		}
	}
	c := charts.SPCChart{ID: id, Title: title, Result: s.Result, Periods: labels, Span: s.Span(), YLabel: yLabel, Format: format}
	if s.Standard != nil {
		f := format
		if f == nil {
			f = number
		}
		c.Target, c.TargetLabel = accord.Float(s.Standard.Standard), "Standard: "+f(s.Standard.Standard)
	}
	return c
}

func periodWords(p accord.Period) string {
	if p.Kind() == accord.PeriodMonth {
		return p.Start().Format("January 2006")
	}
	return p.String()
}

// PeerRow is one peer's value, compared with England's for the same period.
type PeerRow struct {
	OrgRef
	Value     *Value         `json:"value"` // nil: nothing held
	England   *float64       `json:"england_value"`
	VsEngland compare.Result `json:"compared_with_england,omitempty"`
}

// TargetRow is one of the reviewed system's published targets on the
// indicator, with its trajectory's status.
type TargetRow struct {
	ID             int64               `json:"id"`
	Title          string              `json:"title"`
	Status         accord.TargetStatus `json:"status"`
	Comparator     accord.Comparator   `json:"comparator"`
	Value          float64             `json:"value"`
	Deadline       accord.Date         `json:"deadline"`
	BaselinePeriod accord.Period       `json:"baseline_period"`
	BaselineValue  *float64            `json:"baseline_value"`
	Plan           []accord.Milestone  `json:"trajectory"`
	// Trajectory is on_track, at_risk, off_track, achieved, missed or
	// not_enough_data; "" when the series could not be assessed.
	Trajectory trajectory.Status `json:"trajectory_status"`
	// Milestones are the planned milestones already observed, each met or
	// not; Forecast the trend's forecast for the deadline, when there is one.
	Milestones []trajectory.MilestoneCheck `json:"milestones"`
	Forecast   *trajectory.Forecast        `json:"forecast"`
}

// Gap is one organisation's inequality gap on the indicator.
type Gap struct {
	OrgCode     string        `json:"organisation_code"`
	Name        string        `json:"organisation_name"`
	Kind        string        `json:"kind"`         // GapIMDDecile or GapSlopeIndex
	IndicatorID string        `json:"indicator_id"` // the indicator the figures are of
	Period      accord.Period `json:"period"`
	Value       float64       `json:"gap"`
	// Lower and Upper are the published interval of a slope index.
	Lower *float64 `json:"lower_ci"`
	Upper *float64 `json:"upper_ci"`
	// MostDeprived and LeastDeprived are the two deciles' values of an
	// IMD decile gap; Direction says which way it runs ("" without a good
	// direction, or for a slope index).
	MostDeprived  *float64 `json:"most_deprived"`
	LeastDeprived *float64 `json:"least_deprived"`
	Direction     string   `json:"direction,omitempty"`
}

// BuildPack gathers the data pack for a review of the reviewed system on the
// focus indicators, against peers (by default its stored nearest peers). It
// shows only targets anyone may see (approved and later), since a pack is
// shared beyond the system. Unknown organisations or indicators are
// ENOTFOUND; no focus indicator, or the reviewed system among its own
// peers, EINVALID.
func BuildPack(ctx context.Context, st accord.Store, reviewed string, focusIndicators []string, peers []string, today accord.Date) (Pack, error) {
	org, err := st.FindOrganisation(ctx, reviewed)
	if err != nil {
		return Pack{}, err
	}
	var inds []accord.Indicator
	seen := map[string]bool{}
	for _, id := range focusIndicators {
		if seen[id] {
			continue
		}
		seen[id] = true
		ind, err := st.FindIndicator(ctx, id)
		if err != nil {
			return Pack{}, err
		}
		inds = append(inds, ind)
	}
	if len(inds) == 0 {
		return Pack{}, accord.Errorf(accord.EINVALID, "Choose at least one focus indicator for the data pack.")
	}
	p := Pack{Reviewed: OrgRef{Code: org.Code, Name: org.Name, Type: org.Type}, PeersFrom: PeersNearest, Generated: today}
	nearest, err := st.FindPeers(ctx, org.Code)
	if err != nil {
		return Pack{}, err
	}
	placed := map[string]accord.Peer{}
	for _, n := range nearest {
		placed[n.PeerCode] = n
	}
	codes := peers
	if len(peers) > 0 {
		p.PeersFrom = PeersChosen
	} else {
		for _, n := range nearest {
			codes = append(codes, n.PeerCode)
		}
	}
	// No peers chosen and none stored (peer groups are saved by `accord
	// migrate`) is a pack without peers, not one against every ICB, which
	// is what organisations makes of an empty list.
	var peerOrgs []accord.Organisation
	if len(codes) > 0 {
		if peerOrgs, err = organisations(ctx, st, codes, today); err != nil {
			return Pack{}, err
		}
	}
	for _, o := range peerOrgs {
		if o.Code == org.Code {
			return Pack{}, accord.Errorf(accord.EINVALID, "%s cannot be one of its own peers.", org.Name)
		}
		if o.Code == accord.EnglandCode {
			return Pack{}, accord.Errorf(accord.EINVALID, "England is the benchmark every value is compared with, not a peer.")
		}
		ref := OrgRef{Code: o.Code, Name: o.Name, Type: o.Type}
		if n, ok := placed[o.Code]; ok {
			ref.Rank, ref.Distance = n.Rank, accord.Float(n.Distance)
		}
		p.Peers = append(p.Peers, ref)
	}
	england := OrgRef{Code: accord.EnglandCode, Name: "England", Type: accord.OrgEngland}
	catalogue, _, err := st.FindIndicators(ctx, accord.IndicatorFilter{})
	if err != nil {
		return Pack{}, err
	}
	for _, ind := range inds {
		ip, err := indicatorPack(ctx, st, ind, p.Reviewed, england, p.Peers, catalogue, today)
		if err != nil {
			return Pack{}, err
		}
		p.Indicators = append(p.Indicators, ip)
	}
	return p, nil
}

func indicatorPack(ctx context.Context, st accord.Store, ind accord.Indicator, own, england OrgRef, peers []OrgRef,
	catalogue []accord.Indicator, today accord.Date) (IndicatorPack, error) {
	ip := IndicatorPack{Indicator: ind}
	everyone := []OrgRef{own}
	if own.Code != england.Code {
		everyone = append(everyone, england)
	}
	everyone = append(everyone, peers...)
	codes := make([]string, len(everyone))
	for i, o := range everyone {
		codes[i] = o.Code
	}
	data, err := series(ctx, st, ind.ID, codes, true, today)
	if err != nil {
		return ip, err
	}
	mine := whole(data[own.Code])
	for _, o := range mine {
		ip.Series = append(ip.Series, interval(ind, o))
	}
	if run, later := recentRun(mine); run != nil {
		ps, _, err := st.FindPriorities(ctx, accord.PriorityFilter{IndicatorID: ind.ID})
		if err != nil {
			return ip, err
		}
		std := assess.Standard(ind, ps, run[len(run)-1].Period)
		// Stored values are finite, so SPC cannot refuse them; were it to,
		// the pack still has the values without the chart.
		if res, err := computeSPC(ind, run, std); err == nil {
			sc := &SPC{Result: res, Standard: std, Later: later}
			for _, o := range run {
				sc.Periods = append(sc.Periods, o.Period)
			}
			ip.SPC = sc
		}
	}
	eng := whole(data[england.Code])
	if len(mine) > 0 {
		latest := ip.Series[len(ip.Series)-1]
		ip.Latest = &latest
		if own.Code != england.Code {
			if e, ok := at(eng, latest.Period); ok {
				ev := interval(ind, e)
				ip.England = &ev
				ip.VsEngland = versus(latest, e.Value, ind.Polarity)
			}
		}
		var vals []float64
		for _, pr := range peers {
			if o, ok := at(whole(data[pr.Code]), latest.Period); ok {
				vals = append(vals, o.Value)
			}
		}
		if len(vals) > 0 {
			var sum float64
			for _, v := range vals {
				sum += v
			}
			ip.PeerMean, ip.PeerCount = accord.Float(sum/float64(len(vals))), len(vals)
			ip.VsPeers = versus(latest, *ip.PeerMean, ind.Polarity)
			ip.PeerRank = 1
			for _, v := range vals {
				if better(v, latest.Value, ind.Polarity) {
					ip.PeerRank++
				}
			}
		}
	}
	for _, pr := range peers {
		row := PeerRow{OrgRef: pr}
		s := whole(data[pr.Code])
		o, ok := accord.Observation{}, false
		if ip.Latest != nil {
			o, ok = at(s, ip.Latest.Period)
		}
		if !ok && len(s) > 0 {
			o, ok = s[len(s)-1], true
		}
		if ok {
			v := interval(ind, o)
			row.Value = &v
			if e, has := at(eng, o.Period); has {
				row.England, row.VsEngland = accord.Float(e.Value), versus(v, e.Value, ind.Polarity)
			}
		}
		ip.Peers = append(ip.Peers, row)
	}
	if ip.Targets, err = targets(ctx, st, ind, own.Code, mine); err != nil {
		return ip, err
	}
	for _, o := range everyone {
		if g, ok := decileGap(ind, o, data[o.Code]); ok {
			ip.Inequality = append(ip.Inequality, g)
		}
	}
	if sii, ok := slopeIndex(ind, catalogue); ok {
		siiData := data
		if sii.ID != ind.ID {
			if siiData, err = series(ctx, st, sii.ID, codes, false, today); err != nil {
				return ip, err
			}
		}
		for _, o := range everyone {
			s := whole(siiData[o.Code])
			if len(s) == 0 {
				continue
			}
			v := interval(sii, s[len(s)-1])
			ip.Inequality = append(ip.Inequality, Gap{OrgCode: o.Code, Name: o.Name, Kind: GapSlopeIndex, IndicatorID: sii.ID,
				Period: v.Period, Value: v.Value, Lower: v.Lower, Upper: v.Upper})
		}
	}
	return ip, nil
}

// versus compares a value with a benchmark as assessments do: by whether
// its 95% interval contains the benchmark, and not at all without one.
func versus(v Value, benchmark float64, pol accord.Polarity) compare.Result {
	if v.Lower == nil || v.Upper == nil {
		return compare.ByInterval(v.Value, 0, 0, benchmark, false, pol)
	}
	return compare.ByInterval(v.Value, *v.Lower, *v.Upper, benchmark, true, pol)
}

// targets are the organisation's targets on the indicator that anyone may
// see, oldest first, each with its trajectory assessed against the series.
func targets(ctx context.Context, st accord.Store, ind accord.Indicator, orgCode string, series []accord.Observation) ([]TargetRow, error) {
	ts, _, err := st.FindTargets(ctx, accord.TargetFilter{OrgCode: orgCode, IndicatorID: ind.ID})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(ts, func(a, b accord.Target) int { return cmp.Compare(a.ID, b.ID) })
	// A trajectory is judged on one kind of period: the newest one's.
	var obs []trajectory.Observation
	if len(series) > 0 {
		kind := series[len(series)-1].Period.Kind()
		for _, o := range series {
			if o.Period.Kind() == kind {
				obs = append(obs, trajectory.Observation{Period: o.Period, Value: o.Value})
			}
		}
	}
	var out []TargetRow
	for _, t := range ts {
		if !accord.CanView(nil, t, nil) {
			continue
		}
		row := TargetRow{ID: t.ID, Title: t.Title, Status: t.Status, Comparator: t.Comparator, Value: t.Value, Deadline: t.Deadline,
			BaselinePeriod: t.BaselinePeriod, BaselineValue: t.BaselineValue, Plan: t.Trajectory}
		if len(obs) > 0 {
			a, err := trajectory.Assess(obs, trajectory.Target{Comparator: t.Comparator, Value: t.Value, Deadline: t.Deadline},
				t.Trajectory, trajectory.DefaultOptions(obs[len(obs)-1].Period.Kind()))
			if err == nil {
				row.Trajectory, row.Milestones, row.Forecast = a.Status, a.Milestones, a.Forecast
			}
		} else {
			row.Trajectory = trajectory.NotEnoughData
		}
		out = append(out, row)
	}
	return out, nil
}

// decileGap is the most deprived decile's value minus the least deprived's,
// at the latest period holding both, from breakdowns by deprivation alone.
func decileGap(ind accord.Indicator, org OrgRef, s []accord.Observation) (Gap, bool) {
	most, least := map[accord.Period]float64{}, map[accord.Period]float64{}
	for _, o := range s {
		switch o.Breakdown {
		case accord.Breakdown{IMDDecile: 1}:
			most[o.Period] = o.Value
		case accord.Breakdown{IMDDecile: 10}:
			least[o.Period] = o.Value
		}
	}
	var latest accord.Period
	for p := range most {
		if _, ok := least[p]; ok && p.Compare(latest) > 0 {
			latest = p
		}
	}
	if latest.IsZero() {
		return Gap{}, false
	}
	m, l := most[latest], least[latest]
	g := Gap{OrgCode: org.Code, Name: org.Name, Kind: GapIMDDecile, IndicatorID: ind.ID, Period: latest, Value: m - l,
		MostDeprived: accord.Float(m), LeastDeprived: accord.Float(l)}
	if ind.Polarity == accord.HigherIsBetter || ind.Polarity == accord.LowerIsBetter {
		switch {
		case m == l:
			g.Direction = NoGap
		case better(m, l, ind.Polarity):
			g.Direction = BetterForMostDeprived
		default:
			g.Direction = WorseForMostDeprived
		}
	}
	return g, true
}

// slopeIndex is the slope index of inequality that goes with ind: ind itself
// if it is one, otherwise the catalogue's slope-index indicator in the same
// area named for the measure ind refines (life_expectancy_sii for
// life_expectancy_birth: its ID without "sii" begins ind's ID).
func slopeIndex(ind accord.Indicator, catalogue []accord.Indicator) (accord.Indicator, bool) {
	if ind.Method == accord.MethodSlopeIndex {
		return ind, true
	}
	for _, c := range catalogue {
		stem, ok := strings.CutSuffix(c.ID, "sii")
		if ok && c.Method == accord.MethodSlopeIndex && c.Area == ind.Area && stem != "" && strings.HasPrefix(ind.ID, stem) {
			return c, true
		}
	}
	return accord.Indicator{}, false
}
