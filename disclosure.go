package accord

import "strconv"

// Suppressed is what is shown in place of a hidden count.
const Suppressed = "*"

// SuppressedMeaning explains Suppressed, for a page's footnote.
const SuppressedMeaning = "1 to 7"

// DisclosureApplies reports whether figures for an organisation of type t
// must be suppressed: everywhere below England.
func DisclosureApplies(t OrgType) bool { return t != OrgEngland }

// SuppressCount is how a count may be published, by the small-number
// suppression NHS Digital's secondary care statistics (Hospital Episode
// Statistics and the Emergency Care Data Set since September 2018, and the
// SRHAD and NCMP publications that adopted the same rules) apply below
// national level:
//
//   - a count of 0 is shown as 0;
//   - a count of 1 to 7 is hidden and shown as "*", meaning 1 to 7;
//   - any other count is rounded to the nearest 5 (12 is shown as 10, 13 as
//     15; no whole number lies halfway);
//   - a proportion or rate whose numerator or denominator is 1 to 7 is
//     hidden too, since it would give the count away (SuppressRatio);
//     otherwise it is computed from the unrounded counts.
//
// National figures need no suppression (DisclosureApplies). The rules
// replaced manual secondary suppression, so no other figure is hidden to
// protect a suppressed one.
//
// A negative number, which a count never is but a difference of counts may
// be, is treated by its size, since a change of 3 identifies people as
// surely as a count of 3: −1 to −7 are hidden and −12 is shown as −10.
func SuppressCount(n int64) (shown string, suppressed bool) {
	if n == 0 {
		return "0", false
	}
	// The size as unsigned, so that the most negative int64 has one.
	mag, sign := uint64(n), ""
	if n < 0 {
		mag, sign = uint64(-(n+1))+1, "-"
	}
	if mag <= 7 {
		return Suppressed, true
	}
	if r := mag % 5; r >= 3 {
		mag += 5 - r
	} else {
		mag -= r
	}
	return sign + strconv.FormatUint(mag, 10), false
}

// SmallCount reports whether a count stored as a number (an observation's
// numerator or denominator) must be hidden: it rounds to 1 to 7, or it is
// above 0 but below 1 (a part of a person still says someone is there).
func SmallCount(v float64) bool { return v > 0 && v < 7.5 }

// SuppressRatio reports whether a proportion or rate computed from
// numerator and denominator must be hidden: either of them is 1 to 7. A
// numerator of 0 on a larger denominator is shown (as 0%).
func SuppressRatio(numerator, denominator int64) bool {
	small := func(n int64) bool { return n != 0 && n >= -7 && n <= 7 }
	return small(numerator) || small(denominator)
}

// SuppressObservation reports whether an observation's value must be
// hidden because a count it was computed from is small. Without counts
// there is nothing to judge by, and it is shown as published.
func SuppressObservation(o Observation) bool {
	return (o.Numerator != nil && SmallCount(*o.Numerator)) || (o.Denominator != nil && SmallCount(*o.Denominator))
}
