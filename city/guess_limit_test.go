package city_test

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"communekiosk/city"
	"communekiosk/sync/syncproto"
)

// serveFrom calls the handler as a client at addr would.
func serveFrom(e *env, addr string, req *http.Request) *httptest.ResponseRecorder {
	req.RemoteAddr = addr + ":40000"
	rec := httptest.NewRecorder()
	e.srv.Handler().ServeHTTP(rec, req)
	return rec
}

func opCall(tok string) *http.Request {
	req := httptest.NewRequest("GET", "/v1/operator/kiosks", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	return req
}

// Wrong operator tokens are throttled per address, on the injected clock:
// past the burst every call from that address waits, even with the right
// token; another address is not affected; time lets one more try through.
func TestGuessLimitsOperatorToken(t *testing.T) {
	e := newEnv(t, func(o *city.Options) {
		o.GuessLimits = city.GuessLimits{PerAddressBurst: 3, PerCodeBurst: 2, Every: time.Minute}
	})
	for i := range 3 {
		if rec := serveFrom(e, "192.0.2.1", opCall("wrong")); rec.Code != 401 {
			t.Fatalf("wrong token %d: %d; want 401", i, rec.Code)
		}
	}
	rec := serveFrom(e, "192.0.2.1", opCall(token))
	if rec.Code != 429 || rec.Header().Get("Retry-After") != "60" {
		t.Fatalf("right token after the burst: %d, Retry-After %q; want 429, 60", rec.Code, rec.Header().Get("Retry-After"))
	}
	if rec := serveFrom(e, "192.0.2.2", opCall(token)); rec.Code != 200 {
		t.Fatalf("another address: %d; want 200", rec.Code)
	}
	e.now = e.now.Add(time.Minute)
	if rec := serveFrom(e, "192.0.2.1", opCall(token)); rec.Code != 200 {
		t.Fatalf("a minute later: %d; want 200", rec.Code)
	}
	if rec := serveFrom(e, "192.0.2.1", opCall("wrong")); rec.Code != 401 {
		t.Fatalf("one wrong try a minute later: %d; want 401", rec.Code)
	}
	if rec := serveFrom(e, "192.0.2.1", opCall(token)); rec.Code != 429 {
		t.Fatalf("then: %d; want 429", rec.Code)
	}
}

func enrolCall(t *testing.T, codeID string, authKey []byte) *http.Request {
	pub, _, _ := ed25519.GenerateKey(rand.Reader)
	b, _ := json.Marshal(syncproto.EnrolRequest{Version: 1, CodeID: codeID, SigningKey: pub, AppVersion: "test"})
	req := httptest.NewRequest("POST", syncproto.PathEnrol, bytes.NewReader(b))
	req.Header.Set(syncproto.HeaderEnrolMAC, syncproto.EnrolRequestMAC(authKey, b))
	return req
}

// Wrong enrolment codes are throttled per address, and failed tries of
// one code are throttled per code whatever the address.
func TestGuessLimitsEnrolCodes(t *testing.T) {
	e := newEnv(t, func(o *city.Options) {
		o.GuessLimits = city.GuessLimits{PerAddressBurst: 3, PerCodeBurst: 2, Every: time.Minute}
	})
	// Per address: unknown codes.
	for i := range 3 {
		sec, _ := syncproto.DeriveEnrolSecret(city.NewEnrolCode())
		if rec := serveFrom(e, "198.51.100.1", enrolCall(t, sec.ID, sec.AuthKey)); rec.Code != 401 {
			t.Fatalf("unknown code %d: %d; want 401", i, rec.Code)
		}
	}
	good := e.enrolCode("00004")
	sec, _ := syncproto.DeriveEnrolSecret(good)
	if rec := serveFrom(e, "198.51.100.1", enrolCall(t, sec.ID, sec.AuthKey)); rec.Code != 429 {
		t.Fatalf("a good code from a throttled address: %d; want 429", rec.Code)
	}
	// Per code: two wrong MACs for the good code, from two addresses.
	for i, addr := range []string{"198.51.100.2", "198.51.100.3"} {
		if rec := serveFrom(e, addr, enrolCall(t, sec.ID, []byte("not the key"))); rec.Code != 401 {
			t.Fatalf("wrong MAC %d: %d; want 401", i, rec.Code)
		}
	}
	if rec := serveFrom(e, "198.51.100.4", enrolCall(t, sec.ID, sec.AuthKey)); rec.Code != 429 {
		t.Fatalf("the good code after two failed tries: %d; want 429", rec.Code)
	}
	e.now = e.now.Add(time.Minute)
	if rec := serveFrom(e, "198.51.100.4", enrolCall(t, sec.ID, sec.AuthKey)); rec.Code != 200 {
		t.Fatalf("a minute later: %d %s; want 200", rec.Code, rec.Body)
	}
}
