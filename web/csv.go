package web

import (
	"bytes"
	"encoding/csv"
	"net/http"
	"strconv"
	"strings"

	"github.com/nhs-accord/accord"
)

// wantCSV reads a page's ?format=: "csv" downloads the page's table data,
// "" or "html" shows the page, and anything else is a 400 naming format.
func wantCSV(r *http.Request) (bool, error) {
	switch f := strings.TrimSpace(r.URL.Query().Get("format")); f {
	case "", "html":
		return false, nil
	case "csv":
		return true, nil
	default:
		var p accord.Problems
		p.Add("format", "%q is not known: must be csv or html", f)
		return false, p.Err("The web address is not valid")
	}
}

// writeCSV sends a table as a CSV download. Cells that a spreadsheet would
// run as a formula are prefixed with an apostrophe, the usual defence
// against CSV injection; our data has no cell that starts that way on
// purpose.
func writeCSV(w http.ResponseWriter, filename string, header []string, rows [][]string) error {
	var b bytes.Buffer
	cw := csv.NewWriter(&b)
	if err := cw.Write(header); err != nil {
		return err
	}
	for _, row := range rows {
		for i, cell := range row {
			if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) && !isNumber(cell) {
				row[i] = "'" + cell
			}
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	w.Header().Set("Content-Disposition", `attachment; filename="`+filename+`"`)
	writeBody(w, http.StatusOK, "text/csv; charset=utf-8", b.Bytes())
	return nil
}

// isNumber reports whether s is a plain signed number, such as -1.5, which
// is safe to leave as it is.
func isNumber(s string) bool {
	s = strings.TrimPrefix(strings.TrimPrefix(s, "-"), "+")
	digits, dot := 0, false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			digits++
		case c == '.' && !dot:
			dot = true
		default:
			return false
		}
	}
	return digits > 0
}

// formatCSVNumber writes a number in full, without grouping, for machines.
func formatCSVNumber(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
