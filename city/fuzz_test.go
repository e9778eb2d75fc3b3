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

// FuzzHashEnrolCode: case, spaces and dashes never change a code's hash.
func FuzzHashEnrolCode(f *testing.F) {
	f.Add("7KQM-X3AD-9TWF")
	f.Add(city.NewEnrolCode())
	f.Fuzz(func(t *testing.T, code string) {
		h := city.HashEnrolCode(code)
		if len(h) != 64 {
			t.Fatalf("hash %q", h)
		}
		loose := strings.ToLower(strings.ReplaceAll(code, "-", " - "))
		if strings.ToUpper(loose) == strings.ToUpper(strings.ReplaceAll(code, "-", " - ")) && city.HashEnrolCode(loose) != h {
			t.Fatalf("%q and %q hash differently", code, loose)
		}
	})
}
