#!/bin/sh
# Runs the uptake report's benchmarks over 1,000,000 dossiers and prints a
# Markdown section: the command, the figures (median of COUNT runs) and the
# ratios to the baseline measured in the same run (a bare cursor walk over
# the same rows). `make bench` appends it to docs/benchmarks.md.
set -eu
cd "$(dirname "$0")/.."
COUNT="${COUNT:-5}"
CMD="go test -run '^\$' -bench 'Report.*1M' -benchtime 5x -count $COUNT ./city/citybolt/"
OUT="$(mktemp)"
trap 'rm -f "$OUT"' EXIT
go test -run '^$' -bench 'Report.*1M' -benchtime 5x -count "$COUNT" ./city/citybolt/ >"$OUT"

echo "## Uptake report over 1,000,000 dossiers (\`city/citybolt\`)"
echo
echo "Command: \`$CMD\` ($(go env GOOS)/$(go env GOARCH), $(grep '^cpu:' "$OUT" | head -1 | sed 's/^cpu: *//; s/ *$//'), $(nproc) cores, $(date -u +%Y-%m-%d))."
echo
echo "One store of 1,000,000 dossiers (126 communes, four services, received over 2026, twelve"
echo "statuses in turn), made once per process; the report reads only its own index, which the"
echo "benchmark fills with the rows Ingest and UpdateDossiers write. Baseline, measured in the same run:"
echo "\`ScanReport1M\`, a bare cursor walk over those rows. \`ReportMonth1M\` is November's report for"
echo "the whole city (every row read, those of the month and the ones still open counted);"
echo "\`ReportYear1M\` the year's, every row counted. Target: at most 1 s. Medians of $COUNT runs."
echo
awk -f scripts/bench-median.awk -f <(cat <<'AWK'
END {
	base = median("ScanReport1M")
	print "| benchmark | ms/op (median) | ratio to ScanReport1M | within 1 s |"
	print "|---|---:|---:|:---:|"
	for (i = 1; i <= k; i++) {
		name = order[i]; m = median(name)
		printf "| %s | %.0f | %.2f× | %s |\n", name, m / 1e6, m / base, (m <= 1e9 ? "yes" : "NO")
	}
}
AWK
) "$OUT"
