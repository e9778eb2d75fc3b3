package kioskdb

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"communekiosk/sync/syncproto"

	bolt "go.etcd.io/bbolt"
)

var updateStored = flag.Bool("update-stored", false, "rewrite testdata/stored-values.golden")

// TestStoredValuesUnchanged pins the bytes kioskdb writes for the values
// the sync path stores (identity, cursor, a status, a quarantine entry,
// and the audit lines), so that a change of the Go
// types behind them (the wire types of syncproto) cannot change what is on
// disk: existing stores must still read, and a store written now must
// read in an older kiosk.
func TestStoredValuesUnchanged(t *testing.T) {
	db := openEnrolled(t, Options{})
	rcs := submitN(t, db, 3)
	must(t, db.ApplyPushResults([]syncproto.ItemResult{
		{RequestID: rcs[0].RequestID, Outcome: syncproto.Accepted, CityRef: "HN-1", ReceivedAt: t0},
		{RequestID: rcs[1].RequestID, Outcome: syncproto.Rejected, Reason: "invalid"},
	}, t0))
	must(t, db.ApplyStatuses([]syncproto.StatusChange{{RequestID: rcs[0].RequestID, Code: rcs[0].Code, Status: "ready", Note: "n", ChangedAt: t0}},
		syncproto.Cursor{Epoch: "e1", Seq: 9}, false, t0))

	var b strings.Builder
	err := db.bolt.View(func(tx *bolt.Tx) error {
		for _, key := range []string{"identity", "cursor"} {
			fmt.Fprintf(&b, "meta/%s %s\n", key, tx.Bucket(bucketMeta).Get([]byte(key)))
		}
		for _, bk := range [][]byte{bucketStatuses, bucketQuarantine} {
			if err := tx.Bucket(bk).ForEach(func(k, v []byte) error {
				fmt.Fprintf(&b, "%s/%s %s\n", bk, k, v)
				return nil
			}); err != nil {
				return err
			}
		}
		return tx.Bucket(bucketAudit).ForEach(func(k, v []byte) error {
			fmt.Fprintf(&b, "audit %s\n", v)
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	got := b.String()
	for _, rc := range rcs {
		got = strings.ReplaceAll(got, rc.RequestID, fmt.Sprintf("<request %d>", rc.Seq))
	}
	golden := filepath.Join("testdata", "stored-values.golden")
	if *updateStored {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("stored values changed:\n%s\nwant:\n%s", got, want)
	}
}
