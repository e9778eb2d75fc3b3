package synce2e

import (
	"context"
	"math/rand/v2"
	"testing"
	"time"

	"communekiosk/city"
	"communekiosk/sync/syncproto"
)

// allFaults is every fault of the list.
var allFaults = []Fault{DropBefore, DropAfter, ResetMidBody, ServerError, ServerErrorAfter, Truncate, Stall, Captive, TooLarge, TooMany}

// TestFaults puts the fault proxy between a real kiosk and a real city and
// scripts every fault, several times, in a seeded order, on pushes and
// pulls. After the faults stop, every request is at the city exactly once,
// with no conflicts, and statuses arrive.
func TestFaults(t *testing.T) {
	n, rounds := 300, 3
	if long() {
		n, rounds = 2000, 10
	}
	c := newCity(t)
	p := NewFaultProxy(c.URL())
	defer p.Close()
	p.OnlyPaths(syncproto.PathPush, syncproto.PathPull)
	// The stall outlasts the client's timeout; the proxy holds the
	// connection until the client gives up.
	k := newKiosk(t, c, kioskOpts{baseURL: p.URL(), timeout: 2 * time.Second, maxItems: 20})
	receipts := k.submit(n)

	rng := rand.New(rand.NewPCG(20261128, 4))
	var script []Fault
	for range rounds {
		round := append([]Fault(nil), allFaults...)
		rng.Shuffle(len(round), func(i, j int) { round[i], round[j] = round[j], round[i] })
		for _, f := range round {
			script = append(script, f, Pass) // a pass between faults lets batches through
		}
	}
	p.Script(script...)
	results := k.drain(2*len(script) + 20) // a timeout under load is one more failed run
	if p.Remaining() != 0 {
		// The queue drained before the script ran out: run the rest on pulls.
		for range len(script) {
			if p.Remaining() == 0 {
				break
			}
			k.sync.RunOnce(context.Background())
		}
	}
	applied := p.Applied()
	for _, f := range allFaults {
		if applied[f] < 1 {
			t.Errorf("fault %s never applied (%v)", f, applied)
		}
	}
	var conflicts, duplicates, failures int
	codes := map[string]int{}
	for _, r := range results {
		conflicts += r.Conflict
		duplicates += r.Duplicate
		if r.Err != nil {
			failures++
			codes[r.ErrorCode]++
		}
	}
	t.Logf("faults applied %v; %d failed runs %v; %d duplicates answered", applied, failures, codes, duplicates)
	if conflicts != 0 {
		t.Fatalf("%d conflicts", conflicts)
	}
	if counts, _ := k.db.Counts(); counts.Queued != 0 || counts.Quarantined != 0 || counts.Sent != n {
		t.Fatalf("kiosk counts %+v", counts)
	}
	exactlyOnce(t, c, k.id(), receipts)

	// Statuses through faulty pulls.
	for _, r := range receipts[:10] {
		if st := c.op("POST", "/v1/operator/requests/"+r.RequestID+"/status", city.StatusChangeRequest{Status: syncproto.StatusProcessing}, nil); st != 200 {
			t.Fatalf("set status: %d", st)
		}
	}
	p.Script(Truncate, Captive, DropAfter, ResetMidBody, Stall, TooMany)
	for range 20 {
		if _, err := k.sync.RunOnce(context.Background()); err == nil && p.Remaining() == 0 {
			break
		}
	}
	for _, r := range receipts[:10] {
		rec, err := k.db.Lookup(r.Code)
		if err != nil || rec.Status != syncproto.StatusProcessing {
			t.Fatalf("lookup %s: %+v %v", r.Code, rec, err)
		}
	}
	exactlyOnce(t, c, k.id(), receipts)
}
