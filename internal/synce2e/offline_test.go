package synce2e

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"communekiosk/city"
	"communekiosk/kiosk/kioskdb"
	"communekiosk/sync/syncer"
)

// TestOfflineThenSync: requests submitted while the city is down all reach
// it exactly once when it comes back, and statuses an operator sets reach
// the kiosk's lookup.
func TestOfflineThenSync(t *testing.T) {
	n := 10000
	if raceEnabled && os.Getenv("KIOSK_E2E_SMALL") == "1" {
		n = 2000 // a quicker run under -race when the machine is busy (see race_on_test.go)
	}
	c := newCity(t)
	k := newKiosk(t, c, kioskOpts{})
	c.down()

	start := time.Now()
	receipts := k.submit(n)
	t.Logf("%d submitted in %v", n, time.Since(start))
	res, err := k.sync.RunOnce(context.Background())
	if err == nil || res.ErrorCode != syncer.CodeUnreachable {
		t.Fatalf("sync with the city down: %v %+v", err, res)
	}
	if counts, _ := k.db.Counts(); counts.Queued != n {
		t.Fatalf("queued %d", counts.Queued)
	}

	c.up()
	start = time.Now()
	results := k.drain(3)
	t.Logf("%d synced in %v (%d runs)", n, time.Since(start), len(results))
	last := results[len(results)-1]
	if last.Accepted != n || last.Duplicate+last.Rejected+last.Conflict != 0 || last.Batches != (n+99)/100 {
		t.Fatalf("result %+v", last)
	}
	exactlyOnce(t, c, k.id(), receipts)

	// An operator moves some requests along; the kiosk learns it.
	moves := map[string]string{}
	for i, r := range receipts[:30] {
		steps := []string{"processing", "ready"}
		if i%3 == 0 {
			steps = append(steps, "picked_up", "done")
		}
		for _, s := range steps {
			if st := c.op("POST", "/v1/operator/requests/"+r.RequestID+"/status", city.StatusChangeRequest{Status: statusOf(s)}, nil); st != 200 {
				t.Fatalf("set status %s of %s: %d", s, r.RequestID, st)
			}
		}
		moves[r.Code] = steps[len(steps)-1]
	}
	res, err = k.sync.RunOnce(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if res.Pushed != 0 {
		t.Fatalf("second sync pushed %d", res.Pushed)
	}
	for code, want := range moves {
		rec, err := k.db.Lookup(code)
		if err != nil || string(rec.Status) != want || rec.State != kioskdb.StateSent || rec.CityRef == "" || rec.ReceivedAt.IsZero() {
			t.Fatalf("lookup %s: %+v %v (want %s)", code, rec, err, want)
		}
	}
	rec, _ := k.db.Lookup(receipts[n-1].Code)
	if rec.Status != "received" {
		t.Fatalf("untouched request status %q", rec.Status)
	}
	// The fleet page has the heartbeat.
	var fleet []city.KioskView
	c.op("GET", "/v1/operator/kiosks", nil, &fleet)
	if len(fleet) != 1 || fleet[0].LastHeartbeatAt.IsZero() || fleet[0].QueueDepth != 0 {
		t.Fatalf("fleet %+v", fleet)
	}
	_ = fmt.Sprint
}
