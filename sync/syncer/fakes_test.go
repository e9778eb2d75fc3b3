package syncer

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"sync"
	"testing"
	"time"

	"communekiosk/kiosk/kioskdb"
	"communekiosk/sync/syncproto"
)

// fakeStore is an in-memory Store that behaves like kioskdb for the calls
// the syncer makes.
type fakeStore struct {
	mu         sync.Mutex
	id         syncproto.Identity
	enrolled   bool
	outbox     map[uint64]syncproto.Item
	sent       map[string]syncproto.ItemResult
	quarantine map[string]syncproto.ItemResult
	statuses   map[string]syncproto.StatusChange
	cursor     syncproto.Cursor
	settings   map[string]string
	applyCalls int
	statusSets int
}

func newFakeStore(t *testing.T, n, sealedBytes int) *fakeStore {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	s := &fakeStore{
		id:         syncproto.Identity{KioskID: "K1", Number: 1, SigningKey: priv},
		enrolled:   true,
		outbox:     map[uint64]syncproto.Item{},
		sent:       map[string]syncproto.ItemResult{},
		quarantine: map[string]syncproto.ItemResult{},
		statuses:   map[string]syncproto.StatusChange{},
		settings:   map[string]string{},
	}
	for i := 1; i <= n; i++ {
		s.add(uint64(i), sealedBytes)
	}
	return s
}

func (s *fakeStore) add(seq uint64, sealedBytes int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sealed := make([]byte, sealedBytes)
	sum := sha256.Sum256(sealed)
	s.outbox[seq] = syncproto.Item{Seq: seq, RequestID: fmt.Sprintf("req-%06d", seq), Code: fmt.Sprintf("C%d", seq),
		Service: "birth_extract_copy", CreatedAt: time.Date(2026, 11, 28, 2, 0, 0, int(seq), time.UTC), Sealed: sealed, SHA256: hex.EncodeToString(sum[:])}
}

func (s *fakeStore) Pending(maxItems, maxBytes int) ([]syncproto.Item, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	seqs := make([]uint64, 0, len(s.outbox))
	for k := range s.outbox {
		seqs = append(seqs, k)
	}
	sort.Slice(seqs, func(i, j int) bool { return seqs[i] < seqs[j] })
	var out []syncproto.Item
	size := 0
	for _, k := range seqs {
		it := s.outbox[k]
		if maxItems > 0 && len(out) >= maxItems {
			break
		}
		if maxBytes > 0 && len(out) > 0 && size+len(it.Sealed) > maxBytes {
			break
		}
		size += len(it.Sealed)
		out = append(out, it)
	}
	return out, nil
}

func (s *fakeStore) ApplyPushResults(results []syncproto.ItemResult, now time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.applyCalls++
	for _, r := range results {
		for seq, it := range s.outbox {
			if it.RequestID == r.RequestID {
				delete(s.outbox, seq)
			}
		}
		switch r.Outcome {
		case "accepted", "duplicate":
			s.sent[r.RequestID] = r
		default:
			s.quarantine[r.RequestID] = r
		}
	}
	return nil
}

func (s *fakeStore) QueueCounts() (syncproto.QueueCounts, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := syncproto.QueueCounts{Queued: len(s.outbox), Quarantined: len(s.quarantine)}
	for _, it := range s.outbox {
		if c.OldestUnsent.IsZero() || it.CreatedAt.Before(c.OldestUnsent) {
			c.OldestUnsent = it.CreatedAt
		}
	}
	return c, nil
}

func (s *fakeStore) Cursor() (syncproto.Cursor, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cursor, nil
}

func (s *fakeStore) ApplyStatuses(changes []syncproto.StatusChange, next syncproto.Cursor, reset bool, now time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.statusSets++
	if reset {
		s.statuses = map[string]syncproto.StatusChange{}
	}
	for _, c := range changes {
		s.statuses[c.RequestID] = c
	}
	s.cursor = next
	return nil
}

func (s *fakeStore) Identity() (syncproto.Identity, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.enrolled {
		return syncproto.Identity{}, kioskdb.ErrNotEnrolled
	}
	return s.id, nil
}

func (s *fakeStore) SetIdentity(id syncproto.Identity) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.id, s.enrolled = id, true
	return nil
}

func (s *fakeStore) Setting(key string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.settings[key]
	if !ok {
		return "", kioskdb.ErrNotFound
	}
	return v, nil
}

func (s *fakeStore) SetSetting(key, value string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.settings[key] = value
	return nil
}

func (s *fakeStore) queued() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.outbox)
}

// fakeCity is a Transport whose push answers come from a function; by
// default it accepts everything. The syncer pushes several batches at
// once; the answer functions run one call at a time (as a city commits one
// batch per transaction), so a test's function may keep plain counters and
// maps.
type fakeCity struct {
	mu      sync.Mutex
	callMu  sync.Mutex // held while push or pull runs
	push    func(req syncproto.PushRequest) (syncproto.PushResponse, error)
	pull    func(req syncproto.PullRequest) (syncproto.PullResponse, error)
	batches [][]syncproto.Item
	pulls   []syncproto.PullRequest
	beats   []syncproto.Heartbeat
	now     time.Time
}

func acceptAll(req syncproto.PushRequest) (syncproto.PushResponse, error) {
	resp := syncproto.PushResponse{Version: 1}
	for _, it := range req.Items {
		resp.Results = append(resp.Results, syncproto.ItemResult{Seq: it.Seq, RequestID: it.RequestID, Outcome: syncproto.Accepted, CityRef: "HN-" + it.RequestID})
	}
	return resp, nil
}

func (c *fakeCity) Push(ctx context.Context, req syncproto.PushRequest) (syncproto.PushResponse, error) {
	c.mu.Lock()
	c.batches = append(c.batches, req.Items)
	f := c.push
	c.mu.Unlock()
	if f == nil {
		f = acceptAll
	}
	c.callMu.Lock()
	defer c.callMu.Unlock()
	return f(req)
}

func (c *fakeCity) Pull(ctx context.Context, req syncproto.PullRequest) (syncproto.PullResponse, error) {
	c.mu.Lock()
	c.pulls = append(c.pulls, req)
	f := c.pull
	c.mu.Unlock()
	if f == nil {
		return syncproto.PullResponse{Version: 1, Next: syncproto.Cursor{Epoch: req.Cursor.Epoch, Seq: req.Cursor.Seq}}, nil
	}
	c.callMu.Lock()
	defer c.callMu.Unlock()
	return f(req)
}

func (c *fakeCity) Heartbeat(ctx context.Context, hb syncproto.Heartbeat) (syncproto.HeartbeatResponse, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.beats = append(c.beats, hb)
	return syncproto.HeartbeatResponse{Version: 1, ServerTime: c.now}, nil
}

func (c *fakeCity) batchSizes() []int {
	c.mu.Lock()
	defer c.mu.Unlock()
	var n []int
	for _, b := range c.batches {
		n = append(n, len(b))
	}
	return n
}

// fakeClock is a settable clock with timers that fire only when the test
// says so.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	timers []*fakeTimer
}

type fakeTimer struct {
	c       *fakeClock
	d       time.Duration
	f       func()
	stopped bool
	fired   bool
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Date(2026, 11, 28, 3, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func (c *fakeClock) AfterFunc(d time.Duration, f func()) Timer {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := &fakeTimer{c: c, d: d, f: f}
	c.timers = append(c.timers, t)
	return t
}

func (t *fakeTimer) Stop() bool {
	t.c.mu.Lock()
	defer t.c.mu.Unlock()
	was := !t.stopped && !t.fired
	t.stopped = true
	return was
}

// live returns the timers neither stopped nor fired.
func (c *fakeClock) live() []*fakeTimer {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []*fakeTimer
	for _, t := range c.timers {
		if !t.stopped && !t.fired {
			out = append(out, t)
		}
	}
	return out
}

// fire advances the clock by the timer's delay and runs it synchronously.
func (c *fakeClock) fire(t *fakeTimer) {
	c.mu.Lock()
	t.fired = true
	c.now = c.now.Add(t.d)
	c.mu.Unlock()
	t.f()
}
