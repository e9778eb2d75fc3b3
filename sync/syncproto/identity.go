package syncproto

import (
	"crypto/ed25519"
	"errors"
	"time"
)

// ErrNotEnrolled is what a kiosk's store answers, wrapped with its own
// prefix, for the identity of a kiosk that has none yet.
var ErrNotEnrolled = errors.New("kiosk not enrolled")

// Identity is who a kiosk is, as enrolment (an EnrolResponse and the key
// pair the kiosk made) or a provisioning file gives it. The kiosk's store
// keeps it as this JSON, so the field names and their order are fixed; the
// sync engine and the transport read it.
type Identity struct {
	KioskID     string             `json:"kiosk_id"`
	Number      uint32             `json:"number"` // used in receipt codes
	Commune     string             `json:"commune"`
	CommuneName string             `json:"commune_name"`
	CityURL     string             `json:"city_url"`
	SealKey     [32]byte           `json:"seal_key"`    // the city's X25519 public key
	CityKey     ed25519.PublicKey  `json:"city_key"`    // verifies the city's receipt files
	SigningKey  ed25519.PrivateKey `json:"signing_key"` // this kiosk's own key
	EnrolledAt  time.Time          `json:"enrolled_at"`
}

// Enrolment is what an online enrolment gives the kiosk: the city's answer
// and the key pair the kiosk made for itself (only the public half left the
// kiosk), at the address it enrolled with.
type Enrolment struct {
	Response   EnrolResponse
	PublicKey  ed25519.PublicKey
	PrivateKey ed25519.PrivateKey
	CityURL    string
}

// QueueCounts are a kiosk's outbox as its heartbeat reports them: the
// requests waiting to be sent, those in quarantine, and the creation time
// of the oldest one waiting (zero when none).
type QueueCounts struct {
	Queued       int
	Quarantined  int
	OldestUnsent time.Time
}
