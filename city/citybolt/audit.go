package citybolt

import (
	"context"
	"encoding/binary"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"communekiosk/city"
)

// AppendAudit implements city.AuditStore.
func (s *Store) AppendAudit(ctx context.Context, e city.AuditEntry) (city.AuditEntry, error) {
	err := s.db.Update(func(tx *bolt.Tx) (err error) {
		e, err = appendAudit(tx, e)
		return err
	})
	if err != nil {
		return city.AuditEntry{}, fmt.Errorf("citybolt: append audit: %w", err)
	}
	return e, nil
}

func appendAudit(tx *bolt.Tx, e city.AuditEntry) (city.AuditEntry, error) {
	b := tx.Bucket(bAudit)
	b.FillPercent = 0.95
	seq, err := b.NextSequence()
	if err != nil {
		return e, err
	}
	e.Seq, e.At = seq, e.At.UTC()
	return e, putJSON(b, u64(seq), e)
}

// Audit implements city.AuditStore: newest first, walking back from
// Before.
func (s *Store) Audit(ctx context.Context, f city.AuditFilter) ([]city.AuditEntry, error) {
	if f.Limit <= 0 || f.Limit > 10000 {
		f.Limit = 100
	}
	out := []city.AuditEntry{}
	err := s.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bAudit).Cursor()
		var k, v []byte
		if f.Before == 0 {
			k, v = c.Last()
		} else {
			k, v = c.Seek(u64(f.Before))
			if k == nil {
				k, v = c.Last()
			}
			for k != nil && binary.BigEndian.Uint64(k) >= f.Before {
				k, v = c.Prev()
			}
		}
		for ; k != nil && len(out) < f.Limit; k, v = c.Prev() {
			if err := ctx.Err(); err != nil {
				return err
			}
			var e city.AuditEntry
			if err := jsonUnmarshal(v, &e); err != nil {
				return err
			}
			if !f.From.IsZero() && e.At.Before(f.From) {
				break // older entries only from here on
			}
			if (f.UserID != "" && e.UserID != f.UserID) || (f.RequestID != "" && e.RequestID != f.RequestID) ||
				(f.Action != "" && e.Action != f.Action) || (!f.To.IsZero() && !e.At.Before(f.To)) {
				continue
			}
			out = append(out, e)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("citybolt: audit: %w", err)
	}
	return out, nil
}
