// Package reference holds the England reference data Accord ships with —
// the NHS and local-government organisation map, the indicator catalogue and
// the national priorities register — parses it into domain records and loads
// it into a store. The files are real ONS, NHS England and MHCLG
// publications (see data/PROVENANCE.md) embedded in the binary, so a fresh
// install needs no download.
package reference

import (
	"bytes"
	"context"
	"embed"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/nhs-accord/accord"
)

//go:embed data
var files embed.FS

// ICBBoundariesFile is the ONS ICB boundary file (April 2023, super-generalised),
// whose features carry the ICB's ONS code in ICB23CD and its name in ICB23NM.
const ICBBoundariesFile = "Integrated_Care_Boards_April_2023_EN_BSC_5dp.geojson"

// ICBBoundaries returns the GeoJSON of the 42 ICBs.
func ICBBoundaries() ([]byte, error) { return files.ReadFile("data/" + ICBBoundariesFile) }

// Open returns one of the shipped files by name, for callers that stream it.
func Open(name string) (io.ReadCloser, error) { return files.Open("data/" + name) }

// Summary counts what a load wrote, by kind.
type Summary struct {
	Organisations map[accord.OrgType]int
	Indicators    int
	Priorities    int
	Skipped       []string // rows deliberately left out, with the reason
}

func (s Summary) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d regions, %d ICBs, %d sub-ICB locations, %d places, %d NHS trusts; %d indicators; %d national priorities",
		s.Organisations[accord.OrgRegion], s.Organisations[accord.OrgICB], s.Organisations[accord.OrgSubICB],
		s.Organisations[accord.OrgPlace], s.Organisations[accord.OrgProvider], s.Indicators, s.Priorities)
	return b.String()
}

// Data is the parsed reference data.
type Data struct {
	Organisations []accord.Organisation // parents before children
	Indicators    []accord.Indicator
	Priorities    []accord.Priority
	Skipped       []string
}

// Parse reads every shipped file. It fails on the first malformed row with
// FILE:LINE: message.
func Parse() (Data, error) {
	var d Data
	orgs, skipped, err := parseOrganisations()
	if err != nil {
		return d, err
	}
	d.Organisations, d.Skipped = orgs, skipped
	if d.Indicators, err = parseIndicators(); err != nil {
		return d, err
	}
	if d.Priorities, err = parsePriorities(); err != nil {
		return d, err
	}
	return d, nil
}

// Load parses the reference data and writes it to st. Loading is idempotent:
// records are upserted by code, so a second load changes nothing.
func Load(ctx context.Context, st accord.Store) (Summary, error) {
	d, err := Parse()
	if err != nil {
		return Summary{}, err
	}
	if err := st.UpsertOrganisations(ctx, d.Organisations); err != nil {
		return Summary{}, fmt.Errorf("loading organisations: %w", err)
	}
	if err := st.UpsertIndicators(ctx, d.Indicators); err != nil {
		return Summary{}, fmt.Errorf("loading indicators: %w", err)
	}
	if err := st.UpsertPriorities(ctx, d.Priorities); err != nil {
		return Summary{}, fmt.Errorf("loading national priorities: %w", err)
	}
	s := Summary{Organisations: map[accord.OrgType]int{}, Indicators: len(d.Indicators), Priorities: len(d.Priorities), Skipped: d.Skipped}
	for _, o := range d.Organisations {
		s.Organisations[o.Type]++
	}
	return s, nil
}

// table is a CSV file read whole, with columns addressed by header name so
// that a reordered or renamed column fails loudly instead of shifting data.
type table struct {
	name   string
	header map[string]int
	rows   [][]string
}

func readTable(name string, required ...string) (*table, error) {
	b, err := files.ReadFile("data/" + name)
	if err != nil {
		return nil, err
	}
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf")) // several ONS files start with a BOM
	r := csv.NewReader(bytes.NewReader(b))
	recs, err := r.ReadAll()
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return nil, fmt.Errorf("%s:%d:%d: %v", name, pe.Line, pe.Column, pe.Err)
		}
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(recs) == 0 {
		return nil, fmt.Errorf("%s:1: the file is empty", name)
	}
	t := &table{name: name, header: map[string]int{}, rows: recs[1:]}
	for i, h := range recs[0] {
		t.header[strings.TrimSpace(h)] = i
	}
	var missing []string
	for _, c := range required {
		if _, ok := t.header[c]; !ok {
			missing = append(missing, c)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("%s:1: missing columns %s", name, strings.Join(missing, ", "))
	}
	return t, nil
}

func (t *table) get(row []string, col string) string { return strings.TrimSpace(row[t.header[col]]) }

// errAt formats an error at a data row (i counts from 0 after the header).
func (t *table) errAt(i int, format string, args ...any) error {
	return fmt.Errorf("%s:%d: %s", t.name, i+2, fmt.Sprintf(format, args...))
}

// Dates on which ICB-era codes changed: the ICBs and sub-ICB locations were
// created on 1 July 2022; ONS recoded some ICBs in April 2023 and reissued
// codes for boundary changes in April 2024; two region codes changed in
// January 2024.
var (
	icbStart     = accord.NewDate(2022, time.July, 1)
	apr2023      = accord.NewDate(2023, time.April, 1)
	apr2024      = accord.NewDate(2024, time.April, 1)
	jan2024      = accord.NewDate(2024, time.January, 1)
	regionsStart = accord.NewDate(2020, time.April, 1)
)

func dayBefore(d accord.Date) accord.Date { return accord.Date{Time: d.AddDate(0, 0, -1)} }

func parseOrganisations() ([]accord.Organisation, []string, error) {
	var orgs []accord.Organisation
	var skipped []string
	orgs = append(orgs, accord.Organisation{Code: accord.EnglandCode, ONSCode: accord.EnglandONSCode, Name: "England", Type: accord.OrgEngland})

	icbT, err := readTable("icbs_england.csv", "icb_ods_code", "icb_ons_code_apr2023", "icb_name", "nhs_region_ods_code",
		"nhs_region_ons_code_jan2024", "nhs_region_name", "icb_ons_code_jul2022", "icb_ons_code_apr2024", "nhs_region_ons_code_jul2022")
	if err != nil {
		return nil, nil, err
	}
	regionSeen := map[string]bool{}
	var icbs []accord.Organisation
	icbByODS := map[string]bool{}
	for i, r := range icbT.rows {
		reg := icbT.get(r, "nhs_region_ods_code")
		if !regionSeen[reg] {
			regionSeen[reg] = true
			o := accord.Organisation{Code: reg, ONSCode: icbT.get(r, "nhs_region_ons_code_jan2024"), Name: icbT.get(r, "nhs_region_name"),
				Type: accord.OrgRegion, ParentCode: accord.EnglandCode, ValidFrom: regionsStart}
			if old := icbT.get(r, "nhs_region_ons_code_jul2022"); old != o.ONSCode {
				o.ONSCodes = []accord.CodeSpell{{ONSCode: old, ValidFrom: icbStart, ValidTo: dayBefore(jan2024)}, {ONSCode: o.ONSCode, ValidFrom: jan2024}}
			}
			orgs = append(orgs, o)
		}
		o := accord.Organisation{Code: icbT.get(r, "icb_ods_code"), ONSCode: icbT.get(r, "icb_ons_code_apr2024"), Name: icbT.get(r, "icb_name"),
			Type: accord.OrgICB, ParentCode: reg, ValidFrom: icbStart}
		jul22, apr23, apr24 := icbT.get(r, "icb_ons_code_jul2022"), icbT.get(r, "icb_ons_code_apr2023"), o.ONSCode
		if jul22 != apr23 || apr23 != apr24 {
			spells := []accord.CodeSpell{{ONSCode: jul22, ValidFrom: icbStart}}
			add := func(code string, from accord.Date) {
				last := &spells[len(spells)-1]
				if code == last.ONSCode {
					return
				}
				last.ValidTo = dayBefore(from)
				spells = append(spells, accord.CodeSpell{ONSCode: code, ValidFrom: from})
			}
			add(apr23, apr2023)
			add(apr24, apr2024)
			o.ONSCodes = spells
		}
		if err := o.Validate(); err != nil {
			return nil, nil, icbT.errAt(i, "%v", err)
		}
		icbByODS[o.Code] = true
		icbs = append(icbs, o)
	}
	orgs = append(orgs, icbs...)

	// Sub-ICB locations: those in the July 2022 lookup date from then, the
	// rest were created by the April 2024 mergers.
	jul22T, err := readTable("ons_sicbl22_icb22_nhser22_lookup_jul2022.csv", "SICBL22CDH")
	if err != nil {
		return nil, nil, err
	}
	existed2022 := map[string]bool{}
	for _, r := range jul22T.rows {
		existed2022[jul22T.get(r, "SICBL22CDH")] = true
	}
	subT, err := readTable("sub_icb_locations_apr2024.csv", "sicbl24_ons_code", "sicbl24_ods_code", "sicbl24_name", "icb24_ods_code")
	if err != nil {
		return nil, nil, err
	}
	for i, r := range subT.rows {
		o := accord.Organisation{Code: subT.get(r, "sicbl24_ods_code"), ONSCode: subT.get(r, "sicbl24_ons_code"), Name: subT.get(r, "sicbl24_name"),
			Type: accord.OrgSubICB, ParentCode: subT.get(r, "icb24_ods_code"), ValidFrom: apr2024}
		if existed2022[o.Code] {
			o.ValidFrom = icbStart
		}
		if !icbByODS[o.ParentCode] {
			return nil, nil, subT.errAt(i, "ICB %q is not one of the 42 ICBs", o.ParentCode)
		}
		if err := o.Validate(); err != nil {
			return nil, nil, subT.errAt(i, "%v", err)
		}
		orgs = append(orgs, o)
	}

	// Places: upper-tier local authorities, each under the ICB that holds
	// most of its small areas (ten straddle two ICBs).
	utT, err := readTable("utla23_to_icb_lookup_derived.csv", "utla23_code", "utla23_name", "icb_ods_code", "is_main_icb_for_utla")
	if err != nil {
		return nil, nil, err
	}
	newIn2023 := map[string]bool{"E06000063": true, "E06000064": true, "E06000065": true, "E06000066": true} // Cumberland, Westmorland and Furness, North Yorkshire, Somerset
	for i, r := range utT.rows {
		if utT.get(r, "is_main_icb_for_utla") != "Y" {
			continue
		}
		o := accord.Organisation{Code: utT.get(r, "utla23_code"), ONSCode: utT.get(r, "utla23_code"), Name: utT.get(r, "utla23_name"),
			Type: accord.OrgPlace, ParentCode: utT.get(r, "icb_ods_code")}
		if newIn2023[o.Code] {
			o.ValidFrom = apr2023
		}
		if !icbByODS[o.ParentCode] {
			return nil, nil, utT.errAt(i, "ICB %q is not one of the 42 ICBs", o.ParentCode)
		}
		if err := o.Validate(); err != nil {
			return nil, nil, utT.errAt(i, "%v", err)
		}
		orgs = append(orgs, o)
	}

	// NHS trusts from the ODS etr extract, attached to their host ICB. The
	// A&E attribution file gives NHS England's own capitalisation of names.
	aeT, err := readTable("ae_provider_to_icb_mapping_mar2024.csv", "Code", "Name")
	if err != nil {
		return nil, nil, err
	}
	niceName := map[string]string{}
	for _, r := range aeT.rows {
		niceName[aeT.get(r, "Code")] = aeT.get(r, "Name")
	}
	etrT, err := readTable("ods_nhs_trusts_etr.csv", "Organisation Code", "Name", "Higher Level Health Geography", "Open Date", "Close Date")
	if err != nil {
		return nil, nil, err
	}
	for i, r := range etrT.rows {
		code, icb := etrT.get(r, "Organisation Code"), etrT.get(r, "Higher Level Health Geography")
		name := niceName[code]
		if name == "" {
			name = TitleCase(etrT.get(r, "Name"))
		}
		if !icbByODS[icb] {
			skipped = append(skipped, fmt.Sprintf("%s %s: host %q is not an English ICB", code, name, icb))
			continue
		}
		from, err := odsDate(etrT.get(r, "Open Date"))
		if err != nil {
			return nil, nil, etrT.errAt(i, "Open Date: %v", err)
		}
		to, err := odsDate(etrT.get(r, "Close Date"))
		if err != nil {
			return nil, nil, etrT.errAt(i, "Close Date: %v", err)
		}
		o := accord.Organisation{Code: code, Name: name, Type: accord.OrgProvider, ParentCode: icb, ValidFrom: from, ValidTo: to}
		if err := o.Validate(); err != nil {
			return nil, nil, etrT.errAt(i, "%v", err)
		}
		orgs = append(orgs, o)
	}
	return orgs, skipped, nil
}

// odsDate reads ODS's YYYYMMDD dates; empty means open-ended.
func odsDate(s string) (accord.Date, error) {
	if s == "" {
		return accord.Date{}, nil
	}
	t, err := time.Parse("20060102", s)
	if err != nil {
		return accord.Date{}, fmt.Errorf("%q is not a date written YYYYMMDD", s)
	}
	return accord.Date{Time: t}, nil
}

// TitleCase turns ODS's capitalised names into the form NHS England
// publishes ("LEEDS TEACHING HOSPITALS NHS TRUST" → "Leeds Teaching
// Hospitals NHS Trust").
func TitleCase(s string) string {
	keepUpper := map[string]bool{"NHS": true, "UK": true, "CIC": true, "GP": true}
	lower := map[string]bool{"AND": true, "OF": true, "THE": true, "FOR": true, "IN": true, "ON": true}
	words := strings.Fields(s)
	for i, w := range words {
		switch {
		case keepUpper[w]:
		case lower[w] && i > 0:
			words[i] = strings.ToLower(w)
		default:
			words[i] = capitalise(w)
		}
	}
	return strings.Join(words, " ")
}

func capitalise(w string) string {
	var b strings.Builder
	up := true
	for _, r := range strings.ToLower(w) {
		if up {
			b.WriteString(strings.ToUpper(string(r)))
		} else {
			b.WriteRune(r)
		}
		up = r == '-' || r == '(' || r == '\''
	}
	return b.String()
}

func parseIndicators() ([]accord.Indicator, error) {
	t, err := readTable("indicators.csv", "id", "name", "area", "unit", "polarity", "method", "frequency", "tags",
		"numerator", "denominator", "definition", "source", "source_url", "fingertips_id")
	if err != nil {
		return nil, err
	}
	var out []accord.Indicator
	for i, r := range t.rows {
		ind := accord.Indicator{
			ID: t.get(r, "id"), Name: t.get(r, "name"), Area: t.get(r, "area"), Unit: accord.Unit(t.get(r, "unit")),
			Polarity: accord.Polarity(t.get(r, "polarity")), Method: accord.Method(t.get(r, "method")),
			Frequency: accord.Frequency(t.get(r, "frequency")), Numerator: t.get(r, "numerator"), Denominator: t.get(r, "denominator"),
			Definition: t.get(r, "definition"), Source: t.get(r, "source"), SourceURL: t.get(r, "source_url"),
		}
		for _, tag := range strings.Split(t.get(r, "tags"), ";") {
			ind.Tags = append(ind.Tags, accord.Tag(strings.TrimSpace(tag)))
		}
		if f := t.get(r, "fingertips_id"); f != "" {
			if ind.FingertipsID, err = strconv.Atoi(f); err != nil {
				return nil, t.errAt(i, "fingertips_id %q is not a number", f)
			}
		}
		if err := ind.Validate(); err != nil {
			return nil, t.errAt(i, "%v", err)
		}
		out = append(out, ind)
	}
	return out, nil
}

func parsePriorities() ([]accord.Priority, error) {
	link, err := readTable("priority_indicators.csv", "priority_id", "indicator_id")
	if err != nil {
		return nil, err
	}
	indicatorOf := map[string]string{}
	for _, r := range link.rows {
		indicatorOf[link.get(r, "priority_id")] = link.get(r, "indicator_id")
	}
	t, err := readTable("national_targets.csv", "id", "area", "name", "standard_type", "metric", "comparator", "value", "unit", "deadline", "source", "confidence")
	if err != nil {
		return nil, err
	}
	var out []accord.Priority
	for i, r := range t.rows {
		p := accord.Priority{
			ID: t.get(r, "id"), Area: t.get(r, "area"), Name: t.get(r, "name"), StandardType: accord.StandardType(t.get(r, "standard_type")),
			Metric: t.get(r, "metric"), Comparator: accord.Comparator(t.get(r, "comparator")), Unit: t.get(r, "unit"),
			Source: t.get(r, "source"), Confidence: t.get(r, "confidence"), IndicatorID: indicatorOf[t.get(r, "id")],
		}
		p.SetBy = setBy(p.Source)
		v := t.get(r, "value")
		if p.Standard, err = strconv.ParseFloat(v, 64); err != nil {
			return nil, t.errAt(i, "value %q is not a number", v)
		}
		if d := t.get(r, "deadline"); d != "standing" {
			if p.Deadline, err = accord.ParseDate(d); err != nil {
				return nil, t.errAt(i, "deadline: %v", err)
			}
		}
		if err := p.Validate(); err != nil {
			return nil, t.errAt(i, "%v", err)
		}
		out = append(out, p)
	}
	return out, nil
}

// setBy names the body that set a standard, from the start of its source
// citation ("NHS England: …", "DHSC/NHS England: …", "Handbook to the NHS
// Constitution …").
func setBy(source string) string {
	head, _, found := strings.Cut(source, ":")
	switch {
	case strings.Contains(source, "Constitution") || strings.HasPrefix(source, "Ambulance Response Programme"):
		return "DHSC (NHS Constitution)"
	case found:
		return strings.TrimSpace(head)
	}
	return "NHS England"
}
