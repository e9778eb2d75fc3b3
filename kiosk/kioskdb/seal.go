package kioskdb

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"

	"communekiosk/kiosk"

	"golang.org/x/crypto/nacl/box"
)

// Payloads are sealed to the city's X25519 key with box.SealAnonymous (an
// ephemeral key pair per payload); only the holder of the city's private
// key can open them, the kiosk cannot.

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
