package web

import (
	"net/http"

	"github.com/nhs-accord/accord"
)

// apiAssessments is GET /api/v1/assessments: what the statistics say of
// each series, with filters indicator, organisation (repeatable or a comma
// list), type (the organisations' type) and breakdown=any for every
// breakdown (whole-population series by default).
func (s *Server) apiAssessments(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	q := readQuery(r, "indicator", "organisation", "type", "breakdown", "limit", "offset")
	f := accord.AssessmentFilter{}
	pg := q.page()
	if id := q.one("indicator"); id != "" {
		ind, err := s.store.FindIndicator(ctx, id)
		switch {
		case accord.ErrorCode(err) == accord.ENOTFOUND:
			q.problems.Add("indicator", "no indicator has the id %q", id)
		case err != nil:
			return err
		}
		f.IndicatorID = ind.ID
	}
	for _, code := range q.list("organisation") {
		org, err := s.findOrganisation(ctx, code)
		switch {
		case accord.ErrorCode(err) == accord.ENOTFOUND:
			q.problems.Add("organisation", "no organisation has the code %q", code)
		case err != nil:
			return err
		default:
			f.OrgCodes = append(f.OrgCodes, org.Code)
		}
	}
	types := make([]string, len(accord.OrgTypes))
	for i, t := range accord.OrgTypes {
		types[i] = string(t)
	}
	f.OrgType = accord.OrgType(q.oneOf("type", types))
	f.AnyBreakdown = q.oneOf("breakdown", []string{"any", "total"}) == "any"
	if err := q.err(); err != nil {
		return err
	}
	f.Offset, f.Limit = pg.Offset, max(pg.Limit, 1)
	items, total, err := s.store.FindAssessments(ctx, f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, newList(items, total, pg))
}
