package kioskdb

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Audit actions. Stored, so strings.
const (
	AuditSubmit     = "submit"
	AuditAck        = "ack"
	AuditQuarantine = "quarantine"
	AuditRequeue    = "requeue"
	AuditPurge      = "purge"
	AuditStatus     = "status"
	AuditIdentity   = "identity"
	AuditSetting    = "setting"
	AuditBackup     = "backup"
	AuditMigrate    = "migrate"
	AuditSalvage    = "salvage" // a request imported from a damaged file
	AuditRewind     = "rewind"  // the store opened older than its last receipt
)

// AuditEntry is one line of the append-only audit bucket. It never holds
// personal data: request IDs, receipt codes, outcomes and statuses only.
type AuditEntry struct {
	Seq       uint64    `json:"-"` // position in the audit bucket, from NextSequence
	Time      time.Time `json:"time"`
	Action    string    `json:"action"`
	RequestID string    `json:"request_id,omitempty"`
	Code      string    `json:"code,omitempty"`
	// Detail is a short non-personal word or two: an outcome, a status, a
	// setting's key, a backup's file name.
	Detail string `json:"detail,omitempty"`
}

var errBadAudit = errors.New("kioskdb: malformed audit line")

// appendAudit writes one audit line in tx.
func appendAudit(tx *bolt.Tx, e AuditEntry) error {
	b := tx.Bucket(bucketAudit)
	b.FillPercent = appendFill
	seq, err := b.NextSequence()
	if err != nil {
		return fmt.Errorf("kioskdb: audit sequence: %w", err)
	}
	e.Time = e.Time.UTC()
	v, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("kioskdb: encode audit line: %w", err)
	}
	if err := b.Put(seqKey(seq), v); err != nil {
		return fmt.Errorf("kioskdb: put audit line: %w", err)
	}
	return nil
}

func decodeAudit(v []byte) (AuditEntry, error) {
	var e AuditEntry
	if err := json.Unmarshal(v, &e); err != nil {
		return AuditEntry{}, fmt.Errorf("%w: %w", errBadAudit, err)
	}
	if e.Action == "" {
		return AuditEntry{}, fmt.Errorf("%w: no action", errBadAudit)
	}
	return e, nil
}

// Audit returns the newest audit lines, newest first, at most limit of them
// (limit ≤ 0 means 100).
func (db *DB) Audit(limit int) ([]AuditEntry, error) {
	if limit <= 0 {
		limit = 100
	}
	var out []AuditEntry
	err := db.bolt.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketAudit).Cursor()
		for k, v := c.Last(); k != nil && len(out) < limit; k, v = c.Prev() {
			e, err := decodeAudit(v)
			if err != nil {
				return fmt.Errorf("kioskdb: audit line %x: %w", k, err)
			}
			e.Seq = seqFromKey(k)
			out = append(out, e)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
