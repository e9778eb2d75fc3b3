package citypg

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/jackc/pgx/v5"

	"communekiosk/city"
	"communekiosk/sync/syncproto"
)

// digests reads the whole database back, in one repeatable-read
// transaction, and gives each table's digest as a source's are taken: the
// small tables whole, the big ones streamed in their canonical order
// (ORDER BY the source's key, bytewise: COLLATE "C"), so memory is bounded
// by a row, not by the database. pgx reads a result as it is iterated.
func (s *Store) digests(ctx context.Context) ([]TableDigest, error) {
	out := digests{}
	err := pgx.BeginTxFunc(ctx, s.pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		d, err := readSmallBack(ctx, tx)
		if err != nil {
			return err
		}
		d.digest(out)
		return digestBig(ctx, tx, out)
	})
	if err != nil {
		return nil, fmt.Errorf("citypg: read the copy back: %w", err)
	}
	return out.list(), nil
}

// readSmallBack reads the small tables whole.
func readSmallBack(ctx context.Context, tx pgx.Tx) (small, error) {
	d := small{FeedHeads: map[string]uint64{}, Newest: map[string]int64{}}
	if err := tx.QueryRow(ctx, `SELECT value FROM meta WHERE key = 'epoch'`).Scan(&d.Epoch); err != nil {
		return small{}, err
	}
	err := eachRow(ctx, tx, `SELECT hash, auth_key, commune, commune_name, created_at, expires_at FROM enrol_codes`, nil, func(rows pgx.Rows) error {
		var c city.EnrolCode
		var exp *time.Time
		if err := rows.Scan(&c.Hash, &c.AuthKey, &c.Commune, &c.CommuneName, &c.CreatedAt, &exp); err != nil {
			return err
		}
		c.CreatedAt, c.ExpiresAt = c.CreatedAt.UTC(), optTime(exp)
		d.Codes = append(d.Codes, c)
		return nil
	})
	if err != nil {
		return small{}, err
	}
	err = eachRow(ctx, tx, kioskSelect+` ORDER BY k.id COLLATE "C"`, nil, func(rows pgx.Rows) error {
		k, err := scanKiosk(rows)
		d.Kiosks = append(d.Kiosks, k)
		return err
	})
	if err != nil {
		return small{}, err
	}
	err = eachRow(ctx, tx, `SELECT id, feed_seq FROM kiosks`, nil, func(rows pgx.Rows) error {
		var id string
		var head int64
		err := rows.Scan(&id, &head)
		d.FeedHeads[id] = uint64(head)
		return err
	})
	if err != nil {
		return small{}, err
	}
	err = eachRow(ctx, tx, `SELECT kiosk_id, newest FROM replay_newest`, nil, func(rows pgx.Rows) error {
		var k string
		var t int64
		err := rows.Scan(&k, &t)
		d.Newest[k] = t
		return err
	})
	if err != nil {
		return small{}, err
	}
	if d.Users, err = queryDocs[city.User](ctx, tx, `SELECT doc FROM users ORDER BY name`); err != nil {
		return small{}, err
	}
	if d.Sessions, err = queryDocs[city.Session](ctx, tx, `SELECT doc FROM sessions ORDER BY user_id, created_at, hash`); err != nil {
		return small{}, err
	}
	if d.Tokens, err = queryDocs[city.APIToken](ctx, tx, `SELECT doc FROM api_tokens ORDER BY user_id, created_at, id`); err != nil {
		return small{}, err
	}
	rows, err := tx.Query(ctx, `SELECT date, kind, note FROM calendar ORDER BY date`)
	if err != nil {
		return small{}, err
	}
	if d.Calendar, err = pgx.CollectRows(rows, pgx.RowToStructByPos[city.CalendarDay]); err != nil {
		return small{}, err
	}
	err = eachRow(ctx, tx, `SELECT version, notice_version, sha256, published_at, published_by, document FROM catalogues ORDER BY n`, nil, func(rows pgx.Rows) error {
		var c city.PublishedCatalogue
		if err := rows.Scan(&c.Version, &c.NoticeVersion, &c.SHA256, &c.PublishedAt, &c.PublishedBy, &c.Document); err != nil {
			return err
		}
		c.PublishedAt = c.PublishedAt.UTC()
		d.Catalogues = append(d.Catalogues, c)
		return nil
	})
	if err != nil {
		return small{}, err
	}
	return d, nil
}

// digestBig streams the big tables back in their canonical order. The
// per-kiosk tables are read kiosk by kiosk (each an index range, no sort),
// kiosks in bytewise order.
func digestBig(ctx context.Context, tx pgx.Tx, out digests) error {
	h := newRowHash()
	err := eachRow(ctx, tx, `SELECT doc, sha256(sealed) FROM requests ORDER BY request_id COLLATE "C"`, nil, func(rows pgx.Rows) error {
		var sum []byte
		r, err := scanRequest(rows, &sum)
		if err != nil {
			return err
		}
		return h.add(requestRow(r, sum))
	})
	if err != nil {
		return err
	}
	out["requests"] = h.digest("requests")

	h = newRowHash()
	kiosks, err := distinctKiosks(ctx, tx, "feed")
	if err != nil {
		return err
	}
	for _, k := range kiosks {
		err := eachRow(ctx, tx, `SELECT seq, request_id, code, status, note, changed_at FROM feed WHERE kiosk_id = $1 ORDER BY seq`, []any{k}, func(rows pgx.Rows) error {
			var status string
			var seq int64
			var c syncproto.StatusChange
			if err := rows.Scan(&seq, &c.RequestID, &c.Code, &status, &c.Note, &c.ChangedAt); err != nil {
				return err
			}
			c.Seq, c.Status = uint64(seq), syncproto.Status(status)
			return h.add(newFeedRow(k, c))
		})
		if err != nil {
			return err
		}
	}
	out["feed"] = h.digest("feed")

	h = newRowHash()
	err = eachRow(ctx, tx, `SELECT kiosk_id, nonce, t FROM replay_nonces ORDER BY kiosk_id COLLATE "C", t, nonce COLLATE "C"`, nil, func(rows pgx.Rows) error {
		var n nonceRow
		if err := rows.Scan(&n.KioskID, &n.Nonce, &n.T); err != nil {
			return err
		}
		return h.add(n)
	})
	if err != nil {
		return err
	}
	out["replay_nonces"] = h.digest("replay_nonces")

	h = newRowHash()
	err = eachRow(ctx, tx, `SELECT seq, doc FROM audit ORDER BY seq`, nil, func(rows pgx.Rows) error {
		var seq int64
		var e city.AuditEntry
		if err := rows.Scan(&seq, &e); err != nil {
			return err
		}
		e.Seq = uint64(seq)
		return h.add(auditRow(e))
	})
	if err != nil {
		return err
	}
	out["audit"] = h.digest("audit")

	h = newRowHash()
	if kiosks, err = distinctKiosks(ctx, tx, "heartbeat_history"); err != nil {
		return err
	}
	for _, k := range kiosks {
		err := eachRow(ctx, tx, `SELECT hour, received_at, heartbeat FROM heartbeat_history WHERE kiosk_id = $1 ORDER BY hour`, []any{k}, func(rows pgx.Rows) error {
			var hs city.HeartbeatSample
			if err := rows.Scan(&hs.Hour, &hs.ReceivedAt, &hs.Heartbeat); err != nil {
				return err
			}
			return h.add(heartbeatRow(k, hs))
		})
		if err != nil {
			return err
		}
	}
	out["heartbeat_history"] = h.digest("heartbeat_history")

	h = newRowHash()
	err = eachRow(ctx, tx, `SELECT commune, day, kiosk_id, very_satisfied, satisfied, neutral, not_satisfied FROM satisfaction
		ORDER BY commune COLLATE "C", day COLLATE "C", kiosk_id COLLATE "C"`, nil, func(rows pgx.Rows) error {
		var r satisfactionRow
		if err := rows.Scan(&r.Commune, &r.Day, &r.KioskID, &r.Counts[0], &r.Counts[1], &r.Counts[2], &r.Counts[3]); err != nil {
			return err
		}
		return h.add(r)
	})
	if err != nil {
		return err
	}
	out["satisfaction"] = h.digest("satisfaction")
	return nil
}

// distinctKiosks is the kiosks that have rows in table, in bytewise order.
func distinctKiosks(ctx context.Context, tx pgx.Tx, table string) ([]string, error) {
	var ids []string
	err := eachRow(ctx, tx, `SELECT DISTINCT kiosk_id FROM `+pgx.Identifier{table}.Sanitize(), nil, func(rows pgx.Rows) error {
		var id string
		err := rows.Scan(&id)
		ids = append(ids, id)
		return err
	})
	sort.Strings(ids)
	return ids, err
}

// eachRow calls fn with each row of a query as it arrives.
func eachRow(ctx context.Context, tx pgx.Tx, sql string, args []any, fn func(pgx.Rows) error) error {
	rows, err := tx.Query(ctx, sql, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}
