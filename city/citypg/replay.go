package citypg

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"communekiosk/sync/syncproto"
)

// Fresh implements city.ReplayStore, in the database: every cityd on it
// shares one set of nonces. It is one statement (one round trip, one
// commit), which every signed call makes:
//
//   - the kiosk's newest time becomes max(newest, kioskTime), locking its
//     row, so one kiosk's checks run one at a time on whichever instance;
//   - kioskTime is too old when it is more than window behind that
//     maximum, which is the same as behind the newest before (a time that
//     old never raises the maximum);
//   - otherwise the nonce is inserted unless present (a nonce a concurrent
//     call is inserting is waited for, then seen), and nonces older than
//     the window are forgotten.
func (s *Store) Fresh(ctx context.Context, kioskID, nonce string, kioskTime time.Time, window time.Duration) error {
	t := max(kioskTime.UnixNano(), 0) // a clock before 1970 counts as 1970
	var newest int64
	var fresh bool
	err := s.pool.QueryRow(ctx, `WITH n AS (
			INSERT INTO replay_newest AS r (kiosk_id, newest) VALUES ($1, $2)
			ON CONFLICT (kiosk_id) DO UPDATE SET newest = greatest(r.newest, EXCLUDED.newest)
			RETURNING newest
		), ins AS (
			INSERT INTO replay_nonces (kiosk_id, nonce, t)
			SELECT $1, $3, $2 FROM n WHERE $2 >= n.newest - $4
			ON CONFLICT DO NOTHING
			RETURNING 1
		), forget AS (
			DELETE FROM replay_nonces WHERE kiosk_id = $1 AND t < (SELECT newest FROM n) - $4 AND EXISTS (SELECT 1 FROM ins)
		)
		SELECT newest, EXISTS (SELECT 1 FROM ins) FROM n`, kioskID, t, nonce, int64(window)).Scan(&newest, &fresh)
	switch {
	case err != nil:
		return fmt.Errorf("citypg: fresh %s: %w", kioskID, err)
	case t < newest-int64(window):
		return fmt.Errorf("citypg: fresh %s: %w: kiosk time %s is more than %s behind the newest this kiosk signed (%s): fix the kiosk's clock, or have an operator reset its clock state",
			kioskID, syncproto.ErrReplay, kioskTime.UTC().Format(time.RFC3339), window, time.Unix(0, newest).UTC().Format(time.RFC3339))
	case !fresh:
		return fmt.Errorf("citypg: fresh %s: %w: nonce seen", kioskID, syncproto.ErrReplay)
	}
	return nil
}

// ResetReplay implements city.ReplayStore.
func (s *Store) ResetReplay(ctx context.Context, kioskID string) error {
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		b := &pgx.Batch{}
		b.Queue(`DELETE FROM replay_newest WHERE kiosk_id = $1`, kioskID)
		b.Queue(`DELETE FROM replay_nonces WHERE kiosk_id = $1`, kioskID)
		return tx.SendBatch(ctx, b).Close()
	})
	if err != nil {
		return fmt.Errorf("citypg: reset replay state of %s: %w", kioskID, err)
	}
	return nil
}
