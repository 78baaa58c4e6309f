package web

import (
	"cmp"
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/nhs-accord/accord"
)

// areaPath is the public page of an ICB or a place. Its address uses the
// ICB's ODS code or the place's ONS code: the ICBs' ONS codes changed in
// 2023 and 2024, their ODS codes did not, so a link shared today still
// works after the next boundary change.
func areaPath(code string) string { return "/area/" + url.PathEscape(code) }

// areaTarget is one of the area's public targets.
type areaTarget struct {
	Title         string
	IndicatorID   string
	IndicatorName string
	Promise       string // "at least 78% by 31 March 2027"
	Deadline      string
	Baseline      string // "74.5% in April 2025"; "" when none was set
	Latest        pubFigure
	LatestPeriod  string // "" when nothing is published yet
	Progress      publicProgress
	Status        string
}

// areaFigure is the area's latest published value of one indicator.
type areaFigure struct {
	IndicatorID   string
	IndicatorName string
	Period        string
	Value         pubFigure
	Numerator     pubFigure
	Denominator   pubFigure
	England       string // "" when England has no figure for the period
	Compared      string
	Added         string // when the figure came into Accord; "" when not recorded
	Published     string // when its publisher released it; "" when not recorded
}

// When is the figure's date for a reader; see viewSource.When.
func (f areaFigure) When() string { return viewWhen(f.Published, f.Added) }

type areaView struct {
	page
	Org       accord.Organisation
	TypeLabel string
	Path      string // the page's own stable address
	ICB       *orgLink
	Places    []orgLink
	Targets   []areaTarget
	Figures   []areaFigure
	Sources   []viewSource
	// LastPublished is the newest publication date of the figures shown;
	// LastAdded the newest day figures without one came into Accord. Either
	// may be "".
	LastPublished string
	LastAdded     string
	Suppressed    bool // some figure on the page is hidden
	Rounded       bool // some count on the page is rounded
	Unsourced     bool // some figure was added outside an import
	Suppression   string
}

// areaPage is GET /area/{code}: "How is my area doing", for an ICB or a
// place, by ODS or ONS code, readable by anyone. It shows only the
// targets anyone may see (accord.CanView with nobody signed in), whoever
// is looking, so the page is the same for everyone and a shared link
// shows what its recipient will see; and only published figures, after
// small-number suppression (pubValue).
func (s *Server) areaPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	code := r.PathValue("code")
	org, err := s.findOrganisation(ctx, code)
	if accord.ErrorCode(err) == accord.ENOTFOUND {
		return accord.Errorf(accord.ENOTFOUND, "No integrated care board or place has the code %s.", code)
	}
	if err != nil {
		return err
	}
	if org.Type != accord.OrgICB && org.Type != accord.OrgPlace {
		return accord.Errorf(accord.ENOTFOUND, "%s is not an integrated care board or a place (an upper-tier local authority), so it has no page here.", org.Code)
	}
	if code != org.Code {
		http.Redirect(w, r, areaPath(org.Code), http.StatusMovedPermanently)
		return nil
	}
	orgs, err := s.loadViewOrgs(ctx)
	if err != nil {
		return err
	}

	v := areaView{page: page{Title: "How is " + org.Name + " doing?", Section: "icbs", Crumbs: []crumb{{"/", "Home"}}},
		Org: org, TypeLabel: org.Type.Label(), Path: areaPath(org.Code),
		Suppression: "Figures for areas smaller than England follow the rules NHS statistics use to protect privacy. " +
			"A number from 1 to 7 is hidden and shown as " + accord.Suppressed + " (fewer than 8); other numbers are rounded to the nearest 5. " +
			"A percentage or rate worked out from a hidden number is hidden too. " +
			"Percentages and rates are worked out from the numbers before rounding. " +
			"Figures for England, and rates published without their numbers, are shown as published."}
	switch org.Type {
	case accord.OrgPlace:
		if icb, ok := orgs[org.ParentCode]; ok && icb.Type == accord.OrgICB {
			v.ICB = &orgLink{Code: icb.Code, Name: icb.Name}
		}
	case accord.OrgICB:
		for _, o := range orgs {
			if o.ParentCode == org.Code && o.Type == accord.OrgPlace {
				v.Places = append(v.Places, orgLink{Code: o.Code, Name: o.Name})
			}
		}
		slices.SortFunc(v.Places, func(a, b orgLink) int { return strings.Compare(a.Name, b.Name) })
	}

	imports := s.newViewImports()
	inds := map[string]accord.Indicator{}
	indicator := func(id string) (accord.Indicator, error) {
		if ind, ok := inds[id]; ok {
			return ind, nil
		}
		ind, err := s.store.FindIndicator(ctx, id)
		if err != nil {
			return ind, err
		}
		inds[id] = ind
		return ind, nil
	}
	disclose := viewDiscloses(orgs, org.Code)

	if v.Targets, err = s.areaTargets(ctx, org, orgs, indicator, imports, disclose); err != nil {
		return err
	}
	if v.Figures, err = s.areaFigures(ctx, org, indicator, imports, disclose); err != nil {
		return err
	}
	for _, t := range v.Targets {
		v.Suppressed = v.Suppressed || t.Latest.Suppressed
		v.Rounded = v.Rounded || t.Latest.Rounded
	}
	for _, f := range v.Figures {
		v.Suppressed = v.Suppressed || f.Value.Suppressed || f.Numerator.Suppressed || f.Denominator.Suppressed
		v.Rounded = v.Rounded || f.Value.Rounded || f.Numerator.Rounded || f.Denominator.Rounded
		v.Unsourced = v.Unsourced || f.Added == ""
	}
	v.Sources, v.LastPublished, v.LastAdded = imports.sources()
	return s.render(w, "area", &v)
}

// areaTargets are the organisation's targets that anyone may see, oldest
// first, each with its latest published figure and progress.
func (s *Server) areaTargets(ctx context.Context, org accord.Organisation, orgs viewOrgs,
	indicator func(string) (accord.Indicator, error), imports *viewImports, disclose bool) ([]areaTarget, error) {
	ts, _, err := s.store.FindTargets(ctx, accord.TargetFilter{OrgCode: org.Code})
	if err != nil {
		return nil, err
	}
	series := map[string][]accord.Observation{}
	var out []areaTarget
	for _, t := range ts {
		if !accord.CanView(nil, t, orgs.parentOf) {
			continue
		}
		ind, err := indicator(t.IndicatorID)
		if err != nil {
			return nil, err
		}
		obs, ok := series[ind.ID]
		if !ok {
			all, _, err := s.store.FindObservations(ctx, accord.ObservationFilter{IndicatorID: ind.ID, OrgCodes: []string{org.Code}})
			if err != nil {
				return nil, err
			}
			obs = viewSeries(all, org.Code)
			series[ind.ID] = obs
		}
		at := areaTarget{Title: t.Title, IndicatorID: ind.ID, IndicatorName: ind.Name, Promise: publicPromise(t, ind),
			Deadline: formatDate(t.Deadline), Latest: pubNone, Progress: publicProgressOf(t, obs), Status: publicStatus(t.Status)}
		if t.BaselineValue != nil {
			at.Baseline = formatValue(*t.BaselineValue, ind.Unit)
			if !t.BaselinePeriod.IsZero() {
				at.Baseline += " in " + periodWords(t.BaselinePeriod)
			}
		}
		if o, ok := viewLatestTotal(obs); ok {
			at.Latest, at.LatestPeriod = pubValue(o, ind, disclose), periodWords(o.Period)
			if _, _, err := imports.of(ctx, o.ImportID); err != nil { // so its publication is listed
				return nil, err
			}
		}
		out = append(out, at)
	}
	return out, nil
}

// areaFigures is the organisation's latest published value of every
// indicator it has figures for, compared with England's in the same
// period, grouped by area of care.
func (s *Server) areaFigures(ctx context.Context, org accord.Organisation, indicator func(string) (accord.Indicator, error),
	imports *viewImports, disclose bool) ([]areaFigure, error) {
	sums, err := s.store.SummariseObservations(ctx, []string{org.Code})
	if err != nil {
		return nil, err
	}
	as, _, err := s.store.FindAssessments(ctx, accord.AssessmentFilter{OrgCodes: []string{org.Code}})
	if err != nil {
		return nil, err
	}
	assessed := make(map[string]*accord.Assessment, len(as))
	for i := range as {
		assessed[as[i].IndicatorID] = &as[i]
	}
	type sortable struct {
		area string
		areaFigure
	}
	var rows []sortable
	for _, sm := range sums {
		if sm.OrgCode != org.Code || sm.Last.IsZero() {
			continue
		}
		ind, err := indicator(sm.IndicatorID)
		if err != nil {
			return nil, err
		}
		obs, _, err := s.store.FindObservations(ctx, accord.ObservationFilter{
			IndicatorID: ind.ID, OrgCodes: []string{org.Code, accord.EnglandCode}, From: sm.Last, To: sm.Last})
		if err != nil {
			return nil, err
		}
		var own, eng *accord.Observation
		for i, o := range obs {
			if o.Period != sm.Last {
				continue
			}
			switch o.OrgCode {
			case org.Code:
				own = &obs[i]
			case accord.EnglandCode:
				eng = &obs[i]
			}
		}
		if own == nil {
			continue
		}
		f := areaFigure{IndicatorID: ind.ID, IndicatorName: ind.Name, Period: periodWords(own.Period),
			Value: pubValue(*own, ind, disclose)}
		if ind.Method == accord.MethodProportion {
			// "10 out of 15" reads naturally only for a proportion.
			f.Numerator, f.Denominator = pubCounts(*own, disclose)
		}
		imp, ok, err := imports.of(ctx, own.ImportID)
		if err != nil {
			return nil, err
		}
		if ok {
			f.Added, f.Published = viewDay(imp.ImportedAt), formatDate(imp.PublishedOn)
		}
		switch {
		case eng == nil:
			f.Compared = "No figure for England for this period"
		case f.Value.Suppressed:
			f.England = pubValue(*eng, ind, false).Text
			f.Compared = "Not compared: the figure is hidden"
		case isCountIndicator(ind):
			f.England = pubValue(*eng, ind, false).Text
			f.Compared = "Not compared: a count depends on the size of the area"
		default:
			f.England = pubValue(*eng, ind, false).Text
			f.Compared = cmp.Or(publicEnglandWords[publicVsEngland(*own, ind, assessed[ind.ID], eng.Value)], "Not compared")
		}
		rows = append(rows, sortable{areaLabel(ind.Area), f})
	}
	slices.SortFunc(rows, func(a, b sortable) int {
		return cmp.Or(strings.Compare(a.area, b.area), strings.Compare(a.IndicatorName, b.IndicatorName))
	})
	out := make([]areaFigure, len(rows))
	for i, r := range rows {
		out[i] = r.areaFigure
	}
	return out, nil
}
