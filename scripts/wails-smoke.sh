#!/usr/bin/env bash
# wails-smoke.sh: the real desktop binary under Xvfb. The window maps, a
# screenshot of it is not blank, and a request submitted from the page
# through the Wails bindings reaches Go and the bbolt store.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
trap stop_all EXIT

dir=$(mktemp -d)
shot=${SMOKE_SHOT:-$dir/window.png}
disp=":$((100 + RANDOM % 800))"
Xvfb "$disp" -screen 0 1280x800x24 -nolisten tcp >"$dir/xvfb.log" 2>&1 &
XPID=$!
for _ in $(seq 1 50); do DISPLAY=$disp xdpyinfo >/dev/null 2>&1 && break; sleep 0.1; done
DISPLAY=$disp matchbox-window-manager -use_titlebar no >"$dir/wm.log" 2>&1 &
WMPID=$!

start_city "$dir/city" "$(free_port)" "$dir/cityd.log"
DISPLAY=$disp KIOSK_SMOKE_REQUEST=scripts/testdata/smoke-request.json \
	bin/commune-kiosk --demo --data "$dir/kiosk" --city "$CITY_URL" --enrol-code "$ENROL_CODE" \
	--log-format json >"$dir/kiosk.log" 2>&1 &
APP=$!
PIDS=("$APP" "${PIDS[@]}")

fail() { echo "smoke: FAIL: $*" >&2; echo "--- kiosk log"; tail -n 40 "$dir/kiosk.log" >&2; exit 1; }

# 1. The window maps.
win=""
for _ in $(seq 1 100); do
	win=$(DISPLAY=$disp xdotool search --onlyvisible --name '^Commune Kiosk$' 2>/dev/null | head -1) && [ -n "$win" ] && break
	kill -0 "$APP" 2>/dev/null || fail "the kiosk exited before its window mapped"
	sleep 0.2
done
[ -n "$win" ] || fail "no window mapped"
echo "smoke: window $win mapped"

# 2. The page submits its request through the bindings; the smoke script in
# the page retries until the kiosk has enrolled. Wait for the log line Go
# writes when the store committed it.
code=""
for _ in $(seq 1 150); do
	code=$(grep -o '"msg":"Request saved","code":"[^"]*"' "$dir/kiosk.log" | head -1 | sed 's/.*"code":"//; s/"$//') || true
	[ -n "$code" ] && break
	kill -0 "$APP" 2>/dev/null || fail "the kiosk exited"
	sleep 0.2
done
[ -n "$code" ] || fail "no request reached Go through the bindings"
echo "smoke: request $code submitted from the page through the bindings"

# 3. A screenshot of the window that is not blank. The page may still be
# painting: poll (bounded) until the picture has content.
colors=0 sd=0
for _ in $(seq 1 40); do
	DISPLAY=$disp import -window root "$shot"
	colors=$(/usr/bin/convert "$shot" -format '%k' info:)
	sd=$(/usr/bin/convert "$shot" -colorspace Gray -format '%[fx:standard_deviation]' info:)
	[ "$colors" -gt 16 ] && awk -v s="$sd" 'BEGIN{exit !(s > 0.02)}' && break
	sleep 0.25
done
echo "smoke: screenshot $shot: $colors colours, grey standard deviation $sd"
[ "$colors" -gt 16 ] || fail "the screenshot is blank ($colors colours)"
awk -v s="$sd" 'BEGIN{exit !(s > 0.02)}' || fail "the screenshot is blank (deviation $sd)"

# 4. Stop the window (SIGTERM, as the session manager would) and read the
# store: the request is there.
kill -TERM "$APP"
for _ in $(seq 1 100); do kill -0 "$APP" 2>/dev/null || break; sleep 0.1; done
kill -0 "$APP" 2>/dev/null && fail "the kiosk did not stop on SIGTERM"
wait "$APP" 2>/dev/null || true
sleep 1 # WebKit children exit on their own
bin/kioskd --data "$dir/kiosk" --list | tee "$dir/list.txt"
grep -q "$code" "$dir/list.txt" || fail "request $code is not in the bbolt store"
echo "smoke: request $code is in the bbolt store"

stop_all
kill "$WMPID" "$XPID" 2>/dev/null || true
wait "$WMPID" "$XPID" 2>/dev/null || true
rm -rf "$dir"
echo "smoke: ok"
