package reference

import (
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// The files the ICB profiles are built from (see data/PROVENANCE.md).
const (
	PopulationFile = "ons_mye2020_ltla21_single_year_age.csv"     // ONS mid-2020 estimates by single year of age, 2021 districts
	LSOALookupFile = "lsoa21_sicbl24_icb24_lookup_apr2024.csv.gz" // ONS LSOA 2021 → sub-ICB location → ICB, April 2024
	IMDICBFile     = "iod2025_icb24_summaries.csv"                // MHCLG English Indices of Deprivation 2025, ICB summaries
)

// ICBProfile is what Accord matches ICBs on to find their peers: size, age
// structure, deprivation and rurality.
type ICBProfile struct {
	ICB           string  // ODS code
	Name          string  // ICB name
	Population    float64 // residents, mid-2020
	Under18Share  float64 // share of residents aged 0–17, 0 to 1
	Over65Share   float64 // share aged 65 and over, 0 to 1
	IMDScore      float64 // IMD 2025 population-weighted average score
	AreaKm2       float64 // area within the coastline, from the generalised boundary
	DensityPerKm2 float64 // Population / AreaKm2
}

// ICBProfiles builds the 42 ICB profiles, in the order of icbs_england.csv,
// from the shipped ONS, MHCLG and boundary files.
//
// Population: the ONS mid-2020 estimates are published for local authority
// districts on their 2021 codes. Each district is shared among ICBs in
// proportion to its 2021 LSOAs in each ICB (LSOAs are built to hold 1,000 to
// 3,000 residents, so the count is a fair proxy for population), and its age
// structure is assumed the same throughout. The district of each LSOA is read
// from the LSOA's name ("Eden 003A" lies in Eden), which ONS forms from the
// 2021 district name; this is why 2021 districts are used: the districts
// merged in April 2023 (Cumbria, North Yorkshire, Somerset) map cleanly, so
// Eden goes to North East and North Cumbria and Barrow-in-Furness and South
// Lakeland to Lancashire and South Cumbria, where the 2023 unitary
// Westmorland and Furness straddles the two. 11 of the 309 districts
// straddle ICBs.
//
// Area is measured on the April 2023 ICB boundaries (unchanged in April
// 2024) as an equal-area projection of the WGS84 ellipsoid; the boundaries
// are generalised and clipped to the coastline, so areas are approximate
// (England comes to about 130,600 km²).
func ICBProfiles() ([]ICBProfile, error) {
	icbT, err := readTable("icbs_england.csv", "icb_ods_code", "icb_name", "icb_ons_code_apr2023", "icb_ons_code_apr2024")
	if err != nil {
		return nil, err
	}
	var out []ICBProfile
	index := map[string]int{}      // ODS code → position in out
	byONS24 := map[string]string{} // ONS April 2024 code → ODS code
	byONS23 := map[string]string{}
	for _, r := range icbT.rows {
		code := icbT.get(r, "icb_ods_code")
		index[code] = len(out)
		byONS24[icbT.get(r, "icb_ons_code_apr2024")] = code
		byONS23[icbT.get(r, "icb_ons_code_apr2023")] = code
		out = append(out, ICBProfile{ICB: code, Name: icbT.get(r, "icb_name")})
	}

	ages, err := icbAges(index)
	if err != nil {
		return nil, err
	}
	imd, err := icbIMD(byONS24)
	if err != nil {
		return nil, err
	}
	area, err := icbAreas(byONS23)
	if err != nil {
		return nil, err
	}
	for i := range out {
		p := &out[i]
		a := ages[i]
		for age, n := range a {
			p.Population += n
			switch {
			case age < 18:
				p.Under18Share += n
			case age >= 65:
				p.Over65Share += n
			}
		}
		var ok bool
		if p.IMDScore, ok = imd[p.ICB]; !ok {
			return nil, fmt.Errorf("%s: no IMD 2025 summary for %s", IMDICBFile, p.ICB)
		}
		if p.AreaKm2, ok = area[p.ICB]; !ok {
			return nil, fmt.Errorf("%s: no boundary for %s", ICBBoundariesFile, p.ICB)
		}
		if p.Population <= 0 || p.AreaKm2 <= 0 {
			return nil, fmt.Errorf("ICB %s: population %v, area %v km²", p.ICB, p.Population, p.AreaKm2)
		}
		p.Under18Share /= p.Population
		p.Over65Share /= p.Population
		p.DensityPerKm2 = p.Population / p.AreaKm2
	}
	return out, nil
}

// ageBands is 0, 1, …, 89 and 90+, the columns of the ONS estimates.
const ageBands = 91

// icbAges returns residents by single year of age (the last band 90+) for
// each ICB, indexed as index.
func icbAges(index map[string]int) ([][ageBands]float64, error) {
	share, err := districtShares(index)
	if err != nil {
		return nil, err
	}
	cols := []string{"ltla21_code", "ltla21_name"}
	for a := range ageBands - 1 {
		cols = append(cols, strconv.Itoa(a))
	}
	cols = append(cols, "90+")
	pop, err := readTable(PopulationFile, cols...)
	if err != nil {
		return nil, err
	}
	out := make([][ageBands]float64, len(index))
	used := map[string]bool{}
	for i, r := range pop.rows {
		if !strings.HasPrefix(pop.get(r, "ltla21_code"), "E") {
			continue // Wales
		}
		// LSOA names drop the ", City of" of "Bristol, City of" and the like.
		name := strings.TrimSuffix(strings.TrimSuffix(pop.get(r, "ltla21_name"), ", City of"), ", County of")
		icbs, ok := share[name]
		if !ok {
			return nil, pop.errAt(i, "district %q has no LSOAs in %s", name, LSOALookupFile)
		}
		used[name] = true
		for a, col := range cols[2:] {
			v, err := strconv.ParseFloat(pop.get(r, col), 64)
			if err != nil || v < 0 {
				return nil, pop.errAt(i, "age %s: %q is not a count", col, pop.get(r, col))
			}
			for icb, s := range icbs {
				out[index[icb]][a] += v * s
			}
		}
	}
	for name := range share {
		if !used[name] {
			return nil, fmt.Errorf("%s: LSOAs of %q, a district with no population in %s", LSOALookupFile, name, PopulationFile)
		}
	}
	return out, nil
}

// districtShares returns, for each 2021 district (by name), the share of
// its LSOAs in each ICB.
func districtShares(index map[string]int) (map[string]map[string]float64, error) {
	lsoa, err := readGzipTable(LSOALookupFile, "lsoa21_name", "icb24_code_nhs")
	if err != nil {
		return nil, err
	}
	share := map[string]map[string]float64{} // counts first, then shares
	for i, r := range lsoa.rows {
		name := lsoa.get(r, "lsoa21_name")
		district, ok := districtOfLSOA(name)
		if !ok {
			return nil, lsoa.errAt(i, "LSOA name %q does not end in a number and letter such as 001A", name)
		}
		icb := lsoa.get(r, "icb24_code_nhs")
		if _, ok := index[icb]; !ok {
			return nil, lsoa.errAt(i, "ICB %q is not one of the 42 ICBs", icb)
		}
		if share[district] == nil {
			share[district] = map[string]float64{}
		}
		share[district][icb]++
	}
	for _, m := range share {
		var n float64
		for _, c := range m {
			n += c
		}
		for icb := range m {
			m[icb] /= n
		}
	}
	return share, nil
}

// districtOfLSOA reads the district from an LSOA name: "Eden 003A" → "Eden".
func districtOfLSOA(name string) (string, bool) {
	i := strings.LastIndexByte(name, ' ')
	if i < 1 || len(name)-i-1 != 4 {
		return "", false
	}
	suffix := name[i+1:]
	for _, c := range suffix[:3] {
		if c < '0' || c > '9' {
			return "", false
		}
	}
	if c := suffix[3]; c < 'A' || c > 'Z' {
		return "", false
	}
	return name[:i], true
}

// icbIMD returns each ICB's IMD 2025 average score, by ODS code.
func icbIMD(byONS24 map[string]string) (map[string]float64, error) {
	t, err := readTable(IMDICBFile, "icb24_code", "imd_average_score")
	if err != nil {
		return nil, err
	}
	out := map[string]float64{}
	for i, r := range t.rows {
		code, ok := byONS24[t.get(r, "icb24_code")]
		if !ok {
			return nil, t.errAt(i, "ICB %q is not one of the 42 ICBs", t.get(r, "icb24_code"))
		}
		v, err := strconv.ParseFloat(t.get(r, "imd_average_score"), 64)
		if err != nil {
			return nil, t.errAt(i, "imd_average_score %q is not a number", t.get(r, "imd_average_score"))
		}
		out[code] = v
	}
	return out, nil
}

// icbAreas returns each ICB's area in km² from the boundary file, by ODS code.
func icbAreas(byONS23 map[string]string) (map[string]float64, error) {
	b, err := ICBBoundaries()
	if err != nil {
		return nil, err
	}
	var fc struct {
		Features []struct {
			Properties struct {
				ICB23CD string
			}
			Geometry struct {
				Type        string
				Coordinates json.RawMessage
			}
		}
	}
	if err := json.Unmarshal(b, &fc); err != nil {
		return nil, fmt.Errorf("%s: %w", ICBBoundariesFile, err)
	}
	out := map[string]float64{}
	for _, f := range fc.Features {
		code, ok := byONS23[f.Properties.ICB23CD]
		if !ok {
			return nil, fmt.Errorf("%s: ICB %q is not one of the 42 ICBs", ICBBoundariesFile, f.Properties.ICB23CD)
		}
		var polys [][][][]float64
		switch f.Geometry.Type {
		case "Polygon":
			var p [][][]float64
			err = json.Unmarshal(f.Geometry.Coordinates, &p)
			polys = [][][][]float64{p}
		case "MultiPolygon":
			err = json.Unmarshal(f.Geometry.Coordinates, &polys)
		default:
			err = fmt.Errorf("geometry type %q is not a polygon", f.Geometry.Type)
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %s: %w", ICBBoundariesFile, f.Properties.ICB23CD, err)
		}
		var m2 float64
		for _, p := range polys {
			for i, ring := range p {
				a, err := ringArea(ring)
				if err != nil {
					return nil, fmt.Errorf("%s: %s: %w", ICBBoundariesFile, f.Properties.ICB23CD, err)
				}
				if i == 0 {
					m2 += a // the outer ring
				} else {
					m2 -= a // a hole
				}
			}
		}
		out[code] += m2 / 1e6
	}
	return out, nil
}

// WGS84, the datum of GeoJSON coordinates.
const (
	wgs84A = 6378137.0
	wgs84F = 1 / 298.257223563
)

// ringArea is the area in m² enclosed by a ring of [longitude, latitude]
// positions on the WGS84 ellipsoid, taking the ring's edges as straight
// lines in the Lambert cylindrical equal-area projection of the ellipsoid
// (x = longitude, y = q(latitude), the authalic "q" of Snyder, Map
// Projections: A Working Manual, eq. 3-12), where area is a²/2 times plane
// area. For edges a few hundred metres long the difference from geodesic
// edges is negligible.
func ringArea(ring [][]float64) (float64, error) {
	e2 := wgs84F * (2 - wgs84F)
	e := math.Sqrt(e2)
	q := func(latDeg float64) float64 {
		s := math.Sin(latDeg * math.Pi / 180)
		return (1 - e2) * (s/(1-e2*s*s) - math.Log((1-e*s)/(1+e*s))/(2*e))
	}
	if len(ring) < 4 {
		return 0, fmt.Errorf("a ring has %d positions; a closed ring needs at least 4", len(ring))
	}
	var sum float64
	for i := range len(ring) - 1 {
		a, b := ring[i], ring[i+1]
		if len(a) < 2 || len(b) < 2 {
			return 0, fmt.Errorf("a position has fewer than two coordinates")
		}
		sum += (b[0] - a[0]) * math.Pi / 180 * (q(a[1]) + q(b[1])) / 2
	}
	return math.Abs(sum) * wgs84A * wgs84A / 2, nil
}

// readGzipTable is readTable for a gzipped CSV file.
func readGzipTable(name string, required ...string) (*table, error) {
	f, err := files.Open("data/" + name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\xef\xbb\xbf")))).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(recs) == 0 {
		return nil, fmt.Errorf("%s:1: the file is empty", name)
	}
	t := &table{name: name, header: map[string]int{}, rows: recs[1:]}
	for i, h := range recs[0] {
		t.header[strings.TrimSpace(h)] = i
	}
	for _, c := range required {
		if _, ok := t.header[c]; !ok {
			return nil, fmt.Errorf("%s:1: missing column %s", name, c)
		}
	}
	return t, nil
}
