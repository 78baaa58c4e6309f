// Package importer turns published and locally returned statistics files
// into observations: one parser per published layout, detected from the
// header, each checking every row and reporting problems as
// FILE:LINE:COLUMN: message, streamed so memory stays bounded, and written
// in one transaction per file so an import is all or nothing.
package importer

import (
	"fmt"
	"strings"

	"github.com/nhs-accord/accord"
)

// MaxReported caps how many problems an error lists; the rest are counted,
// so a file with a systematic fault still gives a readable message.
const MaxReported = 20

// Problem is one fault at a place in a file.
type Problem struct {
	File    string
	Line    int
	Column  int // 0 when the fault is the whole row
	Message string
}

func (p Problem) String() string {
	switch {
	case p.File == "":
		return p.Message // already placed (a message from the store)
	case p.Column > 0:
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
