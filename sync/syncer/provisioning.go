package syncer

import (
	"crypto/ed25519"
	"fmt"
	"os"

	"communekiosk/sync/syncproto"
)

// ImportProvisioning enrols the kiosk offline from a provisioning file an
// operator exported to USB (syncproto.Provisioning): the city made the
// kiosk's key and registered it. The file must match code, the one-time
// code the operator handed over with it (syncproto.ErrEnrolMAC if not),
// and its city address must pass syncproto.CheckCityURL. It holds a
// private key, so staff delete it after import.
func (s *Syncer) ImportProvisioning(path, code string) (syncproto.Identity, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return syncproto.Identity{}, fmt.Errorf("syncer: import provisioning: %w", err)
	}
	return s.ImportProvisioningData(data, code)
}

// ImportProvisioningData is ImportProvisioning on the file's bytes.
func (s *Syncer) ImportProvisioningData(data []byte, code string) (syncproto.Identity, error) {
	p, err := syncproto.DecodeProvisioning(data)
	if err != nil {
		return syncproto.Identity{}, fmt.Errorf("syncer: import provisioning: %w", err)
	}
	if err := p.VerifyCode(code); err != nil {
		return syncproto.Identity{}, fmt.Errorf("syncer: import provisioning: %w", err)
	}
	if p.CityURL != "" {
		if err := syncproto.CheckCityURL(p.CityURL, s.opts.AllowInsecureCity); err != nil {
			return syncproto.Identity{}, fmt.Errorf("syncer: import provisioning: %w", err)
		}
	}
	if len(p.SigningKey) != ed25519.PrivateKeySize {
		return syncproto.Identity{}, fmt.Errorf("syncer: import provisioning: the kiosk key has %d bytes", len(p.SigningKey))
	}
	r := p.Enrol
	id := syncproto.Identity{
		KioskID:     r.KioskID,
		Number:      r.Number,
		Commune:     r.Commune,
		CommuneName: r.CommuneName,
		CityURL:     p.CityURL,
		CityKey:     ed25519.PublicKey(r.CityKey),
		SigningKey:  ed25519.PrivateKey(p.SigningKey),
		EnrolledAt:  s.opts.Now().UTC(),
	}
	copy(id.SealKey[:], r.SealKey)
	return id, s.adopt(id)
}
