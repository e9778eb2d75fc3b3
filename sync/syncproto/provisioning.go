package syncproto

import (
	"crypto/ed25519"
	"encoding/json"
	"fmt"
)

// KindProvisioning is the kind of an offline-enrolment file.
const KindProvisioning = "commune-kiosk-provisioning"

// Provisioning is an offline enrolment, carried to a kiosk on a USB drive
// instead of calling enrol. The city has already registered the kiosk with
// the public half of SigningKey, a key it made for this kiosk, so the
// kiosk can sign bundles and requests from its first minute, even if it
// never goes online.
//
// The file holds a private key: whoever copies it can act as this kiosk
// until an operator revokes it. Delete it from the drive after import.
// The file is signed with the city's key (Enrol.CityKey) so corruption is
// caught. That signature proves nothing about whose key it is: the binding
// is Check, an HMAC with the key of a one-time code the operator hands
// over apart from the file (DeriveEnrolSecret). Staff type that code when
// they import the file; a file whose keys were changed does not match it.
type Provisioning struct {
	Version    int           `json:"version"`
	Enrol      EnrolResponse `json:"enrol"`       // what enrol would have returned
	CityURL    string        `json:"city_url"`    // may be empty for a USB-only kiosk
	SigningKey []byte        `json:"signing_key"` // the kiosk's Ed25519 private key (64 bytes)
	// Check is the base64 HMAC-SHA256, with the code's AuthKey, of the
	// lines provisioningMessage lists.
	Check string `json:"check"`
}

// EncodeProvisioning binds p to the code whose key is authKey and signs it
// with the city's key.
func EncodeProvisioning(p Provisioning, cityKey ed25519.PrivateKey, authKey []byte) ([]byte, error) {
	p.Version = Version
	p.Enrol.Version = Version
	if err := p.check(); err != nil {
		return nil, fmt.Errorf("syncproto: encode provisioning: %w", err)
	}
	if len(authKey) == 0 {
		return nil, fmt.Errorf("syncproto: encode provisioning: no code key")
	}
	p.Check = enrolMAC(authKey, provisioningMessage(p))
	return encodeFile(KindProvisioning, p, cityKey)
}

// VerifyCode checks that the file was made for this one-time code: it
// fails with ErrEnrolCodeTypo for a mistyped code and ErrEnrolMAC when the
// file and the code do not match (another file's code, or a changed file).
func (p Provisioning) VerifyCode(code string) error {
	sec, err := DeriveEnrolSecret(code)
	if err != nil {
		return err
	}
	if err := checkMAC(p.Check, enrolMAC(sec.AuthKey, provisioningMessage(p))); err != nil {
		return fmt.Errorf("syncproto: provisioning file: %w", err)
	}
	return nil
}

// DecodeProvisioning decodes the file and checks its signature against
// the city key it carries.
func DecodeProvisioning(data []byte) (Provisioning, error) {
	raw, err := openFile(data, KindProvisioning, nil)
	if err != nil {
		return Provisioning{}, err
	}
	var p Provisioning
	if err := json.Unmarshal(raw, &p); err != nil {
		return Provisioning{}, fmt.Errorf("syncproto: decode provisioning: %w", err)
	}
	if err := p.check(); err != nil {
		return Provisioning{}, fmt.Errorf("syncproto: decode provisioning: %w", err)
	}
	if _, err := openFile(data, KindProvisioning, ed25519.PublicKey(p.Enrol.CityKey)); err != nil {
		return Provisioning{}, err
	}
	return p, nil
}

func (p Provisioning) check() error {
	switch {
	case p.Version != Version:
		return fmt.Errorf("%w %d", ErrVersion, p.Version)
	case p.Enrol.KioskID == "" || p.Enrol.Number == 0:
		return fmt.Errorf("missing kiosk identity")
	case len(p.Enrol.SealKey) != 32 || len(p.Enrol.CityKey) != ed25519.PublicKeySize:
		return fmt.Errorf("missing city keys")
	case len(p.SigningKey) != ed25519.PrivateKeySize:
		return fmt.Errorf("signing_key must be 64 bytes")
	}
	return nil
}
