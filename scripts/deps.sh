#!/usr/bin/env bash
# deps.sh installs what building, running and testing need and is safe to
# run again: Debian packages (when root or sudo is available), npm packages,
# Go modules. Usage: scripts/deps.sh [desktop|test|run]
set -euo pipefail
cd "$(dirname "$0")/.."
want=${1:-test}

# Debian packages: GTK/WebKit for the desktop window; Xvfb, a window manager,
# xdotool and ImageMagick for the window smoke test; Chromium for browser tests;
# PostgreSQL's server binaries for the store tests when no server answers
# (scripts/pg-test.sh starts a throwaway cluster with them).
pkgs=(libgtk-3-dev libwebkit2gtk-4.0-dev pkg-config)
case "$want" in
test) pkgs+=(curl x11-utils xvfb xauth xdotool matchbox-window-manager imagemagick chromium fonts-dejavu-core systemd postgresql) ;;
run) pkgs+=(curl fonts-dejavu-core) ;;
esac
missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	line="apt-get install -y --no-install-recommends ${missing[*]}"
	if [ "$(id -u)" = 0 ]; then sudo=""
	elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo="sudo"
	else
		echo "deps: these Debian packages are missing: ${missing[*]}" >&2
		echo "deps: install them as root, then run the command again:" >&2
		echo "    sudo apt-get update && sudo $line" >&2
		exit 1
	fi
	echo "deps: installing ${missing[*]}"
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo $line -qq
fi

# Optional for the package checks: lintian, and nsis for the Windows
# installer (make package and its tests go on without them).
if [ "$want" = test ] && [ "$(id -u)" = 0 ]; then
	for p in lintian nsis; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
			DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends -qq "$p" ||
			echo "deps: $p could not be installed; its checks will be skipped" >&2
	done
fi

command -v go >/dev/null || { echo "deps: Go is not installed (need Go 1.26)" >&2; exit 1; }
command -v npm >/dev/null || { echo "deps: Node.js and npm are not installed (need Node 20)" >&2; exit 1; }

go mod download

# npm packages: reinstall only when the lock file changed.
if [ ! -f frontend/node_modules/.package-lock.json ] || [ frontend/package-lock.json -nt frontend/node_modules/.package-lock.json ]; then
	(cd frontend && npm ci --no-audit --no-fund)
fi
