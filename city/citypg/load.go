package citypg

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"communekiosk/city"
	"communekiosk/sync/syncproto"
)

// ErrNotEmpty is returned by Load when the database holds data of another
// store.
var ErrNotEmpty = errors.New("citypg: the database already holds another city's data")

// Load copies d into the database in one transaction, keeping the epoch,
// every feed's numbering and the acks, so kiosks carry on syncing with no
// reset. The database must be empty; when it already holds exactly this
// copy (a run again after success), Load changes nothing and reports
// copied false. Any other content is ErrNotEmpty.
func (s *Store) Load(ctx context.Context, d Dump) (copied bool, err error) {
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext('citypg.load:' || current_schema()))`); err != nil {
			return err
		}
		var rows int64
		var epoch string
		err := tx.QueryRow(ctx, `SELECT (SELECT count(*) FROM kiosks) + (SELECT count(*) FROM requests) + (SELECT count(*) FROM enrol_codes) + (SELECT count(*) FROM replay_newest)
				+ (SELECT count(*) FROM users) + (SELECT count(*) FROM audit) + (SELECT count(*) FROM catalogues) + (SELECT count(*) FROM calendar),
			(SELECT value FROM meta WHERE key = 'epoch')`).Scan(&rows, &epoch)
		if err != nil {
			return err
		}
		if rows > 0 {
			if epoch == d.Epoch {
				return nil // copied before: the verification says whether it is whole
			}
			return ErrNotEmpty
		}
		copied = true
		return load(ctx, tx, d)
	})
	if err != nil {
		return false, fmt.Errorf("citypg: load: %w", err)
	}
	return copied, nil
}

func load(ctx context.Context, tx pgx.Tx, d Dump) error {
	copyRows := func(table string, cols []string, rows [][]any) error {
		if len(rows) == 0 {
			return nil
		}
		_, err := tx.CopyFrom(ctx, pgx.Identifier{table}, cols, pgx.CopyFromRows(rows))
		if err != nil {
			return fmt.Errorf("copy %s: %w", table, err)
		}
		return nil
	}
	var rows [][]any
	for _, c := range d.Codes {
		rows = append(rows, []any{c.Hash, c.AuthKey, c.Commune, c.CommuneName, ts(c.CreatedAt), nullTime(c.ExpiresAt)})
	}
	if err := copyRows("enrol_codes", []string{"hash", "auth_key", "commune", "commune_name", "created_at", "expires_at"}, rows); err != nil {
		return err
	}
	rows = nil
	var hbs [][]any
	var maxNumber int64
	for _, k := range d.Kiosks {
		rows = append(rows, []any{k.ID, int64(k.Number), k.Commune, k.CommuneName, []byte(k.PublicKey), k.AppVersion, ts(k.EnrolledAt), nullTime(k.RevokedAt), int64(d.FeedHeads[k.ID])})
		maxNumber = max(maxNumber, int64(k.Number))
		if k.LastHeartbeat != nil {
			data, err := json.Marshal(k.LastHeartbeat)
			if err != nil {
				return err
			}
			hbs = append(hbs, []any{k.ID, string(data), ts(k.LastHeartbeatAt), k.LastHeartbeat.AppVersion})
		}
	}
	if err := copyRows("kiosks", []string{"id", "number", "commune", "commune_name", "public_key", "app_version", "enrolled_at", "revoked_at", "feed_seq"}, rows); err != nil {
		return err
	}
	if err := copyRows("kiosk_heartbeats", []string{"kiosk_id", "heartbeat", "at", "app_version"}, hbs); err != nil {
		return err
	}
	rows = nil
	var maxRef int64
	for _, r := range d.Requests {
		sealed := r.Sealed
		if sealed == nil {
			sealed = []byte{}
		}
		if r.Office == "" {
			r.Office = r.Commune
		}
		doc, err := requestDoc(r)
		if err != nil {
			return err
		}
		rows = append(rows, []any{r.RequestID, r.KioskID, int64(r.Seq), r.Code, r.Service, r.Commune, r.CityRef, r.SHA256, sealed,
			ts(r.CreatedAt), ts(r.ReceivedAt), string(r.Status), r.StatusNote, ts(r.UpdatedAt), r.Office, r.Delivery, r.Assignee, nullTime(r.DueAt), doc})
		if i := strings.LastIndexByte(r.CityRef, '-'); i >= 0 {
			if n, err := strconv.ParseInt(r.CityRef[i+1:], 10, 64); err == nil {
				maxRef = max(maxRef, n)
			}
		}
	}
	if err := copyRows("requests", []string{"request_id", "kiosk_id", "seq", "code", "service", "commune", "city_ref", "sha256", "sealed",
		"created_at", "received_at", "status", "status_note", "updated_at", "office", "delivery", "assignee", "due_at", "doc"}, rows); err != nil {
		return err
	}
	rows = nil
	for k, feed := range d.Feeds {
		for _, c := range feed {
			rows = append(rows, []any{k, int64(c.Seq), c.RequestID, c.Code, string(c.Status), c.Note, ts(c.ChangedAt)})
		}
	}
	if err := copyRows("feed", []string{"kiosk_id", "seq", "request_id", "code", "status", "note", "changed_at"}, rows); err != nil {
		return err
	}
	rows = nil
	for k, t := range d.Newest {
		rows = append(rows, []any{k, t})
	}
	if err := copyRows("replay_newest", []string{"kiosk_id", "newest"}, rows); err != nil {
		return err
	}
	rows = nil
	for _, n := range d.Nonces {
		rows = append(rows, []any{n.KioskID, n.Nonce, n.T})
	}
	if err := copyRows("replay_nonces", []string{"kiosk_id", "nonce", "t"}, rows); err != nil {
		return err
	}
	if err := loadOffice(ctx, tx, d, copyRows); err != nil {
		return err
	}
	b := &pgx.Batch{}
	b.Queue(`UPDATE meta SET value = $1 WHERE key = 'epoch'`, d.Epoch)
	if maxNumber > 0 {
		b.Queue(`SELECT setval('kiosk_number', $1)`, maxNumber)
	}
	if maxRef > 0 {
		b.Queue(`SELECT setval('city_ref', $1)`, maxRef)
	}
	return tx.SendBatch(ctx, b).Close()
}

func loadOffice(ctx context.Context, tx pgx.Tx, d Dump, copyRows func(string, []string, [][]any) error) error {
	var rows [][]any
	for _, u := range d.Users {
		doc, err := userDoc(u)
		if err != nil {
			return err
		}
		rows = append(rows, []any{u.ID, u.Name, doc})
	}
	if err := copyRows("users", []string{"id", "name", "doc"}, rows); err != nil {
		return err
	}
	rows = nil
	for _, se := range d.Sessions {
		doc, err := sessionDoc(se)
		if err != nil {
			return err
		}
		rows = append(rows, []any{se.Hash, se.UserID, ts(se.CreatedAt), doc})
	}
	if err := copyRows("sessions", []string{"hash", "user_id", "created_at", "doc"}, rows); err != nil {
		return err
	}
	rows = nil
	for _, t := range d.Tokens {
		doc, err := tokenDoc(t)
		if err != nil {
			return err
		}
		rows = append(rows, []any{t.ID, t.Hash, t.UserID, ts(t.CreatedAt), doc})
	}
	if err := copyRows("api_tokens", []string{"id", "hash", "user_id", "created_at", "doc"}, rows); err != nil {
		return err
	}
	rows = nil
	for _, e := range d.Audit {
		seq := int64(e.Seq)
		e.At, e.Seq = ts(e.At), 0
		doc, err := docOf(e)
		if err != nil {
			return err
		}
		rows = append(rows, []any{seq, e.At, e.UserID, e.Action, e.RequestID, doc})
	}
	if err := copyRows("audit", []string{"seq", "at", "user_id", "action", "request_id", "doc"}, rows); err != nil {
		return err
	}
	rows = nil
	for _, c := range d.Calendar {
		rows = append(rows, []any{c.Date, c.Kind, c.Note})
	}
	if err := copyRows("calendar", []string{"date", "kind", "note"}, rows); err != nil {
		return err
	}
	rows = nil
	for i, c := range d.Catalogues {
		doc := c.Document
		if doc == nil {
			doc = []byte{}
		}
		rows = append(rows, []any{c.Version, int64(i + 1), c.NoticeVersion, c.SHA256, ts(c.PublishedAt), c.PublishedBy, doc})
	}
	if err := copyRows("catalogues", []string{"version", "n", "notice_version", "sha256", "published_at", "published_by", "document"}, rows); err != nil {
		return err
	}
	rows = nil
	for k, hs := range d.Heartbeats {
		for _, h := range hs {
			doc, err := docOf(h.Heartbeat)
			if err != nil {
				return err
			}
			rows = append(rows, []any{k, h.Hour.UTC(), ts(h.ReceivedAt), doc})
		}
	}
	if err := copyRows("heartbeat_history", []string{"kiosk_id", "hour", "received_at", "heartbeat"}, rows); err != nil {
		return err
	}
	rows = nil
	for _, r := range d.Satisfaction {
		rows = append(rows, []any{r.Commune, r.Day, r.KioskID, r.Counts[0], r.Counts[1], r.Counts[2], r.Counts[3]})
	}
	if err := copyRows("satisfaction", []string{"commune", "day", "kiosk_id", "very_satisfied", "satisfied", "neutral", "not_satisfied"}, rows); err != nil {
		return err
	}
	// Identity columns carry on after the copied numbers.
	_, err := tx.Exec(ctx, `SELECT setval(pg_get_serial_sequence('audit', 'seq'), greatest((SELECT max(seq) FROM audit), 1), (SELECT max(seq) FROM audit) IS NOT NULL),
		setval(pg_get_serial_sequence('catalogues', 'n'), greatest((SELECT max(n) FROM catalogues), 1), (SELECT max(n) FROM catalogues) IS NOT NULL)`)
	return err
}

func nullTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	u := ts(t)
	return &u
}

// Dump reads the whole database, as ReadDump reads another store, for
// the verification that follows a copy.
func (s *Store) Dump(ctx context.Context) (Dump, error) {
	d := Dump{Feeds: map[string][]syncproto.StatusChange{}, FeedHeads: map[string]uint64{}, Newest: map[string]int64{}}
	err := pgx.BeginTxFunc(ctx, s.pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `SELECT value FROM meta WHERE key = 'epoch'`).Scan(&d.Epoch); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `SELECT hash, auth_key, commune, commune_name, created_at, expires_at FROM enrol_codes`)
		if err != nil {
			return err
		}
		for rows.Next() {
			var c city.EnrolCode
			var exp *time.Time
			if err := rows.Scan(&c.Hash, &c.AuthKey, &c.Commune, &c.CommuneName, &c.CreatedAt, &exp); err != nil {
				return err
			}
			c.CreatedAt, c.ExpiresAt = c.CreatedAt.UTC(), optTime(exp)
			d.Codes = append(d.Codes, c)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		rows, err = tx.Query(ctx, kioskSelect+` ORDER BY k.number`)
		if err != nil {
			return err
		}
		for rows.Next() {
			k, err := scanKiosk(rows)
			if err != nil {
				return err
			}
			d.Kiosks = append(d.Kiosks, k)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		rows, err = tx.Query(ctx, `SELECT id, feed_seq FROM kiosks`)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id string
			var head int64
			if err := rows.Scan(&id, &head); err != nil {
				return err
			}
			d.FeedHeads[id] = uint64(head)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		rows, err = tx.Query(ctx, `SELECT doc, sealed FROM requests ORDER BY city_ref`)
		if err != nil {
			return err
		}
		for rows.Next() {
			var sealed []byte
			r, err := scanRequest(rows, &sealed)
			if err != nil {
				return err
			}
			r.Sealed = sealed
			d.Requests = append(d.Requests, r)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		rows, err = tx.Query(ctx, `SELECT kiosk_id, seq, request_id, code, status, note, changed_at FROM feed ORDER BY kiosk_id, seq`)
		if err != nil {
			return err
		}
		for rows.Next() {
			var k, status string
			var seq int64
			var c syncproto.StatusChange
			if err := rows.Scan(&k, &seq, &c.RequestID, &c.Code, &status, &c.Note, &c.ChangedAt); err != nil {
				return err
			}
			c.Seq, c.Status, c.ChangedAt = uint64(seq), syncproto.Status(status), c.ChangedAt.UTC()
			d.Feeds[k] = append(d.Feeds[k], c)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		rows, err = tx.Query(ctx, `SELECT kiosk_id, newest FROM replay_newest`)
		if err != nil {
			return err
		}
		for rows.Next() {
			var k string
			var t int64
			if err := rows.Scan(&k, &t); err != nil {
				return err
			}
			d.Newest[k] = t
		}
		if err := rows.Err(); err != nil {
			return err
		}
		rows, err = tx.Query(ctx, `SELECT kiosk_id, nonce, t FROM replay_nonces`)
		if err != nil {
			return err
		}
		for rows.Next() {
			var n Nonce
			if err := rows.Scan(&n.KioskID, &n.Nonce, &n.T); err != nil {
				return err
			}
			d.Nonces = append(d.Nonces, n)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		return dumpOffice(ctx, tx, &d)
	})
	if err != nil {
		return Dump{}, fmt.Errorf("citypg: dump: %w", err)
	}
	return d, nil
}

func dumpOffice(ctx context.Context, tx pgx.Tx, d *Dump) error {
	var err error
	if d.Users, err = queryDocs[city.User](ctx, tx, `SELECT doc FROM users ORDER BY name`); err != nil {
		return err
	}
	if d.Sessions, err = queryDocs[city.Session](ctx, tx, `SELECT doc FROM sessions ORDER BY user_id, created_at, hash`); err != nil {
		return err
	}
	if d.Tokens, err = queryDocs[city.APIToken](ctx, tx, `SELECT doc FROM api_tokens ORDER BY user_id, created_at, id`); err != nil {
		return err
	}
	rows, err := tx.Query(ctx, `SELECT seq, doc FROM audit ORDER BY seq DESC`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var seq int64
		var e city.AuditEntry
		if err := rows.Scan(&seq, &e); err != nil {
			return err
		}
		e.Seq = uint64(seq)
		d.Audit = append(d.Audit, e)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	rows, err = tx.Query(ctx, `SELECT date, kind, note FROM calendar ORDER BY date`)
	if err != nil {
		return err
	}
	if d.Calendar, err = pgx.CollectRows(rows, pgx.RowToStructByPos[city.CalendarDay]); err != nil {
		return err
	}
	rows, err = tx.Query(ctx, `SELECT version, notice_version, sha256, published_at, published_by, document FROM catalogues ORDER BY n`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var c city.PublishedCatalogue
		if err := rows.Scan(&c.Version, &c.NoticeVersion, &c.SHA256, &c.PublishedAt, &c.PublishedBy, &c.Document); err != nil {
			return err
		}
		c.PublishedAt = c.PublishedAt.UTC()
		d.Catalogues = append(d.Catalogues, c)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	rows, err = tx.Query(ctx, `SELECT kiosk_id, hour, received_at, heartbeat FROM heartbeat_history ORDER BY kiosk_id, hour`)
	if err != nil {
		return err
	}
	d.Heartbeats = map[string][]city.HeartbeatSample{}
	for rows.Next() {
		var k string
		var h city.HeartbeatSample
		if err := rows.Scan(&k, &h.Hour, &h.ReceivedAt, &h.Heartbeat); err != nil {
			return err
		}
		h.Hour, h.ReceivedAt = h.Hour.UTC(), h.ReceivedAt.UTC()
		d.Heartbeats[k] = append(d.Heartbeats[k], h)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	rows, err = tx.Query(ctx, `SELECT commune, day, kiosk_id, very_satisfied, satisfied, neutral, not_satisfied FROM satisfaction ORDER BY commune, day, kiosk_id`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var r SatisfactionRow
		if err := rows.Scan(&r.Commune, &r.Day, &r.KioskID, &r.Counts[0], &r.Counts[1], &r.Counts[2], &r.Counts[3]); err != nil {
			return err
		}
		d.Satisfaction = append(d.Satisfaction, r)
	}
	return rows.Err()
}
