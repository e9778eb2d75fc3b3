package kioskdb

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
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
// side file next to it ("kiosk.db.lastseq"), and at open compares
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

// writeLastSeq records seq in the side file, overwritten in place with a
// fixed width and not fsynced: it costs a write to the page cache, not a
// second disk flush per receipt. That is enough, because the side file
// only has to outlive the store's later damage or restore (the kernel
// writes it out within seconds); a crash before that leaves the old value
// or an unreadable one, and Open then skips the check rather than guess.
func (db *DB) writeLastSeq(seq uint64) error {
	db.sideMu.Lock()
	defer db.sideMu.Unlock()
	if db.side == nil {
		f, err := os.OpenFile(lastSeqPath(db.path), os.O_RDWR|os.O_CREATE, 0o600)
		if err != nil {
			return fmt.Errorf("kioskdb: last receipt file: %w", err)
		}
		db.side = f
	}
	if _, err := db.side.WriteAt([]byte(fmt.Sprintf("%020d\n", seq)), 0); err != nil {
		return fmt.Errorf("kioskdb: last receipt file: %w", err)
	}
	return nil
}

// closeSide closes the side file (at Close).
func (db *DB) closeSide() error {
	db.sideMu.Lock()
	defer db.sideMu.Unlock()
	if db.side == nil {
		return nil
	}
	err := db.side.Close()
	db.side = nil
	return err
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
