package spc

import (
	"encoding/json"
	"math"
)

// JSON has no NaN or infinity, and encoding/json refuses them, yet the
// package's limits are NaN for a group with no moving range. Points and
// groups therefore carry any non-finite number as null, and read null back
// as NaN.

// number is a float64 that is null in JSON when it is not finite.
type number float64

func (n number) MarshalJSON() ([]byte, error) {
	f := float64(n)
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return []byte("null"), nil
	}
	return json.Marshal(f)
}

func (n *number) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*n = number(math.NaN())
		return nil
	}
	var f float64
	if err := json.Unmarshal(b, &f); err != nil {
		return err
	}
	*n = number(f)
	return nil
}

type pointJSON struct {
	Value            number `json:"value"`
	Mean             number `json:"mean"`
	LPL              number `json:"lpl"`
	UPL              number `json:"upl"`
	NLPL             number `json:"nlpl"`
	NUPL             number `json:"nupl"`
	SpecialCauseType string `json:"special_cause_type"`
	PointType        string `json:"point_type"`
	Group            int    `json:"group"`
}

// MarshalJSON writes the point with non-finite numbers as null.
func (p Point) MarshalJSON() ([]byte, error) {
	return json.Marshal(pointJSON{
		number(p.Value), number(p.Mean), number(p.LPL), number(p.UPL), number(p.NLPL), number(p.NUPL),
		p.SpecialCauseType, p.PointType, p.Group,
	})
}

// UnmarshalJSON reads a point, null numbers as NaN.
func (p *Point) UnmarshalJSON(b []byte) error {
	var w pointJSON
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*p = Point{
		float64(w.Value), float64(w.Mean), float64(w.LPL), float64(w.UPL), float64(w.NLPL), float64(w.NUPL),
		w.SpecialCauseType, w.PointType, w.Group,
	}
	return nil
}

type groupJSON struct {
	StartIndex              int    `json:"start_index"`
	N                       int    `json:"n"`
	Mean                    number `json:"mean"`
	LPL                     number `json:"lpl"`
	UPL                     number `json:"upl"`
	NLPL                    number `json:"nlpl"`
	NUPL                    number `json:"nupl"`
	CommonCause             int    `json:"common_cause"`
	SpecialCauseImprovement int    `json:"special_cause_improvement"`
	SpecialCauseConcern     int    `json:"special_cause_concern"`
	VariationType           string `json:"variation_type"`
	ShortGroupWarning       bool   `json:"short_group_warning"`
}

// MarshalJSON writes the group with non-finite numbers as null.
func (g Group) MarshalJSON() ([]byte, error) {
	return json.Marshal(groupJSON{
		g.StartIndex, g.N, number(g.Mean), number(g.LPL), number(g.UPL), number(g.NLPL), number(g.NUPL),
		g.CommonCause, g.SpecialCauseImprovement, g.SpecialCauseConcern, g.VariationType, g.ShortGroupWarning,
	})
}

// UnmarshalJSON reads a group, null numbers as NaN.
func (g *Group) UnmarshalJSON(b []byte) error {
	var w groupJSON
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*g = Group{
		w.StartIndex, w.N, float64(w.Mean), float64(w.LPL), float64(w.UPL), float64(w.NLPL), float64(w.NUPL),
		w.CommonCause, w.SpecialCauseImprovement, w.SpecialCauseConcern, w.VariationType, w.ShortGroupWarning,
	}
	return nil
}
