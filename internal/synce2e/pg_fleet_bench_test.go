package synce2e

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"communekiosk/city/citybolt"
	"communekiosk/city/citypg"
	"communekiosk/city/citypg/citypgtest"
	"communekiosk/kiosk"
	"communekiosk/sync/syncclient"
	"communekiosk/sync/syncproto"

	"github.com/google/uuid"
)

// The fleet benchmark (scripts/bench-fleet.sh): simulated kiosks, each
// enrolled with its own key, push a backlog in batches, pull their feed
// and send a heartbeat, against real cityd processes: 1 and 3 on one
// PostgreSQL, and 1 on the embedded store. Bounded in count and time, on
// loopback. Skipped unless CITY_FLEET_BENCH=1.

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

// procCPU is a process's user + system CPU time, all its threads, from
// /proc/PID/stat (in ticks of 10 ms: fine for a cityd that runs the whole
// load).
func procCPU(pid int) time.Duration {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	s := string(data)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+2:])
	ut, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(ut+st) * (time.Second / 100) // USER_HZ
}

// taskCPU is the CPU time of a single-threaded process (a PostgreSQL
// backend) in nanoseconds, from /proc/PID/schedstat: short-lived backends
// would round to nothing in ticks.
func taskCPU(pid int) time.Duration {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/schedstat", pid))
	if err != nil {
		return 0
	}
	f := strings.Fields(string(data))
	if len(f) == 0 {
		return 0
	}
	ns, _ := strconv.ParseInt(f[0], 10, 64)
	return time.Duration(ns)
}

// pgCPU is the CPU time of the PostgreSQL server whose postmaster is pid
// and of every process it started that is still running.
func pgCPU(pid int) time.Duration {
	if pid == 0 {
		return 0
	}
	total := taskCPU(pid)
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		child, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", child))
		if err != nil {
			continue
		}
		s := string(data)
		f := strings.Fields(s[strings.LastIndexByte(s, ')')+2:])
		if pp, _ := strconv.Atoi(f[1]); pp == pid {
			total += taskCPU(child)
		}
	}
	return total
}

type fleetResult struct {
	Name          string    `json:"name"`
	Batch         int       `json:"batch"`
	Cityd         int       `json:"cityd"`
	Kiosks        int       `json:"kiosks"`
	Items         int       `json:"items"`
	Calls         int64     `json:"calls"`
	Pushes        int       `json:"pushes"`
	Seconds       float64   `json:"seconds"`
	CallsPerSec   float64   `json:"calls_per_sec"`
	ItemsPerSec   float64   `json:"items_per_sec"`
	PushP50ms     float64   `json:"push_p50_ms"`
	PushP99ms     float64   `json:"push_p99_ms"`
	CitydCPUus    []float64 `json:"cityd_cpu_us_per_item"`
	CitydCallUs   []float64 `json:"cityd_cpu_us_per_call"`
	PgCPUus       float64   `json:"pg_cpu_us_per_item"`
	StatusChanges int64     `json:"status_changes"`
	Lost          int       `json:"lost"`
	Duplicated    int       `json:"duplicated"`
	FeedGaps      int       `json:"feed_gaps"`
	GenCPUs       float64   `json:"load_generator_cpu_s"`
	Note          string    `json:"note,omitempty"`
}

type fleetConfig struct {
	kiosks, backlog, batch, workers int
	deadline                        time.Duration
	pgPID                           int
}

func TestFleetBench(t *testing.T) {
	if os.Getenv("CITY_FLEET_BENCH") != "1" {
		t.Skip("set CITY_FLEET_BENCH=1 (scripts/bench-fleet.sh)")
	}
	// A kiosk pushes as many of its queued requests in one batch as the
	// city's limits allow (the syncer's MaxItems, from the city's
	// announced Limits: 100 by default), so a backlog of 200 is two
	// full batches, as after two or three days without a link.
	cfg := fleetConfig{kiosks: envInt("CITY_FLEET_KIOSKS", 500), backlog: envInt("CITY_FLEET_BACKLOG", 200),
		batch: envInt("CITY_FLEET_BATCH", 100), workers: envInt("CITY_FLEET_WORKERS", 64),
		deadline: time.Duration(envInt("CITY_FLEET_DEADLINE_S", 600)) * time.Second, pgPID: envInt("CITY_BENCH_PG_PID", 0)}
	var results []fleetResult

	// Baseline: the same rows, batch size and durability, bare pgx.
	payload := make([]byte, 1500)
	batches := cfg.kiosks * cfg.backlog / cfg.batch
	dsn := citypgtest.Schema(t)
	pg0 := pgCPU(cfg.pgPID)
	var pgUsed time.Duration
	d, err := citypgtest.BareIngest(context.Background(), dsn, batches, cfg.batch, cfg.workers, payload, func() { pgUsed = pgCPU(cfg.pgPID) - pg0 })
	if err != nil {
		t.Fatal(err)
	}
	items := batches * cfg.batch
	results = append(results, fleetResult{Name: "baseline: bare pgx inserts", Batch: cfg.batch, Items: items, Pushes: batches, Seconds: d.Seconds(),
		ItemsPerSec: float64(items) / d.Seconds(), CallsPerSec: float64(batches) / d.Seconds(),
		PgCPUus: float64(pgUsed.Microseconds()) / float64(items)})
	t.Logf("baseline: %d rows in %v", items, d)

	// The last run has each kiosk send a tenth of the backlog in batches
	// a tenth the size, to show what the per-call costs weigh when kiosks
	// send small batches.
	small := cfg
	small.batch, small.backlog = max(cfg.batch/10, 1), max(cfg.backlog/10, 1)
	for _, v := range []struct {
		name  string
		pg    bool
		cityd int
		cfg   fleetConfig
	}{{"postgresql, 1 cityd", true, 1, cfg}, {"postgresql, 3 cityd", true, 3, cfg}, {"embedded store, 1 cityd", false, 1, cfg},
		{fmt.Sprintf("postgresql, 3 cityd, %d requests per kiosk in batches of %d", small.backlog, small.batch), true, 3, small}} {
		t.Run(v.name, func(t *testing.T) {
			r := fleetRun(t, v.cfg, v.name, v.pg, v.cityd)
			r.Batch = v.cfg.batch
			t.Logf("%+v", r)
			results = append(results, r)
		})
	}
	if out := os.Getenv("CITY_FLEET_OUT"); out != "" {
		if err := os.WriteFile(out, []byte(fleetMarkdown(cfg, results)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if out := os.Getenv("CITY_FLEET_JSON"); out != "" {
		data, _ := json.MarshalIndent(results, "", "  ")
		if err := os.WriteFile(out, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// fleetMarkdown is the table docs/benchmarks.md shows.
func fleetMarkdown(cfg fleetConfig, rs []fleetResult) string {
	var b strings.Builder
	base := rs[0]
	fmt.Fprintf(&b, "%d simulated kiosks, each enrolled with its own key, push a backlog of %d requests in batches of %d, as the kiosk's syncer does with the city's default limits (every 20th kiosk sends its first batch again and must get duplicates), pull their feed to the end and send a heartbeat; %d at a time; two operators move accepted requests to processing meanwhile. Sealed payloads come from a real kiosk (stamped with its catalogue and quote as the app stamps them, re-used under fresh request IDs), so every item is opened and checked.\n\n",
		cfg.kiosks, cfg.backlog, cfg.batch, cfg.workers)
	b.WriteString("| run | batch | requests (items) | HTTP calls | wall s | items/s | calls/s | push p50 ms | push p99 ms | cityd CPU µs per item (each cityd) | cityd CPU µs per call | PostgreSQL CPU µs per item | load generator CPU s | lost | duplicated | feed gaps |\n")
	b.WriteString("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|---:|---:|---:|---:|---:|\n")
	us := func(v []float64) string {
		var p []string
		for _, x := range v {
			p = append(p, fmt.Sprintf("%.0f", x))
		}
		if len(p) == 0 {
			return "—"
		}
		return strings.Join(p, " / ")
	}
	for _, r := range rs {
		pgcpu := "—"
		if r.PgCPUus > 0 {
			pgcpu = fmt.Sprintf("%.0f", r.PgCPUus)
		}
		calls, p50, p99, lost, dup, gaps := fmt.Sprint(r.Calls), fmt.Sprintf("%.0f", r.PushP50ms), fmt.Sprintf("%.0f", r.PushP99ms), fmt.Sprint(r.Lost), fmt.Sprint(r.Duplicated), fmt.Sprint(r.FeedGaps)
		if r.Cityd == 0 {
			calls, p50, p99, lost, dup, gaps = fmt.Sprintf("%d transactions", r.Pushes), "—", "—", "—", "—", "—"
		}
		gen := "—"
		if r.GenCPUs > 0 {
			gen = fmt.Sprintf("%.1f", r.GenCPUs)
		}
		fmt.Fprintf(&b, "| %s | %d | %d | %s | %.1f | %.0f | %.0f | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n",
			r.Name, r.Batch, r.Items, calls, r.Seconds, r.ItemsPerSec, r.CallsPerSec, p50, p99, us(r.CitydCPUus), us(r.CitydCallUs), pgcpu, gen, lost, dup, gaps)
	}
	b.WriteString("\nRatios to the baseline (bare pgx, the same rows, batch size, connections and durability): ")
	var parts []string
	for _, r := range rs[1:] {
		parts = append(parts, fmt.Sprintf("%s %.2f× its items/s", r.Name, r.ItemsPerSec/base.ItemsPerSec))
	}
	b.WriteString(strings.Join(parts, "; ") + ".\n")
	for _, r := range rs {
		if r.Cityd != 3 || r.Batch != cfg.batch {
			continue
		}
		cpu := 0.0
		for _, x := range r.CitydCPUus {
			cpu += x
		}
		verdict := func(ok bool) string {
			if ok {
				return "met"
			}
			return "**not met**"
		}
		fmt.Fprintf(&b, "\nTargets, with 3 cityd: ≥ 3,000 requests/s: %.0f items/s (%.0f HTTP calls/s), %s; push p99 < 1 s: %.0f ms, %s; cityd CPU ≤ 100 µs per ingested request: %.0f µs summed over the three cityd, every call of the run counted (pushes, pulls, heartbeats, signatures, logs), %s.\n",
			r.ItemsPerSec, r.CallsPerSec, verdict(r.ItemsPerSec >= 3000), r.PushP99ms, verdict(r.PushP99ms < 1000), cpu, verdict(cpu <= 100))
		all := cpu + r.PgCPUus + r.GenCPUs*1e6/float64(r.Items)
		fmt.Fprintf(&b, "\nCPU per item of every process of this run (3 cityd, PostgreSQL, the load generator): %.0f µs, so %d idle cores would carry at most %.0f items/s; the run used %.0f%% of the machine's CPU time; the rest was waiting (commits, locks) or other work on the shared machine, which this run cannot tell apart.\n",
			all, runtime.NumCPU(), float64(runtime.NumCPU())*1e6/all, 100*all*float64(r.Items)/1e6/(r.Seconds*float64(runtime.NumCPU())))
		// A push waits for the pushes in flight before it: with W of them
		// at once, each costing B items' CPU, on C cores, about W·B·cpu/C.
		perPush := all * float64(cfg.batch) / 1e3
		fmt.Fprintf(&b, "\nA push's latency is mostly its wait behind the others: %d pushes of %d items in flight at once, each about %.0f ms of CPU in all on %d cores, is about %.0f ms of queue before a push is served, whatever the server does; fewer kiosks syncing at once, or smaller batches (the last row), shorten it and cost throughput.\n",
			cfg.workers, cfg.batch, perPush, runtime.NumCPU(), float64(cfg.workers)*perPush/float64(runtime.NumCPU()))
	}
	return b.String()
}

// simKiosk is one simulated kiosk.
type simKiosk struct {
	id     string
	cursor syncproto.Cursor
	client []*syncclient.Client // one per cityd
}

func fleetRun(t *testing.T, cfg fleetConfig, name string, pg bool, n int) fleetResult {
	ctx, cancel := context.WithTimeout(context.Background(), cfg.deadline)
	defer cancel()
	data := t.TempDir()
	dsn := ""
	store := []string{"--data", data}
	if pg {
		dsn = citypgtest.Schema(t)
		store = append(store, "--db", dsn)
	}
	// Named tokens, made before any cityd holds the store: an admin's for
	// the enrolment codes, and one of the officer of the fleet's commune
	// for the operators' status changes.
	admin := namedToken(t, "ops", "admin", nil, store...)
	officer := namedToken(t, "lan", "officer", []string{"00004"}, store...)
	var urls []string
	var pids []int
	for i := range n {
		args := slices.Clone(store)
		if dir := os.Getenv("CITY_FLEET_PROFILE_DIR"); dir != "" {
			args = append(args, "--cpu-profile", filepath.Join(dir, fmt.Sprintf("%s-%d.prof", strings.NewReplacer(" ", "", ",", "-").Replace(name), i)))
		}
		u, pid := startCitydArgs(t, args...)
		urls, pids = append(urls, u), append(pids, pid)
	}
	c := &cityEnv{t: t, addr: strings.TrimPrefix(urls[0], "http://"), token: admin}

	// Payloads sealed to this city by a real kiosk, reused under fresh
	// request IDs: each push still opens and checks every one.
	tmpl := openKiosk(t, filepath.Join(t.TempDir(), "kiosk.db"), kioskOpts{})
	t.Cleanup(func() { tmpl.db.Close() })
	if _, err := tmpl.sync.Enrol(ctx, urls[0], c.enrolCode()); err != nil {
		t.Fatal(err)
	}
	// Stamped with the catalogue and quote, as the app stamps them.
	cat, err := kiosk.DefaultCatalogue()
	if err != nil {
		t.Fatal(err)
	}
	for i := range 50 {
		req := sampleRequest(i)
		req.CatalogueVersion, req.QuotedVND = cat.Version, kiosk.Quote(req, cat, time.Now()).TotalVND
		if _, err := tmpl.db.Submit(req, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	sealed, err := tmpl.db.Pending(50, 1<<30)
	if err != nil || len(sealed) != 50 {
		t.Fatalf("template items %d, %v", len(sealed), err)
	}

	// Enrol the fleet, each kiosk with its own key (not measured).
	kiosks := make([]*simKiosk, cfg.kiosks)
	var wg sync.WaitGroup
	errs := make(chan error, cfg.kiosks)
	sem := make(chan struct{}, 16)
	for i := range kiosks {
		code := c.enrolCode()
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			e, err := syncclient.New(syncclient.Options{Logger: quiet()}).Enrol(ctx, urls[i%n], code)
			if err != nil {
				errs <- err
				return
			}
			id := syncproto.Identity{KioskID: e.Response.KioskID, SigningKey: e.PrivateKey}
			k := &simKiosk{id: id.KioskID}
			for _, u := range urls {
				k.client = append(k.client, syncclient.New(syncclient.Options{BaseURL: u, Identity: func() (syncproto.Identity, error) { return id, nil }, Logger: quiet()}))
			}
			kiosks[i] = k
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("enrol: %v", err)
	}

	var calls, changes atomic.Int64
	var mu sync.Mutex
	var latencies []time.Duration
	var accepted []string
	pushed := map[string]bool{}
	cpu0 := make([]time.Duration, n)
	for i, pid := range pids {
		cpu0[i] = procCPU(pid)
	}
	pg0 := pgCPU(cfg.pgPID)
	if !pg {
		pg0 = 0
	}
	gen0 := cpuTime()

	// Two operators move accepted requests to processing while the fleet
	// syncs: the feeds get writers besides ingest.
	opDone := make(chan struct{})
	var opWG sync.WaitGroup
	for o := range 2 {
		opWG.Go(func() {
			for j := 0; ; j++ {
				select {
				case <-opDone:
					return
				default:
				}
				mu.Lock()
				var id string
				if len(accepted) > 0 {
					id = accepted[len(accepted)-1]
					accepted = accepted[:len(accepted)-1]
				}
				mu.Unlock()
				if id == "" {
					time.Sleep(2 * time.Millisecond) // waiting for work, bounded by opDone
					continue
				}
				oc := &cityEnv{t: t, addr: strings.TrimPrefix(urls[(o+j)%n], "http://")}
				if st := oc.officeAction(officer, id, "process"); st == 200 {
					changes.Add(1)
				}
				calls.Add(1)
			}
		})
	}

	start := time.Now()
	jobs := make(chan int)
	failures := make(chan error, cfg.workers)
	for range cfg.workers {
		wg.Go(func() {
			for i := range jobs {
				if err := simSync(ctx, kiosks[i], i, cfg, sealed, &calls, &mu, &latencies, &accepted, pushed); err != nil {
					failures <- fmt.Errorf("kiosk %s: %w", kiosks[i].id, err)
					for range jobs {
					}
					return
				}
			}
		})
	}
	for i := range kiosks {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	close(opDone)
	opWG.Wait()
	wall := time.Since(start)
	close(failures)
	for err := range failures {
		t.Fatal(err)
	}
	r := fleetResult{Name: name, Cityd: n, Kiosks: cfg.kiosks, Items: len(pushed), Calls: calls.Load(), Seconds: wall.Seconds(),
		StatusChanges: changes.Load()}
	r.Pushes = len(latencies)
	r.GenCPUs = (cpuTime() - gen0).Seconds()
	r.CallsPerSec = float64(r.Calls) / wall.Seconds()
	r.ItemsPerSec = float64(r.Items) / wall.Seconds()
	slices.Sort(latencies)
	r.PushP50ms = float64(latencies[len(latencies)/2].Microseconds()) / 1000
	r.PushP99ms = float64(latencies[len(latencies)*99/100].Microseconds()) / 1000
	for i, pid := range pids {
		cpu := procCPU(pid) - cpu0[i]
		r.CitydCPUus = append(r.CitydCPUus, float64(cpu.Microseconds())/float64(r.Items))
		r.CitydCallUs = append(r.CitydCallUs, float64(cpu.Microseconds())/float64(r.Calls))
	}
	if pg {
		r.PgCPUus = float64((pgCPU(cfg.pgPID) - pg0).Microseconds()) / float64(r.Items)
	}
	for _, pid := range pids {
		syscall.Kill(pid, syscall.SIGTERM)
	}
	waitExit(t, pids)
	// The checks, on the database or the file.
	if pg {
		st, err := citypg.Open(context.Background(), dsn, citypg.Options{Logger: quiet()})
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		var rows, distinct, gaps, badHeads int
		err = st.Pool().QueryRow(context.Background(), `SELECT count(*), count(DISTINCT request_id),
			(SELECT count(*) FROM (SELECT seq, lag(seq) OVER (PARTITION BY kiosk_id ORDER BY seq) AS prev, min(seq) OVER (PARTITION BY kiosk_id) AS first FROM feed) f
				WHERE (prev IS NOT NULL AND seq <> prev + 1) OR first <> 1),
			(SELECT count(*) FROM kiosks k WHERE feed_seq <> (SELECT count(*) FROM feed f WHERE f.kiosk_id = k.id))
			FROM requests WHERE kiosk_id <> $1`, tmpl.id()).Scan(&rows, &distinct, &gaps, &badHeads)
		if err != nil {
			t.Fatal(err)
		}
		r.Lost, r.Duplicated, r.FeedGaps = len(pushed)-distinct, rows-distinct, gaps+badHeads
	} else {
		st, err := citybolt.Open(filepath.Join(data, "city.db"), citybolt.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		seen := map[string]int{}
		for _, k := range kiosks {
			after := uint64(0)
			for {
				ch, head, more, err := st.Feed(context.Background(), k.id, after, 1000)
				if err != nil {
					t.Fatal(err)
				}
				for _, c := range ch {
					if c.Seq != after+1 {
						r.FeedGaps++
					}
					after = c.Seq
					if c.Status == syncproto.StatusReceived {
						seen[c.RequestID]++
					}
				}
				if !more {
					if after != head {
						r.FeedGaps++
					}
					break
				}
			}
		}
		for id := range pushed {
			switch seen[id] {
			case 0:
				r.Lost++
			case 1:
			default:
				r.Duplicated++
			}
		}
	}
	if r.Lost != 0 || r.Duplicated != 0 || r.FeedGaps != 0 {
		t.Errorf("%s: %d lost, %d duplicated, %d feed gaps", name, r.Lost, r.Duplicated, r.FeedGaps)
	}
	return r
}

// waitExit waits (bounded) until the processes are gone.
func waitExit(t *testing.T, pids []int) {
	for _, pid := range pids {
		for i := 0; syscall.Kill(pid, 0) == nil; i++ {
			if i > 3000 {
				t.Fatalf("cityd %d did not stop", pid)
			}
			time.Sleep(10 * time.Millisecond) // polling for the exit, bounded
		}
	}
}

// simSync is one kiosk's session: its backlog in batches (each push to
// the next cityd in turn), every 20th kiosk sending its first batch again
// (a retry after a lost answer), then a pull of its feed to the end and a
// heartbeat.
func simSync(ctx context.Context, k *simKiosk, i int, cfg fleetConfig, sealed []syncproto.Item, calls *atomic.Int64,
	mu *sync.Mutex, latencies *[]time.Duration, accepted *[]string, pushed map[string]bool) error {
	call := i
	next := func() *syncclient.Client { call++; return k.client[call%len(k.client)] }
	var first syncproto.PushRequest
	for b := 0; b*cfg.batch < cfg.backlog; b++ {
		req := syncproto.PushRequest{Version: syncproto.Version, KioskID: k.id, BatchID: uuid.NewString(), SentAt: time.Now().UTC()}
		for j := 0; j < cfg.batch && b*cfg.batch+j < cfg.backlog; j++ {
			s := sealed[(i+b*cfg.batch+j)%len(sealed)]
			seq := uint64(b*cfg.batch + j + 1)
			req.Items = append(req.Items, syncproto.Item{Seq: seq, RequestID: uuid.Must(uuid.NewV7()).String(), Code: s.Code,
				Service: s.Service, CreatedAt: s.CreatedAt, Sealed: s.Sealed, SHA256: s.SHA256})
		}
		if b == 0 {
			first = req
		}
		t0 := time.Now()
		resp, err := next().Push(ctx, req)
		d := time.Since(t0)
		calls.Add(1)
		if err != nil {
			return err
		}
		mu.Lock()
		*latencies = append(*latencies, d)
		for _, r := range resp.Results {
			if r.Outcome != syncproto.Accepted {
				mu.Unlock()
				return fmt.Errorf("push: %s %s %s", r.RequestID, r.Outcome, r.Reason)
			}
			pushed[r.RequestID] = true
			*accepted = append(*accepted, r.RequestID)
		}
		mu.Unlock()
	}
	if i%20 == 0 {
		resp, err := next().Push(ctx, first)
		calls.Add(1)
		if err != nil {
			return err
		}
		for _, r := range resp.Results {
			if r.Outcome != syncproto.Duplicate {
				return fmt.Errorf("re-push: %s %s", r.RequestID, r.Outcome)
			}
		}
	}
	for range 100 {
		resp, err := next().Pull(ctx, syncproto.PullRequest{Version: syncproto.Version, KioskID: k.id, Cursor: k.cursor, Limit: 500})
		calls.Add(1)
		if err != nil {
			return err
		}
		for j, c := range resp.Changes {
			if want := k.cursor.Seq + uint64(j) + 1; !resp.Reset && c.Seq != want {
				return fmt.Errorf("pull: seq %d, want %d", c.Seq, want)
			}
		}
		k.cursor = resp.Next
		if !resp.HasMore {
			break
		}
	}
	_, err := next().Heartbeat(ctx, syncproto.Heartbeat{Version: syncproto.Version, KioskID: k.id, SentAt: time.Now().UTC(), AppVersion: "fleet"})
	calls.Add(1)
	return err
}
