package web

import (
	"cmp"
	"fmt"
	"html/template"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/nhs-accord/accord"
	"github.com/nhs-accord/accord/assess"
	"github.com/nhs-accord/accord/charts"
	"github.com/nhs-accord/accord/stats/spc"
	"github.com/nhs-accord/accord/stats/trajectory"
)

// targetsPerPage is how many targets one page of the list shows.
const targetsPerPage = 50

// formProblems are the problems with a form: the error summary, and each
// field's own message beside it. Field is the id of the input.
type formProblems []accord.FieldError

// Of is the message for one field, "" when it has none.
func (e formProblems) Of(field string) string {
	var msgs []string
	for _, f := range e {
		if f.Field == field {
			msgs = append(msgs, f.Message)
		}
	}
	return strings.Join(msgs, " ")
}

// problemsOf turns an EINVALID error into form errors; any other error
// comes back to be answered as a page error.
func formProblemsOf(err error) (formProblems, error) {
	e, ok := err.(*accord.Error)
	if !ok || e.Code != accord.EINVALID {
		return nil, err
	}
	if len(e.Fields) == 0 {
		return formProblems{{Message: e.Message}}, nil
	}
	out := make(formProblems, len(e.Fields))
	for i, f := range e.Fields {
		field, msg := targetField(f.Field), f.Message
		// The domain's messages sit beside a field name ("is required");
		// a form's error summary says which field.
		if label, ok := formLabels[field]; ok && (strings.HasPrefix(msg, "is ") || strings.HasPrefix(msg, "must ")) {
			msg = label + " " + msg
		}
		out[i] = accord.FieldError{Field: field, Message: upperFirst(msg)}
	}
	return out, nil
}

// formLabels name the target form's fields in the error summary.
var formLabels = map[string]string{
	"indicator": "The indicator", "title": "The title", "national_priority": "The national priority",
	"local_tag": "The local priority", "comparator": "At least or at most", "target_value": "The target value",
	"deadline": "The deadline", "baseline_period": "The baseline period", "baseline_value": "The baseline value",
	"local_circumstances": "Local circumstances", "rationale": "The rationale", "floor_justification": "The justification",
	"reason": "The reason", "stance": "Your view", "comment": "Your comment",
}

// sentenceCase starts a message with a capital letter, as the error
// summary shows each as a sentence.
func upperFirst(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// renderStatus is render with a status other than 200: a form shown
// again with its errors.
func (s *Server) renderStatus(w http.ResponseWriter, status int, name string, v view) error {
	v.base().Version = s.version
	v.base().Viewer = viewerOf(authFromWriter(w))
	body, err := s.pages.execute(name, v)
	if err != nil {
		return err
	}
	writeBody(w, status, "text/html; charset=utf-8", body)
	return nil
}

// formChoice is one choice of a select, radios or checkboxes.
type formChoice struct {
	Value, Label, Hint string
	Selected           bool
}

// --- The list ---

type targetRow struct {
	ID                   int64
	Title                string
	OrgName, OrgCode     string
	Indicator            string
	Standard             string // "at least 78% by 31 March 2027"
	Serves               string // the national priority, or the local tag
	Status, StatusColour string
}

type targetsView struct {
	page
	Rows          []targetRow
	Total         int
	Orgs          []formChoice
	Statuses      []formChoice
	Priorities    []formChoice
	Create        []formChoice // organisations the viewer may create targets for
	Prev, Next    string
	From, To      int
	Filtered      bool
	APIURL        string
	SignedIn      bool
	PublicMessage string
}

// targetsPage is GET /targets: the targets the viewer may see, filtered
// by organisation, status and national priority.
func (s *Server) targetsPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	q := readPageQuery(r)
	f, err := s.targetFilter(r, q)
	if err != nil {
		return err
	}
	pageNo := 1
	if v := q.one("page"); v != "" {
		n, ok := wholeNumber(v)
		if !ok || n < 1 {
			q.problems.Add("page", "%q must be a whole number, 1 or more", v)
		} else {
			pageNo = n
		}
	}
	if err := q.problems.Err("The web address is not valid"); err != nil {
		return err
	}
	ts, err := s.visibleTargets(r, f)
	if err != nil {
		return err
	}
	v := targetsView{
		page:     page{Title: "Local targets", Section: "targets", Crumbs: []crumb{{"/", "Home"}}},
		Total:    len(ts),
		Filtered: f != (accord.TargetFilter{}),
		SignedIn: s.currentUser(r) != nil,
	}
	if !v.SignedIn {
		v.PublicMessage = "You are seeing the targets NHS England has approved, and their outcomes. Sign in to see targets being drafted, consulted on or reviewed."
	}
	start := min((pageNo-1)*targetsPerPage, len(ts))
	end := min(start+targetsPerPage, len(ts))
	shown := ts[start:end]
	v.From, v.To = start+1, end
	link := func(n int) string {
		u := url.Values{}
		if f.OrgCode != "" {
			u.Set("organisation", f.OrgCode)
		}
		if f.Status != "" {
			u.Set("status", string(f.Status))
		}
		if f.PriorityID != "" {
			u.Set("priority", f.PriorityID)
		}
		if n > 1 {
			u.Set("page", strconv.Itoa(n))
		}
		if len(u) == 0 {
			return "/targets"
		}
		return "/targets?" + u.Encode()
	}
	if pageNo > 1 && start > 0 {
		v.Prev = link(pageNo - 1)
	}
	if end < len(ts) {
		v.Next = link(pageNo + 1)
	}
	api := url.Values{}
	if f.OrgCode != "" {
		api.Set("organisation", f.OrgCode)
	}
	if f.Status != "" {
		api.Set("status", string(f.Status))
	}
	if f.PriorityID != "" {
		api.Set("priority", f.PriorityID)
	}
	v.APIURL = "/api/v1/targets"
	if len(api) > 0 {
		v.APIURL += "?" + api.Encode()
	}

	icbs, _, err := s.store.FindOrganisations(ctx, accord.OrganisationFilter{Type: accord.OrgICB})
	if err != nil {
		return err
	}
	slices.SortFunc(icbs, byName)
	orgNames := map[string]string{}
	for _, o := range icbs {
		orgNames[o.Code] = o.Name
		v.Orgs = append(v.Orgs, formChoice{Value: o.Code, Label: o.Name, Selected: o.Code == f.OrgCode})
	}
	for _, st := range targetStatuses {
		v.Statuses = append(v.Statuses, formChoice{Value: string(st.Status), Label: st.Label, Selected: st.Status == f.Status})
	}
	ps, err := s.allPriorities(ctx, accord.PriorityFilter{})
	if err != nil {
		return err
	}
	priorities := map[string]accord.Priority{}
	for _, p := range ps {
		priorities[p.ID] = p
		v.Priorities = append(v.Priorities, formChoice{Value: p.ID, Label: p.Name, Selected: p.ID == f.PriorityID})
	}
	inds, _, err := s.store.FindIndicators(ctx, accord.IndicatorFilter{})
	if err != nil {
		return err
	}
	indicators := map[string]accord.Indicator{}
	for _, ind := range inds {
		indicators[ind.ID] = ind
	}
	for _, t := range shown {
		ind := indicators[t.IndicatorID]
		row := targetRow{ID: t.ID, Title: t.Title, OrgCode: t.OrgCode, OrgName: cmp.Or(orgNames[t.OrgCode], t.OrgCode),
			Indicator: cmp.Or(ind.Name, t.IndicatorID), Standard: targetAim(t, ind.Unit)}
		if p, ok := priorities[t.PriorityID]; ok {
			row.Serves = p.Name
		} else if t.LocalTag != "" {
			row.Serves = "Local priority: " + string(t.LocalTag)
		}
		row.Status, row.StatusColour = statusLabel(t.Status)
		v.Rows = append(v.Rows, row)
	}
	if u := s.currentUser(r); u != nil {
		a := s.targetAccess(r)
		for _, g := range u.Grants {
			if g.Role != accord.RoleICBLead || slices.ContainsFunc(v.Create, func(o formChoice) bool { return o.Value == g.OrgCode }) {
				continue
			}
			ok, err := a.allowed(accord.ActCreateTarget, accord.Target{OrgCode: g.OrgCode, Status: accord.TargetDraft}, "")
			if err != nil {
				return err
			}
			if ok {
				v.Create = append(v.Create, formChoice{Value: g.OrgCode, Label: cmp.Or(orgNames[g.OrgCode], g.OrgCode)})
			}
		}
	}
	return s.render(w, "targets", &v)
}

// targetWords is a target's value and deadline in words: "at least 78% by
// 31 March 2027".
func targetAim(t accord.Target, u accord.Unit) string {
	return t.Comparator.Label() + " " + formatValue(t.Value, u) + " by " + formatDate(t.Deadline)
}

// --- One target ---

type ambitionRow struct {
	Name, Verdict, Colour, Message string
}

type ambitionView struct {
	Summary            string
	Checks             []ambitionRow
	NeedsJustification bool
	Justification      string
}

type planRow struct {
	Period, Planned, Actual, Met string
}

// planView is the plan-against-actual section.
type planView struct {
	SVG                  template.HTML
	Status, StatusColour string
	StatusDetail         string
	Milestone            string // the latest milestone against what happened
	Assurance            string // SPC assurance against the target value
	AssuranceDetail      string
	Variation            string
	Rows                 []planRow
	CSVURL               string
}

type versionRow struct {
	Version int
	Made    string
	Changes []fieldChange
	Current bool
}

type eventRow struct {
	Version              int
	When, Who, Role      string
	From, To             string
	FromColour, ToColour string
	Reason               string
}

type groupRow struct {
	Group                               string
	Support, WithChanges, Oppose, Total int
}

type responseRow struct {
	ID                        int64
	Who, Org, Stance, Colour  string
	Comment, At               string
	Unanswered, AsksForChange bool
}

type themeRow struct {
	YouSaid, WeDid string
	Changed        bool
	Answers        []string
}

type consultationView struct {
	Version                int
	Question, Opened, Ends string
	Open                   bool
	Groups                 []groupRow
	Responses              []responseRow
	Themes                 []themeRow
}

// moveOption is one move the viewer may make, as a button.
type moveOption struct {
	To, Label   string
	NeedsReason bool
	Style       string // the NHS.UK button modifier: "" for the first, then secondary; warning to withdraw
}

// targetForms is what the viewer typed into the forms of the target page,
// shown again with errors.
type targetForms struct {
	Errors      formProblems
	MoveReason  string
	Stance      string
	Comment     string
	YouSaid     string
	WeDid       string
	Changed     string // "yes", "no" or ""
	ResponseIDs []int64
}

type respondForm struct {
	Stances []formChoice
	Comment string
	Already bool // the viewer has responded before; sending again replaces it
}

type themeForm struct {
	YouSaid, WeDid, Changed string
	Responses               []formChoice
}

type targetView struct {
	page
	targetForms
	T                    accord.Target
	Org                  accord.Organisation
	OrgPage              string
	Ind                  accord.Indicator
	Priority             *priorityRow
	Status, StatusColour string
	Standard             string
	LocalTag             string
	Baseline             string
	UpdatedAt            string
	SubmittedAt          string
	ApprovedAt           string
	Done                 string
	Ambition             *ambitionView
	Plan                 *planView
	Trajectory           []planRow
	TrajectoryWarnings   []string
	Versions             []versionRow
	History              []eventRow
	Consultations        []consultationView
	EditURL              string
	TrajectoryURL        string
	Moves                []moveOption
	ReasonNeededFor      string // the moves that need a reason, in words
	Respond              *respondForm
	Theme                *themeForm
	APIURL               string
	SeriesURL            string
}

// doneMessages are the success banners, keyed by the done parameter the
// forms redirect with, so that no text from the address reaches the page.
var doneMessages = map[string]string{
	"created":    "The target was saved as a draft.",
	"updated":    "Your changes were saved as a new version.",
	"trajectory": "The trajectory was saved.",
	"responded":  "Your response was recorded. You can change it until the consultation closes.",
	"theme":      "Your answer was published with the consultation.",
}

// targetPage is GET /targets/{id}: everything about one target, and the
// forms the viewer may use. ?format=csv downloads the plan-against-actual
// data. A target the viewer may not see is not found.
func (s *Server) targetPage(w http.ResponseWriter, r *http.Request) error {
	a := s.targetAccess(r)
	t, err := s.viewTarget(r, a)
	if err != nil {
		return err
	}
	q := readPageQuery(r)
	if q.oneOf("format", []string{"csv", "html"}) == "csv" {
		if err := q.problems.Err("The web address is not valid"); err != nil {
			return err
		}
		return s.writeTargetCSV(w, r, t)
	}
	v, err := s.targetView(r, a, t, targetForms{})
	if err != nil {
		return err
	}
	switch done := q.one("done"); done {
	case "":
	case "moved":
		label, _ := statusLabel(t.Status)
		v.Done = "The target is now " + strings.ToLower(label) + "."
	default:
		v.Done = doneMessages[done]
	}
	return s.render(w, "target", v)
}

// targetView gathers the target page for viewer a.
func (s *Server) targetView(r *http.Request, a *targetAccess, t accord.Target, forms targetForms) (*targetView, error) {
	ctx := r.Context()
	rec, err := s.loadTarget(r, a, t)
	if err != nil {
		return nil, err
	}
	org, err := s.store.FindOrganisation(ctx, t.OrgCode)
	if err != nil {
		return nil, err
	}
	ind, err := s.store.FindIndicator(ctx, t.IndicatorID)
	if err != nil {
		return nil, err
	}
	crumbs, err := s.orgCrumbs(ctx, org)
	if err != nil {
		return nil, err
	}
	crumbs = append(crumbs[:1], append([]crumb{{"/targets", "Local targets"}}, crumbs[1:]...)...)
	v := &targetView{
		page:        page{Title: t.Title, Section: "targets", Crumbs: crumbs},
		targetForms: forms,
		T:           t, Org: org, Ind: ind,
		Standard:           targetAim(t, ind.Unit),
		TrajectoryWarnings: spanProblems(t),
		APIURL:             fmt.Sprintf("/api/v1/targets/%d", t.ID),
		SeriesURL:          seriesPath(org.Code, ind.ID),
	}
	if path, ok := orgPagePaths[org.Type]; ok {
		v.OrgPage = path + org.Code
	}
	v.Status, v.StatusColour = statusLabel(t.Status)
	v.UpdatedAt = formatTime(t.UpdatedAt)
	if t.SubmittedAt != nil {
		v.SubmittedAt = formatTime(*t.SubmittedAt)
	}
	if t.ApprovedAt != nil {
		v.ApprovedAt = formatTime(*t.ApprovedAt)
	}
	if t.LocalTag != "" {
		v.LocalTag = sentence(string(t.LocalTag))
	}
	switch {
	case t.BaselineValue != nil && !t.BaselinePeriod.IsZero():
		v.Baseline = formatValue(*t.BaselineValue, ind.Unit) + " in " + periodWords(t.BaselinePeriod)
	case !t.BaselinePeriod.IsZero():
		v.Baseline = periodWords(t.BaselinePeriod)
	}
	if t.PriorityID != "" {
		p, err := s.store.FindPriority(ctx, t.PriorityID)
		switch accord.ErrorCode(err) {
		case "":
			row := priorityRowOf(p)
			v.Priority = &row
		case accord.ENOTFOUND:
		default:
			return nil, err
		}
	}
	if amb := rec.ambition; amb != nil {
		av := &ambitionView{Summary: amb.Summary(), NeedsJustification: amb.NeedsJustification, Justification: t.FloorJustification}
		for _, c := range amb.Checks {
			row := ambitionRow{Name: checkNames[c.Name], Message: c.Message}
			if row.Name == "" {
				row.Name = sentence(c.Name)
			}
			switch c.Verdict {
			case accord.VerdictMeets:
				row.Verdict, row.Colour = "Meets", "green"
			case accord.VerdictBelow:
				row.Verdict, row.Colour = "Below", "red"
			default:
				row.Verdict, row.Colour = "Not assessed", "grey"
			}
			av.Checks = append(av.Checks, row)
		}
		v.Ambition = av
	}
	if v.Plan, err = s.planOf(r, t, org, ind); err != nil {
		return nil, err
	}
	for _, m := range t.Trajectory {
		v.Trajectory = append(v.Trajectory, planRow{Period: periodWords(m.Period), Planned: formatValue(m.Value, ind.Unit)})
	}

	for i, ver := range rec.versions {
		row := versionRow{Version: ver.Version, Made: formatTime(ver.UpdatedAt), Current: i == len(rec.versions)-1}
		if i > 0 {
			row.Changes = versionChanges(rec.versions[i-1], ver)
		}
		v.Versions = append(v.Versions, row)
	}
	slices.Reverse(v.Versions)
	for _, e := range rec.history {
		row := eventRow{Version: e.Version, When: formatTime(e.At), Who: cmp.Or(e.ActorName, "Not recorded"), Role: e.Role.Label(), Reason: e.Reason}
		row.From, row.FromColour = statusLabel(e.From)
		row.To, row.ToColour = statusLabel(e.To)
		v.History = append(v.History, row)
	}
	slices.Reverse(v.History)
	signedIn := a.user != nil
	for _, c := range rec.consultations {
		v.Consultations = append(v.Consultations, consultationOf(c, signedIn))
	}
	slices.Reverse(v.Consultations)

	// The forms, each only for those accord.Authorize allows.
	if ok, err := a.allowed(accord.ActEditTarget, t, ""); err != nil {
		return nil, err
	} else if ok {
		v.EditURL = targetPath(t.ID) + "/edit"
		v.TrajectoryURL = targetPath(t.ID) + "/trajectory"
	}
	var needReason []string
	for _, to := range s.allowedMoves(a, t) {
		mv := moveOption{To: string(to), Label: moveLabels[to]}
		switch {
		case to == accord.TargetWithdrawn:
			mv.Style = "warning"
		case len(v.Moves) > 0:
			mv.Style = "secondary"
		}
		for _, tr := range accord.Transitions() {
			if tr.From == t.Status && tr.To == to && tr.NeedsReason {
				mv.NeedsReason = true
				needReason = append(needReason, strings.ToLower(mv.Label))
			}
		}
		v.Moves = append(v.Moves, mv)
	}
	if err := a.parents.err; err != nil {
		return nil, err
	}
	if len(needReason) > 0 {
		v.ReasonNeededFor = "Give a reason to " + strings.Join(needReason, " or ") + "."
	}
	var open *accord.Consultation
	for i := range rec.consultations {
		if rec.consultations[i].Open() {
			open = &rec.consultations[i]
		}
	}
	if ok, err := a.allowed(accord.ActRespond, t, ""); err != nil {
		return nil, err
	} else if ok && open != nil {
		rf := &respondForm{Comment: forms.Comment}
		stance := forms.Stance
		for _, resp := range open.Responses {
			if resp.UserID == a.user.ID {
				rf.Already = true
				if forms.Errors == nil {
					stance, rf.Comment = string(resp.Stance), resp.Comment
				}
			}
		}
		for _, st := range accord.Stances {
			rf.Stances = append(rf.Stances, formChoice{Value: string(st), Label: st.Label(), Selected: string(st) == stance})
		}
		v.Respond = rf
	}
	if ok, err := a.allowed(accord.ActAnswerTheme, t, ""); err != nil {
		return nil, err
	} else if ok && open != nil && len(open.Responses) > 0 {
		tf := &themeForm{YouSaid: forms.YouSaid, WeDid: forms.WeDid, Changed: forms.Changed}
		unanswered := map[int64]bool{}
		for _, u := range open.Unanswered() {
			unanswered[u.ID] = true
		}
		for _, resp := range open.Responses {
			o := formChoice{Value: strconv.FormatInt(resp.ID, 10), Label: responseLabel(resp, true), Selected: slices.Contains(forms.ResponseIDs, resp.ID)}
			if unanswered[resp.ID] {
				o.Hint = "Not yet answered by a theme"
			}
			tf.Responses = append(tf.Responses, o)
		}
		v.Theme = tf
	}
	return v, nil
}

// allowedMoves are the statuses the viewer may move t to: the lifecycle's
// next statuses for each role they hold, kept where accord.Authorize
// allows the move.
func (s *Server) allowedMoves(a *targetAccess, t accord.Target) []accord.TargetStatus {
	if a.user == nil {
		return nil
	}
	var out []accord.TargetStatus
	for _, g := range a.user.Grants {
		for _, to := range accord.NextStatuses(t.Status, g.Role) {
			if slices.Contains(out, to) {
				continue
			}
			if ok, _ := a.allowed(accord.ActMoveTarget, t, to); ok {
				out = append(out, to)
			}
		}
	}
	// Lifecycle order, whatever order the grants came in.
	order := targetStatusNames()
	slices.SortFunc(out, func(x, y accord.TargetStatus) int {
		return cmp.Compare(slices.Index(order, string(x)), slices.Index(order, string(y)))
	})
	return out
}

// moveLabels are the buttons that move a target to each status.
var moveLabels = map[accord.TargetStatus]string{
	accord.TargetConsultation: "Open consultation",
	accord.TargetAgreed:       "Agree locally",
	accord.TargetSubmitted:    "Submit to NHS England",
	accord.TargetApproved:     "Approve",
	accord.TargetChallenged:   "Challenge",
	accord.TargetDraft:        "Revise as a new draft",
	accord.TargetActive:       "Make active",
	accord.TargetAchieved:     "Record as achieved",
	accord.TargetMissed:       "Record as missed",
	accord.TargetWithdrawn:    "Withdraw",
}

// checkNames are the ambition checks in words.
var checkNames = map[string]string{
	accord.CheckNationalStandard:   "National standard",
	accord.CheckMinimumImprovement: "Minimum improvement",
	accord.CheckOwnBaseline:        "Improvement on own baseline",
	accord.CheckPeers:              "Compared with peer ICBs",
}

// groupNames name the consultee groups in a summary.
var groupNames = map[accord.Role]string{
	accord.RoleWorkforceRep:       "Workforce",
	accord.RolePatientRep:         "Patients and the public",
	accord.RolePartnerContributor: "Partners",
}

// responseLabel says who responded: by name to those signed in, by role
// and organisation only to the public.
func responseLabel(resp accord.ConsultationResponse, named bool) string {
	who := resp.Role.Label() + ", " + resp.OrgCode
	if named && resp.Name != "" {
		who = resp.Name + " (" + who + ")"
	}
	return who + ": " + resp.Stance.Label()
}

func consultationOf(c accord.Consultation, named bool) consultationView {
	cv := consultationView{Version: c.TargetVersion, Question: c.Question, Opened: formatTime(c.OpenedAt), Open: c.Open()}
	if c.ClosedAt != nil {
		cv.Ends = formatTime(*c.ClosedAt)
	}
	for _, g := range c.Summary() {
		cv.Groups = append(cv.Groups, groupRow{Group: cmp.Or(groupNames[g.Role], g.Role.Label()), Support: g.Support,
			WithChanges: g.SupportWithChanges, Oppose: g.Oppose, Total: g.Total})
	}
	unanswered := map[int64]bool{}
	for _, u := range c.Unanswered() {
		unanswered[u.ID] = true
	}
	byID := map[int64]accord.ConsultationResponse{}
	for _, resp := range c.Responses {
		byID[resp.ID] = resp
		who := resp.Role.Label()
		if named && resp.Name != "" {
			who = resp.Name + ", " + who
		}
		row := responseRow{ID: resp.ID, Who: who, Org: resp.OrgCode, Stance: resp.Stance.Label(), Comment: resp.Comment,
			At: formatTime(resp.At), Unanswered: unanswered[resp.ID], AsksForChange: resp.Stance != accord.StanceSupport}
		switch resp.Stance {
		case accord.StanceSupport:
			row.Colour = "green"
		case accord.StanceSupportWithChanges:
			row.Colour = "yellow"
		default:
			row.Colour = "red"
		}
		cv.Responses = append(cv.Responses, row)
	}
	for _, th := range c.Themes {
		tr := themeRow{YouSaid: th.YouSaid, WeDid: th.WeDid, Changed: th.Changed}
		for _, id := range th.ResponseIDs {
			if resp, ok := byID[id]; ok {
				tr.Answers = append(tr.Answers, responseLabel(resp, named))
			}
		}
		cv.Themes = append(cv.Themes, tr)
	}
	return cv
}

// --- Plan against actual ---

// targetSeries is the organisation's whole-population values of the
// target's indicator, of the kind of period its plan is in, oldest first.
func (s *Server) targetSeries(r *http.Request, t accord.Target) ([]accord.Observation, error) {
	obs, _, err := s.store.FindObservations(r.Context(), accord.ObservationFilter{IndicatorID: t.IndicatorID,
		OrgCodes: []string{t.OrgCode}, Limit: maxSeriesRows})
	if err != nil {
		return nil, err
	}
	var kind accord.PeriodKind
	switch {
	case len(t.Trajectory) > 0:
		kind = t.Trajectory[0].Period.Kind()
	case !t.BaselinePeriod.IsZero():
		kind = t.BaselinePeriod.Kind()
	default:
		// Months where there are any, as they show progress soonest.
		for _, o := range obs {
			if kind == "" || o.Period.Kind() == accord.PeriodMonth {
				kind = o.Period.Kind()
			}
		}
	}
	out := obs[:0]
	for _, o := range obs {
		if o.Period.Kind() == kind {
			out = append(out, o)
		}
	}
	slices.SortFunc(out, func(a, b accord.Observation) int { return a.Period.Compare(b.Period) })
	return out, nil
}

// planPoint is one period of the plan-against-actual chart.
type planPoint struct {
	period          accord.Period
	planned, actual float64 // NaN: none
}

// planContext is how many periods of history before the plan starts the
// chart shows, so a plan can be read against where the series came from.
const planContext = 24

// planPoints lines the plan up with the actual values: every milestone,
// and every actual value from planContext periods before the baseline (or
// the first milestone; or, with neither, the latest planContext values).
func planPoints(t accord.Target, obs []accord.Observation) []planPoint {
	var cutoff time.Time
	anchor := t.BaselinePeriod
	if anchor.IsZero() && len(t.Trajectory) > 0 {
		anchor = t.Trajectory[0].Period
	}
	switch {
	case !anchor.IsZero():
		step := anchor.Months()
		if anchor.Kind() == accord.PeriodRolling {
			step = 12 // rolling spans move on a year at a time
		}
		cutoff = anchor.Start().AddDate(0, -planContext*step, 0)
	case len(obs) > planContext:
		cutoff = obs[len(obs)-planContext].Period.Start()
	}
	at := map[accord.Period]*planPoint{}
	var out []*planPoint
	get := func(p accord.Period) *planPoint {
		if pt, ok := at[p]; ok {
			return pt
		}
		pt := &planPoint{period: p, planned: math.NaN(), actual: math.NaN()}
		at[p] = pt
		out = append(out, pt)
		return pt
	}
	for _, m := range t.Trajectory {
		get(m.Period).planned = m.Value
	}
	for _, o := range obs {
		if !o.Period.Start().Before(cutoff) {
			get(o.Period).actual = o.Value
		}
	}
	slices.SortFunc(out, func(a, b *planPoint) int { return a.period.Compare(b.period) })
	pts := make([]planPoint, len(out))
	for i, p := range out {
		pts[i] = *p
	}
	return pts
}

// planOf draws the plan against what happened, with the trajectory
// verdict (on track, at risk, off track) and the SPC assurance of the
// series against the target value; nil when there is neither a plan nor
// a value to show.
func (s *Server) planOf(r *http.Request, t accord.Target, org accord.Organisation, ind accord.Indicator) (*planView, error) {
	obs, err := s.targetSeries(r, t)
	if err != nil {
		return nil, err
	}
	pts := planPoints(t, obs)
	if len(pts) == 0 {
		return nil, nil
	}
	format := func(v float64) string { return formatValue(v, ind.Unit) }
	pv := &planView{CSVURL: targetPath(t.ID) + "?format=csv"}
	labels := make([]string, len(pts))
	planned, actual := make([]float64, len(pts)), make([]float64, len(pts))
	for i, p := range pts {
		labels[i], planned[i], actual[i] = axisLabel(p.period), p.planned, p.actual
		row := planRow{Period: periodWords(p.period), Planned: "No milestone", Actual: "Not yet published"}
		if !math.IsNaN(p.planned) {
			row.Planned = format(p.planned)
		}
		if !math.IsNaN(p.actual) {
			row.Actual = format(p.actual)
		}
		if !math.IsNaN(p.planned) && !math.IsNaN(p.actual) {
			row.Met = "No"
			if t.Comparator.Met(p.actual, p.planned) {
				row.Met = "Yes"
			}
		}
		pv.Rows = append(pv.Rows, row)
	}
	target := t.Value
	pv.SVG = template.HTML(charts.Trajectory(charts.TrajectoryChart{
		ID: "trajectory-chart", Title: t.Title + " for " + org.Name + ": planned trajectory against actual values",
		Periods: labels, Planned: planned, Actual: actual, Target: &target,
		TargetLabel: "Target: " + t.Comparator.Label() + " " + format(t.Value) + " by " + formatDate(t.Deadline),
		YLabel:      unitLabel(ind.Unit), Format: format,
	}))

	series := make([]trajectory.Observation, len(obs))
	for i, o := range obs {
		series[i] = trajectory.Observation{Period: o.Period, Value: o.Value}
	}
	pv.Status, pv.StatusColour, pv.StatusDetail = "Not assessed", "grey", "No values of the indicator are published for this organisation yet."
	if len(obs) > 0 {
		opts := trajectory.DefaultOptions(obs[0].Period.Kind())
		res, err := trajectory.Assess(series, trajectory.Target{Comparator: t.Comparator, Value: t.Value, Deadline: t.Deadline}, t.Trajectory, opts)
		if err != nil {
			// Stored values are finite and of one kind, so this is a bug;
			// the page still shows the plan and the values.
			s.log.ErrorContext(r.Context(), "trajectory verdict left out", "target", t.ID, "err", err)
		} else {
			pv.Status, pv.StatusColour, pv.StatusDetail = verdictWords(res, opts, t, format)
			if l := res.Latest; l != nil {
				met := "met"
				if !l.Met {
					met = "missed"
				}
				pv.Milestone = fmt.Sprintf("The latest milestone, %s, was %s: %s against a planned %s.", periodWords(l.Period), met, format(l.Observed), format(l.Planned))
			}
		}
	}

	// SPC: the assurance is against the local target, not the national
	// standard, since that is what the ICB answers for here.
	if run, _ := recentRun(obs, minSPCPoints); run != nil {
		values := make([]float64, len(run))
		for i, o := range run {
			values[i] = o.Value
		}
		res, err := spc.Compute(values, spc.Options{ImprovementDirection: assess.Direction(ind.Polarity), Target: &target})
		if err == nil {
			pv.Variation = charts.VariationText(res.VariationIcon)
			pv.Assurance = charts.AssuranceText(res.AssuranceIcon)
			pv.AssuranceDetail = assuranceDetail(res.AssuranceIcon)
			if pv.AssuranceDetail == "" {
				pv.AssuranceDetail = "Neither higher nor lower is better for this indicator, so there is no assurance against the target."
			}
			pv.AssuranceDetail += fmt.Sprintf(" From the latest %d consecutive values, %s to %s.", len(run), periodWords(run[0].Period), periodWords(run[len(run)-1].Period))
		}
	}
	if pv.Assurance == "" {
		pv.AssuranceDetail = fmt.Sprintf("There are not yet %d consecutive published values, so there is no statistical process control assurance.", minSPCPoints)
	}
	return pv, nil
}

// verdictWords is the trajectory verdict as a tag and a sentence.
func verdictWords(res trajectory.Assessment, opts trajectory.Options, t accord.Target, format func(float64) string) (label, colour, detail string) {
	if f := res.Forecast; f != nil {
		detail = fmt.Sprintf("The trend of the latest %d values forecasts %s for %s (%.0f%% prediction interval %s to %s): a %.0f%% chance of meeting the target.",
			f.Points, format(f.Value), periodWords(f.Period), f.Level*100, format(f.Lower), format(f.Upper), f.Probability*100)
	}
	switch res.Status {
	case trajectory.OnTrack:
		return "On track", "green", detail
	case trajectory.AtRisk:
		return "At risk", "yellow", detail
	case trajectory.OffTrack:
		return "Off track", "red", detail
	case trajectory.Achieved, trajectory.Missed:
		label, colour = "Achieved", "green"
		if res.Status == trajectory.Missed {
			label, colour = "Missed", "red"
		}
		if o := res.Outcome; o != nil {
			detail = fmt.Sprintf("The value for %s, the period of the deadline, was %s against a target of %s %s.", periodWords(o.Period), format(o.Value),
				t.Comparator.Label(), format(t.Value))
		}
		return label, colour, detail
	}
	return "Not enough data", "grey", fmt.Sprintf("A forecast needs at least %d published values; there are fewer.", opts.MinPoints)
}

// writeTargetCSV downloads the plan-against-actual data, in full precision.
func (s *Server) writeTargetCSV(w http.ResponseWriter, r *http.Request, t accord.Target) error {
	obs, err := s.targetSeries(r, t)
	if err != nil {
		return err
	}
	var rows [][]string
	for _, p := range planPoints(t, obs) {
		met := ""
		if !math.IsNaN(p.planned) && !math.IsNaN(p.actual) {
			met = strconv.FormatBool(t.Comparator.Met(p.actual, p.planned))
		}
		rows = append(rows, []string{strconv.FormatInt(t.ID, 10), t.OrgCode, t.IndicatorID, p.period.String(),
			csvFloat(p.planned), csvFloat(p.actual), met, string(t.Comparator), formatCSVNumber(t.Value), t.Deadline.String()})
	}
	return writeCSV(w, fmt.Sprintf("target-%d-trajectory.csv", t.ID), []string{
		"target_id", "organisation_code", "indicator_id", "period", "planned", "actual", "met_plan", "comparator", "target_value", "deadline",
	}, rows)
}
