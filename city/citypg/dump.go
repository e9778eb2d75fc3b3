package citypg

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash"
	"sort"
	"time"

	"communekiosk/city"
	"communekiosk/sync/syncproto"
)

// Snapshot is a whole source store as of one moment (citybolt.Snapshot):
// what cityd migrate-store copies. The small tables are read whole; the
// big ones are streamed row by row, each in its canonical order (below),
// so that a copy holds one row at a time and the digests of both sides
// are taken in one order without sorting.
//
// Canonical orders, bytewise on text (PostgreSQL's COLLATE "C"):
// requests by request_id; each kiosk's feed and heartbeat history by
// number and hour, kiosks by ID; nonces by (kiosk ID, kiosk time, nonce);
// audit by seq; satisfaction by (commune, day, kiosk ID).
type Snapshot interface {
	Epoch() (string, error)
	EnrolCodes() ([]city.EnrolCode, error)
	Kiosks() ([]city.Kiosk, error)
	FeedHead(kioskID string) (uint64, error)
	ReplayNewest() (map[string]int64, error)
	Users() ([]city.User, error)
	Sessions() ([]city.Session, error)
	Tokens() ([]city.APIToken, error)
	CalendarDays() ([]city.CalendarDay, error)
	Catalogues() ([]city.PublishedCatalogue, error) // with documents, in publication order

	// The big tables: each calls yield once a row, stops at yield's first
	// error and returns it.
	Requests(yield func(city.Request) error) error // with Sealed; their acks are these rows
	Feed(kioskID string, yield func(syncproto.StatusChange) error) error
	Nonces(yield func(kioskID, nonce string, t int64) error) error
	Audit(yield func(city.AuditEntry) error) error
	HeartbeatHistory(kioskID string, yield func(city.HeartbeatSample) error) error
	Satisfaction(yield func(commune, day, kioskID string, counts [4]int) error) error
}

// Source is a store that can be read whole in one consistent read
// (citybolt.Store): ReadSnapshot calls read with a snapshot valid until
// read returns.
type Source[S Snapshot] interface {
	ReadSnapshot(ctx context.Context, read func(S) error) error
}

// small is a source's small tables, held whole: kiosks, codes, the back
// office's accounts, the calendar, the catalogues, the epoch.
type small struct {
	Epoch      string
	Codes      []city.EnrolCode
	Kiosks     []city.Kiosk // in ID order
	FeedHeads  map[string]uint64
	Newest     map[string]int64 // kiosk → newest kiosk time accepted, unix ns
	Users      []city.User
	Sessions   []city.Session
	Tokens     []city.APIToken
	Calendar   []city.CalendarDay
	Catalogues []city.PublishedCatalogue
}

// readSmall reads snap's small tables. Sessions and tokens are those of
// the users it holds.
func readSmall(snap Snapshot) (small, error) {
	d := small{FeedHeads: map[string]uint64{}}
	var err error
	if d.Epoch, err = snap.Epoch(); err != nil {
		return small{}, err
	}
	if d.Codes, err = snap.EnrolCodes(); err != nil {
		return small{}, err
	}
	if d.Kiosks, err = snap.Kiosks(); err != nil {
		return small{}, err
	}
	sort.Slice(d.Kiosks, func(i, j int) bool { return d.Kiosks[i].ID < d.Kiosks[j].ID })
	for _, k := range d.Kiosks {
		if d.FeedHeads[k.ID], err = snap.FeedHead(k.ID); err != nil {
			return small{}, err
		}
	}
	if d.Newest, err = snap.ReplayNewest(); err != nil {
		return small{}, err
	}
	if d.Users, err = snap.Users(); err != nil {
		return small{}, err
	}
	known := map[string]bool{}
	for _, u := range d.Users {
		known[u.ID] = true
	}
	sessions, err := snap.Sessions()
	if err != nil {
		return small{}, err
	}
	for _, se := range sessions {
		if known[se.UserID] {
			d.Sessions = append(d.Sessions, se)
		}
	}
	tokens, err := snap.Tokens()
	if err != nil {
		return small{}, err
	}
	for _, t := range tokens {
		if known[t.UserID] {
			d.Tokens = append(d.Tokens, t)
		}
	}
	if d.Calendar, err = snap.CalendarDays(); err != nil {
		return small{}, err
	}
	if d.Catalogues, err = snap.Catalogues(); err != nil {
		return small{}, err
	}
	return d, nil
}

// kioskIDs is d's kiosk IDs, in canonical (bytewise) order.
func (d small) kioskIDs() []string {
	ids := make([]string, len(d.Kiosks))
	for i, k := range d.Kiosks {
		ids[i] = k.ID
	}
	sort.Strings(ids)
	return ids
}

// TableDigest is the count and a hash of one table's rows, in a form
// both stores give alike (times in UTC to the microsecond).
type TableDigest struct {
	Table string
	Rows  int
	Hash  string
}

// tableOrder is the order of tables in a report.
var tableOrder = []string{"epoch", "enrol_codes", "kiosks", "requests", "feed", "replay_newest", "replay_nonces",
	"users", "sessions", "api_tokens", "audit", "calendar", "catalogues", "heartbeat_history", "satisfaction"}

// digests is a report's digests, by table, put in tableOrder by list.
type digests map[string]TableDigest

func (d digests) list() []TableDigest {
	out := make([]TableDigest, 0, len(tableOrder))
	for _, t := range tableOrder {
		g, ok := d[t]
		if !ok {
			g = TableDigest{Table: t, Hash: "missing"}
		}
		out = append(out, g)
	}
	return out
}

// rowHash hashes a big table's rows as they are read, in its canonical
// order: the JSON of each row and a newline.
type rowHash struct {
	h    hash.Hash
	enc  *json.Encoder
	rows int
}

func newRowHash() *rowHash {
	h := sha256.New()
	return &rowHash{h: h, enc: json.NewEncoder(h)}
}

func (r *rowHash) add(row any) error {
	r.rows++
	return r.enc.Encode(row) // JSON and a newline
}

func (r *rowHash) digest(table string) TableDigest {
	return TableDigest{Table: table, Rows: r.rows, Hash: hex.EncodeToString(r.h.Sum(nil))[:16]}
}

// sortedDigest is a small table's digest: its rows' JSON lines, sorted.
func sortedDigest(table string, rows []any) TableDigest {
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
	return TableDigest{Table: table, Rows: len(rows), Hash: hex.EncodeToString(h.Sum(nil))[:16]}
}

// digest adds the small tables' digests to out.
func (d small) digest(out digests) {
	add := func(table string, rows []any) { out[table] = sortedDigest(table, rows) }
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
	for k, t := range d.Newest {
		rows = append(rows, []any{k, t})
	}
	add("replay_newest", rows)
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
}

// The big tables' rows as hashed, alike on both sides.

// requestRow is r with its times as stored and its sealed payload by its
// sha256, sealedSum (PostgreSQL hashes its copy: the payloads need not
// cross the wire again, nor be sorted there).
func requestRow(r city.Request, sealedSum []byte) city.Request {
	r.Sealed = sealedSum
	r.CreatedAt, r.ReceivedAt, r.UpdatedAt = tsz(r.CreatedAt), tsz(r.ReceivedAt), tsz(r.UpdatedAt)
	r.AcceptedAt, r.DueAt, r.NewDueAt, r.ResultAt = tsz(r.AcceptedAt), tsz(r.DueAt), tsz(r.NewDueAt), tsz(r.ResultAt)
	return r
}

type feedRow struct {
	Kiosk string
	syncproto.StatusChange
}

func newFeedRow(kioskID string, c syncproto.StatusChange) feedRow {
	c.ChangedAt = tsz(c.ChangedAt)
	return feedRow{kioskID, c}
}

type nonceRow struct {
	KioskID, Nonce string
	T              int64 // kiosk time, unix ns
}

func auditRow(e city.AuditEntry) city.AuditEntry {
	e.At = tsz(e.At)
	return e
}

func heartbeatRow(kioskID string, h city.HeartbeatSample) []any {
	h.Hour, h.ReceivedAt = tsz(h.Hour), tsz(h.ReceivedAt)
	return []any{kioskID, h}
}

// satisfactionRow is one kiosk's tally of one day in one commune.
type satisfactionRow struct {
	Commune, Day, KioskID string
	Counts                [4]int // very satisfied, satisfied, neutral, not satisfied
}

// tsz is ts that keeps the zero time zero.
func tsz(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return ts(t)
}

// Compare checks two reports table by table; the error names every table
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

// Copy copies a source store into dst and compares the two table by
// table. The source is read in one snapshot; the copy is one transaction
// (see load); the source's digests are taken as its rows stream into the
// copy, the target's by reading the database back in one repeatable-read
// transaction, in the same order. Memory is bounded by the small tables
// and a row of a big one, not by the store. The source must not be serving
// (cityd stopped), or the copy is of a store that has moved on. The report
// is filled as far as Copy got: Source is nil when nothing was verified.
func Copy[S Snapshot](ctx context.Context, src Source[S], dst *Store) (CopyReport, error) {
	var rep CopyReport
	err := src.ReadSnapshot(ctx, func(snap S) error {
		var err error
		rep.Copied, rep.Source, err = dst.load(ctx, snap)
		return err
	})
	if err != nil {
		return CopyReport{Copied: rep.Copied}, err
	}
	if rep.Target, err = dst.digests(ctx); err != nil {
		return CopyReport{Copied: rep.Copied}, err
	}
	return rep, Compare(rep.Source, rep.Target)
}
