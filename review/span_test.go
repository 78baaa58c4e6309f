package review

import (
	"testing"

	"github.com/nhs-accord/accord"
)

func TestBack(t *testing.T) {
	for _, c := range []struct {
		from string
		n    int
		want string
	}{
		{"2026-10", 12, "2025-10"},
		{"2026-01", 1, "2025-12"},
		{"2026-03", 27, "2023-12"},
		{"2026/27 Q2", 4, "2025/26 Q2"},
		{"2026/27 Q1", 1, "2025/26 Q4"},
		{"2025/26 Q4", 3, "2025/26 Q1"},
		{"2025/26", 2, "2023/24"},
		{"2024", 2, "2022"},
		{"2021-23", 2, "2019-21"},
		{"2008-2010", 1, "2007-2009"}, // 2007-09 would read as a month
	} {
		if got := back(accord.MustParsePeriod(c.from), c.n); got.String() != c.want {
			t.Errorf("back(%s, %d) = %q, want %s", c.from, c.n, got, c.want)
		}
	}
	if got := back(accord.Period{}, 12); !got.IsZero() {
		t.Errorf("back of the zero period: %q", got)
	}
}
