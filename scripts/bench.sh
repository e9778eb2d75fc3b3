#!/usr/bin/env bash
# bench.sh: runs every area's benchmark script and writes docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
out=docs/benchmarks.md
tmp=$(mktemp)
{
	echo "# Benchmarks"
	echo
	echo "Made by \`make bench\` (scripts/bench.sh) on $(date -u +%Y-%m-%d), $(nproc) cores, $(go version | cut -d' ' -f3)."
	echo "Every figure is a ratio to a baseline measured in the same run, or a count;"
	echo "absolute times are given for reference only: the machine is shared and noisy."
	echo
	for s in scripts/bench-*.sh; do
		echo "<!-- $s -->"
		bash "$s"
		echo
	done
} >"$tmp"
chmod 644 "$tmp"
mv "$tmp" "$out"
echo "bench: wrote $out"
