package accord

// Access error codes. They sit here rather than in error.go because they
// arrive with roles; like the others, each adapter maps them in its one
// table (the web layer: EUNAUTHORIZED to 401, EFORBIDDEN to 403).
const (
	EUNAUTHORIZED = "unauthorized" // nobody is signed in, or the sign-in is no longer good
	EFORBIDDEN    = "forbidden"    // the signed-in user's role may not do this
)

// Role is what a person does in agreeing local targets. The names are a
// published contract (they appear in exports and the API), so they never
// change; add new ones instead.
type Role string

const (
	RoleNationalOversight  Role = "national_oversight"  // NHS England nationally: reviews submitted targets
	RoleRegionalOversight  Role = "regional_oversight"  // an NHS England region: reviews its ICBs' targets
	RoleICBLead            Role = "icb_lead"            // owns an ICB's targets and moves them along
	RolePartnerContributor Role = "partner_contributor" // a trust, local authority or other partner
	RoleWorkforceRep       Role = "workforce_rep"       // speaks for staff in consultation
	RolePatientRep         Role = "patient_rep"         // speaks for patients and the public in consultation
	RolePeerReviewer       Role = "peer_reviewer"       // another ICB reviewing the targets
)

// Roles lists every role, national first, for menus and validation.
var Roles = []Role{RoleNationalOversight, RoleRegionalOversight, RoleICBLead, RolePartnerContributor, RoleWorkforceRep, RolePatientRep, RolePeerReviewer}

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	for _, k := range Roles {
		if r == k {
			return true
		}
	}
	return false
}

// Label is the plain-English name of the role.
func (r Role) Label() string {
	switch r {
	case RoleNationalOversight:
		return "National oversight"
	case RoleRegionalOversight:
		return "Regional oversight"
	case RoleICBLead:
		return "ICB lead"
	case RolePartnerContributor:
		return "Partner contributor"
	case RoleWorkforceRep:
		return "Workforce representative"
	case RolePatientRep:
		return "Patient representative"
	case RolePeerReviewer:
		return "Peer reviewer"
	}
	return string(r)
}

// Grant is a role held for one organisation: national oversight for England
// (EnglandCode), regional oversight for a region, and the other roles for an
// ICB or a partner organisation.
type Grant struct {
	Role    Role   `json:"role"`
	OrgCode string `json:"organisation_code"`
}

// Validate checks the grant on its own; whether the organisation exists and
// is of the right type (a region for regional oversight, say) is the
// store's job.
func (g Grant) Validate() error {
	var p Problems
	if !g.Role.Valid() {
		p.Add("role", "%q is not a role", g.Role)
	}
	switch {
	case g.OrgCode == "":
		p.Add("organisation", "is required")
	case !odsCodeRe.MatchString(g.OrgCode) && !onsCodeRe.MatchString(g.OrgCode):
		p.Add("organisation", "%q is not an ODS code (3 to 6 capital letters or digits) or an ONS code (like E54000008)", g.OrgCode)
	case g.Role == RoleNationalOversight && g.OrgCode != EnglandCode:
		p.Add("organisation", "national oversight is held for England (%s), not %s", EnglandCode, g.OrgCode)
	case g.Role != RoleNationalOversight && g.Role.Valid() && g.OrgCode == EnglandCode:
		p.Add("organisation", "only national oversight is held for England as a whole")
	}
	return p.Err("grant of " + string(g.Role))
}

// maxOrgDepth bounds the walk up the organisation map: England, region, ICB,
// sub-ICB location and provider are five levels, so eight is ample, and a
// loop in bad data cannot hang a request.
const maxOrgDepth = 8

// Covers reports whether g applies to the organisation orgCode. A grant
// covers its own organisation; national and regional oversight also cover
// everything beneath it, found by walking parentOf (which returns "" at the
// top). An ICB lead's grant does not reach down, because partners hold their
// own grants.
func (g Grant) Covers(orgCode string, parentOf func(string) string) bool {
	if orgCode == "" || g.OrgCode == "" {
		return false
	}
	if orgCode == g.OrgCode {
		return true
	}
	if (g.Role != RoleNationalOversight && g.Role != RoleRegionalOversight) || parentOf == nil {
		return false
	}
	code := orgCode
	for range maxOrgDepth {
		code = parentOf(code)
		if code == "" {
			return false
		}
		if code == g.OrgCode {
			return true
		}
	}
	return false
}
