package web

import (
	"bytes"
	"cmp"
	"encoding/csv"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/nhs-accord/accord"
)

// The target forms: drafting and editing a target, its trajectory, and
// the forms on its page (move, respond, answer a theme). Each POST either
// redirects (303) to the target page with a success banner, or shows the
// form again with the person's input and an error beside each field.

// maxTrajectoryCSV bounds an uploaded trajectory: a few hundred rows.
const maxTrajectoryCSV = 256 << 10

// targetInput is what a person typed into the target form, kept as text so
// it can be shown again as typed.
type targetInput struct {
	Indicator, NationalPriority, LocalTag, Comparator     string
	TargetValue, DeadlineDay, DeadlineMonth, DeadlineYear string
	Title, BaselinePeriod, BaselineValue, Rationale       string
	LocalCircumstances, FloorJustification, Reason        string
}

func readTargetInput(r *http.Request) targetInput {
	v := func(name string) string { return strings.TrimSpace(r.PostFormValue(name)) }
	return targetInput{
		Indicator: v("indicator"), NationalPriority: v("national_priority"), LocalTag: v("local_tag"), Comparator: v("comparator"),
		TargetValue: v("target_value"), DeadlineDay: v("deadline-day"), DeadlineMonth: v("deadline-month"), DeadlineYear: v("deadline-year"),
		Title: v("title"), BaselinePeriod: v("baseline_period"), BaselineValue: v("baseline_value"), Rationale: v("rationale"),
		LocalCircumstances: v("local_circumstances"), FloorJustification: v("floor_justification"), Reason: v("reason"),
	}
}

// inputOf is a stored target as the form shows it.
func inputOf(t accord.Target) targetInput {
	in := targetInput{
		Indicator: t.IndicatorID, NationalPriority: t.PriorityID, LocalTag: string(t.LocalTag), Comparator: string(t.Comparator),
		TargetValue: formatCSVNumber(t.Value), Title: t.Title, BaselinePeriod: t.BaselinePeriod.String(),
		Rationale: t.Rationale, LocalCircumstances: t.LocalCircumstances, FloorJustification: t.FloorJustification,
	}
	if !t.Deadline.IsZero() {
		in.DeadlineDay, in.DeadlineMonth, in.DeadlineYear = strconv.Itoa(t.Deadline.Day()), strconv.Itoa(int(t.Deadline.Month())), strconv.Itoa(t.Deadline.Year())
	}
	if t.BaselineValue != nil {
		in.BaselineValue = formatCSVNumber(*t.BaselineValue)
	}
	return in
}

// formNumber reads a number as people type it: 78, 78.5, 78.5%, 1,200.
func formNumber(s string) (float64, bool) {
	s = strings.TrimSpace(strings.TrimSuffix(strings.ReplaceAll(strings.TrimSpace(s), ",", ""), "%"))
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || s == "" || strings.ContainsAny(s, "eEnNiI") { // no exponents, NaN or Inf from a form
		return 0, false
	}
	return v, true
}

// target turns the input into a target, adding what cannot be read to p.
func (in targetInput) target(p *accord.Problems) accord.Target {
	t := accord.Target{
		IndicatorID: in.Indicator, PriorityID: in.NationalPriority, LocalTag: accord.Tag(in.LocalTag),
		Comparator: accord.Comparator(in.Comparator), Title: in.Title, Rationale: in.Rationale,
		LocalCircumstances: in.LocalCircumstances, FloorJustification: in.FloorJustification, Status: accord.TargetDraft,
	}
	if in.Indicator == "" {
		p.Add("indicator", "Choose the indicator the target is measured by.")
	}
	if in.Comparator == "" {
		p.Add("comparator", "Choose whether the value should be at least or at most the target.")
	}
	switch v, ok := formNumber(in.TargetValue); {
	case in.TargetValue == "":
		p.Add("target_value", "Enter the target value.")
	case !ok:
		p.Add("target_value", "Target value must be a number, like 78 or 78.5.")
	default:
		t.Value = v
	}
	day, month, year := in.DeadlineDay, in.DeadlineMonth, in.DeadlineYear
	switch {
	case day == "" && month == "" && year == "":
		p.Add("deadline", "Enter the deadline.")
	case day == "" || month == "" || year == "":
		var missing []string
		for _, part := range []struct{ name, v string }{{"day", day}, {"month", month}, {"year", year}} {
			if part.v == "" {
				missing = append(missing, part.name)
			}
		}
		p.Add("deadline", "Deadline must include a %s.", strings.Join(missing, " and "))
	default:
		d, dok := wholeNumber(day)
		m, mok := wholeNumber(month)
		y, yok := wholeNumber(year)
		date := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
		if !dok || !mok || !yok || len(year) != 4 || date.Day() != d || int(date.Month()) != m {
			p.Add("deadline", "Deadline must be a real date, like 31 3 2027.")
		} else {
			t.Deadline = accord.Date{Time: date}
		}
	}
	if in.BaselinePeriod != "" {
		bp, err := accord.ParsePeriod(in.BaselinePeriod)
		if err != nil {
			p.Add("baseline_period", "Baseline period must be a period such as 2026-03 (a month), 2025/26 Q4 or 2025/26.")
		}
		t.BaselinePeriod = bp
	}
	if in.BaselineValue != "" {
		v, ok := formNumber(in.BaselineValue)
		if !ok {
			p.Add("baseline_value", "Baseline value must be a number, like 71.4.")
		} else {
			t.BaselineValue = &v
		}
	}
	return t
}

// validateTarget runs every check on a target before it is stored: what
// could not be read (p), the checks against the store, then the domain's
// own for fields nothing else has spoken for. old is the stored target for
// an edit. It fills in a missing title from the indicator, and checks a
// new trajectory runs from the baseline to the deadline.
func (s *Server) validateTarget(r *http.Request, t *accord.Target, old *accord.Target, p accord.Problems) error {
	ind, err := s.checkTarget(r.Context(), *t, old, &p)
	if err != nil {
		return err
	}
	if t.Title == "" && ind.Name != "" {
		t.Title = ind.Name
	}
	if ve := t.Validate(); ve != nil {
		var e *accord.Error
		if !errors.As(renameFields(ve), &e) {
			return ve
		}
		// The checks above say more than the domain's about the same
		// field ("not in the catalogue" rather than "is required").
		said := map[string]bool{}
		for _, f := range p {
			said[f.Field] = true
		}
		for _, f := range e.Fields {
			// A missing title is filled from the indicator, so it is the
			// indicator that needs choosing.
			if said[f.Field] || (f.Field == "title" && (t.IndicatorID != "" || said["indicator"])) {
				continue
			}
			p = append(p, f)
		}
	}
	if old == nil && len(t.Trajectory) > 0 && !hasProblem(p, "trajectory") {
		for _, msg := range spanProblems(*t) {
			p.Add("trajectory", "%s", msg)
		}
	}
	return p.Err("The target is not valid")
}

// targetFormView is the page that drafts or edits a target.
type targetFormView struct {
	page
	Errors      formProblems
	In          targetInput
	Org         accord.Organisation
	Action      string
	Editing     bool
	Version     int
	Conflict    bool
	Indicators  []formChoice
	Priorities  []formChoice
	LocalTags   []formChoice
	Comparators []formChoice
	CancelURL   string
}

// targetFormFor fills the choices of the target form for org.
func (s *Server) targetFormFor(r *http.Request, v *targetFormView) error {
	ctx := r.Context()
	held, err := s.store.SummariseObservations(ctx, []string{v.Org.Code})
	if err != nil {
		return err
	}
	has := map[string]bool{}
	for _, h := range held {
		has[h.IndicatorID] = true
	}
	inds, _, err := s.store.FindIndicators(ctx, accord.IndicatorFilter{})
	if err != nil {
		return err
	}
	slices.SortFunc(inds, func(a, b accord.Indicator) int {
		return cmp.Or(cmp.Compare(areaLabel(a.Area), areaLabel(b.Area)), strings.Compare(a.Name, b.Name))
	})
	measured := map[string]bool{}
	for _, ind := range inds {
		if !has[ind.ID] && ind.ID != v.In.Indicator {
			continue
		}
		measured[ind.ID] = true
		label := areaLabel(ind.Area) + ": " + ind.Name
		if ind.Method == accord.MethodSlopeIndex || ind.HasTag(accord.TagInequality) {
			label += " (an inequality gap)"
		}
		v.Indicators = append(v.Indicators, formChoice{Value: ind.ID, Label: label, Selected: ind.ID == v.In.Indicator})
	}
	ps, err := s.allPriorities(ctx, accord.PriorityFilter{})
	if err != nil {
		return err
	}
	for _, p := range ps {
		if !measured[p.IndicatorID] && p.ID != v.In.NationalPriority {
			continue
		}
		label := p.Name + " – " + standardWords(p)
		if !p.Standing() {
			label += " by " + formatDate(p.Deadline)
		}
		v.Priorities = append(v.Priorities, formChoice{Value: p.ID, Label: label, Selected: p.ID == v.In.NationalPriority})
	}
	for _, tag := range []struct {
		tag  accord.Tag
		hint string
	}{
		{accord.TagOutcome, "Improves people's health or care, such as fewer deaths or better quality of life."},
		{accord.TagPreventative, "Stops illness before it starts or worsens, such as screening or stopping smoking."},
		{accord.TagInequality, "Narrows a gap between groups, such as the slope index of inequality by deprivation."},
	} {
		v.LocalTags = append(v.LocalTags, formChoice{Value: string(tag.tag), Label: sentence(string(tag.tag)), Hint: tag.hint,
			Selected: string(tag.tag) == v.In.LocalTag})
	}
	v.Comparators = []formChoice{
		{Value: string(accord.AtLeast), Label: "At least the target value", Hint: "For example, at least 78% seen within 4 hours.",
			Selected: v.In.Comparator == string(accord.AtLeast)},
		{Value: string(accord.AtMost), Label: "At most the target value", Hint: "For example, at most 30 minutes to hand over an ambulance.",
			Selected: v.In.Comparator == string(accord.AtMost)},
	}
	return nil
}

func (s *Server) renderTargetForm(w http.ResponseWriter, r *http.Request, status int, v *targetFormView) error {
	if err := s.targetFormFor(r, v); err != nil {
		return err
	}
	return s.renderStatus(w, status, "target_form", v)
}

// newTargetPage is GET /targets/new?organisation=CODE: the form an ICB
// lead drafts a target with. Without an organisation, an ICB lead of one
// ICB is sent to theirs.
func (s *Server) newTargetPage(w http.ResponseWriter, r *http.Request) error {
	u, err := s.requireUser(r)
	if err != nil {
		return err
	}
	q := readPageQuery(r)
	code := q.one("organisation")
	if code == "" {
		var leads []string
		for _, g := range u.Grants {
			if g.Role == accord.RoleICBLead && !slices.Contains(leads, g.OrgCode) {
				leads = append(leads, g.OrgCode)
			}
		}
		if len(leads) == 1 {
			http.Redirect(w, r, "/targets/new?organisation="+url.QueryEscape(leads[0]), http.StatusSeeOther)
			return nil
		}
		return accord.Errorf(accord.EINVALID, "Say which ICB the target is for: the web address needs ?organisation= and the ICB's ODS code.")
	}
	org, err := s.findOrganisation(r.Context(), code)
	if err != nil {
		return err
	}
	if _, err := s.targetCreate(r, org.Code); err != nil {
		return err
	}
	v := &targetFormView{
		page: page{Title: "Draft a local target", Section: "targets",
			Crumbs: []crumb{{"/", "Home"}, {"/targets", "Local targets"}}},
		Org: org, Action: "/targets", CancelURL: "/targets?organisation=" + url.QueryEscape(org.Code),
	}
	return s.renderTargetForm(w, r, http.StatusOK, v)
}

// createTarget is POST /targets: the draft from the form.
func (s *Server) createTarget(w http.ResponseWriter, r *http.Request) error {
	if _, err := s.requireUser(r); err != nil {
		return err
	}
	org, err := s.findOrganisation(r.Context(), r.PostFormValue("organisation"))
	if err != nil {
		return err
	}
	call, err := s.targetCreate(r, org.Code)
	if err != nil {
		return err
	}
	in := readTargetInput(r)
	var p accord.Problems
	t := in.target(&p)
	t.OrgCode = org.Code
	err = s.validateTarget(r, &t, nil, p)
	if err == nil {
		err = renameFields(s.store.CreateTarget(r.Context(), &t, call.actor))
	}
	if err != nil {
		errs, err := formProblemsOf(err)
		if err != nil {
			return err
		}
		v := &targetFormView{
			page: page{Title: "Draft a local target", Section: "targets",
				Crumbs: []crumb{{"/", "Home"}, {"/targets", "Local targets"}}},
			Errors: errs, In: in, Org: org, Action: "/targets", CancelURL: "/targets?organisation=" + url.QueryEscape(org.Code),
		}
		return s.renderTargetForm(w, r, http.StatusBadRequest, v)
	}
	http.Redirect(w, r, targetPath(t.ID)+"?done=created", http.StatusSeeOther)
	return nil
}

func (s *Server) editFormView(r *http.Request, t accord.Target, in targetInput, version int) (*targetFormView, error) {
	org, err := s.store.FindOrganisation(r.Context(), t.OrgCode)
	if err != nil {
		return nil, err
	}
	return &targetFormView{
		page: page{Title: "Edit " + t.Title, Section: "targets",
			Crumbs: []crumb{{"/", "Home"}, {"/targets", "Local targets"}, {targetPath(t.ID), t.Title}}},
		In: in, Org: org, Action: targetPath(t.ID) + "/edit", Editing: true, Version: version, CancelURL: targetPath(t.ID),
	}, nil
}

// editTargetPage is GET /targets/{id}/edit.
func (s *Server) editTargetPage(w http.ResponseWriter, r *http.Request) error {
	call, err := s.targetWrite(r, accord.ActEditTarget, "")
	if err != nil {
		return err
	}
	v, err := s.editFormView(r, call.target, inputOf(call.target), call.target.Version)
	if err != nil {
		return err
	}
	return s.renderTargetForm(w, r, http.StatusOK, v)
}

// updateTarget is POST /targets/{id}/edit. The form carries the version it
// was loaded at, so an edit made over someone else's is refused.
func (s *Server) updateTarget(w http.ResponseWriter, r *http.Request) error {
	call, err := s.targetWrite(r, accord.ActEditTarget, "")
	if err != nil {
		return err
	}
	cur := call.target
	in := readTargetInput(r)
	var p accord.Problems
	version, ok := wholeNumber(r.PostFormValue("version"))
	if !ok {
		return accord.Errorf(accord.EINVALID, "The form did not say which version of the target it edits. Reload the page and try again.")
	}
	t := in.target(&p)
	t.ID, t.OrgCode, t.Status, t.Version, t.Trajectory = cur.ID, cur.OrgCode, cur.Status, version, cur.Trajectory
	err = s.validateTarget(r, &t, &cur, p)
	if err == nil {
		_, err = s.store.UpdateTarget(r.Context(), t, call.actor, in.Reason)
		err = renameFields(err)
	}
	if err == nil {
		http.Redirect(w, r, targetPath(cur.ID)+"?done=updated", http.StatusSeeOther)
		return nil
	}
	v, verr := s.editFormView(r, cur, in, version)
	if verr != nil {
		return verr
	}
	status := http.StatusBadRequest
	if accord.ErrorCode(err) == accord.ECONFLICT {
		v.Conflict, status = true, http.StatusConflict
		v.Errors = formProblems{{Message: "Someone else changed this target while you were editing it, so your changes were not saved. " +
			"Reload the page to see the latest version, then make your changes again."}}
	} else if v.Errors, err = formProblemsOf(err); err != nil {
		return err
	}
	return s.renderTargetForm(w, r, status, v)
}

// --- Trajectory ---

// trajectoryRow is one period of the trajectory form.
type trajectoryRow struct {
	N      int // 1-based, for ids
	Period string
	Label  string
	Value  string
	Error  string
}

type trajectoryFormView struct {
	page
	Errors    formProblems
	T         accord.Target
	Unit      string
	Rows      []trajectoryRow
	Action    string
	CancelURL string
	Example   string
}

// trajectoryRows are the periods the form asks for: from the period after
// the baseline (or, without one, the period after the latest published
// value, else the period of today) to the period of the deadline.
func (s *Server) trajectoryRows(r *http.Request, t accord.Target, ind accord.Indicator) ([]trajectoryRow, error) {
	var first accord.Period
	switch {
	case !t.BaselinePeriod.IsZero():
	case len(t.Trajectory) > 0:
		first = t.Trajectory[0].Period
	default:
		// No plan is made for a period already published, nor for one
		// already past.
		first = periodOfDay(accord.NewDate(s.now().UTC().Date()), ind.Frequency)
		obs, err := s.targetSeries(r, t)
		if err != nil {
			return nil, err
		}
		if n := len(obs); n > 0 && fitsFrequency(obs[n-1].Period, ind.Frequency) &&
			(!fitsFrequency(first, ind.Frequency) || obs[n-1].Period.Next().Compare(first) > 0) {
			first = obs[n-1].Period.Next()
		}
	}
	planned := map[accord.Period]float64{}
	for _, m := range t.Trajectory {
		planned[m.Period] = m.Value
	}
	var rows []trajectoryRow
	for i, p := range trajectorySpan(t, first) {
		row := trajectoryRow{N: i + 1, Period: p.String(), Label: periodWords(p)}
		if v, ok := planned[p]; ok {
			row.Value = formatCSVNumber(v)
		}
		rows = append(rows, row)
	}
	return rows, nil
}

// periodOfDay is the period of frequency f that holds day d.
func periodOfDay(d accord.Date, f accord.Frequency) accord.Period {
	m := accord.Month(d.Year(), d.Month())
	fy := d.Year()
	if d.Month() < time.April {
		fy--
	}
	switch f {
	case accord.Quarterly:
		q, _ := accord.FinancialQuarter(fy, (int(d.Month())+8)%12/3+1)
		return q
	case accord.Annual:
		return accord.FinancialYear(fy)
	}
	return m
}

func (s *Server) trajectoryView(r *http.Request, t accord.Target) (*trajectoryFormView, accord.Indicator, error) {
	ind, err := s.store.FindIndicator(r.Context(), t.IndicatorID)
	if err != nil {
		return nil, ind, err
	}
	rows, err := s.trajectoryRows(r, t, ind)
	if err != nil {
		return nil, ind, err
	}
	v := &trajectoryFormView{
		page: page{Title: "Trajectory for " + t.Title, Section: "targets",
			Crumbs: []crumb{{"/", "Home"}, {"/targets", "Local targets"}, {targetPath(t.ID), t.Title}}},
		T: t, Unit: unitLabel(ind.Unit), Rows: rows, Action: targetPath(t.ID) + "/trajectory", CancelURL: targetPath(t.ID),
	}
	if len(rows) > 0 {
		v.Example = "period,value\n" + rows[0].Period + ",74.5"
		if len(rows) > 1 {
			v.Example += "\n" + rows[1].Period + ",75"
		}
	}
	return v, ind, nil
}

// trajectoryPage is GET /targets/{id}/trajectory: a row per period from
// the baseline to the deadline, or a CSV upload.
func (s *Server) trajectoryPage(w http.ResponseWriter, r *http.Request) error {
	call, err := s.targetWrite(r, accord.ActEditTarget, "")
	if err != nil {
		return err
	}
	v, _, err := s.trajectoryView(r, call.target)
	if err != nil {
		return err
	}
	return s.render(w, "target_trajectory", v)
}

// setTrajectory is POST /targets/{id}/trajectory: the rows of the form, or
// a CSV file (multipart, field "file", columns period,value under a header
// row). Leaving every row blank removes the trajectory.
func (s *Server) setTrajectory(w http.ResponseWriter, r *http.Request) error {
	call, err := s.targetWrite(r, accord.ActEditTarget, "")
	if err != nil {
		return err
	}
	t := call.target
	v, ind, err := s.trajectoryView(r, t)
	if err != nil {
		return err
	}
	var ms []accord.Milestone
	var p accord.Problems
	fromCSV := false
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt == "multipart/form-data" {
		if r.MultipartForm == nil {
			r.Body = http.MaxBytesReader(w, r.Body, maxUpload)
			if err := r.ParseMultipartForm(32 << 20); err != nil {
				return accord.Errorf(accord.EINVALID, "The upload could not be read. Choose the file again and try again.")
			}
		}
		if f, hdr, ferr := r.FormFile("file"); ferr == nil {
			defer f.Close()
			if hdr.Size > 0 {
				fromCSV = true
				ms, p = readTrajectoryCSV(f)
			}
		}
	}
	if !fromCSV {
		ms, p = readTrajectoryRows(r, v.Rows)
	}
	// Problems with the whole trajectory belong to the file when there is
	// one, and to no one row otherwise.
	whole := ""
	if fromCSV {
		whole = "file"
	}
	if len(p) == 0 {
		for _, mp := range checkMilestones(ind, ms) {
			switch {
			case fromCSV && mp.Index >= 0:
				p.Add("file", "Line %d (%s): %s", mp.Index+2, mp.Period, mp.Message)
			case mp.Index >= 0 && mp.Index < len(v.Rows):
				p.Add("value-"+strconv.Itoa(mp.Index+1), "%s: %s", periodWords(mp.Period), upperFirst(mp.Message))
			default:
				p.Add(whole, "%s", mp.String())
			}
		}
		next := t
		next.Trajectory = ms
		if len(p) == 0 {
			for _, msg := range spanProblems(next) {
				p.Add(whole, "%s", msg)
			}
		}
	}
	if len(p) == 0 {
		_, err = s.store.SetTrajectory(r.Context(), t.ID, ms, call.actor, strings.TrimSpace(r.PostFormValue("reason")))
		if err == nil {
			http.Redirect(w, r, targetPath(t.ID)+"?done=trajectory", http.StatusSeeOther)
			return nil
		}
		errs, err := formProblemsOf(err)
		if err != nil {
			return err
		}
		p = accord.Problems(errs)
	}
	v.Errors = formProblems(p)
	// Show the rows as typed, so nothing typed is lost.
	if !fromCSV {
		values := r.PostForm["value"]
		for i := range v.Rows {
			if i < len(values) {
				v.Rows[i].Value = strings.TrimSpace(values[i])
			}
			v.Rows[i].Error = v.Errors.Of("value-" + strconv.Itoa(i+1))
		}
	}
	return s.renderStatus(w, http.StatusBadRequest, "target_trajectory", v)
}

// readTrajectoryRows reads the form's rows. The periods are the form's own
// (a hidden field per row), checked against the rows the page offers.
func readTrajectoryRows(r *http.Request, rows []trajectoryRow) ([]accord.Milestone, accord.Problems) {
	var p accord.Problems
	periods, values := r.PostForm["period"], r.PostForm["value"]
	if len(periods) != len(values) || len(periods) != len(rows) {
		p.Add("", "The form is out of date: the target's baseline or deadline has changed since it was loaded. Reload the page and enter the trajectory again.")
		return nil, p
	}
	blank := 0
	for _, v := range values {
		if strings.TrimSpace(v) == "" {
			blank++
		}
	}
	if blank == len(values) {
		return nil, nil // every row blank: no trajectory
	}
	var ms []accord.Milestone
	for i, row := range rows {
		if strings.TrimSpace(periods[i]) != row.Period {
			p.Add("", "The form is out of date. Reload the page and enter the trajectory again.")
			return nil, p
		}
		id := "value-" + strconv.Itoa(i+1)
		raw := strings.TrimSpace(values[i])
		if raw == "" {
			p.Add(id, "Enter the planned value for %s, or leave every value blank to remove the trajectory.", row.Label)
			continue
		}
		v, ok := formNumber(raw)
		if !ok {
			p.Add(id, "The planned value for %s must be a number, like 74.5.", row.Label)
			continue
		}
		ms = append(ms, accord.Milestone{Period: accord.MustParsePeriod(row.Period), Value: v})
	}
	return ms, p
}

// readTrajectoryCSV reads an operational plan submission's monthly rows:
// a header row "period,value", then one row a period. Problems name the
// line, counting the header as line 1.
func readTrajectoryCSV(f io.Reader) ([]accord.Milestone, accord.Problems) {
	var p accord.Problems
	b, err := io.ReadAll(io.LimitReader(f, maxTrajectoryCSV+1))
	if err != nil {
		p.Add("file", "The file could not be read. Choose it again and try again.")
		return nil, p
	}
	if len(b) > maxTrajectoryCSV {
		p.Add("file", "The file is larger than %d KB: a trajectory is one row a period.", maxTrajectoryCSV>>10)
		return nil, p
	}
	b = bytes.TrimPrefix(b, []byte("\ufeff")) // Excel's byte order mark
	cr := csv.NewReader(bytes.NewReader(b))
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	records, err := cr.ReadAll()
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			p.Add("file", "Line %d: %s.", pe.Line, pe.Err)
		} else {
			p.Add("file", "The file is not a CSV file.")
		}
		return nil, p
	}
	if len(records) == 0 {
		p.Add("file", "The file is empty. It needs a header row, period,value, then one row for each period.")
		return nil, p
	}
	head := records[0]
	if len(head) < 2 || !strings.EqualFold(strings.TrimSpace(head[0]), "period") || !strings.EqualFold(strings.TrimSpace(head[1]), "value") {
		p.Add("file", "Line 1: the first row must be the header period,value, not %q.", strings.Join(head, ","))
		return nil, p
	}
	if len(records) == 1 {
		p.Add("file", "The file has a header but no rows: add one row for each period.")
		return nil, p
	}
	if len(records)-1 > maxMilestones {
		p.Add("file", "The file has %d rows; a trajectory has at most %d.", len(records)-1, maxMilestones)
		return nil, p
	}
	var ms []accord.Milestone
	for i, rec := range records[1:] {
		line := i + 2
		if len(rec) != 2 {
			p.Add("file", "Line %d: has %d columns; each row needs 2, the period and the value.", line, len(rec))
			continue
		}
		period, err := accord.ParsePeriod(rec[0])
		if err != nil {
			p.Add("file", "Line %d: %q is not a period; write months as 2026-04.", line, strings.TrimSpace(rec[0]))
			continue
		}
		v, ok := formNumber(rec[1])
		if !ok {
			p.Add("file", "Line %d (%s): the value %q is not a number.", line, period, strings.TrimSpace(rec[1]))
			continue
		}
		ms = append(ms, accord.Milestone{Period: period, Value: v})
	}
	return ms, p
}

// --- The forms on the target page ---

// showTargetErrors shows the target page again with the errors of one of
// its forms, or answers err as an error page when it is not a problem
// with the input.
func (s *Server) showTargetErrors(w http.ResponseWriter, r *http.Request, a *targetAccess, id int64, err error, forms targetForms) error {
	errs, err := formProblemsOf(err)
	if err != nil {
		return err
	}
	forms.Errors = errs
	t, err := s.store.FindTarget(r.Context(), id) // as it is now, after whatever failed
	if err != nil {
		return err
	}
	v, err := s.targetView(r, a, t, forms)
	if err != nil {
		return err
	}
	return s.renderStatus(w, http.StatusBadRequest, "target", v)
}

// moveTarget is POST /targets/{id}/transitions: one of the move buttons,
// with the reason.
func (s *Server) moveTarget(w http.ResponseWriter, r *http.Request) error {
	to := accord.TargetStatus(strings.TrimSpace(r.PostFormValue("to")))
	reason := strings.TrimSpace(r.PostFormValue("reason"))
	call, err := s.targetWrite(r, accord.ActMoveTarget, to)
	if err != nil {
		return err
	}
	if _, err := s.store.MoveTarget(r.Context(), call.target.ID, to, call.actor, reason); err != nil {
		return s.showTargetErrors(w, r, call.access, call.target.ID, renameFields(moveFormErr(err, to)), targetForms{MoveReason: reason})
	}
	http.Redirect(w, r, targetPath(call.target.ID)+"?done=moved", http.StatusSeeOther)
	return nil
}

// moveFormErr says what to do about a refused move in the words of the
// page, and points the field at its place there.
func moveFormErr(err error, to accord.TargetStatus) error {
	e, ok := err.(*accord.Error)
	if !ok || e.Code != accord.EINVALID {
		return err
	}
	out := *e
	out.Fields = nil
	for _, f := range e.Fields {
		switch f.Field {
		case "reason":
			f.Message = "Give a reason to " + strings.ToLower(cmp.Or(moveLabels[to], "move")) + " the target."
		case "themes":
			f.Field = "you_said"
			f.Message = upperFirst(f.Message) + ". Answer them with a theme below before agreeing the target."
		case "floor_justification":
			label, _ := statusLabel(to)
			f.Field = ""
			f.Message = "The target falls short of the standard of the national priority it serves, so it needs a written justification before it is " +
				strings.ToLower(label) + ". Change the target to add one."
		}
		out.Fields = append(out.Fields, f)
	}
	return &out
}

// respond is POST /targets/{id}/responses: a consultee's stance and
// comment.
func (s *Server) respond(w http.ResponseWriter, r *http.Request) error {
	call, err := s.targetWrite(r, accord.ActRespond, "")
	if err != nil {
		return err
	}
	forms := targetForms{Stance: strings.TrimSpace(r.PostFormValue("stance")), Comment: strings.TrimSpace(r.PostFormValue("comment"))}
	resp := accord.ConsultationResponse{Stance: accord.Stance(forms.Stance), Comment: forms.Comment}
	if err := s.store.Respond(r.Context(), call.target.ID, &resp, call.actor); err != nil {
		return s.showTargetErrors(w, r, call.access, call.target.ID, respondErr(err), forms)
	}
	http.Redirect(w, r, targetPath(call.target.ID)+"?done=responded", http.StatusSeeOther)
	return nil
}

// respondErr puts the response's problems in the form's words.
func respondErr(err error) error {
	e, ok := err.(*accord.Error)
	if !ok || e.Code != accord.EINVALID {
		return err
	}
	out := *e
	out.Fields = nil
	for _, f := range e.Fields {
		switch f.Field {
		case "stance":
			f.Message = "Choose whether you support the target, support it with changes, or oppose it."
		case "comment":
			f.Message = "Say what should change, or why you oppose the target."
		}
		out.Fields = append(out.Fields, f)
	}
	return &out
}

// answerTheme is POST /targets/{id}/themes: the ICB lead's "you said, we
// did" answer to some of the responses.
func (s *Server) answerTheme(w http.ResponseWriter, r *http.Request) error {
	call, err := s.targetWrite(r, accord.ActAnswerTheme, "")
	if err != nil {
		return err
	}
	forms := targetForms{YouSaid: strings.TrimSpace(r.PostFormValue("you_said")), WeDid: strings.TrimSpace(r.PostFormValue("we_did")),
		Changed: r.PostFormValue("changed")}
	var p accord.Problems
	for _, raw := range r.PostForm["responses"] {
		id, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || id <= 0 {
			p.Add("responses", "Choose the responses from the list.")
			continue
		}
		forms.ResponseIDs = append(forms.ResponseIDs, id)
	}
	if forms.Changed != "yes" && forms.Changed != "no" {
		p.Add("changed", "Say whether the target changed as a result.")
	}
	th := accord.Theme{YouSaid: forms.YouSaid, WeDid: forms.WeDid, Changed: forms.Changed == "yes", ResponseIDs: forms.ResponseIDs}
	if err := th.Validate(); err != nil {
		if e, ok := err.(*accord.Error); ok {
			p = append(p, e.Fields...)
		} else {
			return err
		}
	}
	err = p.Err("The answer is not valid")
	if err == nil {
		err = s.store.AnswerTheme(r.Context(), call.target.ID, &th, call.actor)
	}
	if err != nil {
		return s.showTargetErrors(w, r, call.access, call.target.ID, themeErr(err), forms)
	}
	http.Redirect(w, r, targetPath(call.target.ID)+"?done=theme", http.StatusSeeOther)
	return nil
}

// themeErr puts a theme's problems in the form's words.
func themeErr(err error) error {
	e, ok := err.(*accord.Error)
	if !ok || e.Code != accord.EINVALID {
		return err
	}
	out := *e
	out.Fields = nil
	for _, f := range e.Fields {
		switch {
		case f.Field == "you_said" && strings.HasPrefix(f.Message, "is required"):
			f.Message = "Sum up what consultees said."
		case f.Field == "we_did" && strings.HasPrefix(f.Message, "is required"):
			f.Message = "Say what was done about it."
		case f.Field == "responses" && strings.HasPrefix(f.Message, "choose at least"):
			f.Message = "Choose at least one response this answers."
		default:
			f.Message = upperFirst(f.Message)
		}
		out.Fields = append(out.Fields, f)
	}
	return &out
}
