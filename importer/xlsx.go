package importer

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"
)

// maxXLSX bounds the workbook read into memory: a zip needs random access,
// and a local return is a few thousand rows, not gigabytes.
const maxXLSX = 100 << 20

func init() { openXLSX = readXLSX }

// readXLSX reads the first worksheet of a workbook as rows. Only what a
// return needs is understood: shared, inline and plain strings, numbers and
// booleans; formulas give their cached values.
func readXLSX(r io.Reader, name string) (Rows, error) {
	bad := func(format string, args ...any) error {
		return Problems{{File: name, Line: 1, Message: "not a readable XLSX workbook: " + fmt.Sprintf(format, args...)}}
	}
	data, err := io.ReadAll(io.LimitReader(r, maxXLSX+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxXLSX {
		return nil, bad("larger than %d MB; save it as CSV", maxXLSX>>20)
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, bad("%v", err)
	}
	files := map[string]*zip.File{}
	for _, f := range zr.File {
		files[f.Name] = f
	}
	sheet, err := firstSheetPath(files)
	if err != nil {
		return nil, bad("%v", err)
	}
	var shared []string
	if f, ok := files["xl/sharedStrings.xml"]; ok {
		if shared, err = readSharedStrings(f); err != nil {
			return nil, bad("shared strings: %v", err)
		}
	}
	f, ok := files[sheet]
	if !ok {
		return nil, bad("the first sheet %s is missing", sheet)
	}
	rows, err := readSheet(f, shared)
	if err != nil {
		return nil, bad("%s: %v", sheet, err)
	}
	x := &xlsxRows{rows: rows}
	if len(rows) == 0 {
		return nil, Problems{{File: name, Line: 1, Message: "the first sheet is empty: expected a header row"}}
	}
	x.header = make([]string, len(rows[0].cells))
	for i, v := range rows[0].cells {
		x.header[i] = strings.TrimSpace(strings.TrimPrefix(v, "\ufeff"))
	}
	x.next = 1
	return x, nil
}

type xlsxRow struct {
	line  int
	cells []string
}

type xlsxRows struct {
	header []string
	rows   []xlsxRow
	next   int
}

func (x *xlsxRows) Header() []string { return x.header }

func (x *xlsxRows) Next() ([]string, int, error) {
	for x.next < len(x.rows) {
		r := x.rows[x.next]
		x.next++
		if !allBlank(r.cells) { // like CSV, blank rows are skipped
			// A workbook leaves out empty cells at the end of a row.
			for len(r.cells) < len(x.header) {
				r.cells = append(r.cells, "")
			}
			return r.cells, r.line, nil
		}
	}
	return nil, 0, io.EOF
}

func allBlank(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// firstSheetPath follows workbook.xml and its relationships to the first
// sheet's part, since sheet1.xml is not always the first sheet.
func firstSheetPath(files map[string]*zip.File) (string, error) {
	var wb struct {
		Sheets []struct {
			RID string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
		} `xml:"sheets>sheet"`
	}
	if err := decodePart(files, "xl/workbook.xml", &wb); err != nil {
		return "", err
	}
	if len(wb.Sheets) == 0 {
		return "", errors.New("the workbook has no sheets")
	}
	var rels struct {
		Rels []struct {
			ID     string `xml:"Id,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	if err := decodePart(files, "xl/_rels/workbook.xml.rels", &rels); err != nil {
		return "", err
	}
	for _, r := range rels.Rels {
		if r.ID == wb.Sheets[0].RID {
			if strings.HasPrefix(r.Target, "/") {
				return strings.TrimPrefix(r.Target, "/"), nil
			}
			return path.Join("xl", r.Target), nil
		}
	}
	return "", fmt.Errorf("the first sheet's relationship %q is missing", wb.Sheets[0].RID)
}

func decodePart(files map[string]*zip.File, name string, v any) error {
	f, ok := files[name]
	if !ok {
		return fmt.Errorf("%s is missing", name)
	}
	rc, err := f.Open()
	if err != nil {
		return err
	}
	defer rc.Close()
	if err := xml.NewDecoder(rc).Decode(v); err != nil {
		return fmt.Errorf("%s: %v", name, err)
	}
	return nil
}

func readSharedStrings(f *zip.File) ([]string, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	var out []string
	d := xml.NewDecoder(rc)
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "si" {
			var si richText
			if err := d.DecodeElement(&si, &se); err != nil {
				return nil, err
			}
			out = append(out, si.text())
		}
	}
}

// richText is a string item: plain <t>, or runs <r><t> of rich text.
type richText struct {
	T    string `xml:"t"`
	Runs []struct {
		T string `xml:"t"`
	} `xml:"r"`
}

func (r richText) text() string {
	if len(r.Runs) == 0 {
		return r.T
	}
	var b strings.Builder
	b.WriteString(r.T)
	for _, run := range r.Runs {
		b.WriteString(run.T)
	}
	return b.String()
}

type xlsxCell struct {
	Ref    string   `xml:"r,attr"`
	Type   string   `xml:"t,attr"`
	Value  string   `xml:"v"`
	Inline richText `xml:"is"`
}

func readSheet(f *zip.File, shared []string) ([]xlsxRow, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	var rows []xlsxRow
	d := xml.NewDecoder(rc)
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return rows, nil
		}
		if err != nil {
			return nil, err
		}
		se, ok := tok.(xml.StartElement)
		if !ok || se.Name.Local != "row" {
			continue
		}
		var row struct {
			R     int        `xml:"r,attr"`
			Cells []xlsxCell `xml:"c"`
		}
		if err := d.DecodeElement(&row, &se); err != nil {
			return nil, err
		}
		line := row.R
		if line == 0 {
			line = len(rows) + 1
		}
		out := xlsxRow{line: line}
		for i, c := range row.Cells {
			col := i
			if c.Ref != "" {
				if col, err = columnIndex(c.Ref); err != nil {
					return nil, err
				}
			}
			for len(out.cells) <= col {
				out.cells = append(out.cells, "")
			}
			v, err := cellValue(c, shared)
			if err != nil {
				return nil, fmt.Errorf("cell %s: %v", c.Ref, err)
			}
			out.cells[col] = v
		}
		rows = append(rows, out)
		if len(rows) > maxXLSXRows {
			return nil, fmt.Errorf("more than %d rows; save it as CSV, which is read as a stream", maxXLSXRows)
		}
	}
}

// maxXLSXRows bounds a workbook held in memory.
const maxXLSXRows = 1_000_000

func cellValue(c xlsxCell, shared []string) (string, error) {
	switch c.Type {
	case "s":
		i, err := strconv.Atoi(strings.TrimSpace(c.Value))
		if err != nil || i < 0 || i >= len(shared) {
			return "", fmt.Errorf("shared string %q does not exist", c.Value)
		}
		return shared[i], nil
	case "inlineStr":
		return c.Inline.text(), nil
	case "b":
		if c.Value == "1" {
			return "TRUE", nil
		}
		return "FALSE", nil
	}
	return c.Value, nil // numbers, formula strings ("str"), errors ("e")
}

// columnIndex turns a cell reference such as "AB12" into 27.
func columnIndex(ref string) (int, error) {
	n := 0
	i := 0
	for ; i < len(ref) && ref[i] >= 'A' && ref[i] <= 'Z'; i++ {
		n = n*26 + int(ref[i]-'A'+1)
	}
	if i == 0 || n > 16384 {
		return 0, fmt.Errorf("cell reference %q is not valid", ref)
	}
	return n - 1, nil
}
