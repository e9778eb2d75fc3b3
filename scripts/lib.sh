# lib.sh: shared by run-demo.sh, e2e.sh and wails-smoke.sh. Starts a city
# and a kiosk on loopback and stops them by PID.

PIDS=()

# free_port prints a TCP port on 127.0.0.1 that nothing listens on.
free_port() {
	local p
	for _ in $(seq 1 50); do
		p=$((20000 + RANDOM % 20000))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
			echo "$p"
			return 0
		fi
	done
	echo "no free port found" >&2
	return 1
}

# wait_http URL [tries]: polls URL every 0.2 s until it answers 200.
wait_http() {
	local url=$1 tries=${2:-150}
	for _ in $(seq 1 "$tries"); do
		if curl -fsS -o /dev/null "$url" 2>/dev/null; then return 0; fi
		sleep 0.2
	done
	echo "no answer from $url" >&2
	return 1
}

# start_city DATA PORT LOG [extra flags...]: a demo city (operator token "demo") that writes
# a one-time enrolment code to DATA/demo-enrol-code.
start_city() {
	local data=$1 port=$2 log=$3
	shift 3
	mkdir -p "$data"
	bin/cityd serve --demo --data "$data" --addr "127.0.0.1:$port" --metrics-addr 127.0.0.1:0 "$@" >"$log" 2>&1 &
	PIDS+=($!)
	CITY_PID=$!
	CITY_URL="http://127.0.0.1:$port"
	wait_http "$CITY_URL/healthz" || { cat "$log" >&2; return 1; }
	for _ in $(seq 1 50); do
		[ -s "$data/demo-enrol-code" ] && break
		sleep 0.1
	done
	ENROL_CODE=$(cat "$data/demo-enrol-code")
}

# start_kioskd DATA PORT LOG [extra flags...]: a demo kiosk enrolled with
# the city started by start_city.
start_kioskd() {
	local data=$1 port=$2 log=$3
	shift 3
	bin/kioskd --demo --data "$data" --addr "127.0.0.1:$port" --city "$CITY_URL" --enrol-code "$ENROL_CODE" "$@" >"$log" 2>&1 &
	PIDS+=($!)
	KIOSK_PID=$!
	KIOSK_URL="http://127.0.0.1:$port"
	wait_http "$KIOSK_URL/healthz" || { cat "$log" >&2; return 1; }
}

# stop_all: SIGTERM every process started here, by PID, then wait for it;
# SIGKILL what is still running after 10 s.
stop_all() {
	local pid
	for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
	for pid in "${PIDS[@]}"; do
		for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
		kill -KILL "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	done
	PIDS=()
}
