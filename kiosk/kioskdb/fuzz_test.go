package kioskdb

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// seeds adds every file of testdata/seeds/<dir> to the fuzz corpus.
func seeds(f *testing.F, dir string) [][]byte {
	f.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "seeds", dir, "*"))
	if err != nil || len(files) == 0 {
		f.Fatalf("no seeds in testdata/seeds/%s: %v", dir, err)
	}
	var out [][]byte
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		out = append(out, bytes.TrimSpace(b))
	}
	return out
}

func FuzzDecodeRecord(f *testing.F) {
	for _, s := range seeds(f, "record") {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := decodeRecord(b)
		if err != nil {
			return
		}
		enc1, err := json.Marshal(r)
		if err != nil {
			t.Fatalf("a decoded record does not encode: %v", err)
		}
		r2, err := decodeRecord(enc1)
		if err != nil {
			t.Fatalf("an encoded record does not decode: %v", err)
		}
		if enc2, _ := json.Marshal(r2); !bytes.Equal(enc1, enc2) {
			t.Fatalf("round trip differs:\n%s\n%s", enc1, enc2)
		}
	})
}

func FuzzDecodeRequest(f *testing.F) {
	for _, s := range seeds(f, "record") {
		f.Add(s) // not framed: must be refused
		if r, err := decodeRecord(s); err == nil {
			v, _ := encodeRequest(storedRequest{Record: r, Sealed: []byte("sealed bytes")})
			f.Add(v)
			v, _ = encodeRequest(storedRequest{Record: r})
			f.Add(v)
		}
	}
	f.Add([]byte{requestFormat, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01})
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := decodeRequest(b)
		if err != nil {
			return
		}
		v, err := encodeRequest(r)
		if err != nil {
			t.Fatalf("a decoded request does not encode: %v", err)
		}
		r2, err := decodeRequest(v)
		if err != nil {
			t.Fatalf("an encoded request does not decode: %v", err)
		}
		if !bytes.Equal(r.Sealed, r2.Sealed) {
			t.Fatalf("sealed bytes differ after a round trip")
		}
		if v2, _ := encodeRequest(r2); !bytes.Equal(v, v2) {
			t.Fatalf("round trip differs")
		}
	})
}

func FuzzDecodeAudit(f *testing.F) {
	for _, s := range seeds(f, "audit") {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		e, err := decodeAudit(b)
		if err != nil {
			return
		}
		enc1, err := json.Marshal(e)
		if err != nil {
			t.Fatalf("a decoded audit line does not encode: %v", err)
		}
		e2, err := decodeAudit(enc1)
		if err != nil {
			t.Fatalf("an encoded audit line does not decode: %v", err)
		}
		if enc2, _ := json.Marshal(e2); !bytes.Equal(enc1, enc2) {
			t.Fatalf("round trip differs:\n%s\n%s", enc1, enc2)
		}
	})
}
