package cli

import (
	"context"
	"fmt"
	"os"

	"github.com/nhs-accord/accord"
	"github.com/nhs-accord/accord/importer"
	"github.com/nhs-accord/accord/reference"
)

func runTemplate(ctx context.Context, e *env, args []string) error {
	var out, format string
	fs := newFlagSet(e, "template", "[--format csv|xlsx] [--out FILE] INDICATOR…",
		"Write an empty long-format return for the named indicators, for a partner to fill in and\nimport with `accord import`. The workbook (xlsx) also describes each indicator.")
	fs.StringVar(&format, "format", "csv", "csv or xlsx")
	fs.StringVar(&out, "out", "", "file to write (default: standard output)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if format != "csv" && format != "xlsx" {
		return usageError{fmt.Sprintf("--format %q: use csv or xlsx", format)}
	}
	if fs.NArg() == 0 {
		return usageError{"template: name at least one INDICATOR (see /indicators or `accord template --help`)"}
	}
	d, err := reference.Parse()
	if err != nil {
		return err
	}
	byID := map[string]accord.Indicator{}
	for _, ind := range d.Indicators {
		byID[ind.ID] = ind
	}
	var inds []accord.Indicator
	for _, id := range fs.Args() {
		ind, ok := byID[id]
		if !ok {
			return accord.Errorf(accord.EINVALID, "indicator %q is not in the catalogue", id)
		}
		inds = append(inds, ind)
	}
	w := e.stdout
	if out != "" {
		f, err := os.Create(out)
		if err != nil {
			return accord.Errorf(accord.EINVALID, "cannot write %s: %v", out, err)
		}
		defer f.Close()
		w = f
	}
	if format == "xlsx" && out == "" && isTerminal(e.stdout) {
		return usageError{"template: an xlsx workbook is not text: give --out FILE"}
	}
	return importer.WriteTemplate(w, inds, format)
}
