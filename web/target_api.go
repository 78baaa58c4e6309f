package web

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/nhs-accord/accord"
	"github.com/nhs-accord/accord/assess"
)

// maxJSONBody bounds a JSON request: a target with twenty years of monthly
// milestones is a few kilobytes.
const maxJSONBody = 1 << 20

// decodeJSON reads one JSON object from the request body into v,
// refusing unknown fields (a misspelt field silently ignored would store
// something other than what was meant), and turns the decoder's errors
// into field problems in plain words.
func decodeJSON(w http.ResponseWriter, r *http.Request, v any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		if mt, _, _ := mime.ParseMediaType(ct); mt != "application/json" {
			return accord.Errorf(accord.EINVALID, "Send the request as JSON, with the header \"Content-Type: application/json\", not %s.", mt)
		}
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxJSONBody))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil {
		if dec.Decode(&struct{}{}) != io.EOF {
			return accord.Errorf(accord.EINVALID, "The request body must hold one JSON object and nothing after it.")
		}
		return nil
	}
	var (
		syntax  *json.SyntaxError
		typ     *json.UnmarshalTypeError
		tooBig  *http.MaxBytesError
		invalid *accord.Error
	)
	switch {
	case errors.Is(err, io.EOF):
		return accord.Errorf(accord.EINVALID, "The request body is empty: send a JSON object.")
	case errors.As(err, &tooBig):
		return accord.Errorf(accord.EINVALID, "The request body is larger than %d KB.", maxJSONBody>>10)
	case errors.As(err, &syntax), errors.Is(err, io.ErrUnexpectedEOF):
		return accord.Errorf(accord.EINVALID, "The request body is not valid JSON: %s.", err)
	case errors.As(err, &typ):
		var p accord.Problems
		p.Add(cmp.Or(typ.Field, "body"), "must be %s, not a JSON %s", jsonKind(typ.Type.Kind().String()), typ.Value)
		return p.Err("The request is not valid")
	case errors.As(err, &invalid):
		return invalid
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		var p accord.Problems
		p.Add(name, "is not a field here")
		return p.Err("The request is not valid")
	}
	return accord.Errorf(accord.EINVALID, "The request body could not be read: %s.", err)
}

// jsonKind names a Go kind as JSON calls it.
func jsonKind(kind string) string {
	switch kind {
	case "string":
		return "a string"
	case "float64", "int", "int64":
		return "a number"
	case "slice":
		return "a list"
	case "struct", "map":
		return "an object"
	case "bool":
		return "true or false"
	}
	return "a " + kind
}

// targetRequest is the body of POST /api/v1/targets. Dates and periods are
// strings so that a bad one is a problem with its own field name.
type targetRequest struct {
	Organisation       string             `json:"organisation"`
	Indicator          string             `json:"indicator"`
	Comparator         string             `json:"comparator"`
	TargetValue        *float64           `json:"target_value"`
	Deadline           string             `json:"deadline"`
	Title              string             `json:"title"`
	NationalPriority   string             `json:"national_priority"`
	LocalTag           string             `json:"local_tag"`
	BaselineValue      *float64           `json:"baseline_value"`
	BaselinePeriod     string             `json:"baseline_period"`
	Rationale          string             `json:"rationale"`
	LocalCircumstances string             `json:"local_circumstances"`
	FloorJustification string             `json:"floor_justification"`
	Trajectory         []milestoneRequest `json:"trajectory"`
}

type milestoneRequest struct {
	Period string   `json:"period"`
	Value  *float64 `json:"value"`
}

// target turns the request into a draft, collecting what cannot be read.
func (req targetRequest) target(p *accord.Problems) accord.Target {
	t := accord.Target{
		OrgCode: strings.ToUpper(strings.TrimSpace(req.Organisation)), IndicatorID: strings.TrimSpace(req.Indicator),
		PriorityID: strings.TrimSpace(req.NationalPriority), LocalTag: accord.Tag(strings.TrimSpace(req.LocalTag)),
		Title: strings.TrimSpace(req.Title), Comparator: accord.Comparator(strings.TrimSpace(req.Comparator)),
		BaselineValue: req.BaselineValue, Rationale: strings.TrimSpace(req.Rationale),
		LocalCircumstances: strings.TrimSpace(req.LocalCircumstances), FloorJustification: strings.TrimSpace(req.FloorJustification),
		Status: accord.TargetDraft,
	}
	if req.TargetValue == nil {
		p.Add("target_value", "is required: the value to reach, in the indicator's unit")
	} else {
		t.Value = *req.TargetValue
	}
	if req.Deadline != "" {
		d, err := accord.ParseDate(strings.TrimSpace(req.Deadline))
		if err != nil {
			p.Add("deadline", "%s", accord.ErrorMessage(err))
		}
		t.Deadline = d
	}
	if req.BaselinePeriod != "" {
		bp, err := accord.ParsePeriod(req.BaselinePeriod)
		if err != nil {
			p.Add("baseline_period", "%s", accord.ErrorMessage(err))
		}
		t.BaselinePeriod = bp
	}
	for i, m := range req.Trajectory {
		pd, err := accord.ParsePeriod(m.Period)
		if err != nil {
			p.Add("trajectory", "Milestone %d: %s", i+1, accord.ErrorMessage(err))
			continue
		}
		if m.Value == nil {
			p.Add("trajectory", "Milestone %d (%s): the value is required", i+1, pd)
			continue
		}
		t.Trajectory = append(t.Trajectory, accord.Milestone{Period: pd, Value: *m.Value})
	}
	return t
}

func hasProblem(p accord.Problems, field string) bool {
	for _, q := range p {
		if q.Field == field {
			return true
		}
	}
	return false
}

// apiCreateTarget is POST /api/v1/targets: an ICB lead drafts a target for
// their ICB. 201 with the target and its Location; 400 naming each field
// that is wrong, with nothing stored.
func (s *Server) apiCreateTarget(w http.ResponseWriter, r *http.Request) error {
	if _, err := s.requireUser(r); err != nil {
		return err
	}
	var req targetRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	var p accord.Problems
	t := req.target(&p)
	if t.OrgCode == "" {
		p.Add("organisation", "is required: the ODS code of the ICB the target is for")
		return s.validateTarget(r, &t, nil, p)
	}
	call, err := s.targetCreate(r, t.OrgCode)
	if err != nil {
		return err
	}
	if err := s.validateTarget(r, &t, nil, p); err != nil {
		return err
	}
	if err := s.store.CreateTarget(r.Context(), &t, call.actor); err != nil {
		return renameFields(err)
	}
	w.Header().Set("Location", fmt.Sprintf("/api/v1/targets/%d", t.ID))
	return writeJSON(w, http.StatusCreated, t)
}

// transitionRequest is the body of POST /api/v1/targets/{id}/transitions.
type transitionRequest struct {
	To     string `json:"to"`
	Reason string `json:"reason"`
}

// apiMoveTarget is POST /api/v1/targets/{id}/transitions: moves the target
// along its lifecycle and answers with the target as stored.
func (s *Server) apiMoveTarget(w http.ResponseWriter, r *http.Request) error {
	if _, err := s.requireUser(r); err != nil {
		return err
	}
	var req transitionRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	to := accord.TargetStatus(strings.TrimSpace(req.To))
	if to == "" {
		var p accord.Problems
		p.Add("to", "is required: the status to move the target to, one of %s", strings.Join(targetStatusNames(), ", "))
		return p.Err("The move is not valid")
	}
	call, err := s.targetWrite(r, accord.ActMoveTarget, to)
	if err != nil {
		return err
	}
	t, err := s.store.MoveTarget(r.Context(), call.target.ID, to, call.actor, strings.TrimSpace(req.Reason))
	if err != nil {
		return renameFields(err)
	}
	return writeJSON(w, http.StatusOK, t)
}

// apiTargets is GET /api/v1/targets?organisation=&status=&priority=: the
// targets the caller may see, oldest first.
func (s *Server) apiTargets(w http.ResponseWriter, r *http.Request) error {
	q := readQuery(r, "organisation", "status", "priority", "limit", "offset")
	f, err := s.targetFilter(r, q)
	if err != nil {
		return err
	}
	pg := q.page()
	if err := q.err(); err != nil {
		return err
	}
	ts, err := s.visibleTargets(r, f)
	if err != nil {
		return err
	}
	total := len(ts)
	ts = ts[min(pg.Offset, total):min(pg.Offset+pg.Limit, total)]
	return writeJSON(w, http.StatusOK, newList(ts, total, pg))
}

// targetFilter reads the list filters shared by the API and the page,
// checking each names something that exists.
func (s *Server) targetFilter(r *http.Request, q *query) (accord.TargetFilter, error) {
	ctx := r.Context()
	f := accord.TargetFilter{Status: accord.TargetStatus(q.oneOf("status", targetStatusNames()))}
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
	if id := q.one("priority"); id != "" {
		pr, err := s.store.FindPriority(ctx, id)
		switch accord.ErrorCode(err) {
		case "":
			f.PriorityID = pr.ID
		case accord.ENOTFOUND:
			q.problems.Add("priority", "no national priority has the id %q", id)
		default:
			return f, err
		}
	}
	return f, nil
}

// visibleTargets returns the targets f selects that the viewer may see.
// The store has no notion of who is looking, so the scope is applied here,
// before counting, so that neither the list nor its total leaks a draft.
func (s *Server) visibleTargets(r *http.Request, f accord.TargetFilter) ([]accord.Target, error) {
	f.Offset, f.Limit = 0, maxTargetScan
	all, total, err := s.store.FindTargets(r.Context(), f)
	if err != nil {
		return nil, err
	}
	if total > len(all) {
		s.log.WarnContext(r.Context(), "target list truncated", "total", total, "read", len(all))
	}
	a := s.targetAccess(r)
	out := all[:0]
	for _, t := range all {
		ok, err := a.canView(t)
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, t)
		}
	}
	return out, nil
}

// --- One target ---

// targetDetail is GET /api/v1/targets/{id}: the target with what its page
// shows.
type targetDetail struct {
	Target        accord.Target      `json:"target"`
	Versions      []versionJSON      `json:"versions"`
	History       []eventJSON        `json:"history"`
	Consultations []consultationJSON `json:"consultations"`
	// Ambition is shown to the ICB lead and to oversight; null for others.
	Ambition *accord.Ambition `json:"ambition"`
	// TrajectoryWarnings say where the trajectory does not run from the
	// baseline to the deadline.
	TrajectoryWarnings []string `json:"trajectory_warnings"`
}

// versionJSON is one version of a target and what changed from the one
// before.
type versionJSON struct {
	Version int           `json:"version"`
	Changes []fieldChange `json:"changes"`
	Target  accord.Target `json:"target"`
}

// eventJSON is one move in the review history. The email is left out: the
// history is public once a target is approved.
type eventJSON struct {
	Version int                 `json:"version"`
	From    accord.TargetStatus `json:"from"`
	To      accord.TargetStatus `json:"to"`
	By      string              `json:"by"`
	Role    accord.Role         `json:"role"`
	Reason  string              `json:"reason"`
	At      string              `json:"at"`
}

type consultationJSON struct {
	ID            int64                 `json:"id"`
	TargetVersion int                   `json:"target_version"`
	Question      string                `json:"question"`
	Open          bool                  `json:"open"`
	OpenedAt      string                `json:"opened_at"`
	ClosedAt      *string               `json:"closed_at"`
	Summary       []accord.GroupSummary `json:"summary"`
	Responses     []responseJSON        `json:"responses"`
	Themes        []themeJSON           `json:"themes"`
	Unanswered    []int64               `json:"unanswered"`
}

// responseJSON is a consultation response; the name is given only to
// callers who are signed in.
type responseJSON struct {
	ID           int64         `json:"id"`
	Name         string        `json:"name,omitempty"`
	Role         accord.Role   `json:"role"`
	Organisation string        `json:"organisation_code"`
	Stance       accord.Stance `json:"stance"`
	Comment      string        `json:"comment"`
	At           string        `json:"at"`
}

type themeJSON struct {
	ID          int64   `json:"id"`
	YouSaid     string  `json:"you_said"`
	WeDid       string  `json:"we_did"`
	Changed     bool    `json:"changed"`
	ResponseIDs []int64 `json:"response_ids"`
	At          string  `json:"at"`
}

// targetRecord is everything stored about one target that its page and
// its API answer show.
type targetRecord struct {
	target        accord.Target
	versions      []accord.Target
	history       []accord.TargetEvent
	consultations []accord.Consultation
	ambition      *accord.Ambition
}

// loadTarget reads the record of t for a viewer with access a.
func (s *Server) loadTarget(r *http.Request, a *targetAccess, t accord.Target) (*targetRecord, error) {
	ctx := r.Context()
	rec := &targetRecord{target: t}
	var err error
	if rec.versions, err = s.store.TargetVersions(ctx, t.ID); err != nil {
		return nil, err
	}
	if rec.history, err = s.store.TargetHistory(ctx, t.ID); err != nil {
		return nil, err
	}
	if rec.consultations, err = s.store.Consultations(ctx, t.ID); err != nil {
		return nil, err
	}
	oversees, err := a.oversees(t)
	if err != nil {
		return nil, err
	}
	if a.leads(t) || oversees {
		amb, err := assess.Ambition(ctx, s.store, t, accord.NewDate(s.now().UTC().Date()))
		if err != nil {
			return nil, err
		}
		rec.ambition = &amb
	}
	return rec, nil
}

func (rec *targetRecord) json(signedIn bool) targetDetail {
	d := targetDetail{Target: rec.target, Ambition: rec.ambition, TrajectoryWarnings: spanProblems(rec.target)}
	if d.TrajectoryWarnings == nil {
		d.TrajectoryWarnings = []string{}
	}
	for i, v := range rec.versions {
		vj := versionJSON{Version: v.Version, Target: v, Changes: []fieldChange{}}
		if i > 0 {
			vj.Changes = append(vj.Changes, versionChanges(rec.versions[i-1], v)...)
		}
		d.Versions = append(d.Versions, vj)
	}
	d.History = []eventJSON{}
	for _, e := range rec.history {
		d.History = append(d.History, eventJSON{Version: e.Version, From: e.From, To: e.To, By: e.ActorName, Role: e.Role,
			Reason: e.Reason, At: e.At.UTC().Format("2006-01-02T15:04:05Z")})
	}
	d.Consultations = []consultationJSON{}
	for _, c := range rec.consultations {
		cj := consultationJSON{ID: c.ID, TargetVersion: c.TargetVersion, Question: c.Question, Open: c.Open(),
			OpenedAt: c.OpenedAt.UTC().Format("2006-01-02T15:04:05Z"), Summary: c.Summary(),
			Responses: []responseJSON{}, Themes: []themeJSON{}, Unanswered: []int64{}}
		if c.ClosedAt != nil {
			at := c.ClosedAt.UTC().Format("2006-01-02T15:04:05Z")
			cj.ClosedAt = &at
		}
		for _, resp := range c.Responses {
			rj := responseJSON{ID: resp.ID, Role: resp.Role, Organisation: resp.OrgCode, Stance: resp.Stance,
				Comment: resp.Comment, At: resp.At.UTC().Format("2006-01-02T15:04:05Z")}
			if signedIn {
				rj.Name = resp.Name
			}
			cj.Responses = append(cj.Responses, rj)
		}
		for _, th := range c.Themes {
			ids := th.ResponseIDs
			if ids == nil {
				ids = []int64{}
			}
			cj.Themes = append(cj.Themes, themeJSON{ID: th.ID, YouSaid: th.YouSaid, WeDid: th.WeDid, Changed: th.Changed,
				ResponseIDs: ids, At: th.At.UTC().Format("2006-01-02T15:04:05Z")})
		}
		for _, u := range c.Unanswered() {
			cj.Unanswered = append(cj.Unanswered, u.ID)
		}
		d.Consultations = append(d.Consultations, cj)
	}
	return d
}

// apiTarget is GET /api/v1/targets/{id}. A target the caller may not see
// is 404, as if it did not exist.
func (s *Server) apiTarget(w http.ResponseWriter, r *http.Request) error {
	if err := readQuery(r).err(); err != nil {
		return err
	}
	a := s.targetAccess(r)
	t, err := s.viewTarget(r, a)
	if err != nil {
		return err
	}
	rec, err := s.loadTarget(r, a, t)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, rec.json(a.user != nil))
}

// --- What changed between versions ---

// fieldChange is one field that differs between two versions, in words.
type fieldChange struct {
	Field string `json:"field"`
	Label string `json:"label"`
	From  string `json:"from"`
	To    string `json:"to"`
}

// versionChanges lists what differs from a to b, in the order the page
// lists the fields.
func versionChanges(a, b accord.Target) []fieldChange {
	opt := func(v *float64) string {
		if v == nil {
			return ""
		}
		return formatCSVNumber(*v)
	}
	traj := func(ms []accord.Milestone) string {
		if len(ms) == 0 {
			return "none"
		}
		parts := make([]string, len(ms))
		for i, m := range ms {
			parts[i] = m.Period.String() + ": " + formatCSVNumber(m.Value)
		}
		return strings.Join(parts, ", ")
	}
	fields := []struct{ field, label, from, to string }{
		{"title", "Title", a.Title, b.Title},
		{"indicator", "Indicator", a.IndicatorID, b.IndicatorID},
		{"national_priority", "National priority", a.PriorityID, b.PriorityID},
		{"local_tag", "Local priority", string(a.LocalTag), string(b.LocalTag)},
		{"comparator", "Comparator", string(a.Comparator), string(b.Comparator)},
		{"target_value", "Target value", formatCSVNumber(a.Value), formatCSVNumber(b.Value)},
		{"deadline", "Deadline", a.Deadline.String(), b.Deadline.String()},
		{"baseline_period", "Baseline period", a.BaselinePeriod.String(), b.BaselinePeriod.String()},
		{"baseline_value", "Baseline value", opt(a.BaselineValue), opt(b.BaselineValue)},
		{"local_circumstances", "Local circumstances", a.LocalCircumstances, b.LocalCircumstances},
		{"rationale", "Rationale", a.Rationale, b.Rationale},
		{"floor_justification", "Justification for falling short of the national standard", a.FloorJustification, b.FloorJustification},
		{"trajectory", "Trajectory", traj(a.Trajectory), traj(b.Trajectory)},
	}
	var out []fieldChange
	for _, f := range fields {
		if f.from != f.to {
			out = append(out, fieldChange{Field: f.field, Label: f.label, From: f.from, To: f.to})
		}
	}
	return out
}
