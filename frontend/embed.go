// Package frontend embeds the built UI (dist/) for both kiosk shells: the
// Wails window (main.go) and kioskd (through app). A placeholder keeps dist/
// non-empty on a fresh clone; `make` builds the real UI into it.
package frontend

import (
	"embed"
	"io/fs"
)

//go:embed all:dist
var dist embed.FS

// Dist returns the built UI with dist/ as its root.
func Dist() fs.FS {
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		panic(err) // dist is embedded at build time; Sub cannot fail for a valid name
	}
	return sub
}
