package compare_test

import (
	"math"
	"testing"

	"github.com/nhs-accord/accord"
	"github.com/nhs-accord/accord/stats/compare"
)

const (
	high = accord.HigherIsBetter
	low  = accord.LowerIsBetter
	none = accord.NoPolarity
)

func TestByInterval(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	tests := []struct {
		name                       string
		value, lower, upper, bench float64
		has                        bool
		pol                        accord.Polarity
		want                       compare.Result
	}{
		// FingertipsNext IndicatorServiceTests.BenchmarkTestData: (lower,
		// upper, benchmark) = (1, 2, 3) and (4, 6, 5) under each polarity.
		{"FTN below, high is good", 1.5, 1, 2, 3, true, high, compare.Worse},
		{"FTN contains, high is good", 5, 4, 6, 5, true, high, compare.Similar},
		{"FTN below, low is good", 1.5, 1, 2, 3, true, low, compare.Better},
		{"FTN contains, low is good", 5, 4, 6, 5, true, low, compare.Similar},
		{"FTN below, no judgement", 1.5, 1, 2, 3, true, none, compare.Lower},
		{"FTN contains, no judgement", 5, 4, 6, 5, true, none, compare.Similar},
		{"FTN above, high is good", 8.5, 8, 9, 7, true, high, compare.Better},
		{"FTN above, low is good", 8.5, 8, 9, 7, true, low, compare.Worse},
		{"FTN above, no judgement", 8.5, 8, 9, 7, true, none, compare.Higher},

		// FingertipsNext inequality test (high is good): persons 80 [70, 90]
		// against England 50 is better; male 20 [10, 30] against persons 80
		// worse; in 2023 male 3 [2, 4] against persons 2 touches it: similar.
		{"FTN persons vs England 2022", 80, 70, 90, 50, true, high, compare.Better},
		{"FTN male vs persons 2022", 20, 10, 30, 80, true, high, compare.Worse},
		{"FTN male vs persons 2023 (touching)", 3, 2, 4, 2, true, high, compare.Similar},
		{"FTN female vs persons 2023", 4, 3, 5, 2, true, high, compare.Better},

		// Real 2022 ICB values from the FingertipsNext data set
		// (fingertipsnext_healthdata_poc_feb2025.csv) against England.
		// 22401 emergency admissions for falls 65+, lower is better, 95%:
		{"falls, Cheshire and Merseyside", 2235.340, 2194.553, 2276.693, 1932.818, true, low, compare.Worse},
		{"falls, Lancashire and South Cumbria", 1896.226, 1851.620, 1941.634, 1932.818, true, low, compare.Similar},
		// 41101 emergency readmissions within 30 days, lower is better, 95%:
		{"readmissions, Cheshire and Merseyside", 13.8, 13.6, 13.9, 14.2, true, low, compare.Better},
		// 91894 deaths in hospital with dementia 65+, no judgement, 95%:
		{"dementia deaths in hospital, C&M", 29.55, 28.23, 30.91, 27.56, true, none, compare.Higher},
		{"dementia deaths in hospital, L&SC", 25.88, 24.37, 27.44, 27.56, true, none, compare.Lower},
		// 241 diabetes prevalence 17+, no judgement, 99.8%:
		{"diabetes prevalence, C&M", 7.37636, 7.34223, 7.41063, 7.452844, true, none, compare.Lower},

		// Edges.
		{"lower bound equals benchmark", 12, 10, 14, 10, true, high, compare.Similar},
		{"upper bound equals benchmark", 8, 6, 10, 10, true, high, compare.Similar},
		{"zero-width interval on the benchmark", 10, 10, 10, 10, true, high, compare.Similar},
		{"zero-width interval off the benchmark", 10, 10, 10, 9, true, high, compare.Better},
		{"just above", 12, 10.000001, 14, 10, true, low, compare.Worse},
		{"missing interval", 12, 0, 0, 10, false, high, compare.NotCompared},
		{"NaN bound", 12, nan, 14, 10, true, high, compare.NotCompared},
		{"infinite bound", 12, 10, inf, 5, true, high, compare.NotCompared},
		{"inverted interval", 12, 14, 10, 5, true, high, compare.NotCompared},
		{"missing value", nan, 10, 14, 5, true, high, compare.NotCompared},
		{"missing benchmark", 12, 10, 14, nan, true, high, compare.NotCompared},
		{"unknown polarity is no judgement", 12, 11, 14, 5, true, "", compare.Higher},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := compare.ByInterval(tt.value, tt.lower, tt.upper, tt.bench, tt.has, tt.pol)
			if got != tt.want {
				t.Errorf("ByInterval(%v, [%v, %v], %v, %v, %s) = %s, want %s", tt.value, tt.lower, tt.upper, tt.bench, tt.has, tt.pol, got, tt.want)
			}
		})
	}
}

func ci95(lo, hi float64) compare.Interval {
	return compare.Interval{Lower: lo, Upper: hi, Level: compare.Level95}
}
func ci998(lo, hi float64) compare.Interval {
	return compare.Interval{Lower: lo, Upper: hi, Level: compare.Level998}
}

func TestByTwoLevels(t *testing.T) {
	// fingertips-open SingleOverlappingCIsForTwoCILevelsComparerTest: a value
	// of 2.6 with 95% interval [2.5, 2.7] and 99.8% interval [2.3, 2.9]
	// against benchmarks 3.0, 2.8, 2.6, 2.4 and 2.2. Fingertips' Best and
	// Worst are Accord's better_99_8 and worse_99_8.
	in, out := ci95(2.5, 2.7), ci998(2.3, 2.9)
	tests := []struct {
		name  string
		value float64
		ci95  compare.Interval
		ci998 compare.Interval
		bench float64
		pol   accord.Polarity
		want  compare.Result
	}{
		{"benchmark above the upper 99.8% bound, low is good", 2.6, in, out, 3.0, low, compare.Better998},
		{"benchmark above the upper 99.8% bound, high is good", 2.6, in, out, 3.0, high, compare.Worse998},
		{"benchmark between the upper bounds, low is good", 2.6, in, out, 2.8, low, compare.Better95},
		{"benchmark between the upper bounds, high is good", 2.6, in, out, 2.8, high, compare.Worse95},
		{"benchmark inside the 95% interval", 2.6, in, out, 2.6, high, compare.Similar},
		{"benchmark between the lower bounds, low is good", 2.6, in, out, 2.4, low, compare.Worse95},
		{"benchmark between the lower bounds, high is good", 2.6, in, out, 2.4, high, compare.Better95},
		{"benchmark below the lower 99.8% bound, low is good", 2.6, in, out, 2.2, low, compare.Worse998},
		{"benchmark below the lower 99.8% bound, high is good", 2.6, in, out, 2.2, high, compare.Better998},
		{"no judgement, far above", 2.6, in, out, 2.2, none, compare.Higher998},
		{"no judgement, just above", 2.6, in, out, 2.4, none, compare.Higher95},
		{"no judgement, just below", 2.6, in, out, 2.8, none, compare.Lower95},
		{"no judgement, far below", 2.6, in, out, 3.0, none, compare.Lower998},

		// Edges: a bound equal to the benchmark is not significant at its level.
		{"benchmark on the lower 95% bound", 2.6, in, out, 2.5, high, compare.Similar},
		{"benchmark on the upper 95% bound", 2.6, in, out, 2.7, high, compare.Similar},
		{"benchmark on the lower 99.8% bound", 2.6, in, out, 2.3, high, compare.Better95},
		{"benchmark on the upper 99.8% bound", 2.6, in, out, 2.9, high, compare.Worse95},
		{"missing 99.8% interval", 2.6, in, compare.Interval{}, 2.2, high, compare.NotCompared},
		{"missing 95% interval", 2.6, compare.Interval{}, out, 2.2, high, compare.NotCompared},
		{"levels swapped", 2.6, out, in, 2.2, high, compare.NotCompared},
		{"99.8% interval inside the 95% one", 2.6, ci95(2.3, 2.9), ci998(2.5, 2.7), 2.2, high, compare.NotCompared},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := compare.ByTwoLevels(tt.value, tt.ci95, tt.ci998, tt.bench, tt.pol)
			if got != tt.want {
				t.Errorf("ByTwoLevels = %s, want %s", got, tt.want)
			}
			// The two-level result agrees with the single-level one at 95%.
			if got != compare.NotCompared {
				single := compare.ByInterval(tt.value, tt.ci95.Lower, tt.ci95.Upper, tt.bench, true, tt.pol)
				if got.Judgement() != single {
					t.Errorf("Judgement() = %s, but ByInterval at 95%% = %s", got.Judgement(), single)
				}
			}
		})
	}
}

func TestByOverlap(t *testing.T) {
	// fingertips-open DoubleOverlappingCIsComparerTest, polarity 0 (low is good).
	d1 := ci95(2.7, 3.6)
	d2 := ci95(3.5, 4.5)
	d1narrow := ci95(2.7, 3.1)
	tests := []struct {
		name    string
		value   float64
		ci      compare.Interval
		bench   float64
		benchCI compare.Interval
		pol     accord.Polarity
		want    compare.Result
	}{
		{"overlapping, data above", 4.0, d2, 3.0, d1, low, compare.Similar},
		{"overlapping, data below", 3.0, d1, 4.0, d2, low, compare.Similar},
		{"overlap reaching the other value", 3.0, ci95(2.7, 4.1), 4.0, d2, low, compare.Similar},
		{"apart, data above", 4.0, d2, 3.0, d1narrow, low, compare.Worse},
		{"apart, data below", 3.0, d1narrow, 4.0, d2, low, compare.Better},
		{"apart, data above, high is good", 4.0, d2, 3.0, d1narrow, high, compare.Better},
		{"apart, no judgement", 3.0, d1narrow, 4.0, d2, none, compare.Lower},
		{"touching intervals overlap", 4.0, ci95(3.1, 4.5), 3.0, d1narrow, high, compare.Similar},
		{"no interval on the value", 3.0, compare.Interval{}, 4.0, d2, low, compare.NotCompared},
		{"no interval on the benchmark", 4.0, d2, 3.0, compare.Interval{}, low, compare.NotCompared},
		// The benchmark's interval decides: the value's interval excludes the
		// benchmark value (ByInterval would say worse) but overlaps its interval.
		{"more conservative than ByInterval", 4.0, ci95(3.5, 4.5), 3.0, ci95(2.0, 3.6), low, compare.Similar},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := compare.ByOverlap(tt.value, tt.ci, tt.bench, tt.benchCI, tt.pol); got != tt.want {
				t.Errorf("ByOverlap = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestIntervalValid(t *testing.T) {
	tests := []struct {
		iv   compare.Interval
		want bool
	}{
		{compare.Interval{}, false},
		{compare.Interval{Lower: 0, Upper: 0, Level: 95}, true},
		{compare.Interval{Lower: 1, Upper: 2}, false},
		{compare.Interval{Lower: 2, Upper: 1, Level: 95}, false},
		{compare.Interval{Lower: math.NaN(), Upper: 1, Level: 95}, false},
		{compare.Interval{Lower: 1, Upper: 2, Level: 100}, false},
	}
	for _, tt := range tests {
		if got := tt.iv.Valid(); got != tt.want {
			t.Errorf("%+v.Valid() = %v, want %v", tt.iv, got, tt.want)
		}
	}
}

func TestLabel(t *testing.T) {
	tests := []struct {
		r     compare.Result
		level float64
		want  string
	}{
		{compare.Better, 95, "Better than England (95%)"},
		{compare.Similar, 99.8, "Similar to England (99.8%)"},
		{compare.Lower, 95, "Lower than England (95%)"},
		{compare.Worse, 0, "Worse than England"},
		{compare.NotCompared, 95, "Not compared"},
		{compare.Better998, 95, "Better than England (99.8%)"},
		{compare.Worse95, 0, "Worse than England (95%)"},
		{compare.Higher998, 0, "Higher than England (99.8%)"},
	}
	for _, tt := range tests {
		if got := tt.r.Label("England", tt.level); got != tt.want {
			t.Errorf("%s.Label(England, %v) = %q, want %q", tt.r, tt.level, got, tt.want)
		}
	}
}

func BenchmarkByInterval(b *testing.B) {
	var n int
	for i := 0; b.Loop(); i++ {
		lo := float64(i%100) / 10
		if compare.ByInterval(lo+0.5, lo, lo+1, 5, true, accord.LowerIsBetter) == compare.Better {
			n++
		}
	}
	_ = n
}

func BenchmarkByTwoLevels(b *testing.B) {
	var n int
	for i := 0; b.Loop(); i++ {
		lo := float64(i%100) / 10
		if compare.ByTwoLevels(lo+1, ci95(lo+0.5, lo+1.5), ci998(lo, lo+2), 5, accord.HigherIsBetter) == compare.Better998 {
			n++
		}
	}
	_ = n
}
