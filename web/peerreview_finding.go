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

// The finding form: the team records the findings of its draft report,
// each rated and tied to evidence, and changes them until the report is
// published; after that a finding stands, and the system responds to it.

type findingFormView struct {
	page
	Errors       formProblems
	In           formInput
	ReviewID     int64
	OrgName      string
	Action       string
	CancelURL    string
	DeleteURL    string
	Editing      bool
	Unders       []formChoice
	Ratings      []formChoice
	Indicators   []formChoice
	Orgs         []formChoice
	EvidenceRows []int
}

var findingFields = map[string]formField{
	"theme":    {id: "under", label: "What the finding is under"},
	"rating":   {id: "rating", label: "The rating"},
	"text":     {id: "text", label: "The finding"},
	"evidence": {id: "evidence-1-indicator"},
}

var ratingHints = map[accord.FindingRating]string{
	accord.RatingStrength:           "Something the system does well that others could learn from.",
	accord.RatingAreaForImprovement: "Something the system should do better.",
	accord.RatingSeriousConcern:     "A risk to patients or to the system that needs action now. The system must respond to it before its action plan is agreed.",
}

func (s *Server) renderFinding(w http.ResponseWriter, r *http.Request, status int, pr accord.PeerReview, v *findingFormView) error {
	ctx := r.Context()
	orgs, err := s.loadViewOrgs(ctx)
	if err != nil {
		return err
	}
	v.ReviewID, v.OrgName = pr.ID, orgs.name(pr.OrgCode)
	v.page = page{Title: v.Title, Section: "peer-reviews",
		Crumbs: []crumb{{"/", "Home"}, {"/peer-reviews", "Peer reviews"}, {peerReviewPath(pr.ID), "Peer review of " + v.OrgName}}}
	v.CancelURL = peerReviewPath(pr.ID) + "#stage-review"
	for _, t := range accord.CoreThemes {
		v.Unders = append(v.Unders, formChoice{Value: "theme:" + t.ID, Label: t.Title, Hint: "A core theme"})
	}
	for _, fa := range pr.FocusAreas {
		v.Unders = append(v.Unders, formChoice{Value: "focus:" + strconv.FormatInt(fa.ID, 10), Label: fa.Title, Hint: "A focus area"})
	}
	for _, rt := range accord.FindingRatings {
		v.Ratings = append(v.Ratings, formChoice{Value: string(rt), Label: rt.Label(), Hint: ratingHints[rt]})
	}
	inds, _, err := s.store.FindIndicators(ctx, accord.IndicatorFilter{})
	if err != nil {
		return err
	}
	focus := pr.IndicatorIDs()
	slices.SortFunc(inds, func(a, b accord.Indicator) int {
		ia, ib := slices.Index(focus, a.ID), slices.Index(focus, b.ID)
		if ia < 0 {
			ia = len(focus)
		}
		if ib < 0 {
			ib = len(focus)
		}
		return cmp.Or(cmp.Compare(ia, ib), strings.Compare(areaLabel(a.Area), areaLabel(b.Area)), strings.Compare(a.Name, b.Name))
	})
	for _, ind := range inds {
		label := areaLabel(ind.Area) + ": " + ind.Name
		if slices.Contains(focus, ind.ID) {
			label += " (a focus area's)"
		}
		v.Indicators = append(v.Indicators, formChoice{Value: ind.ID, Label: label})
	}
	// The reviewed system and England first, then every other ICB, since
	// evidence is most often the system against its benchmark or a peer.
	v.Orgs = []formChoice{{Value: pr.OrgCode, Label: orgs.name(pr.OrgCode)}, {Value: accord.EnglandCode, Label: "England"}}
	var icbs []accord.Organisation
	for _, o := range orgs {
		if o.Type == accord.OrgICB && o.Code != pr.OrgCode {
			icbs = append(icbs, o)
		}
	}
	slices.SortFunc(icbs, byName)
	for _, o := range icbs {
		v.Orgs = append(v.Orgs, formChoice{Value: o.Code, Label: o.Name})
	}
	for n := 1; n <= evidenceSlots; n++ {
		v.EvidenceRows = append(v.EvidenceRows, n)
	}
	return s.renderStatus(w, status, "peerreview_finding", v)
}

// findingsWrite is peerReviewWrite for the finding forms, which are only
// open between the team being formed and the report being published; a
// finding of a published report stands. A refusal for that reason is
// ECONFLICT, with the call, so a form sent anyway can be answered on the
// review page.
func (s *Server) findingsWrite(r *http.Request) (reviewCall, error) {
	call, err := s.peerReviewWrite(r, accord.ActRecordFinding, "")
	if err != nil {
		return call, err
	}
	pr := call.review
	if pr.Published() {
		return call, accord.Errorf(accord.ECONFLICT, "The report of this review was published on %s: its findings stand as published, and the system responds to them.",
			formatDate(pr.Report.PublishedAt))
	}
	if st, _ := pr.Stage(accord.StageTeamFormation); st.State != accord.StageDone {
		return call, accord.Errorf(accord.ECONFLICT, "The review team is not yet formed: findings are recorded once it is.")
	}
	return call, nil
}

// newFindingPage is GET /peer-reviews/{id}/findings/new.
func (s *Server) newFindingPage(w http.ResponseWriter, r *http.Request) error {
	call, err := s.findingsWrite(r)
	if err != nil {
		return err
	}
	in := formInput{}
	in.set("evidence-1-organisation", call.review.OrgCode)
	v := &findingFormView{page: page{Title: "Record a finding"}, In: in, Action: peerReviewPath(call.review.ID) + "/findings"}
	return s.renderFinding(w, r, http.StatusOK, call.review, v)
}

// findingOf finds the finding named in the path among pr's.
func findingOf(r *http.Request, pr accord.PeerReview) (accord.Finding, error) {
	id, err := pathID(r, "finding", "finding")
	if err != nil {
		return accord.Finding{}, err
	}
	f, ok := pr.Finding(id)
	if !ok {
		return accord.Finding{}, accord.Errorf(accord.ENOTFOUND, "Peer review %d has no finding %d.", pr.ID, id)
	}
	return f, nil
}

func inputOfFinding(f accord.Finding) formInput {
	in := formInput{}
	if f.ThemeID != "" {
		in.set("under", "theme:"+f.ThemeID)
	} else if f.FocusAreaID != 0 {
		in.set("under", "focus:"+strconv.FormatInt(f.FocusAreaID, 10))
	}
	in.set("rating", string(f.Rating))
	in.set("text", f.Text)
	in.set("recommendation", f.Recommendation)
	for i, e := range f.Evidence {
		if i == evidenceSlots {
			break
		}
		n := strconv.Itoa(i + 1)
		in.set("evidence-"+n+"-indicator", e.IndicatorID)
		in.set("evidence-"+n+"-organisation", e.OrgCode)
		in.set("evidence-"+n+"-title", e.DocumentTitle)
		in.set("evidence-"+n+"-url", e.URL)
	}
	return in
}

func editFindingView(pr accord.PeerReview, f accord.Finding, in formInput, errs formProblems) *findingFormView {
	path := fmt.Sprintf("%s/findings/%d", peerReviewPath(pr.ID), f.ID)
	return &findingFormView{page: page{Title: "Change a finding"}, Errors: errs, In: in, Editing: true,
		Action: path, DeleteURL: path + "/delete"}
}

// editFindingPage is GET /peer-reviews/{id}/findings/{finding}/edit. A
// finding of a published report has no edit page.
func (s *Server) editFindingPage(w http.ResponseWriter, r *http.Request) error {
	call, err := s.findingsWrite(r)
	if err != nil {
		return err
	}
	f, err := findingOf(r, call.review)
	if err != nil {
		return err
	}
	return s.renderFinding(w, r, http.StatusOK, call.review, editFindingView(call.review, f, inputOfFinding(f), nil))
}

// readFinding reads the finding form.
func readFinding(r *http.Request, p *accord.Problems) accord.Finding {
	v := func(name string) string { return strings.TrimSpace(r.PostFormValue(name)) }
	f := accord.Finding{Rating: accord.FindingRating(v("rating")), Text: v("text"), Recommendation: v("recommendation")}
	under := v("under")
	switch {
	case strings.HasPrefix(under, "theme:"):
		f.ThemeID = strings.TrimPrefix(under, "theme:")
	case strings.HasPrefix(under, "focus:"):
		id, err := strconv.ParseInt(strings.TrimPrefix(under, "focus:"), 10, 64)
		if err != nil || id <= 0 {
			p.Add("under", "Choose a core theme or focus area from the list.")
		}
		f.FocusAreaID = id
	case under == "":
		p.Add("under", "Choose the core theme or focus area the finding is under.")
	default:
		p.Add("under", "Choose a core theme or focus area from the list.")
	}
	if f.Rating == "" {
		p.Add("rating", "Choose whether the finding is a strength, an area for improvement or a serious concern.")
	}
	for n := 1; n <= evidenceSlots; n++ {
		k := "evidence-" + strconv.Itoa(n) + "-"
		ind, title, link := v(k+"indicator"), v(k+"title"), v(k+"url")
		if ind == "" && title == "" && link == "" {
			continue // the organisation alone is the form's default, not evidence
		}
		e := accord.Evidence{IndicatorID: ind, DocumentTitle: title, URL: link}
		if ind != "" {
			e.OrgCode = strings.ToUpper(v(k + "organisation"))
		}
		f.Evidence = append(f.Evidence, e)
	}
	return f
}

// recordFinding is POST /peer-reviews/{id}/findings.
func (s *Server) recordFinding(w http.ResponseWriter, r *http.Request) error {
	call, err := s.findingsWrite(r)
	if accord.ErrorCode(err) == accord.ECONFLICT {
		return s.showReviewErrors(w, r, call, err, "findings", nil)
	}
	if err != nil {
		return err
	}
	var p accord.Problems
	f := readFinding(r, &p)
	if p, err = mergeProblems(p, renameField(f.Validate(), "theme", "under")); err != nil {
		return err
	}
	err = p.Err("The finding is not valid")
	if err == nil {
		err = s.store.RecordFinding(r.Context(), call.review.ID, &f, call.actor)
	}
	if err == nil {
		return redirectDone(w, r, call.review.ID, "finding", "finding-"+strconv.FormatInt(f.ID, 10))
	}
	errs, status, err := reviewFormErrors(err, "text", findingFields)
	if err != nil {
		return err
	}
	v := &findingFormView{page: page{Title: "Record a finding"}, Errors: errs, In: inputOfForm(r), Action: peerReviewPath(call.review.ID) + "/findings"}
	return s.renderFinding(w, r, status, call.review, v)
}

// updateFinding is POST /peer-reviews/{id}/findings/{finding}: refused
// once the report is published, by findingsWrite and again by the store.
func (s *Server) updateFinding(w http.ResponseWriter, r *http.Request) error {
	call, err := s.findingsWrite(r)
	if accord.ErrorCode(err) == accord.ECONFLICT {
		return s.showReviewErrors(w, r, call, err, "findings", nil)
	}
	if err != nil {
		return err
	}
	cur, err := findingOf(r, call.review)
	if err != nil {
		return err
	}
	var p accord.Problems
	f := readFinding(r, &p)
	f.ID = cur.ID
	if p, err = mergeProblems(p, renameField(f.Validate(), "theme", "under")); err != nil {
		return err
	}
	err = p.Err("The finding is not valid")
	if err == nil {
		_, err = s.store.UpdateFinding(r.Context(), call.review.ID, f, call.actor)
	}
	if err == nil {
		return redirectDone(w, r, call.review.ID, "finding", "finding-"+strconv.FormatInt(f.ID, 10))
	}
	errs, status, err := reviewFormErrors(err, "text", findingFields)
	if err != nil {
		return err
	}
	return s.renderFinding(w, r, status, call.review, editFindingView(call.review, cur, inputOfForm(r), errs))
}

// deleteFinding is POST /peer-reviews/{id}/findings/{finding}/delete.
func (s *Server) deleteFinding(w http.ResponseWriter, r *http.Request) error {
	call, err := s.findingsWrite(r)
	if accord.ErrorCode(err) == accord.ECONFLICT {
		return s.showReviewErrors(w, r, call, err, "findings", nil)
	}
	if err != nil {
		return err
	}
	f, err := findingOf(r, call.review)
	if err != nil {
		return err
	}
	if err := s.store.DeleteFinding(r.Context(), call.review.ID, f.ID, call.actor, strings.TrimSpace(r.PostFormValue("reason"))); err != nil {
		return err
	}
	return redirectDone(w, r, call.review.ID, "deleted", "stage-review")
}

// renameField renames one field of a validation error, where the form
// calls the domain's field something else.
func renameField(err error, from, to string) error {
	e, ok := err.(*accord.Error)
	if !ok {
		return err
	}
	out := *e
	out.Fields = slices.Clone(e.Fields)
	for i := range out.Fields {
		if out.Fields[i].Field == from {
			out.Fields[i].Field = to
		}
	}
	return &out
}
