package syncer

import "communekiosk/sync/syncclient"

// ClientIdentity adapts the store's identity to what syncclient signs
// with: wire it as syncclient.Options.Identity so a new enrolment takes
// effect at the next call.
func ClientIdentity(store IdentityStore) func() (syncclient.Identity, error) {
	return func() (syncclient.Identity, error) {
		id, err := store.Identity()
		if err != nil {
			return syncclient.Identity{}, err
		}
		return syncclient.Identity{KioskID: id.KioskID, Key: id.SigningKey, CityURL: id.CityURL}, nil
	}
}
