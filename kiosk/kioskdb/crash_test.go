package kioskdb

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// The crash test (invariant 1: a receipt is a promise). The parent runs
// this test binary again as a child (TestCrashChild, switched on by an
// environment variable); the child submits requests in a loop and prints
// each receipt right after Submit returns; the parent kills it with SIGKILL
// at a random point, reopens the store and checks that every receipt it saw
// is there, whole, and that nothing is half-written.
const (
	envCrashDB  = "KIOSKDB_CRASH_DB"  // the store the child writes
	envCrashRun = "KIOSKDB_CRASH_RUN" // the run number, part of each payload
	envLong     = "KIOSK_LONG"        // 1: 1,000 kills instead of 200
	envSeed     = "KIOSKDB_CRASH_SEED"

	crashPerChild = 10 // submissions a child makes if it is not killed first
	receiptPrefix = "RECEIPT "
)

func crashPurpose(run, i int) string { return fmt.Sprintf("crash run %d item %d", run, i) }

// TestCrashChild is the child's side; it does nothing in a normal run.
func TestCrashChild(t *testing.T) {
	path := os.Getenv(envCrashDB)
	if path == "" {
		t.Skip("the child of TestCrashKill")
	}
	run, _ := strconv.Atoi(os.Getenv(envCrashRun))
	db, err := Open(path, Options{Logger: quietLogger(), Timeout: 10 * time.Second})
	if err != nil {
		fmt.Fprintf(os.Stdout, "OPEN FAILED %v\n", err)
		os.Exit(3)
	}
	for i := range crashPerChild {
		rc, err := db.Submit(sampleRequest(crashPurpose(run, i)), time.Now())
		if err != nil {
			fmt.Fprintf(os.Stdout, "SUBMIT FAILED %v\n", err)
			os.Exit(3)
		}
		// os.Stdout is unbuffered: the line leaves with one write(2).
		fmt.Fprintf(os.Stdout, "%s%s %s %d %d\n", receiptPrefix, rc.Code, rc.RequestID, run, i)
	}
	_ = db.Close()
}

type reported struct {
	code, requestID string
	run, item       int
}

func TestCrashKill(t *testing.T) {
	if os.Getenv(envCrashDB) != "" {
		t.Skip("in the child")
	}
	if testing.Short() {
		t.Skip("-short")
	}
	runs := 200
	if os.Getenv(envLong) == "1" {
		runs = 1000
	}
	seed := uint64(20261128)
	if s, err := strconv.ParseUint(os.Getenv(envSeed), 10, 64); err == nil {
		seed = s
	}
	t.Logf("%d kills, seed %d (%s=N to change)", runs, seed, envSeed)
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))

	child := childBinary(t)
	path := filepath.Join(t.TempDir(), "kiosk.db")
	db, err := Open(path, Options{Logger: quietLogger()})
	if err != nil {
		t.Fatal(err)
	}
	must(t, db.SetIdentity(testIdentity(t)))
	v := &verifier{}
	_ = db.bolt.View(func(tx *bolt.Tx) error { v.auditBase = tx.Bucket(bucketAudit).Sequence(); return nil })
	must(t, db.Close())

	seen := map[string]reported{} // by code
	killedMid := 0
	for run := range runs {
		// Kill after k receipts, and in a quarter of the runs after m more
		// bytes of the next line (the write may be cut anywhere).
		k := rng.IntN(crashPerChild + 1)
		extra := -1
		if rng.IntN(4) == 0 {
			extra = rng.IntN(60)
		}
		got, killed := crashOnce(t, child, path, run, k, extra)
		if killed {
			killedMid++
		}
		fresh := map[string]reported{}
		for _, r := range got {
			fresh[r.code] = r
			seen[r.code] = r
		}
		verifyAfterCrash(t, path, seen, fresh, v)
		if t.Failed() {
			t.Fatalf("run %d (k=%d extra=%d) left the store inconsistent", run, k, extra)
		}
	}
	t.Logf("%d receipts reported across %d runs; %d children killed before finishing", len(seen), runs, killedMid)
	if killedMid < runs/2 {
		t.Errorf("only %d of %d children were killed mid-run: the test is not exercising crashes", killedMid, runs)
	}
}

// childBinary is the test binary the children run: this one, except under
// the race detector, where a race-instrumented child starts four times
// slower and the race detector has nothing to find in a process that is
// killed; then a plain test binary of this package is built once (from the
// build cache, it takes seconds). Without a go command it falls back to
// this binary.
func childBinary(t *testing.T) string {
	t.Helper()
	if !raceEnabled {
		return os.Args[0]
	}
	goBin, err := exec.LookPath("go") // go test puts its own go first in PATH
	if err != nil {
		t.Logf("no go command (%v): children run under the race detector", err)
		return os.Args[0]
	}
	out := filepath.Join(t.TempDir(), "child.test")
	cmd := exec.Command(goBin, "test", "-c", "-o", out, ".")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Logf("building a plain child failed (%v): children run under the race detector\n%s", err, b)
		return os.Args[0]
	}
	return out
}

// crashOnce starts a child, kills it with SIGKILL after k receipt lines
// (and extra bytes of the next, if extra ≥ 0), reaps it and returns every
// complete receipt line it wrote.
func crashOnce(t *testing.T, child, path string, run, k, extra int) (got []reported, killed bool) {
	t.Helper()
	cmd := exec.Command(child, "-test.run=^TestCrashChild$", "-test.count=1", "-test.timeout=120s")
	// GORACE: a -race child that finishes would otherwise sleep 1 s at exit.
	cmd.Env = append(os.Environ(), envCrashDB+"="+path, envCrashRun+"="+strconv.Itoa(run), "GORACE=atexit_sleep_ms=0")
	cmd.Stderr = io.Discard
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	pid := cmd.Process.Pid
	reaped := false
	defer func() {
		if !reaped { // a t.Fatal on the way: still kill and reap by PID
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
	}()

	var buf bytes.Buffer
	r := bufio.NewReader(out)
	lines := 0
	kill := func() {
		if err := cmd.Process.Kill(); err != nil && !errors.Is(err, os.ErrProcessDone) {
			t.Errorf("kill child %d: %v", pid, err)
		}
		killed = true
	}
	for !killed {
		if lines == k && extra < 0 {
			kill()
			break
		}
		if lines == k && extra == 0 {
			kill()
			break
		}
		b, err := r.ReadByte()
		if err != nil {
			break // the child finished (or died) by itself
		}
		buf.WriteByte(b)
		if lines == k {
			extra--
		}
		if b == '\n' {
			lines++
		}
	}
	// Drain what the child wrote before it died: every complete line was
	// written after its Submit returned, so it is a promise too.
	if _, err := io.Copy(&buf, r); err != nil {
		t.Errorf("read child output: %v", err)
	}
	werr := cmd.Wait()
	reaped = true
	if !killed && werr != nil {
		t.Fatalf("child %d failed on its own: %v\n%s", pid, werr, buf.String())
	}
	for _, line := range strings.Split(buf.String(), "\n") {
		if strings.Contains(line, "FAILED") {
			t.Fatalf("child %d: %s", pid, line)
		}
		rest, ok := strings.CutPrefix(line, receiptPrefix)
		if !ok {
			continue
		}
		f := strings.Fields(rest)
		if len(f) != 4 {
			continue // the cut-off last line
		}
		rn, _ := strconv.Atoi(f[2])
		it, err := strconv.Atoi(f[3])
		if err != nil {
			continue
		}
		got = append(got, reported{code: f[0], requestID: f[1], run: rn, item: it})
	}
	// A line is only counted if it is whole; "killed" also covers children
	// that had already finished when the signal came, which is rare.
	return got, killed && len(got) < crashPerChild
}

// verifyAfterCrash reopens the store (its integrity check runs), checks
// that every receipt reported so far is there, that the payloads of this
// run's receipts open and are the ones submitted (earlier runs' were
// checked after their own kill; checkWhole sees that every payload is
// still there), and that no request is half-written.
func verifyAfterCrash(t *testing.T, path string, seen, fresh map[string]reported, v *verifier) {
	t.Helper()
	db, err := Open(path, Options{Logger: quietLogger(), Timeout: 5 * time.Second})
	if err != nil {
		t.Fatalf("reopen after kill: %v", err)
	}
	defer db.Close()
	_ = db.bolt.View(func(tx *bolt.Tx) error {
		codes := tx.Bucket(bucketCodes)
		for code, r := range seen {
			if got := string(codes.Get([]byte(code))); got != r.requestID {
				t.Errorf("receipt %s reported before a kill: stored for %q, reported for %s", code, got, r.requestID)
			}
		}
		return nil
	})
	for code, r := range fresh {
		rec, err := db.Lookup(code)
		if err != nil {
			t.Errorf("receipt %s reported before the kill is missing: %v", code, err)
			continue
		}
		var sealed []byte
		_ = db.bolt.View(func(tx *bolt.Tx) error {
			sr, err := getRequest(tx, rec.RequestID)
			if err != nil {
				t.Errorf("receipt %s: %v", code, err)
			}
			sealed = sr.Sealed
			return nil
		})
		if got := openPayload(t, sealed); !reflect.DeepEqual(got, sampleRequest(crashPurpose(r.run, r.item))) {
			t.Errorf("receipt %s: payload is not the one submitted", code)
		}
	}
	if v.runs++; v.runs%25 == 0 {
		checkWhole(t, db)
	}
	v.checkRecent(t, db)
}

// verifier checks, after each kill, the requests written since the last
// check (checkWhole, every 25 kills and at the end, checks them all).
type verifier struct {
	auditBase uint64 // audit lines written before the first child ran
	lastSeq   uint64 // requests up to this seq were checked
	runs      int
}

// checkRecent checks that the counts of requests, codes, outbox entries
// and audit lines agree (every request of this test stays queued, and each
// submit writes one audit line), and that each request since the last
// check is whole: record, code, outbox entry, payload, and its own audit
// line at its place.
func (v *verifier) checkRecent(t *testing.T, db *DB) {
	t.Helper()
	_ = db.bolt.View(func(tx *bolt.Tx) error {
		reqs, codes, outbox, audit := tx.Bucket(bucketRequests), tx.Bucket(bucketCodes), tx.Bucket(bucketOutbox), tx.Bucket(bucketAudit)
		last := outbox.Sequence()
		nReq, nCodes, nOut := reqs.Stats().KeyN, codes.Stats().KeyN, outbox.Stats().KeyN
		if uint64(nReq) != last || nCodes != nReq || nOut != nReq || audit.Sequence() != v.auditBase+last {
			t.Errorf("counts disagree: seq %d, requests %d, codes %d, outbox %d, audit %d (base %d)",
				last, nReq, nCodes, nOut, audit.Sequence(), v.auditBase)
		}
		for seq := v.lastSeq + 1; seq <= last; seq++ {
			id := outbox.Get(seqKey(seq))
			if id == nil {
				t.Errorf("seq %d: no outbox entry", seq)
				continue
			}
			r, err := getRequest(tx, string(id))
			if err != nil {
				t.Errorf("seq %d: %v", seq, err)
				continue
			}
			if r.Record.Seq != seq || r.Record.State != StateQueued || len(r.Sealed) == 0 {
				t.Errorf("seq %d: record %+v, %d sealed bytes", seq, r.Record, len(r.Sealed))
			}
			if string(codes.Get([]byte(r.Record.Code))) != string(id) {
				t.Errorf("seq %d: code %s not indexed", seq, r.Record.Code)
			}
			e, err := decodeAudit(audit.Get(seqKey(v.auditBase + seq)))
			if err != nil || e.Action != AuditSubmit || e.RequestID != string(id) || e.Code != r.Record.Code {
				t.Errorf("seq %d: audit line %+v, %v", seq, e, err)
			}
		}
		v.lastSeq = last
		return nil
	})
}

// checkWhole checks that every request has its index, code entry, outbox
// entry (or ack, or quarantine entry) and exactly one submit audit line,
// that nothing points at a missing request, and that sequences have no
// gaps.
func checkWhole(t *testing.T, db *DB) {
	t.Helper()
	err := db.bolt.View(func(tx *bolt.Tx) error {
		reqs, codes, outbox := tx.Bucket(bucketRequests), tx.Bucket(bucketCodes), tx.Bucket(bucketOutbox)
		quar := tx.Bucket(bucketQuarantine)
		submits := map[string]int{}
		_ = tx.Bucket(bucketAudit).ForEach(func(k, v []byte) error {
			e, err := decodeAudit(v)
			if err != nil {
				t.Errorf("audit line %x: %v", k, err)
			} else if e.Action == AuditSubmit {
				submits[e.RequestID]++
			}
			return nil
		})
		seqs := map[uint64]bool{}
		n := 0
		_ = reqs.ForEach(func(k, v []byte) error {
			n++
			r, err := decodeRequest(v)
			if err != nil {
				t.Errorf("request %s: %v", k, err)
				return nil
			}
			rec := r.Record
			id := string(k)
			if rec.RequestID != id {
				t.Errorf("request %s holds record of %s", id, rec.RequestID)
			}
			if string(codes.Get([]byte(rec.Code))) != id {
				t.Errorf("request %s: code %s not indexed", id, rec.Code)
			}
			if seqs[rec.Seq] {
				t.Errorf("seq %d used twice", rec.Seq)
			}
			seqs[rec.Seq] = true
			inOutbox := string(outbox.Get(seqKey(rec.Seq))) == id
			switch rec.State {
			case StateQueued:
				if !inOutbox {
					t.Errorf("queued request %s not in the outbox", id)
				}
			case StateSent:
				if inOutbox || rec.AckedAt.IsZero() {
					t.Errorf("sent request %s: in outbox %v, acked %v", id, inOutbox, rec.AckedAt)
				}
			case StateQuarantined:
				if inOutbox || quar.Get(k) == nil {
					t.Errorf("quarantined request %s: in outbox %v, in quarantine %v", id, inOutbox, quar.Get(k) != nil)
				}
			}
			if len(r.Sealed) == 0 && !rec.Purged {
				t.Errorf("request %s has no payload", id)
			}
			if submits[id] != 1 {
				t.Errorf("request %s has %d submit audit lines", id, submits[id])
			}
			delete(submits, id)
			return nil
		})
		for id := range submits {
			t.Errorf("submit audit line for missing request %s", id)
		}
		_ = outbox.ForEach(func(k, v []byte) error {
			if reqs.Get(v) == nil {
				t.Errorf("outbox seq %d points at missing request %s", seqFromKey(k), v)
			}
			return nil
		})
		_ = codes.ForEach(func(k, v []byte) error {
			if reqs.Get(v) == nil {
				t.Errorf("code %s points at missing request %s", k, v)
			}
			return nil
		})
		if last := outbox.Sequence(); last != uint64(n) || len(seqs) != n {
			t.Errorf("outbox sequence %d, %d requests, %d distinct seqs", last, n, len(seqs))
		}
		for s := uint64(1); s <= uint64(n); s++ {
			if !seqs[s] {
				t.Errorf("seq %d missing", s)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
