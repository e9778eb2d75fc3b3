package citypg

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"communekiosk/sync/syncproto"
)

// feedRows are changes to append to one kiosk's feed, with seqs taken
// from its counter under the row's lock.
type feedRows struct {
	kioskID                       string
	seq                           []int64
	requestID, code, status, note []string
	changedAt                     []time.Time
}

func (f *feedRows) add(seq int64, requestID, code string, status syncproto.Status, note string, at time.Time) {
	f.seq = append(f.seq, seq)
	f.requestID = append(f.requestID, requestID)
	f.code = append(f.code, code)
	f.status = append(f.status, string(status))
	f.note = append(f.note, note)
	f.changedAt = append(f.changedAt, ts(at))
}

func (f *feedRows) queue(b *pgx.Batch) {
	b.Queue(`INSERT INTO feed (kiosk_id, seq, request_id, code, status, note, changed_at)
		SELECT $1, * FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::timestamptz[])`,
		f.kioskID, f.seq, f.requestID, f.code, f.status, f.note, f.changedAt)
}

// Feed implements city.FeedStore. One statement, so the head and the
// changes come from one snapshot.
func (s *Store) Feed(ctx context.Context, kioskID string, after uint64, limit int) ([]syncproto.StatusChange, uint64, bool, error) {
	rows, err := s.pool.Query(ctx, `SELECT k.feed_seq, f.seq, f.request_id, f.code, f.status, f.note, f.changed_at
		FROM kiosks k LEFT JOIN LATERAL (
			SELECT * FROM feed WHERE feed.kiosk_id = k.id AND feed.seq > $2 ORDER BY feed.seq LIMIT $3
		) f ON true
		WHERE k.id = $1 ORDER BY f.seq`, kioskID, int64(after), limit+1)
	if err != nil {
		return nil, 0, false, fmt.Errorf("citypg: feed of %s: %w", kioskID, err)
	}
	defer rows.Close()
	out := []syncproto.StatusChange{}
	var head int64
	more := false
	for rows.Next() {
		var seq *int64
		var id, code, status, note *string
		var at *time.Time
		if err := rows.Scan(&head, &seq, &id, &code, &status, &note, &at); err != nil {
			return nil, 0, false, fmt.Errorf("citypg: feed of %s: %w", kioskID, err)
		}
		if seq == nil {
			continue
		}
		if len(out) == limit {
			more = true
			continue
		}
		out = append(out, syncproto.StatusChange{Seq: uint64(*seq), RequestID: *id, Code: *code, Status: syncproto.Status(*status), Note: *note, ChangedAt: at.UTC()})
	}
	if err := rows.Err(); err != nil {
		return nil, 0, false, fmt.Errorf("citypg: feed of %s: %w", kioskID, err)
	}
	return out, uint64(head), more, nil
}
