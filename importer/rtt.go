package importer

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/nhs-accord/accord"
)

// The RTT Full CSV data file is NHS England's monthly extract of
// consultant-led referral-to-treatment waiting times: one row per provider ×
// commissioner × RTT part × treatment function, with the pathways counted in
// 105 weekly columns. Accord reads the incomplete pathways (the waiting list)
// from the Total (C_999) treatment-function rows and rolls them up to
// providers, and by commissioner to sub-ICB locations, ICBs, regions and
// England.

// RTTWeekColumns is the number of weekly columns: Gt 00 To 01 … Gt 103 To
// 104, and Gt 104 Weeks.
const RTTWeekColumns = 105

// RTTWeekColumn names weekly column k (0 … 104): pathways that have waited
// more than k weeks (and, below 104, at most k+1).
func RTTWeekColumn(k int) string {
	if k == RTTWeekColumns-1 {
		return "Gt 104 Weeks SUM 1"
	}
	return fmt.Sprintf("Gt %02d To %02d Weeks SUM 1", k, k+1)
}

// RTTColumns is the header of the Full CSV data file, in order.
var RTTColumns = func() []string {
	cols := []string{"Period", "Provider Parent Org Code", "Provider Parent Name", "Provider Org Code", "Provider Org Name",
		"Commissioner Parent Org Code", "Commissioner Parent Name", "Commissioner Org Code", "Commissioner Org Name",
		"RTT Part Type", "RTT Part Description", "Treatment Function Code", "Treatment Function Name"}
	for k := range RTTWeekColumns {
		cols = append(cols, RTTWeekColumn(k))
	}
	return append(cols, "Total", "Patients with unknown clock start date", "Total All")
}()

// RTTParts are the RTT part types the file uses, with their descriptions.
var RTTParts = []struct{ Type, Description string }{
	{"Part_1A", "Completed Pathways For Admitted Patients"},
	{"Part_1B", "Completed Pathways For Non-Admitted Patients"},
	{"Part_2", "Incomplete Pathways"},
	{"Part_2A", "Incomplete Pathways with DTA"},
	{"Part_3", "New RTT Periods - All Patients"},
}

const (
	rttIncomplete = "Part_2" // incomplete pathways: the waiting list
	rttTotalTF    = "C_999"  // the treatment-function total of a provider × commissioner

	rttSkipPart        = "not incomplete pathways: completed pathways (Part_1A, Part_1B), incomplete with a decision to admit (Part_2A) and new periods (Part_3) are not used"
	rttSkipSpecialty   = "treatment-function row: Accord uses the Total (C_999) row of each provider and commissioner, and checks it against these"
	rttSkipProvider    = "provider not tracked by Accord (independent sector or non-NHS)"
	rttSkipCommissoner = "commissioner not tracked by Accord (commissioning hub, non-English or unknown): counted in England only"
)

// rttDetectColumns identify the layout; the parser then checks the rest.
var rttDetectColumns = []string{"Period", "Provider Org Code", "Commissioner Org Code", "RTT Part Type", "Treatment Function Code"}

func init() {
	register(&Format{
		Name:      "rtt",
		Layout:    "RTT Full CSV data file",
		Publisher: "NHS England",
		Dataset:   "nhse-rtt",
		National:  true,
		Detect: func(header []string) bool {
			return newColumns(header, false).has(rttDetectColumns...)
		},
		Expect: "NHS England's Consultant-led RTT Waiting Times Full CSV data file: 121 columns, Period, Provider Parent Org Code, …, Treatment Function Name, Gt 00 To 01 Weeks SUM 1 … Gt 104 Weeks SUM 1, Total, Patients with unknown clock start date, Total All",
		Parse:  parseRTT,
	})
}

// rttCounts are the incomplete pathways of one row, or summed over rows.
type rttCounts struct {
	all      int64    // Total All: every incomplete pathway
	known    int64    // with a known clock start: the weekly columns
	within18 int64    // waited 18 weeks or less
	over     [4]int64 // waited more than 52, 65, 78 and 104 weeks
}

// rttOver are the waits counted by rttCounts.over, with their indicators.
var rttOver = [4]struct {
	weeks        int
	count, share string
}{
	{52, "rtt_52w_count", "rtt_52w_share"},
	{65, "rtt_65w_count", "rtt_65w_share"},
	{78, "rtt_78w_count", "rtt_78w_share"},
	{104, "rtt_104w_count", "rtt_104w_share"},
}

func (c *rttCounts) add(d rttCounts) {
	c.all += d.all
	c.known += d.known
	c.within18 += d.within18
	for i := range c.over {
		c.over[i] += d.over[i]
	}
}

// differs names the first count in which c and d disagree.
func (c rttCounts) differs(d rttCounts) (what string, a, b int64, ok bool) {
	switch {
	case c.all != d.all:
		return "incomplete pathways (Total All)", c.all, d.all, true
	case c.known != d.known:
		return "pathways in the weekly columns", c.known, d.known, true
	case c.within18 != d.within18:
		return "pathways waiting 18 weeks or less", c.within18, d.within18, true
	}
	for i, o := range rttOver {
		if c.over[i] != d.over[i] {
			return fmt.Sprintf("pathways waiting more than %d weeks", o.weeks), c.over[i], d.over[i], true
		}
	}
	return "", 0, 0, false
}

// rttTally is one organisation's roll-up and the first line that added to it.
type rttTally struct {
	rttCounts
	line int
}

// rttPair checks a provider × commissioner's Total row against its
// treatment-function rows.
type rttPair struct {
	total, specialties       rttCounts
	totalLine, specialtyLine int
	hasTotal, hasSpecialty   bool
	provider, commissioner   string
}

// rttRowKey identifies a Part_2 row; codes are interned to small numbers so
// the duplicate check holds no row text.
type rttRowKey struct{ provider, commissioner, tf int32 }

// rttOrg is a code resolved once per file (the file is one month).
type rttOrg struct {
	code  string   // Accord's code; "" when not tracked
	chain []string // commissioners: the organisation and its ancestors
}

// parseRTT checks the header and every row, adds each Part_2 Total row to
// its provider and its commissioner's hierarchy, checks the Total rows
// against the treatment-function rows, and only then emits the roll-ups, so
// a faulty file writes nothing.
func parseRTT(p *Parse) error {
	header := p.Rows.Header()
	cols := newColumns(header, false)
	known := make(map[string]bool, len(RTTColumns))
	for _, c := range RTTColumns {
		known[c] = true
	}
	for i, h := range header {
		if !known[h] {
			p.Problem(1, i+1, "unexpected column %q: not in the RTT Full CSV layout", h)
		} else if cols.at(h) != i {
			p.Problem(1, i+1, "column %q appears twice", h)
		}
	}
	switch m := cols.missing(RTTColumns...); {
	case len(m) == 1:
		p.Problem(1, 0, "missing column %q", m[0])
	case len(m) > 1 && len(m) <= 4:
		p.Problem(1, 0, "missing columns %s", rttQuoteAll(m))
	case len(m) > 4:
		// A layout of another era misses a run of weekly columns; name
		// where the run starts and ends.
		p.Problem(1, 0, "missing %d columns: %s … %q", len(m), rttQuoteAll(m[:3]), m[len(m)-1])
	}
	if p.Failed() {
		return nil
	}
	at := func(name string) int { return cols.at(name) }
	var (
		cPeriod, cProvider, cProviderName = at("Period"), at("Provider Org Code"), at("Provider Org Name")
		cCommissioner, cCommissionerName  = at("Commissioner Org Code"), at("Commissioner Org Name")
		cPart, cPartDesc, cTF, cTFName    = at("RTT Part Type"), at("RTT Part Description"), at("Treatment Function Code"), at("Treatment Function Name")
		cTotal, cUnknown, cTotalAll       = at("Total"), at("Patients with unknown clock start date"), at("Total All")
		cWeeks                            [RTTWeekColumns]int
	)
	for k := range cWeeks {
		cWeeks[k] = at(RTTWeekColumn(k))
	}
	parts := map[string]bool{}
	for _, pt := range RTTParts {
		parts[pt.Type] = true
	}

	var (
		period      accord.Period
		periodText  string // as the first row writes it
		periodLine  int
		england, _  = p.Orgs.Lookup("ENG")
		providers   = map[string]rttOrg{}
		commissions = map[string]rttOrg{}
		codes       = map[string]int32{} // interned provider, commissioner and treatment-function codes
		seen        = map[rttRowKey]int{}
		pairs       = map[[2]int32]*rttPair{}
		tallies     = map[string]*rttTally{}
		skipped     = map[string]bool{}
	)
	intern := func(s string) int32 {
		if n, ok := codes[s]; ok {
			return n
		}
		n := int32(len(codes))
		codes[strings.Clone(s)] = n
		return n
	}
	skip := func(reason string, example func() string) {
		if !skipped[reason] {
			skipped[reason] = true
			p.Skip(reason, example())
			return
		}
		p.Skip(reason, "")
	}
	tally := func(org string, c rttCounts, line int) {
		t, ok := tallies[org]
		if !ok {
			t = &rttTally{line: line}
			tallies[org] = t
		}
		t.add(c)
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
		p.Row()
		if len(row) != len(header) {
			p.Problem(line, 0, "has %d columns; the header has %d", len(row), len(header))
			continue
		}
		// Every row is for the month of the first.
		if pt := row[cPeriod]; pt != periodText || periodText == "" {
			m, ok := rttPeriod(pt)
			switch {
			case !ok:
				p.Problem(line, cPeriod+1, "period %q is not an RTT month such as RTT-November-2024", pt)
				continue
			case periodText == "":
				period, periodText, periodLine = m, strings.Clone(pt), line
			case m != period:
				p.Problem(line, cPeriod+1, "period %s (%s) is not the file's month: line %d is for %s (%s)", pt, m, periodLine, periodText, period)
				continue
			}
		}
		part := row[cPart]
		if !parts[part] {
			p.Problem(line, cPart+1, "RTT Part Type %q is not one of Part_1A, Part_1B, Part_2, Part_2A, Part_3", part)
			continue
		}
		if part != rttIncomplete {
			skip(rttSkipPart, func() string { return fmt.Sprintf("line %d: %s %s", line, part, row[cPartDesc]) })
			continue
		}

		bad := false
		provider, commissioner, tf := strings.TrimSpace(row[cProvider]), strings.TrimSpace(row[cCommissioner]), strings.TrimSpace(row[cTF])
		for _, f := range []struct {
			v   string
			col int
		}{{provider, cProvider}, {commissioner, cCommissioner}, {tf, cTF}} {
			if f.v == "" {
				p.Problem(line, f.col+1, "%s is empty", header[f.col])
				bad = true
			}
		}
		var c rttCounts
		count := func(col int) int64 {
			v, msg := rttCount(row[col])
			if msg != "" {
				p.Problem(line, col+1, "%s is %q: %s", header[col], row[col], msg)
				bad = true
			}
			return v
		}
		for k, col := range cWeeks {
			v := count(col)
			c.known += v
			if k < 18 {
				c.within18 += v
			}
			for i, o := range rttOver {
				if k >= o.weeks {
					c.over[i] += v
				}
			}
		}
		total, unknown := count(cTotal), count(cUnknown)
		c.all = count(cTotalAll)
		if bad {
			continue
		}
		// Incomplete pathways publish only Total All; where Total and the
		// unknown clock starts are given too, they must agree.
		if strings.TrimSpace(row[cTotal]) != "" && total != c.known {
			p.Problem(line, cTotal+1, "Total is %d but the weekly columns add up to %d", total, c.known)
			continue
		}
		if c.all != c.known+unknown {
			p.Problem(line, cTotalAll+1, "Total All is %d but the weekly columns (%d) and unknown clock starts (%d) add up to %d", c.all, c.known, unknown, c.known+unknown)
			continue
		}

		key := rttRowKey{intern(provider), intern(commissioner), intern(tf)}
		if first, dup := seen[key]; dup {
			p.Problem(line, 0, "duplicate row: provider %s, commissioner %s, %s, treatment function %s is already on line %d", provider, commissioner, part, tf, first)
			continue
		}
		seen[key] = line
		pk := [2]int32{key.provider, key.commissioner}
		pair := pairs[pk]
		if pair == nil {
			pair = &rttPair{provider: strings.Clone(provider), commissioner: strings.Clone(commissioner)}
			pairs[pk] = pair
		}
		if tf != rttTotalTF {
			pair.specialties.add(c)
			if !pair.hasSpecialty {
				pair.hasSpecialty, pair.specialtyLine = true, line
			}
			skip(rttSkipSpecialty, func() string { return fmt.Sprintf("line %d: %s %s", line, tf, row[cTFName]) })
			continue
		}
		pair.total, pair.totalLine, pair.hasTotal = c, line, true
		if p.Failed() {
			continue // nothing will be written: only check the rest
		}

		// The Total row counts once for its provider, once for each level
		// of its commissioner's hierarchy, and always for England.
		prov, ok := providers[provider]
		if !ok {
			if o, found := p.Orgs.Resolve(provider, period); found && o.Type == accord.OrgProvider {
				prov.code = o.Code
			}
			providers[strings.Clone(provider)] = prov
		}
		if prov.code != "" {
			tally(prov.code, c, line)
		} else {
			skip(rttSkipProvider, func() string { return fmt.Sprintf("line %d: %s %s", line, provider, row[cProviderName]) })
		}
		comm, ok := commissions[commissioner]
		if !ok {
			if o, found := p.Orgs.Resolve(commissioner, period); found && (o.Type == accord.OrgSubICB || o.Type == accord.OrgICB) {
				comm.code, comm.chain = o.Code, p.Orgs.Chain(o.Code)
			}
			if england.Code != "" && !slices.Contains(comm.chain, england.Code) {
				comm.chain = append(comm.chain, england.Code)
			}
			commissions[strings.Clone(commissioner)] = comm
		}
		if comm.code == "" {
			skip(rttSkipCommissoner, func() string { return fmt.Sprintf("line %d: %s %s", line, commissioner, row[cCommissionerName]) })
		}
		for _, org := range comm.chain {
			tally(org, c, line)
		}
	}

	if p.Failed() {
		// A row already at fault would only add knock-on problems here.
		return nil
	}
	// Each Total row must be the sum of its treatment-function rows, so
	// that using it counts every pathway exactly once.
	checks := make([]*rttPair, 0, len(pairs))
	for _, pair := range pairs {
		checks = append(checks, pair)
	}
	slices.SortFunc(checks, func(a, b *rttPair) int { return min(a.totalLine, a.specialtyLine) - min(b.totalLine, b.specialtyLine) })
	for _, pair := range checks {
		switch {
		case !pair.hasTotal:
			p.Problem(pair.specialtyLine, 0, "provider %s and commissioner %s have incomplete pathways by treatment function but no Total (%s) row", pair.provider, pair.commissioner, rttTotalTF)
		case pair.hasSpecialty:
			if what, a, b, ok := pair.total.differs(pair.specialties); ok {
				p.Problem(pair.totalLine, 0, "the Total (%s) row of provider %s and commissioner %s has %d %s but its treatment-function rows add up to %d", rttTotalTF, pair.provider, pair.commissioner, a, what, b)
			}
		}
	}
	if p.Failed() {
		return nil
	}

	orgs := make([]string, 0, len(tallies))
	for org := range tallies {
		orgs = append(orgs, org)
	}
	slices.Sort(orgs)
	for _, org := range orgs {
		t := tallies[org]
		emit := func(id string, value float64, num, den *float64) {
			p.Emit(accord.Observation{IndicatorID: id, OrgCode: org, Period: period, Value: value, Numerator: num, Denominator: den}, t.line)
		}
		share := func(id string, num, den int64) {
			if den > 0 {
				emit(id, 100*float64(num)/float64(den), accord.Float(float64(num)), accord.Float(float64(den)))
			}
		}
		emit("rtt_waiting_list", float64(t.all), nil, nil)
		// NHS England's 18-week measure divides by the pathways with a
		// known clock start.
		share("rtt_18w_share", t.within18, t.known)
		for i, o := range rttOver {
			emit(o.count, float64(t.over[i]), nil, nil)
			share(o.share, t.over[i], t.all)
		}
	}
	return nil
}

// rttPeriod reads the Period column, "RTT-November-2024".
func rttPeriod(s string) (accord.Period, bool) {
	rest, ok := strings.CutPrefix(strings.TrimSpace(s), "RTT-")
	if !ok {
		return accord.Period{}, false
	}
	name, year, ok := strings.Cut(rest, "-")
	if !ok || len(year) != 4 {
		return accord.Period{}, false
	}
	y, err := strconv.Atoi(year)
	if err != nil || y < 1900 {
		return accord.Period{}, false
	}
	for m := time.January; m <= time.December; m++ {
		if strings.EqualFold(name, m.String()) {
			return accord.Month(y, m), true
		}
	}
	return accord.Period{}, false
}

// rttMaxCount bounds one cell, far above any real count (England's whole
// waiting list is under ten million), so sums over a file cannot overflow.
const rttMaxCount = 1_000_000_000

// rttCount reads a count of pathways: digits, or blank for none (the file
// leaves columns that do not apply blank). msg says what is wrong.
func rttCount(s string) (n int64, msg string) {
	if s == "" {
		return 0, ""
	}
	if s[0] == ' ' || s[len(s)-1] == ' ' {
		s = strings.TrimSpace(s)
		if s == "" {
			return 0, ""
		}
	}
	digits := s
	if s[0] == '-' && len(s) > 1 {
		digits = s[1:]
	}
	for i := 0; i < len(digits); i++ {
		c := digits[i]
		if c < '0' || c > '9' {
			return 0, "expected a whole number of pathways"
		}
		n = n*10 + int64(c-'0')
		if n > rttMaxCount {
			return 0, "too large to be a count of pathways"
		}
	}
	if len(digits) < len(s) {
		return 0, "a count of pathways cannot be negative"
	}
	return n, ""
}

func rttQuoteAll(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = strconv.Quote(n)
	}
	return strings.Join(q, ", ")
}
