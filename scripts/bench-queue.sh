#!/bin/sh
# Runs the back office's queue benchmarks over 1,000,000 dossiers and
# prints a Markdown section: the command, the figures (median of COUNT
# runs) and the ratios to the baseline measured in the same run (50
# requests read and decoded by key, no index). `make bench` appends it to
# docs/benchmarks.md.
set -eu
cd "$(dirname "$0")/.."
COUNT="${COUNT:-5}"
CMD="go test -run '^\$' -bench 'Q1M|Queue.*1M' -benchtime 20x -count $COUNT ./city/citybolt/"
OUT="$(mktemp)"
trap 'rm -f "$OUT"' EXIT
go test -run '^$' -bench 'Q1M|Queue.*1M' -benchtime 20x -count "$COUNT" ./city/citybolt/ >"$OUT"

echo "## Back-office queue over 1,000,000 dossiers (\`city/citybolt\`)"
echo
echo "Command: \`$CMD\` ($(go env GOOS)/$(go env GOARCH), $(grep '^cpu:' "$OUT" | head -1 | sed 's/^cpu: *//; s/ *$//'), $(nproc) cores, $(date -u +%Y-%m-%d))."
echo
echo "One store of 1,000,000 dossiers with the back office's indexes (126 communes, received over"
echo "2026; the last two weeks' still open, the rest closed), made once per process. Each \`QueuePage\`"
echo "is what one queue page asks the store (\`handleQueue\`): 50 dossiers and the"
echo "exact count of all 14 buckets (12 statuses, due soon, overdue), in the scope. \`Commune\`: an"
echo "officer of one commune (about 7,900 dossiers); \`City\`: all 126 communes; \`CityStatus\`: one"
echo "status, 5,000 rows in (keyset); \`CitySearch\`: a receipt code; \`CommuneService\`: service and"
echo "delivery, which no index answers (the commune's dossiers are read). The rest of a page (HTTP,"
echo "session, template) is \`QueuePageHTML\` in the city section: a whole page on a small store."
echo "Baseline, measured in the same run: \`BareRead50Q1M\`, 50 requests read and JSON-decoded by key."
echo "Target: a page within 100 ms. Medians of $COUNT runs."
echo
awk -f scripts/bench-median.awk -f <(cat <<'AWK'
END {
	base = median("BareRead50Q1M")
	print "| benchmark | ms/op (median) | ratio to BareRead50Q1M | within 100 ms |"
	print "|---|---:|---:|:---:|"
	for (i = 1; i <= k; i++) {
		name = order[i]; m = median(name)
		printf "| %s | %.2f | %.2f× | %s |\n", name, m / 1e6, m / base, (m <= 100e6 ? "yes" : "no")
	}
}
AWK
) "$OUT"
