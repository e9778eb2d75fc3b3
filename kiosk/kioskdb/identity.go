package kioskdb

import (
	"encoding/json"
	"fmt"

	"communekiosk/kiosk"
	"communekiosk/sync/syncproto"

	bolt "go.etcd.io/bbolt"
)

// Identity returns the kiosk's identity, or ErrNotEnrolled.
func (db *DB) Identity() (syncproto.Identity, error) {
	db.mu.RLock()
	defer db.mu.RUnlock()
	if db.identity == nil {
		return syncproto.Identity{}, ErrNotEnrolled
	}
	return *db.identity, nil
}

// SetIdentity stores the kiosk's identity (enrolment) with an audit line.
// It holds the kiosk's private signing key: the file is 0600 (see
// docs/store.md). Requests already queued stay sealed to the key they were
// sealed to.
func (db *DB) SetIdentity(id syncproto.Identity) error {
	if id.KioskID == "" {
		return fmt.Errorf("kioskdb: set identity: empty kiosk ID")
	}
	if id.Number > kiosk.MaxKioskNumber {
		return fmt.Errorf("kioskdb: set identity: kiosk number %d above %d", id.Number, kiosk.MaxKioskNumber)
	}
	if id.SealKey == ([32]byte{}) {
		return fmt.Errorf("kioskdb: set identity: no sealing key")
	}
	v, err := json.Marshal(id)
	if err != nil {
		return fmt.Errorf("kioskdb: encode identity: %w", err)
	}
	db.mu.Lock()
	defer db.mu.Unlock()
	err = db.bolt.Update(func(tx *bolt.Tx) error {
		if err := tx.Bucket(bucketMeta).Put(metaIdentity, v); err != nil {
			return fmt.Errorf("kioskdb: put identity: %w", err)
		}
		return appendAudit(tx, AuditEntry{Time: db.opts.Now(), Action: AuditIdentity,
			Detail: fmt.Sprintf("kiosk %s number %d", id.KioskID, id.Number)})
	})
	if err != nil {
		return err
	}
	db.identity = &id
	db.log.Info("Kiosk identity stored", "kiosk_id", id.KioskID, "number", id.Number)
	return nil
}

func (db *DB) readIdentity() (syncproto.Identity, error) {
	var id syncproto.Identity
	err := db.bolt.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketMeta).Get(metaIdentity)
		if v == nil {
			return ErrNotEnrolled
		}
		if err := json.Unmarshal(v, &id); err != nil {
			return fmt.Errorf("kioskdb: decode identity: %w", err)
		}
		return nil
	})
	return id, err
}
