package gen

import (
	"bufio"
	"io"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/nhs-accord/accord"
)

// The "cwt" generator writes NHS England's Cancer Waiting Times CWT-CRS
// provider extract: for every open NHS trust, every month, the 28-day
// Faster Diagnosis Standard by referral route and suspected cancer, and the
// 31-day and 62-day combined standards by stage or route, each twice over —
// by cancer type under ALL MODALITIES, and by treatment modality under ALL
// CANCERS — as NHS England publishes them, in the same row order. The
// vocabulary is the real October 2023 extract's; the sizes and shares of
// patients seen in time start from that month's England totals for each
// route and cancer type, spread over the trusts by a seeded size. Each
// count is drawn for one cancer type and one modality, and both slices are
// summed from those cells, so they agree as the real ones do. Rows with no
// patients are left out, as NHS England leaves them out, and about one
// 62-day cell in thirty carries a half patient (treatment shared between
// two providers counts a half at each).

func init() {
	register(Generator{
		Name:   "cwt",
		About:  "NHS England Cancer Waiting Times CWT-CRS provider extract (28-day FDS, 31-day and 62-day combined), month after month",
		Months: 12,
		Write:  writeCWT,
	})
}

// cwtHeader is the extract's header; the importer checks it by name. The
// generator keeps its own copy, because package importer's tests use gen.
var cwtHeader = []string{"PERIOD", "YEAR", "MONTH", "STANDARD", "ORG CODE", "STAGE/ROUTE", "TREATMENT MODALITY",
	"CANCER TYPE", "TOTAL TREATED", "WITHIN STANDARD", "BREACHES"}

// The two slices of the 31-day and 62-day rows.
const (
	cwtAllCancers    = "ALL CANCERS"
	cwtAllModalities = "ALL MODALITIES"
)

// cwtFrom is the first month when Options.From is not set: April 2024, so
// the default twelve months are the financial year 2024/25.
var cwtFrom = accord.Month(2024, time.April)

// cwtCell is one cancer type's (or modality's) England total for a month
// and how many were within the standard: the October 2023 extract's.
type cwtCell struct {
	name          string
	total, within float64
}

// cwtStage is one stage or referral route of a standard.
type cwtStage struct {
	standard, stage string
	types           []cwtCell
	modalities      []cwtCell // none for the Faster Diagnosis Standard
}

var cwtVocabulary = []cwtStage{
	{"28-day FDS", "BREAST SYMPTOMATIC, CANCER NOT SUSPECTED", []cwtCell{
		{"Exhibited (non-cancer) breast symptoms - cancer not initially suspected", 10254, 8987},
	}, nil},
	{"28-day FDS", "NATIONAL SCREENING PROGRAMME", []cwtCell{
		{"Missing or Invalid", 141, 92},
		{"Suspected breast cancer", 4051, 3288},
		{"Suspected gynaecological cancer", 1585, 1033},
		{"Suspected lower gastrointestinal cancer", 4650, 2497},
	}, nil},
	{"28-day FDS", "URGENT SUSPECTED CANCER", []cwtCell{
		{"Suspected acute leukaemia", 18, 12},
		{"Suspected brain/central nervous system tumours", 1044, 822},
		{"Suspected breast cancer", 44942, 39447},
		{"Suspected cancer - non-specific symptoms", 3424, 2173},
		{"Suspected children's cancer", 979, 845},
		{"Suspected gynaecological cancer", 25293, 14916},
		{"Suspected haematological malignancies (excluding acute leukaemia)", 1718, 946},
		{"Suspected head & neck cancer", 23493, 17603},
		{"Suspected lower gastrointestinal cancer", 40994, 23201},
		{"Suspected lung cancer", 5447, 4311},
		{"Suspected other cancer", 289, 175},
		{"Suspected sarcoma", 1481, 945},
		{"Suspected skin cancer", 62410, 46614},
		{"Suspected testicular cancer", 967, 744},
		{"Suspected upper gastrointestinal cancer", 18001, 13059},
		{"Suspected urological malignancies (excluding testicular)", 20221, 11170},
	}, nil},
	{"31-day Combined", "First Treatment", []cwtCell{
		{"Breast", 4211, 3741},
		{"Gynaecological", 1306, 1096},
		{"Haematological - Lymphoma", 921, 903},
		{"Haematological - Other (a)", 953, 948},
		{"Head & Neck", 1059, 921},
		{"Lower Gastrointestinal", 3092, 2694},
		{"Lung", 3046, 2810},
		{"Other (a)", 973, 919},
		{"Skin", 5472, 4661},
		{"Upper Gastrointestinal - Hepatobiliary", 1092, 1018},
		{"Upper Gastrointestinal - Oesophagus & Stomach", 917, 889},
		{"Urological - Other (a)", 1675, 1298},
		{"Urological - Prostate", 4174, 3975},
	}, []cwtCell{
		{"Anti-cancer drug regimen", 6460, 6386},
		{"Other", 5597, 5557},
		{"Radiotherapy", 1902, 1713},
		{"Surgery", 14932, 12217},
	}},
	{"31-day Combined", "Subsequent Treatment", []cwtCell{
		{"Breast", 6968, 6376},
		{"Gynaecological", 1253, 1149},
		{"Haematological - Lymphoma", 656, 637},
		{"Haematological - Other (a)", 845, 835},
		{"Head & Neck", 1033, 930},
		{"Lower Gastrointestinal", 2163, 1957},
		{"Lung", 1425, 1369},
		{"Other (a)", 955, 895},
		{"Skin", 2138, 1703},
		{"Upper Gastrointestinal - Hepatobiliary", 456, 423},
		{"Upper Gastrointestinal - Oesophagus & Stomach", 568, 542},
		{"Urological - Other (a)", 1212, 1074},
		{"Urological - Prostate", 3886, 3148},
	}, []cwtCell{
		{"Anti-cancer drug regimen", 8727, 8565},
		{"Other", 614, 395},
		{"Radiotherapy", 9169, 8192},
		{"Surgery", 5048, 3886},
	}},
	{"62-day Combined", "Breast Symptomatic", []cwtCell{
		{"Breast", 116, 76},
		{"Haematological - Lymphoma", 3, 2},
		{"Other (a)", 1, 1},
	}, []cwtCell{
		{"Anti-cancer drug regimen", 47, 38},
		{"Other", 4, 3},
		{"Surgery", 69, 38},
	}},
	{"62-day Combined", "Consultant Upgrade", []cwtCell{
		{"Breast", 268, 232},
		{"Gynaecological", 326, 242},
		{"Haematological - Lymphoma", 288, 237},
		{"Haematological - Other (a)", 310, 288},
		{"Head & Neck", 220, 162},
		{"Lower Gastrointestinal", 633, 501},
		{"Lung", 1609, 1004},
		{"Other (a)", 335.5, 296.5},
		{"Skin", 704, 598},
		{"Upper Gastrointestinal - Hepatobiliary", 525, 419},
		{"Upper Gastrointestinal - Oesophagus & Stomach", 277, 207},
		{"Urological - Other (a)", 477, 284},
		{"Urological - Prostate", 562, 460},
	}, []cwtCell{
		{"Anti-cancer drug regimen", 1444.5, 1135.5},
		{"Other", 1942, 1713},
		{"Radiotherapy", 618, 309},
		{"Surgery", 2530, 1773},
	}},
	{"62-day Combined", "Screening", []cwtCell{
		{"Breast", 1293, 899},
		{"Gynaecological", 35, 26},
		{"Haematological - Lymphoma", 2, 2},
		{"Haematological - Other (a)", 1, 1},
		{"Lower Gastrointestinal", 369, 126},
		{"Lung", 5, 1},
		{"Other (a)", 2, 0},
		{"Urological - Prostate", 2, 1},
	}, []cwtCell{
		{"Anti-cancer drug regimen", 166, 101},
		{"Other", 22, 12},
		{"Radiotherapy", 28, 2},
		{"Surgery", 1493, 941},
	}},
	{"62-day Combined", "Urgent Suspected Cancer", []cwtCell{
		{"Breast", 2296, 1493},
		{"Gynaecological", 805, 309},
		{"Haematological - Lymphoma", 426, 205},
		{"Haematological - Other (a)", 288, 221},
		{"Head & Neck", 692, 273},
		{"Lower Gastrointestinal", 1622, 641},
		{"Lung", 913, 424},
		{"Other (a)", 250, 127},
		{"Skin", 3792, 2980},
		{"Upper Gastrointestinal - Hepatobiliary", 332, 193},
		{"Upper Gastrointestinal - Oesophagus & Stomach", 509, 268},
		{"Urological - Other (a)", 846, 454},
		{"Urological - Prostate", 3237, 1722},
	}, []cwtCell{
		{"Anti-cancer drug regimen", 3864, 2190},
		{"Other", 2787, 1723},
		{"Radiotherapy", 859, 188},
		{"Surgery", 8498, 5209},
	}},
}

// cwtTrust is one trust's share of England's patients and how much better
// or worse than England it does.
type cwtTrust struct {
	code   string
	from   time.Time // opened on; no rows before
	share  float64
	effect float64 // added to England's share within the standard
}

// cwtCount is a count in half patients, so sums stay exact.
type cwtCount struct{ total, within int64 }

func writeCWT(w io.Writer, orgs Orgs, opt Options) error {
	months := opt.Months
	if months <= 0 {
		months = 12
	}
	from := opt.From
	if from.IsZero() {
		from = cwtFrom
	}
	if from.Kind() != accord.PeriodMonth {
		return accord.Errorf(accord.EINVALID, "cwt: the first period must be a month, not %s", from)
	}
	rng := NewRand(opt.Seed)
	trusts := make([]cwtTrust, len(orgs.Providers))
	sum := 0.0
	for i, o := range orgs.Providers {
		// Sizes spread like real trusts': a few large cancer centres, many
		// district hospitals, some with very few patients.
		s := math.Exp(0.8 * rng.NormFloat64())
		trusts[i] = cwtTrust{code: o.Code, from: o.ValidFrom.Time, share: s, effect: 0.06 * rng.NormFloat64()}
		sum += s
	}
	for i := range trusts {
		trusts[i].share /= sum
	}

	bw := bufio.NewWriterSize(w, 1<<16)
	bw.WriteString(`"` + strings.Join(cwtHeader, `","`) + `"` + "\n")
	mods := make([][]cwtCount, len(trusts)) // one stage's counts by trust and modality
	for i := range mods {
		mods[i] = make([]cwtCount, 4)
	}
	var line []byte
	for m := range months {
		month := accord.Month(from.Start().Year(), from.Start().Month()+time.Month(m))
		start := month.Start()
		prefix := `"` + start.Format("2006-01-02") + `","` + month.FinancialYearOf().String() + `","` +
			strings.ToUpper(start.Format("Jan")) + `","`
		// Referrals dip in December and rise in spring, as they do.
		season := 1 + 0.06*math.Cos(2*math.Pi*float64(int(start.Month())-4)/12) - 0.08*cwtIf(start.Month() == time.December)
		open := func(t cwtTrust) bool { return !t.from.After(month.End()) }
		for _, st := range cwtVocabulary {
			halves := st.standard == "62-day Combined"
			for i := range mods {
				clear(mods[i])
			}
			modality := `,,`
			if st.modalities != nil {
				modality = `,"` + cwtAllModalities + `",`
			}
			for _, ty := range st.types {
				for ti, t := range trusts {
					if !open(t) {
						continue
					}
					var c cwtCount
					if st.modalities == nil {
						c = cwtDraw(rng, ty.total*t.share*season, ty.within/ty.total+t.effect, false)
					} else {
						// One cell per modality, with the modality's share
						// of the stage's patients and its own timeliness.
						stageTotal, stageWithin := 0.0, 0.0
						for _, md := range st.modalities {
							stageTotal += md.total
							stageWithin += md.within
						}
						for k, md := range st.modalities {
							rate := ty.within / ty.total * (md.within / md.total) / (stageWithin / stageTotal)
							mc := cwtDraw(rng, ty.total*md.total/stageTotal*t.share*season, rate+t.effect, halves)
							mods[ti][k].total += mc.total
							mods[ti][k].within += mc.within
							c.total += mc.total
							c.within += mc.within
						}
					}
					if c.total == 0 {
						continue
					}
					line = cwtRow(line[:0], prefix, st, t.code, modality, `"`+ty.name+`"`, c)
					bw.Write(line)
				}
			}
			for k, md := range st.modalities {
				for ti, t := range trusts {
					if c := mods[ti][k]; c.total > 0 {
						line = cwtRow(line[:0], prefix, st, t.code, `,"`+md.name+`",`, `"`+cwtAllCancers+`"`, c)
						bw.Write(line)
					}
				}
			}
		}
	}
	return bw.Flush()
}

// cwtRow formats one row as NHS England's extract writes it: text quoted,
// counts bare, an empty modality empty.
func cwtRow(b []byte, prefix string, st cwtStage, org, modality, ctype string, c cwtCount) []byte {
	b = append(b, prefix...)
	b = append(b, st.standard...)
	b = append(b, `","`...)
	b = append(b, org...)
	b = append(b, `","`...)
	b = append(b, st.stage...)
	b = append(b, '"')
	b = append(b, modality...)
	b = append(b, ctype...)
	b = append(b, ',')
	b = cwtHalves(b, c.total)
	b = append(b, ',')
	b = cwtHalves(b, c.within)
	b = append(b, ',')
	b = cwtHalves(b, c.total-c.within)
	return append(b, '\n')
}

// cwtHalves writes a count of half patients: 7 → 3.5, 8 → 4.
func cwtHalves(b []byte, h int64) []byte {
	b = strconv.AppendInt(b, h/2, 10)
	if h%2 != 0 {
		b = append(b, ".5"...)
	}
	return b
}

// cwtDraw draws a count with the given mean and its number within the
// standard at the given rate, in half patients. With halves, a cell now
// and then carries a shared patient's half.
func cwtDraw(rng *rand.Rand, mean, rate float64, halves bool) cwtCount {
	rate = min(max(rate+0.02*rng.NormFloat64(), 0), 1)
	n := cwtPoisson(rng, mean)
	c := cwtCount{total: 2 * n, within: 2 * cwtBinomial(rng, n, rate)}
	if halves && rng.IntN(30) == 0 {
		c.total++
		if rng.Float64() < rate {
			c.within++
		}
	}
	return c
}

func cwtPoisson(rng *rand.Rand, mean float64) int64 {
	if mean <= 0 {
		return 0
	}
	if mean < 30 {
		// Knuth: count uniforms until their product falls below e^-mean.
		limit, p, n := math.Exp(-mean), rng.Float64(), int64(0)
		for p > limit {
			p *= rng.Float64()
			n++
		}
		return n
	}
	return max(0, int64(math.Round(mean+math.Sqrt(mean)*rng.NormFloat64())))
}

func cwtBinomial(rng *rand.Rand, n int64, p float64) int64 {
	if n < 30 {
		k := int64(0)
		for range n {
			if rng.Float64() < p {
				k++
			}
		}
		return k
	}
	mean := float64(n) * p
	k := int64(math.Round(mean + math.Sqrt(mean*(1-p))*rng.NormFloat64()))
	return min(max(k, 0), n)
}

func cwtIf(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
