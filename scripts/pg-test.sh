# pg-test.sh: sourced by test.sh and bench-fleet.sh. pg_test_up makes sure
# the Go tests have a PostgreSQL: CITY_TEST_PG_DSN (or the local server on
# 127.0.0.1:5432, database test) when it answers; otherwise a throwaway
# cluster in a temporary folder on a free port, run as the postgres user
# when we are root, and exports CITY_TEST_PG_DSN for it. pg_test_down stops
# that cluster by its PID and removes the folder.

PG_TEST_DIR=""
PG_TEST_PID=""

pg_test_bindir() {
	local d
	for d in /usr/lib/postgresql/*/bin; do
		[ -x "$d/initdb" ] && { echo "$d"; return 0; }
	done
	command -v initdb >/dev/null && { dirname "$(command -v initdb)"; return 0; }
	return 1
}

# pg_test_reachable DSN: the server answers a query.
pg_test_reachable() {
	command -v psql >/dev/null || return 1
	PGCONNECT_TIMEOUT=3 psql "$1" -XAtqc 'SELECT 1' >/dev/null 2>&1
}

pg_test_up() {
	local dsn=${CITY_TEST_PG_DSN:-postgres://127.0.0.1:5432/test?sslmode=disable}
	if pg_test_reachable "$dsn"; then
		export CITY_TEST_PG_DSN=$dsn
		echo "pg-test: PostgreSQL at ${dsn%%\?*}"
		return 0
	fi
	echo "pg-test: no PostgreSQL answers at ${dsn%%\?*}; starting a throwaway cluster"
	pg_test_cluster
}

# pg_test_cluster starts a throwaway cluster (always) and exports its DSN;
# PG_TEST_PID is its postmaster.
pg_test_cluster() {
	local bin
	bin=$(pg_test_bindir) || { echo "pg-test: PostgreSQL is not installed (scripts/deps.sh test installs it)" >&2; return 1; }
	local port
	port=$(free_port) || return 1
	PG_TEST_DIR=$(mktemp -d /tmp/city-pg-test.XXXXXX)
	local as=()
	if [ "$(id -u)" = 0 ]; then
		chown postgres: "$PG_TEST_DIR"
		as=(runuser -u postgres --)
	fi
	"${as[@]}" "$bin/initdb" -D "$PG_TEST_DIR/data" -U postgres -A trust -E UTF8 --no-locale >"$PG_TEST_DIR/initdb.log" 2>&1 ||
		{ cat "$PG_TEST_DIR/initdb.log" >&2; return 1; }
	"${as[@]}" "$bin/pg_ctl" -D "$PG_TEST_DIR/data" -l "$PG_TEST_DIR/server.log" -w -t 60 \
		-o "-c listen_addresses=127.0.0.1 -p $port -k $PG_TEST_DIR -c max_connections=200 -c fsync=on" start >/dev/null ||
		{ cat "$PG_TEST_DIR/server.log" >&2; return 1; }
	PG_TEST_PID=$(head -1 "$PG_TEST_DIR/data/postmaster.pid")
	"${as[@]}" "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres test || return 1
	export CITY_TEST_PG_DSN="postgres://postgres@127.0.0.1:$port/test?sslmode=disable"
	echo "pg-test: throwaway cluster (PID $PG_TEST_PID) at 127.0.0.1:$port in $PG_TEST_DIR"
}

pg_test_down() {
	if [ -n "$PG_TEST_PID" ]; then
		kill -INT "$PG_TEST_PID" 2>/dev/null || true # fast shutdown
		for _ in $(seq 1 100); do
			kill -0 "$PG_TEST_PID" 2>/dev/null || break
			sleep 0.1
		done
		kill -KILL "$PG_TEST_PID" 2>/dev/null || true
		echo "pg-test: stopped the throwaway cluster (PID $PG_TEST_PID)"
		PG_TEST_PID=""
	fi
	if [ -n "$PG_TEST_DIR" ]; then
		rm -rf "$PG_TEST_DIR"
		PG_TEST_DIR=""
	fi
}
