package kioskshell

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"communekiosk/app"
	"communekiosk/internal/logsetup"
	"communekiosk/internal/settings"
)

// ShellConfig is what a kiosk shell reads from its command line,
// environment and config file.
type ShellConfig struct {
	Node app.Config
	// Addr is where kioskd serves the UI (loopback by default).
	Addr string
	// SetPIN, when set, stores a new staff PIN and exits.
	SetPIN string
	// List prints the plaintext index of the requests and exits.
	List bool
	// LogFormat is text, json or auto (text on a terminal).
	LogFormat logsetup.Format
	LogLevel  slog.Level
}

// ParseFlags reads flags, then KIOSK_* environment variables, then the
// config file (key = value lines using the flag names), in that order of
// precedence. It returns flag.ErrHelp after printing help to out.
func ParseFlags(name string, args []string, getenv func(string) string, out io.Writer) (ShellConfig, error) {
	var c ShellConfig
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(out)
	var idle, lockout, level, format, debounce, officeCap, usbRoots string
	fs.String("config", "", "optional config `file` of key = value lines using these flag names (env KIOSK_CONFIG)")
	fs.StringVar(&c.Node.DataDir, "data", "kiosk-data", "data `folder`: the store kiosk.db and its backups (env KIOSK_DATA)")
	fs.StringVar(&c.Node.CityURL, "city", "", "the city server's `URL`, e.g. http://127.0.0.1:8480 (env KIOSK_CITY)")
	fs.StringVar(&c.Node.EnrolCode, "enrol-code", "", "one-time enrolment `code`: enrol with --city at start-up when not enrolled (env KIOSK_ENROL_CODE)")
	fs.BoolVar(&c.Node.AllowInsecureCity, "allow-insecure-city", false, "allow enrolling with a plain http:// city on another machine; citizens' data is sealed either way, but enrolment and sync can be watched and blocked on the way (env KIOSK_ALLOW_INSECURE_CITY=1)")
	fs.StringVar(&c.Node.SyncSpec, "sync-spec", "*/15 * * * *", "sync schedule, 5-field cron `spec` in Asia/Ho_Chi_Minh time (env KIOSK_SYNC_SPEC)")
	fs.StringVar(&debounce, "sync-debounce", "5s", "sync this `long` after a submission (env KIOSK_SYNC_DEBOUNCE)")
	fs.StringVar(&officeCap, "office-retry-cap", "5m", "during office hours (the catalogue's, Asia/Ho_Chi_Minh time) wait at most this `long` between failed syncs (env KIOSK_OFFICE_RETRY_CAP)")
	fs.StringVar(&idle, "idle-timeout", "90s", "back to the welcome screen after this idle `duration` (env KIOSK_IDLE_TIMEOUT)")
	fs.StringVar(&c.Node.StaffPIN, "staff-pin", "", "staff `PIN` to set when none is stored yet (env KIOSK_STAFF_PIN); demo default 123456")
	fs.StringVar(&lockout, "lockout", "5m", "how long the staff screen stays locked after 5 wrong PINs (env KIOSK_LOCKOUT)")
	fs.BoolVar(&c.Node.Demo, "demo", false, "label the kiosk as a demonstration (env KIOSK_DEMO=1)")
	fs.StringVar(&c.Node.PrinterKind, "printer-kind", defaultPrinterKind, "receipt printer `kind`: escpos (an 80 mm receipt printer, printed directly), pdf (A4 PDF to a CUPS queue or a folder) or none (env KIOSK_PRINTER_KIND)")
	fs.StringVar(&c.Node.Printer, "printer", defaultPrinter, "the receipt printer: a `device` (/dev/usb/lp0) or, on Windows, the printer's name; for pdf a CUPS queue or a folder (env KIOSK_PRINTER)")
	fs.StringVar(&c.Node.Scanner, "scanner", "", "the QR scanner in serial mode: a `port` (/dev/ttyACM0, COM3), auto (the first USB serial port), or empty for keyboard mode only (env KIOSK_SCANNER)")
	fs.IntVar(&c.Node.ScannerBaud, "scanner-baud", 9600, "the serial scanner's `speed` in baud (env KIOSK_SCANNER_BAUD)")
	fs.StringVar(&c.Node.USBMounts, "usb-mounts", "/proc/mounts", "the mount table `file` read to find USB drives for the staff screen (env KIOSK_USB_MOUNTS)")
	fs.StringVar(&usbRoots, "usb-roots", "/media,/run/media", "comma-separated `folders` USB drives are mounted under (env KIOSK_USB_ROOTS)")
	fs.StringVar(&c.Addr, "addr", "127.0.0.1:8470", "kioskd: `address` to serve the UI on; loopback by default (env KIOSK_ADDR)")
	fs.StringVar(&c.SetPIN, "set-pin", "", "store a new staff `PIN` (digits, at least 4) and exit")
	fs.BoolVar(&c.List, "list", false, "print the requests in the store (codes, states, statuses; no personal data) and exit")
	fs.StringVar(&format, "log-format", "auto", "log `format`: text, json, or auto (text on a terminal, JSON otherwise) (env KIOSK_LOG_FORMAT)")
	fs.StringVar(&level, "log-level", "info", "log `level`: debug, info, warn, error (env KIOSK_LOG_LEVEL)")
	fs.Usage = func() {
		fmt.Fprintf(out, "Usage: %s [flags]\n\n", name)
		fmt.Fprintf(out, "Commune Kiosk node: takes citizens' requests with or without a network,\n"+
			"keeps them in a bbolt store and syncs them to the city on a schedule.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	if err := settings.Parse(fs, args, getenv, settings.Options{EnvPrefix: "KIOSK_", CommandLineOnly: []string{"set-pin", "list"}}); err != nil {
		return c, err
	}
	var err error
	if c.Node.IdleTimeout, err = time.ParseDuration(idle); err != nil {
		return c, fmt.Errorf("--idle-timeout: %w", err)
	}
	if c.Node.SyncDebounce, err = time.ParseDuration(debounce); err != nil {
		return c, fmt.Errorf("--sync-debounce: %w", err)
	}
	if c.Node.OfficeRetryCap, err = time.ParseDuration(officeCap); err != nil || c.Node.OfficeRetryCap <= 0 {
		return c, fmt.Errorf("--office-retry-cap: %q is not a positive duration", officeCap)
	}
	if c.Node.LockoutFor, err = time.ParseDuration(lockout); err != nil {
		return c, fmt.Errorf("--lockout: %w", err)
	}
	c.Node.USBRoots = nil
	for _, r := range strings.Split(usbRoots, ",") {
		if r = strings.TrimSpace(r); r != "" {
			c.Node.USBRoots = append(c.Node.USBRoots, r)
		}
	}
	if c.LogLevel, err = logsetup.ParseLevel(level); err != nil {
		return c, fmt.Errorf("--log-level: %w", err)
	}
	if c.LogFormat, err = logsetup.ParseFormat(format); err != nil {
		return c, fmt.Errorf("--log-format: %w", err)
	}
	return c, nil
}

// IsHelp reports whether err asks for help (exit 0).
func IsHelp(err error) bool { return errors.Is(err, flag.ErrHelp) }

// Start is the common start of both kiosk shells: it reads the
// configuration, makes the logger and opens the node. When the command
// line asked for a one-off command (--list, --set-pin, salvage) it runs
// it, closes the node and returns a nil node. The caller closes a non-nil node.
func Start(name, version string, args []string) (*app.Node, ShellConfig, error) {
	if len(args) > 0 && args[0] == "salvage" {
		exe, err := os.Executable()
		if err != nil {
			return nil, ShellConfig{}, fmt.Errorf("salvage: %w", err)
		}
		return nil, ShellConfig{}, runSalvage(name, args[1:], os.Getenv, os.Stdout, app.ChildSalvageReader(exe, app.SalvageReadTimeout))
	}
	sc, err := ParseFlags(name, args, os.Getenv, os.Stderr)
	if err != nil {
		return nil, sc, err
	}
	sc.Node.Logger = logsetup.New(os.Stderr, sc.LogFormat, sc.LogLevel)
	sc.Node.Version = version
	node, err := app.New(sc.Node)
	if err != nil {
		return nil, sc, err
	}
	switch {
	case sc.List:
		err = node.List(os.Stdout, 0)
	case sc.SetPIN != "":
		if err = node.SetPIN(sc.SetPIN); err == nil {
			fmt.Println(name + ": staff PIN stored")
		}
	default:
		return node, sc, nil
	}
	node.Close()
	return nil, sc, err
}
