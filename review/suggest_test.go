package review_test

import (
	"context"
	"strings"
	"testing"

	"github.com/nhs-accord/accord"
	"github.com/nhs-accord/accord/review"
)

// Birmingham and Solihull (QHL) is reviewed. Its nearest peers are the
// Black Country (QUA, Midlands, and Sandwell and West Birmingham Hospitals
// (RXK) is hosted by QHL but its A&E is attributed to QUA), Lancashire and
// South Cumbria (QE1, North West) and Coventry and Warwickshire (QWU,
// Midlands). On four-hour A&E performance Greater Manchester (QOP) made a
// step change, and others moved by less.
func TestSuggestReviewers(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	if err := st.SavePeers(ctx, []accord.Peer{
		{OrgCode: "QHL", PeerCode: "QUA", Rank: 1, Distance: 0.5},
		{OrgCode: "QHL", PeerCode: "QE1", Rank: 2, Distance: 0.8},
		{OrgCode: "QHL", PeerCode: "QWU", Rank: 3, Distance: 1.1},
	}); err != nil {
		t.Fatal(err)
	}
	const ind = "ae_4h_all"
	add(t, st,
		monthly(ind, "QHL", noisy(70, 5)),
		monthly(ind, "QUA", noisy(72, 0)),
		monthly(ind, "QE1", noisy(71, -1)),
		monthly(ind, "QWU", noisy(69, 1.5)),
		monthly(ind, "QOP", step(12, 70, 80)),
		monthly(ind, "QKK", noisy(73, 1)),
		monthly(ind, "QT6", noisy(74, 0.5)),
		monthly(ind, "QNX", noisy(75, 0.2)),
		monthly(ind, "QSL", noisy(76, 0.1)),
	)
	got, err := review.SuggestReviewers(ctx, st, "QHL", []string{ind, ind, "ae_attendances"}, today)
	if err != nil {
		t.Fatal(err)
	}
	var order []string
	by := map[string]review.Suggestion{}
	for _, s := range got {
		order = append(order, s.OrgCode)
		by[s.OrgCode] = s
	}
	// Scores: QWU 8 (3rd nearest) + 4 (2nd most improved) = 12; QUA 10;
	// QE1 9; QOP 5 + 2 (special cause) = 7; QKK 3; QT6 2; QNX 1. QSL,
	// sixth most improved, and QHL itself are not suggested.
	if want := "QWU QUA QE1 QOP QKK QT6 QNX"; strings.Join(order, " ") != want {
		t.Fatalf("order %v, want %s", order, want)
	}
	for code, score := range map[string]int{"QWU": 12, "QUA": 10, "QE1": 9, "QOP": 7, "QKK": 3, "QT6": 2, "QNX": 1} {
		if by[code].Score != score {
			t.Errorf("%s scores %d, want %d", code, by[code].Score, score)
		}
	}

	qua := by["QUA"]
	if len(qua.Reasons) != 1 || qua.Reasons[0].Kind != review.ReasonSimilar || qua.Reasons[0].Rank != 1 ||
		qua.Reasons[0].Distance == nil || *qua.Reasons[0].Distance != 0.5 || !strings.Contains(qua.Reasons[0].Text, "its nearest peer by") {
		t.Errorf("QUA reasons %+v", qua.Reasons)
	}
	if qua.RegionCode != "Y60" || qua.RegionName != "Midlands" {
		t.Errorf("QUA region %q %q", qua.RegionCode, qua.RegionName)
	}
	if len(qua.Conflicts) != 2 || qua.Conflicts[0].Kind != review.ConflictSameRegion || qua.Conflicts[0].RegionName != "Midlands" {
		t.Fatalf("QUA conflicts %+v", qua.Conflicts)
	}
	shared := qua.Conflicts[1]
	if shared.Kind != review.ConflictSharedProviders || len(shared.Providers) != 1 {
		t.Fatalf("QUA shared providers %+v", shared)
	}
	if p := shared.Providers[0]; p.Code != "RXK" || p.HostICB != "QHL" || len(p.AttributedICBs) != 1 || p.AttributedICBs[0] != "QUA" ||
		!strings.Contains(shared.Text, "Sandwell") {
		t.Errorf("shared provider %+v: %s", p, shared.Text)
	}

	if qe1 := by["QE1"]; len(qe1.Conflicts) != 0 || qe1.Reasons[0].Rank != 2 {
		t.Errorf("QE1, in another region with no shared trust: %+v", qe1)
	}
	qwu := by["QWU"]
	if len(qwu.Conflicts) != 1 || qwu.Conflicts[0].Kind != review.ConflictSameRegion {
		t.Errorf("QWU conflicts %+v", qwu.Conflicts)
	}
	if len(qwu.Reasons) != 2 || qwu.Reasons[1].Kind != review.ReasonImproved || qwu.Reasons[1].Rank != 2 {
		t.Errorf("QWU reasons %+v", qwu.Reasons)
	}

	qop := by["QOP"]
	if len(qop.Reasons) != 1 || len(qop.Conflicts) != 0 {
		t.Fatalf("QOP %+v", qop)
	}
	r := qop.Reasons[0]
	if r.Kind != review.ReasonImproved || r.Rank != 1 || r.IndicatorID != ind || r.Improvement == nil || r.Points != 7 {
		t.Fatalf("QOP reason %+v", r)
	}
	if imp := r.Improvement; imp.Improvement != 10 || imp.Verdict != review.VerdictImprovement || imp.Span != "12 months from 2025-10 to 2026-10" {
		t.Errorf("QOP improvement %+v", imp)
	}
	if !strings.HasPrefix(r.Text, "Most improved of the 8 ICBs compared on") || !strings.Contains(r.Text, "special-cause improvement") {
		t.Errorf("QOP reason text %q", r.Text)
	}
	if by["QKK"].Reasons[0].Improvement.Verdict != review.VerdictCommonCause {
		t.Errorf("QKK's small rise called %q", by["QKK"].Reasons[0].Improvement.Verdict)
	}
}

// RAN is hosted by North West London (QRV) and its A&E attributed to North
// Central London (QMJ): the trust ties them whichever is reviewed.
func TestSharedProvidersBothWays(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	if err := st.SavePeers(ctx, []accord.Peer{{OrgCode: "QMJ", PeerCode: "QRV", Rank: 1, Distance: 0.3}}); err != nil {
		t.Fatal(err)
	}
	got, err := review.SuggestReviewers(ctx, st, "QMJ", nil, today)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].OrgCode != "QRV" || len(got[0].Conflicts) != 2 || got[0].Conflicts[1].Providers[0].Code != "RAN" {
		t.Fatalf("%+v", got)
	}
}

func TestSuggestReviewersRefuses(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	if _, err := review.SuggestReviewers(ctx, st, "QZZ", nil, today); code(err) != accord.ENOTFOUND {
		t.Errorf("unknown ICB: %v", err)
	}
	if _, err := review.SuggestReviewers(ctx, st, "Y60", nil, today); code(err) != accord.EINVALID {
		t.Errorf("a region reviewed: %v", err)
	}
	if _, err := review.SuggestReviewers(ctx, st, "QHL", []string{"no_such_indicator"}, today); code(err) != accord.ENOTFOUND {
		t.Errorf("unknown indicator: %v", err)
	}
	got, err := review.SuggestReviewers(ctx, st, "QHL", nil, today)
	if err != nil || len(got) != 0 {
		t.Errorf("no peers and no focus: %+v %v", got, err)
	}
}
