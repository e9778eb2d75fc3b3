package kioskdb

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"communekiosk/internal/boltdamage"
)

func TestOpenCreatesFileOwnerOnly(t *testing.T) {
	db := openTest(t, Options{})
	fi, err := os.Stat(db.Path())
	if err != nil {
		t.Fatal(err)
	}
	if got := fi.Mode().Perm(); got != 0o600 {
		t.Errorf("mode = %v, want 0600", got)
	}
}

func TestOpenFixesLooseMode(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kiosk.db")
	db, err := Open(path, Options{Logger: quietLogger()})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	db, err = Open(path, Options{Logger: quietLogger()})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	fi, _ := os.Stat(path)
	if got := fi.Mode().Perm(); got != 0o600 {
		t.Errorf("mode after reopen = %v, want 0600", got)
	}
}

func TestOpenLockedFailsFast(t *testing.T) {
	db := openTest(t, Options{})
	start := time.Now()
	_, err := Open(db.Path(), Options{Timeout: 50 * time.Millisecond, Logger: quietLogger()})
	if !errors.Is(err, ErrLocked) {
		t.Fatalf("second Open: err = %v, want ErrLocked", err)
	}
	if !strings.Contains(err.Error(), db.Path()+" is in use by another process") {
		t.Errorf("message %q does not name the file and the cause", err)
	}
	// Not a timing assertion: a hang would show as a test timeout; this
	// only guards against the default 2 s being used instead of ours.
	if time.Since(start) > 30*time.Second {
		t.Errorf("second Open took %v", time.Since(start))
	}
}

func TestOpenRefusesCorruptFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "kiosk.db")
	backups := filepath.Join(dir, "backups")
	db, err := Open(path, Options{Logger: quietLogger(), BackupDir: backups, Now: newClock().Now})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.SetIdentity(testIdentity(t)); err != nil {
		t.Fatal(err)
	}
	for i := range 50 {
		if _, err := db.Submit(sampleRequest(strings.Repeat("x", i)), t0); err != nil {
			t.Fatal(err)
		}
	}
	bak, err := db.Backup(t.Context(), "")
	if err != nil {
		t.Fatal(err)
	}
	db.Close()

	tests := []struct {
		name string
		page int64 // page to overwrite with garbage
	}{
		{"requests root page", rootPage(t, path, bucketRequests)},
		{"audit root page", rootPage(t, path, bucketAudit)},
		{"both meta pages", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Same file name as the original, so its backups are found.
			cp := filepath.Join(t.TempDir(), "kiosk.db")
			corruptCopy(t, path, cp, tt.page)
			_, err := Open(cp, Options{Logger: quietLogger(), BackupDir: backups, Timeout: time.Second})
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("Open(corrupt) err = %v, want ErrCorrupt", err)
			}
			msg := err.Error()
			for _, want := range []string{cp, "cp " + bak + " " + cp, "docs/store.md"} {
				if !strings.Contains(msg, want) {
					t.Errorf("message lacks %q:\n%s", want, msg)
				}
			}
		})
	}

	t.Run("no backup", func(t *testing.T) {
		cp := filepath.Join(t.TempDir(), "kiosk.db")
		corruptCopy(t, path, cp, rootPage(t, path, bucketRequests))
		_, err := Open(cp, Options{Logger: quietLogger(), BackupDir: filepath.Join(dir, "empty")})
		if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "no backup was found") {
			t.Fatalf("err = %v", err)
		}
	})
}

// rootPage returns the root page of a bucket of a closed store.
func rootPage(t *testing.T, path string, bucket []byte) int64 {
	t.Helper()
	bdb, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer bdb.Close()
	var root int64
	_ = bdb.View(func(tx *bolt.Tx) error {
		root = int64(tx.Bucket(bucket).Root())
		return nil
	})
	if root < 2 {
		t.Fatalf("bucket %s is inline (root %d): submit more data", bucket, root)
	}
	return root
}

// corruptCopy copies src to dst and fills one 4 KiB page with garbage
// (page 0: both meta pages).
func corruptCopy(t *testing.T, src, dst string, page int64) {
	t.Helper()
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	const ps = 4096
	pages := int64(len(b)) / ps
	garbage := func(p int64) {
		for i := p * ps; i < (p+1)*ps; i++ {
			b[i] = byte(i*7 + 13)
		}
	}
	switch {
	case page >= pages:
		t.Fatalf("page %d beyond the file's %d pages", page, pages)
	case page == 0:
		garbage(0)
		garbage(1)
	default:
		garbage(page)
	}
	if err := os.WriteFile(dst, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestOpenRefusesNewerSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kiosk.db")
	db, err := Open(path, Options{Logger: quietLogger()})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.bolt.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketMeta).Put(metaSchemaVersion, []byte("99"))
	}); err != nil {
		t.Fatal(err)
	}
	db.Close()
	_, err = Open(path, Options{Logger: quietLogger()})
	if err == nil || !strings.Contains(err.Error(), "newer than this program") {
		t.Fatalf("err = %v, want a refusal naming the newer schema", err)
	}
	checkFile(t, path)
}

func TestOpenRefusesOtherBboltFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "other.db")
	bdb, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	must(t, bdb.Update(func(tx *bolt.Tx) error { _, err := tx.CreateBucket([]byte("something")); return err }))
	must(t, bdb.Close())
	if _, err := Open(path, Options{Logger: quietLogger()}); err == nil || !strings.Contains(err.Error(), "not a kiosk store") {
		t.Fatalf("Open(other bbolt file) = %v, want a refusal", err)
	}
}

func TestEmptyStore(t *testing.T) {
	db := openTest(t, Options{})
	if c, err := db.Counts(); err != nil || c != (Counts{}) {
		t.Errorf("Counts = %+v, %v", c, err)
	}
	if p, err := db.Pending(10, 1<<20); err != nil || len(p) != 0 {
		t.Errorf("Pending = %v, %v", p, err)
	}
	if q, err := db.Quarantined(); err != nil || len(q) != 0 {
		t.Errorf("Quarantined = %v, %v", q, err)
	}
	if n, err := db.Purge(t0.Add(1000 * 24 * time.Hour)); err != nil || n != 0 {
		t.Errorf("Purge = %d, %v", n, err)
	}
	if a, err := db.Audit(10); err != nil || len(a) != 0 {
		t.Errorf("Audit = %v, %v", a, err)
	}
}

// TestOpenPagesInALoop: a branch page that points to itself makes bbolt's
// check report the page again and again without end; Open stops after
// maxCheckProblems and refuses the file as damaged, with the way out,
// instead of hanging the kiosk's start.
func TestOpenPagesInALoop(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kiosk.db")
	db, err := Open(path, Options{Logger: quietLogger(), Now: newClock().Now})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	if err := boltdamage.LoopBranchPage(path); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		db, err := Open(path, Options{Logger: quietLogger(), Now: newClock().Now})
		if err == nil {
			db.Close()
		}
		done <- err
	}()
	select {
	case err := <-done:
		if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "may point to each other in a loop") {
			t.Fatalf("Open(pages in a loop) = %v, want ErrCorrupt saying the check stopped", err)
		}
	case <-time.After(2 * time.Minute): // a hang detector, not a time budget
		t.Fatal("Open of a file whose pages loop did not return")
	}
}
