package web

import (
	"cmp"
	"fmt"
	"net/http"
	"strings"

	"github.com/nhs-accord/accord"
	"github.com/nhs-accord/accord/charts"
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

// assessmentRows says in words what the statistics say of a series.
func assessmentRows(a accord.Assessment, ind accord.Indicator) []summaryRow {
	val := func(v float64) string { return formatValue(v, ind.Unit) }
	rows := []summaryRow{{"Latest value", val(a.Value) + " in " + a.Latest.String()}}
	if a.LowerCI != nil && a.UpperCI != nil {
		rows[0].Value += fmt.Sprintf(" (95%% interval %s to %s)", val(*a.LowerCI), val(*a.UpperCI))
	}
	words := map[string]string{"better": "better than", "worse": "worse than", "similar": "similar to", "higher": "higher than",
		"lower": "lower than", "not_compared": "not compared with (no interval is held)"}
	if a.England != nil {
		rows = append(rows, summaryRow{"Compared with England", fmt.Sprintf("%s England (%s)", cmp.Or(words[a.VsEngland], a.VsEngland), val(*a.England))})
	}
	if a.PeerMean != nil {
		rows = append(rows, summaryRow{"Compared with peer ICBs", fmt.Sprintf("%s the average of its peers (%s); ranked %d of %d",
			cmp.Or(words[a.VsPeers], a.VsPeers), val(*a.PeerMean), a.PeerRank, a.PeerCount)})
	}
	if a.VariationIcon != "" {
		rows = append(rows, summaryRow{"Variation (SPC)", charts.VariationText(a.VariationIcon)})
	}
	if a.AssuranceIcon != "" {
		rows = append(rows, summaryRow{"Assurance (SPC)", charts.AssuranceText(a.AssuranceIcon)})
	}
	if a.Trajectory != "" {
		rows = append(rows, summaryRow{"Against its local target", strings.ReplaceAll(a.Trajectory, "_", " ")})
	}
	return rows
}
