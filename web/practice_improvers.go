package web

import (
	"cmp"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/nhs-accord/accord"
	"github.com/nhs-accord/accord/review"
)

// "Who among my peers improved most on this indicator, and did they write
// it down": review.MostImproved over an ICB and its stored ten nearest
// peers (or every ICB), each with its practice notes on the indicator.

// notesShown is how many of an organisation's notes the table names; the
// rest are a link away.
const notesShown = 3

// maxEnds is how many earlier ends of the span the page offers.
const maxEnds = 24

func improversURL(indicatorID, orgCode string) string {
	v := url.Values{"indicator": {indicatorID}}
	if orgCode != "" {
		v.Set("organisation", orgCode)
	}
	return "/practice/improvers?" + v.Encode()
}

type improverRow struct {
	Place            int // 0: not measured
	Name, Code       string
	This             bool // the organisation whose peers these are
	SeriesURL        string
	From, To, Change string
	Verdict, Colour  string
	Missing          string
	Notes            []crumb // Href, Text: the note and its title
	More             int     // notes beyond those named
	NotesURL         string
}

type improversView struct {
	page
	Ind          accord.Indicator // zero until one is chosen
	Org          accord.Organisation
	Indicators   []formChoice
	Orgs         []formChoice
	Ends         []formChoice
	Among        string
	Unrankable   string // why nobody can be ranked on the indicator
	Span         string
	RankedBy     string
	Rows         []improverRow
	Measured     int
	WroteItDown  int
	NewNoteURL   string
	NotesURL     string
	SeriesPeriod string // the end of the span in words
	// Earlier is the latest earlier span that measures most of them, offered
	// when nobody can be measured over this one.
	Earlier formChoice
}

// improversPage is GET /practice/improvers?indicator=ID&organisation=ICB:
// who among the ICB's ten nearest peers (itself included, to see where it
// stands) improved most on the indicator over the latest year, with SPC's
// verdict on each and their practice notes on it. Without an organisation
// every ICB is compared; a signed-in ICB lead arriving without one sees
// their own ICB's peers. to=PERIOD ends the span earlier, for series whose
// latest year is not held.
func (s *Server) improversPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	q := readPageQuery(r)
	u := s.currentUser(r)
	today := accord.NewDate(s.now().UTC().Date())
	v := &improversView{
		page: page{Title: "Who improved most, and what they tried", Section: "practice",
			Crumbs: []crumb{{"/", "Home"}, {"/practice", "Learning exchange"}}},
		NewNoteURL: newNoteURL(u),
	}

	indID := q.one("indicator")
	code := q.one("organisation")
	if _, given := q.values["organisation"]; !given && u != nil {
		for _, g := range u.Grants {
			if g.Role == accord.RoleICBLead {
				code = g.OrgCode
				break
			}
		}
	}
	end := q.period("to")
	if !end.IsZero() && end.Start().After(today.Time) {
		q.problems.Add("to", "%s has not started yet: choose a period that has", end)
	}

	inds, _, err := s.store.FindIndicators(ctx, accord.IndicatorFilter{})
	if err != nil {
		return err
	}
	slices.SortFunc(inds, func(a, b accord.Indicator) int {
		return cmp.Or(cmp.Compare(areaLabel(a.Area), areaLabel(b.Area)), strings.Compare(a.Name, b.Name))
	})
	for _, ind := range inds {
		if ind.ID == indID {
			v.Ind = ind
		}
		if ind.Polarity == accord.HigherIsBetter || ind.Polarity == accord.LowerIsBetter || ind.ID == indID {
			v.Indicators = append(v.Indicators, formChoice{Value: ind.ID, Label: areaLabel(ind.Area) + ": " + ind.Name, Selected: ind.ID == indID})
		}
	}
	if indID != "" && v.Ind.ID == "" {
		q.problems.Add("indicator", "%q is not in the indicator catalogue", indID)
	}
	icbs, _, err := s.store.FindOrganisations(ctx, accord.OrganisationFilter{Type: accord.OrgICB})
	if err != nil {
		return err
	}
	icbs = slices.DeleteFunc(icbs, func(o accord.Organisation) bool { return !o.ValidOn(today.Time) })
	slices.SortFunc(icbs, byName)
	names := map[string]string{}
	for _, o := range icbs {
		names[o.Code] = o.Name
	}
	if code != "" {
		org, err := s.findOrganisation(ctx, code)
		switch {
		case accord.ErrorCode(err) == accord.ENOTFOUND:
			q.problems.Add("organisation", "no organisation has the code %q", code)
		case err != nil:
			return err
		case org.Type != accord.OrgICB:
			q.problems.Add("organisation", "%s is not an integrated care board; peers are found for ICBs", org.Name)
		default:
			v.Org = org
		}
	}
	for _, o := range icbs {
		v.Orgs = append(v.Orgs, formChoice{Value: o.Code, Label: o.Name, Selected: o.Code == v.Org.Code})
	}
	if err := q.problems.Err("The web address is not valid"); err != nil {
		return err
	}
	if v.Ind.ID == "" {
		return s.render(w, "practice_improvers", v)
	}
	v.Title = "Who improved most on " + v.Ind.Name
	v.NotesURL = notesURL(v.Ind.ID, "")

	var among []string
	if v.Org.Code != "" {
		peers, err := s.store.FindPeers(ctx, v.Org.Code)
		if err != nil {
			return err
		}
		among = append(among, v.Org.Code)
		for _, p := range peers {
			among = append(among, p.PeerCode)
		}
		if len(peers) == 0 {
			v.Among = "No peer group is held for " + v.Org.Name + ", so every integrated care board is compared."
			among = nil
		} else {
			v.Among = fmt.Sprintf("%s and its %d nearest peers by population, age, deprivation and rurality.", v.Org.Name, len(peers))
		}
	}
	if len(among) == 0 {
		// Named, not left to MostImproved's default, so that an earlier
		// end does not drop ICBs that did not exist then.
		for _, o := range icbs {
			among = append(among, o.Code)
		}
		if v.Among == "" {
			v.Among = fmt.Sprintf("All %d integrated care boards.", len(icbs))
		}
	}

	asAt := today
	if !end.IsZero() {
		asAt = accord.Date{Time: end.Start()}
	}
	imps, err := review.MostImproved(ctx, s.store, v.Ind.ID, among, asAt)
	if accord.ErrorCode(err) == accord.EINVALID {
		v.Unrankable = accord.ErrorMessage(err)
		return s.render(w, "practice_improvers", v)
	}
	if err != nil {
		return err
	}
	if v.Ends, err = s.spanEnds(r, v.Ind, among, end, today); err != nil {
		return err
	}

	notes, _, err := s.store.FindPracticeNotes(ctx, accord.PracticeNoteFilter{IndicatorID: v.Ind.ID, Limit: maxNoteScan})
	if err != nil {
		return err
	}
	byOrg := map[string][]accord.PracticeNote{}
	for _, n := range notes {
		byOrg[n.OrgCode] = append(byOrg[n.OrgCode], n)
	}
	for _, imp := range imps {
		if v.Span == "" && imp.Span != "" {
			v.Span, v.SeriesPeriod = imp.Span, periodWords(imp.To)
			v.RankedBy = "the change in " + strings.ToLower(unitLabel(v.Ind.Unit))
			if v.Ind.Unit == accord.UnitPercent || v.Ind.Unit == accord.UnitPoints {
				v.RankedBy = "the change in percentage points"
			}
			if imp.RankedBy == review.RankedByRelativeChange {
				v.RankedBy = "the change as a percentage of where each started, since a count grows with the population"
			}
		}
		row := improverRow{Place: imp.Place, Name: cmp.Or(imp.Name, names[imp.OrgCode], imp.OrgCode), Code: imp.OrgCode,
			This: imp.OrgCode == v.Org.Code, SeriesURL: seriesPath(imp.OrgCode, v.Ind.ID), Missing: imp.Missing,
			NotesURL: notesURL(v.Ind.ID, imp.OrgCode)}
		vd := verdictOf(imp.Verdict)
		row.Verdict, row.Colour = vd.Label(), verdictColour(vd)
		if imp.Measured {
			v.Measured++
			row.From = formatValue(imp.FromValue, v.Ind.Unit) + " in " + periodWords(imp.From)
			row.To = formatValue(imp.ToValue, v.Ind.Unit) + " in " + periodWords(imp.To)
			row.Change = changeWords(imp, v.Ind)
		}
		own := byOrg[imp.OrgCode]
		if len(own) > 0 {
			v.WroteItDown++
		}
		for i, n := range own {
			if i == notesShown {
				row.More = len(own) - notesShown
				break
			}
			row.Notes = append(row.Notes, crumb{Href: practicePath(n.ID), Text: n.Title})
		}
		v.Rows = append(v.Rows, row)
	}
	if v.Measured == 0 {
		for _, e := range v.Ends {
			if e.Value != "" && !e.Selected {
				v.Earlier = formChoice{Value: improversURL(v.Ind.ID, v.Org.Code) + "&to=" + url.QueryEscape(e.Value), Label: strings.ToLower(e.Label[:1]) + e.Label[1:]}
				break
			}
		}
	}
	return s.render(w, "practice_improvers", v)
}

// changeWords says how far an organisation moved and which way, in the
// measure it is ranked by: "2.1 percentage points better".
func changeWords(imp review.Improvement, ind accord.Indicator) string {
	better := "better"
	switch {
	case imp.Improvement < 0:
		better = "worse"
	case imp.Improvement == 0:
		return "No change"
	}
	if imp.RankedBy == review.RankedByRelativeChange && imp.RelativeImprovement != nil {
		return fmt.Sprintf("%s%% %s (%s)", formatNumber(abs(*imp.RelativeImprovement)), better, formatValue(imp.Change, ind.Unit))
	}
	amount := formatValue(abs(imp.Change), ind.Unit)
	if ind.Unit == accord.UnitPercent || ind.Unit == accord.UnitPoints {
		amount = formatNumber(abs(imp.Change)) + " percentage points"
		if formatNumber(abs(imp.Change)) == "1" {
			amount = "1 percentage point"
		}
	}
	return amount + " " + better
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

// spanEnds are the periods a span can end at and still measure at least
// half of the organisations holding figures of that kind: those whose
// period a year back (two back for yearly figures, as MostImproved spans
// them) they also hold. The page offers them so that a series with a gap
// (years of figures, then only the latest month) still answers.
func (s *Server) spanEnds(r *http.Request, ind accord.Indicator, among []string, chosen accord.Period, today accord.Date) ([]formChoice, error) {
	obs, _, err := s.store.FindObservations(r.Context(), accord.ObservationFilter{IndicatorID: ind.ID, OrgCodes: among, Limit: maxICBRows})
	if err != nil {
		return nil, err
	}
	var kind accord.PeriodKind
	var newest accord.Period
	for _, o := range obs {
		if !o.Period.Start().After(today.Time) && o.Period.Compare(newest) > 0 {
			kind, newest = o.Period.Kind(), o.Period
		}
	}
	monthsBack := 24
	if kind == accord.PeriodMonth || kind == accord.PeriodQuarter {
		monthsBack = 12
	}
	type key struct {
		org   string
		start string
	}
	held := map[key]bool{}
	holders := map[string]bool{}
	var periods []accord.Period
	for _, o := range obs {
		if o.Period.Kind() != kind || o.Period.Start().After(today.Time) {
			continue
		}
		held[key{o.OrgCode, o.Period.Start().Format("2006-01")}] = true
		holders[o.OrgCode] = true
		if !slices.Contains(periods, o.Period) {
			periods = append(periods, o.Period)
		}
	}
	slices.SortFunc(periods, func(a, b accord.Period) int { return b.Compare(a) })
	out := []formChoice{{Value: "", Label: "The latest figures", Selected: chosen.IsZero()}}
	for _, p := range periods {
		back := p.Start().AddDate(0, -monthsBack, 0).Format("2006-01")
		n := 0
		for org := range holders {
			if held[key{org, p.Start().Format("2006-01")}] && held[key{org, back}] {
				n++
			}
		}
		if n == 0 || 2*n < len(holders) {
			continue
		}
		out = append(out, formChoice{Value: p.String(), Label: "The year to " + periodWords(p), Selected: p == chosen})
		if len(out) > maxEnds {
			break
		}
	}
	if kind != accord.PeriodMonth && kind != accord.PeriodQuarter {
		for i := range out[1:] {
			out[i+1].Label = "The span to " + out[i+1].Value
		}
	}
	return out, nil
}
