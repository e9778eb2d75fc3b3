package app

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"communekiosk/device/printer"
	"communekiosk/device/receipt"
	"communekiosk/kiosk"
)

// newPrintingNode is an enrolled test node whose receipt printer is the
// file at dev (a fake printer device).
func newPrintingNode(t *testing.T, dev string) *Node {
	t.Helper()
	n, clk := newTestNode(t, true)
	p, err := printer.New(printer.Options{Kind: printer.KindESCPOS, Target: dev, Now: clk.now})
	if err != nil {
		t.Fatal(err)
	}
	n.printer = p
	return n
}

func unlock(t *testing.T, n *Node) string {
	t.Helper()
	res, err := n.Staff.Unlock("2468")
	if err != nil {
		t.Fatal(err)
	}
	return res.Token
}

// The citizen's one tap: Printing.Print sends an ESC/POS raster job of the
// receipt to the printer, nothing else.
func TestPrintReceiptToFakePrinter(t *testing.T) {
	dev := filepath.Join(t.TempDir(), "lp0")
	os.WriteFile(dev, nil, 0o600)
	n := newPrintingNode(t, dev)
	h := n.Handler(nil)
	var rv ReceiptView
	if st := call(t, h, "/api/Requests/Submit", &rv, sampleDraft(t)); st != 200 {
		t.Fatalf("submit: %d", st)
	}
	var pr PrintResult
	if st := call(t, h, "/api/Printing/Print", &pr, rv.Code); st != 200 || !pr.Printed || pr.Kind != "escpos" {
		t.Fatalf("print: %d %+v", st, pr)
	}
	job, _ := os.ReadFile(dev)
	if !bytes.HasPrefix(job, []byte{0x1b, '@', 0x1d, 'v', '0', 0, 72, 0}) {
		t.Fatalf("the job does not start with ESC @ and a 576-dot raster: % x", job[:min(len(job), 8)])
	}
	if !bytes.HasSuffix(job, []byte{0x1d, 'V', 66, 0}) {
		t.Fatal("the job does not end with a cut")
	}
	if len(job) < 72*800 {
		t.Fatalf("a %d-byte job is too short for a receipt", len(job))
	}
	// The consent given at submission is on the receipt, and kept in the
	// plaintext index: printing it again from the index (as after a
	// restart) gives the same job.
	n.recent = recentReceipts{}
	os.WriteFile(dev, nil, 0o600)
	if st := call(t, h, "/api/Printing/Print", &pr, rv.Code); st != 200 {
		t.Fatalf("reprint: %d", st)
	}
	again, _ := os.ReadFile(dev)
	if !bytes.Equal(again, job) {
		t.Fatalf("the reprint from the index is %d bytes, not the first job's %d", len(again), len(job))
	}
	var st printer.Status
	if code := call(t, h, "/api/Printing/Status", &st, unlock(t, n)); code != 200 || st.Jobs != 2 || st.LastError != nil {
		t.Fatalf("status: %d %+v", code, st)
	}
}

func TestPrintErrorsInPlainWords(t *testing.T) {
	dev := filepath.Join(t.TempDir(), "usb", "lp0") // not plugged in
	n := newPrintingNode(t, dev)
	h := n.Handler(nil)
	var rv ReceiptView
	call(t, h, "/api/Requests/Submit", &rv, sampleDraft(t))

	var body struct{ Error Error }
	if st := call(t, h, "/api/Printing/Print", &body, rv.Code); st != 503 || body.Error.Code != CodeUnavailable ||
		!strings.Contains(words(t, body.Error.Message).VI, "Không thấy máy in") || words(t, body.Error.Message).EN == "" {
		t.Fatalf("print with no printer: %d %+v", st, body.Error)
	}
	var st printer.Status
	call(t, h, "/api/Printing/Status", &st, unlock(t, n))
	if st.State != printer.StateOffline || st.LastError == nil || !strings.Contains(words(t, printerMsg(st.LastError)).VI, "Không thấy máy in") {
		t.Fatalf("staff status: %+v", st)
	}
	if code := call(t, h, "/api/Printing/Print", &body, "K7M4QXR9P"); code != 404 {
		t.Fatalf("unknown code: %d", code)
	}
}

func TestPrintTestPage(t *testing.T) {
	dev := filepath.Join(t.TempDir(), "lp0")
	os.WriteFile(dev, nil, 0o600)
	n := newPrintingNode(t, dev)
	h := n.Handler(nil)
	var body struct{ Error Error }
	if st := call(t, h, "/api/Printing/TestPage", &body, "not-a-token"); st != 401 {
		t.Fatalf("test page without a staff session: %d", st)
	}
	var pr PrintResult
	if st := call(t, h, "/api/Printing/TestPage", &pr, unlock(t, n)); st != 200 || !pr.Printed {
		t.Fatalf("test page: %d", st)
	}
	if job, _ := os.ReadFile(dev); !bytes.HasPrefix(job, []byte{0x1b, '@'}) {
		t.Fatal("no job on the printer")
	}
}

func TestPrintWithoutPrinter(t *testing.T) {
	n, _ := newTestNode(t, true) // Config zero value: no printer
	h := n.Handler(nil)
	var rv ReceiptView
	call(t, h, "/api/Requests/Submit", &rv, sampleDraft(t))
	var body struct{ Error Error }
	if st := call(t, h, "/api/Printing/Print", &body, rv.Code); st != 503 || !strings.Contains(words(t, body.Error.Message).VI, "chưa nối máy in") {
		t.Fatalf("print with none configured: %d %+v", st, body.Error)
	}
}

// The printed words: fee, delivery, date and consent as a citizen reads
// them.
func TestReceiptWords(t *testing.T) {
	n, _ := newTestNode(t, true)
	cat := n.catalogue()
	var label string
	for _, p := range cat.Purposes {
		if p.ID == "process_request" {
			label = p.Label.VI
		}
	}
	if label == "" {
		t.Fatal("the catalogue has no process_request purpose")
	}
	base := ReceiptView{Code: "K7M4QXR9P", CommuneName: "Phường Ba Đình", Copies: 2, ExpectedDate: "2026-12-03",
		ServiceName: kiosk.Text{VI: "Cấp bản sao trích lục khai sinh", EN: "Birth extract copy"}, NoticeVersion: "v1"}
	tests := []struct {
		name     string
		edit     func(*ReceiptView)
		purposes []string
		check    func(t *testing.T, r receipt.Receipt)
	}{
		{"pickup, priced, consent", func(v *ReceiptView) {
			v.DeliveryMethod = "pickup"
			v.Quote = kiosk.FeeQuote{TotalVND: 16000, Total: kiosk.Text{VI: "16.000 đồng", EN: "16,000 dong"}}
		}, []string{"process_request", "no-such-purpose"}, func(t *testing.T, r receipt.Receipt) {
			if r.Fee != "16.000 đồng" || !strings.HasPrefix(r.Delivery, "Nhận tại") || r.Expected != "03/12/2026" {
				t.Fatalf("%+v", r)
			}
			if len(r.Purposes) != 1 || r.Purposes[0] != label {
				t.Fatalf("purposes %q, want only the known one", r.Purposes)
			}
		}},
		{"by post, postage on delivery", func(v *ReceiptView) {
			v.DeliveryMethod = "post"
			v.Quote = kiosk.FeeQuote{TotalVND: 16000, Total: kiosk.Text{VI: "16.000 đồng"}, PostageOnDelivery: true}
		}, nil, func(t *testing.T, r receipt.Receipt) {
			if !strings.HasPrefix(r.Delivery, "Gửi qua bưu điện") || !strings.Contains(r.Fee, "bưu phí trả khi nhận") || len(r.Purposes) != 0 {
				t.Fatalf("%+v", r)
			}
		}},
		{"fee at the counter", func(v *ReceiptView) { v.Quote = kiosk.FeeQuote{FeeAtCounter: true} }, nil, func(t *testing.T, r receipt.Receipt) {
			if !strings.HasPrefix(r.Fee, "Nộp tại quầy") {
				t.Fatalf("fee %q", r.Fee)
			}
		}},
		{"free", func(v *ReceiptView) { v.Quote = kiosk.FeeQuote{} }, nil, func(t *testing.T, r receipt.Receipt) {
			if !strings.HasPrefix(r.Fee, "Miễn phí") {
				t.Fatalf("fee %q", r.Fee)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := base
			tt.edit(&v)
			r := n.receiptWords(v, tt.purposes, false)
			if r.Code != v.Code || r.Commune != v.CommuneName || r.Service != v.ServiceName.VI || r.Copies != 2 || r.NoticeVersion != "v1" {
				t.Fatalf("%+v", r)
			}
			tt.check(t, r)
		})
	}
}
