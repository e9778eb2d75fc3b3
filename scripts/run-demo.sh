#!/usr/bin/env bash
# run-demo.sh: a local city on its embedded store and a kiosk enrolled with
# it (demo mode). With a display: the desktop window. Without: kioskd and
# the URL to open in a browser. Ctrl-C stops everything it started.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
trap stop_all EXIT
trap 'exit 130' INT TERM

dir=.run
mkdir -p "$dir"
city_port=${CITY_PORT:-8480}
kiosk_port=${KIOSK_PORT:-8470}
start_city "$dir/city" "$city_port" "$dir/cityd.log"
echo "City server:      $CITY_URL   (operator token: demo; log: $dir/cityd.log)"
echo "Back office:      $CITY_URL/office/   (DEMO accounts, demo only:"
echo "                  demo-officer / demo-officer-2026  officer of Phường Ba Đình, the demo kiosk's commune"
echo "                  demo-admin   / demo-admin-2026    admin: users, holidays, audit log"
echo "                  demo-other   / demo-other-2026    officer of Phường Ngọc Hà: sees none of Ba Đình's dossiers"
echo "                  demo-viewer  / demo-viewer-2026   counts only)"
# No receipt printer on a developer's machine: receipts go to PDF files.
mkdir -p "$dir/receipts"
demo_print=(--printer-kind pdf --printer "$PWD/$dir/receipts")
echo "Receipts:         printed as PDF files into $dir/receipts/"

if [ -n "${DISPLAY:-}" ] && [ -x bin/commune-kiosk ] && [ -z "${HEADLESS:-}" ]; then
	echo "Kiosk window:     starting on display $DISPLAY (DEMO mode, staff PIN 123456)"
	bin/commune-kiosk --demo --data "$dir/kiosk" --city "$CITY_URL" --enrol-code "$ENROL_CODE" "${demo_print[@]}" &
	PIDS+=($!)
	wait $! || true
else
	start_kioskd "$dir/kiosk" "$kiosk_port" "$dir/kioskd.log" "${demo_print[@]}"
	echo "Kiosk (no window): open $KIOSK_URL/ in a browser   (DEMO mode, staff PIN 123456; log: $dir/kioskd.log)"
	echo "Press Ctrl-C to stop."
	wait "$KIOSK_PID" || true
fi
