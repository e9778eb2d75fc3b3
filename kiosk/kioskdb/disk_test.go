package kioskdb

import (
	"errors"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"communekiosk/sync/syncproto"
)

// fakeDisk is an injected free-space reading.
type fakeDisk struct {
	free atomic.Uint64
	fail atomic.Bool
}

func (d *fakeDisk) read(string) (uint64, error) {
	if d.fail.Load() {
		return 0, errors.New("statfs: not supported")
	}
	return d.free.Load(), nil
}

func TestDiskFullRefusesSubmitsButNotAcks(t *testing.T) {
	disk := &fakeDisk{}
	disk.free.Store(1 << 30)
	db := openEnrolled(t, Options{FreeSpace: disk.read, SubmitFloor: 64 << 20})
	rcs := submitN(t, db, 2)

	disk.free.Store(10 << 20) // under the floor
	if d := db.Disk(); !d.Low() || d.Free != 10<<20 {
		t.Fatalf("disk %+v", d)
	}
	before := dump(t, db)
	_, err := db.Submit(sampleRequest("Z"), t0)
	if !errors.Is(err, ErrDiskFull) {
		t.Fatalf("submit on a full disk: %v", err)
	}
	if after := dump(t, db); len(after) != len(before) {
		t.Fatal("a refused submit wrote something")
	}
	// Acks, statuses and purges are what the reserve is kept for.
	err = db.ApplyPushResults([]syncproto.ItemResult{
		{RequestID: rcs[0].RequestID, Outcome: syncproto.Accepted, CityRef: "HN-1", ReceivedAt: t0},
		{RequestID: rcs[1].RequestID, Outcome: syncproto.Accepted, CityRef: "HN-2", ReceivedAt: t0},
	}, t0)
	if err != nil {
		t.Fatalf("ack on a full disk: %v", err)
	}
	if err := db.ApplyStatuses([]syncproto.StatusChange{{RequestID: rcs[0].RequestID, Code: rcs[0].Code, Status: "done", ChangedAt: t0}}, syncproto.Cursor{Epoch: "e", Seq: 1}, false, t0); err != nil {
		t.Fatalf("statuses on a full disk: %v", err)
	}
	if _, err := db.Purge(t0.Add(40 * 24 * time.Hour)); err != nil {
		t.Fatalf("purge on a full disk: %v", err)
	}
	if c, _ := db.Counts(); c.Queued != 0 || c.Sent != 2 {
		t.Fatalf("counts %+v", c)
	}

	// Space again: submits go through.
	disk.free.Store(1 << 30)
	if _, err := db.Submit(sampleRequest("Y"), t0); err != nil {
		t.Fatal(err)
	}
	// A free space that cannot be read is not a full disk.
	disk.fail.Store(true)
	if d := db.Disk(); d.Known || d.Low() {
		t.Fatalf("unknown disk %+v", d)
	}
	if _, err := db.Submit(sampleRequest("X"), t0); err != nil {
		t.Fatal(err)
	}
}

func TestBackupKeepsTheReserveAndBoundsTotalSize(t *testing.T) {
	clk := newClock()
	disk := &fakeDisk{}
	disk.free.Store(1 << 40)
	dir := filepath.Join(t.TempDir(), "backups")
	db := openEnrolled(t, Options{Now: clk.Now, BackupDir: dir, FreeSpace: disk.read, SubmitFloor: 64 << 20})
	submitN(t, db, 3)
	size, err := db.size()
	if err != nil {
		t.Fatal(err)
	}
	// Room for the floor but not for the floor and one more backup.
	disk.free.Store(64<<20 + uint64(size) - 1)
	if _, err := db.Backup(t.Context(), ""); !errors.Is(err, ErrDiskFull) {
		t.Fatalf("backup into the reserve: %v", err)
	}
	if got, _ := listBackups(db.Path(), dir); len(got) != 0 {
		t.Fatalf("backups %v", got)
	}

	// By size: at most 2.5 backups' worth are kept, so 2 of 5.
	disk.free.Store(1 << 40)
	db.opts.BackupMaxBytes = size * 5 / 2
	var paths []string
	for range 5 {
		p, err := db.Backup(t.Context(), "")
		if err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
		clk.Advance(time.Hour)
	}
	got, _ := listBackups(db.Path(), dir)
	if len(got) != 2 || got[0] != paths[3] || got[1] != paths[4] {
		t.Fatalf("kept %v of %v", got, paths)
	}
	// The newest is kept even when it alone is over the bound.
	db.opts.BackupMaxBytes = 1
	p, err := db.Backup(t.Context(), "")
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := listBackups(db.Path(), dir); len(got) != 1 || got[0] != p {
		t.Fatalf("kept %v", got)
	}
	if _, err := os.Stat(p); err != nil {
		t.Fatal(err)
	}
}

func TestLastBackupReportsFailure(t *testing.T) {
	disk := &fakeDisk{}
	disk.free.Store(1 << 40)
	db := openEnrolled(t, Options{FreeSpace: disk.read, BackupDir: filepath.Join(t.TempDir(), "b")})
	if st := db.LastBackup(); !st.At.IsZero() {
		t.Fatalf("status before any backup %+v", st)
	}
	disk.free.Store(1)
	if _, err := db.Backup(t.Context(), ""); err == nil {
		t.Fatal("backup on a full disk")
	}
	if st := db.LastBackup(); !errors.Is(st.Err, ErrDiskFull) || st.At.IsZero() {
		t.Fatalf("status %+v", st)
	}
	disk.free.Store(1 << 40)
	if _, err := db.Backup(t.Context(), ""); err != nil {
		t.Fatal(err)
	}
	if st := db.LastBackup(); st.Err != nil || st.Path == "" {
		t.Fatalf("status %+v", st)
	}
}
