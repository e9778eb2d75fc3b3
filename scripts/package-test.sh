#!/usr/bin/env bash
# package-test.sh: checks what `make package` made (see tools/pkgtest):
# package contents and scripts, units (systemd-analyze verify), lintian, the
# installed kioskd and cityd started from an unpacked root, the Windows and
# arm64 builds.
set -uo pipefail
cd "$(dirname "$0")/.."
log=$(mktemp)
go test -C tools -count=1 -v ./... -args -dist "$PWD/build/bin" >"$log" 2>&1
rc=$?
grep -E '^(--- |    --- |ok |FAIL|panic:)|^\s+\S+_test\.go:[0-9]+: ' "$log"
rm -f "$log"
exit $rc
