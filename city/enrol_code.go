package city

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"strings"
)

// codeAlphabet has no look-alikes (no 0/O, 1/I/L, 5/S, 2/Z, 8/B, U/V).
const codeAlphabet = "34679ACDEFGHJKMNPQRTWXY"

// NewEnrolCode returns a random one-time code, 12 characters in groups of
// four ("7KQM-X3AD-9TWF"), about 54 bits.
func NewEnrolCode() string {
	var b [12]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err)
	}
	var out strings.Builder
	for i, v := range b {
		if i > 0 && i%4 == 0 {
			out.WriteByte('-')
		}
		// 256 % 23 skews by < 0.5%: irrelevant for a one-time code.
		out.WriteByte(codeAlphabet[int(v)%len(codeAlphabet)])
	}
	return out.String()
}

// HashEnrolCode normalises a typed code (case, spaces, dashes) and hashes
// it; only the hash is stored.
func HashEnrolCode(code string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(code) {
		if r != '-' && r != ' ' {
			b.WriteRune(r)
		}
	}
	sum := sha256.Sum256([]byte("commune-kiosk-enrol\n" + b.String()))
	return hex.EncodeToString(sum[:])
}
