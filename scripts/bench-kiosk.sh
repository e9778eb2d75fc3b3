#!/bin/sh
# Runs the benchmarks of the kiosk domain package and prints a Markdown
# section: the command, the figures (median of COUNT runs) and the ratios to
# the baselines measured in the same run. `make bench` appends it to
# docs/benchmarks.md.
set -eu
cd "$(dirname "$0")/.."
COUNT="${COUNT:-5}"
CMD="go test -run '^\$' -bench . -benchmem -count $COUNT ./kiosk/"
OUT="$(mktemp)"
trap 'rm -f "$OUT"' EXIT
go test -run '^$' -bench . -benchmem -count "$COUNT" ./kiosk/ >"$OUT"

echo "## Kiosk domain (\`kiosk\`)"
echo
echo "Command: \`$CMD\` ($(go env GOOS)/$(go env GOARCH), $(grep '^cpu:' "$OUT" | sed 's/^cpu: *//; s/ *$//'), $(date -u +%Y-%m-%d))."
echo
echo "Baselines, measured in the same run: decoding the request JSON the app receives"
echo "(\`json.Unmarshal\` into \`kiosk.Request\`), and decoding the catalogue without any checks."
echo "Medians of $COUNT runs."
echo
awk -f scripts/bench-median.awk -f <(cat <<'AWK'
END {
	breq = median("BaselineDecodeRequest"); bcat = median("BaselineDecodeCatalogue")
	print "| benchmark | ns/op (median) | B/op | allocs/op | ratio to baseline |"
	print "|---|---:|---:|---:|---:|"
	for (i = 1; i <= k; i++) {
		name = order[i]; med = median(name)
		if (name ~ /Catalogue/) { base = bcat; bn = "catalogue decode" } else { base = breq; bn = "request decode" }
		printf "| %s | %.0f | %s | %s | %.3f× %s |\n", name, med, bop[name], aop[name], med / base, bn
	}
}
AWK
) "$OUT"
echo
echo "Reading: validating a whole request costs about the ratio shown of decoding it; receipt codes,"
echo "masking and quotes are far below it. The machine is shared, so single figures vary; the ratios"
echo "are what to compare between runs."
