package accord_test

import (
	"strings"
	"testing"

	"github.com/nhs-accord/accord"
)

func practiceNote() accord.PracticeNote {
	return accord.PracticeNote{
		OrgCode: "QHG", Title: "Weekend theatre lists", Topics: []string{"Elective recovery", "theatres"},
		Problem:  "Long waits for orthopaedic surgery",
		Tried:    "Ran Saturday lists with staff paid at overtime rates",
		Happened: "Patients waiting over 18 weeks fell by a fifth",
		Evidence: []accord.PracticeEvidence{{IndicatorID: "rtt_18w", OrgCode: "QHG", From: accord.MustParsePeriod("2025-04"),
			To: accord.MustParsePeriod("2026-03"), Verdict: accord.VerdictImprovement}},
	}
}

func TestPracticeNoteValidate(t *testing.T) {
	cases := []struct {
		name   string
		change func(n *accord.PracticeNote)
		want   []string
	}{
		{"valid", func(n *accord.PracticeNote) {}, nil},
		{"no evidence", func(n *accord.PracticeNote) { n.Evidence = nil }, nil},
		{"blank text", func(n *accord.PracticeNote) { n.Title, n.Problem, n.Tried, n.Happened, n.OrgCode = " ", "", "", "", "" },
			[]string{"title: is required", "problem", "tried", "happened", "organisation"}},
		{"topic twice, differently written", func(n *accord.PracticeNote) { n.Topics = []string{"Elective  Recovery", "elective recovery"} },
			[]string{`topic "elective recovery" is given twice`}},
		{"empty topic", func(n *accord.PracticeNote) { n.Topics = []string{" "} }, []string{"topic 1 is empty"}},
		{"long topic", func(n *accord.PracticeNote) { n.Topics = []string{strings.Repeat("word ", 20)} }, []string{"keep a topic to a few words"}},
		{"evidence backwards", func(n *accord.PracticeNote) {
			n.Evidence[0].From, n.Evidence[0].To = n.Evidence[0].To, n.Evidence[0].From
		}, []string{"the first period is after the last"}},
		{"evidence without verdict", func(n *accord.PracticeNote) { n.Evidence[0].Verdict = "" }, []string{"is not an SPC verdict"}},
		{"evidence without indicator, organisation or periods", func(n *accord.PracticeNote) {
			n.Evidence = []accord.PracticeEvidence{{Verdict: accord.VerdictCommonCause}}
		}, []string{"names no indicator", "names no organisation", "needs the periods"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			n := practiceNote()
			n.Evidence = append([]accord.PracticeEvidence(nil), n.Evidence...)
			c.change(&n)
			wantReviewProblems(t, n.Validate(), c.want...)
		})
	}
}

func TestTriedElsewhereValidate(t *testing.T) {
	good := accord.TriedElsewhere{OrgCode: "QUE", By: "Theatres team, Addenbrooke's", When: reviewDay("2026-06-01"),
		Result: "Waits fell, less than at QHG", Verdict: accord.VerdictCommonCause}
	wantReviewProblems(t, good.Validate())
	wantReviewProblems(t, accord.TriedElsewhere{Verdict: "better"}.Validate(),
		"organisation", "by: say who", "when: is required", "result", `"better" is not an SPC verdict`)
}

func TestSPCVerdicts(t *testing.T) {
	want := map[accord.SPCVerdict]string{
		accord.VerdictImprovement:   "Special cause improvement",
		accord.VerdictConcern:       "Special cause concern",
		accord.VerdictCommonCause:   "Common cause (no real change)",
		accord.VerdictNotEnoughData: "Not enough data",
	}
	if len(accord.SPCVerdicts) != len(want) {
		t.Fatalf("%d verdicts, want %d", len(accord.SPCVerdicts), len(want))
	}
	for _, v := range accord.SPCVerdicts {
		if !v.Valid() || v.Label() != want[v] {
			t.Errorf("%s: valid %v, label %q, want %q", v, v.Valid(), v.Label(), want[v])
		}
	}
	if accord.SPCVerdict("special_cause_neutral_high").Valid() {
		t.Error("a neutral special cause is not a verdict a note records")
	}
}

func TestNormalTopic(t *testing.T) {
	for in, want := range map[string]string{"  Elective   Recovery ": "elective recovery", "A&E": "a&e", "": ""} {
		if got := accord.NormalTopic(in); got != want {
			t.Errorf("NormalTopic(%q) = %q, want %q", in, got, want)
		}
	}
}
