package web

import (
	"cmp"
	"net/http"
	"strconv"
	"strings"

	"github.com/nhs-accord/accord"
)

// Peer reviews on the web: who may see and change them (this file), the
// JSON API (peerreview_api.go), the pages (peerreview_page.go), their forms
// (peerreview_form.go) and the data pack (peerreview_pack.go). Every write,
// and every page that holds only a form, starts at peerReviewWrite, which
// asks accord.AuthorizePeerReview and nothing else; what a viewer reads is
// accord.PeerReviewAsSeenBy's to say.

// reviewsPerPage is how many reviews one page of the programme shows.
const reviewsPerPage = 50

func peerReviewPath(id int64) string { return "/peer-reviews/" + strconv.FormatInt(id, 10) }

// reviewAccess is one request's view of access to peer reviews: who is
// signed in, and the organisation map their grants are read against.
type reviewAccess struct {
	user    *accord.User
	parents *orgParents
}

func (s *Server) reviewAccess(r *http.Request) *reviewAccess {
	return &reviewAccess{
		user:    s.currentUser(r),
		parents: &orgParents{ctx: r.Context(), store: s.store, known: map[string]string{}},
	}
}

// seen is pr as the viewer may see it, and false when they may not see it
// at all.
func (a *reviewAccess) seen(pr accord.PeerReview) (accord.PeerReview, bool, error) {
	out, ok := accord.PeerReviewAsSeenBy(a.user, pr, a.parents.of)
	if a.parents.err != nil {
		return accord.PeerReview{}, false, a.parents.err
	}
	return out, ok, nil
}

// authorize asks accord.AuthorizePeerReview whether the viewer may do act
// to pr, the review as stored, and returns the Actor to record.
func (a *reviewAccess) authorize(act accord.Action, pr accord.PeerReview) (accord.Actor, error) {
	actor, err := accord.AuthorizePeerReview(a.user, act, pr, a.parents.of)
	if a.parents.err != nil {
		return accord.Actor{}, a.parents.err
	}
	return actor, err
}

// allowed is authorize for deciding which forms a page offers: a refusal
// is a plain no, and only a store failure is an error.
func (a *reviewAccess) allowed(act accord.Action, pr accord.PeerReview) (bool, error) {
	_, err := a.authorize(act, pr)
	switch accord.ErrorCode(err) {
	case "":
		return true, nil
	case accord.EUNAUTHORIZED, accord.EFORBIDDEN, accord.EINVALID:
		return false, nil
	}
	return false, err
}

// errNoReview is what a caller learns of a review that does not exist or
// that they may not see: the same answer, so that drafts do not leak.
func errNoReview(number string) error {
	return accord.Errorf(accord.ENOTFOUND, "No peer review has the number %s.", number)
}

// findReview finds the review named in the path, as stored, if the viewer
// may see it at all.
func (s *Server) findReview(r *http.Request, a *reviewAccess) (accord.PeerReview, error) {
	number := r.PathValue("id")
	id, err := strconv.ParseInt(number, 10, 64)
	if err != nil || id <= 0 {
		return accord.PeerReview{}, errNoReview(strconv.Quote(number))
	}
	pr, err := s.store.FindPeerReview(r.Context(), id)
	if accord.ErrorCode(err) == accord.ENOTFOUND {
		return accord.PeerReview{}, errNoReview(number)
	}
	if err != nil {
		return accord.PeerReview{}, err
	}
	if _, ok, err := a.seen(pr); err != nil {
		return accord.PeerReview{}, err
	} else if !ok {
		return accord.PeerReview{}, errNoReview(number)
	}
	return pr, nil
}

// reviewCall is a write the caller has been allowed to make.
type reviewCall struct {
	access *reviewAccess
	review accord.PeerReview // as stored; for a request, only its organisation
	actor  accord.Actor
}

// peerReviewWrite is the one way into every change to a peer review, and
// into the pages that hold only a form for one: the caller must be signed
// in (else 401, before anything is looked up, so nothing is learnt of the
// review); a review they may not see is not found; and
// accord.AuthorizePeerReview decides whether they may do act. orgCode is
// the ICB to be reviewed when act is ActRequestReview, and unused
// otherwise, when the review is the one named in the path.
func (s *Server) peerReviewWrite(r *http.Request, act accord.Action, orgCode string) (reviewCall, error) {
	if _, err := s.requireUser(r); err != nil {
		return reviewCall{}, err
	}
	a := s.reviewAccess(r)
	var pr accord.PeerReview
	if act == accord.ActRequestReview {
		org, err := s.findOrganisation(r.Context(), orgCode)
		if accord.ErrorCode(err) == accord.ENOTFOUND {
			return reviewCall{}, accord.Errorf(accord.EINVALID, "No organisation has the code %q: say which integrated care board is to be reviewed.", orgCode)
		}
		if err != nil {
			return reviewCall{}, err
		}
		if org.Type != accord.OrgICB {
			return reviewCall{}, accord.Errorf(accord.EINVALID, "%s is not an integrated care board: a peer review is of an ICB's whole system.", org.Name)
		}
		pr = accord.PeerReview{OrgCode: org.Code, RegionCode: org.ParentCode}
	} else {
		var err error
		if pr, err = s.findReview(r, a); err != nil {
			return reviewCall{}, err
		}
	}
	actor, err := a.authorize(act, pr)
	if err != nil {
		return reviewCall{}, err
	}
	return reviewCall{access: a, review: pr, actor: actor}, nil
}

// pathID reads a record's number from the path (a finding, an action, a
// team member), answering ENOTFOUND for one that cannot be a number.
func pathID(r *http.Request, name, what string) (int64, error) {
	v := r.PathValue(name)
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		return 0, accord.Errorf(accord.ENOTFOUND, "No %s has the number %s.", what, strconv.Quote(v))
	}
	return id, nil
}

// --- Words for the review's states ---

// reviewStateLabel is a review's state as a tag.
func reviewStateLabel(st accord.PeerReviewState) (label, colour string) {
	switch st {
	case accord.PeerReviewOpen:
		return "Under way", "blue"
	case accord.PeerReviewPublished:
		return "Report published", "green"
	case accord.PeerReviewClosed:
		return "Progress reviewed", "grey"
	}
	return sentence(string(st)), "white"
}

// stageStateColour is the tag colour of a stage's state.
func stageStateColour(st accord.StageState) string {
	switch st {
	case accord.StageInProgress:
		return "blue"
	case accord.StageDone:
		return "green"
	}
	return "grey"
}

// ratingColour is the tag colour of a finding's rating: candour reads best
// when a serious concern looks like one.
func ratingColour(r accord.FindingRating) string {
	switch r {
	case accord.RatingStrength:
		return "green"
	case accord.RatingAreaForImprovement:
		return "yellow"
	case accord.RatingSeriousConcern:
		return "red"
	}
	return "white"
}

func actionStatusColour(st accord.ActionStatus) string {
	switch st {
	case accord.ActionInProgress:
		return "blue"
	case accord.ActionDone:
		return "green"
	case accord.ActionDropped:
		return "grey"
	}
	return "white"
}

func assessmentColour(r accord.AssessmentRating) string {
	switch r {
	case accord.AssessAchieved:
		return "green"
	case accord.AssessOnTrack:
		return "blue"
	case accord.AssessOffTrack:
		return "red"
	}
	return "white"
}

// onSiteWords is the days on site: "2 to 4 March 2027".
func onSiteWords(start, end accord.Date) string {
	switch {
	case start.IsZero() || end.IsZero():
		return "Not yet set"
	case start.Equal(end.Time):
		return formatDate(start)
	case start.Year() == end.Year() && start.Month() == end.Month():
		return strconv.Itoa(start.Day()) + " to " + formatDate(end)
	}
	return formatDate(start) + " to " + formatDate(end)
}

// --- Form errors ---

// formField is one input of a review form: its id on the page and its name
// in a sentence, for a domain message that starts "is required".
type formField struct{ id, label string }

// reviewFormErrors turns a refusal of one of the review's forms into the
// errors beside its inputs: EINVALID (what was typed is wrong) with the
// domain's field names turned into the ids of the inputs (fields), and
// ECONFLICT (the review is not ready for the step, or is past it) pinned
// to the form's anchor. Any other error comes back to be answered as an
// error page. status is the answer's status.
func reviewFormErrors(err error, anchor string, fields map[string]formField) (formProblems, int, error) {
	e, ok := err.(*accord.Error)
	if !ok || (e.Code != accord.EINVALID && e.Code != accord.ECONFLICT) {
		return nil, 0, err
	}
	status := http.StatusBadRequest
	if e.Code == accord.ECONFLICT {
		status = http.StatusConflict
	}
	if len(e.Fields) == 0 {
		return formProblems{{Field: anchor, Message: sentenceOf(e.Message)}}, status, nil
	}
	out := make(formProblems, 0, len(e.Fields))
	for _, f := range e.Fields {
		// A field the map does not name is already the id of an input (the
		// form's own checks use the ids), or, without one, the form's.
		ff, known := fields[f.Field]
		if !known {
			ff = formField{id: cmp.Or(f.Field, anchor)}
		}
		msg := f.Message
		if ff.label != "" && (strings.HasPrefix(msg, "is ") || strings.HasPrefix(msg, "must ")) {
			msg = ff.label + " " + msg
		}
		out = append(out, accord.FieldError{Field: ff.id, Message: sentenceOf(msg)})
	}
	return out, status, nil
}

// sentenceOf makes a domain message a sentence: a capital first, a full
// stop last.
func sentenceOf(msg string) string {
	msg = upperFirst(strings.TrimSpace(msg))
	if msg != "" && !strings.ContainsAny(msg[len(msg)-1:], ".?!") {
		msg += "."
	}
	return msg
}

// formInput is what a person typed into a form, by input name, kept so a
// form shown again with errors loses nothing.
type formInput map[string][]string

// Get is the first value of name, "" when there is none.
func (f formInput) Get(name string) string {
	if vs := f[name]; len(vs) > 0 {
		return vs[0]
	}
	return ""
}

// Has reports whether name holds value: a ticked box or chosen radio.
func (f formInput) Has(name, value string) bool {
	for _, v := range f[name] {
		if v == value {
			return true
		}
	}
	return false
}

func (f formInput) set(name string, values ...string) { f[name] = values }

// inputOfForm is the posted form as typed, without its CSRF token.
func inputOfForm(r *http.Request) formInput {
	in := formInput{}
	for k, vs := range r.PostForm {
		if k != csrfFormField {
			in[k] = vs
		}
	}
	return in
}
