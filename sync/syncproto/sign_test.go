package syncproto

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// memGuard is a tiny ReplayGuard for tests: nonces seen, newest kiosk time.
type memGuard struct {
	seen   map[string]bool
	newest time.Time
	window time.Duration
}

func (g *memGuard) Fresh(kioskID, nonce string, kt, now time.Time) error {
	if g.seen == nil {
		g.seen = map[string]bool{}
	}
	if g.seen[kioskID+"/"+nonce] || kt.Before(g.newest.Add(-g.window)) {
		return ErrReplay
	}
	g.seen[kioskID+"/"+nonce] = true
	if kt.After(g.newest) {
		g.newest = kt
	}
	return nil
}

func testKey(seed byte) (ed25519.PublicKey, ed25519.PrivateKey) {
	priv := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{seed}, 32))
	return priv.Public().(ed25519.PublicKey), priv
}

func signedRequest(t *testing.T, method, target string, body []byte, kiosk string, key ed25519.PrivateKey, now time.Time) *http.Request {
	t.Helper()
	r := httptest.NewRequest(method, target, bytes.NewReader(body))
	if err := Sign(r, body, kiosk, key, now); err != nil {
		t.Fatal(err)
	}
	return r
}

func TestSignVerify(t *testing.T) {
	pubA, privA := testKey(1)
	_, privB := testKey(2)
	errRevoked := errors.New("revoked")
	lookup := func(id string) (ed25519.PublicKey, error) {
		switch id {
		case "A":
			return pubA, nil
		case "R":
			return nil, errRevoked
		}
		return nil, fmt.Errorf("unknown kiosk")
	}
	cityNow := time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)
	kioskNow := cityNow.Add(-72 * time.Hour) // a kiosk clock three days behind
	body := []byte(`{"version":1}`)

	tests := []struct {
		name    string
		req     func() *http.Request
		wantErr error
	}{
		{"good, clock days off", func() *http.Request {
			return signedRequest(t, "POST", PathPush, body, "A", privA, kioskNow)
		}, nil},
		{"unsigned", func() *http.Request {
			return httptest.NewRequest("POST", PathPush, bytes.NewReader(body))
		}, ErrUnsigned},
		{"signed by another key", func() *http.Request {
			return signedRequest(t, "POST", PathPush, body, "A", privB, kioskNow)
		}, ErrBadSignature},
		{"body changed", func() *http.Request {
			r := signedRequest(t, "POST", PathPush, []byte(`{"version":2}`), "A", privA, kioskNow)
			return r
		}, ErrBadSignature},
		{"path changed", func() *http.Request {
			r := signedRequest(t, "POST", PathPull, body, "A", privA, kioskNow)
			r.RequestURI = PathPush
			return r
		}, ErrBadSignature},
		{"method changed", func() *http.Request {
			r := signedRequest(t, "POST", PathPush, body, "A", privA, kioskNow)
			r.Method = "PUT"
			return r
		}, ErrBadSignature},
		{"kiosk ID changed", func() *http.Request {
			r := signedRequest(t, "POST", PathPush, body, "A", privA, kioskNow)
			r.Header.Set(HeaderKioskID, "B")
			return r
		}, nil}, // lookup fails: unknown kiosk
		{"time changed", func() *http.Request {
			r := signedRequest(t, "POST", PathPush, body, "A", privA, kioskNow)
			r.Header.Set(HeaderTime, kioskNow.Add(time.Hour).Format(time.RFC3339Nano))
			return r
		}, ErrBadSignature},
		{"garbage signature", func() *http.Request {
			r := signedRequest(t, "POST", PathPush, body, "A", privA, kioskNow)
			r.Header.Set(HeaderSignature, "!!")
			return r
		}, ErrBadSignature},
		{"revoked kiosk", func() *http.Request {
			return signedRequest(t, "POST", PathPush, body, "R", privA, kioskNow)
		}, errRevoked},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.req()
			id, err := Verify(r, body, lookup, cityNow, nil)
			if tt.name == "kiosk ID changed" {
				if err == nil {
					t.Fatal("accepted a request whose kiosk ID was changed")
				}
				return
			}
			if tt.wantErr == nil {
				if err != nil || id != "A" {
					t.Fatalf("Verify = %q, %v; want A, nil", id, err)
				}
				return
			}
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Verify error = %v; want %v", err, tt.wantErr)
			}
		})
	}
}

func TestVerifyReplay(t *testing.T) {
	pub, priv := testKey(1)
	lookup := func(string) (ed25519.PublicKey, error) { return pub, nil }
	now := time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)
	g := &memGuard{window: time.Hour}
	body := []byte(`{}`)
	r := signedRequest(t, "POST", PathHeartbeat, body, "A", priv, now)
	if _, err := Verify(r, body, lookup, now, g); err != nil {
		t.Fatal(err)
	}
	if _, err := Verify(r, body, lookup, now, g); !errors.Is(err, ErrReplay) {
		t.Fatalf("replay: err = %v; want ErrReplay", err)
	}
	// A later request, then a captured old one (new nonce impossible to forge).
	later := signedRequest(t, "POST", PathHeartbeat, body, "A", priv, now.Add(3*time.Hour))
	if _, err := Verify(later, body, lookup, now, g); err != nil {
		t.Fatal(err)
	}
	old := signedRequest(t, "POST", PathHeartbeat, body, "A", priv, now.Add(time.Minute))
	if _, err := Verify(old, body, lookup, now, g); !errors.Is(err, ErrReplay) {
		t.Fatalf("old request: err = %v; want ErrReplay", err)
	}
}

func TestSignRefusesBadInput(t *testing.T) {
	_, priv := testKey(1)
	r := httptest.NewRequest("POST", PathPush, nil)
	if err := Sign(r, nil, "", priv, time.Now()); err == nil {
		t.Error("empty kiosk ID accepted")
	}
	if err := Sign(r, nil, "A", priv[:10], time.Now()); err == nil {
		t.Error("short key accepted")
	}
}
