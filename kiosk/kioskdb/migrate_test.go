package kioskdb

import (
	"encoding/json"
	"flag"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"communekiosk/kiosk"
	"communekiosk/sync/syncproto"

	bolt "go.etcd.io/bbolt"
)

var genFixture = flag.Bool("kioskdb.genfixture", false, "write testdata/schema-v1.db (a store of schema 1) and exit the test")

const fixtureV1 = "testdata/schema-v1.db"

// fixtureV1Requests are the requests of the schema-1 fixture: index i has
// seq i+1 and purpose "fixture i"; states as listed.
var fixtureV1States = []string{StateSent, StateQueued, StateQuarantined, StateQueued}

// TestGenerateFixtureV1 writes the schema-1 fixture the way the schema-1
// code stored requests. Run: go test ./kiosk/kioskdb -run TestGenerateFixtureV1 -kioskdb.genfixture
func TestGenerateFixtureV1(t *testing.T) {
	if !*genFixture {
		t.Skip("run with -kioskdb.genfixture to regenerate " + fixtureV1)
	}
	tmp := filepath.Join(t.TempDir(), "v1.db")
	bdb, err := bolt.Open(tmp, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	id := testIdentity(t)
	err = bdb.Update(func(tx *bolt.Tx) error {
		b := map[string]*bolt.Bucket{}
		for _, name := range []string{"requests", "outbox", "statuses", "quarantine", "meta", "audit"} {
			bk, err := tx.CreateBucket([]byte(name))
			if err != nil {
				return err
			}
			b[name] = bk
		}
		idv, _ := json.Marshal(id)
		must(t, b["meta"].Put(metaIdentity, idv))
		must(t, b["meta"].Put(metaSchemaVersion, []byte("1")))
		must(t, b["meta"].Put(metaCursor, []byte(`{"Epoch":"e1","Seq":7}`)))
		must(t, b["meta"].Put([]byte(settingPrefix+"idle_timeout"), []byte("90s")))
		for i, state := range fixtureV1States {
			seq, _ := b["outbox"].NextSequence()
			code, _ := kiosk.NewReceiptCode(id.Number, seq)
			sealed, _, err := seal(sampleRequest("fixture "+strconv.Itoa(i)), &id.SealKey)
			if err != nil {
				return err
			}
			rid := "0193a000-0000-7000-8000-00000000000" + strconv.Itoa(i)
			at := t0.Add(time.Duration(i) * time.Minute)
			rec := Record{Code: code, RequestID: rid, Seq: seq, Service: "birth_extract_copy",
				MaskedName: "N***** T** H**", Copies: 2, Delivery: "pickup", CreatedAt: at, State: state}
			switch state {
			case StateQueued:
				must(t, b["outbox"].Put(seqKey(seq), []byte(rid)))
			case StateSent:
				rec.CityRef, rec.AckedAt, rec.ReceivedAt = "HN-"+strconv.Itoa(i), at.Add(time.Hour), at.Add(time.Hour)
				must(t, b["statuses"].Put([]byte(rid), []byte(`{"code":"`+code+`","status":"processing","changed_at":"2026-11-28T10:00:00Z","stored_at":"2026-11-28T10:05:00Z"}`)))
			case StateQuarantined:
				q, _ := json.Marshal(QuarantineItem{RequestID: rid, Code: code, Service: rec.Service,
					Outcome: syncproto.Rejected, Reason: "register number unknown", At: at.Add(time.Hour)})
				must(t, b["quarantine"].Put([]byte(rid), q))
			}
			v, _ := json.Marshal(v1Request{Record: rec, Sealed: sealed})
			must(t, b["requests"].Put([]byte(rid), v))
			as, _ := b["audit"].NextSequence()
			a, _ := json.Marshal(AuditEntry{Time: at, Action: AuditSubmit, RequestID: rid, Code: code})
			must(t, b["audit"].Put(seqKey(as), a))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// Compact into the committed file so that it stays small.
	must(t, os.MkdirAll("testdata", 0o755))
	_ = os.Remove(fixtureV1)
	dst, err := bolt.Open(fixtureV1, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	must(t, bolt.Compact(dst, bdb, 0))
	must(t, dst.Close())
	must(t, bdb.Close())
}

// copyFixture copies the schema-1 fixture into a temp dir as kiosk.db.
func copyFixture(t *testing.T) string {
	t.Helper()
	src, err := os.Open(fixtureV1)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	path := filepath.Join(t.TempDir(), "kiosk.db")
	dst, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(dst, src); err != nil {
		t.Fatal(err)
	}
	must(t, dst.Close())
	return path
}

func TestMigrateV1KeepsEverything(t *testing.T) {
	path := copyFixture(t)
	backups := filepath.Join(filepath.Dir(path), "backups")
	db, err := Open(path, Options{Logger: quietLogger(), Now: newClock().Now, BackupDir: backups})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close(); checkFile(t, path) })

	if v, _, err := db.schemaVersion(); err != nil || v != SchemaVersion {
		t.Fatalf("schema version %d, %v", v, err)
	}
	// A backup of the schema-1 file was taken first.
	if b, _ := listBackups(path, backups); len(b) != 1 {
		t.Errorf("backups before migrating: %v", b)
	}
	id, err := db.Identity()
	if err != nil || !reflect.DeepEqual(id, testIdentity(t)) {
		t.Errorf("identity lost: %+v, %v", id, err)
	}
	// Every queued request is still pending, in order, and opens whole.
	pend, err := db.Pending(0, 0)
	if err != nil {
		t.Fatal(err)
	}
	var wantQueued []int
	for i, s := range fixtureV1States {
		if s == StateQueued {
			wantQueued = append(wantQueued, i)
		}
	}
	if len(pend) != len(wantQueued) {
		t.Fatalf("%d pending after migration, want %d", len(pend), len(wantQueued))
	}
	for j, i := range wantQueued {
		if pend[j].Seq != uint64(i+1) {
			t.Errorf("pending %d seq %d, want %d", j, pend[j].Seq, i+1)
		}
		if got := openPayload(t, pend[j].Sealed); !reflect.DeepEqual(got, sampleRequest("fixture "+strconv.Itoa(i))) {
			t.Errorf("payload %d differs after migration", i)
		}
	}
	// Every request is found by its code, with its state.
	for i, s := range fixtureV1States {
		code, _ := kiosk.NewReceiptCode(42, uint64(i+1))
		rec, err := db.Lookup(strings.ToLower(code))
		if err != nil || rec.State != s {
			t.Errorf("request %d: %+v, %v", i, rec, err)
		}
		if s == StateSent && (rec.Status != "processing" || rec.CityRef == "") {
			t.Errorf("sent request lost its status or ack: %+v", rec)
		}
	}
	if q, _ := db.Quarantined(); len(q) != 1 || q[0].Reason != "register number unknown" {
		t.Errorf("quarantine %+v", q)
	}
	if c, _ := db.Cursor(); c != (syncproto.Cursor{Epoch: "e1", Seq: 7}) {
		t.Errorf("cursor %+v", c)
	}
	if v, _ := db.Setting("idle_timeout"); v != "90s" {
		t.Errorf("setting %q", v)
	}
	c, _ := db.Counts()
	if want := (Counts{Queued: 2, Sent: 1, Quarantined: 1, OldestUnsent: t0.Add(time.Minute)}); c != want {
		t.Errorf("Counts %+v, want %+v", c, want)
	}
	// New submissions continue the sequence.
	rc, err := db.Submit(sampleRequest("after"), t0)
	if err != nil || rc.Seq != uint64(len(fixtureV1States)+1) {
		t.Errorf("Submit after migration: %+v, %v", rc, err)
	}
	audit, _ := db.Audit(0)
	found := false
	for _, e := range audit {
		found = found || (e.Action == AuditMigrate && e.Detail == "1→2")
	}
	if !found {
		t.Errorf("no migrate audit line")
	}
}

func TestMigrateFailureKeepsOldFile(t *testing.T) {
	path := copyFixture(t)
	bdb, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	must(t, bdb.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketRequests).Put([]byte("broken"), []byte("{not json"))
	}))
	must(t, bdb.Close())

	_, err = Open(path, Options{Logger: quietLogger(), BackupDir: filepath.Join(t.TempDir(), "b")})
	if err == nil || !strings.Contains(err.Error(), "migrate") {
		t.Fatalf("Open = %v, want a migration error", err)
	}
	bdb, err = bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer bdb.Close()
	_ = bdb.View(func(tx *bolt.Tx) error {
		if v := tx.Bucket(bucketMeta).Get(metaSchemaVersion); string(v) != "1" {
			t.Errorf("schema version %q after failed migration", v)
		}
		if n := tx.Bucket(bucketOutbox).Stats().KeyN; n != 2 {
			t.Errorf("outbox has %d entries after failed migration", n)
		}
		return nil
	})
}
