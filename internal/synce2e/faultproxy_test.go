package synce2e

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"communekiosk/sync/syncclient"
	"communekiosk/sync/syncproto"
)

// TestFaultProxy checks each fault reaches the client as the error the
// syncer acts on, and whether the backend saw the request.
func TestFaultProxy(t *testing.T) {
	var seen atomic.Int32
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen.Add(1)
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(syncproto.HeartbeatResponse{Version: 1, ServerTime: time.Now()})
	}))
	defer backend.Close()
	p := NewFaultProxy(backend.URL)
	defer p.Close()
	_, priv, _ := ed25519.GenerateKey(rand.Reader)
	c := syncclient.New(syncclient.Options{
		BaseURL:  p.URL(),
		Timeout:  300 * time.Millisecond,
		Identity: func() (syncproto.Identity, error) { return syncproto.Identity{KioskID: "K1", SigningKey: priv}, nil },
	})
	tests := []struct {
		fault Fault
		seen  bool
		check func(error) bool
	}{
		{Pass, true, func(err error) bool { return err == nil }},
		{DropBefore, false, syncproto.IsTransient},
		{DropAfter, true, syncproto.IsTransient},
		{ResetMidBody, true, syncproto.IsTransient},
		{Truncate, true, syncproto.IsTransient},
		{ServerError, false, syncproto.IsTransient},
		{ServerErrorAfter, true, syncproto.IsTransient},
		{Stall, false, func(err error) bool { return errors.Is(err, context.DeadlineExceeded) }},
		{Captive, false, func(err error) bool { return errors.Is(err, syncproto.ErrNotCity) }},
		{TooLarge, false, func(err error) bool { var e *syncproto.TooLargeError; return errors.As(err, &e) }},
		{TooMany, false, func(err error) bool {
			var e *syncproto.RetryAfterError
			return errors.As(err, &e) && e.After == time.Second
		}},
	}
	for _, tc := range tests {
		t.Run(string(tc.fault), func(t *testing.T) {
			before := seen.Load()
			p.Script(tc.fault)
			_, err := c.Heartbeat(context.Background(), syncproto.Heartbeat{Version: 1, KioskID: "K1"})
			if !tc.check(err) {
				t.Fatalf("error %v (%T)", err, err)
			}
			if got := seen.Load() > before; got != tc.seen {
				t.Fatalf("backend saw it: %v, want %v", got, tc.seen)
			}
		})
	}
}
