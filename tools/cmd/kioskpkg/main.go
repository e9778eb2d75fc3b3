// Command kioskpkg makes the release artefacts of Commune Kiosk without the
// Wails CLI: Debian packages (with nfpm, as a library) and the Windows
// resource object (icon, manifest, version info, with tc-hib/winres, as
// Wails does). `make package` runs it from the repository root:
//
//	go run -C tools ./cmd/kioskpkg deb -root .. -config build/linux/kioskd/nfpm.yaml -arch amd64 -bin build/bin/linux-amd64 -version $(VERSION) -out build/bin
//	go run -C tools ./cmd/kioskpkg winres -root .. -version $(VERSION) -out ../rsrc_windows_amd64.syso
//	go run -C tools ./cmd/kioskpkg version $(VERSION)
package main

import (
	"flag"
	"fmt"
	"os"
)

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	var err error
	switch os.Args[1] {
	case "deb":
		err = debCmd(os.Args[2:])
	case "winres":
		err = winresCmd(os.Args[2:])
	case "version":
		err = versionCmd(os.Args[2:])
	default:
		usage()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "kioskpkg:", err)
		os.Exit(1)
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: kioskpkg deb|winres|version [flags]")
	os.Exit(2)
}

func versionCmd(args []string) error {
	fs := flag.NewFlagSet("version", flag.ContinueOnError)
	if err := fs.Parse(args); err != nil {
		return err
	}
	v, err := ParseVersion(fs.Arg(0))
	if err != nil {
		return err
	}
	fmt.Printf("deb %s\nwindows %s\n", v.Deb(), v.Windows())
	return nil
}
