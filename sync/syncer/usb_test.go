package syncer

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"os"
	"testing"
	"time"

	"communekiosk/sync/syncproto"
)

func TestExportBundleAndImportReceipt(t *testing.T) {
	clk := newFakeClock()
	k := newTestKiosk(t, 5)
	cityPriv := k.cityPriv
	store := &countingStore{Store: k}
	s := newTestSyncer(store, &fakeCity{}, clk, nil)

	dir := t.TempDir()
	path, n, err := s.ExportBundle(context.Background(), dir)
	if err != nil || n != 5 {
		t.Fatalf("export: %v, %d", err, n)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	b, err := syncproto.DecodeBundle(data, k.identity().SigningKey.Public().(ed25519.PublicKey))
	if err != nil || len(b.Items) != 5 || b.FromSeq != 1 || b.ToSeq != 5 || b.KioskID != "K1" {
		t.Fatalf("bundle %+v: %v", b, err)
	}
	if k.queued() != 5 {
		t.Fatal("export removed items from the outbox")
	}
	if st := s.State(); st.Exported == nil || st.Exported.Count != 5 {
		t.Fatalf("no export mark: %+v", st.Exported)
	}

	rc := syncproto.Receipt{KioskID: "K1", CreatedAt: clk.Now(), Next: syncproto.Cursor{Epoch: "e", Seq: 3}}
	for i, it := range b.Items {
		o := syncproto.Accepted
		if i == 4 {
			o = syncproto.Rejected
		}
		rc.Results = append(rc.Results, syncproto.ItemResult{Seq: it.Seq, RequestID: it.RequestID, Outcome: o, ReceivedAt: clk.Now()})
	}
	for i := uint64(1); i <= 3; i++ {
		rc.Changes = append(rc.Changes, syncproto.StatusChange{Seq: i, RequestID: b.Items[i].RequestID, Status: syncproto.StatusReceived})
	}
	file, err := syncproto.EncodeReceipt(rc, cityPriv)
	if err != nil {
		t.Fatal(err)
	}
	sum, err := s.ImportReceiptData(file)
	if err != nil || sum.Results != 5 || sum.Statuses != 3 || sum.StatusesSkipped {
		t.Fatalf("first import %+v: %v", sum, err)
	}
	sets := store.statusSets.Load()
	sum, err = s.ImportReceiptData(file)
	if err != nil || !sum.StatusesSkipped || store.statusSets.Load() != sets {
		t.Fatalf("second import %+v: %v", sum, err)
	}
	if c := k.counts(); c.Queued != 0 || c.Sent != 4 || c.Quarantined != 1 || k.cursor() != (syncproto.Cursor{Epoch: "e", Seq: 3}) {
		t.Fatalf("store: counts %+v cursor %+v", c, k.cursor())
	}
	if st := s.State(); st.Exported != nil {
		t.Fatal("export mark stays after the receipt")
	}

	// A receipt signed by someone else, or for another kiosk, is refused.
	_, otherPriv, _ := ed25519.GenerateKey(rand.Reader)
	forged, _ := syncproto.EncodeReceipt(rc, otherPriv)
	if _, err := s.ImportReceiptData(forged); err == nil {
		t.Fatal("forged receipt accepted")
	}
	rc.KioskID = "K2"
	other, _ := syncproto.EncodeReceipt(rc, cityPriv)
	if _, err := s.ImportReceiptData(other); err == nil {
		t.Fatal("another kiosk's receipt accepted")
	}
	_ = time.Second
}
