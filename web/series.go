package web

import (
	"cmp"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/nhs-accord/accord"
)

// maxSeriesRows bounds what one series page reads: every breakdown of one
// indicator for one organisation. Ten years of monthly figures in a
// hundred breakdowns is 12,000.
const maxSeriesRows = 50_000

// seriesPath is the page of one organisation's observations of one indicator.
func seriesPath(orgCode, indicatorID string) string {
	return "/organisations/" + url.PathEscape(orgCode) + "/indicators/" + url.PathEscape(indicatorID)
}

// seriesURL is seriesPath for a breakdown, with further parameters such
// as format=csv.
func seriesURL(orgCode, indicatorID string, b accord.Breakdown, extra url.Values) string {
	v := url.Values{}
	for k, vs := range extra {
		v[k] = vs
	}
	if !b.IsTotal() {
		v.Set("breakdown", b.Key())
	}
	u := seriesPath(orgCode, indicatorID)
	if len(v) > 0 {
		u += "?" + v.Encode()
	}
	return u
}

// breakdownChoice is one breakdown held, as an option of the choice.
type breakdownChoice struct {
	Value, Label string
	Selected     bool
}

// seriesRow is one observation in the series table.
type seriesRow struct {
	Period                 accord.Period
	Value                  string
	Numerator, Denominator string
	Interval               string // "72.1% to 76.3% (95%)"; "" when none is published
	Status                 string // "Final" or "Provisional"
	StatusColour           string
	ImportID               int64 // 0: added outside an import
}

// revisionRow is one earlier published value.
type revisionRow struct {
	Period       accord.Period
	Value        string
	Status       string
	StatusColour string
	ImportID     int64 // the import it came from; 0 outside an import
	ReplacedBy   int64
	ReplacedOn   string
}

type seriesView struct {
	page
	Org          accord.Organisation
	OrgPage      string // the organisation's own page, "" when it has none
	Ind          accord.Indicator
	Unit         string
	Frequency    string
	Breakdown    accord.Breakdown
	Choices      []breakdownChoice // every breakdown held, whole population first
	Rows         []seriesRow
	HasInterval  bool
	Revisions    []revisionRow
	Truncated    bool // more is held than the page read
	Action       string
	CSVURL       string
	APIURL       string // the observations in the JSON API
	RevisionsURL string // the earlier values in the JSON API

	SPC        *spcView // nil: too few consecutive periods to chart
	Assessment []summaryRow
	AssessedAt string // when the assessment was computed; "" when there is none
}

// seriesPage is GET /organisations/{code}/indicators/{id}: one
// organisation's values of one indicator, newest period first, for one
// breakdown (?breakdown=sex=female; the whole population by default), with
// the values they replaced, and an SPC chart of the latest run of at least
// 12 consecutive months or quarters. ?format=csv downloads the table, and
// ?format=csv&chart=spc the chart's data. A code in
// another form (an ONS code, lower case) is redirected to the ODS code's
// page.
func (s *Server) seriesPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	code := r.PathValue("code")
	org, err := s.findOrganisation(ctx, code)
	if err != nil {
		return err
	}
	ind, err := s.store.FindIndicator(ctx, r.PathValue("id"))
	if err != nil {
		return err
	}
	if org.Code != code {
		target := seriesPath(org.Code, ind.ID)
		if r.URL.RawQuery != "" {
			target += "?" + r.URL.RawQuery
		}
		http.Redirect(w, r, target, http.StatusMovedPermanently)
		return nil
	}

	q := readPageQuery(r)
	asCSV := q.oneOf("format", []string{"csv", "html"}) == "csv"
	chart := q.oneOf("chart", []string{"spc"})
	var sel accord.Breakdown
	switch b := q.one("breakdown"); b {
	case "", "total":
	default:
		if sel, err = accord.ParseBreakdown(b); err != nil {
			q.problems.Add("breakdown", "%s", accord.ErrorMessage(err))
		}
	}
	if err := q.problems.Err("The web address is not valid"); err != nil {
		return err
	}

	all, total, err := s.store.FindObservations(ctx, accord.ObservationFilter{
		IndicatorID: ind.ID, OrgCodes: []string{org.Code}, AnyBreakdown: true, Limit: maxSeriesRows,
	})
	if err != nil {
		return err
	}
	held := heldBreakdowns(all)
	if !sel.IsTotal() && !slices.Contains(held, sel) {
		return accord.Errorf(accord.ENOTFOUND, "No values of %s are held for %s for the breakdown %s.", ind.Name, org.Name, sel.String())
	}
	var obs []accord.Observation
	for _, o := range all {
		if o.Breakdown == sel {
			obs = append(obs, o)
		}
	}
	// Newest period first; of two starting together, the longer first.
	slices.SortStableFunc(obs, func(a, b accord.Observation) int { return b.Period.Compare(a.Period) })

	if asCSV && chart == "" {
		return writeSeriesCSV(w, org, ind, sel, obs)
	}
	sc, err := s.seriesSPC(ctx, ind, obs)
	if err != nil {
		return err
	}
	if asCSV {
		if sc == nil {
			return accord.Errorf(accord.ENOTFOUND, "There is no SPC chart of %s for %s: it needs at least %d consecutive months or quarters.", ind.Name, org.Name, minSPCPoints)
		}
		return writeSPCCSV(w, org, ind, sel, sc)
	}

	revs, _, err := s.store.FindRevisions(ctx, accord.ObservationFilter{
		IndicatorID: ind.ID, OrgCodes: []string{org.Code}, Breakdown: sel, Limit: maxSeriesRows,
	})
	if err != nil {
		return err
	}
	crumbs, err := s.orgCrumbs(ctx, org)
	if err != nil {
		return err
	}

	v := seriesView{
		page:      page{Title: ind.Name, Section: "icbs", Crumbs: crumbs},
		Org:       org,
		Ind:       ind,
		Unit:      unitLabel(ind.Unit),
		Frequency: frequencyLabel(ind.Frequency),
		Breakdown: sel,
		Truncated: total > len(all),
		Action:    seriesPath(org.Code, ind.ID),
		CSVURL:    seriesURL(org.Code, ind.ID, sel, url.Values{"format": {"csv"}}),
	}
	apiQuery := url.Values{"indicator": {ind.ID}, "organisation": {org.Code}, "breakdown": {cmp.Or(sel.Key(), "total")}}.Encode()
	v.APIURL, v.RevisionsURL = "/api/v1/observations?"+apiQuery, "/api/v1/revisions?"+apiQuery
	if path, ok := orgPagePaths[org.Type]; ok {
		v.OrgPage = path + org.Code
	}
	if sc != nil {
		v.SPC = sc.view(org, ind, sel, seriesURL(org.Code, ind.ID, sel, url.Values{"format": {"csv"}, "chart": {"spc"}}))
	}
	as, _, err := s.store.FindAssessments(ctx, accord.AssessmentFilter{IndicatorID: ind.ID, OrgCodes: []string{org.Code}, AnyBreakdown: true})
	if err != nil {
		return err
	}
	for _, a := range as {
		if a.Breakdown == sel {
			v.Assessment, v.AssessedAt = assessmentRows(a, ind), a.ComputedAt.Format("2 January 2006 at 15:04 UTC")
		}
	}
	for _, b := range held {
		v.Choices = append(v.Choices, breakdownChoice{Value: cmp.Or(b.Key(), "total"), Label: b.String(), Selected: b == sel})
	}
	for _, o := range obs {
		row := seriesRow{
			Period: o.Period, Value: formatValue(o.Value, ind.Unit), ImportID: o.ImportID,
			Numerator: optionalNumber(o.Numerator), Denominator: optionalNumber(o.Denominator),
		}
		row.Status, row.StatusColour = statusTag(o.Status)
		if o.LowerCI != nil && o.UpperCI != nil {
			row.Interval = fmt.Sprintf("%s to %s (%s%%)", formatValue(*o.LowerCI, ind.Unit), formatValue(*o.UpperCI, ind.Unit), formatNumber(o.CILevel))
			v.HasInterval = true
		}
		v.Rows = append(v.Rows, row)
	}
	for _, rv := range revs {
		row := revisionRow{
			Period: rv.Period, Value: formatValue(rv.Value, ind.Unit), ImportID: rv.ImportID,
			ReplacedBy: rv.ReplacedBy, ReplacedOn: formatDate(accord.Date{Time: rv.ReplacedAt}),
		}
		row.Status, row.StatusColour = statusTag(rv.Status)
		v.Revisions = append(v.Revisions, row)
	}
	slices.SortStableFunc(v.Revisions, func(a, b revisionRow) int { return b.Period.Compare(a.Period) })
	return s.render(w, "series", &v)
}

// writeSeriesCSV downloads a series table, in full precision.
func writeSeriesCSV(w http.ResponseWriter, org accord.Organisation, ind accord.Indicator, b accord.Breakdown, obs []accord.Observation) error {
	opt := func(v *float64) string {
		if v == nil {
			return ""
		}
		return formatCSVNumber(*v)
	}
	rows := make([][]string, 0, len(obs))
	for _, o := range obs {
		level, importID := "", ""
		if o.LowerCI != nil {
			level = formatCSVNumber(o.CILevel)
		}
		if o.ImportID != 0 {
			importID = strconv.FormatInt(o.ImportID, 10)
		}
		rows = append(rows, []string{
			org.Code, ind.ID, o.Period.String(), o.Breakdown.Key(), formatCSVNumber(o.Value),
			opt(o.Numerator), opt(o.Denominator), opt(o.LowerCI), opt(o.UpperCI), level, string(o.Status), importID,
		})
	}
	name := org.Code + "-" + ind.ID
	if !b.IsTotal() {
		name += "-" + b.Key()
	}
	return writeCSV(w, safeFileName(name)+".csv", []string{
		"organisation_code", "indicator_id", "period", "breakdown", "value", "numerator", "denominator",
		"lower_ci", "upper_ci", "ci_level", "status", "import_id",
	}, rows)
}

// safeFileName keeps letters, digits, - and _, so a name can go in a
// Content-Disposition header as it is.
func safeFileName(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_':
			return r
		}
		return '_'
	}, s)
}

// heldBreakdowns lists the distinct breakdowns of obs: the whole
// population first, then single parts before combinations, sex, age band
// (by its first age), deprivation decile and ethnic group.
func heldBreakdowns(obs []accord.Observation) []accord.Breakdown {
	var out []accord.Breakdown
	seen := map[accord.Breakdown]bool{}
	for _, o := range obs {
		if !seen[o.Breakdown] {
			seen[o.Breakdown] = true
			out = append(out, o.Breakdown)
		}
	}
	slices.SortFunc(out, func(a, b accord.Breakdown) int {
		return cmp.Or(
			cmp.Compare(breakdownParts(a), breakdownParts(b)),
			strings.Compare(a.Sex, b.Sex),
			cmp.Compare(ageFrom(a.AgeBand), ageFrom(b.AgeBand)),
			strings.Compare(a.AgeBand, b.AgeBand),
			cmp.Compare(a.IMDDecile, b.IMDDecile),
			strings.Compare(a.Ethnicity, b.Ethnicity),
		)
	})
	return out
}

// breakdownParts counts the parts of a breakdown: 0 for the whole population.
func breakdownParts(b accord.Breakdown) int {
	n := 0
	for _, set := range []bool{b.Sex != "", b.AgeBand != "", b.IMDDecile != 0, b.Ethnicity != ""} {
		if set {
			n++
		}
	}
	return n
}

// ageFrom is the first age of a band (65 for 65+, 0 for <75), so bands sort
// by age rather than as text.
func ageFrom(band string) int {
	band = strings.TrimPrefix(band, "<")
	end := strings.IndexFunc(band, func(r rune) bool { return r < '0' || r > '9' })
	if end < 0 {
		end = len(band)
	}
	n, _ := strconv.Atoi(band[:end])
	return n
}

// optionalNumber formats a count that a publisher may leave out.
func optionalNumber(v *float64) string {
	if v == nil {
		return ""
	}
	return formatNumber(*v)
}

// statusTag is the label and NHS.UK tag colour of a publication status.
func statusTag(st accord.Status) (label, colour string) {
	if st == accord.Provisional {
		return "Provisional", "yellow"
	}
	return sentence(string(st)), "green"
}

// orgCrumbs are the breadcrumbs down to an organisation: Home, then each
// ancestor with a page of its own (its NHS region, its ICB), then the
// organisation itself if it has one.
func (s *Server) orgCrumbs(ctx context.Context, org accord.Organisation) ([]crumb, error) {
	var line []crumb
	if path, ok := orgPagePaths[org.Type]; ok {
		line = append(line, crumb{path + org.Code, org.Name})
	}
	// The map is a few levels deep; the bound guards against a cycle.
	for code, depth := org.ParentCode, 0; code != "" && depth < 8; depth++ {
		p, err := s.store.FindOrganisation(ctx, code)
		if err != nil {
			return nil, err
		}
		if path, ok := orgPagePaths[p.Type]; ok {
			line = append(line, crumb{path + p.Code, p.Name})
		}
		code = p.ParentCode
	}
	slices.Reverse(line)
	return append([]crumb{{"/", "Home"}}, line...), nil
}
