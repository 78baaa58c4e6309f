package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nhs-accord/accord"
)

// Issue 5, point 9(a): who may do what to a target, by role and by whether
// the target is their organisation's own. The expected outcomes are written
// out by hand from the rules the issue states (accord.Authorize's comment
// and CanView's), not computed from them, so that a change to the code that
// decides access shows up here as a changed cell rather than passing with it:
//
//   - the ICB lead of the target's ICB drafts, edits (in draft or
//     consultation), moves it through the ICB's steps and answers its
//     consultation;
//   - national oversight, and regional oversight whose region holds the
//     ICB, see it from submission and approve or challenge it;
//   - workforce and patient representatives and partners of the ICB or of
//     an organisation within it see it from consultation and respond while
//     it is in consultation;
//   - everyone sees it once approved; nobody else sees it before;
//   - a target someone may not see is not found (404), so that a draft's
//     existence does not leak; one they may see but not change is
//     forbidden (403); nobody signed in is asked to sign in (401 from the
//     API, a redirect to the sign-in page from a page).
//
// Imports are the other writes, and change figures rather than targets.
// Those who supply statistics import them: national and regional
// oversight (the published national files), ICB leads and partners (local
// returns). Representatives and peer reviewers read figures, not load
// them, and nobody imports anonymously. A file may hold figures for any
// organisation, so the rule is by role and not by organisation: a partner
// of another ICB may import.
//
// Peer reviews and the learning exchange (issue 6) have their own matrix,
// with three more peer reviewers, in role_matrix_peer_test.go.

// want is one cell of the matrix. For a list it says whether the target is
// listed (okay) or left out (hide).
type want string

const (
	okay want = "allowed"
	deny want = "forbidden"
	hide want = "not found"
	sign want = "sign in"
)

// matrixPerson is one column of the matrix: a role held for the target's
// ICB or within it ("own"), or for another ICB, its trust or another
// region ("other"). The target's ICB is QUE (Cambridgeshire and
// Peterborough, in the East of England, Y61); the other ICB is QE1
// (Lancashire and South Cumbria, North West, Y62).
type matrixPerson struct {
	key, email string
	grant      accord.Grant
}

// matrixCast is the columns, in the order every row's cells are written.
// The last, with no grant, is nobody signed in.
var matrixCast = []matrixPerson{
	{"national", "nat@england.nhs.uk", accord.Grant{Role: accord.RoleNationalOversight, OrgCode: accord.EnglandCode}},
	{"region", "east@england.nhs.uk", accord.Grant{Role: accord.RoleRegionalOversight, OrgCode: "Y61"}},
	{"region-other", "northwest@england.nhs.uk", accord.Grant{Role: accord.RoleRegionalOversight, OrgCode: "Y62"}},
	{"lead", "lead@que.nhs.net", accord.Grant{Role: accord.RoleICBLead, OrgCode: "QUE"}},
	{"lead-other", "lead@qe1.nhs.net", accord.Grant{Role: accord.RoleICBLead, OrgCode: "QE1"}},
	{"partner", "partner@rgt.nhs.net", accord.Grant{Role: accord.RolePartnerContributor, OrgCode: "RGT"}},       // a trust in QUE
	{"partner-other", "partner@rxn.nhs.net", accord.Grant{Role: accord.RolePartnerContributor, OrgCode: "RXN"}}, // a trust in QE1
	{"workforce", "staff@que.nhs.net", accord.Grant{Role: accord.RoleWorkforceRep, OrgCode: "QUE"}},             // the ICB itself
	{"workforce-other", "staff@qe1.nhs.net", accord.Grant{Role: accord.RoleWorkforceRep, OrgCode: "QE1"}},
	{"patient", "healthwatch@cambs.org.uk", accord.Grant{Role: accord.RolePatientRep, OrgCode: "E10000003"}}, // a place in QUE
	{"patient-other", "healthwatch@lancs.org.uk", accord.Grant{Role: accord.RolePatientRep, OrgCode: "QE1"}},
	{"peer", "peer@que.nhs.net", accord.Grant{Role: accord.RolePeerReviewer, OrgCode: "QUE"}},
	{"peer-other", "peer@qe1.nhs.net", accord.Grant{Role: accord.RolePeerReviewer, OrgCode: "QE1"}},
	{"anonymous", "", accord.Grant{}},
}

// cells is one row's outcomes, a cell per person of matrixCast in order:
//
//	national, region, region-other, lead, lead-other, partner, partner-other,
//	workforce, workforce-other, patient, patient-other, peer, peer-other,
//	anonymous
type cells [14]want

// matrixRow is one action on one kind of target, through one route.
type matrixRow struct {
	route  string // the pattern as server.go registers it
	name   string
	status accord.TargetStatus // the target the action is tried on; "" for none
	shared bool                // a read: one target of the status, made first, serves every person
	call   func(mx *matrixEnv, p matrixPerson, tg accord.Target, n int) (want, string)
	// done checks, for an allowed write, that it took effect; nil for a read.
	done func(before, after matrixState) string
	want cells
}

// The matrix. The ICB lead's column is the fourth; anonymous is the last.
var roleMatrix = []matrixRow{
	// --- The API, with bearer tokens ---
	{"POST /api/v1/targets", "API: draft a target for QUE", "", false, apiCreate, createdOne,
		cells{deny, deny, deny, okay, deny, deny, deny, deny, deny, deny, deny, deny, deny, sign}},
	{"POST /api/v1/targets/{id}/transitions", "API: open a draft to consultation", accord.TargetDraft, false, apiMove(accord.TargetConsultation, ""), movedTo(accord.TargetConsultation),
		cells{hide, hide, hide, okay, hide, hide, hide, hide, hide, hide, hide, hide, hide, sign}},
	{"POST /api/v1/targets/{id}/transitions", "API: approve a submitted target", accord.TargetSubmitted, false, apiMove(accord.TargetApproved, "Well argued."), movedTo(accord.TargetApproved),
		cells{okay, okay, hide, deny, hide, deny, hide, deny, hide, deny, hide, hide, hide, sign}},
	{"POST /api/v1/targets/{id}/transitions", "API: challenge a submitted target", accord.TargetSubmitted, false, apiMove(accord.TargetChallenged, "Not ambitious enough."), movedTo(accord.TargetChallenged),
		cells{okay, okay, hide, deny, hide, deny, hide, deny, hide, deny, hide, hide, hide, sign}},
	{"POST /api/v1/imports", "API: import a file of figures", "", false, apiImport, importedOne,
		cells{okay, okay, okay, okay, okay, okay, okay, deny, deny, deny, deny, deny, deny, sign}},

	// --- The pages, signed in, with the session's CSRF token ---
	{"GET /targets/new", "page: the form to draft a target for QUE", "", false, pageGet(func(accord.Target) string { return "/targets/new?organisation=QUE" }), nil,
		cells{deny, deny, deny, okay, deny, deny, deny, deny, deny, deny, deny, deny, deny, sign}},
	{"POST /targets", "page: draft a target for QUE", "", false, pageCreate, createdOne,
		cells{deny, deny, deny, okay, deny, deny, deny, deny, deny, deny, deny, deny, deny, sign}},
	{"GET /targets/{id}/edit", "page: the form to edit a draft", accord.TargetDraft, false, pageGet(func(tg accord.Target) string { return targetPath(tg.ID) + "/edit" }), nil,
		cells{hide, hide, hide, okay, hide, hide, hide, hide, hide, hide, hide, hide, hide, sign}},
	{"POST /targets/{id}/edit", "page: edit a draft", accord.TargetDraft, false, pageEdit, versionUp,
		cells{hide, hide, hide, okay, hide, hide, hide, hide, hide, hide, hide, hide, hide, sign}},
	{"POST /targets/{id}/edit", "page: edit a target in consultation", accord.TargetConsultation, false, pageEdit, versionUp,
		cells{hide, hide, hide, okay, hide, deny, hide, deny, hide, deny, hide, hide, hide, sign}},
	{"POST /targets/{id}/edit", "page: edit a submitted target", accord.TargetSubmitted, false, pageEdit, nil,
		cells{deny, deny, hide, deny, hide, deny, hide, deny, hide, deny, hide, hide, hide, sign}},
	{"GET /targets/{id}/trajectory", "page: the form to set a draft's trajectory", accord.TargetDraft, false, pageGet(func(tg accord.Target) string { return targetPath(tg.ID) + "/trajectory" }), nil,
		cells{hide, hide, hide, okay, hide, hide, hide, hide, hide, hide, hide, hide, hide, sign}},
	{"POST /targets/{id}/trajectory", "page: set a draft's trajectory", accord.TargetDraft, false, pageTrajectory, trajectorySet,
		cells{hide, hide, hide, okay, hide, hide, hide, hide, hide, hide, hide, hide, hide, sign}},
	{"POST /targets/{id}/trajectory", "page: set an approved target's trajectory", accord.TargetApproved, false, pageTrajectory, nil,
		cells{deny, deny, deny, deny, deny, deny, deny, deny, deny, deny, deny, deny, deny, sign}},
	{"POST /targets/{id}/transitions", "page: open a draft to consultation", accord.TargetDraft, false, pageMove(accord.TargetConsultation, "Is this right for our area?"), movedTo(accord.TargetConsultation),
		cells{hide, hide, hide, okay, hide, hide, hide, hide, hide, hide, hide, hide, hide, sign}},
	{"POST /targets/{id}/transitions", "page: agree a target in consultation", accord.TargetConsultation, false, pageMove(accord.TargetAgreed, ""), movedTo(accord.TargetAgreed),
		cells{hide, hide, hide, okay, hide, deny, hide, deny, hide, deny, hide, hide, hide, sign}},
	{"POST /targets/{id}/transitions", "page: submit a locally agreed target", accord.TargetAgreed, false, pageMove(accord.TargetSubmitted, ""), movedTo(accord.TargetSubmitted),
		cells{hide, hide, hide, okay, hide, deny, hide, deny, hide, deny, hide, hide, hide, sign}},
	{"POST /targets/{id}/transitions", "page: challenge a submitted target", accord.TargetSubmitted, false, pageMove(accord.TargetChallenged, "Not ambitious enough."), movedTo(accord.TargetChallenged),
		cells{okay, okay, hide, deny, hide, deny, hide, deny, hide, deny, hide, hide, hide, sign}},
	{"POST /targets/{id}/transitions", "page: revise a challenged target", accord.TargetChallenged, false, pageMove(accord.TargetDraft, ""), movedTo(accord.TargetDraft),
		cells{deny, deny, hide, okay, hide, deny, hide, deny, hide, deny, hide, hide, hide, sign}},
	{"POST /targets/{id}/transitions", "page: make an approved target active", accord.TargetApproved, false, pageMove(accord.TargetActive, ""), movedTo(accord.TargetActive),
		cells{deny, deny, deny, okay, deny, deny, deny, deny, deny, deny, deny, deny, deny, sign}},
	{"POST /targets/{id}/responses", "page: respond to a consultation", accord.TargetConsultation, false, pageRespond, respondedOne,
		cells{hide, hide, hide, deny, hide, okay, hide, okay, hide, okay, hide, hide, hide, sign}},
	{"POST /targets/{id}/responses", "page: respond to a submitted target", accord.TargetSubmitted, false, pageRespond, nil,
		cells{deny, deny, hide, deny, hide, deny, hide, deny, hide, deny, hide, hide, hide, sign}},
	{"POST /targets/{id}/themes", "page: answer a consultation's responses", accord.TargetConsultation, false, pageTheme, themedOne,
		cells{hide, hide, hide, okay, hide, deny, hide, deny, hide, deny, hide, hide, hide, sign}},

	// --- Reads: a target nobody may see is not found, even anonymously ---
	{"GET /targets/{id}", "page: read a draft", accord.TargetDraft, true, pageGet(func(tg accord.Target) string { return targetPath(tg.ID) }), nil,
		cells{hide, hide, hide, okay, hide, hide, hide, hide, hide, hide, hide, hide, hide, hide}},
	{"GET /targets/{id}", "page: read a target in consultation", accord.TargetConsultation, true, pageGet(func(tg accord.Target) string { return targetPath(tg.ID) }), nil,
		cells{hide, hide, hide, okay, hide, okay, hide, okay, hide, okay, hide, hide, hide, hide}},
	{"GET /targets/{id}", "page: read a submitted target", accord.TargetSubmitted, true, pageGet(func(tg accord.Target) string { return targetPath(tg.ID) }), nil,
		cells{okay, okay, hide, okay, hide, okay, hide, okay, hide, okay, hide, hide, hide, hide}},
	{"GET /targets/{id}", "page: read an approved target", accord.TargetApproved, true, pageGet(func(tg accord.Target) string { return targetPath(tg.ID) }), nil,
		cells{okay, okay, okay, okay, okay, okay, okay, okay, okay, okay, okay, okay, okay, okay}},
	{"GET /api/v1/targets/{id}", "API: read a draft", accord.TargetDraft, true, apiGet, nil,
		cells{hide, hide, hide, okay, hide, hide, hide, hide, hide, hide, hide, hide, hide, hide}},
	{"GET /api/v1/targets/{id}", "API: read a target in consultation", accord.TargetConsultation, true, apiGet, nil,
		cells{hide, hide, hide, okay, hide, okay, hide, okay, hide, okay, hide, hide, hide, hide}},
	{"GET /api/v1/targets/{id}", "API: read a submitted target", accord.TargetSubmitted, true, apiGet, nil,
		cells{okay, okay, hide, okay, hide, okay, hide, okay, hide, okay, hide, hide, hide, hide}},
	{"GET /api/v1/targets/{id}", "API: read an approved target", accord.TargetApproved, true, apiGet, nil,
		cells{okay, okay, okay, okay, okay, okay, okay, okay, okay, okay, okay, okay, okay, okay}},
	{"GET /targets", "page: list a draft", accord.TargetDraft, true, pageListed, nil,
		cells{hide, hide, hide, okay, hide, hide, hide, hide, hide, hide, hide, hide, hide, hide}},
	{"GET /targets", "page: list a target in consultation", accord.TargetConsultation, true, pageListed, nil,
		cells{hide, hide, hide, okay, hide, okay, hide, okay, hide, okay, hide, hide, hide, hide}},
	{"GET /targets", "page: list a submitted target", accord.TargetSubmitted, true, pageListed, nil,
		cells{okay, okay, hide, okay, hide, okay, hide, okay, hide, okay, hide, hide, hide, hide}},
	{"GET /targets", "page: list an approved target", accord.TargetApproved, true, pageListed, nil,
		cells{okay, okay, okay, okay, okay, okay, okay, okay, okay, okay, okay, okay, okay, okay}},
	{"GET /api/v1/targets", "API: list a draft", accord.TargetDraft, true, apiListed, nil,
		cells{hide, hide, hide, okay, hide, hide, hide, hide, hide, hide, hide, hide, hide, hide}},
	{"GET /api/v1/targets", "API: list a target in consultation", accord.TargetConsultation, true, apiListed, nil,
		cells{hide, hide, hide, okay, hide, okay, hide, okay, hide, okay, hide, hide, hide, hide}},
	{"GET /api/v1/targets", "API: list a submitted target", accord.TargetSubmitted, true, apiListed, nil,
		cells{okay, okay, hide, okay, hide, okay, hide, okay, hide, okay, hide, hide, hide, hide}},
	{"GET /api/v1/targets", "API: list an approved target", accord.TargetApproved, true, apiListed, nil,
		cells{okay, okay, okay, okay, okay, okay, okay, okay, okay, okay, okay, okay, okay, okay}},
}

// unmatrixedWrites are the write routes the matrix leaves out, and why.
var unmatrixedWrites = map[string]string{
	"POST /sign-in":  "acts only on the caller's own session, before anyone is known; auth_test.go covers it",
	"POST /sign-out": "acts only on the caller's own session; auth_test.go covers it",
}

// matrixEnv is the test server, the people with their sessions and tokens,
// and the targets shared by the reads.
type matrixEnv struct {
	*testEnv
	t        *testing.T
	browsers map[string]*browser
	csrf     map[string]string
	tokens   map[string]string
	shared   map[accord.TargetStatus]accord.Target
}

func newMatrixEnv(t *testing.T) *matrixEnv {
	t.Helper()
	e := newTestEnv(t, Config{})
	ctx := context.Background()
	if err := e.store.UpsertOrganisations(ctx, []accord.Organisation{
		{Code: "Y62", ONSCode: "E40000014", Name: "North West", Type: accord.OrgRegion, ParentCode: accord.EnglandCode},
		{Code: "QE1", ONSCode: "E54000048", Name: "NHS Lancashire and South Cumbria Integrated Care Board", Type: accord.OrgICB, ParentCode: "Y62"},
		{Code: "RXN", Name: "Lancashire Teaching Hospitals NHS Foundation Trust", Type: accord.OrgProvider, ParentCode: "QE1"},
	}); err != nil {
		t.Fatal(err)
	}
	mx := &matrixEnv{testEnv: e, t: t, browsers: map[string]*browser{}, csrf: map[string]string{}, tokens: map[string]string{},
		shared: map[accord.TargetStatus]accord.Target{}}
	for _, p := range matrixCast {
		if p.email == "" {
			mx.browsers[p.key] = e.browser(t)
			continue
		}
		e.addUser(t, p.email, p.key, p.grant)
		mx.browsers[p.key], mx.csrf[p.key] = e.signedIn(t, p.email)
		mx.tokens[p.key] = e.tokenFor(t, p.email)
	}
	// Someone outside the matrix answers each consultation first, so that
	// a consultee's own response adds one rather than replacing theirs.
	e.addUser(t, matrixRespondent, "Union rep", accord.Grant{Role: accord.RoleWorkforceRep, OrgCode: "RGT"})
	// The reads' targets come first, so that the lists, oldest first, show
	// them on their first page however many targets the writes add.
	for _, st := range []accord.TargetStatus{accord.TargetDraft, accord.TargetConsultation, accord.TargetSubmitted, accord.TargetApproved} {
		mx.shared[st] = mx.target(st)
	}
	return mx
}

// use makes the helpers and browsers report to t, the running subtest,
// since FailNow must be called from the goroutine of the test it fails.
func (mx *matrixEnv) use(t *testing.T) {
	mx.t = t
	for _, b := range mx.browsers {
		b.t = t
	}
}

// matrixRespondent has responded to every consultation the matrix makes.
const matrixRespondent = "unison@rgt.nhs.net"

func (mx *matrixEnv) lead() accord.Actor { return mx.actor(mx.t, "lead@que.nhs.net") }

// target makes a QUE target in status st through the store, each move by
// whoever the lifecycle lets make it. A target in consultation has one
// response, for a theme to answer; it supports the target as it stands, so
// it does not stop the ICB agreeing it.
func (mx *matrixEnv) target(st accord.TargetStatus) accord.Target {
	t := mx.t
	t.Helper()
	ctx := context.Background()
	tg := accord.Target{OrgCode: "QUE", IndicatorID: "ae_4h_all", LocalTag: accord.TagOutcome, Title: "Four hours, " + string(st),
		Comparator: accord.AtLeast, Value: 80, Deadline: accord.NewDate(2028, time.March, 31),
		BaselinePeriod: accord.MustParsePeriod("2027-10"), Status: accord.TargetDraft}
	if err := mx.store.CreateTarget(ctx, &tg, mx.lead()); err != nil {
		t.Fatal(err)
	}
	path := map[accord.TargetStatus][]accord.TargetStatus{
		accord.TargetDraft:        nil,
		accord.TargetConsultation: {accord.TargetConsultation},
		accord.TargetAgreed:       {accord.TargetConsultation, accord.TargetAgreed},
		accord.TargetSubmitted:    {accord.TargetConsultation, accord.TargetAgreed, accord.TargetSubmitted},
		accord.TargetChallenged:   {accord.TargetConsultation, accord.TargetAgreed, accord.TargetSubmitted, accord.TargetChallenged},
		accord.TargetApproved:     {accord.TargetConsultation, accord.TargetAgreed, accord.TargetSubmitted, accord.TargetApproved},
	}[st]
	if st != accord.TargetDraft && path == nil {
		t.Fatalf("no way to a %s target", st)
	}
	for _, to := range path {
		by, reason := mx.lead(), ""
		if to == accord.TargetApproved || to == accord.TargetChallenged {
			by, reason = mx.actor(t, "nat@england.nhs.uk"), "Reviewed."
		}
		moved, err := mx.store.MoveTarget(ctx, tg.ID, to, by, reason)
		if err != nil {
			t.Fatalf("move to %s: %v", to, err)
		}
		tg = moved
	}
	if st == accord.TargetConsultation {
		r := accord.ConsultationResponse{Stance: accord.StanceSupport, Comment: "Staff will welcome it."}
		if err := mx.store.Respond(ctx, tg.ID, &r, mx.actor(t, matrixRespondent)); err != nil {
			t.Fatal(err)
		}
	}
	return tg
}

// matrixState is everything a refused request must leave as it was.
type matrixState struct {
	audit, targets, imports, observations int
	status                                accord.TargetStatus
	version, milestones                   int
	responses, themes                     int
}

func (mx *matrixEnv) state(id int64) matrixState {
	t := mx.t
	t.Helper()
	ctx := context.Background()
	var s matrixState
	var err error
	if _, s.audit, err = mx.store.FindAudit(ctx, accord.AuditFilter{Limit: 1}); err != nil {
		t.Fatal(err)
	}
	if _, s.targets, err = mx.store.FindTargets(ctx, accord.TargetFilter{Limit: 1}); err != nil {
		t.Fatal(err)
	}
	s.imports, s.observations = mx.counts(t)
	if id == 0 {
		return s
	}
	tg, err := mx.store.FindTarget(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	s.status, s.version, s.milestones = tg.Status, tg.Version, len(tg.Trajectory)
	cs, err := mx.store.Consultations(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cs {
		s.responses += len(c.Responses)
		s.themes += len(c.Themes)
	}
	return s
}

// --- What an allowed write must have done ---

// audited is "" when a change to a target reached the audit log, else what
// is wrong.
func audited(before, after matrixState) string {
	if after.audit <= before.audit {
		return "nothing was written to the audit log"
	}
	return ""
}

func createdOne(before, after matrixState) string {
	if msg := audited(before, after); msg != "" {
		return msg
	}
	if after.targets != before.targets+1 {
		return fmt.Sprintf("%d targets after, %d before", after.targets, before.targets)
	}
	return ""
}

func movedTo(to accord.TargetStatus) func(before, after matrixState) string {
	return func(before, after matrixState) string {
		if msg := audited(before, after); msg != "" {
			return msg
		}
		if after.status != to {
			return fmt.Sprintf("the target is %s, not %s", after.status, to)
		}
		return ""
	}
}

func versionUp(before, after matrixState) string {
	if msg := audited(before, after); msg != "" {
		return msg
	}
	if after.version != before.version+1 {
		return fmt.Sprintf("version %d after, %d before", after.version, before.version)
	}
	return ""
}

func trajectorySet(before, after matrixState) string {
	if msg := audited(before, after); msg != "" {
		return msg
	}
	if after.milestones != 5 || before.milestones != 0 {
		return fmt.Sprintf("%d milestones after, %d before", after.milestones, before.milestones)
	}
	return ""
}

func respondedOne(before, after matrixState) string {
	if msg := audited(before, after); msg != "" {
		return msg
	}
	if after.responses != before.responses+1 {
		return fmt.Sprintf("%d responses after, %d before", after.responses, before.responses)
	}
	return ""
}

func themedOne(before, after matrixState) string {
	if msg := audited(before, after); msg != "" {
		return msg
	}
	if after.themes != before.themes+1 {
		return fmt.Sprintf("%d themes after, %d before", after.themes, before.themes)
	}
	return ""
}

// importedOne looks at the imports table, which records who imported what,
// and not at the audit log, which imports do not write. Each case's file
// revises the same month, so the count of observations stays as it was.
func importedOne(before, after matrixState) string {
	if after.imports != before.imports+1 {
		return fmt.Sprintf("%d imports after, %d before", after.imports, before.imports)
	}
	return ""
}

// --- Requests and what their answers mean ---

// apiOutcome reads an API answer.
func apiOutcome(res *http.Response, b string) (want, string) {
	switch res.StatusCode {
	case http.StatusOK, http.StatusCreated:
		return okay, ""
	case http.StatusUnauthorized:
		return sign, ""
	case http.StatusForbidden:
		return deny, ""
	case http.StatusNotFound:
		return hide, ""
	}
	return "", fmt.Sprintf("%d %s", res.StatusCode, b)
}

// pageOutcome reads a page's answer: a form that worked goes back to the
// target, review or practice note (or on to the new one).
func pageOutcome(res *http.Response, b string) (want, string) {
	loc := res.Header.Get("Location")
	switch {
	case res.StatusCode == http.StatusOK:
		return okay, ""
	case res.StatusCode == http.StatusSeeOther && strings.HasPrefix(loc, "/sign-in?"):
		return sign, ""
	case res.StatusCode == http.StatusSeeOther && (strings.HasPrefix(loc, "/targets/") ||
		strings.HasPrefix(loc, "/peer-reviews/") || strings.HasPrefix(loc, "/practice/")):
		return okay, ""
	case res.StatusCode == http.StatusForbidden:
		return deny, ""
	case res.StatusCode == http.StatusNotFound:
		return hide, ""
	}
	return "", fmt.Sprintf("%d %s\n%s", res.StatusCode, loc, b)
}

func (mx *matrixEnv) apiCall(p matrixPerson, method, target, contentType string, body []byte) (want, string) {
	req := httptest.NewRequest(method, target, bytes.NewReader(body))
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if tok := mx.tokens[p.key]; tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	rec := httptest.NewRecorder()
	mx.handler.ServeHTTP(rec, req)
	return apiOutcome(rec.Result(), rec.Body.String())
}

func (mx *matrixEnv) post(p matrixPerson, target string, form url.Values) (want, string) {
	form.Set("csrf_token", mx.csrf[p.key])
	return pageOutcome(mx.browsers[p.key].post(target, form))
}

func apiCreate(mx *matrixEnv, p matrixPerson, _ accord.Target, n int) (want, string) {
	body := fmt.Sprintf(`{"organisation": "QUE", "indicator": "ae_4h_all", "comparator": ">=", "target_value": 80,
		"deadline": "2028-03-31", "local_tag": "outcome", "title": "Drafted by %s"}`, p.key)
	return mx.apiCall(p, http.MethodPost, "/api/v1/targets", "application/json", []byte(body))
}

func apiMove(to accord.TargetStatus, reason string) func(*matrixEnv, matrixPerson, accord.Target, int) (want, string) {
	return func(mx *matrixEnv, p matrixPerson, tg accord.Target, _ int) (want, string) {
		body := fmt.Sprintf(`{"to": %q, "reason": %q}`, to, reason)
		return mx.apiCall(p, http.MethodPost, fmt.Sprintf("/api/v1/targets/%d/transitions", tg.ID), "application/json", []byte(body))
	}
}

// apiImport sends a local return with a figure no earlier case sent, so
// that it is never taken for a file already imported.
func apiImport(mx *matrixEnv, p matrixPerson, _ accord.Target, n int) (want, string) {
	num := 15000 + n
	content := longHeader + fmt.Sprintf("QUE,ae_4h_all,2025-06,%d,20000,%s,,provisional\n", num, strconv.FormatFloat(float64(num)/200, 'f', -1, 64))
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	fw, err := mw.CreateFormFile("file", fmt.Sprintf("return-%d.csv", n))
	if err != nil {
		mx.t.Fatal(err)
	}
	_, _ = fw.Write([]byte(content))
	if err := mw.Close(); err != nil {
		mx.t.Fatal(err)
	}
	return mx.apiCall(p, http.MethodPost, "/api/v1/imports", mw.FormDataContentType(), b.Bytes())
}

func apiGet(mx *matrixEnv, p matrixPerson, tg accord.Target, _ int) (want, string) {
	return mx.apiCall(p, http.MethodGet, fmt.Sprintf("/api/v1/targets/%d", tg.ID), "", nil)
}

func apiListed(mx *matrixEnv, p matrixPerson, tg accord.Target, _ int) (want, string) {
	req := httptest.NewRequest(http.MethodGet, "/api/v1/targets?organisation=QUE&limit=1000&status="+string(tg.Status), nil)
	if tok := mx.tokens[p.key]; tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	rec := httptest.NewRecorder()
	mx.handler.ServeHTTP(rec, req)
	var l list[accord.Target]
	if err := json.Unmarshal(rec.Body.Bytes(), &l); rec.Code != http.StatusOK || err != nil {
		return "", fmt.Sprintf("%d %v %s", rec.Code, err, rec.Body)
	}
	if slices.ContainsFunc(l.Items, func(x accord.Target) bool { return x.ID == tg.ID }) {
		return okay, ""
	}
	return hide, ""
}

func pageGet(path func(accord.Target) string) func(*matrixEnv, matrixPerson, accord.Target, int) (want, string) {
	return func(mx *matrixEnv, p matrixPerson, tg accord.Target, _ int) (want, string) {
		return pageOutcome(mx.browsers[p.key].get(path(tg)))
	}
}

func pageListed(mx *matrixEnv, p matrixPerson, tg accord.Target, _ int) (want, string) {
	res, b := mx.browsers[p.key].get("/targets?organisation=QUE&status=" + string(tg.Status))
	if res.StatusCode != http.StatusOK {
		return "", fmt.Sprintf("%d\n%s", res.StatusCode, b)
	}
	if strings.Contains(b, `href="`+targetPath(tg.ID)+`"`) {
		return okay, ""
	}
	return hide, ""
}

// targetForm is the target form filled in for QUE.
func targetForm(value string) url.Values {
	return url.Values{"indicator": {"ae_4h_all"}, "title": {"Four hours for all"}, "local_tag": {"outcome"}, "comparator": {">="},
		"target_value": {value}, "deadline-day": {"31"}, "deadline-month": {"3"}, "deadline-year": {"2028"}, "baseline_period": {"2027-10"}}
}

func pageCreate(mx *matrixEnv, p matrixPerson, _ accord.Target, _ int) (want, string) {
	form := targetForm("80")
	form.Set("organisation", "QUE")
	return mx.post(p, "/targets", form)
}

func pageEdit(mx *matrixEnv, p matrixPerson, tg accord.Target, _ int) (want, string) {
	form := targetForm("82")
	form.Set("version", strconv.Itoa(tg.Version))
	form.Set("reason", "Sooner.")
	return mx.post(p, targetPath(tg.ID)+"/edit", form)
}

// pageTrajectory fills a row for each month from the baseline (October
// 2027) to the deadline (March 2028).
func pageTrajectory(mx *matrixEnv, p matrixPerson, tg accord.Target, _ int) (want, string) {
	return mx.post(p, targetPath(tg.ID)+"/trajectory", url.Values{
		"period": {"2027-11", "2027-12", "2028-01", "2028-02", "2028-03"}, "value": {"76", "77", "78", "79", "80"}})
}

func pageMove(to accord.TargetStatus, reason string) func(*matrixEnv, matrixPerson, accord.Target, int) (want, string) {
	return func(mx *matrixEnv, p matrixPerson, tg accord.Target, _ int) (want, string) {
		return mx.post(p, targetPath(tg.ID)+"/transitions", url.Values{"to": {string(to)}, "reason": {reason}})
	}
}

func pageRespond(mx *matrixEnv, p matrixPerson, tg accord.Target, _ int) (want, string) {
	return mx.post(p, targetPath(tg.ID)+"/responses", url.Values{"stance": {"oppose"}, "comment": {"Not without more staff."}})
}

func pageTheme(mx *matrixEnv, p matrixPerson, tg accord.Target, _ int) (want, string) {
	cs, err := mx.store.Consultations(context.Background(), tg.ID)
	if err != nil || len(cs) != 1 || len(cs[0].Responses) != 1 {
		mx.t.Fatalf("the consultation to answer: %+v %v", cs, err)
	}
	return mx.post(p, targetPath(tg.ID)+"/themes", url.Values{"you_said": {"Staff will welcome it."},
		"we_did": {"Added two streaming nurses."}, "changed": {"no"}, "responses": {strconv.FormatInt(cs[0].Responses[0].ID, 10)}})
}

func TestRoleMatrix(t *testing.T) {
	parent := t
	mx := newMatrixEnv(t)
	if len(matrixCast) != len(cells{}) {
		t.Fatalf("%d people, %d cells a row", len(matrixCast), len(cells{}))
	}
	n := 0
	for _, row := range roleMatrix {
		t.Run(row.name, func(t *testing.T) {
			mx.use(t)
			defer mx.use(parent)
			// A write's target serves each person in turn until one
			// changes it; the next person gets a fresh one.
			var tg accord.Target
			for i, p := range matrixCast {
				n++
				switch {
				case row.status == "":
				case row.shared:
					var ok bool
					if tg, ok = mx.shared[row.status]; !ok {
						t.Fatalf("no shared %s target", row.status)
					}
				case tg.ID == 0:
					tg = mx.target(row.status)
				}
				before := mx.state(tg.ID)
				got, odd := row.call(mx, p, tg, n)
				after := mx.state(tg.ID)
				switch {
				case odd != "":
					t.Errorf("%s: want %s, got an unexpected answer: %s", p.key, row.want[i], odd)
				case got != row.want[i]:
					t.Errorf("%s: %s, want %s", p.key, got, row.want[i])
				}
				switch {
				case got == okay && row.done != nil:
					if msg := row.done(before, after); msg != "" {
						t.Errorf("%s: allowed, but %s", p.key, msg)
					}
				case after != before:
					t.Errorf("%s: %s, yet something changed:\nbefore %+v\nafter  %+v", p.key, got, before, after)
				}
				if after != before && !row.shared {
					tg = accord.Target{}
				}
			}
		})
	}
}

// writeMethods are the methods that change things; a route for any of them
// needs a row in the matrix.
var writeMethods = []string{http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete}

// registeredWrites asks the server's own mux which write routes it has. A
// ServeMux cannot list its patterns, so the candidates are every string in
// the package's source that looks like a path, and the mux says which of
// them a write request reaches, and under which pattern.
func registeredWrites(t *testing.T, s *Server) []string {
	t.Helper()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	pathLike := regexp.MustCompile(`^(?:[A-Z]+ )?(/[^\s"]*)$`)
	wildcard := regexp.MustCompile(`\{[^}]*\}`)
	var candidates []string
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			lit, ok := n.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			v, err := strconv.Unquote(lit.Value)
			if err != nil {
				return true
			}
			if m := pathLike.FindStringSubmatch(v); m != nil {
				path := wildcard.ReplaceAllString(strings.TrimSuffix(m[1], "{$}"), "1")
				if _, err := url.ParseRequestURI(path); err == nil { // not a format string
					candidates = append(candidates, path)
				}
			}
			return true
		})
	}
	var out []string
	for _, path := range candidates {
		for _, method := range writeMethods {
			_, pattern := s.mux.Handler(httptest.NewRequest(method, path, nil))
			if pattern == "" || slices.Contains(out, pattern) {
				continue
			}
			// A pattern without a method answers every method, so it
			// is a write route too.
			if m, _, hasMethod := strings.Cut(pattern, " "); hasMethod && (m == http.MethodGet || m == http.MethodHead) {
				continue
			}
			out = append(out, pattern)
		}
	}
	slices.Sort(out)
	return out
}

// TestRoleMatrixCoversEveryWriteRoute fails when a write route is added
// without a row in either matrix, or a row names a route that is gone.
func TestRoleMatrixCoversEveryWriteRoute(t *testing.T) {
	e := newTestEnv(t, Config{})
	writes := registeredWrites(t, e.srv)
	if len(writes) < 10 {
		t.Fatalf("found only %d write routes; the search for them is broken: %v", len(writes), writes)
	}
	covered := map[string]bool{}
	for _, row := range roleMatrix {
		covered[row.route] = true
	}
	for _, row := range peerMatrix { // role_matrix_peer_test.go
		covered[row.route] = true
	}
	for _, w := range writes {
		if !covered[w] && unmatrixedWrites[w] == "" {
			t.Errorf("%s changes things but has no row in the role matrix (role_matrix_test.go): add rows for who may use it", w)
		}
	}
	for route := range covered {
		m, path, _ := strings.Cut(route, " ")
		path = regexp.MustCompile(`\{[^}]*\}`).ReplaceAllString(path, "1")
		if _, pattern := e.srv.mux.Handler(httptest.NewRequest(m, path, nil)); pattern != route {
			t.Errorf("the matrix has rows for %s, which the server does not register (it has %q)", route, pattern)
		}
	}
	for route := range unmatrixedWrites {
		if !slices.Contains(writes, route) {
			t.Errorf("%s is excused from the matrix but is not a write route of the server", route)
		}
	}
}
