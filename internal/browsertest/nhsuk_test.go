package browsertest

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// The vendored NHS.UK frontend (make assets) works as our templates will use
// it: served under /static/vendor/nhsuk/, behind a strict CSP, with the
// "supported" class set by an external script and initAll called from an
// external module.
const nhsukPage = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Targets – Accord</title>
<link rel="stylesheet" href="/static/vendor/nhsuk/nhsuk-frontend.min.css">
<script type="module" src="/static/js/init.mjs"></script>
</head>
<body>
<script src="/static/js/supported.js"></script>
<a class="nhsuk-skip-link" data-module="nhsuk-skip-link" href="#maincontent">Skip to main content</a>
<div class="nhsuk-width-container">
<main class="nhsuk-main-wrapper" id="maincontent">
<h1 class="nhsuk-heading-l">Targets</h1>
<table class="nhsuk-table">
<caption class="nhsuk-table__caption">Trajectories by ICB</caption>
<thead class="nhsuk-table__head"><tr>
<th class="nhsuk-table__header" scope="col" data-sort aria-sort="ascending"><a class="nhsuk-link" href="?sort=icb">ICB</a></th>
<th class="nhsuk-table__header" scope="col">Status</th>
</tr></thead>
<tbody class="nhsuk-table__body"><tr class="nhsuk-table__row">
<td class="nhsuk-table__cell">QHM</td><td class="nhsuk-table__cell">On track</td>
</tr></tbody>
</table>
<button class="nhsuk-button" data-module="nhsuk-button" type="submit">Save</button>
</main>
</div>
</body>
</html>`

const supportedJS = `document.body.className += ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' nhsuk-frontend-supported' : '');`

const initJS = `import { initAll, version } from "/static/vendor/nhsuk/nhsuk-frontend.min.js";
window.nhsukErrors = [];
initAll({ onError: (err) => window.nhsukErrors.push(String(err)) });
document.documentElement.dataset.nhsukVersion = version;
`

func TestVendoredNHSUKFrontend(t *testing.T) {
	root, err := moduleRoot()
	if err != nil {
		t.Fatal(err)
	}
	vendor := filepath.Join(root, "web", "static", "vendor", "nhsuk")
	wantVersion, err := os.ReadFile(filepath.Join(vendor, "VERSION"))
	if err != nil {
		t.Fatalf("%v (run `make assets`)", err)
	}

	var (
		mu       sync.Mutex
		statuses = map[string]int{}
	)
	mux := http.NewServeMux()
	mux.Handle("/static/vendor/nhsuk/", http.StripPrefix("/static/vendor/nhsuk/", http.FileServer(http.Dir(vendor))))
	mux.HandleFunc("/static/js/supported.js", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/javascript")
		w.Write([]byte(supportedJS))
	})
	mux.HandleFunc("/static/js/init.mjs", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/javascript")
		w.Write([]byte(initJS))
	})
	mux.HandleFunc("/{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(nhsukPage))
	})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		w.Header().Set("Content-Security-Policy", "default-src 'self'")
		mux.ServeHTTP(rec, r)
		mu.Lock()
		statuses[r.URL.Path] = rec.status
		mu.Unlock()
	}))
	t.Cleanup(srv.Close)

	ctx := New(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL)); err != nil {
		t.Fatal(err)
	}

	// The module ran: it recorded the version and initialised the button.
	if err := chromedp.Do(ctx, chromedp.WaitReady(chromedp.CSS("html[data-nhsuk-version]"))); err != nil {
		t.Fatal(err)
	}
	version, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.documentElement.dataset.nhsukVersion`))
	if err != nil {
		t.Fatal(err)
	}
	if version != strings.TrimSpace(string(wantVersion)) {
		t.Errorf("nhsuk-frontend version in the page %q, VERSION file %q", version, wantVersion)
	}
	initErrs, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`window.nhsukErrors`))
	if err != nil {
		t.Fatal(err)
	}
	if len(initErrs) > 0 {
		t.Errorf("initAll errors: %q", initErrs)
	}
	inited, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector(".nhsuk-button").hasAttribute("data-nhsuk-button-init")`))
	if err != nil {
		t.Fatal(err)
	}
	if !inited {
		t.Error("initAll did not initialise the button")
	}

	// The stylesheet applied.
	font, err := chromedp.Run(ctx, chromedp.Evaluate[string](`getComputedStyle(document.body).fontFamily`))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.ToLower(font), "frutiger") {
		t.Errorf("body font-family %q: the NHS.UK stylesheet did not apply", font)
	}

	// The icon that the CSS names relative to itself was fetched; icons load
	// after layout, so wait for it a little.
	icon := "/static/vendor/nhsuk/assets/images/nhsuk-icon-arrow-up.svg"
	deadline := time.Now().Add(5 * time.Second)
	for {
		mu.Lock()
		st, ok := statuses[icon]
		mu.Unlock()
		if ok {
			if st != http.StatusOK {
				t.Errorf("GET %s: %d", icon, st)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Errorf("the page never asked for %s", icon)
			break
		}
		time.Sleep(50 * time.Millisecond)
	}

	mu.Lock()
	for path, st := range statuses {
		if st >= 400 && path != "/favicon.ico" {
			t.Errorf("GET %s: %d", path, st)
		}
	}
	mu.Unlock()

	v, err := Axe(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(v) != 0 {
		t.Error(FormatViolations(v))
	}
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(status int) {
	r.status = status
	r.ResponseWriter.WriteHeader(status)
}
