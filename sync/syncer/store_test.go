package syncer

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path/filepath"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"communekiosk/kiosk"
	"communekiosk/kiosk/kioskdb"
	"communekiosk/sync/syncproto"
)

// The engine is tested on the store it runs on: the real kioskdb in a
// temporary folder (testKiosk), as syncthing tests its model on its real
// database. Where a test needs what a real request cannot give (a payload
// of a chosen size), it swaps that one small interface for a small fake
// (sizedOutbox) and keeps the real store for the others (storeParts).

// The store the app wires is a Store.
var _ Store = (*kioskdb.DB)(nil)

// testStart is when the tests' requests are made (newFakeClock's start).
var testStart = time.Date(2026, 11, 28, 3, 0, 0, 0, time.UTC)

// testKiosk is an enrolled kiosk's real store, kiosk "K1".
type testKiosk struct {
	*kioskdb.DB
	t testing.TB
	// cityPriv is the city's signing key, whose public half the identity
	// holds: it signs the receipts the kiosk imports.
	cityPriv ed25519.PrivateKey
	made     int // requests submitted so far
}

// newTestKiosk opens an enrolled store with n requests made at testStart.
func newTestKiosk(t testing.TB, n int) *testKiosk {
	t.Helper()
	k := newUnenrolledKiosk(t)
	_, priv, _ := ed25519.GenerateKey(rand.Reader)
	cityPub, cityPriv, _ := ed25519.GenerateKey(rand.Reader)
	id := syncproto.Identity{KioskID: "K1", Number: 7, Commune: "00004", CityURL: "http://city.invalid",
		CityKey: cityPub, SigningKey: priv, EnrolledAt: testStart}
	rand.Read(id.SealKey[:])
	if err := k.SetIdentity(id); err != nil {
		t.Fatal(err)
	}
	k.cityPriv = cityPriv
	k.submit(n)
	return k
}

// newUnenrolledKiosk opens a store without an identity.
func newUnenrolledKiosk(t testing.TB) *testKiosk {
	t.Helper()
	db, err := kioskdb.Open(filepath.Join(t.TempDir(), "kiosk.db"), kioskdb.Options{Now: func() time.Time { return testStart }, Logger: quietLogger()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return &testKiosk{DB: db, t: t}
}

// submit makes n more requests at testStart.
func (k *testKiosk) submit(n int) []kioskdb.Receipt { return k.submitAt(testStart, n) }

// submitAt makes n more requests at a time.
func (k *testKiosk) submitAt(at time.Time, n int) []kioskdb.Receipt {
	k.t.Helper()
	var out []kioskdb.Receipt
	for range n {
		k.made++
		rc, err := k.Submit(sampleRequest(k.made), at)
		if err != nil {
			k.t.Fatal(err)
		}
		out = append(out, rc)
	}
	return out
}

func (k *testKiosk) counts() kioskdb.Counts {
	k.t.Helper()
	c, err := k.Counts()
	if err != nil {
		k.t.Fatal(err)
	}
	return c
}

func (k *testKiosk) queued() int { return k.counts().Queued }

func (k *testKiosk) identity() syncproto.Identity {
	k.t.Helper()
	id, err := k.Identity()
	if err != nil {
		k.t.Fatal(err)
	}
	return id
}

func (k *testKiosk) enrolled() bool {
	_, err := k.Identity()
	return err == nil
}

func (k *testKiosk) cursor() syncproto.Cursor {
	k.t.Helper()
	c, err := k.Cursor()
	if err != nil {
		k.t.Fatal(err)
	}
	return c
}

// quarantined returns the store's quarantine by request ID.
func (k *testKiosk) quarantined() map[string]kioskdb.QuarantineItem {
	k.t.Helper()
	items, err := k.Quarantined()
	if err != nil {
		k.t.Fatal(err)
	}
	out := map[string]kioskdb.QuarantineItem{}
	for _, q := range items {
		out[q.RequestID] = q
	}
	return out
}

func sampleRequest(i int) kiosk.Request {
	return kiosk.Request{
		Service: "birth_extract_copy",
		Requester: kiosk.Requester{FullName: "Nguyễn Thị Hoa", PersonalID: "001190012345", Phone: "0912345678",
			Residence: kiosk.Address{Province: "01", Commune: "00004", Street: "12 Phố Đội Cấn"}, Relation: "self"},
		Subject:  kiosk.Person{FullName: "Nguyễn Thị Hoa", BirthDate: "1990-05-17", Sex: "female", Ethnicity: "kinh", Nationality: "VN"},
		Event:    "birth",
		Register: kiosk.Register{Office: "00004", Date: "1990-06-01", Number: fmt.Sprint(i)},
		Copies:   1,
		Delivery: kiosk.Delivery{Method: "pickup"},
		Consent:  kiosk.Consent{NoticeVersion: "2026-08", Purposes: []string{"process_request"}},
	}
}

// storeParts makes a Store of its four small interfaces, so a test swaps
// one of them.
type storeParts struct {
	Outbox
	StatusStore
	IdentityStore
	SettingStore
}

// withOutbox is k with its outbox swapped for o.
func withOutbox(k *testKiosk, o Outbox) Store {
	return storeParts{Outbox: o, StatusStore: k, IdentityStore: k, SettingStore: k}
}

// countingStore counts the store transactions the engine asks for, and
// keeps the request IDs of the results it hands the store.
type countingStore struct {
	Store
	applies, statusSets atomic.Int32

	mu      sync.Mutex
	results []string
}

func (c *countingStore) ApplyPushResults(results []syncproto.ItemResult, now time.Time) error {
	c.applies.Add(1)
	c.mu.Lock()
	for _, r := range results {
		c.results = append(c.results, r.RequestID)
	}
	c.mu.Unlock()
	return c.Store.ApplyPushResults(results, now)
}

func (c *countingStore) ApplyStatuses(changes []syncproto.StatusChange, next syncproto.Cursor, reset bool, now time.Time) error {
	c.statusSets.Add(1)
	return c.Store.ApplyStatuses(changes, next, reset, now)
}

// sizedOutbox is an Outbox of items whose sealed payloads have a chosen
// size ("req-000001", "req-000002", …), for the batching and 413 tests;
// it keeps the store's rules (seq order, the byte bound but always the
// first item, acked and quarantined items leave it) and counts its
// transactions.
type sizedOutbox struct {
	mu         sync.Mutex
	queue      map[uint64]syncproto.Item
	quarantine map[string]syncproto.ItemResult
	applies    int
}

func newSizedOutbox(n, size int) *sizedOutbox {
	o := &sizedOutbox{queue: map[uint64]syncproto.Item{}, quarantine: map[string]syncproto.ItemResult{}}
	for i := 1; i <= n; i++ {
		o.add(uint64(i), size)
	}
	return o
}

// add queues request seq with a payload of size bytes (replacing one of
// the same seq).
func (o *sizedOutbox) add(seq uint64, size int) {
	o.mu.Lock()
	defer o.mu.Unlock()
	sealed := make([]byte, size)
	sum := sha256.Sum256(sealed)
	o.queue[seq] = syncproto.Item{Seq: seq, RequestID: fmt.Sprintf("req-%06d", seq), Code: fmt.Sprintf("C%d", seq),
		Service: "birth_extract_copy", CreatedAt: testStart.Add(time.Duration(seq)), Sealed: sealed, SHA256: hex.EncodeToString(sum[:])}
}

func (o *sizedOutbox) Pending(maxItems, maxBytes int) ([]syncproto.Item, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	seqs := make([]uint64, 0, len(o.queue))
	for k := range o.queue {
		seqs = append(seqs, k)
	}
	sort.Slice(seqs, func(i, j int) bool { return seqs[i] < seqs[j] })
	var out []syncproto.Item
	size := 0
	for _, k := range seqs {
		it := o.queue[k]
		if maxItems > 0 && len(out) >= maxItems || maxBytes > 0 && len(out) > 0 && size+len(it.Sealed) > maxBytes {
			break
		}
		size += len(it.Sealed)
		out = append(out, it)
	}
	return out, nil
}

func (o *sizedOutbox) ApplyPushResults(results []syncproto.ItemResult, now time.Time) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.applies++
	for _, r := range results {
		for seq, it := range o.queue {
			if it.RequestID == r.RequestID {
				delete(o.queue, seq)
				if r.Outcome == syncproto.Rejected || r.Outcome == syncproto.Conflict {
					o.quarantine[r.RequestID] = r
				}
			}
		}
	}
	return nil
}

func (o *sizedOutbox) QueueCounts() (syncproto.QueueCounts, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	c := syncproto.QueueCounts{Queued: len(o.queue), Quarantined: len(o.quarantine)}
	for _, it := range o.queue {
		if c.OldestUnsent.IsZero() || it.CreatedAt.Before(c.OldestUnsent) {
			c.OldestUnsent = it.CreatedAt
		}
	}
	return c, nil
}

func (o *sizedOutbox) queued() int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return len(o.queue)
}
