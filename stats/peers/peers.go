// Package peers finds each organisation's nearest neighbours on a few
// standardised characteristics — for ICBs: population, age structure,
// deprivation and rurality — so that a value can be compared with areas
// that face similar circumstances, not only with England. See
// docs/stats-compare.md for the method.
package peers

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/nhs-accord/accord"
)

// Features are one organisation's characteristics, in the same order for
// every organisation.
type Features struct {
	Code   string
	Values []float64
}

// Peer is one of an organisation's nearest neighbours.
type Peer struct {
	Code     string
	Distance float64 // weighted Euclidean distance between standardised features
	Rank     int     // 1 = nearest
}

// Nearest returns, for every organisation in all, its k nearest others.
//
// Each feature is standardised to a z-score across all (mean 0, sample
// standard deviation 1; a feature that is the same everywhere counts for
// nothing), and the distance between two organisations is
//
//	d(a, b) = √( Σ_j weights[j] · (z_aj − z_bj)² )
//
// so a group of m features that should count as much as one feature on its
// own gets weight 1/m each. Peers are ordered by distance (rounded to 12
// decimals), ties by code, so the result does not depend on the order of
// all; ranks run 1…k.
func Nearest(all []Features, weights []float64, k int) (map[string][]Peer, error) {
	n := len(all)
	if n < 2 {
		return nil, errors.New("peers: need at least two organisations")
	}
	if k < 1 || k >= n {
		return nil, fmt.Errorf("peers: k = %d must be between 1 and %d (one fewer than the organisations)", k, n-1)
	}
	if err := check(all, weights); err != nil {
		return nil, err
	}
	// Work in code order, so that not even the last bit of a sum depends on
	// the order the caller passed.
	all = slices.SortedFunc(slices.Values(all), func(a, b Features) int { return cmp.Compare(a.Code, b.Code) })
	z := Standardise(all)

	// Pairwise distances, each computed once so d(a, b) = d(b, a) exactly.
	dist := make([][]float64, n)
	for i := range dist {
		dist[i] = make([]float64, n)
	}
	for i := range n {
		for j := i + 1; j < n; j++ {
			var s float64
			for f, w := range weights {
				d := z[i].Values[f] - z[j].Values[f]
				s += w * d * d
			}
			// Rounded to 12 decimals so that distances equal in exact
			// arithmetic tie in floating point too, and fall to the code.
			d := math.Round(math.Sqrt(s)*1e12) / 1e12
			dist[i][j], dist[j][i] = d, d
		}
	}

	out := make(map[string][]Peer, n)
	for i, a := range all {
		cands := make([]Peer, 0, n-1)
		for j, b := range all {
			if j != i {
				cands = append(cands, Peer{Code: b.Code, Distance: dist[i][j]})
			}
		}
		slices.SortFunc(cands, func(p, q Peer) int {
			if c := cmp.Compare(p.Distance, q.Distance); c != 0 {
				return c
			}
			return cmp.Compare(p.Code, q.Code)
		})
		cands = slices.Clip(cands[:k])
		for r := range cands {
			cands[r].Rank = r + 1
		}
		out[a.Code] = cands
	}
	return out, nil
}

func check(all []Features, weights []float64) error {
	if len(weights) == 0 {
		return errors.New("peers: no weights")
	}
	var total float64
	for j, w := range weights {
		if math.IsNaN(w) || math.IsInf(w, 0) || w < 0 {
			return fmt.Errorf("peers: weight %d is %v; weights must be finite and not negative", j, w)
		}
		total += w
	}
	if total == 0 {
		return errors.New("peers: every weight is zero")
	}
	seen := make(map[string]bool, len(all))
	for _, f := range all {
		switch {
		case f.Code == "":
			return errors.New("peers: an organisation has no code")
		case seen[f.Code]:
			return fmt.Errorf("peers: %s appears twice", f.Code)
		case len(f.Values) != len(weights):
			return fmt.Errorf("peers: %s has %d features for %d weights", f.Code, len(f.Values), len(weights))
		}
		seen[f.Code] = true
		for j, v := range f.Values {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("peers: %s feature %d is %v", f.Code, j, v)
			}
		}
	}
	return nil
}

// Standardise returns all with each feature replaced by its z-score: (x −
// mean) / sample standard deviation across all. A feature with no spread
// becomes 0 everywhere. The input is not changed.
func Standardise(all []Features) []Features {
	out := make([]Features, len(all))
	for i, f := range all {
		out[i] = Features{Code: f.Code, Values: make([]float64, len(f.Values))}
	}
	if len(all) == 0 {
		return out
	}
	n := float64(len(all))
	for j := range all[0].Values {
		var mean float64
		for _, f := range all {
			mean += f.Values[j]
		}
		mean /= n
		var ss float64
		for _, f := range all {
			d := f.Values[j] - mean
			ss += d * d
		}
		sd := 0.0
		if len(all) > 1 {
			sd = math.Sqrt(ss / (n - 1))
		}
		for i, f := range all {
			if sd > 0 {
				out[i].Values[j] = (f.Values[j] - mean) / sd
			}
		}
	}
	return out
}

// Records flattens peer groups into the domain's records, by organisation
// code and then rank, ready for AssessmentStore.SavePeers.
func Records(groups map[string][]Peer) []accord.Peer {
	codes := make([]string, 0, len(groups))
	for c := range groups {
		codes = append(codes, c)
	}
	slices.Sort(codes)
	var out []accord.Peer
	for _, c := range codes {
		for _, p := range groups[c] {
			out = append(out, accord.Peer{OrgCode: c, PeerCode: p.Code, Rank: p.Rank, Distance: p.Distance})
		}
	}
	return out
}
