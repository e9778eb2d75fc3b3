package kioskdb

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"

	"golang.org/x/crypto/nacl/box"
)

// Both sealing paths (prepared ephemeral key, and box.SealAnonymous when
// none is ready) give boxes box.OpenAnonymous opens, and no ephemeral key
// is ever used twice.
func TestSealerPreparedAndFallback(t *testing.T) {
	pub, _ := testKeys(t)
	s := sealer{spawn: func(func()) {}} // prepare only when told
	seen := map[[32]byte]bool{}
	for i := range 50 {
		req := sampleRequest(string(rune('a' + i%26)))
		if i%2 == 0 {
			s.prepareNow(*pub) // prepared path; odd i: box.SealAnonymous
		}
		sealed, sum, err := s.seal(req, pub)
		if err != nil {
			t.Fatal(err)
		}
		if got := openPayload(t, sealed); !reflect.DeepEqual(got, req) {
			t.Fatalf("seal %d: opened payload differs", i)
		}
		if sum != sha256Hex(sealed) {
			t.Errorf("seal %d: wrong sum", i)
		}
		var epk [32]byte
		copy(epk[:], sealed[:32])
		if seen[epk] {
			t.Fatalf("seal %d: ephemeral key used twice", i)
		}
		seen[epk] = true
		if len(sealed) != box.AnonymousOverhead+len(mustJSON(t, req)) {
			t.Errorf("seal %d: %d bytes", i, len(sealed))
		}
	}
}

// A key prepared for another city key is not used.
func TestSealerIgnoresKeyPreparedForAnotherCity(t *testing.T) {
	pub, _ := testKeys(t)
	other, _, _ := box.GenerateKey(bytes.NewReader(bytes.Repeat([]byte{7}, 32)))
	s := sealer{spawn: func(func()) {}}
	s.prepareNow(*other)
	sealed, _, err := s.seal(sampleRequest(""), pub)
	if err != nil {
		t.Fatal(err)
	}
	openPayload(t, sealed)
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
