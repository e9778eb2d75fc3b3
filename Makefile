# Commune Kiosk. The two commands a newcomer needs:
#   make run    install what is missing, build, start a demo city and kiosk
#   make test   install what the tests need, then every test
# Everything else here is what those two are made of.

GO        ?= go
BIN       := bin
VERSION   ?= $(shell git describe --always --dirty 2>/dev/null || echo dev)
LDFLAGS   := -X main.version=$(VERSION)
GOFILES   := $(shell find . -name '*.go' -not -path './frontend/node_modules/*' 2>/dev/null)
UIFILES   := $(shell find frontend/src frontend/index.html frontend/package.json frontend/vite.config.* -type f 2>/dev/null)

.PHONY: run test deps ui build desktop headless vet gotest uitest e2e smoke bench test-long screenshots package package-test clean help

help:
	@echo "make run    build and start a demo city and kiosk (window with a display, browser without)"
	@echo "make test   install what the tests need, then vet, Go tests, UI tests, browser e2e, window smoke test"
	@echo "make bench  benchmarks, written to docs/benchmarks.md (ONLY=\"fleet city\": just those sections)"
	@echo "make test-long  the long fault and exhaustive runs (KIOSK_LONG=1)"
	@echo "make package  .deb packages, the Windows .exe and installer, in build/bin (see docs/install.md)"

run:
	@scripts/deps.sh run
	@$(MAKE) --no-print-directory build
	@scripts/run-demo.sh

test:
	@scripts/test.sh

deps:
	@scripts/deps.sh test

# The UI, built into frontend/dist (embedded by both kiosk shells).
ui: frontend/dist/index.html
frontend/dist/index.html: $(UIFILES) frontend/package-lock.json
	cd frontend && npm run build
	@touch frontend/dist/.gitkeep

build: headless desktop

headless: ui
	CGO_ENABLED=0 $(GO) build -ldflags "$(LDFLAGS)" -o $(BIN)/kioskd ./cmd/kioskd
	CGO_ENABLED=0 $(GO) build -ldflags "$(LDFLAGS)" -o $(BIN)/cityd ./cmd/cityd

# The desktop window needs the desktop and production tags: without them
# wails builds a stub that only prints an error, so check the tags landed.
desktop: ui
	$(GO) build -tags desktop,production -ldflags "-w -s $(LDFLAGS)" -o $(BIN)/commune-kiosk .
	@$(GO) version -m $(BIN)/commune-kiosk | grep -q 'build	-tags=desktop,production' || \
		{ echo "desktop: $(BIN)/commune-kiosk was built without -tags desktop,production" >&2; exit 1; }

vet:
	$(GO) vet ./...
	$(GO) run honnef.co/go/tools/cmd/staticcheck@v0.8.2 ./...
	$(GO) mod tidy -diff

gotest:
	$(GO) test -race -count=1 ./...

uitest:
	cd frontend && npm test

e2e: headless
	scripts/e2e.sh

# Browser e2e that also refreshes docs/screenshots (look at them before
# committing), and the real window's screenshot.
screenshots: build
	SHOT_DIR=$(CURDIR)/docs/screenshots scripts/e2e.sh
	SMOKE_SHOT=$(CURDIR)/docs/screenshots/window-welcome-1280x800.png scripts/wails-smoke.sh

smoke: build
	scripts/wails-smoke.sh

bench: build
	scripts/bench.sh $(ONLY)

# The long variants: 1,000 kills of a submitting kiosk, longer sync fault
# runs, receipt-code checks over more sequence numbers; then the packages
# that run goroutines, ten times under the race detector (a race that shows
# one run in five is caught). The kill and offline loops start child
# processes and run once above; ten race runs of them add time, not cover.
RACEPKGS := ./sync/syncer ./kiosk/kioskdb ./internal/synce2e ./app ./city
test-long:
	KIOSK_LONG=1 $(GO) test -count=1 -timeout 90m ./kiosk/... ./internal/synce2e/
	$(GO) test -race -count=10 -timeout 60m -skip 'TestCrashKill|TestKillDuringSync|TestOfflineThenSync' $(RACEPKGS)

# Release artefacts in build/bin, without the Wails CLI: .deb packages of
# kioskd and cityd (amd64, arm64) and of the window (amd64), the Windows
# window commune-kiosk.exe, and its NSIS installer when makensis is there.
package: ui
	scripts/package.sh

# Checks the packages: contents, scripts, units, lintian, an install into a
# throwaway root and the installed binaries started from there.
package-test: package
	scripts/package-test.sh

clean:
	rm -rf $(BIN) build/bin frontend/dist/assets frontend/dist/index.html
