package citypg

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"communekiosk/city"
)

// AppendAudit implements city.AuditStore. The table refuses UPDATE and
// DELETE (a trigger): the log is append-only in the database too.
func (s *Store) AppendAudit(ctx context.Context, e city.AuditEntry) (city.AuditEntry, error) {
	e, err := appendAudit(ctx, s.pool, e)
	if err != nil {
		return city.AuditEntry{}, fmt.Errorf("citypg: append audit: %w", err)
	}
	return e, nil
}

func appendAudit(ctx context.Context, q querier, e city.AuditEntry) (city.AuditEntry, error) {
	e.At = ts(e.At)
	e.Seq = 0
	doc, err := docOf(e)
	if err != nil {
		return e, err
	}
	var seq int64
	err = q.QueryRow(ctx, `INSERT INTO audit (at, user_id, action, request_id, doc) VALUES ($1, $2, $3, $4, $5) RETURNING seq`,
		e.At, e.UserID, e.Action, e.RequestID, doc).Scan(&seq)
	e.Seq = uint64(seq)
	return e, err
}

// Audit implements city.AuditStore, newest first.
func (s *Store) Audit(ctx context.Context, f city.AuditFilter) ([]city.AuditEntry, error) {
	if f.Limit <= 0 {
		f.Limit = 100
	}
	var from, to *time.Time
	if !f.From.IsZero() {
		from = &f.From
	}
	if !f.To.IsZero() {
		to = &f.To
	}
	rows, err := s.pool.Query(ctx, `SELECT seq, doc FROM audit
		WHERE ($1 = '' OR user_id = $1) AND ($2 = '' OR request_id = $2) AND ($3 = '' OR action = $3)
			AND ($4::timestamptz IS NULL OR at >= $4) AND ($5::timestamptz IS NULL OR at < $5) AND ($6 = 0 OR seq < $6)
		ORDER BY seq DESC LIMIT $7`, f.UserID, f.RequestID, f.Action, from, to, int64(f.Before), f.Limit)
	if err != nil {
		return nil, fmt.Errorf("citypg: audit: %w", err)
	}
	defer rows.Close()
	out := []city.AuditEntry{}
	for rows.Next() {
		var seq int64
		var e city.AuditEntry
		if err := rows.Scan(&seq, &e); err != nil {
			return nil, fmt.Errorf("citypg: audit: %w", err)
		}
		e.Seq = uint64(seq)
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("citypg: audit: %w", err)
	}
	return out, nil
}

// CalendarDays implements city.CalendarStore.
func (s *Store) CalendarDays(ctx context.Context) ([]city.CalendarDay, error) {
	rows, err := s.pool.Query(ctx, `SELECT date, kind, note FROM calendar ORDER BY date`)
	if err != nil {
		return nil, fmt.Errorf("citypg: calendar: %w", err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowToStructByPos[city.CalendarDay])
	if err != nil {
		return nil, fmt.Errorf("citypg: calendar: %w", err)
	}
	if out == nil {
		out = []city.CalendarDay{}
	}
	return out, nil
}

// PutCalendarDay implements city.CalendarStore.
func (s *Store) PutCalendarDay(ctx context.Context, d city.CalendarDay) error {
	_, err := s.pool.Exec(ctx, `INSERT INTO calendar (date, kind, note) VALUES ($1, $2, $3)
		ON CONFLICT (date) DO UPDATE SET kind = EXCLUDED.kind, note = EXCLUDED.note`, d.Date, d.Kind, d.Note)
	if err != nil {
		return fmt.Errorf("citypg: put calendar day %s: %w", d.Date, err)
	}
	return nil
}

// DeleteCalendarDay implements city.CalendarStore.
func (s *Store) DeleteCalendarDay(ctx context.Context, date string) error {
	if _, err := s.pool.Exec(ctx, `DELETE FROM calendar WHERE date = $1`, date); err != nil {
		return fmt.Errorf("citypg: delete calendar day %s: %w", date, err)
	}
	return nil
}
