package importer

import (
	"errors"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/nhs-accord/accord"
)

// LongColumns are the columns of the long format, the template a partner
// uses for a local return. breakdown and status are optional.
var LongColumns = []string{"organisation_code", "indicator", "period", "numerator", "denominator", "value", "breakdown", "status"}

var longRequired = []string{"organisation_code", "indicator", "period", "value"}

func init() {
	register(&Format{
		Name:      "long",
		Layout:    "long-format local return",
		Publisher: "Local return",
		Dataset:   "local-return",
		National:  false,
		Detect: func(header []string) bool {
			return newColumns(lowerAll(header), false).has(longRequired...)
		},
		Expect: strings.Join(LongColumns, ",") + " (breakdown and status optional)",
		Parse:  parseLong,
	})
}

func lowerAll(h []string) []string {
	out := make([]string, len(h))
	for i, s := range h {
		out[i] = strings.ToLower(strings.TrimSpace(s))
	}
	return out
}

// parseLong reads a local return. Every code must be known: a partner
// returning its own figures should not have a row quietly left out.
func parseLong(p *Parse) error {
	header := lowerAll(p.Rows.Header())
	cols := newColumns(header, false)
	for i, h := range header {
		if !slices.Contains(LongColumns, h) {
			p.Problem(1, i+1, "unexpected column %q: expected %s", h, strings.Join(LongColumns, ", "))
		} else if cols.at(h) != i {
			p.Problem(1, i+1, "column %q appears twice", h)
		}
	}
	for _, m := range cols.missing(longRequired...) {
		p.Problem(1, 0, "missing column %q", m)
	}
	if p.Failed() {
		return nil
	}
	get := func(row []string, name string) (string, int) {
		i := cols.at(name)
		if i < 0 || i >= len(row) {
			return "", i + 1
		}
		return strings.TrimSpace(row[i]), i + 1
	}
	datasetSet := false
	for {
		row, line, err := p.Rows.Next()
		if err != nil {
			if errors.Is(err, io.EOF) {
				break
			}
			return err
		}
		p.Row()
		if len(row) != len(header) {
			p.Problem(line, 0, "has %d columns; the header has %d", len(row), len(header))
			continue
		}
		bad := false
		problem := func(c int, format string, args ...any) {
			bad = true
			p.Problem(line, c, format, args...)
		}
		var o accord.Observation
		code, c := get(row, "organisation_code")
		if code == "" {
			problem(c, "organisation_code is empty")
		}
		codeCol := c
		o.IndicatorID, c = get(row, "indicator")
		if o.IndicatorID == "" {
			problem(c, "indicator is empty")
		}
		s, c := get(row, "period")
		if o.Period, err = accord.ParsePeriod(s); err != nil {
			hint := ""
			if n, nerr := strconv.Atoi(s); nerr == nil && n > 20000 && n < 80000 {
				hint = " (it looks like a spreadsheet date: format the period column as text, e.g. 2025-04)"
			}
			problem(c, "%s%s", accord.ErrorMessage(err), hint)
		}
		s, c = get(row, "value")
		if v, err := strconv.ParseFloat(s, 64); err != nil {
			problem(c, "value %q is not a number", s)
		} else {
			o.Value = v
		}
		for _, name := range []string{"numerator", "denominator"} {
			s, c := get(row, name)
			if s == "" {
				continue
			}
			v, err := strconv.ParseFloat(s, 64)
			if err != nil {
				problem(c, "%s %q is not a number", name, s)
				continue
			}
			if name == "numerator" {
				o.Numerator = &v
			} else {
				o.Denominator = &v
			}
		}
		s, c = get(row, "breakdown")
		if o.Breakdown, err = accord.ParseBreakdown(s); err != nil {
			problem(c, "%s", accord.ErrorMessage(err))
		}
		s, c = get(row, "status")
		switch strings.ToLower(s) {
		case "", "final":
			o.Status = accord.Final
		case "provisional":
			o.Status = accord.Provisional
		default:
			problem(c, "status %q must be provisional or final", s)
		}
		if code != "" && !o.Period.IsZero() {
			org, ok := p.Orgs.Resolve(code, o.Period)
			if !ok {
				problem(codeCol, "organisation %q is not known for %s (use an ODS code such as QHG, or an ONS code)", code, o.Period)
			}
			o.OrgCode = org.Code
		}
		if bad {
			continue
		}
		if !datasetSet {
			// A return revises the same organisation's earlier return, not
			// another partner's figures for the same indicator.
			p.Dataset = "local-return:" + o.OrgCode
			datasetSet = true
		}
		p.Emit(o, line)
	}
	return nil
}
