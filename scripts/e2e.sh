#!/usr/bin/env bash
# e2e.sh: browser end-to-end tests (headless Debian Chromium driven by
# playwright-core) against a real kioskd enrolled with a real cityd.
# Screenshots go to a temporary folder; `make screenshots` writes them to
# docs/screenshots instead.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
trap stop_all EXIT

dir=$(mktemp -d)
# A kiosk silent for 3 s is amber on the fleet page (e2e/fleet.mjs).
start_city "$dir/city" "$(free_port)" "$dir/cityd.log" --fleet-silent-amber 3s
# A long debounce: the staff USB test exports a request before the kiosk
# syncs it by itself.
# A file stands in for the receipt printer's device, and a pseudo-terminal
# for a QR scanner in serial mode: what the test writes to the FIFO, the
# fake scanner sends to the pty kioskd reads.
: >"$dir/lp0"
mkfifo "$dir/scanner.fifo"
go build -o "$dir/fakescanner" ./scripts/fakescanner
"$dir/fakescanner" "$dir/scanner.fifo" >"$dir/scanner.port" 2>"$dir/scanner.log" &
PIDS+=($!)
for _ in $(seq 1 100); do [ -s "$dir/scanner.port" ] && break; sleep 0.1; done
scanner_port=$(head -n 1 "$dir/scanner.port")
[ -n "$scanner_port" ] || { echo "e2e: the fake scanner did not start" >&2; cat "$dir/scanner.log" >&2; exit 1; }
# A mount table and a media folder stand in for the USB automounter.
mkdir -p "$dir/media"
: >"$dir/mounts"
start_kioskd "$dir/kiosk" "$(free_port)" "$dir/kioskd.log" --lockout 1m --sync-debounce 10m --printer "$dir/lp0" --scanner "$scanner_port" \
	--usb-mounts "$dir/mounts" --usb-roots "$dir/media"
# The kiosk enrols at start-up; wait until it says it is ready.
for _ in $(seq 1 100); do
	curl -fsS -X POST -H 'Content-Type: application/json' -d '[]' "$KIOSK_URL/api/Kiosk/State" | grep -q '"ready":true' && break
	sleep 0.2
done
rc=0
shots=${SHOT_DIR:-$dir/shots}
mkdir -p "$shots"
# The city's back office (e2e/office.mjs) against the same cityd and kioskd,
# first: the kiosk tests end with the staff PIN locked out (--lockout 1m),
# and the back office test unlocks the staff screen to sync.
(cd frontend && KIOSK_URL=$KIOSK_URL CITY_URL=$CITY_URL SHOT_DIR=$shots node e2e/office.mjs) || rc=$?
(cd frontend && KIOSK_URL=$KIOSK_URL CITY_URL=$CITY_URL CITY_TOKEN=demo PRINTER_DEV=$dir/lp0 SCANNER_FIFO=$dir/scanner.fifo \
	USB_MEDIA=$dir/media USB_MOUNTS=$dir/mounts \
	SHOT_DIR=$shots npm run --silent test:e2e) || rc=$?
# The uptake report and the kiosk fleet (e2e/fleet.mjs).
(cd frontend && KIOSK_URL=$KIOSK_URL CITY_URL=$CITY_URL CITY_TOKEN=demo SHOT_DIR=$shots node e2e/fleet.mjs) || rc=$?
if [ $rc -ne 0 ]; then
	echo "--- kioskd log (tail)"; tail -n 30 "$dir/kioskd.log"
	echo "--- cityd log (tail)"; tail -n 30 "$dir/cityd.log"
fi
stop_all
rm -rf "$dir"
exit $rc
