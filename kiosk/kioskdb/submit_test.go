package kioskdb

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"reflect"
	"strings"
	"testing"

	"communekiosk/kiosk"

	"github.com/google/uuid"
	bolt "go.etcd.io/bbolt"
)

func TestSubmitRefusesUntilEnrolled(t *testing.T) {
	db := openTest(t, Options{})
	if _, err := db.Identity(); !errors.Is(err, ErrNotEnrolled) {
		t.Fatalf("Identity() err = %v, want ErrNotEnrolled", err)
	}
	_, err := db.Submit(sampleRequest(""), t0)
	if !errors.Is(err, ErrNotEnrolled) {
		t.Fatalf("Submit err = %v, want ErrNotEnrolled", err)
	}
	if c, _ := db.Counts(); c != (Counts{}) {
		t.Errorf("Counts after refused submit = %+v", c)
	}
}

func TestSubmitSealsPayloadToCityKey(t *testing.T) {
	db := openEnrolled(t, Options{})
	req := sampleRequest("to register a marriage")
	rc, err := db.Submit(req, t0)
	if err != nil {
		t.Fatal(err)
	}
	items, err := db.Pending(0, 0)
	if err != nil || len(items) != 1 {
		t.Fatalf("Pending = %v, %v", items, err)
	}
	it := items[0]
	if got := openPayload(t, it.Sealed); !reflect.DeepEqual(got, req) {
		t.Errorf("opened payload differs:\n got %+v\nwant %+v", got, req)
	}
	sum := sha256.Sum256(it.Sealed)
	if it.SHA256 != hex.EncodeToString(sum[:]) {
		t.Errorf("SHA256 = %s, want the sum of Sealed", it.SHA256)
	}
	if it.RequestID != rc.RequestID || it.Code != rc.Code || it.Seq != rc.Seq || it.Service != req.Service {
		t.Errorf("item %+v does not match receipt %+v", it, rc)
	}
	// No personal data in plaintext anywhere in the file.
	for k, v := range dump(t, db) {
		for _, secret := range []string{req.Requester.FullName, req.Requester.PersonalID, req.Requester.Phone, "Đội Cấn"} {
			if strings.Contains(v, secret) || strings.Contains(k, secret) {
				t.Errorf("plaintext %q found under %s", secret, k)
			}
		}
	}
}

func TestSubmitWritesRecordCodeOutboxAndAudit(t *testing.T) {
	db := openEnrolled(t, Options{})
	var receipts []Receipt
	for i := range 3 {
		rc, err := db.Submit(sampleRequest(string(rune('a'+i))), t0)
		if err != nil {
			t.Fatal(err)
		}
		receipts = append(receipts, rc)
	}
	for i, rc := range receipts {
		if rc.Seq != uint64(i+1) {
			t.Errorf("receipt %d seq = %d", i, rc.Seq)
		}
		want, _ := kiosk.NewReceiptCode(42, rc.Seq)
		if rc.Code != want {
			t.Errorf("code = %s, want %s", rc.Code, want)
		}
		u, err := uuid.Parse(rc.RequestID)
		if err != nil || u.Version() != 7 {
			t.Errorf("request ID %s is not a UUIDv7 (%v)", rc.RequestID, err)
		}
		rec, err := db.LookupID(rc.RequestID)
		if err != nil {
			t.Fatal(err)
		}
		wantRec := Record{Code: rc.Code, RequestID: rc.RequestID, Seq: rc.Seq, Service: "birth_extract_copy",
			MaskedName: "N***** T** H**", Copies: 2, Delivery: "pickup", CreatedAt: t0, State: StateQueued,
			Terms: &Terms{NoticeVersion: "2026-08", Purposes: []string{"process_request"}, DatedAt: t0}}
		if !reflect.DeepEqual(rec, wantRec) {
			t.Errorf("record\n got %+v\nwant %+v", rec, wantRec)
		}
	}
	audit, err := db.Audit(0)
	if err != nil {
		t.Fatal(err)
	}
	submits := 0
	for _, e := range audit {
		if e.Action == AuditSubmit {
			submits++
		}
	}
	if submits != 3 {
		t.Errorf("%d submit audit lines, want 3", submits)
	}
	_ = db.bolt.View(func(tx *bolt.Tx) error {
		if n := tx.Bucket(bucketOutbox).Stats().KeyN; n != 3 {
			t.Errorf("outbox has %d entries", n)
		}
		if n := tx.Bucket(bucketCodes).Stats().KeyN; n != 3 {
			t.Errorf("codes has %d entries", n)
		}
		return nil
	})
}

func TestLookup(t *testing.T) {
	db := openEnrolled(t, Options{})
	rc, err := db.Submit(sampleRequest(""), t0)
	if err != nil {
		t.Fatal(err)
	}
	other, _ := kiosk.NewReceiptCode(42, 999)
	bad := []byte(rc.Code)
	bad[0], bad[1] = bad[1], bad[0] // adjacent transposition
	if bad[0] == bad[1] {
		t.Fatalf("pick another code")
	}
	plain := strings.ReplaceAll(rc.Code, "-", "")
	tests := []struct {
		name    string
		code    string
		wantErr error
	}{
		{"canonical", rc.Code, nil},
		{"lower case", strings.ToLower(rc.Code), nil},
		{"no separators", plain, nil},
		{"spaces", plain[:3] + " " + plain[3:6] + " " + plain[6:], nil},
		{"unknown code", other, ErrNotFound},
		{"transposed", string(bad), kiosk.ErrReceiptChecksum},
		{"garbage", "hello", ErrNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec, err := db.Lookup(tt.code)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) || !errors.Is(err, ErrNotFound) {
					t.Fatalf("err = %v, want %v and ErrNotFound", err, tt.wantErr)
				}
				return
			}
			if err != nil || rec.RequestID != rc.RequestID {
				t.Fatalf("Lookup(%q) = %+v, %v", tt.code, rec, err)
			}
		})
	}
	if _, err := db.LookupID("nope"); !errors.Is(err, ErrNotFound) {
		t.Errorf("LookupID(unknown) err = %v", err)
	}
}

// TestSubmitKeepsTerms: the notice, purposes and yes/no claims go into the
// plaintext index; free-text extra fields do not.
func TestSubmitKeepsTerms(t *testing.T) {
	db := openEnrolled(t, Options{})
	req := sampleRequest("terms")
	req.Extra = map[string]string{"digital_citizen": "true", "reason": "Nguyễn Văn A needs it", "other_flag": "false"}
	rc, err := db.Submit(req, t0)
	if err != nil {
		t.Fatal(err)
	}
	rec, err := db.Lookup(rc.Code)
	if err != nil {
		t.Fatal(err)
	}
	tm := rec.Terms
	if tm == nil || tm.NoticeVersion != req.Consent.NoticeVersion || len(tm.Purposes) != 1 || tm.Purposes[0] != "process_request" ||
		len(tm.Claims) != 1 || tm.Claims[0] != "digital_citizen" {
		t.Fatalf("terms %+v", tm)
	}
}
