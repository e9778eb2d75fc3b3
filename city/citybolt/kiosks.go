package citybolt

import (
	"context"
	"crypto/ed25519"
	"fmt"
	"sort"
	"time"

	bolt "go.etcd.io/bbolt"

	"communekiosk/city"
	"communekiosk/sync/syncproto"
)

// CreateEnrolCode implements city.EnrolStore.
func (s *Store) CreateEnrolCode(ctx context.Context, c city.EnrolCode) error {
	err := s.db.Update(func(tx *bolt.Tx) error {
		return putJSON(tx.Bucket(bCodes), []byte(c.Hash), c)
	})
	if err != nil {
		return fmt.Errorf("citybolt: create enrol code: %w", err)
	}
	return nil
}

// EnrolCode implements city.EnrolStore.
func (s *Store) EnrolCode(ctx context.Context, codeHash string, now time.Time) (city.EnrolCode, error) {
	var c city.EnrolCode
	err := s.db.View(func(tx *bolt.Tx) error {
		if getJSON(tx.Bucket(bCodes), []byte(codeHash), &c) != nil {
			return city.ErrCodeInvalid
		}
		if !c.ExpiresAt.IsZero() && now.After(c.ExpiresAt) {
			return city.ErrCodeInvalid
		}
		return nil
	})
	if err != nil {
		return city.EnrolCode{}, fmt.Errorf("citybolt: enrol code: %w", err)
	}
	return c, nil
}

// RedeemEnrolCode implements city.EnrolStore.
func (s *Store) RedeemEnrolCode(ctx context.Context, codeHash string, key ed25519.PublicKey, appVersion string, now time.Time) (city.Kiosk, error) {
	var k city.Kiosk
	err := s.db.Update(func(tx *bolt.Tx) error {
		codes := tx.Bucket(bCodes)
		var c city.EnrolCode
		if err := getJSON(codes, []byte(codeHash), &c); err != nil {
			return city.ErrCodeInvalid
		}
		// The code is deleted whatever happens next: used or expired.
		if err := codes.Delete([]byte(codeHash)); err != nil {
			return err
		}
		if !c.ExpiresAt.IsZero() && now.After(c.ExpiresAt) {
			return city.ErrCodeInvalid
		}
		var err error
		k, err = register(tx, c.Commune, c.CommuneName, key, appVersion, now)
		return err
	})
	if err != nil {
		return city.Kiosk{}, fmt.Errorf("citybolt: redeem enrol code: %w", err)
	}
	return k, nil
}

// RegisterKiosk implements city.EnrolStore.
func (s *Store) RegisterKiosk(ctx context.Context, commune, communeName string, key ed25519.PublicKey, now time.Time) (city.Kiosk, error) {
	var k city.Kiosk
	err := s.db.Update(func(tx *bolt.Tx) (err error) {
		k, err = register(tx, commune, communeName, key, "", now)
		return err
	})
	if err != nil {
		return city.Kiosk{}, fmt.Errorf("citybolt: register kiosk: %w", err)
	}
	return k, nil
}

func register(tx *bolt.Tx, commune, communeName string, key ed25519.PublicKey, appVersion string, now time.Time) (city.Kiosk, error) {
	kiosks := tx.Bucket(bKiosks)
	n, err := kiosks.NextSequence()
	if err != nil {
		return city.Kiosk{}, err
	}
	if n > 1<<32-1 {
		return city.Kiosk{}, fmt.Errorf("kiosk numbers exhausted")
	}
	k := city.Kiosk{ID: fmt.Sprintf("K%04d", n), Number: uint32(n), Commune: commune, CommuneName: communeName,
		PublicKey: key, AppVersion: appVersion, EnrolledAt: now.UTC()}
	return k, putJSON(kiosks, []byte(k.ID), k)
}

// Kiosk implements city.KioskStore.
func (s *Store) Kiosk(ctx context.Context, id string) (city.Kiosk, error) {
	var k city.Kiosk
	err := s.db.View(func(tx *bolt.Tx) error {
		return getJSON(tx.Bucket(bKiosks), []byte(id), &k)
	})
	if err != nil {
		return city.Kiosk{}, fmt.Errorf("citybolt: kiosk %s: %w", id, err)
	}
	return k, nil
}

// Kiosks implements city.KioskStore.
func (s *Store) Kiosks(ctx context.Context) ([]city.Kiosk, error) {
	out, err := allJSON[city.Kiosk](s.db, bKiosks, nil)
	if err != nil {
		return nil, fmt.Errorf("citybolt: kiosks: %w", err)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Number < out[j].Number })
	return out, nil
}

// Revoke implements city.KioskStore.
func (s *Store) Revoke(ctx context.Context, id string, now time.Time) error {
	return s.updateKiosk(id, func(k *city.Kiosk) {
		if !k.Revoked {
			k.Revoked, k.RevokedAt = true, now.UTC()
		}
	})
}

// RecordHeartbeat implements city.KioskStore.
func (s *Store) RecordHeartbeat(ctx context.Context, id string, hb syncproto.Heartbeat, now time.Time) error {
	return s.updateKiosk(id, func(k *city.Kiosk) {
		k.LastHeartbeat, k.LastHeartbeatAt = &hb, now.UTC()
		if hb.AppVersion != "" {
			k.AppVersion = hb.AppVersion
		}
	})
}

func (s *Store) updateKiosk(id string, change func(*city.Kiosk)) error {
	err := s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bKiosks)
		var k city.Kiosk
		if err := getJSON(b, []byte(id), &k); err != nil {
			return err
		}
		change(&k)
		return putJSON(b, []byte(id), k)
	})
	if err != nil {
		return fmt.Errorf("citybolt: kiosk %s: %w", id, err)
	}
	return nil
}
