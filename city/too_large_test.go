package city_test

import (
	"bytes"
	"net/http"
	"testing"

	"communekiosk/city"
	"communekiosk/sync/syncproto"
)

// A body over an endpoint's limit gets 413 too_large, never 400 or 422.
func TestOverLimitBodies413(t *testing.T) {
	e := newEnv(t, func(o *city.Options) { o.MaxBodyBytes = 1 << 20 })
	big := func(n int) []byte {
		return append([]byte(`{"commune":"`), append(bytes.Repeat([]byte("a"), n), `"}`...)...)
	}
	tests := []struct {
		name, method, path string
		body               []byte
		operator           bool
	}{
		{"enrol code", "POST", "/v1/operator/enrol-codes", big(65 << 10), true},
		{"provision", "POST", "/v1/operator/provision", big(65 << 10), true},
		{"status change", "POST", "/v1/operator/requests/x/status", big(65 << 10), true},
		{"enrol", "POST", syncproto.PathEnrol, big(65 << 10), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequest(tc.method, e.http.URL+tc.path, bytes.NewReader(tc.body))
			if tc.operator {
				req.Header.Set("Authorization", "Bearer "+token)
			}
			status, body := e.do(req)
			if env, _ := syncproto.DecodeError(body); status != 413 || env.Code != city.CodeTooLarge {
				t.Fatalf("%d %s; want 413 %s", status, body, city.CodeTooLarge)
			}
		})
	}
	t.Run("push", func(t *testing.T) {
		// The size is checked before the signature: nothing is read past it.
		req, _ := http.NewRequest("POST", e.http.URL+syncproto.PathPush, bytes.NewReader(bytes.Repeat([]byte(" "), 2<<20)))
		status, body := e.do(req)
		if env, _ := syncproto.DecodeError(body); status != 413 || env.Code != city.CodeTooLarge {
			t.Fatalf("%d %s; want 413", status, body)
		}
	})
}
