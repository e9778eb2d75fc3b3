package syncer

import (
	"bufio"
	"crypto/ed25519"
	"os"
	"path/filepath"
	"testing"

	"communekiosk/sync/syncproto"
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
	// One store for every input: none may change it. Its city key is a
	// fresh one that signed no file.
	k := newTestKiosk(f, 2)
	before := k.counts()
	f.Fuzz(func(t *testing.T, data []byte) {
		store := &countingStore{Store: k}
		s := newTestSyncer(store, &fakeCity{}, newFakeClock(), nil)
		if _, err := s.ImportReceiptData(data); err == nil {
			t.Fatal("a file not signed by this city was accepted")
		}
		after, err := k.Counts()
		if err != nil {
			t.Fatal(err)
		}
		cur, err := k.Cursor()
		if err != nil {
			t.Fatal(err)
		}
		if store.applies.Load() != 0 || store.statusSets.Load() != 0 || after != before || cur != (syncproto.Cursor{}) {
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
		store := newUnenrolledKiosk(t)
		s := newTestSyncer(store, &fakeCity{}, newFakeClock(), nil)
		id, err := s.ImportProvisioningData(data, code)
		if err != nil {
			if store.enrolled() {
				t.Fatal("identity stored from a refused file")
			}
			return
		}
		if id.KioskID == "" || len(id.SigningKey) != ed25519.PrivateKeySize || !store.enrolled() {
			t.Fatalf("accepted an incomplete identity %+v", id)
		}
	})
}
