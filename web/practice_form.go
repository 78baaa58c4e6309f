package web

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/nhs-accord/accord"
)

// The practice note form: writing a note and editing it. Each POST either
// redirects (303) to the note with a success banner, or shows the form
// again with what was typed and an error beside each field. The SPC verdict
// of each piece of evidence is worked out here from the stored figures when
// the note is saved; nobody types it.

// Evidence rows: a new note offers newEvidenceRows, an edited one its own
// and one more, so a second indicator can be added without JavaScript.
const (
	newEvidenceRows = 2
	maxEvidenceRows = 10
)

// evidenceInput is one row of evidence as typed.
type evidenceInput struct {
	N                                 int // 1-based, for the field ids
	Indicator, Organisation, From, To string
}

func (e evidenceInput) blank() bool {
	return e.Indicator == "" && e.Organisation == "" && e.From == "" && e.To == ""
}

// noteInput is what a person typed into the note form, kept as text so it
// can be shown again as typed.
type noteInput struct {
	Organisation, Title, Topics, Problem, Tried, Happened string
	Evidence                                              []evidenceInput
}

func readNoteInput(r *http.Request) noteInput {
	v := func(name string) string { return strings.TrimSpace(r.PostFormValue(name)) }
	in := noteInput{Organisation: v("organisation"), Title: v("title"), Topics: v("topics"), Problem: v("problem"),
		Tried: v("tried"), Happened: v("happened")}
	rows, _ := wholeNumber(v("evidence_rows"))
	for i := 1; i <= min(rows, maxEvidenceRows); i++ {
		f := func(name string) string { return v(fmt.Sprintf("evidence-%d-%s", i, name)) }
		in.Evidence = append(in.Evidence, evidenceInput{N: i, Indicator: f("indicator"), Organisation: strings.ToUpper(f("organisation")),
			From: f("from"), To: f("to")})
	}
	return in
}

// noteInputOf is a stored note as the form shows it.
func noteInputOf(n accord.PracticeNote) noteInput {
	in := noteInput{Organisation: n.OrgCode, Title: n.Title, Topics: strings.Join(n.Topics, ", "), Problem: n.Problem,
		Tried: n.Tried, Happened: n.Happened}
	for i, e := range n.Evidence {
		in.Evidence = append(in.Evidence, evidenceInput{N: i + 1, Indicator: e.IndicatorID, Organisation: e.OrgCode,
			From: e.From.String(), To: e.To.String()})
	}
	return in
}

// withBlankRows pads the evidence rows to at least n, and one more than
// are filled, up to maxEvidenceRows.
func (in noteInput) withBlankRows(n int) noteInput {
	filled := 0
	for _, e := range in.Evidence {
		if !e.blank() {
			filled++
		}
	}
	want := min(max(n, filled+1, len(in.Evidence)), maxEvidenceRows)
	for len(in.Evidence) < want {
		in.Evidence = append(in.Evidence, evidenceInput{N: len(in.Evidence) + 1})
	}
	return in
}

// splitTopics reads topics as people list them: separated by commas or on
// lines of their own.
func splitTopics(s string) []string {
	var out []string
	for _, t := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '\n' || r == ';' }) {
		if t = strings.TrimSpace(t); t != "" {
			out = append(out, t)
		}
	}
	return out
}

// note turns the input into a note of orgCode, working out the SPC verdict
// of each complete row of evidence from the stored figures. Rows left
// blank are skipped; what cannot be read or judged goes into p beside its
// field.
func (s *Server) note(ctx context.Context, in noteInput, orgCode string, p *accord.Problems) (accord.PracticeNote, error) {
	n := accord.PracticeNote{OrgCode: orgCode, Title: in.Title, Topics: splitTopics(in.Topics), Problem: in.Problem,
		Tried: in.Tried, Happened: in.Happened, Evidence: []accord.PracticeEvidence{}}
	for _, ei := range in.Evidence {
		if ei.blank() {
			continue
		}
		field := func(name string) string { return fmt.Sprintf("evidence-%d-%s", ei.N, name) }
		before := len(*p)
		var ind accord.Indicator
		if ei.Indicator == "" {
			p.Add(field("indicator"), "Choose the indicator for evidence %d.", ei.N)
		} else {
			var err error
			ind, err = s.store.FindIndicator(ctx, ei.Indicator)
			switch accord.ErrorCode(err) {
			case "":
			case accord.ENOTFOUND:
				p.Add(field("indicator"), "%q is not in the indicator catalogue.", ei.Indicator)
			default:
				return n, err
			}
		}
		var org accord.Organisation
		if ei.Organisation == "" {
			p.Add(field("organisation"), "Choose the organisation for evidence %d.", ei.N)
		} else {
			var err error
			org, err = s.findOrganisation(ctx, ei.Organisation)
			switch accord.ErrorCode(err) {
			case "":
			case accord.ENOTFOUND:
				p.Add(field("organisation"), "No organisation has the code %q.", ei.Organisation)
			default:
				return n, err
			}
		}
		period := func(name, v, which string) accord.Period {
			if v == "" {
				p.Add(field(name), "Enter the %s period of evidence %d.", which, ei.N)
				return accord.Period{}
			}
			pp, err := accord.ParsePeriod(v)
			if err != nil {
				p.Add(field(name), "%s must be a period such as 2025-04 (a month) or 2025/26 Q1 (a quarter).", upperFirst(which))
			}
			return pp
		}
		e := accord.PracticeEvidence{IndicatorID: ind.ID, OrgCode: org.Code, From: period("from", ei.From, "first"), To: period("to", ei.To, "last")}
		if len(*p) > before {
			continue
		}
		j, err := s.judgeEvidence(ctx, ind, e, ei.N, p)
		if err != nil {
			return n, err
		}
		e.Verdict = j.verdict
		if len(*p) == before {
			n.Evidence = append(n.Evidence, e)
		}
	}
	return n, nil
}

// validateNote runs every check on a note before it is stored: what could
// not be read or judged (p), then the domain's own checks for fields
// nothing else has spoken for.
func validateNote(n accord.PracticeNote, p accord.Problems) error {
	if err := n.Validate(); err != nil {
		var e *accord.Error
		if !errors.As(err, &e) {
			return err
		}
		for _, f := range e.Fields {
			// The form's own checks name the row; the domain's say the same
			// of "evidence" in general.
			if f.Field == "evidence" && len(p) > 0 {
				continue
			}
			p = append(p, f)
		}
	}
	return p.Err("The practice note is not valid")
}

// practiceLabels name the note form's fields in the error summary, where
// the domain's message sits beside a field name ("is required").
var practiceLabels = map[string]string{
	"organisation": "The organisation", "title": "The title", "topics": "Topics", "problem": "The problem",
	"tried": "What you tried", "happened": "What happened", "evidence": "The evidence",
	"te-organisation": "The organisation", "te-by": "Who tried it", "te-when": "When", "te-result": "What happened",
	"te-verdict": "The SPC verdict",
}

// practiceProblems turns an EINVALID error into form errors, with field
// names prefixed (for the tried-elsewhere form, "te-"); any other error
// comes back to be answered as a page error.
func practiceProblems(err error, prefix string) (formProblems, error) {
	e, ok := err.(*accord.Error)
	if !ok || e.Code != accord.EINVALID {
		return nil, err
	}
	if len(e.Fields) == 0 {
		return formProblems{{Message: e.Message}}, nil
	}
	out := make(formProblems, len(e.Fields))
	for i, f := range e.Fields {
		field, msg := f.Field, f.Message
		if !strings.HasPrefix(field, "evidence-") {
			field = prefix + field
		}
		if label, ok := practiceLabels[field]; ok && (strings.HasPrefix(msg, "is ") || strings.HasPrefix(msg, "must ")) {
			msg = label + " " + msg
		}
		out[i] = accord.FieldError{Field: field, Message: upperFirst(msg)}
	}
	return out, nil
}

// practiceFormView is the page that writes or edits a note.
type practiceFormView struct {
	page
	Errors     formProblems
	In         noteInput
	Org        accord.Organisation // the note's; zero while the writer chooses among several
	Orgs       []formChoice        // the organisations the writer may choose from, when more than one
	Action     string
	Editing    bool
	Version    int
	Conflict   bool
	Indicators []formChoice
	EvOrgs     []formChoice // organisations evidence may be for
	CancelURL  string
}

// EvidenceIndicators are the indicator choices with the row's own selected.
func (v *practiceFormView) EvidenceIndicators(e evidenceInput) []formChoice {
	return selected(v.Indicators, e.Indicator)
}

// EvidenceOrgs are the organisation choices with the row's own selected.
func (v *practiceFormView) EvidenceOrgs(e evidenceInput) []formChoice {
	return selected(v.EvOrgs, e.Organisation)
}

func selected(choices []formChoice, value string) []formChoice {
	out := slices.Clone(choices)
	for i := range out {
		out[i].Selected = out[i].Value == value
	}
	return out
}

// practiceFormFor fills the form's choices: indicators with a better
// direction (SPC judges a change by it), and as the organisations evidence
// may be for, the note's own (or the writer's) and those above it up to
// the ICB, since a trust's change often shows in its ICB's figures.
func (s *Server) practiceFormFor(r *http.Request, v *practiceFormView, writers []string) error {
	ctx := r.Context()
	inds, _, err := s.store.FindIndicators(ctx, accord.IndicatorFilter{})
	if err != nil {
		return err
	}
	slices.SortFunc(inds, func(a, b accord.Indicator) int {
		return cmp.Or(cmp.Compare(areaLabel(a.Area), areaLabel(b.Area)), strings.Compare(a.Name, b.Name))
	})
	for _, ind := range inds {
		if ind.Polarity != accord.HigherIsBetter && ind.Polarity != accord.LowerIsBetter {
			continue
		}
		v.Indicators = append(v.Indicators, formChoice{Value: ind.ID, Label: areaLabel(ind.Area) + ": " + ind.Name})
	}
	roots := writers
	if v.Org.Code != "" {
		roots = []string{v.Org.Code}
	}
	seen := map[string]bool{}
	for _, code := range roots {
		for depth := 0; code != "" && depth < 8 && !seen[code]; depth++ {
			o, err := s.store.FindOrganisation(ctx, code)
			if err != nil {
				return err
			}
			if o.Type == accord.OrgRegion || o.Type == accord.OrgEngland {
				break
			}
			seen[code] = true
			v.EvOrgs = append(v.EvOrgs, formChoice{Value: o.Code, Label: o.Name + " (" + o.Code + ")"})
			code = o.ParentCode
		}
	}
	if !v.Editing && len(writers) > 1 {
		for _, code := range writers {
			o, err := s.store.FindOrganisation(ctx, code)
			if err != nil {
				return err
			}
			v.Orgs = append(v.Orgs, formChoice{Value: o.Code, Label: o.Name, Selected: o.Code == v.In.Organisation})
		}
	}
	return nil
}

func (s *Server) renderPracticeForm(w http.ResponseWriter, r *http.Request, status int, v *practiceFormView, writers []string) error {
	if err := s.practiceFormFor(r, v, writers); err != nil {
		return err
	}
	return s.renderStatus(w, status, "practice_form", v)
}

func newNoteView(in noteInput) *practiceFormView {
	return &practiceFormView{
		page: page{Title: "Write a practice note", Section: "practice",
			Crumbs: []crumb{{"/", "Home"}, {"/practice", "Learning exchange"}}},
		In: in, Action: "/practice", CancelURL: "/practice",
	}
}

// newNotePage is GET /practice/new: the form an ICB lead or partner
// contributor writes a note for their own organisation with.
func (s *Server) newNotePage(w http.ResponseWriter, r *http.Request) error {
	u, err := s.requireUser(r)
	if err != nil {
		return err
	}
	writers := writerOrgs(u, accord.ActWritePracticeNote)
	if len(writers) == 0 {
		// Let the one policy say why, in its words.
		_, err := accord.AuthorizePractice(u, accord.ActWritePracticeNote, "")
		return err
	}
	v := newNoteView(noteInput{Organisation: writers[0]}.withBlankRows(newEvidenceRows))
	for i := range v.In.Evidence {
		v.In.Evidence[i].Organisation = writers[0]
	}
	if len(writers) == 1 {
		if v.Org, err = s.store.FindOrganisation(r.Context(), writers[0]); err != nil {
			return err
		}
	}
	return s.renderPracticeForm(w, r, http.StatusOK, v, writers)
}

// createNote is POST /practice: the note from the form, for the
// organisation it names, which must be the writer's own.
func (s *Server) createNote(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	in := readNoteInput(r)
	u, actor, err := s.practiceActor(r, accord.ActWritePracticeNote, in.Organisation)
	if err != nil {
		return err
	}
	var p accord.Problems
	n, err := s.note(ctx, in, actor.OrgCode, &p)
	if err != nil {
		return err
	}
	err = validateNote(n, p)
	if err == nil {
		err = s.store.CreatePracticeNote(ctx, &n, actor)
	}
	if err == nil {
		http.Redirect(w, r, practicePath(n.ID)+"?done=created", http.StatusSeeOther)
		return nil
	}
	errs, err := practiceProblems(err, "")
	if err != nil {
		return err
	}
	writers := writerOrgs(u, accord.ActWritePracticeNote)
	v := newNoteView(in.withBlankRows(newEvidenceRows))
	v.Errors = errs
	if len(writers) == 1 {
		if v.Org, err = s.store.FindOrganisation(ctx, writers[0]); err != nil {
			return err
		}
	}
	return s.renderPracticeForm(w, r, http.StatusBadRequest, v, writers)
}

func (s *Server) editNoteView(r *http.Request, n accord.PracticeNote, in noteInput, version int) (*practiceFormView, error) {
	org, err := s.store.FindOrganisation(r.Context(), n.OrgCode)
	if err != nil {
		return nil, err
	}
	return &practiceFormView{
		page: page{Title: "Edit " + n.Title, Section: "practice",
			Crumbs: []crumb{{"/", "Home"}, {"/practice", "Learning exchange"}, {practicePath(n.ID), n.Title}}},
		In: in.withBlankRows(1), Org: org, Action: practicePath(n.ID) + "/edit", Editing: true, Version: version,
		CancelURL: practicePath(n.ID),
	}, nil
}

// noteWrite finds the note in the path and asks whether the viewer may
// write notes for its organisation.
func (s *Server) noteWrite(r *http.Request) (accord.PracticeNote, accord.Actor, error) {
	if _, err := s.requireUser(r); err != nil {
		return accord.PracticeNote{}, accord.Actor{}, err
	}
	n, err := s.findNote(r)
	if err != nil {
		return accord.PracticeNote{}, accord.Actor{}, err
	}
	_, actor, err := s.practiceActor(r, accord.ActWritePracticeNote, n.OrgCode)
	return n, actor, err
}

// editNotePage is GET /practice/{id}/edit.
func (s *Server) editNotePage(w http.ResponseWriter, r *http.Request) error {
	n, _, err := s.noteWrite(r)
	if err != nil {
		return err
	}
	v, err := s.editNoteView(r, n, noteInputOf(n), n.Version)
	if err != nil {
		return err
	}
	return s.renderPracticeForm(w, r, http.StatusOK, v, nil)
}

// updateNote is POST /practice/{id}/edit. The form carries the version it
// was loaded at, so an edit made over someone else's is refused.
func (s *Server) updateNote(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	cur, actor, err := s.noteWrite(r)
	if err != nil {
		return err
	}
	in := readNoteInput(r)
	version, ok := wholeNumber(r.PostFormValue("version"))
	if !ok {
		return accord.Errorf(accord.EINVALID, "The form did not say which version of the note it edits. Reload the page and try again.")
	}
	var p accord.Problems
	n, err := s.note(ctx, in, cur.OrgCode, &p)
	if err != nil {
		return err
	}
	n.ID, n.Version = cur.ID, version
	err = validateNote(n, p)
	if err == nil {
		_, err = s.store.UpdatePracticeNote(ctx, n, actor)
	}
	if err == nil {
		http.Redirect(w, r, practicePath(cur.ID)+"?done=updated", http.StatusSeeOther)
		return nil
	}
	v, verr := s.editNoteView(r, cur, in, version)
	if verr != nil {
		return verr
	}
	status := http.StatusBadRequest
	if accord.ErrorCode(err) == accord.ECONFLICT {
		v.Conflict, status = true, http.StatusConflict
		v.Errors = formProblems{{Message: "Someone else changed this note while you were editing it, so your changes were not saved. " +
			"Reload the page to see the latest version, then make your changes again."}}
	} else if v.Errors, err = practiceProblems(err, ""); err != nil {
		return err
	}
	return s.renderPracticeForm(w, r, status, v, nil)
}

// newNoteURL is where the viewer writes a note, "" when they may not; for
// an indicator, the form is the same (it has no indicator to preset).
func newNoteURL(u *accord.User) string {
	if len(writerOrgs(u, accord.ActWritePracticeNote)) == 0 {
		return ""
	}
	return "/practice/new"
}

// notesURL is the list of notes filtered as given.
func notesURL(indicatorID, orgCode string) string {
	v := url.Values{}
	if indicatorID != "" {
		v.Set("indicator", indicatorID)
	}
	if orgCode != "" {
		v.Set("organisation", orgCode)
	}
	if len(v) == 0 {
		return "/practice"
	}
	return "/practice?" + v.Encode()
}

// evidenceSpan is the periods of a piece of evidence in words.
func evidenceSpan(e accord.PracticeEvidence) string {
	if e.From == e.To {
		return periodWords(e.From)
	}
	return periodWords(e.From) + " to " + periodWords(e.To)
}
