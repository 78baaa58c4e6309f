package spc

// The assurance types of ptd_calculate_assurance_type
// (R/ptd_calculate_assurance_type.R).
const (
	ConsistentPass = "consistent_pass"
	ConsistentFail = "consistent_fail"
	Inconsistent   = "inconsistent"
)

// assuranceType compares the target with the last point's process limits as
// ptd_calculate_assurance_type does: a target strictly above the upper limit
// will always be missed when higher is better (and always met when lower is
// better); strictly below the lower limit, the reverse; otherwise, including
// a target exactly on a limit, the process will sometimes meet it. There is
// no assurance for a neutral direction. NaN limits compare false, giving
// "inconsistent", as R's case_when does with NA.
func assuranceType(dir Direction, target, lpl, upl float64) string {
	if dir == Neutral {
		return ""
	}
	increasing := dir == Increase
	switch {
	case target > upl:
		return pick(increasing, ConsistentFail, ConsistentPass)
	case target < lpl:
		return pick(increasing, ConsistentPass, ConsistentFail)
	}
	return Inconsistent
}

// variationIcon names the variation icon for the last point's type as
// ptd_get_icons does (R/geom_ptd_icon.R), by the icon's file name without
// ".svg": improvement and concern icons point the way the values went.
func variationIcon(pointType string, dir Direction) string {
	switch pointType {
	case SpecialCauseNeutralHigh:
		return "neutral_high"
	case SpecialCauseNeutralLow:
		return "neutral_low"
	case SpecialCauseConcern:
		return pick(dir == Increase, "concern_low", "concern_high")
	case SpecialCauseImprovement:
		return pick(dir == Increase, "improvement_high", "improvement_low")
	}
	return "common_cause"
}

// assuranceIcon names the assurance icon file (without ".svg") of
// ptd_get_icons, or "" when there is no assurance.
func assuranceIcon(assurance string) string {
	switch assurance {
	case ConsistentPass:
		return "pass"
	case ConsistentFail:
		return "fail"
	case Inconsistent:
		return "inconsistent"
	}
	return ""
}
