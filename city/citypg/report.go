package citypg

import (
	"context"
	"fmt"
	"time"

	"communekiosk/city"
)

var _ city.ReportStore = (*Store)(nil)

// UptakeRows implements city.ReportStore: the scope and the received
// bound are in the query; whether a dossier had finished before from is
// read from its record (city.RowOf), office by office.
func (s *Store) UptakeRows(ctx context.Context, sc city.Scope, from, to time.Time, add func(city.ReportRow)) error {
	offs := sc.Offices("")
	if len(offs) == 0 {
		return nil
	}
	rows, err := s.pool.Query(ctx, `SELECT doc FROM requests WHERE office = ANY($1) AND received_at < $2 ORDER BY office, city_ref`, offs, to)
	if err != nil {
		return fmt.Errorf("citypg: uptake rows: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		r, err := scanRequest(rows)
		if err != nil {
			return fmt.Errorf("citypg: uptake rows: %w", err)
		}
		row := city.RowOf(r)
		if !row.FinishedAt.IsZero() && row.FinishedAt.Before(from) {
			continue
		}
		add(row)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("citypg: uptake rows: %w", err)
	}
	return nil
}
