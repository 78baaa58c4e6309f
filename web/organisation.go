package web

import (
	"cmp"
	"context"
	"net/http"
	"slices"
	"strings"

	"github.com/nhs-accord/accord"
)

// orgTypeNames lists the organisation types a client may filter by.
func orgTypeNames() []string {
	names := make([]string, len(accord.OrgTypes))
	for i, t := range accord.OrgTypes {
		names[i] = string(t)
	}
	return names
}

// findOrganisation looks an organisation up by ODS or ONS code, in any case.
func (s *Server) findOrganisation(ctx context.Context, code string) (accord.Organisation, error) {
	return s.store.FindOrganisation(ctx, strings.ToUpper(strings.TrimSpace(code)))
}

// children returns the organisations whose parent is code, by name.
func (s *Server) children(ctx context.Context, code string, t accord.OrgType) ([]accord.Organisation, error) {
	orgs, _, err := s.store.FindOrganisations(ctx, accord.OrganisationFilter{ParentCode: code, Type: t})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(orgs, byName)
	return orgs, nil
}

func byName(a, b accord.Organisation) int {
	return cmp.Or(strings.Compare(a.Name, b.Name), strings.Compare(a.Code, b.Code))
}

// --- API ---

// organisationJSON is an organisation in API answers.
type organisationJSON struct {
	Code       string         `json:"code"`
	ONSCode    string         `json:"ons_code"`
	Name       string         `json:"name"`
	Type       accord.OrgType `json:"type"`
	ParentCode string         `json:"parent_code"`
	ValidFrom  accord.Date    `json:"valid_from"`
	ValidTo    accord.Date    `json:"valid_to"` // null: still open
	ONSCodes   []spellJSON    `json:"ons_codes"`
}

// spellJSON is one ONS code an organisation has held, and when.
type spellJSON struct {
	ONSCode   string      `json:"ons_code"`
	ValidFrom accord.Date `json:"valid_from"`
	ValidTo   accord.Date `json:"valid_to"`
}

func organisationJSONOf(o accord.Organisation) organisationJSON {
	j := organisationJSON{
		Code: o.Code, ONSCode: o.ONSCode, Name: o.Name, Type: o.Type, ParentCode: o.ParentCode,
		ValidFrom: o.ValidFrom, ValidTo: o.ValidTo, ONSCodes: []spellJSON{},
	}
	for _, sp := range o.ONSCodes {
		j.ONSCodes = append(j.ONSCodes, spellJSON{ONSCode: sp.ONSCode, ValidFrom: sp.ValidFrom, ValidTo: sp.ValidTo})
	}
	return j
}

// orgRef names a related organisation in API answers.
type orgRef struct {
	Code    string         `json:"code"`
	ONSCode string         `json:"ons_code"`
	Name    string         `json:"name"`
	Type    accord.OrgType `json:"type"`
}

func refOf(o accord.Organisation) orgRef {
	return orgRef{Code: o.Code, ONSCode: o.ONSCode, Name: o.Name, Type: o.Type}
}

// organisationDetail is GET /api/v1/organisations/{code}: the organisation,
// its parent and its children.
type organisationDetail struct {
	organisationJSON
	Parent   *orgRef  `json:"parent"`
	Children []orgRef `json:"children"`
}

// apiOrganisations is GET /api/v1/organisations?type=&parent=&q=.
func (s *Server) apiOrganisations(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	q := readQuery(r, "type", "parent", "q", "limit", "offset")
	f := accord.OrganisationFilter{
		Type:  accord.OrgType(q.oneOf("type", orgTypeNames())),
		Query: q.text("q"),
	}
	pg := q.page()
	if parent := q.one("parent"); parent != "" {
		p, err := s.findOrganisation(ctx, parent)
		switch {
		case accord.ErrorCode(err) == accord.ENOTFOUND:
			q.problems.Add("parent", "no organisation has the code %q", parent)
		case err != nil:
			return err
		}
		f.ParentCode = p.Code
	}
	if err := q.err(); err != nil {
		return err
	}
	f.Offset, f.Limit = pg.Offset, pg.storeLimit()
	orgs, total, err := s.store.FindOrganisations(ctx, f)
	if err != nil {
		return err
	}
	items := make([]organisationJSON, len(orgs))
	for i, o := range orgs {
		items[i] = organisationJSONOf(o)
	}
	return writeJSON(w, http.StatusOK, newList(items, total, pg))
}

// apiOrganisation is GET /api/v1/organisations/{code}, by ODS or ONS code.
func (s *Server) apiOrganisation(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if err := readQuery(r).err(); err != nil {
		return err
	}
	org, err := s.findOrganisation(ctx, r.PathValue("code"))
	if err != nil {
		return err
	}
	d := organisationDetail{organisationJSON: organisationJSONOf(org), Children: []orgRef{}}
	if org.ParentCode != "" {
		p, err := s.store.FindOrganisation(ctx, org.ParentCode)
		if err != nil {
			return err
		}
		ref := refOf(p)
		d.Parent = &ref
	}
	kids, err := s.children(ctx, org.Code, "")
	if err != nil {
		return err
	}
	for _, k := range kids {
		d.Children = append(d.Children, refOf(k))
	}
	return writeJSON(w, http.StatusOK, d)
}

// --- Pages ---

// orgLink is an organisation as a link on a page.
type orgLink struct{ Code, Name string }

// regionGroup is one NHS region and its ICBs on the home page.
type regionGroup struct {
	Code, Name string
	Colour     int // map colour class, 1–7
	ICBs       []orgLink
}

type homeView struct {
	page
	Regions  []regionGroup
	ICBCount int
	Map      *mapView // nil when no boundaries were loaded
}

// homePage is GET /: England's NHS regions, each with its ICBs, and a map.
func (s *Server) homePage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	asCSV, err := wantCSV(r)
	if err != nil {
		return err
	}
	regions, _, err := s.store.FindOrganisations(ctx, accord.OrganisationFilter{Type: accord.OrgRegion})
	if err != nil {
		return err
	}
	icbs, _, err := s.store.FindOrganisations(ctx, accord.OrganisationFilter{Type: accord.OrgICB})
	if err != nil {
		return err
	}
	slices.SortFunc(icbs, byName)

	// Colours follow region codes, so a region keeps its colour whatever
	// the order of the lists.
	slices.SortFunc(regions, func(a, b accord.Organisation) int { return strings.Compare(a.Code, b.Code) })
	colour := make(map[string]int, len(regions))
	for i, reg := range regions {
		colour[reg.Code] = i%mapColours + 1
	}
	slices.SortFunc(regions, byName)

	if asCSV {
		regionName := make(map[string]string, len(regions))
		for _, reg := range regions {
			regionName[reg.Code] = reg.Name
		}
		rows := make([][]string, 0, len(icbs))
		for _, icb := range icbs {
			rows = append(rows, []string{icb.Code, icb.ONSCode, icb.Name, icb.ParentCode, regionName[icb.ParentCode]})
		}
		return writeCSV(w, "icbs.csv", []string{"icb_code", "icb_ons_code", "icb_name", "region_code", "region_name"}, rows)
	}

	v := homeView{page: page{Title: "Integrated care boards in England", Section: "icbs"}, ICBCount: len(icbs)}
	group := make(map[string]*regionGroup, len(regions))
	v.Regions = make([]regionGroup, len(regions))
	for i, reg := range regions {
		v.Regions[i] = regionGroup{Code: reg.Code, Name: reg.Name, Colour: colour[reg.Code]}
		group[reg.Code] = &v.Regions[i]
	}
	for _, icb := range icbs {
		if g := group[icb.ParentCode]; g != nil {
			g.ICBs = append(g.ICBs, orgLink{Code: icb.Code, Name: icb.Name})
		}
	}
	v.Map = s.icbMap(icbs, colour)
	return s.render(w, "home", &v)
}

// spell is one ONS code an organisation has held, for display.
type spell struct {
	Code  string
	From  accord.Date // for ordering
	Dates string      // "1 July 2022 to 31 March 2023"
}

func spellOf(sp accord.CodeSpell) spell {
	from, to := formatDate(sp.ValidFrom), formatDate(sp.ValidTo)
	s := spell{Code: sp.ONSCode, From: sp.ValidFrom}
	switch {
	case from != "" && to != "":
		s.Dates = from + " to " + to
	case from != "":
		s.Dates = "from " + from
	case to != "":
		s.Dates = "until " + to
	}
	return s
}

// heldRow is one series of observations held for an ICB or one of its
// trusts or places.
type heldRow struct {
	IndicatorID, IndicatorName string
	OrgCode, OrgName           string
	Count                      int
	First, Last                accord.Period
	SeriesURL                  string
}

// latestRow is an ICB's latest value of one indicator.
type latestRow struct {
	IndicatorID, IndicatorName string
	Period                     accord.Period
	Value                      string
	Status                     string // "Final" or "Provisional"
	SeriesURL                  string
}

type icbView struct {
	page
	Org          accord.Organisation
	TypeLabel    string
	Region       *orgLink
	CurrentSince string // when the current ONS code came in, if known
	EarlierCodes []spell
	Places       []accord.Organisation
	Trusts       []accord.Organisation
	SubICBs      []accord.Organisation
	Held         []heldRow
	Latest       []latestRow
}

// orgPagePaths are the pages that show one organisation, by type.
var orgPagePaths = map[accord.OrgType]string{accord.OrgICB: "/icbs/", accord.OrgRegion: "/regions/"}

// pageOrganisation finds the organisation named in the path for a page
// about organisations of type want. A code in another form (an ONS code,
// lower case) or of the other page's type is redirected to its canonical
// page, and redirected says so; any other type is not found.
func (s *Server) pageOrganisation(w http.ResponseWriter, r *http.Request, want accord.OrgType) (org accord.Organisation, redirected bool, err error) {
	code := r.PathValue("code")
	if org, err = s.findOrganisation(r.Context(), code); err != nil {
		return org, false, err
	}
	path, hasPage := orgPagePaths[org.Type]
	switch {
	case !hasPage:
		return org, false, accord.Errorf(accord.ENOTFOUND, "%s is not %s.", org.Code, orgPageNouns[want])
	case org.Type != want || org.Code != code:
		http.Redirect(w, r, path+org.Code, http.StatusMovedPermanently)
		return org, true, nil
	}
	return org, false, nil
}

// orgPageNouns name, in a sentence, what each organisation page shows.
var orgPageNouns = map[accord.OrgType]string{accord.OrgICB: "an integrated care board", accord.OrgRegion: "an NHS region"}

// icbPage is GET /icbs/{code}. An ONS code, or a code in lower case, is
// redirected to the ODS code's page; a region's code to the region's page.
func (s *Server) icbPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	org, redirected, err := s.pageOrganisation(w, r, accord.OrgICB)
	if err != nil || redirected {
		return err
	}

	v := icbView{page: page{Title: org.Name, Section: "icbs"}, Org: org, TypeLabel: org.Type.Label()}
	v.Crumbs = []crumb{{"/", "Home"}}
	if org.ParentCode != "" {
		reg, err := s.store.FindOrganisation(ctx, org.ParentCode)
		if err != nil {
			return err
		}
		v.Region = &orgLink{Code: reg.Code, Name: reg.Name}
		v.Crumbs = append(v.Crumbs, crumb{"/regions/" + reg.Code, reg.Name})
	}
	for _, sp := range org.ONSCodes {
		if sp.ONSCode == org.ONSCode {
			v.CurrentSince = formatDate(sp.ValidFrom)
		} else {
			v.EarlierCodes = append(v.EarlierCodes, spellOf(sp))
		}
	}
	slices.SortFunc(v.EarlierCodes, func(a, b spell) int { return a.From.Compare(b.From.Time) })

	kids, err := s.children(ctx, org.Code, "")
	if err != nil {
		return err
	}
	names := map[string]string{org.Code: org.Name}
	codes := []string{org.Code}
	for _, k := range kids {
		switch k.Type {
		case accord.OrgPlace:
			v.Places = append(v.Places, k)
		case accord.OrgProvider:
			v.Trusts = append(v.Trusts, k)
		case accord.OrgSubICB:
			v.SubICBs = append(v.SubICBs, k)
		}
		names[k.Code] = k.Name
		codes = append(codes, k.Code)
	}

	if v.Held, v.Latest, err = s.dataHeld(ctx, org, codes, names); err != nil {
		return err
	}
	return s.render(w, "icb", &v)
}

// dataHeld summarises the observations held for codes (an ICB first, then
// its trusts and places), and the ICB's own latest value of each indicator.
func (s *Server) dataHeld(ctx context.Context, icb accord.Organisation, codes []string, names map[string]string) ([]heldRow, []latestRow, error) {
	sums, err := s.store.SummariseObservations(ctx, codes)
	if err != nil || len(sums) == 0 {
		return nil, nil, err
	}
	var ids []string
	for _, sm := range sums {
		if !slices.Contains(ids, sm.IndicatorID) {
			ids = append(ids, sm.IndicatorID)
		}
	}
	inds, _, err := s.store.FindIndicators(ctx, accord.IndicatorFilter{IDs: ids})
	if err != nil {
		return nil, nil, err
	}
	byID := make(map[string]accord.Indicator, len(inds))
	for _, ind := range inds {
		byID[ind.ID] = ind
	}
	held := make([]heldRow, 0, len(sums))
	for _, sm := range sums {
		name := byID[sm.IndicatorID].Name
		if name == "" {
			name = sm.IndicatorID
		}
		held = append(held, heldRow{
			IndicatorID: sm.IndicatorID, IndicatorName: name,
			OrgCode: sm.OrgCode, OrgName: cmp.Or(names[sm.OrgCode], sm.OrgCode),
			Count: sm.Count, First: sm.First, Last: sm.Last,
			SeriesURL: seriesPath(sm.OrgCode, sm.IndicatorID),
		})
	}
	// The ICB's own rows first, then its trusts and places by name.
	slices.SortFunc(held, func(a, b heldRow) int {
		return cmp.Or(
			cmp.Compare(boolRank(a.OrgCode != icb.Code), boolRank(b.OrgCode != icb.Code)),
			strings.Compare(a.OrgName, b.OrgName),
			strings.Compare(a.IndicatorName, b.IndicatorName),
		)
	})

	// One small query per indicator the ICB itself has data for.
	var latest []latestRow
	for _, h := range held {
		if h.OrgCode != icb.Code || h.Last.IsZero() {
			continue
		}
		obs, _, err := s.store.FindObservations(ctx, accord.ObservationFilter{
			IndicatorID: h.IndicatorID, OrgCodes: []string{icb.Code}, From: h.Last, To: h.Last, Limit: 1,
		})
		if err != nil {
			return nil, nil, err
		}
		if len(obs) == 0 {
			continue
		}
		latest = append(latest, latestRow{
			IndicatorID: h.IndicatorID, IndicatorName: h.IndicatorName, Period: obs[0].Period,
			Value: formatValue(obs[0].Value, byID[h.IndicatorID].Unit), Status: sentence(string(obs[0].Status)),
			SeriesURL: h.SeriesURL,
		})
	}
	return held, latest, nil
}

func boolRank(b bool) int {
	if b {
		return 1
	}
	return 0
}

type regionView struct {
	page
	Org  accord.Organisation
	ICBs []accord.Organisation
}

// regionPage is GET /regions/{code}: an NHS region and its ICBs.
func (s *Server) regionPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	org, redirected, err := s.pageOrganisation(w, r, accord.OrgRegion)
	if err != nil || redirected {
		return err
	}
	icbs, err := s.children(ctx, org.Code, accord.OrgICB)
	if err != nil {
		return err
	}
	v := regionView{page: page{Title: org.Name, Section: "icbs", Crumbs: []crumb{{"/", "Home"}}}, Org: org, ICBs: icbs}
	return s.render(w, "region", &v)
}
