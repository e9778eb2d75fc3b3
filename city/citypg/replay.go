package citypg

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"communekiosk/sync/syncproto"
)

// Fresh implements city.ReplayStore, in the database: every cityd on it
// shares one set of nonces. The kiosk's replay_newest row is locked for
// the transaction, so one kiosk's checks run one at a time, on whichever
// instance they arrive.
func (s *Store) Fresh(ctx context.Context, kioskID, nonce string, kioskTime time.Time, window time.Duration) error {
	t := max(kioskTime.UnixNano(), 0) // a clock before 1970 counts as 1970
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO replay_newest (kiosk_id, newest) VALUES ($1, 0) ON CONFLICT (kiosk_id) DO NOTHING`, kioskID); err != nil {
			return err
		}
		var newest int64
		if err := tx.QueryRow(ctx, `SELECT newest FROM replay_newest WHERE kiosk_id = $1 FOR UPDATE`, kioskID).Scan(&newest); err != nil {
			return err
		}
		if newest != 0 && t < newest-int64(window) {
			return fmt.Errorf("%w: kiosk time %s is more than %s behind the newest this kiosk signed (%s): fix the kiosk's clock, or have an operator reset its clock state",
				syncproto.ErrReplay, kioskTime.UTC().Format(time.RFC3339), window, time.Unix(0, newest).UTC().Format(time.RFC3339))
		}
		tag, err := tx.Exec(ctx, `INSERT INTO replay_nonces (kiosk_id, nonce, t) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, kioskID, nonce, t)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return fmt.Errorf("%w: nonce seen", syncproto.ErrReplay)
		}
		b := &pgx.Batch{}
		if t > newest {
			newest = t
			b.Queue(`UPDATE replay_newest SET newest = $2 WHERE kiosk_id = $1`, kioskID, newest)
		}
		b.Queue(`DELETE FROM replay_nonces WHERE kiosk_id = $1 AND t < $2`, kioskID, max(newest-int64(window), 0))
		return tx.SendBatch(ctx, b).Close()
	})
	if err != nil {
		return fmt.Errorf("citypg: fresh %s: %w", kioskID, err)
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
