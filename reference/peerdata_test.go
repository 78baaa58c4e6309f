package reference

import (
	"math"
	"os"
	"strings"
	"testing"
)

func TestICBProfiles(t *testing.T) {
	ps, err := ICBProfiles()
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 42 {
		t.Fatalf("%d profiles, want 42", len(ps))
	}
	byCode := map[string]ICBProfile{}
	var pop, area float64
	for _, p := range ps {
		if _, dup := byCode[p.ICB]; dup {
			t.Errorf("%s twice", p.ICB)
		}
		byCode[p.ICB] = p
		pop += p.Population
		area += p.AreaKm2
		if p.Population < 400_000 || p.Population > 3_200_000 {
			t.Errorf("%s population %.0f is not an ICB's", p.ICB, p.Population)
		}
		if p.Under18Share < 0.15 || p.Under18Share > 0.3 || p.Over65Share < 0.08 || p.Over65Share > 0.3 {
			t.Errorf("%s shares under 18 %.3f, 65+ %.3f out of range", p.ICB, p.Under18Share, p.Over65Share)
		}
		if p.IMDScore < 5 || p.IMDScore > 50 || p.AreaKm2 <= 0 || math.Abs(p.DensityPerKm2-p.Population/p.AreaKm2) > 1e-9 {
			t.Errorf("%s: %+v", p.ICB, p)
		}
		if !strings.HasPrefix(p.Name, "NHS ") {
			t.Errorf("%s name %q", p.ICB, p.Name)
		}
	}
	// Every LSOA is counted once, so England's mid-2020 total (ONS MYE2,
	// 56,550,138) is kept exactly.
	if math.Abs(pop-56_550_138) > 0.5 {
		t.Errorf("England population %.1f, want 56,550,138", pop)
	}
	// ONS gives England's area to mean high water as about 130,300 km²; the
	// generalised boundaries come within a percent.
	if area < 129_000 || area > 131_600 {
		t.Errorf("England area %.0f km², want about 130,300", area)
	}
	// Values read straight from the files.
	if got := byCode["QYG"].IMDScore; got != 25.531 {
		t.Errorf("Cheshire and Merseyside IMD score %v, want 25.531", got)
	}
	// London is dense, Lincolnshire is not.
	for _, c := range []string{"QMJ", "QMF", "QRV", "QKK", "QWE"} {
		if byCode[c].DensityPerKm2 < 4000 {
			t.Errorf("%s (London) density %.0f", c, byCode[c].DensityPerKm2)
		}
	}
	if d := byCode["QJM"].DensityPerKm2; d > 200 {
		t.Errorf("Lincolnshire density %.0f, want under 200", d)
	}
}

// The districts merged in April 2023 each map to the ICBs their LSOAs lie
// in: Cumbria's divide between North East and North Cumbria (QHM) and
// Lancashire and South Cumbria (QE1), Craven goes with West Yorkshire
// (QWO), the rest of North Yorkshire with Humber and North Yorkshire (QOQ).
func TestDistrictShares(t *testing.T) {
	icbT, err := readTable("icbs_england.csv", "icb_ods_code")
	if err != nil {
		t.Fatal(err)
	}
	index := map[string]int{}
	for i, r := range icbT.rows {
		index[icbT.get(r, "icb_ods_code")] = i
	}
	share, err := districtShares(index)
	if err != nil {
		t.Fatal(err)
	}
	if len(share) != 309 {
		t.Errorf("%d districts, want England's 309 of 2021", len(share))
	}
	tests := map[string]map[string]float64{
		"Eden":                      {"QHM": 1},
		"Carlisle":                  {"QHM": 1},
		"Barrow-in-Furness":         {"QE1": 1},
		"South Lakeland":            {"QE1": 1},
		"Copeland":                  {"QHM": 41.0 / 47, "QE1": 6.0 / 47},
		"Craven":                    {"QWO": 30.0 / 33, "QE1": 3.0 / 33},
		"Harrogate":                 {"QOQ": 1},
		"Somerset West and Taunton": {"QSL": 1},
		"East Suffolk":              {"QJG": 0.5034, "QMM": 0.4966},
	}
	for district, want := range tests {
		got := share[district]
		if len(got) != len(want) {
			t.Errorf("%s: %v, want %v", district, got, want)
			continue
		}
		for icb, w := range want {
			if math.Abs(got[icb]-w) > 1e-4 {
				t.Errorf("%s: %v, want %v", district, got, want)
			}
		}
	}
	straddling := 0
	for _, m := range share {
		if len(m) > 1 {
			straddling++
		}
	}
	if straddling != 11 {
		t.Errorf("%d districts straddle ICBs, want 11", straddling)
	}
}

func TestDistrictOfLSOA(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"Eden 003A", "Eden", true},
		{"Bournemouth, Christchurch and Poole 001A", "Bournemouth, Christchurch and Poole", true},
		{"Kingston upon Hull 012F", "Kingston upon Hull", true},
		{"Eden 03A", "", false},
		{"Eden 003a", "", false},
		{"Eden003A", "", false},
		{" 003A", "", false},
	}
	for _, tt := range tests {
		got, ok := districtOfLSOA(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("districtOfLSOA(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestRingArea(t *testing.T) {
	// The northern hemisphere as one ring: half the WGS84 ellipsoid's
	// 510,065,621.724 km².
	half, err := ringArea([][]float64{{-180, 0}, {180, 0}, {180, 90}, {-180, 90}, {-180, 0}})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := half/1e6, 510_065_621.724/2; math.Abs(got-want) > 0.01 {
		t.Errorf("hemisphere %.3f km², want %.3f", got, want)
	}
	// Orientation does not matter.
	cw, _ := ringArea([][]float64{{0, 50}, {0, 51}, {1, 51}, {1, 50}, {0, 50}})
	ccw, _ := ringArea([][]float64{{0, 50}, {1, 50}, {1, 51}, {0, 51}, {0, 50}})
	if cw != ccw || cw < 7.7e9 || cw > 7.9e9 { // a 1° cell at 50°N is about 7,800 km²
		t.Errorf("1° cell at 50°N: %v and %v m²", cw, ccw)
	}
	if _, err := ringArea([][]float64{{0, 0}, {1, 1}, {0, 0}}); err == nil {
		t.Error("a ring of 3 positions should fail")
	}
}

// Each file ICBProfiles reads is described in PROVENANCE.md.
func TestPeerDataProvenance(t *testing.T) {
	b, err := os.ReadFile("data/PROVENANCE.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{PopulationFile, LSOALookupFile, IMDICBFile, ICBBoundariesFile} {
		if !strings.Contains(string(b), "| `"+f+"` |") {
			t.Errorf("PROVENANCE.md has no row for %s", f)
		}
	}
}

func BenchmarkICBProfiles(b *testing.B) {
	for b.Loop() {
		if _, err := ICBProfiles(); err != nil {
			b.Fatal(err)
		}
	}
}
