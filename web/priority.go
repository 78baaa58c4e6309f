package web

import (
	"cmp"
	"context"
	"net/http"
	"slices"
	"strings"

	"github.com/nhs-accord/accord"
)

// hewittCeiling is the number of national targets the Hewitt review of
// integrated care systems (2023) suggested as a ceiling.
const hewittCeiling = 10

var standardTypeNames = []string{string(accord.Constitutional), string(accord.Planning)}

// allPriorities returns the register in a stable order: by type, area,
// then name.
func (s *Server) allPriorities(ctx context.Context, f accord.PriorityFilter) ([]accord.Priority, error) {
	ps, _, err := s.store.FindPriorities(ctx, f)
	if err != nil {
		return nil, err
	}
	slices.SortFunc(ps, func(a, b accord.Priority) int {
		return cmp.Or(strings.Compare(string(a.StandardType), string(b.StandardType)),
			strings.Compare(a.Area, b.Area), strings.Compare(a.Name, b.Name), strings.Compare(a.ID, b.ID))
	})
	return ps, nil
}

// --- API ---

// priorityJSON is a national priority in API answers.
type priorityJSON struct {
	ID           string              `json:"id"`
	Area         string              `json:"area"`
	Name         string              `json:"name"`
	StandardType accord.StandardType `json:"standard_type"`
	Metric       string              `json:"metric"`
	IndicatorID  string              `json:"indicator_id"` // "" when Accord does not yet measure it
	Comparator   accord.Comparator   `json:"comparator"`
	Standard     float64             `json:"standard"`
	Unit         string              `json:"unit"`
	Deadline     accord.Date         `json:"deadline"` // null for a standing standard
	Source       string              `json:"source"`
	SetBy        string              `json:"set_by"`
	Confidence   string              `json:"confidence"`
}

func prioritiesJSON(ps []accord.Priority) []priorityJSON {
	out := make([]priorityJSON, len(ps))
	for i, p := range ps {
		out[i] = priorityJSON{
			ID: p.ID, Area: p.Area, Name: p.Name, StandardType: p.StandardType, Metric: p.Metric,
			IndicatorID: p.IndicatorID, Comparator: p.Comparator, Standard: p.Standard, Unit: p.Unit,
			Deadline: p.Deadline, Source: p.Source, SetBy: p.SetBy, Confidence: p.Confidence,
		}
	}
	return out
}

// apiPriorities is GET /api/v1/priorities?type=&area=&indicator=.
func (s *Server) apiPriorities(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	q := readQuery(r, "type", "area", "indicator", "limit", "offset")
	f := accord.PriorityFilter{StandardType: accord.StandardType(q.oneOf("type", standardTypeNames))}
	pg := q.page()
	if area := q.one("area"); area != "" {
		all, err := s.allPriorities(ctx, accord.PriorityFilter{})
		if err != nil {
			return err
		}
		var areas []string
		for _, p := range all {
			if !slices.Contains(areas, p.Area) {
				areas = append(areas, p.Area)
			}
		}
		slices.Sort(areas)
		f.Area = q.check("area", area, areas)
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
	if err := q.err(); err != nil {
		return err
	}
	ps, err := s.allPriorities(ctx, f)
	if err != nil {
		return err
	}
	// The register is a few dozen rows: page it here.
	total := len(ps)
	ps = ps[min(pg.Offset, total):min(pg.Offset+pg.Limit, total)]
	return writeJSON(w, http.StatusOK, newList(prioritiesJSON(ps), total, pg))
}

// --- Pages ---

// priorityRow is one national priority in a table.
type priorityRow struct {
	ID, Name, Area, Metric string
	Standard               string // in words: "at least 65%"
	Deadline               string // "31 March 2026" or "Standing"
	Source, SetBy          string
	IndicatorID            string
}

func priorityRowOf(p accord.Priority) priorityRow {
	row := priorityRow{
		ID: p.ID, Name: p.Name, Area: areaLabel(p.Area), Metric: p.Metric,
		Standard: standardWords(p), Deadline: "Standing",
		Source: p.Source, SetBy: p.SetBy, IndicatorID: p.IndicatorID,
	}
	if !p.Standing() {
		row.Deadline = formatDate(p.Deadline)
	}
	if row.SetBy == "" {
		row.SetBy = "Not recorded"
	}
	return row
}

// standardWords writes a standard with its comparator in words, as in
// "at least 65%" or "at most 30 minutes".
func standardWords(p accord.Priority) string {
	v := formatNumber(p.Standard)
	switch strings.ReplaceAll(p.Unit, "_", " ") {
	case "percent", "%":
		v += "%"
	case "":
	default:
		v += " " + strings.ReplaceAll(p.Unit, "_", " ")
	}
	return p.Comparator.Label() + " " + v
}

type prioritiesView struct {
	page
	Constitutional []priorityRow
	Planning       []priorityRow
	Today          accord.Date
	OpenPlanning   int // planning priorities whose deadline has not passed
	Ceiling        int
	OverCeiling    int
}

// prioritiesPage is GET /priorities: constitutional standards and planning
// priorities, and how many national targets are live against the Hewitt
// review's suggested ceiling.
func (s *Server) prioritiesPage(w http.ResponseWriter, r *http.Request) error {
	asCSV, err := wantCSV(r)
	if err != nil {
		return err
	}
	ps, err := s.allPriorities(r.Context(), accord.PriorityFilter{})
	if err != nil {
		return err
	}
	if asCSV {
		rows := make([][]string, 0, len(ps))
		for _, p := range ps {
			rows = append(rows, []string{p.ID, string(p.StandardType), p.Area, p.Name, p.Metric, string(p.Comparator),
				formatCSVNumber(p.Standard), p.Unit, p.Deadline.String(), p.Source, p.SetBy, p.IndicatorID, p.Confidence})
		}
		return writeCSV(w, "priorities.csv", []string{"id", "standard_type", "area", "name", "metric", "comparator",
			"standard", "unit", "deadline", "source", "set_by", "indicator_id", "confidence"}, rows)
	}

	v := prioritiesView{
		page:    page{Title: "National priorities", Section: "priorities", Crumbs: []crumb{{"/", "Home"}}},
		Today:   accord.NewDate(s.now().Date()),
		Ceiling: hewittCeiling,
	}
	for _, p := range ps {
		switch p.StandardType {
		case accord.Constitutional:
			v.Constitutional = append(v.Constitutional, priorityRowOf(p))
		case accord.Planning:
			v.Planning = append(v.Planning, priorityRowOf(p))
			if !p.Standing() && !p.Deadline.Before(v.Today.Time) {
				v.OpenPlanning++
			}
		}
	}
	v.OverCeiling = max(v.OpenPlanning-v.Ceiling, 0)
	return s.render(w, "priorities", &v)
}
