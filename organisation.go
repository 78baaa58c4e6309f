package accord

import (
	"context"
	"regexp"
	"strings"
	"time"
)

// OrgType places an organisation in the NHS and local-government map.
type OrgType string

const (
	OrgEngland  OrgType = "england"
	OrgRegion   OrgType = "region"   // one of the 7 NHS England regions
	OrgICB      OrgType = "icb"      // one of the 42 integrated care boards
	OrgSubICB   OrgType = "sub_icb"  // a sub-ICB location (the former CCG areas)
	OrgPlace    OrgType = "place"    // an upper-tier local authority
	OrgProvider OrgType = "provider" // an NHS trust
)

// OrgTypes lists the types in hierarchy order, for menus and validation.
var OrgTypes = []OrgType{OrgEngland, OrgRegion, OrgICB, OrgSubICB, OrgPlace, OrgProvider}

// Valid reports whether t is a known type.
func (t OrgType) Valid() bool {
	for _, k := range OrgTypes {
		if t == k {
			return true
		}
	}
	return false
}

// Label is the plain-English name of the type.
func (t OrgType) Label() string {
	switch t {
	case OrgEngland:
		return "Country"
	case OrgRegion:
		return "NHS region"
	case OrgICB:
		return "Integrated care board"
	case OrgSubICB:
		return "Sub-ICB location"
	case OrgPlace:
		return "Local authority (upper tier)"
	case OrgProvider:
		return "NHS trust"
	}
	return string(t)
}

// EnglandCode is the code Accord uses for England as a whole. NHS England
// publications use the ODS code of NHS England itself for national totals.
const EnglandCode = "ENG"

// EnglandONSCode is the ONS code of England.
const EnglandONSCode = "E92000001"

// Organisation is a node in the map. Code is the ODS code (for places, which
// have no ODS code, the ONS code); ONSCode is the ONS statistical code
// current for the organisation, and ONSCodes keeps earlier ones so that
// data published under an old code still finds its organisation.
type Organisation struct {
	Code       string      `json:"code"`
	ONSCode    string      `json:"ons_code"`
	Name       string      `json:"name"`
	Type       OrgType     `json:"type"`
	ParentCode string      `json:"parent_code"`
	ValidFrom  Date        `json:"valid_from"`
	ValidTo    Date        `json:"valid_to"` // zero: still open
	ONSCodes   []CodeSpell `json:"ons_codes,omitempty"`
}

// CodeSpell is one spell of an ONS code for an organisation: the ICB ONS codes
// changed in July 2022 (creation), April 2023 and April 2024.
type CodeSpell struct {
	ONSCode   string `json:"ons_code"`
	ValidFrom Date   `json:"valid_from"`
	ValidTo   Date   `json:"valid_to"`
}

var (
	odsCodeRe = regexp.MustCompile(`^[A-Z0-9]{3,6}$`)
	onsCodeRe = regexp.MustCompile(`^[EWSN][0-9]{8}$`)
)

// ValidOn reports whether the organisation existed on day d.
func (o Organisation) ValidOn(d time.Time) bool {
	if !o.ValidFrom.IsZero() && d.Before(o.ValidFrom.Time) {
		return false
	}
	if !o.ValidTo.IsZero() && d.After(o.ValidTo.Time) {
		return false
	}
	return true
}

// Validate checks the record on its own; whether the parent exists is the
// store's job.
func (o Organisation) Validate() error {
	var p Problems
	switch {
	case o.Code == "":
		p.Add("code", "is required")
	case !odsCodeRe.MatchString(o.Code) && !onsCodeRe.MatchString(o.Code):
		p.Add("code", "%q is not an ODS code (3 to 6 capital letters or digits) or an ONS code (like E54000008)", o.Code)
	}
	if o.ONSCode != "" && !onsCodeRe.MatchString(o.ONSCode) {
		p.Add("ons_code", "%q is not an ONS code (a letter E, W, S or N then 8 digits)", o.ONSCode)
	}
	if strings.TrimSpace(o.Name) == "" {
		p.Add("name", "is required")
	}
	if !o.Type.Valid() {
		p.Add("type", "%q is not one of england, region, icb, sub_icb, place, provider", o.Type)
	}
	if o.Type == OrgEngland {
		if o.ParentCode != "" {
			p.Add("parent_code", "England has no parent")
		}
	} else if o.Type.Valid() && o.ParentCode == "" {
		p.Add("parent_code", "is required for a %s", o.Type.Label())
	}
	if o.ParentCode == o.Code && o.Code != "" {
		p.Add("parent_code", "an organisation cannot be its own parent")
	}
	if !o.ValidTo.IsZero() && !o.ValidFrom.IsZero() && o.ValidTo.Before(o.ValidFrom.Time) {
		p.Add("valid_to", "%s is before valid_from %s", o.ValidTo, o.ValidFrom)
	}
	for i, s := range o.ONSCodes {
		if !onsCodeRe.MatchString(s.ONSCode) {
			p.Add("ons_codes", "entry %d: %q is not an ONS code", i+1, s.ONSCode)
		}
	}
	return p.Err("organisation " + o.Code)
}

// OrganisationFilter selects organisations. Zero fields do not filter.
type OrganisationFilter struct {
	Type       OrgType
	ParentCode string
	Codes      []string
	Query      string // case-insensitive substring of the name or code
	Offset     int
	Limit      int // 0: no limit
}

// OrganisationStore keeps the organisation map.
type OrganisationStore interface {
	// UpsertOrganisations writes all or none; parents must exist already or
	// come earlier in the slice.
	UpsertOrganisations(ctx context.Context, orgs []Organisation) error
	FindOrganisations(ctx context.Context, f OrganisationFilter) ([]Organisation, int, error)
	// FindOrganisation finds by ODS code, or by any ONS code the
	// organisation has held. ENOTFOUND when there is none.
	FindOrganisation(ctx context.Context, code string) (Organisation, error)
}
