package spc

import (
	"encoding/binary"
	"encoding/json"
	"math"
	"testing"
)

// FuzzCompute checks that any series and options either give an error or a
// result whose limits are ordered LPL ≤ NLPL ≤ mean ≤ NUPL ≤ UPL (or all NaN
// where the package's are undefined), that every point is labelled, and that
// the result marshals to JSON.
func FuzzCompute(f *testing.F) {
	f.Add([]byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14}, uint16(0), uint8(0), uint8(0), true, false, 0.0)
	f.Add([]byte{5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5}, uint16(7), uint8(12), uint8(1), true, true, 5.0)
	f.Add([]byte{0, 10, 0, 10, 6, 6, 6, 6, 6, 6, 6, 0, 0, 0, 0, 90, 1, 2}, uint16(0x0105), uint8(0), uint8(2), false, true, -3.0)
	f.Add([]byte{200, 1, 199, 2, 198, 3}, uint16(1), uint8(13), uint8(3), true, false, 1e300)
	f.Add([]byte{}, uint16(0), uint8(0), uint8(0), true, false, 0.0)
	f.Fuzz(func(t *testing.T, data []byte, rebase uint16, fix uint8, dir uint8, screen, raw bool, target float64) {
		values := fuzzValues(data, raw)
		opt := Options{
			ImprovementDirection: []Direction{Increase, Decrease, Neutral, "", "sideways"}[int(dir)%5],
			ScreenOutliers:       &screen,
			Target:               &target,
		}
		// Two rebase positions from the two bytes of rebase (0 means none).
		for _, r := range []int{int(rebase & 0xff), int(rebase >> 8)} {
			if r != 0 {
				opt.RebaseIndices = append(opt.RebaseIndices, r)
			}
		}
		if fix != 0 {
			n := int(fix)
			opt.FixAfterNPoints = &n
		}

		res, err := Compute(values, opt)
		if err != nil {
			return
		}
		if len(res.Points) != len(values) || len(res.Groups) == 0 {
			t.Fatalf("%d points, %d groups for %d values", len(res.Points), len(res.Groups), len(values))
		}
		n := 0
		for gi, g := range res.Groups {
			if g.StartIndex != n || g.N < 1 {
				t.Fatalf("group %d starts at %d with %d points; expected start %d", gi, g.StartIndex, g.N, n)
			}
			n += g.N
			lims := []float64{g.LPL, g.NLPL, g.Mean, g.NUPL, g.UPL}
			if math.IsNaN(g.LPL) {
				if !math.IsNaN(g.NLPL) || !math.IsNaN(g.NUPL) || !math.IsNaN(g.UPL) {
					t.Fatalf("group %d: some limits NaN, some not: %v", gi, lims)
				}
				continue
			}
			for i := 1; i < len(lims); i++ {
				if !(lims[i-1] <= lims[i]) {
					t.Fatalf("group %d: limits out of order: %v", gi, lims)
				}
			}
			if g.CommonCause+g.SpecialCauseImprovement+g.SpecialCauseConcern > g.N {
				t.Fatalf("group %d: counts exceed n: %+v", gi, g)
			}
		}
		for i, p := range res.Points {
			if p.SpecialCauseType == "" || p.PointType == "" || p.Value != values[i] {
				t.Fatalf("point %d: %+v", i, p)
			}
		}
		if _, err := json.Marshal(res); err != nil {
			t.Fatalf("marshal: %v", err)
		}
	})
}

// fuzzValues reads a series from data: small integers (many ties, runs and
// trends) one byte each, or, when raw, any float64 eight bytes each.
func fuzzValues(data []byte, raw bool) []float64 {
	var out []float64
	if raw {
		for len(data) >= 8 {
			out = append(out, math.Float64frombits(binary.LittleEndian.Uint64(data)))
			data = data[8:]
		}
		return out
	}
	for _, b := range data {
		out = append(out, float64(int8(b))/4)
	}
	return out
}
