package kioskdb

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sync"

	"communekiosk/kiosk"

	"golang.org/x/crypto/blake2b"
	"golang.org/x/crypto/nacl/box"
)

// Payloads are sealed to the city's X25519 key as NaCl anonymous sealed
// boxes (box.SealAnonymous's format: ephemeral public key ‖ box, nonce =
// blake2b-24(ephemeral public key ‖ city key)); only the holder of the
// city's private key can open them, the kiosk cannot.
//
// The two X25519 multiplications of a sealed box (making the ephemeral key
// pair, then the shared key) do not depend on the payload, so a sealer
// prepares them for the next request in the background and a submission
// pays only for the symmetric encryption. Each prepared ephemeral key is
// taken exactly once, under the mutex, and its private half is never kept;
// without a prepared one, box.SealAnonymous is called directly.
type sealer struct {
	mu   sync.Mutex
	next *ephemeral
	// spawn runs the preparation; nil means in a new goroutine. Tests
	// replace it to decide which path a seal takes.
	spawn func(func())
}

type ephemeral struct {
	city   [32]byte // the key it was prepared for
	pub    [32]byte // the ephemeral public key
	shared [32]byte // box.Precompute(city, ephemeral private key)
}

// prepare computes an ephemeral key for city in the background.
func (s *sealer) prepare(city [32]byte) {
	if s.spawn != nil {
		s.spawn(func() { s.prepareNow(city) })
		return
	}
	go s.prepareNow(city)
}

func (s *sealer) prepareNow(city [32]byte) {
	pub, priv, err := box.GenerateKey(rand.Reader)
	if err != nil {
		return // the next seal falls back to box.SealAnonymous
	}
	e := &ephemeral{city: city, pub: *pub}
	box.Precompute(&e.shared, &city, priv)
	clear(priv[:])
	s.mu.Lock()
	s.next = e
	s.mu.Unlock()
}

// seal encodes the request as JSON and seals it to the city's key with a
// prepared ephemeral key, and prepares the next one.
func (s *sealer) seal(req kiosk.Request, city *[32]byte) (sealed []byte, sum string, err error) {
	s.mu.Lock()
	e := s.next
	s.next = nil
	s.mu.Unlock()
	s.prepare(*city)
	if e == nil || e.city != *city {
		return seal(req, city)
	}
	defer clear(e.shared[:])
	plain, err := json.Marshal(req)
	if err != nil {
		return nil, "", fmt.Errorf("kioskdb: encode payload: %w", err)
	}
	defer clear(plain)
	var nonce [24]byte
	h, err := blake2b.New(24, nil)
	if err != nil {
		return nil, "", fmt.Errorf("kioskdb: seal payload: %w", err)
	}
	h.Write(e.pub[:])
	h.Write(city[:])
	h.Sum(nonce[:0])
	out := make([]byte, 0, box.AnonymousOverhead+len(plain))
	out = append(out, e.pub[:]...)
	sealed = box.SealAfterPrecomputation(out, plain, &nonce, &e.shared)
	return sealed, sha256Hex(sealed), nil
}

// seal encodes the request as JSON and seals it with box.SealAnonymous.
func seal(req kiosk.Request, city *[32]byte) (sealed []byte, sum string, err error) {
	plain, err := json.Marshal(req)
	if err != nil {
		return nil, "", fmt.Errorf("kioskdb: encode payload: %w", err)
	}
	defer clear(plain)
	sealed, err = box.SealAnonymous(nil, plain, city, rand.Reader)
	if err != nil {
		return nil, "", fmt.Errorf("kioskdb: seal payload: %w", err)
	}
	return sealed, sha256Hex(sealed), nil
}

func sha256Hex(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}
