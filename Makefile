# Accord. `make demo` runs the service on sample data; `make test` runs every
# check that CI runs (.ci/run calls it).

GO       ?= go
NPM      ?= npm
FUZZTIME ?= 30s

# npm writes this file on every install, so its age is the age of node_modules.
NODE_STAMP   := node_modules/.package-lock.json
# scripts/vendor-assets.mjs (npm's postinstall) writes this one last.
VENDOR_STAMP := web/static/vendor/nhsuk/VERSION

.PHONY: all assets demo test build fuzz clean

all: build

# assets installs the front-end packages and vendors the NHS.UK frontend into
# web/static/vendor/. npm ci runs only when node_modules is missing or older
# than package-lock.json.
assets: $(VENDOR_STAMP)

$(NODE_STAMP): package.json package-lock.json
	$(NPM) ci --no-audit --no-fund
	@touch $@

# npm ci's postinstall has normally made this already; the rule rebuilds it
# when the script changes or the vendored folder was deleted.
$(VENDOR_STAMP): scripts/vendor-assets.mjs | $(NODE_STAMP)
	node scripts/vendor-assets.mjs

demo: assets
	$(GO) run ./cmd/accord demo

# With no ACCORD_TEST_POSTGRES_URL, the PostgreSQL suites use a local server
# when one answers; each test works in a schema of its own and drops it.
LOCAL_POSTGRES_URL := postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable

# gofmt looks at our own Go files only, not at node_modules.
test: assets
	@unformatted=$$(find . -name '*.go' -not -path './node_modules/*' -not -path './.git/*' -print0 | xargs -0 -r gofmt -l); \
	if [ -n "$$unformatted" ]; then \
		echo "gofmt: these files need formatting (run gofmt -w):"; echo "$$unformatted"; exit 1; \
	fi
	$(GO) vet ./...
	@if [ -z "$$ACCORD_TEST_POSTGRES_URL" ] && command -v pg_isready >/dev/null && pg_isready -q -h 127.0.0.1 -p 5432; then \
		export ACCORD_TEST_POSTGRES_URL='$(LOCAL_POSTGRES_URL)'; \
		echo "PostgreSQL answers on 127.0.0.1:5432: its suite runs there (set ACCORD_TEST_POSTGRES_URL to choose another)"; \
	fi; \
	echo "$(GO) test -race -count=1 ./..."; $(GO) test -race -count=1 ./...

build: assets
	$(GO) build -o bin/accord ./cmd/accord

# fuzz runs each fuzz target for FUZZTIME (go test runs one -fuzz target per
# invocation, so we list them per package first).
fuzz: assets
	@set -e; for pkg in $$($(GO) list ./...); do \
		list=$$($(GO) test -list '^Fuzz' $$pkg); \
		for target in $$(echo "$$list" | grep '^Fuzz' || true); do \
			echo "== $$pkg $$target ($(FUZZTIME))"; \
			$(GO) test -run '^$$' -fuzz "^$$target\$$" -fuzztime $(FUZZTIME) $$pkg; \
		done; \
	done

clean:
	rm -rf bin web/static/vendor
