package spc

import "math"

// The XmR constants of R/ptd_spc_standard.R. They are variables, not
// constants, on purpose: the package evaluates 2 * (2.66 / 3) in double
// precision, while a Go constant expression would be evaluated exactly and
// could differ in the last bit.
var (
	limitFactor     = 2.66                  // process limits: mean ± 2.66 × mean moving range
	nearLimitFactor = 2 * (limitFactor / 3) // "near" (two-sigma) limits: 1.7733…
	screenFactor    = 3.267                 // moving ranges at or above 3.267 × their mean are screened out
)

// limits are one group's centre line and limits.
type limits struct {
	mean, lpl, upl, nlpl, nupl float64
}

// xmrLimits computes a group's limits as ptd_spc_standard does
// (R/ptd_spc_standard.R):
//
//   - only the first fix points are used when fix > 0 (fix_y);
//   - mean_col is their mean; the moving ranges are |y[i] - y[i-1]| between
//     consecutive used points (the first point has none) and amr their mean;
//   - with screening, moving ranges not strictly below 3.267 × amr are dropped
//     and amr is recomputed from the rest;
//   - lpl/upl are mean ∓ 2.66 × amr and nlpl/nupl mean ∓ 2 × (2.66 / 3) × amr.
//
// When no moving range is left (one point, or screening with every moving
// range zero, since 0 < 3.267 × 0 is false) R's mean of nothing is NaN, and
// so are the limits; the mean itself is still the mean of the points.
//
// The moving ranges are worked out in s's memory.
func (s *Scratch) xmrLimits(ys []float64, fix int, screen bool) limits {
	used := ys
	if fix > 0 && fix < len(ys) {
		used = ys[:fix]
	}
	m := rMean(used)

	mr := grow(&s.floats, len(used))[:0]
	for i := 1; i < len(used); i++ {
		mr = append(mr, math.Abs(used[i]-used[i-1]))
	}
	amr := rMean(mr)
	if screen {
		cut := float64(screenFactor * amr)
		kept := mr[:0]
		for _, r := range mr {
			// The package keeps a range only when mr < 3.267 * amr; a NaN
			// comparison is false, as R's case_when treats NA.
			if r < cut {
				kept = append(kept, r)
			}
		}
		amr = rMean(kept)
	}

	// float64(...) forbids fusing the product into a multiply-add, so every
	// platform rounds as R does.
	wide := float64(limitFactor * amr)
	near := float64(nearLimitFactor * amr)
	return limits{mean: m, lpl: m - wide, upl: m + wide, nlpl: m - near, nupl: m + near}
}

// rMean is the mean as R's mean() gives it for doubles. R sums in long
// double and then corrects by the mean residual, which in practice yields the
// true mean rounded once to a double. Here a compensated sum and an exact
// remainder (by fused multiply-add) carry the extra precision instead. The
// mean of nothing is NaN, as in R (mean(numeric(0), na.rm = TRUE)).
func rMean(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	n := float64(len(xs))
	var s kahan
	for _, x := range xs {
		s.add(x)
	}
	if math.IsInf(s.hi, 0) || math.IsNaN(s.hi) {
		// R's long double sum does not overflow for finite doubles; summing
		// x/n instead keeps the mean finite here too.
		var q kahan
		for _, x := range xs {
			q.add(x / n)
		}
		return q.hi + q.lo
	}
	q := s.hi / n
	// hi - q*n exactly, plus the compensation, is what the quotient missed.
	rem := math.FMA(-q, n, s.hi) + s.lo
	return q + rem/n
}

// kahan is a Neumaier compensated sum.
type kahan struct{ hi, lo float64 }

func (k *kahan) add(x float64) {
	t := k.hi + x
	if math.Abs(k.hi) >= math.Abs(x) {
		k.lo += (k.hi - t) + x
	} else {
		k.lo += (x - t) + k.hi
	}
	k.hi = t
}
