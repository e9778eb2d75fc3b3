#!/bin/sh
# Drains N (default 100,000) queued requests from a real kiosk store to a
# real city running in its own process, over loopback, and prints a
# Markdown section: the command, requests per second, CPU time per request
# on each side, and the ratio to the baseline measured in the same run (the
# same number of requests sent as the same gzipped 100-item batches to a
# handler that only reads them). `make bench` appends it to
# docs/benchmarks.md. Building the queue takes a few minutes (setup, not
# measured).
set -eu
cd "$(dirname "$0")/.."
N="${KIOSK_BENCH_SYNC_N:-100000}"
CMD="KIOSK_BENCH_SYNC=1 KIOSK_BENCH_SYNC_N=$N go test -run '^\$' -bench BenchmarkSyncDrain -benchtime 1x -timeout 60m ./internal/synce2e/"
OUT="$(mktemp)"
trap 'rm -f "$OUT"' EXIT
KIOSK_BENCH_SYNC=1 KIOSK_BENCH_SYNC_N="$N" go test -run '^$' -bench BenchmarkSyncDrain -benchtime 1x -timeout 60m ./internal/synce2e/ >"$OUT" 2>&1 || {
	cat "$OUT" >&2
	exit 1
}

echo "## Sync drain (\`sync/syncer\` → \`city\`)"
echo
echo "Command: \`$CMD\` ($(go env GOOS)/$(go env GOARCH), $(grep '^cpu:' "$OUT" | head -1 | sed 's/^cpu: *//; s/ *$//'), $(nproc) cores shared by both processes, $(date -u +%Y-%m-%d))."
echo
echo "One \`RunOnce\` drains $N requests queued in a real \`kioskdb\` file on disk to a real city"
echo "(\`city.Server\` on \`citybolt\`, on disk) in a separate process, over loopback HTTP: 100-item"
echo "signed gzipped pushes, each batch's results applied in one fsynced kiosk transaction, then pull"
echo "and heartbeat. CPU time is each process's getrusage (user + system) over the drain. Baseline,"
echo "measured in the same run: the same number of requests sent as the same gzipped 100-item push"
echo "body to a handler that only reads it (transport alone: no signing, sealed-box opening,"
echo "validation or storage)."
echo
awk '
/^BenchmarkSyncDrain/ {
	for (i = 3; i < NF; i++) v[$(i + 1)] = $i
}
END {
	print "| | requests/s | kiosk CPU µs/request | city CPU µs/request |"
	print "|---|---:|---:|---:|"
	printf "| sync drain | %.0f | %.1f | %.1f |\n", v["req/s"], v["kiosk-cpu-µs/req"], v["city-cpu-µs/req"]
	printf "| baseline (transport only) | %.0f | %.1f | %.1f |\n", v["baseline-req/s"], v["baseline-kiosk-cpu-µs/req"], v["baseline-city-cpu-µs/req"]
	print ""
	printf "Ratio of the drain to the baseline: %.3f× the requests per second. Target: ≥ 20,000 requests/s", v["ratio-vs-baseline"]
	if (v["req/s"] >= 20000) print " — met." ; else printf " — **not met** (%.0f%% of it).\n", 100 * v["req/s"] / 20000
}' "$OUT"
grep 'drained' "$OUT" | sed 's/^ *bench_test.go:[0-9]*: /\n/' | sed -n '2p' | sed 's/^/Run: /'
