package importer

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/nhs-accord/accord"
)

// Parse is what a format's parser works with: the rows, the organisation
// map, and the places to put problems, skipped rows and observations.
type Parse struct {
	Ctx     context.Context
	File    string // the name used in messages
	Rows    Rows
	Orgs    *OrgIndex
	Format  *Format
	Dataset string        // starts as Format.Dataset; set it before the first Emit to refine
	Status  accord.Status // for emitted observations that do not set one; Final by default
	Source  string        // provenance text for emitted observations

	// sink receives each observation: the store's import writer, or a slice
	// when a file is only read (Read).
	sink     func(o accord.Observation, ref string) error
	define   func(ind accord.Indicator) error
	fatal    error
	problems Problems
	dropped  int // problems beyond the ones kept
	skipped  map[string]*accord.SkipCount
	skipOrd  []string
	rows     atomic.Int64
	emitted  int
	touched  map[string]bool // indicators given observations, for recomputing assessments
}

// maxKeptProblems bounds memory for a file that is wrong on every line.
const maxKeptProblems = 1000

// Problem records a fault at line and column (0 for the whole row).
func (p *Parse) Problem(line, col int, format string, args ...any) {
	if len(p.problems) >= maxKeptProblems {
		p.dropped++
		return
	}
	p.problems = append(p.problems, Problem{File: p.File, Line: line, Column: col, Message: fmt.Sprintf(format, args...)})
}

// Failed reports whether any problem has been recorded.
func (p *Parse) Failed() bool { return len(p.problems) > 0 || p.fatal != nil }

// Row counts one data row read; parsers call it for each row.
func (p *Parse) Row() { p.rows.Add(1) }

// Skip counts a row left out on purpose, keeping the first example.
func (p *Parse) Skip(reason, example string) {
	s, ok := p.skipped[reason]
	if !ok {
		s = &accord.SkipCount{Reason: reason, Example: example}
		p.skipped[reason] = s
		p.skipOrd = append(p.skipOrd, reason)
	}
	s.Count++
}

// Emit hands one observation to the store, naming line in any message.
func (p *Parse) Emit(o accord.Observation, line int) {
	if p.fatal != nil {
		return
	}
	if o.Status == "" {
		o.Status = p.Status
	}
	if o.Source == "" {
		o.Source = p.Source
	}
	if err := p.sink(o, fmt.Sprintf("%s:%d", p.File, line)); err != nil {
		if accord.ErrorCode(err) != accord.EINVALID {
			p.fatal = err
			return
		}
		if len(p.problems) >= maxKeptProblems {
			p.dropped++
			return
		}
		// The store's message already starts with FILE:LINE.
		p.problems = append(p.problems, Problem{Message: accord.ErrorMessage(err)})
		return
	}
	p.emitted++
	p.touched[o.IndicatorID] = true
}

// DefineIndicator adds an indicator to the catalogue in the import's own
// transaction, for publications that carry their own metadata (Fingertips).
// An indicator already in the catalogue is left as it is.
func (p *Parse) DefineIndicator(ind accord.Indicator) {
	if p.fatal != nil {
		return
	}
	if err := ind.Validate(); err != nil {
		p.fatal = fmt.Errorf("%s: defining indicator: %w", p.File, err)
		return
	}
	if err := p.define(ind); err != nil {
		p.fatal = err
	}
}

// Options control one import.
type Options struct {
	Format     string // "" detects it from the header
	DryRun     bool
	ImportedBy string
	// PublishedOn is the day the publisher released the file, when the
	// caller knows it: files rarely say, and public pages date figures by it.
	PublishedOn accord.Date
	Progress    io.Writer // where to draw progress; nil for none
	Size        int64     // the file's size in bytes when known, for time left
}

// Summary says what an import did, or for a dry run would do.
type Summary struct {
	Import          accord.Import
	Format          *Format
	DryRun          bool
	AlreadyImported bool     // the same bytes were imported before: nothing changed
	Indicators      []string // the indicators the import wrote, sorted
}

// ParsePublishedOn reads a publication date given with an import
// (YYYY-MM-DD, or empty for unknown) and refuses a day after today, which
// can only be a slip: nothing is published before it is released. The
// message names no field, so each caller can name its own flag or field.
func ParsePublishedOn(s string, now time.Time) (accord.Date, error) {
	d, err := accord.ParseDate(strings.TrimSpace(s))
	if err != nil {
		return accord.Date{}, accord.Errorf(accord.EINVALID, "%q is not a date: write it as YYYY-MM-DD, e.g. 2025-01-09", s)
	}
	if err := checkPublishedOn(d, now); err != nil {
		return accord.Date{}, err
	}
	return d, nil
}

// checkPublishedOn refuses a day after today in UTC, the day the importer
// runs in; the zero Date, unknown, passes. Import calls it too, so a caller
// that builds Options itself cannot record a future date either.
func checkPublishedOn(d accord.Date, now time.Time) error {
	today := now.UTC().Format(time.DateOnly)
	if !d.IsZero() && d.String() > today {
		return accord.Errorf(accord.EINVALID, "%s is in the future (today is %s): give the day the file was published", d, today)
	}
	return nil
}

// Import reads one file (CSV, gzipped CSV or XLSX), checks every row and
// writes its observations in one transaction, or nothing. name is the file
// name used in messages and recorded with the import.
func Import(ctx context.Context, st accord.Store, orgs *OrgIndex, name string, r io.Reader, opt Options) (Summary, error) {
	var sum Summary
	sum.DryRun = opt.DryRun
	if err := checkPublishedOn(opt.PublishedOn, time.Now()); err != nil {
		return sum, accord.Errorf(accord.EINVALID, "%s: published on %s", name, accord.ErrorMessage(err))
	}
	rs, ok := r.(io.ReadSeeker)
	if !ok {
		// The hash must be known before anything is written, so a stream
		// that cannot be read twice is spooled to a temporary file first.
		tmp, err := os.CreateTemp("", "accord-import-*")
		if err != nil {
			return sum, err
		}
		defer os.Remove(tmp.Name())
		defer tmp.Close()
		if _, err := io.Copy(tmp, r); err != nil {
			return sum, accord.Errorf(accord.EINVALID, "%s: cannot read: %v", name, err)
		}
		rs = tmp
	}
	// Hash first, so a file already imported is recognised without parsing it.
	h := sha256.New()
	if _, err := rs.Seek(0, io.SeekStart); err != nil {
		return sum, fmt.Errorf("%s: %w", name, err)
	}
	if _, err := io.Copy(h, rs); err != nil {
		return sum, accord.Errorf(accord.EINVALID, "%s: cannot read: %v", name, err)
	}
	if _, err := rs.Seek(0, io.SeekStart); err != nil {
		return sum, fmt.Errorf("%s: %w", name, err)
	}
	sha := hex.EncodeToString(h.Sum(nil))
	if prev, err := st.FindImportByHash(ctx, sha); err == nil {
		sum.Import, sum.AlreadyImported = prev, true
		return sum, nil
	} else if accord.ErrorCode(err) != accord.ENOTFOUND {
		return sum, err
	}
	r = rs

	counter := &countingReader{r: r}
	var rowsRead atomic.Pointer[atomic.Int64]
	if opt.Progress != nil {
		stop := startProgress(opt.Progress, name, counter, opt.Size, func() int64 {
			if n := rowsRead.Load(); n != nil {
				return n.Load()
			}
			return 0
		})
		defer stop()
	}
	var w accord.ImportWriter
	abort := func() {
		if w != nil {
			w.Abort()
		}
	}
	base := accord.Import{SHA256: sha, ImportedBy: opt.ImportedBy, FileName: filepath.Base(name), PublishedOn: opt.PublishedOn}
	connect := func(p *Parse) {
		// The writer is begun at the first observation or indicator, so the
		// parser can refine the dataset from what it has read.
		begin := func() error {
			if w != nil {
				return nil
			}
			imp := base
			imp.Format, imp.Publisher, imp.Dataset = p.Format.Name, p.Format.Publisher, p.Dataset
			var err error
			w, err = st.BeginImport(ctx, imp)
			return err
		}
		// A failure to begin ends the parse: it is about the import, not a row.
		p.sink = func(o accord.Observation, ref string) error {
			if err := begin(); err != nil {
				p.fatal = err
				return nil
			}
			return w.Add(ctx, o, ref)
		}
		p.define = func(ind accord.Indicator) error {
			if err := begin(); err != nil {
				p.fatal = err
				return nil
			}
			return w.AddIndicator(ctx, ind)
		}
		rowsRead.Store(&p.rows)
	}
	p, err := parse(ctx, name, counter, orgs, opt.Format, connect)
	if p != nil {
		sum.Format = p.Format
	}
	if err != nil {
		abort()
		return sum, err
	}
	imp, err := w.Finish(ctx, int(p.rows.Load()), p.skippedCounts(), !opt.DryRun)
	sum.Import = imp
	for id := range p.touched {
		sum.Indicators = append(sum.Indicators, id)
	}
	slices.Sort(sum.Indicators)
	if err != nil {
		return sum, err
	}
	return sum, nil
}

// parse opens the rows, chooses the format and runs its parser, sending
// observations to sink. It returns the problems found, in line order.
// connect sets where the parse sends what it finds (sink and define).
func parse(ctx context.Context, name string, r io.Reader, orgs *OrgIndex, format string, connect func(*Parse)) (*Parse, error) {
	rows, err := openRows(r, name)
	if err != nil {
		return nil, err
	}
	f, err := choose(name, format, rows.Header())
	if err != nil {
		return nil, err
	}
	p := &Parse{
		Ctx: ctx, File: name, Rows: rows, Orgs: orgs, Format: f, Dataset: f.Dataset, Status: accord.Final,
		Source:  f.Publisher + ": " + f.Layout + ", " + filepath.Base(name),
		skipped: map[string]*accord.SkipCount{}, touched: map[string]bool{},
	}
	connect(p)
	if err := f.Parse(p); err != nil {
		var ps Problems
		if !errors.As(err, &ps) {
			return p, err
		}
		p.problems = append(p.problems, ps...)
	}
	if p.fatal != nil {
		return p, p.fatal
	}
	if len(p.problems) > 0 {
		slices.SortStableFunc(p.problems, func(a, b Problem) int { return problemLine(a) - problemLine(b) })
		all := p.problems
		for range p.dropped {
			all = append(all, Problem{}) // counted, not shown
		}
		return p, all
	}
	if p.emitted == 0 {
		return p, Problems{{File: name, Line: 2, Message: "no observations: the file has no rows Accord can use"}}
	}
	return p, nil
}

// Result is what Read found in a file.
type Result struct {
	Format       *Format
	Dataset      string
	Indicators   []accord.Indicator // defined by the file (Fingertips metadata)
	Observations []accord.Observation
	Refs         []string // FILE:LINE of each observation
	Rows         int
	Skipped      []accord.SkipCount
}

// Read parses a file without a store: every row checked, every observation
// returned. Imports use the same parsers through Import; Read serves tests,
// fuzzing and previews.
func Read(ctx context.Context, name string, r io.Reader, orgs *OrgIndex, format string) (Result, error) {
	var res Result
	p, err := parse(ctx, name, r, orgs, format, func(p *Parse) {
		p.sink = func(o accord.Observation, ref string) error {
			res.Observations = append(res.Observations, o)
			res.Refs = append(res.Refs, ref)
			return nil
		}
		p.define = func(ind accord.Indicator) error {
			res.Indicators = append(res.Indicators, ind)
			return nil
		}
	})
	if p != nil {
		res.Format, res.Dataset, res.Rows = p.Format, p.Dataset, int(p.rows.Load())
		res.Skipped = p.skippedCounts()
	}
	return res, err
}

func (p *Parse) skippedCounts() []accord.SkipCount {
	out := make([]accord.SkipCount, 0, len(p.skipOrd))
	for _, k := range p.skipOrd {
		out = append(out, *p.skipped[k])
	}
	return out
}

// problemLine orders problems by where they are; store messages carry
// their place in the text ("FILE:LINE: …").
func problemLine(p Problem) int {
	if p.Line > 0 || p.Message == "" {
		return p.Line
	}
	_, rest, ok := strings.Cut(p.Message, ":")
	if !ok {
		return 0
	}
	n := 0
	for _, c := range rest {
		if c < '0' || c > '9' {
			break
		}
		n = n*10 + int(c-'0')
	}
	return n
}

// openRows recognises gzip and XLSX by their first bytes and returns the
// file's rows.
func openRows(r io.Reader, name string) (Rows, error) {
	br := bufio.NewReaderSize(r, 1<<16)
	magic, _ := br.Peek(4)
	switch {
	case bytes.HasPrefix(magic, []byte{0x1f, 0x8b}):
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, Problems{{File: name, Line: 1, Message: "looks gzipped but cannot be read: " + err.Error()}}
		}
		return openRows(zr, name)
	case bytes.HasPrefix(magic, []byte("PK\x03\x04")):
		if openXLSX == nil {
			return nil, Problems{{File: name, Line: 1, Message: "XLSX files are not supported"}}
		}
		return openXLSX(br, name)
	}
	return newCSVRows(br, name)
}

// openXLSX reads the first sheet of a workbook as rows; set by xlsx.go.
var openXLSX func(r io.Reader, name string) (Rows, error)

type countingReader struct {
	r io.Reader
	n atomic.Int64
}

func (c *countingReader) Read(b []byte) (int, error) {
	n, err := c.r.Read(b)
	c.n.Add(int64(n))
	return n, err
}

// startProgress redraws one line on w twice a second — bytes read, rows per
// second and time left — until stop is called.
func startProgress(w io.Writer, name string, c *countingReader, size int64, rows func() int64) (stop func()) {
	done := make(chan struct{})
	finished := make(chan struct{})
	start := time.Now()
	draw := func(final bool) {
		elapsed := time.Since(start).Seconds()
		read, n := c.n.Load(), rows()
		line := fmt.Sprintf("%s: %s read, %d rows", filepath.Base(name), megabytes(read), n)
		if elapsed > 0 {
			line += fmt.Sprintf(" (%.0f rows/s)", float64(n)/elapsed)
		}
		if size > 0 && read > 0 && !final {
			left := time.Duration(elapsed * float64(size-read) / float64(read) * float64(time.Second))
			line += fmt.Sprintf(", %s of %s, about %s left", percent(read, size), megabytes(size), left.Round(time.Second))
		}
		fmt.Fprintf(w, "\r\033[K%s", line)
		if final {
			fmt.Fprintln(w)
		}
	}
	go func() {
		defer close(finished)
		t := time.NewTicker(500 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				draw(true)
				return
			case <-t.C:
				draw(false)
			}
		}
	}()
	return func() {
		close(done)
		<-finished
	}
}

func megabytes(n int64) string { return fmt.Sprintf("%.1f MB", float64(n)/1e6) }

func percent(a, b int64) string { return fmt.Sprintf("%.0f%%", 100*float64(a)/float64(b)) }
