package syncproto

import (
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"time"
)

// Bundle is a kiosk's unsent outbox carried to the city on a USB drive.
// Items are exactly what a push would carry; the city ingests them through
// the same idempotent path, so importing a bundle twice changes nothing.
// A bundle is signed with the kiosk's own Ed25519 key.
type Bundle struct {
	Version   int       `json:"version"`
	KioskID   string    `json:"kiosk_id"`
	FromSeq   uint64    `json:"from_seq"`   // lowest item seq, 0 when empty
	ToSeq     uint64    `json:"to_seq"`     // highest item seq, 0 when empty
	CreatedAt time.Time `json:"created_at"` // kiosk clock
	Items     []Item    `json:"items"`
}

// EncodeBundle fills Version, FromSeq and ToSeq from b.Items and returns
// the signed file.
func EncodeBundle(b Bundle, key ed25519.PrivateKey) ([]byte, error) {
	b.Version = Version
	b.FromSeq, b.ToSeq = 0, 0
	for i, it := range b.Items {
		if i == 0 || it.Seq < b.FromSeq {
			b.FromSeq = it.Seq
		}
		if it.Seq > b.ToSeq {
			b.ToSeq = it.Seq
		}
	}
	if b.Items == nil {
		b.Items = []Item{}
	}
	if b.KioskID == "" {
		return nil, fmt.Errorf("syncproto: encode bundle: empty kiosk ID")
	}
	return encodeFile(KindBundle, b, key)
}

// DecodeBundle verifies the file with the kiosk's public key and decodes
// it. Use BundleKioskID first to find which key to use.
func DecodeBundle(data []byte, verifyKey ed25519.PublicKey) (Bundle, error) {
	if len(verifyKey) != ed25519.PublicKeySize {
		return Bundle{}, fmt.Errorf("syncproto: decode bundle: bad public key size")
	}
	p, err := openFile(data, KindBundle, verifyKey)
	if err != nil {
		return Bundle{}, err
	}
	var b Bundle
	if err := json.Unmarshal(p, &b); err != nil {
		return Bundle{}, fmt.Errorf("syncproto: decode bundle: %w", err)
	}
	if err := b.check(); err != nil {
		return Bundle{}, err
	}
	return b, nil
}

// BundleKioskID reads the kiosk ID a bundle claims, without verifying
// anything, so the city can look up the key to pass to DecodeBundle.
func BundleKioskID(data []byte) (string, error) {
	p, err := openFile(data, KindBundle, nil)
	if err != nil {
		return "", err
	}
	var b struct {
		KioskID string `json:"kiosk_id"`
	}
	if err := json.Unmarshal(p, &b); err != nil || b.KioskID == "" {
		return "", fmt.Errorf("syncproto: decode bundle: no kiosk ID")
	}
	return b.KioskID, nil
}

func (b Bundle) check() error {
	if b.Version != Version {
		return fmt.Errorf("syncproto: decode bundle: %w %d", ErrVersion, b.Version)
	}
	if b.KioskID == "" {
		return fmt.Errorf("syncproto: decode bundle: empty kiosk ID")
	}
	for i, it := range b.Items {
		if it.Seq < b.FromSeq || it.Seq > b.ToSeq {
			return fmt.Errorf("syncproto: decode bundle: item %d: seq %d outside %d..%d", i, it.Seq, b.FromSeq, b.ToSeq)
		}
	}
	return nil
}
