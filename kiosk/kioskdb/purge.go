package kioskdb

import (
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Tombstone stays after a payload is purged so that a late re-import of the
// same request (a USB bundle found in a drawer) is still recognised.
type Tombstone struct {
	RequestID string    `json:"request_id"`
	Code      string    `json:"code"`
	SHA256    string    `json:"sha256"` // hex sha256 of the sealed payload
	CityRef   string    `json:"city_ref,omitempty"`
	PurgedAt  time.Time `json:"purged_at"`
}

// Purge deletes the sealed payloads of requests whose city ack and terminal
// status (done, rejected) are both stored, once PurgeAfter has passed since
// the later of the two (kiosk clock). The index Record stays with Purged
// true and a Tombstone is written. Queued and quarantined requests are
// never purged. It returns how many payloads it deleted.
func (db *DB) Purge(now time.Time) (int, error) {
	now = now.UTC()
	n := 0
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		type cand struct {
			id string
			st storedStatus
		}
		var cands []cand
		err := tx.Bucket(bucketStatuses).ForEach(func(k, v []byte) error {
			var s storedStatus
			if err := json.Unmarshal(v, &s); err != nil {
				return fmt.Errorf("kioskdb: status of %s: %w", k, err)
			}
			if s.Status.Terminal() {
				cands = append(cands, cand{string(k), s})
			}
			return nil
		})
		if err != nil {
			return err
		}
		tombs := tx.Bucket(bucketTombstones)
		for _, c := range cands {
			r, err := getRequest(tx, c.id)
			if isNotFound(err) {
				continue
			}
			if err != nil {
				return err
			}
			rec := &r.Record
			if rec.State != StateSent || rec.Purged || rec.AckedAt.IsZero() {
				continue
			}
			later := rec.AckedAt
			if c.st.StoredAt.After(later) {
				later = c.st.StoredAt
			}
			if now.Sub(later) < db.opts.PurgeAfter {
				continue
			}
			t := Tombstone{RequestID: rec.RequestID, Code: rec.Code, SHA256: sha256Hex(r.Sealed), CityRef: rec.CityRef, PurgedAt: now}
			tv, err := json.Marshal(t)
			if err != nil {
				return fmt.Errorf("kioskdb: encode tombstone %s: %w", rec.RequestID, err)
			}
			if err := tombs.Put([]byte(rec.RequestID), tv); err != nil {
				return fmt.Errorf("kioskdb: put tombstone %s: %w", rec.RequestID, err)
			}
			rec.Purged = true
			clear(r.Sealed)
			r.Sealed = nil
			if err := putRequest(tx, r); err != nil {
				return err
			}
			if err := appendAudit(tx, AuditEntry{Time: now, Action: AuditPurge, RequestID: rec.RequestID, Code: rec.Code}); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	if n > 0 {
		db.log.Info("Purged sealed payloads", "count", n)
	}
	return n, nil
}

// Tombstone returns the tombstone of a purged request, or ErrNotFound.
func (db *DB) Tombstone(requestID string) (Tombstone, error) {
	var t Tombstone
	err := db.bolt.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketTombstones).Get([]byte(requestID))
		if v == nil {
			return fmt.Errorf("kioskdb: tombstone %s: %w", requestID, ErrNotFound)
		}
		return json.Unmarshal(v, &t)
	})
	return t, err
}
