#!/usr/bin/env bash
# package.sh: what `make package` runs. Builds, without the Wails CLI:
#   build/bin/linux-{amd64,arm64}/{kioskd,cityd}   CGO_ENABLED=0
#   build/bin/linux-amd64/commune-kiosk             the Wails window (cgo, GTK/WebKit)
#   build/bin/windows-amd64/commune-kiosk.exe       CGO_ENABLED=0, icon/manifest/version resource
#   build/bin/windows-amd64/{kioskd,cityd}.exe      (not packaged; proves the Windows build)
#   build/bin/*.deb                                 kioskd and cityd (amd64, arm64), commune-kiosk (amd64)
#   build/bin/commune-kiosk-amd64-installer.exe     when makensis (Debian: nsis) is installed
# The version comes from git describe (VERSION overrides it). The UI must be
# built first (make package does it).
set -euo pipefail
cd "$(dirname "$0")/.."
VERSION=${VERSION:-$(git describe --tags --always --dirty 2>/dev/null || echo 0000000)}
out=build/bin
# Files in the packages carry the last commit's time, not the build's.
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || echo 0)}
ld="-X main.version=$VERSION"
pkg() { go run -C tools ./cmd/kioskpkg "$@"; }

[ -f frontend/dist/index.html ] || { echo "package: build the UI first (make ui)" >&2; exit 1; }
rm -f "$out"/*.deb "$out"/*-installer.exe
echo "package: version $VERSION ($(pkg version "$VERSION" | tr '\n' ' '))"

for arch in amd64 arm64; do
	d=$out/linux-$arch
	mkdir -p "$d"
	for p in kioskd cityd; do
		CGO_ENABLED=0 GOOS=linux GOARCH=$arch go build -trimpath -ldflags "-s -w $ld" -o "$d/$p" ./cmd/$p
	done
	for p in kioskd cityd; do
		pkg deb -root .. -config build/linux/$p/nfpm.yaml -arch "$arch" -bin "$d" -version "$VERSION" -out "$out"
	done
done

# The window for Linux links GTK and WebKitGTK (cgo): amd64, on an amd64 host.
if [ "$(go env GOHOSTARCH)" = amd64 ]; then
	go build -trimpath -buildmode=pie -tags desktop,production -ldflags "-w -s $ld" -o $out/linux-amd64/commune-kiosk .
	go version -m $out/linux-amd64/commune-kiosk | grep -q 'build	-tags=desktop,production' ||
		{ echo "package: commune-kiosk was built without -tags desktop,production" >&2; exit 1; }
	pkg deb -root .. -config build/linux/commune-kiosk/nfpm.yaml -arch amd64 -bin $out/linux-amd64 -version "$VERSION" -out "$out"
else
	echo "package: not an amd64 host, no commune-kiosk .deb"
fi

# Windows: no cgo. The resource object sits beside main.go while go build
# runs; its _windows_amd64 suffix keeps it out of every other build.
w=$out/windows-amd64
mkdir -p "$w"
syso=rsrc_windows_amd64.syso
trap 'rm -f "$syso"' EXIT
pkg winres -root .. -version "$VERSION" -out "../$syso"
CGO_ENABLED=0 GOOS=windows GOARCH=amd64 go build -trimpath -tags desktop,production,wv2runtime.embed \
	-ldflags "-w -s -H windowsgui $ld" -o $w/commune-kiosk.exe .
rm -f "$syso"
for p in kioskd cityd; do
	CGO_ENABLED=0 GOOS=windows GOARCH=amd64 go build -trimpath -ldflags "-s -w $ld" -o "$w/$p.exe" ./cmd/$p
done
echo "$w/commune-kiosk.exe"

if command -v makensis >/dev/null; then
	read -r _ winver < <(pkg version "$VERSION" | grep '^windows')
	args=(-V2 -DARG_AMD64_BINARY="$PWD/$w/commune-kiosk.exe" -DARG_OUTFILE="$PWD/$out/commune-kiosk-amd64-installer.exe"
		-DINFO_PRODUCTVERSION="${winver%.*}" -DINFO_FILEVERSION="$winver")
	# The WebView2 runtime's standalone installer, for halls without the
	# internet; put it there to bundle it (see docs/windows.md).
	wv2=${WEBVIEW2_STANDALONE:-$out/MicrosoftEdgeWebView2RuntimeInstallerX64.exe}
	if [ -f "$wv2" ]; then
		args+=(-DARG_WEBVIEW2_STANDALONE="$(realpath "$wv2")")
	else
		echo "package: no $wv2: the installer will not carry the WebView2 runtime"
	fi
	# schtasks reads task files in UTF-16, the form Task Scheduler itself writes.
	sed 's/encoding="UTF-8"/encoding="UTF-16"/' build/windows/installer/kiosk-task.xml | iconv -f UTF-8 -t UTF-16 >"$out/kiosk-task.xml"
	args+=(-DARG_TASK_XML="$PWD/$out/kiosk-task.xml")
	(cd build/windows/installer && makensis "${args[@]}" project.nsi)
	echo "$out/commune-kiosk-amd64-installer.exe"
else
	echo "package: makensis not installed (Debian package nsis): no Windows installer"
fi
