package citybolt

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"communekiosk/city"
	"communekiosk/sync/syncproto"
)

// match applies the filter's fields that no index answers.
func match(r city.Request, f city.DossierFilter) bool {
	if len(f.Statuses) > 0 && !slices.Contains(f.Statuses, r.Status) {
		return false
	}
	if (f.Service != "" && r.Service != f.Service) || (f.Delivery != "" && r.Delivery != f.Delivery) ||
		(f.Assignee != "" && r.Assignee != f.Assignee) || (f.PostBatch != "" && r.PostBatch != f.PostBatch) {
		return false
	}
	if (!f.ReceivedFrom.IsZero() && r.ReceivedAt.Before(f.ReceivedFrom)) || (!f.ReceivedTo.IsZero() && !r.ReceivedAt.Before(f.ReceivedTo)) {
		return false
	}
	if !f.DueFrom.IsZero() || !f.DueTo.IsZero() {
		if !isOpen(r.Status) || r.DueAt.IsZero() {
			return false
		}
		if (!f.DueFrom.IsZero() && r.DueAt.Before(f.DueFrom)) || (!f.DueTo.IsZero() && !r.DueAt.Before(f.DueTo)) {
			return false
		}
	}
	return true
}

// source is one index cursor over a prefix, positioned after a reference.
type source struct {
	c      *bolt.Cursor
	prefix []byte
	k, v   []byte
}

func (s *source) ref() []byte { return s.k[len(s.prefix):] }

func newSource(b *bolt.Bucket, prefix []byte, after string) *source {
	s := &source{c: b.Cursor(), prefix: prefix}
	s.k, s.v = s.c.Seek(append(slices.Clone(prefix), after...))
	if after != "" && s.k != nil && bytes.Equal(s.k, append(slices.Clone(prefix), after...)) {
		s.k, s.v = s.c.Next()
	}
	if s.k != nil && !bytes.HasPrefix(s.k, prefix) {
		s.k = nil
	}
	return s
}

func (s *source) next() {
	s.k, s.v = s.c.Next()
	if s.k != nil && !bytes.HasPrefix(s.k, s.prefix) {
		s.k = nil
	}
}

// walk calls fn with each request of the scope that the filter's indexed
// fields select, in reference order, until fn returns false.
func walk(ctx context.Context, tx *bolt.Tx, sc city.Scope, f city.DossierFilter, fn func(r city.Request) bool) error {
	return walkAs(ctx, tx, sc, f, false, fn)
}

// leanRequest is the part of a stored request that match and the counts
// read: decoding only it keeps a count's walk cheap.
type leanRequest struct {
	CityRef    string           `json:"city_ref"`
	Office     string           `json:"office"`
	Service    string           `json:"service"`
	Delivery   string           `json:"delivery"`
	Assignee   string           `json:"assignee"`
	PostBatch  string           `json:"post_batch"`
	Status     syncproto.Status `json:"status"`
	ReceivedAt time.Time        `json:"received_at"`
	DueAt      time.Time        `json:"due_at"`
}

// walkAs is walk; lean: fn gets only the fields of leanRequest.
func walkAs(ctx context.Context, tx *bolt.Tx, sc city.Scope, f city.DossierFilter, lean bool, fn func(r city.Request) bool) error {
	reqs := tx.Bucket(bRequests)
	offs := sc.Offices(f.Office)
	if len(offs) == 0 {
		return nil
	}
	load := func(id []byte) (city.Request, error) {
		var r city.Request
		if lean {
			var l leanRequest
			err := getJSON(reqs, id, &l)
			return city.Request{CityRef: l.CityRef, Office: l.Office, Service: l.Service, Delivery: l.Delivery, Assignee: l.Assignee,
				PostBatch: l.PostBatch, Status: l.Status, ReceivedAt: l.ReceivedAt, DueAt: l.DueAt}, err
		}
		err := getJSON(reqs, id, &r)
		return r, err
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		id := tx.Bucket(bByRef).Get([]byte(strings.ToUpper(q)))
		if id == nil {
			id = tx.Bucket(bByCode).Get([]byte(strings.ToUpper(q)))
		}
		if id == nil {
			return nil
		}
		r, err := load(id)
		if err != nil {
			return err
		}
		if slices.Contains(offs, r.Office) && match(r, f) && (f.After == "" || r.CityRef > f.After) {
			fn(r)
		}
		return nil
	}
	if !f.DueFrom.IsZero() || !f.DueTo.IsZero() {
		// Open dossiers with a due date are few: gather, then order.
		var found []city.Request
		due := tx.Bucket(bIdxDue)
		for _, o := range offs {
			c := due.Cursor()
			prefix := append([]byte(o), 0)
			start := prefix
			if !f.DueFrom.IsZero() {
				start = append(slices.Clone(prefix), u64(uint64(f.DueFrom.Unix()))...)
			}
			for k, v := c.Seek(start); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
				if !f.DueTo.IsZero() && keyDue(k, prefix) > f.DueTo.Unix() {
					break // ordered by due date: none further can match
				}
				r, err := load(v)
				if err != nil {
					return err
				}
				if !f.DueTo.IsZero() && !r.DueAt.Before(f.DueTo) {
					break
				}
				if match(r, f) && r.CityRef > f.After {
					found = append(found, r)
				}
			}
		}
		sort.Slice(found, func(i, j int) bool { return found[i].CityRef < found[j].CityRef })
		for _, r := range found {
			if !fn(r) {
				break
			}
		}
		return nil
	}
	var srcs []*source
	if len(f.Statuses) > 0 {
		b := tx.Bucket(bIdxStatus)
		for _, o := range offs {
			for _, st := range f.Statuses {
				if s := newSource(b, join([]byte(o), []byte(st), nil), f.After); s.k != nil {
					srcs = append(srcs, s)
				}
			}
		}
	} else {
		b := tx.Bucket(bIdxOffice)
		for _, o := range offs {
			if s := newSource(b, join([]byte(o), nil), f.After); s.k != nil {
				srcs = append(srcs, s)
			}
		}
	}
	for n := 0; len(srcs) > 0; n++ {
		if n%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		best := 0
		for i := 1; i < len(srcs); i++ {
			if bytes.Compare(srcs[i].ref(), srcs[best].ref()) < 0 {
				best = i
			}
		}
		s := srcs[best]
		r, err := load(s.v)
		if err != nil {
			return err
		}
		if match(r, f) && !fn(r) {
			return nil
		}
		if s.next(); s.k == nil {
			srcs = slices.Delete(srcs, best, best+1)
		}
	}
	return nil
}

// Dossiers implements city.DossierStore.
func (s *Store) Dossiers(ctx context.Context, sc city.Scope, f city.DossierFilter) ([]city.Request, error) {
	if f.Limit <= 0 {
		f.Limit = 50
	}
	f.Limit = min(f.Limit, 1000)
	out := []city.Request{}
	err := s.db.View(func(tx *bolt.Tx) error {
		return walk(ctx, tx, sc, f, func(r city.Request) bool {
			out = append(out, r)
			return len(out) < f.Limit
		})
	})
	if err != nil {
		return nil, fmt.Errorf("citybolt: dossiers: %w", err)
	}
	return out, nil
}

// onlyIndexed reports whether the counters answer f (no filter beyond
// statuses and office).
func onlyIndexed(f city.DossierFilter) bool {
	g := f
	g.Statuses, g.Office, g.After, g.Limit = nil, "", "", 0
	return g.Service == "" && g.Delivery == "" && g.Assignee == "" && g.PostBatch == "" && g.Query == "" &&
		g.ReceivedFrom.IsZero() && g.ReceivedTo.IsZero() && g.DueFrom.IsZero() && g.DueTo.IsZero()
}

// keyDue is the due date (unix seconds) in a due-index key.
func keyDue(k, prefix []byte) int64 {
	return int64(binary.BigEndian.Uint64(k[len(prefix) : len(prefix)+8]))
}

// onlyDue reports whether f selects by due date only (within the scope):
// then the due index's keys answer a count, with no dossier read.
func onlyDue(f city.DossierFilter) bool {
	g := f
	g.DueFrom, g.DueTo, g.Office = time.Time{}, time.Time{}, ""
	return onlyIndexed(g) && len(g.Statuses) == 0 && (!f.DueFrom.IsZero() || !f.DueTo.IsZero())
}

// countDue counts the due-index keys of the scope in [DueFrom, DueTo).
// DueAt is kept to the second (city.Request), so seconds compare exactly.
func countDue(tx *bolt.Tx, offs []string, f city.DossierFilter) int {
	ceil := func(t time.Time) int64 {
		if t.Nanosecond() > 0 {
			return t.Unix() + 1
		}
		return t.Unix()
	}
	n := 0
	due := tx.Bucket(bIdxDue)
	for _, o := range offs {
		c := due.Cursor()
		prefix := append([]byte(o), 0)
		start := prefix
		if !f.DueFrom.IsZero() {
			start = append(slices.Clone(prefix), u64(uint64(ceil(f.DueFrom)))...)
		}
		for k, _ := c.Seek(start); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
			if !f.DueTo.IsZero() && keyDue(k, prefix) >= ceil(f.DueTo) {
				break
			}
			n++
		}
	}
	return n
}

// CountDossiers implements city.DossierStore: from the counters when the
// filter is statuses and office only, from the due index's keys when it is
// due dates only, else by walking the index.
func (s *Store) CountDossiers(ctx context.Context, sc city.Scope, f city.DossierFilter) (int, error) {
	f.After, f.Limit = "", 0
	n := 0
	err := s.db.View(func(tx *bolt.Tx) error {
		if onlyIndexed(f) {
			sts := f.Statuses
			if len(sts) == 0 {
				sts = city.AllStatuses
			}
			for _, o := range sc.Offices(f.Office) {
				for _, st := range sts {
					n += count(tx, o, st)
				}
			}
			return nil
		}
		if onlyDue(f) {
			n = countDue(tx, sc.Offices(f.Office), f)
			return nil
		}
		return walkAs(ctx, tx, sc, f, true, func(city.Request) bool { n++; return true })
	})
	if err != nil {
		return 0, fmt.Errorf("citybolt: count dossiers: %w", err)
	}
	return n, nil
}

// CountByStatus implements city.DossierStore: the counters when the
// filter allows, else one walk.
func (s *Store) CountByStatus(ctx context.Context, sc city.Scope, f city.DossierFilter) (map[syncproto.Status]int, error) {
	f.Statuses, f.After, f.Limit = nil, "", 0
	out := map[syncproto.Status]int{}
	err := s.db.View(func(tx *bolt.Tx) error {
		if onlyIndexed(f) {
			for _, o := range sc.Offices(f.Office) {
				for _, st := range city.AllStatuses {
					if n := count(tx, o, st); n > 0 {
						out[st] += n
					}
				}
			}
			return nil
		}
		return walkAs(ctx, tx, sc, f, true, func(r city.Request) bool { out[r.Status]++; return true })
	})
	if err != nil {
		return nil, fmt.Errorf("citybolt: count by status: %w", err)
	}
	return out, nil
}

// Dossier implements city.DossierStore.
func (s *Store) Dossier(ctx context.Context, sc city.Scope, id string) (city.Request, error) {
	var r city.Request
	err := s.db.View(func(tx *bolt.Tx) error {
		if err := getJSON(tx.Bucket(bRequests), []byte(id), &r); err != nil {
			return err
		}
		if !sc.Has(r.Office) {
			return city.ErrNotFound
		}
		r.Sealed = append([]byte(nil), tx.Bucket(bSealed).Get([]byte(id))...)
		return nil
	})
	if err != nil {
		return city.Request{}, fmt.Errorf("citybolt: dossier %s: %w", id, err)
	}
	return r, nil
}

// UpdateDossiers implements city.DossierStore.
func (s *Store) UpdateDossiers(ctx context.Context, sc city.Scope, changes []city.DossierChange, now time.Time) ([]city.Request, error) {
	now = now.UTC()
	out := make([]city.Request, 0, len(changes))
	err := s.db.Update(func(tx *bolt.Tx) error {
		reqs := tx.Bucket(bRequests)
		for _, ch := range changes {
			var old city.Request
			if err := getJSON(reqs, []byte(ch.RequestID), &old); err != nil {
				return fmt.Errorf("%s: %w", ch.RequestID, err)
			}
			if !sc.Has(old.Office) {
				return fmt.Errorf("%s: %w", ch.RequestID, city.ErrNotFound)
			}
			r := old
			if ch.Apply != nil {
				if err := ch.Apply(&r); err != nil {
					return errAbort{fmt.Errorf("%s: %w", ch.RequestID, err)}
				}
			}
			// What identifies a dossier and where it came from never
			// changes here.
			r.RequestID, r.KioskID, r.Seq, r.Code, r.Service, r.Commune, r.CityRef, r.SHA256 =
				old.RequestID, old.KioskID, old.Seq, old.Code, old.Service, old.Commune, old.CityRef, old.SHA256
			r.CreatedAt, r.ReceivedAt, r.Office, r.Sealed = old.CreatedAt, old.ReceivedAt, old.Office, nil
			r.UpdatedAt = now
			if err := unindex(tx, old); err != nil {
				return err
			}
			if err := index(tx, r); err != nil {
				return err
			}
			if err := putJSON(reqs, []byte(r.RequestID), r); err != nil {
				return err
			}
			if r.Status != old.Status || r.StatusNote != old.StatusNote {
				feed, err := sub(tx, bFeed, r.KioskID)
				if err != nil {
					return err
				}
				if _, err := appendFeed(feed, r, now); err != nil {
					return err
				}
			}
			e := ch.Audit
			e.RequestID, e.Commune = r.RequestID, r.Office
			if e.At.IsZero() {
				e.At = now
			}
			if e.Action != "" {
				if _, err := appendAudit(tx, e); err != nil {
					return err
				}
			}
			out = append(out, r)
		}
		return nil
	})
	if err != nil {
		var a errAbort
		if errors.As(err, &a) {
			return nil, a.err
		}
		return nil, fmt.Errorf("citybolt: update dossiers: %w", err)
	}
	return out, nil
}
