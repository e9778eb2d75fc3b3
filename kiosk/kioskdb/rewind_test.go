package kioskdb

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// damageMeta copies src to dst with the transaction ID and checksum of
// one meta page (bytes 64–80 of pages 0 and 1, after the page header and
// the meta fields before them) overwritten, as a bad sector or a torn
// write would: the page no longer validates, its header is still a meta
// page's.
func damageMeta(t *testing.T, src, dst string, page int64) {
	t.Helper()
	b, err := os.ReadFile(src)
	must(t, err)
	for i := page*4096 + 64; i < page*4096+80; i++ {
		b[i] ^= 0xA5
	}
	must(t, os.WriteFile(dst, b, 0o600))
}

// TestRewindDetected: damage to the current meta page makes bbolt open the
// previous transaction's state, without the last receipt. Open notices it
// from the side file, says so, and gives no receipt code twice.
func TestRewindDetected(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "kiosk.db")
	db, err := Open(path, Options{Logger: quietLogger(), Now: newClock().Now})
	must(t, err)
	must(t, db.SetIdentity(testIdentity(t)))
	var last Receipt
	for i := range 3 {
		last, err = db.Submit(sampleRequest(string(rune('a'+i))), t0)
		must(t, err)
	}
	must(t, db.Close())

	// One of the two meta pages is the current one; the other, the
	// previous transaction's. Damage each in turn.
	rewound := 0
	for _, page := range []int64{0, 1} {
		t.Run(map[int64]string{0: "meta page 0", 1: "meta page 1"}[page], func(t *testing.T) {
			d := t.TempDir()
			cp := filepath.Join(d, "kiosk.db")
			damageMeta(t, path, cp, page)
			side, err := os.ReadFile(lastSeqPath(path))
			must(t, err)
			must(t, os.WriteFile(lastSeqPath(cp), side, 0o600))
			db, err := Open(cp, Options{Logger: quietLogger(), Now: newClock().Now})
			must(t, err)
			defer db.Close()
			rw, err := db.LastRewind()
			if errors.Is(err, ErrNotFound) {
				// The older meta page was hit: nothing lost.
				if _, err := db.Lookup(last.Code); err != nil {
					t.Fatalf("no rewind, yet the last receipt is gone: %v", err)
				}
				return
			}
			must(t, err)
			rewound++
			if rw.Recorded != last.Seq || rw.Found != last.Seq-1 {
				t.Fatalf("rewind %+v, last seq %d", rw, last.Seq)
			}
			if _, err := db.Lookup(last.Code); !errors.Is(err, ErrNotFound) {
				t.Fatalf("the lost receipt is there: %v", err)
			}
			audit, _ := db.Audit(1)
			if audit[0].Action != AuditRewind {
				t.Fatalf("last audit %+v", audit[0])
			}
			rc, err := db.Submit(sampleRequest("next"), t0.Add(time.Minute))
			must(t, err)
			if rc.Seq <= last.Seq || rc.Code == last.Code {
				t.Fatalf("the lost receipt's code is given again: %+v", rc)
			}
		})
	}
	if rewound != 1 {
		t.Fatalf("%d of the two meta pages showed a rewind, want exactly 1", rewound)
	}
}

// TestRewindAfterRestore: restoring a backup in the data folder is a
// rewind too, reported the same way.
func TestRewindAfterRestore(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "kiosk.db")
	db, err := Open(path, Options{Logger: quietLogger(), Now: newClock().Now})
	must(t, err)
	must(t, db.SetIdentity(testIdentity(t)))
	submitN(t, db, 2)
	bak, err := db.Backup(t.Context(), "")
	must(t, err)
	rcs := submitN(t, db, 3)
	must(t, db.Close())
	b, err := os.ReadFile(bak)
	must(t, err)
	must(t, os.WriteFile(path, b, 0o600))
	db, err = Open(path, Options{Logger: quietLogger(), Now: newClock().Now})
	must(t, err)
	defer db.Close()
	rw, err := db.LastRewind()
	if err != nil || rw.Recorded != rcs[2].Seq || rw.Found != 2 {
		t.Fatalf("rewind %+v, %v", rw, err)
	}
	// Once the sequence is raised, the next open finds nothing new.
	must(t, db.Close())
	db, err = Open(path, Options{Logger: quietLogger(), Now: newClock().Now})
	must(t, err)
	if rw2, _ := db.LastRewind(); rw2 != rw {
		t.Fatalf("second open changed the rewind: %+v", rw2)
	}
}
