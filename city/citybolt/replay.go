package citybolt

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"communekiosk/sync/syncproto"
)

// Fresh implements city.ReplayStore. Nonces are keyed by kiosk time then
// nonce, so forgetting the old ones is a walk from the first key.
func (s *Store) Fresh(ctx context.Context, kioskID, nonce string, kioskTime time.Time, window time.Duration) error {
	t := max(kioskTime.UnixNano(), 0) // a clock before 1970 counts as 1970
	err := s.db.Update(func(tx *bolt.Tx) error {
		newestB := tx.Bucket(bNewest)
		var newest int64
		if v := newestB.Get([]byte(kioskID)); v != nil {
			newest = int64(binary.BigEndian.Uint64(v))
		}
		if newest != 0 && t < newest-int64(window) {
			return fmt.Errorf("%w: kiosk time %s is more than %s behind the newest this kiosk signed (%s): fix the kiosk's clock, or have an operator reset its clock state",
				syncproto.ErrReplay, kioskTime.UTC().Format(time.RFC3339), window, time.Unix(0, newest).UTC().Format(time.RFC3339))
		}
		nb, err := sub(tx, bNonces, kioskID)
		if err != nil {
			return err
		}
		key := append(u64(uint64(t)), nonce...)
		if nb.Get(key) != nil {
			return fmt.Errorf("%w: nonce seen", syncproto.ErrReplay)
		}
		if err := nb.Put(key, nil); err != nil {
			return err
		}
		if t > newest {
			newest = t
			if err := newestB.Put([]byte(kioskID), u64(uint64(t))); err != nil {
				return err
			}
		}
		cut := u64(uint64(max(newest-int64(window), 0)))
		c := nb.Cursor()
		for k, _ := c.First(); k != nil && bytes.Compare(k[:8], cut) < 0; k, _ = c.First() {
			if err := c.Delete(); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("citybolt: fresh %s: %w", kioskID, err)
	}
	return nil
}

// ResetReplay implements city.ReplayStore.
func (s *Store) ResetReplay(ctx context.Context, kioskID string) error {
	err := s.db.Update(func(tx *bolt.Tx) error {
		if err := tx.Bucket(bNewest).Delete([]byte(kioskID)); err != nil {
			return err
		}
		if tx.Bucket(bNonces).Bucket([]byte(kioskID)) == nil {
			return nil
		}
		return tx.Bucket(bNonces).DeleteBucket([]byte(kioskID))
	})
	if err != nil {
		return fmt.Errorf("citybolt: reset replay state of %s: %w", kioskID, err)
	}
	return nil
}
