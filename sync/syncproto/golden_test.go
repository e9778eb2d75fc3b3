package syncproto

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

var (
	t0       = time.Date(2026, 11, 28, 9, 30, 0, 0, time.UTC)
	sampleID = "0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b"
)

func sampleItem() Item {
	return Item{Seq: 42, RequestID: sampleID, Code: "7K3M-9QX2-4H", Service: "birth_extract_copy",
		CreatedAt: t0, Sealed: []byte("sealed-bytes"), SHA256: "4f1c2a0b5e7d3c9a8b6f4e2d1c0b9a8f7e6d5c4b3a2918070605040302010000"}
}

func sampleResult() ItemResult {
	return ItemResult{Seq: 42, RequestID: sampleID, Outcome: Accepted, CityRef: "HN-2026-000042", ReceivedAt: t0.Add(time.Minute)}
}

func sampleChange() StatusChange {
	return StatusChange{Seq: 7, RequestID: sampleID, Code: "7K3M-9QX2-4H", Status: StatusReady, Note: "Mời nhận tại bộ phận một cửa", ChangedAt: t0.Add(time.Hour)}
}

// goldenMessages is one sample of every message of the protocol.
func goldenMessages() map[string]any {
	return map[string]any{
		"lookup_request":  LookupRequest{Version: Version, KioskID: "K0007", Code: "H7A-TTH-YVK", IDLast4: "2345"},
		"lookup_response": LookupResponse{Version: Version, Found: true, Code: "H7A-TTH-YVK", Service: "birth_extract_copy", Status: StatusProcessing, StatusChangedAt: t0, ReceivedAt: t0, ServerTime: t0},
		"enrol_request":   EnrolRequest{Version: Version, CodeID: testSecret().ID, SigningKey: bytes.Repeat([]byte{1}, 32), AppVersion: "1.0.0"},
		"enrol_response":  EnrolResponse{Version: Version, KioskID: "k-01", Number: 12, Commune: "00004", CommuneName: "Phường Ba Đình", SealKey: bytes.Repeat([]byte{2}, 32), CityKey: bytes.Repeat([]byte{3}, 32), ServerTime: t0},
		"push_request":    PushRequest{Version: Version, KioskID: "k-01", BatchID: "b-1", SentAt: t0, Items: []Item{sampleItem()}},
		"push_response": PushResponse{Version: Version, Results: []ItemResult{sampleResult(),
			{Seq: 43, RequestID: "0193a1b2-0000-7000-8000-000000000043", Outcome: Rejected, Reason: "requester.personal_id: must be 12 digits", ReceivedAt: t0.Add(time.Minute)}},
			AckedThroughSeq: 43, ServerTime: t0.Add(time.Minute), Limits: Limits{MaxItems: 100, MaxBytes: 1 << 20}},
		"pull_request":  PullRequest{Version: Version, KioskID: "k-01", Cursor: Cursor{Epoch: "e1", Seq: 6}, Limit: 500, CatalogueVersion: "2026-11"},
		"pull_response": PullResponse{Version: Version, Changes: []StatusChange{sampleChange()}, Next: Cursor{Epoch: "e1", Seq: 7}, ServerTime: t0.Add(time.Hour)},
		"heartbeat": Heartbeat{Version: Version, KioskID: "k-01", SentAt: t0, QueueDepth: 3, OldestUnsentSecs: 600, Quarantined: 1, ClockSkewSecs: -5, FreeDiskBytes: 1 << 30, DiskBytes: 8 << 30, AppVersion: "1.0.0", CatalogueVersion: "2026-11",
			Satisfaction: []SatisfactionDay{{Day: "2026-11-27", VerySatisfied: 4, Satisfied: 2, Neutral: 1}, {Day: "2026-11-28", Satisfied: 1, NotSatisfied: 1}}},
		"heartbeat_response": HeartbeatResponse{Version: Version, ServerTime: t0},
		"error":              Error{Version: Version, Code: "revoked", Message: "this kiosk has been revoked"},
	}
}

func goldenCheck(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s changed: the wire format is a contract; if this is intended run go test ./sync/syncproto -update\ngot:\n%s", name, got)
	}
}

func TestGoldenMessages(t *testing.T) {
	for name, m := range goldenMessages() {
		t.Run(name, func(t *testing.T) {
			got, err := json.MarshalIndent(m, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			goldenCheck(t, name+".json", append(got, '\n'))
		})
	}
}

func TestGoldenFiles(t *testing.T) {
	_, kioskKey := testKey(1)
	_, cityKey := testKey(9)
	b, err := EncodeBundle(Bundle{KioskID: "k-01", CreatedAt: t0, Items: []Item{sampleItem()}}, kioskKey)
	if err != nil {
		t.Fatal(err)
	}
	goldenCheck(t, "bundle.json", b)
	r, err := EncodeReceipt(Receipt{KioskID: "k-01", CreatedAt: t0, Results: []ItemResult{sampleResult()}, AckedThroughSeq: 42,
		Changes: []StatusChange{sampleChange()}, Next: Cursor{Epoch: "e1", Seq: 7}}, cityKey)
	if err != nil {
		t.Fatal(err)
	}
	goldenCheck(t, "receipt.json", r)
	cityPub, _ := testKey(9)
	p, err := EncodeProvisioning(Provisioning{Enrol: EnrolResponse{KioskID: "k-01", Number: 12, Commune: "00004", CommuneName: "Phường Ba Đình",
		SealKey: bytes.Repeat([]byte{2}, 32), CityKey: cityPub, ServerTime: t0}, CityURL: "https://city.example", SigningKey: kioskKey}, cityKey, testSecret().AuthKey)
	if err != nil {
		t.Fatal(err)
	}
	goldenCheck(t, "provisioning.json", p)
}

// TestGoldenDecode reads every golden file back through its decoder.
func TestGoldenDecode(t *testing.T) {
	read := func(name string) []byte {
		data, err := os.ReadFile(filepath.Join("testdata", "golden", name))
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	decoders := map[string]func([]byte) error{
		"enrol_request.json":      func(d []byte) error { _, err := DecodeEnrolRequest(d); return err },
		"lookup_request.json":     func(d []byte) error { _, err := DecodeLookupRequest(d); return err },
		"lookup_response.json":    func(d []byte) error { _, err := DecodeLookupResponse(d); return err },
		"enrol_response.json":     func(d []byte) error { _, err := DecodeEnrolResponse(d); return err },
		"push_request.json":       func(d []byte) error { _, err := DecodePushRequest(d); return err },
		"push_response.json":      func(d []byte) error { _, err := DecodePushResponse(d); return err },
		"pull_request.json":       func(d []byte) error { _, err := DecodePullRequest(d); return err },
		"pull_response.json":      func(d []byte) error { _, err := DecodePullResponse(d); return err },
		"heartbeat.json":          func(d []byte) error { _, err := DecodeHeartbeat(d); return err },
		"heartbeat_response.json": func(d []byte) error { _, err := DecodeHeartbeatResponse(d); return err },
		"error.json":              func(d []byte) error { _, err := DecodeError(d); return err },
		"provisioning.json":       func(d []byte) error { _, err := DecodeProvisioning(d); return err },
		"bundle.json": func(d []byte) error {
			pub, _ := testKey(1)
			_, err := DecodeBundle(d, pub)
			return err
		},
		"receipt.json": func(d []byte) error {
			pub, _ := testKey(9)
			_, err := DecodeReceipt(d, pub)
			return err
		},
	}
	for name, dec := range decoders {
		if err := dec(read(name)); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}
