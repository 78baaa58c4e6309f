// Package importer turns published and locally returned statistics files into
// observations, checking every row and reporting problems as
// FILE:LINE:COLUMN: message, and writes each file all or nothing.
package importer

import (
	"bufio"
	"bytes"
	"cmp"
	"compress/gzip"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/nhs-accord/accord"
)

// MaxReported caps how many row problems an error lists; the rest are
// counted, so a file with a systematic fault still gives a readable message.
const MaxReported = 20

// Problem is one fault at a place in a file.
type Problem struct {
	File    string
	Line    int
	Column  int // 0 when the fault is the whole row
	Message string
}

func (p Problem) String() string {
	if p.Column > 0 {
		return fmt.Sprintf("%s:%d:%d: %s", p.File, p.Line, p.Column, p.Message)
	}
	return fmt.Sprintf("%s:%d: %s", p.File, p.Line, p.Message)
}

// Problems is the list of faults found in a file. As an error it is an
// accord EINVALID error whose message lists up to MaxReported of them.
type Problems []Problem

func (ps Problems) Error() string { return ps.asError().Error() }

func (ps Problems) asError() *accord.Error {
	var b strings.Builder
	for i, p := range ps {
		if i == MaxReported {
			fmt.Fprintf(&b, "\n… and %d more problems", len(ps)-MaxReported)
			break
		}
		if i > 0 {
			b.WriteString("\n")
		}
		b.WriteString(p.String())
	}
	return &accord.Error{Code: accord.EINVALID, Message: b.String()}
}

// Unwrap lets accord.ErrorCode see the EINVALID code.
func (ps Problems) Unwrap() error { return ps.asError() }

// Record is one observation with the line it came from.
type Record struct {
	Line int
	Obs  accord.Observation
}

// LongColumns are the columns of the long format, the template a partner
// uses for a local return. breakdown and status are optional.
var LongColumns = []string{"organisation_code", "indicator", "period", "numerator", "denominator", "value", "breakdown", "status"}

var longRequired = map[string]bool{"organisation_code": true, "indicator": true, "period": true, "value": true}

// Decompress returns r itself, or a gzip reader when the content starts with
// the gzip magic number, so FILE.csv.gz imports like FILE.csv.
func Decompress(r io.Reader) (io.Reader, error) {
	br := bufio.NewReader(r)
	magic, _ := br.Peek(2)
	if bytes.Equal(magic, []byte{0x1f, 0x8b}) {
		return gzip.NewReader(br)
	}
	return br, nil
}

// ParseLong reads a long-format CSV. It checks the header and each row's
// syntax (periods, numbers, breakdowns); whether the codes exist is checked
// against the store by Check. With row problems it still returns the rows
// that did parse, so the caller can check those too and report every fault
// in one pass.
func ParseLong(r io.Reader, file string) ([]Record, error) {
	cr := csv.NewReader(r)
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err == io.EOF {
		return nil, Problems{{File: file, Line: 1, Message: "the file is empty: expected a header row with " + strings.Join(LongColumns, ",")}}
	}
	if err != nil {
		return nil, Problems{csvProblem(file, err)}
	}
	col := map[string]int{}
	var probs Problems
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		known := false
		for _, c := range LongColumns {
			known = known || c == h
		}
		if !known {
			probs = append(probs, Problem{File: file, Line: 1, Column: i + 1, Message: fmt.Sprintf("unexpected column %q: expected %s", h, strings.Join(LongColumns, ", "))})
			continue
		}
		if _, dup := col[h]; dup {
			probs = append(probs, Problem{File: file, Line: 1, Column: i + 1, Message: fmt.Sprintf("column %q appears twice", h)})
		}
		col[h] = i
	}
	for _, c := range LongColumns {
		if _, ok := col[c]; !ok && longRequired[c] {
			probs = append(probs, Problem{File: file, Line: 1, Message: fmt.Sprintf("missing column %q", c)})
		}
	}
	if len(probs) > 0 {
		return nil, probs
	}
	var recs []Record
	for {
		row, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			probs = append(probs, csvProblem(file, err))
			if len(probs) > 10*MaxReported {
				break
			}
			continue
		}
		line, _ := cr.FieldPos(0)
		get := func(name string) (string, int) {
			i, ok := col[name]
			if !ok {
				return "", 0
			}
			return strings.TrimSpace(row[i]), i + 1
		}
		bad := func(c int, format string, args ...any) {
			probs = append(probs, Problem{File: file, Line: line, Column: c, Message: fmt.Sprintf(format, args...)})
		}
		before := len(probs)
		var o accord.Observation
		var c int
		o.OrgCode, c = get("organisation_code")
		if o.OrgCode == "" {
			bad(c, "organisation_code is empty")
		}
		o.IndicatorID, c = get("indicator")
		if o.IndicatorID == "" {
			bad(c, "indicator is empty")
		}
		s, c := get("period")
		if o.Period, err = accord.ParsePeriod(s); err != nil {
			bad(c, "%s", accord.ErrorMessage(err))
		}
		s, c = get("value")
		if v, err := strconv.ParseFloat(s, 64); err != nil {
			bad(c, "value %q is not a number", s)
		} else {
			o.Value = v
		}
		for _, name := range []string{"numerator", "denominator"} {
			s, c := get(name)
			if s == "" {
				continue
			}
			v, err := strconv.ParseFloat(s, 64)
			if err != nil {
				bad(c, "%s %q is not a number", name, s)
				continue
			}
			if name == "numerator" {
				o.Numerator = &v
			} else {
				o.Denominator = &v
			}
		}
		s, c = get("breakdown")
		if o.Breakdown, err = accord.ParseBreakdown(s); err != nil {
			bad(c, "%s", accord.ErrorMessage(err))
		}
		s, c = get("status")
		switch strings.ToLower(s) {
		case "", "final":
			o.Status = accord.Final
		case "provisional":
			o.Status = accord.Provisional
		default:
			bad(c, "status %q must be provisional or final", s)
		}
		o.Source = file
		if len(probs) == before {
			recs = append(recs, Record{Line: line, Obs: o})
		}
	}
	if len(probs) > 0 {
		return recs, probs
	}
	if len(recs) == 0 {
		return nil, Problems{{File: file, Line: 2, Message: "the file has a header but no rows"}}
	}
	return recs, nil
}

func csvProblem(file string, err error) Problem {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return Problem{File: file, Line: pe.Line, Column: pe.Column, Message: pe.Err.Error()}
	}
	return Problem{File: file, Line: 1, Message: err.Error()}
}

// Check tests every record against the store's catalogue and map: the
// indicator and organisation exist, the values suit the indicator (a
// percentage is 0–100, a numerator is not above its denominator), and no
// key repeats within the file. A local return's unknown code is an error.
func Check(ctx context.Context, st accord.Store, file string, recs []Record) error {
	inds := map[string]*accord.Indicator{}
	orgs := map[string]string{} // code as given → Accord's code, "" when unknown
	seen := map[string]int{}
	var probs Problems
	for i, r := range recs {
		o := r.Obs
		ind, ok := inds[o.IndicatorID]
		if !ok {
			found, err := st.FindIndicator(ctx, o.IndicatorID)
			switch accord.ErrorCode(err) {
			case "":
				ind = &found
			case accord.ENOTFOUND:
			default:
				return err
			}
			inds[o.IndicatorID] = ind
		}
		if ind == nil {
			probs = append(probs, Problem{File: file, Line: r.Line, Message: fmt.Sprintf("indicator %q is not in the catalogue", o.IndicatorID)})
			continue
		}
		code, ok := orgs[o.OrgCode]
		if !ok {
			org, err := st.FindOrganisation(ctx, o.OrgCode)
			switch accord.ErrorCode(err) {
			case "":
				code = org.Code
			case accord.ENOTFOUND:
			default:
				return err
			}
			orgs[o.OrgCode] = code
		}
		if code == "" {
			probs = append(probs, Problem{File: file, Line: r.Line, Message: fmt.Sprintf("organisation %q is not known (use an ODS code such as QHG, or an ONS code)", o.OrgCode)})
			continue
		}
		// A return may name an organisation by an ONS code, current or
		// earlier; it is stored under Accord's own code.
		o.OrgCode = code
		recs[i].Obs.OrgCode = code
		if err := o.Validate(*ind); err != nil {
			var e *accord.Error
			if errors.As(err, &e) {
				for _, f := range e.Fields {
					probs = append(probs, Problem{File: file, Line: r.Line, Message: f.String()})
				}
				continue
			}
			return err
		}
		if first, dup := seen[o.Key()]; dup {
			probs = append(probs, Problem{File: file, Line: r.Line, Message: fmt.Sprintf("duplicate observation: %s already given on line %d", o.Describe(), first)})
			continue
		}
		seen[o.Key()] = r.Line
	}
	if len(probs) > 0 {
		return probs
	}
	return nil
}

// Result says what an import did or, for a dry run, would do.
type Result struct {
	File         string
	Observations int
	DryRun       bool
}

// ImportLong parses, checks and (unless dryRun) writes one long-format file
// in one transaction: either every row is stored or none is.
func ImportLong(ctx context.Context, st accord.Store, file string, r io.Reader, dryRun bool) (Result, error) {
	res := Result{File: file, DryRun: dryRun}
	dr, err := Decompress(r)
	if err != nil {
		return res, accord.Errorf(accord.EINVALID, "%s: %v", file, err)
	}
	recs, err := ParseLong(dr, file)
	var probs Problems
	if err != nil {
		if !errors.As(err, &probs) || len(recs) == 0 {
			return res, err
		}
	}
	if err := Check(ctx, st, file, recs); err != nil {
		var more Problems
		if !errors.As(err, &more) {
			return res, err
		}
		probs = append(probs, more...)
	}
	if len(probs) > 0 {
		slices.SortStableFunc(probs, func(a, b Problem) int { return cmp.Compare(a.Line, b.Line) })
		return res, probs
	}
	res.Observations = len(recs)
	if dryRun {
		return res, nil
	}
	obs := make([]accord.Observation, len(recs))
	for i, r := range recs {
		obs[i] = r.Obs
	}
	if err := st.AddObservations(ctx, obs); err != nil {
		return res, fmt.Errorf("%s: %w", file, err)
	}
	return res, nil
}
