package importer

import (
	"context"
	"strings"
	"time"

	"github.com/nhs-accord/accord"
)

// OrgIndex resolves the codes a publication uses — ODS codes, and current
// or earlier ONS codes — to Accord's organisations, honouring the dates each
// code was valid for, and walks the hierarchy for roll-ups.
type OrgIndex struct {
	byCode map[string]accord.Organisation
	spells map[string][]spell // ONS code → the organisations that held it, when
}

type spell struct {
	org      string
	from, to accord.Date
}

// LoadOrgIndex reads the whole organisation map from st (a few thousand rows).
func LoadOrgIndex(ctx context.Context, st accord.OrganisationStore) (*OrgIndex, error) {
	orgs, _, err := st.FindOrganisations(ctx, accord.OrganisationFilter{})
	if err != nil {
		return nil, err
	}
	return NewOrgIndex(orgs), nil
}

// NewOrgIndex indexes orgs.
func NewOrgIndex(orgs []accord.Organisation) *OrgIndex {
	x := &OrgIndex{byCode: make(map[string]accord.Organisation, len(orgs)), spells: map[string][]spell{}}
	for _, o := range orgs {
		x.byCode[o.Code] = o
		if len(o.ONSCodes) == 0 && o.ONSCode != "" && o.ONSCode != o.Code {
			x.spells[o.ONSCode] = append(x.spells[o.ONSCode], spell{org: o.Code, from: o.ValidFrom, to: o.ValidTo})
		}
		for _, s := range o.ONSCodes {
			x.spells[s.ONSCode] = append(x.spells[s.ONSCode], spell{org: o.Code, from: s.ValidFrom, to: s.ValidTo})
		}
	}
	return x
}

// Lookup finds an organisation by its own code, without dates.
func (x *OrgIndex) Lookup(code string) (accord.Organisation, bool) {
	o, ok := x.byCode[strings.ToUpper(strings.TrimSpace(code))]
	return o, ok
}

// Resolve finds the organisation a code named during period p: an ODS code
// of an organisation open at some time in p, or an ONS code in one of its
// spells overlapping p. A zero p ignores dates.
func (x *OrgIndex) Resolve(code string, p accord.Period) (accord.Organisation, bool) {
	code = strings.ToUpper(strings.TrimSpace(code))
	if o, ok := x.byCode[code]; ok && overlaps(o.ValidFrom, o.ValidTo, p) {
		return o, true
	}
	for _, s := range x.spells[code] {
		if overlaps(s.from, s.to, p) {
			return x.byCode[s.org], true
		}
	}
	return accord.Organisation{}, false
}

func overlaps(from, to accord.Date, p accord.Period) bool {
	if p.IsZero() {
		return true
	}
	if !from.IsZero() && p.End().Before(from.Time) {
		return false
	}
	if !to.IsZero() && p.Start().After(to.Time) {
		return false
	}
	return true
}

// Chain returns code's organisation and its ancestors up to England, for
// adding a count at every level it rolls up to.
func (x *OrgIndex) Chain(code string) []string {
	var out []string
	for seen := 0; code != "" && seen < 8; seen++ {
		o, ok := x.byCode[code]
		if !ok {
			break
		}
		out = append(out, o.Code)
		code = o.ParentCode
	}
	return out
}

// ValidOn reports whether the organisation with code was open on day t.
func (x *OrgIndex) ValidOn(code string, t time.Time) bool {
	o, ok := x.byCode[code]
	return ok && o.ValidOn(t)
}
