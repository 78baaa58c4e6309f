package web

import (
	"cmp"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/nhs-accord/accord"
)

// The action plan's form: the reviewed system says who does what by when,
// and which targets or indicators each action should move, so that the
// progress review can measure it.

type actionFormView struct {
	page
	Errors     formProblems
	In         formInput
	ReviewID   int64
	OrgName    string
	Action     string
	CancelURL  string
	Editing    bool
	Owners     []formChoice
	Statuses   []formChoice
	Findings   []formChoice
	Targets    []formChoice
	Indicators []formChoice // the focus areas' indicators, as boxes
	Others     []formChoice // the rest of the catalogue, as a list
}

var actionFields = map[string]formField{
	"title":              {id: "title", label: "What will be done"},
	"owner_name":         {id: "owner_name", label: "The owner"},
	"owner_organisation": {id: "owner_organisation", label: "The owner's organisation"},
	"due":                {id: "due", label: "The due date"},
	"status":             {id: "status", label: "The status"},
	"targets":            {id: "targets"},
	"indicators":         {id: "targets"},
	"findings":           {id: "findings"},
}

func (s *Server) renderAction(w http.ResponseWriter, r *http.Request, status int, pr accord.PeerReview, v *actionFormView) error {
	ctx := r.Context()
	orgs, err := s.loadViewOrgs(ctx)
	if err != nil {
		return err
	}
	v.ReviewID, v.OrgName = pr.ID, orgs.name(pr.OrgCode)
	v.page = page{Title: v.Title, Section: "peer-reviews",
		Crumbs: []crumb{{"/", "Home"}, {"/peer-reviews", "Peer reviews"}, {peerReviewPath(pr.ID), "Peer review of " + v.OrgName}}}
	v.CancelURL = peerReviewPath(pr.ID) + "#stage-response_and_action_plan"
	// The ICB and the partners within it own its actions.
	v.Owners = []formChoice{{Value: pr.OrgCode, Label: orgs.name(pr.OrgCode)}}
	var partners []accord.Organisation
	for _, o := range orgs {
		if o.ParentCode == pr.OrgCode {
			partners = append(partners, o)
		}
	}
	slices.SortFunc(partners, byName)
	for _, o := range partners {
		v.Owners = append(v.Owners, formChoice{Value: o.Code, Label: o.Name})
	}
	for _, st := range accord.ActionStatuses {
		v.Statuses = append(v.Statuses, formChoice{Value: string(st), Label: st.Label()})
	}
	for _, f := range orderFindings(pr) {
		text := f.Text
		if len(text) > 120 {
			text = strings.TrimSpace(text[:strings.LastIndex(text[:120], " ")+1]) + "…"
		}
		v.Findings = append(v.Findings, formChoice{Value: strconv.FormatInt(f.ID, 10), Label: f.Rating.Label() + ": " + findingUnder(f, pr), Hint: text})
	}
	names, err := s.visibleTargetNames(r, pr)
	if err != nil {
		return err
	}
	ids := make([]int64, 0, len(names))
	for id := range names {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		v.Targets = append(v.Targets, formChoice{Value: strconv.FormatInt(id, 10), Label: names[id]})
	}
	inds, _, err := s.store.FindIndicators(ctx, accord.IndicatorFilter{})
	if err != nil {
		return err
	}
	byID := map[string]accord.Indicator{}
	for _, ind := range inds {
		byID[ind.ID] = ind
	}
	focus := pr.IndicatorIDs()
	for _, id := range focus {
		v.Indicators = append(v.Indicators, formChoice{Value: id, Label: cmp.Or(byID[id].Name, id)})
	}
	slices.SortFunc(inds, func(a, b accord.Indicator) int {
		return cmp.Or(strings.Compare(areaLabel(a.Area), areaLabel(b.Area)), strings.Compare(a.Name, b.Name))
	})
	for _, ind := range inds {
		if !slices.Contains(focus, ind.ID) {
			v.Others = append(v.Others, formChoice{Value: ind.ID, Label: areaLabel(ind.Area) + ": " + ind.Name})
		}
	}
	return s.renderStatus(w, status, "peerreview_action", v)
}

// planWrite is peerReviewWrite for the action plan's forms, which are open
// from the report's publication until the plan is agreed; outside that it
// is ECONFLICT, with the call, as findingsWrite is.
func (s *Server) planWrite(r *http.Request) (reviewCall, error) {
	call, err := s.peerReviewWrite(r, accord.ActWriteActionPlan, "")
	if err != nil {
		return call, err
	}
	pr := call.review
	if !pr.Published() {
		return call, accord.Errorf(accord.ECONFLICT, "The report of this review is not yet published: the action plan answers it once it is.")
	}
	if st, _ := pr.Stage(accord.StageResponseAndActionPlan); st.State == accord.StageDone {
		return call, accord.Errorf(accord.ECONFLICT, "The action plan was agreed on %s. Record progress on its actions on the review's page instead.", formatDate(st.Completed))
	}
	return call, nil
}

// newActionPage is GET /peer-reviews/{id}/actions/new.
func (s *Server) newActionPage(w http.ResponseWriter, r *http.Request) error {
	call, err := s.planWrite(r)
	if err != nil {
		return err
	}
	in := formInput{}
	in.set("owner_organisation", call.review.OrgCode)
	in.set("status", string(accord.ActionPlanned))
	v := &actionFormView{page: page{Title: "Add an action to the plan"}, In: in, Action: peerReviewPath(call.review.ID) + "/actions"}
	return s.renderAction(w, r, http.StatusOK, call.review, v)
}

func actionOf(r *http.Request, pr accord.PeerReview) (accord.ReviewAction, error) {
	id, err := pathID(r, "action", "action")
	if err != nil {
		return accord.ReviewAction{}, err
	}
	a, ok := pr.Action(id)
	if !ok {
		return accord.ReviewAction{}, accord.Errorf(accord.ENOTFOUND, "Peer review %d has no action %d.", pr.ID, id)
	}
	return a, nil
}

func inputOfAction(a accord.ReviewAction, focus []string) formInput {
	in := formInput{}
	in.set("title", a.Title)
	in.set("owner_name", a.OwnerName)
	in.set("owner_organisation", a.OwnerOrg)
	in.set("status", string(a.Status))
	in.setDate("due", a.Due)
	for _, id := range a.FindingIDs {
		in["findings"] = append(in["findings"], strconv.FormatInt(id, 10))
	}
	for _, id := range a.TargetIDs {
		in["targets"] = append(in["targets"], strconv.FormatInt(id, 10))
	}
	for _, id := range a.IndicatorIDs {
		if slices.Contains(focus, id) {
			in["indicators"] = append(in["indicators"], id)
		} else {
			in["other_indicator"] = append(in["other_indicator"], id)
		}
	}
	return in
}

// editActionPage is GET /peer-reviews/{id}/actions/{action}/edit.
func (s *Server) editActionPage(w http.ResponseWriter, r *http.Request) error {
	call, err := s.planWrite(r)
	if err != nil {
		return err
	}
	a, err := actionOf(r, call.review)
	if err != nil {
		return err
	}
	v := &actionFormView{page: page{Title: "Change an action"}, In: inputOfAction(a, call.review.IndicatorIDs()), Editing: true,
		Action: fmt.Sprintf("%s/actions/%d", peerReviewPath(call.review.ID), a.ID)}
	return s.renderAction(w, r, http.StatusOK, call.review, v)
}

// readAction reads the action form.
func readAction(r *http.Request, p *accord.Problems) accord.ReviewAction {
	v := func(name string) string { return strings.TrimSpace(r.PostFormValue(name)) }
	a := accord.ReviewAction{Title: v("title"), OwnerName: v("owner_name"), OwnerOrg: strings.ToUpper(v("owner_organisation")),
		Status: accord.ActionStatus(v("status"))}
	a.Due = readDate(r, "due", "due", "The due date", true, p)
	ids := func(name, what string) []int64 {
		var out []int64
		for _, raw := range r.PostForm[name] {
			id, err := strconv.ParseInt(strings.TrimSpace(raw), 10, 64)
			if err != nil || id <= 0 {
				p.Add(name, "Choose the %s from the list.", what)
				continue
			}
			if !slices.Contains(out, id) {
				out = append(out, id)
			}
		}
		return out
	}
	a.FindingIDs, a.TargetIDs = ids("findings", "findings"), ids("targets", "targets")
	for _, name := range []string{"indicators", "other_indicator"} {
		for _, id := range r.PostForm[name] {
			if id = strings.TrimSpace(id); id != "" && !slices.Contains(a.IndicatorIDs, id) {
				a.IndicatorIDs = append(a.IndicatorIDs, id)
			}
		}
	}
	return a
}

// saveAction is POST /peer-reviews/{id}/actions (a new action) and
// /peer-reviews/{id}/actions/{action} (a change to one).
func (s *Server) saveAction(w http.ResponseWriter, r *http.Request) error {
	call, err := s.planWrite(r)
	if accord.ErrorCode(err) == accord.ECONFLICT {
		return s.showReviewErrors(w, r, call, err, "stage-response_and_action_plan", nil)
	}
	if err != nil {
		return err
	}
	pr := call.review
	var cur accord.ReviewAction
	editing := r.PathValue("action") != ""
	if editing {
		if cur, err = actionOf(r, pr); err != nil {
			return err
		}
	}
	var p accord.Problems
	a := readAction(r, &p)
	a.ID = cur.ID
	if p, err = mergeProblems(p, a.Validate()); err != nil {
		return err
	}
	err = p.Err("The action is not valid")
	if err == nil {
		err = s.store.SaveAction(r.Context(), pr.ID, &a, call.actor)
	}
	if err == nil {
		return redirectDone(w, r, pr.ID, "action", "action-"+strconv.FormatInt(a.ID, 10))
	}
	errs, status, err := reviewFormErrors(err, "title", actionFields)
	if err != nil {
		return err
	}
	v := &actionFormView{page: page{Title: "Add an action to the plan"}, Errors: errs, In: inputOfForm(r), Action: peerReviewPath(pr.ID) + "/actions"}
	if editing {
		v.Title, v.Editing, v.Action = "Change an action", true, fmt.Sprintf("%s/actions/%d", peerReviewPath(pr.ID), cur.ID)
	}
	return s.renderAction(w, r, status, pr, v)
}

// updateActionProgress is POST /peer-reviews/{id}/actions/{action}/progress:
// the ICB records how an action is going, until the progress review.
func (s *Server) updateActionProgress(w http.ResponseWriter, r *http.Request) error {
	call, err := s.peerReviewWrite(r, accord.ActUpdateAction, "")
	if err != nil {
		return err
	}
	id, err := pathID(r, "action", "action")
	if err != nil {
		return err
	}
	n := strconv.FormatInt(id, 10)
	status := accord.ActionStatus(strings.TrimSpace(r.PostFormValue("status-" + n)))
	if _, err := s.store.UpdateActionProgress(r.Context(), call.review.ID, id, status, r.PostFormValue("note-"+n), call.actor); err != nil {
		return s.showReviewErrors(w, r, call, err, "note-"+n, map[string]formField{
			"status": {id: "status-" + n, label: "The status"},
			"note":   {id: "note-" + n},
		})
	}
	return redirectDone(w, r, call.review.ID, "progress", "action-"+n)
}
