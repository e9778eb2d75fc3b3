#!/bin/sh
# Runs the benchmarks of the kiosk store (kiosk/kioskdb) and prints a
# Markdown section: the commands, the figures and the ratios to a bare bbolt
# commit measured in the same run. `make bench` appends it to
# docs/benchmarks.md.
#
#   COUNT=3            runs of the latency benchmark (medians are shown)
#   SUBMITS=2000       submissions per latency run
#   BYTES_N=10000      submissions for the bytes-per-request figure
#   OPEN_N=1000000     requests in the store whose open time is measured
#                      (0 skips it: building 1M takes minutes and ~1.5 GB)
set -eu
cd "$(dirname "$0")/.."
COUNT="${COUNT:-3}"
SUBMITS="${SUBMITS:-2000}"
BYTES_N="${BYTES_N:-10000}"
OPEN_N="${OPEN_N:-1000000}"
PKG=./kiosk/kioskdb/
LAT="$(mktemp)"; BYTES="$(mktemp)"; OPEN="$(mktemp)"
trap 'rm -f "$LAT" "$BYTES" "$OPEN"' EXIT

CMD1="go test -run '^\$' -bench 'SubmitVsBareCommit|SubmitParts' -benchtime ${SUBMITS}x -count $COUNT $PKG"
CMD2="go test -run '^\$' -bench BytesPerRequest -benchtime ${BYTES_N}x $PKG"
CMD3="KIOSKDB_BENCH_OPEN=1 KIOSKDB_BENCH_OPEN_N=$OPEN_N go test -run '^\$' -bench OpenLarge -benchtime 1x -timeout 60m $PKG"
go test -run '^$' -bench 'SubmitVsBareCommit|SubmitParts' -benchtime "${SUBMITS}x" -count "$COUNT" "$PKG" >"$LAT"
go test -run '^$' -bench BytesPerRequest -benchtime "${BYTES_N}x" "$PKG" >"$BYTES"
if [ "$OPEN_N" -gt 0 ]; then
	KIOSKDB_BENCH_OPEN=1 KIOSKDB_BENCH_OPEN_N="$OPEN_N" go test -run '^$' -bench OpenLarge -benchtime 1x -timeout 60m "$PKG" >"$OPEN"
fi

# metric FILE BENCH UNIT: the median of UNIT over the lines of BENCH.
metric() {
	awk -v b="$2" -v u="$3" '
	$1 ~ "^Benchmark" b "(-[0-9]+)?$" { for (i = 2; i < NF; i++) if ($(i+1) == u) v[++n] = $(i) + 0 }
	END {
		if (n == 0) { print "n/a"; exit }
		for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
		m = (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
		if (m >= 100) printf "%.0f", m; else if (m >= 0.01) printf "%.2f", m; else printf "%.2g", m
	}' "$1"
}

fs="$(df -T "${TMPDIR:-/tmp}" | awk 'NR == 2 { print $2 }')"
echo "## Kiosk store (\`kiosk/kioskdb\`)"
echo
echo "$(go env GOOS)/$(go env GOARCH), $(grep '^cpu:' "$LAT" | sed 's/^cpu: *//; s/ *$//'), $(nproc) cores, temp files on $fs, $(date -u +%Y-%m-%d); load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
echo
echo "### Submit latency against a bare bbolt commit"
echo
echo "Command: \`$CMD1\`"
echo
echo "Each iteration does, one after the other, a bare bbolt commit of one 16-byte key (default"
echo "options, its own file in the same directory) and the whole submit path: \`kiosk.Validate\` of a"
echo "valid birth-extract request, sealing it to the city's key (an anonymous sealed box) and one fsynced"
echo "\`Update\` writing the record, the receipt code, the outbox entry and the audit line. Medians over"
echo "$COUNT runs of $SUBMITS iterations."
echo
echo "| | p50 (µs) | p99 (µs) |"
echo "|---|---:|---:|"
echo "| bare bbolt one-key commit (baseline) | $(metric "$LAT" SubmitVsBareCommit bare-p50-µs) | $(metric "$LAT" SubmitVsBareCommit bare-p99-µs) |"
echo "| submit: validate + seal + commit | $(metric "$LAT" SubmitVsBareCommit submit-p50-µs) | $(metric "$LAT" SubmitVsBareCommit submit-p99-µs) |"
echo "| **ratio** (target p50 ≤ 1.5×, p99 ≤ 2×) | **$(metric "$LAT" SubmitVsBareCommit p50-ratio)×** | **$(metric "$LAT" SubmitVsBareCommit p99-ratio)×** |"
echo
echo "Parts of the path outside the commit, per request (ns/op, median): validate $(metric "$LAT" SubmitParts/validate ns/op); sealing with \`box.SealAnonymous\` $(metric "$LAT" SubmitParts/seal ns/op) (two X25519 multiplications; \`Submit\` pays it in full)."
echo
echo "### Bytes on disk per request"
echo
echo "Command: \`$CMD2\`"
echo
echo "File size after $BYTES_N submissions (one transaction each, as on a kiosk) divided by $BYTES_N:"
echo "**$(metric "$BYTES" BytesPerRequest file-bytes/req) bytes per request** (target ≤ 4096), of which the sealed payload is $(metric "$BYTES" BytesPerRequest sealed-bytes/req) bytes."
echo "bbolt grows the file ahead of its data (to the next power of two below 16 MiB, then in 16 MiB"
echo "steps), so at this size part of the file is not yet used: up to the high-water mark the store"
echo "uses $(metric "$BYTES" BytesPerRequest hwm-bytes/req) bytes per request. The 1M store below shows the figure for a large store."
echo
if [ "$OPEN_N" -gt 0 ]; then
	echo "### Opening a store of $OPEN_N requests"
	echo
	echo "Command: \`$CMD3\`"
	echo
	echo "The store is built in the benchmark's setup with batched transactions of 10,000 requests each"
	echo "(not one \`Update\` per request); each request has its record, receipt code, outbox entry, audit"
	echo "line and a real sealed payload (one payload sealed once and reused, so the size is real and"
	echo "the build does not pay for sealing). Build time: $(metric "$OPEN" OpenLarge build-s) s; file: $(metric "$OPEN" OpenLarge file-bytes/req) bytes per request."
	echo
	echo "| open | seconds |"
	echo "|---|---:|"
	echo "| with the integrity check (\`tx.Check\`, the default) | $(metric "$OPEN" OpenLarge open-checked-s) |"
	echo "| without it (\`SkipCheck\`) | $(metric "$OPEN" OpenLarge open-unchecked-s) |"
	echo
fi
echo "The machine is shared with other work; absolute times vary from run to run, the ratios less so."
