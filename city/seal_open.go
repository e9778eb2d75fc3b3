package city

import (
	"golang.org/x/crypto/nacl/box"
)

// opener opens NaCl anonymous sealed boxes (box.SealAnonymous) with the
// city's key, through box.OpenAnonymous: the sealing is left entirely to
// the library.
type opener struct {
	pub, priv [32]byte
}

func newOpener(k Keys) (*opener, error) {
	return &opener{pub: k.SealPublic, priv: k.SealPrivate}, nil
}

func (o *opener) open(sealed []byte) ([]byte, bool) {
	return box.OpenAnonymous(nil, sealed, &o.pub, &o.priv)
}
