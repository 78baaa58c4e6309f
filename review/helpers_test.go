package review_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/nhs-accord/accord"
	"github.com/nhs-accord/accord/reference"
	"github.com/nhs-accord/accord/store"
)

// today is the day the tests run as: data run to October 2026.
var today = accord.NewDate(2026, time.November, 22)

// newStore is a migrated SQLite store with England's reference data.
func newStore(t *testing.T) *store.DB {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "review.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := reference.Load(ctx, st); err != nil {
		t.Fatal(err)
	}
	return st
}

// months is n consecutive months ending in October 2026.
func months(n int) []accord.Period {
	out := make([]accord.Period, n)
	p := accord.Month(2026, time.October)
	for i := n - 1; i >= 0; i-- {
		out[i] = p
		p = accord.Month(p.Start().Year(), p.Start().Month()-1)
	}
	return out
}

// monthly makes one organisation's observations of an indicator from values,
// the last in October 2026.
func monthly(ind, org string, values []float64) []accord.Observation {
	ps := months(len(values))
	out := make([]accord.Observation, len(values))
	for i, v := range values {
		out[i] = accord.Observation{IndicatorID: ind, OrgCode: org, Period: ps[i], Value: v, Status: accord.Final}
	}
	return out
}

// step is n values at before, then n at after.
func step(n int, before, after float64) []float64 {
	out := make([]float64, 0, 2*n)
	for range n {
		out = append(out, before)
	}
	for range n {
		out = append(out, after)
	}
	return out
}

// noisy is 24 values alternating between base and base+1, whose last value
// is delta above the value twelve months earlier (base+1): common cause
// for a delta of up to about 2.
func noisy(base, delta float64) []float64 {
	out := make([]float64, 24)
	for i := range out {
		out[i] = base + float64(i%2)
	}
	out[23] = out[11] + delta
	return out
}

func add(t *testing.T, st accord.Store, obs ...[]accord.Observation) {
	t.Helper()
	var all []accord.Observation
	for _, o := range obs {
		all = append(all, o...)
	}
	if err := st.AddObservations(context.Background(), all); err != nil {
		t.Fatal(err)
	}
}

func code(err error) string { return accord.ErrorCode(err) }
