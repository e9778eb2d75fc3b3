package syncproto

import (
	"crypto/ed25519"
	"encoding/base64"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
)

// seed adds the golden file and a few hostile inputs to the corpus.
func seed(f *testing.F, golden string) {
	data, err := os.ReadFile(filepath.Join("testdata", "golden", golden))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	f.Add([]byte("<html><body>captive portal</body></html>"))
	f.Add([]byte(`{"version":2}`))
	f.Add([]byte(`{"version":1}`))
	f.Add([]byte(`null`))
}

func FuzzDecodeEnrolRequest(f *testing.F) {
	seed(f, "enrol_request.json")
	f.Fuzz(func(t *testing.T, data []byte) {
		if m, err := DecodeEnrolRequest(data); err == nil && (len(m.CodeID) != 64 || len(m.SigningKey) != 32) {
			t.Fatalf("accepted %+v", m)
		}
	})
}

func FuzzDecodeEnrolResponse(f *testing.F) {
	seed(f, "enrol_response.json")
	f.Fuzz(func(t *testing.T, data []byte) {
		if m, err := DecodeEnrolResponse(data); err == nil && (m.KioskID == "" || len(m.SealKey) != 32 || len(m.CityKey) != 32) {
			t.Fatalf("accepted %+v", m)
		}
	})
}

func FuzzDecodePushRequest(f *testing.F) {
	seed(f, "push_request.json")
	f.Fuzz(func(t *testing.T, data []byte) {
		if m, err := DecodePushRequest(data); err == nil && (m.KioskID == "" || m.Version != Version) {
			t.Fatalf("accepted %+v", m)
		}
	})
}

func FuzzDecodePushResponse(f *testing.F) {
	seed(f, "push_response.json")
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := DecodePushResponse(data)
		if err != nil {
			return
		}
		for _, r := range m.Results {
			if !r.Outcome.Valid() || r.RequestID == "" {
				t.Fatalf("accepted %+v", r)
			}
		}
	})
}

func FuzzDecodePullRequest(f *testing.F) {
	seed(f, "pull_request.json")
	f.Fuzz(func(t *testing.T, data []byte) {
		if m, err := DecodePullRequest(data); err == nil && (m.KioskID == "" || m.Limit < 0) {
			t.Fatalf("accepted %+v", m)
		}
	})
}

func FuzzDecodePullResponse(f *testing.F) {
	seed(f, "pull_response.json")
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := DecodePullResponse(data)
		if err != nil {
			return
		}
		for _, c := range m.Changes {
			if !c.Status.Valid() {
				t.Fatalf("accepted %+v", c)
			}
		}
	})
}

func FuzzDecodeHeartbeat(f *testing.F) {
	seed(f, "heartbeat.json")
	f.Add([]byte(`{"version":1,"kiosk_id":"k","satisfaction":[{"day":"2026-11-31","satisfied":1}]}`))
	f.Add([]byte(`{"version":1,"kiosk_id":"k","satisfaction":[{"day":"2026-11-30","neutral":-1}]}`))
	f.Add([]byte(`{"version":1,"kiosk_id":"k","satisfaction":[{"day":"2026-11-30"},{"day":"2026-11-30"}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := DecodeHeartbeat(data)
		if err != nil {
			return
		}
		if m.KioskID == "" || len(m.Satisfaction) > MaxSatisfactionDays {
			t.Fatalf("accepted %+v", m)
		}
		for _, d := range m.Satisfaction {
			if len(d.Day) != 10 || d.VerySatisfied < 0 || d.Satisfied < 0 || d.Neutral < 0 || d.NotSatisfied < 0 {
				t.Fatalf("accepted tally %+v", d)
			}
		}
	})
}

func FuzzDecodeHeartbeatResponse(f *testing.F) {
	seed(f, "heartbeat_response.json")
	f.Fuzz(func(t *testing.T, data []byte) {
		if m, err := DecodeHeartbeatResponse(data); err == nil && m.ServerTime.IsZero() {
			t.Fatalf("accepted %+v", m)
		}
	})
}

func FuzzDecodeError(f *testing.F) {
	seed(f, "error.json")
	f.Fuzz(func(t *testing.T, data []byte) {
		if m, err := DecodeError(data); err == nil && m.Code == "" {
			t.Fatalf("accepted %+v", m)
		}
	})
}

func FuzzDecodeBundle(f *testing.F) {
	seed(f, "bundle.json")
	pub, _ := testKey(1)
	f.Fuzz(func(t *testing.T, data []byte) {
		_, _ = BundleKioskID(data)
		b, err := DecodeBundle(data, pub)
		if err == nil && (b.KioskID == "" || b.Version != Version) {
			t.Fatalf("accepted %+v", b)
		}
	})
}

func FuzzDecodeReceipt(f *testing.F) {
	seed(f, "receipt.json")
	pub, _ := testKey(9)
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := DecodeReceipt(data, pub)
		if err == nil && (r.KioskID == "" || r.Version != Version) {
			t.Fatalf("accepted %+v", r)
		}
	})
}

func FuzzDecodeProvisioning(f *testing.F) {
	seed(f, "provisioning.json")
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := DecodeProvisioning(data)
		if err == nil && (p.Enrol.KioskID == "" || len(p.SigningKey) != 64) {
			t.Fatalf("accepted %+v", p)
		}
	})
}

// FuzzVerify: whatever the headers say, Verify never panics and never
// accepts a request whose signature it did not check.
func FuzzVerify(f *testing.F) {
	pub, priv := testKey(1)
	body, err := os.ReadFile(filepath.Join("testdata", "golden", "pull_request.json"))
	if err != nil {
		f.Fatal(err)
	}
	r := httptest.NewRequest("POST", PathPull, nil)
	if err := Sign(r, body, "k-01", priv, t0); err != nil {
		f.Fatal(err)
	}
	f.Add("k-01", r.Header.Get(HeaderTime), r.Header.Get(HeaderNonce), r.Header.Get(HeaderSignature), body)
	f.Add("", "", "", "", []byte{})
	lookup := func(string) (ed25519.PublicKey, error) { return pub, nil }
	f.Fuzz(func(t *testing.T, id, ts, nonce, sig string, b []byte) {
		req := httptest.NewRequest("POST", PathPull, nil)
		req.Header.Set(HeaderKioskID, id)
		req.Header.Set(HeaderTime, ts)
		req.Header.Set(HeaderNonce, nonce)
		req.Header.Set(HeaderSignature, sig)
		got, err := Verify(req, b, lookup, t0, nil)
		if err != nil {
			return
		}
		msg := SigningString("POST", PathPull, got, req.Header.Get(HeaderTime), req.Header.Get(HeaderNonce), b)
		raw, _ := base64.StdEncoding.DecodeString(req.Header.Get(HeaderSignature))
		if !ed25519.Verify(pub, msg, raw) {
			t.Fatal("accepted an unverified request")
		}
	})
}

func FuzzDecodeLookupRequest(f *testing.F) {
	seed(f, "lookup_request.json")
	f.Fuzz(func(t *testing.T, data []byte) {
		if m, err := DecodeLookupRequest(data); err == nil && (m.KioskID == "" || m.Code == "" || len(m.IDLast4) != 4 || !allDigits(m.IDLast4)) {
			t.Fatalf("accepted %+v", m)
		}
	})
}

func FuzzDecodeLookupResponse(f *testing.F) {
	seed(f, "lookup_response.json")
	f.Fuzz(func(t *testing.T, data []byte) {
		if m, err := DecodeLookupResponse(data); err == nil && (m.ServerTime.IsZero() || (m.Found && m.Status == "")) {
			t.Fatalf("accepted %+v", m)
		}
	})
}
