package syncclient

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"communekiosk/sync/syncproto"
)

// testCity is a minimal city that checks what a real one checks: the
// signature and the gzip body.
type testCity struct {
	t      *testing.T
	pub    ed25519.PublicKey
	handle func(w http.ResponseWriter, r *http.Request, body []byte)
}

func (c *testCity) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	raw, err := io.ReadAll(r.Body)
	if err != nil {
		c.t.Errorf("read body: %v", err)
		return
	}
	if r.URL.Path != syncproto.PathEnrol {
		if _, err := syncproto.Verify(r, raw, func(string) (ed25519.PublicKey, error) { return c.pub, nil }, time.Now(), nil); err != nil {
			writeJSON(w, 401, syncproto.Error{Version: 1, Code: "unauthorized", Message: err.Error()})
			return
		}
		if r.Header.Get("Content-Encoding") != "gzip" {
			c.t.Errorf("body not gzipped")
		}
		zr, err := gzip.NewReader(bytes.NewReader(raw))
		if err != nil {
			c.t.Errorf("gzip: %v", err)
			return
		}
		raw, _ = io.ReadAll(zr)
	}
	c.handle(w, r, raw)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func newTestClient(t *testing.T, h func(w http.ResponseWriter, r *http.Request, body []byte)) (*Client, *httptest.Server) {
	t.Helper()
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(&testCity{t: t, pub: pub, handle: h})
	t.Cleanup(srv.Close)
	c := New(Options{
		BaseURL:  srv.URL,
		Identity: func() (syncproto.Identity, error) { return syncproto.Identity{KioskID: "K1", SigningKey: priv}, nil },
		Timeout:  5 * time.Second,
	})
	return c, srv
}

func okPush(w http.ResponseWriter, r *http.Request, body []byte) {
	var req syncproto.PushRequest
	if err := json.Unmarshal(body, &req); err != nil {
		writeJSON(w, 400, syncproto.Error{Version: 1, Code: "bad_request", Message: err.Error()})
		return
	}
	resp := syncproto.PushResponse{Version: 1, ServerTime: time.Now()}
	for _, it := range req.Items {
		resp.Results = append(resp.Results, syncproto.ItemResult{Seq: it.Seq, RequestID: it.RequestID, Outcome: syncproto.Accepted})
	}
	writeJSON(w, 200, resp)
}

func TestPushSignedAndGzipped(t *testing.T) {
	c, _ := newTestClient(t, okPush)
	resp, err := c.Push(context.Background(), syncproto.PushRequest{Version: 1, KioskID: "K1",
		Items: []syncproto.Item{{Seq: 1, RequestID: "r1", SHA256: "x"}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.Results) != 1 || resp.Results[0].Outcome != syncproto.Accepted {
		t.Fatalf("results %+v", resp.Results)
	}
}

func TestCallErrors(t *testing.T) {
	tests := []struct {
		name    string
		handler func(w http.ResponseWriter, r *http.Request, body []byte)
		check   func(error) bool
	}{
		{"401", func(w http.ResponseWriter, r *http.Request, _ []byte) {
			writeJSON(w, 401, syncproto.Error{Version: 1, Code: "unauthorized", Message: "no"})
		}, func(err error) bool {
			return errors.Is(err, syncproto.ErrUnauthorized) && !errors.Is(err, syncproto.ErrReplay) && !syncproto.IsTransient(err)
		}},
		// A replay refusal is told apart: the kiosk is still enrolled.
		{"401 replay", func(w http.ResponseWriter, r *http.Request, _ []byte) {
			writeJSON(w, 401, syncproto.Error{Version: 1, Code: syncproto.CodeReplay, Message: "signing time too far back"})
		}, func(err error) bool {
			return errors.Is(err, syncproto.ErrReplay) && !errors.Is(err, syncproto.ErrUnauthorized)
		}},
		{"401 replay without envelope is an ordinary 401", func(w http.ResponseWriter, r *http.Request, _ []byte) {
			http.Error(w, "replay", http.StatusUnauthorized)
		}, func(err error) bool {
			return errors.Is(err, syncproto.ErrUnauthorized) && !errors.Is(err, syncproto.ErrReplay)
		}},
		{"403 without envelope", func(w http.ResponseWriter, r *http.Request, _ []byte) {
			http.Error(w, "forbidden", http.StatusForbidden)
		}, func(err error) bool { return errors.Is(err, syncproto.ErrUnauthorized) }},
		{"413", func(w http.ResponseWriter, r *http.Request, _ []byte) {
			writeJSON(w, 413, syncproto.Error{Version: 1, Code: "too_large", Message: "big"})
		}, func(err error) bool { var e *syncproto.TooLargeError; return errors.As(err, &e) }},
		{"429 retry-after seconds", func(w http.ResponseWriter, r *http.Request, _ []byte) {
			w.Header().Set("Retry-After", "7")
			writeJSON(w, 429, syncproto.Error{Version: 1, Code: "busy", Message: "later"})
		}, func(err error) bool {
			var e *syncproto.RetryAfterError
			return errors.As(err, &e) && e.After == 7*time.Second && syncproto.IsTransient(err)
		}},
		{"500", func(w http.ResponseWriter, r *http.Request, _ []byte) {
			http.Error(w, "boom", 500)
		}, func(err error) bool { var e *syncproto.TransientError; return errors.As(err, &e) && e.Status == 500 }},
		{"captive portal 200 html", func(w http.ResponseWriter, r *http.Request, _ []byte) {
			w.Header().Set("Content-Type", "text/html")
			io.WriteString(w, "<html><body>Please log in to the Wi-Fi</body></html>")
		}, func(err error) bool { return errors.Is(err, syncproto.ErrNotCity) && syncproto.IsTransient(err) }},
		{"200 json not ours", func(w http.ResponseWriter, r *http.Request, _ []byte) {
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, `{"status":"ok"}`)
		}, func(err error) bool { return errors.Is(err, syncproto.ErrNotCity) }},
		{"200 html claiming json", func(w http.ResponseWriter, r *http.Request, _ []byte) {
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, `<html>`)
		}, func(err error) bool { return errors.Is(err, syncproto.ErrNotCity) }},
		{"truncated body", func(w http.ResponseWriter, r *http.Request, _ []byte) {
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Content-Length", "1000")
			w.WriteHeader(200)
			io.WriteString(w, `{"version":1,"results":[`)
		}, func(err error) bool { var e *syncproto.TransientError; return errors.As(err, &e) }},
		{"400 with envelope", func(w http.ResponseWriter, r *http.Request, _ []byte) {
			writeJSON(w, 400, syncproto.Error{Version: 1, Code: "bad_version", Message: "?"})
		}, func(err error) bool {
			var e *syncproto.RefusedError
			return errors.As(err, &e) && e.Code == "bad_version"
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, _ := newTestClient(t, tc.handler)
			_, err := c.Push(context.Background(), syncproto.PushRequest{Version: 1, KioskID: "K1"})
			if err == nil || !tc.check(err) {
				t.Fatalf("got %v (%T)", err, err)
			}
		})
	}
}

func TestConnectionRefusedIsTransient(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close()
	_, priv, _ := ed25519.GenerateKey(rand.Reader)
	c := New(Options{BaseURL: url, Identity: func() (syncproto.Identity, error) { return syncproto.Identity{KioskID: "K1", SigningKey: priv}, nil }})
	_, err := c.Pull(context.Background(), syncproto.PullRequest{Version: 1})
	if !syncproto.IsTransient(err) {
		t.Fatalf("got %v", err)
	}
}

func TestTimeout(t *testing.T) {
	release := make(chan struct{})
	c, _ := newTestClient(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	defer close(release)
	c.opts.Timeout = 50 * time.Millisecond
	_, err := c.Heartbeat(context.Background(), syncproto.Heartbeat{Version: 1})
	if !syncproto.IsTransient(err) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v", err)
	}
}

func TestSignTimeNeverGoesBack(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	c := New(Options{Now: func() time.Time { return now }})
	a := c.signTime()
	now = now.Add(-time.Hour)
	if b := c.signTime(); b.Before(a) {
		t.Fatalf("sign time went back: %v then %v", a, b)
	}
}

// testCode is a well-formed code (its check character matches).
const testCode = "7KQM-X3AD-9TWF-HC4"

func goodCode(t *testing.T) string {
	t.Helper()
	body := strings.ReplaceAll(testCode, "-", "")
	c, err := syncproto.EnrolCodeCheck(body)
	if err != nil {
		t.Fatal(err)
	}
	return syncproto.FormatEnrolCode(body + string(c))
}

func TestEnrol(t *testing.T) {
	code := goodCode(t)
	sec, _ := syncproto.DeriveEnrolSecret(code)
	sealKey := bytes.Repeat([]byte{1}, 32)
	cityPub, _, _ := ed25519.GenerateKey(rand.Reader)
	var gotKey []byte
	calls := 0
	// answer changes the city's answer bytes after its MAC is made, as a
	// man in the middle would; nil leaves it alone.
	var answer func([]byte) []byte
	noMAC := false
	c, srv := newTestClient(t, func(w http.ResponseWriter, r *http.Request, body []byte) {
		calls++
		req, err := syncproto.DecodeEnrolRequest(body)
		if err != nil || req.CodeID != sec.ID || syncproto.VerifyEnrolRequestMAC(sec.AuthKey, body, r.Header.Get(syncproto.HeaderEnrolMAC)) != nil {
			writeJSON(w, 401, syncproto.Error{Version: 1, Code: "bad_code", Message: "no"})
			return
		}
		gotKey = req.SigningKey
		out, _ := json.Marshal(syncproto.EnrolResponse{Version: 1, KioskID: "K9", Number: 9, Commune: "00001",
			SealKey: sealKey, CityKey: cityPub, ServerTime: time.Now()})
		if !noMAC {
			w.Header().Set(syncproto.HeaderEnrolMAC, syncproto.EnrolResponseMAC(sec.AuthKey, body, out))
		}
		if answer != nil {
			out = answer(out)
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(out)
	})
	e, err := c.Enrol(context.Background(), srv.URL, " "+strings.ToLower(code)+" ")
	if err != nil {
		t.Fatal(err)
	}
	if e.Response.KioskID != "K9" || !bytes.Equal(gotKey, e.PublicKey) || !e.PublicKey.Equal(e.PrivateKey.Public()) {
		t.Fatalf("enrolment %+v", e.Response)
	}
	unknown := strings.ReplaceAll(testCode, "7", "9")
	c2, _ := syncproto.EnrolCodeCheck(strings.ReplaceAll(unknown, "-", ""))
	if _, err := c.Enrol(context.Background(), srv.URL, unknown+string(c2)); !errors.Is(err, syncproto.ErrUnauthorized) {
		t.Fatalf("unknown code: %v", err)
	}

	calls = 0
	if _, err := c.Enrol(context.Background(), srv.URL, testCode+"Q"); !errors.Is(err, syncproto.ErrEnrolCodeTypo) || calls != 0 {
		t.Fatalf("mistyped code: %v after %d calls; want ErrEnrolCodeTypo before any", err, calls)
	}

	answer = func(b []byte) []byte {
		return bytes.Replace(b, []byte(base64.StdEncoding.EncodeToString(sealKey)), []byte(base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{6}, 32))), 1)
	}
	if _, err := c.Enrol(context.Background(), srv.URL, code); !errors.Is(err, ErrEnrolMismatch) {
		t.Fatalf("swapped seal key: %v; want ErrEnrolMismatch", err)
	}
	answer, noMAC = nil, true
	if _, err := c.Enrol(context.Background(), srv.URL, code); !errors.Is(err, ErrEnrolMismatch) {
		t.Fatalf("answer without a MAC: %v; want ErrEnrolMismatch", err)
	}
}

func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Duration
	}{
		{"", 30 * time.Second},
		{"0", 0},
		{"120", 2 * time.Minute},
		{"-5", 30 * time.Second},
		{"soon", 30 * time.Second},
		{"999999", 24 * time.Hour},
		{now.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second},
		{now.Add(-time.Hour).Format(http.TimeFormat), 0},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			if got := retryAfter(tc.in, now); got != tc.want {
				t.Fatalf("retryAfter(%q) = %v, want %v", tc.in, got, tc.want)
			}
		})
	}
}

func TestJoinURL(t *testing.T) {
	if got := joinURL("http://x/", "/v1/push"); got != "http://x/v1/push" {
		t.Fatal(got)
	}
	if !strings.HasSuffix(joinURL("http://x", syncproto.PathPull), "/v1/pull") {
		t.Fatal("pull path")
	}
}
