package syncclient

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"communekiosk/sync/syncproto"
)

// roundTrip answers every request with a canned response.
type roundTrip func(*http.Request) (*http.Response, error)

func (f roundTrip) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// FuzzAnswer feeds arbitrary answers (status, content type, body) to the
// client's strict reader: it must never panic, and it must never report
// success for a body that is not the city's envelope.
func FuzzAnswer(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/answers/*")
	for _, p := range seeds {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(200, "application/json", b)
		f.Add(200, "text/html", b)
		f.Add(503, "application/json", b)
	}
	f.Add(429, "text/plain", []byte("slow down"))
	_, priv, _ := ed25519.GenerateKey(rand.Reader)
	f.Fuzz(func(t *testing.T, status int, ct string, body []byte) {
		if status < 100 || status > 999 {
			return
		}
		c := New(Options{
			BaseURL:  "http://city.invalid",
			Identity: func() (syncproto.Identity, error) { return syncproto.Identity{KioskID: "K1", SigningKey: priv}, nil },
			HTTPClient: &http.Client{Transport: roundTrip(func(r *http.Request) (*http.Response, error) {
				h := http.Header{}
				h.Set("Content-Type", ct)
				return &http.Response{StatusCode: status, Header: h, Body: io.NopCloser(bytes.NewReader(body)), Request: r}, nil
			})},
		})
		resp, err := c.Push(context.Background(), syncproto.PushRequest{Version: 1, KioskID: "K1"})
		if err == nil {
			if status < 200 || status > 299 || resp.Version != syncproto.Version {
				t.Fatalf("success for status %d version %d", status, resp.Version)
			}
			if _, derr := syncproto.DecodePushResponse(body); derr != nil {
				t.Fatalf("success for a body the decoder refuses: %v", derr)
			}
		}
		var tooLarge *syncproto.TooLargeError
		if status == 413 && !errors.As(err, &tooLarge) {
			t.Fatalf("413 gave %v", err)
		}
		if (status == 401 || status == 403) && !errors.Is(err, syncproto.ErrUnauthorized) {
			t.Fatalf("%d gave %v", status, err)
		}
	})
}

// FuzzRetryAfter checks the Retry-After reader stays within 0..24 h.
func FuzzRetryAfter(f *testing.F) {
	b, err := os.ReadFile("testdata/retry-after.txt")
	if err != nil {
		f.Fatal(err)
	}
	for _, line := range bytes.Split(b, []byte("\n")) {
		f.Add(string(line))
	}
	now := time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, v string) {
		d := retryAfter(v, now)
		if d < 0 || d > 24*time.Hour {
			t.Fatalf("retryAfter(%q) = %v", v, d)
		}
	})
}
