package storetest

import (
	"testing"
	"time"

	"communekiosk/city"
	"communekiosk/sync/syncproto"
)

func testHeartbeatHistory(t *testing.T, store city.Store) {
	s, ok := store.(interface {
		city.Store
		city.HeartbeatHistoryStore
	})
	if !ok {
		t.Fatal("this store does not implement city.HeartbeatHistoryStore: every store must, or what it keeps is lost")
	}
	k1, k2 := mustKiosk(t, store, "00004", 1), mustKiosk(t, store, "00008", 2)
	keep := city.HeartbeatKeep
	beat := func(k city.Kiosk, depth int, at time.Time) {
		t.Helper()
		hb := syncproto.Heartbeat{Version: 1, KioskID: k.ID, QueueDepth: depth, SentAt: at}
		if err := s.KeepHeartbeat(ctx, k.ID, hb, at, keep); err != nil {
			t.Fatal(err)
		}
	}
	// t0 is 09:00 UTC: two beats in the 09 hour, one at 10:10, one for the
	// other kiosk.
	beat(k1, 1, t0.Add(10*time.Minute))
	beat(k1, 2, t0.Add(50*time.Minute))
	beat(k1, 3, t0.Add(70*time.Minute))
	beat(k2, 9, t0.Add(20*time.Minute))

	got, err := s.HeartbeatHistory(ctx, k1.ID, t0.Add(-48*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("%d samples, want 2 (one per hour): %+v", len(got), got)
	}
	if !got[0].Hour.Equal(t0) || got[0].Heartbeat.QueueDepth != 2 || !got[0].ReceivedAt.Equal(t0.Add(50*time.Minute)) {
		t.Errorf("first hour %+v, want the 09:50 beat (depth 2)", got[0])
	}
	if !got[1].Hour.Equal(t0.Add(time.Hour)) || got[1].Heartbeat.QueueDepth != 3 {
		t.Errorf("second hour %+v, want depth 3 at 10:00", got[1])
	}
	if got, _ := s.HeartbeatHistory(ctx, k1.ID, t0.Add(time.Hour)); len(got) != 1 || got[0].Heartbeat.QueueDepth != 3 {
		t.Errorf("since 10:00: %+v, want the 10:00 sample only", got)
	}
	if got, _ := s.HeartbeatHistory(ctx, k2.ID, time.Time{}); len(got) != 1 || got[0].Heartbeat.QueueDepth != 9 {
		t.Errorf("other kiosk: %+v", got)
	}
	if got, err := s.HeartbeatHistory(ctx, "K9999", time.Time{}); err != nil || len(got) != 0 {
		t.Errorf("unknown kiosk: %+v, %v", got, err)
	}

	// A beat 30 days and 30 minutes after 10:10 forgets the 09:00 sample
	// (older than 30 days) but keeps the 10:00 one; the other kiosk's
	// samples are its own business.
	late := t0.Add(keep + 100*time.Minute)
	beat(k1, 4, late)
	got, err = s.HeartbeatHistory(ctx, k1.ID, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Heartbeat.QueueDepth != 3 || got[1].Heartbeat.QueueDepth != 4 {
		t.Fatalf("after 30 days: %+v, want the 10:00 sample and the new one", got)
	}
	if got, _ := s.HeartbeatHistory(ctx, k2.ID, time.Time{}); len(got) != 1 {
		t.Errorf("other kiosk after k1's pruning: %+v", got)
	}
}
