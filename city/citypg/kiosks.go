package citypg

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"communekiosk/city"
	"communekiosk/sync/syncproto"
)

// CreateEnrolCode implements city.EnrolStore.
func (s *Store) CreateEnrolCode(ctx context.Context, c city.EnrolCode) error {
	var exp *time.Time
	if !c.ExpiresAt.IsZero() {
		e := ts(c.ExpiresAt)
		exp = &e
	}
	_, err := s.pool.Exec(ctx, `INSERT INTO enrol_codes (hash, auth_key, commune, commune_name, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (hash) DO UPDATE SET auth_key = EXCLUDED.auth_key, commune = EXCLUDED.commune, commune_name = EXCLUDED.commune_name, created_at = EXCLUDED.created_at, expires_at = EXCLUDED.expires_at`,
		c.Hash, c.AuthKey, c.Commune, c.CommuneName, ts(c.CreatedAt), exp)
	if err != nil {
		return fmt.Errorf("citypg: create enrol code: %w", err)
	}
	return nil
}

// EnrolCode implements city.EnrolStore.
func (s *Store) EnrolCode(ctx context.Context, codeHash string, now time.Time) (city.EnrolCode, error) {
	c := city.EnrolCode{Hash: codeHash}
	var exp *time.Time
	err := s.pool.QueryRow(ctx, `SELECT auth_key, commune, commune_name, created_at, expires_at FROM enrol_codes WHERE hash = $1`, codeHash).
		Scan(&c.AuthKey, &c.Commune, &c.CommuneName, &c.CreatedAt, &exp)
	if errors.Is(err, pgx.ErrNoRows) {
		return city.EnrolCode{}, fmt.Errorf("citypg: enrol code: %w", city.ErrCodeInvalid)
	}
	if err != nil {
		return city.EnrolCode{}, fmt.Errorf("citypg: enrol code: %w", err)
	}
	c.CreatedAt, c.ExpiresAt = c.CreatedAt.UTC(), optTime(exp).UTC()
	if exp != nil && now.After(*exp) {
		return city.EnrolCode{}, fmt.Errorf("citypg: enrol code: %w", city.ErrCodeInvalid)
	}
	return c, nil
}

// RedeemEnrolCode implements city.EnrolStore. The code's row is deleted
// in the transaction that registers the kiosk: of two kiosks redeeming
// at once, the second waits for the first's commit, then finds no row.
func (s *Store) RedeemEnrolCode(ctx context.Context, codeHash string, key ed25519.PublicKey, appVersion string, now time.Time) (city.Kiosk, error) {
	var k city.Kiosk
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var commune, name string
		var exp *time.Time
		err := tx.QueryRow(ctx, `DELETE FROM enrol_codes WHERE hash = $1 RETURNING commune, commune_name, expires_at`, codeHash).Scan(&commune, &name, &exp)
		if errors.Is(err, pgx.ErrNoRows) {
			return city.ErrCodeInvalid
		}
		if err != nil {
			return err
		}
		if exp != nil && now.After(*exp) {
			return city.ErrCodeInvalid // rolled back: the row stays, still expired
		}
		k, err = register(ctx, tx, commune, name, key, appVersion, now)
		return err
	})
	if err != nil {
		return city.Kiosk{}, fmt.Errorf("citypg: redeem enrol code: %w", err)
	}
	return k, nil
}

// RegisterKiosk implements city.EnrolStore.
func (s *Store) RegisterKiosk(ctx context.Context, commune, communeName string, key ed25519.PublicKey, now time.Time) (city.Kiosk, error) {
	var k city.Kiosk
	err := s.inTx(ctx, func(tx pgx.Tx) (err error) {
		k, err = register(ctx, tx, commune, communeName, key, "", now)
		return err
	})
	if err != nil {
		return city.Kiosk{}, fmt.Errorf("citypg: register kiosk: %w", err)
	}
	return k, nil
}

func register(ctx context.Context, tx pgx.Tx, commune, communeName string, key ed25519.PublicKey, appVersion string, now time.Time) (city.Kiosk, error) {
	var n int64
	if err := tx.QueryRow(ctx, `SELECT nextval('kiosk_number')`).Scan(&n); err != nil {
		return city.Kiosk{}, err
	}
	k := city.Kiosk{ID: fmt.Sprintf("K%04d", n), Number: uint32(n), Commune: commune, CommuneName: communeName,
		PublicKey: key, AppVersion: appVersion, EnrolledAt: ts(now)}
	_, err := tx.Exec(ctx, `INSERT INTO kiosks (id, number, commune, commune_name, public_key, app_version, enrolled_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		k.ID, n, k.Commune, k.CommuneName, []byte(key), k.AppVersion, k.EnrolledAt)
	return k, err
}

const kioskSelect = `SELECT k.id, k.number, k.commune, k.commune_name, k.public_key, k.app_version, k.enrolled_at, k.revoked_at,
	h.heartbeat, h.at, coalesce(h.app_version, '')
	FROM kiosks k LEFT JOIN kiosk_heartbeats h ON h.kiosk_id = k.id`

func scanKiosk(row pgx.Row) (city.Kiosk, error) {
	var k city.Kiosk
	var number int64
	var key []byte
	var revoked, hbAt *time.Time
	var hb []byte
	var hbVersion string
	if err := row.Scan(&k.ID, &number, &k.Commune, &k.CommuneName, &key, &k.AppVersion, &k.EnrolledAt, &revoked, &hb, &hbAt, &hbVersion); err != nil {
		return city.Kiosk{}, err
	}
	k.Number, k.PublicKey, k.EnrolledAt = uint32(number), ed25519.PublicKey(key), k.EnrolledAt.UTC()
	if revoked != nil {
		k.Revoked, k.RevokedAt = true, revoked.UTC()
	}
	if hb != nil {
		var h syncproto.Heartbeat
		if err := json.Unmarshal(hb, &h); err != nil {
			return city.Kiosk{}, fmt.Errorf("heartbeat of %s: %w", k.ID, err)
		}
		k.LastHeartbeat, k.LastHeartbeatAt = &h, optTime(hbAt)
	}
	if hbVersion != "" {
		k.AppVersion = hbVersion
	}
	return k, nil
}

// Kiosk implements city.KioskStore.
func (s *Store) Kiosk(ctx context.Context, id string) (city.Kiosk, error) {
	k, err := scanKiosk(s.pool.QueryRow(ctx, kioskSelect+` WHERE k.id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		err = city.ErrNotFound
	}
	if err != nil {
		return city.Kiosk{}, fmt.Errorf("citypg: kiosk %s: %w", id, err)
	}
	return k, nil
}

// Kiosks implements city.KioskStore.
func (s *Store) Kiosks(ctx context.Context) ([]city.Kiosk, error) {
	rows, err := s.pool.Query(ctx, kioskSelect+` ORDER BY k.number`)
	if err != nil {
		return nil, fmt.Errorf("citypg: kiosks: %w", err)
	}
	defer rows.Close()
	out := []city.Kiosk{}
	for rows.Next() {
		k, err := scanKiosk(rows)
		if err != nil {
			return nil, fmt.Errorf("citypg: kiosks: %w", err)
		}
		out = append(out, k)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("citypg: kiosks: %w", err)
	}
	return out, nil
}

// Revoke implements city.KioskStore. Revoking twice keeps the first time.
func (s *Store) Revoke(ctx context.Context, id string, now time.Time) error {
	tag, err := s.pool.Exec(ctx, `UPDATE kiosks SET revoked_at = coalesce(revoked_at, $2) WHERE id = $1`, id, ts(now))
	if err == nil && tag.RowsAffected() == 0 {
		err = city.ErrNotFound
	}
	if err != nil {
		return fmt.Errorf("citypg: revoke %s: %w", id, err)
	}
	return nil
}

// RecordHeartbeat implements city.KioskStore. Heartbeats have their own
// table: they never wait for a lock on the kiosk's row.
func (s *Store) RecordHeartbeat(ctx context.Context, id string, hb syncproto.Heartbeat, now time.Time) error {
	data, err := json.Marshal(hb)
	if err != nil {
		return fmt.Errorf("citypg: heartbeat of %s: %w", id, err)
	}
	_, err = s.pool.Exec(ctx, `INSERT INTO kiosk_heartbeats (kiosk_id, heartbeat, at, app_version) VALUES ($1, $2, $3, $4)
		ON CONFLICT (kiosk_id) DO UPDATE SET heartbeat = EXCLUDED.heartbeat, at = EXCLUDED.at,
			app_version = CASE WHEN EXCLUDED.app_version <> '' THEN EXCLUDED.app_version ELSE kiosk_heartbeats.app_version END`,
		id, string(data), ts(now), hb.AppVersion)
	if isCode(err, codeForeignKey) {
		err = city.ErrNotFound
	}
	if err != nil {
		return fmt.Errorf("citypg: heartbeat of %s: %w", id, err)
	}
	return nil
}
