package city

import (
	"crypto/ecdh"

	"golang.org/x/crypto/blake2b"
	"golang.org/x/crypto/nacl/box"
	"golang.org/x/crypto/salsa20/salsa"
)

// opener opens NaCl anonymous sealed boxes (box.SealAnonymous) with the
// city's key. It gives the same result as box.OpenAnonymous with half the
// work: the city's private key is parsed once, where box.OpenAnonymous
// re-derives its public key for every payload.
type opener struct {
	priv *ecdh.PrivateKey
	pub  [32]byte
}

func newOpener(k Keys) (*opener, error) {
	priv, err := ecdh.X25519().NewPrivateKey(k.SealPrivate[:])
	if err != nil {
		return nil, err
	}
	return &opener{priv: priv, pub: k.SealPublic}, nil
}

var zeros16 [16]byte

func (o *opener) open(sealed []byte) ([]byte, bool) {
	if len(sealed) < box.AnonymousOverhead {
		return nil, false
	}
	peer, err := ecdh.X25519().NewPublicKey(sealed[:32])
	if err != nil {
		return nil, false
	}
	shared, err := o.priv.ECDH(peer)
	if err != nil {
		return nil, false
	}
	var key [32]byte
	copy(key[:], shared)
	salsa.HSalsa20(&key, &zeros16, &key, &salsa.Sigma)
	h, err := blake2b.New(24, nil)
	if err != nil {
		return nil, false
	}
	h.Write(sealed[:32])
	h.Write(o.pub[:])
	var nonce [24]byte
	copy(nonce[:], h.Sum(nil))
	return box.OpenAfterPrecomputation(nil, sealed[32:], &nonce, &key)
}
