package store

import (
	"context"
	"fmt"
	"testing"

	accord "github.com/nhs-accord/accord"
)

func TestPractice(t *testing.T) {
	cases := []struct {
		name string
		run  func(t *testing.T, open factory)
	}{
		{"Lifecycle", testPracticeLifecycle},
		{"Checks", testPracticeChecks},
		{"Find", testPracticeFind},
		{"TriedElsewhere", testPracticeTriedElsewhere},
	}
	forEachEngine(t, func(t *testing.T, open factory) {
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				t.Parallel()
				c.run(t, open)
			})
		}
	})
}

func fixtureNote(org string) accord.PracticeNote {
	return accord.PracticeNote{
		OrgCode: org, Title: "Weekend theatre lists", Topics: []string{" Elective  Recovery", "Theatres"},
		Problem:  "Long waits for hip and knee replacements",
		Tried:    "Saturday lists staffed by volunteers paid at overtime rates",
		Happened: "Waits over 18 weeks fell by a fifth in six months",
		Evidence: []accord.PracticeEvidence{{IndicatorID: "rtt_18w", OrgCode: org, From: accord.MustParsePeriod("2025-04"),
			To: accord.MustParsePeriod("2026-03"), Verdict: accord.VerdictImprovement}},
	}
}

func mustNote(t *testing.T, db *DB, n accord.PracticeNote) accord.PracticeNote {
	t.Helper()
	if err := db.CreatePracticeNote(context.Background(), &n, leadOf(n.OrgCode)); err != nil {
		t.Fatalf("create note %q: %v", n.Title, err)
	}
	return n
}

func noteAudit(t *testing.T, db *DB, id int64) []string {
	t.Helper()
	es, _, err := db.FindAudit(context.Background(), accord.AuditFilter{Subject: fmt.Sprintf("practice_note/%d", id)})
	if err != nil {
		t.Fatal(err)
	}
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.Action
	}
	return out
}

func testPracticeLifecycle(t *testing.T, open factory) {
	ctx := context.Background()
	db := seeded(t, open)
	lead := leadOf("QHG")
	n := mustNote(t, db, fixtureNote("QHG"))
	if n.ID == 0 || n.Version != 1 || n.Author != lead.Email || n.AuthorName != lead.Name || n.CreatedAt.IsZero() {
		t.Fatalf("created: %+v", n)
	}
	equal(t, "topics", n.Topics, []string{"elective recovery", "theatres"})

	got, err := db.FindPracticeNote(ctx, n.ID)
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "read back", got, n)

	// An edit is the next version; one from a stale page is refused.
	edit := got
	edit.Happened = "Waits over 18 weeks fell by a quarter in nine months"
	edit.Topics = []string{"elective recovery"}
	edit.Evidence[0].Verdict = accord.VerdictCommonCause
	edited, err := db.UpdatePracticeNote(ctx, edit, lead)
	if err != nil {
		t.Fatal(err)
	}
	if edited.Version != 2 || edited.Happened != edit.Happened || len(edited.Topics) != 1 || edited.Evidence[0].Verdict != accord.VerdictCommonCause {
		t.Errorf("edited: %+v", edited)
	}
	got, err = db.FindPracticeNote(ctx, n.ID)
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "edit read back", got, edited)
	_, err = db.UpdatePracticeNote(ctx, edit, lead)
	wantError(t, err, accord.ECONFLICT, "you edited version 1; it is now version 2")
	same, err := db.UpdatePracticeNote(ctx, edited, lead)
	if err != nil || same.Version != 2 {
		t.Errorf("an edit changing nothing: version %d, %v", same.Version, err)
	}
	moved := edited
	moved.OrgCode = "QUE"
	_, err = db.UpdatePracticeNote(ctx, moved, lead)
	wantError(t, err, accord.EINVALID, "stays with its organisation (QHG)")

	if err := db.DeletePracticeNote(ctx, n.ID, lead, "written twice"); err != nil {
		t.Fatal(err)
	}
	_, err = db.FindPracticeNote(ctx, n.ID)
	wantError(t, err, accord.ENOTFOUND, fmt.Sprintf("practice note %d not found", n.ID))
	wantError(t, db.DeletePracticeNote(ctx, n.ID, lead, ""), accord.ENOTFOUND)
	equal(t, "audit", noteAudit(t, db, n.ID), []string{"practice_note.create", "practice_note.update", "practice_note.delete"})
	if c := verify(t, db); !c.OK {
		t.Errorf("audit chain: %+v", c)
	}
}

func testPracticeChecks(t *testing.T, open factory) {
	ctx := context.Background()
	db := seeded(t, open)
	bad := fixtureNote("QHG")
	bad.Evidence[0].IndicatorID, bad.Evidence[0].OrgCode = "smoking", "QZZ"
	wantError(t, db.CreatePracticeNote(ctx, &bad, leadOf("QHG")), accord.EINVALID,
		`"smoking" is not in the indicator catalogue`, `organisation "QZZ" is not known`)
	unknown := fixtureNote("QXX")
	unknown.Evidence = nil
	wantError(t, db.CreatePracticeNote(ctx, &unknown, leadOf("QXX")), accord.EINVALID, `organisation "QXX" is not known`)
	blank := accord.PracticeNote{OrgCode: "QHG"}
	wantError(t, db.CreatePracticeNote(ctx, &blank, leadOf("QHG")), accord.EINVALID, "title", "problem", "tried", "happened")
	if bad.ID != 0 || noteTotal(t, db) != 0 || auditCount(t, db) != 0 {
		t.Errorf("refused notes left %d notes and %d audit entries", noteTotal(t, db), auditCount(t, db))
	}
}

func noteTotal(t *testing.T, db *DB) int {
	t.Helper()
	_, total, err := db.FindPracticeNotes(context.Background(), accord.PracticeNoteFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return total
}

func testPracticeFind(t *testing.T, open factory) {
	ctx := context.Background()
	db := seeded(t, open)
	theatres := mustNote(t, db, fixtureNote("QHG"))
	frailty := fixtureNote("QUE")
	frailty.Title, frailty.Topics = "Frailty at the front door", []string{"urgent care", "frailty"}
	frailty.Problem, frailty.Tried, frailty.Happened = "Older people waiting 12 hours in A&E", "A frailty team at triage",
		"100% of frail patients seen by a geriatrician within 1 hour"
	frailty.Evidence = []accord.PracticeEvidence{{IndicatorID: "ae_4h", OrgCode: "RGT", From: accord.MustParsePeriod("2025-04"),
		To: accord.MustParsePeriod("2025-12"), Verdict: accord.VerdictCommonCause}}
	frailty = mustNote(t, db, frailty)
	trust := fixtureNote("RC9")
	trust.Title, trust.Topics, trust.Evidence = "Validation of waiting lists", []string{"Elective recovery"}, nil
	trust.Tried = "Phoned every patient waiting over a year"
	trust = mustNote(t, db, trust)

	ids := func(f accord.PracticeNoteFilter) []int64 {
		t.Helper()
		ns, total, err := db.FindPracticeNotes(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		out := []int64{}
		for _, n := range ns {
			out = append(out, n.ID)
		}
		if f.Limit == 0 && total != len(out) {
			t.Errorf("%+v: total %d, %d returned", f, total, len(out))
		}
		return out
	}
	// Updated most recently first; the three were written in one second,
	// so the newest ID breaks the tie.
	equal(t, "all", ids(accord.PracticeNoteFilter{}), []int64{trust.ID, frailty.ID, theatres.ID})
	equal(t, "indicator", ids(accord.PracticeNoteFilter{IndicatorID: "rtt_18w"}), []int64{theatres.ID})
	equal(t, "indicator of a trust", ids(accord.PracticeNoteFilter{IndicatorID: "ae_4h"}), []int64{frailty.ID})
	equal(t, "organisation", ids(accord.PracticeNoteFilter{OrgCode: "RC9"}), []int64{trust.ID})
	equal(t, "topic", ids(accord.PracticeNoteFilter{Topic: "Elective Recovery "}), []int64{trust.ID, theatres.ID})
	equal(t, "q in the title", ids(accord.PracticeNoteFilter{Q: "FRONT door"}), []int64{frailty.ID})
	equal(t, "q in what was tried", ids(accord.PracticeNoteFilter{Q: "phoned"}), []int64{trust.ID})
	equal(t, "q in a topic", ids(accord.PracticeNoteFilter{Q: "frail"}), []int64{frailty.ID})
	equal(t, "q in what happened", ids(accord.PracticeNoteFilter{Q: "a fifth"}), []int64{trust.ID, theatres.ID})
	equal(t, "q with a wildcard", ids(accord.PracticeNoteFilter{Q: "100%"}), []int64{frailty.ID})
	equal(t, "q matching nothing", ids(accord.PracticeNoteFilter{Q: "10_%"}), []int64{})
	equal(t, "together", ids(accord.PracticeNoteFilter{Topic: "elective recovery", Q: "theatre", OrgCode: "QHG"}), []int64{theatres.ID})
	equal(t, "paged", ids(accord.PracticeNoteFilter{Offset: 1, Limit: 1}), []int64{frailty.ID})
	_, _, err := db.FindPracticeNotes(ctx, accord.PracticeNoteFilter{Limit: -1})
	wantError(t, err, accord.EINVALID, "limit")
}

func testPracticeTriedElsewhere(t *testing.T, open factory) {
	ctx := context.Background()
	db := seeded(t, open)
	note := mustNote(t, db, fixtureNote("QHG"))
	que := leadOf("QUE")
	when := accord.Date{Time: deadlineToday().AddDate(0, -2, 0)}
	te := accord.TriedElsewhere{OrgCode: "QUE", By: " Theatres team, Addenbrooke's ", When: when,
		Result: "Waits fell, but by less than at QHG", Verdict: accord.VerdictCommonCause}
	if err := db.AddTriedElsewhere(ctx, note.ID, &te, que); err != nil {
		t.Fatal(err)
	}
	if te.ID == 0 || te.NoteID != note.ID || te.By != "Theatres team, Addenbrooke's" || te.RecordedBy != que.Email || te.At.IsZero() {
		t.Errorf("as stored: %+v", te)
	}
	got, err := db.FindPracticeNote(ctx, note.ID)
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "tried elsewhere", got.TriedElsewhere, []accord.TriedElsewhere{te})

	entries := auditCount(t, db)
	own := te
	own.OrgCode = "QHG"
	wantError(t, db.AddTriedElsewhere(ctx, note.ID, &own, leadOf("QHG")), accord.EINVALID, "QHG wrote the note")
	future := te
	future.When, future.OrgCode = accord.Date{Time: deadlineToday().AddDate(0, 0, 1)}, "QZZ"
	wantError(t, db.AddTriedElsewhere(ctx, note.ID, &future, que), accord.EINVALID, "in the future", `organisation "QZZ" is not known`)
	wantError(t, db.AddTriedElsewhere(ctx, 9999, &te, que), accord.ENOTFOUND, "practice note 9999 not found")
	if n := auditCount(t, db); n != entries {
		t.Errorf("refused records wrote %d audit entries", n-entries)
	}

	// Deleting the note takes its records with it; the audit log keeps both.
	if err := db.DeletePracticeNote(ctx, note.ID, leadOf("QHG"), ""); err != nil {
		t.Fatal(err)
	}
	equal(t, "audit", noteAudit(t, db, note.ID), []string{"practice_note.create", "practice_note.tried_elsewhere", "practice_note.delete"})
	if c := verify(t, db); !c.OK {
		t.Errorf("audit chain: %+v", c)
	}
}
