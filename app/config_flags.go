package app

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"
)

// ShellConfig is what a kiosk shell reads from its command line,
// environment and config file.
type ShellConfig struct {
	Node Config
	// Addr is where kioskd serves the UI (loopback by default).
	Addr string
	// SetPIN, when set, stores a new staff PIN and exits.
	SetPIN string
	// List prints the plaintext index of the requests and exits.
	List bool
	// LogFormat is text, json or auto (text on a terminal).
	LogFormat string
	LogLevel  slog.Level
}

// ParseShellFlags reads flags, then KIOSK_* environment variables, then the
// config file (key = value lines using the flag names), in that order of
// precedence. It returns flag.ErrHelp after printing help to out.
func ParseShellFlags(name string, args []string, getenv func(string) string, out io.Writer) (ShellConfig, error) {
	var c ShellConfig
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(out)
	var cfgFile, idle, lockout, level, debounce, officeCap, usbRoots string
	fs.StringVar(&cfgFile, "config", "", "optional config `file` of key = value lines using these flag names (env KIOSK_CONFIG)")
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
	fs.StringVar(&c.LogFormat, "log-format", "auto", "log `format`: text, json, or auto (text on a terminal, JSON otherwise) (env KIOSK_LOG_FORMAT)")
	fs.StringVar(&level, "log-level", "info", "log `level`: debug, info, warn, error (env KIOSK_LOG_LEVEL)")
	fs.Usage = func() {
		fmt.Fprintf(out, "Usage: %s [flags]\n\n", name)
		fmt.Fprintf(out, "Commune Kiosk node: takes citizens' requests with or without a network,\n"+
			"keeps them in a bbolt store and syncs them to the city on a schedule.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if cfgFile == "" {
		cfgFile = getenv("KIOSK_CONFIG")
	}
	var fileVals map[string]string
	if cfgFile != "" {
		var err error
		if fileVals, err = readKeyValues(cfgFile); err != nil {
			return c, err
		}
	}
	var err error
	fs.VisitAll(func(f *flag.Flag) {
		if set[f.Name] || err != nil || f.Name == "config" || f.Name == "set-pin" || f.Name == "list" {
			return
		}
		env := "KIOSK_" + strings.ToUpper(strings.ReplaceAll(f.Name, "-", "_"))
		if v := getenv(env); v != "" {
			if e := f.Value.Set(v); e != nil {
				err = fmt.Errorf("%s=%q: %w", env, v, e)
			}
			return
		}
		if v, ok := fileVals[f.Name]; ok {
			if e := f.Value.Set(v); e != nil {
				err = fmt.Errorf("%s: %s = %q: %w", cfgFile, f.Name, v, e)
			}
		}
	})
	if err != nil {
		return c, err
	}
	for k := range fileVals {
		if fs.Lookup(k) == nil {
			return c, fmt.Errorf("%s: unknown setting %q (settings use the flag names; see --help)", cfgFile, k)
		}
	}
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
	if err := c.LogLevel.UnmarshalText([]byte(level)); err != nil {
		return c, fmt.Errorf("--log-level: %w", err)
	}
	return c, nil
}

// readKeyValues reads "key = value" lines; # starts a comment.
func readKeyValues(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("config file: %w", err)
	}
	defer f.Close()
	vals := map[string]string{}
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		s := strings.TrimSpace(sc.Text())
		if s == "" || strings.HasPrefix(s, "#") {
			continue
		}
		k, v, ok := strings.Cut(s, "=")
		if !ok {
			return nil, fmt.Errorf("%s:%d: want key = value", path, line)
		}
		vals[strings.TrimSpace(k)] = strings.Trim(strings.TrimSpace(v), `"`)
	}
	return vals, sc.Err()
}

// NewLogger makes the shell's logger: text on a terminal, JSON otherwise.
func NewLogger(w *os.File, format string, level slog.Level) *slog.Logger {
	opts := &slog.HandlerOptions{Level: level}
	if format == "json" || (format != "text" && !isTerminal(w)) {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// IsHelp reports whether err asks for help (exit 0).
func IsHelp(err error) bool { return errors.Is(err, flag.ErrHelp) }

// StartShell is the common start of both kiosk shells: it reads the
// configuration, makes the logger and opens the node. When the command
// line asked for a one-off command (--list, --set-pin, salvage) it runs
// it, closes the node and returns a nil node. The caller closes a non-nil node.
func StartShell(name, version string, args []string) (*Node, ShellConfig, error) {
	if len(args) > 0 && args[0] == "salvage" {
		return nil, ShellConfig{}, RunSalvage(name, args[1:], os.Getenv, os.Stdout)
	}
	sc, err := ParseShellFlags(name, args, os.Getenv, os.Stderr)
	if err != nil {
		return nil, sc, err
	}
	sc.Node.Logger = NewLogger(os.Stderr, sc.LogFormat, sc.LogLevel)
	sc.Node.Version = version
	node, err := New(sc.Node)
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
