package kioskdb

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Backup file names: "<db file name>.<UTC time>.bak", the time fixed-width
// so that names sort by age.
const (
	backupTimeFormat = "20060102T150405.000000000Z"
	backupSuffix     = ".bak"
)

func defaultBackupDir(path string) string {
	return filepath.Join(filepath.Dir(path), "backups")
}

func backupPrefix(path string) string { return filepath.Base(path) + "." }

// Backup writes a consistent copy of the store to dir (empty: the
// Options' BackupDir) while the kiosk keeps running (tx.WriteTo in a read
// transaction): to a temporary file, fsynced, then renamed into place, so a
// backup file is either whole or absent. It refuses with ErrDiskFull when
// the backup would leave less than SubmitFloor free. It then removes the
// oldest backups beyond BackupKeep or BackupMaxBytes in total and writes an
// audit line. It returns the new file's
// path. Restore is described in docs/store.md.
func (db *DB) Backup(ctx context.Context, dir string) (string, error) {
	p, err := db.backup(ctx, dir)
	db.backupMu.Lock()
	db.lastBackup = BackupStatus{At: db.opts.Now().UTC(), Path: p, Err: err}
	db.backupMu.Unlock()
	return p, err
}

// BackupStatus is the outcome of the last Backup call.
type BackupStatus struct {
	At   time.Time // zero: no backup tried since Open
	Path string
	Err  error
}

// LastBackup reports the last Backup call's outcome, for the staff screen
// (a failed backup must be seen, not only logged).
func (db *DB) LastBackup() BackupStatus {
	db.backupMu.Lock()
	defer db.backupMu.Unlock()
	return db.lastBackup
}

func (db *DB) backup(ctx context.Context, dir string) (string, error) {
	if dir == "" {
		dir = db.opts.BackupDir
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("kioskdb: backup dir %s: %w", dir, err)
	}
	if err := ctx.Err(); err != nil {
		return "", fmt.Errorf("kioskdb: backup: %w", err)
	}
	size, err := db.size()
	if err != nil {
		return "", err
	}
	// A backup must not eat the space kept for acks and purges.
	if err := db.checkRoom("backup", uint64(size)); err != nil {
		return "", err
	}
	now := db.opts.Now().UTC()
	name := backupPrefix(db.path) + now.Format(backupTimeFormat) + backupSuffix
	final := filepath.Join(dir, name)
	if err := db.writeBackup(dir, final); err != nil {
		return "", diskFullError(err)
	}
	if err := rotateBackups(db.path, dir, db.opts.BackupKeep, db.opts.BackupMaxBytes); err != nil {
		db.log.Warn("Backup rotation failed", "dir", dir, "err", err)
	}
	if err := db.bolt.Update(func(tx *bolt.Tx) error {
		return appendAudit(tx, AuditEntry{Time: now, Action: AuditBackup, Detail: name})
	}); err != nil {
		return final, err
	}
	db.log.Info("Backup written", "path", final)
	return final, nil
}

func (db *DB) writeBackup(dir, final string) error {
	tmp, err := os.CreateTemp(dir, ".backup-*.tmp")
	if err != nil {
		return fmt.Errorf("kioskdb: backup: %w", err)
	}
	done := false
	defer func() {
		if !done {
			_ = tmp.Close()
			_ = os.Remove(tmp.Name())
		}
	}()
	if err := tmp.Chmod(0o600); err != nil {
		return fmt.Errorf("kioskdb: backup: %w", err)
	}
	if err := db.bolt.View(func(tx *bolt.Tx) error {
		_, err := tx.WriteTo(tmp)
		return err
	}); err != nil {
		return fmt.Errorf("kioskdb: backup: write %s: %w", tmp.Name(), err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("kioskdb: backup: fsync: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("kioskdb: backup: close: %w", err)
	}
	if err := os.Rename(tmp.Name(), final); err != nil {
		return fmt.Errorf("kioskdb: backup: rename: %w", err)
	}
	done = true
	return syncDir(dir)
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("kioskdb: open dir %s: %w", dir, err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("kioskdb: fsync dir %s: %w", dir, err)
	}
	return nil
}

// listBackups returns the backups of the store at path in dir, oldest first.
func listBackups(path, dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	prefix := backupPrefix(path)
	var names []string
	for _, e := range entries {
		n := e.Name()
		if e.Type().IsRegular() && strings.HasPrefix(n, prefix) && strings.HasSuffix(n, backupSuffix) {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	for i, n := range names {
		names[i] = filepath.Join(dir, n)
	}
	return names, nil
}

// latestBackup returns the newest backup's path, or "".
func latestBackup(path, dir string) (string, error) {
	all, err := listBackups(path, dir)
	if err != nil || len(all) == 0 {
		return "", err
	}
	return all[len(all)-1], nil
}

// rotateBackups removes the oldest backups until at most keep remain and
// their total size is at most maxBytes; the newest is always kept.
func rotateBackups(path, dir string, keep int, maxBytes int64) error {
	all, err := listBackups(path, dir)
	if err != nil {
		return err
	}
	sizes := make([]int64, len(all))
	var total int64
	for i, p := range all {
		fi, err := os.Stat(p)
		if err != nil {
			return err
		}
		sizes[i] = fi.Size()
		total += sizes[i]
	}
	for len(all) > 1 && (len(all) > keep || total > maxBytes) {
		if err := os.Remove(all[0]); err != nil {
			return err
		}
		total -= sizes[0]
		all, sizes = all[1:], sizes[1:]
	}
	return nil
}

// size is the store's file size, what a backup will take.
func (db *DB) size() (int64, error) {
	var n int64
	err := db.bolt.View(func(tx *bolt.Tx) error {
		n = tx.Size()
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("kioskdb: backup: size: %w", err)
	}
	return n, nil
}

// RunBackups writes a backup every BackupEvery until ctx ends. A failed
// backup is logged and retried at the next tick. It returns ctx's error.
func (db *DB) RunBackups(ctx context.Context) error {
	ticks, stop := db.opts.NewTicker(db.opts.BackupEvery)
	defer stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-ticks:
			if _, err := db.Backup(ctx, ""); err != nil {
				db.log.Error("Backup failed", "err", err)
			}
		}
	}
}
