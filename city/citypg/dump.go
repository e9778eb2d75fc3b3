package citypg

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sort"
	"time"

	"communekiosk/city"
	"communekiosk/sync/syncproto"
)

// Dump is the whole content of a city store, table by table: what
// cityd migrate-store copies and then compares.
type Dump struct {
	Epoch    string
	Codes    []city.EnrolCode
	Kiosks   []city.Kiosk
	Requests []city.Request // with Sealed; their acks are these rows
	// Feeds and FeedHeads are keyed by kiosk ID.
	Feeds     map[string][]syncproto.StatusChange
	FeedHeads map[string]uint64
	Newest    map[string]int64 // kiosk → newest kiosk time accepted, unix ns
	Nonces    []Nonce
	// The back office's tables and the catalogue's and fleet's history,
	// when the source keeps them.
	Users      []city.User
	Sessions   []city.Session
	Tokens     []city.APIToken
	Audit      []city.AuditEntry
	Calendar   []city.CalendarDay
	Catalogues []city.PublishedCatalogue // with documents, in publication order
	Heartbeats map[string][]city.HeartbeatSample
	// Satisfaction: each kiosk's anonymous tally of each day.
	Satisfaction []SatisfactionRow
}

// SatisfactionRow is one kiosk's tally of one day in one commune.
type SatisfactionRow struct {
	Commune, Day, KioskID string
	Counts                [4]int // very satisfied, satisfied, neutral, not satisfied
}

// satisfactionSource is a store whose tallies can be read whole.
type satisfactionSource interface {
	SatisfactionRows(ctx context.Context, row func(commune, day, kioskID string, counts [4]int)) error
}

// Nonce is a remembered nonce of a signed request.
type Nonce struct {
	KioskID, Nonce string
	T              int64 // kiosk time, unix ns
}

// Source is a store that can be read whole (citybolt.Store).
type Source interface {
	Epoch(ctx context.Context) (string, error)
	Kiosks(ctx context.Context) ([]city.Kiosk, error)
	Requests(ctx context.Context, f city.RequestFilter) ([]city.Request, error)
	Request(ctx context.Context, requestID string) (city.Request, error)
	Feed(ctx context.Context, kioskID string, after uint64, limit int) ([]syncproto.StatusChange, uint64, bool, error)
	EnrolCodes(ctx context.Context) ([]city.EnrolCode, error)
	ReplayState(ctx context.Context, newest func(kioskID string, t int64), nonce func(kioskID, nonce string, t int64)) error
}

// ReadDump reads a whole source store. It must not be serving (cityd
// stopped), or the copy is of no one moment.
func ReadDump(ctx context.Context, src Source) (Dump, error) {
	d := Dump{Feeds: map[string][]syncproto.StatusChange{}, FeedHeads: map[string]uint64{}, Newest: map[string]int64{}}
	var err error
	if d.Epoch, err = src.Epoch(ctx); err != nil {
		return Dump{}, err
	}
	if d.Codes, err = src.EnrolCodes(ctx); err != nil {
		return Dump{}, err
	}
	if d.Kiosks, err = src.Kiosks(ctx); err != nil {
		return Dump{}, err
	}
	for _, k := range d.Kiosks {
		after := uint64(0)
		feed := []syncproto.StatusChange{}
		for {
			ch, head, more, err := src.Feed(ctx, k.ID, after, 1000)
			if err != nil {
				return Dump{}, err
			}
			feed = append(feed, ch...)
			d.FeedHeads[k.ID] = head
			if len(ch) == 0 || !more {
				break
			}
			after = ch[len(ch)-1].Seq
		}
		d.Feeds[k.ID] = feed
	}
	after := ""
	for {
		page, err := src.Requests(ctx, city.RequestFilter{After: after, Limit: 1000})
		if err != nil {
			return Dump{}, err
		}
		if len(page) == 0 {
			break
		}
		for _, r := range page {
			full, err := src.Request(ctx, r.RequestID)
			if err != nil {
				return Dump{}, err
			}
			d.Requests = append(d.Requests, full)
		}
		after = page[len(page)-1].CityRef
	}
	err = src.ReplayState(ctx, func(k string, t int64) { d.Newest[k] = t },
		func(k, n string, t int64) { d.Nonces = append(d.Nonces, Nonce{KioskID: k, Nonce: n, T: t}) })
	if err != nil {
		return Dump{}, err
	}
	if err := readOffice(ctx, src, &d); err != nil {
		return Dump{}, err
	}
	return d, nil
}

// readOffice reads what the source keeps beyond city.Store.
func readOffice(ctx context.Context, src Source, d *Dump) error {
	if os, ok := src.(city.OfficeStore); ok {
		var err error
		if d.Users, err = os.Users(ctx); err != nil {
			return err
		}
		for _, u := range d.Users {
			se, err := os.Sessions(ctx, u.ID)
			if err != nil {
				return err
			}
			d.Sessions = append(d.Sessions, se...)
			tk, err := os.Tokens(ctx, u.ID)
			if err != nil {
				return err
			}
			d.Tokens = append(d.Tokens, tk...)
		}
		before := uint64(0)
		for {
			page, err := os.Audit(ctx, city.AuditFilter{Before: before, Limit: 1000})
			if err != nil {
				return err
			}
			d.Audit = append(d.Audit, page...)
			if len(page) < 1000 {
				break
			}
			before = page[len(page)-1].Seq
		}
		if d.Calendar, err = os.CalendarDays(ctx); err != nil {
			return err
		}
	}
	if cs, ok := src.(city.CatalogueStore); ok {
		list, err := cs.Catalogues(ctx)
		if err != nil {
			return err
		}
		for _, c := range list {
			full, err := cs.Catalogue(ctx, c.Version)
			if err != nil {
				return err
			}
			d.Catalogues = append(d.Catalogues, full)
		}
	}
	if hs, ok := src.(city.HeartbeatHistoryStore); ok {
		d.Heartbeats = map[string][]city.HeartbeatSample{}
		for _, k := range d.Kiosks {
			h, err := hs.HeartbeatHistory(ctx, k.ID, time.Time{})
			if err != nil {
				return err
			}
			if len(h) > 0 {
				d.Heartbeats[k.ID] = h
			}
		}
	}
	if ss, ok := src.(satisfactionSource); ok {
		if err := ss.SatisfactionRows(ctx, func(commune, day, kioskID string, counts [4]int) {
			d.Satisfaction = append(d.Satisfaction, SatisfactionRow{Commune: commune, Day: day, KioskID: kioskID, Counts: counts})
		}); err != nil {
			return err
		}
	}
	return nil
}

// TableDigest is the count and a hash of one table's rows, in a form
// both stores give alike (times in UTC to the microsecond).
type TableDigest struct {
	Table string
	Rows  int
	Hash  string
}

// Digests gives each table's digest, in a fixed order of tables.
func (d Dump) Digests() []TableDigest {
	var out []TableDigest
	add := func(table string, rows []any) {
		lines := make([][]byte, len(rows))
		for i, r := range rows {
			b, err := json.Marshal(r)
			if err != nil {
				panic(err) // plain structs: cannot fail
			}
			lines[i] = b
		}
		sort.Slice(lines, func(i, j int) bool { return bytes.Compare(lines[i], lines[j]) < 0 })
		h := sha256.New()
		for _, l := range lines {
			h.Write(l)
			h.Write([]byte{'\n'})
		}
		out = append(out, TableDigest{Table: table, Rows: len(rows), Hash: hex.EncodeToString(h.Sum(nil))[:16]})
	}
	add("epoch", []any{d.Epoch})
	var rows []any
	for _, c := range d.Codes {
		c.CreatedAt, c.ExpiresAt = tsz(c.CreatedAt), tsz(c.ExpiresAt)
		rows = append(rows, c)
	}
	add("enrol_codes", rows)
	rows = nil
	for _, k := range d.Kiosks {
		k.EnrolledAt, k.RevokedAt, k.LastHeartbeatAt = tsz(k.EnrolledAt), tsz(k.RevokedAt), tsz(k.LastHeartbeatAt)
		rows = append(rows, struct {
			city.Kiosk
			FeedHead uint64
		}{k, d.FeedHeads[k.ID]})
	}
	add("kiosks", rows)
	rows = nil
	for _, r := range d.Requests {
		r.CreatedAt, r.ReceivedAt, r.UpdatedAt = tsz(r.CreatedAt), tsz(r.ReceivedAt), tsz(r.UpdatedAt)
		rows = append(rows, r)
	}
	add("requests", rows)
	rows = nil
	for k, feed := range d.Feeds {
		for _, c := range feed {
			c.ChangedAt = tsz(c.ChangedAt)
			rows = append(rows, struct {
				Kiosk string
				syncproto.StatusChange
			}{k, c})
		}
	}
	add("feed", rows)
	rows = nil
	for k, t := range d.Newest {
		rows = append(rows, []any{k, t})
	}
	add("replay_newest", rows)
	rows = nil
	for _, n := range d.Nonces {
		rows = append(rows, n)
	}
	add("replay_nonces", rows)
	rows = nil
	for _, u := range d.Users {
		u.CreatedAt, u.UpdatedAt, u.LockedUntil = tsz(u.CreatedAt), tsz(u.UpdatedAt), tsz(u.LockedUntil)
		rows = append(rows, u)
	}
	add("users", rows)
	rows = nil
	for _, se := range d.Sessions {
		se.CreatedAt, se.LastSeen = tsz(se.CreatedAt), tsz(se.LastSeen)
		rows = append(rows, se)
	}
	add("sessions", rows)
	rows = nil
	for _, tk := range d.Tokens {
		tk.CreatedAt, tk.RevokedAt = tsz(tk.CreatedAt), tsz(tk.RevokedAt)
		rows = append(rows, tk)
	}
	add("api_tokens", rows)
	rows = nil
	for _, e := range d.Audit {
		e.At = tsz(e.At)
		rows = append(rows, e)
	}
	add("audit", rows)
	rows = nil
	for _, c := range d.Calendar {
		rows = append(rows, c)
	}
	add("calendar", rows)
	rows = nil
	for i, c := range d.Catalogues {
		c.PublishedAt = tsz(c.PublishedAt)
		rows = append(rows, []any{i, c})
	}
	add("catalogues", rows)
	rows = nil
	for k, hs := range d.Heartbeats {
		for _, h := range hs {
			h.Hour, h.ReceivedAt = tsz(h.Hour), tsz(h.ReceivedAt)
			rows = append(rows, []any{k, h})
		}
	}
	add("heartbeat_history", rows)
	rows = nil
	for _, r := range d.Satisfaction {
		rows = append(rows, r)
	}
	add("satisfaction", rows)
	return out
}

// tsz is ts that keeps the zero time zero.
func tsz(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return ts(t)
}

// Compare checks two dumps table by table; the error names every table
// that differs.
func Compare(src, dst []TableDigest) error {
	var bad []string
	for i := range src {
		if i >= len(dst) || src[i] != dst[i] {
			bad = append(bad, src[i].Table)
		}
	}
	if len(bad) > 0 {
		return fmt.Errorf("citypg: the copy differs from the source in %v", bad)
	}
	return nil
}

// CopyReport says what Copy did and what it found.
type CopyReport struct {
	Copied         bool // false: the database already held this copy
	Source, Target []TableDigest
}

// Copy reads src whole, loads it into dst (see Load) and compares the two
// table by table. The report is filled as far as Copy got.
func Copy(ctx context.Context, src Source, dst *Store) (CopyReport, error) {
	var rep CopyReport
	d, err := ReadDump(ctx, src)
	if err != nil {
		return rep, fmt.Errorf("citypg: read the source: %w", err)
	}
	if rep.Copied, err = dst.Load(ctx, d); err != nil {
		return rep, err
	}
	got, err := dst.Dump(ctx)
	if err != nil {
		return rep, err
	}
	rep.Source, rep.Target = d.Digests(), got.Digests()
	return rep, Compare(rep.Source, rep.Target)
}
