package kioskdb

import (
	"encoding/json"
	"fmt"
	"time"

	"communekiosk/sync/syncproto"

	bolt "go.etcd.io/bbolt"
)

// storedStatus is the value of the statuses bucket.
type storedStatus struct {
	Code      string           `json:"code,omitempty"`
	Status    syncproto.Status `json:"status"`
	Note      string           `json:"note,omitempty"`
	ChangedAt time.Time        `json:"changed_at"` // the city's time
	StoredAt  time.Time        `json:"stored_at"`  // the kiosk's time it was stored (for purge)
}

func getStatus(tx *bolt.Tx, requestID string) (storedStatus, bool, error) {
	v := tx.Bucket(bucketStatuses).Get([]byte(requestID))
	if v == nil {
		return storedStatus{}, false, nil
	}
	var s storedStatus
	if err := json.Unmarshal(v, &s); err != nil {
		return storedStatus{}, false, fmt.Errorf("kioskdb: status of %s: %w", requestID, err)
	}
	return s, true, nil
}

// storedCursor is the value of meta/cursor: syncproto.Cursor as it was
// first stored, with Go's field names (no JSON tags), so the bytes on disk
// stay as they are.
type storedCursor struct {
	Epoch string
	Seq   uint64
}

// Cursor returns the position in the city's status feed (zero before the
// first pull).
func (db *DB) Cursor() (syncproto.Cursor, error) {
	var c storedCursor
	err := db.bolt.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketMeta).Get(metaCursor)
		if v == nil {
			return nil
		}
		if err := json.Unmarshal(v, &c); err != nil {
			return fmt.Errorf("kioskdb: decode cursor: %w", err)
		}
		return nil
	})
	return syncproto.Cursor(c), err
}

// ApplyStatuses stores status changes and the cursor that follows them in
// one transaction (invariant 3). With reset, changes is the city's snapshot
// and replaces every stored status. A change without a request ID is
// matched by its receipt code; one that matches no request is kept anyway
// (the request may come back from a backup). One audit line per change.
// Without reset, a delivery whose cursor is not ahead of the stored one in
// the same epoch was applied before (a re-imported or late USB receipt):
// it is ignored, so an older status never overwrites a newer one and the
// cursor never moves backwards.
func (db *DB) ApplyStatuses(changes []syncproto.StatusChange, next syncproto.Cursor, reset bool, now time.Time) error {
	now = now.UTC()
	cur, err := json.Marshal(storedCursor(next))
	if err != nil {
		return fmt.Errorf("kioskdb: encode cursor: %w", err)
	}
	return db.bolt.Update(func(tx *bolt.Tx) error {
		if !reset {
			if v := tx.Bucket(bucketMeta).Get(metaCursor); v != nil {
				var stored storedCursor
				if json.Unmarshal(v, &stored) == nil && stored.Epoch == next.Epoch && next.Seq <= stored.Seq {
					return nil
				}
			}
		}
		if reset {
			if err := tx.DeleteBucket(bucketStatuses); err != nil {
				return fmt.Errorf("kioskdb: reset statuses: %w", err)
			}
			if _, err := tx.CreateBucket(bucketStatuses); err != nil {
				return fmt.Errorf("kioskdb: reset statuses: %w", err)
			}
		}
		st := tx.Bucket(bucketStatuses)
		for _, c := range changes {
			id := c.RequestID
			if id == "" {
				canon, err := canonicalCode(c.Code)
				if err != nil {
					continue
				}
				v := tx.Bucket(bucketCodes).Get([]byte(canon))
				if v == nil {
					continue
				}
				id = string(v)
			}
			v, err := json.Marshal(storedStatus{Code: c.Code, Status: c.Status, Note: c.Note,
				ChangedAt: c.ChangedAt.UTC(), StoredAt: now})
			if err != nil {
				return fmt.Errorf("kioskdb: encode status of %s: %w", id, err)
			}
			if err := st.Put([]byte(id), v); err != nil {
				return fmt.Errorf("kioskdb: put status of %s: %w", id, err)
			}
			if err := appendAudit(tx, AuditEntry{Time: now, Action: AuditStatus, RequestID: id,
				Code: c.Code, Detail: string(c.Status)}); err != nil {
				return err
			}
		}
		if err := tx.Bucket(bucketMeta).Put(metaCursor, cur); err != nil {
			return fmt.Errorf("kioskdb: put cursor: %w", err)
		}
		return nil
	})
}
