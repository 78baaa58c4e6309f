package importer

import (
	"cmp"
	"slices"

	"github.com/nhs-accord/accord"
)

// Sums adds numerators and denominators (or plain counts) for one series
// point, so roll-ups are recomputed from counts and never by averaging
// percentages.
type Sums struct {
	Num, Den float64
}

type sumKey struct {
	indicator string
	org       string
	period    accord.Period
	breakdown accord.Breakdown
}

// Aggregator accumulates counts by indicator, organisation and period. Its
// size is bounded by the number of organisations and periods, not rows.
type Aggregator struct {
	sums  map[sumKey]*Sums
	lines map[sumKey]int // first line that contributed, for messages
}

// NewAggregator returns an empty aggregator.
func NewAggregator() *Aggregator {
	return &Aggregator{sums: map[sumKey]*Sums{}, lines: map[sumKey]int{}}
}

// Add adds num and den to the point, remembering line if it is the first.
func (a *Aggregator) Add(indicator, org string, p accord.Period, b accord.Breakdown, num, den float64, line int) {
	k := sumKey{indicator, org, p, b}
	s, ok := a.sums[k]
	if !ok {
		s = &Sums{}
		a.sums[k] = s
		a.lines[k] = line
	}
	s.Num += num
	s.Den += den
}

// AddChain adds to each organisation in orgs (an organisation and its
// ancestors).
func (a *Aggregator) AddChain(indicator string, orgs []string, p accord.Period, b accord.Breakdown, num, den float64, line int) {
	for _, o := range orgs {
		a.Add(indicator, o, p, b, num, den, line)
	}
}

// Get returns the sums for a point.
func (a *Aggregator) Get(indicator, org string, p accord.Period, b accord.Breakdown) (Sums, bool) {
	s, ok := a.sums[sumKey{indicator, org, p, b}]
	if !ok {
		return Sums{}, false
	}
	return *s, true
}

// Point is one accumulated series point.
type Point struct {
	Indicator string
	Org       string
	Period    accord.Period
	Breakdown accord.Breakdown
	Sums
	Line int
}

// Points returns every point in a fixed order (indicator, organisation,
// period, breakdown), so imports are deterministic.
func (a *Aggregator) Points() []Point {
	out := make([]Point, 0, len(a.sums))
	for k, s := range a.sums {
		out = append(out, Point{Indicator: k.indicator, Org: k.org, Period: k.period, Breakdown: k.breakdown, Sums: *s, Line: a.lines[k]})
	}
	slices.SortFunc(out, func(x, y Point) int {
		return cmp.Or(cmp.Compare(x.Indicator, y.Indicator), cmp.Compare(x.Org, y.Org), x.Period.Compare(y.Period),
			cmp.Compare(x.Breakdown.Key(), y.Breakdown.Key()))
	})
	return out
}

// Proportion builds an observation whose value is 100 × num / den, keeping
// both counts. ok is false when the denominator is zero (no value exists).
func Proportion(p Point) (accord.Observation, bool) {
	if p.Den <= 0 {
		return accord.Observation{}, false
	}
	return accord.Observation{IndicatorID: p.Indicator, OrgCode: p.Org, Period: p.Period, Breakdown: p.Breakdown,
		Value: 100 * p.Num / p.Den, Numerator: accord.Float(p.Num), Denominator: accord.Float(p.Den)}, true
}

// Count builds an observation whose value is the summed count.
func Count(p Point) accord.Observation {
	return accord.Observation{IndicatorID: p.Indicator, OrgCode: p.Org, Period: p.Period, Breakdown: p.Breakdown, Value: p.Num}
}
