package gen

import (
	"bytes"
	"context"
	"io"
	"testing"

	"github.com/nhs-accord/accord/importer"
)

// benchmarkRead generates one file with write and measures the importer
// reading it in format, in MB/s and rows per read.
func benchmarkRead(b *testing.B, write func(io.Writer, Orgs, Options) error, opt Options, format string) {
	orgs, err := LoadOrgs()
	if err != nil {
		b.Fatal(err)
	}
	var file bytes.Buffer
	if err := write(&file, orgs, opt); err != nil {
		b.Fatal(err)
	}
	index := importer.NewOrgIndex(orgs.All)
	b.SetBytes(int64(file.Len()))
	b.ReportAllocs()
	for b.Loop() {
		res, err := importer.Read(context.Background(), format+".csv", bytes.NewReader(file.Bytes()), index, format)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(res.Rows), "rows/op")
	}
}
