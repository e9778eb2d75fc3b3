package kioskdb

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/json"
	"io"
	"log/slog"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"communekiosk/kiosk"
	"communekiosk/sync/syncproto"

	bolt "go.etcd.io/bbolt"
	"golang.org/x/crypto/nacl/box"
)

// t0 is the fixed start of every test clock.
var t0 = time.Date(2026, 11, 28, 8, 30, 0, 0, time.UTC)

// testKeys is the city's sealing key pair of the tests, derived from a fixed
// seed so that the fixture and the tests agree.
func testKeys(t testing.TB) (pub, priv *[32]byte) {
	t.Helper()
	seed := sha256.Sum256([]byte("kioskdb test city key"))
	pub, priv, err := box.GenerateKey(bytes.NewReader(seed[:]))
	if err != nil {
		t.Fatal(err)
	}
	return pub, priv
}

func testIdentity(t testing.TB) syncproto.Identity {
	t.Helper()
	pub, _ := testKeys(t)
	seed := sha256.Sum256([]byte("kioskdb test kiosk key"))
	sk := ed25519.NewKeyFromSeed(seed[:])
	citySeed := sha256.Sum256([]byte("kioskdb test city signing key"))
	cityKey := ed25519.NewKeyFromSeed(citySeed[:]).Public().(ed25519.PublicKey)
	return syncproto.Identity{
		KioskID:     "kiosk-test-1",
		Number:      42,
		Commune:     "00004",
		CommuneName: "Phường Ba Đình",
		CityURL:     "https://city.invalid",
		SealKey:     *pub,
		CityKey:     cityKey,
		SigningKey:  sk,
		EnrolledAt:  t0,
	}
}

// sampleRequest is a valid request for a copy of a birth extract; purpose
// makes each one distinct.
func sampleRequest(purpose string) kiosk.Request {
	return kiosk.Request{
		Service: "birth_extract_copy",
		Requester: kiosk.Requester{
			FullName:   "Nguyễn Thị Hoa",
			PersonalID: "001190012345",
			Phone:      "0912345678",
			Residence:  kiosk.Address{Province: "01", Commune: "00004", Street: "12 Phố Đội Cấn"},
			Relation:   "self",
			BirthDate:  "1990-05-17",
			Sex:        "female",
		},
		Subject: kiosk.Person{
			FullName: "Nguyễn Thị Hoa", BirthDate: "1990-05-17", Sex: "female",
			Ethnicity: "kinh", Nationality: "VN", PersonalID: "001190012345",
		},
		Event:    "birth",
		Register: kiosk.Register{Office: "00004", Date: "1990-06-01", Number: "123", Book: "01/1990"},
		Copies:   2,
		Delivery: kiosk.Delivery{Method: "pickup"},
		Consent: kiosk.Consent{NoticeVersion: "2026-08", Purposes: []string{"process_request"},
			AcceptedAt: t0},
		Purpose: purpose,
	}
}

// clock is a test clock that moves only when told.
type clock struct{ now time.Time }

func (c *clock) Now() time.Time          { return c.now }
func (c *clock) Advance(d time.Duration) { c.now = c.now.Add(d) }
func newClock() *clock                   { return &clock{now: t0} }
func quietLogger() *slog.Logger          { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// openTest opens a store in t.TempDir() with a test clock; on cleanup it
// closes it and runs bbolt's consistency check on the file.
func openTest(t testing.TB, opts Options) *DB {
	t.Helper()
	path := filepath.Join(t.TempDir(), "kiosk.db")
	if opts.Now == nil {
		opts.Now = newClock().Now
	}
	if opts.Logger == nil {
		opts.Logger = quietLogger()
	}
	db, err := Open(path, opts)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() {
		if err := db.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
		checkFile(t, path)
	})
	return db
}

// openEnrolled is openTest with the test identity stored.
func openEnrolled(t testing.TB, opts Options) *DB {
	t.Helper()
	db := openTest(t, opts)
	if err := db.SetIdentity(testIdentity(t)); err != nil {
		t.Fatal(err)
	}
	return db
}

// checkFile runs tx.Check on a closed store file.
func checkFile(t testing.TB, path string) {
	t.Helper()
	bdb, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		t.Errorf("reopen for check: %v", err)
		return
	}
	defer bdb.Close()
	if _, err := checkIntegrity(bdb); err != nil {
		t.Errorf("tx.Check: %v", err)
	}
}

// openPayload opens a sealed payload with the test city's private key.
func openPayload(t testing.TB, sealed []byte) kiosk.Request {
	t.Helper()
	pub, priv := testKeys(t)
	plain, ok := box.OpenAnonymous(nil, sealed, pub, priv)
	if !ok {
		t.Fatalf("sealed payload does not open with the city's key")
	}
	var req kiosk.Request
	dec := json.NewDecoder(bytes.NewReader(plain))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		t.Fatalf("decode payload: %v", err)
	}
	return req
}

// dump returns every key and value of every bucket, for comparing states.
func dump(t testing.TB, db *DB) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := db.bolt.View(func(tx *bolt.Tx) error {
		return tx.ForEach(func(name []byte, b *bolt.Bucket) error {
			out[string(name)+"#seq"] = strconv.FormatUint(b.Sequence(), 10)
			return b.ForEach(func(k, v []byte) error {
				out[string(name)+"/"+string(k)] = string(v)
				return nil
			})
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
