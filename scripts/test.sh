#!/usr/bin/env bash
# test.sh: what `make test` runs. Installs what the tests need, builds, then
# vet, staticcheck, go mod tidy -diff, the UI's unit tests, the browser end-to-end tests, the window smoke
# test and, last, the Go tests, whose summary closes the output.
set -uo pipefail
cd "$(dirname "$0")/.."
export GOFLAGS=${GOFLAGS:-}

step() { printf '\n==> %s\n' "$*"; }
failed=()

step "Installing what the tests need"
scripts/deps.sh test || exit 1
step "Building the UI, kioskd, cityd and the desktop window"
make --no-print-directory build || exit 1

step "Packages: make package, then their checks (contents, units, lintian, installed binaries started)"
{ make --no-print-directory package && scripts/package-test.sh; } || failed+=("packages")

step "go vet ./..."
go vet ./... || failed+=("go vet")

# staticcheck at a pinned version (go run fetches it through the module
# proxy once, then runs it from the module cache): dropped errors,
# deprecated calls, dead code.
step "staticcheck ./... (honnef.co/go/tools v0.8.2)"
go run honnef.co/go/tools/cmd/staticcheck@v0.8.2 ./... || failed+=("staticcheck")

step "go mod tidy -diff"
go mod tidy -diff || failed+=("go mod tidy")

# No built program is committed by mistake (git add -A after a build at
# the root): the largest tracked files are fonts and screenshots, under 1 MB.
step "no large files tracked"
big=$(git ls-files -z | xargs -0 stat -c '%s %n' 2>/dev/null | awk '$1 > 2000000 { print $2 " (" $1 " bytes)" }')
if [ -n "$big" ]; then echo "tracked files over 2 MB: $big"; failed+=("large files"); fi

step "UI unit tests (vitest)"
(cd frontend && npm test) || failed+=("ui unit tests")

# The types, in components too: the api module's contract examples
# (frontend/src/lib/api/contract.test.ts) are checked by the compiler here.
step "UI type check (svelte-check)"
(cd frontend && npm run --silent check) || failed+=("ui type check")

step "Browser end-to-end tests (headless Chromium on kioskd)"
scripts/e2e.sh || failed+=("browser e2e")

step "Desktop window smoke test (Xvfb)"
scripts/wails-smoke.sh || failed+=("window smoke test")

step "PostgreSQL for the store tests"
. scripts/lib.sh
. scripts/pg-test.sh
trap pg_test_down EXIT
if ! pg_test_up; then
	failed+=("postgresql")
	# Without a server the PostgreSQL tests would be skipped: in CI that is
	# a failure, never a pass.
	[ "${CI:-}" = true ] && export CITY_REQUIRE_PG=1
fi

step "go test -race -count=1 ./..."
log=$(mktemp)
go test -race -count=1 -timeout 20m ./... 2>&1 | tee "$log"
gorc=${PIPESTATUS[0]}
[ "$gorc" -eq 0 ] || failed+=("go test")
pass=$(grep -c '^ok ' "$log")
fail_pkgs=$(grep -c '^FAIL	' "$log")
rm -f "$log"

echo
if [ ${#failed[@]} -gt 0 ]; then
	echo "make test: FAILED: ${failed[*]}"
fi
echo "packages: $pass passed, $fail_pkgs failed"
[ ${#failed[@]} -eq 0 ]
