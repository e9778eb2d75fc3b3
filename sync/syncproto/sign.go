package syncproto

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// Headers carried by every signed request.
const (
	HeaderKioskID   = "X-Kiosk-ID"
	HeaderTime      = "X-Kiosk-Time"      // the kiosk's clock, RFC 3339 with nanoseconds, UTC
	HeaderNonce     = "X-Kiosk-Nonce"     // 32 hex characters, fresh for every attempt
	HeaderSignature = "X-Kiosk-Signature" // standard base64 of the Ed25519 signature
)

// signingDomain opens every signing string so a signature made for this
// protocol can never be valid for anything else the key signs (bundles).
const signingDomain = "commune-kiosk-request-v1"

// Errors returned by Verify. The city answers ErrUnsigned, ErrBadSignature
// and ErrReplay with 401; the lookup's own errors are passed through
// (wrapped) so the caller can tell "unknown" from "revoked".
var (
	ErrUnsigned     = errors.New("syncproto: request is not signed")
	ErrBadSignature = errors.New("syncproto: bad signature")
	ErrReplay       = errors.New("syncproto: request replayed or too old")
)

// SigningString is the exact byte string a kiosk signs. Each part is on its
// own line:
//
//	commune-kiosk-request-v1
//	METHOD
//	/path?query        (the request URI as sent)
//	kiosk ID
//	kiosk time         (the X-Kiosk-Time header, verbatim)
//	nonce              (the X-Kiosk-Nonce header, verbatim)
//	hex sha256 of the body bytes as sent (after gzip, if any)
func SigningString(method, requestURI, kioskID, kioskTime, nonce string, body []byte) []byte {
	sum := sha256.Sum256(body)
	var b strings.Builder
	for _, part := range []string{signingDomain, method, requestURI, kioskID, kioskTime, nonce, hex.EncodeToString(sum[:])} {
		b.WriteString(part)
		b.WriteByte('\n')
	}
	return []byte(b.String())
}

// Sign sets the signing headers on r. body must be the exact bytes that
// will be sent (after gzip). Call Sign for every attempt: a retry needs a
// fresh nonce, or the city refuses it as a replay.
//
// now is the kiosk's clock. It need not be right, but it should not go
// backwards by more than the city's replay window (see docs/protocol.md):
// a kiosk should sign with max(wall clock, last signed time).
func Sign(r *http.Request, body []byte, kioskID string, key ed25519.PrivateKey, now time.Time) error {
	if kioskID == "" {
		return errors.New("syncproto: sign: empty kiosk ID")
	}
	if len(key) != ed25519.PrivateKeySize {
		return errors.New("syncproto: sign: bad private key size")
	}
	var n [16]byte
	if _, err := rand.Read(n[:]); err != nil {
		return fmt.Errorf("syncproto: sign: nonce: %w", err)
	}
	nonce := hex.EncodeToString(n[:])
	ts := now.UTC().Format(time.RFC3339Nano)
	msg := SigningString(r.Method, requestURI(r), kioskID, ts, nonce, body)
	sig := ed25519.Sign(key, msg)
	r.Header.Set(HeaderKioskID, kioskID)
	r.Header.Set(HeaderTime, ts)
	r.Header.Set(HeaderNonce, nonce)
	r.Header.Set(HeaderSignature, base64.StdEncoding.EncodeToString(sig))
	return nil
}

// ReplayGuard decides whether a correctly signed request is fresh. It is
// called only after the signature has been checked, so an attacker cannot
// fill its memory. Fresh must record the nonce and return an error
// wrapping ErrReplay when the nonce was seen or kioskTime is too far
// behind the newest time this kiosk has signed.
type ReplayGuard interface {
	Fresh(kioskID, nonce string, kioskTime, now time.Time) error
}

// Verify checks the signing headers of r against body and the kiosk's
// public key, then asks guard whether the request is fresh (a nil guard
// skips the replay check). It returns the authenticated kiosk ID.
//
// Verify does not compare the kiosk's clock with now: kiosks have no
// trustworthy clock and one that is days off must still sync. now is
// passed on to the guard.
func Verify(r *http.Request, body []byte, lookup func(kioskID string) (ed25519.PublicKey, error), now time.Time, guard ReplayGuard) (string, error) {
	kioskID := r.Header.Get(HeaderKioskID)
	ts := r.Header.Get(HeaderTime)
	nonce := r.Header.Get(HeaderNonce)
	sigText := r.Header.Get(HeaderSignature)
	if kioskID == "" || ts == "" || nonce == "" || sigText == "" {
		return "", ErrUnsigned
	}
	if len(kioskID) > 128 || len(nonce) < 16 || len(nonce) > 64 {
		return "", fmt.Errorf("%w: malformed header", ErrBadSignature)
	}
	kioskTime, err := time.Parse(time.RFC3339Nano, ts)
	if err != nil {
		return "", fmt.Errorf("%w: time header: %v", ErrBadSignature, err)
	}
	sig, err := base64.StdEncoding.DecodeString(sigText)
	if err != nil || len(sig) != ed25519.SignatureSize {
		return "", fmt.Errorf("%w: signature encoding", ErrBadSignature)
	}
	pub, err := lookup(kioskID)
	if err != nil {
		return "", fmt.Errorf("syncproto: verify: kiosk %s: %w", kioskID, err)
	}
	if len(pub) != ed25519.PublicKeySize {
		return "", fmt.Errorf("%w: kiosk key size", ErrBadSignature)
	}
	msg := SigningString(r.Method, requestURI(r), kioskID, ts, nonce, body)
	if !ed25519.Verify(pub, msg, sig) {
		return "", ErrBadSignature
	}
	if guard != nil {
		if err := guard.Fresh(kioskID, nonce, kioskTime, now); err != nil {
			return "", err
		}
	}
	return kioskID, nil
}

// requestURI is the path and query as the client sends them and as the
// server receives them.
func requestURI(r *http.Request) string {
	if r.RequestURI != "" {
		return r.RequestURI
	}
	return r.URL.RequestURI()
}
