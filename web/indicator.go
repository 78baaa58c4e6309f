package web

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/nhs-accord/accord"
)

// tagNames are the indicator tags a client may filter by.
var tagNames = []string{
	string(accord.TagOutcome), string(accord.TagProcess),
	string(accord.TagAcute), string(accord.TagPreventative), string(accord.TagInequality),
}

// indicatorAreas lists the areas the catalogue uses, so an unknown
// ?area= is a clear 400 rather than an empty list. The catalogue is small.
func (s *Server) indicatorAreas(ctx context.Context) ([]string, error) {
	inds, _, err := s.store.FindIndicators(ctx, accord.IndicatorFilter{})
	if err != nil {
		return nil, err
	}
	var areas []string
	for _, ind := range inds {
		if !slices.Contains(areas, ind.Area) {
			areas = append(areas, ind.Area)
		}
	}
	slices.Sort(areas)
	return areas, nil
}

// --- API ---

// indicatorDetail is GET /api/v1/indicators/{id}: the indicator and the
// national priorities measured by it.
type indicatorDetail struct {
	accord.Indicator
	Priorities []priorityJSON `json:"priorities"`
}

// apiIndicators is GET /api/v1/indicators?tag=&area=&q=.
func (s *Server) apiIndicators(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	q := readQuery(r, "tag", "area", "q", "limit", "offset")
	f := accord.IndicatorFilter{Tag: accord.Tag(q.oneOf("tag", tagNames)), Query: q.text("q")}
	pg := q.page()
	if area := q.one("area"); area != "" {
		areas, err := s.indicatorAreas(ctx)
		if err != nil {
			return err
		}
		f.Area = q.check("area", area, areas)
	}
	if err := q.err(); err != nil {
		return err
	}
	f.Offset, f.Limit = pg.Offset, pg.storeLimit()
	inds, total, err := s.store.FindIndicators(ctx, f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, newList(inds, total, pg))
}

// apiIndicator is GET /api/v1/indicators/{id}.
func (s *Server) apiIndicator(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if err := readQuery(r).err(); err != nil {
		return err
	}
	ind, err := s.store.FindIndicator(ctx, r.PathValue("id"))
	if err != nil {
		return err
	}
	ps, _, err := s.store.FindPriorities(ctx, accord.PriorityFilter{IndicatorID: ind.ID})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, indicatorDetail{Indicator: ind, Priorities: prioritiesJSON(ps)})
}

// --- Pages ---

// indicatorRow is one indicator in the catalogue table.
type indicatorRow struct {
	ID, Name, Unit, Polarity, Frequency, Source, SourceURL string
	Tags                                                   []accord.Tag
}

// areaGroup is one area of care's table in the catalogue.
type areaGroup struct {
	Area, Label string
	Indicators  []indicatorRow
}

type indicatorsView struct {
	page
	Areas []areaGroup
	Count int
}

// indicatorsPage is GET /indicators: the catalogue, one table per area.
func (s *Server) indicatorsPage(w http.ResponseWriter, r *http.Request) error {
	asCSV, err := wantCSV(r)
	if err != nil {
		return err
	}
	inds, _, err := s.store.FindIndicators(r.Context(), accord.IndicatorFilter{})
	if err != nil {
		return err
	}
	slices.SortFunc(inds, func(a, b accord.Indicator) int {
		if c := strings.Compare(areaLabel(a.Area), areaLabel(b.Area)); c != 0 {
			return c
		}
		return strings.Compare(a.Name, b.Name)
	})
	if asCSV {
		rows := make([][]string, 0, len(inds))
		for _, ind := range inds {
			tags := make([]string, len(ind.Tags))
			for i, t := range ind.Tags {
				tags[i] = string(t)
			}
			fid := ""
			if ind.FingertipsID != 0 {
				fid = strconv.Itoa(ind.FingertipsID)
			}
			rows = append(rows, []string{ind.ID, ind.Name, ind.Area, string(ind.Unit), string(ind.Polarity),
				string(ind.Method), string(ind.Frequency), strings.Join(tags, ";"), ind.Source, ind.SourceURL, fid})
		}
		return writeCSV(w, "indicators.csv", []string{"id", "name", "area", "unit", "polarity", "method",
			"frequency", "tags", "source", "source_url", "fingertips_id"}, rows)
	}

	v := indicatorsView{page: page{Title: "Indicators", Section: "indicators", Crumbs: []crumb{{"/", "Home"}}}, Count: len(inds)}
	for _, ind := range inds {
		if n := len(v.Areas); n == 0 || v.Areas[n-1].Area != ind.Area {
			v.Areas = append(v.Areas, areaGroup{Area: ind.Area, Label: areaLabel(ind.Area)})
		}
		g := &v.Areas[len(v.Areas)-1]
		g.Indicators = append(g.Indicators, indicatorRow{
			ID: ind.ID, Name: ind.Name, Unit: unitLabel(ind.Unit), Polarity: ind.Polarity.Label(),
			Frequency: frequencyLabel(ind.Frequency), Source: ind.Source, SourceURL: ind.SourceURL, Tags: ind.Tags,
		})
	}
	return s.render(w, "indicators", &v)
}

type indicatorView struct {
	page
	Ind        accord.Indicator
	AreaLabel  string
	Unit       string
	Method     string
	Frequency  string
	Priorities []priorityRow
	Compared   *comparisonView // nil: too few ICBs have a value
}

// indicatorPage is GET /indicators/{id}: the full metadata of one
// indicator, the national priorities that use it, and the ICBs compared
// in the latest period (a caterpillar plot against England and, for a
// percentage with counts, a funnel plot). ?format=csv&chart=caterpillar
// or chart=funnel downloads a chart's data.
func (s *Server) indicatorPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	q := readPageQuery(r)
	asCSV := q.oneOf("format", []string{"csv", "html"}) == "csv"
	chart := q.oneOf("chart", []string{"caterpillar", "funnel"})
	if asCSV && chart == "" {
		q.problems.Add("chart", "is required with format=csv: caterpillar or funnel")
	}
	if err := q.problems.Err("The web address is not valid"); err != nil {
		return err
	}
	ind, err := s.store.FindIndicator(ctx, r.PathValue("id"))
	if err != nil {
		return err
	}
	compared, err := s.icbCompare(ctx, ind)
	if err != nil {
		return err
	}
	if asCSV {
		switch {
		case chart == "caterpillar" && compared != nil:
			return writeCaterpillarCSV(w, ind, compared)
		case chart == "funnel" && compared != nil && compared.funnel != nil:
			return writeFunnelCSV(w, ind, compared)
		}
		return accord.Errorf(accord.ENOTFOUND, "There is no %s plot of %s: too few integrated care boards have a value.", chart, ind.Name)
	}
	ps, _, err := s.store.FindPriorities(ctx, accord.PriorityFilter{IndicatorID: ind.ID})
	if err != nil {
		return err
	}
	v := indicatorView{
		page:      page{Title: ind.Name, Section: "indicators", Crumbs: []crumb{{"/", "Home"}, {"/indicators", "Indicators"}}},
		Ind:       ind,
		AreaLabel: areaLabel(ind.Area),
		Unit:      unitLabel(ind.Unit),
		Method:    sentence(string(ind.Method)),
		Frequency: frequencyLabel(ind.Frequency),
	}
	for _, p := range ps {
		v.Priorities = append(v.Priorities, priorityRowOf(p))
	}
	if compared != nil {
		v.Compared = compared.view(ind)
	}
	return s.render(w, "indicator", &v)
}
