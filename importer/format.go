package importer

import (
	"fmt"
	"slices"
	"strings"
)

// Format is one published file layout and how to read it.
type Format struct {
	Name      string // as given to --format: rtt, ae, cwt, fingertips, long, iod
	Layout    string // the layout in words, for messages and summaries
	Publisher string
	// Dataset names the publication series; a later file of the same
	// dataset for the same indicator and period is a revision of it. A
	// parser may refine it (Parse.Dataset) before its first observation.
	Dataset string
	// National publications report rows for organisations Accord does not
	// track by counting them (Parse.Skip); in a local return an unknown
	// code is an error.
	National bool
	// Detect reports whether a header is unmistakably this layout.
	Detect func(header []string) bool
	// Expect describes the header the layout has, for error messages.
	Expect string
	// Parse reads every row, reporting problems and emitting observations.
	Parse func(p *Parse) error
}

var registry []*Format

// register adds a format at start-up; each format's file calls it from init.
func register(f *Format) { registry = append(registry, f) }

// Formats lists the known formats by name.
func Formats() []*Format {
	out := slices.Clone(registry)
	slices.SortFunc(out, func(a, b *Format) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// FormatNames lists the names accepted by --format.
func FormatNames() []string {
	seen := map[string]bool{}
	var names []string
	for _, f := range Formats() {
		if !seen[f.Name] {
			seen[f.Name] = true
			names = append(names, f.Name)
		}
	}
	return names
}

// choose picks the layout for a header: among those named name (all when
// name is empty), the one whose Detect accepts it. None, or more than one,
// is an error listing what was expected.
func choose(file, name string, header []string) (*Format, error) {
	var candidates, matched []*Format
	for _, f := range Formats() {
		if name == "" || f.Name == name {
			candidates = append(candidates, f)
		}
	}
	if len(candidates) == 0 {
		return nil, Problems{{File: file, Line: 1, Message: fmt.Sprintf("unknown format %q: the formats are %s", name, strings.Join(FormatNames(), ", "))}}
	}
	for _, f := range candidates {
		if f.Detect(header) {
			matched = append(matched, f)
		}
	}
	switch len(matched) {
	case 1:
		return matched[0], nil
	case 0:
		var b strings.Builder
		if name == "" {
			b.WriteString("the header is not one Accord recognises; expected one of:")
		} else {
			fmt.Fprintf(&b, "the header is not one of the %s layouts; expected:", name)
		}
		for _, f := range candidates {
			fmt.Fprintf(&b, "\n  %s (%s): %s", f.Name, f.Layout, f.Expect)
		}
		fmt.Fprintf(&b, "\nfound: %s", clip(strings.Join(header, ","), 300))
		return nil, Problems{{File: file, Line: 1, Message: b.String()}}
	default:
		var names []string
		for _, f := range matched {
			names = append(names, f.Name+" ("+f.Layout+")")
		}
		return nil, Problems{{File: file, Line: 1, Message: "the header fits more than one layout: " + strings.Join(names, ", ") + "; name one with --format"}}
	}
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
