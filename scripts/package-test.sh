#!/usr/bin/env bash
# package-test.sh: checks what `make package` made (see tools/pkgtest):
# package contents and scripts, units (systemd-analyze verify), lintian, the
# installed kioskd and cityd started from an unpacked root, the Windows and
# arm64 builds.
set -uo pipefail
cd "$(dirname "$0")/.."
log=$(mktemp)
# -dist is pkgtest's own flag: the other packages' tests run without it.
others=$(go list -C tools ./... | grep -v '/pkgtest$')
{ go test -C tools -count=1 -v $others && go test -C tools -count=1 -v ./pkgtest -args -dist "$PWD/build/bin"; } >"$log" 2>&1
rc=$?
grep -E '^(--- |    --- |ok |FAIL|panic:)|^\s+\S+_test\.go:[0-9]+: ' "$log"
rm -f "$log"
exit $rc
