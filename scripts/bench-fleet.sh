#!/usr/bin/env bash
# bench-fleet.sh: the fleet benchmark (internal/synce2e TestFleetBench):
# 500 simulated kiosks against 1 and 3 cityd on one PostgreSQL and 1 cityd
# on the embedded store, with a bare-pgx baseline in the same run. It starts
# its own throwaway PostgreSQL cluster (so that the server's CPU can be
# counted and nothing else runs on it) and prints a Markdown section.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
. scripts/pg-test.sh
OUT=$(mktemp)
trap 'pg_test_down >&2; rm -f "$OUT"' EXIT
pg_test_cluster >&2
export CITY_BENCH_PG_PID=$PG_TEST_PID
KIOSKS=${CITY_FLEET_KIOSKS:-500}
CMD="CITY_FLEET_BENCH=1 CITY_FLEET_KIOSKS=$KIOSKS go test -count=1 -run '^TestFleetBench\$' ./internal/synce2e/"
CITY_FLEET_BENCH=1 CITY_FLEET_KIOSKS=$KIOSKS CITY_FLEET_OUT=$OUT \
	go test -count=1 -timeout 30m -run '^TestFleetBench$' ./internal/synce2e/ >&2

echo "## Fleet: several cityd on PostgreSQL (\`internal/synce2e\` \`TestFleetBench\`)"
echo
echo "Command: \`scripts/bench-fleet.sh\`, which starts a throwaway PostgreSQL $(pg_test_bindir | grep -o '[0-9]*' | head -1) cluster (fsync and synchronous_commit on) and runs \`$CMD\` ($(nproc) cores, $(date -u +%Y-%m-%d)). The load generator, every cityd and PostgreSQL share these cores, all over loopback."
echo
cat "$OUT"
