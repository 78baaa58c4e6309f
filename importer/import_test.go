package importer_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nhs-accord/accord"
	"github.com/nhs-accord/accord/gen"
	"github.com/nhs-accord/accord/importer"
	"github.com/nhs-accord/accord/reference"
	"github.com/nhs-accord/accord/store"
)

// national opens a migrated SQLite store holding the reference data.
func national(t *testing.T) (*store.DB, *importer.OrgIndex) {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "i.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := reference.Load(ctx, db); err != nil {
		t.Fatal(err)
	}
	orgs, err := importer.LoadOrgIndex(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	return db, orgs
}

// cancelAfter reads through r and cancels the import's context once n
// bytes have gone by (over every pass: the importer hashes the file, then
// parses it), as a killed process or a dropped upload would.
type cancelAfter struct {
	r      *bytes.Reader // not embedded: its WriteTo would bypass Read
	n      int
	cancel context.CancelFunc
}

func (c *cancelAfter) Seek(off int64, whence int) (int64, error) { return c.r.Seek(off, whence) }

func (c *cancelAfter) Read(b []byte) (int, error) {
	k, err := c.r.Read(b)
	c.n -= k
	if c.n <= 0 {
		c.cancel()
	}
	return k, err
}

// TestImportStoppedPartWay stops a national RTT import half way through the
// file: the database must be exactly as it was, with no import recorded.
func TestImportStoppedPartWay(t *testing.T) {
	db, orgs := national(t)
	g := generator(t, "rtt")
	gorgs, err := gen.LoadOrgs()
	if err != nil {
		t.Fatal(err)
	}
	var file bytes.Buffer
	if err := g.Write(&file, gorgs, gen.Options{Seed: 7, From: accord.MustParsePeriod("2024-12"), Months: 1}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// Half way through the parse, after the hash pass.
	src := &cancelAfter{r: bytes.NewReader(file.Bytes()), n: file.Len() * 3 / 2, cancel: cancel}
	_, err = importer.Import(ctx, db, orgs, "rtt.csv", src, importer.Options{ImportedBy: "test"})
	if err == nil || !errors.Is(err, context.Canceled) && !strings.Contains(err.Error(), "context canceled") {
		t.Fatalf("import carried on after being stopped: %v", err)
	}
	ctx2 := context.Background()
	if _, n, err := db.FindObservations(ctx2, accord.ObservationFilter{AnyBreakdown: true}); err != nil || n != 0 {
		t.Errorf("%d observations after a stopped import (%v)", n, err)
	}
	if _, n, err := db.FindImports(ctx2, accord.ImportFilter{}); err != nil || n != 0 {
		t.Errorf("%d imports recorded after a stopped import (%v)", n, err)
	}
	// The same file then imports whole.
	sum, err := importer.Import(ctx2, db, orgs, "rtt.csv", bytes.NewReader(file.Bytes()), importer.Options{ImportedBy: "test"})
	if err != nil || sum.Import.Added == 0 {
		t.Fatalf("%+v %v", sum, err)
	}
}

func generator(t *testing.T, name string) gen.Generator {
	for _, g := range gen.Generators() {
		if g.Name == name {
			return g
		}
	}
	t.Fatalf("no generator %s", name)
	return gen.Generator{}
}

// TestImportStoppedWhileWriting stops a local return whose rows are written
// as they are read, after several batches have gone to the database.
func TestImportStoppedWhileWriting(t *testing.T) {
	db, orgs := national(t)
	gorgs, err := gen.LoadOrgs()
	if err != nil {
		t.Fatal(err)
	}
	var file bytes.Buffer
	file.WriteString("organisation_code,indicator,period,value,breakdown\n")
	rows := 0
	for _, trust := range gorgs.Providers {
		if trust.ValidFrom.Year() >= 2024 {
			continue
		}
		for m := 1; m <= 12; m++ {
			for d := 1; d <= 10; d++ {
				fmt.Fprintf(&file, "%s,ae_attendances,2024-%02d,%d,imd=%d\n", trust.Code, m, 100+d, d)
				rows++
			}
		}
	}
	if rows < 10_000 {
		t.Fatalf("only %d rows", rows)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	src := &cancelAfter{r: bytes.NewReader(file.Bytes()), n: file.Len() * 3 / 2, cancel: cancel}
	if _, err := importer.Import(ctx, db, orgs, "return.csv", src, importer.Options{ImportedBy: "test"}); err == nil {
		t.Fatal("import carried on after being stopped")
	}
	if _, n, err := db.FindObservations(context.Background(), accord.ObservationFilter{AnyBreakdown: true}); err != nil || n != 0 {
		t.Errorf("%d observations after a stopped import (%v)", n, err)
	}
	if _, n, _ := db.FindImports(context.Background(), accord.ImportFilter{}); n != 0 {
		t.Errorf("%d imports recorded after a stopped import", n)
	}
}
