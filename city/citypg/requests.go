package citypg

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"communekiosk/city"
	"communekiosk/sync/syncproto"
)

// A request's whole record is its doc (JSON, without the sealed
// payload); the other columns are what queries filter and sort on, kept
// equal to it by every write.

func scanRequest(row pgx.Row, extra ...any) (city.Request, error) {
	var doc []byte
	if err := row.Scan(append([]any{&doc}, extra...)...); err != nil {
		return city.Request{}, err
	}
	var r city.Request
	if err := json.Unmarshal(doc, &r); err != nil {
		return city.Request{}, fmt.Errorf("request record: %w", err)
	}
	return r, nil
}

// requestDoc is r as stored in doc, times in UTC to the microsecond.
func requestDoc(r city.Request) (string, error) {
	r.Sealed = nil
	r.CreatedAt, r.ReceivedAt, r.UpdatedAt = tsz(r.CreatedAt), tsz(r.ReceivedAt), tsz(r.UpdatedAt)
	r.AcceptedAt, r.DueAt, r.NewDueAt, r.ResultAt = tsz(r.AcceptedAt), tsz(r.DueAt), tsz(r.NewDueAt), tsz(r.ResultAt)
	b, err := json.Marshal(r)
	return string(b), err
}

// putRequest writes r's record and columns (not its identity, which
// never changes once stored).
func putRequest(ctx context.Context, tx pgx.Tx, r city.Request) error {
	doc, err := requestDoc(r)
	if err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `UPDATE requests SET doc = $2, status = $3, status_note = $4, updated_at = $5, delivery = $6, assignee = $7, due_at = $8
		WHERE request_id = $1`, r.RequestID, doc, string(r.Status), r.StatusNote, ts(r.UpdatedAt), r.Delivery, r.Assignee, nullTime(r.DueAt))
	return err
}

// Requests implements city.RequestStore, in city reference order; the
// list never carries the sealed payloads.
func (s *Store) Requests(ctx context.Context, f city.RequestFilter) ([]city.Request, error) {
	if f.Limit <= 0 || f.Limit > 1000 {
		f.Limit = 100
	}
	rows, err := s.pool.Query(ctx, `SELECT doc FROM requests
		WHERE ($1 = '' OR status = $1) AND ($2 = '' OR kiosk_id = $2) AND ($3 = '' OR commune = $3) AND city_ref > $4
		ORDER BY city_ref LIMIT $5`, string(f.Status), f.KioskID, f.Commune, f.After, f.Limit)
	if err != nil {
		return nil, fmt.Errorf("citypg: list requests: %w", err)
	}
	defer rows.Close()
	out := []city.Request{}
	for rows.Next() {
		r, err := scanRequest(rows)
		if err != nil {
			return nil, fmt.Errorf("citypg: list requests: %w", err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("citypg: list requests: %w", err)
	}
	return out, nil
}

// Request implements city.RequestStore, with the sealed payload.
func (s *Store) Request(ctx context.Context, id string) (city.Request, error) {
	var sealed []byte
	r, err := scanRequest(s.pool.QueryRow(ctx, `SELECT doc, sealed FROM requests WHERE request_id = $1`, id), &sealed)
	if errors.Is(err, pgx.ErrNoRows) {
		err = city.ErrNotFound
	}
	if err != nil {
		return city.Request{}, fmt.Errorf("citypg: request %s: %w", id, err)
	}
	r.Sealed = sealed
	return r, nil
}

// RequestByCode implements city.CodeLookupStore, through the index on
// upper(code) (migration 0003).
func (s *Store) RequestByCode(ctx context.Context, code string) (city.Request, error) {
	var sealed []byte
	r, err := scanRequest(s.pool.QueryRow(ctx, `SELECT doc, sealed FROM requests WHERE upper(code) = upper($1) LIMIT 1`, strings.TrimSpace(code)), &sealed)
	if errors.Is(err, pgx.ErrNoRows) {
		err = city.ErrNotFound
	}
	if err != nil {
		return city.Request{}, fmt.Errorf("citypg: request by code: %w", err)
	}
	r.Sealed = sealed
	return r, nil
}

// SetStatus implements city.RequestStore. The kiosk's row is locked
// first, as Ingest does, then the status is read again under that lock:
// of two operators moving one request at once, the second sees the
// first's status and may be refused.
func (s *Store) SetStatus(ctx context.Context, id string, status syncproto.Status, note string, now time.Time) (syncproto.StatusChange, error) {
	now = ts(now)
	var change syncproto.StatusChange
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var kioskID string
		err := tx.QueryRow(ctx, `SELECT kiosk_id FROM requests WHERE request_id = $1`, id).Scan(&kioskID)
		if errors.Is(err, pgx.ErrNoRows) {
			return city.ErrNotFound
		}
		if err != nil {
			return err
		}
		var feedSeq int64
		if err := tx.QueryRow(ctx, `SELECT feed_seq FROM kiosks WHERE id = $1 FOR NO KEY UPDATE`, kioskID).Scan(&feedSeq); err != nil {
			return err
		}
		r, err := scanRequest(tx.QueryRow(ctx, `SELECT doc FROM requests WHERE request_id = $1`, id))
		if err != nil {
			return err
		}
		if !city.CanMove(r.Status, status) {
			return fmt.Errorf("%w: %s → %s", city.ErrBadTransition, r.Status, status)
		}
		r.Status, r.StatusNote, r.UpdatedAt = status, note, now
		if err := putRequest(ctx, tx, r); err != nil {
			return err
		}
		feedSeq++
		change = syncproto.StatusChange{Seq: uint64(feedSeq), RequestID: id, Code: r.Code, Status: status, Note: note, ChangedAt: now}
		f := feedRows{kioskID: kioskID}
		f.add(feedSeq, id, r.Code, status, note, now)
		b := &pgx.Batch{}
		f.queue(b)
		b.Queue(`UPDATE kiosks SET feed_seq = $2 WHERE id = $1`, kioskID, feedSeq)
		return tx.SendBatch(ctx, b).Close()
	})
	if err != nil {
		return syncproto.StatusChange{}, fmt.Errorf("citypg: set status of %s: %w", id, err)
	}
	return change, nil
}

// Stats implements city.RequestStore, counted by the database.
func (s *Store) Stats(ctx context.Context) (city.Stats, error) {
	rows, err := s.pool.Query(ctx, `SELECT commune, service, status, count(*) FROM requests GROUP BY commune, service, status`)
	if err != nil {
		return city.Stats{}, fmt.Errorf("citypg: stats: %w", err)
	}
	defer rows.Close()
	st := city.NewStats()
	for rows.Next() {
		var commune, service, status string
		var n int
		if err := rows.Scan(&commune, &service, &status, &n); err != nil {
			return city.Stats{}, fmt.Errorf("citypg: stats: %w", err)
		}
		st.Total += n
		st.ByStatus[syncproto.Status(status)] += n
		st.ByCommune[commune] += n
		st.ByService[service] += n
		if st.Grid[commune] == nil {
			st.Grid[commune] = map[string]int{}
		}
		st.Grid[commune][service] += n
		switch syncproto.Status(status) {
		case syncproto.StatusDone:
			st.Successful += n
		case syncproto.StatusRejected:
			st.Rejected += n
		}
	}
	if err := rows.Err(); err != nil {
		return city.Stats{}, fmt.Errorf("citypg: stats: %w", err)
	}
	st.Finish()
	return st, nil
}
