package kioskdb

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"
)

func TestBackupIsAWholeStoreAndRotates(t *testing.T) {
	clk := newClock()
	dir := filepath.Join(t.TempDir(), "backups")
	db := openEnrolled(t, Options{Now: clk.Now, BackupDir: dir, BackupKeep: 3})
	rcs := submitN(t, db, 3)

	var paths []string
	for range 5 {
		p, err := db.Backup(t.Context(), "")
		if err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
		clk.Advance(time.Hour)
	}
	got, err := listBackups(db.Path(), dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || got[0] != paths[2] || got[2] != paths[4] {
		t.Fatalf("backups kept %v, want the 3 newest of %v", got, paths)
	}
	fi, err := os.Stat(got[2])
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("backup mode %v, %v", fi.Mode().Perm(), err)
	}
	if tmp, _ := filepath.Glob(filepath.Join(dir, ".backup-*")); len(tmp) != 0 {
		t.Errorf("temporary files left: %v", tmp)
	}

	// Restore: copy the backup over a store file and open it.
	restored := filepath.Join(t.TempDir(), "kiosk.db")
	b, _ := os.ReadFile(got[2])
	must(t, os.WriteFile(restored, b, 0o600))
	db2, err := Open(restored, Options{Logger: quietLogger()})
	if err != nil {
		t.Fatalf("open restored backup: %v", err)
	}
	defer db2.Close()
	pend, err := db2.Pending(0, 0)
	if err != nil || len(pend) != len(rcs) {
		t.Fatalf("restored Pending = %d, %v", len(pend), err)
	}
	openPayload(t, pend[0].Sealed)
	if _, err := db2.Identity(); err != nil {
		t.Errorf("restored identity: %v", err)
	}
	audit, _ := db.Audit(1)
	if audit[0].Action != AuditBackup || audit[0].Detail != filepath.Base(paths[4]) {
		t.Errorf("last audit line %+v", audit[0])
	}
}

func TestBackupHonoursContext(t *testing.T) {
	db := openTest(t, Options{BackupDir: t.TempDir()})
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := db.Backup(ctx, ""); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

func TestRunBackupsOnEachTick(t *testing.T) {
	// A clock that moves a second on every reading, safe across goroutines.
	var step atomic.Int64
	now := func() time.Time { return t0.Add(time.Duration(step.Add(1)) * time.Second) }
	dir := t.TempDir()
	ticks := make(chan time.Time)
	var period time.Duration
	stopped := make(chan struct{})
	db := openTest(t, Options{Now: now, BackupDir: dir, BackupEvery: 15 * time.Minute,
		NewTicker: func(d time.Duration) (<-chan time.Time, func()) {
			period = d
			return ticks, func() { close(stopped) }
		}})
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- db.RunBackups(ctx) }()
	for range 3 {
		ticks <- t0 // unbuffered: RunBackups took it
	}
	// A fourth send waits until the third backup is done.
	ticks <- t0
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("RunBackups = %v, want context.Canceled", err)
	}
	<-stopped
	if period != 15*time.Minute {
		t.Errorf("ticker period %v", period)
	}
	got, _ := listBackups(db.Path(), dir)
	if len(got) < 3 {
		t.Errorf("%d backups after 4 ticks, want at least 3", len(got))
	}
}
