package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"communekiosk/device/printer"
	"communekiosk/kiosk"
	"communekiosk/kiosk/kioskdb"
)

// Config is everything a kiosk node needs; the zero value of each field
// has a working default.
type Config struct {
	// DataDir holds the store (kiosk.db) and its backups. Default:
	// ./kiosk-data.
	DataDir string
	// CityURL is the city's address, offered for enrolment and used when
	// the stored identity has none.
	CityURL string
	// EnrolCode, when set and the kiosk is not enrolled, enrols it at
	// start-up (demo mode and first boot from a provisioning script).
	EnrolCode string
	// AllowInsecureCity lets the kiosk enrol with a plain http:// city on
	// another machine (kioskd --allow-insecure-city). Off, only https://
	// and http:// on loopback are accepted; on, the staff screen warns for
	// as long as the city address is plain http.
	AllowInsecureCity bool
	// SyncSpec is the cron schedule of sync. Default "*/15 * * * *".
	SyncSpec string
	// SyncDebounce is how long after a submission the kiosk syncs it.
	// Default 5 s.
	SyncDebounce time.Duration
	// OfficeRetryCap bounds the wait between failed syncs during the
	// catalogue's office hours. Default 5 minutes.
	OfficeRetryCap time.Duration
	// IdleTimeout returns the citizen screens to welcome. Default 90 s.
	IdleTimeout time.Duration
	// StaffPIN is the PIN set when none is stored yet. Default "123456"
	// in demo mode; otherwise the staff screen stays closed until one is
	// set with kioskd --set-pin.
	StaffPIN string
	// LockoutAfter failed PINs lock the staff screen for LockoutFor.
	// Defaults 5 and 5 minutes.
	LockoutAfter int
	LockoutFor   time.Duration
	// Demo labels the node as a demonstration in the UI.
	Demo bool
	// Version is the application version shown to staff and the city.
	Version string
	Logger  *slog.Logger
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// FreeSpace reads the free disk space of DataDir; nil means the
	// system's (kioskdb.FreeSpace). Tests inject a full disk with it.
	FreeSpace kioskdb.FreeSpaceFunc
	// PrinterKind (escpos, pdf, none) and Printer (the device or printer
	// name, or the PDF queue or folder) say where receipts print.
	PrinterKind string
	Printer     string
	// Scanner is the QR scanner's serial port (/dev/ttyACM0, COM3), "auto"
	// (the first USB serial port) or empty (keyboard mode only), at
	// ScannerBaud (default 9600).
	Scanner     string
	ScannerBaud int
	// USBMounts is the mount table read to find USB drives (default
	// /proc/mounts); USBRoots are the folders removable drives are mounted
	// under (default /media and /run/media).
	USBMounts string
	USBRoots  []string
}

func (c *Config) defaults() {
	if c.DataDir == "" {
		c.DataDir = "kiosk-data"
	}
	if c.USBMounts == "" {
		c.USBMounts = "/proc/mounts"
	}
	if len(c.USBRoots) == 0 {
		c.USBRoots = []string{"/media", "/run/media"}
	}
	if c.SyncSpec == "" {
		c.SyncSpec = "*/15 * * * *"
	}
	if c.IdleTimeout <= 0 {
		c.IdleTimeout = 90 * time.Second
	}
	if c.LockoutAfter <= 0 {
		c.LockoutAfter = 5
	}
	if c.LockoutFor <= 0 {
		c.LockoutFor = 5 * time.Minute
	}
	if c.StaffPIN == "" && c.Demo {
		c.StaffPIN = "123456"
	}
	if c.Version == "" {
		c.Version = "dev"
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	if c.Now == nil {
		c.Now = time.Now
	}
}

// Node is one kiosk: its store, its sync engine and the facades the UI
// calls. Both shells (the Wails window and kioskd) are built on it.
type Node struct {
	cfg  Config
	log  *slog.Logger
	db   *kioskdb.DB
	sync *syncEngine

	mu  sync.RWMutex
	cat *kiosk.Catalogue

	Kiosk    *Kiosk
	Requests *Requests
	Lookup   *Lookup
	Staff    *Staff
	Printing *Printing
	Scanner  *Scanner

	printer *printer.Printer
	recent  recentReceipts
	scans   *scanBuffer // nil without a serial scanner

	ctx    context.Context // lifecycle; cancelled by Close
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// New opens the store in cfg.DataDir and composes the node. Call Run to
// start syncing and Close to stop.
func New(cfg Config) (*Node, error) {
	cfg.defaults()
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return nil, fmt.Errorf("app: data folder: %w", err)
	}
	cat, err := kiosk.DefaultCatalogue()
	if err != nil {
		return nil, fmt.Errorf("app: catalogue: %w", err)
	}
	db, err := kioskdb.Open(filepath.Join(cfg.DataDir, "kiosk.db"), kioskdb.Options{
		Logger:    cfg.Logger,
		Now:       cfg.Now,
		BackupDir: filepath.Join(cfg.DataDir, "backups"),
		FreeSpace: cfg.FreeSpace,
	})
	if err != nil {
		return nil, fmt.Errorf("app: %w", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	n := &Node{cfg: cfg, log: cfg.Logger, db: db, ctx: ctx, cancel: cancel}
	n.cat = n.loadCatalogue(cat)
	n.sync, err = newSyncEngine(n)
	if err != nil {
		db.Close()
		cancel()
		return nil, err
	}
	n.Kiosk = &Kiosk{n: n}
	n.Requests = &Requests{n: n}
	n.Lookup = &Lookup{n: n}
	n.Staff = newStaff(n)
	n.Printing = &Printing{n: n}
	n.Scanner = &Scanner{n: n}
	if cfg.Scanner != "" {
		n.scans = newScanBuffer(cfg.Now)
	}
	if n.printer, err = printer.New(printer.Options{Kind: cfg.PrinterKind, Target: cfg.Printer, Logger: cfg.Logger, Now: cfg.Now}); err != nil {
		db.Close()
		cancel()
		return nil, fmt.Errorf("app: %w", err)
	}
	if err := n.Staff.initPIN(); err != nil {
		db.Close()
		cancel()
		return nil, err
	}
	return n, nil
}

// Bindings are the facades bound to the UI, for Wails and for Handler.
func (n *Node) Bindings() []any {
	return []any{n.Kiosk, n.Requests, n.Lookup, n.Staff, n.Printing, n.Scanner}
}

// Run enrols the kiosk when a code was configured, then runs the sync
// engine and the backup schedule until ctx is cancelled or Close is called.
func (n *Node) Run(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		select {
		case <-n.ctx.Done():
			cancel()
		case <-ctx.Done():
		}
	}()
	if n.cfg.EnrolCode != "" {
		if _, err := n.db.Identity(); errors.Is(err, kioskdb.ErrNotEnrolled) {
			if err := n.sync.enrol(ctx, n.cfg.CityURL, n.cfg.EnrolCode); err != nil {
				n.log.Error("Automatic enrolment failed", "city_url", n.cfg.CityURL, "err", err)
			} else {
				n.log.Info("Kiosk enrolled", "city_url", n.cfg.CityURL)
			}
		}
	}
	n.wg.Add(1)
	go func() {
		defer n.wg.Done()
		n.runMaintenance(ctx)
	}()
	n.wg.Add(1)
	go func() {
		defer n.wg.Done()
		n.runScanner(ctx)
	}()
	return n.sync.run(ctx)
}

// runMaintenance takes a hot backup at start-up and every hour (rotated by
// the store), and purges payloads the city has acknowledged and closed.
func (n *Node) runMaintenance(ctx context.Context) {
	// The store logs "Backup written"; a failure is logged here and shown
	// to staff as an alarm (LastBackup) until a backup succeeds.
	if _, err := n.db.Backup(ctx, ""); err != nil {
		n.log.Error("Start-up backup failed", "err", err)
	}
	n.wg.Add(1)
	go func() {
		defer n.wg.Done()
		n.db.RunBackups(ctx)
	}()
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		if k, err := n.db.Purge(n.now()); err != nil {
			n.log.Error("Purge failed", "err", err)
		} else if k > 0 {
			n.log.Info("Purged closed requests' payloads", "count", k)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Close stops the node and closes the store.
func (n *Node) Close() error {
	n.cancel()
	n.wg.Wait()
	return n.db.Close()
}

func (n *Node) catalogue() *kiosk.Catalogue {
	n.mu.RLock()
	defer n.mu.RUnlock()
	return n.cat
}

func (n *Node) now() time.Time { return n.cfg.Now() }
