package kioskdb

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

// A store can open older than its last commit and say nothing: bbolt
// falls back to the older of its two meta pages when the current one is
// damaged, and a restored backup is older by design. Either way the last
// receipts vanish, and the next Submit would give their codes again. So
// after each Submit the store writes the receipt's sequence to a small
// side file next to it ("kiosk.db.lastseq", fsynced), and at open compares
// it with the outbox's sequence: a side file ahead means the store went
// back. Open then says so loudly (an error log line, an audit line, and
// Rewind for the staff alarm), and moves the sequence past the recorded one
// so that no receipt code is ever given twice.

// Rewind describes a store found older than its last receipt.
type Rewind struct {
	At time.Time `json:"at"` // when it was found
	// Recorded is the last receipt sequence the side file holds; Found
	// the store's. Receipts with sequences in (Found, Recorded] are not in
	// the store: get them back with Salvage from the damaged file, or ask
	// the city which it has.
	Recorded uint64 `json:"recorded"`
	Found    uint64 `json:"found"`
}

var metaRewind = []byte("rewind")

func lastSeqPath(dbPath string) string { return dbPath + ".lastseq" }

// writeLastSeq records seq in the side file: a temporary file, fsynced,
// renamed over the old one.
func writeLastSeq(dbPath string, seq uint64) error {
	dir := filepath.Dir(dbPath)
	tmp, err := os.CreateTemp(dir, ".lastseq-*.tmp")
	if err != nil {
		return fmt.Errorf("kioskdb: last receipt file: %w", err)
	}
	defer os.Remove(tmp.Name()) // after the rename: a no-op
	if _, err := tmp.WriteString(strconv.FormatUint(seq, 10) + "\n"); err != nil {
		_ = tmp.Close()
		return fmt.Errorf("kioskdb: last receipt file: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		_ = tmp.Close()
		return fmt.Errorf("kioskdb: last receipt file: fsync: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("kioskdb: last receipt file: %w", err)
	}
	if err := os.Rename(tmp.Name(), lastSeqPath(dbPath)); err != nil {
		return fmt.Errorf("kioskdb: last receipt file: %w", err)
	}
	return nil
}

// readLastSeq reads the side file; 0 when there is none.
func readLastSeq(dbPath string) (uint64, error) {
	b, err := os.ReadFile(lastSeqPath(dbPath))
	if errors.Is(err, os.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("kioskdb: last receipt file: %w", err)
	}
	n, err := strconv.ParseUint(strings.TrimSpace(string(b)), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("kioskdb: last receipt file %s: %w", lastSeqPath(dbPath), err)
	}
	return n, nil
}

// checkRewind runs at open.
func (db *DB) checkRewind() error {
	recorded, err := readLastSeq(db.path)
	if err != nil {
		// A damaged side file is no reason to refuse requests.
		db.log.Warn("Last receipt file unreadable; rewind check skipped", "err", err)
		return nil
	}
	return db.bolt.Update(func(tx *bolt.Tx) error {
		ob := tx.Bucket(bucketOutbox)
		found := ob.Sequence()
		if recorded <= found {
			return nil
		}
		rw := Rewind{At: db.opts.Now().UTC(), Recorded: recorded, Found: found}
		db.log.Error("The store is older than its last receipt: receipts were lost (a damaged meta page, or a restored backup)",
			"path", db.path, "last_receipt_seq", recorded, "store_seq", found, "lost", recorded-found,
			"way_out", "kioskd salvage DAMAGED.db; see docs/store.md, Restore")
		if err := ob.SetSequence(recorded); err != nil {
			return fmt.Errorf("kioskdb: raise outbox sequence: %w", err)
		}
		v, err := json.Marshal(rw)
		if err != nil {
			return fmt.Errorf("kioskdb: encode rewind: %w", err)
		}
		if err := tx.Bucket(bucketMeta).Put(metaRewind, v); err != nil {
			return fmt.Errorf("kioskdb: put rewind: %w", err)
		}
		return appendAudit(tx, AuditEntry{Time: rw.At, Action: AuditRewind,
			Detail: fmt.Sprintf("store seq %d, last receipt seq %d", found, recorded)})
	})
}

// LastRewind returns the last time the store was found older than its
// last receipt, or ErrNotFound.
func (db *DB) LastRewind() (Rewind, error) {
	var rw Rewind
	err := db.bolt.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketMeta).Get(metaRewind)
		if v == nil {
			return fmt.Errorf("kioskdb: rewind: %w", ErrNotFound)
		}
		return json.Unmarshal(v, &rw)
	})
	return rw, err
}
