package syncer

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"communekiosk/sync/syncclient"
	"communekiosk/sync/syncproto"
)

func quietLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func newTestSyncer(store Store, city Transport, clk *fakeClock, mod func(*Options)) *Syncer {
	o := Options{Store: store, Transport: city, Now: clk.Now, AfterFunc: clk.AfterFunc, Logger: quietLogger(), DataDir: "."}
	if mod != nil {
		mod(&o)
	}
	return New(o)
}

func TestBatching(t *testing.T) {
	tests := []struct {
		name        string
		items       int
		sealed      int
		opts        func(*Options)
		cityLimits  syncproto.Limits
		wantBatches []int
	}{
		{"100 items a batch", 250, 100, nil, syncproto.Limits{}, []int{100, 100, 50}},
		{"configured lower", 25, 100, func(o *Options) { o.MaxItems = 10 }, syncproto.Limits{}, []int{10, 10, 5}},
		// Two batches are in flight before the city's limits arrive.
		{"city lowers items", 250, 100, nil, syncproto.Limits{MaxItems: 40}, []int{100, 100, 40, 10}},
		{"city lowers items, one in flight", 250, 100, func(o *Options) { o.InFlight = 1 }, syncproto.Limits{MaxItems: 40}, []int{100, 40, 40, 40, 30}},
		{"city cannot raise", 30, 100, func(o *Options) { o.MaxItems = 20 }, syncproto.Limits{MaxItems: 500}, []int{20, 10}},
		// 300 KiB sealed is 400 KiB on the wire: two fit in 1 MiB, three do not.
		{"1 MiB on the wire", 5, 300 << 10, nil, syncproto.Limits{}, []int{2, 2, 1}},
		{"city lowers bytes", 6, 300 << 10, func(o *Options) { o.InFlight = 1 }, syncproto.Limits{MaxBytes: 512 << 10}, []int{2, 1, 1, 1, 1}},
		{"one item over the limit still goes", 2, 2 << 20, nil, syncproto.Limits{}, []int{1, 1}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			box := newSizedOutbox(tc.items, tc.sealed)
			city := &fakeCity{push: func(req syncproto.PushRequest) (syncproto.PushResponse, error) {
				resp, err := acceptAll(req)
				resp.Limits = tc.cityLimits
				return resp, err
			}}
			var events []Progress
			s := newTestSyncer(withOutbox(newTestKiosk(t, 0), box), city, newFakeClock(), func(o *Options) {
				o.OnProgress = func(p Progress) { events = append(events, p) }
				if tc.opts != nil {
					tc.opts(o)
				}
			})
			res, err := s.RunOnce(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			// Batches in flight together arrive in any order.
			if got := city.batchSizes(); !equalInts(sorted(got), sorted(tc.wantBatches)) {
				t.Fatalf("batches %v, want %v", got, tc.wantBatches)
			}
			if res.Accepted != tc.items || res.Pushed != tc.items || box.queued() != 0 {
				t.Fatalf("result %+v, queued %d", res, box.queued())
			}
			if box.applies != len(tc.wantBatches) {
				t.Fatalf("%d store transactions for %d batches", box.applies, len(tc.wantBatches))
			}
			for _, b := range city.batches {
				if len(b) > 1 {
					body, _ := json.Marshal(syncproto.PushRequest{Version: 1, Items: b})
					if len(body) > DefaultMaxBytes {
						t.Fatalf("batch of %d is %d bytes on the wire", len(b), len(body))
					}
				}
			}
			last := events[len(events)-1]
			if last.Phase != PhaseDone || last.ItemsSent != tc.items || last.ItemsTotal != tc.items {
				t.Fatalf("last progress %+v", last)
			}
		})
	}
}

func TestProgressBatches(t *testing.T) {
	store := newTestKiosk(t, 250)
	var push []Progress
	s := newTestSyncer(store, &fakeCity{}, newFakeClock(), func(o *Options) {
		o.OnProgress = func(p Progress) {
			if p.Phase == PhasePush {
				push = append(push, p)
			}
		}
	})
	if _, err := s.RunOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	want := []Progress{
		{Phase: PhasePush, Batch: 1, Batches: 3, ItemsSent: 100, ItemsTotal: 250},
		{Phase: PhasePush, Batch: 2, Batches: 3, ItemsSent: 200, ItemsTotal: 250},
		{Phase: PhasePush, Batch: 3, Batches: 3, ItemsSent: 250, ItemsTotal: 250},
	}
	if len(push) != len(want) {
		t.Fatalf("progress %+v", push)
	}
	for i := range want {
		if push[i] != want[i] {
			t.Fatalf("progress %d: %+v, want %+v", i, push[i], want[i])
		}
	}
}

func TestTooLargeHalves(t *testing.T) {
	store := newTestKiosk(t, 100)
	city := &fakeCity{push: func(req syncproto.PushRequest) (syncproto.PushResponse, error) {
		if len(req.Items) > 25 {
			return syncproto.PushResponse{}, &syncproto.TooLargeError{Op: "push"}
		}
		return acceptAll(req)
	}}
	s := newTestSyncer(store, city, newFakeClock(), nil)
	res, err := s.RunOnce(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got, want := city.batchSizes(), []int{100, 50, 50, 25, 25, 25, 25}; !equalInts(got, want) {
		t.Fatalf("batches %v, want %v", got, want)
	}
	if res.Accepted != 100 || store.queued() != 0 || res.Batches != 4 {
		t.Fatalf("result %+v", res)
	}
	// The next run starts from the full size again.
	store.submit(1)
	city.batches = nil
	if _, err := s.RunOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := city.batchSizes(); !equalInts(got, []int{1}) {
		t.Fatalf("second run batches %v", got)
	}
}

// TestTooLargeSingleItemQuarantined: one request the city refuses as too
// large even alone goes to quarantine with its reason; the rest are sent,
// and the run goes on to pull and heartbeat (invariant 4).
func TestTooLargeSingleItemQuarantined(t *testing.T) {
	box := newSizedOutbox(4, 10)
	box.add(2, 3<<20) // replaces request 2 by a 3 MiB one
	big := "req-000002"
	city := &fakeCity{push: func(req syncproto.PushRequest) (syncproto.PushResponse, error) {
		for _, it := range req.Items {
			if it.RequestID == big {
				return syncproto.PushResponse{}, &syncproto.TooLargeError{Op: "push"}
			}
		}
		return acceptAll(req)
	}}
	s := newTestSyncer(withOutbox(newTestKiosk(t, 0), box), city, newFakeClock(), nil)
	res, err := s.RunOnce(context.Background())
	if err != nil {
		t.Fatalf("run failed: %v (%+v)", err, res)
	}
	if res.TooLarge != 1 || res.Accepted != 3 || box.queued() != 0 {
		t.Fatalf("result %+v, queued %d", res, box.queued())
	}
	q, ok := box.quarantine[big]
	if !ok || q.Outcome != syncproto.Rejected || !strings.HasPrefix(q.Reason, ReasonTooLarge+":") {
		t.Fatalf("quarantine %+v", box.quarantine)
	}
	if len(city.pulls) != 1 || len(city.beats) != 1 {
		t.Fatalf("%d pulls, %d heartbeats after a too-large item", len(city.pulls), len(city.beats))
	}
}

// TestTooLargeWithinCityLimitFails: when the item fits the limit the city
// advertised, a 413 is not the item's fault (a proxy in between): nothing
// is quarantined and the run fails as too_large, for the IT team.
func TestTooLargeWithinCityLimitFails(t *testing.T) {
	store := newTestKiosk(t, 1)
	city := &fakeCity{push: func(req syncproto.PushRequest) (syncproto.PushResponse, error) {
		resp, err := acceptAll(req)
		resp.Limits = syncproto.Limits{MaxBytes: 1 << 20}
		return resp, err
	}}
	s := newTestSyncer(store, city, newFakeClock(), nil)
	if _, err := s.RunOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	store.submit(2)
	city.push = func(req syncproto.PushRequest) (syncproto.PushResponse, error) {
		return syncproto.PushResponse{}, &syncproto.TooLargeError{Op: "push"}
	}
	city.batches = nil
	res, err := s.RunOnce(context.Background())
	if err == nil || res.ErrorCode != CodeTooLarge || store.queued() != 2 || len(store.quarantined()) != 0 {
		t.Fatalf("err %v, result %+v, quarantine %+v", err, res, store.quarantined())
	}
	if got := city.batchSizes(); !equalInts(got, []int{2, 1, 1}) {
		t.Fatalf("batches %v", got)
	}
}

// TestPullTooLargeIsARefusal: a 413 on a pull does not say a request is
// too large.
func TestPullTooLargeIsARefusal(t *testing.T) {
	store := newTestKiosk(t, 0)
	city := &fakeCity{pull: func(req syncproto.PullRequest) (syncproto.PullResponse, error) {
		return syncproto.PullResponse{}, &syncproto.TooLargeError{Op: "pull"}
	}}
	s := newTestSyncer(store, city, newFakeClock(), nil)
	res, err := s.RunOnce(context.Background())
	if err == nil || res.ErrorCode != CodeRefused {
		t.Fatalf("err %v, code %q", err, res.ErrorCode)
	}
}

func TestOutcomesAndMissingResults(t *testing.T) {
	k := newTestKiosk(t, 4)
	store := &countingStore{Store: k}
	city := &fakeCity{push: func(req syncproto.PushRequest) (syncproto.PushResponse, error) {
		outcomes := []syncproto.Outcome{syncproto.Accepted, syncproto.Duplicate, syncproto.Rejected}
		resp := syncproto.PushResponse{Version: 1}
		for i, it := range req.Items {
			if i < len(outcomes) {
				resp.Results = append(resp.Results, syncproto.ItemResult{RequestID: it.RequestID, Outcome: outcomes[i], Reason: "bad"})
			}
		}
		// a result for an item not in the batch is ignored
		resp.Results = append(resp.Results, syncproto.ItemResult{RequestID: "stranger", Outcome: syncproto.Accepted})
		return resp, nil
	}}
	s := newTestSyncer(store, city, newFakeClock(), nil)
	res, err := s.RunOnce(context.Background())
	if !errors.Is(err, errProtocol) || res.ErrorCode != CodeProtocol {
		t.Fatalf("err %v", err)
	}
	if c := k.counts(); res.Accepted != 1 || res.Duplicate != 1 || res.Rejected != 1 || c.Queued != 1 || c.Quarantined != 1 || c.Sent != 2 {
		t.Fatalf("result %+v, counts %+v", res, c)
	}
	if slices.Contains(store.results, "stranger") {
		t.Fatal("a result for an item not sent was stored")
	}
}

func TestPullUntilNoMore(t *testing.T) {
	k := newTestKiosk(t, 0)
	store := &countingStore{Store: k}
	pages := 0
	var gotCat string
	city := &fakeCity{pull: func(req syncproto.PullRequest) (syncproto.PullResponse, error) {
		pages++
		resp := syncproto.PullResponse{Version: 1, Next: syncproto.Cursor{Epoch: "e1", Seq: req.Cursor.Seq + 2}, HasMore: pages < 3}
		for i := uint64(1); i <= 2; i++ {
			resp.Changes = append(resp.Changes, syncproto.StatusChange{Seq: req.Cursor.Seq + i, RequestID: "r", Status: syncproto.StatusProcessing})
		}
		if pages == 1 {
			resp.Catalogue = &syncproto.CatalogueUpdate{Version: "2026-12", Document: []byte("{}")}
		}
		return resp, nil
	}}
	s := newTestSyncer(store, city, newFakeClock(), func(o *Options) {
		o.CatalogueVersion = func() string { return "2026-11" }
		o.OnCatalogue = func(u syncproto.CatalogueUpdate) error { gotCat = u.Version; return nil }
	})
	res, err := s.RunOnce(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if res.Statuses != 6 || k.cursor() != (syncproto.Cursor{Epoch: "e1", Seq: 6}) || store.statusSets.Load() != 3 || gotCat != "2026-12" {
		t.Fatalf("result %+v cursor %+v sets %d catalogue %q", res, k.cursor(), store.statusSets.Load(), gotCat)
	}
	if city.pulls[1].Cursor.Seq != 2 || city.pulls[2].Cursor.Seq != 4 {
		t.Fatalf("pull cursors %+v", city.pulls)
	}
}

func TestPullStuckCursor(t *testing.T) {
	store := newTestKiosk(t, 0)
	city := &fakeCity{pull: func(req syncproto.PullRequest) (syncproto.PullResponse, error) {
		return syncproto.PullResponse{Version: 1, Next: req.Cursor, HasMore: true}, nil
	}}
	s := newTestSyncer(store, city, newFakeClock(), nil)
	if _, err := s.RunOnce(context.Background()); !errors.Is(err, errProtocol) {
		t.Fatalf("err %v", err)
	}
}

func TestHeartbeat(t *testing.T) {
	clk := newFakeClock()
	store := newTestKiosk(t, 0)
	late := store.submitAt(clk.Now().Add(-time.Hour), 4)[3].RequestID
	city := &fakeCity{now: clk.Now().Add(90 * time.Second), push: func(req syncproto.PushRequest) (syncproto.PushResponse, error) {
		resp := syncproto.PushResponse{Version: 1}
		for _, it := range req.Items {
			resp.Results = append(resp.Results, syncproto.ItemResult{RequestID: it.RequestID, Outcome: syncproto.Rejected})
		}
		return resp, nil
	}}
	// The first run's push fails: no heartbeat.
	city.push = func(req syncproto.PushRequest) (syncproto.PushResponse, error) {
		return syncproto.PushResponse{}, &syncproto.TransientError{Op: "push", Err: errors.New("down")}
	}
	s := newTestSyncer(store, city, clk, func(o *Options) {
		o.AppVersion = "1.2.3"
		o.FreeSpace = func(dir string) (uint64, error) { return 5 << 30, nil }
		o.DiskSize = func(dir string) (uint64, error) { return 64 << 30, nil }
	})
	s.RunOnce(context.Background())
	if len(city.beats) != 0 {
		t.Fatal("heartbeat after a failed push")
	}
	city.push = func(req syncproto.PushRequest) (syncproto.PushResponse, error) {
		resp := syncproto.PushResponse{Version: 1, ServerTime: clk.Now().Add(90 * time.Second)}
		for _, it := range req.Items {
			o := syncproto.Rejected
			if it.RequestID == late {
				o = syncproto.Accepted
			}
			resp.Results = append(resp.Results, syncproto.ItemResult{RequestID: it.RequestID, Outcome: o})
		}
		return resp, nil
	}
	if _, err := s.RunOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	hb := city.beats[0]
	if hb.QueueDepth != 0 || hb.Quarantined != 3 || hb.AppVersion != "1.2.3" || hb.ClockSkewSecs != 90 || hb.FreeDiskBytes != 5<<30 || hb.DiskBytes != 64<<30 || hb.KioskID != "K1" {
		t.Fatalf("heartbeat %+v", hb)
	}
}

func TestNotEnrolled(t *testing.T) {
	// A queued request, and an identity store that has none.
	k := newTestKiosk(t, 1)
	store := storeParts{Outbox: k, StatusStore: k, IdentityStore: newUnenrolledKiosk(t), SettingStore: k}
	city := &fakeCity{}
	s := newTestSyncer(store, city, newFakeClock(), nil)
	res, err := s.RunOnce(context.Background())
	if !errors.Is(err, ErrNotEnrolled) || res.ErrorCode != CodeNotEnrolled || len(city.batches) != 0 {
		t.Fatalf("err %v result %+v", err, res)
	}
}

// TestCaptivePortalIsFailure uses the real client against a "portal" that
// answers every call with a 200 login page.
func TestCaptivePortalIsFailure(t *testing.T) {
	portal := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, "<html><body><h1>Đăng nhập Wi-Fi</h1></body></html>")
	}))
	defer portal.Close()
	k := newTestKiosk(t, 5)
	store := &countingStore{Store: k}
	client := syncclient.New(syncclient.Options{BaseURL: portal.URL, Identity: k.Identity})
	s := newTestSyncer(store, client, newFakeClock(), nil)
	res, err := s.RunOnce(context.Background())
	if err == nil || res.ErrorCode != CodeCaptive {
		t.Fatalf("err %v result %+v", err, res)
	}
	if k.queued() != 5 || store.applies.Load() != 0 {
		t.Fatalf("store changed: queued %d, applies %d", k.queued(), store.applies.Load())
	}
	if s.Last().ErrorCode != CodeCaptive {
		t.Fatalf("last %+v", s.Last())
	}
}

func sorted(a []int) []int {
	b := append([]int(nil), a...)
	slices.Sort(b)
	return b
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestHeartbeatCarriesAlarms: the kiosk's alarms (disk, backup…) and the
// syncer's own reach the city in the heartbeat.
func TestHeartbeatCarriesAlarms(t *testing.T) {
	store := newTestKiosk(t, 0)
	city := &fakeCity{}
	s := newTestSyncer(store, city, newFakeClock(), func(o *Options) {
		o.KioskAlarms = func() []string { return []string{syncproto.AlarmDiskLow} }
		o.FreeSpace = func(string) (uint64, error) { return 12345, nil }
		o.DiskSize = func(string) (uint64, error) { return 99999, nil }
	})
	if _, err := s.RunOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	if len(city.beats) != 1 || !slices.Equal(city.beats[0].Alarms, []string{syncproto.AlarmDiskLow}) || city.beats[0].FreeDiskBytes != 12345 || city.beats[0].DiskBytes != 99999 {
		t.Fatalf("heartbeats %+v", city.beats)
	}
}

// TestHeartbeatDiskSize: the heartbeat names the disk's size, so the city
// can judge free space as a share; a size it cannot read, or one below the
// free space, is sent as unknown (0) and the heartbeat stays valid.
func TestHeartbeatDiskSize(t *testing.T) {
	tests := []struct {
		name string
		size func(string) (uint64, error)
		want uint64
	}{
		{"read", func(string) (uint64, error) { return 1 << 30, nil }, 1 << 30},
		{"unreadable", func(string) (uint64, error) { return 0, errors.New("statfs: no such file") }, 0},
		{"below the free space", func(string) (uint64, error) { return 100, nil }, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			city := &fakeCity{}
			s := newTestSyncer(newTestKiosk(t, 0), city, newFakeClock(), func(o *Options) {
				o.FreeSpace = func(string) (uint64, error) { return 4096, nil }
				o.DiskSize = tt.size
			})
			if _, err := s.RunOnce(context.Background()); err != nil {
				t.Fatal(err)
			}
			if len(city.beats) != 1 || city.beats[0].DiskBytes != tt.want || city.beats[0].FreeDiskBytes != 4096 {
				t.Fatalf("heartbeats %+v, want disk_bytes %d", city.beats, tt.want)
			}
			if err := city.beats[0].Check(); err != nil {
				t.Fatalf("heartbeat not valid: %v", err)
			}
		})
	}
}

// TestHeartbeatCarriesLastError: after a failed run the next heartbeat
// that reaches the city names the failure's code and how long ago it was,
// so the fleet page can say in words what went wrong; before any failure
// it names none.
func TestHeartbeatCarriesLastError(t *testing.T) {
	store := newTestKiosk(t, 1)
	city := &fakeCity{}
	clk := newFakeClock()
	s := newTestSyncer(store, city, clk, nil)
	if _, err := s.RunOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	if len(city.beats) != 1 || city.beats[0].LastError != "" || city.beats[0].LastErrorSecs != 0 {
		t.Fatalf("heartbeat before any failure: %+v", city.beats)
	}
	store.submit(1)
	city.push = func(syncproto.PushRequest) (syncproto.PushResponse, error) {
		return syncproto.PushResponse{}, &syncproto.TransientError{Op: "push", Err: errors.New("dial tcp: connection refused")}
	}
	if _, err := s.RunOnce(context.Background()); err == nil {
		t.Fatal("a run whose push fails succeeded")
	}
	clk.Advance(90 * time.Second)
	city.push = nil
	if _, err := s.RunOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	hb := city.beats[len(city.beats)-1]
	if hb.LastError != CodeUnreachable || hb.LastErrorSecs != 90 {
		t.Fatalf("heartbeat after a failure: last_error %q, %d s ago; want %q, 90", hb.LastError, hb.LastErrorSecs, CodeUnreachable)
	}
	if err := hb.Check(); err != nil {
		t.Fatal(err)
	}
}
