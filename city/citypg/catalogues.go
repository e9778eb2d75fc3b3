package citypg

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"communekiosk/city"
	"communekiosk/sync/syncproto"
)

var (
	_ city.CatalogueStore        = (*Store)(nil)
	_ city.HeartbeatHistoryStore = (*Store)(nil)
	_ city.OfficeStore           = (*Store)(nil)
)

// PublishCatalogue implements city.CatalogueStore.
func (s *Store) PublishCatalogue(ctx context.Context, c city.PublishedCatalogue) error {
	doc := c.Document
	if doc == nil {
		doc = []byte{}
	}
	_, err := s.pool.Exec(ctx, `INSERT INTO catalogues (version, notice_version, sha256, published_at, published_by, document) VALUES ($1, $2, $3, $4, $5, $6)`,
		c.Version, c.NoticeVersion, c.SHA256, ts(c.PublishedAt), c.PublishedBy, doc)
	if isCode(err, codeUnique) {
		err = city.ErrCatalogueExists
	}
	if err != nil {
		return fmt.Errorf("citypg: publish catalogue %s: %w", c.Version, err)
	}
	return nil
}

// Catalogues implements city.CatalogueStore, in publication order.
func (s *Store) Catalogues(ctx context.Context) ([]city.PublishedCatalogue, error) {
	rows, err := s.pool.Query(ctx, `SELECT version, notice_version, sha256, published_at, published_by FROM catalogues ORDER BY n`)
	if err != nil {
		return nil, fmt.Errorf("citypg: catalogues: %w", err)
	}
	defer rows.Close()
	out := []city.PublishedCatalogue{}
	for rows.Next() {
		var c city.PublishedCatalogue
		if err := rows.Scan(&c.Version, &c.NoticeVersion, &c.SHA256, &c.PublishedAt, &c.PublishedBy); err != nil {
			return nil, fmt.Errorf("citypg: catalogues: %w", err)
		}
		c.PublishedAt = c.PublishedAt.UTC()
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("citypg: catalogues: %w", err)
	}
	return out, nil
}

// Catalogue implements city.CatalogueStore.
func (s *Store) Catalogue(ctx context.Context, version string) (city.PublishedCatalogue, error) {
	c := city.PublishedCatalogue{Version: version}
	err := s.pool.QueryRow(ctx, `SELECT notice_version, sha256, published_at, published_by, document FROM catalogues WHERE version = $1`, version).
		Scan(&c.NoticeVersion, &c.SHA256, &c.PublishedAt, &c.PublishedBy, &c.Document)
	if err != nil {
		return city.PublishedCatalogue{}, fmt.Errorf("citypg: catalogue %s: %w", version, notFound(err))
	}
	c.PublishedAt = c.PublishedAt.UTC()
	return c, nil
}

// KeepHeartbeat implements city.HeartbeatHistoryStore.
func (s *Store) KeepHeartbeat(ctx context.Context, kioskID string, hb syncproto.Heartbeat, now time.Time, keep time.Duration) error {
	doc, err := docOf(hb)
	if err != nil {
		return fmt.Errorf("citypg: keep heartbeat of %s: %w", kioskID, err)
	}
	hour := now.UTC().Truncate(time.Hour)
	b := &pgx.Batch{}
	b.Queue(`INSERT INTO heartbeat_history (kiosk_id, hour, received_at, heartbeat) VALUES ($1, $2, $3, $4)
		ON CONFLICT (kiosk_id, hour) DO UPDATE SET received_at = EXCLUDED.received_at, heartbeat = EXCLUDED.heartbeat`, kioskID, hour, ts(now), doc)
	b.Queue(`DELETE FROM heartbeat_history WHERE kiosk_id = $1 AND hour < $2`, kioskID, now.UTC().Add(-keep).Truncate(time.Hour))
	if err := s.pool.SendBatch(ctx, b).Close(); err != nil {
		return fmt.Errorf("citypg: keep heartbeat of %s: %w", kioskID, err)
	}
	return nil
}

// HeartbeatHistory implements city.HeartbeatHistoryStore, oldest first.
func (s *Store) HeartbeatHistory(ctx context.Context, kioskID string, since time.Time) ([]city.HeartbeatSample, error) {
	rows, err := s.pool.Query(ctx, `SELECT hour, received_at, heartbeat FROM heartbeat_history WHERE kiosk_id = $1 AND hour >= $2 ORDER BY hour`, kioskID, since.UTC())
	if err != nil {
		return nil, fmt.Errorf("citypg: heartbeat history of %s: %w", kioskID, err)
	}
	defer rows.Close()
	out := []city.HeartbeatSample{}
	for rows.Next() {
		var h city.HeartbeatSample
		if err := rows.Scan(&h.Hour, &h.ReceivedAt, &h.Heartbeat); err != nil {
			return nil, fmt.Errorf("citypg: heartbeat history of %s: %w", kioskID, err)
		}
		h.Hour, h.ReceivedAt = h.Hour.UTC(), h.ReceivedAt.UTC()
		out = append(out, h)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("citypg: heartbeat history of %s: %w", kioskID, err)
	}
	return out, nil
}
