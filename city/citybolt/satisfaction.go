package citybolt

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"communekiosk/city"
	"communekiosk/sync/syncproto"
)

var _ city.SatisfactionStore = (*Store)(nil)

// bSatisfaction holds commune 0 day 0 kiosk ID → four big-endian uint32
// counts (very satisfied, satisfied, neutral, not satisfied).
var bSatisfaction = []byte("satisfaction")

// PutSatisfaction implements city.SatisfactionStore.
func (s *Store) PutSatisfaction(ctx context.Context, kioskID, commune string, days []syncproto.SatisfactionDay) error {
	err := s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bSatisfaction)
		for _, d := range days {
			v := make([]byte, 0, 16)
			for _, n := range []int{d.VerySatisfied, d.Satisfied, d.Neutral, d.NotSatisfied} {
				v = binary.BigEndian.AppendUint32(v, uint32(max(n, 0)))
			}
			if err := b.Put(join([]byte(commune), []byte(d.Day), []byte(kioskID)), v); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("citybolt: satisfaction of %s: %w", kioskID, err)
	}
	return nil
}

// Satisfaction implements city.SatisfactionStore.
func (s *Store) Satisfaction(ctx context.Context, sc city.Scope, fromDay, toDay string) (map[string]city.SatisfactionFigures, error) {
	out := map[string]city.SatisfactionFigures{}
	err := s.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bSatisfaction).Cursor()
		for _, commune := range sc.Offices("") {
			prefix := append([]byte(commune), 0)
			end := join([]byte(commune), []byte(toDay))
			var f city.SatisfactionFigures
			for k, v := c.Seek(join([]byte(commune), []byte(fromDay))); k != nil && bytes.HasPrefix(k, prefix) && bytes.Compare(k, end) < 0; k, v = c.Next() {
				if len(v) != 16 {
					return fmt.Errorf("satisfaction row %q malformed", k)
				}
				f.Add(syncproto.SatisfactionDay{VerySatisfied: int(binary.BigEndian.Uint32(v)), Satisfied: int(binary.BigEndian.Uint32(v[4:])),
					Neutral: int(binary.BigEndian.Uint32(v[8:])), NotSatisfied: int(binary.BigEndian.Uint32(v[12:]))})
			}
			out[commune] = f
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("citybolt: satisfaction: %w", err)
	}
	return out, nil
}
