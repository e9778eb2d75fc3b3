package citypg

import (
	"context"
	"crypto/sha256"
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

// ErrNotEmpty is returned by Copy when the database holds data of another
// store.
var ErrNotEmpty = errors.New("citypg: the database already holds another city's data")

// load copies snap into the database in one transaction, keeping the
// epoch, every feed's numbering and the acks, so kiosks carry on syncing
// with no reset, and gives the source's digests, taken as its rows
// stream by. The database must be empty; when it already holds exactly
// this copy (a run again after success), load changes nothing, reports
// copied false and digests the source alone. Any other content is
// ErrNotEmpty.
func (s *Store) load(ctx context.Context, snap Snapshot) (copied bool, _ []TableDigest, err error) {
	d, err := readSmall(snap)
	if err != nil {
		return false, nil, fmt.Errorf("citypg: read the source: %w", err)
	}
	out := digests{}
	d.digest(out)
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
		return load(ctx, tx, snap, d, out)
	})
	if err != nil {
		return false, nil, fmt.Errorf("citypg: load: %w", err)
	}
	if !copied {
		// Digest the source alone: the same streams, with nothing to copy to.
		hashOnly := func(_ string, _ []string, stream rowStream) error { return stream(nil) }
		if _, err := streamBig(snap, d, out, hashOnly); err != nil {
			return false, nil, fmt.Errorf("citypg: read the source: %w", err)
		}
	}
	return copied, out.list(), nil
}

// copyFunc copies a stream of rows into table (cols, in order).
type copyFunc func(table string, cols []string, stream rowStream) error

func load(ctx context.Context, tx pgx.Tx, snap Snapshot, d small, out digests) error {
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
	copyStream := func(table string, cols []string, stream rowStream) error {
		src := pullRows(stream)
		defer src.Close()
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{table}, cols, src); err != nil {
			return fmt.Errorf("copy %s: %w", table, err)
		}
		return nil
	}
	if err := loadSmall(ctx, tx, d, copyRows); err != nil {
		return err
	}
	maxRef, err := streamBig(snap, d, out, copyStream)
	if err != nil {
		return err
	}
	// Identity columns and counters carry on after the copied numbers.
	if maxRef > 0 {
		if _, err := tx.Exec(ctx, `SELECT setval('city_ref', $1)`, maxRef); err != nil {
			return err
		}
	}
	_, err = tx.Exec(ctx, `SELECT setval(pg_get_serial_sequence('audit', 'seq'), greatest((SELECT max(seq) FROM audit), 1), (SELECT max(seq) FROM audit) IS NOT NULL)`)
	return err
}

// loadSmall copies the small tables (the big ones reference kiosks).
func loadSmall(ctx context.Context, tx pgx.Tx, d small, copyRows func(string, []string, [][]any) error) error {
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
	for k, t := range d.Newest {
		rows = append(rows, []any{k, t})
	}
	if err := copyRows("replay_newest", []string{"kiosk_id", "newest"}, rows); err != nil {
		return err
	}
	rows = nil
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
	b := &pgx.Batch{}
	b.Queue(`UPDATE meta SET value = $1 WHERE key = 'epoch'`, d.Epoch)
	if maxNumber > 0 {
		b.Queue(`SELECT setval('kiosk_number', $1)`, maxNumber)
	}
	b.Queue(`SELECT setval(pg_get_serial_sequence('catalogues', 'n'), greatest((SELECT max(n) FROM catalogues), 1), (SELECT max(n) FROM catalogues) IS NOT NULL)`)
	return tx.SendBatch(ctx, b).Close()
}

// streamBig streams the big tables of snap, in canonical order, into
// copyTo, adding each one's digest to out as its rows go by. A stream
// given a nil emit only hashes. The sequences that carry on after the
// copied numbers are the caller's: streamBig gives the highest city ref.
func streamBig(snap Snapshot, d small, out digests, copyTo copyFunc) (maxRef int64, _ error) {
	kiosks := d.kioskIDs()
	h := newRowHash()
	err := copyTo("requests", []string{"request_id", "kiosk_id", "seq", "code", "service", "commune", "city_ref", "sha256", "sealed",
		"created_at", "received_at", "status", "status_note", "updated_at", "office", "delivery", "assignee", "due_at", "doc"}, func(emit func([]any) error) error {
		return snap.Requests(func(r city.Request) error {
			sum := sha256.Sum256(r.Sealed)
			if err := h.add(requestRow(r, sum[:])); err != nil || emit == nil {
				return err
			}
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
			if i := strings.LastIndexByte(r.CityRef, '-'); i >= 0 {
				if n, err := strconv.ParseInt(r.CityRef[i+1:], 10, 64); err == nil {
					maxRef = max(maxRef, n)
				}
			}
			return emit([]any{r.RequestID, r.KioskID, int64(r.Seq), r.Code, r.Service, r.Commune, r.CityRef, r.SHA256, sealed,
				ts(r.CreatedAt), ts(r.ReceivedAt), string(r.Status), r.StatusNote, ts(r.UpdatedAt), r.Office, r.Delivery, r.Assignee, nullTime(r.DueAt), doc})
		})
	})
	if err != nil {
		return 0, err
	}
	out["requests"] = h.digest("requests")

	h = newRowHash()
	err = copyTo("feed", []string{"kiosk_id", "seq", "request_id", "code", "status", "note", "changed_at"}, func(emit func([]any) error) error {
		for _, k := range kiosks {
			err := snap.Feed(k, func(c syncproto.StatusChange) error {
				if err := h.add(newFeedRow(k, c)); err != nil || emit == nil {
					return err
				}
				return emit([]any{k, int64(c.Seq), c.RequestID, c.Code, string(c.Status), c.Note, ts(c.ChangedAt)})
			})
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	out["feed"] = h.digest("feed")

	h = newRowHash()
	err = copyTo("replay_nonces", []string{"kiosk_id", "nonce", "t"}, func(emit func([]any) error) error {
		return snap.Nonces(func(k, n string, t int64) error {
			if err := h.add(nonceRow{KioskID: k, Nonce: n, T: t}); err != nil || emit == nil {
				return err
			}
			return emit([]any{k, n, t})
		})
	})
	if err != nil {
		return 0, err
	}
	out["replay_nonces"] = h.digest("replay_nonces")

	h = newRowHash()
	err = copyTo("audit", []string{"seq", "at", "user_id", "action", "request_id", "doc"}, func(emit func([]any) error) error {
		return snap.Audit(func(e city.AuditEntry) error {
			if err := h.add(auditRow(e)); err != nil || emit == nil {
				return err
			}
			seq := int64(e.Seq)
			e.At, e.Seq = ts(e.At), 0
			doc, err := docOf(e)
			if err != nil {
				return err
			}
			return emit([]any{seq, e.At, e.UserID, e.Action, e.RequestID, doc})
		})
	})
	if err != nil {
		return 0, err
	}
	out["audit"] = h.digest("audit")

	h = newRowHash()
	err = copyTo("heartbeat_history", []string{"kiosk_id", "hour", "received_at", "heartbeat"}, func(emit func([]any) error) error {
		for _, k := range kiosks {
			err := snap.HeartbeatHistory(k, func(hs city.HeartbeatSample) error {
				if err := h.add(heartbeatRow(k, hs)); err != nil || emit == nil {
					return err
				}
				doc, err := docOf(hs.Heartbeat)
				if err != nil {
					return err
				}
				return emit([]any{k, hs.Hour.UTC(), ts(hs.ReceivedAt), doc})
			})
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	out["heartbeat_history"] = h.digest("heartbeat_history")

	h = newRowHash()
	err = copyTo("satisfaction", []string{"commune", "day", "kiosk_id", "very_satisfied", "satisfied", "neutral", "not_satisfied"}, func(emit func([]any) error) error {
		return snap.Satisfaction(func(commune, day, kioskID string, n [4]int) error {
			if err := h.add(satisfactionRow{Commune: commune, Day: day, KioskID: kioskID, Counts: n}); err != nil || emit == nil {
				return err
			}
			return emit([]any{commune, day, kioskID, n[0], n[1], n[2], n[3]})
		})
	})
	if err != nil {
		return 0, err
	}
	out["satisfaction"] = h.digest("satisfaction")

	return maxRef, nil
}

func nullTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	u := ts(t)
	return &u
}
