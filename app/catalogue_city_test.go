package app

import (
	"encoding/json"
	"net/http"
	"testing"

	"communekiosk/city"
	"communekiosk/kiosk/kiosktest"
)

// The catalogue belongs to the city: a fee changed at the city reaches a
// kiosk's quote after one sync, and a request a kiosk took before it heard
// of the change is accepted with the fee it was quoted.
func TestCityCatalogueChangeReachesKiosks(t *testing.T) {
	srv, cityURL := newTestCity(t)
	enrol := func() *Node {
		t.Helper()
		n, _ := newTestNode(t, false)
		enrolNode(t, n, srv, cityURL)
		return n
	}
	early, late := enrol(), enrol()
	draft := sampleDraft(t) // two copies
	total := func(n *Node) int64 {
		t.Helper()
		q, err := n.Requests.Quote(draft)
		if err != nil {
			t.Fatal(err)
		}
		return q.TotalVND
	}
	if got := total(late); got != 16000 {
		t.Fatalf("quote before the change: %d, want 2 × 8,000", got)
	}
	// late takes a request and stays offline while the city changes the fee.
	before, err := late.Requests.Submit(draft)
	if err != nil {
		t.Fatal(err)
	}
	if before.Quote.TotalVND != 16000 {
		t.Fatalf("receipt quote %d", before.Quote.TotalVND)
	}
	if _, err := srv.PublishCatalogue(t.Context(), kiosktest.CatalogueWithFee(t, "2026.11.2", 10000), "test"); err != nil {
		t.Fatal(err)
	}

	// One sync of the early kiosk: its quote shows the new fee.
	if _, err := early.sync.current().RunOnce(t.Context()); err != nil {
		t.Fatal(err)
	}
	if v := early.catalogue().Version; v != "2026.11.2" {
		t.Fatalf("early kiosk runs catalogue %s after a sync", v)
	}
	if got := total(early); got != 20000 {
		t.Fatalf("quote after the change: %d, want 2 × 10,000", got)
	}
	after, err := early.Requests.Submit(draft)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := early.sync.current().RunOnce(t.Context()); err != nil {
		t.Fatal(err)
	}

	// The late kiosk syncs: it pushes first, with the old catalogue, and
	// the city accepts the request at the fee it quoted; then it pulls the
	// new catalogue.
	if _, err := late.sync.current().RunOnce(t.Context()); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		n       *Node
		rv      ReceiptView
		version string
		fee     int64
	}{{late, before, "2026.11.1", 16000}, {early, after, "2026.11.2", 20000}} {
		rec, err := c.n.db.Lookup(c.rv.Code)
		if err != nil || rec.State != "sent" || rec.CityRef == "" {
			t.Fatalf("%s on the kiosk: %+v %v (quarantined? %v)", c.rv.Code, rec, err, quarantine(t, c.n))
		}
		r := cityRequest(t, cityURL, c.rv.RequestID)
		if r.CatalogueVersion != c.version || r.FeeVND != c.fee {
			t.Errorf("%s at the city: catalogue %s fee %d; want %s, %d", c.rv.Code, r.CatalogueVersion, r.FeeVND, c.version, c.fee)
		}
	}
	if got := total(late); got != 20000 {
		t.Errorf("late kiosk's quote after its sync: %d", got)
	}
}

func quarantine(t *testing.T, n *Node) []string {
	items, err := n.db.Quarantined()
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, it := range items {
		out = append(out, it.Reason)
	}
	return out
}

// cityRequest reads a request through the operator API.
func cityRequest(t *testing.T, cityURL, id string) city.Request {
	t.Helper()
	req, _ := http.NewRequest("GET", cityURL+"/v1/operator/requests/"+id, nil)
	req.Header.Set("Authorization", "Bearer test")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var d city.RequestDetail
	if err := json.NewDecoder(resp.Body).Decode(&d); err != nil || resp.StatusCode != 200 {
		t.Fatalf("read %s at the city: %d %v", id, resp.StatusCode, err)
	}
	return d.Request
}
