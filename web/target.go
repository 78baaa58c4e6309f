package web

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/nhs-accord/accord"
)

// Local targets on the web: who may see and change them (this file), the
// JSON API (target_api.go), the pages (target_page.go) and their forms
// (target_form.go). Every write, from the API or a page, starts at
// targetWrite or targetCreate, which ask accord.Authorize and nothing else.

// maxTargetScan bounds the targets one list reads before keeping those the
// viewer may see: forty-two ICBs with a few dozen targets each, over years,
// stays well inside it.
const maxTargetScan = 20_000

// maxMilestones bounds a trajectory: twenty years of months.
const maxMilestones = 240

// targetStatuses are every status, in lifecycle order, with the words and
// NHS.UK tag colour pages show.
var targetStatuses = []struct {
	Status accord.TargetStatus
	Label  string
	Colour string
}{
	{accord.TargetDraft, "Draft", "grey"},
	{accord.TargetConsultation, "In consultation", "blue"},
	{accord.TargetAgreed, "Locally agreed", "aqua-green"},
	{accord.TargetSubmitted, "Submitted for review", "purple"},
	{accord.TargetChallenged, "Challenged", "orange"},
	{accord.TargetApproved, "Approved", "green"},
	{accord.TargetActive, "Active", "green"},
	{accord.TargetAchieved, "Achieved", "green"},
	{accord.TargetMissed, "Missed", "red"},
	{accord.TargetWithdrawn, "Withdrawn", "white"},
}

func targetStatusNames() []string {
	out := make([]string, len(targetStatuses))
	for i, s := range targetStatuses {
		out[i] = string(s.Status)
	}
	return out
}

// statusLabel is a target status in words, and its tag colour.
func statusLabel(st accord.TargetStatus) (label, colour string) {
	for _, s := range targetStatuses {
		if s.Status == st {
			return s.Label, s.Colour
		}
	}
	return sentence(string(st)), "white"
}

func targetPath(id int64) string { return "/targets/" + strconv.FormatInt(id, 10) }

// orgParents walks the organisation map up for accord.Authorize and
// accord.CanView, which take a lookup that cannot fail: it remembers what
// it has read, and the first store error, which the caller checks after.
type orgParents struct {
	ctx   context.Context
	store accord.Store
	known map[string]string
	err   error
}

func (p *orgParents) of(code string) string {
	if parent, ok := p.known[code]; ok || p.err != nil {
		return parent
	}
	o, err := p.store.FindOrganisation(p.ctx, code)
	switch accord.ErrorCode(err) {
	case "":
		p.known[code] = o.ParentCode
	case accord.ENOTFOUND:
		p.known[code] = ""
	default:
		p.err = err
	}
	return p.known[code]
}

// targetAccess is one request's view of access to targets: who is signed
// in, and the organisation map for their grants.
type targetAccess struct {
	user    *accord.User
	parents *orgParents
}

func (s *Server) targetAccess(r *http.Request) *targetAccess {
	return &targetAccess{
		user:    s.currentUser(r),
		parents: &orgParents{ctx: r.Context(), store: s.store, known: map[string]string{}},
	}
}

// canView reports whether the viewer may see t (accord.CanView).
func (a *targetAccess) canView(t accord.Target) (bool, error) {
	ok := accord.CanView(a.user, t, a.parents.of)
	return ok, a.parents.err
}

// authorize asks accord.Authorize whether the viewer may do act to t (for
// a move, to to), returning the Actor to record.
func (a *targetAccess) authorize(act accord.Action, t accord.Target, to accord.TargetStatus) (accord.Actor, error) {
	actor, err := accord.Authorize(a.user, act, t, to, a.parents.of)
	if a.parents.err != nil {
		return accord.Actor{}, a.parents.err
	}
	return actor, err
}

// allowed is authorize for deciding which forms a page offers: a refusal
// is a plain no, and only a store failure is an error.
func (a *targetAccess) allowed(act accord.Action, t accord.Target, to accord.TargetStatus) (bool, error) {
	_, err := a.authorize(act, t, to)
	switch accord.ErrorCode(err) {
	case "":
		return true, nil
	case accord.EUNAUTHORIZED, accord.EFORBIDDEN, accord.EINVALID:
		return false, nil
	}
	return false, err
}

// leads reports whether the viewer is the ICB lead of t's organisation,
// and oversees whether their oversight grant covers it: the two who read
// a target's ambition checks (the ICB while drafting, the reviewer).
func (a *targetAccess) leads(t accord.Target) bool {
	if a.user == nil || a.user.Disabled {
		return false
	}
	return slices.ContainsFunc(a.user.Grants, func(g accord.Grant) bool {
		return g.Role == accord.RoleICBLead && g.OrgCode == t.OrgCode
	})
}

func (a *targetAccess) oversees(t accord.Target) (bool, error) {
	if a.user == nil || a.user.Disabled {
		return false, nil
	}
	for _, g := range a.user.Grants {
		if (g.Role == accord.RoleNationalOversight || g.Role == accord.RoleRegionalOversight) && g.Covers(t.OrgCode, a.parents.of) {
			return true, a.parents.err
		}
	}
	return false, a.parents.err
}

// errNoTarget is what a caller learns of a target that does not exist or
// that they may not see: the same answer, so that drafts do not leak.
func errNoTarget(number string) error {
	return accord.Errorf(accord.ENOTFOUND, "No target has the number %s.", number)
}

// viewTarget finds the target named in the path, as the viewer may see it.
func (s *Server) viewTarget(r *http.Request, a *targetAccess) (accord.Target, error) {
	number := r.PathValue("id")
	id, err := strconv.ParseInt(number, 10, 64)
	if err != nil || id <= 0 {
		return accord.Target{}, errNoTarget(strconv.Quote(number))
	}
	t, err := s.store.FindTarget(r.Context(), id)
	if accord.ErrorCode(err) == accord.ENOTFOUND {
		return accord.Target{}, errNoTarget(number)
	}
	if err != nil {
		return accord.Target{}, err
	}
	ok, err := a.canView(t)
	if err != nil {
		return accord.Target{}, err
	}
	if !ok {
		return accord.Target{}, errNoTarget(number)
	}
	return t, nil
}

// targetCall is a write the caller has been allowed to make.
type targetCall struct {
	access *targetAccess
	target accord.Target
	actor  accord.Actor
}

// targetWrite is the one way into every change to an existing target, from
// the API and the pages alike: the caller must be signed in (else 401,
// before anything is looked up, so nothing is learnt of the target); a
// target they may not see is not found; and accord.Authorize decides
// whether they may do act (for a move, to to).
func (s *Server) targetWrite(r *http.Request, act accord.Action, to accord.TargetStatus) (targetCall, error) {
	if _, err := s.requireUser(r); err != nil {
		return targetCall{}, err
	}
	a := s.targetAccess(r)
	t, err := s.viewTarget(r, a)
	if err != nil {
		return targetCall{}, err
	}
	actor, err := a.authorize(act, t, to)
	if err != nil {
		return targetCall{}, moveProblem(act, err)
	}
	return targetCall{access: a, target: t, actor: actor}, nil
}

// targetCreate is targetWrite for a new target of the organisation orgCode.
func (s *Server) targetCreate(r *http.Request, orgCode string) (targetCall, error) {
	if _, err := s.requireUser(r); err != nil {
		return targetCall{}, err
	}
	a := s.targetAccess(r)
	t := accord.Target{OrgCode: orgCode, Status: accord.TargetDraft}
	actor, err := a.authorize(accord.ActCreateTarget, t, "")
	if err != nil {
		return targetCall{}, err
	}
	return targetCall{access: a, target: t, actor: actor}, nil
}

// moveProblem names the field "to" in a refusal of a move the lifecycle
// does not have at all, so a form or client can point at it.
func moveProblem(act accord.Action, err error) error {
	if act != accord.ActMoveTarget || accord.ErrorCode(err) != accord.EINVALID {
		return err
	}
	var p accord.Problems
	p.Add("to", "%s", accord.ErrorMessage(err))
	return p.Err("The move is not valid")
}

// --- Checks the domain cannot make alone ---

// targetFieldNames maps the domain's and the store's field names to the
// API's and the forms', where they differ.
var targetFieldNames = map[string]string{"priority": "national_priority", "value": "target_value"}

func targetField(f string) string {
	if n, ok := targetFieldNames[f]; ok {
		return n
	}
	return f
}

// renameFields returns err with its field names as the API and forms call
// them.
func renameFields(err error) error {
	e, ok := err.(*accord.Error)
	if !ok || len(e.Fields) == 0 {
		return err
	}
	out := *e
	out.Fields = make([]accord.FieldError, len(e.Fields))
	for i, f := range e.Fields {
		out.Fields[i] = accord.FieldError{Field: targetField(f.Field), Message: f.Message}
	}
	return &out
}

// checkTarget checks t against what is stored, adding to p: its
// organisation and indicator exist, the organisation has published values
// of the indicator (a target nobody can measure cannot be answered for),
// its national priority is measured by its indicator, its deadline is not
// past (for an edit, only a changed deadline), its values are in the
// indicator's unit, its baseline period is of the indicator's frequency,
// and its trajectory is consecutive and in the unit. old is the stored
// target for an edit, nil for a new one. It returns the indicator, zero
// when it is not known.
func (s *Server) checkTarget(ctx context.Context, t accord.Target, old *accord.Target, p *accord.Problems) (accord.Indicator, error) {
	var org accord.Organisation
	if t.OrgCode != "" {
		var err error
		org, err = s.store.FindOrganisation(ctx, t.OrgCode)
		switch accord.ErrorCode(err) {
		case "":
		case accord.ENOTFOUND:
			p.Add("organisation", "No organisation has the code %q.", t.OrgCode)
		default:
			return accord.Indicator{}, err
		}
	}
	var ind accord.Indicator
	if t.IndicatorID != "" {
		var err error
		ind, err = s.store.FindIndicator(ctx, t.IndicatorID)
		switch accord.ErrorCode(err) {
		case "":
		case accord.ENOTFOUND:
			p.Add("indicator", "%q is not in the indicator catalogue.", t.IndicatorID)
		default:
			return accord.Indicator{}, err
		}
	}
	if org.Code != "" && ind.ID != "" && (old == nil || old.IndicatorID != ind.ID) {
		_, n, err := s.store.FindObservations(ctx, accord.ObservationFilter{IndicatorID: ind.ID, OrgCodes: []string{org.Code}, Limit: 1})
		if err != nil {
			return accord.Indicator{}, err
		}
		if n == 0 {
			p.Add("indicator", "No values of %s are held for %s, so progress could not be measured. Choose an indicator with published values for %s.",
				ind.Name, org.Name, org.Code)
		}
	}
	if t.PriorityID != "" {
		pr, err := s.store.FindPriority(ctx, t.PriorityID)
		switch accord.ErrorCode(err) {
		case "":
			if ind.ID != "" && pr.IndicatorID != "" && pr.IndicatorID != ind.ID {
				p.Add("national_priority", "%s is measured by the indicator %s, not %s: choose the priority this indicator measures, or tag a local priority.",
					pr.Name, pr.IndicatorID, ind.ID)
			}
		case accord.ENOTFOUND:
			p.Add("national_priority", "%q is not a national priority on the register.", t.PriorityID)
		default:
			return accord.Indicator{}, err
		}
	}
	today := accord.NewDate(s.now().UTC().Date())
	if !t.Deadline.IsZero() && t.Deadline.Before(today.Time) && (old == nil || !old.Deadline.Equal(t.Deadline.Time)) {
		p.Add("deadline", "The deadline %s is in the past. Choose today or a later date.", formatDate(t.Deadline))
	}
	if ind.ID == "" {
		return ind, nil
	}
	if msg := unitProblem(ind, t.Value); msg != "" {
		p.Add("target_value", "The target value %s", msg)
	}
	if t.BaselineValue != nil {
		if msg := unitProblem(ind, *t.BaselineValue); msg != "" {
			p.Add("baseline_value", "The baseline value %s", msg)
		}
	}
	if !t.BaselinePeriod.IsZero() {
		if !fitsFrequency(t.BaselinePeriod, ind.Frequency) {
			p.Add("baseline_period", "%s is a %s, but %s is published %s: give a baseline period of that kind.",
				t.BaselinePeriod, kindWords(t.BaselinePeriod.Kind()), ind.Name, strings.ToLower(frequencyLabel(ind.Frequency)))
		} else if !t.Deadline.IsZero() && !t.BaselinePeriod.Start().Before(t.Deadline.Time) {
			p.Add("baseline_period", "The baseline period %s does not start before the deadline %s.", t.BaselinePeriod, formatDate(t.Deadline))
		}
	}
	for _, mp := range checkMilestones(ind, t.Trajectory) {
		p.Add("trajectory", "%s", mp.String())
	}
	return ind, nil
}

// unitProblem says what is wrong with v as a value of ind, or "".
func unitProblem(ind accord.Indicator, v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "must be a number."
	}
	lo, hi, ok := unitRange(ind)
	if !ok || (v >= lo && v <= hi) {
		return ""
	}
	if math.IsInf(hi, 1) {
		return fmt.Sprintf("%s cannot be negative: %s is measured in %s.", formatNumber(v), ind.Name, strings.ToLower(unitLabel(ind.Unit)))
	}
	return fmt.Sprintf("%s is outside %s to %s: %s is measured in %s.", formatNumber(v), formatNumber(lo), formatNumber(hi),
		ind.Name, strings.ToLower(unitLabel(ind.Unit)))
}

// unitRange is the range a value in ind's unit can take. A slope index of
// inequality is a difference, so it may be negative whatever its unit.
func unitRange(ind accord.Indicator) (lo, hi float64, ok bool) {
	if ind.Method == accord.MethodSlopeIndex {
		if ind.Unit == accord.UnitPercent || ind.Unit == accord.UnitPoints {
			return -100, 100, true
		}
		return 0, 0, false
	}
	switch ind.Unit {
	case accord.UnitPercent:
		return 0, 100, true
	case accord.UnitPoints:
		return -100, 100, true
	case accord.UnitPer1000:
		return 0, 1000, true
	case accord.UnitPer100k:
		return 0, 100_000, true
	case accord.UnitCount, accord.UnitMinutes, accord.UnitYears, accord.UnitRatio:
		return 0, math.Inf(1), true
	}
	return 0, 0, false
}

// fitsFrequency reports whether p is a period of the kind an indicator
// published at f has: months for monthly, financial quarters for
// quarterly, a financial or calendar year for annual, rolling spans for
// rolling; any kind for irregular.
func fitsFrequency(p accord.Period, f accord.Frequency) bool {
	switch f {
	case accord.Monthly:
		return p.Kind() == accord.PeriodMonth
	case accord.Quarterly:
		return p.Kind() == accord.PeriodQuarter
	case accord.Annual:
		return p.Kind() == accord.PeriodFinancialYear || p.Kind() == accord.PeriodCalendarYear
	case accord.Rolling3:
		return p.Kind() == accord.PeriodRolling
	}
	return true
}

// kindWords names a kind of period in a sentence.
func kindWords(k accord.PeriodKind) string {
	switch k {
	case accord.PeriodMonth:
		return "month"
	case accord.PeriodQuarter:
		return "financial quarter"
	case accord.PeriodFinancialYear:
		return "financial year"
	case accord.PeriodCalendarYear:
		return "calendar year"
	case accord.PeriodRolling:
		return "rolling span of years"
	}
	return "period"
}

// milestoneProblem is one thing wrong with a trajectory: at milestone
// Index (0-based), or with the whole trajectory when Index is -1.
type milestoneProblem struct {
	Index   int
	Period  accord.Period
	Message string
}

func (m milestoneProblem) String() string {
	if m.Index < 0 {
		return m.Message
	}
	return fmt.Sprintf("Milestone %d (%s): %s", m.Index+1, m.Period, m.Message)
}

// checkMilestones checks a trajectory on its own: periods of the
// indicator's frequency, one kind throughout, each the period after the
// one before (no month missing), values in the indicator's unit.
func checkMilestones(ind accord.Indicator, ms []accord.Milestone) []milestoneProblem {
	var out []milestoneProblem
	if len(ms) > maxMilestones {
		return []milestoneProblem{{Index: -1, Message: fmt.Sprintf("A trajectory has at most %d milestones, not %d.", maxMilestones, len(ms))}}
	}
	for i, m := range ms {
		bad := func(format string, args ...any) {
			out = append(out, milestoneProblem{Index: i, Period: m.Period, Message: fmt.Sprintf(format, args...)})
		}
		switch {
		case m.Period.IsZero():
			bad("has no period.")
			continue
		case !fitsFrequency(m.Period, ind.Frequency):
			bad("is a %s, but %s is published %s.", kindWords(m.Period.Kind()), ind.Name, strings.ToLower(frequencyLabel(ind.Frequency)))
		case i > 0 && !ms[i-1].Period.IsZero() && m.Period.Kind() != ms[i-1].Period.Kind():
			bad("is a %s, but milestone %d is a %s: use one kind of period throughout.", kindWords(m.Period.Kind()), i, kindWords(ms[i-1].Period.Kind()))
		case i > 0 && !ms[i-1].Period.IsZero() && m.Period != ms[i-1].Period.Next():
			want := ms[i-1].Period.Next()
			if m.Period.Compare(ms[i-1].Period) <= 0 {
				bad("does not come after %s: give the milestones in order, each period once.", ms[i-1].Period)
			} else {
				bad("follows %s, so %s is missing: give a value for every period, with no gaps.", ms[i-1].Period, want)
			}
		}
		if msg := unitProblem(ind, m.Value); msg != "" {
			bad("the value %s", msg)
		}
	}
	return out
}

// trajectorySpan is the run of periods a trajectory for t should cover:
// from the period after its baseline (or from first, when it has no
// baseline period) to the period that holds its deadline; nil when there
// is nothing to start from.
func trajectorySpan(t accord.Target, first accord.Period) []accord.Period {
	start := first
	if !t.BaselinePeriod.IsZero() {
		start = t.BaselinePeriod.Next()
	}
	if start.IsZero() || t.Deadline.IsZero() {
		return nil
	}
	var out []accord.Period
	for p := start; len(out) <= maxMilestones; p = p.Next() {
		if p.Start().After(t.Deadline.Time) {
			break
		}
		out = append(out, p)
		if !p.End().Before(t.Deadline.Time) {
			break
		}
	}
	return out
}

// spanProblems says where a trajectory does not run from the baseline to
// the deadline. Pages warn of it; the trajectory form refuses it.
func spanProblems(t accord.Target) []string {
	ms := t.Trajectory
	if len(ms) == 0 {
		return nil
	}
	var out []string
	if b := t.BaselinePeriod; !b.IsZero() && ms[0].Period != b.Next() && ms[0].Period != b {
		out = append(out, fmt.Sprintf("The trajectory starts at %s, but the baseline is %s: start it at %s.", ms[0].Period, b, b.Next()))
	}
	span := trajectorySpan(t, ms[0].Period)
	if len(span) > 0 {
		end := span[len(span)-1]
		last := ms[len(ms)-1].Period
		switch c := last.Compare(end); {
		case c < 0:
			out = append(out, fmt.Sprintf("The trajectory stops at %s: continue it to %s, the period of the deadline %s.", last, end, formatDate(t.Deadline)))
		case c > 0:
			out = append(out, fmt.Sprintf("The trajectory runs to %s, past the deadline %s: end it at %s.", last, formatDate(t.Deadline), end))
		}
	}
	return out
}
