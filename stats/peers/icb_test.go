package peers_test

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/nhs-accord/accord/reference"
	"github.com/nhs-accord/accord/stats/peers"
)

// icbs reads the shipped ICB profiles (the only reason this pure package's
// tests import reference).
func icbs(t testing.TB) ([]peers.ICB, map[string]string) {
	t.Helper()
	ps, err := reference.ICBProfiles()
	if err != nil {
		t.Fatal(err)
	}
	out := make([]peers.ICB, len(ps))
	names := map[string]string{}
	for i, p := range ps {
		out[i] = peers.ICB{Code: p.ICB, Population: p.Population, Under18Share: p.Under18Share, Over65Share: p.Over65Share,
			IMDScore: p.IMDScore, DensityPerKm2: p.DensityPerKm2}
		names[p.ICB] = strings.TrimSuffix(strings.TrimPrefix(p.Name, "NHS "), " Integrated Care Board")
	}
	return out, names
}

var london = []string{"QMJ", "QMF", "QRV", "QKK", "QWE"}

func TestICBPeers(t *testing.T) {
	in, names := icbs(t)
	groups, err := peers.ICBPeers(in, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(groups) != 42 {
		t.Fatalf("%d peer groups, want 42", len(groups))
	}
	for code, ps := range groups {
		if len(ps) != 10 {
			t.Errorf("%s has %d peers, want 10", code, len(ps))
		}
		seen := map[string]bool{}
		for i, p := range ps {
			if p.Code == code || seen[p.Code] || p.Rank != i+1 || names[p.Code] == "" {
				t.Errorf("%s: bad peer %+v", code, p)
			}
			seen[p.Code] = true
		}
	}

	// Deterministic whatever the order of the ICBs.
	shuffled := slices.Clone(in)
	rand.New(rand.NewPCG(1, 2)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	again, err := peers.ICBPeers(shuffled, 10)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(groups, again) {
		t.Error("shuffling the ICBs changed the peer groups")
	}

	// Sanity: the five London ICBs are each other's peers; the rural shires
	// find each other; the big northern conurbations find each other.
	for _, c := range london {
		got := codesOf(groups[c])
		for _, o := range london {
			if o != c && !slices.Contains(got, o) {
				t.Errorf("%s (%s) peers %v lack %s (%s)", c, names[c], got, o, names[o])
			}
		}
	}
	checks := map[string][]string{
		"QJM": {"QT6", "QMM", "QSL", "QJK"}, // Lincolnshire: Cornwall, Norfolk and Waveney, Somerset, Devon
		"QVV": {"QSL", "QJK", "QT6", "QR1"}, // Dorset: Somerset, Devon, Cornwall, Gloucestershire
		"QOP": {"QWO", "QYG", "QF7"},        // Greater Manchester: West Yorkshire, Cheshire and Merseyside, South Yorkshire
	}
	for c, want := range checks {
		got := codesOf(groups[c])
		for _, o := range want {
			if !slices.Contains(got, o) {
				t.Errorf("%s (%s) peers %v lack %s (%s)", c, names[c], got, o, names[o])
			}
		}
	}

	// For the record (docs/stats-compare.md quotes these).
	for _, c := range []string{"QHG", "QVV", "QOP", "QMJ", "QJM"} {
		var b strings.Builder
		for _, p := range groups[c] {
			fmt.Fprintf(&b, "\n  %2d. %s %-45s %.2f", p.Rank, p.Code, names[p.Code], p.Distance)
		}
		t.Logf("%s %s:%s", c, names[c], b.String())
	}
}

func TestICBFeaturesRejects(t *testing.T) {
	ok := peers.ICB{Code: "QAA", Population: 1e6, Under18Share: 0.2, Over65Share: 0.2, IMDScore: 20, DensityPerKm2: 500}
	for _, bad := range []peers.ICB{
		{Code: "QBB", Population: 0, Under18Share: 0.2, Over65Share: 0.2, IMDScore: 20, DensityPerKm2: 500},
		{Code: "QBB", Population: 1e6, Under18Share: 0.2, Over65Share: 0.2, IMDScore: 20, DensityPerKm2: 0},
		{Code: "QBB", Population: 1e6, Under18Share: 0.6, Over65Share: 0.5, IMDScore: 20, DensityPerKm2: 500},
		{Code: "QBB", Population: 1e6, Under18Share: -0.1, Over65Share: 0.2, IMDScore: 20, DensityPerKm2: 500},
	} {
		if _, err := peers.ICBFeatures([]peers.ICB{ok, bad}); err == nil {
			t.Errorf("ICBFeatures(%+v) should fail", bad)
		}
	}
	if _, err := peers.ICBPeers(nil, 10); err == nil {
		t.Error("no ICBs should fail")
	}
	if n := len(peers.ICBFeatureNames()); n != len(peers.ICBWeights()) {
		t.Errorf("%d feature names for %d weights", n, len(peers.ICBWeights()))
	}
}

func BenchmarkICBPeers(b *testing.B) {
	in, _ := icbs(b)
	for b.Loop() {
		if _, err := peers.ICBPeers(in, 10); err != nil {
			b.Fatal(err)
		}
	}
}
