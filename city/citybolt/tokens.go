package citybolt

import (
	"context"
	"fmt"
	"sort"
	"time"

	bolt "go.etcd.io/bbolt"

	"communekiosk/city"
)

// CreateToken implements city.TokenStore.
func (s *Store) CreateToken(ctx context.Context, t city.APIToken) error {
	err := s.db.Update(func(tx *bolt.Tx) error {
		byHash := tx.Bucket(bTokenHash)
		if byHash.Get([]byte(t.Hash)) != nil || tx.Bucket(bTokens).Get([]byte(t.ID)) != nil {
			return city.ErrExists
		}
		if err := byHash.Put([]byte(t.Hash), []byte(t.ID)); err != nil {
			return err
		}
		return putJSON(tx.Bucket(bTokens), []byte(t.ID), t)
	})
	if err != nil {
		return fmt.Errorf("citybolt: create token: %w", err)
	}
	return nil
}

// TokenByHash implements city.TokenStore.
func (s *Store) TokenByHash(ctx context.Context, hash string) (city.APIToken, error) {
	var t city.APIToken
	err := s.db.View(func(tx *bolt.Tx) error {
		id := tx.Bucket(bTokenHash).Get([]byte(hash))
		if id == nil {
			return city.ErrNotFound
		}
		return getJSON(tx.Bucket(bTokens), id, &t)
	})
	if err != nil {
		return city.APIToken{}, fmt.Errorf("citybolt: token: %w", err)
	}
	return t, nil
}

// Tokens implements city.TokenStore.
func (s *Store) Tokens(ctx context.Context, userID string) ([]city.APIToken, error) {
	out, err := allJSON(s.db, bTokens, func(t city.APIToken) bool { return t.UserID == userID })
	if err != nil {
		return nil, fmt.Errorf("citybolt: tokens of %s: %w", userID, err)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].CreatedAt.Before(out[j].CreatedAt) })
	return out, nil
}

// RevokeToken implements city.TokenStore.
func (s *Store) RevokeToken(ctx context.Context, id string, now time.Time) error {
	err := s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bTokens)
		var t city.APIToken
		if err := getJSON(b, []byte(id), &t); err != nil {
			return err
		}
		if t.RevokedAt.IsZero() {
			t.RevokedAt = now.UTC()
		}
		return putJSON(b, []byte(id), t)
	})
	if err != nil {
		return fmt.Errorf("citybolt: revoke token %s: %w", id, err)
	}
	return nil
}
