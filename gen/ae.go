package gen

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/nhs-accord/accord"
	"github.com/nhs-accord/accord/reference"
)

// The "ae" generator writes NHS England's monthly A&E CSV by provider (the
// MSitAE collection) in its current 22-column layout: every open NHS trust
// and every other site in NHS England's attribution of A&E providers to
// ICBs (urgent treatment centres, walk-in centres, independent providers),
// then the month's TOTAL row. NHS England publishes one file a month; for
// several months the generator writes the monthly files one after another
// under a single header, each month ending in its TOTAL row, which is how
// Accord's "ae" importer reads a multi-month file of this layout. So a
// generated year keeps every column (booked appointments, 12-hour waits,
// emergency admissions), which the one multi-month layout NHS England's
// figures come in (NHSRdatasets) does not have.

// aeHeader is NHS England's header; the importer checks it column by column.
var aeHeader = []string{
	"Period", "Org Code", "Parent Org", "Org name",
	"A&E attendances Type 1", "A&E attendances Type 2", "A&E attendances Other A&E Department",
	"A&E attendances Booked Appointments Type 1", "A&E attendances Booked Appointments Type 2", "A&E attendances Booked Appointments Other Department",
	"Attendances over 4hrs Type 1", "Attendances over 4hrs Type 2", "Attendances over 4hrs Other Department",
	"Attendances over 4hrs Booked Appointments Type 1", "Attendances over 4hrs Booked Appointments Type 2", "Attendances over 4hrs Booked Appointments Other Department",
	"Patients who have waited 4-12 hs from DTA to admission", "Patients who have waited 12+ hrs from DTA to admission",
	"Emergency admissions via A&E - Type 1", "Emergency admissions via A&E - Type 2", "Emergency admissions via A&E - Other A&E department",
	"Other emergency admissions",
}

const aeCounts = 18 // the count columns after Period, Org Code, Parent Org and Org name

// aeKind is what emergency care a provider runs.
type aeKind int

const (
	aeMajor      aeKind = iota // a type 1 emergency department, often with an urgent treatment centre
	aeSpecialist               // a single-specialty (type 2) department: eyes, children, dental
	aeUrgent                   // other A&E only: urgent treatment centres, minor injury units
	aeNone                     // no A&E: emergency admissions by other routes only
)

// aeSite is one row of every month, with the sizes that make its figures.
type aeSite struct {
	code, parent, name string
	from               time.Time // opened on; no rows before
	kind               aeKind
	size               float64 // typical monthly attendances at its main department
	within             float64 // typical share of type 1 attendances within 4 hours
	otherShare         float64 // other A&E attendances, relative to size (major departments)
	admitRate          float64 // emergency admissions via type 1 A&E per type 1 attendance
	longWait           float64 // 12-hour waits from decision to admit, per admission via A&E
}

func init() {
	register(Generator{
		Name:   "ae",
		About:  "NHS England monthly A&E attendances and emergency admissions CSV by provider (MSitAE), month after month, each with its TOTAL row",
		Months: 12,
		Write:  writeAE,
	})
}

func writeAE(w io.Writer, orgs Orgs, opt Options) error {
	months := opt.Months
	if months <= 0 {
		months = 12
	}
	from := opt.From
	if from.IsZero() {
		from = accord.Month(2024, time.November)
	}
	if from.Kind() != accord.PeriodMonth {
		return accord.Errorf(accord.EINVALID, "ae: the first period must be a month, not %s", from)
	}
	rng := NewRand(opt.Seed)
	sites, err := aeSites(orgs, rng)
	if err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true // as NHS England's files are
	if err := cw.Write(aeHeader); err != nil {
		return err
	}
	rec := make([]string, len(aeHeader))
	for i := range months {
		month := accord.Month(from.Start().Year(), from.Start().Month()+time.Month(i))
		period := "MSitAE-" + strings.ToUpper(month.Start().Format("January-2006"))
		var total [aeCounts]int64
		for _, s := range sites {
			if month.End().Before(s.from) {
				continue
			}
			v := s.month(rng, month.Start().Month())
			rec[0], rec[1], rec[2], rec[3] = period, s.code, s.parent, s.name
			for c, n := range v {
				total[c] += n
				rec[4+c] = strconv.FormatInt(n, 10)
			}
			if err := cw.Write(rec); err != nil {
				return err
			}
		}
		// NHS England writes TOTAL, with a trailing space, in the four text columns.
		rec[0], rec[1], rec[2], rec[3] = "TOTAL ", "TOTAL ", "TOTAL ", "TOTAL "
		for c, n := range total {
			rec[4+c] = strconv.FormatInt(n, 10)
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// aeSites lists the rows of each month: the open trusts in their order,
// then the other sites in the attribution file's order, each with sizes
// drawn once so a provider stays itself from month to month.
func aeSites(orgs Orgs, rng *rand.Rand) ([]aeSite, error) {
	byCode := make(map[string]accord.Organisation, len(orgs.All))
	for _, o := range orgs.All {
		byCode[o.Code] = o
	}
	regionOf := func(icb string) string {
		if o, ok := byCode[icb]; ok {
			if r, ok := byCode[o.ParentCode]; ok {
				return "NHS ENGLAND " + strings.ToUpper(r.Name)
			}
		}
		return "NHS ENGLAND"
	}
	var sites []aeSite
	for _, t := range orgs.Providers {
		s := aeSite{code: t.Code, parent: regionOf(t.ParentCode), name: strings.ToUpper(t.Name), from: t.ValidFrom.Time}
		switch u := rng.Float64(); {
		case u < 0.6:
			s.kind = aeMajor
		case u < 0.66:
			s.kind = aeSpecialist
		case u < 0.8:
			s.kind = aeUrgent
		default:
			s.kind = aeNone
		}
		s.draw(rng)
		sites = append(sites, s)
	}

	f, err := reference.Open("ae_provider_to_icb_mapping_mar2024.csv")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("ae_provider_to_icb_mapping_mar2024.csv: %w", err)
	}
	if len(recs) == 0 || len(recs[0]) < 3 || recs[0][0] != "Code" || recs[0][2] != "ICB Code" {
		return nil, fmt.Errorf("ae_provider_to_icb_mapping_mar2024.csv:1: expected Code, Name, ICB Code")
	}
	seen := map[string]bool{}
	for _, r := range recs[1:] {
		code := strings.ToUpper(strings.TrimSpace(r[0]))
		if _, trust := byCode[code]; trust || seen[code] {
			continue
		}
		seen[code] = true
		s := aeSite{code: code, parent: regionOf(r[2]), name: strings.ToUpper(r[1]), kind: aeUrgent}
		s.draw(rng)
		sites = append(sites, s)
	}
	return sites, nil
}

// draw sets a site's sizes.
func (s *aeSite) draw(rng *rand.Rand) {
	switch s.kind {
	case aeMajor:
		s.size = 5000 + 15000*rng.Float64()
		s.within = 0.5 + 0.3*rng.Float64()
		s.otherShare = 0.2 + 0.5*rng.Float64()
		s.admitRate = 0.25 + 0.08*rng.Float64()
		s.longWait = 0.02 + 0.15*rng.Float64()
	case aeSpecialist:
		s.size = 500 + 2500*rng.Float64()
		s.within = 0.9 + 0.09*rng.Float64()
	case aeUrgent:
		s.size = 1500 + 6500*rng.Float64()
		s.within = 0.93 + 0.069*rng.Float64()
	case aeNone:
		s.size = 50 + 350*rng.Float64()
	}
}

// month draws one month's 18 counts, in the file's column order. Winter
// brings slightly fewer attendances and noticeably longer waits.
func (s *aeSite) month(rng *rand.Rand, m time.Month) [aeCounts]int64 {
	winter := (1 + math.Cos(2*math.Pi*float64(m-time.January)/12)) / 2 // 1 in January, 0 in July
	n := func(x float64) int64 { return int64(math.Round(max(x, 0))) }
	noisy := func(x, sd float64) float64 { return x * (1 + sd*rng.NormFloat64()) }
	frac := func(x float64) float64 { return min(max(x, 0), 1) }
	part := func(of int64, share float64) int64 { return n(float64(of) * frac(share)) }

	var v [aeCounts]int64
	const (
		att1, att2, att3, booked1, booked2, booked3 = 0, 1, 2, 3, 4, 5
		over1, over2, over3, bover1, bover2, bover3 = 6, 7, 8, 9, 10, 11
		dta4to12, dta12, adm1, adm2, adm3, admOther = 12, 13, 14, 15, 16, 17
	)
	switch s.kind {
	case aeMajor:
		v[att1] = n(noisy(s.size*(1-0.04*winter), 0.04))
		v[att3] = n(noisy(s.size*s.otherShare, 0.08))
		v[booked1] = part(v[att1], 0.03*rng.Float64())
		v[booked3] = part(v[att3], 0.06*rng.Float64())
		within := frac(noisy(s.within-0.06*winter, 0.03))
		v[over1] = part(v[att1], 1-within)
		v[bover1] = part(v[booked1], (1-within)/2)
		v[over3] = part(v[att3], 0.06*rng.Float64())
		v[bover3] = part(v[booked3], 0.03*rng.Float64())
		v[adm1] = part(v[att1], noisy(s.admitRate, 0.03))
		v[adm3] = part(v[att3], 0.01*rng.Float64())
		v[dta4to12] = part(v[adm1], noisy(0.2+0.1*winter, 0.1))
		v[dta12] = part(v[adm1], noisy(s.longWait*(1+winter), 0.15))
		v[admOther] = n(noisy(s.size*0.12, 0.1))
	case aeSpecialist:
		v[att2] = n(noisy(s.size, 0.06))
		v[booked2] = part(v[att2], 0.02*rng.Float64())
		v[over2] = part(v[att2], 1-s.within)
		v[bover2] = part(v[booked2], 0.02*rng.Float64())
		v[adm2] = part(v[att2], 0.03*rng.Float64())
		v[admOther] = n(noisy(s.size*0.05, 0.2))
	case aeUrgent:
		v[att3] = n(noisy(s.size, 0.06))
		v[booked3] = part(v[att3], 0.04*rng.Float64())
		v[over3] = part(v[att3], 1-s.within)
		v[bover3] = part(v[booked3], 0.02*rng.Float64())
	case aeNone:
		v[admOther] = n(noisy(s.size, 0.1))
	}
	return v
}
