package importer

import (
	"cmp"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/nhs-accord/accord"
)

// NHS England's Cancer Waiting Times come as monthly CWT-CRS data extracts
// in two layouts Accord reads, both named "cwt":
//
//   - the provider extract: one row per month × standard × provider ×
//     stage or referral route × treatment modality × cancer type, counting
//     patients treated (or told their diagnosis) within and outside the
//     standard;
//   - the ICB sub-location extract: one row per month × standard × sub-ICB
//     location of the patient's residence × sub-category (31-day first or
//     subsequent treatment by modality, 62-day referral route).
//
// Each yields, per month, the 28-day Faster Diagnosis Standard
// (cancer_fds_28d), the 31-day combined standard (cancer_31d) and the
// 62-day combined standard (cancer_62d) as proportions: numerator WITHIN
// STANDARD, denominator TOTAL TREATED (TOTAL).
//
// The provider extract gives trusts and England; the sub-location extract
// gives sub-ICB locations, ICBs and regions, by where patients live. Provider
// figures are not rolled up to host ICBs, because ICB figures by residence
// come from the other extract and the two would clash (same indicator,
// organisation and month, different meaning). England comes from the
// provider extract only: it is the basis of NHS England's national figures
// (the CWT national time series is "provider based stats including welsh
// cross-border patients and unknowns"), it is the extract every month is
// published in, and it is the one Accord's generator writes. On the real
// files for April to October 2023 the two extracts' England totals agree
// to the patient. England is the sum of every provider row, so rows for
// independent-sector providers Accord does not track still count there.
//
// In the provider extract the 31-day and 62-day rows come twice for each
// provider and stage: by cancer type (TREATMENT MODALITY "ALL
// MODALITIES") and by modality (CANCER TYPE "ALL CANCERS"). Both slices
// add up to the same patients, so Accord sums the cancer-type rows and
// checks the ALL CANCERS rows against them instead of adding them again;
// a difference is a problem, as it means a row is missing or repeated.
// Faster Diagnosis rows have no modality and only the cancer-type slice.
//
// Counts may be halves: a patient whose treatment two providers share
// counts 0.5 at each.
//
// Neither extract says whether its figures are provisional; NHS England
// says so only in the file name ("…-Provisional.xlsx"), so Accord reads the
// status from the name: one containing "provisional" imports as
// provisional, any other as final. A month named in the file name
// ("…-Oct-2023-…", "apr2023_sep2023") bounds the months its rows may hold.

// CWTProviderColumns is the header of the CWT-CRS provider extract, in order.
var CWTProviderColumns = []string{"PERIOD", "YEAR", "MONTH", "STANDARD", "ORG CODE", "STAGE/ROUTE", "TREATMENT MODALITY",
	"CANCER TYPE", "TOTAL TREATED", "WITHIN STANDARD", "BREACHES"}

// CWTSubICBColumns is the header of the CWT-CRS ICB sub-location extract.
var CWTSubICBColumns = []string{"PERIOD", "YEAR", "MONTH", "STANDARD", "ICB SUB LOCATION", "SUB-CATEGORY", "TOTAL",
	"WITHIN STANDARD", "BREACHES"}

// CWTStandard is a standard as the extracts write it and the indicator it
// yields.
type CWTStandard struct{ Standard, Indicator string }

// CWTStandards are the standards Accord reads from the extracts.
var CWTStandards = []CWTStandard{
	{"28-day FDS", "cancer_fds_28d"},
	{"31-day Combined", "cancer_31d"},
	{"62-day Combined", "cancer_62d"},
}

const (
	// CWTAllCancers and CWTAllModalities mark the two slices of the
	// provider extract's 31-day and 62-day rows.
	CWTAllCancers    = "ALL CANCERS"
	CWTAllModalities = "ALL MODALITIES"

	cwtDataset         = "nhse-cwt"
	cwtProviderDataset = cwtDataset + ":provider"  // by provider
	cwtSubICBDataset   = cwtDataset + ":residence" // by sub-ICB location of residence

	cwtSkipProvider = "provider not tracked by Accord (independent sector, or a trust not open that month): counted in England only"
	cwtSkipSlice    = "ALL CANCERS rows (each stage by treatment modality): the same patients as the cancer-type rows, checked against them and not counted twice"
	cwtSkipSubICB   = "not one of Accord's sub-ICB locations (UNKNOWN residence, an NHS England commissioning hub, or a code that is not an English sub-ICB location)"
)

func init() {
	register(&Format{
		Name:      "cwt",
		Layout:    "CWT-CRS provider extract",
		Publisher: "NHS England",
		Dataset:   cwtDataset,
		National:  true,
		Detect: func(header []string) bool {
			c := newColumns(cwtUpper(header), false)
			return c.has("STANDARD", "WITHIN STANDARD", "ORG CODE") && !c.has("ICB SUB LOCATION")
		},
		Expect: "NHS England's Cancer Waiting Times CWT-CRS provider data extract: " + strings.Join(CWTProviderColumns, ", "),
		Parse:  parseCWTProvider,
	})
	register(&Format{
		Name:      "cwt",
		Layout:    "CWT-CRS ICB sub-location extract",
		Publisher: "NHS England",
		Dataset:   cwtDataset,
		National:  true,
		Detect: func(header []string) bool {
			c := newColumns(cwtUpper(header), false)
			return c.has("STANDARD", "WITHIN STANDARD", "ICB SUB LOCATION") && !c.has("ORG CODE")
		},
		Expect: "NHS England's Cancer Waiting Times CWT-CRS ICB sub-location data extract: " + strings.Join(CWTSubICBColumns, ", "),
		Parse:  parseCWTSubICB,
	})
}

func cwtUpper(h []string) []string {
	out := make([]string, len(h))
	for i, s := range h {
		out[i] = strings.ToUpper(strings.TrimSpace(s))
	}
	return out
}

// cwtFile is what both layouts share: the header's positions, the months
// the file name allows, the block of rows for the current month with the
// keys already seen in it, and the skip counter.
type cwtFile struct {
	p       *Parse
	cols    []string // the layout's columns
	at      []int    // position of each of cols in the file
	width   int
	from    accord.Period // months allowed by the file name; zero when it names none
	to      accord.Period
	month   accord.Period // the month of the current block of rows
	done    map[accord.Period]bool
	seen    map[string]int // keys in the current month → first line
	skipped map[string]bool
}

// The shared columns' positions in cols.
const (
	cwtPeriod = iota
	cwtYear
	cwtMonth
	cwtStandard
	cwtOrg // ORG CODE or ICB SUB LOCATION
)

// newCWTFile checks the header against cols, reporting columns missing,
// unexpected or repeated, and reads the status and months from the name.
func newCWTFile(p *Parse, cols []string) (*cwtFile, bool) {
	f := &cwtFile{p: p, cols: cols, at: make([]int, len(cols)), done: map[accord.Period]bool{}, seen: map[string]int{}, skipped: map[string]bool{}}
	header := cwtUpper(p.Rows.Header())
	f.width = len(header)
	c := newColumns(header, false)
	for i, h := range header {
		if !slices.Contains(cols, h) {
			p.Problem(1, i+1, "unexpected column %q: the %s has %s", p.Rows.Header()[i], p.Format.Layout, strings.Join(cols, ", "))
		} else if c.at(h) != i {
			p.Problem(1, i+1, "column %q appears twice", h)
		}
	}
	for _, m := range c.missing(cols...) {
		p.Problem(1, 0, "missing column %q", m)
	}
	for i, name := range cols {
		f.at[i] = c.at(name)
	}
	if strings.Contains(strings.ToLower(filepath.Base(p.File)), "provisional") {
		p.Status = accord.Provisional
	}
	f.from, f.to = cwtNameMonths(p.File)
	return f, !p.Failed()
}

// get returns column i (of cols) of row, trimmed, and its 1-based position.
func (f *cwtFile) get(row []string, i int) (string, int) {
	return strings.TrimSpace(row[f.at[i]]), f.at[i] + 1
}

// skip counts a row, giving the example only the first time.
func (f *cwtFile) skip(reason, example string) {
	if f.skipped[reason] {
		example = ""
	}
	f.skipped[reason] = true
	f.p.Skip(reason, example)
}

// cwtRow is what both layouts read from every row.
type cwtRow struct {
	line          int
	month         accord.Period
	standard      int // index into CWTStandards; -1 for one Accord does not track
	org           string
	total, within float64
}

// next reads the next row, checking the columns both layouts share. ok is
// false at the end of the file; bad is true when the row has a problem
// (already reported) and must not be used.
func (f *cwtFile) next() (row []string, r cwtRow, ok, bad bool, err error) {
	p := f.p
	row, line, err := p.Rows.Next()
	if err == io.EOF {
		return nil, r, false, false, nil
	}
	if err != nil {
		return nil, r, false, false, err
	}
	p.Row()
	if p.Ctx != nil && line%4096 == 0 {
		if err := p.Ctx.Err(); err != nil {
			return nil, r, false, false, err
		}
	}
	r.line = line
	if len(row) != f.width {
		p.Problem(line, 0, "has %d columns; the header has %d", len(row), f.width)
		return row, r, true, true, nil
	}
	problem := func(col int, format string, args ...any) {
		bad = true
		p.Problem(line, col, format, args...)
	}

	s, c := f.get(row, cwtPeriod)
	month, msg := cwtParsePeriod(s)
	if msg != "" {
		problem(c, "PERIOD %q %s", s, msg)
	} else {
		r.month = month
		if y, c := f.get(row, cwtYear); !strings.EqualFold(y, month.FinancialYearOf().String()) {
			problem(c, "YEAR %q does not match PERIOD %s: it is in financial year %s", y, s, month.FinancialYearOf())
		}
		if m, c := f.get(row, cwtMonth); !cwtMonthMatches(m, month) {
			problem(c, "MONTH %q does not match PERIOD %s (%s)", m, s, strings.ToUpper(month.Start().Format("Jan")))
		}
		if !f.from.IsZero() && (month.Compare(f.from) < 0 || month.Compare(f.to) > 0) {
			if f.from == f.to {
				problem(c, "PERIOD %s is not the month the file name gives (%s)", s, f.from)
			} else {
				problem(c, "PERIOD %s is outside the months the file name gives (%s to %s)", s, f.from, f.to)
			}
		}
	}

	s, c = f.get(row, cwtStandard)
	r.standard = slices.IndexFunc(CWTStandards, func(x CWTStandard) bool { return strings.EqualFold(x.Standard, s) })
	if s == "" {
		problem(c, "STANDARD is empty")
	}

	r.org, c = f.get(row, cwtOrg)
	r.org = strings.ToUpper(r.org)
	if r.org == "" {
		problem(c, "%s is empty", f.cols[cwtOrg])
	}

	n := len(f.cols)
	var counts [3]float64
	countsOK := true
	for i := range 3 {
		s, c := f.get(row, n-3+i)
		v, msg := cwtCount(f.cols[n-3+i], s)
		if msg != "" {
			problem(c, "%s", msg)
			countsOK = false
		}
		counts[i] = v
	}
	if countsOK {
		total, within, breaches := counts[0], counts[1], counts[2]
		if within > total {
			_, c := f.get(row, n-2)
			problem(c, "WITHIN STANDARD %s is more than %s %s", cwtNum(within), f.cols[n-3], cwtNum(total))
		} else if math.Abs(total-within-breaches) > 1e-6 {
			_, c := f.get(row, n-3)
			problem(c, "%s %s is not WITHIN STANDARD %s + BREACHES %s", f.cols[n-3], cwtNum(total), cwtNum(within), cwtNum(breaches))
		}
		r.total, r.within = total, within
	}
	return row, r, true, bad, nil
}

// enter moves to r's month, calling flush when the month changes. The
// extracts list each month's rows together, which lets duplicate rows be
// found while holding only one month's keys.
func (f *cwtFile) enter(r cwtRow, flush func()) {
	if r.month == f.month {
		return
	}
	if !f.month.IsZero() {
		flush()
		f.done[f.month] = true
		clear(f.seen)
	}
	f.month = r.month
	if f.done[r.month] {
		f.p.Problem(r.line, 0, "rows for %s start again here after rows for another month: list each month's rows together, as NHS England's extracts do", r.month)
	}
}

// duplicate records key for the current month, reporting a repeat.
func (f *cwtFile) duplicate(r cwtRow, key, what string) bool {
	if first, ok := f.seen[key]; ok {
		f.p.Problem(r.line, 0, "repeats line %d: the same %s for %s", first, what, r.month)
		return true
	}
	f.seen[key] = r.line
	return false
}

// standardSkip counts a row for a standard Accord does not read.
func (f *cwtFile) standardSkip(row []string, line int) {
	s, _ := f.get(row, cwtStandard)
	f.skip(fmt.Sprintf("STANDARD %q: not one Accord reads (it reads 28-day FDS, 31-day Combined and 62-day Combined)", s), fmt.Sprintf("line %d", line))
}

// cwtSlice names the rows of one provider, standard and stage in the
// provider extract: by cancer type, by modality (ALL CANCERS), or the
// total over both (ALL CANCERS, ALL MODALITIES; not in NHS England's
// extracts, but read if given).
type cwtSlice int

const (
	cwtByType cwtSlice = iota
	cwtByModality
	cwtTotal
	cwtSlices
)

type cwtGroupKey struct {
	standard int
	org      string // as written
	stage    string // upper case
}

type cwtGroup struct {
	org      string // Accord's code, "" when not tracked
	stage    string // as written, for messages
	line     int    // first line
	sums     [cwtSlices]Sums
	rows     [cwtSlices]int
	lines    [cwtSlices]int
	resolved bool
}

// parseCWTProvider reads the provider extract.
func parseCWTProvider(p *Parse) error {
	f, ok := newCWTFile(p, CWTProviderColumns)
	if !ok {
		return nil
	}
	p.Dataset = cwtProviderDataset
	const (
		stageCol = 5 + iota
		modalityCol
		typeCol
	)
	england, hasEngland := p.Orgs.Lookup(accord.EnglandCode)
	groups := map[cwtGroupKey]*cwtGroup{}
	// flush checks and adds up one month's groups and sends its
	// observations, so memory holds one month whatever the file's length.
	flush := func() {
		defer clear(groups)
		if p.Failed() {
			return
		}
		agg := NewAggregator()
		// In line order, so lines and examples do not depend on map order.
		list := make([]*cwtGroup, 0, len(groups))
		keys := make(map[*cwtGroup]cwtGroupKey, len(groups))
		for k, g := range groups {
			list = append(list, g)
			keys[g] = k
		}
		slices.SortFunc(list, func(a, b *cwtGroup) int { return cmp.Compare(a.line, b.line) })
		for _, g := range list {
			k := keys[g]
			std := CWTStandards[k.standard]
			use := cwtByType
			for _, s := range []cwtSlice{cwtByType, cwtTotal, cwtByModality} {
				if g.rows[s] > 0 {
					use = s
					break
				}
			}
			for s := range cwtSlices {
				if s == use || g.rows[s] == 0 {
					continue
				}
				if a, b := g.sums[s], g.sums[use]; math.Abs(a.Num-b.Num) > 1e-6 || math.Abs(a.Den-b.Den) > 1e-6 {
					p.Problem(g.lines[s], 0, "the %s rows for %s %s %q in %s add up to TOTAL TREATED %s, WITHIN STANDARD %s; the %s rows to TOTAL TREATED %s, WITHIN STANDARD %s: is a row missing or repeated?",
						cwtSliceName(s), k.org, std.Standard, g.stage, f.month, cwtNum(a.Den), cwtNum(a.Num), cwtSliceName(use), cwtNum(b.Den), cwtNum(b.Num))
				}
				for range g.rows[s] {
					f.skip(cwtSkipSlice, fmt.Sprintf("%s %s %s, line %d", k.org, std.Standard, g.stage, g.lines[s]))
				}
			}
			sum := g.sums[use]
			if g.org != "" {
				agg.Add(std.Indicator, g.org, f.month, accord.Breakdown{}, sum.Num, sum.Den, g.line)
			} else {
				for range g.rows[use] {
					f.skip(cwtSkipProvider, k.org)
				}
			}
			if hasEngland {
				agg.Add(std.Indicator, england.Code, f.month, accord.Breakdown{}, sum.Num, sum.Den, g.line)
			}
		}
		if !p.Failed() {
			emitCWT(p, agg)
		}
	}
	for {
		row, r, ok, bad, err := f.next()
		if err != nil {
			return err
		}
		if !ok {
			break
		}
		if row == nil || r.month.IsZero() {
			continue
		}
		f.enter(r, flush)
		stage, _ := f.get(row, stageCol)
		modality, mc := f.get(row, modalityCol)
		ctype, tc := f.get(row, typeCol)
		std, _ := f.get(row, cwtStandard)
		key := strings.ToUpper(strings.Join([]string{std, r.org, stage, modality, ctype}, "\x00"))
		if f.duplicate(r, key, "STANDARD, ORG CODE, STAGE/ROUTE, TREATMENT MODALITY and CANCER TYPE") || bad {
			continue
		}
		if stage == "" {
			p.Problem(r.line, f.at[stageCol]+1, "STAGE/ROUTE is empty")
			continue
		}
		if ctype == "" {
			p.Problem(r.line, tc, "CANCER TYPE is empty")
			continue
		}
		allTypes, allModalities := strings.EqualFold(ctype, CWTAllCancers), modality == "" || strings.EqualFold(modality, CWTAllModalities)
		var slice cwtSlice
		switch {
		case !allTypes && allModalities:
			slice = cwtByType
		case allTypes && !allModalities:
			slice = cwtByModality
		case allTypes && allModalities:
			slice = cwtTotal
		default:
			p.Problem(r.line, mc, "a row for one cancer type (%q) and one modality (%q): the extract gives cancer types under %s and modalities under %s",
				ctype, modality, CWTAllModalities, CWTAllCancers)
			continue
		}
		if r.standard < 0 {
			f.standardSkip(row, r.line)
			continue
		}
		if p.Failed() {
			continue // the import fails: only look for more problems
		}
		gk := cwtGroupKey{r.standard, r.org, strings.ToUpper(stage)}
		g, ok := groups[gk]
		if !ok {
			g = &cwtGroup{stage: stage, line: r.line}
			if o, ok := p.Orgs.Resolve(r.org, r.month); ok && o.Type == accord.OrgProvider {
				g.org = o.Code
			}
			groups[gk] = g
		}
		if g.rows[slice] == 0 {
			g.lines[slice] = r.line
		}
		g.rows[slice]++
		g.sums[slice].Num += r.within
		g.sums[slice].Den += r.total
	}
	if !f.month.IsZero() {
		flush()
	}
	return nil
}

func cwtSliceName(s cwtSlice) string {
	switch s {
	case cwtByType:
		return "cancer-type (" + CWTAllModalities + ")"
	case cwtByModality:
		return CWTAllCancers + " (by modality)"
	}
	return CWTAllCancers + ", " + CWTAllModalities
}

// parseCWTSubICB reads the sub-location extract: each row adds to its
// sub-ICB location, ICB and region. England comes from the provider
// extract (see above), so it is not added here.
func parseCWTSubICB(p *Parse) error {
	f, ok := newCWTFile(p, CWTSubICBColumns)
	if !ok {
		return nil
	}
	p.Dataset = cwtSubICBDataset
	const subCategoryCol = 5
	agg := NewAggregator()
	flush := func() {
		if !p.Failed() {
			emitCWT(p, agg)
		}
		agg = NewAggregator()
	}
	chains := map[string][]string{}
	for {
		row, r, ok, bad, err := f.next()
		if err != nil {
			return err
		}
		if !ok {
			break
		}
		if row == nil || r.month.IsZero() {
			continue
		}
		f.enter(r, flush)
		std, _ := f.get(row, cwtStandard)
		sub, _ := f.get(row, subCategoryCol)
		key := strings.ToUpper(std + "\x00" + r.org + "\x00" + sub)
		if f.duplicate(r, key, "STANDARD, ICB SUB LOCATION and SUB-CATEGORY") || bad {
			continue
		}
		if r.standard < 0 {
			f.standardSkip(row, r.line)
			continue
		}
		o, ok := p.Orgs.Resolve(r.org, r.month)
		if !ok || o.Type != accord.OrgSubICB {
			f.skip(cwtSkipSubICB, r.org)
			continue
		}
		if p.Failed() {
			continue
		}
		chain, ok := chains[o.Code]
		if !ok {
			for _, c := range p.Orgs.Chain(o.Code) {
				if c != accord.EnglandCode {
					chain = append(chain, c)
				}
			}
			chains[o.Code] = chain
		}
		agg.AddChain(CWTStandards[r.standard].Indicator, chain, r.month, accord.Breakdown{}, r.within, r.total, r.line)
	}
	if !f.month.IsZero() {
		flush()
	}
	return nil
}

// emitCWT sends every point of a month with patients as a proportion.
func emitCWT(p *Parse, agg *Aggregator) {
	for _, pt := range agg.Points() {
		if o, ok := Proportion(pt); ok {
			p.Emit(o, pt.Line)
		}
	}
}

// cwtParsePeriod reads PERIOD, the first day of the month: 2023-10-01 as
// written when the workbook is saved as CSV, or 01/10/2023.
func cwtParsePeriod(s string) (accord.Period, string) {
	var t time.Time
	var err error
	if strings.Contains(s, "/") {
		t, err = time.Parse("02/01/2006", s)
	} else {
		t, err = time.Parse("2006-01-02", s)
	}
	if err != nil {
		return accord.Period{}, "is not a date written YYYY-MM-DD (or DD/MM/YYYY), e.g. 2023-10-01"
	}
	if t.Day() != 1 {
		return accord.Period{}, "is not the first day of a month: PERIOD names the month by its first day, e.g. 2023-10-01"
	}
	return accord.Month(t.Year(), t.Month()), ""
}

// cwtMonthMatches reports whether MONTH (OCT, or October) names m's month.
func cwtMonthMatches(s string, m accord.Period) bool {
	t := m.Start()
	return strings.EqualFold(s, t.Format("Jan")) || strings.EqualFold(s, t.Format("January"))
}

var cwtNumberRe = regexp.MustCompile(`^[0-9]+(\.[0-9]+)?$`)

// cwtCount reads the count in column name: digits with an optional
// decimal part (halves occur). msg says what is wrong, if anything.
func cwtCount(name, s string) (v float64, msg string) {
	if s == "" {
		return 0, name + " is empty: a count is required"
	}
	digits, neg := strings.CutPrefix(s, "-")
	if !cwtNumberRe.MatchString(digits) {
		return 0, fmt.Sprintf("%s %q is not a number", name, s)
	}
	v, err := strconv.ParseFloat(digits, 64)
	if err != nil || v > 1e12 {
		return 0, fmt.Sprintf("%s %s is too large to be a count", name, s)
	}
	if neg && v != 0 {
		return 0, fmt.Sprintf("%s %s is negative: a count cannot be", name, s)
	}
	return v, ""
}

func cwtNum(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// cwtMonthRe finds a month and year in a file name: Oct-2023, oct2023,
// Apr-23, September_2024.
var cwtMonthRe = regexp.MustCompile(`(?i)(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)[-_ ]?([0-9]{4}|[0-9]{2})`)

// cwtNameMonths returns the month, or first and last months, a file name
// gives (CWT-CRS-Oct-2023-Data-Extract-Provider, …-Apr-2023-to-Sep-2023-…),
// or zero periods when it gives none or something else.
func cwtNameMonths(name string) (from, to accord.Period) {
	base := filepath.Base(name)
	isLetter := func(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }
	var months []accord.Period
	for _, m := range cwtMonthRe.FindAllStringSubmatchIndex(base, -1) {
		// A month stands apart: not the end of a word (dismay23) nor the
		// start of a longer number (oct20231).
		if m[0] > 0 && isLetter(base[m[0]-1]) || m[1] < len(base) && base[m[1]]-'0' < 10 {
			continue
		}
		word, year := base[m[2]:m[3]], base[m[4]:m[5]]
		t, err := time.Parse("Jan", strings.ToUpper(word[:1])+strings.ToLower(word[1:3]))
		if err != nil {
			return
		}
		y, _ := strconv.Atoi(year)
		if len(year) == 2 {
			y += 2000
		}
		months = append(months, accord.Month(y, t.Month()))
	}
	switch {
	case len(months) == 1:
		return months[0], months[0]
	case len(months) == 2 && months[0].Compare(months[1]) <= 0:
		return months[0], months[1]
	}
	return
}
