package citypg

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"communekiosk/city"
	"communekiosk/sync/syncproto"
)

var _ city.SatisfactionStore = (*Store)(nil)

// PutSatisfaction implements city.SatisfactionStore: each day's row of the
// kiosk is replaced, in one transaction.
func (s *Store) PutSatisfaction(ctx context.Context, kioskID, commune string, days []syncproto.SatisfactionDay) error {
	if len(days) == 0 {
		return nil
	}
	var b pgx.Batch
	for _, d := range days {
		b.Queue(`INSERT INTO satisfaction (commune, day, kiosk_id, very_satisfied, satisfied, neutral, not_satisfied)
			VALUES ($1, $2, $3, $4, $5, $6, $7)
			ON CONFLICT (commune, day, kiosk_id) DO UPDATE SET very_satisfied = EXCLUDED.very_satisfied,
				satisfied = EXCLUDED.satisfied, neutral = EXCLUDED.neutral, not_satisfied = EXCLUDED.not_satisfied`,
			commune, d.Day, kioskID, max(d.VerySatisfied, 0), max(d.Satisfied, 0), max(d.Neutral, 0), max(d.NotSatisfied, 0))
	}
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		return tx.SendBatch(ctx, &b).Close()
	})
	if err != nil {
		return fmt.Errorf("citypg: satisfaction of %s: %w", kioskID, err)
	}
	return nil
}

// Satisfaction implements city.SatisfactionStore: every commune of the
// scope has an entry, zeros included; the query reads only the scope.
func (s *Store) Satisfaction(ctx context.Context, sc city.Scope, fromDay, toDay string) (map[string]city.SatisfactionFigures, error) {
	communes := sc.Offices("")
	out := make(map[string]city.SatisfactionFigures, len(communes))
	if len(communes) == 0 {
		return out, nil
	}
	for _, c := range communes {
		out[c] = city.SatisfactionFigures{}
	}
	rows, err := s.pool.Query(ctx, `SELECT commune, sum(very_satisfied), sum(satisfied), sum(neutral), sum(not_satisfied)
		FROM satisfaction WHERE commune = ANY($1) AND day >= $2 AND day < $3 GROUP BY commune`, communes, fromDay, toDay)
	if err != nil {
		return nil, fmt.Errorf("citypg: satisfaction: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var commune string
		var d syncproto.SatisfactionDay
		if err := rows.Scan(&commune, &d.VerySatisfied, &d.Satisfied, &d.Neutral, &d.NotSatisfied); err != nil {
			return nil, fmt.Errorf("citypg: satisfaction: %w", err)
		}
		f := out[commune]
		f.Add(d)
		out[commune] = f
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("citypg: satisfaction: %w", err)
	}
	return out, nil
}
