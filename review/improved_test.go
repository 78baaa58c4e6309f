package review_test

import (
	"context"
	"strings"
	"testing"

	"github.com/nhs-accord/accord"
	"github.com/nhs-accord/accord/review"
)

func TestMostImproved(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	// Lower is better: the share spending more than 12 hours in A&E.
	const ind = "ae_12h_in_department_share"
	add(t, st,
		monthly(ind, "QUE", step(12, 20, 10)),  // a step down: special-cause improvement
		monthly(ind, "QM7", step(12, 10, 20)),  // a step up: special-cause concern
		monthly(ind, "QH8", noisy(15, -0.5)),   // a little better, within the noise
		gappy(ind, "QJG"),                      // both ends, but too few in a row for SPC
		monthly(ind, "QMM", noisy(12, 0))[:23], // ends in September 2026
	)
	got, err := review.MostImproved(ctx, st, ind, []string{"QM7", "QMM", "QH8", "QUE", "QJG", "QUE"}, today)
	if err != nil {
		t.Fatal(err)
	}
	var order []string
	for _, g := range got {
		order = append(order, g.OrgCode)
	}
	if want := "QUE QJG QH8 QM7 QMM"; strings.Join(order, " ") != want {
		t.Fatalf("order %v, want %s", order, want)
	}
	que, jg, h8, m7, mm := got[0], got[1], got[2], got[3], got[4]
	if que.Improvement != 10 || que.Change != -10 || que.Verdict != review.VerdictImprovement || que.VariationIcon != "improvement_low" ||
		que.Place != 1 || que.SPCPoints != 24 || que.From.String() != "2025-10" || que.To.String() != "2026-10" || que.Steps != 12 {
		t.Errorf("QUE %+v", que)
	}
	if jg.Improvement != 3 || jg.Verdict != review.VerdictNotEnoughData || jg.Place != 2 {
		t.Errorf("QJG %+v", jg)
	}
	if h8.Improvement != 0.5 || h8.Verdict != review.VerdictCommonCause || h8.Place != 3 {
		t.Errorf("QH8 %+v", h8)
	}
	if m7.Improvement != -10 || m7.Verdict != review.VerdictConcern || m7.Place != 4 || *m7.RelativeImprovement != -100 {
		t.Errorf("QM7 %+v", m7)
	}
	// Four of five hold October 2026, so the span ends there and QMM, a
	// month behind, cannot be measured over it.
	if mm.Measured || mm.Place != 0 || mm.Missing != "no value for 2026-10" {
		t.Errorf("QMM %+v", mm)
	}
	if que.RankedBy != review.RankedByChange {
		t.Errorf("a percentage ranked by %q", que.RankedBy)
	}
}

// gappy is a value in October 2025 (14) and the seven months to October
// 2026 (ending at 11), with the five between missing.
func gappy(ind, org string) []accord.Observation {
	full := monthly(ind, org, []float64{14, 9, 9, 9, 9, 9, 13, 13, 12, 11, 12, 11, 11})
	return append(full[:1:1], full[6:]...)
}

// Counts grow with the population, so they are ranked by their change as a
// share of where they started.
func TestMostImprovedCountsRelative(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	const ind = "rtt_52w_count" // lower is better
	big, small := noisy(1000, 0), noisy(100, 0)
	big[23], small[23] = big[11]-100, small[11]-50
	add(t, st, monthly(ind, "QOP", big), monthly(ind, "QSL", small))
	got, err := review.MostImproved(ctx, st, ind, []string{"QOP", "QSL"}, today)
	if err != nil {
		t.Fatal(err)
	}
	if got[0].OrgCode != "QSL" || got[0].RankedBy != review.RankedByRelativeChange || got[0].Improvement != 50 ||
		*got[0].RelativeImprovement < 49.5 || *got[0].RelativeImprovement > 49.51 {
		t.Errorf("first %+v", got[0])
	}
	if got[1].OrgCode != "QOP" || got[1].Improvement != 100 {
		t.Errorf("second %+v", got[1])
	}
}

// Annual figures are compared over their last three periods and never have
// an SPC verdict.
func TestMostImprovedAnnual(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	const ind = "life_expectancy_birth"
	var obs []accord.Observation
	for i, v := range []float64{79, 79.5, 80, 80.2} {
		p, err := accord.Rolling(2018+i, 2020+i)
		if err != nil {
			t.Fatal(err)
		}
		obs = append(obs, accord.Observation{IndicatorID: ind, OrgCode: "QHG", Period: p, Value: v, Status: accord.Final})
	}
	add(t, st, obs)
	got, err := review.MostImproved(ctx, st, ind, []string{"QHG"}, today)
	if err != nil {
		t.Fatal(err)
	}
	g := got[0]
	if g.From.String() != "2019-21" || g.To.String() != "2021-23" || g.Steps != 2 || g.Span != "3 periods from 2019-21 to 2021-23" ||
		g.Improvement < 0.69 || g.Improvement > 0.71 || g.Verdict != review.VerdictNotEnoughData {
		t.Errorf("%+v", g)
	}
}

func TestMostImprovedRefuses(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	if _, err := review.MostImproved(ctx, st, "ae_attendances", nil, today); code(err) != accord.EINVALID {
		t.Errorf("no polarity: %v", err)
	}
	if _, err := review.MostImproved(ctx, st, "nope", nil, today); code(err) != accord.ENOTFOUND {
		t.Errorf("unknown indicator: %v", err)
	}
	if _, err := review.MostImproved(ctx, st, "ae_4h_all", []string{"QZZ"}, today); code(err) != accord.ENOTFOUND {
		t.Errorf("unknown organisation: %v", err)
	}
	// Every ICB, none with data: all listed, none placed.
	got, err := review.MostImproved(ctx, st, "ae_4h_all", nil, today)
	if err != nil || len(got) != 42 || got[0].Measured || got[0].Missing != "no values held" {
		t.Errorf("%d %+v %v", len(got), got[0], err)
	}
}
