package cli

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nhs-accord/accord"
	"github.com/nhs-accord/accord/store"

	_ "github.com/jackc/pgx/v5/stdlib"
)

// runCLI runs the command line in-process and returns what it printed.
func runCLI(t *testing.T, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errb bytes.Buffer
	err = run(context.Background(), args, &env{stdout: &out, stderr: &errb, getenv: func(string) string { return "" }})
	return out.String(), errb.String(), err
}

func TestHelpForEveryCommand(t *testing.T) {
	for _, c := range commands() {
		out, _, err := runCLI(t, c.name, "--help")
		if err != nil {
			t.Errorf("%s --help: %v", c.name, err)
		}
		if !strings.Contains(out, "Usage: accord "+c.name) {
			t.Errorf("%s --help printed %q", c.name, out)
		}
	}
	out, _, err := runCLI(t, "help")
	if err != nil || !strings.Contains(out, "demo") || !strings.Contains(out, "migrate") {
		t.Errorf("help: %v %q", err, out)
	}
}

func TestUsageErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{nil, "no command given"},
		{[]string{"frobnicate"}, `unknown command "frobnicate"`},
		{[]string{"serve", "--bogus"}, "flag provided but not defined: -bogus"},
		{[]string{"serve", "--log-level", "loud"}, `log level "loud"`},
		{[]string{"import"}, "name at least one FILE"},
		{[]string{"import", "--format", "xml", "x.csv"}, `--format "xml"`},
		{[]string{"migrate", "--db", ""}, "--db is empty"},
	} {
		_, _, err := runCLI(t, tc.args...)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: error %v, want %q", tc.args, err, tc.want)
		}
		if ExitCode(err) != 2 {
			t.Errorf("%v: exit code %d, want 2", tc.args, ExitCode(err))
		}
	}
}

func TestVersion(t *testing.T) {
	out, _, err := runCLI(t, "version")
	if err != nil || !strings.HasPrefix(out, "accord dev") {
		t.Errorf("version: %v %q", err, out)
	}
}

func TestDBThatCannotBeOpened(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "no-such-dir", "accord.db")
	_, _, err := runCLI(t, "migrate", "--db", bad)
	if err == nil || !strings.Contains(err.Error(), bad) {
		t.Fatalf("error %v does not name %s", err, bad)
	}
	if _, statErr := os.Stat(bad); !os.IsNotExist(statErr) {
		t.Errorf("a file was created at %s", bad)
	}
}

func TestServeRefusesSchemaBehind(t *testing.T) {
	db := filepath.Join(t.TempDir(), "fresh.db")
	_, _, err := runCLI(t, "serve", "--db", db, "--addr", "127.0.0.1:0")
	if accord.ErrorCode(err) != accord.ESCHEMA || !strings.Contains(err.Error(), "accord migrate") {
		t.Fatalf("serve on an unmigrated database: %v", err)
	}
}

func TestMigrateIsIdempotent(t *testing.T) {
	db := filepath.Join(t.TempDir(), "a.db")
	out1, _, err := runCLI(t, "migrate", "--db", db)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out1, "7 regions, 42 ICBs, 106 sub-ICB locations, 153 places, 215 NHS trusts") {
		t.Errorf("first migrate printed %q", out1)
	}
	out2, _, err := runCLI(t, "migrate", "--db", db)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out2, "0 migrations applied now") {
		t.Errorf("second migrate printed %q", out2)
	}
	st := openStore(t, db)
	_, total, err := st.FindOrganisations(context.Background(), accord.OrganisationFilter{})
	if err != nil || total != 1+7+42+106+153+215 {
		t.Errorf("organisations after two loads: %d %v", total, err)
	}
}

func openStore(t *testing.T, dsn string) *store.DB {
	t.Helper()
	st, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func countObservations(t *testing.T, dsn string) int {
	t.Helper()
	_, n, err := openStore(t, dsn).FindObservations(context.Background(), accord.ObservationFilter{AnyBreakdown: true})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestImportBadInput holds the foundation's bad-input promises: each fault
// is named with where it is, and nothing from the file is written.
func TestImportBadInput(t *testing.T) {
	db := filepath.Join(t.TempDir(), "imp.db")
	if _, _, err := runCLI(t, "migrate", "--db", db); err != nil {
		t.Fatal(err)
	}
	const header = "organisation_code,indicator,period,numerator,denominator,value,breakdown,status\n"
	good := "QHG,ae_4h_all,2025-04,7000,10000,70,,final\n"
	for _, tc := range []struct {
		name, rows, want string
	}{
		{"unknown organisation", "ZZZ9,ae_4h_all,2025-04,1,2,50,,final\n", `return.csv:3:1: organisation "ZZZ9" is not known for 2025-04`},
		{"month 13", "QHG,ae_4h_all,2025-13,1,2,50,,final\n", `return.csv:3:3: period "2025-13": month must be between 01 and 12`},
		{"financial year 2025/27", "QHG,ae_4h_all,2025/27,1,2,50,,final\n", `return.csv:3:3: period "2025/27"`},
		{"percentage of 140", "QUE,ae_4h_all,2025-04,,,140,,final\n", `return.csv:3: observation ae_4h_all for QUE in 2025-04: value: 140 is not a percentage between 0 and 100`},
		{"numerator above denominator", "QUE,ae_4h_all,2025-04,12,10,50,,final\n", `numerator: 12 is more than the denominator 10`},
		{"duplicate in the file", good, `return.csv:3: duplicate in this file: ae_4h_all for QHG in 2025-04`},
		{"unknown indicator", "QHG,happiness,2025-04,,,50,,final\n", `return.csv:3: indicator "happiness" is not in the catalogue`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := writeFile(t, "return.csv", header+good+tc.rows)
			_, stderr, err := runCLI(t, "import", "--db", db, f)
			if err == nil || ExitCode(err) != 2 {
				t.Fatalf("import accepted bad input: %v", err)
			}
			if !strings.Contains(stderr, tc.want) {
				t.Errorf("stderr %q lacks %q", stderr, tc.want)
			}
			if n := countObservations(t, db); n != 0 {
				t.Errorf("%d observations written from a rejected file", n)
			}
		})
	}

	// Every fault in a file is reported in one pass, in line order.
	f0 := writeFile(t, "all.csv", header+"QHG,ae_4h_all,2025-13,,,50,,final\nZZZ9,ae_4h_all,2025-04,,,50,,final\nQHG,ae_4h_all,2025/27,,,50,,final\nQUE,ae_4h_all,2025-04,,,140,,final\n")
	_, stderr0, _ := runCLI(t, "import", "--db", db, f0)
	var lines []string
	for _, l := range strings.Split(strings.TrimSpace(stderr0), "\n") {
		lines = append(lines, l[len(f0)+1:len(f0)+2])
	}
	if strings.Join(lines, "") != "2345" {
		t.Errorf("want one problem for each of lines 2–5 in order, got:\n%s", stderr0)
	}

	// A good file imports; the same rows again clash with what is stored and
	// change nothing.
	// Luton is named by its ONS code, Surrey Heartlands by its ONS code from before April 2023.
	f := writeFile(t, "return.csv", header+good+"E06000032,healthy_life_expectancy_birth,2021-23,,,61.2,sex=female,final\n"+
		"E54000052,ae_4h_all,2023-01,,,71.5,,final\n")
	out, _, err := runCLI(t, "import", "--db", db, "--dry-run", f)
	if err != nil || !strings.Contains(out, "would import (dry run: nothing written) 3 observations") || countObservations(t, db) != 0 {
		t.Fatalf("dry run: %v %q", err, out)
	}
	if out, _, err := runCLI(t, "import", "--db", db, f); err != nil || !strings.Contains(out, "imported 3 observations") {
		t.Fatalf("import: %v %q", err, out)
	}
	// The same file again changes nothing.
	out, _, err = runCLI(t, "import", "--db", db, f)
	if err != nil || !strings.Contains(out, "already imported as import 1") {
		t.Errorf("re-import: %v %q", err, out)
	}
	if n := countObservations(t, db); n != 3 {
		t.Errorf("%d observations after re-importing the same file, want 3", n)
	}
	// A revised return replaces the earlier value and keeps it.
	revised := writeFile(t, "return-revised.csv", header+"QHG,ae_4h_all,2025-04,7100,10000,71,,final\n")
	out, _, err = runCLI(t, "import", "--db", db, revised)
	if err != nil || !strings.Contains(out, "1 earlier values of the same publication replaced") {
		t.Errorf("revised import: %v %q", err, out)
	}
	revs, _, err := openStore(t, db).FindRevisions(context.Background(), accord.ObservationFilter{IndicatorID: "ae_4h_all", OrgCodes: []string{"QHG"}})
	if err != nil || len(revs) != 1 || revs[0].Value != 70 {
		t.Errorf("revisions: %+v %v", revs, err)
	}
	// Rolling the revision back restores the earlier value.
	if out, _, err := runCLI(t, "imports", "--db", db, "rollback", "2"); err != nil || !strings.Contains(out, "1 earlier values restored") {
		t.Errorf("rollback: %v %q", err, out)
	}
	obs, _, _ := openStore(t, db).FindObservations(context.Background(), accord.ObservationFilter{IndicatorID: "ae_4h_all", OrgCodes: []string{"QHG"}})
	if len(obs) != 1 || obs[0].Value != 70 {
		t.Errorf("after rollback: %+v", obs)
	}
	if out, _, err := runCLI(t, "imports", "--db", db); err != nil || !strings.Contains(out, "rolled_back") || !strings.Contains(out, "return-revised.csv") {
		t.Errorf("imports list: %v\n%s", err, out)
	}
	if n := countObservations(t, db); n != 3 {
		t.Errorf("%d observations at the end, want 3", n)
	}
	_, n, err := openStore(t, db).FindObservations(context.Background(), accord.ObservationFilter{OrgCodes: []string{"QXU"}})
	if err != nil || n != 1 {
		t.Errorf("the row given under Surrey Heartlands' old ONS code is not stored under QXU: %d %v", n, err)
	}
}

// demo starts `accord demo` in the background and returns its base URL.
func startDemo(t *testing.T, dsn string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	addrc := make(chan string, 1)
	done := make(chan error, 1)
	var out syncBuffer
	go func() {
		done <- run(ctx, []string{"demo", "--db", dsn, "--addr", "127.0.0.1:0", "--log-level", "warn"},
			&env{stdout: &out, stderr: &out, getenv: func(string) string { return "" }, ready: func(a string) { addrc <- a }})
	}()
	select {
	case addr := <-addrc:
		t.Cleanup(func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("demo stopped with %v", err)
			}
		})
		if !strings.Contains(out.String(), "Accord is running at http://"+addr) {
			t.Errorf("demo did not print its URL: %q", out.String())
		}
		return "http://" + addr
	case err := <-done:
		cancel()
		t.Fatalf("demo exited: %v\n%s", err, out.String())
	case <-time.After(2 * time.Minute):
		cancel()
		t.Fatalf("demo did not start:\n%s", out.String())
	}
	return ""
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func getJSON(t *testing.T, url string, into any) int {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if into != nil {
		if err := json.Unmarshal(body, into); err != nil {
			t.Fatalf("%s: %v\n%s", url, err, body)
		}
	}
	return resp.StatusCode
}

type list struct {
	Items []map[string]any `json:"items"`
	Total int              `json:"total"`
}

// checkDemoAPI checks what a user of the demo's API sees.
func checkDemoAPI(t *testing.T, base string) {
	if code := getJSON(t, base+"/healthz", nil); code != 200 {
		t.Errorf("/healthz %d", code)
	}
	if code := getJSON(t, base+"/readyz", nil); code != 200 {
		t.Errorf("/readyz %d", code)
	}
	var l list
	for typ, want := range map[string]int{"region": 7, "icb": 42, "place": 153, "provider": 215, "sub_icb": 106} {
		getJSON(t, base+"/api/v1/organisations?type="+typ, &l)
		if l.Total != want {
			t.Errorf("type=%s: total %d, want %d", typ, l.Total, want)
		}
	}
	getJSON(t, base+"/api/v1/organisations?parent=Y62", &l)
	if l.Total != 3 { // Cheshire and Merseyside, Greater Manchester, Lancashire and South Cumbria
		t.Errorf("ICBs in the North West: %d", l.Total)
	}
	for _, it := range l.Items {
		for _, k := range []string{"code", "ons_code", "name", "type", "parent_code"} {
			if _, ok := it[k]; !ok {
				t.Errorf("organisation item lacks %q: %v", k, it)
			}
		}
	}
	getJSON(t, base+"/api/v1/observations?indicator=ae_4h_all&organisation=QHG&from=2018-12&to=2019-01", &l)
	if l.Total != 2 {
		t.Errorf("A&E 4-hour for QHG Dec 2018–Jan 2019: %d observations", l.Total)
	}
	// The published totals, as the demo imported them through the importers.
	value := func(query string) float64 {
		t.Helper()
		var l list
		getJSON(t, base+"/api/v1/observations?"+query, &l)
		if l.Total != 1 {
			t.Fatalf("%s: %d observations", query, l.Total)
		}
		return l.Items[0]["value"].(float64)
	}
	if v := value("indicator=rtt_waiting_list&organisation=RBD&from=2024-11&to=2024-11"); v != 21702 {
		t.Errorf("RBD incomplete pathways, November 2024: %v, want 21,702", v)
	}
	// December 2025's TOTAL row: 1,718,488 of 2,327,015 attendances within 4 hours.
	if v := value("indicator=ae_4h_all&organisation=ENG&from=2025-12&to=2025-12"); v < 73.849 || v > 73.850 {
		t.Errorf("England A&E 4-hour share, December 2025: %v, want 73.85 (1,718,488 / 2,327,015)", v)
	}
	// October 2023 Faster Diagnosis Standard: 192,880 of 271,402.
	if v := value("indicator=cancer_fds_28d&organisation=ENG&from=2023-10&to=2023-10"); v < 71.068 || v > 71.069 {
		t.Errorf("England FDS, October 2023: %v, want 71.07", v)
	}
	if v := value("indicator=healthy_life_expectancy_birth&organisation=E06000032&from=2009-2011&to=2009-2011&breakdown=sex%3Dfemale"); v != 59.7 {
		t.Errorf("Luton female healthy life expectancy 2009-11: %v", v)
	}
	getJSON(t, base+"/api/v1/imports", &l)
	if l.Total != 10 {
		t.Errorf("%d imports, want the 10 shipped files", l.Total)
	}
	getJSON(t, base+"/api/v1/priorities", &l)
	if l.Total != 34 {
		t.Errorf("priorities: %d", l.Total)
	}
	var e struct {
		Error struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	if code := getJSON(t, base+"/api/v1/organisations/NOPE1", &e); code != 404 || e.Error.Code != "not_found" {
		t.Errorf("unknown organisation: %d %+v", code, e)
	}
	if code := getJSON(t, base+"/api/v1/observations?from=2025-13", &e); code != 400 || !strings.Contains(e.Error.Message+fmt.Sprint(e), "2025-13") {
		t.Errorf("malformed period: %d %+v", code, e)
	}
}

func TestDemoOnSQLite(t *testing.T) {
	dsn := filepath.Join(t.TempDir(), "demo.db")
	base := startDemo(t, dsn)
	checkDemoAPI(t, base)
	checkPagesInBrowser(t, base)
}

// TestDemoReusesDatabase runs the demo twice on one file: the second run
// finds the sample data already there and adds nothing.
func TestDemoReusesDatabase(t *testing.T) {
	dsn := filepath.Join(t.TempDir(), "demo.db")
	var out bytes.Buffer
	for i := range 2 {
		ctx, cancel := context.WithCancel(context.Background())
		out.Reset()
		err := run(ctx, []string{"demo", "--db", dsn, "--addr", "127.0.0.1:0"},
			&env{stdout: &out, stderr: io.Discard, getenv: func(string) string { return "" }, ready: func(string) { cancel() }})
		if err != nil {
			t.Fatalf("run %d: %v", i+1, err)
		}
	}
	if strings.Count(out.String(), "already imported") != 10 {
		t.Errorf("second demo run printed %q", out.String())
	}
	if n := countObservations(t, dsn); n == 0 {
		t.Error("no observations")
	}
}

// postgresURL returns a URL to a fresh schema on the test PostgreSQL server.
func postgresURL(t *testing.T) string {
	t.Helper()
	base := os.Getenv("ACCORD_TEST_POSTGRES_URL")
	if base == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("CI must run the PostgreSQL suite: set ACCORD_TEST_POSTGRES_URL")
		}
		t.Skip("ACCORD_TEST_POSTGRES_URL is not set")
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	schema := fmt.Sprintf("cli_%d", time.Now().UnixNano())
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		a, err := sql.Open("pgx", base)
		if err == nil {
			a.Exec("DROP SCHEMA " + schema + " CASCADE")
			a.Close()
		}
	})
	sep := "?"
	if strings.Contains(base, "?") {
		sep = "&"
	}
	return base + sep + "search_path=" + schema
}

func TestDemoOnPostgres(t *testing.T) {
	base := startDemo(t, postgresURL(t))
	checkDemoAPI(t, base)
}
