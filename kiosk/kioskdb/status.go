package kioskdb

import (
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Statuses the city sends (syncproto.Status values); stored, so strings.
// These are the terminal ones: no change is expected after them.
const (
	StatusDone        = "done"
	StatusRejected    = "rejected"
	StatusNotAccepted = "not_accepted"
	StatusRefused     = "refused"
	StatusWithdrawn   = "withdrawn"
)

// TerminalStatus reports whether no further status change is expected
// (syncproto.Status.Terminal; a test in syncer holds the two together):
// the payload is purged PurgeAfter later.
func TerminalStatus(s string) bool {
	switch s {
	case StatusDone, StatusRejected, StatusNotAccepted, StatusRefused, StatusWithdrawn:
		return true
	}
	return false
}

func terminalStatus(s string) bool { return TerminalStatus(s) }

// storedStatus is the value of the statuses bucket.
type storedStatus struct {
	Code      string    `json:"code,omitempty"`
	Status    string    `json:"status"`
	Note      string    `json:"note,omitempty"`
	ChangedAt time.Time `json:"changed_at"` // the city's time
	StoredAt  time.Time `json:"stored_at"`  // the kiosk's time it was stored (for purge)
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

// Cursor returns the position in the city's status feed (zero before the
// first pull).
func (db *DB) Cursor() (Cursor, error) {
	var c Cursor
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
	return c, err
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
func (db *DB) ApplyStatuses(changes []StatusChange, next Cursor, reset bool, now time.Time) error {
	now = now.UTC()
	cur, err := json.Marshal(next)
	if err != nil {
		return fmt.Errorf("kioskdb: encode cursor: %w", err)
	}
	return db.bolt.Update(func(tx *bolt.Tx) error {
		if !reset {
			if v := tx.Bucket(bucketMeta).Get(metaCursor); v != nil {
				var stored Cursor
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
				Code: c.Code, Detail: c.Status}); err != nil {
				return err
			}
		}
		if err := tx.Bucket(bucketMeta).Put(metaCursor, cur); err != nil {
			return fmt.Errorf("kioskdb: put cursor: %w", err)
		}
		return nil
	})
}
