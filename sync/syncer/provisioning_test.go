package syncer

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"os"
	"path/filepath"
	"testing"
	"time"

	"communekiosk/sync/syncproto"
)

func TestImportProvisioning(t *testing.T) {
	cityPub, cityPriv, _ := ed25519.GenerateKey(rand.Reader)
	_, kioskPriv, _ := ed25519.GenerateKey(rand.Reader)
	p := syncproto.Provisioning{
		Enrol: syncproto.EnrolResponse{KioskID: "K7", Number: 7, Commune: "00004", CommuneName: "Phường Ba Đình",
			SealKey: bytes.Repeat([]byte{9}, 32), CityKey: cityPub, ServerTime: time.Now()},
		CityURL:    "http://city.invalid",
		SigningKey: kioskPriv,
	}
	data, err := syncproto.EncodeProvisioning(p, cityPriv)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "provision.json")
	os.WriteFile(path, data, 0o600)
	store := newFakeStore(t, 0, 0)
	store.enrolled = false
	s := newTestSyncer(store, &fakeCity{}, newFakeClock(), nil)
	s.mu.Lock()
	s.stopped = true
	s.mu.Unlock()
	id, err := s.ImportProvisioning(path)
	if err != nil {
		t.Fatal(err)
	}
	got, err := store.Identity()
	if err != nil || got.KioskID != "K7" || got.Number != 7 || !got.SigningKey.Equal(kioskPriv) || got.SealKey[0] != 9 || id.CityURL != "http://city.invalid" {
		t.Fatalf("identity %+v: %v", got, err)
	}
	if s.State().Stopped {
		t.Fatal("still stopped after enrolment")
	}
	// A file changed after signing is refused.
	bad := bytes.Replace(data, []byte(`"K7"`), []byte(`"K8"`), 1)
	if _, err := s.ImportProvisioningData(bad); err == nil {
		t.Fatal("tampered file accepted")
	}
}
