package city_test

import (
	"bytes"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"communekiosk/city"
	"communekiosk/sync/syncproto"
)

// FuzzPushBody sends arbitrary bodies, correctly signed by an enrolled
// kiosk, to the push handler: the city never fails with 5xx, and a 200 has
// one result per item.
func FuzzPushBody(f *testing.F) {
	seed, err := os.ReadFile(filepath.Join("testdata", "push_body.json"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(seed)
	f.Add([]byte(`{"version":1,"kiosk_id":"K0001","items":[]}`))
	f.Add([]byte(`<html>`))
	e := newEnv(f)
	k := e.enrol("00004") // K0001 in a fresh store
	f.Fuzz(func(t *testing.T, body []byte) {
		req, _ := http.NewRequest("POST", e.http.URL+syncproto.PathPush, bytes.NewReader(body))
		if err := syncproto.Sign(req, body, k.id, k.key, k.clock); err != nil {
			t.Fatal(err)
		}
		resp0, err := e.http.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		out, _ := io.ReadAll(resp0.Body)
		resp0.Body.Close()
		status := resp0.StatusCode
		switch status {
		case 200:
			resp, err := syncproto.DecodePushResponse(out)
			in, err2 := syncproto.DecodePushRequest(body)
			if err != nil || err2 != nil || len(resp.Results) != len(in.Items) {
				t.Fatalf("200 with %v / %v, %d results", err, err2, len(resp.Results))
			}
		case 400, 403, 413:
		default:
			t.Fatalf("status %d: %s", status, out)
		}
	})
}

// FuzzNewEnrolCode: every code the city makes reads back on a kiosk,
// whatever the case and spacing staff type it in, and no two are alike.
func FuzzNewEnrolCode(f *testing.F) {
	f.Add(" - ", true)
	f.Add("", false)
	f.Fuzz(func(t *testing.T, sep string, lower bool) {
		a, b := city.NewEnrolCode(), city.NewEnrolCode()
		if a == b {
			t.Fatalf("two codes alike: %s", a)
		}
		typed := strings.ReplaceAll(a, "-", strings.Trim(sep, strings.ToUpper(syncproto.EnrolCodeAlphabet)+strings.ToLower(syncproto.EnrolCodeAlphabet)))
		if lower {
			typed = strings.ToLower(typed)
		}
		if strings.Trim(typed, "- \t"+syncproto.EnrolCodeAlphabet+strings.ToLower(syncproto.EnrolCodeAlphabet)) != "" {
			return // the separator itself is not something staff could type
		}
		sa, err := syncproto.DeriveEnrolSecret(a)
		if err != nil {
			t.Fatalf("%s: %v", a, err)
		}
		st, err := syncproto.DeriveEnrolSecret(typed)
		if err != nil || st.ID != sa.ID {
			t.Fatalf("%q typed as %q: %v", a, typed, err)
		}
	})
}

// FuzzEnrolBody sends arbitrary enrol bodies and MACs for a real code: the
// city never fails with 5xx, and registers a kiosk only for a request whose
// MAC was made with the code's key.
func FuzzEnrolBody(f *testing.F) {
	e := newEnv(f)
	code := e.enrolCode("00004")
	sec, _ := syncproto.DeriveEnrolSecret(code)
	good := []byte(`{"version":1,"code_id":"` + sec.ID + `","signing_key":"AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=","app_version":"f"}`)
	f.Add(good, "")
	f.Add(good, syncproto.EnrolRequestMAC([]byte("another key"), good))
	f.Add([]byte(`{"version":1,"code_id":"`+strings.Repeat("0", 64)+`","signing_key":"AQ=="}`), "x")
	f.Add([]byte(`<html>`), "")
	f.Fuzz(func(t *testing.T, body []byte, mac string) {
		for _, c := range []byte(mac) {
			if c < 0x20 || c == 0x7f {
				return // not a header value a client can send
			}
		}
		req, _ := http.NewRequest("POST", e.http.URL+syncproto.PathEnrol, bytes.NewReader(body))
		req.Header.Set(syncproto.HeaderEnrolMAC, mac)
		resp, err := e.http.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		out, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		switch resp.StatusCode {
		case 400, 401, 413, 429:
		case 200:
			if syncproto.VerifyEnrolRequestMAC(sec.AuthKey, body, mac) != nil {
				t.Fatalf("enrolled with a MAC not made with the code: %s", out)
			}
		default:
			t.Fatalf("status %d: %s", resp.StatusCode, out)
		}
	})
}
