package web

import (
	"cmp"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/nhs-accord/accord"
	"github.com/nhs-accord/accord/review"
)

// --- The programme ---

type reviewRow struct {
	ID                 int64
	OrgCode, OrgName   string
	RegionName         string
	State, StateColour string
	Stage, StageDue    string // the current stage, "" once all are done
	OnSite             string
	Overdue            []string // "Team formation, due 1 March 2026"
	FocusAreas         []string
}

type reviewsView struct {
	page
	Rows          []reviewRow
	Total         int
	Filtered      bool
	Orgs          []formChoice
	States        []formChoice
	Stages        []formChoice
	Prev, Next    string
	From, To      int
	APIURL        string
	AsAt          string
	Request       []formChoice // ICBs the viewer may ask a review of
	PublicMessage string
}

// peerReviewsPage is GET /peer-reviews: the programme of reviews the
// viewer may see, filtered by organisation, state and current stage, each
// with its overdue stages flagged.
func (s *Server) peerReviewsPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	q := readPageQuery(r)
	f, err := s.reviewFilter(r, q)
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
	f.Offset, f.Limit = (pageNo-1)*reviewsPerPage, reviewsPerPage
	rs, total, err := s.visibleReviews(r, f)
	if err != nil {
		return err
	}
	orgs, err := s.loadViewOrgs(ctx)
	if err != nil {
		return err
	}
	today := s.viewToday()
	v := reviewsView{
		page:     page{Title: "Peer reviews", Section: "peer-reviews", Crumbs: []crumb{{"/", "Home"}}},
		Total:    total,
		Filtered: f.OrgCode != "" || f.State != "" || f.Stage != "",
		AsAt:     formatDate(today),
	}
	u := s.currentUser(r)
	if u == nil {
		v.PublicMessage = "You are seeing the reviews whose reports are published. Sign in to see reviews of your own system, or those you review or oversee, before then."
	}
	for _, pr := range rs {
		row := reviewRow{ID: pr.ID, OrgCode: pr.OrgCode, OrgName: orgs.name(pr.OrgCode), RegionName: orgs.name(pr.RegionCode),
			OnSite: onSiteWords(pr.OnSiteStart, pr.OnSiteEnd)}
		row.State, row.StateColour = reviewStateLabel(pr.State())
		if cur, ok := pr.CurrentStage(); ok {
			row.Stage, row.StageDue = cur.Name.Label(), formatDate(cur.Due)
		}
		for _, st := range pr.Overdue(today) {
			row.Overdue = append(row.Overdue, st.Name.Label()+", due "+formatDate(st.Due))
		}
		for _, fa := range pr.FocusAreas {
			row.FocusAreas = append(row.FocusAreas, fa.Title)
		}
		v.Rows = append(v.Rows, row)
	}
	v.From, v.To = f.Offset+1, f.Offset+len(rs)
	link := func(n int) string {
		u := url.Values{}
		if f.OrgCode != "" {
			u.Set("organisation", f.OrgCode)
		}
		if f.State != "" {
			u.Set("state", string(f.State))
		}
		if f.Stage != "" {
			u.Set("stage", string(f.Stage))
		}
		api := "/api/v1/peer-reviews"
		if len(u) > 0 {
			api += "?" + u.Encode()
		}
		v.APIURL = api
		if n > 1 {
			u.Set("page", strconv.Itoa(n))
		}
		if len(u) == 0 {
			return "/peer-reviews"
		}
		return "/peer-reviews?" + u.Encode()
	}
	link(1)
	if pageNo > 1 {
		v.Prev = link(pageNo - 1)
	}
	if f.Offset+len(rs) < total {
		v.Next = link(pageNo + 1)
	}
	var icbs []accord.Organisation
	for _, o := range orgs {
		if o.Type == accord.OrgICB {
			icbs = append(icbs, o)
		}
	}
	slices.SortFunc(icbs, byName)
	for _, o := range icbs {
		v.Orgs = append(v.Orgs, formChoice{Value: o.Code, Label: o.Name, Selected: o.Code == f.OrgCode})
	}
	for _, st := range accord.PeerReviewStates {
		label, _ := reviewStateLabel(st)
		v.States = append(v.States, formChoice{Value: string(st), Label: label, Selected: st == f.State})
	}
	for _, n := range accord.StageNames {
		v.Stages = append(v.Stages, formChoice{Value: string(n), Label: n.Label(), Selected: n == f.Stage})
	}
	if u != nil {
		a := s.reviewAccess(r)
		for _, g := range u.Grants {
			if g.Role != accord.RoleICBLead || slices.ContainsFunc(v.Request, func(c formChoice) bool { return c.Value == g.OrgCode }) {
				continue
			}
			if orgs[g.OrgCode].Type != accord.OrgICB {
				continue
			}
			ok, err := a.allowed(accord.ActRequestReview, accord.PeerReview{OrgCode: g.OrgCode})
			if err != nil {
				return err
			}
			if ok {
				v.Request = append(v.Request, formChoice{Value: g.OrgCode, Label: orgs.name(g.OrgCode)})
			}
		}
	}
	return s.render(w, "peerreviews", &v)
}

// --- One review ---

type stageView struct {
	N                  int
	Name, Label        string
	Owner              string
	Due, Started, Done string
	State, StateColour string
	Overdue            bool
	Start, Finish      bool // the move buttons the viewer may press
	FinishHint         string
}

type reviewLink struct{ ID, Name, URL string }

type focusAreaView struct {
	ID         int64
	Title      string
	Indicators []reviewLink
}

type conflictView struct {
	ID                         int64
	Kind, Declared             string
	Decision, DecisionColour   string
	Note, DecidedBy, DecidedAt string
	Undecided                  bool
}

type memberView struct {
	ID                  int64
	Name, Role, HomeOrg string
	ChosenFor, Why      string
	Account             string // the member's Accord account, for those who see it
	Conflicts           []conflictView
	Excluded            bool
	AddedBy, AddedAt    string
}

type suggestionView struct {
	Code, Name, Region string
	Score              int
	Reasons, Conflicts []string
	UseURL             string
	OnTeam             bool
}

type findingEvidenceView struct {
	Text, URL string
}

type findingResponseView struct {
	Text, By, At string
}

type findingView struct {
	ID                   int64
	Under                string // the core theme or focus area
	Rating, RatingColour string
	Text, Recommendation string
	Evidence             []findingEvidenceView
	Responses            []findingResponseView
	By                   string
	EditURL              string
	Respond              bool
}

type actionNoteView struct {
	Text, Status, StatusColour, By, At string
}

type sinceRow struct {
	Period, Value string
	AtReview      bool
}

// sinceView is one indicator's values for the reviewed system from the
// last before the peers left to the latest, so the progress review can see
// whether what the action should move has moved.
type sinceView struct {
	IndicatorID, Name, URL string
	Rows                   []sinceRow
	Change                 string // "Up 2.1 percentage points since the review: better"
	Empty                  string
}

type actionView struct {
	ID                   int64
	Title, Owner, Due    string
	Status, StatusColour string
	Findings             []string
	Targets              []reviewLink
	Indicators           []sinceView
	Notes                []actionNoteView
	EditURL              string
	Update               bool
	Assessment           string
	AssessmentColour     string
	AssessmentComment    string
}

type reviewView struct {
	page
	Errors formProblems
	In     formInput
	Done   string

	ID                 int64
	Org                accord.Organisation
	OrgURL             string
	RegionName         string
	State, StateColour string
	Current            string
	Stages             []stageView
	FocusAreas         []focusAreaView
	Themes             []accord.CoreTheme
	OnSite             string
	RequestedBy        string
	ScopeURL           string

	Team []memberView
	// ConflictsHidden is set when the team has conflicts of interest this
	// viewer may not see, so the page says they are not published rather
	// than, wrongly, that none were flagged.
	ConflictsHidden bool
	FormTeam        bool // the viewer forms the team, and it is not settled
	Suggestions     []suggestionView
	SuggestNote     string
	HomeOrgs        []formChoice
	TeamRoles       []formChoice
	ChosenFor       []formChoice
	Conflicts       []formChoice
	Members         []formChoice // for flagging a conflict on a member

	Statement      []string // in paragraphs
	WriteStatement bool

	Findings    []findingView
	RecordURL   string
	Summary     []string // in paragraphs
	DraftReport bool
	Publish     bool
	PublishedOn string

	Actions      []actionView
	AddActionURL string
	Statuses     []formChoice

	ProgressDue    string
	Progress       *accord.ProgressReview
	ProgressOn     string
	RecordProgress bool
	Ratings        []formChoice

	PackURL, APIURL string
}

// reviewDone are the success banners, keyed by the done parameter the
// forms redirect with, so that no text from the address reaches the page.
var reviewDone = map[string]string{
	"requested": "Your request was saved. NHS England's oversight team forms the review team next.",
	"scoped":    "The scope was saved.",
	"member":    "The member was added to the team.",
	"removed":   "The member was taken off the team.",
	"conflict":  "The conflict of interest was recorded.",
	"decided":   "The decision on the conflict of interest was recorded.",
	"statement": "The position statement was saved.",
	"stage":     "The stage was moved on.",
	"finding":   "The finding was saved in the draft report.",
	"deleted":   "The finding was deleted from the draft report.",
	"summary":   "The report's summary was saved.",
	"published": "The report is published. Its findings can no longer be changed; the system responds to them.",
	"responded": "Your response was published beside the finding.",
	"action":    "The action plan was saved.",
	"progress":  "The progress on the action was recorded.",
	"reviewed":  "The progress review was recorded.",
}

// peerReviewPage is GET /peer-reviews/{id}: the whole review by stage, as
// the viewer may see it, with the forms their role may use at each stage.
// A review the viewer may not see is not found.
func (s *Server) peerReviewPage(w http.ResponseWriter, r *http.Request) error {
	a := s.reviewAccess(r)
	pr, err := s.findReview(r, a)
	if err != nil {
		return err
	}
	q := readPageQuery(r)
	in := formInput{}
	if code := q.one("suggest"); code != "" {
		in = s.suggestedMember(r, pr, code)
	}
	v, err := s.reviewView(r, a, pr, in, nil)
	if err != nil {
		return err
	}
	v.Done = reviewDone[q.one("done")]
	return s.render(w, "peerreview", v)
}

// showReviewErrors shows the review page again with one form's errors and
// what was typed into it, or answers err as an error page when it is not
// a problem with the form.
func (s *Server) showReviewErrors(w http.ResponseWriter, r *http.Request, call reviewCall, err error, anchor string, fields map[string]formField) error {
	errs, status, err := reviewFormErrors(err, anchor, fields)
	if err != nil {
		return err
	}
	pr, err := s.store.FindPeerReview(r.Context(), call.review.ID) // as it is now, after whatever failed
	if err != nil {
		return err
	}
	v, err := s.reviewView(r, call.access, pr, inputOfForm(r), errs)
	if err != nil {
		return err
	}
	return s.renderStatus(w, status, "peerreview", v)
}

// reviewView gathers the review page for viewer a from pr as stored.
func (s *Server) reviewView(r *http.Request, a *reviewAccess, pr accord.PeerReview, in formInput, errs formProblems) (*reviewView, error) {
	ctx := r.Context()
	seen, ok, err := a.seen(pr)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, errNoReview(strconv.FormatInt(pr.ID, 10))
	}
	if in == nil {
		in = formInput{}
	}
	orgs, err := s.loadViewOrgs(ctx)
	if err != nil {
		return nil, err
	}
	inds, err := s.indicatorNames(ctx)
	if err != nil {
		return nil, err
	}
	org := orgs[pr.OrgCode]
	today := s.viewToday()
	v := &reviewView{
		page: page{Title: "Peer review of " + orgs.name(pr.OrgCode), Section: "peer-reviews",
			Crumbs: []crumb{{"/", "Home"}, {"/peer-reviews", "Peer reviews"}}},
		Errors: errs, In: in,
		ID: pr.ID, Org: org, RegionName: orgs.name(pr.RegionCode),
		Themes: accord.CoreThemes, OnSite: onSiteWords(seen.OnSiteStart, seen.OnSiteEnd),
		RequestedBy: seen.RequestedBy, Statement: reviewParagraphs(seen.PositionStatement), Summary: reviewParagraphs(seen.Report.Summary),
		PackURL: peerReviewPath(pr.ID) + "/pack", APIURL: fmt.Sprintf("/api/v1/peer-reviews/%d", pr.ID),
		Progress: seen.Progress,
	}
	v.ConflictsHidden = countConflicts(pr.Team) > countConflicts(seen.Team)
	if path, ok := orgPagePaths[org.Type]; ok {
		v.OrgURL = path + org.Code
	}
	v.State, v.StateColour = reviewStateLabel(seen.State())
	if cur, ok := seen.CurrentStage(); ok {
		v.Current = cur.Name.Label()
	}
	can := func(act accord.Action) (bool, error) { return a.allowed(act, pr) }
	stageOf := func(n accord.StageName) accord.Stage { st, _ := pr.Stage(n); return st }
	open := func(n accord.StageName) bool { return stageOf(n).State != accord.StageDone }

	// The stages, with the moves the viewer may make. The report and the
	// progress review are done by publishing and recording them.
	for i, st := range seen.Stages {
		sv := stageView{N: i + 1, Name: string(st.Name), Label: st.Name.Label(), Owner: stageOwnerWords(st, orgs),
			Due: cmp.Or(formatDate(st.Due), "Not yet set"), Started: formatDate(st.Started), Done: formatDate(st.Completed),
			State: st.State.Label(), StateColour: stageStateColour(st.State), Overdue: st.Overdue(today)}
		ok, err := can(accord.StageAction(st.Name))
		if err != nil {
			return nil, err
		}
		if ok {
			sv.Start = st.State == accord.StageNotStarted
			sv.Finish = st.State != accord.StageDone && st.Name != accord.StageReport && st.Name != accord.StageProgressReview
			sv.FinishHint = finishHints[st.Name]
		}
		v.Stages = append(v.Stages, sv)
	}

	// 1. Request and scope.
	for _, fa := range seen.FocusAreas {
		fv := focusAreaView{ID: fa.ID, Title: fa.Title}
		for _, id := range fa.IndicatorIDs {
			fv.Indicators = append(fv.Indicators, reviewLink{ID: id, Name: cmp.Or(inds[id].Name, id), URL: seriesPath(pr.OrgCode, id)})
		}
		v.FocusAreas = append(v.FocusAreas, fv)
	}
	if ok, err := can(accord.ActScopeReview); err != nil {
		return nil, err
	} else if ok && open(accord.StageRequestAndScope) {
		v.ScopeURL = peerReviewPath(pr.ID) + "/scope"
	}

	// 2. Team formation.
	for _, m := range seen.Team {
		mv := memberView{ID: m.ID, Name: m.Name, Role: m.Role.Label(), HomeOrg: orgs.name(m.HomeOrg), ChosenFor: m.ChosenFor.Label(),
			Why: m.Why, Excluded: m.Excluded(), AddedBy: m.AddedBy}
		if m.AddedBy != "" {
			mv.AddedAt = formatTime(m.AddedAt)
		}
		if m.UserID != 0 {
			mv.Account = "Signs in to Accord"
		}
		for _, c := range m.Conflicts {
			cv := conflictView{ID: c.ID, Kind: c.Kind.Label(), Declared: c.Declared, Decision: c.Decision.Label(), Note: c.DecisionNote,
				DecidedBy: c.DecidedBy, Undecided: c.Decision == accord.ConflictUndecided}
			switch c.Decision {
			case accord.ConflictManaged:
				cv.DecisionColour = "yellow"
			case accord.ConflictExcluded:
				cv.DecisionColour = "red"
			default:
				cv.DecisionColour = "grey"
			}
			if c.DecidedAt != nil {
				cv.DecidedAt = formatTime(*c.DecidedAt)
			}
			mv.Conflicts = append(mv.Conflicts, cv)
		}
		v.Team = append(v.Team, mv)
	}
	if ok, err := can(accord.ActFormTeam); err != nil {
		return nil, err
	} else if ok && open(accord.StageTeamFormation) {
		v.FormTeam = true
		if err := s.teamChoices(r, pr, orgs, v); err != nil {
			return nil, err
		}
	}

	// 3. Position statement.
	if ok, err := can(accord.ActWritePositionStatement); err != nil {
		return nil, err
	} else if ok && open(accord.StagePositionStatement) {
		v.WriteStatement = true
		if _, typed := in["position_statement"]; !typed {
			v.In.set("position_statement", pr.PositionStatement)
		}
	}

	// 4 and 5. The findings and the report.
	recordFindings, err := can(accord.ActRecordFinding)
	if err != nil {
		return nil, err
	}
	team, _ := pr.Stage(accord.StageTeamFormation)
	draftable := recordFindings && team.State == accord.StageDone && !pr.Published()
	if draftable {
		v.RecordURL = peerReviewPath(pr.ID) + "/findings/new"
		v.DraftReport = true
		if _, typed := in["summary"]; !typed {
			v.In.set("summary", pr.Report.Summary)
		}
	}
	respond, err := can(accord.ActRespondToFinding)
	if err != nil {
		return nil, err
	}
	for _, f := range orderFindings(seen) {
		v.Findings = append(v.Findings, findingViewOf(f, seen, inds, orgs, draftable, respond && pr.Published()))
	}
	if ok, err := can(accord.ActPublishReport); err != nil {
		return nil, err
	} else if ok && !pr.Published() {
		v.Publish = true
	}
	if pr.Published() {
		v.PublishedOn = formatDate(pr.Report.PublishedAt)
	}

	// 6. Response and action plan.
	writePlan, err := can(accord.ActWriteActionPlan)
	if err != nil {
		return nil, err
	}
	if writePlan && pr.Published() && open(accord.StageResponseAndActionPlan) {
		v.AddActionURL = peerReviewPath(pr.ID) + "/actions/new"
	}
	update, err := can(accord.ActUpdateAction)
	if err != nil {
		return nil, err
	}
	update = update && pr.Published() && open(accord.StageProgressReview)
	for _, st := range accord.ActionStatuses {
		v.Statuses = append(v.Statuses, formChoice{Value: string(st), Label: st.Label()})
	}
	assessed := map[int64]accord.ActionAssessment{}
	if seen.Progress != nil {
		for _, as := range seen.Progress.Assessments {
			assessed[as.ActionID] = as
		}
	}
	targetNames, err := s.visibleTargetNames(r, pr)
	if err != nil {
		return nil, err
	}
	for _, act := range seen.Actions {
		av, err := s.actionViewOf(ctx, act, seen, inds, orgs, targetNames)
		if err != nil {
			return nil, err
		}
		if writePlan && open(accord.StageResponseAndActionPlan) {
			av.EditURL = fmt.Sprintf("%s/actions/%d/edit", peerReviewPath(pr.ID), act.ID)
		}
		av.Update = update
		if key := fmt.Sprintf("status-%d", act.ID); update && v.In[key] == nil {
			v.In.set(key, string(act.Status))
		}
		if as, ok := assessed[act.ID]; ok {
			av.Assessment, av.AssessmentColour, av.AssessmentComment = as.Rating.Label(), assessmentColour(as.Rating), as.Comment
		}
		v.Actions = append(v.Actions, av)
	}

	// 7. Progress review.
	if st, ok := pr.Stage(accord.StageProgressReview); ok {
		v.ProgressDue = formatDate(st.Due)
	}
	if seen.Progress != nil {
		v.ProgressOn = formatDate(seen.Progress.Date)
	}
	if ok, err := can(accord.ActRecordProgressReview); err != nil {
		return nil, err
	} else if ok && seen.Progress == nil && !open(accord.StageResponseAndActionPlan) {
		v.RecordProgress = true
		for _, rt := range accord.AssessmentRatings {
			v.Ratings = append(v.Ratings, formChoice{Value: string(rt), Label: rt.Label()})
		}
	}
	return v, nil
}

// finishHints say, beside a stage's "done" button, what the stage needs
// first, so that a refusal is no surprise.
var finishHints = map[accord.StageName]string{
	accord.StageRequestAndScope:       "Done once the focus areas and the days on site are settled.",
	accord.StageTeamFormation:         "Done once there is one lead reviewer and at least one other peer, and every conflict of interest is decided.",
	accord.StagePositionStatement:     "Done once the position statement is written.",
	accord.StageReview:                "Done when the peers have left site.",
	accord.StageResponseAndActionPlan: "Done once the plan has actions and every serious concern has a response.",
}

// reviewParagraphs splits text at blank lines, as the forms ask people to write
// it, so a page shows it as it was written.
func reviewParagraphs(text string) []string {
	var out []string
	for _, p := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// indicatorNames is the catalogue by indicator ID.
func (s *Server) indicatorNames(ctx context.Context) (map[string]accord.Indicator, error) {
	inds, _, err := s.store.FindIndicators(ctx, accord.IndicatorFilter{})
	if err != nil {
		return nil, err
	}
	out := make(map[string]accord.Indicator, len(inds))
	for _, ind := range inds {
		out[ind.ID] = ind
	}
	return out, nil
}

// findingUnder names what a finding is under: a core theme or a focus area.
func findingUnder(f accord.Finding, pr accord.PeerReview) string {
	if t, ok := accord.FindCoreTheme(f.ThemeID); ok {
		return t.Title
	}
	if fa, ok := pr.FocusArea(f.FocusAreaID); ok {
		return "Focus area: " + fa.Title
	}
	return "Not recorded"
}

// orderFindings puts findings in the order a report takes them: the core
// themes in their order, then the focus areas, each in the order recorded.
func orderFindings(pr accord.PeerReview) []accord.Finding {
	place := func(f accord.Finding) int {
		for i, t := range accord.CoreThemes {
			if t.ID == f.ThemeID {
				return i
			}
		}
		for i, fa := range pr.FocusAreas {
			if fa.ID == f.FocusAreaID {
				return len(accord.CoreThemes) + i
			}
		}
		return len(accord.CoreThemes) + len(pr.FocusAreas)
	}
	out := slices.Clone(pr.Findings)
	slices.SortStableFunc(out, func(a, b accord.Finding) int { return cmp.Compare(place(a), place(b)) })
	return out
}

func findingViewOf(f accord.Finding, pr accord.PeerReview, inds map[string]accord.Indicator, orgs viewOrgs, editable, respond bool) findingView {
	fv := findingView{ID: f.ID, Under: findingUnder(f, pr), Rating: f.Rating.Label(), RatingColour: ratingColour(f.Rating),
		Text: f.Text, Recommendation: f.Recommendation, By: f.ByName, Respond: respond}
	for _, e := range f.Evidence {
		if e.IndicatorID != "" {
			fv.Evidence = append(fv.Evidence, findingEvidenceView{Text: cmp.Or(inds[e.IndicatorID].Name, e.IndicatorID) + " for " + orgs.name(e.OrgCode),
				URL: seriesPath(e.OrgCode, e.IndicatorID)})
		}
		if e.URL != "" {
			fv.Evidence = append(fv.Evidence, findingEvidenceView{Text: e.DocumentTitle, URL: e.URL})
		}
	}
	for _, resp := range f.Responses {
		fv.Responses = append(fv.Responses, findingResponseView{Text: resp.Text, By: resp.ByName, At: formatTime(resp.At)})
	}
	if editable {
		fv.EditURL = fmt.Sprintf("%s/findings/%d/edit", peerReviewPath(pr.ID), f.ID)
	}
	return fv
}

// visibleTargetNames are the titles of the reviewed ICB's targets the
// viewer may see, by ID: an action names targets, and a draft target's
// title is the ICB's own until it is published.
func (s *Server) visibleTargetNames(r *http.Request, pr accord.PeerReview) (map[int64]string, error) {
	ts, _, err := s.store.FindTargets(r.Context(), accord.TargetFilter{OrgCode: pr.OrgCode})
	if err != nil {
		return nil, err
	}
	a := s.targetAccess(r)
	out := map[int64]string{}
	for _, t := range ts {
		ok, err := a.canView(t)
		if err != nil {
			return nil, err
		}
		if ok {
			out[t.ID] = t.Title
		}
	}
	return out, nil
}

// actionViewOf is one action of the plan with the values of what it should
// move since the review: its indicators, and its targets' indicators.
func (s *Server) actionViewOf(ctx context.Context, act accord.ReviewAction, pr accord.PeerReview, inds map[string]accord.Indicator,
	orgs viewOrgs, targetNames map[int64]string) (actionView, error) {
	av := actionView{ID: act.ID, Title: act.Title, Owner: act.OwnerName + ", " + orgs.name(act.OwnerOrg), Due: formatDate(act.Due),
		Status: act.Status.Label(), StatusColour: actionStatusColour(act.Status)}
	for _, id := range act.FindingIDs {
		if f, ok := pr.Finding(id); ok {
			av.Findings = append(av.Findings, f.Rating.Label()+": "+findingUnder(f, pr))
		}
	}
	ids := slices.Clone(act.IndicatorIDs)
	for _, id := range act.TargetIDs {
		name, ok := targetNames[id]
		if !ok {
			continue
		}
		av.Targets = append(av.Targets, reviewLink{Name: name, URL: targetPath(id)})
		t, err := s.store.FindTarget(ctx, id)
		if err != nil {
			return av, err
		}
		if !slices.Contains(ids, t.IndicatorID) {
			ids = append(ids, t.IndicatorID)
		}
	}
	for _, id := range ids {
		sv, err := s.sinceReview(ctx, pr, inds[id], id)
		if err != nil {
			return av, err
		}
		av.Indicators = append(av.Indicators, sv)
	}
	for _, n := range act.Notes {
		av.Notes = append(av.Notes, actionNoteView{Text: n.Text, Status: n.Status.Label(), StatusColour: actionStatusColour(n.Status),
			By: n.ByName, At: formatTime(n.At)})
	}
	return av, nil
}

// maxSinceRows bounds the values shown since a review: ten months of a
// monthly series and then some.
const maxSinceRows = 24

// sinceReview is the reviewed system's whole-population values of one
// indicator from the last one published for a period that ended by the
// peers' last day on site, to the latest: of one kind of period, the
// newest's, so months and years are not mixed.
func (s *Server) sinceReview(ctx context.Context, pr accord.PeerReview, ind accord.Indicator, id string) (sinceView, error) {
	sv := sinceView{IndicatorID: id, Name: cmp.Or(ind.Name, id), URL: seriesPath(pr.OrgCode, id)}
	obs, _, err := s.store.FindObservations(ctx, accord.ObservationFilter{IndicatorID: id, OrgCodes: []string{pr.OrgCode}, Limit: maxSeriesRows})
	if err != nil {
		return sv, err
	}
	var kind accord.PeriodKind
	var newest accord.Period
	for _, o := range obs {
		if o.Period.Compare(newest) > 0 {
			newest, kind = o.Period, o.Period.Kind()
		}
	}
	var series []accord.Observation
	for _, o := range obs {
		if o.Period.Kind() == kind {
			series = append(series, o)
		}
	}
	slices.SortFunc(series, func(a, b accord.Observation) int { return a.Period.Compare(b.Period) })
	base := -1
	for i, o := range series {
		if !pr.OnSiteEnd.IsZero() && !o.Period.End().After(pr.OnSiteEnd.Time) {
			base = i
		}
	}
	from := max(base, 0)
	if base < 0 && len(series) > 0 {
		sv.Empty = "No value was published for a period that ended before the review, so there is nothing to measure the change from."
	}
	if len(series) == 0 {
		sv.Empty = "No values are held for " + pr.OrgCode + "."
		return sv, nil
	}
	rows := series[from:]
	if len(rows) > maxSinceRows {
		rows = append([]accord.Observation{rows[0]}, rows[len(rows)-maxSinceRows+1:]...)
	}
	for _, o := range rows {
		sv.Rows = append(sv.Rows, sinceRow{Period: periodWords(o.Period), Value: formatValue(o.Value, ind.Unit), AtReview: base >= 0 && o.Period == series[base].Period})
	}
	if base >= 0 && base < len(series)-1 {
		last := series[len(series)-1]
		sv.Change = sinceChangeWords(series[base].Value, last.Value, ind)
	} else if base >= 0 {
		sv.Change = "No value has been published since the review."
	}
	return sv, nil
}

// sinceChangeWords says how far a value moved and whether that is better.
func sinceChangeWords(from, to float64, ind accord.Indicator) string {
	d := to - from
	if d == 0 {
		return "No change since the review."
	}
	dir, size := "Up", d
	if d < 0 {
		dir, size = "Down", -d
	}
	amount := formatValue(size, ind.Unit)
	if ind.Unit == accord.UnitPercent {
		amount = formatNumber(size) + " percentage points"
	}
	verdict := ""
	switch {
	case ind.Polarity == accord.HigherIsBetter && d > 0, ind.Polarity == accord.LowerIsBetter && d < 0:
		verdict = ": better"
	case ind.Polarity == accord.HigherIsBetter, ind.Polarity == accord.LowerIsBetter:
		verdict = ": worse"
	}
	return fmt.Sprintf("%s %s since the review%s.", dir, amount, verdict)
}

// teamChoices fills the team form's choices and, from the evidence, the
// reviewers suggested for the review.
func (s *Server) teamChoices(r *http.Request, pr accord.PeerReview, orgs viewOrgs, v *reviewView) error {
	ctx := r.Context()
	var icbs []accord.Organisation
	for _, o := range orgs {
		if o.Type == accord.OrgICB && o.Code != pr.OrgCode {
			icbs = append(icbs, o)
		}
	}
	slices.SortFunc(icbs, byName)
	for _, o := range icbs {
		v.HomeOrgs = append(v.HomeOrgs, formChoice{Value: o.Code, Label: o.Name})
	}
	for _, tr := range accord.TeamRoles {
		v.TeamRoles = append(v.TeamRoles, formChoice{Value: string(tr), Label: tr.Label()})
	}
	for _, c := range accord.ChosenForKinds {
		v.ChosenFor = append(v.ChosenFor, formChoice{Value: string(c), Label: c.Label()})
	}
	for _, k := range accord.ConflictKinds {
		v.Conflicts = append(v.Conflicts, formChoice{Value: string(k), Label: k.Label()})
	}
	for _, m := range pr.Team {
		v.Members = append(v.Members, formChoice{Value: strconv.FormatInt(m.ID, 10), Label: m.Name + " (" + m.Role.Label() + ")"})
	}
	sugg, err := review.SuggestReviewers(ctx, s.store, pr.OrgCode, pr.IndicatorIDs(), s.viewToday())
	if err != nil {
		return err
	}
	onTeam := map[string]bool{}
	for _, m := range pr.Team {
		onTeam[m.HomeOrg] = true
	}
	const shown = 10
	for i, sg := range sugg {
		if i == shown {
			break
		}
		sv := suggestionView{Code: sg.OrgCode, Name: sg.Name, Region: sg.RegionName, Score: sg.Score, OnTeam: onTeam[sg.OrgCode],
			UseURL: peerReviewPath(pr.ID) + "?suggest=" + url.QueryEscape(sg.OrgCode) + "#add-member"}
		for _, rs := range sg.Reasons {
			sv.Reasons = append(sv.Reasons, rs.Text)
		}
		for _, c := range sg.Conflicts {
			sv.Conflicts = append(sv.Conflicts, c.Text)
		}
		v.Suggestions = append(v.Suggestions, sv)
	}
	if len(sugg) == 0 {
		v.SuggestNote = "No integrated care board can be suggested yet: none is among this board's nearest peers on record, or among the most improved on the focus areas' indicators."
	}
	return nil
}

// suggestedMember fills the team form from a suggested reviewer's
// evidence, so that why they were chosen is recorded in the evidence's own
// words; "" fields are left for oversight to fill.
func (s *Server) suggestedMember(r *http.Request, pr accord.PeerReview, code string) formInput {
	in := formInput{}
	sugg, err := review.SuggestReviewers(r.Context(), s.store, pr.OrgCode, pr.IndicatorIDs(), s.viewToday())
	if err != nil {
		// The suggestion only fills a form in; without it the form is
		// blank, and the page says why when it lists the suggestions.
		return in
	}
	for _, sg := range sugg {
		if sg.OrgCode != code {
			continue
		}
		in.set("member-home", sg.OrgCode)
		var why []string
		chosen := accord.ChosenMostImproved
		for _, rs := range sg.Reasons {
			why = append(why, rs.Text)
			if rs.Kind == review.ReasonSimilar {
				chosen = accord.ChosenStatisticallySimilar
			}
		}
		in.set("member-chosen", string(chosen))
		in.set("member-why", strings.Join(why, " "))
		if len(sg.Conflicts) > 0 {
			c := sg.Conflicts[0]
			kind := accord.ConflictSharedProviders
			if c.Kind == review.ConflictSameRegion {
				kind = accord.ConflictSameRegionOversight
			}
			in.set("member-conflict", string(kind))
			var texts []string
			for _, c := range sg.Conflicts {
				texts = append(texts, c.Text)
			}
			in.set("member-declared", strings.Join(texts, " "))
		}
	}
	return in
}

// --- The national view ---

// overdueStageRow is one stage past its due date, for the national view.
type overdueStageRow struct {
	ReviewID         int64
	ICBCode, ICBName string
	Stage, Owner     string
	Due              string
	Days             int
}

// overdueReviewStages are the stages not done and past due, across the
// reviews u may see of the ICBs in scope, most overdue first.
func (s *Server) overdueReviewStages(r *http.Request, u *accord.User, inScope map[string]bool, orgs viewOrgs) ([]overdueStageRow, error) {
	today := s.viewToday()
	v := accord.PeerReviewVisibilityOf(u)
	rs, _, err := s.store.FindPeerReviews(r.Context(), accord.PeerReviewFilter{OverdueOn: today, Visible: &v})
	if err != nil {
		return nil, err
	}
	var out []overdueStageRow
	for _, pr := range rs {
		if !inScope[pr.OrgCode] {
			continue
		}
		for _, st := range pr.Overdue(today) {
			out = append(out, overdueStageRow{
				ReviewID: pr.ID, ICBCode: pr.OrgCode, ICBName: orgs.name(pr.OrgCode),
				Stage: st.Name.Label(), Owner: stageOwnerWords(st, orgs), Due: formatDate(st.Due),
				Days: int(today.Sub(st.Due.Time).Hours() / 24),
			})
		}
	}
	slices.SortStableFunc(out, func(a, b overdueStageRow) int { return b.Days - a.Days })
	return out, nil
}

// stageOwnerWords says who owns a stage: "ICB lead, NHS Cambridgeshire and
// Peterborough ICB".
func stageOwnerWords(st accord.Stage, orgs viewOrgs) string {
	if st.OwnerRole == accord.RolePeerReviewer && st.OwnerOrg == "" {
		return "The lead reviewer, once appointed"
	}
	if st.OwnerRole == accord.RolePeerReviewer {
		return "The lead reviewer, from " + orgs.name(st.OwnerOrg)
	}
	return st.OwnerRole.Label() + ", " + orgs.name(st.OwnerOrg)
}

// countConflicts is how many conflicts of interest a team has flagged.
func countConflicts(team []accord.TeamMember) int {
	n := 0
	for _, m := range team {
		n += len(m.Conflicts)
	}
	return n
}
