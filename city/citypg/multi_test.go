package citypg_test

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"communekiosk/city"
	"communekiosk/city/citypg"
	"communekiosk/city/citypg/citypgtest"
	"communekiosk/sync/syncproto"
)

var t0 = time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)

// instances opens n stores on one fresh schema, each with its own pool,
// as n cityd processes would.
func instances(t *testing.T, n int) []*citypg.Store {
	t.Helper()
	dsn := citypgtest.Schema(t)
	out := make([]*citypg.Store, n)
	for i := range out {
		out[i] = open(t, dsn)
	}
	return out
}

func testKey(seed byte) ed25519.PublicKey {
	s := make([]byte, 32)
	s[0] = seed
	return ed25519.NewKeyFromSeed(s).Public().(ed25519.PublicKey)
}

func testItem(seq uint64, id, hash string) city.IngestItem {
	return city.IngestItem{Item: syncproto.Item{Seq: seq, RequestID: id, Code: fmt.Sprintf("C%03d", seq), Service: "birth_extract_copy",
		CreatedAt: t0, Sealed: []byte("sealed-" + hash), SHA256: hash}, Commune: "00004"}
}

// together runs fn(i) for i < n at once (released together) and waits.
func together(n int, fn func(i int)) {
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			fn(i)
		}()
	}
	close(start)
	wg.Wait()
}

// TestSameBatchThreeInstances: one batch ingested at once through three
// pools gives one request per request_id, one "accepted" per item, and
// the same ack (city reference, received_at) to all three.
func TestSameBatchThreeInstances(t *testing.T) {
	st := instances(t, 3)
	ctx := context.Background()
	k, err := st[0].RegisterKiosk(ctx, "00004", "", testKey(1), t0)
	if err != nil {
		t.Fatal(err)
	}
	var items []city.IngestItem
	for i := 1; i <= 50; i++ {
		items = append(items, testItem(uint64(i), fmt.Sprintf("r%03d", i), fmt.Sprintf("h%d", i)))
	}
	results := make([][]syncproto.ItemResult, 3)
	errs := make([]error, 3)
	together(3, func(i int) {
		results[i], errs[i] = st[i].Ingest(ctx, k.ID, items, t0.Add(time.Duration(i)*time.Second))
	})
	for i, err := range errs {
		if err != nil {
			t.Fatalf("instance %d: %v", i, err)
		}
	}
	for j, it := range items {
		accepted := 0
		for i := range 3 {
			r := results[i][j]
			if r.Outcome == syncproto.Accepted {
				accepted++
			} else if r.Outcome != syncproto.Duplicate {
				t.Fatalf("instance %d item %s: %+v", i, it.RequestID, r)
			}
			if r.CityRef != results[0][j].CityRef || !r.ReceivedAt.Equal(results[0][j].ReceivedAt) || r.CityRef == "" {
				t.Fatalf("item %s: instance %d acked %s %v, instance 0 %s %v", it.RequestID, i, r.CityRef, r.ReceivedAt, results[0][j].CityRef, results[0][j].ReceivedAt)
			}
		}
		if accepted != 1 {
			t.Fatalf("item %s accepted %d times", it.RequestID, accepted)
		}
	}
	var rows, distinct, feed int
	if err := st[0].Pool().QueryRow(ctx, `SELECT count(*), count(DISTINCT request_id), (SELECT count(*) FROM feed) FROM requests`).Scan(&rows, &distinct, &feed); err != nil {
		t.Fatal(err)
	}
	if rows != 50 || distinct != 50 || feed != 50 {
		t.Fatalf("%d rows, %d distinct, %d feed entries; want 50 each", rows, distinct, feed)
	}
}

// TestRedeemTwoInstances: one enrolment code redeemed at once by two
// kiosks through two instances works once.
func TestRedeemTwoInstances(t *testing.T) {
	ctx := context.Background()
	for round := range 5 {
		st := instances(t, 2)
		code := fmt.Sprintf("code-%d", round)
		if err := st[0].CreateEnrolCode(ctx, city.EnrolCode{Hash: code, Commune: "00004", CreatedAt: t0, ExpiresAt: t0.Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
		errs := make([]error, 2)
		together(2, func(i int) {
			_, errs[i] = st[i].RedeemEnrolCode(ctx, code, testKey(byte(i)), "", t0)
		})
		won := 0
		for _, err := range errs {
			switch {
			case err == nil:
				won++
			case !errors.Is(err, city.ErrCodeInvalid):
				t.Fatal(err)
			}
		}
		if ks, _ := st[1].Kiosks(ctx); won != 1 || len(ks) != 1 {
			t.Fatalf("round %d: %d redeemed, %d kiosks; want 1", round, won, len(ks))
		}
	}
}

// TestNonceSharedByInstances: the same signed call replayed at once to
// three instances passes once; a nonce seen by one is a replay on the
// others.
func TestNonceSharedByInstances(t *testing.T) {
	st := instances(t, 3)
	ctx := context.Background()
	for n := range 10 {
		nonce := fmt.Sprintf("nonce-%d", n)
		errs := make([]error, 3)
		together(3, func(i int) { errs[i] = st[i].Fresh(ctx, "K0001", nonce, t0, time.Hour) })
		ok := 0
		for i, err := range errs {
			switch {
			case err == nil:
				ok++
			case !errors.Is(err, syncproto.ErrReplay):
				t.Fatalf("instance %d: %v", i, err)
			}
		}
		if ok != 1 {
			t.Fatalf("nonce %s accepted %d times", nonce, ok)
		}
	}
	if err := st[2].Fresh(ctx, "K0001", "nonce-0", t0, time.Hour); !errors.Is(err, syncproto.ErrReplay) {
		t.Fatalf("a nonce seen through instance 0..2, again on 2: %v", err)
	}
}
