package city_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"communekiosk/city"
	"communekiosk/city/citybolt"
	"communekiosk/sync/syncproto"
)

// diskFull is a real store whose writes fail with ENOSPC while full is
// set, as a store on a full disk does; reads keep working.
type diskFull struct {
	*citybolt.Store
	full      bool
	probeFull bool // the probe's small write fails too
	probes    int
}

func (d *diskFull) ProbeWrite(ctx context.Context) error {
	d.probes++
	if d.probeFull {
		return errNoSpace
	}
	return d.Store.ProbeWrite(ctx)
}

var errNoSpace = fmt.Errorf("citybolt: write: %w", syscall.ENOSPC)

func (d *diskFull) Ingest(ctx context.Context, kioskID string, items []city.IngestItem, at time.Time) ([]syncproto.ItemResult, error) {
	if d.full {
		return nil, errNoSpace
	}
	return d.Store.Ingest(ctx, kioskID, items, at)
}

func (d *diskFull) Fresh(ctx context.Context, kioskID, nonce string, kioskTime time.Time, window time.Duration) error {
	if d.full {
		return errNoSpace
	}
	return d.Store.Fresh(ctx, kioskID, nonce, kioskTime, window)
}

// noProbe hides ProbeWrite, as a store without a write probe.
type noProbe struct{ city.Store }

// /healthz needs no token: however often it is called, the store gets at
// most one test write per 5 seconds.
func TestHealthzProbesAtMostEvery5s(t *testing.T) {
	st, err := citybolt.Open(filepath.Join(t.TempDir(), "city.db"), citybolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	df := &diskFull{Store: st}
	e := newEnv(t, func(o *city.Options) { o.Store = df })
	for range 20 {
		if status, body := healthz(t, e.http.URL); status != 200 {
			t.Fatalf("%d %s", status, body)
		}
	}
	if df.probes != 1 {
		t.Fatalf("%d probes for 20 calls in the same instant; want 1", df.probes)
	}
	e.now = e.now.Add(5 * time.Second)
	healthz(t, e.http.URL)
	if df.probes != 2 {
		t.Fatalf("%d probes 5 s later; want 2", df.probes)
	}
}

func healthz(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// /healthz says the store is unhealthy while its writes fail, both from
// the write probe and from the writes of real calls (for a store without
// a probe), and ok again once a write succeeds.
func TestHealthzReportsFailingWrites(t *testing.T) {
	for _, tc := range []struct {
		name             string
		probe, probeFull bool
	}{
		{"probe fails too", true, true},
		{"probe still fits", true, false},
		{"no probe", false, false},
	} {
		probe := tc.probe
		t.Run(tc.name, func(t *testing.T) {
			st, err := citybolt.Open(filepath.Join(t.TempDir(), "city.db"), citybolt.Options{})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { st.Close() })
			df := &diskFull{Store: st}
			var store city.Store = df
			if !probe {
				store = noProbe{df}
			}
			e := newEnv(t, func(o *city.Options) { o.Store = store })
			k := e.enrol("00004")
			if status, body := healthz(t, e.http.URL); status != 200 || body != "ok\n" {
				t.Fatalf("healthy store: %d %s", status, body)
			}
			df.full, df.probeFull = true, tc.probeFull
			e.now = e.now.Add(5 * time.Second) // the probe's last outcome is kept 5 s
			if tc.probeFull {
				// The probe alone finds it, before any kiosk calls.
				if status, body := healthz(t, e.metrics.URL); status != 503 || !strings.Contains(body, "test write failed") {
					t.Fatalf("probe on a full disk: %d %s", status, body)
				}
			}
			// A push on the full disk fails (5xx), and /healthz says why.
			status, body := e.do(k.signed(syncproto.PathPush, k.id, syncproto.PushRequest{Version: 1, KioskID: k.id, BatchID: "b1", Items: []syncproto.Item{k.item(goodRequest())}}, true))
			if status < 500 {
				t.Fatalf("push on a full disk: %d %s", status, body)
			}
			status, hb := healthz(t, e.http.URL)
			if status != 503 || !strings.Contains(hb, "unhealthy") || strings.Contains(hb, "no space left") {
				t.Fatalf("API healthz while writes fail: %d %s; want 503 without the store's error", status, hb)
			}
			status, hb = healthz(t, e.metrics.URL)
			if status != 503 || !strings.Contains(hb, "no space left") {
				t.Fatalf("metrics listener healthz while writes fail: %d %s; want the store's error", status, hb)
			}
			df.full, df.probeFull = false, false
			e.now = e.now.Add(5 * time.Second)
			if r := k.push(k.item(goodRequest())).Results[0]; r.Outcome != syncproto.Accepted {
				t.Fatalf("push after space came back: %+v", r)
			}
			if status, body := healthz(t, e.http.URL); status != 200 {
				t.Fatalf("healthz after a write succeeded: %d %s", status, body)
			}
		})
	}
}
