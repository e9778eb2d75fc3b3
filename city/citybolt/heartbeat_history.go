package citybolt

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"communekiosk/city"
	"communekiosk/sync/syncproto"
)

// bHeartbeats holds kiosk ID/ hour (unix seconds, big-endian) → HeartbeatSample.
var bHeartbeats = []byte("heartbeats")

// KeepHeartbeat implements city.HeartbeatHistoryStore.
func (s *Store) KeepHeartbeat(ctx context.Context, kioskID string, hb syncproto.Heartbeat, now time.Time, keep time.Duration) error {
	now = now.UTC()
	hour := now.Truncate(time.Hour)
	cutoff := now.Add(-keep).Truncate(time.Hour)
	err := s.db.Update(func(tx *bolt.Tx) error {
		b, err := sub(tx, bHeartbeats, kioskID)
		if err != nil {
			return err
		}
		if err := putJSON(b, u64(uint64(hour.Unix())), city.HeartbeatSample{Hour: hour, ReceivedAt: now, Heartbeat: hb}); err != nil {
			return err
		}
		c := b.Cursor()
		for k, _ := c.First(); k != nil && int64(binary.BigEndian.Uint64(k)) < cutoff.Unix(); k, _ = c.Next() {
			if err := c.Delete(); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("citybolt: keep heartbeat of %s: %w", kioskID, err)
	}
	return nil
}

// HeartbeatHistory implements city.HeartbeatHistoryStore.
func (s *Store) HeartbeatHistory(ctx context.Context, kioskID string, since time.Time) ([]city.HeartbeatSample, error) {
	out := []city.HeartbeatSample{}
	err := s.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bHeartbeats).Bucket([]byte(kioskID))
		if b == nil {
			return nil
		}
		c := b.Cursor()
		from := since.Unix()
		if from < 0 {
			from = 0
		}
		for k, v := c.Seek(u64(uint64(from))); k != nil; k, v = c.Next() {
			var hs city.HeartbeatSample
			if err := json.Unmarshal(v, &hs); err != nil {
				return err
			}
			out = append(out, hs)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("citybolt: heartbeat history of %s: %w", kioskID, err)
	}
	return out, nil
}
