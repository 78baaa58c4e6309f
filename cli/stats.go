package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strings"

	"github.com/nhs-accord/accord"
	"github.com/nhs-accord/accord/stats/spc"
)

// statsMethod reads one JSON object and computes one result.
type statsMethod struct {
	about string
	run   func(dec *json.Decoder) (any, error)
}

// statsMethods are the methods `accord stats` offers: the same functions the
// server uses, so an analyst can check any figure Accord shows.
func statsMethods() map[string]statsMethod {
	m := map[string]statsMethod{
		"spc": {"Making Data Count SPC as NHSRplotthedots computes it", runSPC},
	}
	for name, sm := range extraStatsMethods() {
		m[name] = sm
	}
	return m
}

// spcInput is the JSON `accord stats spc` reads. Values may hold null, which
// is rejected with its position, as a gap in a series is.
type spcInput struct {
	Values []*float64 `json:"values"`
	spc.Options
}

func runSPC(dec *json.Decoder) (any, error) {
	var in spcInput
	if err := dec.Decode(&in); err != nil {
		return nil, err
	}
	if in.Values == nil {
		return nil, accord.Errorf(accord.EINVALID, "values: is required (the series in time order)")
	}
	values := make([]float64, len(in.Values))
	for i, v := range in.Values {
		values[i] = math.NaN()
		if v != nil {
			values[i] = *v
		}
	}
	return spc.Compute(values, in.Options)
}

func runStats(ctx context.Context, e *env, args []string) error {
	methods := statsMethods()
	names := make([]string, 0, len(methods))
	for n := range methods {
		names = append(names, n)
	}
	slices.Sort(names)
	var list strings.Builder
	for _, n := range names {
		fmt.Fprintf(&list, "  %-16s %s\n", n, methods[n].about)
	}
	fs := newFlagSet(e, "stats", "METHOD < input.json",
		"Compute one statistic without a server: read one JSON object on standard input, write one JSON\n"+
			"object on standard output. Invalid input exits 2 with a message on standard error.\n"+
			"docs/stats.md describes each method's fields with an example.\n\nMethods:\n"+strings.TrimRight(list.String(), "\n"))
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageError{"stats: name one METHOD: " + strings.Join(names, ", ")}
	}
	m, ok := methods[fs.Arg(0)]
	if !ok {
		return usageError{fmt.Sprintf("stats: unknown method %q: the methods are %s", fs.Arg(0), strings.Join(names, ", "))}
	}
	in := e.stdin
	if in == nil {
		in = os.Stdin
	}
	body, err := io.ReadAll(io.LimitReader(in, 64<<20))
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	out, err := m.run(dec)
	if err != nil {
		return statsInputError(fs.Arg(0), err)
	}
	if dec.More() {
		return accord.Errorf(accord.EINVALID, "stats %s: standard input holds more than one JSON object", fs.Arg(0))
	}
	b, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(e.stdout, "%s\n", b)
	return err
}

// statsInputError says what was wrong with the JSON in words an analyst can
// act on; every input problem exits 2.
func statsInputError(method string, err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.Is(err, io.EOF):
		return accord.Errorf(accord.EINVALID, "stats %s: standard input is empty: give one JSON object", method)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return accord.Errorf(accord.EINVALID, "stats %s: the JSON ends too soon: is it cut short?", method)
	case errors.As(err, &syn):
		return accord.Errorf(accord.EINVALID, "stats %s: the input is not valid JSON at byte %d: %v", method, syn.Offset, err)
	case errors.As(err, &typ):
		return accord.Errorf(accord.EINVALID, "stats %s: field %q must be %s, not %s", method, typ.Field, typ.Type, typ.Value)
	case strings.HasPrefix(err.Error(), "json: unknown field"):
		return accord.Errorf(accord.EINVALID, "stats %s: %s", method, strings.TrimPrefix(err.Error(), "json: "))
	case accord.ErrorCode(err) == accord.EINVALID:
		return accord.Errorf(accord.EINVALID, "stats %s: %s", method, accord.ErrorMessage(err))
	}
	return err
}
