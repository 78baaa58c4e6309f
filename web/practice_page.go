package web

import (
	"cmp"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/nhs-accord/accord"
	"github.com/nhs-accord/accord/charts"
)

// notesPerPage is how many notes one page of the list shows.
const notesPerPage = 20

// summaryLength is how much of a note's problem the list shows.
const summaryLength = 240

// evidenceRow is one piece of a note's evidence in the list.
type evidenceRow struct {
	Indicator, Org, Span string
	Verdict, Colour      string
}

type noteRow struct {
	ID             int64
	Title          string
	OrgName        string
	Summary        string
	Topics         []formChoice // Value is the list filtered by the topic
	Evidence       []evidenceRow
	TriedElsewhere int
	Updated        string
}

type practiceListView struct {
	page
	Rows         []noteRow
	Total        int
	From, To     int
	Filtered     bool
	Q            string
	Topics       []formChoice
	Indicators   []formChoice
	Orgs         []formChoice
	Prev, Next   string
	APIURL       string
	NewURL       string
	ImproversURL string // who improved most on the chosen indicator
}

// practicePage is GET /practice: the learning exchange, searched by topic,
// indicator, organisation and free text q, most recently changed first.
func (s *Server) practicePage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	q := readPageQuery(r)
	f, err := s.noteFilter(r, q)
	if err != nil {
		return err
	}
	pageNo := 1
	if v := q.one("page"); v != "" {
		n, ok := wholeNumber(v)
		if !ok || n < 1 {
			q.problems.Add("page", "%q must be a whole number, 1 or more", v)
		} else {
			pageNo = n
		}
	}
	if err := q.problems.Err("The web address is not valid"); err != nil {
		return err
	}
	f.Offset, f.Limit = (pageNo-1)*notesPerPage, notesPerPage
	notes, total, err := s.store.FindPracticeNotes(ctx, f)
	if err != nil {
		return err
	}
	v := practiceListView{
		page:     page{Title: "Learning exchange", Section: "practice", Crumbs: []crumb{{"/", "Home"}}},
		Total:    total,
		Filtered: f != (accord.PracticeNoteFilter{Offset: f.Offset, Limit: f.Limit}),
		Q:        f.Q,
		NewURL:   newNoteURL(s.currentUser(r)),
	}
	params := url.Values{}
	for name, val := range map[string]string{"indicator": f.IndicatorID, "organisation": f.OrgCode, "topic": f.Topic, "q": f.Q} {
		if val != "" {
			params.Set(name, val)
		}
	}
	link := func(n int) string {
		u := url.Values{}
		for k, vs := range params {
			u[k] = vs
		}
		if n > 1 {
			u.Set("page", strconv.Itoa(n))
		}
		if len(u) == 0 {
			return "/practice"
		}
		return "/practice?" + u.Encode()
	}
	if len(notes) > 0 {
		v.From, v.To = f.Offset+1, f.Offset+len(notes)
	}
	if pageNo > 1 {
		v.Prev = link(pageNo - 1)
	}
	if f.Offset+len(notes) < total {
		v.Next = link(pageNo + 1)
	}
	v.APIURL = "/api/v1/practice-notes"
	if len(params) > 0 {
		v.APIURL += "?" + params.Encode()
	}
	if f.IndicatorID != "" {
		v.ImproversURL = improversURL(f.IndicatorID, "")
	}

	names, err := s.orgNames(r)
	if err != nil {
		return err
	}
	inds, _, err := s.store.FindIndicators(ctx, accord.IndicatorFilter{})
	if err != nil {
		return err
	}
	indName := map[string]string{}
	for _, ind := range inds {
		indName[ind.ID] = ind.Name
	}
	for _, n := range notes {
		row := noteRow{ID: n.ID, Title: n.Title, OrgName: cmp.Or(names[n.OrgCode], n.OrgCode), Summary: clip(n.Problem, summaryLength),
			TriedElsewhere: len(n.TriedElsewhere), Updated: formatDate(accord.Date{Time: n.UpdatedAt})}
		for _, t := range n.Topics {
			row.Topics = append(row.Topics, formChoice{Value: "/practice?" + url.Values{"topic": {t}}.Encode(), Label: t})
		}
		for _, e := range n.Evidence {
			row.Evidence = append(row.Evidence, evidenceRow{Indicator: cmp.Or(indName[e.IndicatorID], e.IndicatorID),
				Org: cmp.Or(names[e.OrgCode], e.OrgCode), Span: evidenceSpan(e), Verdict: e.Verdict.Label(), Colour: verdictColour(e.Verdict)})
		}
		v.Rows = append(v.Rows, row)
	}

	// The choices come from the notes themselves, so none leads to an empty
	// list; the one chosen is kept even if no note has it.
	all, _, err := s.store.FindPracticeNotes(ctx, accord.PracticeNoteFilter{Limit: maxNoteScan})
	if err != nil {
		return err
	}
	topics, indicators, orgs := []string{}, []string{}, []string{}
	add := func(list *[]string, v string) {
		if v != "" && !slices.Contains(*list, v) {
			*list = append(*list, v)
		}
	}
	for _, n := range all {
		for _, t := range n.Topics {
			add(&topics, t)
		}
		for _, e := range n.Evidence {
			add(&indicators, e.IndicatorID)
		}
		add(&orgs, n.OrgCode)
	}
	add(&topics, accord.NormalTopic(f.Topic))
	add(&indicators, f.IndicatorID)
	add(&orgs, f.OrgCode)
	slices.Sort(topics)
	for _, t := range topics {
		v.Topics = append(v.Topics, formChoice{Value: t, Label: t, Selected: t == accord.NormalTopic(f.Topic)})
	}
	for _, id := range indicators {
		v.Indicators = append(v.Indicators, formChoice{Value: id, Label: cmp.Or(indName[id], id), Selected: id == f.IndicatorID})
	}
	slices.SortFunc(v.Indicators, func(a, b formChoice) int { return strings.Compare(a.Label, b.Label) })
	for _, code := range orgs {
		if _, ok := names[code]; !ok {
			o, err := s.store.FindOrganisation(ctx, code)
			if err != nil {
				return err
			}
			names[code] = o.Name
		}
		v.Orgs = append(v.Orgs, formChoice{Value: code, Label: names[code], Selected: code == f.OrgCode})
	}
	slices.SortFunc(v.Orgs, func(a, b formChoice) int { return strings.Compare(a.Label, b.Label) })
	return s.render(w, "practice_notes", &v)
}

// orgNames are the names of the ICBs, to label lists without a lookup each;
// callers look up any other organisation they meet.
func (s *Server) orgNames(r *http.Request) (map[string]string, error) {
	icbs, _, err := s.store.FindOrganisations(r.Context(), accord.OrganisationFilter{Type: accord.OrgICB})
	if err != nil {
		return nil, err
	}
	names := make(map[string]string, len(icbs))
	for _, o := range icbs {
		names[o.Code] = o.Name
	}
	return names, nil
}

// clip shortens s to about n characters at a word boundary.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := strings.LastIndexByte(s[:n], ' ')
	if cut <= 0 {
		cut = n
	}
	return strings.TrimRight(s[:cut], " ,.;:") + "…"
}

// --- One note ---

// evidenceView is one piece of evidence on a note's page: the verdict the
// note was saved with, and SPC's reading of the figures held now.
type evidenceView struct {
	N                  int
	Indicator          string
	Org, OrgCode, Span string
	Verdict, Colour    string
	Now                string // what SPC says now, when the figures have been revised since
	SeriesURL          string
	ImproversURL       string
	SVG                template.HTML
	Rows               []spcRow
}

type triedRow struct {
	Org, By, When, Result string
	Verdict, Colour       string
	Recorded              string
}

// triedForm is the form recording that the viewer's organisation tried
// the note.
type triedForm struct {
	Orgs           []formChoice
	By             string
	Day, Month     string
	Year, Result   string
	Verdicts       []formChoice
	NeedsChoiceOrg bool // more than one organisation to choose from
}

type practiceNoteView struct {
	page
	Errors    formProblems
	N         accord.PracticeNote
	Org       accord.Organisation
	OrgPage   string
	Topics    []formChoice
	Written   string
	Updated   string
	Evidence  []evidenceView
	Tried     []triedRow
	Done      string
	EditURL   string
	TriedForm *triedForm
	APIURL    string
	SignedIn  bool
}

// practiceDone are the success banners, keyed by the done parameter the
// forms redirect with, so that no text from the address reaches the page.
var practiceDone = map[string]string{
	"created": "Your practice note was published in the learning exchange.",
	"updated": "Your changes were saved.",
	"tried":   "Thank you: the record of where else this was tried was added.",
}

// notePage is GET /practice/{id}: the note, its evidence with SPC's
// verdict, where else it was tried, and the forms the viewer may use.
func (s *Server) notePage(w http.ResponseWriter, r *http.Request) error {
	n, err := s.findNote(r)
	if err != nil {
		return err
	}
	v, err := s.noteView(r, n, triedInput{})
	if err != nil {
		return err
	}
	v.Done = practiceDone[readPageQuery(r).one("done")]
	return s.render(w, "practice_note", v)
}

// triedInput is what the viewer typed into the tried-elsewhere form.
type triedInput struct {
	Organisation, By, Day, Month, Year, Result, Verdict string
}

func readTriedInput(r *http.Request) triedInput {
	v := func(name string) string { return strings.TrimSpace(r.PostFormValue(name)) }
	return triedInput{Organisation: v("te-organisation"), By: v("te-by"), Day: v("te-when-day"), Month: v("te-when-month"),
		Year: v("te-when-year"), Result: v("te-result"), Verdict: v("te-verdict")}
}

func (s *Server) noteView(r *http.Request, n accord.PracticeNote, in triedInput) (*practiceNoteView, error) {
	ctx := r.Context()
	u := s.currentUser(r)
	n = noteAsSeenBy(u, n)
	org, err := s.store.FindOrganisation(ctx, n.OrgCode)
	if err != nil {
		return nil, err
	}
	v := &practiceNoteView{
		page: page{Title: n.Title, Section: "practice",
			Crumbs: []crumb{{"/", "Home"}, {"/practice", "Learning exchange"}}},
		N: n, Org: org, Written: formatDate(accord.Date{Time: n.CreatedAt}), APIURL: "/api/v1/practice-notes/" + strconv.FormatInt(n.ID, 10),
		SignedIn: u != nil,
	}
	if n.UpdatedAt.After(n.CreatedAt) {
		v.Updated = formatDate(accord.Date{Time: n.UpdatedAt})
	}
	if path, ok := orgPagePaths[org.Type]; ok {
		v.OrgPage = path + org.Code
	}
	for _, t := range n.Topics {
		v.Topics = append(v.Topics, formChoice{Value: "/practice?" + url.Values{"topic": {t}}.Encode(), Label: t})
	}
	names := map[string]string{org.Code: org.Name}
	name := func(code string) (string, error) {
		if nm, ok := names[code]; ok {
			return nm, nil
		}
		o, err := s.store.FindOrganisation(ctx, code)
		if accord.ErrorCode(err) == accord.ENOTFOUND {
			return code, nil
		}
		if err != nil {
			return "", err
		}
		names[code] = o.Name
		return o.Name, nil
	}
	for i, e := range n.Evidence {
		orgName, err := name(e.OrgCode)
		if err != nil {
			return nil, err
		}
		ev, err := s.evidenceView(r, e, i+1, orgName)
		if err != nil {
			return nil, err
		}
		v.Evidence = append(v.Evidence, ev)
	}
	for _, te := range n.TriedElsewhere {
		nm, err := name(te.OrgCode)
		if err != nil {
			return nil, err
		}
		v.Tried = append(v.Tried, triedRow{Org: nm, By: te.By, When: formatDate(te.When), Result: te.Result,
			Verdict: te.Verdict.Label(), Colour: verdictColour(te.Verdict), Recorded: formatDate(accord.Date{Time: te.At})})
	}

	// The forms, each only for those accord.AuthorizePractice allows.
	if u != nil {
		if _, err := accord.AuthorizePractice(u, accord.ActWritePracticeNote, n.OrgCode); err == nil {
			v.EditURL = practicePath(n.ID) + "/edit"
		}
		var orgs []string
		for _, code := range writerOrgs(u, accord.ActRecordTriedElsewhere) {
			if code != n.OrgCode {
				orgs = append(orgs, code)
			}
		}
		if len(orgs) > 0 {
			tf := &triedForm{By: in.By, Day: in.Day, Month: in.Month, Year: in.Year, Result: in.Result, NeedsChoiceOrg: len(orgs) > 1}
			if tf.By == "" && in == (triedInput{}) {
				tf.By = u.Name
			}
			for _, code := range orgs {
				nm, err := name(code)
				if err != nil {
					return nil, err
				}
				tf.Orgs = append(tf.Orgs, formChoice{Value: code, Label: nm, Selected: code == in.Organisation})
			}
			for _, vd := range accord.SPCVerdicts {
				tf.Verdicts = append(tf.Verdicts, formChoice{Value: string(vd), Label: vd.Label(), Hint: verdictHints[vd],
					Selected: string(vd) == in.Verdict})
			}
			v.TriedForm = tf
		}
	}
	return v, nil
}

// verdictHints say what each verdict means, for someone choosing one.
var verdictHints = map[accord.SPCVerdict]string{
	accord.VerdictImprovement:   "Your SPC chart shows a change for the better that is unlikely to be chance.",
	accord.VerdictConcern:       "Your SPC chart shows a change for the worse that is unlikely to be chance.",
	accord.VerdictCommonCause:   "The figures moved no more than they usually do.",
	accord.VerdictNotEnoughData: "There are not yet 12 consecutive months or quarters to judge by.",
}

// evidenceView shows one piece of evidence: the verdict stored with the
// note, and the chart of the figures held now up to its last period.
func (s *Server) evidenceView(r *http.Request, e accord.PracticeEvidence, n int, orgName string) (evidenceView, error) {
	ctx := r.Context()
	ev := evidenceView{N: n, Org: orgName, OrgCode: e.OrgCode, Span: evidenceSpan(e), Verdict: e.Verdict.Label(), Colour: verdictColour(e.Verdict),
		Indicator: e.IndicatorID, SeriesURL: seriesPath(e.OrgCode, e.IndicatorID), ImproversURL: improversURL(e.IndicatorID, "")}
	ind, err := s.store.FindIndicator(ctx, e.IndicatorID)
	if accord.ErrorCode(err) == accord.ENOTFOUND {
		return ev, nil
	}
	if err != nil {
		return ev, err
	}
	ev.Indicator = ind.Name
	var p accord.Problems
	j, err := s.judgeEvidence(ctx, ind, e, n, &p)
	if err != nil {
		return ev, err
	}
	if len(p) > 0 {
		// The figures the note was judged on are no longer held as they
		// were; say so rather than draw something else.
		ev.Now = "The figures this was judged on are no longer held in the same form, so SPC cannot be read again."
		return ev, nil
	}
	if j.verdict != e.Verdict {
		ev.Now = "The figures have been revised since the note was written: with those held now, SPC says " + strings.ToLower(j.verdict.Label()) + "."
	}
	c := j.chart
	if c == nil {
		return ev, nil
	}
	format := func(x float64) string { return formatValue(x, ind.Unit) }
	noun := "month"
	if c.run[0].Period.Kind() == accord.PeriodQuarter {
		noun = "quarter"
	}
	span := fmt.Sprintf("%d %ss from %s to %s", len(c.run), noun, periodWords(c.run[0].Period), periodWords(c.run[len(c.run)-1].Period))
	periods := make([]string, len(c.run))
	for i, o := range c.run {
		periods[i] = axisLabel(o.Period)
		pt := c.res.Points[i]
		ev.Rows = append(ev.Rows, spcRow{Period: periodWords(o.Period), Value: format(pt.Value), Mean: optionalValue(pt.Mean, ind.Unit),
			Lower: optionalValue(pt.LPL, ind.Unit), Upper: optionalValue(pt.UPL, ind.Unit), PointType: charts.PointTypeText(pt.PointType)})
	}
	ev.SVG = template.HTML(charts.SPC(charts.SPCChart{
		ID: "evidence-" + strconv.Itoa(n) + "-chart", Title: ind.Name + " for " + orgName + " up to " + periodWords(e.To) + ": statistical process control chart",
		Result: c.res, Periods: periods, Span: span, YLabel: unitLabel(ind.Unit), Format: format,
	}))
	return ev, nil
}

// addTriedElsewhere is POST /practice/{id}/tried-elsewhere: the viewer's
// organisation tried the note, and this is what happened.
func (s *Server) addTriedElsewhere(w http.ResponseWriter, r *http.Request) error {
	if _, err := s.requireUser(r); err != nil {
		return err
	}
	n, err := s.findNote(r)
	if err != nil {
		return err
	}
	in := readTriedInput(r)
	_, actor, err := s.practiceActor(r, accord.ActRecordTriedElsewhere, in.Organisation)
	if err != nil {
		return err
	}
	var p accord.Problems
	te := accord.TriedElsewhere{OrgCode: actor.OrgCode, By: in.By, Result: in.Result, Verdict: accord.SPCVerdict(in.Verdict)}
	te.When = formDate(in.Day, in.Month, in.Year, "when", "The date it was tried", &p)
	if in.Verdict == "" {
		p.Add("verdict", "Choose what SPC says about the change.")
	}
	today := accord.NewDate(s.now().UTC().Date())
	if !te.When.IsZero() && te.When.After(today.Time) {
		p.Add("when", "The date it was tried must be today or in the past.")
	}
	if len(p) == 0 {
		err = s.store.AddTriedElsewhere(r.Context(), n.ID, &te, actor)
	} else {
		err = withDomainProblems(p, te.Validate(), "The record is not valid")
	}
	if err == nil {
		http.Redirect(w, r, practicePath(n.ID)+"?done=tried#tried-elsewhere", http.StatusSeeOther)
		return nil
	}
	errs, err := practiceProblems(err, "te-")
	if err != nil {
		return err
	}
	v, err := s.noteView(r, n, in)
	if err != nil {
		return err
	}
	v.Errors = errs
	return s.renderStatus(w, http.StatusBadRequest, "practice_note", v)
}

// formDate reads a date typed as day, month and year, adding a problem
// under field when it is missing or not a real date.
func formDate(day, month, year, field, label string, p *accord.Problems) accord.Date {
	switch {
	case day == "" && month == "" && year == "":
		p.Add(field, "Enter %s.", strings.ToLower(label[:1])+label[1:])
		return accord.Date{}
	case day == "" || month == "" || year == "":
		var missing []string
		for _, part := range []struct{ name, v string }{{"day", day}, {"month", month}, {"year", year}} {
			if part.v == "" {
				missing = append(missing, part.name)
			}
		}
		p.Add(field, "%s must include a %s.", label, strings.Join(missing, " and "))
		return accord.Date{}
	}
	d, dok := wholeNumber(day)
	m, mok := wholeNumber(month)
	y, yok := wholeNumber(year)
	date := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if !dok || !mok || !yok || len(year) != 4 || date.Day() != d || int(date.Month()) != m {
		p.Add(field, "%s must be a real date, like 31 3 2026.", label)
		return accord.Date{}
	}
	return accord.Date{Time: date}
}

// withDomainProblems is p with the domain's own problems (err) for fields p
// says nothing of, as one EINVALID error.
func withDomainProblems(p accord.Problems, err error, what string) error {
	var e *accord.Error
	if errors.As(err, &e) {
		said := map[string]bool{}
		for _, f := range p {
			said[f.Field] = true
		}
		for _, f := range e.Fields {
			if !said[f.Field] {
				p = append(p, f)
			}
		}
	}
	return p.Err(what)
}

// paragraphs splits text typed into a textarea into its paragraphs, at
// line breaks, so that what people wrote on separate lines stays apart.
func paragraphs(text string) []string {
	var out []string
	for _, line := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		if line = strings.TrimSpace(line); line != "" {
			out = append(out, line)
		}
	}
	return out
}
