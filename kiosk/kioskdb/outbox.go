package kioskdb

import (
	"fmt"

	"communekiosk/sync/syncproto"

	bolt "go.etcd.io/bbolt"
)

// Pending returns unsent requests in seq order, at most maxItems of them
// and at most maxBytes of sealed payload (≤ 0: no limit). The first item is
// returned even when it alone exceeds maxBytes, so one large item never
// blocks the queue. Quarantined requests are not in the outbox.
func (db *DB) Pending(maxItems, maxBytes int) ([]syncproto.Item, error) {
	var out []syncproto.Item
	err := db.bolt.View(func(tx *bolt.Tx) error {
		size := 0
		c := tx.Bucket(bucketOutbox).Cursor()
		for k, id := c.First(); k != nil; k, id = c.Next() {
			if maxItems > 0 && len(out) >= maxItems {
				break
			}
			r, err := getRequest(tx, string(id))
			if err != nil {
				return fmt.Errorf("kioskdb: outbox seq %d: %w", seqFromKey(k), err)
			}
			if r.Record.State != StateQueued {
				continue
			}
			if maxBytes > 0 && len(out) > 0 && size+len(r.Sealed) > maxBytes {
				break
			}
			size += len(r.Sealed)
			out = append(out, syncproto.Item{
				Seq:       r.Record.Seq,
				RequestID: r.Record.RequestID,
				Code:      r.Record.Code,
				Service:   r.Record.Service,
				CreatedAt: r.Record.CreatedAt,
				Sealed:    r.Sealed,
				SHA256:    sha256Hex(r.Sealed),
			})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Counts returns the queue figures: queued (in the outbox), sent (acked),
// quarantined, and the creation time of the oldest unsent request.
func (db *DB) Counts() (Counts, error) {
	var n Counts
	err := db.bolt.View(func(tx *bolt.Tx) error {
		outbox := tx.Bucket(bucketOutbox)
		c := outbox.Cursor()
		for k, id := c.First(); k != nil; k, id = c.Next() {
			if n.Queued == 0 {
				r, err := getRequest(tx, string(id))
				if err != nil {
					return fmt.Errorf("kioskdb: oldest unsent: %w", err)
				}
				n.OldestUnsent = r.Record.CreatedAt
			}
			n.Queued++
		}
		n.Quarantined = tx.Bucket(bucketQuarantine).Stats().KeyN
		// Every committed Submit took exactly one outbox sequence number,
		// and requests are never deleted (purge keeps the index).
		n.Sent = int(outbox.Sequence()) - n.Queued - n.Quarantined
		return nil
	})
	return n, err
}

// QueueCounts returns the outbox figures the sync engine reports in its
// heartbeat (Counts without the sent ones).
func (db *DB) QueueCounts() (syncproto.QueueCounts, error) {
	n, err := db.Counts()
	return syncproto.QueueCounts{Queued: n.Queued, Quarantined: n.Quarantined, OldestUnsent: n.OldestUnsent}, err
}
