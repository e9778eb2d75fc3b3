#!/bin/sh
# Runs the city's benchmarks and prints a Markdown section: the command,
# the figures (median of COUNT runs) and the ratios to the baseline measured
# in the same run (a bare bbolt commit of 100 values of a sealed request's
# size). `make bench` appends it to docs/benchmarks.md.
set -eu
cd "$(dirname "$0")/.."
COUNT="${COUNT:-5}"
CMD="go test -run '^\$' -bench . -skip 1M -benchtime 40x -count $COUNT ./city/ ./city/citybolt/"
OUT="$(mktemp)"
trap 'rm -f "$OUT"' EXIT
go test -run '^$' -bench . -skip 1M -benchtime 40x -count "$COUNT" ./city/ ./city/citybolt/ >"$OUT"

echo "## City (\`city\`, \`city/citybolt\`)"
echo
echo "Command: \`$CMD\` ($(go env GOOS)/$(go env GOARCH), $(grep '^cpu:' "$OUT" | head -1 | sed 's/^cpu: *//; s/ *$//'), $(nproc) cores, $(date -u +%Y-%m-%d))."
echo
echo "Baseline, measured in the same run: \`BareBoltBatch\`, one fsynced bbolt \`Update\` putting 100"
echo "values of 1.5 KB. \`Push100\` is one signed, gzipped push of 100 new requests through the real"
echo "handler over loopback HTTP (signature, replay check, 100 sealed-box opens, \`kiosk.Validate\`, one"
echo "ingest transaction; the test's client shares the 2 cores). \`Ingest100\` is the store's ingest"
echo "transaction alone, \`Fresh\` the replay check of one request. Medians of $COUNT runs."
echo
awk -f scripts/bench-median.awk -f <(cat <<'AWK'
END {
	base = median("BareBoltBatch")
	print "| benchmark | ms/op (median) | items/s | ratio to BareBoltBatch |"
	print "|---|---:|---:|---:|"
	for (i = 1; i <= k; i++) {
		name = order[i]; m = median(name)
		items = (name ~ /100$/ || name == "BareBoltBatch") ? sprintf("%.0f", 100 * 1e9 / m) : "—"
		printf "| %s | %.2f | %s | %.2f× |\n", name, m / 1e6, items, m / base
	}
}
AWK
) "$OUT"
