package citybolt

import (
	"context"
	"fmt"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"communekiosk/city"
	"communekiosk/sync/syncproto"
)

// Requests implements city.RequestStore. It walks the requests in city
// reference order; fine for the embedded store's scale (a SQL store uses
// indexes).
func (s *Store) Requests(ctx context.Context, f city.RequestFilter) ([]city.Request, error) {
	if f.Limit <= 0 || f.Limit > 1000 {
		f.Limit = 100
	}
	out := []city.Request{}
	err := s.db.View(func(tx *bolt.Tx) error {
		reqs := tx.Bucket(bRequests)
		c := tx.Bucket(bByRef).Cursor()
		k, v := c.First()
		if f.After != "" {
			k, v = c.Seek([]byte(f.After))
			if k != nil && string(k) == f.After {
				k, v = c.Next()
			}
		}
		for ; k != nil && len(out) < f.Limit; k, v = c.Next() {
			if err := ctx.Err(); err != nil {
				return err
			}
			var r city.Request
			if err := getJSON(reqs, v, &r); err != nil {
				return err
			}
			if (f.Status != "" && r.Status != f.Status) || (f.KioskID != "" && r.KioskID != f.KioskID) || (f.Commune != "" && r.Commune != f.Commune) {
				continue
			}
			r.Sealed = nil
			out = append(out, r)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("citybolt: list requests: %w", err)
	}
	return out, nil
}

// Request implements city.RequestStore.
func (s *Store) Request(ctx context.Context, id string) (city.Request, error) {
	var r city.Request
	err := s.db.View(func(tx *bolt.Tx) error {
		if err := getJSON(tx.Bucket(bRequests), []byte(id), &r); err != nil {
			return err
		}
		r.Sealed = append([]byte(nil), tx.Bucket(bSealed).Get([]byte(id))...)
		return nil
	})
	if err != nil {
		return city.Request{}, fmt.Errorf("citybolt: request %s: %w", id, err)
	}
	return r, nil
}

// RequestByCode implements city.CodeLookupStore, through the by_code
// index.
func (s *Store) RequestByCode(ctx context.Context, code string) (city.Request, error) {
	var id []byte
	err := s.db.View(func(tx *bolt.Tx) error {
		id = append(id, tx.Bucket(bByCode).Get([]byte(strings.ToUpper(strings.TrimSpace(code))))...)
		if len(id) == 0 {
			return city.ErrNotFound
		}
		return nil
	})
	if err != nil {
		return city.Request{}, fmt.Errorf("citybolt: request by code: %w", err)
	}
	return s.Request(ctx, string(id))
}

// SetStatus implements city.RequestStore.
func (s *Store) SetStatus(ctx context.Context, id string, status syncproto.Status, note string, now time.Time) (syncproto.StatusChange, error) {
	var change syncproto.StatusChange
	err := s.db.Update(func(tx *bolt.Tx) error {
		reqs := tx.Bucket(bRequests)
		var r city.Request
		if err := getJSON(reqs, []byte(id), &r); err != nil {
			return err
		}
		if !city.CanMove(r.Status, status) {
			return fmt.Errorf("%w: %s → %s", city.ErrBadTransition, r.Status, status)
		}
		if err := unindex(tx, r); err != nil {
			return err
		}
		r.Status, r.StatusNote, r.UpdatedAt = status, note, now.UTC()
		if err := index(tx, r); err != nil {
			return err
		}
		if err := putJSON(reqs, []byte(id), r); err != nil {
			return err
		}
		feed, err := sub(tx, bFeed, r.KioskID)
		if err != nil {
			return err
		}
		change, err = appendFeed(feed, r, now)
		return err
	})
	if err != nil {
		return syncproto.StatusChange{}, fmt.Errorf("citybolt: set status of %s: %w", id, err)
	}
	return change, nil
}

// Stats implements city.RequestStore.
func (s *Store) Stats(ctx context.Context) (city.Stats, error) {
	st := city.NewStats()
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bRequests).ForEach(func(_, v []byte) error {
			var r city.Request
			if err := jsonUnmarshal(v, &r); err != nil {
				return err
			}
			st.Add(r)
			return nil
		})
	})
	if err != nil {
		return city.Stats{}, fmt.Errorf("citybolt: stats: %w", err)
	}
	st.Finish()
	return st, nil
}
