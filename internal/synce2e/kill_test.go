package synce2e

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"communekiosk/kiosk/kioskdb"
	"communekiosk/sync/syncproto"
)

// Environment of the child process.
const (
	envChildDB   = "SYNCE2E_CHILD_DB"
	envChildCity = "SYNCE2E_CHILD_CITY"
)

// TestKillChild is the kiosk process of TestKillDuringSync: it opens the
// kiosk's store and syncs until the queue is empty. It does nothing unless
// started by the parent.
func TestKillChild(t *testing.T) {
	path := os.Getenv(envChildDB)
	if path == "" {
		t.Skip("runs as the child of TestKillDuringSync")
	}
	start := time.Now()
	k := openKiosk(t, path, kioskOpts{baseURL: os.Getenv(envChildCity), timeout: 10 * time.Second, maxItems: 10})
	defer k.db.Close()
	trace := os.Getenv("KIOSK_KILL_TRACE") != ""
	if trace {
		fmt.Println("opened in", time.Since(start))
	}
	for range 200 {
		runStart := time.Now()
		res, err := k.sync.RunOnce(context.Background())
		if trace {
			fmt.Printf("run %+v in %v\n", res, time.Since(runStart))
		}
		if c, _ := k.db.Counts(); err == nil && c.Queued == 0 {
			fmt.Println("SYNCED")
			return
		}
	}
	t.Fatal("child: queue not drained")
}

// Kill points of TestKillDuringSync.
const (
	killBeforePush = iota // the city has not seen the batch
	killAfterPush         // the city committed the batch, the answer is not sent
	killAfterPull         // the city answered a pull... but the kiosk never reads it
	killTimer             // a random moment from start-up on
	killModes
)

// TestKillDuringSync kills the kiosk process with SIGKILL at seeded random
// points during sync, 100 times (KIOSK_LONG=1: 300), adding requests as
// it goes; at the end every request is at the city exactly once and acked
// on the kiosk.
func TestKillDuringSync(t *testing.T) {
	if os.Getenv(envChildDB) != "" {
		t.Skip("child")
	}
	iterations := 100
	if long() {
		iterations = 300
	}
	if s := os.Getenv("KIOSK_KILL_ITERATIONS"); s != "" {
		iterations, _ = strconv.Atoi(s)
	}
	seed := uint64(time.Now().UnixNano())
	if s := os.Getenv("KIOSK_KILL_SEED"); s != "" {
		seed, _ = strconv.ParseUint(s, 10, 64)
	}
	t.Logf("seed %d (KIOSK_KILL_SEED=%d reproduces the kill points)", seed, seed)
	rng := rand.New(rand.NewPCG(seed, 1))

	c := newCity(t)
	path := filepath.Join(t.TempDir(), "kiosk.db")
	k := openKiosk(t, path, kioskOpts{})
	if _, err := k.sync.Enrol(context.Background(), c.URL(), c.enrolCode()); err != nil {
		t.Fatal(err)
	}
	kioskID := k.id()
	receipts := k.submit(30)
	k.db.Close()

	var mu sync.Mutex
	var child *exec.Cmd
	kill := func() {
		mu.Lock()
		defer mu.Unlock()
		if child != nil && child.Process != nil {
			child.Process.Kill() // SIGKILL, by PID
		}
	}
	var killed, finished, modes [killModes]int
	for i := range iterations {
		// Keep work in the queue (three batches or more) so that kill
		// points fall inside pushes.
		k := openKiosk(t, path, kioskOpts{})
		if counts, _ := k.db.Counts(); counts.Queued < 30 {
			receipts = append(receipts, k.submit(30-counts.Queued)...)
		}
		k.db.Close()
		mode := rng.IntN(killModes)
		modes[mode]++
		target := 1 + rng.IntN(3)
		if mode == killAfterPull {
			target = 1
		}
		var seen int
		var hookMu sync.Mutex
		c.setHook(func(w http.ResponseWriter, r *http.Request, next http.Handler) {
			hookMu.Lock()
			hit := false
			if (mode == killBeforePush || mode == killAfterPush) && r.URL.Path == syncproto.PathPush ||
				mode == killAfterPull && r.URL.Path == syncproto.PathPull {
				seen++
				hit = seen == target
			}
			hookMu.Unlock()
			switch {
			case hit && mode == killBeforePush:
				kill()
			case hit:
				rec := httptest.NewRecorder()
				next.ServeHTTP(rec, r) // committed at the city
				kill()
			default:
				next.ServeHTTP(w, r)
			}
		})
		iterStart := time.Now()
		var out bytes.Buffer
		cmd := exec.Command(os.Args[0], "-test.run=^TestKillChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), envChildDB+"="+path, envChildCity+"="+c.URL())
		cmd.Stdout, cmd.Stderr = &out, &out
		mu.Lock()
		child = cmd
		err := cmd.Start()
		mu.Unlock()
		if err != nil {
			t.Fatal(err)
		}
		var timer *time.Timer
		if mode == killTimer {
			timer = time.AfterFunc(time.Duration(rng.IntN(300))*time.Millisecond, kill)
		}
		guard := time.AfterFunc(2*time.Minute, kill) // never leave a child behind
		err = cmd.Wait()
		guard.Stop()
		if timer != nil {
			timer.Stop()
		}
		mu.Lock()
		child = nil
		mu.Unlock()
		if testing.Verbose() && os.Getenv("KIOSK_KILL_TRACE") != "" {
			t.Logf("iteration %d mode %d target %d: %v in %v\n%s", i, mode, target, err, time.Since(iterStart), out.String())
		}
		if err == nil {
			finished[mode]++
			if !strings.Contains(out.String(), "SYNCED") {
				t.Fatalf("iteration %d: child exited without syncing:\n%s", i, out.String())
			}
		} else if ee, ok := err.(*exec.ExitError); ok && ee.ProcessState.String() == "signal: killed" {
			killed[mode]++
		} else {
			t.Fatalf("iteration %d: child failed: %v\n%s", i, err, out.String())
		}
	}
	c.setHook(nil)
	t.Logf("kill modes %v: killed %v, finished before the kill point %v", modes, killed, finished)
	sum := 0
	for _, n := range killed {
		sum += n
	}
	if sum < iterations/2 {
		t.Fatalf("only %d of %d children were killed", sum, iterations)
	}

	// One last kiosk run, to the end.
	k = openKiosk(t, path, kioskOpts{})
	defer k.db.Close()
	k.drain(5)
	exactlyOnce(t, c, kioskID, receipts)
	for _, r := range receipts {
		rec, err := k.db.Lookup(r.Code)
		if err != nil || rec.State != kioskdb.StateSent || rec.CityRef == "" {
			t.Fatalf("request %s on the kiosk: %+v %v", r.Code, rec, err)
		}
	}
}
