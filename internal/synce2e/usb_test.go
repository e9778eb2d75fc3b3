package synce2e

import (
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"communekiosk/city"
	"communekiosk/kiosk/kioskdb"
	"communekiosk/sync/syncproto"
)

// TestUSB: the kiosk never reaches the city online. Staff export a bundle;
// the city imports it twice; the city's receipt is imported on the kiosk
// twice. Every request is at the city once, acks and statuses land on the
// kiosk once, and a later online sync has nothing to resend.
func TestUSB(t *testing.T) {
	c := newCity(t)
	k := newKiosk(t, c, kioskOpts{})
	receipts := k.submit(120)
	drive := t.TempDir()

	path, n, err := k.sync.ExportBundle(context.Background(), drive)
	if err != nil || n != 120 {
		t.Fatalf("export: %d, %v", n, err)
	}
	if st := k.sync.State(); st.Exported == nil || st.Exported.Count != 120 {
		t.Fatalf("export not recorded: %+v", st.Exported)
	}
	if counts, _ := k.db.Counts(); counts.Queued != 120 {
		t.Fatalf("export changed the outbox: %+v", counts)
	}
	bundle, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []syncproto.Outcome{syncproto.Accepted, syncproto.Duplicate} {
		var resp syncproto.PushResponse
		if st := c.op("POST", "/v1/operator/import", bundle, &resp); st != 200 || len(resp.Results) != 120 {
			t.Fatalf("import %d: %d, %d results", i+1, st, len(resp.Results))
		}
		for _, r := range resp.Results {
			if r.Outcome != want {
				t.Fatalf("import %d: %s is %s, want %s (%s)", i+1, r.RequestID, r.Outcome, want, r.Reason)
			}
		}
	}
	exactlyOnce(t, c, k.id(), receipts)

	// The operator moves two requests, then exports the receipt file.
	for _, s := range []syncproto.Status{syncproto.StatusProcessing, syncproto.StatusReady} {
		c.op("POST", "/v1/operator/requests/"+receipts[0].RequestID+"/status", city.StatusChangeRequest{Status: s}, nil)
	}
	c.op("POST", "/v1/operator/requests/"+receipts[1].RequestID+"/status", city.StatusChangeRequest{Status: syncproto.StatusRejected, Note: "Sổ đăng ký không có bản ghi này"}, nil)
	req, _ := http.NewRequest("GET", c.URL()+"/v1/operator/kiosks/"+k.id()+"/receipt", nil)
	req.Header.Set("Authorization", "Bearer "+operatorToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("receipt: %v %v", resp, err)
	}
	data, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	receiptFile := filepath.Join(drive, "receipt.json")
	os.WriteFile(receiptFile, data, 0o644)

	first, err := k.sync.ImportReceipt(receiptFile)
	if err != nil || first.Results != 120 || first.StatusesSkipped {
		t.Fatalf("first receipt import %+v: %v", first, err)
	}
	audit1 := auditCount(t, k.db)
	second, err := k.sync.ImportReceipt(receiptFile)
	if err != nil || !second.StatusesSkipped || second.Statuses != 0 {
		t.Fatalf("second receipt import %+v: %v", second, err)
	}
	if got := auditCount(t, k.db); got != audit1 {
		t.Fatalf("second import wrote %d audit lines", got-audit1)
	}
	if counts, _ := k.db.Counts(); counts.Queued != 0 || counts.Sent != 120 || counts.Quarantined != 0 {
		t.Fatalf("kiosk counts %+v", counts)
	}
	if st := k.sync.State(); st.Exported != nil {
		t.Fatal("export mark stays after the receipt")
	}
	want := map[string]syncproto.Status{receipts[0].Code: "ready", receipts[1].Code: "rejected", receipts[2].Code: "received"}
	for code, status := range want {
		rec, err := k.db.Lookup(code)
		if err != nil || rec.Status != status || rec.State != kioskdb.StateSent {
			t.Fatalf("lookup %s: %+v %v, want %s", code, rec, err, status)
		}
	}

	// Online again: nothing to resend, and the feed continues from the
	// receipt's cursor.
	res, err := k.sync.RunOnce(context.Background())
	if err != nil || res.Pushed != 0 || res.Statuses != 0 {
		t.Fatalf("online sync after USB: %+v %v", res, err)
	}
	exactlyOnce(t, c, k.id(), receipts)
}

// auditCount is the seq of the newest audit line: every change the store
// makes writes one.
func auditCount(t *testing.T, db *kioskdb.DB) uint64 {
	t.Helper()
	lines, err := db.Audit(1)
	if err != nil || len(lines) != 1 {
		t.Fatal(lines, err)
	}
	return lines[0].Seq
}
