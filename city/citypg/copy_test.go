package citypg_test

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strings"
	"sync"
	"testing"
	"time"

	"communekiosk/city"
	"communekiosk/city/citybolt"
	"communekiosk/city/citypg"
	"communekiosk/city/citypg/citypgtest"
	"communekiosk/sync/syncproto"
)

// bigStore fills an embedded store with n requests of payload bytes each,
// from two kiosks, and some of every big table.
func bigStore(t testing.TB, n, payload int) *citybolt.Store {
	t.Helper()
	ctx := context.Background()
	src, err := citybolt.Open(filepath.Join(t.TempDir(), "city.db"), citybolt.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { src.Close() })
	now := time.Date(2026, 11, 20, 3, 4, 5, 6789, time.UTC)
	var kiosks []city.Kiosk
	for i := range 2 {
		k, err := src.RegisterKiosk(ctx, "00004", "Phường Phúc Xá", ed25519.PublicKey(make([]byte, 32)), now)
		if err != nil {
			t.Fatal(err)
		}
		kiosks = append(kiosks, k)
		if err := src.KeepHeartbeat(ctx, k.ID, syncproto.Heartbeat{Version: 1, KioskID: k.ID, QueueDepth: i}, now, city.HeartbeatKeep); err != nil {
			t.Fatal(err)
		}
		if err := src.Fresh(ctx, k.ID, fmt.Sprintf("nonce-%d", i), now, time.Hour); err != nil {
			t.Fatal(err)
		}
	}
	bytes := rand.NewChaCha8([32]byte{1})
	rng := rand.New(bytes)
	const batch = 500
	for start := 0; start < n; start += batch {
		k := kiosks[(start/batch)%2]
		var items []city.IngestItem
		for i := start; i < min(start+batch, n); i++ {
			sealed := make([]byte, payload)
			_, _ = bytes.Read(sealed) // never fails
			sum := sha256.Sum256(sealed)
			items = append(items, city.IngestItem{Commune: "00004", Item: syncproto.Item{
				Seq: uint64(i + 1), RequestID: fmt.Sprintf("019%013x-%04d", rng.Uint64()>>12, i), Code: fmt.Sprintf("C%07d", i),
				Service: "trich-luc-khai-sinh", CreatedAt: now, Sealed: sealed, SHA256: hex.EncodeToString(sum[:])}})
		}
		if _, err := src.Ingest(ctx, k.ID, items, now.Add(time.Duration(start)*time.Millisecond)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := src.AppendAudit(ctx, city.AuditEntry{At: now, Action: "login"}); err != nil {
		t.Fatal(err)
	}
	if err := src.PutSatisfaction(ctx, kiosks[0].ID, "00004", []syncproto.SatisfactionDay{{Day: "2026-11-20", Satisfied: 3}}); err != nil {
		t.Fatal(err)
	}
	return src
}

// heapSampler records the peak of the heap's in-use bytes (objects, live
// or not yet swept, and the free space of in-use spans: MemStats'
// HeapInuse) until stopped.
type heapSampler struct {
	stop chan struct{}
	done sync.WaitGroup
	peak uint64
}

func heapInuse() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/memory/classes/heap/unused:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64() + s[1].Value.Uint64()
}

func sampleHeap() *heapSampler {
	h := &heapSampler{stop: make(chan struct{}), peak: heapInuse()}
	h.done.Add(1)
	go func() {
		defer h.done.Done()
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			h.peak = max(h.peak, heapInuse())
			select {
			case <-h.stop:
				return
			case <-tick.C:
			}
		}
	}()
	return h
}

func (h *heapSampler) Stop() uint64 {
	close(h.stop)
	h.done.Wait()
	return max(h.peak, heapInuse())
}

// TestCopyHeapStaysBounded: moving 20,000 requests with 2 KB sealed
// payloads (40 MB of payloads) streams them: the heap's peak during the
// copy and its verification stays far below the payloads' size (a copy
// held in memory needs it twice over), and the copy verifies.
func TestCopyHeapStaysBounded(t *testing.T) {
	const n, payload = 20000, 2048
	ctx := context.Background()
	src := bigStore(t, n, payload)
	dst := open(t, citypgtest.Schema(t))
	// The heap's peak depends on the collector's pacing: the default, not
	// the environment's GOGC.
	defer debug.SetGCPercent(debug.SetGCPercent(100))

	runtime.GC()
	base := heapInuse()
	h := sampleHeap()
	start := time.Now()
	rep, err := citypg.Copy(ctx, src, dst)
	took := time.Since(start)
	peak := h.Stop()
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Copied {
		t.Fatal("copy into an empty database reports nothing copied")
	}
	for i, d := range rep.Source {
		if d != rep.Target[i] {
			t.Errorf("table %s: source %+v, copy %+v", d.Table, d, rep.Target[i])
		}
		if d.Table == "requests" && d.Rows != n {
			t.Errorf("requests: %d rows, want %d", d.Rows, n)
		}
	}
	grew := int64(peak) - int64(base)
	limit := int64(n * payload / 4)
	t.Logf("copied and verified %d requests of %d B in %v (%.0f rows/s); heap in use: %.1f MB before, peak %.1f MB (+%.1f MB; payloads %.1f MB)",
		n, payload, took.Round(time.Millisecond), float64(n)/took.Seconds(), mb(base), mb(peak), float64(grew)/1e6, float64(n*payload)/1e6)
	if grew >= limit {
		t.Fatalf("the heap grew by %.1f MB during the copy; want < %.1f MB (a quarter of the payloads)", float64(grew)/1e6, float64(limit)/1e6)
	}

	// Run again: nothing copied, the source digested alone, still bounded.
	runtime.GC()
	base = heapInuse()
	h = sampleHeap()
	rep2, err := citypg.Copy(ctx, src, dst)
	peak = h.Stop()
	if err != nil || rep2.Copied {
		t.Fatalf("run again: copied %v, %v", rep2.Copied, err)
	}
	for i, d := range rep2.Source {
		if d != rep.Source[i] || d != rep2.Target[i] {
			t.Errorf("run again, table %s: source %+v, copy %+v, first run %+v", d.Table, d, rep2.Target[i], rep.Source[i])
		}
	}
	if grew := int64(peak) - int64(base); grew >= limit {
		t.Fatalf("run again: the heap grew by %.1f MB; want < %.1f MB", float64(grew)/1e6, float64(limit)/1e6)
	}
}

func mb(b uint64) float64 { return float64(b) / 1e6 }

// TestCopyVerificationFindsADifference: a copy changed behind the
// verification's back (one row of each big table) is reported, by table,
// on the next run.
func TestCopyVerificationFindsADifference(t *testing.T) {
	ctx := context.Background()
	src := bigStore(t, 30, 64)
	for _, tc := range []struct {
		name, table, sql string
	}{
		{"a sealed payload", "requests", `UPDATE requests SET sealed = sealed || '\x00'::bytea WHERE request_id = (SELECT min(request_id) FROM requests)`},
		{"a status", "requests", `UPDATE requests SET doc = jsonb_set(doc, '{status_note}', '"x"') WHERE request_id = (SELECT max(request_id) FROM requests)`},
		{"a feed row gone", "feed", `DELETE FROM feed WHERE (kiosk_id, seq) = (SELECT kiosk_id, max(seq) FROM feed GROUP BY kiosk_id LIMIT 1)`},
		{"a nonce more", "replay_nonces", `INSERT INTO replay_nonces (kiosk_id, nonce, t) SELECT kiosk_id, 'extra', t FROM replay_nonces LIMIT 1`},
		{"an audit line more", "audit", `INSERT INTO audit (at, user_id, action, request_id, doc) SELECT at, user_id, 'logout', request_id, doc FROM audit LIMIT 1`},
		{"a heartbeat gone", "heartbeat_history", `DELETE FROM heartbeat_history WHERE kiosk_id = (SELECT min(kiosk_id) FROM heartbeat_history)`},
		{"a tally", "satisfaction", `UPDATE satisfaction SET neutral = neutral + 1`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dst := open(t, citypgtest.Schema(t))
			if _, err := citypg.Copy(ctx, src, dst); err != nil {
				t.Fatal(err)
			}
			if _, err := dst.Pool().Exec(ctx, tc.sql); err != nil {
				t.Fatal(err)
			}
			rep, err := citypg.Copy(ctx, src, dst)
			if err == nil || !strings.Contains(err.Error(), "["+tc.table+"]") || rep.Copied {
				t.Fatalf("after changing %s: copied %v, %v; want the verification to name [%s] alone", tc.name, rep.Copied, err, tc.table)
			}
			for i, d := range rep.Source {
				if (d != rep.Target[i]) != (d.Table == tc.table) {
					t.Errorf("table %s: source %+v, copy %+v", d.Table, d, rep.Target[i])
				}
			}
		})
	}
}

// TestCopyOrderIsBytewise: the copy is read back in the source's bytewise
// order whatever the columns' collation: on a database whose keys sort
// otherwise (ICU: "_-4" < "a-3" < "B-1" < "b-2"; bytewise "B-1" < "_-4" <
// "a-3" < "b-2"), the digests still match.
func TestCopyOrderIsBytewise(t *testing.T) {
	ctx := context.Background()
	src, err := citybolt.Open(filepath.Join(t.TempDir(), "city.db"), citybolt.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	now := time.Date(2026, 11, 20, 3, 0, 0, 0, time.UTC)
	k, err := src.RegisterKiosk(ctx, "00004", "Phường Phúc Xá", ed25519.PublicKey(make([]byte, 32)), now)
	if err != nil {
		t.Fatal(err)
	}
	var items []city.IngestItem
	for i, id := range []string{"b-2", "B-1", "a-3", "_-4"} {
		items = append(items, city.IngestItem{Commune: "00004", Item: syncproto.Item{Seq: uint64(i + 1), RequestID: id, Code: fmt.Sprint("C", i),
			Service: "trich-luc-khai-sinh", CreatedAt: now, Sealed: []byte(id), SHA256: "x"}})
	}
	if _, err := src.Ingest(ctx, k.ID, items, now); err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{"b", "B", "a", "_"} {
		if err := src.Fresh(ctx, k.ID, n, now, time.Hour); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []string{"b", "B", "a", "_"} {
		if err := src.PutSatisfaction(ctx, k.ID, c, []syncproto.SatisfactionDay{{Day: "2026-11-20", Satisfied: 1}}); err != nil {
			t.Fatal(err)
		}
	}
	dst := open(t, citypgtest.Schema(t))
	for _, col := range []string{"requests ALTER COLUMN request_id", "replay_nonces ALTER COLUMN nonce", "satisfaction ALTER COLUMN commune"} {
		if _, err := dst.Pool().Exec(ctx, `ALTER TABLE `+col+` TYPE text COLLATE "en-x-icu"`); err != nil {
			t.Fatalf("no ICU collation to sort otherwise: %v", err)
		}
	}
	var first string
	if err := dst.Pool().QueryRow(ctx, `SELECT min(x) FROM (VALUES ('B-1'::text COLLATE "en-x-icu"), ('a-3')) v(x)`).Scan(&first); err != nil || first != "a-3" {
		t.Fatalf("the collation sorts %q first (%v); the test needs one that does not sort bytewise", first, err)
	}
	rep, err := citypg.Copy(ctx, src, dst)
	if err != nil {
		t.Fatalf("copy onto keys that sort otherwise: %v\n%+v\n%+v", err, rep.Source, rep.Target)
	}
}
