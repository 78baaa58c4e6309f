package accord

import (
	"context"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// A peer review is one ICB's system challenged and helped by peers from other
// ICBs, in the stages of the LGA's corporate peer challenge: the reviewed
// system asks and sets the scope, NHS England's oversight team forms the
// team, the system writes a position statement, the peers spend days on
// site, publish a report of rated findings tied to evidence, the system
// answers with a response and an action plan, and the peers come back about
// ten months on to see what moved. peerpolicy.go says who does each step;
// the store keeps the order.

// StageName names a stage of a peer review. The names are stored and
// published, so they never change.
type StageName string

const (
	StageRequestAndScope       StageName = "request_and_scope"
	StageTeamFormation         StageName = "team_formation"
	StagePositionStatement     StageName = "position_statement"
	StageReview                StageName = "review"
	StageReport                StageName = "report"
	StageResponseAndActionPlan StageName = "response_and_action_plan"
	StageProgressReview        StageName = "progress_review"
)

// StageNames lists the stages in the order they happen; a stage is done only
// after the one before it.
var StageNames = []StageName{StageRequestAndScope, StageTeamFormation, StagePositionStatement, StageReview,
	StageReport, StageResponseAndActionPlan, StageProgressReview}

// Valid reports whether n is a known stage.
func (n StageName) Valid() bool { return slices.Contains(StageNames, n) }

// Label is the plain-English name of the stage.
func (n StageName) Label() string {
	switch n {
	case StageRequestAndScope:
		return "Request and scope"
	case StageTeamFormation:
		return "Team formation"
	case StagePositionStatement:
		return "Position statement"
	case StageReview:
		return "Review on site"
	case StageReport:
		return "Report"
	case StageResponseAndActionPlan:
		return "Response and action plan"
	case StageProgressReview:
		return "Progress review"
	}
	return string(n)
}

// StageState is how far a stage has got.
type StageState string

const (
	StageNotStarted StageState = "not_started"
	StageInProgress StageState = "in_progress"
	StageDone       StageState = "done"
)

// StageStates lists the states in order; a stage only moves forward.
var StageStates = []StageState{StageNotStarted, StageInProgress, StageDone}

// Valid reports whether s is a known state.
func (s StageState) Valid() bool { return slices.Contains(StageStates, s) }

// Label is the plain-English name of the state.
func (s StageState) Label() string {
	switch s {
	case StageNotStarted:
		return "Not started"
	case StageInProgress:
		return "In progress"
	case StageDone:
		return "Done"
	}
	return string(s)
}

// Stage is one stage of a review: who owns it, when it is due, and how far
// it has got. The owner is worked out from the review (StageOwner), so that
// appointing a lead reviewer makes them the owner of the stages the team
// runs.
type Stage struct {
	Name      StageName  `json:"name"`
	OwnerRole Role       `json:"owner_role"`
	OwnerOrg  string     `json:"owner_organisation_code"` // "" while nobody holds it (no lead reviewer yet)
	Due       Date       `json:"due"`
	Started   Date       `json:"started"`
	Completed Date       `json:"completed"`
	State     StageState `json:"state"`
}

// Overdue reports whether the stage is not done and its due date has
// passed by today. A stage due today is not yet overdue.
func (s Stage) Overdue(today Date) bool {
	return s.State != StageDone && !s.Due.IsZero() && s.Due.Before(today.Time)
}

// CoreTheme is one of the five themes every peer review covers, whatever
// focus areas the reviewed system chooses.
type CoreTheme struct {
	ID    string `json:"id"`
	Title string `json:"title"`
}

// CoreThemes are the five themes, in the order reports take them. The IDs
// are stored with findings, so they never change.
var CoreThemes = []CoreTheme{
	{ID: "local_priorities_and_outcomes", Title: "Local priorities and outcomes"},
	{ID: "partnership_and_leadership", Title: "Partnership and leadership"},
	{ID: "use_of_resources", Title: "Use of resources"},
	{ID: "inequalities", Title: "Inequalities"},
	{ID: "capacity_to_improve", Title: "Capacity to improve"},
}

// FindCoreTheme returns the core theme with id.
func FindCoreTheme(id string) (CoreTheme, bool) {
	for _, t := range CoreThemes {
		if t.ID == id {
			return t, true
		}
	}
	return CoreTheme{}, false
}

// FocusArea is an area the reviewed system asks the peers to look at, with
// the indicators that measure it, so that the data pack and the progress
// review look at the same things.
type FocusArea struct {
	ID           int64    `json:"id"`
	Title        string   `json:"title"`
	IndicatorIDs []string `json:"indicator_ids"`
}

// ReviewScope is what the reviewed system sets when it asks for a review:
// its focus areas and the days the peers spend on site.
type ReviewScope struct {
	FocusAreas  []FocusArea `json:"focus_areas"`
	OnSiteStart Date        `json:"on_site_start"`
	OnSiteEnd   Date        `json:"on_site_end"`
}

// maxFocusAreas keeps a review to what a team can look at in a few days on
// site; the LGA asks for one to three.
const maxFocusAreas = 5

// Validate checks a scope on its own; whether its indicators exist is the
// store's job.
func (s ReviewScope) Validate() error {
	var p Problems
	switch {
	case len(s.FocusAreas) == 0:
		p.Add("focus_areas", "choose at least one focus area for the peers to look at")
	case len(s.FocusAreas) > maxFocusAreas:
		p.Add("focus_areas", "%d focus areas is more than a team can cover on site; choose at most %d", len(s.FocusAreas), maxFocusAreas)
	}
	titles := map[string]int{}
	for i, f := range s.FocusAreas {
		field := "focus_areas"
		title := strings.TrimSpace(f.Title)
		if title == "" {
			p.Add(field, "focus area %d has no title", i+1)
		} else if j, ok := titles[strings.ToLower(title)]; ok {
			p.Add(field, "focus area %d (%q) repeats focus area %d", i+1, title, j+1)
		} else {
			titles[strings.ToLower(title)] = i
		}
		if len(f.IndicatorIDs) == 0 {
			// Without indicators the pack has nothing to show and the
			// progress review nothing to measure.
			p.Add(field, "focus area %d (%q) names no indicator to measure it by", i+1, title)
		}
		seen := map[string]bool{}
		for _, id := range f.IndicatorIDs {
			if strings.TrimSpace(id) == "" {
				p.Add(field, "focus area %d (%q) has an empty indicator", i+1, title)
			} else if seen[id] {
				p.Add(field, "focus area %d (%q) names indicator %s twice", i+1, title, id)
			}
			seen[id] = true
		}
	}
	if s.OnSiteStart.IsZero() {
		p.Add("on_site_start", "is required: the first day the peers are on site")
	}
	if s.OnSiteEnd.IsZero() {
		p.Add("on_site_end", "is required: the last day the peers are on site")
	}
	if !s.OnSiteStart.IsZero() && !s.OnSiteEnd.IsZero() {
		if s.OnSiteEnd.Before(s.OnSiteStart.Time) {
			p.Add("on_site_end", "%s is before the first day on site, %s", s.OnSiteEnd, s.OnSiteStart)
		} else if s.OnSiteEnd.Sub(s.OnSiteStart.Time) > 14*24*time.Hour {
			p.Add("on_site_end", "%s is more than two weeks after %s: a review is a few days on site", s.OnSiteEnd, s.OnSiteStart)
		}
	}
	return p.Err("scope of the peer review")
}

// TeamRole is what a member does in a review team.
type TeamRole string

const (
	TeamLeadReviewer TeamRole = "lead_reviewer" // leads the team and publishes its report
	TeamPeer         TeamRole = "peer"          // a senior leader from another ICB
	TeamClinicalPeer TeamRole = "clinical_peer" // a clinician from another system
	TeamLayPeer      TeamRole = "lay_peer"      // a patient or lay member
)

// TeamRoles lists the roles in a team, lead first.
var TeamRoles = []TeamRole{TeamLeadReviewer, TeamPeer, TeamClinicalPeer, TeamLayPeer}

// Valid reports whether r is a known team role.
func (r TeamRole) Valid() bool { return slices.Contains(TeamRoles, r) }

// Label is the plain-English name of the team role.
func (r TeamRole) Label() string {
	switch r {
	case TeamLeadReviewer:
		return "Lead reviewer"
	case TeamPeer:
		return "Peer"
	case TeamClinicalPeer:
		return "Clinical peer"
	case TeamLayPeer:
		return "Lay or patient peer"
	}
	return string(r)
}

// ChosenFor is the kind of evidence a member was chosen on. Peers chosen
// for comfort rather than relevance are a known weakness of peer review,
// so every member says why.
type ChosenFor string

const (
	ChosenStatisticallySimilar ChosenFor = "statistically_similar" // a nearest peer by population, age, deprivation, rurality
	ChosenMostImproved         ChosenFor = "most_improved"         // improved most on a focus area's indicators
	ChosenExpertise            ChosenFor = "expertise"             // knows the subject
)

// ChosenForKinds lists the kinds, the data-led ones first.
var ChosenForKinds = []ChosenFor{ChosenStatisticallySimilar, ChosenMostImproved, ChosenExpertise}

// Valid reports whether c is a known kind.
func (c ChosenFor) Valid() bool { return slices.Contains(ChosenForKinds, c) }

// Label is the plain-English name of the kind.
func (c ChosenFor) Label() string {
	switch c {
	case ChosenStatisticallySimilar:
		return "Statistically similar system"
	case ChosenMostImproved:
		return "Most improved on a focus area"
	case ChosenExpertise:
		return "Expertise"
	}
	return string(c)
}

// ConflictKind is the kind of conflict of interest flagged on a member.
type ConflictKind string

const (
	ConflictSameRegionOversight ConflictKind = "same_region_oversight" // works for or with the region that oversees the reviewed ICB
	ConflictSharedProviders     ConflictKind = "shared_providers"      // their system commissions the same trusts
	ConflictOther               ConflictKind = "other"
)

// ConflictKinds lists the kinds of conflict.
var ConflictKinds = []ConflictKind{ConflictSameRegionOversight, ConflictSharedProviders, ConflictOther}

// Valid reports whether k is a known kind.
func (k ConflictKind) Valid() bool { return slices.Contains(ConflictKinds, k) }

// Label is the plain-English name of the kind.
func (k ConflictKind) Label() string {
	switch k {
	case ConflictSameRegionOversight:
		return "Same region's oversight team"
	case ConflictSharedProviders:
		return "Shared providers"
	case ConflictOther:
		return "Other"
	}
	return string(k)
}

// ConflictDecision is what oversight decided about a conflict of interest.
type ConflictDecision string

const (
	ConflictUndecided ConflictDecision = ""         // not yet decided: the team cannot be settled
	ConflictManaged   ConflictDecision = "managed"  // the member stays, with the conflict managed as the note says
	ConflictExcluded  ConflictDecision = "excluded" // the member cannot serve on this review
)

// Valid reports whether d is a decision, undecided included.
func (d ConflictDecision) Valid() bool {
	return d == ConflictUndecided || d == ConflictManaged || d == ConflictExcluded
}

// Label is the plain-English name of the decision.
func (d ConflictDecision) Label() string {
	switch d {
	case ConflictUndecided:
		return "Not yet decided"
	case ConflictManaged:
		return "Managed"
	case ConflictExcluded:
		return "Excluded from the team"
	}
	return string(d)
}

// Conflict is a conflict of interest flagged on a team member: what it is,
// what was declared, and what oversight decided.
type Conflict struct {
	ID           int64            `json:"id"`
	Kind         ConflictKind     `json:"kind"`
	Declared     string           `json:"declared"`
	Decision     ConflictDecision `json:"decision"`
	DecisionNote string           `json:"decision_note"`
	DecidedBy    string           `json:"decided_by"` // email
	DecidedAt    *time.Time       `json:"decided_at"`
}

// Validate checks a conflict as flagged or decided.
func (c Conflict) Validate() error {
	var p Problems
	if !c.Kind.Valid() {
		p.Add("kind", "%q must be same_region_oversight, shared_providers or other", c.Kind)
	}
	if strings.TrimSpace(c.Declared) == "" {
		p.Add("declared", "say what the conflict is")
	}
	switch {
	case !c.Decision.Valid():
		p.Add("decision", "%q must be managed or excluded", c.Decision)
	case c.Decision == ConflictManaged && strings.TrimSpace(c.DecisionNote) == "":
		p.Add("decision_note", "say how the conflict is managed")
	}
	return p.Err("conflict of interest")
}

// TeamMember is one peer on a review team. UserID is set for members who
// sign in to Accord (those who record findings must); a lay peer may have
// no account.
type TeamMember struct {
	ID        int64      `json:"id"`
	UserID    int64      `json:"user_id,omitempty"`
	Name      string     `json:"name"`
	HomeOrg   string     `json:"home_organisation_code"` // the ICB (or other body) they come from
	Role      TeamRole   `json:"role"`
	Why       string     `json:"why"`
	ChosenFor ChosenFor  `json:"chosen_for"`
	Conflicts []Conflict `json:"conflicts"`
	AddedBy   string     `json:"added_by"` // email
	AddedAt   time.Time  `json:"added_at"`
}

// Validate checks a member on its own; whether the organisation and user
// exist, and that the home organisation is not the one reviewed, is the
// store's job.
func (m TeamMember) Validate() error {
	var p Problems
	if strings.TrimSpace(m.Name) == "" {
		p.Add("name", "is required")
	}
	if m.HomeOrg == "" {
		p.Add("home_organisation", "is required: the organisation the member comes from")
	}
	if !m.Role.Valid() {
		p.Add("role", "%q must be lead_reviewer, peer, clinical_peer or lay_peer", m.Role)
	}
	if m.Role == TeamLeadReviewer && m.UserID == 0 {
		p.Add("user", "the lead reviewer publishes the report, so must have an Accord account")
	}
	if !m.ChosenFor.Valid() {
		p.Add("chosen_for", "%q must be statistically_similar, most_improved or expertise", m.ChosenFor)
	}
	if strings.TrimSpace(m.Why) == "" {
		p.Add("why", "say why this peer was chosen")
	}
	for i, c := range m.Conflicts {
		if err := c.Validate(); err != nil {
			p.Add("conflicts", "conflict %d: %s", i+1, ErrorMessage(err))
		}
	}
	return p.Err("team member " + m.Name)
}

// Excluded reports whether a conflict decision keeps m off the team.
func (m TeamMember) Excluded() bool {
	return slices.ContainsFunc(m.Conflicts, func(c Conflict) bool { return c.Decision == ConflictExcluded })
}

// FindingRating is how a finding rates what the peers saw.
type FindingRating string

const (
	RatingStrength           FindingRating = "strength"
	RatingAreaForImprovement FindingRating = "area_for_improvement"
	RatingSeriousConcern     FindingRating = "serious_concern"
)

// FindingRatings lists the ratings, best first.
var FindingRatings = []FindingRating{RatingStrength, RatingAreaForImprovement, RatingSeriousConcern}

// Valid reports whether r is a known rating.
func (r FindingRating) Valid() bool { return slices.Contains(FindingRatings, r) }

// Label is the plain-English name of the rating.
func (r FindingRating) Label() string {
	switch r {
	case RatingStrength:
		return "Strength"
	case RatingAreaForImprovement:
		return "Area for improvement"
	case RatingSeriousConcern:
		return "Serious concern"
	}
	return string(r)
}

// Evidence is what a finding rests on: an indicator for an organisation, or
// a document. Either IndicatorID and OrgCode are set, or DocumentTitle and
// URL, or all four.
type Evidence struct {
	IndicatorID   string `json:"indicator_id,omitempty"`
	OrgCode       string `json:"organisation_code,omitempty"`
	DocumentTitle string `json:"document_title,omitempty"`
	URL           string `json:"url,omitempty"`
}

// problems adds to p what is wrong with e, the nth piece of evidence.
func (e Evidence) problems(p *Problems, n int) {
	indicator := e.IndicatorID != "" || e.OrgCode != ""
	document := e.DocumentTitle != "" || e.URL != ""
	switch {
	case !indicator && !document:
		p.Add("evidence", "evidence %d is empty: name an indicator and organisation, or a document and its address", n)
	case indicator && (e.IndicatorID == "" || e.OrgCode == ""):
		p.Add("evidence", "evidence %d: give both the indicator and the organisation it is for", n)
	}
	if document {
		if strings.TrimSpace(e.DocumentTitle) == "" {
			p.Add("evidence", "evidence %d: give the document's title", n)
		}
		if u, err := url.Parse(e.URL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			p.Add("evidence", "evidence %d: %q is not a web address like https://www.example.nhs.uk/report.pdf", n, e.URL)
		}
	}
}

// Finding is one thing the peers found, rated and tied to evidence, under a
// core theme or one of the review's focus areas (exactly one). Once the
// report is published a finding never changes; the reviewed system answers
// it with responses instead.
type Finding struct {
	ID             int64             `json:"id"`
	ReviewID       int64             `json:"review_id"`
	ThemeID        string            `json:"theme_id,omitempty"`      // a CoreThemes ID
	FocusAreaID    int64             `json:"focus_area_id,omitempty"` // one of the review's focus areas
	Rating         FindingRating     `json:"rating"`
	Text           string            `json:"text"`
	Recommendation string            `json:"recommendation"`
	Evidence       []Evidence        `json:"evidence"`
	Responses      []FindingResponse `json:"responses"`
	By             string            `json:"by"` // email
	ByName         string            `json:"by_name"`
	CreatedAt      time.Time         `json:"created_at"`
	UpdatedAt      time.Time         `json:"updated_at"`
}

// Validate checks a finding on its own; that its focus area belongs to the
// review and its indicators and organisations exist is the store's job.
func (f Finding) Validate() error {
	var p Problems
	switch {
	case f.ThemeID == "" && f.FocusAreaID == 0:
		p.Add("theme", "choose a core theme or one of the review's focus areas")
	case f.ThemeID != "" && f.FocusAreaID != 0:
		p.Add("theme", "a finding is under a core theme or a focus area, not both")
	case f.ThemeID != "":
		if _, ok := FindCoreTheme(f.ThemeID); !ok {
			p.Add("theme", "%q is not a core theme", f.ThemeID)
		}
	}
	if !f.Rating.Valid() {
		p.Add("rating", "%q must be strength, area_for_improvement or serious_concern", f.Rating)
	}
	if strings.TrimSpace(f.Text) == "" {
		p.Add("text", "say what the peers found")
	}
	if len(f.Evidence) == 0 {
		// A finding without evidence is an opinion; candour needs both.
		p.Add("evidence", "tie the finding to at least one indicator or document")
	}
	for i, e := range f.Evidence {
		e.problems(&p, i+1)
	}
	return p.Err("finding")
}

// FindingResponse is the reviewed system's answer to a finding. Responses
// are added, never edited, so the record shows what was said when.
type FindingResponse struct {
	ID        int64     `json:"id"`
	FindingID int64     `json:"finding_id"`
	Text      string    `json:"text"`
	By        string    `json:"by"` // email
	ByName    string    `json:"by_name"`
	At        time.Time `json:"at"`
}

// Validate checks a response on its own.
func (r FindingResponse) Validate() error {
	var p Problems
	if strings.TrimSpace(r.Text) == "" {
		p.Add("text", "say how the system responds to the finding")
	}
	return p.Err("response to finding")
}

// Report is the team's report: its summary, and when it was published. The
// findings are the review's.
type Report struct {
	Summary     string `json:"summary"`
	PublishedAt Date   `json:"published_at"` // zero until published
	PublishedBy string `json:"published_by"` // email
}

// ActionStatus is where an action of the plan has got.
type ActionStatus string

const (
	ActionPlanned    ActionStatus = "planned"
	ActionInProgress ActionStatus = "in_progress"
	ActionDone       ActionStatus = "done"
	ActionDropped    ActionStatus = "dropped"
)

// ActionStatuses lists the statuses in order.
var ActionStatuses = []ActionStatus{ActionPlanned, ActionInProgress, ActionDone, ActionDropped}

// Valid reports whether s is a known status.
func (s ActionStatus) Valid() bool { return slices.Contains(ActionStatuses, s) }

// Label is the plain-English name of the status.
func (s ActionStatus) Label() string {
	switch s {
	case ActionPlanned:
		return "Planned"
	case ActionInProgress:
		return "In progress"
	case ActionDone:
		return "Done"
	case ActionDropped:
		return "Dropped"
	}
	return string(s)
}

// ReviewAction is one action of the reviewed system's plan: who does what by
// when, and which targets or indicators it should move, so that the
// progress review measures it rather than takes it on trust.
type ReviewAction struct {
	ID           int64        `json:"id"`
	ReviewID     int64        `json:"review_id"`
	Title        string       `json:"title"`
	OwnerName    string       `json:"owner_name"`
	OwnerOrg     string       `json:"owner_organisation_code"`
	Due          Date         `json:"due"`
	Status       ActionStatus `json:"status"`
	FindingIDs   []int64      `json:"finding_ids"` // the findings it answers
	TargetIDs    []int64      `json:"target_ids"`
	IndicatorIDs []string     `json:"indicator_ids"`
	Notes        []ActionNote `json:"notes"`
	CreatedAt    time.Time    `json:"created_at"`
	UpdatedAt    time.Time    `json:"updated_at"`
}

// Validate checks an action on its own; that its findings, targets and
// indicators exist is the store's job.
func (a ReviewAction) Validate() error {
	var p Problems
	if strings.TrimSpace(a.Title) == "" {
		p.Add("title", "say what will be done")
	}
	if strings.TrimSpace(a.OwnerName) == "" {
		p.Add("owner_name", "is required: who answers for the action")
	}
	if a.OwnerOrg == "" {
		p.Add("owner_organisation", "is required")
	}
	if a.Due.IsZero() {
		p.Add("due", "is required")
	}
	if !a.Status.Valid() {
		p.Add("status", "%q must be planned, in_progress, done or dropped", a.Status)
	}
	if len(a.TargetIDs) == 0 && len(a.IndicatorIDs) == 0 {
		p.Add("targets", "name at least one target or indicator the action should move")
	}
	for _, dup := range duplicates(a.TargetIDs) {
		p.Add("targets", "target %d is named twice", dup)
	}
	for _, dup := range duplicates(a.IndicatorIDs) {
		p.Add("indicators", "indicator %s is named twice", dup)
	}
	for _, dup := range duplicates(a.FindingIDs) {
		p.Add("findings", "finding %d is named twice", dup)
	}
	return p.Err("action " + strings.TrimSpace(a.Title))
}

// duplicates returns the values that occur more than once in vs, once each.
func duplicates[T comparable](vs []T) []T {
	seen := make(map[T]int, len(vs))
	var out []T
	for _, v := range vs {
		seen[v]++
		if seen[v] == 2 {
			out = append(out, v)
		}
	}
	return out
}

// ActionNote is a note of progress on an action, with the status it left
// the action in.
type ActionNote struct {
	ID       int64        `json:"id"`
	ActionID int64        `json:"action_id"`
	Text     string       `json:"text"`
	Status   ActionStatus `json:"status"`
	By       string       `json:"by"` // email
	ByName   string       `json:"by_name"`
	At       time.Time    `json:"at"`
}

// AssessmentRating is the progress review's judgement of one action.
type AssessmentRating string

const (
	AssessAchieved AssessmentRating = "achieved"
	AssessOnTrack  AssessmentRating = "on_track"
	AssessOffTrack AssessmentRating = "off_track"
)

// AssessmentRatings lists the ratings, best first.
var AssessmentRatings = []AssessmentRating{AssessAchieved, AssessOnTrack, AssessOffTrack}

// Valid reports whether r is a known rating.
func (r AssessmentRating) Valid() bool { return slices.Contains(AssessmentRatings, r) }

// Label is the plain-English name of the rating.
func (r AssessmentRating) Label() string {
	switch r {
	case AssessAchieved:
		return "Achieved"
	case AssessOnTrack:
		return "On track"
	case AssessOffTrack:
		return "Off track"
	}
	return string(r)
}

// ActionAssessment is the progress review's judgement of one action.
type ActionAssessment struct {
	ActionID int64            `json:"action_id"`
	Rating   AssessmentRating `json:"rating"`
	Comment  string           `json:"comment"`
}

// ProgressReview is the peers' return visit: when it was held, what they
// concluded, and how each action of the plan has gone.
type ProgressReview struct {
	Date        Date               `json:"date"`
	Summary     string             `json:"summary"`
	Assessments []ActionAssessment `json:"assessments"`
	By          string             `json:"by"` // email
	RecordedAt  time.Time          `json:"recorded_at"`
}

// Validate checks a progress review on its own; that it assesses every
// action of the plan is the store's job.
func (pr ProgressReview) Validate() error {
	var p Problems
	if pr.Date.IsZero() {
		p.Add("date", "is required: when the progress review was held")
	}
	if strings.TrimSpace(pr.Summary) == "" {
		p.Add("summary", "say what the progress review concluded")
	}
	seen := map[int64]bool{}
	for i, a := range pr.Assessments {
		if a.ActionID == 0 {
			p.Add("assessments", "assessment %d names no action", i+1)
		} else if seen[a.ActionID] {
			p.Add("assessments", "action %d is assessed twice", a.ActionID)
		}
		seen[a.ActionID] = true
		if !a.Rating.Valid() {
			p.Add("assessments", "assessment %d: %q must be achieved, on_track or off_track", i+1, a.Rating)
		}
	}
	return p.Err("progress review")
}

// PeerReviewState is where a review is as a whole, for lists and filters.
type PeerReviewState string

const (
	PeerReviewOpen      PeerReviewState = "open"      // before the report is published
	PeerReviewPublished PeerReviewState = "published" // report out; follow-up under way
	PeerReviewClosed    PeerReviewState = "closed"    // progress review done
)

// PeerReviewStates lists the states in order.
var PeerReviewStates = []PeerReviewState{PeerReviewOpen, PeerReviewPublished, PeerReviewClosed}

// Valid reports whether s is a known state.
func (s PeerReviewState) Valid() bool { return slices.Contains(PeerReviewStates, s) }

// PeerReview is one review of one ICB (OrgCode) by its peers. RegionCode is
// the NHS England region overseeing the ICB when it asked, whose oversight
// team forms the review team.
type PeerReview struct {
	ID                int64           `json:"id"`
	OrgCode           string          `json:"organisation_code"`
	RegionCode        string          `json:"region_code"`
	FocusAreas        []FocusArea     `json:"focus_areas"`
	OnSiteStart       Date            `json:"on_site_start"`
	OnSiteEnd         Date            `json:"on_site_end"`
	Stages            []Stage         `json:"stages"`
	Team              []TeamMember    `json:"team"`
	PositionStatement string          `json:"position_statement"`
	Findings          []Finding       `json:"findings"`
	Report            Report          `json:"report"`
	Actions           []ReviewAction  `json:"actions"`
	Progress          *ProgressReview `json:"progress_review"` // nil until held
	RequestedBy       string          `json:"requested_by"`    // email
	CreatedAt         time.Time       `json:"created_at"`
	UpdatedAt         time.Time       `json:"updated_at"`
}

// Scope returns the review's scope as set.
func (r PeerReview) Scope() ReviewScope {
	return ReviewScope{FocusAreas: r.FocusAreas, OnSiteStart: r.OnSiteStart, OnSiteEnd: r.OnSiteEnd}
}

// Published reports whether the team's report is published.
func (r PeerReview) Published() bool { return !r.Report.PublishedAt.IsZero() }

// State is where the review is as a whole.
func (r PeerReview) State() PeerReviewState {
	if s, ok := r.Stage(StageProgressReview); ok && s.State == StageDone {
		return PeerReviewClosed
	}
	if r.Published() {
		return PeerReviewPublished
	}
	return PeerReviewOpen
}

// Stage returns the named stage of the review.
func (r PeerReview) Stage(name StageName) (Stage, bool) {
	for _, s := range r.Stages {
		if s.Name == name {
			return s, true
		}
	}
	return Stage{}, false
}

// CurrentStage returns the first stage not yet done; false once all are.
func (r PeerReview) CurrentStage() (Stage, bool) {
	for _, s := range r.Stages {
		if s.State != StageDone {
			return s, true
		}
	}
	return Stage{}, false
}

// Overdue returns the stages not done and past due by today, in order, for
// the national view of the programme.
func (r PeerReview) Overdue(today Date) []Stage {
	var out []Stage
	for _, s := range r.Stages {
		if s.Overdue(today) {
			out = append(out, s)
		}
	}
	return out
}

// Lead returns the team's lead reviewer.
func (r PeerReview) Lead() (TeamMember, bool) {
	for _, m := range r.Team {
		if m.Role == TeamLeadReviewer {
			return m, true
		}
	}
	return TeamMember{}, false
}

// Member returns the team member who is the user userID.
func (r PeerReview) Member(userID int64) (TeamMember, bool) {
	if userID == 0 {
		return TeamMember{}, false
	}
	for _, m := range r.Team {
		if m.UserID == userID {
			return m, true
		}
	}
	return TeamMember{}, false
}

// Finding returns the review's finding with id.
func (r PeerReview) Finding(id int64) (Finding, bool) {
	for _, f := range r.Findings {
		if f.ID == id {
			return f, true
		}
	}
	return Finding{}, false
}

// Action returns the review's action with id.
func (r PeerReview) Action(id int64) (ReviewAction, bool) {
	for _, a := range r.Actions {
		if a.ID == id {
			return a, true
		}
	}
	return ReviewAction{}, false
}

// FocusArea returns the review's focus area with id.
func (r PeerReview) FocusArea(id int64) (FocusArea, bool) {
	for _, f := range r.FocusAreas {
		if f.ID == id {
			return f, true
		}
	}
	return FocusArea{}, false
}

// IndicatorIDs lists the indicators of the focus areas, each once, in the
// order the focus areas name them: what the data pack and the progress
// review show.
func (r PeerReview) IndicatorIDs() []string {
	var out []string
	for _, f := range r.FocusAreas {
		for _, id := range f.IndicatorIDs {
			if !slices.Contains(out, id) {
				out = append(out, id)
			}
		}
	}
	return out
}

// StageOwner says who owns the named stage of r: the reviewed ICB's lead
// for the system's own steps, the overseeing region (or, without one,
// national oversight) for forming the team, and the lead reviewer's home
// organisation for the team's steps ("" until a lead is appointed).
func (r PeerReview) StageOwner(name StageName) (Role, string) {
	switch name {
	case StageRequestAndScope, StagePositionStatement, StageResponseAndActionPlan:
		return RoleICBLead, r.OrgCode
	case StageTeamFormation:
		if r.RegionCode != "" {
			return RoleRegionalOversight, r.RegionCode
		}
		return RoleNationalOversight, EnglandCode
	case StageReview, StageReport, StageProgressReview:
		lead, _ := r.Lead()
		return RolePeerReviewer, lead.HomeOrg
	}
	return "", ""
}

// WithOwners returns r with each stage's owner filled in from StageOwner.
// The stages share no memory with r's.
func (r PeerReview) WithOwners() PeerReview {
	r.Stages = slices.Clone(r.Stages)
	for i := range r.Stages {
		r.Stages[i].OwnerRole, r.Stages[i].OwnerOrg = r.StageOwner(r.Stages[i].Name)
	}
	return r
}

// Planning intervals, from the LGA's corporate peer challenge: scoping
// some three months ahead, the team settled two months ahead, the position
// statement a fortnight before the peers arrive, the report within two
// months of their leaving and the action plan two months after that.
const (
	scopeLead     = 12 * 7 // days before the first day on site
	teamLead      = 8 * 7
	statementLead = 2 * 7
	reportLag     = 8 * 7 // days after the last day on site
	actionPlanLag = 16 * 7
	// progressLagMonths is the LGA's "about ten months" after the review.
	progressLagMonths = 10
)

// ProgressReviewDue is when the progress review of a review whose peers
// left on onSiteEnd falls due: ten months on.
func ProgressReviewDue(onSiteEnd Date) Date {
	if onSiteEnd.IsZero() {
		return Date{}
	}
	return Date{onSiteEnd.AddDate(0, progressLagMonths, 0)}
}

// StageDue is when the named stage falls due for a review on site from
// start to end.
func StageDue(name StageName, start, end Date) Date {
	if start.IsZero() || end.IsZero() {
		return Date{}
	}
	switch name {
	case StageRequestAndScope:
		return Date{start.AddDate(0, 0, -scopeLead)}
	case StageTeamFormation:
		return Date{start.AddDate(0, 0, -teamLead)}
	case StagePositionStatement:
		return Date{start.AddDate(0, 0, -statementLead)}
	case StageReview:
		return end
	case StageReport:
		return Date{end.AddDate(0, 0, reportLag)}
	case StageResponseAndActionPlan:
		return Date{end.AddDate(0, 0, actionPlanLag)}
	case StageProgressReview:
		return ProgressReviewDue(end)
	}
	return Date{}
}

// PlanStages returns the stages of a review on site from start to end, all
// not started, with their due dates.
func PlanStages(start, end Date) []Stage {
	out := make([]Stage, len(StageNames))
	for i, n := range StageNames {
		out[i] = Stage{Name: n, State: StageNotStarted, Due: StageDue(n, start, end)}
	}
	return out
}

// CheckStageMove says whether the named stage of r may move to state to on
// the day on: nil if so; EINVALID for an unknown stage or state, a move
// backwards, or a day before the stage before was done; ECONFLICT when the
// review is not ready (the stage before is not done, or what the stage
// must produce is missing). The report stage is
// done by publishing the report and the progress review stage by recording
// it, so moving those to done directly is refused unless that has happened.
func (r PeerReview) CheckStageMove(name StageName, to StageState, on Date) error {
	if !name.Valid() {
		return Errorf(EINVALID, "%q is not a stage of a peer review", name)
	}
	if !to.Valid() {
		return Errorf(EINVALID, "%q must be not_started, in_progress or done", to)
	}
	cur, ok := r.Stage(name)
	if !ok {
		return Errorf(EINVALID, "peer review %d has no stage %s", r.ID, name)
	}
	if slices.Index(StageStates, to) <= slices.Index(StageStates, cur.State) {
		return Errorf(EINVALID, "the %s stage of peer review %d is %s: a stage only moves forward", name.Label(), r.ID, cur.State)
	}
	if to != StageDone {
		return nil
	}
	i := slices.Index(StageNames, name)
	if i > 0 {
		prev, _ := r.Stage(StageNames[i-1])
		if prev.State != StageDone {
			return Errorf(ECONFLICT, "the %s stage of peer review %d cannot be done before the %s stage is", name.Label(), r.ID, prev.Name.Label())
		}
		if !on.IsZero() && on.Before(prev.Completed.Time) {
			return Errorf(EINVALID, "the %s stage cannot be done on %s, before the %s stage was done (%s)", name.Label(), on, prev.Name.Label(), prev.Completed)
		}
	}
	if why := r.notReady(name); why != "" {
		return Errorf(ECONFLICT, "the %s stage of peer review %d cannot be done: %s", name.Label(), r.ID, why)
	}
	return nil
}

// notReady says what the named stage still lacks before it can be done, or "".
func (r PeerReview) notReady(name StageName) string {
	switch name {
	case StageRequestAndScope:
		if err := r.Scope().Validate(); err != nil {
			return "the scope is not complete (" + ErrorMessage(err) + ")"
		}
	case StageTeamFormation:
		return r.teamNotReady()
	case StagePositionStatement:
		if strings.TrimSpace(r.PositionStatement) == "" {
			return "the position statement is not written"
		}
	case StageReport:
		if !r.Published() {
			return "publish the report to finish it"
		}
	case StageResponseAndActionPlan:
		if len(r.Actions) == 0 {
			return "the action plan has no actions"
		}
		for _, f := range r.Findings {
			if f.Rating == RatingSeriousConcern && len(f.Responses) == 0 {
				return "every serious concern needs a response, and finding " + strconv.FormatInt(f.ID, 10) + " has none"
			}
		}
	case StageProgressReview:
		if r.Progress == nil {
			return "record the progress review to finish it"
		}
	}
	return ""
}

// teamNotReady says why the team cannot be settled, or "".
func (r PeerReview) teamNotReady() string {
	leads := 0
	for _, m := range r.Team {
		if m.Role == TeamLeadReviewer {
			leads++
		}
		for _, c := range m.Conflicts {
			switch c.Decision {
			case ConflictUndecided:
				return "the conflict of interest of " + m.Name + " (" + c.Kind.Label() + ") is not yet decided"
			case ConflictExcluded:
				return m.Name + " is excluded by a conflict of interest and must leave the team"
			}
		}
	}
	switch {
	case leads == 0:
		return "the team has no lead reviewer"
	case leads > 1:
		return "the team has more than one lead reviewer"
	case len(r.Team) < 2:
		return "a team needs at least one peer besides the lead reviewer"
	}
	return ""
}

// PeerReviewFilter selects peer reviews. Zero fields do not filter.
type PeerReviewFilter struct {
	OrgCode string
	State   PeerReviewState
	Stage   StageName // the current stage: the first not yet done
	// OverdueOn keeps the reviews with a stage not done and due before it.
	OverdueOn Date
	// Visible keeps only what a viewer may see (see PeerReviewVisibility);
	// nil keeps everything, for callers that check access themselves.
	Visible *PeerReviewVisibility
	Offset  int
	Limit   int
}

// PeerReviewStore keeps peer reviews and every record of their stages.
// Every write records by in the audit log (subject "peer_review/ID") in the
// same transaction as the change. Who may act is decided by
// AuthorizePeerReview before the call; the store keeps the order of the
// stages and what each needs (ECONFLICT when the review is not ready for a
// step or is past it). Each write that belongs to a stage starts it, if it
// has not started. Methods taking a review ID and the ID of one of its
// records answer ENOTFOUND when the record is not the review's.
type PeerReviewStore interface {
	// RequestPeerReview stores a new review of r.OrgCode (an ICB) with its
	// scope, sets its ID, RegionCode, stages (request and scope in
	// progress), focus area IDs and timestamps.
	RequestPeerReview(ctx context.Context, r *PeerReview, by Actor) error
	// ScopePeerReview replaces the focus areas and days on site, and moves
	// the due dates of stages not done to match; refused once the request
	// and scope stage is done.
	ScopePeerReview(ctx context.Context, id int64, s ReviewScope, by Actor) (PeerReview, error)
	// AddTeamMember adds m (with any conflicts flagged) to the team, setting
	// its ID, AddedBy, AddedAt and its conflicts' IDs; refused once the team
	// formation stage is done.
	AddTeamMember(ctx context.Context, reviewID int64, m *TeamMember, by Actor) error
	// RemoveTeamMember takes a member off the team, saying why; refused once
	// the team formation stage is done.
	RemoveTeamMember(ctx context.Context, reviewID, memberID int64, by Actor, reason string) error
	// FlagConflict flags a conflict of interest on a member, setting its ID.
	FlagConflict(ctx context.Context, reviewID, memberID int64, c *Conflict, by Actor) error
	// DecideConflict records oversight's decision on a conflict.
	DecideConflict(ctx context.Context, reviewID, conflictID int64, d ConflictDecision, note string, by Actor) error
	// WritePositionStatement replaces the position statement; refused once
	// its stage is done.
	WritePositionStatement(ctx context.Context, reviewID int64, text string, by Actor) (PeerReview, error)
	// RecordFinding adds f to the review, setting ID, ReviewID, By, ByName
	// and timestamps; refused before the team is formed and once the report
	// is published.
	RecordFinding(ctx context.Context, reviewID int64, f *Finding, by Actor) error
	// UpdateFinding replaces a finding's theme, rating, text,
	// recommendation and evidence; ECONFLICT once the report is published.
	UpdateFinding(ctx context.Context, reviewID int64, f Finding, by Actor) (Finding, error)
	// DeleteFinding removes a draft finding; ECONFLICT once published.
	DeleteFinding(ctx context.Context, reviewID, findingID int64, by Actor, reason string) error
	// SaveReportSummary replaces the draft report's summary; refused once
	// published.
	SaveReportSummary(ctx context.Context, reviewID int64, summary string, by Actor) (PeerReview, error)
	// PublishReport publishes the report on the day on (zero: today),
	// which finishes the report stage: refused before the review stage is
	// done, without a summary, or without at least one finding.
	PublishReport(ctx context.Context, reviewID int64, on Date, by Actor) (PeerReview, error)
	// RespondToFinding adds the reviewed system's response to a finding of
	// a published report, setting its ID, FindingID, By, ByName and At.
	RespondToFinding(ctx context.Context, reviewID, findingID int64, resp *FindingResponse, by Actor) error
	// SaveAction adds a (ID 0) or replaces an action of the plan, setting
	// its ID, ReviewID and timestamps; refused before the report is
	// published and once the response and action plan stage is done.
	SaveAction(ctx context.Context, reviewID int64, a *ReviewAction, by Actor) error
	// UpdateActionProgress sets an action's status with a note of progress,
	// at any time after the report is published and before the progress
	// review is done.
	UpdateActionProgress(ctx context.Context, reviewID, actionID int64, status ActionStatus, note string, by Actor) (ReviewAction, error)
	// RecordProgressReview records the progress review, which must assess
	// every action of the plan, and finishes its stage: refused before the
	// response and action plan stage is done.
	RecordProgressReview(ctx context.Context, reviewID int64, pr *ProgressReview, by Actor) error
	// MoveStage moves a stage forward (CheckStageMove) on the day on (zero:
	// today; never later than today), and returns the review as stored.
	MoveStage(ctx context.Context, reviewID int64, name StageName, to StageState, on Date, by Actor) (PeerReview, error)
	// FindPeerReview returns the review with everything it holds, or
	// ENOTFOUND. Callers show it through PeerReviewAsSeenBy.
	FindPeerReview(ctx context.Context, id int64) (PeerReview, error)
	// FindPeerReviews returns the reviews f selects, newest first, each with
	// everything it holds, and how many there are in all.
	FindPeerReviews(ctx context.Context, f PeerReviewFilter) ([]PeerReview, int, error)
}
