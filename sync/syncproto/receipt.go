package syncproto

import (
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"time"
)

// Receipt is the city's answer to a bundle, or simply its news for one
// kiosk, carried back on a USB drive: the acks of every item the city holds
// from this kiosk, and the status changes after Cursor up to Next. It is
// signed with the city's Ed25519 key (EnrolResponse.CityKey). Importing it
// twice changes nothing: acks are idempotent and statuses are applied
// by their feed seq.
type Receipt struct {
	Version         int            `json:"version"`
	KioskID         string         `json:"kiosk_id"`
	CreatedAt       time.Time      `json:"created_at"` // city clock
	Results         []ItemResult   `json:"results"`
	AckedThroughSeq uint64         `json:"acked_through_seq"`
	Changes         []StatusChange `json:"changes"`
	// Reset is true when Changes is a snapshot of all of this kiosk's
	// requests (the receipt was made from the start of the feed or for
	// another epoch); the kiosk then applies it as a pull with reset.
	Reset bool   `json:"reset"`
	Next  Cursor `json:"next"`
}

// EncodeReceipt signs the receipt with the city's key.
func EncodeReceipt(r Receipt, key ed25519.PrivateKey) ([]byte, error) {
	r.Version = Version
	if r.Results == nil {
		r.Results = []ItemResult{}
	}
	if r.Changes == nil {
		r.Changes = []StatusChange{}
	}
	if r.KioskID == "" {
		return nil, fmt.Errorf("syncproto: encode receipt: empty kiosk ID")
	}
	return encodeFile(KindReceipt, r, key)
}

// DecodeReceipt verifies the file with the city's public key and decodes
// it. The caller must also check KioskID is its own.
func DecodeReceipt(data []byte, cityKey ed25519.PublicKey) (Receipt, error) {
	if len(cityKey) != ed25519.PublicKeySize {
		return Receipt{}, fmt.Errorf("syncproto: decode receipt: bad public key size")
	}
	p, err := openFile(data, KindReceipt, cityKey)
	if err != nil {
		return Receipt{}, err
	}
	var r Receipt
	if err := json.Unmarshal(p, &r); err != nil {
		return Receipt{}, fmt.Errorf("syncproto: decode receipt: %w", err)
	}
	if r.Version != Version {
		return Receipt{}, fmt.Errorf("syncproto: decode receipt: %w %d", ErrVersion, r.Version)
	}
	if r.KioskID == "" {
		return Receipt{}, fmt.Errorf("syncproto: decode receipt: empty kiosk ID")
	}
	for i, res := range r.Results {
		if err := res.check(); err != nil {
			return Receipt{}, fmt.Errorf("syncproto: decode receipt: result %d: %w", i, err)
		}
	}
	for i, c := range r.Changes {
		if err := c.check(); err != nil {
			return Receipt{}, fmt.Errorf("syncproto: decode receipt: change %d: %w", i, err)
		}
	}
	return r, nil
}
