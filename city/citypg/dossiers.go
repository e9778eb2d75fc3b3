package citypg

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"communekiosk/city"
)

func nullable(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

// dossierWhere is the filter as SQL and its arguments ($1…$12).
func dossierWhere(offs []string, f city.DossierFilter) (string, []any) {
	statuses := make([]string, len(f.Statuses))
	for i, s := range f.Statuses {
		statuses[i] = string(s)
	}
	open := make([]string, len(city.OpenStatuses))
	for i, s := range city.OpenStatuses {
		open[i] = string(s)
	}
	return `office = ANY($1) AND (cardinality($2::text[]) = 0 OR status = ANY($2)) AND ($3 = '' OR service = $3) AND ($4 = '' OR delivery = $4)
		AND ($5::timestamptz IS NULL OR received_at >= $5) AND ($6::timestamptz IS NULL OR received_at < $6)
		AND (($7::timestamptz IS NULL AND $8::timestamptz IS NULL)
			OR (status = ANY($9) AND due_at IS NOT NULL AND ($7::timestamptz IS NULL OR due_at >= $7) AND ($8::timestamptz IS NULL OR due_at < $8)))
		AND ($10 = '' OR assignee = $10) AND ($11 = '' OR upper(code) = $11 OR city_ref = $11)
		AND ($12 = '' OR doc->>'post_batch' = $12)`,
		[]any{offs, statuses, f.Service, f.Delivery, nullable(f.ReceivedFrom), nullable(f.ReceivedTo), nullable(f.DueFrom), nullable(f.DueTo),
			open, f.Assignee, strings.ToUpper(strings.TrimSpace(f.Query)), f.PostBatch}
}

// Dossiers implements city.DossierStore: the scope is in the query.
func (s *Store) Dossiers(ctx context.Context, sc city.Scope, f city.DossierFilter) ([]city.Request, error) {
	offs := sc.Offices(f.Office)
	if len(offs) == 0 {
		return []city.Request{}, nil
	}
	if f.Limit <= 0 {
		f.Limit = 50
	}
	f.Limit = min(f.Limit, 1000)
	where, args := dossierWhere(offs, f)
	args = append(args, f.After, f.Limit)
	rows, err := s.pool.Query(ctx, `SELECT doc FROM requests WHERE `+where+` AND city_ref > $13 ORDER BY city_ref LIMIT $14`, args...)
	if err != nil {
		return nil, fmt.Errorf("citypg: dossiers: %w", err)
	}
	defer rows.Close()
	out := []city.Request{}
	for rows.Next() {
		r, err := scanRequest(rows)
		if err != nil {
			return nil, fmt.Errorf("citypg: dossiers: %w", err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("citypg: dossiers: %w", err)
	}
	return out, nil
}

// CountDossiers implements city.DossierStore.
func (s *Store) CountDossiers(ctx context.Context, sc city.Scope, f city.DossierFilter) (int, error) {
	offs := sc.Offices(f.Office)
	if len(offs) == 0 {
		return 0, nil
	}
	where, args := dossierWhere(offs, f)
	var n int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM requests WHERE `+where, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("citypg: count dossiers: %w", err)
	}
	return n, nil
}

// Dossier implements city.DossierStore, with the sealed payload.
func (s *Store) Dossier(ctx context.Context, sc city.Scope, id string) (city.Request, error) {
	offs := sc.Offices("")
	var sealed []byte
	r, err := scanRequest(s.pool.QueryRow(ctx, `SELECT doc, sealed FROM requests WHERE request_id = $1 AND office = ANY($2)`, id, offs), &sealed)
	if err != nil {
		return city.Request{}, fmt.Errorf("citypg: dossier %s: %w", id, notFound(err))
	}
	r.Sealed = sealed
	return r, nil
}

// UpdateDossiers implements city.DossierStore in one transaction. The
// kiosks' rows are locked first, in order, as Ingest and SetStatus lock
// them: feeds stay gap-free and no two writers wait on each other in a
// circle.
func (s *Store) UpdateDossiers(ctx context.Context, sc city.Scope, changes []city.DossierChange, now time.Time) ([]city.Request, error) {
	now = ts(now)
	var out []city.Request
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		out = make([]city.Request, 0, len(changes))
		ids := make([]string, len(changes))
		for i, ch := range changes {
			ids[i] = ch.RequestID
		}
		var kiosks []string
		rows, err := tx.Query(ctx, `SELECT DISTINCT kiosk_id FROM requests WHERE request_id = ANY($1) AND office = ANY($2)`, ids, sc.Offices(""))
		if err != nil {
			return err
		}
		if kiosks, err = pgx.CollectRows(rows, pgx.RowTo[string]); err != nil {
			return err
		}
		sort.Strings(kiosks)
		heads := map[string]int64{}
		for _, k := range kiosks {
			var seq int64
			if err := tx.QueryRow(ctx, `SELECT feed_seq FROM kiosks WHERE id = $1 FOR NO KEY UPDATE`, k).Scan(&seq); err != nil {
				return err
			}
			heads[k] = seq
		}
		for _, ch := range changes {
			old, err := scanRequest(tx.QueryRow(ctx, `SELECT doc FROM requests WHERE request_id = $1`, ch.RequestID))
			if err != nil {
				return fmt.Errorf("%s: %w", ch.RequestID, notFound(err))
			}
			if _, locked := heads[old.KioskID]; !locked || !sc.Has(old.Office) {
				return fmt.Errorf("%s: %w", ch.RequestID, city.ErrNotFound)
			}
			r := old
			if ch.Apply != nil {
				if err := ch.Apply(&r); err != nil {
					return abort{fmt.Errorf("%s: %w", ch.RequestID, err)}
				}
			}
			// What identifies a dossier and where it came from never
			// changes here.
			r.RequestID, r.KioskID, r.Seq, r.Code, r.Service, r.Commune, r.CityRef, r.SHA256 =
				old.RequestID, old.KioskID, old.Seq, old.Code, old.Service, old.Commune, old.CityRef, old.SHA256
			r.CreatedAt, r.ReceivedAt, r.Office, r.Sealed = old.CreatedAt, old.ReceivedAt, old.Office, nil
			r.UpdatedAt = now
			if err := putRequest(ctx, tx, r); err != nil {
				return err
			}
			if r.Status != old.Status || r.StatusNote != old.StatusNote {
				heads[r.KioskID]++
				f := feedRows{kioskID: r.KioskID}
				f.add(heads[r.KioskID], r.RequestID, r.Code, r.Status, r.StatusNote, now)
				b := &pgx.Batch{}
				f.queue(b)
				b.Queue(`UPDATE kiosks SET feed_seq = $2 WHERE id = $1`, r.KioskID, heads[r.KioskID])
				if err := tx.SendBatch(ctx, b).Close(); err != nil {
					return err
				}
			}
			if e := ch.Audit; e.Action != "" {
				e.RequestID, e.Commune = r.RequestID, r.Office
				if e.At.IsZero() {
					e.At = now
				}
				if _, err := appendAudit(ctx, tx, e); err != nil {
					return err
				}
			}
			out = append(out, r)
		}
		return nil
	})
	if err != nil {
		if e, ok := unabort(err); ok {
			return nil, e
		}
		return nil, fmt.Errorf("citypg: update dossiers: %w", err)
	}
	return out, nil
}
