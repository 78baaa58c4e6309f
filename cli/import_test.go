package cli

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nhs-accord/accord"
)

// TestImportPublished holds that --published is checked before anything is
// read, naming the flag, and that a good date is recorded with the import.
func TestImportPublished(t *testing.T) {
	db := filepath.Join(t.TempDir(), "pub.db")
	if _, _, err := runCLI(t, "migrate", "--db", db); err != nil {
		t.Fatal(err)
	}
	f := writeFile(t, "return.csv", "organisation_code,indicator,period,numerator,denominator,value,breakdown,status\n"+
		"QHG,ae_4h_all,2025-04,7000,10000,70,,final\n")
	tomorrow := time.Now().UTC().AddDate(0, 0, 1).Format(time.DateOnly)
	for _, tc := range []struct{ value, want string }{
		{"9/1/2025", `--published "9/1/2025" is not a date: write it as YYYY-MM-DD`},
		{"2025-02-30", `--published "2025-02-30" is not a date`},
		{tomorrow, "--published " + tomorrow + " is in the future"},
	} {
		t.Run(tc.value, func(t *testing.T) {
			_, _, err := runCLI(t, "import", "--db", db, "--published", tc.value, f)
			if ExitCode(err) != 2 || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v (exit %d), want one containing %q", err, ExitCode(err), tc.want)
			}
			if n := countObservations(t, db); n != 0 {
				t.Errorf("%d observations written despite a bad --published", n)
			}
		})
	}

	if _, stderr, err := runCLI(t, "import", "--db", db, "--published", "2025-05-08", f); err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	imps, _, err := openStore(t, db).FindImports(context.Background(), accord.ImportFilter{})
	if err != nil || len(imps) != 1 {
		t.Fatalf("%d imports, %v", len(imps), err)
	}
	if got := imps[0].PublishedOn.String(); got != "2025-05-08" {
		t.Errorf("published on %q, want 2025-05-08", got)
	}
}
