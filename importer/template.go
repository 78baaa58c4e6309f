package importer

import (
	"archive/zip"
	"encoding/csv"
	"fmt"
	"io"
	"strings"

	"github.com/nhs-accord/accord"
)

// WriteTemplate writes an empty long-format return for the indicators: the
// header, and one row per indicator with the indicator filled in, for a
// partner to complete. format is "csv" or "xlsx"; the workbook also has a
// sheet describing each indicator, and its period column is text so Excel
// does not turn 2025-04 into a date.
func WriteTemplate(w io.Writer, inds []accord.Indicator, format string) error {
	rows := [][]string{LongColumns}
	for _, ind := range inds {
		row := make([]string, len(LongColumns))
		row[1] = ind.ID
		rows = append(rows, row)
	}
	switch format {
	case "csv":
		cw := csv.NewWriter(w)
		cw.WriteAll(rows)
		return cw.Error()
	case "xlsx":
		about := [][]string{{"indicator", "name", "unit", "definition", "numerator", "denominator", "source"}}
		for _, ind := range inds {
			about = append(about, []string{ind.ID, ind.Name, string(ind.Unit), ind.Definition, ind.Numerator, ind.Denominator, ind.Source})
		}
		return WriteXLSX(w, []Sheet{{Name: "Return", Rows: rows, TextColumns: []int{0, 1, 2, 6, 7}}, {Name: "Indicators", Rows: about}})
	}
	return accord.Errorf(accord.EINVALID, "template format %q: use csv or xlsx", format)
}

// Sheet is one worksheet to write.
type Sheet struct {
	Name        string
	Rows        [][]string
	TextColumns []int // 0-based columns formatted as text
}

// WriteXLSX writes a minimal Office Open XML workbook: strings inline,
// values that look like numbers as numbers, except in TextColumns.
func WriteXLSX(w io.Writer, sheets []Sheet) error {
	zw := zip.NewWriter(w)
	put := func(name, body string) error {
		f, err := zw.Create(name)
		if err != nil {
			return err
		}
		_, err = io.WriteString(f, `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`+"\n"+body)
		return err
	}
	const ns = `xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"`
	const rns = `xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"`
	var ct, wbSheets, wbRels strings.Builder
	for i := range sheets {
		fmt.Fprintf(&ct, `<Override PartName="/xl/worksheets/sheet%d.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`, i+1)
		fmt.Fprintf(&wbSheets, `<sheet name="%s" sheetId="%d" r:id="rId%d"/>`, xmlEscape(sheets[i].Name), i+1, i+1)
		fmt.Fprintf(&wbRels, `<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet%d.xml"/>`, i+1, i+1)
	}
	fmt.Fprintf(&wbRels, `<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>`, len(sheets)+1)
	parts := []struct{ name, body string }{
		{"[Content_Types].xml", `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
			`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
			`<Default Extension="xml" ContentType="application/xml"/>` +
			`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` +
			`<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>` +
			ct.String() + `</Types>`},
		{"_rels/.rels", `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`},
		{"xl/workbook.xml", `<workbook ` + ns + ` ` + rns + `><sheets>` + wbSheets.String() + `</sheets></workbook>`},
		{"xl/_rels/workbook.xml.rels", `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` + wbRels.String() + `</Relationships>`},
		// Style 1 is the built-in text format "@".
		{"xl/styles.xml", `<styleSheet ` + ns + `><fonts count="1"><font><sz val="11"/><name val="Arial"/></font></fonts>` +
			`<fills count="1"><fill><patternFill patternType="none"/></fill></fills><borders count="1"><border/></borders>` +
			`<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>` +
			`<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs></styleSheet>`},
	}
	for _, p := range parts {
		if err := put(p.name, p.body); err != nil {
			return err
		}
	}
	for i, s := range sheets {
		if err := put(fmt.Sprintf("xl/worksheets/sheet%d.xml", i+1), sheetXML(s)); err != nil {
			return err
		}
	}
	return zw.Close()
}

func sheetXML(s Sheet) string {
	text := map[int]bool{}
	for _, c := range s.TextColumns {
		text[c] = true
	}
	var b strings.Builder
	b.WriteString(`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">`)
	if len(s.TextColumns) > 0 {
		b.WriteString("<cols>")
		for _, c := range s.TextColumns {
			fmt.Fprintf(&b, `<col min="%d" max="%d" width="18" style="1" customWidth="1"/>`, c+1, c+1)
		}
		b.WriteString("</cols>")
	}
	b.WriteString("<sheetData>")
	for r, row := range s.Rows {
		fmt.Fprintf(&b, `<row r="%d">`, r+1)
		for c, v := range row {
			ref := columnName(c) + fmt.Sprint(r+1)
			style := ""
			if text[c] {
				style = ` s="1"`
			}
			if _, err := parseNumber(v); err == nil && r > 0 && !text[c] {
				fmt.Fprintf(&b, `<c r="%s"%s><v>%s</v></c>`, ref, style, v)
			} else if v != "" || text[c] {
				fmt.Fprintf(&b, `<c r="%s"%s t="inlineStr"><is><t>%s</t></is></c>`, ref, style, xmlEscape(v))
			}
		}
		b.WriteString("</row>")
	}
	b.WriteString("</sheetData></worksheet>")
	return b.String()
}

func columnName(i int) string {
	name := ""
	for i++; i > 0; i = (i - 1) / 26 {
		name = string(rune('A'+(i-1)%26)) + name
	}
	return name
}

func xmlEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '&':
			b.WriteString("&amp;")
		case '"':
			b.WriteString("&quot;")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
