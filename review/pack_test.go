package review_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/nhs-accord/accord"
	"github.com/nhs-accord/accord/charts"
	"github.com/nhs-accord/accord/review"
	"github.com/nhs-accord/accord/stats/compare"
	"github.com/nhs-accord/accord/stats/trajectory"
)

// packStore holds a review of Bedfordshire, Luton and Milton Keynes (QHG)
// with its two stored peers: on four-hour A&E it rises from 70% to 79.2%
// over 24 months, England holds at 72%, Cambridgeshire and Peterborough
// (QUE) at 85% and Hertfordshire and West Essex (QM7) at 60%; life
// expectancy has deprivation deciles and a slope index; QHG has one
// approved target and one draft.
func packStore(t *testing.T) accord.Store {
	t.Helper()
	ctx := context.Background()
	st := newStore(t)
	if err := st.SavePeers(ctx, []accord.Peer{{OrgCode: "QHG", PeerCode: "QUE", Rank: 1, Distance: 0.4}, {OrgCode: "QHG", PeerCode: "QM7", Rank: 2, Distance: 0.9}}); err != nil {
		t.Fatal(err)
	}
	var obs []accord.Observation
	for i, p := range months(24) {
		counts := func(org string, within, total float64) {
			obs = append(obs, accord.Observation{IndicatorID: "ae_4h_all", OrgCode: org, Period: p, Value: 100 * within / total,
				Numerator: accord.Float(within), Denominator: accord.Float(total), Status: accord.Final})
		}
		counts("QHG", 7000+float64(i)*40, 10000)
		counts(accord.EnglandCode, 1_440_000, 2_000_000)
		counts("QUE", 8500, 10000)
		counts("QM7", 6000, 10000)
	}
	le := accord.MustParsePeriod("2021-23")
	life := func(ind, org string, b accord.Breakdown, v, lo, hi float64) {
		o := accord.Observation{IndicatorID: ind, OrgCode: org, Period: le, Breakdown: b, Value: v, Status: accord.Final}
		if lo != 0 {
			o.LowerCI, o.UpperCI, o.CILevel = accord.Float(lo), accord.Float(hi), 95
		}
		obs = append(obs, o)
	}
	most, least := accord.Breakdown{IMDDecile: 1}, accord.Breakdown{IMDDecile: 10}
	life("life_expectancy_birth", "QHG", accord.Breakdown{}, 80.5, 80.1, 80.9)
	life("life_expectancy_birth", "QHG", most, 76, 0, 0)
	life("life_expectancy_birth", "QHG", least, 84.5, 0, 0)
	life("life_expectancy_birth", accord.EnglandCode, accord.Breakdown{}, 81, 80.9, 81.1)
	life("life_expectancy_birth", accord.EnglandCode, most, 75.5, 0, 0)
	life("life_expectancy_birth", accord.EnglandCode, least, 85.5, 0, 0)
	life("life_expectancy_sii", "QHG", accord.Breakdown{}, 8.2, 6.9, 9.5)
	life("life_expectancy_sii", accord.EnglandCode, accord.Breakdown{}, 9.1, 9, 9.2)
	add(t, st, obs)

	lead := accord.Actor{Email: "lead@qhg.nhs.net", Name: "QHG lead", Role: accord.RoleICBLead, OrgCode: "QHG"}
	national := accord.Actor{Email: "national@england.nhs.uk", Name: "National", Role: accord.RoleNationalOversight, OrgCode: accord.EnglandCode}
	approved := accord.Target{OrgCode: "QHG", IndicatorID: "ae_4h_all", LocalTag: accord.TagOutcome, Title: "80% by March 2027",
		Comparator: accord.AtLeast, Value: 80, Deadline: accord.NewDate(2027, time.March, 31), Status: accord.TargetDraft,
		Trajectory: []accord.Milestone{{Period: accord.MustParsePeriod("2026-09"), Value: 78}, {Period: accord.MustParsePeriod("2027-03"), Value: 80}}}
	if err := st.CreateTarget(ctx, &approved, lead); err != nil {
		t.Fatal(err)
	}
	for _, m := range []struct {
		to accord.TargetStatus
		by accord.Actor
	}{{accord.TargetConsultation, lead}, {accord.TargetAgreed, lead}, {accord.TargetSubmitted, lead}, {accord.TargetApproved, national}} {
		if _, err := st.MoveTarget(ctx, approved.ID, m.to, m.by, "Agreed with partners."); err != nil {
			t.Fatal(err)
		}
	}
	draft := approved
	draft.ID, draft.Title, draft.Status, draft.Value = 0, "Still being written", accord.TargetDraft, 90
	if err := st.CreateTarget(ctx, &draft, lead); err != nil {
		t.Fatal(err)
	}
	return st
}

func TestBuildPack(t *testing.T) {
	ctx := context.Background()
	st := packStore(t)
	p, err := review.BuildPack(ctx, st, "QHG", []string{"ae_4h_all", "life_expectancy_birth", "ae_4h_all"}, nil, today)
	if err != nil {
		t.Fatal(err)
	}
	if p.Reviewed.Code != "QHG" || p.PeersFrom != review.PeersNearest || len(p.Peers) != 2 || p.Peers[0].Code != "QUE" || p.Peers[0].Rank != 1 ||
		*p.Peers[1].Distance != 0.9 || p.Generated != today || len(p.Indicators) != 2 {
		t.Fatalf("pack %+v", p)
	}

	ae := p.Indicators[0]
	if len(ae.Series) != 24 || ae.Latest == nil || ae.Latest.Period.String() != "2026-10" || ae.Latest.Value != 79.2 ||
		ae.Latest.IntervalSource != "Wilson" || *ae.Latest.Lower > 78.5 || *ae.Latest.Upper < 79.9 {
		t.Fatalf("latest %+v", ae.Latest)
	}
	if ae.England == nil || ae.England.Value != 72 || ae.VsEngland != compare.Better {
		t.Errorf("England %+v %q", ae.England, ae.VsEngland)
	}
	if *ae.PeerMean != 72.5 || ae.PeerCount != 2 || ae.VsPeers != compare.Better || ae.PeerRank != 2 {
		t.Errorf("peers: mean %v of %d, %q, rank %d", *ae.PeerMean, ae.PeerCount, ae.VsPeers, ae.PeerRank)
	}
	if len(ae.Peers) != 2 || ae.Peers[0].Value.Value != 85 || ae.Peers[0].VsEngland != compare.Better || *ae.Peers[0].England != 72 ||
		ae.Peers[1].Value.Value != 60 || ae.Peers[1].VsEngland != compare.Worse || ae.Peers[1].Value.Lower == nil {
		t.Errorf("peer table %+v", ae.Peers)
	}
	sc := ae.SPC
	if sc == nil || len(sc.Periods) != 24 || sc.Result.VariationIcon != "improvement_high" || sc.Standard == nil ||
		sc.Standard.ID != "const_ae_4h" || sc.Result.AssuranceIcon != "fail" || sc.Later != 0 {
		t.Fatalf("SPC %+v", sc)
	}
	if last := sc.Result.Points[23]; last.PointType != "special_cause_improvement" || last.UPL <= last.Mean {
		t.Errorf("last point %+v", last)
	}
	svg := charts.SPC(sc.Chart("pack-spc", "Four-hour A&E for QHG", "Percentage", nil))
	if !strings.HasPrefix(svg, "<svg") || !strings.Contains(svg, "Oct 2026") || !strings.Contains(svg, "Standard: 95") {
		t.Errorf("chart: %.300s", svg)
	}
	if sc.Span() != "24 months from November 2024 to October 2026" {
		t.Errorf("span %q", sc.Span())
	}
	// Only the approved target: a draft is not for a pack others read.
	if len(ae.Targets) != 1 {
		t.Fatalf("targets %+v", ae.Targets)
	}
	tg := ae.Targets[0]
	if tg.Status != accord.TargetApproved || tg.Trajectory != trajectory.OnTrack || len(tg.Plan) != 2 || len(tg.Milestones) != 1 ||
		!tg.Milestones[0].Met || tg.Forecast == nil {
		t.Errorf("target %+v", tg)
	}
	if len(ae.Inequality) != 0 {
		t.Errorf("A&E has no deprivation breakdowns: %+v", ae.Inequality)
	}

	le := p.Indicators[1]
	if le.SPC != nil || le.Latest.Value != 80.5 || le.VsEngland != compare.Worse || le.PeerMean != nil || le.Peers[0].Value != nil {
		t.Errorf("life expectancy %+v", le)
	}
	if len(le.Inequality) != 4 {
		t.Fatalf("gaps %+v", le.Inequality)
	}
	dec, eng, sii := le.Inequality[0], le.Inequality[1], le.Inequality[2]
	if dec.OrgCode != "QHG" || dec.Kind != review.GapIMDDecile || dec.Value != -8.5 || *dec.MostDeprived != 76 ||
		dec.Direction != review.WorseForMostDeprived || dec.Period.String() != "2021-23" {
		t.Errorf("QHG decile gap %+v", dec)
	}
	if eng.OrgCode != accord.EnglandCode || eng.Value != -10 {
		t.Errorf("England decile gap %+v", eng)
	}
	if sii.OrgCode != "QHG" || sii.Kind != review.GapSlopeIndex || sii.IndicatorID != "life_expectancy_sii" || sii.Value != 8.2 ||
		*sii.Lower != 6.9 || *sii.Upper != 9.5 || le.Inequality[3].Value != 9.1 {
		t.Errorf("slope index %+v", le.Inequality[2:])
	}
}

func TestBuildPackChosenPeers(t *testing.T) {
	ctx := context.Background()
	st := packStore(t)
	p, err := review.BuildPack(ctx, st, "QHG", []string{"ae_4h_all"}, []string{"QM7", "QMM"}, today)
	if err != nil {
		t.Fatal(err)
	}
	ae := p.Indicators[0]
	if p.PeersFrom != review.PeersChosen || p.Peers[0].Rank != 2 || p.Peers[1].Rank != 0 || p.Peers[1].Distance != nil {
		t.Errorf("peers %+v", p.Peers)
	}
	// QMM holds nothing: it has a row with no value and is not in the mean.
	if *ae.PeerMean != 60 || ae.PeerCount != 1 || ae.PeerRank != 1 || ae.Peers[1].Value != nil {
		t.Errorf("mean %v of %d, rank %d, %+v", *ae.PeerMean, ae.PeerCount, ae.PeerRank, ae.Peers[1])
	}

	for _, c := range []struct {
		name  string
		focus []string
		peers []string
		want  string
	}{
		{"no focus", nil, nil, accord.EINVALID},
		{"itself a peer", []string{"ae_4h_all"}, []string{"QUE", "QHG"}, accord.EINVALID},
		{"unknown peer", []string{"ae_4h_all"}, []string{"QZZ"}, accord.ENOTFOUND},
		{"unknown indicator", []string{"nope"}, nil, accord.ENOTFOUND},
	} {
		if _, err := review.BuildPack(ctx, st, "QHG", c.focus, c.peers, today); code(err) != c.want {
			t.Errorf("%s: %v, want %s", c.name, err, c.want)
		}
	}
}

func TestPackCSV(t *testing.T) {
	ctx := context.Background()
	st := packStore(t)
	p, err := review.BuildPack(ctx, st, "QHG", []string{"ae_4h_all", "life_expectancy_birth"}, nil, today)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := p.CSV(&buf); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(rows[0], review.CSVHeader) {
		t.Fatalf("header %v", rows[0])
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	count := map[string]int{}
	find := func(section, ind, org string) []string {
		for _, r := range rows[1:] {
			if r[col["section"]] == section && r[col["indicator_id"]] == ind && r[col["organisation_code"]] == org {
				return r
			}
		}
		t.Fatalf("no %s row for %s %s", section, ind, org)
		return nil
	}
	for _, r := range rows[1:] {
		if len(r) != len(review.CSVHeader) {
			t.Fatalf("row %v", r)
		}
		count[r[col["section"]]]++
	}
	want := map[string]int{
		review.SectionPack: 1, review.SectionPeerGroup: 2, review.SectionSeries: 24 + 1, review.SectionSPC: 24, review.SectionSPCIcons: 1,
		review.SectionLatestEngland: 2, review.SectionLatestPeers: 2, review.SectionEngland: 2, review.SectionPeer: 4,
		review.SectionTarget: 1, review.SectionMilestone: 2, review.SectionForecast: 1, review.SectionInequality: 4,
	}
	for s, n := range want {
		if count[s] != n {
			t.Errorf("%d %s rows, want %d", count[s], s, n)
		}
	}
	if len(count) != len(want) {
		t.Errorf("sections %v", count)
	}

	r := find(review.SectionLatestPeers, "ae_4h_all", "QHG")
	if r[col["period"]] != "2026-10" || r[col["value"]] != "79.2" || r[col["benchmark"]] != "72.5" || r[col["comparison"]] != "better" ||
		r[col["detail"]] != "mean of 2 peers; ranked 2 of 3" {
		t.Errorf("latest against peers %v", r)
	}
	r = find(review.SectionPeer, "ae_4h_all", "QM7")
	if r[col["value"]] != "60" || r[col["benchmark"]] != "72" || r[col["comparison"]] != "worse" || r[col["lower"]] == "" {
		t.Errorf("peer %v", r)
	}
	r = find(review.SectionSPCIcons, "ae_4h_all", "QHG")
	if r[col["comparison"]] != "improvement_high" || r[col["benchmark"]] != "95" || !strings.Contains(r[col["detail"]], "assurance fail") {
		t.Errorf("icons %v", r)
	}
	r = find(review.SectionInequality, "life_expectancy_sii", "QHG")
	if r[col["value"]] != "8.2" || r[col["lower"]] != "6.9" || r[col["upper"]] != "9.5" {
		t.Errorf("slope index %v", r)
	}
	r = find(review.SectionInequality, "life_expectancy_birth", "QHG")
	if r[col["value"]] != "-8.5" || r[col["comparison"]] != review.WorseForMostDeprived {
		t.Errorf("decile gap %v", r)
	}
	r = find(review.SectionPeerGroup, "", "QUE")
	if r[col["value"]] != "0.4" || r[col["detail"]] != "nearest peer" {
		t.Errorf("peer group %v", r)
	}
	for _, r := range rows[1:] {
		if r[col["section"]] == review.SectionMilestone && r[col["period"]] == "2027-03" && (r[col["value"]] != "" || r[col["comparison"]] != "not_yet_observed") {
			t.Errorf("future milestone %v", r)
		}
		if strings.Contains(strings.Join(r, ","), "Still being written") {
			t.Errorf("the draft target is in the CSV: %v", r)
		}
	}
}

// TestBuildPackWithoutStoredPeers: an ICB whose peer group was never saved
// gets a pack with no peers (and no peer comparison), not one comparing it
// with every ICB — itself included, which BuildPack would refuse.
func TestBuildPackWithoutStoredPeers(t *testing.T) {
	st := newStore(t) // reference data only: no peer groups saved
	p, err := review.BuildPack(context.Background(), st, "QHG", []string{"ae_4h_all"}, nil, today)
	if err != nil {
		t.Fatal(err)
	}
	if p.PeersFrom != review.PeersNearest || len(p.Peers) != 0 || len(p.Indicators) != 1 ||
		p.Indicators[0].PeerCount != 0 || p.Indicators[0].PeerMean != nil {
		t.Errorf("pack without stored peers: from %s, peers %+v, indicators %+v", p.PeersFrom, p.Peers, p.Indicators)
	}
}
