package cli

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/nhs-accord/accord"
	"github.com/nhs-accord/accord/gen"
)

func runGen(ctx context.Context, e *env, args []string) error {
	var out, from string
	var months int
	var seed uint64
	names := make([]string, 0)
	for _, g := range gen.Generators() {
		names = append(names, g.Name)
	}
	about := "Write a realistic national-scale file in a real published layout — every NHS trust and ICB,\n" +
		"seeded and deterministic — for benchmarks, load tests and the demo's full-England mode.\nThe figures are invented; the organisations are real.\n\nKinds:\n"
	for _, g := range gen.Generators() {
		about += fmt.Sprintf("  %-10s %s (default %d months)\n", g.Name, g.About, g.Months)
	}
	fs := newFlagSet(e, "gen", "[--months N] [--from YYYY-MM] [--seed N] --out FILE KIND", strings.TrimRight(about, "\n"))
	fs.IntVar(&months, "months", 0, "how many months (default: the kind's own)")
	fs.StringVar(&from, "from", "2024-11", "first month")
	fs.Uint64Var(&seed, "seed", 1, "random seed: the same seed writes the same bytes")
	fs.StringVar(&out, "out", "", "file to write (required)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageError{fmt.Sprintf("gen: name one KIND: %s", strings.Join(names, ", "))}
	}
	var g *gen.Generator
	for _, cand := range gen.Generators() {
		if cand.Name == fs.Arg(0) {
			g = &cand
		}
	}
	if g == nil {
		return usageError{fmt.Sprintf("gen: unknown kind %q: the kinds are %s", fs.Arg(0), strings.Join(names, ", "))}
	}
	p, err := accord.ParsePeriod(from)
	if err != nil || p.Kind() != accord.PeriodMonth {
		return usageError{fmt.Sprintf("--from %q: give a month, e.g. 2024-11", from)}
	}
	if months == 0 {
		months = g.Months
	}
	if months < 1 || months > 240 {
		return usageError{fmt.Sprintf("--months %d: give 1 to 240", months)}
	}
	if g.MaxMonths > 0 && months > g.MaxMonths {
		return usageError{fmt.Sprintf("--months %d: a %s file holds at most %d month (run gen once per month with --from)", months, g.Name, g.MaxMonths)}
	}
	if out == "" {
		return usageError{"gen: give --out FILE"}
	}
	orgs, err := gen.LoadOrgs()
	if err != nil {
		return err
	}
	f, err := os.Create(out)
	if err != nil {
		return accord.Errorf(accord.EINVALID, "cannot write %s: %v", out, err)
	}
	bw := bufio.NewWriterSize(f, 1<<20)
	if err := g.Write(bw, orgs, gen.Options{Seed: seed, From: p, Months: months}); err != nil {
		f.Close()
		return err
	}
	if err := bw.Flush(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	fi, _ := os.Stat(out)
	fmt.Fprintf(e.stdout, "Wrote %s: %s, %d months from %s, seed %d (%.1f MB).\n", out, g.Name, months, p, seed, float64(fi.Size())/1e6)
	return nil
}
