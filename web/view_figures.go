package web

import (
	"cmp"
	"context"
	"html/template"
	"math"
	"slices"
	"strconv"
	"time"

	"github.com/nhs-accord/accord"
	"github.com/nhs-accord/accord/assess"
	"github.com/nhs-accord/accord/stats/compare"
	"github.com/nhs-accord/accord/stats/trajectory"
)

// What the three accountability views (view_area.go, view_partners.go,
// view_national.go) share: the organisation map, published figures after
// small-number suppression, targets' progress in words and where figures
// came from. Every view reads the stored targets, observations, imports
// and assessments; none keeps a copy of its own.

// viewOrgs is the whole organisation map by code, read once per request,
// for walking up to an ICB or region and for names.
type viewOrgs map[string]accord.Organisation

func (s *Server) loadViewOrgs(ctx context.Context) (viewOrgs, error) {
	orgs, _, err := s.store.FindOrganisations(ctx, accord.OrganisationFilter{})
	if err != nil {
		return nil, err
	}
	m := make(viewOrgs, len(orgs))
	for _, o := range orgs {
		m[o.Code] = o
	}
	return m, nil
}

// parentOf is the walk up the map that accord.CanView needs.
func (m viewOrgs) parentOf(code string) string { return m[code].ParentCode }

func (m viewOrgs) name(code string) string { return cmp.Or(m[code].Name, code) }

// pubFigure is one published number as a page shows it, after small-number
// suppression.
type pubFigure struct {
	Text       string // "74.5%", "10", or accord.Suppressed
	Suppressed bool   // hidden: a count of 1 to 7, or worked out from one
	Rounded    bool   // a count rounded to the nearest 5
}

// HTML writes the figure for a page. A hidden figure is the asterisk NHS
// statistics use, with its meaning spelt out for screen readers, which
// would otherwise read "star" and nothing else.
func (f pubFigure) HTML() template.HTML {
	if f.Suppressed {
		return template.HTML(template.HTMLEscapeString(f.Text) +
			`<span class="nhsuk-u-visually-hidden"> (hidden: fewer than 8)</span>`)
	}
	return template.HTML(template.HTMLEscapeString(f.Text))
}

// pubNone is shown where there is nothing to show.
var pubNone = pubFigure{Text: "None published"}

// pubCount shows a count. Below England a count is published as NHS
// statistics publish it (accord.SuppressCount): 1 to 7 hidden, the rest
// rounded to the nearest 5. England's counts are shown as they are.
func pubCount(v float64, disclose bool) pubFigure {
	if !disclose {
		return pubFigure{Text: formatNumber(v)}
	}
	if accord.SmallCount(v) || accord.SmallCount(-v) {
		return pubFigure{Text: accord.Suppressed, Suppressed: true}
	}
	shown, hidden := accord.SuppressCount(int64(math.Round(v)))
	if hidden {
		return pubFigure{Text: accord.Suppressed, Suppressed: true}
	}
	n, err := strconv.ParseInt(shown, 10, 64)
	if err != nil { // SuppressCount writes a plain integer; keep its text if not
		return pubFigure{Text: shown, Rounded: true}
	}
	return pubFigure{Text: formatNumber(float64(n)), Rounded: n != 0}
}

// isCountIndicator reports whether an indicator's value is itself a count of
// people or events, and so suppressed and rounded as one.
func isCountIndicator(ind accord.Indicator) bool {
	return ind.Method == accord.MethodCount || ind.Unit == accord.UnitCount
}

// pubValue shows an observation's value. The rules, decided once for
// every view:
//
//   - England's figures are shown as published: suppression protects
//     people in small areas, and a national total identifies nobody
//     (accord.DisclosureApplies);
//   - below England a count is suppressed and rounded (pubCount);
//   - a percentage, rate or mean whose numerator or denominator is 1 to 7
//     is hidden (accord.SuppressObservation), since it would give the count
//     away; otherwise it is shown as published, worked out from the
//     unrounded counts;
//   - a rate published without its counts (most Fingertips indicators,
//     life expectancy, deprivation scores) is shown as published: the
//     publisher has applied its own disclosure control, and there is no
//     count here to judge by.
func pubValue(o accord.Observation, ind accord.Indicator, disclose bool) pubFigure {
	switch {
	case !disclose:
		return pubFigure{Text: formatValue(o.Value, ind.Unit)}
	case isCountIndicator(ind):
		f := pubCount(o.Value, true)
		if !f.Suppressed {
			f.Text += ind.Unit.Symbol()
		}
		return f
	case accord.SuppressObservation(o):
		return pubFigure{Text: accord.Suppressed, Suppressed: true}
	}
	return pubFigure{Text: formatValue(o.Value, ind.Unit)}
}

// pubCounts shows an observation's numerator and denominator, each
// suppressed as a count; "" where it has none.
func pubCounts(o accord.Observation, disclose bool) (num, den pubFigure) {
	if o.Numerator != nil {
		num = pubCount(*o.Numerator, disclose)
	}
	if o.Denominator != nil {
		den = pubCount(*o.Denominator, disclose)
	}
	return num, den
}

// viewDiscloses reports whether figures for the organisation are suppressed.
func viewDiscloses(orgs viewOrgs, code string) bool {
	t, ok := orgs[code]
	return !ok || accord.DisclosureApplies(t.Type)
}

// viewLatestTotal is the last whole-population observation of obs (in period
// order, as the store returns them), and whether there is one.
func viewLatestTotal(obs []accord.Observation) (accord.Observation, bool) {
	for i := len(obs) - 1; i >= 0; i-- {
		if obs[i].Breakdown.IsTotal() {
			return obs[i], true
		}
	}
	return accord.Observation{}, false
}

// viewSeries keeps the whole-population observations of one organisation,
// in period order.
func viewSeries(obs []accord.Observation, org string) []accord.Observation {
	var out []accord.Observation
	for _, o := range obs {
		if o.OrgCode == org && o.Breakdown.IsTotal() {
			out = append(out, o)
		}
	}
	slices.SortFunc(out, viewByPeriod)
	return out
}

func viewByPeriod(a, b accord.Observation) int { return a.Period.Compare(b.Period) }

// publicProgress is how a target is doing, in words a member of the public can
// read.
type publicProgress struct {
	Label  string // "On track"
	Colour string // an NHS.UK tag colour
	Detail string // one sentence
	Status trajectory.Status
}

// publicProgressOf judges t against its organisation's series (whole
// population, in period order) as the assessments do (trajectory.Assess
// with its default options), from the same observations. It is worked out
// here rather than read from the stored assessment because that records
// one target per series, and an organisation may have more than one on
// an indicator. A target the ICB has closed keeps the ICB's verdict.
func publicProgressOf(t accord.Target, series []accord.Observation) publicProgress {
	switch t.Status {
	case accord.TargetAchieved:
		return publicProgress{Label: "Met", Colour: "green", Detail: "The integrated care board has closed this target as met.", Status: trajectory.Achieved}
	case accord.TargetMissed:
		return publicProgress{Label: "Not met", Colour: "red", Detail: "The integrated care board has closed this target as not met.", Status: trajectory.Missed}
	}
	var obs []trajectory.Observation
	if n := len(series); n > 0 {
		kind := series[n-1].Period.Kind()
		for _, o := range series {
			if o.Period.Kind() == kind {
				obs = append(obs, trajectory.Observation{Period: o.Period, Value: o.Value})
			}
		}
	}
	kind := accord.PeriodMonth
	if len(obs) > 0 {
		kind = obs[len(obs)-1].Period.Kind()
	}
	a, err := trajectory.Assess(obs, trajectory.Target{Comparator: t.Comparator, Value: t.Value, Deadline: t.Deadline},
		t.Trajectory, trajectory.DefaultOptions(kind))
	if err != nil {
		return publicProgress{Label: "Not assessed", Colour: "grey", Detail: "Progress could not be worked out from the figures held."}
	}
	by := formatDate(t.Deadline)
	p := publicProgress{Status: a.Status}
	switch a.Status {
	case trajectory.OnTrack:
		p.Label, p.Colour, p.Detail = "On track", "green", "If the recent trend continues, the target will be met by "+by+"."
	case trajectory.AtRisk:
		p.Label, p.Colour, p.Detail = "At risk", "yellow", "It is not yet clear whether the target will be met by "+by+"."
	case trajectory.OffTrack:
		p.Label, p.Colour, p.Detail = "Not on track", "red", "If the recent trend continues, the target will not be met by "+by+"."
	case trajectory.Achieved:
		p.Label, p.Colour, p.Detail = "Met", "green", "The figure for "+periodWords(a.Outcome.Period)+" met the target."
	case trajectory.Missed:
		p.Label, p.Colour, p.Detail = "Not met", "red", "The figure for "+periodWords(a.Outcome.Period)+" did not meet the target."
	default:
		p.Label, p.Colour, p.Detail = "Too early to say", "grey", "There are not yet enough published figures to tell whether the target will be met."
	}
	return p
}

// publicPromise says what a target commits to: "at least 78% by 31 March 2027".
func publicPromise(t accord.Target, ind accord.Indicator) string {
	return t.Comparator.Label() + " " + formatValue(t.Value, ind.Unit) + " by " + formatDate(t.Deadline)
}

// publicStatus names a target's place in its lifecycle for the public.
func publicStatus(s accord.TargetStatus) string {
	switch s {
	case accord.TargetApproved:
		return "Approved by NHS England"
	case accord.TargetActive:
		return "In progress"
	case accord.TargetAchieved:
		return "Closed: met"
	case accord.TargetMissed:
		return "Closed: not met"
	}
	return sentence(string(s))
}

// publicEnglandWords say how a figure compares with England's, in words.
var publicEnglandWords = map[compare.Result]string{
	compare.Better:      "Better than England",
	compare.Similar:     "Similar to England",
	compare.Worse:       "Worse than England",
	compare.Higher:      "Higher than England",
	compare.Lower:       "Lower than England",
	compare.NotCompared: "Not compared: no confidence interval is published",
}

// publicVsEngland compares o with England's value as the assessments do:
// from the stored assessment when it is of the same period, otherwise by
// the same method (the 95% interval against England's value) from the
// observations themselves, so a page agrees with the assessment whether or
// not it has been recomputed since the latest import.
func publicVsEngland(o accord.Observation, ind accord.Indicator, a *accord.Assessment, england float64) compare.Result {
	if a != nil && a.Latest == o.Period && a.VsEngland != "" {
		return compare.Result(a.VsEngland)
	}
	lo, hi, _, ok := assess.Interval95(ind, o)
	return compare.ByInterval(o.Value, lo, hi, england, ok, ind.Polarity)
}

// viewImports finds the imports that figures came from, once each.
type viewImports struct {
	s    *Server
	byID map[int64]accord.Import
}

func (s *Server) newViewImports() *viewImports {
	return &viewImports{s: s, byID: map[int64]accord.Import{}}
}

// of returns the import an observation came from; ok is false for one
// added outside an import.
func (d *viewImports) of(ctx context.Context, id int64) (accord.Import, bool, error) {
	if id == 0 {
		return accord.Import{}, false, nil
	}
	if imp, ok := d.byID[id]; ok {
		return imp, true, nil
	}
	imp, err := d.s.store.FindImport(ctx, id)
	if accord.ErrorCode(err) == accord.ENOTFOUND {
		return accord.Import{}, false, nil
	}
	if err != nil {
		return accord.Import{}, false, err
	}
	d.byID[id] = imp
	return imp, true, nil
}

// viewSource is one publication whose figures a page shows.
type viewSource struct {
	ID        int64
	Publisher string
	Dataset   string
	FileName  string
	Added     string // the day it was imported: "22 November 2026"
	Published string // the day its publisher released it; "" when not recorded
	at        time.Time
}

// When says when the publication's figures date from, for a reader: the day
// they were published, or failing that the day Accord took them in, which
// says nothing of how old they are and so is labelled as such.
func (v viewSource) When() string { return viewWhen(v.Published, v.Added) }

func viewWhen(published, added string) string {
	switch {
	case published != "":
		return "Published on " + published
	case added != "":
		return "Added to Accord on " + added
	}
	return ""
}

// sources lists the imports used so far, newest first; the newest
// publication date among them, "" when none is recorded; and the newest day
// one without a publication date was imported, "" when there is none.
func (d *viewImports) sources() (rows []viewSource, lastPublished, lastAdded string) {
	rows = make([]viewSource, 0, len(d.byID))
	var published accord.Date
	var added time.Time
	for _, imp := range d.byID {
		rows = append(rows, viewSource{ID: imp.ID, Publisher: imp.Publisher, Dataset: imp.Dataset, FileName: imp.FileName,
			Added: viewDay(imp.ImportedAt), Published: formatDate(imp.PublishedOn), at: imp.ImportedAt})
		switch {
		case !imp.PublishedOn.IsZero():
			if imp.PublishedOn.After(published.Time) {
				published = imp.PublishedOn
			}
		case imp.ImportedAt.After(added):
			added = imp.ImportedAt
		}
	}
	slices.SortFunc(rows, func(a, b viewSource) int { return cmp.Or(b.at.Compare(a.at), cmp.Compare(a.ID, b.ID)) })
	return rows, formatDate(published), viewDay(added)
}

// viewDay is the day of a moment, as the NHS style guide writes dates.
func viewDay(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	y, m, d := t.UTC().Date()
	return formatDate(accord.NewDate(y, m, d))
}

// today is the server's day, for deadlines and staleness.
func (s *Server) viewToday() accord.Date {
	y, m, d := s.now().UTC().Date()
	return accord.NewDate(y, m, d)
}
