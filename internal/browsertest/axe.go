package browsertest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/chromedp/chromedp"
)

// axeTags are the axe-core rule tags we hold our pages to: WCAG 2.0, 2.1 and
// 2.2 at levels A and AA, which is what the NHS service standard asks for.
// Best-practice rules (tag "best-practice") are left out: they are advice, not
// conformance failures.
var axeTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"}

// Violation is one axe-core rule that a page fails.
type Violation struct {
	ID          string   // rule id, such as "image-alt"
	Impact      string   // "minor", "moderate", "serious" or "critical"
	Description string   // what the rule checks
	Help        string   // how to fix it, in a line
	HelpURL     string   // axe-core's page about the rule
	Nodes       []string // CSS selectors of the failing elements
}

// Axe runs axe-core on the page that the tab of ctx shows now, and returns the
// WCAG A and AA violations it finds. It injects node_modules/axe-core/axe.min.js
// (installed by `make assets`) into the page over the DevTools protocol, which a
// page's Content-Security-Policy does not block.
func Axe(ctx context.Context) ([]Violation, error) {
	src, err := axeSource()
	if err != nil {
		return nil, err
	}
	loaded, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`typeof window.axe === "object"`))
	if err != nil {
		return nil, fmt.Errorf("browsertest: looking for axe-core in the page: %w", err)
	}
	if !loaded {
		if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](src)); err != nil {
			return nil, fmt.Errorf("browsertest: injecting axe-core: %w", err)
		}
	}

	tags := `["` + strings.Join(axeTags, `","`) + `"]`
	script := `axe.run(document, {
		runOnly: {type: "tag", values: ` + tags + `},
		resultTypes: ["violations"],
	}).then(r => r.violations.map(v => ({
		ID: v.id,
		Impact: v.impact || "",
		Description: v.description,
		Help: v.help,
		HelpURL: v.helpUrl,
		// A target is a list of selectors: one for an element in the page,
		// more for one inside iframes or shadow roots.
		Nodes: v.nodes.map(n => n.target.map(s => Array.isArray(s) ? s.join(" >>> ") : s).join(" >>> ")),
	})))`
	v, err := chromedp.Run(ctx, chromedp.Evaluate[[]Violation](script, chromedp.EvalAwaitPromise))
	if err != nil {
		return nil, fmt.Errorf("browsertest: running axe-core: %w", err)
	}
	return v, nil
}

// FormatViolations renders violations for a test failure message, one rule a
// paragraph with the elements that fail it.
func FormatViolations(v []Violation) string {
	if len(v) == 0 {
		return "no accessibility violations"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d accessibility violation(s):\n", len(v))
	for _, x := range v {
		fmt.Fprintf(&b, "\n[%s] %s: %s\n", x.Impact, x.ID, x.Help)
		if x.Description != "" {
			fmt.Fprintf(&b, "  %s\n", x.Description)
		}
		if x.HelpURL != "" {
			fmt.Fprintf(&b, "  %s\n", x.HelpURL)
		}
		for _, n := range x.Nodes {
			fmt.Fprintf(&b, "  - %s\n", n)
		}
	}
	return b.String()
}

var axe struct {
	once sync.Once
	src  string
	err  error
}

// axeSource reads axe.min.js once per test binary.
func axeSource() (string, error) {
	axe.once.Do(func() {
		root, err := moduleRoot()
		if err != nil {
			axe.err = err
			return
		}
		path := filepath.Join(root, "node_modules", "axe-core", "axe.min.js")
		b, err := os.ReadFile(path)
		if err != nil {
			axe.err = fmt.Errorf("browsertest: %w (run `make assets`)", err)
			return
		}
		axe.src = string(b)
	})
	return axe.src, axe.err
}

// moduleRoot walks up from the working directory (a package folder, under go
// test) to the folder that holds go.mod.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("browsertest: no go.mod above the working directory")
		}
		dir = parent
	}
}
