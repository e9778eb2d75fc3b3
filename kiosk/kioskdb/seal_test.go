package kioskdb

import (
	"encoding/json"
	"reflect"
	"testing"

	"golang.org/x/crypto/nacl/box"
)

// Sealed payloads open with the city's private key, carry a fresh
// ephemeral key each time, and are exactly the sealed-box size.
func TestSealOpensAndNeverReusesAKey(t *testing.T) {
	pub, _ := testKeys(t)
	seen := map[[32]byte]bool{}
	for i := range 20 {
		req := sampleRequest(string(rune('a' + i%26)))
		sealed, sum, err := seal(req, pub)
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

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
