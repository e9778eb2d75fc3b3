package syncproto

import (
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Enrolment binds the city's keys to the one-time code an operator hands
// over (docs/protocol.md §5). The code never travels: the kiosk sends an
// identifier derived from it, and both sides authenticate what they send
// with a second key derived from it (HKDF-SHA256, then HMAC-SHA256). A man
// in the middle who changes the kiosk's key in the request, or the city's
// keys in the answer, cannot make the matching MAC without the code.

// EnrolCodeAlphabet has no look-alikes (no 0/O, 1/I/L, 5/S, 2/Z, 8/B, U/V).
const EnrolCodeAlphabet = "34679ACDEFGHJKMNPQRTWXY"

// EnrolCodeLen is the number of characters of a code, its check character
// included; it is written in groups of four ("7KQM-X3AD-9TWF-HC4P").
const EnrolCodeLen = 16

// HeaderEnrolMAC carries the MAC of an enrol request or of its answer.
const HeaderEnrolMAC = "X-Enrol-MAC"

// ErrEnrolCodeTypo is returned for a code that is not well formed: wrong
// length, a character not in the alphabet, or a check character that does
// not match (a mistyped character or two swapped neighbours).
var ErrEnrolCodeTypo = errors.New("syncproto: enrolment code mistyped")

// ErrEnrolMAC is returned when a MAC is missing or does not match: the
// message was not made with the code's key.
var ErrEnrolMAC = errors.New("syncproto: enrolment message not authenticated by the code")

// EnrolCodeCheck returns the check character of the first
// EnrolCodeLen-1 characters of a normalised code: the sum of (position+1)
// × value, modulo 23. Because 23 is prime and the positions are below it,
// any one wrong character and any two swapped neighbours change it.
func EnrolCodeCheck(body string) (byte, error) {
	if len(body) != EnrolCodeLen-1 {
		return 0, ErrEnrolCodeTypo
	}
	sum := 0
	for i := 0; i < len(body); i++ {
		v := strings.IndexByte(EnrolCodeAlphabet, body[i])
		if v < 0 {
			return 0, ErrEnrolCodeTypo
		}
		sum += (i + 1) * v
	}
	return EnrolCodeAlphabet[sum%len(EnrolCodeAlphabet)], nil
}

// NormaliseEnrolCode reads a typed or scanned code: case, spaces and dashes
// do not matter. It fails with ErrEnrolCodeTypo unless the code is well
// formed and its check character matches.
func NormaliseEnrolCode(code string) (string, error) {
	var b strings.Builder
	for _, r := range strings.ToUpper(code) {
		switch {
		case r == '-' || r == ' ' || r == '\t':
		case r < 128 && strings.ContainsRune(EnrolCodeAlphabet, r):
			b.WriteRune(r)
		default:
			return "", fmt.Errorf("%w: %q is not a code character", ErrEnrolCodeTypo, r)
		}
	}
	s := b.String()
	if len(s) != EnrolCodeLen {
		return "", fmt.Errorf("%w: %d characters, want %d", ErrEnrolCodeTypo, len(s), EnrolCodeLen)
	}
	c, err := EnrolCodeCheck(s[:EnrolCodeLen-1])
	if err != nil || c != s[EnrolCodeLen-1] {
		return "", fmt.Errorf("%w: the check character does not match", ErrEnrolCodeTypo)
	}
	return s, nil
}

// FormatEnrolCode writes a normalised code in groups of four.
func FormatEnrolCode(code string) string {
	var b strings.Builder
	for i := 0; i < len(code); i++ {
		if i > 0 && i%4 == 0 {
			b.WriteByte('-')
		}
		b.WriteByte(code[i])
	}
	return b.String()
}

// EnrolSecret is what both sides derive from a code.
type EnrolSecret struct {
	// ID names the code at the city (64 hex characters); it is sent, and
	// the city stores it instead of the code.
	ID string
	// AuthKey authenticates enrolment messages; it is never sent.
	AuthKey []byte
}

const enrolSalt = "commune-kiosk-enrol-v1"

// DeriveEnrolSecret normalises the code and derives its ID and key.
func DeriveEnrolSecret(code string) (EnrolSecret, error) {
	norm, err := NormaliseEnrolCode(code)
	if err != nil {
		return EnrolSecret{}, err
	}
	id, err := hkdf.Key(sha256.New, []byte(norm), []byte(enrolSalt), "code id", 32)
	if err != nil {
		return EnrolSecret{}, fmt.Errorf("syncproto: derive enrol id: %w", err)
	}
	key, err := hkdf.Key(sha256.New, []byte(norm), []byte(enrolSalt), "auth key", 32)
	if err != nil {
		return EnrolSecret{}, fmt.Errorf("syncproto: derive enrol key: %w", err)
	}
	return EnrolSecret{ID: hex.EncodeToString(id), AuthKey: key}, nil
}

func enrolMAC(key []byte, parts ...[]byte) string {
	m := hmac.New(sha256.New, key)
	for _, p := range parts {
		m.Write(p)
	}
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

func checkMAC(got, want string) error {
	if got == "" || !hmac.Equal([]byte(got), []byte(want)) {
		return ErrEnrolMAC
	}
	return nil
}

// EnrolRequestMAC authenticates an enrol request's body bytes as sent.
func EnrolRequestMAC(key, body []byte) string {
	return enrolMAC(key, []byte("commune-kiosk-enrol-request-v1\n"), body)
}

// VerifyEnrolRequestMAC checks the MAC of a request body.
func VerifyEnrolRequestMAC(key, body []byte, mac string) error {
	return checkMAC(mac, EnrolRequestMAC(key, body))
}

// EnrolResponseMAC authenticates the city's answer bytes and ties them to
// the request they answer (by its hash), so an old answer cannot be
// replayed to another enrolment.
func EnrolResponseMAC(key, requestBody, responseBody []byte) string {
	sum := sha256.Sum256(requestBody)
	return enrolMAC(key, []byte("commune-kiosk-enrol-response-v1\n"), []byte(hex.EncodeToString(sum[:])+"\n"), responseBody)
}

// VerifyEnrolResponseMAC checks the MAC of an answer.
func VerifyEnrolResponseMAC(key, requestBody, responseBody []byte, mac string) error {
	return checkMAC(mac, EnrolResponseMAC(key, requestBody, responseBody))
}

// provisioningMessage is what a provisioning file's check covers: the
// kiosk's identity, the city's two keys, the kiosk's public key and the
// city address, one per line (docs/protocol.md §5).
func provisioningMessage(p Provisioning) []byte {
	var b strings.Builder
	b.WriteString("commune-kiosk-provisioning-v1\n")
	for _, line := range []string{p.Enrol.KioskID, strconv.FormatUint(uint64(p.Enrol.Number), 10), p.Enrol.Commune,
		hex.EncodeToString(p.Enrol.SealKey), hex.EncodeToString(p.Enrol.CityKey), hex.EncodeToString(publicHalf(p.SigningKey)), p.CityURL} {
		b.WriteString(line)
		b.WriteByte('\n')
	}
	return []byte(b.String())
}

// publicHalf is the public half of an Ed25519 private key (its last 32
// bytes), or nothing for a key of the wrong size.
func publicHalf(priv []byte) []byte {
	if len(priv) != 64 {
		return nil
	}
	return priv[32:]
}
