package app

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"communekiosk/kiosk/kioskdb"
	"communekiosk/sync/syncproto"

	"golang.org/x/crypto/nacl/box"
)

// mitm is a man in the middle between the kiosk and the city: it forwards
// every call and lets a test change the JSON of an enrol request or answer.
func mitm(t *testing.T, cityURL string, changeRequest, changeAnswer func(map[string]any)) string {
	t.Helper()
	p := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if changeRequest != nil && r.URL.Path == syncproto.PathEnrol {
			body = rewriteJSON(t, body, changeRequest)
		}
		req, _ := http.NewRequest(r.Method, cityURL+r.URL.RequestURI(), bytes.NewReader(body))
		req.Header = r.Header.Clone()
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		defer resp.Body.Close()
		out, _ := io.ReadAll(resp.Body)
		if changeAnswer != nil && r.URL.Path == syncproto.PathEnrol && resp.StatusCode == 200 {
			out = rewriteJSON(t, out, changeAnswer)
		}
		for k, v := range resp.Header {
			if k != "Content-Length" {
				w.Header()[k] = v
			}
		}
		w.WriteHeader(resp.StatusCode)
		w.Write(out)
	}))
	t.Cleanup(p.Close)
	return p.URL
}

func rewriteJSON(t *testing.T, data []byte, change func(map[string]any)) []byte {
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Errorf("the proxy could not read %q: %v", data, err)
		return data
	}
	change(m)
	out, _ := json.Marshal(m)
	return out
}

// A man in the middle who swaps the city's sealing key in the enrolment
// answer, or the kiosk's key in the request, is refused: the kiosk says
// why, stores no identity, and takes no request it would seal to the
// stranger's key. A clean path with a good code still works afterwards,
// and the kiosk seals to the city's own key.
func TestEnrolRefusesSwappedKeys(t *testing.T) {
	srv, cityURL, store := newTestCityStore(t)
	strangerSeal, _, _ := box.GenerateKey(rand.Reader)
	strangerSign, _, _ := ed25519.GenerateKey(rand.Reader)
	b64 := base64.StdEncoding.EncodeToString

	tests := []struct {
		name          string
		req, answer   func(map[string]any)
		codeStillGood bool // the city refused before using the code
	}{
		{name: "sealing key swapped in the answer", answer: func(m map[string]any) { m["seal_key"] = b64(strangerSeal[:]) }},
		{name: "city signing key swapped in the answer", answer: func(m map[string]any) { m["city_key"] = b64(strangerSign) }},
		{name: "both city keys swapped", answer: func(m map[string]any) {
			m["seal_key"], m["city_key"] = b64(strangerSeal[:]), b64(strangerSign)
		}},
		{name: "kiosk key swapped in the request", req: func(m map[string]any) { m["signing_key"] = b64(strangerSign) }, codeStillGood: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			n, _ := newTestNode(t, false)
			tok, err := n.Staff.Unlock("2468")
			if err != nil {
				t.Fatal(err)
			}
			code, err := srv.CreateEnrolCode(t.Context(), "00004", "Phường Ba Đình")
			if err != nil {
				t.Fatal(err)
			}
			before, _ := store.Kiosks(t.Context())
			_, err = n.Staff.Enrol(tok.Token, mitm(t, cityURL, tc.req, tc.answer), code.Code)
			if e := asError(err); e.Code != CodeEnrolMismatch || words(t, e.Message).VI == "" || words(t, e.Message).EN == "" {
				t.Fatalf("enrol through the proxy: %v; want %s with words", err, CodeEnrolMismatch)
			}
			if _, err := n.db.Identity(); err != kioskdb.ErrNotEnrolled {
				t.Fatalf("an identity was stored: %v", err)
			}
			if _, err := n.Requests.Submit(sampleDraft(t)); asError(err).Code != CodeNotReady {
				t.Fatalf("submit after the refused enrolment: %v; want %s", err, CodeNotReady)
			}
			after, _ := store.Kiosks(t.Context())
			for _, k := range after {
				if k.PublicKey.Equal(strangerSign) {
					t.Fatalf("the city registered the stranger's key: %+v", k)
				}
			}
			if tc.codeStillGood {
				if len(after) != len(before) {
					t.Fatalf("the city registered a kiosk for a refused request: %d then %d", len(before), len(after))
				}
			} else if code, err = srv.CreateEnrolCode(t.Context(), "00004", "Phường Ba Đình"); err != nil {
				t.Fatal(err)
			}
			// The direct path works, and the kiosk seals to the city's key.
			if _, err := n.Staff.Enrol(tok.Token, cityURL, code.Code); err != nil {
				t.Fatalf("enrol directly: %v", err)
			}
			id, err := n.db.Identity()
			if err != nil || id.SealKey != srv.Keys().SealPublic || !id.CityKey.Equal(srv.Keys().Sign.Public().(ed25519.PublicKey)) {
				t.Fatalf("identity after a clean enrolment: %v", err)
			}
			if _, err := n.Requests.Submit(sampleDraft(t)); err != nil {
				t.Fatalf("submit: %v", err)
			}
		})
	}
}

// The kiosk refuses a plain http:// city on another machine unless the
// installer allowed it, and then the staff screen warns.
func TestEnrolInsecureCity(t *testing.T) {
	n, _ := newTestNode(t, false)
	tok, _ := n.Staff.Unlock("2468")
	_, err := n.Staff.Enrol(tok.Token, "http://192.0.2.10:8480", "7KQM-X3AD-9TWF-HC44")
	if e := asError(err); e.Code != CodeInsecureCity {
		t.Fatalf("plain http to another machine: %v; want %s", err, CodeInsecureCity)
	}
	if _, err := n.db.Identity(); err != kioskdb.ErrNotEnrolled {
		t.Fatalf("identity stored: %v", err)
	}

	ov, err := n.Staff.Overview(tok.Token)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range ov.Alarms {
		if a.Key == insecureCityAlarm.Key {
			t.Fatal("insecure-city warning before any such city")
		}
	}
	// Allowed (or enrolled before the check existed): the warning shows.
	seal, _, _ := box.GenerateKey(rand.Reader)
	id := syncproto.Identity{KioskID: "K1", Number: 1, Commune: "00004", CityURL: "http://192.0.2.10:8480",
		SealKey: *seal, CityKey: srvlessKey(t), SigningKey: signKey(t)}
	if err := n.db.SetIdentity(id); err != nil {
		t.Fatal(err)
	}
	ov, _ = n.Staff.Overview(tok.Token)
	found := false
	for _, a := range ov.Alarms {
		found = found || a.Key == insecureCityAlarm.Key
	}
	if !found {
		t.Fatalf("no insecure-city warning: %+v", ov.Alarms)
	}
}

func srvlessKey(t *testing.T) ed25519.PublicKey {
	pub, _, _ := ed25519.GenerateKey(rand.Reader)
	return pub
}

func signKey(t *testing.T) ed25519.PrivateKey {
	_, priv, _ := ed25519.GenerateKey(rand.Reader)
	return priv
}

// Scanning the city's enrolment QR code types its text into the code box:
// the kiosk takes the code and the city's address from it.
func TestEnrolFromQRText(t *testing.T) {
	srv, cityURL := newTestCity(t)
	n, _ := newTestNode(t, false)
	tok, _ := n.Staff.Unlock("2468")
	code, err := srv.CreateEnrolCode(t.Context(), "00004", "")
	if err != nil {
		t.Fatal(err)
	}
	qr, err := syncproto.FormatEnrolQR(code.Code, cityURL)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := n.Staff.Enrol(tok.Token, "", syncproto.EnrolQRPrefix+"not-a-code:"+cityURL); asError(err).Code != CodeEnrolCodeTypo {
		t.Fatalf("QR with a bad code: %v; want %s", err, CodeEnrolCodeTypo)
	}
	id, err := n.Staff.Enrol(tok.Token, "", qr+"\n")
	if err != nil || id.CityURL != cityURL || id.KioskID == "" {
		t.Fatalf("enrol from the QR text: %+v %v", id, err)
	}
}
