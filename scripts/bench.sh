#!/usr/bin/env bash
# bench.sh: runs every area's benchmark script and writes docs/benchmarks.md.
# With area names (scripts/bench.sh fleet city, or make bench ONLY="fleet
# city"), it runs only scripts/bench-AREA.sh for those and replaces their
# sections in docs/benchmarks.md, keeping the others as they were (each
# section says its own command and date).
set -euo pipefail
cd "$(dirname "$0")/.."
out=docs/benchmarks.md
tmp=$(mktemp)
section() {
	echo "<!-- $1 -->"
	bash "$1"
	echo
}
if [ $# -eq 0 ]; then
	{
		echo "# Benchmarks"
		echo
		echo "Made by \`make bench\` (scripts/bench.sh) on $(date -u +%Y-%m-%d), $(nproc) cores, $(go version | cut -d' ' -f3)."
		echo "Every figure is a ratio to a baseline measured in the same run, or a count;"
		echo "absolute times are given for reference only: the machine is shared and noisy."
		echo "Each section names its command and the day it was made."
		echo
		for s in scripts/bench-*.sh; do
			section "$s"
		done
	} >"$tmp"
else
	cp "$out" "$tmp"
	for area in "$@"; do
		s=scripts/bench-$area.sh
		[ -f "$s" ] || { echo "bench: no $s" >&2; exit 2; }
		grep -qF "<!-- $s -->" "$tmp" || { echo "bench: $out has no section for $s; run make bench" >&2; exit 2; }
		new=$(mktemp)
		section "$s" >"$new"
		# Replace from this section's marker up to the next marker (or the end).
		awk -v mark="<!-- $s -->" -v new="$new" '
			$0 == mark { while ((getline line < new) > 0) print line; skip = 1; next }
			skip && /^<!-- scripts\/bench-.*\.sh -->$/ { skip = 0 }
			!skip { print }
		' "$tmp" >"$tmp.next"
		mv "$tmp.next" "$tmp"
		rm -f "$new"
	done
fi
chmod 644 "$tmp"
mv "$tmp" "$out"
echo "bench: wrote $out"
