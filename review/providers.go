package review

import (
	"cmp"
	"context"
	"encoding/csv"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/nhs-accord/accord"
	"github.com/nhs-accord/accord/reference"
)

// aeMappingFile is NHS England's attribution of A&E providers to ICBs, shipped
// with the reference data (the importer attributes A&E activity by it).
const aeMappingFile = "ae_provider_to_icb_mapping_mar2024.csv"

// SharedProvider is a trust (or A&E site) that serves both the reviewed
// system and a reviewer's: hosted in one and attributed to the other, or
// attributed to both.
type SharedProvider struct {
	Code string `json:"code"`
	Name string `json:"name"`
	// HostICB is the ICB the trust is registered under in ODS; "" for an
	// A&E site that is not in the organisation map.
	HostICB string `json:"host_icb,omitempty"`
	// AttributedICBs are the ICBs NHS England attributes its A&E activity
	// to (March 2024).
	AttributedICBs []string `json:"attributed_icbs,omitempty"`
}

// Describe says in words how the trust links the two systems.
func (p SharedProvider) Describe() string {
	var parts []string
	if p.HostICB != "" {
		parts = append(parts, "hosted by "+p.HostICB)
	}
	if len(p.AttributedICBs) > 0 {
		parts = append(parts, "A&E attributed to "+strings.Join(p.AttributedICBs, " and "))
	}
	return p.Name + " (" + p.Code + ", " + strings.Join(parts, ", ") + ")"
}

type aeAttribution struct {
	name string
	icbs []string
}

// aeMapping reads the shipped attribution once: provider or site code → its
// name and the ICBs it is attributed to.
var aeMapping = sync.OnceValues(func() (map[string]aeAttribution, error) {
	f, err := reference.Open(aeMappingFile)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", aeMappingFile, err)
	}
	if len(recs) == 0 {
		return nil, fmt.Errorf("%s: empty", aeMappingFile)
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[strings.TrimSpace(h)] = i
	}
	code, okCode := col["Code"]
	name, okName := col["Name"]
	icb, okICB := col["ICB Code"]
	if !okCode || !okName || !okICB {
		return nil, fmt.Errorf("%s:1: expected columns Code, Name and ICB Code", aeMappingFile)
	}
	out := map[string]aeAttribution{}
	for _, r := range recs[1:] {
		c, i := strings.TrimSpace(r[code]), strings.TrimSpace(r[icb])
		a := out[c]
		a.name = cmp.Or(a.name, strings.TrimSpace(r[name]))
		if i != "" && !slices.Contains(a.icbs, i) {
			a.icbs = append(a.icbs, i)
		}
		out[c] = a
	}
	return out, nil
})

// providerLinks is, for every trust or A&E site, the ICBs it serves: its
// host (trusts open on today only) and those its A&E activity is
// attributed to.
type providerLinks map[string]SharedProvider

func loadProviderLinks(ctx context.Context, st accord.Store, today accord.Date) (providerLinks, error) {
	mapping, err := aeMapping()
	if err != nil {
		return nil, err
	}
	trusts, _, err := st.FindOrganisations(ctx, accord.OrganisationFilter{Type: accord.OrgProvider})
	if err != nil {
		return nil, err
	}
	links := providerLinks{}
	closed := map[string]bool{}
	for _, t := range trusts {
		if !t.ValidOn(today.Time) {
			closed[t.Code] = true
			continue
		}
		links[t.Code] = SharedProvider{Code: t.Code, Name: t.Name, HostICB: t.ParentCode}
	}
	for code, a := range mapping {
		// The attribution dates from March 2024; a trust closed since (a
		// merger) no longer ties anyone together.
		if closed[code] {
			continue
		}
		p, ok := links[code]
		if !ok {
			p = SharedProvider{Code: code, Name: a.name}
		}
		p.AttributedICBs = slices.Clone(a.icbs)
		slices.Sort(p.AttributedICBs)
		links[code] = p
	}
	return links, nil
}

// shared lists the trusts that serve both a and b, by code.
func (l providerLinks) shared(a, b string) []SharedProvider {
	var out []SharedProvider
	for _, p := range l {
		serves := func(icb string) bool { return p.HostICB == icb || slices.Contains(p.AttributedICBs, icb) }
		if serves(a) && serves(b) {
			out = append(out, p)
		}
	}
	slices.SortFunc(out, func(x, y SharedProvider) int { return cmp.Compare(x.Code, y.Code) })
	return out
}
