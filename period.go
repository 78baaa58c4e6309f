package accord

import (
	"cmp"
	"database/sql/driver"
	"fmt"
	"slices"
	"strings"
	"time"
)

// PeriodKind names the shapes of time that NHS statistics are published for.
type PeriodKind string

const (
	PeriodMonth         PeriodKind = "month"          // 2025-04
	PeriodQuarter       PeriodKind = "quarter"        // 2025/26 Q1, a financial quarter
	PeriodFinancialYear PeriodKind = "financial_year" // 2025/26, April to March
	PeriodCalendarYear  PeriodKind = "calendar_year"  // 2025
	PeriodRolling       PeriodKind = "rolling"        // 2021-23, pooled calendar years
)

// Rolling spans pool small numbers (deaths, births) over several years;
// Fingertips publishes 2 to 10, and anything longer is a mistyped year.
const (
	minRollingYears = 2
	maxRollingYears = 10
)

// Period is the span of time a statistic describes. It is a comparable
// value, so == is equality and a Period can key a map. The zero Period
// means "not set".
type Period struct {
	kind   PeriodKind
	first  int // the first month, counted from January of year 0
	months int
}

// Month returns the calendar month. A month outside 1–12 carries into the
// next or previous year as time.Date does, so Month(2025, 13) is 2026-01.
func Month(year int, month time.Month) Period {
	return Period{kind: PeriodMonth, first: year*12 + int(month) - 1, months: 1}
}

// FinancialQuarter returns quarter q (1–4) of the financial year that
// starts in April of fyStartYear.
func FinancialQuarter(fyStartYear, q int) (Period, error) {
	if q < 1 || q > 4 {
		return Period{}, Errorf(EINVALID, "quarter %d: must be between 1 and 4", q)
	}
	return Period{kind: PeriodQuarter, first: fyStartYear*12 + 3 + (q-1)*3, months: 3}, nil
}

// FinancialYear returns 1 April startYear to 31 March of the year after.
func FinancialYear(startYear int) Period {
	return Period{kind: PeriodFinancialYear, first: startYear*12 + 3, months: 12}
}

// CalendarYear returns 1 January to 31 December of year.
func CalendarYear(year int) Period {
	return Period{kind: PeriodCalendarYear, first: year * 12, months: 12}
}

// Rolling returns the calendar years firstYear to lastYear inclusive.
func Rolling(firstYear, lastYear int) (Period, error) {
	n := lastYear - firstYear + 1
	if n < minRollingYears || n > maxRollingYears {
		return Period{}, Errorf(EINVALID, "rolling period %d to %d: must run forward over %d to %d calendar years, e.g. 2021-23",
			firstYear, lastYear, minRollingYears, maxRollingYears)
	}
	// Text carries four-digit years; a longer one could not be read back.
	if firstYear < 0 || lastYear > 9999 {
		return Period{}, Errorf(EINVALID, "rolling period %d to %d: years must be between 0000 and 9999", firstYear, lastYear)
	}
	return Period{kind: PeriodRolling, first: firstYear * 12, months: n * 12}, nil
}

const periodForms = "such as 2025-04, 2025/26 Q1, 2025/26, 2025 or 2021-23"

// ParsePeriod reads a period in its canonical form (see String), ignoring
// surrounding whitespace. It also accepts Fingertips' rolling form
// "2021 - 23" and a rolling span with a four-digit end year, "2021-2023".
//
// YYYY-NN is a month when NN is 01–12 and a rolling span otherwise: 2008-10
// is October 2008. Write the span 2008 to 2010 as 2008-2010 or 2008 - 10.
func ParsePeriod(s string) (Period, error) {
	in := strings.TrimSpace(s)
	bad := func(format string, args ...any) (Period, error) {
		return Period{}, Errorf(EINVALID, "period %q: "+format, append([]any{in}, args...)...)
	}
	switch {
	case in == "":
		return bad("is empty; write a period %s", periodForms)

	case len(in) == 4 && isDigits(in):
		return CalendarYear(atoi(in)), nil

	case strings.Contains(in, "/"):
		fy, q, hasQ := strings.Cut(in, " ")
		if len(fy) != 7 || fy[4] != '/' || !isDigits(fy[:4]) || !isDigits(fy[5:]) {
			if hasQ {
				return bad("a financial quarter is written YYYY/YY Qn, e.g. 2025/26 Q1")
			}
			return bad("a financial year is written YYYY/YY, e.g. 2025/26")
		}
		start := atoi(fy[:4])
		if atoi(fy[5:]) != (start+1)%100 {
			return bad("a financial year is written YYYY/YY with consecutive years, e.g. 2025/26")
		}
		if !hasQ {
			return FinancialYear(start), nil
		}
		if len(q) != 2 || q[0] != 'Q' || q[1] < '1' || q[1] > '4' {
			return bad("quarter must be Q1, Q2, Q3 or Q4, e.g. 2025/26 Q1")
		}
		return FinancialQuarter(start, int(q[1]-'0'))

	case strings.Contains(in, "-"):
		left, right, spaced := strings.Cut(in, " - ")
		if !spaced {
			left, right, _ = strings.Cut(in, "-")
		}
		if len(left) != 4 || !isDigits(left) || (len(right) != 2 && len(right) != 4) || !isDigits(right) {
			return bad("write a month as YYYY-MM, e.g. 2025-04, or a rolling period as YYYY-YY, e.g. 2021-23")
		}
		first, end := atoi(left), atoi(right)
		if len(right) == 4 {
			if p, err := Rolling(first, end); err == nil {
				return p, nil
			}
			return bad("a rolling period runs forward over %d to %d calendar years, e.g. 2021-23", minRollingYears, maxRollingYears)
		}
		if !spaced && end >= 1 && end <= 12 {
			return Month(first, time.Month(end)), nil
		}
		// Two digits name the next year after first that ends in
		// them, so 1998-00 reaches 2000.
		last := first - first%100 + end
		if last <= first {
			last += 100
		}
		if p, err := Rolling(first, last); err == nil {
			return p, nil
		}
		// Without the spaces either reading is possible; guess from
		// whether NN could be a later year.
		if !spaced && first-first%100+end <= first {
			return bad("month must be between 01 and 12")
		}
		return bad("a rolling period runs forward over %d to %d calendar years, e.g. 2021-23", minRollingYears, maxRollingYears)
	}
	return bad("not a recognised period; write one %s", periodForms)
}

// MustParsePeriod is ParsePeriod for tests and constants, where a bad
// period is a programming error.
func MustParsePeriod(s string) Period {
	p, err := ParsePeriod(s)
	if err != nil {
		panic(err)
	}
	return p
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// atoi reads digits already checked by isDigits; strconv would also take
// a sign.
func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

// floorDiv and floorMod keep months before year 0 in the right year.
func floorDiv(a, b int) int {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

func floorMod(a, b int) int { return a - floorDiv(a, b)*b }

func (p Period) Kind() PeriodKind { return p.kind }

func (p Period) IsZero() bool { return p.kind == "" }

// Months is the number of calendar months p covers.
func (p Period) Months() int { return p.months }

// String returns the canonical form: 2025-04, 2025/26 Q1, 2025/26, 2025 or
// 2021-23, and "" for the zero Period. A rolling span whose two-digit end
// would read as a month (2008-10) is written with the full year, 2008-2010.
func (p Period) String() string {
	y, m := floorDiv(p.first, 12), floorMod(p.first, 12)+1
	switch p.kind {
	case PeriodMonth:
		return fmt.Sprintf("%04d-%02d", y, m)
	case PeriodQuarter:
		fy := floorDiv(p.first-3, 12)
		return fmt.Sprintf("%04d/%02d Q%d", fy, floorMod(fy+1, 100), floorMod(p.first-3, 12)/3+1)
	case PeriodFinancialYear:
		return fmt.Sprintf("%04d/%02d", y, floorMod(y+1, 100))
	case PeriodCalendarYear:
		return fmt.Sprintf("%04d", y)
	case PeriodRolling:
		last := y + p.months/12 - 1
		if e := floorMod(last, 100); e >= 1 && e <= 12 {
			return fmt.Sprintf("%04d-%04d", y, last)
		}
		return fmt.Sprintf("%04d-%02d", y, floorMod(last, 100))
	}
	return ""
}

// Start is the first day of p at midnight UTC; the zero time for the zero Period.
func (p Period) Start() time.Time {
	if p.IsZero() {
		return time.Time{}
	}
	return time.Date(floorDiv(p.first, 12), time.Month(floorMod(p.first, 12)+1), 1, 0, 0, 0, 0, time.UTC)
}

// End is the last day of p (inclusive) at midnight UTC, matching how NHS
// publications state periods; the zero time for the zero Period.
func (p Period) End() time.Time {
	if p.IsZero() {
		return time.Time{}
	}
	// Day 0 of the month after p is p's last day.
	return time.Date(floorDiv(p.first, 12), time.Month(floorMod(p.first, 12)+1+p.months), 0, 0, 0, 0, 0, time.UTC)
}

// Contains reports whether q lies wholly within p. Nothing contains, or is
// contained in, the zero Period.
func (p Period) Contains(q Period) bool {
	if p.IsZero() || q.IsZero() {
		return false
	}
	return q.first >= p.first && q.first+q.months <= p.first+p.months
}

// Compare orders periods by start, then shorter first, so a month sorts
// before the quarter and year that begin with it. The zero Period sorts
// first. Use it with slices.SortFunc(ps, Period.Compare).
func (p Period) Compare(q Period) int {
	if p.IsZero() || q.IsZero() {
		return cmp.Compare(boolInt(!p.IsZero()), boolInt(!q.IsZero()))
	}
	if c := cmp.Compare(p.first, q.first); c != 0 {
		return c
	}
	if c := cmp.Compare(p.months, q.months); c != 0 {
		return c
	}
	// Start and length fix the kind for every period the constructors
	// make; this keeps Compare total should that ever change.
	return strings.Compare(string(p.kind), string(q.kind))
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// Quarter returns the financial quarter containing p, which must be a month
// or a quarter; otherwise the zero Period.
func (p Period) Quarter() Period {
	if p.IsZero() || p.months > 3 {
		return Period{}
	}
	q := Period{kind: PeriodQuarter, first: p.first - floorMod(p.first-3, 3), months: 3}
	if !q.Contains(p) {
		return Period{}
	}
	return q
}

// FinancialYearOf returns the financial year containing p, or the zero
// Period when p crosses a financial year end (a calendar year, say).
// January to March belong to the year that started the April before.
func (p Period) FinancialYearOf() Period {
	if p.IsZero() {
		return Period{}
	}
	fy := Period{kind: PeriodFinancialYear, first: p.first - floorMod(p.first-3, 12), months: 12}
	if !fy.Contains(p) {
		return Period{}
	}
	return fy
}

// Next returns the following period of the same kind and length: the next
// month, quarter or year. A rolling span moves on one year (2021-23 to
// 2022-24), because that is how each year's new figure is published.
func (p Period) Next() Period {
	if p.IsZero() {
		return Period{}
	}
	step := p.months
	if p.kind == PeriodRolling {
		step = 12
	}
	return Period{kind: p.kind, first: p.first + step, months: p.months}
}

// MarshalText writes the canonical form, so JSON, CSV and the database all
// hold the same text. It refuses a period (built in code with a year beyond
// 9999, say) whose text would not read back.
func (p Period) MarshalText() ([]byte, error) {
	s := p.String()
	if s == "" {
		return nil, nil
	}
	if q, err := ParsePeriod(s); err != nil || q != p {
		return nil, Errorf(EINVALID, "period %q cannot be written as text", s)
	}
	return []byte(s), nil
}

// UnmarshalText reads what MarshalText writes, including "" for the zero
// Period so an unset field survives a round trip.
func (p *Period) UnmarshalText(b []byte) error {
	if strings.TrimSpace(string(b)) == "" {
		*p = Period{}
		return nil
	}
	v, err := ParsePeriod(string(b))
	if err != nil {
		return err
	}
	*p = v
	return nil
}

// Value stores a Period as its canonical text (NULL when zero), as Date does.
func (p Period) Value() (driver.Value, error) {
	if p.IsZero() {
		return nil, nil
	}
	b, err := p.MarshalText()
	if err != nil {
		return nil, err
	}
	return string(b), nil
}

// Scan reads a Period from text or NULL.
func (p *Period) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*p = Period{}
		return nil
	case string:
		return p.UnmarshalText([]byte(v))
	case []byte:
		return p.UnmarshalText(v)
	}
	return fmt.Errorf("accord.Period: cannot scan %T", src)
}

// RollUp groups months into the quarters or financial years that contain
// them, each group's months in order. It says nothing about completeness;
// check each group with CompleteWith before publishing it.
func RollUp(months []Period, to PeriodKind) (map[Period][]Period, error) {
	var parent func(Period) Period
	switch to {
	case PeriodQuarter:
		parent = Period.Quarter
	case PeriodFinancialYear:
		parent = Period.FinancialYearOf
	default:
		return nil, Errorf(EINVALID, "cannot roll months up to %q: choose %s or %s", to, PeriodQuarter, PeriodFinancialYear)
	}
	out := make(map[Period][]Period)
	for _, m := range months {
		if m.kind != PeriodMonth {
			return nil, Errorf(EINVALID, "period %q: only months can be rolled up, not a %s", m, kindName(m.kind))
		}
		g := parent(m)
		out[g] = append(out[g], m)
	}
	for _, ms := range out {
		slices.SortFunc(ms, Period.Compare)
	}
	return out, nil
}

func kindName(k PeriodKind) string {
	switch k {
	case "":
		return "blank period"
	case PeriodRolling:
		return "rolling period"
	}
	return strings.ReplaceAll(string(k), "_", " ")
}

// CompleteWith reports whether months cover every month of p (all three of a
// quarter, all twelve of a year), so callers publish only complete roll-ups.
// Entries that are not months, or fall outside p, are ignored.
func (p Period) CompleteWith(months []Period) bool {
	if p.IsZero() {
		return false
	}
	seen := make([]bool, p.months)
	for _, m := range months {
		if m.kind == PeriodMonth && p.Contains(m) {
			seen[m.first-p.first] = true
		}
	}
	return !slices.Contains(seen, false)
}
