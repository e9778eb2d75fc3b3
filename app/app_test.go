package app

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"communekiosk/kiosk"
	"communekiosk/sync/syncproto"

	"golang.org/x/crypto/nacl/box"
)

// clock is a settable test clock.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func newTestNode(t *testing.T, enrolled bool) (*Node, *clock) {
	t.Helper()
	return newTestNodeWith(t, enrolled, nil)
}

// newTestNodeWith is newTestNode with the config changed by mod first.
func newTestNodeWith(t *testing.T, enrolled bool, mod func(*Config)) (*Node, *clock) {
	t.Helper()
	clk := &clock{t: time.Date(2026, 11, 28, 3, 0, 0, 0, time.UTC)}
	cfg := Config{DataDir: t.TempDir(), Now: clk.now, StaffPIN: "2468", LockoutFor: 10 * time.Minute}
	if mod != nil {
		mod(&cfg)
	}
	n, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { n.Close() })
	if enrolled {
		enrolForTest(t, n)
	}
	return n, clk
}

// enrolForTest stores a test identity with fresh keys.
func enrolForTest(t *testing.T, n *Node) {
	t.Helper()
	pub, _, err := box.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	_, sk, _ := ed25519.GenerateKey(rand.Reader)
	cityPub, _, _ := ed25519.GenerateKey(rand.Reader)
	if err := n.db.SetIdentity(syncproto.Identity{
		KioskID: "K-TEST", Number: 7, Commune: "00004", CommuneName: "Phường Ba Đình",
		CityURL: "http://127.0.0.1:1", SealKey: *pub, CityKey: cityPub, SigningKey: sk,
		EnrolledAt: n.now(),
	}); err != nil {
		t.Fatal(err)
	}
}

func sampleDraft(t *testing.T) kiosk.Request {
	t.Helper()
	b, err := os.ReadFile("../scripts/testdata/smoke-request.json")
	if err != nil {
		t.Fatal(err)
	}
	var r kiosk.Request
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	return r
}

// call posts one facade call to the handler and decodes the answer.
func call(t *testing.T, h http.Handler, path string, out any, args ...any) int {
	t.Helper()
	if args == nil {
		args = []any{}
	}
	body, _ := json.Marshal(args)
	req := httptest.NewRequest("POST", path, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if out != nil {
		if err := json.Unmarshal(rec.Body.Bytes(), out); err != nil {
			t.Fatalf("%s: decode %q: %v", path, rec.Body.String(), err)
		}
	}
	return rec.Code
}

type errBody struct {
	Error Error `json:"error"`
}

func TestSubmitAndLookupOverHTTP(t *testing.T) {
	n, _ := newTestNode(t, true)
	h := n.Handler(fstest.MapFS{"index.html": {Data: []byte("<html>kiosk</html>")}})

	var rv ReceiptView
	if code := call(t, h, "/api/Requests/Submit", &rv, sampleDraft(t)); code != 200 {
		t.Fatalf("submit: status %d", code)
	}
	if rv.Code == "" || rv.RequestID == "" || rv.Copies != 2 || rv.ServiceName.VI == "" || rv.ExpectedDate == "" {
		t.Fatalf("receipt incomplete: %+v", rv)
	}
	if rv.Quote.TotalVND == 0 && len(rv.Quote.Lines) == 0 {
		t.Errorf("receipt has no fee lines: %+v", rv.Quote)
	}
	// The receipt is in the store.
	rec, err := n.db.Lookup(rv.Code)
	if err != nil || rec.RequestID != rv.RequestID {
		t.Fatalf("store lookup: %+v %v", rec, err)
	}
	// The citizen's lookup finds it, typed in lower case without separators.
	var sv StatusView
	typed := strings.ToLower(strings.ReplaceAll(rv.Code, "-", ""))
	if code := call(t, h, "/api/Lookup/Status", &sv, LookupQuery{Code: typed, IDLast4: last4(t)}); code != 200 || !sv.Found || sv.Code != rv.Code || sv.State != "queued" {
		t.Fatalf("lookup: %d %+v", code, sv)
	}
	if w := words(t, sv.StatusText); !strings.Contains(w.VI, "chưa gửi") {
		t.Errorf("unsent request's status text = %q", w.VI)
	}
	// The UI is served, and not cached.
	r := httptest.NewRequest("GET", "/", nil)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if w.Code != 200 || !strings.Contains(w.Body.String(), "kiosk") || w.Header().Get("Cache-Control") != "no-store" {
		t.Errorf("GET /: %d %q cache=%q", w.Code, w.Body.String(), w.Header().Get("Cache-Control"))
	}
}

func TestSubmitErrors(t *testing.T) {
	t.Run("invalid draft", func(t *testing.T) {
		n, _ := newTestNode(t, true)
		h := n.Handler(nil)
		d := sampleDraft(t)
		d.Requester.PersonalID = "12345"
		d.Copies = 0
		var eb errBody
		if code := call(t, h, "/api/Requests/Submit", &eb, d); code != http.StatusUnprocessableEntity {
			t.Fatalf("status %d", code)
		}
		fields := map[string]bool{}
		for _, p := range eb.Error.Problems {
			fields[p.Field] = true
		}
		if eb.Error.Code != CodeValidation || !fields["requester.personal_id"] || !fields["copies"] {
			t.Errorf("error = %+v", eb.Error)
		}
		if c, _ := n.db.Counts(); c.Queued != 0 {
			t.Errorf("an invalid request was stored: %+v", c)
		}
	})
	t.Run("not enrolled", func(t *testing.T) {
		n, _ := newTestNode(t, false)
		var eb errBody
		if code := call(t, n.Handler(nil), "/api/Requests/Submit", &eb, sampleDraft(t)); code != http.StatusServiceUnavailable || eb.Error.Code != CodeNotReady {
			t.Fatalf("status %d, %+v", code, eb.Error)
		}
		var st KioskState
		call(t, n.Handler(nil), "/api/Kiosk/State", &st)
		if st.Ready || st.Enrolled {
			t.Errorf("state of an unenrolled kiosk: %+v", st)
		}
	})
	t.Run("bad calls", func(t *testing.T) {
		n, _ := newTestNode(t, true)
		h := n.Handler(nil)
		tests := []struct {
			path string
			body string
			want int
		}{
			{"/api/Nope/Submit", "[]", 404},
			{"/api/Requests/Nope", "[]", 404},
			{"/api/Requests/Submit", "{", 422},
			{"/api/Requests/Submit", "[]", 422},
			{"/api/Requests/Submit", `[1]`, 422},
			{"/api/Lookup/Status", `[{"code":"not a code"}]`, 422},
		}
		for _, tt := range tests {
			req := httptest.NewRequest("POST", tt.path, strings.NewReader(tt.body))
			req.Header.Set("Content-Type", "application/json")
			w := httptest.NewRecorder()
			h.ServeHTTP(w, req)
			if w.Code != tt.want || !strings.Contains(w.Body.String(), `"error"`) {
				t.Errorf("%s %s: %d %s, want %d", tt.path, tt.body, w.Code, w.Body.String(), tt.want)
			}
		}
		// A form post from another page (no JSON content type) is refused.
		req := httptest.NewRequest("POST", "/api/Kiosk/State", strings.NewReader("[]"))
		req.Header.Set("Content-Type", "text/plain")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != http.StatusUnsupportedMediaType {
			t.Errorf("text/plain call: %d", w.Code)
		}
	})
}

func TestStaffPINLockout(t *testing.T) {
	n, clk := newTestNode(t, true)
	h := n.Handler(nil)
	var eb errBody
	for i := 1; i <= 4; i++ {
		if code := call(t, h, "/api/Staff/Unlock", &eb, "0000"); code != 401 {
			t.Fatalf("wrong PIN %d: status %d", i, code)
		}
		if eb.Error.Detail == nil || eb.Error.Detail.AttemptsLeft != 5-i {
			t.Errorf("attempts_left after %d = %+v", i, eb.Error.Detail)
		}
	}
	if code := call(t, h, "/api/Staff/Unlock", &eb, "0000"); code != http.StatusLocked || eb.Error.Code != CodeLocked {
		t.Fatalf("fifth wrong PIN: %d %+v", code, eb.Error)
	}
	// Locked: even the right PIN is refused, also after a restart of the
	// facade (the lock is stored).
	if code := call(t, h, "/api/Staff/Unlock", &eb, "2468"); code != http.StatusLocked {
		t.Fatalf("right PIN while locked: %d", code)
	}
	clk.t = clk.t.Add(11 * time.Minute)
	var ok UnlockResult
	if code := call(t, h, "/api/Staff/Unlock", &ok, "2468"); code != 200 || ok.Token == "" {
		t.Fatalf("right PIN after the lockout: %d %+v", code, ok)
	}
	var ov Overview
	if code := call(t, h, "/api/Staff/Overview", &ov, ok.Token); code != 200 || ov.Identity == nil || ov.Identity.KioskID != "K-TEST" {
		t.Fatalf("overview: %d %+v", code, ov)
	}
	if code := call(t, h, "/api/Staff/Overview", &eb, "forged"); code != 401 {
		t.Errorf("overview with a forged token: %d", code)
	}
	// Settings are checked and kept.
	var sv SettingsView
	if code := call(t, h, "/api/Staff/SaveSettings", &eb, ok.Token, SettingsView{SyncSpec: "every minute", IdleTimeoutSecs: 60}); code != 422 {
		t.Errorf("bad cron spec accepted: %d", code)
	}
	if code := call(t, h, "/api/Staff/SaveSettings", &sv, ok.Token, SettingsView{SyncSpec: "*/5 * * * *", IdleTimeoutSecs: 45}); code != 200 || sv.IdleTimeoutSecs != 45 || sv.SyncSpec != "*/5 * * * *" {
		t.Errorf("save settings: %d %+v", code, sv)
	}
	var st KioskState
	call(t, h, "/api/Kiosk/State", &st)
	if st.IdleTimeoutSecs != 45 {
		t.Errorf("idle timeout in state = %d", st.IdleTimeoutSecs)
	}
	call(t, h, "/api/Staff/Lock", nil, ok.Token)
	if code := call(t, h, "/api/Staff/Overview", &eb, ok.Token); code != 401 {
		t.Errorf("overview after lock: %d", code)
	}
}

func TestCatalogueFromTheCity(t *testing.T) {
	n, _ := newTestNode(t, true)
	cur := n.catalogue()
	doc, err := os.ReadFile("../kiosk/catalogue.json")
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	json.Unmarshal(doc, &m)

	// An older or equal version is ignored.
	if err := n.adoptCatalogue(syncproto.CatalogueUpdate{Version: cur.Version, Document: doc}); err != nil || n.catalogue() != cur {
		t.Fatalf("same version: %v, replaced=%v", err, n.catalogue() != cur)
	}
	// A broken document is refused and nothing changes.
	if err := n.adoptCatalogue(syncproto.CatalogueUpdate{Version: "9999.1.1", Document: []byte(`{"version":"9999.1.1"}`)}); err == nil || n.catalogue() != cur {
		t.Fatalf("broken catalogue accepted: %v", err)
	}
	// A newer valid one is used and survives a restart.
	m["version"] = "2027.1.1"
	newer, _ := json.Marshal(m)
	if err := n.adoptCatalogue(syncproto.CatalogueUpdate{Version: "2027.1.1", Document: newer}); err != nil {
		t.Fatal(err)
	}
	if got := n.catalogue().Version; got != "2027.1.1" {
		t.Fatalf("catalogue version = %s", got)
	}
	emb, _ := kiosk.DefaultCatalogue()
	if got := n.loadCatalogue(emb).Version; got != "2027.1.1" {
		t.Errorf("after restart: %s", got)
	}
}

// The signing clock never goes back, also across a restart with a clock
// set back by days.
func TestSigningClockSurvivesAClockSetBack(t *testing.T) {
	n, clk := newTestNode(t, true)
	sign := n.signingClock()
	t1 := sign()
	if !t1.Equal(clk.t) {
		t.Fatalf("first signing time %v, want the clock's %v", t1, clk.t)
	}
	clk.t = clk.t.Add(-72 * time.Hour)
	if t2 := sign(); !t2.After(t1) {
		t.Errorf("signing time went back: %v then %v", t1, t2)
	}
	// A new clock (after a restart) starts from the stored time.
	sign2 := n.signingClock()
	if t3 := sign2(); !t3.After(t1) {
		t.Errorf("after a restart the signing time went back: %v then %v", t1, t3)
	}
}
