package web

import (
	"net/http"

	"github.com/nhs-accord/accord"
)

// apiObservations is GET /api/v1/observations with filters indicator,
// organisation (repeatable, or a comma list; ODS or ONS codes), from and to
// (periods such as 2025-04 or 2025/26, inclusive, compared by start) and
// breakdown (sex=female;imd=1, "total" for the whole population, which is
// the default, or "any" for every breakdown).
func (s *Server) apiObservations(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	q := readQuery(r, "indicator", "organisation", "from", "to", "breakdown", "limit", "offset")
	f := accord.ObservationFilter{From: q.period("from"), To: q.period("to")}
	pg := q.page()
	if !f.From.IsZero() && !f.To.IsZero() && f.To.Start().Before(f.From.Start()) {
		q.problems.Add("to", "%s starts before from (%s)", f.To, f.From)
	}

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

	switch b := q.one("breakdown"); b {
	case "", "total":
	case "any":
		f.AnyBreakdown = true
	default:
		bd, err := accord.ParseBreakdown(b)
		if err != nil {
			q.problems.Add("breakdown", "%s", accord.ErrorMessage(err))
		}
		f.Breakdown = bd
	}

	if err := q.err(); err != nil {
		return err
	}
	f.Offset, f.Limit = pg.Offset, pg.storeLimit()
	obs, total, err := s.store.FindObservations(ctx, f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, newList(obs, total, pg))
}
