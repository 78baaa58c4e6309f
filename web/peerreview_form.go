package web

import (
	"cmp"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/nhs-accord/accord"
)

// The peer review forms. Each POST goes through peerReviewWrite, then the
// store, and either redirects (303) to the review page with a success
// banner, or shows the form again with what was typed and an error beside
// each field. The forms for a scope, a finding and an action have pages of
// their own; the rest sit on the review page under their stage.

// maxScopeSlots is the most focus areas a form reads: the domain's limit.
const maxScopeSlots = 5

// scopeSlots is how many focus areas the form offers: the LGA asks for one
// to three.
const scopeSlots = 3

// indicatorSlots is how many indicators a focus area may name on the form.
const indicatorSlots = 3

// evidenceSlots is how many pieces of evidence the finding form offers.
const evidenceSlots = 3

// readDate reads an NHS.UK date input (name-day, name-month, name-year),
// adding to p under field (the domain's name for it, so that the domain's
// own check of the same field is not said twice) what is wrong with it.
// label starts the messages ("The first day on site"). A blank date is
// zero, and a problem only when required.
func readDate(r *http.Request, name, field, label string, required bool, p *accord.Problems) accord.Date {
	v := func(part string) string { return strings.TrimSpace(r.PostFormValue(name + "-" + part)) }
	day, month, year := v("day"), v("month"), v("year")
	switch {
	case day == "" && month == "" && year == "":
		if required {
			p.Add(field, "Enter %s.", strings.ToLower(label[:1])+label[1:])
		}
		return accord.Date{}
	case day == "" || month == "" || year == "":
		var missing []string
		for _, part := range []struct{ name, v string }{{"day", day}, {"month", month}, {"year", year}} {
			if part.v == "" {
				missing = append(missing, part.name)
			}
		}
		p.Add(field, "%s must include a %s.", label, strings.Join(missing, " and "))
		return accord.Date{}
	}
	d, dok := wholeNumber(day)
	m, mok := wholeNumber(month)
	y, yok := wholeNumber(year)
	date := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if !dok || !mok || !yok || len(year) != 4 || date.Day() != d || int(date.Month()) != m {
		p.Add(field, "%s must be a real date, like 2 3 2027.", label)
		return accord.Date{}
	}
	return accord.Date{Time: date}
}

// setDate puts a stored date into a date input's three fields.
func (f formInput) setDate(name string, d accord.Date) {
	if d.IsZero() {
		return
	}
	f.set(name+"-day", strconv.Itoa(d.Day()))
	f.set(name+"-month", strconv.Itoa(int(d.Month())))
	f.set(name+"-year", strconv.Itoa(d.Year()))
}

// mergeProblems adds to p the problems of err, an EINVALID from
// validation, for fields p has not already spoken for; any other error
// comes back.
func mergeProblems(p accord.Problems, err error) (accord.Problems, error) {
	if err == nil {
		return p, nil
	}
	e, ok := err.(*accord.Error)
	if !ok || e.Code != accord.EINVALID {
		return p, err
	}
	said := map[string]bool{}
	for _, f := range p {
		said[f.Field] = true
	}
	for _, f := range e.Fields {
		if !said[f.Field] {
			p = append(p, f)
		}
	}
	return p, nil
}

// redirectDone sends the browser back to the review page with a banner,
// to the section the form was in.
func redirectDone(w http.ResponseWriter, r *http.Request, id int64, done, section string) error {
	target := peerReviewPath(id) + "?done=" + done
	if section != "" {
		target += "#" + section
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
	return nil
}

// --- Request and scope ---

type scopeView struct {
	page
	Errors         formProblems
	In             formInput
	Org            accord.Organisation
	Action         string
	CancelURL      string
	New            bool
	Slots          []int
	IndicatorSlots []int
	Indicators     []formChoice
	Themes         []accord.CoreTheme
	Dates          []dateField
	DateParts      []datePart
}

// dateField is one NHS.UK date input of a form.
type dateField struct{ ID, Legend, Hint string }

// datePart is the day, month or year box of a date input.
type datePart struct {
	Name, Label string
	Width       int
}

var dateParts = []datePart{{"day", "Day", 2}, {"month", "Month", 2}, {"year", "Year", 4}}

// scopeFields are the scope's fields as the form names its inputs.
var scopeFields = map[string]formField{
	"focus_areas":   {id: "focus-1-title", label: "The focus areas"},
	"on_site_start": {id: "on_site_start", label: "The first day on site"},
	"on_site_end":   {id: "on_site_end", label: "The last day on site"},
	"organisation":  {id: "focus-1-title"},
}

func (s *Server) renderScope(w http.ResponseWriter, r *http.Request, status int, v *scopeView, focusAreas int) error {
	inds, _, err := s.store.FindIndicators(r.Context(), accord.IndicatorFilter{})
	if err != nil {
		return err
	}
	slices.SortFunc(inds, func(a, b accord.Indicator) int {
		return cmp.Or(strings.Compare(areaLabel(a.Area), areaLabel(b.Area)), strings.Compare(a.Name, b.Name))
	})
	for _, ind := range inds {
		v.Indicators = append(v.Indicators, formChoice{Value: ind.ID, Label: areaLabel(ind.Area) + ": " + ind.Name})
	}
	for n := 1; n <= max(scopeSlots, focusAreas); n++ {
		v.Slots = append(v.Slots, n)
	}
	for n := 1; n <= indicatorSlots; n++ {
		v.IndicatorSlots = append(v.IndicatorSlots, n)
	}
	v.Themes = accord.CoreThemes
	v.Dates = []dateField{
		{"on_site_start", "First day on site", "Usually some three months away, so there is time to form the team. For example, 2 3 2027."},
		{"on_site_end", "Last day on site", "A review is a few days on site, no more than two weeks. For example, 4 3 2027."},
	}
	v.DateParts = dateParts
	return s.renderStatus(w, status, "peerreview_scope", v)
}

// readScope reads the focus areas and the days on site from the form.
func readScope(r *http.Request, p *accord.Problems) accord.ReviewScope {
	var sc accord.ReviewScope
	for n := 1; n <= maxScopeSlots; n++ {
		title := strings.TrimSpace(r.PostFormValue(fmt.Sprintf("focus-%d-title", n)))
		var ids []string
		for k := 1; k <= indicatorSlots; k++ {
			if id := strings.TrimSpace(r.PostFormValue(fmt.Sprintf("focus-%d-indicator-%d", n, k))); id != "" && !slices.Contains(ids, id) {
				ids = append(ids, id)
			}
		}
		if title == "" && len(ids) == 0 {
			continue // a slot left empty
		}
		sc.FocusAreas = append(sc.FocusAreas, accord.FocusArea{Title: title, IndicatorIDs: ids})
	}
	sc.OnSiteStart = readDate(r, "on_site_start", "on_site_start", "The first day on site", true, p)
	sc.OnSiteEnd = readDate(r, "on_site_end", "on_site_end", "The last day on site", true, p)
	return sc
}

// checkScopeDates refuses days on site already past: a review is planned
// ahead. old is the stored scope for a change, whose dates may stand.
func (s *Server) checkScopeDates(sc accord.ReviewScope, old *accord.ReviewScope, p *accord.Problems) {
	today := s.viewToday()
	if !sc.OnSiteStart.IsZero() && sc.OnSiteStart.Before(today.Time) && (old == nil || !old.OnSiteStart.Equal(sc.OnSiteStart.Time)) {
		p.Add("on_site_start", "The first day on site, %s, is in the past. Choose today or a later day.", formatDate(sc.OnSiteStart))
	}
}

func inputOfScope(sc accord.ReviewScope) formInput {
	in := formInput{}
	for i, fa := range sc.FocusAreas {
		in.set(fmt.Sprintf("focus-%d-title", i+1), fa.Title)
		for k, id := range fa.IndicatorIDs {
			if k < indicatorSlots {
				in.set(fmt.Sprintf("focus-%d-indicator-%d", i+1, k+1), id)
			}
		}
	}
	in.setDate("on_site_start", sc.OnSiteStart)
	in.setDate("on_site_end", sc.OnSiteEnd)
	return in
}

// newPeerReviewPage is GET /peer-reviews/new?organisation=CODE: the form
// an ICB lead asks for a review of their own system with. Without an
// organisation, the lead of one ICB is sent to theirs.
func (s *Server) newPeerReviewPage(w http.ResponseWriter, r *http.Request) error {
	u, err := s.requireUser(r)
	if err != nil {
		return err
	}
	code := readPageQuery(r).one("organisation")
	if code == "" {
		var leads []string
		for _, g := range u.Grants {
			if g.Role == accord.RoleICBLead && !slices.Contains(leads, g.OrgCode) {
				leads = append(leads, g.OrgCode)
			}
		}
		if len(leads) == 1 {
			http.Redirect(w, r, "/peer-reviews/new?organisation="+url.QueryEscape(leads[0]), http.StatusSeeOther)
			return nil
		}
		return accord.Errorf(accord.EINVALID, "Say which integrated care board is to be reviewed: the web address needs ?organisation= and the board's ODS code.")
	}
	call, err := s.peerReviewWrite(r, accord.ActRequestReview, code)
	if err != nil {
		return err
	}
	org, err := s.store.FindOrganisation(r.Context(), call.review.OrgCode)
	if err != nil {
		return err
	}
	return s.renderScope(w, r, http.StatusOK, newScopeView(org, formInput{}, nil), 0)
}

func newScopeView(org accord.Organisation, in formInput, errs formProblems) *scopeView {
	return &scopeView{
		page: page{Title: "Ask for a peer review", Section: "peer-reviews",
			Crumbs: []crumb{{"/", "Home"}, {"/peer-reviews", "Peer reviews"}}},
		Errors: errs, In: in, Org: org, Action: "/peer-reviews", New: true, CancelURL: "/peer-reviews",
	}
}

// requestPeerReview is POST /peer-reviews: the ICB lead's request.
func (s *Server) requestPeerReview(w http.ResponseWriter, r *http.Request) error {
	call, err := s.peerReviewWrite(r, accord.ActRequestReview, r.PostFormValue("organisation"))
	if err != nil {
		return err
	}
	var p accord.Problems
	sc := readScope(r, &p)
	s.checkScopeDates(sc, nil, &p)
	p, err = mergeProblems(p, sc.Validate())
	if err != nil {
		return err
	}
	pr := accord.PeerReview{OrgCode: call.review.OrgCode, FocusAreas: sc.FocusAreas, OnSiteStart: sc.OnSiteStart, OnSiteEnd: sc.OnSiteEnd}
	err = p.Err("The request is not valid")
	if err == nil {
		err = s.store.RequestPeerReview(r.Context(), &pr, call.actor)
	}
	if err == nil {
		return redirectDone(w, r, pr.ID, "requested", "")
	}
	errs, status, err := reviewFormErrors(err, "focus-1-title", scopeFields)
	if err != nil {
		return err
	}
	org, err := s.store.FindOrganisation(r.Context(), call.review.OrgCode)
	if err != nil {
		return err
	}
	return s.renderScope(w, r, status, newScopeView(org, inputOfForm(r), errs), len(sc.FocusAreas))
}

func scopeChangeView(pr accord.PeerReview, org accord.Organisation, in formInput, errs formProblems) *scopeView {
	return &scopeView{
		page: page{Title: "Change the scope", Section: "peer-reviews",
			Crumbs: []crumb{{"/", "Home"}, {"/peer-reviews", "Peer reviews"}, {peerReviewPath(pr.ID), "Peer review of " + org.Name}}},
		Errors: errs, In: in, Org: org, Action: peerReviewPath(pr.ID) + "/scope", CancelURL: peerReviewPath(pr.ID),
	}
}

// scopePage is GET /peer-reviews/{id}/scope: the request's form, filled in
// with the scope as it stands.
func (s *Server) scopePage(w http.ResponseWriter, r *http.Request) error {
	call, err := s.peerReviewWrite(r, accord.ActScopeReview, "")
	if err != nil {
		return err
	}
	pr := call.review
	if st, _ := pr.Stage(accord.StageRequestAndScope); st.State == accord.StageDone {
		return accord.Errorf(accord.ECONFLICT, "The scope of this review was settled on %s, so it can no longer change.", formatDate(st.Completed))
	}
	org, err := s.store.FindOrganisation(r.Context(), pr.OrgCode)
	if err != nil {
		return err
	}
	return s.renderScope(w, r, http.StatusOK, scopeChangeView(pr, org, inputOfScope(pr.Scope()), nil), len(pr.FocusAreas))
}

// scopeReview is POST /peer-reviews/{id}/scope.
func (s *Server) scopeReview(w http.ResponseWriter, r *http.Request) error {
	call, err := s.peerReviewWrite(r, accord.ActScopeReview, "")
	if err != nil {
		return err
	}
	pr := call.review
	var p accord.Problems
	sc := readScope(r, &p)
	old := pr.Scope()
	s.checkScopeDates(sc, &old, &p)
	if p, err = mergeProblems(p, sc.Validate()); err != nil {
		return err
	}
	err = p.Err("The scope is not valid")
	if err == nil {
		_, err = s.store.ScopePeerReview(r.Context(), pr.ID, sc, call.actor)
	}
	if err == nil {
		return redirectDone(w, r, pr.ID, "scoped", "stage-request_and_scope")
	}
	errs, status, err := reviewFormErrors(err, "focus-1-title", scopeFields)
	if err != nil {
		return err
	}
	org, err := s.store.FindOrganisation(r.Context(), pr.OrgCode)
	if err != nil {
		return err
	}
	return s.renderScope(w, r, status, scopeChangeView(pr, org, inputOfForm(r), errs), len(sc.FocusAreas))
}

// --- Stages ---

// moveReviewStage is POST /peer-reviews/{id}/stages: a stage's owner
// starts it or marks it done.
func (s *Server) moveReviewStage(w http.ResponseWriter, r *http.Request) error {
	name := accord.StageName(strings.TrimSpace(r.PostFormValue("stage")))
	to := accord.StageState(strings.TrimSpace(r.PostFormValue("to")))
	if !name.Valid() {
		return accord.Errorf(accord.EINVALID, "The form did not say which stage to move. Go back, reload the page and try again.")
	}
	call, err := s.peerReviewWrite(r, accord.StageAction(name), "")
	if err != nil {
		return err
	}
	if _, err := s.store.MoveStage(r.Context(), call.review.ID, name, to, accord.Date{}, call.actor); err != nil {
		return s.showReviewErrors(w, r, call, err, "stage-"+string(name), nil)
	}
	return redirectDone(w, r, call.review.ID, "stage", "stage-"+string(name))
}

// --- Team formation ---

var memberFields = map[string]formField{
	"name":              {id: "member-name", label: "The name"},
	"home_organisation": {id: "member-home", label: "The organisation"},
	"role":              {id: "member-role", label: "The role"},
	"user":              {id: "member-email"},
	"chosen_for":        {id: "member-chosen", label: "Why chosen"},
	"why":               {id: "member-why", label: "Why chosen"},
	"conflicts":         {id: "member-declared"},
	"kind":              {id: "member-conflict"},
	"declared":          {id: "member-declared"},
}

// addTeamMember is POST /peer-reviews/{id}/team: oversight adds a peer,
// saying why they were chosen and flagging any conflict of interest.
func (s *Server) addTeamMember(w http.ResponseWriter, r *http.Request) error {
	call, err := s.peerReviewWrite(r, accord.ActFormTeam, "")
	if err != nil {
		return err
	}
	v := func(name string) string { return strings.TrimSpace(r.PostFormValue(name)) }
	m := accord.TeamMember{Name: v("member-name"), HomeOrg: strings.ToUpper(v("member-home")), Role: accord.TeamRole(v("member-role")),
		ChosenFor: accord.ChosenFor(v("member-chosen")), Why: v("member-why")}
	var p accord.Problems
	if email := v("member-email"); email != "" {
		u, _, err := s.store.FindUserByEmail(r.Context(), email)
		switch accord.ErrorCode(err) {
		case "":
			m.UserID = u.ID
			if m.Name == "" {
				m.Name = u.Name
			}
		case accord.ENOTFOUND:
			p.Add("member-email", "No one signs in to Accord as %s. Check the email address, or leave it blank for a peer without an account.", email)
		default:
			return err
		}
	}
	if kind := v("member-conflict"); kind != "" {
		m.Conflicts = []accord.Conflict{{Kind: accord.ConflictKind(kind), Declared: v("member-declared")}}
	}
	if p, err = mergeProblems(p, m.Validate()); err != nil {
		return err
	}
	err = p.Err("The team member is not valid")
	if err == nil {
		err = s.store.AddTeamMember(r.Context(), call.review.ID, &m, call.actor)
	}
	if err != nil {
		return s.showReviewErrors(w, r, call, err, "member-name", memberFields)
	}
	return redirectDone(w, r, call.review.ID, "member", "team")
}

// removeTeamMember is POST /peer-reviews/{id}/team/{member}/remove.
func (s *Server) removeTeamMember(w http.ResponseWriter, r *http.Request) error {
	call, err := s.peerReviewWrite(r, accord.ActFormTeam, "")
	if err != nil {
		return err
	}
	id, err := pathID(r, "member", "team member")
	if err != nil {
		return err
	}
	reason := strings.TrimSpace(r.PostFormValue("reason"))
	if err := s.store.RemoveTeamMember(r.Context(), call.review.ID, id, call.actor, reason); err != nil {
		return s.showReviewErrors(w, r, call, err, "team", nil)
	}
	return redirectDone(w, r, call.review.ID, "removed", "team")
}

var conflictFields = map[string]formField{
	"kind":     {id: "conflict-kind", label: "The kind of conflict"},
	"declared": {id: "conflict-declared"},
}

// flagConflict is POST /peer-reviews/{id}/conflicts: a conflict of
// interest flagged on a member already on the team.
func (s *Server) flagConflict(w http.ResponseWriter, r *http.Request) error {
	call, err := s.peerReviewWrite(r, accord.ActFormTeam, "")
	if err != nil {
		return err
	}
	var p accord.Problems
	member, ok := wholeNumber(strings.TrimSpace(r.PostFormValue("conflict-member")))
	if !ok {
		p.Add("conflict-member", "Choose the team member the conflict is about.")
	}
	c := accord.Conflict{Kind: accord.ConflictKind(strings.TrimSpace(r.PostFormValue("conflict-kind"))),
		Declared: strings.TrimSpace(r.PostFormValue("conflict-declared"))}
	if p, err = mergeProblems(p, c.Validate()); err != nil {
		return err
	}
	err = p.Err("The conflict of interest is not valid")
	if err == nil {
		err = s.store.FlagConflict(r.Context(), call.review.ID, int64(member), &c, call.actor)
	}
	if err != nil {
		return s.showReviewErrors(w, r, call, err, "conflict-member", conflictFields)
	}
	return redirectDone(w, r, call.review.ID, "conflict", "team")
}

// decideConflict is POST /peer-reviews/{id}/conflicts/{conflict}: oversight
// decides whether the member stays with the conflict managed, or goes.
func (s *Server) decideConflict(w http.ResponseWriter, r *http.Request) error {
	call, err := s.peerReviewWrite(r, accord.ActFormTeam, "")
	if err != nil {
		return err
	}
	id, err := pathID(r, "conflict", "conflict of interest")
	if err != nil {
		return err
	}
	n := strconv.FormatInt(id, 10)
	d := accord.ConflictDecision(strings.TrimSpace(r.PostFormValue("decision-" + n)))
	note := r.PostFormValue("decision-note-" + n)
	if err := s.store.DecideConflict(r.Context(), call.review.ID, id, d, note, call.actor); err != nil {
		return s.showReviewErrors(w, r, call, err, "decision-"+n, map[string]formField{
			"decision":      {id: "decision-" + n, label: "The decision"},
			"decision_note": {id: "decision-note-" + n},
		})
	}
	return redirectDone(w, r, call.review.ID, "decided", "team")
}

// --- Position statement ---

// writeStatement is POST /peer-reviews/{id}/position-statement.
func (s *Server) writeStatement(w http.ResponseWriter, r *http.Request) error {
	call, err := s.peerReviewWrite(r, accord.ActWritePositionStatement, "")
	if err != nil {
		return err
	}
	if _, err := s.store.WritePositionStatement(r.Context(), call.review.ID, r.PostFormValue("position_statement"), call.actor); err != nil {
		return s.showReviewErrors(w, r, call, err, "position_statement", map[string]formField{
			"position_statement": {id: "position_statement", label: "The position statement"},
		})
	}
	return redirectDone(w, r, call.review.ID, "statement", "stage-position_statement")
}

// --- The report ---

// saveReportSummary is POST /peer-reviews/{id}/report: the team's draft
// summary.
func (s *Server) saveReportSummary(w http.ResponseWriter, r *http.Request) error {
	call, err := s.peerReviewWrite(r, accord.ActRecordFinding, "")
	if err != nil {
		return err
	}
	if _, err := s.store.SaveReportSummary(r.Context(), call.review.ID, r.PostFormValue("summary"), call.actor); err != nil {
		return s.showReviewErrors(w, r, call, err, "summary", map[string]formField{"summary": {id: "summary", label: "The summary"}})
	}
	return redirectDone(w, r, call.review.ID, "summary", "stage-report")
}

// publishReport is POST /peer-reviews/{id}/report/publish: the lead
// reviewer publishes the report today, after which its findings stand.
func (s *Server) publishReport(w http.ResponseWriter, r *http.Request) error {
	call, err := s.peerReviewWrite(r, accord.ActPublishReport, "")
	if err != nil {
		return err
	}
	if _, err := s.store.PublishReport(r.Context(), call.review.ID, accord.Date{}, call.actor); err != nil {
		return s.showReviewErrors(w, r, call, err, "publish", nil)
	}
	return redirectDone(w, r, call.review.ID, "published", "stage-report")
}

// respondToFinding is POST /peer-reviews/{id}/findings/{finding}/responses:
// the reviewed system answers a published finding; it cannot change it.
func (s *Server) respondToFinding(w http.ResponseWriter, r *http.Request) error {
	call, err := s.peerReviewWrite(r, accord.ActRespondToFinding, "")
	if err != nil {
		return err
	}
	id, err := pathID(r, "finding", "finding")
	if err != nil {
		return err
	}
	field := "response-" + strconv.FormatInt(id, 10)
	resp := accord.FindingResponse{Text: r.PostFormValue(field)}
	if err := s.store.RespondToFinding(r.Context(), call.review.ID, id, &resp, call.actor); err != nil {
		return s.showReviewErrors(w, r, call, err, field, map[string]formField{"text": {id: field}})
	}
	return redirectDone(w, r, call.review.ID, "responded", "finding-"+strconv.FormatInt(id, 10))
}

// --- The progress review ---

// recordProgressReview is POST /peer-reviews/{id}/progress-review: the
// team's return visit, judging each action of the plan.
func (s *Server) recordProgressReview(w http.ResponseWriter, r *http.Request) error {
	call, err := s.peerReviewWrite(r, accord.ActRecordProgressReview, "")
	if err != nil {
		return err
	}
	pr := call.review
	var p accord.Problems
	prog := accord.ProgressReview{Summary: strings.TrimSpace(r.PostFormValue("progress-summary"))}
	prog.Date = readDate(r, "progress", "date", "The day of the progress review", true, &p)
	fields := map[string]formField{
		"date":    {id: "progress", label: "The day of the progress review"},
		"summary": {id: "progress-summary", label: "The summary"},
	}
	for i, act := range pr.Actions {
		n := strconv.FormatInt(act.ID, 10)
		if i == 0 {
			fields["assessments"] = formField{id: "assess-" + n}
		}
		rating := accord.AssessmentRating(strings.TrimSpace(r.PostFormValue("assess-" + n)))
		if rating == "" {
			p.Add("assess-"+n, "Say whether “%s” is achieved, on track or off track.", act.Title)
			continue
		}
		prog.Assessments = append(prog.Assessments, accord.ActionAssessment{ActionID: act.ID, Rating: rating,
			Comment: strings.TrimSpace(r.PostFormValue("assess-" + n + "-comment"))})
	}
	if p, err = mergeProblems(p, prog.Validate()); err != nil {
		return err
	}
	err = p.Err("The progress review is not valid")
	if err == nil {
		err = s.store.RecordProgressReview(r.Context(), pr.ID, &prog, call.actor)
	}
	if err != nil {
		return s.showReviewErrors(w, r, call, err, "progress-summary", fields)
	}
	return redirectDone(w, r, pr.ID, "reviewed", "stage-progress_review")
}
