package sample_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/nhs-accord/accord"
	"github.com/nhs-accord/accord/reference"
	"github.com/nhs-accord/accord/sample"
	"github.com/nhs-accord/accord/store"
)

func TestLoadSampleData(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "s.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := reference.Load(ctx, st); err != nil {
		t.Fatal(err)
	}
	res, err := sample.Load(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	// 4 months × (England + 42 ICBs) × 5 A&E indicators; 42 ICBs × 2 IoD measures.
	want := map[string]int{"ae_by_icb_nov2023_feb2024.csv": 4 * 43 * 5, "iod2025_icb24_summaries.csv": 84}
	for _, r := range res {
		if w, ok := want[r.File]; ok && r.Observations != w {
			t.Errorf("%s: %d observations, want %d", r.File, r.Observations, w)
		}
		if r.Observations == 0 || r.AlreadyHeld {
			t.Errorf("%s: %+v", r.File, r)
		}
	}

	// England's 4-hour performance in November 2023, recomputed from the
	// published counts: 1,508,000 of 2,162,122 attendances.
	obs, _, err := st.FindObservations(ctx, accord.ObservationFilter{IndicatorID: "ae_4h_all", OrgCodes: []string{accord.EnglandCode},
		From: accord.MustParsePeriod("2023-11"), To: accord.MustParsePeriod("2023-11")})
	if err != nil || len(obs) != 1 {
		t.Fatalf("%v %v", obs, err)
	}
	if o := obs[0]; *o.Numerator != 1508000 || *o.Denominator != 2162122 || o.Value < 69.746 || o.Value > 69.747 {
		t.Errorf("England November 2023: %+v", o)
	}

	// Surrey Heartlands' IoD row is published under its 2024 ONS code and
	// lands on QXU.
	if _, n, _ := st.FindObservations(ctx, accord.ObservationFilter{IndicatorID: "imd_2025_score", OrgCodes: []string{"QXU"}}); n != 1 {
		t.Errorf("Surrey Heartlands deprivation: %d observations", n)
	}

	// Healthy life expectancy is broken down by sex only.
	if _, n, _ := st.FindObservations(ctx, accord.ObservationFilter{IndicatorID: "healthy_life_expectancy_birth"}); n != 0 {
		t.Errorf("%d whole-population HLE rows; the source has only male and female", n)
	}

	again, err := sample.Load(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range again {
		if !r.AlreadyHeld {
			t.Errorf("second load wrote %s again", r.File)
		}
	}
}
