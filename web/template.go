package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"math"
	"net/http"
	"path"
	"strconv"
	"strings"

	"github.com/nhs-accord/accord"
)

// templateFS holds the page templates: layout.html (the shared page frame
// and partials) and one file per page, each defining "content".
//
//go:embed templates
var templateFS embed.FS

// layoutFile is parsed into every page.
const layoutFile = "layout.html"

// pageTemplates are parsed once, at start.
type pageTemplates struct {
	byName map[string]*template.Template // "home" for templates/home.html
}

func parsePages(fsys fs.FS, static *staticFiles) (*pageTemplates, error) {
	funcs := template.FuncMap{
		"static":    static.url,
		"date":      formatDate,
		"number":    formatNumber,
		"count":     func(n int) string { return formatNumber(float64(n)) },
		"value":     formatValue,
		"tagColour": tagColour,
		"area":      areaLabel,
		"navItem":   func(href, text string, current bool) navItem { return navItem{href, text, current} },
		"dec":       func(n int) int { return n - 1 },
		"row":       func(key, value string) summaryRow { return summaryRow{key, value} },
		"filterSelect": func(id, label, any string, choices []formChoice) filterSelect {
			return filterSelect{ID: id, Label: label, Any: any, Choices: choices}
		},
		"table":    func(caption string, rows []priorityRow) priorityTable { return priorityTable{caption, rows} },
		"oversees": hasOversight,
		"paras":    paragraphs,
	}
	base, err := template.New(layoutFile).Funcs(funcs).ParseFS(fsys, "templates/"+layoutFile)
	if err != nil {
		return nil, fmt.Errorf("web: parsing %s: %w", layoutFile, err)
	}
	files, err := fs.Glob(fsys, "templates/*.html")
	if err != nil {
		return nil, err
	}
	pt := &pageTemplates{byName: make(map[string]*template.Template)}
	for _, f := range files {
		name := strings.TrimSuffix(path.Base(f), ".html")
		if path.Base(f) == layoutFile {
			continue
		}
		t, err := template.Must(base.Clone()).ParseFS(fsys, f)
		if err != nil {
			return nil, fmt.Errorf("web: parsing %s: %w", f, err)
		}
		if t.Lookup("content") == nil {
			return nil, fmt.Errorf("web: %s defines no \"content\" template", f)
		}
		pt.byName[name] = t
	}
	for _, name := range []string{"home", "icb", "region", "indicators", "indicator", "priorities", "series", "imports", "import", "error", "signin", "area", "partners", "national", "targets", "target", "target_form", "target_trajectory",
		"practice_notes", "practice_note", "practice_form", "practice_improvers",
		"peerreviews", "peerreview", "peerreview_scope", "peerreview_finding", "peerreview_action", "peerreview_pack"} {
		if pt.byName[name] == nil {
			return nil, fmt.Errorf("web: template %s.html is missing", name)
		}
	}
	return pt, nil
}

// execute renders a page into memory, so that a failure part way through
// becomes a clean error page rather than half a page.
func (pt *pageTemplates) execute(name string, data any) ([]byte, error) {
	t, ok := pt.byName[name]
	if !ok {
		return nil, fmt.Errorf("web: no page template %q", name)
	}
	var b bytes.Buffer
	if err := t.ExecuteTemplate(&b, "layout", data); err != nil {
		return nil, fmt.Errorf("web: rendering %s: %w", name, err)
	}
	return b.Bytes(), nil
}

// page is what every page shows around its content.
type page struct {
	Title   string // the h1, and the first part of <title>
	Crumbs  []crumb
	Section string // the header navigation item to mark current: "icbs", "indicators", "priorities", "imports"
	Version string
	Viewer  viewer // who is signed in; render fills it (session.go)
}

// navItem is one link in the header navigation.
type navItem struct {
	Href, Text string
	Current    bool
}

// filterSelect is one select of a list page's filter form (the
// "filterSelect" partial in layout.html).
type filterSelect struct {
	ID, Label, Any string // Any is the empty option that keeps every row
	Choices        []formChoice
}

// summaryRow is one row of an NHS.UK summary list.
type summaryRow struct{ Key, Value string }

// priorityTable is a captioned table of national priorities.
type priorityTable struct {
	Caption string
	Rows    []priorityRow
}

// crumb is one breadcrumb link.
type crumb struct{ Href, Text string }

func (p *page) base() *page { return p }

// view is any page's typed view, which embeds page.
type view interface{ base() *page }

// pageHandler adapts a page handler that returns its error, so that every
// error reaches writePageError.
func (s *Server) pageHandler(h func(w http.ResponseWriter, r *http.Request) error) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.writePageError(w, r, err)
		}
	})
}

// render writes the named page with a 200.
func (s *Server) render(w http.ResponseWriter, name string, v view) error {
	v.base().Version = s.version
	v.base().Viewer = viewerOf(authFromWriter(w))
	body, err := s.pages.execute(name, v)
	if err != nil {
		return err
	}
	writeBody(w, http.StatusOK, "text/html; charset=utf-8", body)
	return nil
}

// formatDate writes a date as the NHS style guide does: 31 March 2026.
func formatDate(d accord.Date) string {
	if d.IsZero() {
		return ""
	}
	return d.Format("2 January 2006")
}

// formatNumber rounds to 2 decimal places at most and groups thousands:
// 1234567 as 1,234,567 and 74.567 as 74.57.
func formatNumber(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	s := strconv.FormatFloat(math.Round(v*100)/100, 'f', -1, 64)
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	whole, frac, hasFrac := strings.Cut(s, ".")
	var b strings.Builder
	for i, c := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if hasFrac {
		b.WriteString("." + frac)
	}
	if b.String() == "0" {
		sign = ""
	}
	return sign + b.String()
}

// formatValue writes a value with its unit: 74.5%, 12 per 1,000.
func formatValue(v float64, u accord.Unit) string { return formatNumber(v) + u.Symbol() }

// unitLabel names an indicator's unit in a table.
func unitLabel(u accord.Unit) string {
	switch u {
	case accord.UnitPercent:
		return "Percentage"
	case accord.UnitPer1000:
		return "Rate per 1,000"
	case accord.UnitPer100k:
		return "Rate per 100,000"
	case accord.UnitPoints:
		return "Percentage points"
	}
	return sentence(string(u))
}

// frequencyLabel names how often a source publishes.
func frequencyLabel(f accord.Frequency) string {
	if f == accord.Rolling3 {
		return "Rolling 3 years"
	}
	return sentence(string(f))
}

// areaLabels name the areas of care used by indicators and priorities;
// others are written out from their identifier.
var areaLabels = map[string]string{
	"urgent_emergency_care": "Urgent and emergency care",
	"elective":              "Elective care",
	"mental_health":         "Mental health",
	"primary_care":          "Primary care",
	"population_health":     "Population health",
	"community":             "Community health services",
}

func areaLabel(area string) string {
	if l, ok := areaLabels[area]; ok {
		return l
	}
	if area == "" {
		return "Other"
	}
	return sentence(area)
}

// sentence turns an identifier such as rolling_3_year into "Rolling 3 year".
func sentence(id string) string {
	s := strings.ReplaceAll(id, "_", " ")
	if s == "" {
		return ""
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// tagColour picks an NHS.UK tag colour for an indicator tag, so kinds and
// focuses are told apart at a glance (the text says the same).
func tagColour(t accord.Tag) string {
	switch t {
	case accord.TagOutcome:
		return "blue"
	case accord.TagProcess:
		return "grey"
	case accord.TagAcute:
		return "red"
	case accord.TagPreventative:
		return "green"
	case accord.TagInequality:
		return "purple"
	}
	return "white"
}
