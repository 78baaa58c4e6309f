package spc

import (
	"fmt"
	"math"

	"github.com/nhs-accord/accord"
)

// Direction says which way a change in the measure is an improvement.
type Direction string

// The improvement directions NHSRplotthedots accepts (R/ptd_spc_options.R).
const (
	Increase Direction = "increase"
	Decrease Direction = "decrease"
	Neutral  Direction = "neutral"
)

// MinFixAfterNPoints is the smallest baseline the package allows: ptd_spc_options
// rejects fix_after_n_points below 12 (R/ptd_spc_options.R).
const MinFixAfterNPoints = 12

// ShortGroupThreshold: a group with fewer points than this has trial limits
// and is flagged. R/ptd_add_short_group_warnings.R in 0.2.x defaults the
// threshold to 13 (its comment and warning text still say 12; 0.1.0 used 12),
// so a group of 12 or fewer points is short.
const ShortGroupThreshold = 13

// Options are the choices ptd_spc takes for one series. The zero value is the
// package's default: improvement direction "increase", no target, no
// rebasing, limits from every point, outlier screening on.
type Options struct {
	// ImprovementDirection is "increase", "decrease" or "neutral"; empty means
	// "increase", the package's default.
	ImprovementDirection Direction `json:"improvement_direction"`
	// Target, when set, gives the assurance against the last group's limits.
	Target *float64 `json:"target"`
	// RebaseIndices are 0-based positions, strictly increasing, each starting
	// a new group with its own limits (the package's rebase dates). A rebase
	// at position 0 changes nothing.
	RebaseIndices []int `json:"rebase_indices"`
	// FixAfterNPoints, when set, computes each group's mean and limits from
	// its first N points only and carries them over the rest of the group.
	FixAfterNPoints *int `json:"fix_after_n_points"`
	// ScreenOutliers drops moving ranges of 3.267 × the mean moving range or
	// more before the limits are computed. nil means true, the package's
	// default; false matches the Making Data Count Excel tool.
	ScreenOutliers *bool `json:"screen_outliers"`
}

// Point is one value of the series with its group's limits and its
// classification.
//
// Mean and limits are NaN where the package's are: a group whose moving
// ranges are all missing (a one-point group, or, with screening on, a group
// whose values used for the limits are all equal). JSON carries NaN as null.
type Point struct {
	Value float64 `json:"value"`
	Mean  float64 `json:"mean"`
	LPL   float64 `json:"lpl"`
	UPL   float64 `json:"upl"`
	NLPL  float64 `json:"nlpl"`
	NUPL  float64 `json:"nupl"`
	// SpecialCauseType is the package's label, e.g. "Above UCL",
	// "7 Point Trend (Increasing)", "2 in 3 Below CL", "7 Points Above CL" or
	// "Common Cause".
	SpecialCauseType string `json:"special_cause_type"`
	// PointType is "common_cause", "special_cause_improvement",
	// "special_cause_concern", "special_cause_neutral_high" or
	// "special_cause_neutral_low".
	PointType string `json:"point_type"`
	// Group is the index in Result.Groups of the point's group.
	Group int `json:"group"`
}

// Group is one run of points between rebases, as the package's summary()
// reports it.
type Group struct {
	StartIndex int     `json:"start_index"`
	N          int     `json:"n"`
	Mean       float64 `json:"mean"`
	LPL        float64 `json:"lpl"`
	UPL        float64 `json:"upl"`
	NLPL       float64 `json:"nlpl"`
	NUPL       float64 `json:"nupl"`
	// Counts of points; neutral special causes count in none of the three
	// (summary.ptd_spc_df in R/ptd_spc.R).
	CommonCause             int `json:"common_cause"`
	SpecialCauseImprovement int `json:"special_cause_improvement"`
	SpecialCauseConcern     int `json:"special_cause_concern"`
	// VariationType is the point type of the group's last point.
	VariationType string `json:"variation_type"`
	// ShortGroupWarning is true when the group has fewer than
	// ShortGroupThreshold points: its limits are trial limits.
	ShortGroupWarning bool `json:"short_group_warning"`
}

// Result is the chart: every point, every group and the two icons for the
// series as it stands at its last point.
type Result struct {
	Points []Point `json:"points"`
	Groups []Group `json:"groups"`
	// VariationIcon names the Making Data Count variation icon for the last
	// point: "common_cause", "improvement_high", "improvement_low",
	// "concern_high", "concern_low", "neutral_high" or "neutral_low".
	VariationIcon string `json:"variation_icon"`
	// AssuranceType is "consistent_pass", "consistent_fail" or
	// "inconsistent"; empty without a target or when the direction is
	// neutral (the package gives NA).
	AssuranceType string `json:"assurance_type"`
	// AssuranceIcon names the assurance icon: "pass", "fail",
	// "inconsistent", or empty when there is no assurance.
	AssuranceIcon string `json:"assurance_icon"`
}

// Compute runs NHSRplotthedots' ptd_spc on one series, in order, one value a
// period, with no gaps. It returns an accord.EINVALID error naming each bad
// input: an empty series, a NaN or infinite value (by position), an unknown
// direction, a non-finite target, rebase positions out of range or not
// strictly increasing, or fix_after_n_points below 12.
func Compute(values []float64, opt Options) (Result, error) {
	var s Scratch
	return s.Compute(values, opt)
}

// Scratch is the memory Compute works in. A caller computing many series
// in turn (assess does every series of an indicator) keeps one and calls
// its Compute, which then allocates nothing once the memory has grown to
// the longest series. The zero Scratch is ready to use; it is not safe for
// concurrent use.
type Scratch struct {
	points []Point
	groups []Group
	starts []int
	floats []float64 // moving ranges
	ints   []int     // three per point: side of the mean, trend ends, side ends
	bools  []bool    // six per point: the rules' results
	labels []string
}

// Compute is the package's Compute, worked out in s's memory: the Result's
// Points and Groups are s's, and the next call overwrites them.
func (s *Scratch) Compute(values []float64, opt Options) (Result, error) {
	dir, screen, fix, err := validate(values, opt)
	if err != nil {
		return Result{}, err
	}

	starts := groupStarts(s.starts[:0], opt.RebaseIndices)
	s.starts = starts
	res := Result{
		Points: grow(&s.points, len(values)),
		Groups: grow(&s.groups, len(starts))[:0],
	}
	for g, start := range starts {
		end := len(values)
		if g+1 < len(starts) {
			end = starts[g+1]
		}
		res.Groups = append(res.Groups, s.computeGroup(values[start:end], start, g, dir, screen, fix, res.Points[start:end]))
	}

	last := res.Points[len(res.Points)-1]
	res.VariationIcon = variationIcon(last.PointType, dir)
	if opt.Target != nil {
		res.AssuranceType = assuranceType(dir, *opt.Target, last.LPL, last.UPL)
		res.AssuranceIcon = assuranceIcon(res.AssuranceType)
	}
	return res, nil
}

// computeGroup fills pts for one group and returns its summary.
func (s *Scratch) computeGroup(ys []float64, start, index int, dir Direction, screen bool, fix int, pts []Point) Group {
	lim := s.xmrLimits(ys, fix, screen)
	types := s.specialCauseTypes(ys, lim)

	grp := Group{
		StartIndex: start, N: len(ys),
		Mean: lim.mean, LPL: lim.lpl, UPL: lim.upl, NLPL: lim.nlpl, NUPL: lim.nupl,
		ShortGroupWarning: len(ys) < ShortGroupThreshold,
	}
	for i, y := range ys {
		pt := pointType(types[i], dir)
		pts[i] = Point{
			Value: y, Mean: lim.mean, LPL: lim.lpl, UPL: lim.upl, NLPL: lim.nlpl, NUPL: lim.nupl,
			SpecialCauseType: types[i], PointType: pt, Group: index,
		}
		// summary.ptd_spc_df counts common cause as n minus the special-cause
		// flags, so a neutral special cause counts in none of the three.
		switch {
		case types[i] == CommonCauseLabel:
			grp.CommonCause++
		case pt == SpecialCauseImprovement:
			grp.SpecialCauseImprovement++
		case pt == SpecialCauseConcern:
			grp.SpecialCauseConcern++
		}
	}
	grp.VariationType = pts[len(pts)-1].PointType
	return grp
}

// groupStarts appends to dst the start of every group, from validated
// rebase positions.
func groupStarts(dst, rebase []int) []int {
	starts := append(dst, 0)
	for _, r := range rebase {
		if r > 0 {
			starts = append(starts, r)
		}
	}
	return starts
}

// maxValueProblems caps how many bad values one error lists.
const maxValueProblems = 10

func validate(values []float64, opt Options) (dir Direction, screen bool, fix int, err error) {
	var p accord.Problems
	if len(values) == 0 {
		p.Add("values", "the series is empty")
	}
	bad := 0
	for i, v := range values {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			bad++
			if bad <= maxValueProblems {
				p.Add(fmt.Sprintf("values[%d]", i), "value at position %d is missing or not finite (%v); an SPC series must have no gaps", i, v)
			}
		}
	}
	if bad > maxValueProblems {
		p.Add("values", "%d more values are missing or not finite", bad-maxValueProblems)
	}

	dir = opt.ImprovementDirection
	switch dir {
	case "":
		dir = Increase
	case Increase, Decrease, Neutral:
	default:
		p.Add("improvement_direction", "must be %q, %q or %q, not %q", Increase, Decrease, Neutral, string(dir))
	}

	if opt.Target != nil && (math.IsNaN(*opt.Target) || math.IsInf(*opt.Target, 0)) {
		p.Add("target", "must be a finite number")
	}

	prev := -1
	for i, r := range opt.RebaseIndices {
		field := fmt.Sprintf("rebase_indices[%d]", i)
		switch {
		case r < 0 || r >= len(values):
			p.Add(field, "position %d is outside the series (0 to %d)", r, len(values)-1)
		case r <= prev:
			p.Add(field, "positions must be strictly increasing (%d follows %d)", r, prev)
		}
		prev = max(prev, r)
	}

	if opt.FixAfterNPoints != nil {
		fix = *opt.FixAfterNPoints
		if fix < MinFixAfterNPoints {
			p.Add("fix_after_n_points", "must be at least %d, not %d", MinFixAfterNPoints, fix)
		}
	}

	screen = opt.ScreenOutliers == nil || *opt.ScreenOutliers
	return dir, screen, fix, p.Err("SPC series")
}
