package synce2e

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"communekiosk/city"
	"communekiosk/city/citybolt"
	"communekiosk/kiosk/kioskdb"
	"communekiosk/sync/syncproto"
)

const envBenchCityDir = "SYNCE2E_BENCH_CITY_DIR"

// cpuTime is this process's user + system CPU time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// TestBenchCityChild is the city process of BenchmarkSyncDrain: a real
// city on citybolt in its own process, so that each side's CPU time is
// its own. Besides the API it serves /bench/mark (start counting CPU),
// /bench/cpu (CPU since the mark) and /bench/echo (the baseline: read and
// gunzip the body, answer a small JSON).
func TestBenchCityChild(t *testing.T) {
	dir := os.Getenv(envBenchCityDir)
	if dir == "" {
		t.Skip("runs as the city of BenchmarkSyncDrain")
	}
	st, err := citybolt.Open(filepath.Join(dir, "city.db"), citybolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	srv, err := city.New(city.Options{Store: st, DataDir: dir, OperatorToken: operatorToken, Logger: quiet()})
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	mark := cpuTime()
	mux := http.NewServeMux()
	mux.Handle("/", srv.Handler())
	mux.HandleFunc("/bench/mark", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		mark = cpuTime()
		mu.Unlock()
	})
	mux.HandleFunc("/bench/cpu", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprint(w, int64(cpuTime()-mark))
	})
	mux.HandleFunc("/bench/echo", func(w http.ResponseWriter, r *http.Request) {
		zr, err := gzip.NewReader(r.Body)
		if err == nil {
			io.Copy(io.Discard, zr)
		}
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"version":1}`)
	})
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	fmt.Printf("LISTEN %s\n", l.Addr())
	hs := &http.Server{Handler: mux}
	go hs.Serve(l)
	io.Copy(io.Discard, os.Stdin) // the parent closes stdin to stop us
	hs.Close()
}

// BenchmarkSyncDrain drains KIOSK_BENCH_SYNC_N (default 100,000) queued
// requests from a real kioskdb to a real city in another process over
// loopback, in one RunOnce, and reports requests per second and CPU time
// per request on each side. The baseline, measured in the same run, is the
// same number of requests sent as the same gzipped batches to a handler
// that only reads them. Skipped unless KIOSK_BENCH_SYNC=1 (building the
// queue takes minutes; scripts/bench-sync.sh sets it).
func BenchmarkSyncDrain(b *testing.B) {
	if os.Getenv("KIOSK_BENCH_SYNC") != "1" {
		b.Skip("set KIOSK_BENCH_SYNC=1 (scripts/bench-sync.sh)")
	}
	n := 100_000
	if v, err := strconv.Atoi(os.Getenv("KIOSK_BENCH_SYNC_N")); err == nil && v > 0 {
		n = v
	}
	for range b.N {
		benchDrainOnce(b, n)
	}
}

func benchDrainOnce(b *testing.B, n int) {
	cityDir := b.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestBenchCityChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), envBenchCityDir+"="+cityDir)
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	defer func() {
		stdin.Close()
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			cmd.Process.Kill()
			<-done
		}
	}()
	sc := bufio.NewScanner(stdout)
	var addr string
	for sc.Scan() {
		if a, ok := strings.CutPrefix(sc.Text(), "LISTEN "); ok {
			addr = a
			break
		}
	}
	if addr == "" {
		b.Fatal("city child did not start")
	}
	go io.Copy(io.Discard, stdout)
	c := &cityEnv{t: b, addr: addr}
	cityURL := c.URL()

	// Build the queue on a RAM disk when there is one (setup, not
	// measured), then move it to a real disk for the drain.
	buildDir := b.TempDir()
	if fi, err := os.Stat("/dev/shm"); err == nil && fi.IsDir() {
		if d, err := os.MkdirTemp("/dev/shm", "bench-sync-"); err == nil {
			buildDir = d
			defer os.RemoveAll(d)
		}
	}
	k := openKiosk(b, filepath.Join(buildDir, "kiosk.db"), kioskOpts{})
	if _, err := k.sync.Enrol(context.Background(), cityURL, c.enrolCode()); err != nil {
		b.Fatal(err)
	}
	buildStart := time.Now()
	submitParallel(b, k.db, n, 4)
	b.Logf("queue of %d built in %v", n, time.Since(buildStart))
	k.db.Close()
	diskPath := filepath.Join(b.TempDir(), "kiosk.db")
	copyFile(b, filepath.Join(buildDir, "kiosk.db"), diskPath)
	os.Remove(filepath.Join(buildDir, "kiosk.db"))
	k = openKiosk(b, diskPath, kioskOpts{timeout: 5 * time.Minute})
	defer k.db.Close()

	// Baseline: the same batches to a handler that only reads them.
	items, err := k.db.Pending(100, 1<<20)
	if err != nil {
		b.Fatal(err)
	}
	body := pushBody(b, k.id(), items)
	batches := (n + 99) / 100
	httpGet(b, cityURL+"/bench/mark")
	kioskCPU := cpuTime()
	start := time.Now()
	for range batches {
		resp, err := http.Post(cityURL+"/bench/echo", "application/json", bytes.NewReader(body))
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	baseWall := time.Since(start)
	baseKiosk := cpuTime() - kioskCPU
	baseCity := cityCPU(b, cityURL)

	// The drain.
	httpGet(b, cityURL+"/bench/mark")
	kioskCPU = cpuTime()
	b.ResetTimer()
	start = time.Now()
	res, err := k.sync.RunOnce(context.Background())
	wall := time.Since(start)
	b.StopTimer()
	drainKiosk := cpuTime() - kioskCPU
	drainCity := cityCPU(b, cityURL)
	if err != nil || res.Accepted != n {
		b.Fatalf("drain: %+v %v", res, err)
	}
	var stats city.Stats
	if c.op("GET", "/v1/operator/stats", nil, &stats); stats.Total != n {
		b.Fatalf("city holds %d requests, want %d", stats.Total, n)
	}

	perSec := float64(n) / wall.Seconds()
	basePerSec := float64(n) / baseWall.Seconds()
	us := func(d time.Duration) float64 { return float64(d.Microseconds()) / float64(n) }
	b.ReportMetric(perSec, "req/s")
	b.ReportMetric(us(drainKiosk), "kiosk-cpu-µs/req")
	b.ReportMetric(us(drainCity), "city-cpu-µs/req")
	b.ReportMetric(basePerSec, "baseline-req/s")
	b.ReportMetric(us(baseKiosk), "baseline-kiosk-cpu-µs/req")
	b.ReportMetric(us(baseCity), "baseline-city-cpu-µs/req")
	b.ReportMetric(perSec/basePerSec, "ratio-vs-baseline")
	b.Logf("drained %d in %v (%d batches): %.0f req/s; CPU per request: kiosk %.1f µs, city %.1f µs; baseline %.0f req/s (kiosk %.1f µs, city %.1f µs)",
		n, wall.Round(time.Millisecond), res.Batches, perSec, us(drainKiosk), us(drainCity), basePerSec, us(baseKiosk), us(baseCity))
}

// submitParallel submits n requests from w goroutines.
func submitParallel(b *testing.B, db *kioskdb.DB, n, w int) {
	var wg sync.WaitGroup
	errs := make(chan error, w)
	for g := range w {
		wg.Go(func() {
			for i := g; i < n; i += w {
				if _, err := db.Submit(sampleRequest(i), time.Now()); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		b.Fatal(err)
	}
}

// pushBody is the gzipped JSON of one push of items, as the client sends it.
func pushBody(b *testing.B, kioskID string, items []syncproto.Item) []byte {
	req := syncproto.PushRequest{Version: 1, KioskID: kioskID, BatchID: "baseline", SentAt: time.Now().UTC()}
	for _, it := range items {
		req.Items = append(req.Items, syncproto.Item{Seq: it.Seq, RequestID: it.RequestID, Code: it.Code, Service: it.Service,
			CreatedAt: it.CreatedAt, Sealed: it.Sealed, SHA256: it.SHA256})
	}
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
	if err := json.NewEncoder(zw).Encode(req); err != nil {
		b.Fatal(err)
	}
	zw.Close()
	return buf.Bytes()
}

func cityCPU(b *testing.B, url string) time.Duration {
	s := httpGet(b, url+"/bench/cpu")
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		b.Fatalf("city cpu %q", s)
	}
	return time.Duration(v)
}

func httpGet(b *testing.B, url string) string {
	resp, err := http.Get(url)
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return string(data)
}

func copyFile(b *testing.B, from, to string) {
	in, err := os.Open(from)
	if err != nil {
		b.Fatal(err)
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		b.Fatal(err)
	}
	if err := out.Sync(); err != nil {
		b.Fatal(err)
	}
	out.Close()
}
