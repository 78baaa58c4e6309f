package accord

import (
	"context"
	"slices"
	"strings"
	"time"
)

// SPCVerdict is what a statistical process control chart says about an
// indicator over a period: a real change for the better or worse, or
// noise. The names are those of stats/spc, stored as they were when a note
// was written, so a note keeps the evidence it was written on even after
// the series is revised.
type SPCVerdict string

const (
	VerdictImprovement   SPCVerdict = "special_cause_improvement"
	VerdictConcern       SPCVerdict = "special_cause_concern"
	VerdictCommonCause   SPCVerdict = "common_cause"
	VerdictNotEnoughData SPCVerdict = "not_enough_data"
)

// SPCVerdicts lists the verdicts, a real improvement first.
var SPCVerdicts = []SPCVerdict{VerdictImprovement, VerdictConcern, VerdictCommonCause, VerdictNotEnoughData}

// Valid reports whether v is a known verdict.
func (v SPCVerdict) Valid() bool { return slices.Contains(SPCVerdicts, v) }

// Label is the plain-English verdict.
func (v SPCVerdict) Label() string {
	switch v {
	case VerdictImprovement:
		return "Special cause improvement"
	case VerdictConcern:
		return "Special cause concern"
	case VerdictCommonCause:
		return "Common cause (no real change)"
	case VerdictNotEnoughData:
		return "Not enough data"
	}
	return string(v)
}

// PracticeEvidence links a note to an indicator for an organisation over
// the periods the change was tried in, with the SPC verdict the web layer
// worked out when the note was written.
type PracticeEvidence struct {
	IndicatorID string     `json:"indicator_id"`
	OrgCode     string     `json:"organisation_code"`
	From        Period     `json:"from"`
	To          Period     `json:"to"`
	Verdict     SPCVerdict `json:"verdict"`
}

// problems adds to p what is wrong with e, the nth piece of evidence.
func (e PracticeEvidence) problems(p *Problems, n int) {
	if e.IndicatorID == "" {
		p.Add("evidence", "evidence %d names no indicator", n)
	}
	if e.OrgCode == "" {
		p.Add("evidence", "evidence %d names no organisation", n)
	}
	if e.From.IsZero() || e.To.IsZero() {
		p.Add("evidence", "evidence %d needs the periods it runs from and to", n)
	} else if e.From.Compare(e.To) > 0 {
		p.Add("evidence", "evidence %d runs from %s to %s: the first period is after the last", n, e.From, e.To)
	}
	if !e.Verdict.Valid() {
		p.Add("evidence", "evidence %d: %q is not an SPC verdict", n, e.Verdict)
	}
}

// TriedElsewhere records that another organisation tried what a note
// describes, and what came of it: a note that travels is worth more than
// one that does not.
type TriedElsewhere struct {
	ID      int64      `json:"id"`
	NoteID  int64      `json:"note_id"`
	OrgCode string     `json:"organisation_code"`
	By      string     `json:"by"` // who tried it, by name
	When    Date       `json:"when"`
	Result  string     `json:"result"`
	Verdict SPCVerdict `json:"verdict"`
	// RecordedBy is the email of whoever wrote the record.
	RecordedBy string    `json:"recorded_by"`
	At         time.Time `json:"at"`
}

// Validate checks a record on its own; that the organisation exists and is
// not the note's own is the store's job.
func (te TriedElsewhere) Validate() error {
	var p Problems
	if te.OrgCode == "" {
		p.Add("organisation", "is required: who tried it")
	}
	if strings.TrimSpace(te.By) == "" {
		p.Add("by", "say who tried it")
	}
	if te.When.IsZero() {
		p.Add("when", "is required")
	}
	if strings.TrimSpace(te.Result) == "" {
		p.Add("result", "say what happened")
	}
	if !te.Verdict.Valid() {
		p.Add("verdict", "%q is not an SPC verdict", te.Verdict)
	}
	return p.Err("tried elsewhere")
}

// PracticeNote is what one organisation learnt trying to improve: the
// problem, what it tried, what happened, and the indicators that show
// whether it was a real change.
type PracticeNote struct {
	ID             int64              `json:"id"`
	OrgCode        string             `json:"organisation_code"`
	Author         string             `json:"author"` // email
	AuthorName     string             `json:"author_name"`
	Title          string             `json:"title"`
	Topics         []string           `json:"topics"` // lower case, each once
	Problem        string             `json:"problem"`
	Tried          string             `json:"tried"`
	Happened       string             `json:"happened"`
	Evidence       []PracticeEvidence `json:"evidence"`
	TriedElsewhere []TriedElsewhere   `json:"tried_elsewhere"`
	Version        int                `json:"version"`
	CreatedAt      time.Time          `json:"created_at"`
	UpdatedAt      time.Time          `json:"updated_at"`
}

// NormalTopic is a topic as notes store and match it: trimmed, lower case,
// inner spaces single.
func NormalTopic(s string) string {
	return strings.Join(strings.Fields(strings.ToLower(s)), " ")
}

// Validate checks a note on its own; that its organisation and indicators
// exist is the store's job. Topics are checked as NormalTopic leaves them.
func (n PracticeNote) Validate() error {
	var p Problems
	if n.OrgCode == "" {
		p.Add("organisation", "is required")
	}
	if strings.TrimSpace(n.Title) == "" {
		p.Add("title", "is required")
	}
	if strings.TrimSpace(n.Problem) == "" {
		p.Add("problem", "say what problem you set out to solve")
	}
	if strings.TrimSpace(n.Tried) == "" {
		p.Add("tried", "say what you tried")
	}
	if strings.TrimSpace(n.Happened) == "" {
		p.Add("happened", "say what happened")
	}
	seen := map[string]bool{}
	for i, t := range n.Topics {
		t = NormalTopic(t)
		switch {
		case t == "":
			p.Add("topics", "topic %d is empty", i+1)
		case seen[t]:
			p.Add("topics", "topic %q is given twice", t)
		case len(t) > 60:
			p.Add("topics", "topic %d is %d characters; keep a topic to a few words", i+1, len(t))
		}
		seen[t] = true
	}
	for i, e := range n.Evidence {
		e.problems(&p, i+1)
	}
	return p.Err("practice note " + strings.TrimSpace(n.Title))
}

// PracticeNoteFilter selects practice notes. Zero fields do not filter.
type PracticeNoteFilter struct {
	IndicatorID string // notes with evidence on this indicator
	OrgCode     string // notes written by this organisation
	Topic       string // notes with this topic (NormalTopic applies)
	// Q keeps notes whose title, problem, what was tried, what happened or
	// topics contain it, ignoring case.
	Q      string
	Offset int
	Limit  int
}

// PracticeStore keeps the learning exchange. Every write records by in the
// audit log (subject "practice_note/ID") in the same transaction. Who may
// write is decided by AuthorizePractice before the call.
type PracticeStore interface {
	// CreatePracticeNote stores n as written by by, setting its ID, Author,
	// AuthorName, Version 1, timestamps and normal topics.
	CreatePracticeNote(ctx context.Context, n *PracticeNote, by Actor) error
	// UpdatePracticeNote replaces the note's text, topics and evidence and
	// returns it as stored; n.Version must be the stored version (else
	// ECONFLICT) and its organisation cannot change.
	UpdatePracticeNote(ctx context.Context, n PracticeNote, by Actor) (PracticeNote, error)
	// DeletePracticeNote removes a note and its tried-elsewhere records.
	DeletePracticeNote(ctx context.Context, id int64, by Actor, reason string) error
	// FindPracticeNote returns the note with its evidence and tried-elsewhere
	// records, or ENOTFOUND.
	FindPracticeNote(ctx context.Context, id int64) (PracticeNote, error)
	// FindPracticeNotes returns the notes f selects, most recently updated
	// first, and how many there are in all.
	FindPracticeNotes(ctx context.Context, f PracticeNoteFilter) ([]PracticeNote, int, error)
	// AddTriedElsewhere records that te.OrgCode tried the note, setting its
	// ID, NoteID, RecordedBy and At.
	AddTriedElsewhere(ctx context.Context, noteID int64, te *TriedElsewhere, by Actor) error
}
