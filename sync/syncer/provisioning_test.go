package syncer

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"communekiosk/sync/syncproto"
)

var updateSeeds = flag.Bool("update", false, "rewrite the fuzz seeds in testdata/provisioning")

// provisioningCode is the one-time code the seed files were made with
// (its check character is computed, not typed).
func provisioningCode(t testing.TB) string {
	body := "7KQMX3AD9TWFHC4"
	c, err := syncproto.EnrolCodeCheck(body)
	if err != nil {
		t.Fatal(err)
	}
	return syncproto.FormatEnrolCode(body + string(c))
}

func provisioningFile(t *testing.T, cityURL string) ([]byte, ed25519.PrivateKey) {
	t.Helper()
	cityPub, cityPriv, _ := ed25519.GenerateKey(rand.Reader)
	_, kioskPriv, _ := ed25519.GenerateKey(rand.Reader)
	p := syncproto.Provisioning{
		Enrol: syncproto.EnrolResponse{KioskID: "K7", Number: 7, Commune: "00004", CommuneName: "Phường Ba Đình",
			SealKey: bytes.Repeat([]byte{9}, 32), CityKey: cityPub, ServerTime: time.Date(2026, 11, 28, 3, 0, 0, 0, time.UTC)},
		CityURL:    cityURL,
		SigningKey: kioskPriv,
	}
	sec, err := syncproto.DeriveEnrolSecret(provisioningCode(t))
	if err != nil {
		t.Fatal(err)
	}
	data, err := syncproto.EncodeProvisioning(p, cityPriv, sec.AuthKey)
	if err != nil {
		t.Fatal(err)
	}
	return data, kioskPriv
}

func TestImportProvisioning(t *testing.T) {
	data, kioskPriv := provisioningFile(t, "https://city.invalid")
	if *updateSeeds {
		os.WriteFile("testdata/provisioning/valid.json", data, 0o644)
		os.WriteFile("testdata/provisioning/tampered.json", bytes.Replace(data, []byte(`"K7"`), []byte(`"K8"`), 1), 0o644)
	}
	path := filepath.Join(t.TempDir(), "provision.json")
	os.WriteFile(path, data, 0o600)
	store := newUnenrolledKiosk(t)
	s := newTestSyncer(store, &fakeCity{}, newFakeClock(), nil)
	s.mu.Lock()
	s.stopped = true
	s.mu.Unlock()

	// Another code, or a mistyped one, stores nothing.
	other := syncproto.FormatEnrolCode("34679ACDEFGHJKM" + func() string { c, _ := syncproto.EnrolCodeCheck("34679ACDEFGHJKM"); return string(c) }())
	if _, err := s.ImportProvisioning(path, other); !errors.Is(err, syncproto.ErrEnrolMAC) || store.enrolled() {
		t.Fatalf("another code: %v; want ErrEnrolMAC and nothing stored", err)
	}
	if _, err := s.ImportProvisioning(path, "7KQM-X3AD"); !errors.Is(err, syncproto.ErrEnrolCodeTypo) || store.enrolled() {
		t.Fatalf("mistyped code: %v; want ErrEnrolCodeTypo and nothing stored", err)
	}

	id, err := s.ImportProvisioning(path, provisioningCode(t))
	if err != nil {
		t.Fatal(err)
	}
	got, err := store.Identity()
	if err != nil || got.KioskID != "K7" || got.Number != 7 || !got.SigningKey.Equal(kioskPriv) || got.SealKey[0] != 9 || id.CityURL != "https://city.invalid" {
		t.Fatalf("identity %+v: %v", got, err)
	}
	if s.State().Stopped {
		t.Fatal("still stopped after enrolment")
	}
	// A file changed after signing is refused.
	bad := bytes.Replace(data, []byte(`"K7"`), []byte(`"K8"`), 1)
	if _, err := s.ImportProvisioningData(bad, provisioningCode(t)); err == nil {
		t.Fatal("tampered file accepted")
	}
}

// A file whose city is plain http on another machine is refused unless
// staff allowed it.
func TestImportProvisioningInsecureCity(t *testing.T) {
	data, _ := provisioningFile(t, "http://city.invalid")
	for _, allow := range []bool{false, true} {
		store := newUnenrolledKiosk(t)
		s := newTestSyncer(store, &fakeCity{}, newFakeClock(), nil)
		s.opts.AllowInsecureCity = allow
		_, err := s.ImportProvisioningData(data, provisioningCode(t))
		if allow && err != nil {
			t.Fatalf("allowed: %v", err)
		}
		if !allow && (!errors.Is(err, syncproto.ErrInsecureCity) || store.enrolled()) {
			t.Fatalf("not allowed: %v, enrolled %v", err, store.enrolled())
		}
	}
}
