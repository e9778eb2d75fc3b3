package citybolt_test

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"communekiosk/city"
	"communekiosk/city/citybolt"
	"communekiosk/sync/syncproto"
)

// TestSnapshotStreamsInKeyOrder: a snapshot gives requests in request_id
// order (bytewise) with their sealed payloads, each kiosk's feed in order
// with its head, and stops a stream at the caller's first error.
func TestSnapshotStreamsInKeyOrder(t *testing.T) {
	ctx := context.Background()
	s := open(t)
	now := time.Date(2026, 11, 20, 3, 0, 0, 0, time.UTC)
	k, err := s.RegisterKiosk(ctx, "00004", "Phường Phúc Xá", ed25519.PublicKey(make([]byte, 32)), now)
	if err != nil {
		t.Fatal(err)
	}
	ids := []string{"b-2", "B-1", "a-3", "_-4"} // bytewise: B-1 < _-4 < a-3 < b-2
	var items []city.IngestItem
	for i, id := range ids {
		items = append(items, city.IngestItem{Commune: "00004", Item: syncproto.Item{Seq: uint64(i + 1), RequestID: id, Code: fmt.Sprint("C", i),
			Service: "trich-luc-khai-sinh", CreatedAt: now, Sealed: []byte("sealed " + id), SHA256: "x"}})
	}
	if _, err := s.Ingest(ctx, k.ID, items, now); err != nil {
		t.Fatal(err)
	}
	stop := errors.New("stop")
	err = s.ReadSnapshot(ctx, func(x *citybolt.Snapshot) error {
		var got []string
		if err := x.Requests(func(r city.Request) error {
			if string(r.Sealed) != "sealed "+r.RequestID {
				t.Errorf("%s: sealed %q", r.RequestID, r.Sealed)
			}
			got = append(got, r.RequestID)
			return nil
		}); err != nil {
			return err
		}
		want := slices.Clone(ids)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("requests in order %v, want %v", got, want)
		}
		head, err := x.FeedHead(k.ID)
		if err != nil || head != 4 {
			t.Errorf("feed head %d, %v; want 4", head, err)
		}
		var seqs []uint64
		if err := x.Feed(k.ID, func(c syncproto.StatusChange) error { seqs = append(seqs, c.Seq); return nil }); err != nil {
			return err
		}
		if !slices.Equal(seqs, []uint64{1, 2, 3, 4}) {
			t.Errorf("feed %v", seqs)
		}
		n := 0
		if err := x.Requests(func(city.Request) error { n++; return stop }); !errors.Is(err, stop) || n != 1 {
			t.Errorf("a stream stopped at the first row: %d rows, %v", n, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
