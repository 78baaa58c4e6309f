package accord_test

import (
	"math"
	"testing"

	"github.com/nhs-accord/accord"
)

func TestSuppressCount(t *testing.T) {
	cases := []struct {
		n          int64
		shown      string
		suppressed bool
	}{
		{0, "0", false},
		{1, "*", true},
		{5, "*", true},
		{7, "*", true},
		{8, "10", false},
		{10, "10", false},
		{12, "10", false},
		{13, "15", false},
		{17, "15", false},
		{18, "20", false},
		{1234, "1235", false},
		{1232, "1230", false},
		{-1, "*", true},
		{-7, "*", true},
		{-8, "-10", false},
		{-12, "-10", false},
		{-13, "-15", false},
		{math.MaxInt64, "9223372036854775805", false},
		// 9,223,372,036,854,775,808 is nearer 810 than 805, and that
		// magnitude does not fit an int64: the sum is done unsigned.
		{math.MinInt64, "-9223372036854775810", false},
	}
	for _, tc := range cases {
		shown, suppressed := accord.SuppressCount(tc.n)
		if shown != tc.shown || suppressed != tc.suppressed {
			t.Errorf("SuppressCount(%d) = %q, %v; want %q, %v", tc.n, shown, suppressed, tc.shown, tc.suppressed)
		}
	}
}

func TestSuppressRatio(t *testing.T) {
	cases := []struct {
		num, den int64
		hide     bool
	}{
		{0, 100, false}, // 0% of 100 is shown
		{1, 100, true},  // the numerator is 1 to 7
		{7, 100, true},
		{8, 100, false},
		{8, 7, true}, // the denominator is 1 to 7
		{3, 7, true},
		{0, 8, false},
		{50, 1000, false},
		{0, 0, false}, // nothing to hide; there is no rate either
		{-3, 100, true},
	}
	for _, tc := range cases {
		if got := accord.SuppressRatio(tc.num, tc.den); got != tc.hide {
			t.Errorf("SuppressRatio(%d, %d) = %v, want %v", tc.num, tc.den, got, tc.hide)
		}
	}
}

func TestSuppressObservation(t *testing.T) {
	cases := []struct {
		name     string
		num, den *float64
		hide     bool
	}{
		{"large counts", accord.Float(812), accord.Float(1040), false},
		{"numerator 7", accord.Float(7), accord.Float(1040), true},
		{"numerator 7.4 rounds to 7", accord.Float(7.4), accord.Float(1040), true},
		{"numerator 7.5 rounds to 8", accord.Float(7.5), accord.Float(1040), false},
		{"numerator 0", accord.Float(0), accord.Float(1040), false},
		{"a fraction of a person", accord.Float(0.3), accord.Float(1040), true},
		{"denominator 6", accord.Float(2), accord.Float(6), true},
		{"no counts", nil, nil, false},
		{"denominator only, small", nil, accord.Float(4), true},
	}
	for _, tc := range cases {
		o := accord.Observation{Value: 50, Numerator: tc.num, Denominator: tc.den}
		if got := accord.SuppressObservation(o); got != tc.hide {
			t.Errorf("%s: SuppressObservation = %v, want %v", tc.name, got, tc.hide)
		}
	}
}

func TestDisclosureApplies(t *testing.T) {
	if accord.DisclosureApplies(accord.OrgEngland) {
		t.Error("England's figures are not suppressed")
	}
	for _, ty := range []accord.OrgType{accord.OrgRegion, accord.OrgICB, accord.OrgSubICB, accord.OrgPlace, accord.OrgProvider} {
		if !accord.DisclosureApplies(ty) {
			t.Errorf("%s figures must be suppressed", ty)
		}
	}
}
