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

// seal encodes the request as JSON and seals it to the city's X25519 key
// (an anonymous sealed box: only the holder of the city's private key can
// open it; the kiosk cannot).
func seal(req kiosk.Request, cityKey *[32]byte) (sealed []byte, sum string, err error) {
	plain, err := json.Marshal(req)
	if err != nil {
		return nil, "", fmt.Errorf("kioskdb: encode payload: %w", err)
	}
	sealed, err = box.SealAnonymous(nil, plain, cityKey, rand.Reader)
	clear(plain)
	if err != nil {
		return nil, "", fmt.Errorf("kioskdb: seal payload: %w", err)
	}
	return sealed, sha256Hex(sealed), nil
}

func sha256Hex(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}
