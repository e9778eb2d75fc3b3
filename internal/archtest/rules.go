package archtest

// kioskProgram is every package the kiosk's programs (commune-kiosk, the
// root package, and kioskd) are made of: app and all it reaches, and none
// of the city.
var kioskProgram = []string{
	"app", "frontend", "kiosk", "kiosk/kioskdb",
	"sync/syncer", "sync/syncclient", "sync/syncproto",
	"device/...", "internal/atomicfile",
}

// kioskShells is what the two kiosk programs' main packages may reach:
// the program and its start-up (settings, logger, one-off commands).
var kioskShells = append([]string{"internal/kioskshell", "internal/settings", "internal/logsetup"}, kioskProgram...)

// Project holds the import rules of DESIGN.md for this module. A rule's
// Internal list is what the package may depend on through the whole import
// graph, not only what it imports itself; docs/architecture.md prints
// these rules, and TestArchitectureDoc keeps it in step.
var Project = Rules{
	Module: "communekiosk",
	Pkgs: []Rule{
		// The domain knows nothing of storage, transport, scheduling or UI.
		{Pkg: "kiosk", Internal: []string{}, StdlibOnly: true, Allow: []string{"golang.org/x/text/..."}},
		{Pkg: "kiosk/internal/...", Internal: []string{"kiosk", "kiosk/..."}},
		// Test-only: the domain's fixtures for other packages' tests.
		{Pkg: "kiosk/kiosktest", Internal: []string{"kiosk"}},
		// The wire contract: standard library only, nothing of ours.
		{Pkg: "sync/syncproto", Internal: []string{}, StdlibOnly: true},
		// Kiosk side: never the city. The kiosk's store speaks the wire
		// types it shares with the sync engine; it never imports the engine
		// or the transport.
		{Pkg: "kiosk/kioskdb", Internal: []string{"kiosk", "sync/syncproto"}},
		{Pkg: "sync/syncclient", Internal: []string{"sync/syncproto"}},
		// The sync engine depends on the wire contract and the domain only:
		// its interfaces speak syncproto's types, kioskdb and syncclient
		// implement them, and app wires them. Besides the standard library
		// and cron it may reach internal/atomicfile, a standard-library-only
		// leaf, so that a USB bundle is whole or absent on the drive; and the
		// domain's golang.org/x/text, should it import kiosk.
		{Pkg: "sync/syncer", Internal: []string{"kiosk", "sync/syncproto", "internal/atomicfile"},
			StdlibOnly: true, Allow: []string{"github.com/robfig/cron/...", "golang.org/x/text/..."}},
		// app is composition and facades: it reads no settings of its own.
		{Pkg: "app", Internal: []string{"kiosk", "kiosk/kioskdb", "sync/...", "frontend", "device/...", "internal/atomicfile"}},
		// The kiosk programs' start-up, shared by both shells.
		{Pkg: "internal/kioskshell", Internal: append([]string{"internal/settings", "internal/logsetup"}, kioskProgram...)},
		// The kiosk's hardware: nothing of ours; each its own library.
		{Pkg: "device/receipt", Internal: []string{}},
		{Pkg: "device/printer", Internal: []string{}},
		{Pkg: "device/scanner", Internal: []string{}},
		{Pkg: "cmd/kioskd", Internal: append([]string{"internal/sdnotify"}, kioskShells...)},
		{Pkg: ".", Internal: kioskShells},
		// City side: never the kiosk's store, engine or UI.
		{Pkg: "city", Internal: []string{"kiosk", "sync/syncproto", "internal/atomicfile"}},
		{Pkg: "city/citybolt", Internal: []string{"city", "kiosk", "sync/syncproto", "internal/atomicfile"}},
		{Pkg: "city/citypg", Internal: []string{"city", "kiosk", "sync/syncproto", "internal/atomicfile"}},
		// Test-only: a PostgreSQL schema per test, for citypg's and cityd's tests.
		{Pkg: "city/citypg/citypgtest", Internal: []string{}},
		{Pkg: "city/storetest", Internal: []string{"city", "kiosk", "sync/syncproto", "internal/atomicfile"}},
		{Pkg: "cmd/cityd", Internal: []string{"city", "city/...", "kiosk", "sync/syncproto", "internal/sdnotify", "internal/atomicfile", "internal/settings", "internal/logsetup"}},
		// systemd's notify protocol: standard library only.
		{Pkg: "internal/sdnotify", Internal: []string{}, StdlibOnly: true},
		{Pkg: "internal/atomicfile", Internal: []string{}, StdlibOnly: true},
		// Every program's settings (flags, environment, config file) and its
		// logger: standard library only.
		{Pkg: "internal/settings", Internal: []string{}, StdlibOnly: true},
		{Pkg: "internal/logsetup", Internal: []string{}, StdlibOnly: true},
		// Test-only: damaged bbolt files for the stores' tests.
		{Pkg: "internal/boltdamage", Internal: []string{}},
		// Test-only packages that join both sides.
		{Pkg: "internal/synce2e", Internal: nil},
		// The e2e's stand-in for a serial QR scanner (a pty).
		{Pkg: "scripts/fakescanner", Internal: []string{}},
		{Pkg: "frontend", Internal: []string{}, StdlibOnly: true},
	},
	Guards: []Guard{
		{Import: "github.com/wailsapp/wails/...", Only: []string{"."}},
		{Import: "go.etcd.io/bbolt/...", Only: []string{"kiosk/kioskdb", "city/citybolt", "internal/synce2e", "internal/boltdamage"}},
		{Import: "github.com/robfig/cron/...", Only: []string{"sync/syncer"}},
		{Import: "github.com/jackc/pgx/...", Only: []string{"city/citypg", "city/citypg/citypgtest"}},
		{Import: "golang.org/x/image/...", Only: []string{"device/receipt"}},
		{Import: "go.bug.st/serial/...", Only: []string{"device/scanner"}},
		{Import: "golang.org/x/crypto/nacl/...", Only: []string{"kiosk/kioskdb", "city", "city/..."}},
		// The back office: passwords. QR codes: the city's printed slips and
		// the kiosk's receipts.
		{Import: "golang.org/x/crypto/argon2", Only: []string{"city"}},
		{Import: "github.com/skip2/go-qrcode/...", Only: []string{"city", "device/receipt"}},
		// The uptake report's XLSX export.
		{Import: "github.com/xuri/excelize/...", Only: []string{"city"}},
		// Command lines are read by the programs' shells only: libraries
		// take Options (STYLE.md, "Config").
		{Import: "flag", Only: []string{"cmd/...", "tools/...", "internal/kioskshell", "internal/settings", "kiosk/internal/unitsgen"}},
		// Free disk space on Windows; the printer's status and spooler.
		{Import: "golang.org/x/sys/...", Only: []string{"kiosk/kioskdb", "device/printer", "scripts/fakescanner"}},
	},
}
