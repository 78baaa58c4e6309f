package cli

import (
	"context"
	"fmt"
	"time"

	"github.com/nhs-accord/accord/assess"
	"github.com/nhs-accord/accord/reference"
	"github.com/nhs-accord/accord/stats/peers"
	"github.com/nhs-accord/accord/store"
)

// savePeers computes every ICB's ten nearest peers from the shipped
// population, deprivation and boundary data.
func savePeers(ctx context.Context, e *env, db *store.DB) error {
	profiles, err := reference.ICBProfiles()
	if err != nil {
		return err
	}
	icbs := make([]peers.ICB, len(profiles))
	for i, p := range profiles {
		icbs[i] = peers.ICB{Code: p.ICB, Population: p.Population, Under18Share: p.Under18Share, Over65Share: p.Over65Share,
			IMDScore: p.IMDScore, DensityPerKm2: p.DensityPerKm2}
	}
	n, err := assess.Peers(ctx, db, icbs)
	if err != nil {
		return fmt.Errorf("peer groups: %w", err)
	}
	fmt.Fprintf(e.stdout, "Peer groups: the 10 nearest ICBs to each of %d ICBs by population, age, deprivation and rurality.\n", n)
	return nil
}

// reassess recomputes the assessments of the given indicators (all when
// none are named) and says so.
func reassess(ctx context.Context, e *env, db *store.DB, indicators []string) error {
	sum, err := assess.Recompute(ctx, db, indicators, time.Now().UTC())
	if err != nil {
		return fmt.Errorf("assessing series: %w", err)
	}
	if sum.Series > 0 {
		fmt.Fprintf(e.stdout, "Assessed %d series (%d points) of %d indicators in %s.\n", sum.Series, sum.Points, sum.Indicators, sum.Took.Round(time.Millisecond))
	}
	return nil
}
