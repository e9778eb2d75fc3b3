package citybolt

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"communekiosk/city"
	"communekiosk/sync/syncproto"
)

func jsonUnmarshal(data []byte, v any) error { return json.Unmarshal(data, v) }

// Ingest implements city.IngestStore: one transaction for the whole batch.
func (s *Store) Ingest(ctx context.Context, kioskID string, items []city.IngestItem, receivedAt time.Time) ([]syncproto.ItemResult, error) {
	results := make([]syncproto.ItemResult, len(items))
	receivedAt = receivedAt.UTC()
	err := s.db.Update(func(tx *bolt.Tx) error {
		reqs := tx.Bucket(bRequests)
		sealed := tx.Bucket(bSealed)
		byRef := tx.Bucket(bByRef)
		byRef.FillPercent = 0.95 // city refs are made in order
		kreq, err := sub(tx, bKioskReq, kioskID)
		if err != nil {
			return err
		}
		feed, err := sub(tx, bFeed, kioskID)
		if err != nil {
			return err
		}
		for i, it := range items {
			var old city.Request
			switch err := getJSON(reqs, []byte(it.RequestID), &old); err {
			case nil:
				results[i] = answerExisting(old, it.Item, kioskID)
				continue
			case city.ErrNotFound:
			default:
				return err
			}
			if it.Reject != "" {
				results[i] = syncproto.ItemResult{Seq: it.Seq, RequestID: it.RequestID, Outcome: syncproto.Rejected, Reason: it.Reject, ReceivedAt: receivedAt}
				continue
			}
			n, err := reqs.NextSequence()
			if err != nil {
				return err
			}
			r := city.Request{RequestID: it.RequestID, KioskID: kioskID, Seq: it.Seq, Code: it.Code, Service: it.Service,
				Commune: it.Commune, CityRef: fmt.Sprintf("%s-%010d", s.refPrefix, n), SHA256: it.SHA256,
				CreatedAt: it.CreatedAt.UTC(), ReceivedAt: receivedAt, Status: syncproto.StatusReceived, UpdatedAt: receivedAt,
				Office: it.Office, Delivery: it.Delivery, MaskedName: it.MaskedName,
				CatalogueVersion: it.CatalogueVersion, FeeVND: it.FeeVND, Channel: it.Channel}
			if r.Office == "" {
				r.Office = r.Commune
			}
			if err := putJSON(reqs, []byte(r.RequestID), r); err != nil {
				return err
			}
			if err := sealed.Put([]byte(r.RequestID), it.Sealed); err != nil {
				return err
			}
			if err := byRef.Put([]byte(r.CityRef), []byte(r.RequestID)); err != nil {
				return err
			}
			if err := kreq.Put(u64(r.Seq), []byte(r.RequestID)); err != nil {
				return err
			}
			if err := index(tx, r); err != nil {
				return err
			}
			if _, err := appendFeed(feed, r, receivedAt); err != nil {
				return err
			}
			results[i] = ack(r, syncproto.Accepted)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("citybolt: ingest %d items from %s: %w", len(items), kioskID, err)
	}
	return results, nil
}

// answerExisting answers an item whose request_id is already stored.
func answerExisting(old city.Request, it syncproto.Item, kioskID string) syncproto.ItemResult {
	if old.SHA256 == it.SHA256 && old.KioskID == kioskID {
		res := ack(old, syncproto.Duplicate)
		res.Seq = it.Seq
		return res
	}
	reason := "request_id already received with a different payload"
	if old.KioskID != kioskID {
		reason = "request_id already received from another kiosk"
	}
	return syncproto.ItemResult{Seq: it.Seq, RequestID: it.RequestID, Outcome: syncproto.Conflict, Reason: reason, ReceivedAt: old.ReceivedAt}
}

func ack(r city.Request, o syncproto.Outcome) syncproto.ItemResult {
	return syncproto.ItemResult{Seq: r.Seq, RequestID: r.RequestID, Outcome: o, CityRef: r.CityRef, ReceivedAt: r.ReceivedAt}
}

// appendFeed appends r's current status to its kiosk's feed.
func appendFeed(feed *bolt.Bucket, r city.Request, at time.Time) (syncproto.StatusChange, error) {
	seq, err := feed.NextSequence()
	if err != nil {
		return syncproto.StatusChange{}, err
	}
	c := syncproto.StatusChange{Seq: seq, RequestID: r.RequestID, Code: r.Code, Status: r.Status, Note: r.StatusNote, ChangedAt: at.UTC()}
	return c, putJSON(feed, u64(seq), c)
}

// Acks implements city.IngestStore.
func (s *Store) Acks(ctx context.Context, kioskID string) ([]syncproto.ItemResult, error) {
	out := []syncproto.ItemResult{}
	err := s.db.View(func(tx *bolt.Tx) error {
		kreq := tx.Bucket(bKioskReq).Bucket([]byte(kioskID))
		if kreq == nil {
			return nil
		}
		reqs := tx.Bucket(bRequests)
		return kreq.ForEach(func(_, id []byte) error {
			var r city.Request
			if err := getJSON(reqs, id, &r); err != nil {
				return err
			}
			out = append(out, ack(r, syncproto.Duplicate))
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("citybolt: acks of %s: %w", kioskID, err)
	}
	return out, nil
}

// Feed implements city.FeedStore.
func (s *Store) Feed(ctx context.Context, kioskID string, after uint64, limit int) ([]syncproto.StatusChange, uint64, bool, error) {
	out := []syncproto.StatusChange{}
	var head uint64
	var more bool
	err := s.db.View(func(tx *bolt.Tx) error {
		feed := tx.Bucket(bFeed).Bucket([]byte(kioskID))
		if feed == nil {
			return nil
		}
		head = feed.Sequence()
		c := feed.Cursor()
		for k, v := c.Seek(u64(after + 1)); k != nil; k, v = c.Next() {
			if len(out) == limit {
				more = true
				break
			}
			var sc syncproto.StatusChange
			if err := json.Unmarshal(v, &sc); err != nil {
				return err
			}
			out = append(out, sc)
		}
		return nil
	})
	if err != nil {
		return nil, 0, false, fmt.Errorf("citybolt: feed of %s: %w", kioskID, err)
	}
	return out, head, more, nil
}
