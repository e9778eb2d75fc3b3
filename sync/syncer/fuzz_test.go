package syncer

import (
	"bufio"
	"crypto/ed25519"
	"crypto/rand"
	"os"
	"path/filepath"
	"testing"
)

func FuzzValidateSchedule(f *testing.F) {
	fh, err := os.Open("testdata/schedules.txt")
	if err != nil {
		f.Fatal(err)
	}
	defer fh.Close()
	sc := bufio.NewScanner(fh)
	for sc.Scan() {
		f.Add(sc.Text())
	}
	f.Fuzz(func(t *testing.T, spec string) {
		if err := ValidateSchedule(spec); err == nil {
			if _, err := parseSchedule(spec); err != nil {
				t.Fatalf("valid then invalid: %q", spec)
			}
		}
	})
}

// FuzzImportReceipt feeds arbitrary files to the receipt import: it must
// never panic nor change the store unless the city's signature verifies.
func FuzzImportReceipt(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/receipts/*")
	for _, p := range seeds {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	cityPub, _, _ := ed25519.GenerateKey(rand.Reader)
	f.Fuzz(func(t *testing.T, data []byte) {
		store := newFakeStore(t, 2, 4)
		store.id.CityKey = cityPub
		s := newTestSyncer(store, &fakeCity{}, newFakeClock(), nil)
		if _, err := s.ImportReceiptData(data); err == nil {
			t.Fatal("a file not signed by this city was accepted")
		}
		if store.applyCalls != 0 || store.statusSets != 0 {
			t.Fatal("store changed")
		}
	})
}

// FuzzImportProvisioning feeds arbitrary files to the offline enrolment:
// it must never panic, and it stores an identity only from a file whose
// signature verifies with the city key it carries and that matches the
// one-time code typed with it.
func FuzzImportProvisioning(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/provisioning/*")
	for _, p := range seeds {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, provisioningCode(f))
		f.Add(b, "7KQM-X3AD-9TWF-HC44")
	}
	f.Fuzz(func(t *testing.T, data []byte, code string) {
		store := newFakeStore(t, 0, 0)
		store.enrolled = false
		s := newTestSyncer(store, &fakeCity{}, newFakeClock(), nil)
		id, err := s.ImportProvisioningData(data, code)
		if err != nil {
			if store.enrolled {
				t.Fatal("identity stored from a refused file")
			}
			return
		}
		if id.KioskID == "" || len(id.SigningKey) != ed25519.PrivateKeySize || !store.enrolled {
			t.Fatalf("accepted an incomplete identity %+v", id)
		}
	})
}
