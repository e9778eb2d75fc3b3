package kioskdb

import (
	"fmt"
	"time"

	"communekiosk/sync/syncproto"

	bolt "go.etcd.io/bbolt"
)

// ApplyPushResults records the city's verdicts in one transaction
// (invariant 3: an outbox entry is dropped only in the transaction that
// stores the ack or moves it to quarantine).
//
//   - accepted, duplicate: the outbox entry goes; the city's reference,
//     the ack time and the city's received_at are stored; state sent.
//   - rejected, conflict: the outbox entry goes to quarantine with the
//     reason; state quarantined.
//
// Unknown request IDs and unknown outcomes are ignored. Applying the same
// results again changes nothing: an acked request stays acked, and a
// quarantined one is not quarantined twice.
func (db *DB) ApplyPushResults(results []syncproto.ItemResult, now time.Time) error {
	now = now.UTC()
	return db.bolt.Update(func(tx *bolt.Tx) error {
		for _, res := range results {
			r, err := getRequest(tx, res.RequestID)
			if err != nil {
				if isNotFound(err) {
					db.log.Warn("Push result for an unknown request", "request_id", res.RequestID, "outcome", res.Outcome)
					continue
				}
				return err
			}
			switch res.Outcome {
			case syncproto.Accepted, syncproto.Duplicate:
				err = ack(tx, r, res, now)
			case syncproto.Rejected, syncproto.Conflict:
				err = quarantine(tx, r, res, now)
			default:
				db.log.Warn("Push result with an unknown outcome", "request_id", res.RequestID, "outcome", res.Outcome)
			}
			if err != nil {
				return err
			}
		}
		return nil
	})
}

func ack(tx *bolt.Tx, r storedRequest, res syncproto.ItemResult, now time.Time) error {
	rec := &r.Record
	if rec.State == StateSent {
		return nil // already acked: idempotent
	}
	if err := tx.Bucket(bucketOutbox).Delete(seqKey(rec.Seq)); err != nil {
		return fmt.Errorf("kioskdb: delete outbox %d: %w", rec.Seq, err)
	}
	// A quarantined request the city now accepts (staff re-queued it
	// elsewhere, or the verdicts crossed) leaves quarantine.
	if err := tx.Bucket(bucketQuarantine).Delete([]byte(rec.RequestID)); err != nil {
		return fmt.Errorf("kioskdb: delete quarantine %s: %w", rec.RequestID, err)
	}
	rec.State = StateSent
	rec.CityRef = res.CityRef
	rec.AckedAt = now
	rec.ReceivedAt = res.ReceivedAt.UTC()
	if err := putRequest(tx, r); err != nil {
		return err
	}
	return appendAudit(tx, AuditEntry{Time: now, Action: AuditAck, RequestID: rec.RequestID, Code: rec.Code, Detail: string(res.Outcome)})
}
