package web

import "github.com/nhs-accord/accord"

// mapColours is how many region colours accord.css defines
// (.map-region-1 … .map-region-7), one per NHS region.
const mapColours = 7

// mapView is the ICB map drawn inline on the home page.
type mapView struct {
	ViewBox string
	Areas   []mapArea
}

// mapArea is one ICB on the map.
type mapArea struct {
	Href   string // "" when the shape's code matches no ICB held
	Title  string
	Path   string
	Colour int // 1–7 by region; 0 for a shape matched to no ICB
}

// icbMap pairs the boundary shapes, keyed by ONS code, with the ICBs: by
// current ONS code first, then by any earlier one, so boundaries published
// under an older code still find their ICB.
func (s *Server) icbMap(icbs []accord.Organisation, regionColour map[string]int) *mapView {
	if len(s.mapICB.Shapes) == 0 {
		return nil
	}
	byONS := make(map[string]accord.Organisation, len(icbs))
	for _, icb := range icbs {
		for _, sp := range icb.ONSCodes {
			byONS[sp.ONSCode] = icb
		}
	}
	for _, icb := range icbs {
		byONS[icb.ONSCode] = icb
	}
	m := &mapView{ViewBox: s.mapICB.ViewBox()}
	for _, sh := range s.mapICB.Shapes {
		if sh.Path == "" {
			continue
		}
		a := mapArea{Path: sh.Path, Title: sh.Name}
		if a.Title == "" {
			a.Title = sh.Code
		}
		if icb, ok := byONS[sh.Code]; ok {
			a.Href = "/icbs/" + icb.Code
			a.Title = icb.Name
			a.Colour = regionColour[icb.ParentCode]
		}
		m.Areas = append(m.Areas, a)
	}
	return m
}
