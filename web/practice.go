package web

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/nhs-accord/accord"
	"github.com/nhs-accord/accord/assess"
	"github.com/nhs-accord/accord/stats/spc"
)

// The learning exchange on the web: practice notes (what one organisation
// tried, what happened, and whether SPC calls it a real change), the
// records of where else a note was tried, and who among a system's peers
// improved most on an indicator and whether they wrote it down. Everyone
// reads; every write starts at practiceActor, which asks
// accord.AuthorizePractice and nothing else. This file holds access, the
// SPC verdict of a note's evidence and the JSON API; the pages are
// practice_page.go, practice_form.go and practice_improvers.go.

// maxNoteScan bounds the notes read to build the list page's choices of
// topic and organisation: far more than forty-two ICBs and their partners
// will write in years.
const maxNoteScan = 5_000

func practicePath(id int64) string { return "/practice/" + strconv.FormatInt(id, 10) }

// practiceActor is the one way into every write to the learning exchange:
// the caller must be signed in (else 401, which sends a page to sign in),
// and accord.AuthorizePractice decides whether they may do act for the
// organisation orgCode.
func (s *Server) practiceActor(r *http.Request, act accord.Action, orgCode string) (*accord.User, accord.Actor, error) {
	u, err := s.requireUser(r)
	if err != nil {
		return nil, accord.Actor{}, err
	}
	a, err := accord.AuthorizePractice(u, act, orgCode)
	return u, a, err
}

// writerOrgs are the organisations u may do act for, once each, in the
// order of u's grants: what a form offers rather than refuses.
func writerOrgs(u *accord.User, act accord.Action) []string {
	if u == nil {
		return nil
	}
	var out []string
	for _, g := range u.Grants {
		if slices.Contains(out, g.OrgCode) {
			continue
		}
		if _, err := accord.AuthorizePractice(u, act, g.OrgCode); err == nil {
			out = append(out, g.OrgCode)
		}
	}
	return out
}

// findNote finds the note named in the path.
func (s *Server) findNote(r *http.Request) (accord.PracticeNote, error) {
	number := r.PathValue("id")
	id, err := strconv.ParseInt(number, 10, 64)
	if err != nil || id <= 0 {
		return accord.PracticeNote{}, accord.Errorf(accord.ENOTFOUND, "No practice note has the number %q.", number)
	}
	n, err := s.store.FindPracticeNote(r.Context(), id)
	if accord.ErrorCode(err) == accord.ENOTFOUND {
		return accord.PracticeNote{}, accord.Errorf(accord.ENOTFOUND, "No practice note has the number %s.", number)
	}
	return n, err
}

// noteAsSeenBy is n as u (nil: nobody signed in) sees it. Notes are public,
// but the email addresses of who wrote them are for those signed in, as
// with everything else Accord publishes.
func noteAsSeenBy(u *accord.User, n accord.PracticeNote) accord.PracticeNote {
	if u != nil && !u.Disabled {
		return n
	}
	n.Author = ""
	n.TriedElsewhere = slices.Clone(n.TriedElsewhere)
	for i := range n.TriedElsewhere {
		n.TriedElsewhere[i].RecordedBy = ""
	}
	return n
}

// --- The SPC verdict of a note's evidence ---

// evidenceJudgement is what SPC says of one organisation's values of an
// indicator up to the last period of a change: the chart of the latest
// unbroken run of at least minSPCPoints months or quarters ending at that
// period, as the series page would have drawn it then, and the point type
// of its last value. chart is nil (and the verdict not enough data) when
// there is no such run.
type evidenceJudgement struct {
	chart   *spcChart
	verdict accord.SPCVerdict
}

// judgeEvidence works out the SPC verdict of e (its indicator, organisation
// and periods already known to exist), adding to p, under the fields of
// the nth row of evidence, what makes it impossible: an indicator on which
// neither direction is better, periods of different kinds, or no value
// held for the last period. The verdict is the point type of the value at
// e.To, in the indicator's direction, over the latest unbroken run of at
// least minSPCPoints months or quarters ending there: the same reading as
// the series page's variation icon, so that a note, its series page and
// its assessment agree about what is a real change. Values before e.From
// stay in the run, since they are the baseline the change is judged
// against.
func (s *Server) judgeEvidence(ctx context.Context, ind accord.Indicator, e accord.PracticeEvidence, n int, p *accord.Problems) (evidenceJudgement, error) {
	return judgeEvidence(ctx, s.store, ind, e, n, p)
}

func judgeEvidence(ctx context.Context, st accord.Store, ind accord.Indicator, e accord.PracticeEvidence, n int, p *accord.Problems) (evidenceJudgement, error) {
	field := func(name string) string { return "evidence-" + strconv.Itoa(n) + "-" + name }
	if ind.Polarity != accord.HigherIsBetter && ind.Polarity != accord.LowerIsBetter {
		p.Add(field("indicator"), "Neither higher nor lower is better for %s, so SPC cannot say whether a change in it is an improvement. Choose an indicator with a better direction.", ind.Name)
		return evidenceJudgement{}, nil
	}
	if e.From.Kind() != e.To.Kind() {
		p.Add(field("from"), "From and to must be the same kind of period: %s is a %s and %s a %s.", e.From, kindWords(e.From.Kind()), e.To, kindWords(e.To.Kind()))
		return evidenceJudgement{}, nil
	}
	if e.From.Compare(e.To) > 0 {
		p.Add(field("from"), "%s is after %s: give the first period of the change, then the last.", e.From, e.To)
		return evidenceJudgement{}, nil
	}
	obs, _, err := st.FindObservations(ctx, accord.ObservationFilter{IndicatorID: ind.ID, OrgCodes: []string{e.OrgCode}, Limit: maxSeriesRows})
	if err != nil {
		return evidenceJudgement{}, err
	}
	upTo := obs[:0]
	held := false
	for _, o := range obs {
		if o.Period.Kind() != e.To.Kind() || o.Period.Compare(e.To) > 0 {
			continue
		}
		held = held || o.Period == e.To
		upTo = append(upTo, o)
	}
	if !held {
		p.Add(field("to"), "No value of %s is held for %s for %s. Give a period with a published value, such as the latest.", ind.Name, e.OrgCode, e.To)
		return evidenceJudgement{}, nil
	}
	j := evidenceJudgement{verdict: accord.VerdictNotEnoughData}
	run, later := recentRun(upTo, minSPCPoints)
	if run == nil || later > 0 || run[len(run)-1].Period != e.To {
		// No run SPC can chart ends at the change's last period: too few
		// figures, or a gap just before it leaves it without a baseline.
		return j, nil
	}
	values := make([]float64, len(run))
	for i, o := range run {
		values[i] = o.Value
	}
	res, err := spc.Compute(values, spc.Options{ImprovementDirection: assess.Direction(ind.Polarity)})
	if err != nil {
		return j, err
	}
	j.chart = &spcChart{run: run, res: res}
	j.verdict = verdictOf(res.Points[len(res.Points)-1].PointType)
	return j, nil
}

// JudgeEvidence is the SPC verdict the learning exchange records for e when
// a note is saved, worked out from the figures st holds; EINVALID when it
// cannot be worked out (see judgeEvidence). It is exported for writers of
// notes outside the web pages, such as the demo, so every note is judged
// the one way.
func JudgeEvidence(ctx context.Context, st accord.Store, e accord.PracticeEvidence) (accord.SPCVerdict, error) {
	ind, err := st.FindIndicator(ctx, e.IndicatorID)
	if err != nil {
		return "", err
	}
	var p accord.Problems
	j, err := judgeEvidence(ctx, st, ind, e, 1, &p)
	if err != nil {
		return "", err
	}
	if err := p.Err("evidence on " + ind.Name + " for " + e.OrgCode); err != nil {
		return "", err
	}
	return j.verdict, nil
}

// verdictOf is the verdict a point type stands for. Neutral special causes
// do not arise, as evidence needs an indicator with a better direction.
func verdictOf(pointType string) accord.SPCVerdict {
	switch pointType {
	case spc.SpecialCauseImprovement:
		return accord.VerdictImprovement
	case spc.SpecialCauseConcern:
		return accord.VerdictConcern
	case spc.CommonCause:
		return accord.VerdictCommonCause
	}
	return accord.VerdictNotEnoughData
}

// verdictColour is the NHS.UK tag colour of a verdict; the words say the same.
func verdictColour(v accord.SPCVerdict) string {
	switch v {
	case accord.VerdictImprovement:
		return "green"
	case accord.VerdictConcern:
		return "red"
	case accord.VerdictCommonCause:
		return "grey"
	}
	return "white"
}

// --- API ---

// apiPracticeNotes is GET /api/v1/practice-notes: the notes, most recently
// changed first, filtered by indicator (notes with evidence on it),
// organisation (notes it wrote), topic and free text q.
func (s *Server) apiPracticeNotes(w http.ResponseWriter, r *http.Request) error {
	q := readQuery(r, "indicator", "organisation", "topic", "q", "limit", "offset")
	f, err := s.noteFilter(r, q)
	if err != nil {
		return err
	}
	pg := q.page()
	if err := q.err(); err != nil {
		return err
	}
	f.Offset, f.Limit = pg.Offset, pg.storeLimit()
	ns, total, err := s.store.FindPracticeNotes(r.Context(), f)
	if err != nil {
		return err
	}
	u := s.currentUser(r)
	for i := range ns {
		ns[i] = noteAsSeenBy(u, ns[i])
	}
	return writeJSON(w, http.StatusOK, newList(ns, total, pg))
}

// apiPracticeNote is GET /api/v1/practice-notes/{id}: one note with its
// evidence and where else it was tried.
func (s *Server) apiPracticeNote(w http.ResponseWriter, r *http.Request) error {
	if err := readQuery(r).err(); err != nil {
		return err
	}
	n, err := s.findNote(r)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, noteAsSeenBy(s.currentUser(r), n))
}

// noteFilter reads the filters shared by the API and the list page,
// checking that the indicator and organisation named exist, so a mistyped
// code is an error rather than an empty list.
func (s *Server) noteFilter(r *http.Request, q *query) (accord.PracticeNoteFilter, error) {
	ctx := r.Context()
	f := accord.PracticeNoteFilter{Topic: q.text("topic"), Q: q.text("q")}
	if id := q.one("indicator"); id != "" {
		ind, err := s.store.FindIndicator(ctx, id)
		switch accord.ErrorCode(err) {
		case "":
			f.IndicatorID = ind.ID
		case accord.ENOTFOUND:
			q.problems.Add("indicator", "%q is not in the indicator catalogue", id)
		default:
			return f, err
		}
	}
	if code := q.one("organisation"); code != "" {
		org, err := s.findOrganisation(ctx, code)
		switch accord.ErrorCode(err) {
		case "":
			f.OrgCode = org.Code
		case accord.ENOTFOUND:
			q.problems.Add("organisation", "no organisation has the code %q", code)
		default:
			return f, err
		}
	}
	f.Topic = strings.TrimSpace(f.Topic)
	return f, nil
}
