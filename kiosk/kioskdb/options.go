package kioskdb

import (
	"log/slog"
	"time"
)

// Defaults applied to a zero Options.
const (
	DefaultTimeout    = 2 * time.Second
	DefaultPurgeAfter = 30 * 24 * time.Hour
	DefaultBackupKeep = 48
)

// Options configure Open. The zero value works: a 2 s lock timeout, the
// default logger, the system clock, no scheduled backups, payloads purged
// 30 days after the later of the city's ack and a terminal status.
type Options struct {
	// Timeout is how long Open waits for the file lock held by another
	// process before it fails with ErrLocked. Zero means 2 s.
	Timeout time.Duration
	// Logger receives the store's logs (never personal data). Nil means
	// slog.Default().
	Logger *slog.Logger
	// Now is the clock for audit lines and backup names. Nil means time.Now.
	Now func() time.Time
	// BackupDir is where Backup writes when called with an empty dir, where
	// RunBackups writes, and where Open looks for the backup to name when
	// the file is corrupt. Empty means "<db dir>/backups".
	BackupDir string
	// BackupEvery is RunBackups' period. Zero means hourly.
	BackupEvery time.Duration
	// BackupKeep is how many backups rotation keeps. Zero means 48.
	BackupKeep int
	// PurgeAfter is how long a sealed payload is kept after both the city's
	// ack and a terminal status are stored. Zero means 30 days.
	PurgeAfter time.Duration
	// SkipCheck skips the integrity check at open (tests of huge stores,
	// the bench). Never set it on a kiosk.
	SkipCheck bool
	// NewTicker makes RunBackups' ticker. Nil means time.NewTicker; tests
	// pass a channel they drive.
	NewTicker func(d time.Duration) (ticks <-chan time.Time, stop func())
}

func (o Options) withDefaults(path string) Options {
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.BackupDir == "" {
		o.BackupDir = defaultBackupDir(path)
	}
	if o.BackupEvery <= 0 {
		o.BackupEvery = time.Hour
	}
	if o.BackupKeep <= 0 {
		o.BackupKeep = DefaultBackupKeep
	}
	if o.PurgeAfter <= 0 {
		o.PurgeAfter = DefaultPurgeAfter
	}
	if o.NewTicker == nil {
		o.NewTicker = func(d time.Duration) (<-chan time.Time, func()) {
			t := time.NewTicker(d)
			return t.C, t.Stop
		}
	}
	return o
}
