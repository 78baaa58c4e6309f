package web

import (
	"cmp"
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/nhs-accord/accord"
	"github.com/nhs-accord/accord/assess"
	"github.com/nhs-accord/accord/stats/segment"
	"github.com/nhs-accord/accord/stats/trajectory"
)

// segmentationMetrics are the ICB-level metrics the national view segments
// ICBs on, in the manner of the NHS Oversight Framework: the catalogue's
// indicators, with a better direction, that NHS England or OHID publish
// (or Accord rolls up) for every ICB — access to urgent, elective and
// cancer care, and population health. A metric without ICB figures in the
// store is listed on the page as not scored, so the page always says what
// the segments rest on.
var segmentationMetrics = []string{
	"ae_4h_all",                    // A&E within 4 hours
	"ae_12h_in_department_share",   // 12 hours or more in A&E
	"rtt_18w_share",                // elective waits within 18 weeks
	"rtt_52w_share",                // elective waits over 52 weeks
	"diagnostics_6w",               // diagnostic tests within 6 weeks
	"cancer_fds_28d",               // Faster Diagnosis Standard
	"cancer_62d",                   // cancer treatment within 62 days
	"life_expectancy_birth",        // life expectancy
	"mortality_under75_all_causes", // deaths under 75
}

// nationalStatuses are the columns of the status counts: the statuses
// oversight sees (accord.CanView), since drafts and local consultations
// are the ICBs' own until submitted.
var nationalStatuses = []accord.TargetStatus{accord.TargetSubmitted, accord.TargetChallenged, accord.TargetApproved,
	accord.TargetActive, accord.TargetAchieved, accord.TargetMissed, accord.TargetWithdrawn}

// reviewOverdueAfter is how long a submitted target may wait for NHS
// England's review before it is flagged.
const reviewOverdueAfter = 30 * 24 * time.Hour

// staleAfterMonths is how long after a period ends its figures should have
// been published and imported: NHS England's monthly and quarterly
// statistics come out about six weeks after the period, so a month's
// grace is added; OHID's annual and three-year figures come a year or more
// after. Irregular publications (the deprivation indices) are never stale.
func staleAfterMonths(f accord.Frequency) (int, bool) {
	switch f {
	case accord.Monthly:
		return 3, true
	case accord.Quarterly:
		return 6, true
	case accord.Annual:
		return 18, true
	case accord.Rolling3:
		return 24, true
	}
	return 0, false
}

// nationalRow is one ICB in the side-by-side table.
type nationalRow struct {
	Code, Name, RegionCode, RegionName string
	Yours                              bool // in the regional viewer's region
	Counts                             []int
	Total                              int
	Checked                            int // targets whose ambition was checked
	NeedJustification                  int
	Justified                          int // of those, with a justification written
	Pass, Fail, Inconsistent, NoIcon   int // SPC assurance on the targets' indicators
	OffTrack, Stale, Overdue           int
	Segment                            string
	Average                            string
}

// nationalException is one thing oversight should look at.
type nationalException struct {
	ICBCode, ICBName string
	Kind             string // "Off track", "Stale data", "Review overdue"
	Detail           string
}

// segmentMetricView is one metric the segmentation scored.
type segmentMetricView struct {
	ID, Name, Polarity, Period string
	ICBs                       int
}

// segmentRowView is one ICB's scores, average and segment.
type segmentRowView struct {
	Code, Name string
	Yours      bool
	Scores     []string // in metric order; "" where it has no value
	Average    string
	Segment    string
}

type nationalView struct {
	page
	Scope      string
	AsAt       string
	Regional   bool
	Statuses   []string
	Rows       []nationalRow
	Exceptions []nationalException
	CSVURL     string
	// ReviewStages are the peer reviews' stages past due (peerreview_page.go).
	ReviewStages []overdueStageRow

	Method      string
	Cutoffs     string
	MinMetrics  int
	Metrics     []segmentMetricView
	Unscored    []string
	SegmentRows []segmentRowView
}

// nationalPage is GET /national (and ?format=csv): every ICB side by side
// for NHS England's oversight — targets by status, their ambition, SPC
// assurance and exceptions — and an NHS Oversight Framework style
// segmentation. National oversight sees every ICB; regional oversight sees
// its region's ICBs, with the segmentation (always across all 42, so a
// score means the same for everyone) marking them. Anyone else is refused.
func (s *Server) nationalPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u, err := s.requireUser(r)
	if err != nil {
		return err
	}
	national, regions := false, map[string]bool{}
	for _, g := range u.Grants {
		switch g.Role {
		case accord.RoleNationalOversight:
			national = true
		case accord.RoleRegionalOversight:
			regions[g.OrgCode] = true
		}
	}
	if u.Disabled || (!national && len(regions) == 0) {
		return accord.Errorf(accord.EFORBIDDEN, "The national view is for NHS England’s national and regional oversight teams, and none of your roles is one of those.")
	}
	asCSV, err := wantCSV(r)
	if err != nil {
		return err
	}
	orgs, err := s.loadViewOrgs(ctx)
	if err != nil {
		return err
	}
	var all, shown []accord.Organisation
	for _, o := range orgs {
		if o.Type == accord.OrgICB {
			all = append(all, o)
		}
	}
	slices.SortFunc(all, func(a, b accord.Organisation) int {
		return cmp.Or(strings.Compare(orgs.name(a.ParentCode), orgs.name(b.ParentCode)), byName(a, b))
	})
	for _, o := range all {
		if national || regions[o.ParentCode] {
			shown = append(shown, o)
		}
	}

	v := nationalView{page: page{Title: "National view", Section: "national", Crumbs: []crumb{{"/", "Home"}}},
		AsAt: formatDate(s.viewToday()), Regional: !national, CSVURL: "/national?format=csv"}
	if national {
		v.Scope = fmt.Sprintf("All %d integrated care boards in England.", len(shown))
	} else {
		var names []string
		for code := range regions {
			names = append(names, orgs.name(code))
		}
		slices.Sort(names)
		v.Scope = fmt.Sprintf("The %d integrated care boards in %s, the %s you oversee.", len(shown), strings.Join(names, " and "),
			plural(len(names), "region", "regions"))
	}
	for _, st := range nationalStatuses {
		v.Statuses = append(v.Statuses, sentence(string(st)))
	}
	if v.Rows, v.Exceptions, err = s.nationalRows(ctx, u, shown, orgs); err != nil {
		return err
	}
	if err := s.nationalSegments(ctx, &v, all, shown, national); err != nil {
		return err
	}
	inScope := make(map[string]bool, len(shown))
	for _, o := range shown {
		inScope[o.Code] = true
	}
	if v.ReviewStages, err = s.overdueReviewStages(r, u, inScope, orgs); err != nil {
		return err
	}
	if asCSV {
		return writeNationalCSV(w, v.Rows)
	}
	return s.render(w, "national", &v)
}

// nationalRows works out each shown ICB's row from the targets u may see.
func (s *Server) nationalRows(ctx context.Context, u *accord.User, icbs []accord.Organisation, orgs viewOrgs) ([]nationalRow, []nationalException, error) {
	rows := make([]nationalRow, len(icbs))
	index := make(map[string]int, len(icbs))
	codes := make([]string, len(icbs))
	for i, o := range icbs {
		rows[i] = nationalRow{Code: o.Code, Name: o.Name, RegionCode: o.ParentCode, RegionName: orgs.name(o.ParentCode),
			Counts: make([]int, len(nationalStatuses)), Segment: "Not segmented", Average: "None"}
		index[o.Code] = i
		codes[i] = o.Code
	}
	if len(icbs) == 0 {
		return rows, nil, nil
	}
	ts, _, err := s.store.FindTargets(ctx, accord.TargetFilter{})
	if err != nil {
		return nil, nil, err
	}
	as, _, err := s.store.FindAssessments(ctx, accord.AssessmentFilter{OrgType: accord.OrgICB})
	if err != nil {
		return nil, nil, err
	}
	icon := make(map[accord.SeriesKey]string, len(as))
	for _, a := range as {
		icon[a.Key()] = a.AssuranceIcon
	}
	inds := map[string]accord.Indicator{}
	series := map[string]map[string][]accord.Observation{} // indicator → ICB → whole-population series
	load := func(id string) (accord.Indicator, map[string][]accord.Observation, error) {
		if ind, ok := inds[id]; ok {
			return ind, series[id], nil
		}
		ind, err := s.store.FindIndicator(ctx, id)
		if err != nil {
			return ind, nil, err
		}
		obs, _, err := s.store.FindObservations(ctx, accord.ObservationFilter{IndicatorID: id, OrgCodes: codes})
		if err != nil {
			return ind, nil, err
		}
		by := map[string][]accord.Observation{}
		for _, o := range obs {
			by[o.OrgCode] = append(by[o.OrgCode], o)
		}
		for code := range by {
			by[code] = viewSeries(by[code], code)
		}
		inds[id], series[id] = ind, by
		return ind, by, nil
	}

	now, today := s.now(), s.viewToday()
	var exceptions []nationalException
	seen := map[accord.SeriesKey]bool{}  // a target's indicator, once per ICB, for assurance
	stale := map[accord.SeriesKey]bool{} // and for staleness
	for _, t := range ts {
		i, ok := index[t.OrgCode]
		if !ok || !accord.CanView(u, t, orgs.parentOf) {
			continue
		}
		row := &rows[i]
		if k := slices.Index(nationalStatuses, t.Status); k >= 0 {
			row.Counts[k]++
			row.Total++
		}
		if t.Status == accord.TargetWithdrawn {
			continue
		}
		ind, by, err := load(t.IndicatorID)
		if err != nil {
			return nil, nil, err
		}
		key := accord.SeriesKey{IndicatorID: ind.ID, OrgCode: t.OrgCode}
		if !seen[key] {
			seen[key] = true
			switch icon[key] {
			case "pass":
				row.Pass++
			case "fail":
				row.Fail++
			case "inconsistent":
				row.Inconsistent++
			default:
				row.NoIcon++
			}
		}
		exception := func(kind, detail string) {
			exceptions = append(exceptions, nationalException{ICBCode: row.Code, ICBName: row.Name, Kind: kind, Detail: detail})
		}
		live := t.Status == accord.TargetSubmitted || t.Status == accord.TargetChallenged ||
			t.Status == accord.TargetApproved || t.Status == accord.TargetActive
		if !live {
			continue
		}
		amb, err := assess.Ambition(ctx, s.store, t, today)
		if err != nil {
			return nil, nil, err
		}
		row.Checked++
		if amb.NeedsJustification {
			row.NeedJustification++
			if strings.TrimSpace(t.FloorJustification) != "" {
				row.Justified++
			}
		}
		own := by[t.OrgCode]
		if t.Status == accord.TargetApproved || t.Status == accord.TargetActive {
			if p := publicProgressOf(t, own); p.Status == trajectory.OffTrack {
				row.OffTrack++
				exception("Off track", fmt.Sprintf("“%s”: %s. %s", t.Title, publicPromise(t, ind), p.Detail))
			}
		}
		if t.Status == accord.TargetSubmitted && t.SubmittedAt != nil && now.Sub(*t.SubmittedAt) > reviewOverdueAfter {
			row.Overdue++
			days := int(now.Sub(*t.SubmittedAt).Hours() / 24)
			exception("Review overdue", fmt.Sprintf("“%s” was submitted on %s, %d days ago, and has not been reviewed.", t.Title, viewDay(*t.SubmittedAt), days))
		}
		if months, ok := staleAfterMonths(ind.Frequency); ok && !stale[key] {
			stale[key] = true
			last, has := viewLatestTotal(own)
			switch {
			case !has:
				row.Stale++
				exception("Stale data", fmt.Sprintf("%s: no figures are held for the integrated care board.", ind.Name))
			case today.After(last.Period.End().AddDate(0, months, 0)):
				row.Stale++
				exception("Stale data", fmt.Sprintf("%s: the latest figure is for %s; a %s figure should be no more than %d months old.",
					ind.Name, periodWords(last.Period), strings.ToLower(frequencyLabel(ind.Frequency)), months))
			}
		}
	}
	return rows, exceptions, nil
}

// nationalSegments segments every ICB on segmentationMetrics, each on its
// latest period held for ICBs, and puts the segments into v.Rows.
func (s *Server) nationalSegments(ctx context.Context, v *nationalView, all, shown []accord.Organisation, national bool) error {
	codes := make([]string, len(all))
	for i, o := range all {
		codes[i] = o.Code
	}
	var metrics []segment.Metric
	units := map[string]accord.Unit{}
	for _, id := range segmentationMetrics {
		ind, err := s.store.FindIndicator(ctx, id)
		if accord.ErrorCode(err) == accord.ENOTFOUND {
			v.Unscored = append(v.Unscored, id+" (not in the indicator catalogue)")
			continue
		}
		if err != nil {
			return err
		}
		if ind.Polarity != accord.HigherIsBetter && ind.Polarity != accord.LowerIsBetter {
			v.Unscored = append(v.Unscored, ind.Name+" (neither higher nor lower is better)")
			continue
		}
		var obs []accord.Observation
		if len(codes) > 0 {
			if obs, _, err = s.store.FindObservations(ctx, accord.ObservationFilter{IndicatorID: id, OrgCodes: codes}); err != nil {
				return err
			}
		}
		var latest accord.Period
		for _, o := range obs {
			if o.Period.Compare(latest) > 0 {
				latest = o.Period
			}
		}
		values := map[string]float64{}
		for _, o := range obs {
			if o.Period == latest {
				values[o.OrgCode] = o.Value
			}
		}
		if len(values) == 0 {
			v.Unscored = append(v.Unscored, ind.Name+" (no figures for integrated care boards are held)")
			continue
		}
		metrics = append(metrics, segment.Metric{ID: ind.ID, Name: ind.Name, Polarity: ind.Polarity, Values: values})
		v.Metrics = append(v.Metrics, segmentMetricView{ID: ind.ID, Name: ind.Name, Polarity: ind.Polarity.Label(),
			Period: periodWords(latest), ICBs: len(values)})
		units[ind.ID] = ind.Unit
	}
	cfg := segment.DefaultConfig()
	res, err := segment.Segment(codes, metrics, cfg)
	if err != nil {
		return err
	}
	v.Method, v.MinMetrics = res.Method, cfg.MinMetrics
	v.Cutoffs = fmt.Sprintf("%.2f, %.2f and %.2f", cfg.Cutoffs[0], cfg.Cutoffs[1], cfg.Cutoffs[2])
	inScope := map[string]bool{}
	for _, o := range shown {
		inScope[o.Code] = true
	}
	names := map[string]string{}
	for _, o := range all {
		names[o.Code] = o.Name
	}
	rowOf := map[string]*nationalRow{}
	for i := range v.Rows {
		rowOf[v.Rows[i].Code] = &v.Rows[i]
	}
	for _, o := range res.Organisations {
		sr := segmentRowView{Code: o.Code, Name: names[o.Code], Yours: !national && inScope[o.Code], Segment: "Not segmented", Average: "None"}
		scores := map[string]segment.Score{}
		for _, sc := range o.Scores {
			scores[sc.MetricID] = sc
		}
		for _, m := range v.Metrics {
			if sc, ok := scores[m.ID]; ok {
				sr.Scores = append(sr.Scores, fmt.Sprintf("%s (score %d)", formatValue(sc.Value, units[m.ID]), sc.Score))
			} else {
				sr.Scores = append(sr.Scores, "")
			}
		}
		if o.Average != nil {
			sr.Average = strconv.FormatFloat(*o.Average, 'f', 2, 64)
		}
		if o.Segment > 0 {
			sr.Segment = "Segment " + strconv.Itoa(o.Segment)
		}
		if row := rowOf[o.Code]; row != nil {
			row.Segment, row.Average = sr.Segment, sr.Average
		}
		v.SegmentRows = append(v.SegmentRows, sr)
	}
	// Best first; those not segmented last.
	seg := func(r segmentRowView) int {
		if n, err := strconv.Atoi(strings.TrimPrefix(r.Segment, "Segment ")); err == nil {
			return n
		}
		return 5
	}
	slices.SortStableFunc(v.SegmentRows, func(a, b segmentRowView) int {
		return cmp.Or(cmp.Compare(seg(a), seg(b)), strings.Compare(a.Average, b.Average), strings.Compare(a.Name, b.Name))
	})
	return nil
}

// writeNationalCSV downloads the side-by-side table.
func writeNationalCSV(w http.ResponseWriter, rows []nationalRow) error {
	header := []string{"icb_code", "icb_name", "region_code", "region_name"}
	for _, st := range nationalStatuses {
		header = append(header, "targets_"+string(st))
	}
	header = append(header, "targets_total", "ambition_checked", "needs_justification", "justification_given",
		"assurance_pass", "assurance_fail", "assurance_inconsistent", "assurance_none",
		"off_track", "stale_data", "overdue_reviews", "segment", "average_score")
	n := strconv.Itoa
	out := make([][]string, 0, len(rows))
	for _, r := range rows {
		rec := []string{r.Code, r.Name, r.RegionCode, r.RegionName}
		for _, c := range r.Counts {
			rec = append(rec, n(c))
		}
		segNum := strings.TrimPrefix(r.Segment, "Segment ")
		if segNum == r.Segment {
			segNum = ""
		}
		avg := r.Average
		if avg == "None" {
			avg = ""
		}
		rec = append(rec, n(r.Total), n(r.Checked), n(r.NeedJustification), n(r.Justified),
			n(r.Pass), n(r.Fail), n(r.Inconsistent), n(r.NoIcon), n(r.OffTrack), n(r.Stale), n(r.Overdue), segNum, avg)
		out = append(out, rec)
	}
	return writeCSV(w, "national-view.csv", header, out)
}

// hasOversight reports whether u may see the national view, for the
// header's navigation.
func hasOversight(u *accord.User) bool {
	if u == nil || u.Disabled {
		return false
	}
	for _, g := range u.Grants {
		if g.Role == accord.RoleNationalOversight || g.Role == accord.RoleRegionalOversight {
			return true
		}
	}
	return false
}
