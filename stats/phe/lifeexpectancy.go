package phe

import (
	"fmt"
	"math"
	"sort"
)

// StandardAgeBands are phe_life_expectancy's default age_contents: the start
// ages of the abridged life table, 0, 1-4, 5-9, ..., 85-89, 90+.
var StandardAgeBands = []int{0, 1, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90}

// MethodChiang is the label phe_life_expectancy writes in its method column.
const MethodChiang = "Chiang, using Silcocks et al for confidence limits"

// leBands is the number of age bands the package's life table requires; it
// is fixed at 20 in the package whatever age_contents says.
const leBands = 20

// LEOptions are phe_life_expectancy's optional arguments.
type LEOptions struct {
	// AgeContents lists every start age in ascending order; the start ages
	// given must be exactly these. nil means StandardAgeBands.
	AgeContents []int
	// LEAge limits the output to these start ages; nil means "all".
	LEAge []int
}

// LERow is the life expectancy at one start age.
type LERow struct {
	StartAge  int        `json:"startage"`
	Value     *float64   `json:"value"`
	Intervals []Interval `json:"intervals"`
	// PopsUsed and DthsUsed are the population and deaths at this age and
	// above (nil when the whole table is suppressed).
	PopsUsed  *float64 `json:"pops_used"`
	DthsUsed  *float64 `json:"dths_used"`
	Statistic string   `json:"statistic"`
	Method    string   `json:"method"`
}

// LEResult is a life table's output: one row per start age requested, and
// the warnings the package would raise.
type LEResult struct {
	Rows     []LERow  `json:"rows"`
	Warnings []string `json:"warnings"`
}

// LifeExpectancy is phe_life_expectancy for one area: Chiang's abridged life
// table with Silcocks' variance for the open final band, life expectancy and
// confidence limits at every start age.
//
// Suppression follows the package. The whole table is NA (with the
// package's warning) when any deaths are negative, any population is zero
// or less, there are not 20 age bands, any deaths exceed the population, or
// the total population is 5,000 or less. A single life expectancy is NA,
// though its limits are kept, when its 95% interval is wider than 20 years
// (1.96 × SE > 10), or when it is infinite (no deaths in the final band).
func LifeExpectancy(deaths, population []float64, startAges []int, confidence []float64, opts LEOptions) (LEResult, error) {
	if len(deaths) != len(population) || len(deaths) != len(startAges) {
		return LEResult{}, invalid("deaths, population and startage must have the same length")
	}
	ages := opts.AgeContents
	if ages == nil {
		ages = StandardAgeBands
	}
	if len(ages) == 0 || ages[0] != 0 {
		return LEResult{}, invalid("first age band in age_contents must be 0")
	}
	if !sort.IntsAreSorted(ages) {
		return LEResult{}, invalid("age_contents doesn't appear to be in ascending order")
	}
	levels, err := confidenceMany(confidence)
	if err != nil {
		return LEResult{}, err
	}
	// The start ages present must be exactly age_contents.
	seen := map[int]bool{}
	var uniq []int
	for _, a := range startAges {
		if !seen[a] {
			seen[a] = true
			uniq = append(uniq, a)
		}
	}
	sort.Ints(uniq)
	want := append([]int(nil), ages...)
	sort.Ints(want)
	if fmt.Sprint(uniq) != fmt.Sprint(want) {
		return LEResult{}, invalid("the contents in the startage field do not match the contents of the age_contents vector")
	}

	// Order rows by start age (the package arranges by startage).
	idx := make([]int, len(startAges))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return startAges[idx[a]] < startAges[idx[b]] })
	k := len(idx)
	age := make([]int, k)
	d := make([]float64, k)
	p := make([]float64, k)
	for i, j := range idx {
		age[i], d[i], p[i] = startAges[j], deaths[j], population[j]
	}

	res := LEResult{Warnings: []string{}}
	suppress := func(msg string) LEResult {
		res.Warnings = append(res.Warnings, msg)
		res.Rows = leRows(age, levels, nil, nil, nil, nil, nil, false)
		// The package returns here, before it applies le_age.
		return res
	}
	any := func(f func(i int) bool) bool {
		for i := 0; i < k; i++ {
			if f(i) {
				return true
			}
		}
		return false
	}
	if any(func(i int) bool { return d[i] < 0 }) {
		return suppress("some age bands have negative deaths; outputs have been suppressed to NAs"), nil
	}
	if any(func(i int) bool { return p[i] <= 0 }) {
		return suppress("some age bands have a zero or less population; outputs have been suppressed to NAs"), nil
	}
	if k != leBands {
		return suppress("some groups contain a different number of age bands than 20; life expectancy cannot be calculated for these. These groups will contain NAs."), nil
	}
	if any(func(i int) bool { return d[i] > p[i] }) {
		return suppress("some age bands have more deaths than population; outputs have been suppressed to NAs"), nil
	}
	if tp := sumNA(p); tp <= 5000 {
		return suppress("some groups have a total population of less than 5,000; outputs have been suppressed to NAs"), nil
	}

	// The life table, column by column as the package builds it.
	ni := make([]float64, k)
	ai := make([]float64, k)
	M := make([]float64, k)
	q := make([]float64, k)
	for i := 0; i < k; i++ {
		M[i] = d[i] / p[i]
		ai[i] = 0.5
		if age[i] == 0 {
			ai[i] = 0.1
		}
		if i < k-1 {
			ni[i] = float64(age[i+1] - age[i])
		} else {
			ni[i] = 2 / M[i]
		}
		if d[i] <= p[i]/ni[i]/ai[i] {
			q[i] = M[i] * ni[i] / (1 + M[i]*ni[i]*(1-ai[i]))
		} else {
			q[i] = 1
		}
	}
	l := make([]float64, k)
	l[0] = 1e5
	for i := 1; i < k; i++ {
		l[i] = l[i-1] * (1 - q[i-1])
	}
	di := make([]float64, k)
	L := make([]float64, k)
	for i := 0; i < k; i++ {
		next := 0.0
		if i < k-1 {
			next = l[i+1]
		}
		di[i] = l[i] - next
		if i < leBands-1 {
			L[i] = ni[i] * (next + ai[i]*di[i])
		} else {
			L[i] = l[i] / M[i]
		}
	}
	T := revCumsum(L)
	e := make([]float64, k)
	for i := range e {
		if l[i] == 0 {
			e[i] = 0
		} else {
			e[i] = T[i] / l[i]
		}
	}
	W := make([]float64, k)
	for i := 0; i < k; i++ {
		var sp float64
		if di[i] == 0 {
			sp = 0
		} else {
			sp = q[i] * q[i] * (1 - q[i]) / d[i]
		}
		if i == leBands-1 {
			sp = 4 / (d[i] * (M[i] * M[i]))
		}
		if i < leBands-1 {
			w := (1-ai[i])*ni[i] + e[i+1]
			W[i] = sp * (l[i] * l[i]) * (w * w)
		} else {
			half := l[i] / 2
			W[i] = half * half * sp
		}
	}
	ST := revCumsum(W)
	se := make([]float64, k)
	for i := range se {
		se[i] = math.Sqrt(ST[i] / (l[i] * l[i]))
	}
	wide := false
	value := make([]float64, k)
	over := make([]bool, k)
	z95 := qnorm(0.975)
	for i := range value {
		value[i] = e[i]
		if math.IsInf(value[i], 1) {
			value[i] = math.NaN()
		}
		if z95*se[i] > 10 {
			over[i] = true
			wide = true
			value[i] = math.NaN()
		}
	}
	if wide {
		res.Warnings = append(res.Warnings, "some life expectancy values have a 95% confidence interval > 20 years; these values have been suppressed to NAs")
	}
	popsUsed := revCumsum(p)
	dthsUsed := revCumsum(d)
	res.Rows = leRows(age, levels, value, e, se, popsUsed, dthsUsed, true)
	return filterLEAge(res, ages, opts.LEAge), nil
}

func leRows(age []int, levels, value, e, se, pops, dths []float64, computed bool) []LERow {
	rows := make([]LERow, len(age))
	for i := range age {
		r := LERow{
			StartAge:  age[i],
			Intervals: make([]Interval, len(levels)),
		}
		for j, c := range levels {
			r.Intervals[j] = Interval{Confidence: c}
		}
		if computed {
			r.Value = numFinite(value[i])
			r.PopsUsed = numFinite(pops[i])
			r.DthsUsed = numFinite(dths[i])
			r.Statistic = fmt.Sprintf("life expectancy at %d", age[i])
			r.Method = MethodChiang
			for j, c := range levels {
				z := zFor(c)
				r.Intervals[j].Lower = num(e[i] - z*se[i])
				r.Intervals[j].Upper = num(e[i] + z*se[i])
			}
		}
		rows[i] = r
	}
	return rows
}

func filterLEAge(res LEResult, ages, leAge []int) LEResult {
	if leAge == nil {
		return res
	}
	wanted := map[int]bool{}
	hit := false
	for _, a := range leAge {
		wanted[a] = true
	}
	for _, a := range ages {
		if wanted[a] {
			hit = true
		}
	}
	if !hit {
		res.Warnings = append(res.Warnings, "le_age not in the vector described by age_contents; all life expectancies will be returned")
		return res
	}
	var rows []LERow
	for _, r := range res.Rows {
		if wanted[r.StartAge] {
			rows = append(rows, r)
		}
	}
	res.Rows = rows
	return res
}

// revCumsum is R's rev(cumsum(rev(x))).
func revCumsum(x []float64) []float64 {
	out := make([]float64, len(x))
	s := 0.0
	for i := len(x) - 1; i >= 0; i-- {
		s += x[i]
		out[i] = s
	}
	return out
}
