package web

import (
	"net/http"

	"github.com/nhs-accord/accord"
)

// peerReviewJSON is a peer review in API answers: the review as the caller
// may see it, and where it has got, worked out on the server's day so that
// every client agrees on what is overdue.
type peerReviewJSON struct {
	accord.PeerReview
	State         accord.PeerReviewState `json:"state"`
	CurrentStage  accord.StageName       `json:"current_stage"` // "" once every stage is done
	OverdueStages []accord.StageName     `json:"overdue_stages"`
	URL           string                 `json:"url"` // the review's page
}

func (s *Server) peerReviewJSONOf(pr accord.PeerReview) peerReviewJSON {
	out := peerReviewJSON{PeerReview: pr, State: pr.State(), OverdueStages: []accord.StageName{}, URL: peerReviewPath(pr.ID)}
	if cur, ok := pr.CurrentStage(); ok {
		out.CurrentStage = cur.Name
	}
	for _, st := range pr.Overdue(s.viewToday()) {
		out.OverdueStages = append(out.OverdueStages, st.Name)
	}
	return out
}

func reviewStateNames() []string {
	out := make([]string, len(accord.PeerReviewStates))
	for i, st := range accord.PeerReviewStates {
		out[i] = string(st)
	}
	return out
}

func stageNames() []string {
	out := make([]string, len(accord.StageNames))
	for i, n := range accord.StageNames {
		out[i] = string(n)
	}
	return out
}

// reviewFilter reads the list filters shared by the API and the programme
// page, and scopes the list to what the viewer may see, in the query
// itself, so that neither the list nor its total leaks a review.
func (s *Server) reviewFilter(r *http.Request, q *query) (accord.PeerReviewFilter, error) {
	f := accord.PeerReviewFilter{
		State: accord.PeerReviewState(q.oneOf("state", reviewStateNames())),
		Stage: accord.StageName(q.oneOf("stage", stageNames())),
	}
	if code := q.one("organisation"); code != "" {
		org, err := s.findOrganisation(r.Context(), code)
		switch accord.ErrorCode(err) {
		case "":
			f.OrgCode = org.Code
		case accord.ENOTFOUND:
			q.problems.Add("organisation", "no organisation has the code %q", code)
		default:
			return f, err
		}
	}
	v := accord.PeerReviewVisibilityOf(s.currentUser(r))
	f.Visible = &v
	return f, nil
}

// visibleReviews is the page of reviews f selects, each as the viewer may
// see it. The store's visibility is the list's scope; PeerReviewAsSeenBy
// then decides what of each is shown, and drops (with a warning, since the
// two should agree) any the store let through that the viewer may not see.
func (s *Server) visibleReviews(r *http.Request, f accord.PeerReviewFilter) ([]accord.PeerReview, int, error) {
	rs, total, err := s.store.FindPeerReviews(r.Context(), f)
	if err != nil {
		return nil, 0, err
	}
	a := s.reviewAccess(r)
	out := make([]accord.PeerReview, 0, len(rs))
	for _, pr := range rs {
		seen, ok, err := a.seen(pr)
		if err != nil {
			return nil, 0, err
		}
		if !ok {
			s.log.WarnContext(r.Context(), "peer review listed but not visible", "review", pr.ID)
			total--
			continue
		}
		out = append(out, seen)
	}
	return out, total, nil
}

// apiPeerReviews is GET /api/v1/peer-reviews?organisation=&state=&stage=:
// the reviews the caller may see, newest first.
func (s *Server) apiPeerReviews(w http.ResponseWriter, r *http.Request) error {
	q := readQuery(r, "organisation", "state", "stage", "limit", "offset")
	f, err := s.reviewFilter(r, q)
	if err != nil {
		return err
	}
	pg := q.page()
	if err := q.err(); err != nil {
		return err
	}
	f.Offset, f.Limit = pg.Offset, pg.storeLimit()
	rs, total, err := s.visibleReviews(r, f)
	if err != nil {
		return err
	}
	items := make([]peerReviewJSON, len(rs))
	for i, pr := range rs {
		items[i] = s.peerReviewJSONOf(pr)
	}
	return writeJSON(w, http.StatusOK, newList(items, total, pg))
}

// apiPeerReview is GET /api/v1/peer-reviews/{id}: the whole review as the
// caller may see it; 404 when they may not see it at all.
func (s *Server) apiPeerReview(w http.ResponseWriter, r *http.Request) error {
	a := s.reviewAccess(r)
	pr, err := s.findReview(r, a)
	if err != nil {
		return err
	}
	seen, _, err := a.seen(pr)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, s.peerReviewJSONOf(seen))
}
