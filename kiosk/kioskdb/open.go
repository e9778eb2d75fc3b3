package kioskdb

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync"

	"communekiosk/sync/syncproto"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// DB is the kiosk's store. Its methods are safe for concurrent use; bbolt
// serialises writers. Every write is one fsynced transaction.
type DB struct {
	bolt *bolt.DB
	path string
	opts Options
	log  *slog.Logger
	// checkStopped: the integrity check at open was stopped before its
	// end, so the file must stay mapped (see checkIntegrity).
	checkStopped bool

	mu       sync.RWMutex
	identity *syncproto.Identity // cached; nil until enrolled

	backupMu   sync.Mutex
	lastBackup BackupStatus

	sideMu sync.Mutex
	side   *os.File // the last receipt file, opened at the first Submit
}

// Open opens (or creates, mode 0600) the store at path. It waits at most
// opts.Timeout for the file lock (ErrLocked after that), runs bbolt's
// integrity check (ErrCorrupt with the way out in the message; see
// docs/store.md) and migrates the schema to SchemaVersion, taking a backup
// first when there is data to migrate.
func Open(path string, opts Options) (*DB, error) {
	opts = opts.withDefaults(path)
	bdb, err := openBolt(path, opts)
	if err != nil {
		return nil, err
	}
	db := &DB{bolt: bdb, path: path, opts: opts, log: opts.Logger}
	if err := db.open(); err != nil {
		if !db.checkStopped {
			_ = bdb.Close()
		}
		return nil, err
	}
	return db, nil
}

func (db *DB) open() error {
	if err := ensureMode(db.path); err != nil {
		return err
	}
	if !db.opts.SkipCheck {
		stopped, err := checkIntegrity(db.bolt)
		db.checkStopped = stopped
		if err != nil {
			return db.corrupt(err)
		}
	}
	if err := db.migrate(); err != nil {
		return err
	}
	if err := db.checkRewind(); err != nil {
		return err
	}
	id, err := db.readIdentity()
	if err != nil && !errors.Is(err, ErrNotEnrolled) {
		return err
	}
	if err == nil {
		db.identity = &id
	}
	db.log.Info("Kiosk store open", "path", db.path, "schema_version", SchemaVersion, "enrolled", db.identity != nil)
	return nil
}

// openBolt opens the bbolt file, turning a held lock into ErrLocked and an
// unreadable file (or a panic while reading its meta pages) into ErrCorrupt.
func openBolt(path string, opts Options) (bdb *bolt.DB, err error) {
	defer func() {
		if r := recover(); r != nil {
			bdb = nil
			err = corruptError(path, opts.BackupDir, fmt.Errorf("panic while opening: %v", r))
		}
	}()
	bdb, err = bolt.Open(path, 0o600, &bolt.Options{Timeout: opts.Timeout})
	switch {
	case err == nil:
		return bdb, nil
	case errors.Is(err, berrors.ErrTimeout):
		return nil, fmt.Errorf("kioskdb: %s is in use by another process (waited %s for its lock; is another kiosk program running?): %w",
			path, opts.Timeout, ErrLocked)
	case errors.Is(err, berrors.ErrInvalid), errors.Is(err, berrors.ErrChecksum), errors.Is(err, berrors.ErrVersionMismatch):
		return nil, corruptError(path, opts.BackupDir, err)
	default:
		return nil, fmt.Errorf("kioskdb: open %s: %w", path, err)
	}
}

// ensureMode makes the file readable by its owner only: it holds the
// kiosk's signing key.
func ensureMode(path string) error {
	fi, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("kioskdb: stat %s: %w", path, err)
	}
	if fi.Mode().Perm() != 0o600 {
		if err := os.Chmod(path, 0o600); err != nil {
			return fmt.Errorf("kioskdb: chmod 0600 %s: %w", path, err)
		}
	}
	return nil
}

// maxCheckProblems bounds the integrity check: a branch page that points
// to itself (or to a page above it) makes bbolt's check walk it again and
// again, reporting "multiple references" each time, without end.
const maxCheckProblems = 1000

// checkIntegrity runs tx.Check over the whole file and returns the problems
// found, joined, or nil. It stops reading after maxCheckProblems (stopped),
// and the file is refused as damaged instead of hanging the kiosk's start.
// The check's goroutine then goes on to its next report and waits there
// forever, reading the transaction's pages on the way; so that nothing is
// freed under it, its read transaction is never closed, and the bolt handle
// must stay open (Close would wait for that transaction): Open leaves it,
// and the file's lock, until the process ends, one handle per such file.
func checkIntegrity(bdb *bolt.DB) (stopped bool, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic while checking: %v", r)
		}
	}()
	tx, err := bdb.Begin(false)
	if err != nil {
		return false, err
	}
	var errs []error
	n := 0
	for e := range tx.Check() { // drain: Check's goroutine sends until done
		n++
		if len(errs) < 5 {
			errs = append(errs, e)
		}
		if n == maxCheckProblems {
			errs = append(errs, fmt.Errorf("and more: the check stopped after %d problems (the file's pages may point to each other in a loop)", n))
			return true, errors.Join(errs...) // tx left open on purpose, see above
		}
	}
	if err := tx.Rollback(); err != nil {
		return false, err
	}
	if n == 0 {
		return false, nil
	}
	if n > len(errs) {
		errs = append(errs, fmt.Errorf("and %d more problems", n-len(errs)))
	}
	return false, errors.Join(errs...)
}

func (db *DB) corrupt(cause error) error {
	return corruptError(db.path, db.opts.BackupDir, cause)
}

// corruptError says what is wrong and what to do: restore the latest
// backup, by its exact path.
func corruptError(path, backupDir string, cause error) error {
	latest, _ := latestBackup(path, backupDir)
	way := fmt.Sprintf("no backup was found in %s: follow docs/store.md, \"Integrity failure\", to salvage the file", backupDir)
	if latest != "" {
		way = fmt.Sprintf("stop the kiosk, keep the damaged file (mv %s %s.corrupt), restore the latest backup (cp %s %s) and start the kiosk again; see docs/store.md, \"Integrity failure\"",
			path, path, latest, path)
	}
	return fmt.Errorf("kioskdb: %s failed its integrity check and will not be used: %w: %v; the way out: %s",
		path, ErrCorrupt, cause, way)
}

// Path is the database file's path.
func (db *DB) Path() string { return db.path }

// Close closes the store. It waits for running transactions.
func (db *DB) Close() error {
	if err := db.closeSide(); err != nil {
		db.log.Warn("Last receipt file not closed", "err", err)
	}
	if err := db.bolt.Close(); err != nil {
		return fmt.Errorf("kioskdb: close %s: %w", db.path, err)
	}
	return nil
}
