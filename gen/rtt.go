package gen

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/nhs-accord/accord"
)

// The RTT generator writes NHS England's monthly "Full CSV data file" of
// consultant-led referral-to-treatment waiting times: one row per provider ×
// commissioner × RTT part × treatment function, 121 columns, with the
// Total (C_999) rows the sums of the treatment-function rows, as published.
// A national month is about 180,000 rows and 80 MB, like the real file.

func init() {
	register(Generator{
		Name:      "rtt",
		About:     "NHS England RTT waiting times Full CSV data file: every NHS trust × commissioner × RTT part × treatment function, 121 columns (one month is about 180,000 rows, 80 MB)",
		Months:    1,
		MaxMonths: 1,
		Write:     writeRTT,
	})
}

// rttFrom is the month generated when Options.From is not set.
var rttFrom = accord.Month(2024, time.November)

// rttWeeks is the number of weekly columns, Gt 00 To 01 … Gt 104 Weeks.
const rttWeeks = 105

// rttHeader is the real file's header.
func rttHeader() []string {
	h := []string{"Period", "Provider Parent Org Code", "Provider Parent Name", "Provider Org Code", "Provider Org Name",
		"Commissioner Parent Org Code", "Commissioner Parent Name", "Commissioner Org Code", "Commissioner Org Name",
		"RTT Part Type", "RTT Part Description", "Treatment Function Code", "Treatment Function Name"}
	for k := range rttWeeks - 1 {
		h = append(h, fmt.Sprintf("Gt %02d To %02d Weeks SUM 1", k, k+1))
	}
	return append(h, "Gt 104 Weeks SUM 1", "Total", "Patients with unknown clock start date", "Total All")
}

// rttFunctions are the treatment functions NHS England reports, with a
// rough share of the national waiting list and how likely a trust is to
// offer each (specialised surgery is concentrated in fewer trusts).
var rttFunctions = []struct {
	code, name    string
	share, offers float64
}{
	{"C_100", "General Surgery Service", 5, 0.9},
	{"C_101", "Urology Service", 4.5, 0.85},
	{"C_110", "Trauma and Orthopaedic Service", 11, 0.9},
	{"C_120", "Ear Nose and Throat Service", 7, 0.85},
	{"C_130", "Ophthalmology Service", 8, 0.85},
	{"C_140", "Oral Surgery Service", 3.5, 0.7},
	{"C_150", "Neurosurgical Service", 0.9, 0.2},
	{"C_160", "Plastic Surgery Service", 1.5, 0.3},
	{"C_170", "Cardiothoracic Surgery Service", 0.4, 0.2},
	{"C_300", "General Internal Medicine Service", 0.5, 0.6},
	{"C_301", "Gastroenterology Service", 5, 0.85},
	{"C_320", "Cardiology Service", 4, 0.85},
	{"C_330", "Dermatology Service", 6, 0.75},
	{"C_340", "Respiratory Medicine Service", 2.5, 0.85},
	{"C_400", "Neurology Service", 2.5, 0.6},
	{"C_410", "Rheumatology Service", 1.5, 0.75},
	{"C_430", "Elderly Medicine Service", 0.4, 0.7},
	{"C_502", "Gynaecology Service", 8, 0.85},
	{"X02", "Other - Medical Services", 11, 0.95},
	{"X03", "Other - Mental Health Services", 0.1, 0.2},
	{"X04", "Other - Paediatric Services", 4.5, 0.8},
	{"X05", "Other - Surgical Services", 11, 0.95},
	{"X06", "Other - Other Services", 2, 0.8},
}

// rttParts are the RTT parts in file order, with their size relative to
// the waiting list and the shape of their waits.
var rttParts = []struct {
	typ, desc string
	scale     float64 // pathways per incomplete pathway (RBD, Nov 2024)
	kind      int     // rttIncomplete, rttCompleted or rttNew
}{
	{"Part_1A", "Completed Pathways For Admitted Patients", 0.07, rttCompleted},
	{"Part_1B", "Completed Pathways For Non-Admitted Patients", 0.14, rttCompleted},
	{"Part_2", "Incomplete Pathways", 1, rttIncomplete},
	{"Part_2A", "Incomplete Pathways with DTA", 0.22, rttIncomplete},
	{"Part_3", "New RTT Periods - All Patients", 0.23, rttNew},
}

const (
	rttIncomplete = iota // weekly columns; Total and unknown clock start blank
	rttCompleted         // weekly columns, Total, unknown clock start
	rttNew               // only Total All
)

// rttHubs are commissioners Accord does not track that commission some of
// every trust's activity, as in the real file.
var rttHubs = []struct{ code, name string }{
	{"13Q", "NATIONAL COMMISSIONING HUB 1"},
	{"NONC", ""},
}

// rttCommissioner is one commissioner of a trust and its share of the
// trust's waiting list.
type rttCommissioner struct {
	code, name, parent, parentName string
	share                          float64
}

func writeRTT(w io.Writer, orgs Orgs, opt Options) error {
	from, months := opt.From, opt.Months
	if from.IsZero() {
		from = rttFrom
	}
	if from.Kind() != accord.PeriodMonth {
		return accord.Errorf(accord.EINVALID, "rtt: the first period must be a month, not %s", from)
	}
	if months <= 0 {
		months = 1
	}
	rng := NewRand(opt.Seed)
	names := map[string]string{}
	subICBs := map[string][]accord.Organisation{} // by ICB, in slice order
	for _, o := range orgs.ICBs {
		names[o.Code] = strings.ToUpper(o.Name)
	}
	for _, o := range orgs.SubICBs {
		subICBs[o.ParentCode] = append(subICBs[o.ParentCode], o)
	}

	// Each trust keeps its size, services, commissioners and performance
	// from month to month; the counts vary.
	type trust struct {
		org        accord.Organisation
		size       float64
		functions  []int
		weights    []float64
		comms      []rttCommissioner
		profiles   [][rttWeeks]float64 // by part: the share of pathways in each week
		monthTrend float64
	}
	trusts := make([]trust, 0, len(orgs.Providers))
	for _, o := range orgs.Providers {
		t := trust{org: o, size: math.Min(math.Max(math.Exp(rng.NormFloat64()*0.7+math.Log(30000)), 1500), 250000)}
		for i, f := range rttFunctions {
			if rng.Float64() < f.offers {
				t.functions = append(t.functions, i)
				t.weights = append(t.weights, f.share*math.Exp(rng.NormFloat64()*0.4))
			}
		}
		if len(t.functions) == 0 {
			t.functions, t.weights = []int{0}, []float64{1}
		}
		// Most of a trust's patients live in its host ICB's sub-ICB
		// locations; the rest are spread thinly over others and the hubs.
		home := subICBs[o.ParentCode]
		for _, s := range home {
			t.comms = append(t.comms, rttCommissioner{code: s.Code, name: strings.ToUpper(s.Name), parent: s.ParentCode,
				parentName: names[s.ParentCode], share: 0.85 / float64(len(home)) * (0.5 + rng.Float64())})
		}
		others := 6 + int(t.size/4000)
		chosen := map[string]bool{}
		for range min(others, len(orgs.SubICBs)) {
			s := orgs.SubICBs[rng.IntN(len(orgs.SubICBs))]
			if s.ParentCode == o.ParentCode || chosen[s.Code] {
				continue
			}
			chosen[s.Code] = true
			t.comms = append(t.comms, rttCommissioner{code: s.Code, name: strings.ToUpper(s.Name), parent: s.ParentCode,
				parentName: names[s.ParentCode], share: 0.05 / float64(others) * math.Exp(1.6*rng.NormFloat64()-1.28)})
		}
		for i, h := range rttHubs {
			t.comms = append(t.comms, rttCommissioner{code: h.code, name: h.name, share: 0.01 * rng.Float64() / float64(1+9*i)})
		}
		// τ sets how quickly the waiting list thins out with weeks waited:
		// 15 gives about 73% within 18 weeks, 35 about 48%.
		tau := 18 + 14*rng.Float64()
		for _, part := range rttParts {
			lambda := 4 + 5*rng.Float64() // how fast waits beyond a year fall away
			var prof [rttWeeks]float64
			sum := 0.0
			for k := range prof {
				x := float64(k)
				switch part.kind {
				case rttCompleted:
					prof[k] = math.Exp(-x/9) + 0.15*math.Exp(-x/tau)
				default:
					tail := 1.0
					if k >= 52 {
						tail = 0.9*math.Exp(-(x-52)/lambda) + 0.004*math.Exp(-(x-52)/20)
					}
					prof[k] = math.Exp(-x/tau) * tail
				}
				sum += prof[k]
			}
			for k := range prof {
				prof[k] /= sum
			}
			t.profiles = append(t.profiles, prof)
		}
		t.monthTrend = 1 + 0.01*rng.NormFloat64()
		trusts = append(trusts, t)
	}

	bw := bufio.NewWriterSize(w, 1<<16)
	line := make([]byte, 0, 1024)
	for i, h := range rttHeader() {
		if i > 0 {
			line = append(line, ',')
		}
		line = rttField(line, h)
	}
	bw.Write(append(line, '\n'))

	var counts [][rttWeeks]int64 // by treatment function, for one part
	var totals []int64
	var unknown []int64
	for m := range months {
		period := from
		for range m {
			period = period.Next()
		}
		periodText := "RTT-" + period.Start().Month().String() + "-" + strconv.Itoa(period.Start().Year())
		for ti := range trusts {
			t := &trusts[ti]
			t.size *= t.monthTrend
			prefix := line[:0]
			prefix = rttField(prefix, periodText)
			prefix = append(prefix, ',')
			prefix = rttField(prefix, t.org.ParentCode)
			prefix = append(prefix, ',')
			prefix = rttField(prefix, names[t.org.ParentCode])
			prefix = append(prefix, ',')
			prefix = rttField(prefix, t.org.Code)
			prefix = append(prefix, ',')
			prefix = rttField(prefix, strings.ToUpper(t.org.Name))
			prefix = append(prefix, ',')
			provider := string(prefix)
			for _, c := range t.comms {
				wait := t.size * c.share
				for pi, part := range rttParts {
					counts, totals, unknown = counts[:0], totals[:0], unknown[:0]
					var sum [rttWeeks]int64
					var sumTotal, sumUnknown int64
					written := false
					for fi := range t.functions {
						var row [rttWeeks]int64
						var total, unk int64
						expect := wait * part.scale * t.weights[fi] / 100 * math.Exp(rng.NormFloat64()*0.3)
						if part.kind == rttNew {
							total = int64(expect + rng.Float64())
						} else {
							for k, p := range t.profiles[pi] {
								row[k] = int64(expect*p + rng.Float64())
								total += row[k]
							}
							if part.kind == rttCompleted && rng.Float64() < 0.05 {
								unk = 1 + rng.Int64N(2)
							}
						}
						if total+unk == 0 {
							counts, totals, unknown = append(counts, row), append(totals, -1), append(unknown, 0)
							continue
						}
						written = true
						counts, totals, unknown = append(counts, row), append(totals, total), append(unknown, unk)
						for k := range sum {
							sum[k] += row[k]
						}
						sumTotal += total
						sumUnknown += unk
					}
					if !written {
						continue
					}
					for fi, f := range t.functions {
						if totals[fi] < 0 {
							continue
						}
						fn := rttFunctions[f]
						line = rttRow(line[:0], provider, c, part.typ, part.desc, part.kind, fn.code, fn.name, &counts[fi], totals[fi], unknown[fi])
						bw.Write(line)
					}
					line = rttRow(line[:0], provider, c, part.typ, part.desc, part.kind, "C_999", "Total", &sum, sumTotal, sumUnknown)
					if _, err := bw.Write(line); err != nil {
						return err
					}
				}
			}
		}
	}
	return bw.Flush()
}

// rttRow appends one data row: the provider's columns (already written),
// the commissioner, part and treatment function, and the counts as the
// real file has them for that part.
func rttRow(b []byte, provider string, c rttCommissioner, part, desc string, kind int, code, name string, weeks *[rttWeeks]int64, total, unknown int64) []byte {
	b = append(b, provider...)
	for _, s := range []string{c.parent, c.parentName, c.code, c.name, part, desc, code, name} {
		b = rttField(b, s)
		b = append(b, ',')
	}
	for k := range weeks {
		if kind != rttNew {
			b = strconv.AppendInt(b, weeks[k], 10)
		}
		b = append(b, ',')
	}
	if kind == rttCompleted {
		b = strconv.AppendInt(b, total, 10)
		b = append(b, ',')
		b = strconv.AppendInt(b, unknown, 10)
		b = append(b, ',')
	} else {
		b = append(b, ',', ',')
	}
	b = strconv.AppendInt(b, total+unknown, 10)
	return append(b, '\n')
}

// rttField appends s as a CSV field, quoted when it holds a comma or quote
// (names such as "NHS BIRMINGHAM, SOLIHULL AND WEST BIRMINGHAM").
func rttField(b []byte, s string) []byte {
	if !strings.ContainsAny(s, ",\"\n\r") {
		return append(b, s...)
	}
	b = append(b, '"')
	b = append(b, strings.ReplaceAll(s, `"`, `""`)...)
	return append(b, '"')
}
