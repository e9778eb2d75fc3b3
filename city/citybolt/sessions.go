package citybolt

import (
	"context"
	"fmt"
	"sort"
	"time"

	bolt "go.etcd.io/bbolt"

	"communekiosk/city"
)

// CreateSession implements city.SessionStore.
func (s *Store) CreateSession(ctx context.Context, se city.Session) error {
	err := s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bSessions)
		if b.Get([]byte(se.Hash)) != nil {
			return city.ErrExists
		}
		return putJSON(b, []byte(se.Hash), se)
	})
	if err != nil {
		return fmt.Errorf("citybolt: create session: %w", err)
	}
	return nil
}

// Session implements city.SessionStore.
func (s *Store) Session(ctx context.Context, hash string) (city.Session, error) {
	var se city.Session
	err := s.db.View(func(tx *bolt.Tx) error { return getJSON(tx.Bucket(bSessions), []byte(hash), &se) })
	if err != nil {
		return city.Session{}, fmt.Errorf("citybolt: session: %w", err)
	}
	return se, nil
}

// TouchSession implements city.SessionStore.
func (s *Store) TouchSession(ctx context.Context, hash string, now time.Time) error {
	err := s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bSessions)
		var se city.Session
		if err := getJSON(b, []byte(hash), &se); err != nil {
			return err
		}
		se.LastSeen = now.UTC()
		return putJSON(b, []byte(hash), se)
	})
	if err != nil {
		return fmt.Errorf("citybolt: touch session: %w", err)
	}
	return nil
}

// DeleteSession implements city.SessionStore.
func (s *Store) DeleteSession(ctx context.Context, hash string) error {
	err := s.db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bSessions).Delete([]byte(hash)) })
	if err != nil {
		return fmt.Errorf("citybolt: delete session: %w", err)
	}
	return nil
}

// Sessions implements city.SessionStore. It walks every session: there are
// few (one per signed-in browser).
func (s *Store) Sessions(ctx context.Context, userID string) ([]city.Session, error) {
	out, err := allJSON(s.db, bSessions, func(se city.Session) bool { return se.UserID == userID })
	if err != nil {
		return nil, fmt.Errorf("citybolt: sessions of %s: %w", userID, err)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].CreatedAt.Before(out[j].CreatedAt) })
	return out, nil
}

// DeleteSessions implements city.SessionStore.
func (s *Store) DeleteSessions(ctx context.Context, userID string) (int, error) {
	n := 0
	err := s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bSessions)
		var del [][]byte
		err := b.ForEach(func(k, v []byte) error {
			var se city.Session
			if err := jsonUnmarshal(v, &se); err != nil {
				return err
			}
			if se.UserID == userID {
				del = append(del, append([]byte(nil), k...))
			}
			return nil
		})
		if err != nil {
			return err
		}
		for _, k := range del {
			if err := b.Delete(k); err != nil {
				return err
			}
		}
		n = len(del)
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("citybolt: sign out %s everywhere: %w", userID, err)
	}
	return n, nil
}
