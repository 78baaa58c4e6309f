package accord

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Verdict is the outcome of one ambition check on a local target.
type Verdict string

const (
	VerdictMeets       Verdict = "meets"
	VerdictBelow       Verdict = "below"
	VerdictNotAssessed Verdict = "not_assessed" // the data or rule the check needs is missing
)

// The ambition checks, by name.
const (
	CheckNationalStandard   = "national_standard"   // the level and deadline set nationally
	CheckMinimumImprovement = "minimum_improvement" // a national rule of at least so many percentage points of improvement
	CheckOwnBaseline        = "own_baseline"        // an improvement on the organisation's own starting point
	CheckPeers              = "peers"               // the planned improvement among what peer ICBs actually achieved
)

// MinPeersForAmbition is the fewest peers with data that the peer check
// compares with: below it a percentile says more about chance than ambition.
const MinPeersForAmbition = 3

// AmbitionCheck is one check of a local target's ambition.
type AmbitionCheck struct {
	Name       string  `json:"name"`
	PriorityID string  `json:"priority_id,omitempty"` // the national priority checked against
	Verdict    Verdict `json:"verdict"`
	Message    string  `json:"message"`
	// Required is the least ambitious target value that would meet a
	// national check.
	Required *float64 `json:"required,omitempty"`
	// Late is set when the target's deadline is after the national one.
	Late bool `json:"later_than_deadline,omitempty"`
	// For the peer check: how many peers had data, how many of them
	// improved by less than the target plans, and that as a percentage.
	PeersCompared int      `json:"peers_compared,omitempty"`
	PeersBelow    int      `json:"peers_below,omitempty"`
	Percentile    *float64 `json:"percentile,omitempty"`
}

// PeriodValue is an organisation's value of an indicator in one period.
type PeriodValue struct {
	Period Period  `json:"period"`
	Value  float64 `json:"value"`
}

// PeerImprovement is what one peer ICB actually achieved on the indicator
// over a span of time as long as the target's own, from its published
// values at each end.
type PeerImprovement struct {
	OrgCode   string  `json:"organisation_code"`
	Name      string  `json:"name"`
	From      Period  `json:"from"`
	To        Period  `json:"to"`
	FromValue float64 `json:"from_value"`
	ToValue   float64 `json:"to_value"`
}

// Change is the peer's change in value over its span, in the indicator's
// unit; whether it is an improvement depends on the indicator's polarity.
func (p PeerImprovement) Change() float64 { return p.ToValue - p.FromValue }

// AmbitionInput is everything the ambition checks of one target read.
type AmbitionInput struct {
	Target    Target
	Indicator Indicator
	// Priorities are the national priorities on the target's indicator:
	// the levels to reach and the minimum-improvement rules.
	Priorities []Priority
	// Baseline is the organisation's value in the target's baseline period,
	// or its latest value when the target names none; nil when there is
	// none, and then the target's own baseline value is used if it has one.
	Baseline *PeriodValue
	// Floors are the organisation's values in the periods that
	// minimum-improvement rules measure from (see ImprovementBaseline).
	Floors []PeriodValue
	// PeerImprovements are the peers' actual changes over spans as long as
	// the target's from baseline to deadline.
	PeerImprovements []PeerImprovement
	// Today decides which national deadlines are still in force.
	Today Date
}

// Ambition is the result of the ambition checks of one target.
type Ambition struct {
	TargetID int64           `json:"target_id"`
	Unit     Unit            `json:"unit"`
	Checks   []AmbitionCheck `json:"checks"`
	// NeedsJustification is set when the target is below a national standard
	// or minimum-improvement rule: the ICB must then give a written
	// justification, which the national reviewer accepts or challenges.
	NeedsJustification bool         `json:"needs_justification"`
	Baseline           *PeriodValue `json:"baseline"`
	// PlannedChange is the target value less the baseline value, in the
	// indicator's unit (percentage points for a percentage); nil without a
	// baseline.
	PlannedChange *float64 `json:"planned_change"`
}

// Check returns the first check with the given name, and whether there is one.
func (a Ambition) Check(name string) (AmbitionCheck, bool) {
	for _, c := range a.Checks {
		if c.Name == name {
			return c, true
		}
	}
	return AmbitionCheck{}, false
}

// Summary is the result in a few plain-English sentences.
func (a Ambition) Summary() string {
	if len(a.Checks) == 0 {
		return "No ambition checks were run."
	}
	var meets, na int
	var below []string
	for _, c := range a.Checks {
		switch c.Verdict {
		case VerdictMeets:
			meets++
		case VerdictBelow:
			below = append(below, c.Message)
		default:
			na++
		}
	}
	s := fmt.Sprintf("Meets %d of %d %s", meets, len(a.Checks), plural(len(a.Checks), "check", "checks"))
	var rest []string
	if len(below) > 0 {
		rest = append(rest, fmt.Sprintf("below on %d", len(below)))
	}
	if na > 0 {
		rest = append(rest, fmt.Sprintf("%d not assessed for want of data", na))
	}
	if len(rest) > 0 {
		s += "; " + strings.Join(rest, "; ")
	}
	s += "."
	if len(below) > 0 {
		s += " " + strings.Join(below, " ")
	}
	if a.NeedsJustification {
		s += " Because the target is below a national standard or minimum improvement, it needs a written justification, which the national reviewer accepts or challenges."
	}
	return s
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// IsMinimumImprovement reports whether p is a rule of at least so many
// percentage points of improvement from a baseline, rather than a level to
// reach.
func (p Priority) IsMinimumImprovement() bool {
	return p.Unit == "percentage points" || p.Unit == string(UnitPoints)
}

// improvementOrReach holds the rules that ask for an improvement "or reach
// X, whichever is greater": the Medium Term Planning Framework asks every
// trust for 7 points of 18-week improvement in 2026/27 or to reach 65%,
// whichever is greater. The register keeps only the 7, so the 65 is here.
var improvementOrReach = map[string]float64{
	"mtpf_rtt_18w_2627_trust": 65,
}

// ruleBaselines are the baseline months of known minimum-improvement rules.
// Planning guidance 2025/26 measured the 5-point RTT improvement from
// November 2024. The Medium Term Planning Framework's 2026/27 improvement
// is read as from March 2026, the last month before that year: our reading,
// as the summaries seen name no month.
var ruleBaselines = map[string]Period{
	"pg2526_rtt_18w_trust_improvement": Month(2024, time.November),
	"mtpf_rtt_18w_2627_trust":          Month(2026, time.March),
}

var baselineInTextRe = regexp.MustCompile(`(?i)baseline:?\s+(january|february|march|april|may|june|july|august|september|october|november|december)\s+([0-9]{4})`)

// ImprovementBaseline is the period a minimum-improvement rule measures
// from: the month known for the rule, else a month its metric text names
// ("baseline November 2024"), else the March before the financial year in
// which its deadline falls. Zero when none applies.
func (p Priority) ImprovementBaseline() Period {
	if b, ok := ruleBaselines[p.ID]; ok {
		return b
	}
	if m := baselineInTextRe.FindStringSubmatch(p.Metric); m != nil {
		if t, err := time.Parse("January 2006", strings.ToUpper(m[1][:1])+strings.ToLower(m[1][1:])+" "+m[2]); err == nil {
			return Month(t.Year(), t.Month())
		}
	}
	if p.Deadline.IsZero() {
		return Period{}
	}
	fy := p.Deadline.Year()
	if p.Deadline.Month() < time.April {
		fy--
	}
	return Month(fy, time.March)
}

// CheckAmbition checks a local target against the national standard and
// deadline, the national minimum-improvement rules, the organisation's own
// baseline and what its peers actually achieved. It reads nothing but its
// input. docs/stats-ambition.md gives the rules.
func CheckAmbition(in AmbitionInput) Ambition {
	t, ind := in.Target, in.Indicator
	a := Ambition{TargetID: t.ID, Unit: ind.Unit}
	a.Baseline = in.Baseline
	if a.Baseline == nil && t.BaselineValue != nil && !t.BaselinePeriod.IsZero() {
		a.Baseline = &PeriodValue{Period: t.BaselinePeriod, Value: *t.BaselineValue}
	}
	if a.Baseline != nil {
		a.PlannedChange = Float(t.Value - a.Baseline.Value)
	}

	levels, rules := applicablePriorities(in)
	if len(levels) == 0 {
		a.Checks = append(a.Checks, AmbitionCheck{Name: CheckNationalStandard, Verdict: VerdictNotAssessed,
			Message: fmt.Sprintf("There is no national standard in force for %s measured in %s.", ind.Name, unitWords(ind.Unit))})
	}
	for _, p := range levels {
		a.Checks = append(a.Checks, checkStandard(t, ind, p))
	}
	for _, p := range rules {
		a.Checks = append(a.Checks, checkImprovement(in, p))
	}
	levelMet := false
	for _, c := range a.Checks {
		if c.Verdict == VerdictBelow {
			a.NeedsJustification = true
		}
		if c.Name == CheckNationalStandard && c.Verdict == VerdictMeets {
			levelMet = true
		}
	}
	a.Checks = append(a.Checks, checkBaseline(t, ind, a.Baseline, levelMet), checkPeers(in, a.Baseline))
	return a
}

// applicablePriorities chooses the national standards and rules a target
// is checked against. The priority the target serves is always checked.
// Of the rest, only those in force on the earlier of today and the
// target's deadline count (a deadline already past binds no new target):
// every minimum-improvement rule, and of the levels, the one whose deadline
// is the nearest on or after the target's, else the latest before it (the
// target is late for it), else a standing constitutional standard.
func applicablePriorities(in AmbitionInput) (levels, rules []Priority) {
	t, ind := in.Target, in.Indicator
	ref := t.Deadline
	if ref.IsZero() || (!in.Today.IsZero() && in.Today.Before(ref.Time)) {
		ref = in.Today
	}
	inForce := func(p Priority) bool { return p.Standing() || ref.IsZero() || !p.Deadline.Before(ref.Time) }
	isLevel := func(p Priority) bool { return !p.IsMinimumImprovement() && p.Unit == string(ind.Unit) }

	var linked *Priority
	for i, p := range in.Priorities {
		if p.ID == t.PriorityID && (isLevel(p) || p.IsMinimumImprovement()) {
			linked = &in.Priorities[i]
		}
	}
	if linked != nil && isLevel(*linked) {
		levels = append(levels, *linked)
	}
	var after, before, standing *Priority
	for i, p := range in.Priorities {
		switch {
		case p.IsMinimumImprovement():
			if p.ID == t.PriorityID || inForce(p) {
				rules = append(rules, p)
			}
		case !isLevel(p) || !inForce(p):
		case p.Standing():
			if p.StandardType == Constitutional && (standing == nil || p.ID < standing.ID) {
				standing = &in.Priorities[i]
			}
		case t.Deadline.IsZero() || !p.Deadline.Before(t.Deadline.Time):
			if after == nil || p.Deadline.Before(after.Deadline.Time) || (p.Deadline.Equal(after.Deadline.Time) && p.ID < after.ID) {
				after = &in.Priorities[i]
			}
		default:
			if before == nil || p.Deadline.After(before.Deadline.Time) || (p.Deadline.Equal(before.Deadline.Time) && p.ID < before.ID) {
				before = &in.Priorities[i]
			}
		}
	}
	if auto := firstOf(after, before, standing); auto != nil && (linked == nil || auto.ID != linked.ID) {
		levels = append(levels, *auto)
	}
	slices.SortStableFunc(rules, func(x, y Priority) int { return strings.Compare(x.ID, y.ID) })
	return levels, rules
}

func firstOf(ps ...*Priority) *Priority {
	for _, p := range ps {
		if p != nil {
			return p
		}
	}
	return nil
}

func checkStandard(t Target, ind Indicator, p Priority) AmbitionCheck {
	c := AmbitionCheck{Name: CheckNationalStandard, PriorityID: p.ID, Required: Float(p.Standard)}
	std := fmt.Sprintf("the national standard \"%s\" (%s %s", p.Name, p.Comparator.Label(), fmtValue(p.Standard, ind.Unit))
	if p.Standing() {
		std += ", which always applies)"
	} else {
		std += " by " + longDate(p.Deadline) + ")"
	}
	var short []string
	switch {
	case t.Comparator != p.Comparator:
		short = append(short, fmt.Sprintf("below %s: the target counts %s %s as met, where the standard counts %s %s",
			std, t.Comparator.Label(), fmtValue(t.Value, ind.Unit), p.Comparator.Label(), fmtValue(p.Standard, ind.Unit)))
	case !meets(p.Comparator, t.Value, p.Standard):
		short = append(short, "below "+std)
	}
	if !p.Standing() && !t.Deadline.IsZero() && t.Deadline.After(p.Deadline.Time) {
		c.Late = true
		if len(short) == 0 {
			short = append(short, "later than the deadline of "+std)
		} else {
			short = append(short, "later than its deadline")
		}
	}
	target := describeTarget(t, ind)
	if len(short) == 0 {
		c.Verdict = VerdictMeets
		c.Message = fmt.Sprintf("%s meets %s.", target, std)
		return c
	}
	c.Verdict = VerdictBelow
	c.Message = fmt.Sprintf("%s is %s.", target, strings.Join(short, ", and "))
	return c
}

func checkImprovement(in AmbitionInput, p Priority) AmbitionCheck {
	t, ind := in.Target, in.Indicator
	c := AmbitionCheck{Name: CheckMinimumImprovement, PriorityID: p.ID}
	rule := fmt.Sprintf("The national rule \"%s\"", p.Name)
	sign := polaritySign(ind.Polarity)
	base := p.ImprovementBaseline()
	var floor *PeriodValue
	for i, f := range in.Floors {
		if f.Period == base {
			floor = &in.Floors[i]
		}
	}
	switch {
	case sign == 0:
		c.Verdict, c.Message = VerdictNotAssessed, rule+" cannot be checked: neither higher nor lower is better for this indicator, so an improvement has no direction."
		return c
	case base.IsZero():
		c.Verdict, c.Message = VerdictNotAssessed, rule+" cannot be checked: it names no baseline period to measure the improvement from."
		return c
	case floor == nil:
		c.Verdict, c.Message = VerdictNotAssessed, fmt.Sprintf("%s cannot be checked: there is no published value for %s in %s, the baseline it measures improvement from.",
			rule, t.OrgCode, periodWords(base))
		return c
	}
	required := floor.Value + sign*p.Standard
	ask := fmt.Sprintf("asks for at least %s of improvement on the value in %s (%s)", fmtChange(p.Standard, ind.Unit), periodWords(base), fmtValue(floor.Value, ind.Unit))
	if reach, ok := improvementOrReach[p.ID]; ok {
		ask += fmt.Sprintf(" or reaching %s, whichever is greater", fmtValue(reach, ind.Unit))
		if sign*(reach-required) > 0 {
			required = reach
		}
	}
	// A percentage cannot pass 100 or fall below 0: the best possible
	// value meets a rule that asks for more.
	if ind.Unit == UnitPercent {
		required = math.Min(100, math.Max(0, required))
	}
	c.Required = Float(required)
	ask += ", so " + goodComparator(ind.Polarity).Label() + " " + fmtValue(required, ind.Unit)
	if !p.Standing() {
		ask += " by " + longDate(p.Deadline)
	}
	change := sign * (t.Value - floor.Value)
	plan := fmt.Sprintf("%s is %s %s than in %s", describeTarget(t, ind), fmtChange(math.Abs(change), ind.Unit), betterWorse(change), periodWords(base))
	var short []string
	good := goodComparator(ind.Polarity)
	switch {
	case t.Comparator != good:
		short = append(short, fmt.Sprintf("the target counts %s %s as met, but %s is better", t.Comparator.Label(), fmtValue(t.Value, ind.Unit), directionWord(ind.Polarity)))
	case !meets(good, t.Value, required):
		short = append(short, "it falls short")
	}
	if !p.Standing() && !t.Deadline.IsZero() && t.Deadline.After(p.Deadline.Time) {
		c.Late = true
		short = append(short, "its deadline is later than the rule's")
	}
	if len(short) == 0 {
		c.Verdict = VerdictMeets
		c.Message = fmt.Sprintf("%s %s. %s: it meets the rule.", rule, ask, plan)
		return c
	}
	c.Verdict = VerdictBelow
	c.Message = fmt.Sprintf("%s %s. %s: %s.", rule, ask, plan, strings.Join(short, ", and "))
	return c
}

func checkBaseline(t Target, ind Indicator, base *PeriodValue, levelMet bool) AmbitionCheck {
	c := AmbitionCheck{Name: CheckOwnBaseline}
	if base == nil {
		c.Verdict = VerdictNotAssessed
		c.Message = fmt.Sprintf("There is no baseline for %s to compare the target with: no published value in the baseline period, and none given with the target.", t.OrgCode)
		return c
	}
	sign := polaritySign(ind.Polarity)
	change := t.Value - base.Value
	from := fmt.Sprintf("from %s in %s to %s", fmtValue(base.Value, ind.Unit), periodWords(base.Period), fmtValue(t.Value, ind.Unit))
	switch {
	case sign == 0:
		c.Verdict = VerdictNotAssessed
		c.Message = fmt.Sprintf("The target plans a change of %s, %s; neither higher nor lower is better for this indicator, so it is not judged an improvement.", fmtSigned(change, ind.Unit), from)
	case t.Comparator != goodComparator(ind.Polarity):
		c.Verdict = VerdictBelow
		c.Message = fmt.Sprintf("The target counts %s %s as met, but %s is better for this indicator, so it does not ask for an improvement on %s in %s.",
			t.Comparator.Label(), fmtValue(t.Value, ind.Unit), directionWord(ind.Polarity), fmtValue(base.Value, ind.Unit), periodWords(base.Period))
	case nearly(change, 0):
		c.Verdict = VerdictBelow
		c.Message = fmt.Sprintf("No change planned: the target of %s is the value in %s.", fmtValue(t.Value, ind.Unit), periodWords(base.Period))
		if levelMet {
			// Holding a level that already meets the national standard is
			// what a "maintain" priority asks for.
			c.Verdict = VerdictMeets
			c.Message += " That value already meets the national standard."
		}
	case sign*change > 0:
		c.Verdict = VerdictMeets
		c.Message = fmt.Sprintf("The target plans an improvement of %s, %s.", fmtChange(math.Abs(change), ind.Unit), from)
	default:
		c.Verdict = VerdictBelow
		c.Message = fmt.Sprintf("The target plans a deterioration of %s, %s.", fmtChange(math.Abs(change), ind.Unit), from)
	}
	return c
}

func checkPeers(in AmbitionInput, base *PeriodValue) AmbitionCheck {
	t, ind := in.Target, in.Indicator
	c := AmbitionCheck{Name: CheckPeers}
	sign := polaritySign(ind.Polarity)
	if sign == 0 {
		c.Verdict, c.Message = VerdictNotAssessed, "Peers are not compared: neither higher nor lower is better for this indicator."
		return c
	}
	if base == nil {
		c.Verdict, c.Message = VerdictNotAssessed, "Peers are not compared: without a baseline the planned improvement is unknown."
		return c
	}
	var imps []float64
	var span PeerImprovement
	for _, p := range in.PeerImprovements {
		d := sign * p.Change()
		if math.IsNaN(d) || math.IsInf(d, 0) || p.From.IsZero() || p.To.IsZero() {
			continue
		}
		if len(imps) == 0 {
			span = p
		}
		imps = append(imps, d)
	}
	c.PeersCompared = len(imps)
	if len(imps) < MinPeersForAmbition {
		c.Verdict = VerdictNotAssessed
		c.Message = fmt.Sprintf("Peers are not compared: %d %s values over a span as long as the target's, and at least %d are needed.",
			len(imps), plural(len(imps), "peer has", "peers have"), MinPeersForAmbition)
		return c
	}
	planned := sign * (t.Value - base.Value)
	for _, d := range imps {
		if d < planned && !nearly(d, planned) {
			c.PeersBelow++
		}
	}
	c.Percentile = Float(100 * float64(c.PeersBelow) / float64(len(imps)))
	slices.Sort(imps)
	median := imps[len(imps)/2]
	if len(imps)%2 == 0 {
		median = (imps[len(imps)/2-1] + imps[len(imps)/2]) / 2
	}
	months := monthsBetween(span.From, span.To)
	c.Message = fmt.Sprintf("The target plans %s: more ambitious than %d of %d peers' actual improvement over %d %s (%s to %s for %s); the median peer achieved %s.",
		changeWords(planned, ind.Unit), c.PeersBelow, len(imps), months, plural(months, "month", "months"),
		periodWords(span.From), periodWords(span.To), peerName(span), changeWords(median, ind.Unit))
	if planned > imps[len(imps)-1] && !nearly(planned, imps[len(imps)-1]) {
		c.Message += " No peer improved this much over a span this long: check the plan is realistic."
	}
	c.Verdict = VerdictBelow
	if planned >= median || nearly(planned, median) {
		c.Verdict = VerdictMeets
	}
	return c
}

// polaritySign is +1 when higher is better, −1 when lower is, and 0 when
// neither, so that sign × change is positive for an improvement.
func polaritySign(p Polarity) float64 {
	switch p {
	case HigherIsBetter:
		return 1
	case LowerIsBetter:
		return -1
	}
	return 0
}

// goodComparator is the comparator a target on an indicator of polarity p
// should use: at least when higher is better, at most when lower is.
func goodComparator(p Polarity) Comparator {
	if p == LowerIsBetter {
		return AtMost
	}
	return AtLeast
}

func directionWord(p Polarity) string {
	if p == LowerIsBetter {
		return "lower"
	}
	return "higher"
}

// meets is Comparator.Met with room for floating-point error, so a target
// exactly on a floor computed as baseline + 5 counts as meeting it.
func meets(c Comparator, v, standard float64) bool {
	eps := 1e-9 * math.Max(1, math.Abs(standard))
	if c == AtMost {
		return v <= standard+eps
	}
	return v >= standard-eps
}

func nearly(a, b float64) bool {
	return math.Abs(a-b) <= 1e-9*math.Max(1, math.Max(math.Abs(a), math.Abs(b)))
}

func betterWorse(improvement float64) string {
	if improvement < 0 && !nearly(improvement, 0) {
		return "worse"
	}
	return "better"
}

func changeWords(improvement float64, u Unit) string {
	switch {
	case nearly(improvement, 0):
		return "no change"
	case improvement > 0:
		return "an improvement of " + fmtChange(improvement, u)
	}
	return "a deterioration of " + fmtChange(-improvement, u)
}

func peerName(p PeerImprovement) string {
	if p.Name != "" {
		return p.Name
	}
	return p.OrgCode
}

func describeTarget(t Target, ind Indicator) string {
	s := fmt.Sprintf("The target of %s %s", t.Comparator.Label(), fmtValue(t.Value, ind.Unit))
	if !t.Deadline.IsZero() {
		s += " by " + longDate(t.Deadline)
	}
	return s
}

func longDate(d Date) string { return d.Format("2 January 2006") }

// periodWords writes a month as "November 2024", other periods canonically.
func periodWords(p Period) string {
	if p.Kind() == PeriodMonth {
		return p.Start().Format("January 2006")
	}
	return p.String()
}

func monthsBetween(from, to Period) int {
	a, b := from.Start(), to.Start()
	return (b.Year()-a.Year())*12 + int(b.Month()) - int(a.Month())
}

func unitWords(u Unit) string {
	switch u {
	case UnitPercent:
		return "per cent"
	case UnitPoints:
		return "percentage points"
	case UnitPer1000:
		return "a rate per 1,000"
	case UnitPer100k:
		return "a rate per 100,000"
	}
	return string(u)
}

// fmtValue writes a value with its unit, to at most two decimals.
func fmtValue(v float64, u Unit) string { return plainNumber(v) + u.Symbol() }

// fmtChange writes a difference of values: percentage points for a
// percentage, the unit otherwise.
func fmtChange(d float64, u Unit) string {
	if u == UnitPercent {
		if plainNumber(d) == "1" {
			return "1 percentage point"
		}
		return plainNumber(d) + " percentage points"
	}
	return plainNumber(d) + u.Symbol()
}

func fmtSigned(d float64, u Unit) string {
	if d > 0 {
		return "+" + fmtChange(d, u)
	}
	return fmtChange(d, u)
}

// plainNumber rounds to two decimals, drops trailing zeros and groups
// thousands with commas, as NHS publications write numbers.
func plainNumber(v float64) string {
	s := strconv.FormatFloat(math.Round(v*100)/100, 'f', -1, 64)
	if s == "-0" {
		s = "0"
	}
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	whole, frac, hasFrac := strings.Cut(s, ".")
	if len(whole) > 3 {
		var b strings.Builder
		for i, r := range whole {
			if i > 0 && (len(whole)-i)%3 == 0 {
				b.WriteByte(',')
			}
			b.WriteRune(r)
		}
		whole = b.String()
	}
	if hasFrac {
		return sign + whole + "." + frac
	}
	return sign + whole
}
