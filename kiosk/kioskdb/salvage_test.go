package kioskdb

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"communekiosk/sync/syncproto"

	bolt "go.etcd.io/bbolt"
)

// salvageFixture is a store of 60 requests: 10 sent, then a backup, then
// 50 more never sent. It returns the store's path and the backup's.
func salvageFixture(t *testing.T) (path, backup string, receipts []Receipt) {
	t.Helper()
	dir := t.TempDir()
	path = filepath.Join(dir, "kiosk.db")
	db, err := Open(path, Options{Logger: quietLogger(), BackupDir: filepath.Join(dir, "backups"), Now: newClock().Now})
	must(t, err)
	must(t, db.SetIdentity(testIdentity(t)))
	for i := range 60 {
		if i == 10 {
			var res []syncproto.ItemResult
			for _, r := range receipts {
				res = append(res, syncproto.ItemResult{RequestID: r.RequestID, Outcome: syncproto.Accepted, CityRef: "HN-" + r.Code, ReceivedAt: t0})
			}
			must(t, db.ApplyPushResults(res, t0))
			backup, err = db.Backup(t.Context(), "")
			must(t, err)
		}
		rc, err := db.Submit(sampleRequest(strings.Repeat("y", i)), t0.Add(time.Duration(i)*time.Minute))
		must(t, err)
		receipts = append(receipts, rc)
	}
	must(t, db.Close())
	return path, backup, receipts
}

// restoreBackup copies a backup to a fresh data folder and opens it.
func restoreBackup(t *testing.T, backup string) *DB {
	t.Helper()
	p := filepath.Join(t.TempDir(), "kiosk.db")
	b, err := os.ReadFile(backup)
	must(t, err)
	must(t, os.WriteFile(p, b, 0o600))
	db, err := Open(p, Options{Logger: quietLogger(), Now: newClock().Now})
	must(t, err)
	t.Cleanup(func() { db.Close() })
	return db
}

// requestsLeafPage finds a leaf page whose loss leaves some, not all, of
// the requests readable, and loses an unsent one: a page in the middle of
// the requests bucket.
func requestsLeafPage(t *testing.T, path string, unsent []Receipt) int64 {
	t.Helper()
	// Not read-only: tx.Page needs the freelist, which a read-only open
	// does not load. Only a read transaction runs.
	bdb, err := bolt.Open(path, 0o600, nil)
	must(t, err)
	var leaves []int64
	_ = bdb.View(func(tx *bolt.Tx) error {
		for id := 2; ; id++ {
			p, err := tx.Page(id)
			if err != nil || p == nil {
				return nil
			}
			if p.Type == "leaf" {
				leaves = append(leaves, int64(id))
			}
			id += p.OverflowCount
		}
	})
	bdb.Close()
	for _, pg := range leaves {
		cp := filepath.Join(t.TempDir(), "kiosk.db")
		corruptCopy(t, path, cp, pg)
		found, _, err := readDamaged(cp)
		if err != nil || len(found) == 0 {
			continue
		}
		seen := map[string]bool{}
		for _, r := range found {
			seen[r.Record.RequestID] = true
		}
		lost := 0
		for _, r := range unsent {
			if !seen[r.RequestID] {
				lost++
			}
		}
		if lost > 0 && lost < len(unsent) {
			return pg
		}
	}
	t.Fatal("no leaf page in the middle of the requests bucket")
	return 0
}

func TestSalvage(t *testing.T) {
	path, backup, receipts := salvageFixture(t)
	unsent := receipts[10:]
	tests := []struct {
		name string
		page int64
		// all: every unsent request comes back; some: at least one, and
		// the problems are reported; none: the file is unreadable.
		want string
	}{
		{"undamaged", -1, "all"},
		{"audit root page", rootPage(t, path, bucketAudit), "all"},
		{"outbox root page", rootPage(t, path, bucketOutbox), "all"},
		{"a leaf page of the requests", requestsLeafPage(t, path, unsent), "some"},
		{"requests root page", rootPage(t, path, bucketRequests), "none-readable"},
		{"both meta pages", 0, "unopenable"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			damaged := filepath.Join(t.TempDir(), "kiosk.db.corrupt")
			if tc.page < 0 {
				b, err := os.ReadFile(path)
				must(t, err)
				must(t, os.WriteFile(damaged, b, 0o600))
			} else {
				corruptCopy(t, path, damaged, tc.page)
			}
			before, _ := os.ReadFile(damaged)
			db := restoreBackup(t, backup)
			rep, err := db.Salvage(damaged, t0.Add(time.Hour))
			if after, _ := os.ReadFile(damaged); string(after) != string(before) {
				t.Fatal("salvage wrote to the damaged file")
			}
			if tc.want == "unopenable" {
				if !errors.Is(err, ErrCorrupt) || len(rep.Imported) != 0 {
					t.Fatalf("err %v, report %+v", err, rep)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			imported := map[string]bool{}
			for _, c := range rep.Imported {
				imported[c] = true
			}
			got := 0
			for _, r := range unsent {
				if imported[r.Code] {
					got++
				}
			}
			switch tc.want {
			case "all":
				if got != len(unsent) || len(rep.Imported) != len(unsent) || rep.Present != 10 {
					t.Fatalf("imported %d of %d unsent (%d in all), present %d; problems %v", got, len(unsent), len(rep.Imported), rep.Present, rep.Problems)
				}
			case "some":
				if got == 0 || got == len(unsent) || len(rep.Problems) == 0 {
					t.Fatalf("imported %d of %d, problems %v", got, len(unsent), rep.Problems)
				}
			case "none-readable":
				if len(rep.Imported) != 0 || len(rep.Problems) == 0 {
					t.Fatalf("report %+v", rep)
				}
			}
			// What was imported is whole: queued under its own seq and
			// code, its payload opens, and the next receipt is new.
			pend, err := db.Pending(0, 0)
			must(t, err)
			if len(pend) != got {
				t.Fatalf("outbox holds %d, imported %d", len(pend), got)
			}
			for _, it := range pend {
				openPayload(t, it.Sealed)
				rec, err := db.Lookup(it.Code)
				if err != nil || rec.Seq != it.Seq || rec.State != StateQueued {
					t.Fatalf("lookup %s: %+v %v", it.Code, rec, err)
				}
			}
			// Even when a receipt could not be read, its code is not
			// given again.
			rc, err := db.Submit(sampleRequest("after salvage"), t0.Add(2*time.Hour))
			must(t, err)
			for _, r := range receipts {
				if r.Code == rc.Code {
					t.Fatalf("a new receipt reuses code %s", rc.Code)
				}
			}
			// Idempotent: a second run imports nothing.
			rep2, err := db.Salvage(damaged, t0.Add(3*time.Hour))
			if err != nil || len(rep2.Imported) != 0 {
				t.Fatalf("second run: %+v, %v", rep2, err)
			}
		})
	}
}
