package review

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/nhs-accord/accord"
	"github.com/nhs-accord/accord/stats/spc"
)

// The SPC verdicts on an organisation's recent run: the point type of its
// latest value, as its assessment's variation icon shows it, or no verdict
// when there is no unbroken run of at least 12 months or quarters ending at
// the latest value (annual figures never have one).
const (
	VerdictImprovement   = spc.SpecialCauseImprovement
	VerdictConcern       = spc.SpecialCauseConcern
	VerdictCommonCause   = spc.CommonCause
	VerdictNotEnoughData = "not_enough_data"
)

// How an improvement is ranked: by its change in the indicator's unit, or,
// for counts, by its change as a share of where it started, since a count
// grows with the population and the largest systems would otherwise always
// lead.
const (
	RankedByChange         = "change"
	RankedByRelativeChange = "relative_change"
)

// Improvement is one organisation's change on one indicator over the span,
// judged in the indicator's good direction.
type Improvement struct {
	OrgCode     string `json:"organisation_code"`
	Name        string `json:"organisation_name"`
	IndicatorID string `json:"indicator_id"`
	// From and To are the ends of the span: To is the latest period most of
	// the organisations compared hold, From the period Steps before it (12
	// months, 4 quarters, or 2 years so that three annual figures are
	// spanned). Both are set even when the organisation lacks one of them.
	From  accord.Period `json:"from"`
	To    accord.Period `json:"to"`
	Steps int           `json:"steps"`
	Span  string        `json:"span"` // "12 months from 2025-10 to 2026-10"
	// Measured is false when either end is missing; Missing says which.
	Measured  bool    `json:"measured"`
	Missing   string  `json:"missing,omitempty"`
	FromValue float64 `json:"from_value"`
	ToValue   float64 `json:"to_value"`
	// Change is ToValue − FromValue; Improvement is the same change signed
	// so that a positive number is better; RelativeImprovement is
	// Improvement as a percentage of FromValue (nil when that is 0).
	Change              float64  `json:"change"`
	Improvement         float64  `json:"improvement"`
	RelativeImprovement *float64 `json:"relative_improvement"`
	RankedBy            string   `json:"ranked_by"`
	// Place is 1 for the most improved; 0 when not measured (or, for a
	// count ranked relatively, when it started from 0).
	Place int `json:"place"`
	// Verdict is one of the Verdict constants; VariationIcon is the Making
	// Data Count icon of the same run and SPCPoints its length.
	Verdict       string `json:"spc_verdict"`
	VariationIcon string `json:"variation_icon,omitempty"`
	SPCPoints     int    `json:"spc_points,omitempty"`
}

// rankValue is what the improvement is ordered by, and whether it has one.
func (i Improvement) rankValue() (float64, bool) {
	if !i.Measured {
		return 0, false
	}
	if i.RankedBy == RankedByRelativeChange {
		if i.RelativeImprovement == nil {
			return 0, false
		}
		return *i.RelativeImprovement, true
	}
	return i.Improvement, true
}

// MostImproved answers "who among these improved most on this indicator":
// each organisation's change over the span ending at the latest period
// most of them hold, in the indicator's good direction, with the SPC
// verdict of its recent run, most improved first; those that cannot be
// measured come last, by name. among empty means every ICB open on today.
// An indicator on which neither higher nor lower is better has no
// improvement to rank (EINVALID).
func MostImproved(ctx context.Context, st accord.Store, indicatorID string, among []string, today accord.Date) ([]Improvement, error) {
	ind, err := st.FindIndicator(ctx, indicatorID)
	if err != nil {
		return nil, err
	}
	if ind.Polarity != accord.HigherIsBetter && ind.Polarity != accord.LowerIsBetter {
		return nil, accord.Errorf(accord.EINVALID, "Neither higher nor lower is better for %s, so no organisation can be said to have improved on it.", ind.Name)
	}
	orgs, err := organisations(ctx, st, among, today)
	if err != nil {
		return nil, err
	}
	codes := make([]string, len(orgs))
	for i, o := range orgs {
		codes[i] = o.Code
	}
	data, err := series(ctx, st, ind.ID, codes, false, today)
	if err != nil {
		return nil, err
	}
	return improvements(ind, orgs, data), nil
}

// organisations looks up the codes given, in order and once each, or every
// ICB open on today when there are none.
func organisations(ctx context.Context, st accord.Store, codes []string, today accord.Date) ([]accord.Organisation, error) {
	if len(codes) == 0 {
		icbs, _, err := st.FindOrganisations(ctx, accord.OrganisationFilter{Type: accord.OrgICB})
		if err != nil {
			return nil, err
		}
		return slices.DeleteFunc(icbs, func(o accord.Organisation) bool { return !o.ValidOn(today.Time) }), nil
	}
	var out []accord.Organisation
	seen := map[string]bool{}
	for _, c := range codes {
		o, err := st.FindOrganisation(ctx, c)
		if err != nil {
			return nil, err
		}
		if !seen[o.Code] {
			seen[o.Code] = true
			out = append(out, o)
		}
	}
	return out, nil
}

// spanSteps is how far back an improvement is measured from, for a kind of
// period, and the span in words: a year of months or quarters, so the
// season is the same at both ends, and for yearly figures the last three.
func spanSteps(k accord.PeriodKind) (int, string) {
	switch k {
	case accord.PeriodMonth:
		return 12, "12 months"
	case accord.PeriodQuarter:
		return 4, "4 quarters"
	}
	return 2, "3 periods"
}

// back is the period n steps of its own kind before p (as Next steps
// forward), or the zero Period if there is none.
func back(p accord.Period, n int) accord.Period {
	s, e := p.Start(), p.End()
	y, m := s.Year(), int(s.Month())
	var q accord.Period
	switch p.Kind() {
	case accord.PeriodMonth:
		q = accord.Month(y, s.Month()-time.Month(n))
	case accord.PeriodQuarter:
		fy, idx := y, (m-4)/3
		if m < 4 {
			fy, idx = y-1, (m+8)/3
		}
		k := fy*4 + idx - n
		q, _ = accord.FinancialQuarter(floorDiv(k, 4), k-floorDiv(k, 4)*4+1)
	case accord.PeriodFinancialYear:
		q = accord.FinancialYear(y - n)
	case accord.PeriodCalendarYear:
		q = accord.CalendarYear(y - n)
	case accord.PeriodRolling:
		q, _ = accord.Rolling(y-n, e.Year()-n)
	}
	// Next is the definition of a step; a period it does not lead back
	// from (none of the kinds above) has no span.
	f := q
	for range n {
		f = f.Next()
	}
	if q.IsZero() || f != p {
		return accord.Period{}
	}
	return q
}

func floorDiv(a, b int) int {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// improvements is MostImproved's arithmetic, with no I/O: data holds each
// organisation's whole-population series, oldest first.
func improvements(ind accord.Indicator, orgs []accord.Organisation, data map[string][]accord.Observation) []Improvement {
	end := commonLatest(orgs, data)
	steps, words := spanSteps(end.Kind())
	start := back(end, steps)
	rankedBy := RankedByChange
	if ind.Unit == accord.UnitCount {
		rankedBy = RankedByRelativeChange
	}
	out := make([]Improvement, 0, len(orgs))
	for _, o := range orgs {
		imp := Improvement{OrgCode: o.Code, Name: o.Name, IndicatorID: ind.ID, From: start, To: end, Steps: steps, RankedBy: rankedBy,
			Verdict: VerdictNotEnoughData}
		if !end.IsZero() {
			imp.Span = fmt.Sprintf("%s from %s to %s", words, start, end)
		}
		// Values after the common end are left out, so every organisation
		// is judged over the same span and its verdict is at its end.
		var s []accord.Observation
		for _, ob := range data[o.Code] {
			if ob.Period.Compare(end) <= 0 {
				s = append(s, ob)
			}
		}
		last, okLast := at(s, end)
		first, okFirst := at(s, start)
		switch {
		case end.IsZero():
			imp.Missing = "no values held"
		case !okLast:
			imp.Missing = "no value for " + end.String()
		case start.IsZero():
			imp.Missing = "no earlier period to compare with"
		case !okFirst:
			imp.Missing = fmt.Sprintf("no value for %s, the start of the span", start)
		default:
			imp.Measured = true
			imp.FromValue, imp.ToValue = first.Value, last.Value
			imp.Change = last.Value - first.Value
			imp.Improvement = imp.Change
			if ind.Polarity == accord.LowerIsBetter {
				imp.Improvement = -imp.Change
			}
			if first.Value != 0 {
				imp.RelativeImprovement = accord.Float(imp.Improvement / math.Abs(first.Value) * 100)
			}
		}
		if okLast {
			if run, later := recentRun(s); run != nil && later == 0 && run[len(run)-1].Period == end {
				if res, err := computeSPC(ind, run, nil); err == nil {
					imp.Verdict = res.Points[len(res.Points)-1].PointType
					imp.VariationIcon, imp.SPCPoints = res.VariationIcon, len(run)
				}
			}
		}
		out = append(out, imp)
	}
	slices.SortStableFunc(out, func(a, b Improvement) int {
		va, oka := a.rankValue()
		vb, okb := b.rankValue()
		if oka != okb {
			if oka {
				return -1
			}
			return 1
		}
		if oka && va != vb {
			return cmp.Compare(vb, va)
		}
		return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.OrgCode, b.OrgCode))
	})
	for i := range out {
		if _, ok := out[i].rankValue(); ok {
			out[i].Place = i + 1
		}
	}
	return out
}

// commonLatest is the end of the span: of the newest kind of period held
// (months, say, where older figures were annual), the latest period that at
// least half of the organisations holding that kind have. One system
// publishing a month early does not leave everyone else unmeasured.
func commonLatest(orgs []accord.Organisation, data map[string][]accord.Observation) accord.Period {
	var newest accord.Period
	for _, o := range orgs {
		if s := data[o.Code]; len(s) > 0 && s[len(s)-1].Period.Compare(newest) > 0 {
			newest = s[len(s)-1].Period
		}
	}
	if newest.IsZero() {
		return newest
	}
	count := map[accord.Period]int{}
	holders := 0
	for _, o := range orgs {
		held := false
		for _, ob := range data[o.Code] {
			if ob.Period.Kind() == newest.Kind() {
				count[ob.Period]++
				held = true
			}
		}
		if held {
			holders++
		}
	}
	periods := make([]accord.Period, 0, len(count))
	for p := range count {
		periods = append(periods, p)
	}
	slices.SortFunc(periods, func(a, b accord.Period) int { return b.Compare(a) })
	for _, p := range periods {
		if 2*count[p] >= holders {
			return p
		}
	}
	return newest
}
