package syncer

import (
	"context"
	"testing"

	"communekiosk/kiosk/kioskdb"
	"communekiosk/sync/syncproto"
)

// TestWithKioskDB runs the syncer over the real store: every request is
// pushed once, acks and quarantine land in the store, statuses reach
// Lookup with their cursor.
func TestWithKioskDB(t *testing.T) {
	clk := newFakeClock()
	db := newTestKiosk(t, 0)
	receipts := db.submit(230)
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
	if cur := db.cursor(); cur != (syncproto.Cursor{Epoch: "e1", Seq: 1}) {
		t.Fatalf("cursor %+v", cur)
	}
	// A second run sends nothing.
	res, err = s.RunOnce(context.Background())
	if err != nil || res.Pushed != 0 {
		t.Fatalf("second run %+v: %v", res, err)
	}
}
