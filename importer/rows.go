package importer

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// Rows is a table read one row at a time, whatever the file type, so that
// every format's parser streams with bounded memory.
type Rows interface {
	// Header is the first row, trimmed, with any byte-order mark removed.
	Header() []string
	// Next returns the next data row and its line number (1 is the header).
	// It returns io.EOF at the end. The slice may be reused by the next call.
	Next() (row []string, line int, err error)
}

// csvRows reads CSV: RFC 4180 quoting, CRLF or LF line ends, blank lines
// skipped, rows of differing length allowed (each format checks the columns
// it needs). Text must be UTF-8.
type csvRows struct {
	r      *csv.Reader
	file   string
	header []string
}

func newCSVRows(r io.Reader, file string) (*csvRows, error) {
	br := bufio.NewReaderSize(r, 1<<16)
	// Several NHS and ONS files start with a UTF-8 byte-order mark.
	if b, _ := br.Peek(3); bytes.Equal(b, []byte{0xef, 0xbb, 0xbf}) {
		br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	c := &csvRows{r: cr, file: file}
	h, line, err := c.Next()
	if err == io.EOF {
		return nil, Problems{{File: file, Line: 1, Message: "the file is empty: expected a header row"}}
	}
	if err != nil {
		return nil, err
	}
	_ = line
	c.header = make([]string, len(h))
	for i, v := range h {
		c.header[i] = strings.TrimSpace(v)
	}
	return c, nil
}

func (c *csvRows) Header() []string { return c.header }

func (c *csvRows) Next() ([]string, int, error) {
	row, err := c.r.Read()
	if err != nil {
		if err == io.EOF {
			return nil, 0, io.EOF
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			msg := pe.Err.Error()
			if errors.Is(pe.Err, csv.ErrQuote) || errors.Is(pe.Err, csv.ErrBareQuote) {
				msg += " (is a quote missing, or is the last line cut short?)"
			}
			return nil, pe.StartLine, Problems{{File: c.file, Line: pe.StartLine, Column: pe.Column, Message: msg}}
		}
		return nil, 0, err
	}
	line, _ := c.r.FieldPos(0)
	for i, v := range row {
		if !utf8.ValidString(v) {
			_, col := c.r.FieldPos(i)
			return nil, line, Problems{{File: c.file, Line: line, Column: col,
				Message: fmt.Sprintf("column %d is not UTF-8 text (%q): save the file as UTF-8 CSV", i+1, strings.ToValidUTF8(v, "\uFFFD"))}}
		}
	}
	return row, line, nil
}

// columns maps header names to positions. Lookups are by exact name after
// trimming, or case-insensitively when the format allows it.
type columns struct {
	index map[string]int
}

func newColumns(header []string, foldCase bool) columns {
	c := columns{index: make(map[string]int, len(header))}
	for i, h := range header {
		if foldCase {
			h = strings.ToLower(h)
		}
		if _, dup := c.index[h]; !dup {
			c.index[h] = i
		}
	}
	return c
}

// has reports whether every name is present.
func (c columns) has(names ...string) bool {
	for _, n := range names {
		if _, ok := c.index[n]; !ok {
			return false
		}
	}
	return true
}

// missing lists the names not present.
func (c columns) missing(names ...string) []string {
	var out []string
	for _, n := range names {
		if _, ok := c.index[n]; !ok {
			out = append(out, n)
		}
	}
	return out
}

// at returns the position of name, or -1.
func (c columns) at(name string) int {
	if i, ok := c.index[name]; ok {
		return i
	}
	return -1
}
