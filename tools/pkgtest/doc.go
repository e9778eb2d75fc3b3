// Package pkgtest checks what `make package` made, as a commune's IT person
// would meet it: the .deb packages' control data, contents, conffiles and
// maintainer scripts, the units (systemd-analyze verify), lintian, the
// installed kioskd and cityd started from an unpacked root with their
// installed config, and the Windows and arm64 builds. Run by
// scripts/package-test.sh: go test -C tools ./pkgtest -args -dist ../build/bin
package pkgtest
