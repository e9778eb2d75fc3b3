package kioskdb

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"time"

	"communekiosk/sync/syncproto"

	bolt "go.etcd.io/bbolt"
)

func isNotFound(err error) bool { return errors.Is(err, ErrNotFound) }

// quarantine moves a queued request out of the outbox into quarantine.
// Requests already sent or already quarantined are left alone.
func quarantine(tx *bolt.Tx, r storedRequest, res syncproto.ItemResult, now time.Time) error {
	rec := &r.Record
	if rec.State != StateQueued {
		return nil
	}
	item := QuarantineItem{RequestID: rec.RequestID, Code: rec.Code, Service: rec.Service,
		Outcome: res.Outcome, Reason: res.Reason, At: now}
	v, err := json.Marshal(item)
	if err != nil {
		return fmt.Errorf("kioskdb: encode quarantine %s: %w", rec.RequestID, err)
	}
	if err := tx.Bucket(bucketQuarantine).Put([]byte(rec.RequestID), v); err != nil {
		return fmt.Errorf("kioskdb: put quarantine %s: %w", rec.RequestID, err)
	}
	if err := tx.Bucket(bucketOutbox).Delete(seqKey(rec.Seq)); err != nil {
		return fmt.Errorf("kioskdb: delete outbox %d: %w", rec.Seq, err)
	}
	rec.State = StateQuarantined
	if err := putRequest(tx, r); err != nil {
		return err
	}
	return appendAudit(tx, AuditEntry{Time: now, Action: AuditQuarantine, RequestID: rec.RequestID, Code: rec.Code, Detail: string(res.Outcome)})
}

// Quarantined lists the requests the city rejected or found in conflict,
// oldest first.
func (db *DB) Quarantined() ([]QuarantineItem, error) {
	var out []QuarantineItem
	err := db.bolt.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketQuarantine).ForEach(func(k, v []byte) error {
			var q QuarantineItem
			if err := json.Unmarshal(v, &q); err != nil {
				return fmt.Errorf("kioskdb: quarantine %s: %w", k, err)
			}
			out = append(out, q)
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].At.Before(out[j].At) })
	return out, nil
}

// Requeue puts a quarantined request back in the outbox under its original
// seq, with an audit line. ErrNotFound when it is not in quarantine.
func (db *DB) Requeue(requestID string, now time.Time) error {
	now = now.UTC()
	return db.bolt.Update(func(tx *bolt.Tx) error {
		q := tx.Bucket(bucketQuarantine)
		if q.Get([]byte(requestID)) == nil {
			return fmt.Errorf("kioskdb: requeue %s: %w", requestID, ErrNotFound)
		}
		r, err := getRequest(tx, requestID)
		if err != nil {
			return fmt.Errorf("kioskdb: requeue: %w", err)
		}
		if err := q.Delete([]byte(requestID)); err != nil {
			return fmt.Errorf("kioskdb: delete quarantine %s: %w", requestID, err)
		}
		if err := tx.Bucket(bucketOutbox).Put(seqKey(r.Record.Seq), []byte(requestID)); err != nil {
			return fmt.Errorf("kioskdb: put outbox %d: %w", r.Record.Seq, err)
		}
		r.Record.State = StateQueued
		if err := putRequest(tx, r); err != nil {
			return err
		}
		return appendAudit(tx, AuditEntry{Time: now, Action: AuditRequeue, RequestID: requestID, Code: r.Record.Code})
	})
}
