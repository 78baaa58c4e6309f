package web

import (
	"context"
	"net/http"
	"time"

	"github.com/nhs-accord/accord"
)

// observationParams are the query parameters that select observations, for
// /api/v1/observations and /api/v1/revisions alike.
var observationParams = []string{"indicator", "organisation", "from", "to", "breakdown", "limit", "offset"}

// observationFilter reads the filters shared by the observation endpoints:
// indicator, organisation (repeatable, or a comma list; ODS or ONS codes),
// from and to (periods such as 2025-04 or 2025/26, inclusive, compared by
// start) and breakdown (sex=female;imd=1, "total" for the whole population,
// which is the default, or "any" for every breakdown). Problems are added
// to q; the error is for a failed lookup.
func (s *Server) observationFilter(ctx context.Context, q *query) (accord.ObservationFilter, pageRequest, error) {
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
			return f, pg, err
		}
		f.IndicatorID = ind.ID
	}
	for _, code := range q.list("organisation") {
		org, err := s.findOrganisation(ctx, code)
		switch {
		case accord.ErrorCode(err) == accord.ENOTFOUND:
			q.problems.Add("organisation", "no organisation has the code %q", code)
		case err != nil:
			return f, pg, err
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
	f.Offset, f.Limit = pg.Offset, pg.storeLimit()
	return f, pg, nil
}

// observationJSON is an observation in API answers. It keeps the domain's
// field names, and always says which import wrote it: null when it was
// added outside an import.
type observationJSON struct {
	accord.Observation
	ImportID *int64 `json:"import_id"`
}

func observationJSONOf(o accord.Observation) observationJSON {
	j := observationJSON{Observation: o}
	if o.ImportID != 0 {
		id := o.ImportID
		j.ImportID = &id
	}
	return j
}

// revisionJSON is an earlier published value in API answers: the
// observation as it was, and the import that replaced it.
type revisionJSON struct {
	observationJSON
	ReplacedBy int64     `json:"replaced_by_import"`
	ReplacedAt time.Time `json:"replaced_at"`
}

// apiObservations is GET /api/v1/observations; observationFilter lists its
// filters.
func (s *Server) apiObservations(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	q := readQuery(r, observationParams...)
	f, pg, err := s.observationFilter(ctx, q)
	if err != nil {
		return err
	}
	if err := q.err(); err != nil {
		return err
	}
	obs, total, err := s.store.FindObservations(ctx, f)
	if err != nil {
		return err
	}
	items := make([]observationJSON, len(obs))
	for i, o := range obs {
		items[i] = observationJSONOf(o)
	}
	return writeJSON(w, http.StatusOK, newList(items, total, pg))
}

// apiRevisions is GET /api/v1/revisions: the earlier published values of
// the observations the same filters select, newest replacement first.
func (s *Server) apiRevisions(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	q := readQuery(r, observationParams...)
	f, pg, err := s.observationFilter(ctx, q)
	if err != nil {
		return err
	}
	if err := q.err(); err != nil {
		return err
	}
	revs, total, err := s.store.FindRevisions(ctx, f)
	if err != nil {
		return err
	}
	items := make([]revisionJSON, len(revs))
	for i, rv := range revs {
		items[i] = revisionJSON{observationJSON: observationJSONOf(rv.Observation), ReplacedBy: rv.ReplacedBy, ReplacedAt: rv.ReplacedAt}
	}
	return writeJSON(w, http.StatusOK, newList(items, total, pg))
}
