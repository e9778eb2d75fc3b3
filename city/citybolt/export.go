package citybolt

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"communekiosk/city"
)

// EnrolCodes returns every enrolment code not yet redeemed, for copying
// the store elsewhere.
func (s *Store) EnrolCodes(ctx context.Context) ([]city.EnrolCode, error) {
	out := []city.EnrolCode{}
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bCodes).ForEach(func(_, v []byte) error {
			var c city.EnrolCode
			if err := jsonUnmarshal(v, &c); err != nil {
				return err
			}
			out = append(out, c)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("citybolt: enrol codes: %w", err)
	}
	return out, nil
}

// ReplayState calls newest with each kiosk's newest accepted kiosk time
// (unix ns) and nonce with each nonce remembered, for copying the store
// elsewhere.
func (s *Store) ReplayState(ctx context.Context, newest func(kioskID string, t int64), nonce func(kioskID, nonce string, t int64)) error {
	err := s.db.View(func(tx *bolt.Tx) error {
		if err := tx.Bucket(bNewest).ForEach(func(k, v []byte) error {
			newest(string(k), int64(binary.BigEndian.Uint64(v)))
			return nil
		}); err != nil {
			return err
		}
		nb := tx.Bucket(bNonces)
		return nb.ForEachBucket(func(kiosk []byte) error {
			return nb.Bucket(kiosk).ForEach(func(k, _ []byte) error {
				if len(k) < 8 {
					return fmt.Errorf("nonce key of %s too short", kiosk)
				}
				nonce(string(kiosk), string(k[8:]), int64(binary.BigEndian.Uint64(k[:8])))
				return nil
			})
		})
	})
	if err != nil {
		return fmt.Errorf("citybolt: replay state: %w", err)
	}
	return nil
}

// SatisfactionRows calls row with each kiosk's tally of each day, for
// copying the store elsewhere.
func (s *Store) SatisfactionRows(ctx context.Context, row func(commune, day, kioskID string, counts [4]int)) error {
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bSatisfaction).ForEach(func(k, v []byte) error {
			parts := bytes.SplitN(k, []byte{0}, 3)
			if len(parts) != 3 || len(v) != 16 {
				return fmt.Errorf("satisfaction row %q malformed", k)
			}
			var n [4]int
			for i := range n {
				n[i] = int(binary.BigEndian.Uint32(v[4*i:]))
			}
			row(string(parts[0]), string(parts[1]), string(parts[2]), n)
			return nil
		})
	})
	if err != nil {
		return fmt.Errorf("citybolt: satisfaction rows: %w", err)
	}
	return nil
}
