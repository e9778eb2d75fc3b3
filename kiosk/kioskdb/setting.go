package kioskdb

import (
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// Setting returns the value stored under key (sync schedule, idle timeout,
// staff PIN hash: whatever the app stores), or ErrNotFound.
func (db *DB) Setting(key string) (string, error) {
	var val string
	err := db.bolt.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketMeta).Get([]byte(settingPrefix + key))
		if v == nil {
			return fmt.Errorf("kioskdb: setting %q: %w", key, ErrNotFound)
		}
		val = string(v)
		return nil
	})
	return val, err
}

// SetSetting stores value under key, with an audit line naming the key (not
// the value: it may be a PIN hash).
func (db *DB) SetSetting(key, value string) error {
	if key == "" {
		return fmt.Errorf("kioskdb: set setting: empty key")
	}
	return db.bolt.Update(func(tx *bolt.Tx) error {
		if err := tx.Bucket(bucketMeta).Put([]byte(settingPrefix+key), []byte(value)); err != nil {
			return fmt.Errorf("kioskdb: put setting %q: %w", key, err)
		}
		return appendAudit(tx, AuditEntry{Time: db.opts.Now(), Action: AuditSetting, Detail: key})
	})
}

// SetSettings stores several values in one transaction: all or none (the
// staff lockout's time and failure count go together).
func (db *DB) SetSettings(kv map[string]string) error {
	return db.bolt.Update(func(tx *bolt.Tx) error {
		for key, value := range kv {
			if key == "" {
				return fmt.Errorf("kioskdb: set setting: empty key")
			}
			if err := tx.Bucket(bucketMeta).Put([]byte(settingPrefix+key), []byte(value)); err != nil {
				return fmt.Errorf("kioskdb: put setting %q: %w", key, err)
			}
			if err := appendAudit(tx, AuditEntry{Time: db.opts.Now(), Action: AuditSetting, Detail: key}); err != nil {
				return err
			}
		}
		return nil
	})
}
