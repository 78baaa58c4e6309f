package peers

import (
	"errors"
	"fmt"
	"math"
)

// ICB is what ICBs are matched on. reference.ICBProfiles supplies it from
// ONS, MHCLG and boundary data.
type ICB struct {
	Code          string  // ODS code
	Population    float64 // residents
	Under18Share  float64 // share of residents aged 0–17, 0 to 1
	Over65Share   float64 // share aged 65 and over, 0 to 1
	IMDScore      float64 // Index of Multiple Deprivation average score
	DensityPerKm2 float64 // residents per square kilometre: the rurality measure
}

// ICBFeatureNames names the columns ICBFeatures produces, in order.
func ICBFeatureNames() []string {
	return []string{"log population", "share under 18", "share 65 and over", "IMD average score", "log density"}
}

// ICBWeights are the weights for ICBFeatures: four groups — size, age,
// deprivation, rurality — counting equally, the two age shares half each.
func ICBWeights() []float64 { return []float64{1, 0.5, 0.5, 1, 1} }

// ICBFeatures turns profiles into features. Population and density enter
// as logarithms: ICB populations run from half a million to three million
// and densities from 130 to 6,500 residents per km², and on a log scale a
// doubling is the same step wherever it happens, so London's densities do
// not flatten every other difference.
func ICBFeatures(icbs []ICB) ([]Features, error) {
	out := make([]Features, len(icbs))
	for i, c := range icbs {
		if !(c.Population > 0) || !(c.DensityPerKm2 > 0) {
			return nil, fmt.Errorf("peers: %s needs a positive population and density", c.Code)
		}
		if c.Under18Share < 0 || c.Over65Share < 0 || c.Under18Share+c.Over65Share > 1 {
			return nil, fmt.Errorf("peers: %s age shares %v and %v are not shares of one population", c.Code, c.Under18Share, c.Over65Share)
		}
		out[i] = Features{Code: c.Code, Values: []float64{
			math.Log(c.Population), c.Under18Share, c.Over65Share, c.IMDScore, math.Log(c.DensityPerKm2),
		}}
	}
	return out, nil
}

// ICBPeers returns each ICB's k nearest ICBs (Accord uses k = 10) by
// ICBFeatures and ICBWeights.
func ICBPeers(icbs []ICB, k int) (map[string][]Peer, error) {
	if len(icbs) == 0 {
		return nil, errors.New("peers: no ICBs")
	}
	fs, err := ICBFeatures(icbs)
	if err != nil {
		return nil, err
	}
	return Nearest(fs, ICBWeights(), k)
}
