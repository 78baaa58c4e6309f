package accord_test

import (
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/nhs-accord/accord"
)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func mustQuarter(t *testing.T, fy, q int) accord.Period {
	t.Helper()
	p, err := accord.FinancialQuarter(fy, q)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func mustRolling(t *testing.T, first, last int) accord.Period {
	t.Helper()
	p, err := accord.Rolling(first, last)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestParsePeriod(t *testing.T) {
	tests := []struct {
		in     string
		want   accord.Period
		kind   accord.PeriodKind
		canon  string
		months int
		start  time.Time
		end    time.Time
	}{
		{"2025-04", accord.Month(2025, time.April), accord.PeriodMonth, "2025-04", 1, day(2025, 4, 1), day(2025, 4, 30)},
		{"2024-02", accord.Month(2024, time.February), accord.PeriodMonth, "2024-02", 1, day(2024, 2, 1), day(2024, 2, 29)},
		{"2008-10", accord.Month(2008, time.October), accord.PeriodMonth, "2008-10", 1, day(2008, 10, 1), day(2008, 10, 31)},
		{"  2025-12\n", accord.Month(2025, time.December), accord.PeriodMonth, "2025-12", 1, day(2025, 12, 1), day(2025, 12, 31)},
		{"2025/26 Q1", mustQuarter(t, 2025, 1), accord.PeriodQuarter, "2025/26 Q1", 3, day(2025, 4, 1), day(2025, 6, 30)},
		{"2025/26 Q3", mustQuarter(t, 2025, 3), accord.PeriodQuarter, "2025/26 Q3", 3, day(2025, 10, 1), day(2025, 12, 31)},
		{"2025/26 Q4", mustQuarter(t, 2025, 4), accord.PeriodQuarter, "2025/26 Q4", 3, day(2026, 1, 1), day(2026, 3, 31)},
		{"2025/26", accord.FinancialYear(2025), accord.PeriodFinancialYear, "2025/26", 12, day(2025, 4, 1), day(2026, 3, 31)},
		{"1999/00", accord.FinancialYear(1999), accord.PeriodFinancialYear, "1999/00", 12, day(1999, 4, 1), day(2000, 3, 31)},
		{"\t2025 ", accord.CalendarYear(2025), accord.PeriodCalendarYear, "2025", 12, day(2025, 1, 1), day(2025, 12, 31)},
		{"2021-23", mustRolling(t, 2021, 2023), accord.PeriodRolling, "2021-23", 36, day(2021, 1, 1), day(2023, 12, 31)},
		{"2021 - 23", mustRolling(t, 2021, 2023), accord.PeriodRolling, "2021-23", 36, day(2021, 1, 1), day(2023, 12, 31)},
		{"2021-2023", mustRolling(t, 2021, 2023), accord.PeriodRolling, "2021-23", 36, day(2021, 1, 1), day(2023, 12, 31)},
		{"1998-00", mustRolling(t, 1998, 2000), accord.PeriodRolling, "1998-00", 36, day(1998, 1, 1), day(2000, 12, 31)},
		{"2014-23", mustRolling(t, 2014, 2023), accord.PeriodRolling, "2014-23", 120, day(2014, 1, 1), day(2023, 12, 31)},
		// A two-digit end of 01–12 would read as a month, so those spans
		// are written with the full end year.
		{"2008 - 10", mustRolling(t, 2008, 2010), accord.PeriodRolling, "2008-2010", 36, day(2008, 1, 1), day(2010, 12, 31)},
		{"2008-2010", mustRolling(t, 2008, 2010), accord.PeriodRolling, "2008-2010", 36, day(2008, 1, 1), day(2010, 12, 31)},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := accord.ParsePeriod(tt.in)
			if err != nil {
				t.Fatalf("ParsePeriod(%q): %v", tt.in, err)
			}
			if got != tt.want {
				t.Errorf("ParsePeriod(%q) = %v, want %v", tt.in, got, tt.want)
			}
			if got.Kind() != tt.kind {
				t.Errorf("Kind() = %q, want %q", got.Kind(), tt.kind)
			}
			if got.String() != tt.canon {
				t.Errorf("String() = %q, want %q", got.String(), tt.canon)
			}
			if got.Months() != tt.months {
				t.Errorf("Months() = %d, want %d", got.Months(), tt.months)
			}
			if !got.Start().Equal(tt.start) || !got.End().Equal(tt.end) {
				t.Errorf("Start, End = %s, %s, want %s, %s", got.Start().Format(time.DateOnly), got.End().Format(time.DateOnly),
					tt.start.Format(time.DateOnly), tt.end.Format(time.DateOnly))
			}
			again, err := accord.ParsePeriod(got.String())
			if err != nil || again != got {
				t.Errorf("re-parse of %q = %v, %v", got.String(), again, err)
			}
		})
	}
}

func TestParsePeriodInvalid(t *testing.T) {
	tests := []struct{ in, msg string }{
		{"", `period "": is empty; write a period such as 2025-04, 2025/26 Q1, 2025/26, 2025 or 2021-23`},
		{"   ", `period "": is empty; write a period such as 2025-04, 2025/26 Q1, 2025/26, 2025 or 2021-23`},
		{"2025-13", `period "2025-13": month must be between 01 and 12`},
		{"2025-00", `period "2025-00": month must be between 01 and 12`},
		{"2025/27", `period "2025/27": a financial year is written YYYY/YY with consecutive years, e.g. 2025/26`},
		{"2025/2026", `period "2025/2026": a financial year is written YYYY/YY, e.g. 2025/26`},
		{"2025/26 Q5", `period "2025/26 Q5": quarter must be Q1, Q2, Q3 or Q4, e.g. 2025/26 Q1`},
		{"2025/26 Q0", `period "2025/26 Q0": quarter must be Q1, Q2, Q3 or Q4, e.g. 2025/26 Q1`},
		{"2025/26 q1", `period "2025/26 q1": quarter must be Q1, Q2, Q3 or Q4, e.g. 2025/26 Q1`},
		{"2025/27 Q1", `period "2025/27 Q1": a financial year is written YYYY/YY with consecutive years, e.g. 2025/26`},
		{"25/26 Q1", `period "25/26 Q1": a financial quarter is written YYYY/YY Qn, e.g. 2025/26 Q1`},
		{"20251", `period "20251": not a recognised period; write one such as 2025-04, 2025/26 Q1, 2025/26, 2025 or 2021-23`},
		{"April 2025", `period "April 2025": not a recognised period; write one such as 2025-04, 2025/26 Q1, 2025/26, 2025 or 2021-23`},
		{"+025", `period "+025": not a recognised period; write one such as 2025-04, 2025/26 Q1, 2025/26, 2025 or 2021-23`},
		{"2025-4", `period "2025-4": write a month as YYYY-MM, e.g. 2025-04, or a rolling period as YYYY-YY, e.g. 2021-23`},
		{"2021 -23", `period "2021 -23": write a month as YYYY-MM, e.g. 2025-04, or a rolling period as YYYY-YY, e.g. 2021-23`},
		{"2021-35", `period "2021-35": a rolling period runs forward over 2 to 10 calendar years, e.g. 2021-23`},
		{"2021 - 21", `period "2021 - 21": a rolling period runs forward over 2 to 10 calendar years, e.g. 2021-23`},
		{"2023-2021", `period "2023-2021": a rolling period runs forward over 2 to 10 calendar years, e.g. 2021-23`},
		{"2010-2020", `period "2010-2020": a rolling period runs forward over 2 to 10 calendar years, e.g. 2021-23`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			p, err := accord.ParsePeriod(tt.in)
			if err == nil {
				t.Fatalf("ParsePeriod(%q) = %v, want an error", tt.in, p)
			}
			if code := accord.ErrorCode(err); code != accord.EINVALID {
				t.Errorf("code = %q, want %q", code, accord.EINVALID)
			}
			if got := accord.ErrorMessage(err); got != tt.msg {
				t.Errorf("message\n got: %s\nwant: %s", got, tt.msg)
			}
		})
	}
}

func TestPeriodConstructorsInvalid(t *testing.T) {
	for _, q := range []int{0, 5} {
		if _, err := accord.FinancialQuarter(2025, q); accord.ErrorCode(err) != accord.EINVALID {
			t.Errorf("FinancialQuarter(2025, %d) error = %v, want EINVALID", q, err)
		}
	}
	for _, span := range [][2]int{{2021, 2021}, {2023, 2021}, {2010, 2020}, {9995, 10001}} {
		if _, err := accord.Rolling(span[0], span[1]); accord.ErrorCode(err) != accord.EINVALID {
			t.Errorf("Rolling(%d, %d) error = %v, want EINVALID", span[0], span[1], err)
		}
	}
	if got := accord.Month(2025, 13); got != accord.MustParsePeriod("2026-01") {
		t.Errorf("Month(2025, 13) = %v, want 2026-01", got)
	}
}

func TestMustParsePeriodPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("MustParsePeriod(\"2025-13\") did not panic")
		}
	}()
	accord.MustParsePeriod("2025-13")
}

func TestPeriodZero(t *testing.T) {
	var z accord.Period
	if !z.IsZero() || z.String() != "" || z.Kind() != "" || z.Months() != 0 {
		t.Errorf("zero Period = %q (kind %q, %d months)", z.String(), z.Kind(), z.Months())
	}
	if !z.Start().IsZero() || !z.End().IsZero() {
		t.Errorf("zero Period runs %v to %v, want zero times", z.Start(), z.End())
	}
	if accord.MustParsePeriod("2025").IsZero() {
		t.Error("2025 IsZero")
	}
	if !z.Next().IsZero() || !z.Quarter().IsZero() || !z.FinancialYearOf().IsZero() {
		t.Error("Next, Quarter or FinancialYearOf of the zero Period is not zero")
	}
}

func TestPeriodCompare(t *testing.T) {
	p := accord.MustParsePeriod
	tests := []struct {
		a, b string
		want int
	}{
		{"2025-04", "2025/26 Q1", -1}, // same start, shorter first
		{"2025/26 Q1", "2025/26", -1},
		{"2025-04", "2025/26", -1},
		{"2025-03", "2025-04", -1},
		{"2025/26 Q4", "2025/26", 1}, // later start wins over length
		{"2025", "2025-01", 1},
		{"2025", "2025-27", -1},
		{"2024/25", "2025", -1},
		{"2025/26 Q2", "2025/26 Q2", 0},
		{"2021 - 23", "2021-23", 0},
	}
	for _, tt := range tests {
		a, b := p(tt.a), p(tt.b)
		if got := a.Compare(b); got != tt.want {
			t.Errorf("%s.Compare(%s) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
		if got := b.Compare(a); got != -tt.want {
			t.Errorf("%s.Compare(%s) = %d, want %d", tt.b, tt.a, got, -tt.want)
		}
		if (a == b) != (tt.want == 0) {
			t.Errorf("%s == %s is %v, but Compare is %d", tt.a, tt.b, a == b, tt.want)
		}
	}
	var zero accord.Period
	if zero.Compare(p("0000-01")) != -1 || p("0000-01").Compare(zero) != 1 || zero.Compare(zero) != 0 {
		t.Error("the zero Period does not sort first")
	}

	mixed := []accord.Period{
		p("2026-01"), p("2025/26"), p("2025"), p("2025/26 Q4"), p("2025-04"),
		p("2024-26"), p("2025/26 Q1"), zero, p("2025-01"), p("2025-27"),
	}
	slices.SortFunc(mixed, accord.Period.Compare)
	var got []string
	for _, m := range mixed {
		got = append(got, m.String())
	}
	want := []string{"", "2024-26", "2025-01", "2025", "2025-27", "2025-04", "2025/26 Q1", "2025/26", "2026-01", "2025/26 Q4"}
	if !slices.Equal(got, want) {
		t.Errorf("sorted\n got: %q\nwant: %q", got, want)
	}
}

func TestPeriodContains(t *testing.T) {
	p := accord.MustParsePeriod
	tests := []struct {
		outer, inner string
		want         bool
	}{
		{"2025/26", "2025-04", true},
		{"2025/26", "2026-03", true},
		{"2025/26", "2026-04", false},
		{"2025/26", "2025-03", false},
		{"2025/26", "2025/26 Q4", true},
		{"2025/26", "2025/26", true},
		{"2025/26", "2025", false}, // overlaps, not inside
		{"2025/26 Q1", "2025/26", false},
		{"2025", "2025/26 Q3", true},
		{"2025", "2025/26 Q4", false},
		{"2021-23", "2022", true},
		{"2021-23", "2023/24", false},
	}
	for _, tt := range tests {
		if got := p(tt.outer).Contains(p(tt.inner)); got != tt.want {
			t.Errorf("%s.Contains(%s) = %v, want %v", tt.outer, tt.inner, got, tt.want)
		}
	}
	var zero accord.Period
	if zero.Contains(p("2025")) || p("2025").Contains(zero) {
		t.Error("Contains is true with the zero Period")
	}
}

func TestPeriodQuarterAndFinancialYear(t *testing.T) {
	tests := []struct{ in, quarter, fy string }{
		{"2025-04", "2025/26 Q1", "2025/26"},
		{"2025-06", "2025/26 Q1", "2025/26"},
		{"2025-07", "2025/26 Q2", "2025/26"},
		{"2025-12", "2025/26 Q3", "2025/26"},
		{"2026-01", "2025/26 Q4", "2025/26"}, // January to March belong to the year before
		{"2026-02", "2025/26 Q4", "2025/26"},
		{"2026-03", "2025/26 Q4", "2025/26"},
		{"2000-01", "1999/00 Q4", "1999/00"},
		{"2025/26 Q4", "2025/26 Q4", "2025/26"},
		{"2025/26", "", "2025/26"},
		{"2025", "", ""},    // crosses 31 March
		{"2021-23", "", ""}, // longer than a year
	}
	for _, tt := range tests {
		p := accord.MustParsePeriod(tt.in)
		if got := p.Quarter().String(); got != tt.quarter {
			t.Errorf("%s.Quarter() = %q, want %q", tt.in, got, tt.quarter)
		}
		if got := p.FinancialYearOf().String(); got != tt.fy {
			t.Errorf("%s.FinancialYearOf() = %q, want %q", tt.in, got, tt.fy)
		}
	}
}

func TestPeriodNext(t *testing.T) {
	tests := []struct{ in, want string }{
		{"2025-12", "2026-01"},
		{"2025-04", "2025-05"},
		{"2025/26 Q4", "2026/27 Q1"},
		{"2025/26 Q1", "2025/26 Q2"},
		{"2025/26", "2026/27"},
		{"1999/00", "2000/01"},
		{"2025", "2026"},
		{"2021-23", "2022-24"},
		{"2007 - 09", "2008-2010"},
	}
	for _, tt := range tests {
		if got := accord.MustParsePeriod(tt.in).Next().String(); got != tt.want {
			t.Errorf("%s.Next() = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// twelveMonths is April 2025 to March 2026, deliberately out of order.
func twelveMonths() []accord.Period {
	var ms []accord.Period
	for i := 11; i >= 0; i-- {
		ms = append(ms, accord.Month(2025, time.April+time.Month(i)))
	}
	return ms
}

func TestPeriodRollUp(t *testing.T) {
	months := twelveMonths()

	quarters, err := accord.RollUp(months, accord.PeriodQuarter)
	if err != nil {
		t.Fatal(err)
	}
	if len(quarters) != 4 {
		t.Fatalf("%d quarters, want 4: %v", len(quarters), quarters)
	}
	for q := 1; q <= 4; q++ {
		qp := mustQuarter(t, 2025, q)
		ms := quarters[qp]
		if len(ms) != 3 {
			t.Fatalf("%s has %d months, want 3", qp, len(ms))
		}
		for i, m := range ms {
			if want := accord.Month(2025, time.April+time.Month((q-1)*3+i)); m != want {
				t.Errorf("%s month %d = %s, want %s", qp, i, m, want)
			}
		}
		if !qp.CompleteWith(ms) {
			t.Errorf("%s is not complete with %v", qp, ms)
		}
	}

	years, err := accord.RollUp(months, accord.PeriodFinancialYear)
	if err != nil {
		t.Fatal(err)
	}
	fy := accord.FinancialYear(2025)
	if len(years) != 1 || len(years[fy]) != 12 {
		t.Fatalf("years = %v, want 2025/26 with 12 months", years)
	}
	if !slices.IsSortedFunc(years[fy], accord.Period.Compare) {
		t.Errorf("months of %s are not in order: %v", fy, years[fy])
	}
	if !fy.CompleteWith(years[fy]) {
		t.Errorf("%s is not complete with its 12 months", fy)
	}

	if got, err := accord.RollUp(nil, accord.PeriodQuarter); err != nil || len(got) != 0 {
		t.Errorf("RollUp(nil) = %v, %v, want empty", got, err)
	}
}

func TestPeriodRollUpInvalid(t *testing.T) {
	months := twelveMonths()
	tests := []struct {
		name   string
		months []accord.Period
		to     accord.PeriodKind
		msg    string
	}{
		{"to month", months, accord.PeriodMonth, `cannot roll months up to "month": choose quarter or financial_year`},
		{"to calendar year", months, accord.PeriodCalendarYear, `cannot roll months up to "calendar_year": choose quarter or financial_year`},
		{"quarter input", append(months[:2:2], accord.MustParsePeriod("2025/26 Q1")), accord.PeriodFinancialYear,
			`period "2025/26 Q1": only months can be rolled up, not a quarter`},
		{"zero input", []accord.Period{{}}, accord.PeriodQuarter, `period "": only months can be rolled up, not a blank period`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := accord.RollUp(tt.months, tt.to)
			if accord.ErrorCode(err) != accord.EINVALID {
				t.Fatalf("error = %v, want EINVALID", err)
			}
			if got := accord.ErrorMessage(err); got != tt.msg {
				t.Errorf("message\n got: %s\nwant: %s", got, tt.msg)
			}
		})
	}
}

func TestPeriodCompleteWith(t *testing.T) {
	p := accord.MustParsePeriod
	months := func(ss ...string) []accord.Period {
		var out []accord.Period
		for _, s := range ss {
			out = append(out, p(s))
		}
		return out
	}
	tests := []struct {
		period string
		months []accord.Period
		want   bool
	}{
		{"2025/26 Q4", months("2026-01", "2026-02", "2026-03"), true},
		{"2025/26 Q4", months("2026-03", "2026-01", "2026-02", "2026-02", "2025-12"), true}, // order, repeats and extras don't matter
		{"2025/26 Q4", months("2026-01", "2026-03"), false},
		{"2025/26 Q4", months("2025/26 Q4"), false}, // only months count
		{"2025/26 Q4", nil, false},
		{"2025/26", twelveMonths(), true},
		{"2025/26", twelveMonths()[1:], false},
		{"2025-04", months("2025-04"), true},
	}
	for _, tt := range tests {
		if got := p(tt.period).CompleteWith(tt.months); got != tt.want {
			t.Errorf("%s.CompleteWith(%v) = %v, want %v", tt.period, tt.months, got, tt.want)
		}
	}
	if (accord.Period{}).CompleteWith(nil) {
		t.Error("the zero Period is complete")
	}
}

func TestPeriodJSON(t *testing.T) {
	type row struct {
		Period accord.Period   `json:"period"`
		Others []accord.Period `json:"others"`
	}
	in := row{
		Period: accord.MustParsePeriod("2025/26 Q1"),
		Others: []accord.Period{
			accord.MustParsePeriod("2025-04"), accord.MustParsePeriod("2025/26"),
			accord.MustParsePeriod("2025"), accord.MustParsePeriod("2021 - 23"), {},
		},
	}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	const want = `{"period":"2025/26 Q1","others":["2025-04","2025/26","2025","2021-23",""]}`
	if string(b) != want {
		t.Errorf("json\n got: %s\nwant: %s", b, want)
	}
	var out row
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	if out.Period != in.Period || !slices.Equal(out.Others, in.Others) {
		t.Errorf("round trip = %+v, want %+v", out, in)
	}

	err = json.Unmarshal([]byte(`{"period":"2025/27"}`), &out)
	if accord.ErrorCode(err) != accord.EINVALID {
		t.Errorf("unmarshal of 2025/27: error = %v, want EINVALID", err)
	}
	if _, err := json.Marshal(accord.Month(10000, time.January)); err == nil {
		t.Error("marshalled a period whose text cannot be read back")
	}
}

func TestPeriodSQL(t *testing.T) {
	p := accord.MustParsePeriod("2025/26 Q4")
	v, err := p.Value()
	if err != nil || v != "2025/26 Q4" {
		t.Fatalf("Value() = %v, %v", v, err)
	}
	if v, err := (accord.Period{}).Value(); err != nil || v != nil {
		t.Errorf("zero Value() = %v, %v, want nil", v, err)
	}
	for _, src := range []any{"2025/26 Q4", []byte("2025/26 Q4")} {
		var got accord.Period
		if err := got.Scan(src); err != nil || got != p {
			t.Errorf("Scan(%#v) = %v, %v", src, got, err)
		}
	}
	got := p
	if err := got.Scan(nil); err != nil || !got.IsZero() {
		t.Errorf("Scan(nil) = %v, %v", got, err)
	}
	if err := got.Scan(42); err == nil {
		t.Error("Scan(42) succeeded")
	}
}

func FuzzParsePeriod(f *testing.F) {
	for _, s := range []string{
		"2025-04", "2025/26 Q1", "2025/26 Q4", "2025/26", "1999/00", "2025", "2021-23", "2021 - 23",
		"2008-10", "2008 - 10", "2008-2010", "1998-00", "9999/00 Q4", "9995 - 99", "0000-01",
		"", " ", "2025-13", "2025-00", "2025/27", "2025/26 Q5", "20251", "2021-35", "2023-2021",
		"2025/26  Q1", "-2025", "2025-", "/", "2025/26 Q", "٢٠٢٥",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := accord.ParsePeriod(s)
		if err != nil {
			if accord.ErrorCode(err) != accord.EINVALID {
				t.Fatalf("ParsePeriod(%q): error code %q, want %q", s, accord.ErrorCode(err), accord.EINVALID)
			}
			return
		}
		if p.IsZero() {
			t.Fatalf("ParsePeriod(%q) succeeded with the zero Period", s)
		}
		again, err := accord.ParsePeriod(p.String())
		if err != nil {
			t.Fatalf("ParsePeriod(%q) = %q, which does not re-parse: %v", s, p, err)
		}
		if again != p {
			t.Fatalf("ParsePeriod(%q) = %q, which re-parses as %q (%s)", s, p, again, again.Kind())
		}
		if p.Start().After(p.End()) {
			t.Fatalf("%q starts %v after it ends %v", s, p.Start(), p.End())
		}
		if _, err := p.MarshalText(); err != nil {
			t.Fatalf("MarshalText of %q: %v", p, err)
		}
	})
}
