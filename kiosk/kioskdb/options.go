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
	// DefaultSubmitFloor is the free space below which no new request is
	// taken, kept for acks, statuses, purges and the audit.
	DefaultSubmitFloor = 64 << 20
	// DefaultBackupMaxBytes bounds the total size of the backups.
	DefaultBackupMaxBytes = 1 << 30
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
	// BackupMaxBytes bounds the total size of the backups: rotation removes
	// the oldest until they fit (the newest is always kept). Zero means
	// 1 GiB.
	BackupMaxBytes int64
	// SubmitFloor is the free disk space (bytes) below which Submit and
	// Backup refuse with ErrDiskFull, so that the space under it stays for
	// what must always be written: acks, statuses, purges, audit lines.
	// Zero means 64 MiB. See docs/store.md, "A full disk".
	SubmitFloor uint64
	// FreeSpace reads the free space of the store's folder. Nil means
	// FreeSpace (statfs, GetDiskFreeSpaceEx); tests inject their own.
	FreeSpace FreeSpaceFunc
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
	if o.BackupMaxBytes <= 0 {
		o.BackupMaxBytes = DefaultBackupMaxBytes
	}
	if o.SubmitFloor == 0 {
		o.SubmitFloor = DefaultSubmitFloor
	}
	if o.FreeSpace == nil {
		o.FreeSpace = FreeSpace
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
