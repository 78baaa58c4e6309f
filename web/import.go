package web

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/nhs-accord/accord"
	"github.com/nhs-accord/accord/assess"
	"github.com/nhs-accord/accord/importer"
)

// maxUpload bounds an uploaded file. Larger national files are imported
// from the command line, which streams them from disk.
const maxUpload = 512 << 20

// importStatusNames are the import statuses a client may filter by.
var importStatusNames = []string{string(accord.ImportApplied), string(accord.ImportRolledBack)}

// importResult is the answer to POST /api/v1/imports.
type importResult struct {
	Import          accord.Import `json:"import"`
	Format          string        `json:"format"`
	Layout          string        `json:"layout"`
	DryRun          bool          `json:"dry_run"`
	AlreadyImported bool          `json:"already_imported"`
}

// apiCreateImport is POST /api/v1/imports: a multipart form with the file
// in "file", and optional "format", "dry_run" and "published_on" (the day
// the file was published, YYYY-MM-DD). It runs the same importer
// as `accord import`: all or nothing, idempotent by content hash. The
// answer is 201 with the import, 200 for a dry run or a file already
// imported, or 400 listing the problems as FILE:LINE:COLUMN.
func (s *Server) apiCreateImport(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	by, err := accord.AuthorizeImport(s.currentUser(r))
	if err != nil {
		return err
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxUpload)
	if err := r.ParseMultipartForm(32 << 20); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return accord.Errorf(accord.EINVALID, "The file is larger than %d MB: import it with `accord import` instead.", maxUpload>>20)
		}
		return &accord.Error{Code: accord.EINVALID, Message: "Send the file as multipart/form-data in a field named file.",
			Fields: []accord.FieldError{{Field: "file", Message: err.Error()}}}
	}
	defer r.MultipartForm.RemoveAll()
	var p accord.Problems
	file, hdr, err := r.FormFile("file")
	if err != nil {
		p.Add("file", "is required: the statistics file to import")
	} else {
		defer file.Close()
	}
	format := r.FormValue("format")
	if format != "" && !slices.Contains(importer.FormatNames(), format) {
		p.Add("format", "%q is not one of %v", format, importer.FormatNames())
	}
	dryRun := false
	if v := r.FormValue("dry_run"); v != "" {
		if dryRun, err = strconv.ParseBool(v); err != nil {
			p.Add("dry_run", "%q must be true or false", v)
		}
	}
	published, err := importer.ParsePublishedOn(r.FormValue("published_on"), time.Now())
	if err != nil {
		p.Add("published_on", "%s", accord.ErrorMessage(err))
	}
	if err := p.Err("The import request is not valid"); err != nil {
		return err
	}
	orgs, err := importer.LoadOrgIndex(ctx, s.store)
	if err != nil {
		return err
	}
	name := cmp.Or(hdr.Filename, "upload")
	sum, err := importer.Import(ctx, s.store, orgs, name, file, importer.Options{Format: format, DryRun: dryRun, ImportedBy: by.Email, Size: hdr.Size, PublishedOn: published})
	if err != nil {
		return err
	}
	if !dryRun && !sum.AlreadyImported {
		if _, err := assess.Recompute(ctx, s.store, sum.Indicators, time.Now().UTC()); err != nil {
			return err
		}
	}
	res := importResult{Import: sum.Import, DryRun: dryRun, AlreadyImported: sum.AlreadyImported}
	if sum.Format != nil {
		res.Format, res.Layout = sum.Format.Name, sum.Format.Layout
	} else if f := formatOf(sum.Import.Format); f != nil {
		res.Format, res.Layout = f.Name, f.Layout
	}
	status := http.StatusCreated
	switch {
	case sum.AlreadyImported:
		status = http.StatusOK
	case dryRun:
		// What would have been written; the number the import took was
		// given back with its transaction, so it names nothing.
		res.Import.ID = 0
		status = http.StatusOK
	default:
		w.Header().Set("Location", fmt.Sprintf("/api/v1/imports/%d", res.Import.ID))
	}
	return writeJSON(w, status, res)
}

// formatOf is the importer's format named name, or nil.
func formatOf(name string) *importer.Format {
	for _, f := range importer.Formats() {
		if f.Name == name {
			return f
		}
	}
	return nil
}

// apiImports is GET /api/v1/imports?format=&status=: the imports, newest
// first.
func (s *Server) apiImports(w http.ResponseWriter, r *http.Request) error {
	q := readQuery(r, "format", "status", "limit", "offset")
	f := accord.ImportFilter{
		Format: q.oneOf("format", importer.FormatNames()),
		Status: accord.ImportStatus(q.oneOf("status", importStatusNames)),
	}
	pg := q.page()
	if err := q.err(); err != nil {
		return err
	}
	f.Offset, f.Limit = pg.Offset, pg.storeLimit()
	items, total, err := s.store.FindImports(r.Context(), f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, newList(items, total, pg))
}

// apiImport is GET /api/v1/imports/{id}.
func (s *Server) apiImport(w http.ResponseWriter, r *http.Request) error {
	if err := readQuery(r).err(); err != nil {
		return err
	}
	imp, err := s.findImport(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, imp)
}

// findImport finds an import by the number in a path.
func (s *Server) findImport(ctx context.Context, number string) (accord.Import, error) {
	id, err := strconv.ParseInt(number, 10, 64)
	if err != nil || id <= 0 {
		return accord.Import{}, accord.Errorf(accord.ENOTFOUND, "No import has the number %q.", number)
	}
	return s.store.FindImport(ctx, id)
}

// --- Pages ---

// importsPerPage is how many imports one page of the list shows.
const importsPerPage = 50

// importRow is an import as the pages show it.
type importRow struct {
	ID                      int64
	FileName, Format        string
	Periods                 string
	Added, Replaced, Skips  int
	Skipped                 []accord.SkipCount
	ImportedBy, ImportedAt  string
	PublishedOn             string // "Not recorded" when unknown
	Status, StatusColour    string
	RowsRead                int
	Publisher, Dataset, SHA string
}

func importRowOf(imp accord.Import) importRow {
	row := importRow{
		ID: imp.ID, FileName: imp.FileName, Format: imp.Format, Added: imp.Added, Replaced: imp.Replaced,
		Skipped: imp.Skipped, ImportedBy: imp.ImportedBy, ImportedAt: formatTime(imp.ImportedAt),
		RowsRead: imp.RowsRead, Publisher: imp.Publisher, Dataset: imp.Dataset, SHA: imp.SHA256,
		Periods: periodRange(imp.First, imp.Last), PublishedOn: cmp.Or(formatDate(imp.PublishedOn), "Not recorded"),
	}
	if f := formatOf(imp.Format); f != nil {
		row.Format = sentence(f.Layout)
	}
	for _, sk := range imp.Skipped {
		row.Skips += sk.Count
	}
	switch imp.Status {
	case accord.ImportApplied:
		row.Status, row.StatusColour = "Applied", "green"
	case accord.ImportRolledBack:
		row.Status, row.StatusColour = "Rolled back", "grey"
	default:
		row.Status, row.StatusColour = sentence(string(imp.Status)), "white"
	}
	return row
}

// periodRange is "2025-04 to 2025-06", one period, or "None".
func periodRange(first, last accord.Period) string {
	switch {
	case first.IsZero() && last.IsZero():
		return "None"
	case first == last || last.IsZero():
		return first.String()
	case first.IsZero():
		return last.String()
	}
	return first.String() + " to " + last.String()
}

// formatTime writes a moment as the NHS style guide does, in UTC, which is
// how it is stored: 22 November 2025 at 2:05pm UTC.
func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2 January 2006 at 3:04pm") + " UTC"
}

// pager is the previous and next links of a paged list.
type pager struct {
	Page, Pages    int
	Previous, Next string
}

type importsView struct {
	page
	Imports []importRow
	Total   int
	Pager   pager
}

// importsPage is GET /imports: every import, newest first, 50 a page
// (?page=2).
func (s *Server) importsPage(w http.ResponseWriter, r *http.Request) error {
	q := readPageQuery(r)
	n := 1
	if v := q.one("page"); v != "" {
		if p, ok := wholeNumber(v); ok && p >= 1 {
			n = p
		} else {
			q.problems.Add("page", "%q must be a whole number, 1 or more", v)
		}
	}
	if err := q.problems.Err("The web address is not valid"); err != nil {
		return err
	}
	imps, total, err := s.store.FindImports(r.Context(), accord.ImportFilter{Offset: (n - 1) * importsPerPage, Limit: importsPerPage})
	if err != nil {
		return err
	}
	pages := max(1, (total+importsPerPage-1)/importsPerPage)
	if n > pages {
		return accord.Errorf(accord.ENOTFOUND, "There are %d pages of imports, not %d.", pages, n)
	}
	v := importsView{
		page:  page{Title: "Imports", Section: "imports", Crumbs: []crumb{{"/", "Home"}}},
		Total: total,
		Pager: pager{Page: n, Pages: pages},
	}
	if n > 1 {
		v.Pager.Previous = fmt.Sprintf("/imports?page=%d", n-1)
	}
	if n < pages {
		v.Pager.Next = fmt.Sprintf("/imports?page=%d", n+1)
	}
	for _, imp := range imps {
		v.Imports = append(v.Imports, importRowOf(imp))
	}
	return s.render(w, "imports", &v)
}

// importedRow is one observation an import wrote.
type importedRow struct {
	OrgCode, OrgName           string
	IndicatorID, IndicatorName string
	Period                     accord.Period
	Breakdown                  string
	Value                      string
	Status, StatusColour       string
	SeriesURL                  string
}

type importView struct {
	page
	Imp          importRow
	Observations []importedRow
	Count        int // observations it holds now
}

// importShown is how many of an import's observations its page lists.
const importShown = 100

// importPage is GET /imports/{id}: the import's record, the rows it left
// out and why, and the first observations it wrote.
func (s *Server) importPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	imp, err := s.findImport(ctx, r.PathValue("id"))
	if err != nil {
		return err
	}
	obs, count, err := s.store.FindObservations(ctx, accord.ObservationFilter{ImportID: imp.ID, AnyBreakdown: true, Limit: importShown})
	if err != nil {
		return err
	}
	v := importView{
		page:  page{Title: fmt.Sprintf("Import #%d", imp.ID), Section: "imports", Crumbs: []crumb{{"/", "Home"}, {"/imports", "Imports"}}},
		Imp:   importRowOf(imp),
		Count: count,
	}
	orgNames, indNames, err := s.names(ctx, obs)
	if err != nil {
		return err
	}
	for _, o := range obs {
		ind := indNames[o.IndicatorID]
		row := importedRow{
			OrgCode: o.OrgCode, OrgName: orgNames[o.OrgCode], IndicatorID: o.IndicatorID, IndicatorName: ind.Name,
			Period: o.Period, Breakdown: o.Breakdown.String(), Value: formatValue(o.Value, ind.Unit),
			SeriesURL: seriesURL(o.OrgCode, o.IndicatorID, o.Breakdown, nil),
		}
		if row.OrgName == "" {
			row.OrgName = o.OrgCode
		}
		if row.IndicatorName == "" {
			row.IndicatorName = o.IndicatorID
		}
		row.Status, row.StatusColour = statusTag(o.Status)
		v.Observations = append(v.Observations, row)
	}
	return s.render(w, "import", &v)
}

// names looks up the organisations and indicators observations name.
func (s *Server) names(ctx context.Context, obs []accord.Observation) (map[string]string, map[string]accord.Indicator, error) {
	var codes, ids []string
	for _, o := range obs {
		if !slices.Contains(codes, o.OrgCode) {
			codes = append(codes, o.OrgCode)
		}
		if !slices.Contains(ids, o.IndicatorID) {
			ids = append(ids, o.IndicatorID)
		}
	}
	orgNames := map[string]string{}
	inds := map[string]accord.Indicator{}
	if len(obs) == 0 {
		return orgNames, inds, nil
	}
	orgs, _, err := s.store.FindOrganisations(ctx, accord.OrganisationFilter{Codes: codes})
	if err != nil {
		return nil, nil, err
	}
	for _, o := range orgs {
		orgNames[o.Code] = o.Name
	}
	found, _, err := s.store.FindIndicators(ctx, accord.IndicatorFilter{IDs: ids})
	if err != nil {
		return nil, nil, err
	}
	for _, ind := range found {
		inds[ind.ID] = ind
	}
	return orgNames, inds, nil
}
