// Package gen writes realistic national-scale statistics files in the real
// published layouts — every trust and ICB, every treatment function, years
// of months — seeded and deterministic, for benchmarks, load tests and the
// demo's full-England mode. The organisations are the real ones shipped as
// reference data; the figures are invented but shaped like the real ones.
package gen

import (
	"io"
	"math/rand/v2"

	"github.com/nhs-accord/accord"
	"github.com/nhs-accord/accord/reference"
)

// Options control a generated file.
type Options struct {
	Seed   uint64        // the same seed gives the same bytes
	From   accord.Period // first month
	Months int           // how many months, from From
}

// Generator writes one kind of file.
type Generator struct {
	Name   string // as given to `accord gen`: rtt, ae, cwt, fingertips
	About  string
	Months int // default number of months
	// MaxMonths, when set, is the most one file may hold: NHS England
	// publishes one RTT month per file, and the importer holds it to that.
	MaxMonths int
	// Write writes the file for opt to w.
	Write func(w io.Writer, orgs Orgs, opt Options) error
}

var generators []Generator

func register(g Generator) { generators = append(generators, g) }

// Generators lists the generators by name.
func Generators() []Generator { return generators }

// Orgs are the real organisations files are generated for.
type Orgs struct {
	All       []accord.Organisation
	Regions   []accord.Organisation
	ICBs      []accord.Organisation
	SubICBs   []accord.Organisation
	Places    []accord.Organisation
	Providers []accord.Organisation // open NHS trusts
}

// LoadOrgs reads the shipped reference organisations.
func LoadOrgs() (Orgs, error) {
	d, err := reference.Parse()
	if err != nil {
		return Orgs{}, err
	}
	o := Orgs{All: d.Organisations}
	for _, org := range d.Organisations {
		switch org.Type {
		case accord.OrgRegion:
			o.Regions = append(o.Regions, org)
		case accord.OrgICB:
			o.ICBs = append(o.ICBs, org)
		case accord.OrgSubICB:
			o.SubICBs = append(o.SubICBs, org)
		case accord.OrgPlace:
			o.Places = append(o.Places, org)
		case accord.OrgProvider:
			if org.ValidTo.IsZero() {
				o.Providers = append(o.Providers, org)
			}
		}
	}
	return o, nil
}

// NewRand returns the seeded source every generator draws from, so output
// depends only on the seed.
func NewRand(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)) }
