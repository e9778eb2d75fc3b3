package citypg

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"communekiosk/city"
	"communekiosk/sync/syncproto"
)

// stored is what an ingest needs to know of a request already kept.
type stored struct {
	kioskID, sha256, cityRef string
	seq                      uint64
	receivedAt               time.Time
}

// Ingest implements city.IngestStore in one READ COMMITTED transaction:
//
//  1. lock the kiosk's row (its feed counter): ingests and status
//     changes of one kiosk run one at a time, whichever cityd runs them;
//  2. read the items' request_ids already stored (after the lock, so a
//     batch just committed by another cityd is seen) and answer those
//     from what is stored;
//  3. insert the new ones with ON CONFLICT DO NOTHING: a row another
//     kiosk's transaction inserts meanwhile is not lost but read again
//     by a later statement, which sees it committed;
//  4. append a "received" change per new item to the feed and bump the
//     counter.
func (s *Store) Ingest(ctx context.Context, kioskID string, items []city.IngestItem, receivedAt time.Time) ([]syncproto.ItemResult, error) {
	receivedAt = ts(receivedAt)
	var results []syncproto.ItemResult
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		results = make([]syncproto.ItemResult, len(items))
		ids := make([]string, len(items))
		for i, it := range items {
			ids[i] = it.RequestID
		}
		// Steps 1 and 2 in one round trip: the second statement runs
		// after the first has the lock, with a snapshot of its own.
		b := &pgx.Batch{}
		b.Queue(`SELECT feed_seq FROM kiosks WHERE id = $1 FOR NO KEY UPDATE`, kioskID)
		b.Queue(storedSQL, ids)
		br := tx.SendBatch(ctx, b)
		var feedSeq int64
		if err := br.QueryRow().Scan(&feedSeq); err != nil {
			br.Close()
			if errors.Is(err, pgx.ErrNoRows) {
				return fmt.Errorf("kiosk %s: %w", kioskID, city.ErrNotFound)
			}
			return err
		}
		rows, err := br.Query()
		if err != nil {
			br.Close()
			return err
		}
		old, err := scanStored(rows)
		if err != nil {
			br.Close()
			return err
		}
		if err := br.Close(); err != nil {
			return err
		}
		// The new items, deduplicated within the batch: a second copy is
		// answered from the first once it is inserted.
		var fresh []int
		first := map[string]int{}
		for i, it := range items {
			if o, ok := old[it.RequestID]; ok {
				results[i] = answer(o, it.Item, kioskID)
				continue
			}
			if _, ok := first[it.RequestID]; ok {
				continue
			}
			if it.Reject != "" {
				results[i] = syncproto.ItemResult{Seq: it.Seq, RequestID: it.RequestID, Outcome: syncproto.Rejected, Reason: it.Reject, ReceivedAt: receivedAt}
				continue
			}
			first[it.RequestID] = i
			fresh = append(fresh, i)
		}
		inserted, err := s.insert(ctx, tx, kioskID, items, fresh, receivedAt)
		if err != nil {
			return err
		}
		// Rows not inserted were inserted by another kiosk's transaction
		// since step 2: read them again.
		var lost []string
		for _, i := range fresh {
			if _, ok := inserted[items[i].RequestID]; !ok {
				lost = append(lost, items[i].RequestID)
			}
		}
		if len(lost) > 0 {
			o, err := readStored(ctx, tx, lost)
			if err != nil {
				return err
			}
			for id, st := range o {
				old[id] = st
			}
		}
		feed := feedRows{kioskID: kioskID}
		for _, i := range fresh {
			it := items[i]
			ref, ok := inserted[it.RequestID]
			if !ok {
				o, found := old[it.RequestID]
				if !found {
					return fmt.Errorf("request %s neither inserted nor stored", it.RequestID)
				}
				results[i] = answer(o, it.Item, kioskID)
				continue
			}
			results[i] = syncproto.ItemResult{Seq: it.Seq, RequestID: it.RequestID, Outcome: syncproto.Accepted, CityRef: ref, ReceivedAt: receivedAt}
			feedSeq++
			feed.add(feedSeq, it.RequestID, it.Code, syncproto.StatusReceived, "", receivedAt)
		}
		// Second copies within the batch.
		for i, it := range items {
			if results[i].Outcome != "" {
				continue
			}
			j := first[it.RequestID]
			o := stored{kioskID: kioskID, sha256: items[j].SHA256, cityRef: results[j].CityRef, seq: items[j].Seq, receivedAt: results[j].ReceivedAt}
			if results[j].Outcome != syncproto.Accepted {
				o = old[it.RequestID]
			}
			results[i] = answer(o, it.Item, kioskID)
		}
		if len(feed.seq) == 0 {
			return nil
		}
		b = &pgx.Batch{}
		feed.queue(b)
		b.Queue(`UPDATE kiosks SET feed_seq = $2 WHERE id = $1`, kioskID, feedSeq)
		return tx.SendBatch(ctx, b).Close()
	})
	if err != nil {
		return nil, fmt.Errorf("citypg: ingest %d items from %s: %w", len(items), kioskID, err)
	}
	return results, nil
}

// insert inserts items[fresh] and returns the city reference of each row
// it inserted.
func (s *Store) insert(ctx context.Context, tx pgx.Tx, kioskID string, items []city.IngestItem, fresh []int, receivedAt time.Time) (map[string]string, error) {
	out := make(map[string]string, len(fresh))
	if len(fresh) == 0 {
		return out, nil
	}
	n := len(fresh)
	ids, codes, services, communes, hashes := make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	offices, deliveries, docs := make([]string, n), make([]string, n), make([]string, n)
	seqs, sealed, created := make([]int64, n), make([][]byte, n), make([]time.Time, n)
	for j, i := range fresh {
		it := items[i]
		r := city.Request{RequestID: it.RequestID, KioskID: kioskID, Seq: it.Seq, Code: it.Code, Service: it.Service,
			Commune: it.Commune, SHA256: it.SHA256, CreatedAt: ts(it.CreatedAt), ReceivedAt: receivedAt, Status: syncproto.StatusReceived,
			UpdatedAt: receivedAt, Office: it.Office, Delivery: it.Delivery, MaskedName: it.MaskedName,
			CatalogueVersion: it.CatalogueVersion, FeeVND: it.FeeVND, Channel: it.Channel}
		if r.Office == "" {
			r.Office = r.Commune
		}
		doc, err := requestDoc(r) // without city_ref: the statement sets it
		if err != nil {
			return nil, err
		}
		ids[j], codes[j], services[j], communes[j], hashes[j] = it.RequestID, it.Code, it.Service, it.Commune, it.SHA256
		offices[j], deliveries[j], docs[j] = r.Office, r.Delivery, doc
		seqs[j], sealed[j], created[j] = int64(it.Seq), it.Sealed, r.CreatedAt
		if sealed[j] == nil {
			sealed[j] = []byte{}
		}
	}
	rows, err := tx.Query(ctx, `INSERT INTO requests (request_id, kiosk_id, seq, code, service, commune, city_ref, sha256, sealed, created_at, received_at, status, updated_at, office, delivery, doc)
		SELECT id, $2, seq, code, service, commune, ref, sha, sealed, created, $4, 'received', $4, office, delivery, jsonb_set(doc::jsonb, '{city_ref}', to_jsonb(ref))
		FROM (SELECT u.*, $3 || '-' || lpad(nextval('city_ref')::text, 10, '0') AS ref
			FROM unnest($1::text[], $5::bigint[], $6::text[], $7::text[], $8::text[], $9::text[], $10::bytea[], $11::timestamptz[], $12::text[], $13::text[], $14::text[])
				WITH ORDINALITY AS u(id, seq, code, service, commune, sha, sealed, created, office, delivery, doc, ord)
			ORDER BY ord) AS v
		ON CONFLICT (request_id) DO NOTHING
		RETURNING request_id, city_ref`,
		ids, kioskID, s.refPrefix, receivedAt, seqs, codes, services, communes, hashes, sealed, created, offices, deliveries, docs)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id, ref string
		if err := rows.Scan(&id, &ref); err != nil {
			return nil, err
		}
		out[id] = ref
	}
	return out, rows.Err()
}

const storedSQL = `SELECT request_id, kiosk_id, sha256, city_ref, seq, received_at FROM requests WHERE request_id = ANY($1)`

func readStored(ctx context.Context, tx pgx.Tx, ids []string) (map[string]stored, error) {
	rows, err := tx.Query(ctx, storedSQL, ids)
	if err != nil {
		return nil, err
	}
	return scanStored(rows)
}

func scanStored(rows pgx.Rows) (map[string]stored, error) {
	defer rows.Close()
	out := map[string]stored{}
	for rows.Next() {
		var id string
		var st stored
		var seq int64
		if err := rows.Scan(&id, &st.kioskID, &st.sha256, &st.cityRef, &seq, &st.receivedAt); err != nil {
			return nil, err
		}
		st.seq, st.receivedAt = uint64(seq), st.receivedAt.UTC()
		out[id] = st
	}
	return out, rows.Err()
}

// answer answers an item whose request_id is already stored.
func answer(o stored, it syncproto.Item, kioskID string) syncproto.ItemResult {
	if o.sha256 == it.SHA256 && o.kioskID == kioskID {
		return syncproto.ItemResult{Seq: it.Seq, RequestID: it.RequestID, Outcome: syncproto.Duplicate, CityRef: o.cityRef, ReceivedAt: o.receivedAt}
	}
	reason := "request_id already received with a different payload"
	if o.kioskID != kioskID {
		reason = "request_id already received from another kiosk"
	}
	return syncproto.ItemResult{Seq: it.Seq, RequestID: it.RequestID, Outcome: syncproto.Conflict, Reason: reason, ReceivedAt: o.receivedAt}
}

// Acks implements city.IngestStore.
func (s *Store) Acks(ctx context.Context, kioskID string) ([]syncproto.ItemResult, error) {
	rows, err := s.pool.Query(ctx, `SELECT seq, request_id, city_ref, received_at FROM requests WHERE kiosk_id = $1 ORDER BY seq, request_id`, kioskID)
	if err != nil {
		return nil, fmt.Errorf("citypg: acks of %s: %w", kioskID, err)
	}
	defer rows.Close()
	out := []syncproto.ItemResult{}
	for rows.Next() {
		var r syncproto.ItemResult
		var seq int64
		if err := rows.Scan(&seq, &r.RequestID, &r.CityRef, &r.ReceivedAt); err != nil {
			return nil, fmt.Errorf("citypg: acks of %s: %w", kioskID, err)
		}
		r.Seq, r.Outcome, r.ReceivedAt = uint64(seq), syncproto.Duplicate, r.ReceivedAt.UTC()
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("citypg: acks of %s: %w", kioskID, err)
	}
	return out, nil
}
