package city_test

import (
	"bytes"
	"compress/gzip"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"golang.org/x/crypto/nacl/box"

	"communekiosk/city"
	"communekiosk/city/citybolt"
	"communekiosk/kiosk"
	"communekiosk/sync/syncproto"
)

const token = "test-operator-token"

var cityNow = time.Date(2026, 11, 28, 3, 0, 0, 0, time.UTC)

type env struct {
	t     testing.TB
	srv   *city.Server
	store *citybolt.Store
	http  *httptest.Server
	// metrics is the metrics listener (Server.MetricsHandler).
	metrics *httptest.Server
	now     time.Time
	// opToken is what op sends; empty: the shared token of the options.
	opToken string
}

func newEnv(t testing.TB, mods ...func(*city.Options)) *env {
	t.Helper()
	dir := t.TempDir()
	st, err := citybolt.Open(filepath.Join(dir, "city.db"), citybolt.Options{NoSync: os.Getenv("CITY_BENCH_NOSYNC") != ""})
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, store: st, now: cityNow}
	opts := city.Options{Store: st, DataDir: dir, OperatorToken: token,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: func() time.Time { return e.now },
		// Tests try many wrong tokens from one address; TestGuessLimits
		// sets its own limits.
		GuessLimits: city.GuessLimits{PerAddressBurst: 1 << 20, PerCodeBurst: 1 << 20}}
	for _, m := range mods {
		m(&opts)
	}
	srv, err := city.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	e.srv = srv
	e.http = httptest.NewServer(srv.Handler())
	e.metrics = httptest.NewServer(srv.MetricsHandler())
	t.Cleanup(func() {
		e.http.Close()
		e.metrics.Close()
		if err := st.Check(); err != nil {
			t.Error(err)
		}
		st.Close()
	})
	return e
}

// do sends a request and returns the status and body.
func (e *env) do(req *http.Request) (int, []byte) {
	e.t.Helper()
	resp, err := e.http.Client().Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, body
}

// op calls the operator API with the token (e.opToken when set).
func (e *env) op(method, path string, body any) (int, []byte) {
	e.t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, e.http.URL+path, rd)
	tok := token
	if e.opToken != "" {
		tok = e.opToken
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	return e.do(req)
}

// testKiosk is a kiosk: its key, identity, the city's keys.
type testKiosk struct {
	e    *env
	id   string
	key  ed25519.PrivateKey
	seal [32]byte
	city ed25519.PublicKey
	seq  uint64
	// clock is the kiosk's own clock, days behind the city's.
	clock time.Time
}

func (e *env) enrolCode(commune string) string {
	e.t.Helper()
	status, body := e.op("POST", "/v1/operator/enrol-codes", city.EnrolCodeRequest{Commune: commune, CommuneName: "Phường Ba Đình"})
	if status != 200 {
		e.t.Fatalf("enrol code: %d %s", status, body)
	}
	var c city.EnrolCodeResponse
	json.Unmarshal(body, &c)
	return c.Code
}

// enrolRaw sends an enrol request made with code (its ID and MAC), as a
// kiosk does, and checks the MAC of a 200 answer.
func (e *env) enrolRaw(code string, pub ed25519.PublicKey) (int, []byte) {
	e.t.Helper()
	sec, err := syncproto.DeriveEnrolSecret(code)
	if err != nil {
		e.t.Fatalf("code %q: %v", code, err)
	}
	b, _ := json.Marshal(syncproto.EnrolRequest{Version: 1, CodeID: sec.ID, SigningKey: pub, AppVersion: "test"})
	req, _ := http.NewRequest("POST", e.http.URL+syncproto.PathEnrol, bytes.NewReader(b))
	req.Header.Set(syncproto.HeaderEnrolMAC, syncproto.EnrolRequestMAC(sec.AuthKey, b))
	resp, err := e.http.Client().Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	if resp.StatusCode == 200 {
		if err := syncproto.VerifyEnrolResponseMAC(sec.AuthKey, b, out, resp.Header.Get(syncproto.HeaderEnrolMAC)); err != nil {
			e.t.Fatalf("enrol answer MAC: %v", err)
		}
	}
	return resp.StatusCode, out
}

func (e *env) enrol(commune string) *testKiosk {
	e.t.Helper()
	pub, priv, _ := ed25519.GenerateKey(rand.Reader)
	status, body := e.enrolRaw(e.enrolCode(commune), pub)
	if status != 200 {
		e.t.Fatalf("enrol: %d %s", status, body)
	}
	resp, err := syncproto.DecodeEnrolResponse(body)
	if err != nil {
		e.t.Fatal(err)
	}
	k := &testKiosk{e: e, id: resp.KioskID, key: priv, city: resp.CityKey, clock: cityNow.Add(-96 * time.Hour)}
	copy(k.seal[:], resp.SealKey)
	return k
}

// enrolIn registers a kiosk straight in the store, for a commune the
// operator API would refuse.
func (e *env) enrolIn(commune string) *testKiosk {
	e.t.Helper()
	pub, priv, _ := ed25519.GenerateKey(rand.Reader)
	k, err := e.store.RegisterKiosk(e.t.Context(), commune, "", pub, cityNow)
	if err != nil {
		e.t.Fatal(err)
	}
	keys := e.srv.Keys()
	return &testKiosk{e: e, id: k.ID, key: priv, city: keys.Sign.Public().(ed25519.PublicKey), seal: keys.SealPublic, clock: cityNow.Add(-96 * time.Hour)}
}

func goodRequest() kiosk.Request {
	return kiosk.Request{
		Service: "birth_extract_copy",
		Requester: kiosk.Requester{FullName: "Nguyễn Thị Hoa", PersonalID: "001190012345", Phone: "0912 345 678",
			Residence: kiosk.Address{Province: "01", Commune: "00004", Street: "12 phố Quán Thánh"}, Relation: "parent",
			BirthDate: "1990-05-17", Sex: "female"},
		Subject: kiosk.Person{FullName: "Trần Minh Khôi", BirthDate: "2015-03-02", Sex: "male", Ethnicity: "01",
			Nationality: "Việt Nam", PersonalID: "001215001234"},
		Event:    "birth",
		Register: kiosk.Register{Office: "00004", Date: "2015-03-20", Number: "123", Book: "01/2015"},
		Copies:   2,
		Delivery: kiosk.Delivery{Method: "pickup"},
		Consent:  kiosk.Consent{NoticeVersion: noticeVersion(), Purposes: []string{"process_request"}}, // AcceptedAt: set by item, on the kiosk's clock
	}
}

func noticeVersion() string {
	cat, err := kiosk.DefaultCatalogue()
	if err != nil {
		panic(err)
	}
	return cat.NoticeVersion
}

// item seals req to the city and makes the next item.
func (k *testKiosk) item(req kiosk.Request) syncproto.Item {
	k.seq++
	if req.Consent.AcceptedAt.IsZero() {
		req.Consent.AcceptedAt = k.clock.Add(-time.Minute) // a minute before the request, as on a kiosk
	}
	plain, _ := json.Marshal(req)
	sealed, err := box.SealAnonymous(nil, plain, &k.seal, rand.Reader)
	if err != nil {
		k.e.t.Fatal(err)
	}
	sum := sha256.Sum256(sealed)
	return syncproto.Item{Seq: k.seq, RequestID: fmt.Sprintf("req-%s-%d", k.id, k.seq), Code: fmt.Sprintf("C-%d", k.seq),
		Service: req.Service, CreatedAt: k.clock, Sealed: sealed, SHA256: hex.EncodeToString(sum[:])}
}

// signed builds a request signed by k (as kioskID, usually its own).
func (k *testKiosk) signed(path, kioskID string, msg any, gz bool) *http.Request {
	body, _ := json.Marshal(msg)
	if gz {
		var b bytes.Buffer
		zw := gzip.NewWriter(&b)
		zw.Write(body)
		zw.Close()
		body = b.Bytes()
	}
	req, _ := http.NewRequest("POST", k.e.http.URL+path, bytes.NewReader(body))
	if gz {
		req.Header.Set("Content-Encoding", "gzip")
	}
	k.clock = k.clock.Add(time.Second)
	if err := syncproto.Sign(req, body, kioskID, k.key, k.clock); err != nil {
		k.e.t.Fatal(err)
	}
	req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	return req
}

func (k *testKiosk) push(items ...syncproto.Item) syncproto.PushResponse {
	k.e.t.Helper()
	status, body := k.e.do(k.signed(syncproto.PathPush, k.id, syncproto.PushRequest{Version: 1, KioskID: k.id, BatchID: "b", SentAt: k.clock, Items: items}, true))
	if status != 200 {
		k.e.t.Fatalf("push: %d %s", status, body)
	}
	resp, err := syncproto.DecodePushResponse(body)
	if err != nil {
		k.e.t.Fatal(err)
	}
	return resp
}

func (k *testKiosk) pull(cur syncproto.Cursor, limit int) syncproto.PullResponse {
	k.e.t.Helper()
	status, body := k.e.do(k.signed(syncproto.PathPull, k.id, syncproto.PullRequest{Version: 1, KioskID: k.id, Cursor: cur, Limit: limit}, false))
	if status != 200 {
		k.e.t.Fatalf("pull: %d %s", status, body)
	}
	resp, err := syncproto.DecodePullResponse(body)
	if err != nil {
		k.e.t.Fatal(err)
	}
	return resp
}

// count is how many requests the city holds.
func (e *env) count() int {
	st, err := e.store.Stats(e.t.Context())
	if err != nil {
		e.t.Fatal(err)
	}
	return st.Total
}
