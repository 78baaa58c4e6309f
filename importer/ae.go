package importer

import (
	"cmp"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/nhs-accord/accord"
	"github.com/nhs-accord/accord/reference"
)

// NHS England's A&E Attendances and Emergency Admissions (the MSitAE
// monthly collection) comes in three layouts Accord reads, all named "ae":
//
//   - the monthly CSV by provider, one row per trust or independent site and
//     a TOTAL row, with the column wording NHS England has used since about 2020;
//   - the same CSV with the earlier wording ("Number of A&E attendances
//     Type 1", …), which had no booked-appointment columns;
//   - the tidy ae_attendances table of the NHSRdatasets R package
//     (period, org_code, type, attendances, breaches, admissions), which
//     holds many months of NHS England's figures in one file.
//
// Each yields, per month, for the trusts Accord tracks, for the ICBs the
// providers are attributed to, their regions and England: A&E attendances,
// the share seen within 4 hours (all types, and type 1), and from the
// monthly CSV also 12-hour waits from decision to admit and emergency
// admissions.
//
// Attendances include booked appointments, as in NHS England's published
// totals and 4-hour performance: December 2025's file gives 73.8% within 4
// hours for England that way (73.2% without them), the figure NHS England
// published for that month.
//
// Counts are attributed to ICBs by NHS England's own "Attribution from A&E
// providers to ICBs" (March 2024), which covers independent sites and
// urgent treatment centres and places a few trusts in an ICB other than
// their host. A trust Accord tracks that is missing from the attribution
// counts in its host ICB. England is always the sum of every row, so a row
// that reaches no ICB is still counted there, and a TOTAL row is checked
// against that sum rather than added.

// AEColumns is the header of NHS England's monthly A&E CSV by provider, as
// published since about 2020 (public readers of the files date the change
// between 2019 and September 2020).
var AEColumns = []string{
	"Period", "Org Code", "Parent Org", "Org name",
	"A&E attendances Type 1", "A&E attendances Type 2", "A&E attendances Other A&E Department",
	"A&E attendances Booked Appointments Type 1", "A&E attendances Booked Appointments Type 2", "A&E attendances Booked Appointments Other Department",
	"Attendances over 4hrs Type 1", "Attendances over 4hrs Type 2", "Attendances over 4hrs Other Department",
	"Attendances over 4hrs Booked Appointments Type 1", "Attendances over 4hrs Booked Appointments Type 2", "Attendances over 4hrs Booked Appointments Other Department",
	"Patients who have waited 4-12 hs from DTA to admission", "Patients who have waited 12+ hrs from DTA to admission",
	"Emergency admissions via A&E - Type 1", "Emergency admissions via A&E - Type 2", "Emergency admissions via A&E - Other A&E department",
	"Other emergency admissions",
}

// AEOldColumns is the header of the same CSV until about 2020: the attendance
// columns began "Number of", and booked appointments were not reported.
var AEOldColumns = []string{
	"Period", "Org Code", "Parent Org", "Org name",
	"Number of A&E attendances Type 1", "Number of A&E attendances Type 2", "Number of A&E attendances Other A&E Department",
	"Number of attendances over 4hrs Type 1", "Number of attendances over 4hrs Type 2", "Number of attendances over 4hrs Other A&E Department",
	"Patients who have waited 4-12 hs from DTA to admission", "Patients who have waited 12+ hrs from DTA to admission",
	"Emergency admissions via A&E - Type 1", "Emergency admissions via A&E - Type 2", "Emergency admissions via A&E - Other A&E department",
	"Other emergency admissions",
}

// AENHSRColumns is the header of NHSRdatasets' ae_attendances table.
var AENHSRColumns = []string{"period", "org_code", "type", "attendances", "breaches", "admissions"}

// The count columns of the monthly CSV, in the file's order.
const (
	aeAtt1 = iota
	aeAtt2
	aeAtt3
	aeBooked1
	aeBooked2
	aeBooked3
	aeOver1
	aeOver2
	aeOver3
	aeBookedOver1
	aeBookedOver2
	aeBookedOver3
	aeDTA4to12
	aeDTA12
	aeAdm1
	aeAdm2
	aeAdm3
	aeAdmOther
	aeCounts
)

// The indicators the layouts yield.
const (
	aeIndAttendances = "ae_attendances"
	aeInd4hAll       = "ae_4h_all"
	aeInd4hType1     = "ae_4h_type1"
	aeInd12hDTA      = "ae_12h_dta"
	aeIndAdmissions  = "emergency_admissions"
)

const (
	aeDataset = "nhse-ae"
	// AEMappingFile is NHS England's attribution of A&E providers to ICBs,
	// shipped with the reference data.
	AEMappingFile = "ae_provider_to_icb_mapping_mar2024.csv"

	// aeMaxCount bounds one cell: far above any month's attendances, low
	// enough that sums stay exact.
	aeMaxCount = 1_000_000_000_000

	aeSkipTotal        = "TOTAL row: checked against the sum of the provider rows above it, not added again"
	aeSkipUnattributed = "provider neither tracked by Accord nor in NHS England's attribution of A&E providers to ICBs (March 2024): counted in England only"
	aeSkipUnknownICB   = "provider attributed to an ICB that is not in Accord's organisation map: counted in England only"
)

// aeLayout is one wording of the monthly CSV.
type aeLayout struct {
	name   string
	header []string
	counts [aeCounts]string // each count's column; "" where the layout has none
}

var (
	aeOfficial = &aeLayout{name: "A&E monthly CSV by provider", header: AEColumns}
	aeOld      = &aeLayout{name: "A&E monthly CSV by provider, earlier wording", header: AEOldColumns}
)

func init() {
	copy(aeOfficial.counts[:], AEColumns[4:])
	for i, c := range []int{aeAtt1, aeAtt2, aeAtt3, aeOver1, aeOver2, aeOver3, aeDTA4to12, aeDTA12, aeAdm1, aeAdm2, aeAdm3, aeAdmOther} {
		aeOld.counts[c] = AEOldColumns[4+i]
	}
	for _, l := range []*aeLayout{aeOfficial, aeOld} {
		register(&Format{
			Name:      "ae",
			Layout:    l.name,
			Publisher: "NHS England",
			Dataset:   aeDataset,
			National:  true,
			Detect:    l.detect,
			Expect:    strings.Join(l.header, ","),
			Parse:     l.parse,
		})
	}
	register(&Format{
		Name:      "ae",
		Layout:    "NHSRdatasets ae_attendances",
		Publisher: "NHS England",
		Dataset:   aeDataset,
		National:  true,
		Detect: func(header []string) bool {
			return newColumns(aeLower(header), false).has("org_code", "type", "breaches")
		},
		Expect: strings.Join(AENHSRColumns, ",") + " (period YYYY-MM-01, type 1, 2 or other)",
		Parse:  parseAENHSR,
	})
}

// detect tells the two wordings apart by their first attendance column; a
// header mixing them is taken as the current one and its parser names the
// stray columns.
func (l *aeLayout) detect(header []string) bool {
	cols := newColumns(aeLower(header), false)
	if !cols.has("org code") {
		return false
	}
	if l == aeOfficial {
		return cols.has(strings.ToLower(AEColumns[4]))
	}
	return cols.has(strings.ToLower(AEOldColumns[4])) && !cols.has(strings.ToLower(AEColumns[4]))
}

// aeMapping is NHS England's attribution: provider or site code → ICB code.
var aeMapping = sync.OnceValues(func() (map[string]string, error) {
	f, err := reference.Open(AEMappingFile)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	recs, err := r.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", AEMappingFile, err)
	}
	if len(recs) == 0 {
		return nil, fmt.Errorf("%s: empty", AEMappingFile)
	}
	cols := newColumns(recs[0], false)
	code, icb := cols.at("Code"), cols.at("ICB Code")
	if code < 0 || icb < 0 {
		return nil, fmt.Errorf("%s:1: expected columns Code and ICB Code", AEMappingFile)
	}
	m := make(map[string]string, len(recs))
	for i, rec := range recs[1:] {
		c, to := strings.ToUpper(strings.TrimSpace(rec[code])), strings.ToUpper(strings.TrimSpace(rec[icb]))
		if prev, ok := m[c]; ok && prev != to {
			return nil, fmt.Errorf("%s:%d: %s is attributed to both %s and %s", AEMappingFile, i+2, c, prev, to)
		}
		m[c] = to
	}
	return m, nil
})

// aeTally is what one row adds to each organisation it counts for.
type aeTally struct {
	att, over   int64 // attendances of every type, booked included, and those over 4 hours
	att1, over1 int64 // type 1 only
	dta12       int64 // waits of more than 12 hours from decision to admit
	admissions  int64 // emergency admissions, via A&E and otherwise
	full        bool  // the layout has 12-hour waits and admissions
}

func (t *aeTally) add(u aeTally) {
	t.att += u.att
	t.over += u.over
	t.att1 += u.att1
	t.over1 += u.over1
	t.dta12 += u.dta12
	t.admissions += u.admissions
	t.full = t.full || u.full
}

// aeTallyKey is an organisation's month.
type aeTallyKey struct {
	org   string
	month accord.Period
}

// aeOrgTally is what the rows add up to for an organisation's month, and
// the first line that added to it.
type aeOrgTally struct {
	aeTally
	line int
}

// aeRollup attributes rows to a trust, an ICB and its region, and England,
// and accumulates them by month: one sum per organisation and month, so its
// size is bounded by those and not by the rows.
type aeRollup struct {
	p       *Parse
	tallies map[aeTallyKey]*aeOrgTally
	mapping map[string]string
	england string              // "" when the map has no England
	chains  map[string][]string // ICB → the ICB and its ancestors below England
	orgs    []string
	skipped map[string]bool
}

func newAERollup(p *Parse) (*aeRollup, error) {
	m, err := aeMapping()
	if err != nil {
		return nil, err
	}
	r := &aeRollup{p: p, tallies: map[aeTallyKey]*aeOrgTally{}, mapping: m, chains: map[string][]string{}, skipped: map[string]bool{}}
	if eng, ok := p.Orgs.Lookup(accord.EnglandCode); ok {
		r.england = eng.Code
	}
	return r, nil
}

// skip counts a row under reason, building its example only the first time.
func (r *aeRollup) skip(reason string, example func() string) {
	if r.skipped[reason] {
		r.p.Skip(reason, "")
		return
	}
	r.skipped[reason] = true
	r.p.Skip(reason, example())
}

// chain returns the ICB and its region, without England.
func (r *aeRollup) chain(icb string) []string {
	if c, ok := r.chains[icb]; ok {
		return c
	}
	var c []string
	for _, code := range r.p.Orgs.Chain(icb) {
		if code != accord.EnglandCode {
			c = append(c, code)
		}
	}
	r.chains[strings.Clone(icb)] = c
	return c
}

// add counts one provider row for month. name is for skip messages.
func (r *aeRollup) add(code, name string, month accord.Period, t aeTally, line int) {
	r.orgs = r.orgs[:0]
	code = strings.ToUpper(code)
	icb := r.mapping[code]
	if o, ok := r.p.Orgs.Resolve(code, month); ok && o.Type == accord.OrgProvider {
		r.orgs = append(r.orgs, o.Code)
		if icb == "" {
			icb = o.ParentCode // a tracked trust the attribution does not list counts in its host ICB
		}
	}
	example := func() string {
		if name = strings.TrimSpace(name); name != "" {
			return fmt.Sprintf("line %d: %s %s", line, code, name)
		}
		return fmt.Sprintf("line %d: %s", line, code)
	}
	switch up := r.chain(icb); {
	case icb == "":
		r.skip(aeSkipUnattributed, example)
	case len(up) == 0:
		r.skip(aeSkipUnknownICB, func() string { return example() + ", ICB " + icb })
	default:
		r.orgs = append(r.orgs, up...)
	}
	if r.england != "" {
		r.orgs = append(r.orgs, r.england)
	}
	for _, org := range r.orgs {
		k := aeTallyKey{org, month}
		s, ok := r.tallies[k]
		if !ok {
			s = &aeOrgTally{line: line}
			r.tallies[k] = s
		}
		s.add(t)
	}
}

// emit sends every accumulated point, by indicator, organisation and
// month so an import is deterministic: counts as they are, shares where
// there were attendances to share.
func (r *aeRollup) emit() {
	keys := make([]aeTallyKey, 0, len(r.tallies))
	for k := range r.tallies {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b aeTallyKey) int {
		return cmp.Or(strings.Compare(a.org, b.org), a.month.Compare(b.month))
	})
	for _, ind := range []string{aeInd12hDTA, aeInd4hAll, aeInd4hType1, aeIndAttendances, aeIndAdmissions} {
		for _, k := range keys {
			s := r.tallies[k]
			pt := Point{Indicator: ind, Org: k.org, Period: k.month, Line: s.line}
			switch ind {
			case aeIndAttendances:
				pt.Num = float64(s.att)
			case aeInd4hAll:
				pt.Num, pt.Den = float64(s.att-s.over), float64(s.att)
			case aeInd4hType1:
				pt.Num, pt.Den = float64(s.att1-s.over1), float64(s.att1)
			case aeInd12hDTA:
				pt.Num = float64(s.dta12)
			case aeIndAdmissions:
				pt.Num = float64(s.admissions)
			}
			switch {
			case ind == aeInd4hAll || ind == aeInd4hType1:
				if o, ok := Proportion(pt); ok {
					r.p.Emit(o, pt.Line)
				}
			case ind == aeInd12hDTA || ind == aeIndAdmissions:
				if s.full {
					r.p.Emit(Count(pt), pt.Line)
				}
			default:
				r.p.Emit(Count(pt), pt.Line)
			}
		}
	}
}

// aeSection is one month of a monthly CSV: its rows up to the TOTAL row.
type aeSection struct {
	month     accord.Period
	firstLine int
	sums      [aeCounts]int64
	seen      map[string]int // Org Code → line, for duplicates
}

func (l *aeLayout) parse(p *Parse) error {
	header := p.Rows.Header()
	lower := aeLower(header)
	cols := newColumns(lower, false)
	known := make(map[string]bool, len(l.header))
	var required []string
	for _, h := range l.header {
		known[strings.ToLower(h)] = true
		if h != "Parent Org" && h != "Org name" {
			required = append(required, strings.ToLower(h))
		}
	}
	for i, h := range lower {
		if !known[h] {
			p.Problem(1, i+1, "unexpected column %q: not in NHS England's %s", header[i], l.name)
		} else if cols.at(h) != i {
			p.Problem(1, i+1, "column %q appears twice", header[i])
		}
	}
	if m := cols.missing(required...); len(m) > 0 {
		names := make([]string, len(m))
		for i, lm := range m {
			for _, h := range l.header {
				if strings.ToLower(h) == lm {
					names[i] = strconv.Quote(h)
				}
			}
		}
		if len(m) == 1 {
			p.Problem(1, 0, "missing column %s", names[0])
		} else {
			p.Problem(1, 0, "missing %d columns: %s", len(m), strings.Join(names, ", "))
		}
	}
	if p.Failed() {
		return nil
	}
	cPeriod, cCode, cName := cols.at("period"), cols.at("org code"), cols.at("org name")
	var cCount [aeCounts]int
	for c := range cCount {
		cCount[c] = -1
		if l.counts[c] != "" {
			cCount[c] = cols.at(strings.ToLower(l.counts[c]))
		}
	}
	roll, err := newAERollup(p)
	if err != nil {
		return err
	}

	var (
		sec        *aeSection
		ended      = map[accord.Period]int{} // month → line of its TOTAL row
		periodText string                    // the last Period text read, and its month
		period     accord.Period
	)
	name := func(row []string) string {
		if cName < 0 {
			return ""
		}
		return row[cName]
	}
	// counts reads a row's counts, reporting any that are not counts.
	counts := func(row []string, line int) (v [aeCounts]int64, ok bool) {
		ok = true
		for c, col := range cCount {
			if col < 0 {
				continue
			}
			n, msg := aeCount(row[col])
			if msg != "" {
				p.Problem(line, col+1, "%s %s", header[col], msg)
				ok = false
			}
			v[c] = n
		}
		return v, ok
	}

	for n := 0; ; n++ {
		if n&0x1fff == 0 && p.Ctx != nil {
			if err := p.Ctx.Err(); err != nil {
				return err
			}
		}
		row, line, err := p.Rows.Next()
		if err != nil {
			if errors.Is(err, io.EOF) {
				break
			}
			return err
		}
		if aeBlank(row) {
			continue
		}
		p.Row()
		if !aeWidthOK(row, len(header)) {
			p.Problem(line, 0, "has %d columns; the header has %d", len(row), len(header))
			continue
		}
		code := strings.ToUpper(strings.TrimSpace(row[cCode]))

		// NHS England writes TOTAL in every text column of the last row.
		if code == "TOTAL" || strings.EqualFold(strings.TrimSpace(row[cPeriod]), "TOTAL") {
			roll.skip(aeSkipTotal, func() string { return fmt.Sprintf("line %d", line) })
			v, ok := counts(row, line)
			switch {
			case sec == nil:
				p.Problem(line, 0, "a TOTAL row must follow the provider rows it adds up")
			case ok && !p.Failed():
				// A row already at fault would only make the sums disagree.
				for c, col := range cCount {
					if col >= 0 && v[c] != sec.sums[c] {
						p.Problem(line, col+1, "the TOTAL row gives %s as %d but the rows for %s (lines %d to %d) add up to %d",
							header[col], v[c], aeMonthName(sec.month), sec.firstLine, line-1, sec.sums[c])
					}
				}
			}
			if sec != nil {
				ended[sec.month] = line
				sec = nil
			}
			continue
		}

		if pt := row[cPeriod]; pt != periodText || periodText == "" {
			m, ok := aeMonthlyPeriod(pt)
			if !ok {
				p.Problem(line, cPeriod+1, "Period %q is not a month written as NHS England does, e.g. MSitAE-DECEMBER-2025", pt)
				continue
			}
			periodText, period = strings.Clone(pt), m
		}
		if sec == nil || sec.month != period {
			switch totalLine, done := ended[period]; {
			case sec != nil:
				p.Problem(line, cPeriod+1, "Period %s is not the month of the rows above (%s, from line %d): a monthly file holds one month, and another may follow only after its TOTAL row",
					aeMonthName(period), aeMonthName(sec.month), sec.firstLine)
				continue
			case done:
				p.Problem(line, cPeriod+1, "the rows for %s already ended with the TOTAL row on line %d", aeMonthName(period), totalLine)
				continue
			}
			sec = &aeSection{month: period, firstLine: line, seen: map[string]int{}}
		}

		bad := false
		if code == "" {
			p.Problem(line, cCode+1, "Org Code is empty")
			bad = true
		}
		v, ok := counts(row, line)
		if !ok {
			bad = true
		}
		// Those over 4 hours are some of the attendances of the same kind.
		for _, pair := range [][2]int{{aeOver1, aeAtt1}, {aeOver2, aeAtt2}, {aeOver3, aeAtt3},
			{aeBookedOver1, aeBooked1}, {aeBookedOver2, aeBooked2}, {aeBookedOver3, aeBooked3}} {
			over, att := pair[0], pair[1]
			if ok && cCount[over] >= 0 && v[over] > v[att] {
				p.Problem(line, cCount[over]+1, "%s (%d) is more than %s (%d)", header[cCount[over]], v[over], header[cCount[att]], v[att])
				bad = true
			}
		}
		if code != "" {
			if first, dup := sec.seen[code]; dup {
				p.Problem(line, cCode+1, "Org Code %s appears twice for %s (first on line %d)", code, aeMonthName(period), first)
				bad = true
			} else {
				sec.seen[strings.Clone(code)] = line
			}
		}
		if bad {
			continue
		}
		for c := range v {
			sec.sums[c] += v[c]
		}
		if p.Failed() {
			continue // nothing will be written: only check the rest
		}
		roll.add(code, name(row), period, aeTally{
			att:        v[aeAtt1] + v[aeAtt2] + v[aeAtt3] + v[aeBooked1] + v[aeBooked2] + v[aeBooked3],
			over:       v[aeOver1] + v[aeOver2] + v[aeOver3] + v[aeBookedOver1] + v[aeBookedOver2] + v[aeBookedOver3],
			att1:       v[aeAtt1] + v[aeBooked1],
			over1:      v[aeOver1] + v[aeBookedOver1],
			dta12:      v[aeDTA12],
			admissions: v[aeAdm1] + v[aeAdm2] + v[aeAdm3] + v[aeAdmOther],
			full:       true,
		}, line)
	}
	if p.Failed() {
		return nil
	}
	roll.emit()
	return nil
}

// aeNHSRKey identifies a row of the NHSRdatasets table.
type aeNHSRKey struct {
	month accord.Period
	code  string
	kind  string
}

// parseAENHSR reads NHSRdatasets' ae_attendances: one row per month,
// provider and department type. Its admissions are emergency admissions via
// A&E only, which no indicator in the catalogue measures, so they are
// checked but not imported.
func parseAENHSR(p *Parse) error {
	p.Source = "NHS England A&E attendances and emergency admissions, as tidied in the NHSRdatasets R package (ae_attendances), " + filepath.Base(p.File)
	header := p.Rows.Header()
	lower := aeLower(header)
	cols := newColumns(lower, false)
	for i, h := range lower {
		if !slices.Contains(AENHSRColumns, h) {
			p.Problem(1, i+1, "unexpected column %q: expected %s", header[i], strings.Join(AENHSRColumns, ", "))
		} else if cols.at(h) != i {
			p.Problem(1, i+1, "column %q appears twice", header[i])
		}
	}
	for _, m := range cols.missing(AENHSRColumns...) {
		p.Problem(1, 0, "missing column %q", m)
	}
	if p.Failed() {
		return nil
	}
	cPeriod, cCode, cType := cols.at("period"), cols.at("org_code"), cols.at("type")
	cAtt, cBreaches, cAdm := cols.at("attendances"), cols.at("breaches"), cols.at("admissions")
	roll, err := newAERollup(p)
	if err != nil {
		return err
	}
	var (
		seen       = map[aeNHSRKey]int{}
		periodText string
		period     accord.Period
	)
	for n := 0; ; n++ {
		if n&0x1fff == 0 && p.Ctx != nil {
			if err := p.Ctx.Err(); err != nil {
				return err
			}
		}
		row, line, err := p.Rows.Next()
		if err != nil {
			if errors.Is(err, io.EOF) {
				break
			}
			return err
		}
		if aeBlank(row) {
			continue
		}
		p.Row()
		if !aeWidthOK(row, len(header)) {
			p.Problem(line, 0, "has %d columns; the header has %d", len(row), len(header))
			continue
		}
		bad := false
		if pt := row[cPeriod]; pt != periodText || periodText == "" {
			m, ok := aeDayPeriod(pt)
			if !ok {
				p.Problem(line, cPeriod+1, "period %q is not the first day of a month written YYYY-MM-DD, e.g. 2017-03-01", pt)
				periodText = ""
				bad = true
			} else {
				periodText, period = strings.Clone(pt), m
			}
		}
		code := strings.ToUpper(strings.TrimSpace(row[cCode]))
		if code == "" {
			p.Problem(line, cCode+1, "org_code is empty")
			bad = true
		}
		kind := strings.ToLower(strings.TrimSpace(row[cType]))
		if kind != "1" && kind != "2" && kind != "other" {
			p.Problem(line, cType+1, "type %q is not 1, 2 or other", row[cType])
			bad = true
		}
		var v [3]int64
		for i, col := range []int{cAtt, cBreaches, cAdm} {
			n, msg := aeCount(row[col])
			if msg != "" {
				p.Problem(line, col+1, "%s %s", header[col], msg)
				bad = true
			}
			v[i] = n
		}
		att, breaches := v[0], v[1]
		if !bad && breaches > att {
			p.Problem(line, cBreaches+1, "breaches (%d) are more than attendances (%d)", breaches, att)
			bad = true
		}
		if bad {
			continue
		}
		key := aeNHSRKey{period, code, kind}
		if first, dup := seen[key]; dup {
			p.Problem(line, 0, "duplicate row: %s, type %s, %s is already on line %d", code, kind, aeMonthName(period), first)
			continue
		}
		key.code = strings.Clone(code)
		seen[key] = line
		if p.Failed() {
			continue
		}
		t := aeTally{att: att, over: breaches}
		if kind == "1" {
			t.att1, t.over1 = att, breaches
		}
		roll.add(code, "", period, t, line)
	}
	if p.Failed() {
		return nil
	}
	roll.emit()
	return nil
}

// aeCount reads a count: a whole number, not negative, of a plausible
// size. msg says what is wrong, to follow the column's name.
func aeCount(s string) (n int64, msg string) {
	t := strings.TrimSpace(s)
	if t == "" {
		return 0, "is empty: expected a count (0 for none)"
	}
	n, err := strconv.ParseInt(t, 10, 64)
	switch {
	case err == nil && n < 0:
		return 0, fmt.Sprintf("is %q: a count cannot be negative", s)
	case err == nil && n > aeMaxCount:
		return 0, fmt.Sprintf("is %q: too large to be a month's count", s)
	case err == nil:
		return n, ""
	}
	if _, ferr := strconv.ParseFloat(t, 64); ferr == nil || errors.Is(ferr, strconv.ErrRange) {
		return 0, fmt.Sprintf("is %q: not a whole number", s)
	}
	return 0, fmt.Sprintf("is %q: not a number", s)
}

var aeMonths = map[string]time.Month{}

func init() {
	for m := time.January; m <= time.December; m++ {
		aeMonths[strings.ToUpper(m.String())] = m
	}
}

// aeMonthlyPeriod reads NHS England's period text, MSitAE-DECEMBER-2025
// (the month in any case).
func aeMonthlyPeriod(s string) (accord.Period, bool) {
	prefix, rest, ok := strings.Cut(strings.TrimSpace(s), "-")
	if !ok || !strings.EqualFold(prefix, "MSitAE") {
		return accord.Period{}, false
	}
	month, year, ok := strings.Cut(rest, "-")
	m, known := aeMonths[strings.ToUpper(month)]
	if !ok || !known || len(year) != 4 {
		return accord.Period{}, false
	}
	y, err := strconv.Atoi(year)
	if err != nil || y < 1000 {
		return accord.Period{}, false
	}
	return accord.Month(y, m), true
}

// aeDayPeriod reads the first day of a month, 2017-03-01.
func aeDayPeriod(s string) (accord.Period, bool) {
	t, err := time.Parse("2006-01-02", strings.TrimSpace(s))
	if err != nil || t.Day() != 1 {
		return accord.Period{}, false
	}
	return accord.Month(t.Year(), t.Month()), true
}

// aeMonthName writes a month as people read it: December 2025.
func aeMonthName(p accord.Period) string { return p.Start().Format("January 2006") }

// aeBlank reports whether every cell is empty, as in the trailing ",,,"
// lines spreadsheets write.
func aeBlank(row []string) bool {
	for _, c := range row {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// aeWidthOK reports whether a row has the header's columns; empty cells
// beyond them are allowed.
func aeWidthOK(row []string, width int) bool {
	if len(row) < width {
		return false
	}
	return aeBlank(row[width:])
}

// aeLower is the header trimmed and in lower case, for matching names
// whatever their case.
func aeLower(h []string) []string {
	out := make([]string, len(h))
	for i, s := range h {
		out[i] = strings.ToLower(strings.TrimSpace(s))
	}
	return out
}
