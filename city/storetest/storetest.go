package storetest

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"communekiosk/city"
	"communekiosk/sync/syncproto"
)

var t0 = time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)

// Run runs the conformance suite. newStore must return an empty store and
// close it in t.Cleanup (where a store can also run its own checks).
func Run(t *testing.T, newStore func(t *testing.T) city.Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s city.Store)
	}{
		{"EnrolCodeWorksOnce", testEnrolCodeOnce},
		{"EnrolCodeExpires", testEnrolCodeExpires},
		{"EnrolCodeRead", testEnrolCodeRead},
		{"KioskNumbersUnique", testKioskNumbers},
		{"RevokeAndHeartbeat", testRevokeHeartbeat},
		{"HeartbeatHistory", testHeartbeatHistory},
		{"Catalogues", testCatalogues},
		{"Satisfaction", testSatisfaction},
		{"Report", testReport},
		{"ReplayGuard", testReplay},
		{"IngestOutcomes", testIngestOutcomes},
		{"IngestOtherKioskConflicts", testIngestOtherKiosk},
		{"FeedPaging", testFeedPaging},
		{"StatusTransitions", testStatusTransitions},
		{"RequestsFilterAndPaging", testRequestsList},
		{"Stats", testStats},
		{"EpochStable", testEpoch},
		{"ConcurrentIngestOnce", testConcurrentIngest},
		{"ConcurrentRedeemOnce", testConcurrentRedeem},
		{"RequestByCode", testRequestByCode},
		{"WriteProbe", testWriteProbe},
	}
	for _, tt := range officeTests {
		tests = append(tests, struct {
			name string
			fn   func(t *testing.T, s city.Store)
		}{"Office/" + tt.name, func(t *testing.T, s city.Store) {
			os, ok := s.(officeStore)
			if !ok {
				t.Fatal("this store does not implement city.OfficeStore: every store must, or what it keeps is lost")
			}
			tt.fn(t, os)
		}})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newStore(t)
			tt.fn(t, s)
		})
	}
}

var ctx = context.Background()

func key(seed byte) ed25519.PublicKey {
	s := make([]byte, 32)
	s[0] = seed
	return ed25519.NewKeyFromSeed(s).Public().(ed25519.PublicKey)
}

func mustKiosk(t *testing.T, s city.Store, commune string, seed byte) city.Kiosk {
	t.Helper()
	k, err := s.RegisterKiosk(ctx, commune, "Phường "+commune, key(seed), t0)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func item(seq uint64, id, hash string) city.IngestItem {
	return city.IngestItem{Item: syncproto.Item{Seq: seq, RequestID: id, Code: fmt.Sprintf("C%03d", seq), Service: "birth_extract_copy",
		CreatedAt: t0, Sealed: []byte("sealed-" + hash), SHA256: hash}, Commune: "00004"}
}

func testEnrolCodeOnce(t *testing.T, s city.Store) {
	c := city.EnrolCode{Hash: "h1", Commune: "00004", CommuneName: "Phường Ba Đình", CreatedAt: t0, ExpiresAt: t0.Add(time.Hour)}
	if err := s.CreateEnrolCode(ctx, c); err != nil {
		t.Fatal(err)
	}
	k, err := s.RedeemEnrolCode(ctx, "h1", key(1), "1.0", t0.Add(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if k.ID == "" || k.Number == 0 || k.Commune != "00004" || k.CommuneName != "Phường Ba Đình" || !k.PublicKey.Equal(key(1)) {
		t.Fatalf("kiosk %+v", k)
	}
	if _, err := s.RedeemEnrolCode(ctx, "h1", key(2), "1.0", t0.Add(2*time.Minute)); !errors.Is(err, city.ErrCodeInvalid) {
		t.Fatalf("second redeem: %v; want ErrCodeInvalid", err)
	}
	if _, err := s.RedeemEnrolCode(ctx, "nope", key(2), "1.0", t0); !errors.Is(err, city.ErrCodeInvalid) {
		t.Fatalf("unknown code: %v", err)
	}
	got, err := s.Kiosk(ctx, k.ID)
	if err != nil || got.Number != k.Number {
		t.Fatalf("Kiosk = %+v, %v", got, err)
	}
	if _, err := s.Kiosk(ctx, "K-none"); !errors.Is(err, city.ErrNotFound) {
		t.Fatalf("unknown kiosk: %v", err)
	}
}

func testEnrolCodeExpires(t *testing.T, s city.Store) {
	c := city.EnrolCode{Hash: "h2", Commune: "00004", CreatedAt: t0, ExpiresAt: t0.Add(time.Hour)}
	if err := s.CreateEnrolCode(ctx, c); err != nil {
		t.Fatal(err)
	}
	if _, err := s.RedeemEnrolCode(ctx, "h2", key(1), "", t0.Add(2*time.Hour)); !errors.Is(err, city.ErrCodeInvalid) {
		t.Fatalf("expired: %v", err)
	}
	if ks, _ := s.Kiosks(ctx); len(ks) != 0 {
		t.Fatalf("expired code registered %v", ks)
	}
}

// The server reads a code (and its key) to check a request's MAC before
// redeeming it; reading changes nothing, and a used or expired code reads
// as invalid.
func testEnrolCodeRead(t *testing.T, s city.Store) {
	authKey := bytes.Repeat([]byte{7}, 32)
	c := city.EnrolCode{Hash: "h3", AuthKey: authKey, Commune: "00004", CommuneName: "Phường Ba Đình", CreatedAt: t0, ExpiresAt: t0.Add(time.Hour)}
	if err := s.CreateEnrolCode(ctx, c); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		got, err := s.EnrolCode(ctx, "h3", t0.Add(time.Minute))
		if err != nil || !bytes.Equal(got.AuthKey, authKey) || got.Commune != "00004" || got.CommuneName != c.CommuneName || !got.ExpiresAt.Equal(c.ExpiresAt) {
			t.Fatalf("EnrolCode = %+v, %v", got, err)
		}
	}
	if _, err := s.EnrolCode(ctx, "h3", t0.Add(2*time.Hour)); !errors.Is(err, city.ErrCodeInvalid) {
		t.Fatalf("expired code read: %v; want ErrCodeInvalid", err)
	}
	if _, err := s.EnrolCode(ctx, "nope", t0); !errors.Is(err, city.ErrCodeInvalid) {
		t.Fatalf("unknown code read: %v; want ErrCodeInvalid", err)
	}
	if _, err := s.RedeemEnrolCode(ctx, "h3", key(1), "", t0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.EnrolCode(ctx, "h3", t0.Add(time.Minute)); !errors.Is(err, city.ErrCodeInvalid) {
		t.Fatalf("used code read: %v; want ErrCodeInvalid", err)
	}
}

// A request is found by its receipt code (any case), with its sealed
// payload, for the lookup of a request made at another kiosk.
func testRequestByCode(t *testing.T, s city.Store) {
	f, ok := s.(city.CodeLookupStore)
	if !ok {
		t.Fatal("this store does not implement city.CodeLookupStore: every store must, or what it keeps is lost")
	}
	k := mustKiosk(t, s, "00004", 1)
	if _, err := s.Ingest(ctx, k.ID, []city.IngestItem{item(1, "r1", "h1"), item(2, "r2", "h2")}, t0); err != nil {
		t.Fatal(err)
	}
	for _, code := range []string{"C002", "c002"} {
		r, err := f.RequestByCode(ctx, code)
		if err != nil || r.RequestID != "r2" || r.KioskID != k.ID || string(r.Sealed) != "sealed-h2" {
			t.Fatalf("RequestByCode(%q) = %+v, %v", code, r, err)
		}
	}
	if _, err := f.RequestByCode(ctx, "C999"); !errors.Is(err, city.ErrNotFound) {
		t.Fatalf("unknown code: %v; want ErrNotFound", err)
	}
}

// The write probe of /healthz succeeds on a healthy store, again and
// again, and leaves the feeds' epoch alone.
func testWriteProbe(t *testing.T, s city.Store) {
	p, ok := s.(city.WriteProber)
	if !ok {
		t.Skip("this store has no write probe")
	}
	before, err := s.Epoch(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if err := p.ProbeWrite(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if after, err := s.Epoch(ctx); err != nil || after != before {
		t.Fatalf("epoch %q after probes, %v; want %q", after, err, before)
	}
}

func testKioskNumbers(t *testing.T, s city.Store) {
	seen := map[uint32]bool{}
	ids := map[string]bool{}
	for i := range 20 {
		k := mustKiosk(t, s, "00004", byte(i))
		if seen[k.Number] || ids[k.ID] || k.Number == 0 {
			t.Fatalf("kiosk %d: number %d / ID %s reused", i, k.Number, k.ID)
		}
		seen[k.Number], ids[k.ID] = true, true
	}
	ks, err := s.Kiosks(ctx)
	if err != nil || len(ks) != 20 {
		t.Fatalf("Kiosks = %d, %v", len(ks), err)
	}
	for i := 1; i < len(ks); i++ {
		if ks[i-1].Number >= ks[i].Number {
			t.Fatal("Kiosks not ordered by number")
		}
	}
}

func testRevokeHeartbeat(t *testing.T, s city.Store) {
	k := mustKiosk(t, s, "00004", 1)
	hb := syncproto.Heartbeat{Version: 1, KioskID: k.ID, QueueDepth: 7, OldestUnsentSecs: 120, AppVersion: "1.2"}
	if err := s.RecordHeartbeat(ctx, k.ID, hb, t0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if err := s.Revoke(ctx, k.ID, t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	got, err := s.Kiosk(ctx, k.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !got.Revoked || !got.RevokedAt.Equal(t0.Add(time.Hour)) || got.LastHeartbeat == nil || got.LastHeartbeat.QueueDepth != 7 || !got.LastHeartbeatAt.Equal(t0.Add(time.Minute)) {
		t.Fatalf("kiosk %+v", got)
	}
	if err := s.Revoke(ctx, "K-none", t0); !errors.Is(err, city.ErrNotFound) {
		t.Fatalf("revoke unknown: %v", err)
	}
}

func testReplay(t *testing.T, s city.Store) {
	const w = time.Hour
	steps := []struct {
		kiosk, nonce string
		at           time.Time
		replay       bool
	}{
		{"A", "n1", t0, false},
		{"A", "n1", t0, true},                         // same nonce
		{"B", "n1", t0, false},                        // other kiosk, own nonces
		{"A", "n2", t0.Add(-30 * time.Minute), false}, // a bit back: inside the window
		{"A", "n3", t0.Add(72 * time.Hour), false},    // clock jumps forward
		{"A", "n4", t0.Add(time.Minute), true},        // now far behind the newest
		{"A", "n5", t0.Add(72*time.Hour - 59*time.Minute), false},
		{"A", "n3", t0.Add(72 * time.Hour), true},
		{"A", "n6", t0, true}, // the clock came back from its jump
	}
	for i, st := range steps {
		err := s.Fresh(ctx, st.kiosk, st.nonce, st.at, w)
		if st.replay != errors.Is(err, syncproto.ErrReplay) || (!st.replay && err != nil) {
			t.Fatalf("step %d (%s %s): err = %v; replay expected %v", i, st.kiosk, st.nonce, err, st.replay)
		}
	}
	// An operator resets A's clock state: A syncs again; B is untouched.
	if err := s.ResetReplay(ctx, "A"); err != nil {
		t.Fatal(err)
	}
	if err := s.ResetReplay(ctx, "never-seen"); err != nil {
		t.Fatal(err)
	}
	if err := s.Fresh(ctx, "A", "n6", t0, w); err != nil {
		t.Fatalf("after reset: %v", err)
	}
	if err := s.Fresh(ctx, "B", "n1", t0, w); !errors.Is(err, syncproto.ErrReplay) {
		t.Fatalf("B after A's reset: %v", err)
	}
}

func testIngestOutcomes(t *testing.T, s city.Store) {
	k := mustKiosk(t, s, "00004", 1)
	recv := t0.Add(time.Hour)
	res, err := s.Ingest(ctx, k.ID, []city.IngestItem{item(1, "r1", "h1"), item(2, "r2", "h2"), item(2, "r2", "h2")}, recv)
	if err != nil {
		t.Fatal(err)
	}
	want := []syncproto.Outcome{syncproto.Accepted, syncproto.Accepted, syncproto.Duplicate}
	for i, r := range res {
		if r.Outcome != want[i] || r.CityRef == "" || !r.ReceivedAt.Equal(recv) {
			t.Fatalf("result %d: %+v", i, r)
		}
	}
	if res[0].CityRef == res[1].CityRef {
		t.Fatal("two requests share a city reference")
	}
	later := recv.Add(time.Hour)
	res2, err := s.Ingest(ctx, k.ID, []city.IngestItem{item(1, "r1", "h1"), item(2, "r2", "other"), item(3, "r3", "h3")}, later)
	if err != nil {
		t.Fatal(err)
	}
	if res2[0].Outcome != syncproto.Duplicate || res2[0].CityRef != res[0].CityRef || !res2[0].ReceivedAt.Equal(recv) {
		t.Fatalf("duplicate must repeat the original ack: %+v vs %+v", res2[0], res[0])
	}
	if res2[1].Outcome != syncproto.Conflict || res2[1].Reason == "" {
		t.Fatalf("conflict: %+v", res2[1])
	}
	if res2[2].Outcome != syncproto.Accepted || !res2[2].ReceivedAt.Equal(later) {
		t.Fatalf("new item: %+v", res2[2])
	}
	r, err := s.Request(ctx, "r2")
	if err != nil || r.SHA256 != "h2" || string(r.Sealed) != "sealed-h2" || r.Status != syncproto.StatusReceived || r.KioskID != k.ID {
		t.Fatalf("stored %+v, %v (a conflict must not overwrite)", r, err)
	}
	acks, err := s.Acks(ctx, k.ID)
	if err != nil || len(acks) != 3 || acks[0].Seq != 1 || acks[2].Seq != 3 {
		t.Fatalf("acks %+v, %v", acks, err)
	}
	changes, head, _, err := s.Feed(ctx, k.ID, 0, 100)
	if err != nil || len(changes) != 3 || head != 3 {
		t.Fatalf("feed after ingest: %d changes, head %d, %v", len(changes), head, err)
	}
	for _, c := range changes {
		if c.Status != syncproto.StatusReceived {
			t.Fatalf("change %+v", c)
		}
	}
}

func testIngestOtherKiosk(t *testing.T, s city.Store) {
	a := mustKiosk(t, s, "00004", 1)
	b := mustKiosk(t, s, "00008", 2)
	if _, err := s.Ingest(ctx, a.ID, []city.IngestItem{item(1, "r1", "h1")}, t0); err != nil {
		t.Fatal(err)
	}
	res, err := s.Ingest(ctx, b.ID, []city.IngestItem{item(1, "r1", "h1")}, t0)
	if err != nil {
		t.Fatal(err)
	}
	if res[0].Outcome != syncproto.Conflict || res[0].CityRef != "" {
		t.Fatalf("kiosk B got %+v for kiosk A's request", res[0])
	}
	if acks, _ := s.Acks(ctx, b.ID); len(acks) != 0 {
		t.Fatalf("B has acks %v", acks)
	}
	if ch, _, _, _ := s.Feed(ctx, b.ID, 0, 10); len(ch) != 0 {
		t.Fatalf("B's feed has %v", ch)
	}
}

func testFeedPaging(t *testing.T, s city.Store) {
	k := mustKiosk(t, s, "00004", 1)
	var items []city.IngestItem
	for i := 1; i <= 25; i++ {
		items = append(items, item(uint64(i), fmt.Sprintf("r%02d", i), fmt.Sprintf("h%d", i)))
	}
	if _, err := s.Ingest(ctx, k.ID, items, t0); err != nil {
		t.Fatal(err)
	}
	var got []syncproto.StatusChange
	after := uint64(0)
	for range 10 {
		ch, head, more, err := s.Feed(ctx, k.ID, after, 10)
		if err != nil {
			t.Fatal(err)
		}
		if head != 25 {
			t.Fatalf("head %d", head)
		}
		got = append(got, ch...)
		if len(ch) > 0 {
			after = ch[len(ch)-1].Seq
		}
		if !more {
			break
		}
	}
	if len(got) != 25 {
		t.Fatalf("paged %d changes; want 25", len(got))
	}
	for i, c := range got {
		if c.Seq != uint64(i+1) {
			t.Fatalf("change %d has seq %d", i, c.Seq)
		}
	}
	if ch, _, more, err := s.Feed(ctx, "K-none", 0, 10); err != nil || len(ch) != 0 || more {
		t.Fatalf("unknown kiosk feed: %v %v %v", ch, more, err)
	}
}

func testStatusTransitions(t *testing.T, s city.Store) {
	k := mustKiosk(t, s, "00004", 1)
	if _, err := s.Ingest(ctx, k.ID, []city.IngestItem{item(1, "r1", "h1")}, t0); err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		to syncproto.Status
		ok bool
	}{
		{syncproto.StatusReady, false},
		{syncproto.StatusProcessing, true},
		{syncproto.StatusDone, false},
		{syncproto.StatusReady, true},
		{syncproto.StatusPickedUp, true},
		{syncproto.StatusRejected, false},
		{syncproto.StatusDone, true},
		{syncproto.StatusProcessing, false},
	}
	for i, st := range steps {
		c, err := s.SetStatus(ctx, "r1", st.to, "note", t0.Add(time.Duration(i+1)*time.Minute))
		if st.ok != (err == nil) || (!st.ok && !errors.Is(err, city.ErrBadTransition)) {
			t.Fatalf("step %d → %s: %v", i, st.to, err)
		}
		if st.ok && (c.Status != st.to || c.RequestID != "r1" || c.Seq == 0) {
			t.Fatalf("change %+v", c)
		}
	}
	ch, _, _, _ := s.Feed(ctx, k.ID, 0, 100)
	if len(ch) != 5 || ch[4].Status != syncproto.StatusDone {
		t.Fatalf("feed %+v", ch)
	}
	if _, err := s.SetStatus(ctx, "nope", syncproto.StatusProcessing, "", t0); !errors.Is(err, city.ErrNotFound) {
		t.Fatalf("unknown request: %v", err)
	}
	if _, err := s.Ingest(ctx, k.ID, []city.IngestItem{item(2, "r2", "h2")}, t0); err != nil {
		t.Fatal(err)
	}
	if c, err := s.SetStatus(ctx, "r2", syncproto.StatusRejected, "ID number does not match the register", t0); err != nil || c.Note == "" {
		t.Fatalf("reject: %+v %v", c, err)
	}
}

func testRequestsList(t *testing.T, s city.Store) {
	a := mustKiosk(t, s, "00004", 1)
	b := mustKiosk(t, s, "00008", 2)
	var ia, ib []city.IngestItem
	for i := 1; i <= 5; i++ {
		ia = append(ia, item(uint64(i), fmt.Sprintf("a%d", i), "h"))
		it := item(uint64(i), fmt.Sprintf("b%d", i), "h")
		it.Commune = "00008"
		ib = append(ib, it)
	}
	if _, err := s.Ingest(ctx, a.ID, ia, t0); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Ingest(ctx, b.ID, ib, t0); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SetStatus(ctx, "b2", syncproto.StatusProcessing, "", t0); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		f    city.RequestFilter
		want int
	}{
		{"all", city.RequestFilter{}, 10},
		{"by kiosk", city.RequestFilter{KioskID: a.ID}, 5},
		{"by commune", city.RequestFilter{Commune: "00008"}, 5},
		{"by status", city.RequestFilter{Status: syncproto.StatusProcessing}, 1},
		{"limit", city.RequestFilter{Limit: 3}, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.Requests(ctx, tt.f)
			if err != nil || len(got) != tt.want {
				t.Fatalf("got %d, %v; want %d", len(got), err, tt.want)
			}
			for _, r := range got {
				if len(r.Sealed) != 0 {
					t.Fatal("the list carries sealed payloads")
				}
			}
		})
	}
	seen := map[string]bool{}
	after := ""
	for range 10 {
		page, err := s.Requests(ctx, city.RequestFilter{After: after, Limit: 4})
		if err != nil {
			t.Fatal(err)
		}
		if len(page) == 0 {
			break
		}
		for _, r := range page {
			if seen[r.RequestID] {
				t.Fatalf("%s on two pages", r.RequestID)
			}
			seen[r.RequestID] = true
		}
		after = page[len(page)-1].CityRef
	}
	if len(seen) != 10 {
		t.Fatalf("paging saw %d requests", len(seen))
	}
}

func testStats(t *testing.T, s city.Store) {
	k := mustKiosk(t, s, "00004", 1)
	if _, err := s.Ingest(ctx, k.ID, []city.IngestItem{item(1, "r1", "h"), item(2, "r2", "h"), item(3, "r3", "h")}, t0); err != nil {
		t.Fatal(err)
	}
	for _, st := range []syncproto.Status{syncproto.StatusProcessing, syncproto.StatusReady, syncproto.StatusPickedUp, syncproto.StatusDone} {
		if _, err := s.SetStatus(ctx, "r1", st, "", t0); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.SetStatus(ctx, "r2", syncproto.StatusRejected, "no", t0); err != nil {
		t.Fatal(err)
	}
	st, err := s.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Total != 3 || st.Successful != 1 || st.Rejected != 1 || st.SuccessRate != 0.5 || st.ByCommune["00004"] != 3 || st.Grid["00004"]["birth_extract_copy"] != 3 {
		t.Fatalf("stats %+v", st)
	}
}

func testEpoch(t *testing.T, s city.Store) {
	e1, err := s.Epoch(ctx)
	if err != nil || e1 == "" {
		t.Fatalf("epoch %q, %v", e1, err)
	}
	e2, _ := s.Epoch(ctx)
	if e1 != e2 {
		t.Fatal("epoch changed by itself")
	}
}

// testConcurrentIngest: the same items pushed by several connections at
// once (a retry racing the original) are stored once; a SQL store needs its
// UNIQUE constraint or row locks for this.
func testConcurrentIngest(t *testing.T, s city.Store) {
	k := mustKiosk(t, s, "00004", 1)
	var items []city.IngestItem
	for i := 1; i <= 20; i++ {
		items = append(items, item(uint64(i), fmt.Sprintf("r%02d", i), "h"))
	}
	const workers = 6
	results := make([][]syncproto.ItemResult, workers)
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[w], errs[w] = s.Ingest(ctx, k.ID, items, t0)
		}()
	}
	wg.Wait()
	accepted := map[string]int{}
	refs := map[string]string{}
	for w := range workers {
		if errs[w] != nil {
			t.Fatal(errs[w])
		}
		for _, r := range results[w] {
			if r.Outcome == syncproto.Accepted {
				accepted[r.RequestID]++
			}
			if prev, ok := refs[r.RequestID]; ok && prev != r.CityRef {
				t.Fatalf("%s got two city references %s and %s", r.RequestID, prev, r.CityRef)
			}
			refs[r.RequestID] = r.CityRef
		}
	}
	for _, it := range items {
		if accepted[it.RequestID] != 1 {
			t.Fatalf("%s accepted %d times", it.RequestID, accepted[it.RequestID])
		}
	}
	if st, _ := s.Stats(ctx); st.Total != 20 {
		t.Fatalf("store holds %d requests; want 20", st.Total)
	}
	if ch, _, _, _ := s.Feed(ctx, k.ID, 0, 100); len(ch) != 20 {
		t.Fatalf("feed has %d entries; want 20", len(ch))
	}
}

// testConcurrentRedeem: one code, several kiosks racing: one wins.
func testConcurrentRedeem(t *testing.T, s city.Store) {
	if err := s.CreateEnrolCode(ctx, city.EnrolCode{Hash: "race", Commune: "00004", CreatedAt: t0}); err != nil {
		t.Fatal(err)
	}
	const workers = 6
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[w] = s.RedeemEnrolCode(ctx, "race", key(byte(w)), "", t0)
		}()
	}
	wg.Wait()
	won := 0
	for _, err := range errs {
		switch {
		case err == nil:
			won++
		case !errors.Is(err, city.ErrCodeInvalid):
			t.Fatal(err)
		}
	}
	if ks, _ := s.Kiosks(ctx); won != 1 || len(ks) != 1 {
		t.Fatalf("%d redeemed, %d kiosks; want 1", won, len(ks))
	}
}
