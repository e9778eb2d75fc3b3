package city

import (
	"bytes"
	"crypto/rand"
	"testing"

	"golang.org/x/crypto/nacl/box"
)

func TestOpenerOpensSealedBoxesOnly(t *testing.T) {
	pub, priv, _ := box.GenerateKey(rand.Reader)
	o, err := newOpener(Keys{SealPublic: *pub, SealPrivate: *priv})
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{0, 1, 100, 5000} {
		msg := bytes.Repeat([]byte{'x'}, n)
		sealed, _ := box.SealAnonymous(nil, msg, pub, rand.Reader)
		got, ok := o.open(sealed)
		if !ok || !bytes.Equal(got, msg) {
			t.Fatalf("size %d: ok=%v", n, ok)
		}
		sealed[len(sealed)-1] ^= 1
		if _, ok := o.open(sealed); ok {
			t.Fatalf("size %d: opened a damaged box", n)
		}
	}
	if _, ok := o.open(make([]byte, 10)); ok {
		t.Fatal("opened a short box")
	}
}
