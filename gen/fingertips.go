package gen

import (
	"encoding/csv"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/nhs-accord/accord"
	"github.com/nhs-accord/accord/importer"
)

// The "fingertips" generator writes a Fingertips API all_data CSV (the
// layout fingertips.phe.org.uk/api/all_data/csv returns) for the four
// catalogue indicators OHID publishes there — healthy life expectancy at
// birth (90362), life expectancy at birth (90366), the slope index of
// inequality in life expectancy (92901) and under-75 mortality from all
// causes (108) — for England, the 7 NHS regions, the 42 ICBs and the 153
// upper-tier local authorities, by sex, over 3-year rolling periods, each
// value with its 95% interval and the comparison with England. Each area
// has a seeded level of health, drawn once, that moves all four indicators
// together (longer lives, fewer early deaths, a smaller gap), around
// England's figures of the early 2020s.
//
// Options.Months is the number of rolling periods (10 by default); the last
// one ends in the year of Options.From (2023 when From is not set), so the
// default ten are 2012-14 … 2021-23.

func init() {
	register(Generator{
		Name:   "fingertips",
		About:  "OHID Fingertips API CSV: life expectancy, healthy life expectancy, its inequality and under-75 mortality for England, regions, ICBs and places (--months = 3-year periods, the last ending in --from's year)",
		Months: 10,
		Write:  writeFingertips,
	})
}

// ftGenIndicator is one indicator as the generator draws it.
type ftGenIndicator struct {
	id, name, age string
	sexes         []string
	england       map[string]float64 // by sex
	spread        float64            // how far areas sit from England per unit of health
	noise         float64            // year-to-year wobble
	trend         float64            // change per year
	higherBetter  bool
	rate          bool // a rate with deaths and a population; else years with an interval width
	halfWidth     float64
}

var ftGenIndicators = []ftGenIndicator{
	{id: "90362", name: "Healthy life expectancy at birth", age: "All ages", sexes: []string{"Male", "Female"},
		england: map[string]float64{"Male": 62.4, "Female": 62.4}, spread: 3.2, noise: 0.6, trend: -0.1, higherBetter: true, halfWidth: 1.6},
	{id: "90366", name: "Life expectancy at birth", age: "All ages", sexes: []string{"Male", "Female"},
		england: map[string]float64{"Male": 78.9, "Female": 82.8}, spread: 1.6, noise: 0.2, trend: 0.05, higherBetter: true, halfWidth: 0.4},
	{id: "92901", name: "Inequality in life expectancy at birth", age: "All ages", sexes: []string{"Male", "Female"},
		england: map[string]float64{"Male": 9.7, "Female": 7.9}, spread: -2.0, noise: 0.5, trend: 0.05, higherBetter: false, halfWidth: 1.4},
	{id: "108", name: "Under 75 mortality rate from all causes", age: "<75 yrs", sexes: []string{"Persons", "Male", "Female"},
		england: map[string]float64{"Persons": 341, "Male": 425, "Female": 263}, spread: -45, noise: 6, trend: -2, higherBetter: false, rate: true},
}

// ftGenArea is one area of the file with its drawn health and size.
type ftGenArea struct {
	code, name, areaType, parentCode, parentName string
	health                                       float64 // 0 for England; about -2 to 2
	population                                   float64 // under-75 residents
}

func writeFingertips(w io.Writer, orgs Orgs, opt Options) error {
	n := opt.Months
	if n <= 0 {
		n = 10
	}
	last := 2023
	if !opt.From.IsZero() {
		last = opt.From.Start().Year()
	}
	rng := NewRand(opt.Seed)
	byCode := map[string]accord.Organisation{}
	for _, o := range orgs.All {
		byCode[o.Code] = o
	}
	ons := func(o accord.Organisation) string {
		if o.ONSCode != "" {
			return o.ONSCode
		}
		return o.Code
	}
	areas := []ftGenArea{{code: accord.EnglandONSCode, name: "England", areaType: "England", population: 50e6}}
	for _, group := range []struct {
		orgs     []accord.Organisation
		areaType string
		people   float64
	}{
		{orgs.Regions, "NHS Regions", 50e6 / 7},
		{orgs.ICBs, "NHS Integrated Care Boards", 50e6 / 42},
		{orgs.Places, "Counties and Unitary Authorities", 50e6 / 153},
	} {
		for _, o := range group.orgs {
			a := ftGenArea{code: ons(o), name: o.Name, areaType: group.areaType,
				health: math.Max(-2.5, math.Min(2.5, rng.NormFloat64()*0.8)), population: group.people * math.Exp(rng.NormFloat64()*0.45)}
			if p, ok := byCode[o.ParentCode]; ok && p.Type != accord.OrgEngland {
				a.parentCode, a.parentName = ons(p), p.Name
			}
			areas = append(areas, a)
		}
	}
	cw := csv.NewWriter(w)
	header := strings.Split(importer.FingertipsAPIHeader, ",")
	if err := cw.Write(header); err != nil {
		return err
	}
	rec := make([]string, len(header))
	f1 := func(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }
	f2 := func(v float64) string { return strconv.FormatFloat(v, 'f', 2, 64) }
	for _, ind := range ftGenIndicators {
		for i := range n {
			end := last - (n - 1) + i
			first := end - 2
			period := strconv.Itoa(first) + " - " + strconv.Itoa(end%100/10) + strconv.Itoa(end%10)
			years := float64(end - 2020)
			for _, sex := range ind.sexes {
				england := ind.england[sex] + ind.trend*years
				for _, a := range areas {
					v := england + ind.spread*a.health*0.5
					if a.areaType != "England" {
						v += rng.NormFloat64() * ind.noise
					}
					var lo, hi float64
					count, den := "", ""
					if ind.rate {
						// Deaths over three years among the area's under-75s.
						people := a.population
						if sex != "Persons" {
							people /= 2
						}
						personYears := math.Round(3 * people)
						deaths := math.Max(1, math.Round(v*personYears/1e5))
						v = deaths / personYears * 1e5
						half := 1.96 * v / math.Sqrt(deaths)
						lo, hi = math.Max(0, v-half), v+half
						count, den = strconv.FormatFloat(deaths, 'f', 0, 64), strconv.FormatFloat(personYears, 'f', 0, 64)
					} else {
						v = math.Max(0.5, v)
						half := ind.halfWidth * math.Sqrt(50e6/153/a.population)
						if a.areaType == "England" {
							half = ind.halfWidth / 20
						}
						lo, hi = math.Max(0, v-half), v+half
					}
					v = math.Round(v*10) / 10
					lo, hi = math.Min(lo, v), math.Max(hi, v)
					compared := "Not compared"
					if a.areaType != "England" {
						switch {
						case lo > england:
							compared = map[bool]string{true: "Better", false: "Worse"}[ind.higherBetter]
						case hi < england:
							compared = map[bool]string{true: "Worse", false: "Better"}[ind.higherBetter]
						default:
							compared = "Similar"
						}
					}
					clear(rec)
					rec[0], rec[1], rec[2], rec[3] = ind.id, ind.name, a.parentCode, a.parentName
					rec[4], rec[5], rec[6], rec[7], rec[8] = a.code, a.name, a.areaType, sex, ind.age
					rec[11], rec[12], rec[13], rec[14] = period, f1(v), f2(lo), f2(hi)
					rec[17], rec[18] = count, den
					rec[21], rec[23] = compared, strconv.Itoa(first)+"0000"
					if err := cw.Write(rec); err != nil {
						return err
					}
				}
			}
		}
	}
	cw.Flush()
	return cw.Error()
}
