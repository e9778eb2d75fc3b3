package syncproto

import (
	"bytes"
	"errors"
	"testing"
)

func TestBundleRoundTrip(t *testing.T) {
	pub, priv := testKey(1)
	otherPub, _ := testKey(2)
	items := []Item{sampleItem(), sampleItem()}
	items[1].Seq = 40
	data, err := EncodeBundle(Bundle{KioskID: "k-01", CreatedAt: t0, Items: items}, priv)
	if err != nil {
		t.Fatal(err)
	}
	id, err := BundleKioskID(data)
	if err != nil || id != "k-01" {
		t.Fatalf("BundleKioskID = %q, %v", id, err)
	}
	b, err := DecodeBundle(data, pub)
	if err != nil {
		t.Fatal(err)
	}
	if b.FromSeq != 40 || b.ToSeq != 42 || len(b.Items) != 2 || b.Items[0].RequestID != sampleID {
		t.Fatalf("decoded %+v", b)
	}
	if _, err := DecodeBundle(data, otherPub); !errors.Is(err, ErrFileSignature) {
		t.Fatalf("other key: err = %v; want ErrFileSignature", err)
	}
	tampered := bytes.Replace(data, []byte(`"seq": 42`), []byte(`"seq": 41`), 1)
	if _, err := DecodeBundle(tampered, pub); !errors.Is(err, ErrFileSignature) {
		t.Fatalf("tampered: err = %v; want ErrFileSignature", err)
	}
	receipt, _ := EncodeReceipt(Receipt{KioskID: "k-01"}, priv)
	if _, err := DecodeBundle(receipt, pub); err == nil {
		t.Fatal("a receipt decoded as a bundle")
	}
}

func TestReceiptRoundTrip(t *testing.T) {
	pub, priv := testKey(9)
	kioskPub, kioskPriv := testKey(1)
	data, err := EncodeReceipt(Receipt{KioskID: "k-01", CreatedAt: t0, Results: []ItemResult{sampleResult()},
		Changes: []StatusChange{sampleChange()}, Next: Cursor{Epoch: "e1", Seq: 7}}, priv)
	if err != nil {
		t.Fatal(err)
	}
	r, err := DecodeReceipt(data, pub)
	if err != nil {
		t.Fatal(err)
	}
	if r.KioskID != "k-01" || len(r.Results) != 1 || len(r.Changes) != 1 || r.Next.Seq != 7 {
		t.Fatalf("decoded %+v", r)
	}
	if _, err := DecodeReceipt(data, kioskPub); !errors.Is(err, ErrFileSignature) {
		t.Fatalf("wrong key: %v", err)
	}
	// A kiosk cannot forge a receipt: signed with its own key, it fails
	// against the city key.
	forged, _ := EncodeReceipt(Receipt{KioskID: "k-01"}, kioskPriv)
	if _, err := DecodeReceipt(forged, pub); !errors.Is(err, ErrFileSignature) {
		t.Fatalf("forged: %v", err)
	}
}

func TestDecodeStrict(t *testing.T) {
	tests := []struct {
		name string
		data string
		want error
	}{
		{"captive portal", "<!DOCTYPE html><html><body>Login to Wi-Fi</body></html>", ErrNotEnvelope},
		{"empty", "", ErrNotEnvelope},
		{"json without version", `{"results":[]}`, ErrNotEnvelope},
		{"version 2", `{"version":2,"results":[]}`, ErrVersion},
		{"missing results", `{"version":1}`, ErrNotEnvelope},
		{"bad outcome", `{"version":1,"results":[{"request_id":"x","outcome":"maybe"}]}`, nil},
		{"ok", `{"version":1,"results":[]}`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := DecodePushResponse([]byte(tt.data))
			switch {
			case tt.name == "bad outcome":
				if err == nil {
					t.Fatal("accepted an unknown outcome")
				}
			case tt.want == nil && err != nil:
				t.Fatalf("err = %v", err)
			case tt.want != nil && !errors.Is(err, tt.want):
				t.Fatalf("err = %v; want %v", err, tt.want)
			}
		})
	}
}

func TestProvisioningRoundTrip(t *testing.T) {
	cityPub, cityPriv := testKey(9)
	_, kioskPriv := testKey(1)
	p := Provisioning{Enrol: EnrolResponse{KioskID: "k-01", Number: 3, Commune: "00004", SealKey: bytes.Repeat([]byte{2}, 32), CityKey: cityPub, ServerTime: t0},
		CityURL: "https://city.example", SigningKey: kioskPriv}
	data, err := EncodeProvisioning(p, cityPriv, testSecret().AuthKey)
	if err != nil {
		t.Fatal(err)
	}
	got, err := DecodeProvisioning(data)
	if err != nil {
		t.Fatal(err)
	}
	if got.Enrol.KioskID != "k-01" || !bytes.Equal(got.SigningKey, kioskPriv) {
		t.Fatalf("decoded %+v", got)
	}
	if err := got.VerifyCode(testCode); err != nil {
		t.Fatalf("the file's own code: %v", err)
	}
	// A stranger who re-makes the file with its own keys, and signs it
	// with its own key so the signature verifies, cannot make the check
	// without the code.
	strangerPub, strangerPriv := testKey(5)
	forged := got
	forged.Enrol.SealKey, forged.Enrol.CityKey = bytes.Repeat([]byte{6}, 32), strangerPub
	other, _ := DeriveEnrolSecret(otherCode)
	fdata, err := EncodeProvisioning(forged, strangerPriv, other.AuthKey)
	if err != nil {
		t.Fatal(err)
	}
	fp, err := DecodeProvisioning(fdata)
	if err != nil {
		t.Fatalf("the forged file should decode (its signature is its own): %v", err)
	}
	if err := fp.VerifyCode(testCode); !errors.Is(err, ErrEnrolMAC) {
		t.Fatalf("forged file with the real code: %v; want ErrEnrolMAC", err)
	}
	fp.Check = got.Check // the real check does not fit the stranger's keys
	if err := fp.VerifyCode(testCode); !errors.Is(err, ErrEnrolMAC) {
		t.Fatalf("forged file with the real check: %v; want ErrEnrolMAC", err)
	}
	if _, err := DecodeProvisioning(bytes.Replace(data, []byte(`"number": 3`), []byte(`"number": 4`), 1)); !errors.Is(err, ErrFileSignature) {
		t.Fatalf("tampered: %v", err)
	}
}
