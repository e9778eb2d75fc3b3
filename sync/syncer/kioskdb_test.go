package syncer

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"fmt"
	"path/filepath"
	"testing"

	"communekiosk/kiosk"
	"communekiosk/kiosk/kioskdb"
	"communekiosk/sync/syncproto"
)

// The store the app wires is a Store.
var _ Store = (*kioskdb.DB)(nil)

func openRealStore(t *testing.T, clk *fakeClock) *kioskdb.DB {
	t.Helper()
	db, err := kioskdb.Open(filepath.Join(t.TempDir(), "kiosk.db"), kioskdb.Options{Now: clk.Now, Logger: quietLogger()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	_, priv, _ := ed25519.GenerateKey(rand.Reader)
	cityPub, _, _ := ed25519.GenerateKey(rand.Reader)
	id := syncproto.Identity{KioskID: "kiosk-1", Number: 7, Commune: "00004", CityURL: "http://city.invalid",
		CityKey: cityPub, SigningKey: priv, EnrolledAt: clk.Now()}
	rand.Read(id.SealKey[:])
	if err := db.SetIdentity(id); err != nil {
		t.Fatal(err)
	}
	return db
}

func sampleRequest(i int) kiosk.Request {
	return kiosk.Request{
		Service: "birth_extract_copy",
		Requester: kiosk.Requester{FullName: "Nguyễn Thị Hoa", PersonalID: "001190012345", Phone: "0912345678",
			Residence: kiosk.Address{Province: "01", Commune: "00004", Street: "12 Phố Đội Cấn"}, Relation: "self"},
		Subject:  kiosk.Person{FullName: "Nguyễn Thị Hoa", BirthDate: "1990-05-17", Sex: "female", Ethnicity: "kinh", Nationality: "VN"},
		Event:    "birth",
		Register: kiosk.Register{Office: "00004", Date: "1990-06-01", Number: fmt.Sprint(i)},
		Copies:   1,
		Delivery: kiosk.Delivery{Method: "pickup"},
		Consent:  kiosk.Consent{NoticeVersion: "2026-08", Purposes: []string{"process_request"}},
	}
}

// TestWithKioskDB runs the syncer over the real store: every request is
// pushed once, acks and quarantine land in the store, statuses reach
// Lookup with their cursor.
func TestWithKioskDB(t *testing.T) {
	clk := newFakeClock()
	db := openRealStore(t, clk)
	var receipts []kioskdb.Receipt
	for i := range 230 {
		r, err := db.Submit(sampleRequest(i), clk.Now())
		if err != nil {
			t.Fatal(err)
		}
		receipts = append(receipts, r)
	}
	seen := map[string]int{}
	city := &fakeCity{push: func(req syncproto.PushRequest) (syncproto.PushResponse, error) {
		resp := syncproto.PushResponse{Version: 1, ServerTime: clk.Now()}
		for _, it := range req.Items {
			seen[it.RequestID]++
			o := syncproto.Accepted
			if it.RequestID == receipts[5].RequestID {
				o = syncproto.Rejected
			}
			resp.Results = append(resp.Results, syncproto.ItemResult{Seq: it.Seq, RequestID: it.RequestID, Outcome: o, Reason: "invalid", CityRef: "HN-" + it.Code, ReceivedAt: clk.Now()})
		}
		return resp, nil
	}}
	city.pull = func(req syncproto.PullRequest) (syncproto.PullResponse, error) {
		if req.Cursor.Seq > 0 {
			return syncproto.PullResponse{Version: 1, Next: req.Cursor}, nil
		}
		return syncproto.PullResponse{Version: 1, Next: syncproto.Cursor{Epoch: "e1", Seq: 1}, Changes: []syncproto.StatusChange{
			{Seq: 1, RequestID: receipts[0].RequestID, Code: receipts[0].Code, Status: syncproto.StatusReady, ChangedAt: clk.Now()}}}, nil
	}
	s := newTestSyncer(db, city, clk, nil)
	res, err := s.RunOnce(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if res.Accepted != 229 || res.Rejected != 1 || res.Batches != 3 || res.Statuses != 1 {
		t.Fatalf("result %+v", res)
	}
	for id, n := range seen {
		if n != 1 {
			t.Fatalf("%s pushed %d times", id, n)
		}
	}
	counts, _ := db.Counts()
	if counts.Queued != 0 || counts.Quarantined != 1 || counts.Sent != 229 {
		t.Fatalf("counts %+v", counts)
	}
	rec, err := db.Lookup(receipts[0].Code)
	if err != nil || rec.Status != syncproto.StatusReady || rec.State != kioskdb.StateSent {
		t.Fatalf("lookup %+v: %v", rec, err)
	}
	if cur, _ := db.Cursor(); cur != (syncproto.Cursor{Epoch: "e1", Seq: 1}) {
		t.Fatalf("cursor %+v", cur)
	}
	// A second run sends nothing.
	res, err = s.RunOnce(context.Background())
	if err != nil || res.Pushed != 0 {
		t.Fatalf("second run %+v: %v", res, err)
	}
}
