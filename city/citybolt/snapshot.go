package citybolt

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"communekiosk/city"
	"communekiosk/sync/syncproto"
)

// Snapshot is the whole store as of one moment, for copying it elsewhere
// (cityd migrate-store): one bbolt read transaction. The small tables are
// read whole; the big ones (requests, feeds, nonces, audit, heartbeat
// history, satisfaction) are streamed row by row in key order, so a copy
// holds one row at a time, whatever the size of the store.
//
// A Snapshot is valid only inside the read function given to ReadSnapshot,
// and must not be used by two goroutines at once. Byte slices it yields (a
// request's Sealed) point into the file and are valid only until then too.
type Snapshot struct {
	ctx context.Context
	tx  *bolt.Tx
}

// ReadSnapshot calls read with a snapshot of the whole store. Writers are
// not blocked (bbolt's readers and writer do not wait for each other), but
// a long read keeps the pages it sees from being reused, so the file grows
// under a busy writer: copy a stopped store.
func (s *Store) ReadSnapshot(ctx context.Context, read func(*Snapshot) error) error {
	return s.db.View(func(tx *bolt.Tx) error { return read(&Snapshot{ctx: ctx, tx: tx}) })
}

// Epoch is the feeds' epoch.
func (x *Snapshot) Epoch() (string, error) {
	return string(x.tx.Bucket(bMeta).Get(kEpoch)), nil
}

// EnrolCodes gives every enrolment code not yet redeemed.
func (x *Snapshot) EnrolCodes() ([]city.EnrolCode, error) {
	return snapJSON[city.EnrolCode](x.tx, bCodes, "enrol codes")
}

// Kiosks gives every kiosk, in ID order.
func (x *Snapshot) Kiosks() ([]city.Kiosk, error) {
	return snapJSON[city.Kiosk](x.tx, bKiosks, "kiosks")
}

// Users gives every back-office account.
func (x *Snapshot) Users() ([]city.User, error) { return snapJSON[city.User](x.tx, bUsers, "users") }

// Sessions gives every session, of every user.
func (x *Snapshot) Sessions() ([]city.Session, error) {
	return snapJSON[city.Session](x.tx, bSessions, "sessions")
}

// Tokens gives every API token, of every user.
func (x *Snapshot) Tokens() ([]city.APIToken, error) {
	return snapJSON[city.APIToken](x.tx, bTokens, "tokens")
}

// CalendarDays gives the calendar, in date order.
func (x *Snapshot) CalendarDays() ([]city.CalendarDay, error) {
	return snapJSON[city.CalendarDay](x.tx, bCalendar, "calendar")
}

// Catalogues gives every published catalogue with its document, in
// publication order.
func (x *Snapshot) Catalogues() ([]city.PublishedCatalogue, error) {
	list, err := snapJSON[city.PublishedCatalogue](x.tx, bCatalogues, "catalogues")
	if err != nil {
		return nil, err
	}
	docs := x.tx.Bucket(bCatalogueDocs)
	for i := range list {
		doc := docs.Get([]byte(list[i].Version))
		if doc == nil {
			return nil, fmt.Errorf("citybolt: snapshot: catalogue %s has no document", list[i].Version)
		}
		list[i].Document = append([]byte(nil), doc...)
	}
	return list, nil
}

// ReplayNewest gives each kiosk's newest accepted kiosk time (unix ns).
func (x *Snapshot) ReplayNewest() (map[string]int64, error) {
	out := map[string]int64{}
	err := x.tx.Bucket(bNewest).ForEach(func(k, v []byte) error {
		if len(v) != 8 {
			return fmt.Errorf("newest of %s malformed", k)
		}
		out[string(k)] = int64(binary.BigEndian.Uint64(v))
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("citybolt: snapshot: replay newest: %w", err)
	}
	return out, nil
}

// Requests calls yield with every request, with its sealed payload, in
// request_id order (bytewise). It stops at yield's first error and
// returns it.
func (x *Snapshot) Requests(yield func(city.Request) error) error {
	sealed := x.tx.Bucket(bSealed)
	err := x.each(x.tx.Bucket(bRequests), func(k, v []byte) error {
		var r city.Request
		if err := json.Unmarshal(v, &r); err != nil {
			return fmt.Errorf("request %s: %w", k, err)
		}
		r.Sealed = sealed.Get(k)
		return yield(r)
	})
	if err != nil {
		return fmt.Errorf("citybolt: snapshot: requests: %w", err)
	}
	return nil
}

// FeedHead is the last number of a kiosk's feed (0 with no feed).
func (x *Snapshot) FeedHead(kioskID string) (uint64, error) {
	b := x.tx.Bucket(bFeed).Bucket([]byte(kioskID))
	if b == nil {
		return 0, nil
	}
	return b.Sequence(), nil
}

// Feed calls yield with each status change of a kiosk's feed, in feed
// order.
func (x *Snapshot) Feed(kioskID string, yield func(syncproto.StatusChange) error) error {
	b := x.tx.Bucket(bFeed).Bucket([]byte(kioskID))
	if b == nil {
		return nil
	}
	err := x.each(b, func(_, v []byte) error {
		var c syncproto.StatusChange
		if err := json.Unmarshal(v, &c); err != nil {
			return err
		}
		return yield(c)
	})
	if err != nil {
		return fmt.Errorf("citybolt: snapshot: feed of %s: %w", kioskID, err)
	}
	return nil
}

// Nonces calls yield with every remembered nonce, in (kiosk ID, kiosk
// time, nonce) order.
func (x *Snapshot) Nonces(yield func(kioskID, nonce string, t int64) error) error {
	nb := x.tx.Bucket(bNonces)
	err := nb.ForEachBucket(func(kiosk []byte) error {
		return x.each(nb.Bucket(kiosk), func(k, _ []byte) error {
			if len(k) < 8 {
				return fmt.Errorf("nonce key of %s too short", kiosk)
			}
			return yield(string(kiosk), string(k[8:]), int64(binary.BigEndian.Uint64(k[:8])))
		})
	})
	if err != nil {
		return fmt.Errorf("citybolt: snapshot: nonces: %w", err)
	}
	return nil
}

// Audit calls yield with every audit entry, oldest first.
func (x *Snapshot) Audit(yield func(city.AuditEntry) error) error {
	err := x.each(x.tx.Bucket(bAudit), func(_, v []byte) error {
		var e city.AuditEntry
		if err := json.Unmarshal(v, &e); err != nil {
			return err
		}
		return yield(e)
	})
	if err != nil {
		return fmt.Errorf("citybolt: snapshot: audit: %w", err)
	}
	return nil
}

// HeartbeatHistory calls yield with each hourly heartbeat kept of a kiosk,
// oldest first.
func (x *Snapshot) HeartbeatHistory(kioskID string, yield func(city.HeartbeatSample) error) error {
	b := x.tx.Bucket(bHeartbeats).Bucket([]byte(kioskID))
	if b == nil {
		return nil
	}
	err := x.each(b, func(_, v []byte) error {
		var h city.HeartbeatSample
		if err := json.Unmarshal(v, &h); err != nil {
			return err
		}
		return yield(h)
	})
	if err != nil {
		return fmt.Errorf("citybolt: snapshot: heartbeat history of %s: %w", kioskID, err)
	}
	return nil
}

// Satisfaction calls yield with each kiosk's tally of each day, in
// (commune, day, kiosk ID) order.
func (x *Snapshot) Satisfaction(yield func(commune, day, kioskID string, counts [4]int) error) error {
	err := x.each(x.tx.Bucket(bSatisfaction), func(k, v []byte) error {
		parts := bytes.SplitN(k, []byte{0}, 3)
		if len(parts) != 3 || len(v) != 16 {
			return fmt.Errorf("satisfaction row %q malformed", k)
		}
		var n [4]int
		for i := range n {
			n[i] = int(binary.BigEndian.Uint32(v[4*i:]))
		}
		return yield(string(parts[0]), string(parts[1]), string(parts[2]), n)
	})
	if err != nil {
		return fmt.Errorf("citybolt: snapshot: satisfaction: %w", err)
	}
	return nil
}

// each walks b's values in key order (nested buckets skipped), checking
// the snapshot's context every 1024 rows.
func (x *Snapshot) each(b *bolt.Bucket, fn func(k, v []byte) error) error {
	n := 0
	c := b.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		if v == nil {
			continue // a nested bucket
		}
		if n++; n%1024 == 0 {
			if err := x.ctx.Err(); err != nil {
				return err
			}
		}
		if err := fn(k, v); err != nil {
			return err
		}
	}
	return x.ctx.Err()
}

// snapJSON decodes every value of a small bucket, in key order.
func snapJSON[T any](tx *bolt.Tx, bucket []byte, what string) ([]T, error) {
	out := []T{}
	err := tx.Bucket(bucket).ForEach(func(_, v []byte) error {
		var x T
		if err := json.Unmarshal(v, &x); err != nil {
			return err
		}
		out = append(out, x)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("citybolt: snapshot: %s: %w", what, err)
	}
	return out, nil
}
