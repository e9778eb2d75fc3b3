package app

import (
	"context"
	"errors"
	"strings"
	"sync"
	"time"

	"communekiosk/device/printer"
	"communekiosk/device/receipt"
	"communekiosk/kiosk"
	"communekiosk/kiosk/kioskdb"
)

// Printing is the facade of the receipt printer: the citizen's one tap on
// "Print" (no dialog), and the staff screen's printer state and test page.
type Printing struct{ n *Node }

// PrintResult says a job reached the printer.
type PrintResult struct {
	Printed bool   `json:"printed"`
	Kind    string `json:"kind"` // escpos or pdf
}

// Print prints the receipt of a request by its code: the words of the
// receipt screen, its QR, and the consent the citizen gave (known for
// receipts submitted since the kiosk started; a reprint after a restart
// prints the notice version only).
func (p *Printing) Print(code string) (PrintResult, error) {
	n := p.n
	v, purposes, err := n.receiptToPrint(code)
	if err != nil {
		return PrintResult{}, err
	}
	return n.print(v.Code, n.receiptWords(v, purposes, false))
}

// Status is the printer's state for staff: ready, no paper, offline, the
// last error in plain words.
func (p *Printing) Status(token string) (printer.Status, error) {
	if err := p.n.Staff.check(token); err != nil {
		return printer.Status{}, err
	}
	return p.n.printer.Status(), nil
}

// TestPage prints a sample receipt marked as a test page.
func (p *Printing) TestPage(token string) (PrintResult, error) {
	n := p.n
	if err := n.Staff.check(token); err != nil {
		return PrintResult{}, err
	}
	id, _ := n.db.Identity()
	now := n.now()
	r := receipt.Receipt{
		Test:          true,
		Commune:       id.CommuneName,
		Code:          "TEST00000",
		Service:       "Trang in thử / Test page",
		Copies:        1,
		Fee:           "0 đồng",
		Delivery:      "—",
		Expected:      now.In(kiosk.VietnamZone()).Format("02/01/2006"),
		Created:       now.In(kiosk.VietnamZone()).Format("02/01/2006 15:04"),
		NoticeVersion: n.catalogue().NoticeVersion,
		Purposes:      []string{"Tiếng Việt: ăâđêôơư ÀÁẢÃẠ ẦẤẨẪẬ ỀẾỂỄỆ ỒỐỔỖỘ ỜỚỞỠỢ ỪỨỬỮỰ ỲÝỶỸỴ"},
	}
	if r.Commune == "" {
		r.Commune = "Commune Kiosk"
	}
	return n.print("test-page", r)
}

func (n *Node) print(job string, r receipt.Receipt) (PrintResult, error) {
	kind := n.printer.Kind()
	if kind == printer.KindNone {
		return PrintResult{}, newError(CodeUnavailable,
			"Máy này chưa nối máy in. Vui lòng nhờ cán bộ in phiếu.",
			"This kiosk has no printer. Please ask a staff member to print the receipt.", printer.ErrNoPrinter)
	}
	img, err := receipt.Render(r)
	if err != nil {
		return PrintResult{}, err
	}
	var data []byte
	if kind == printer.KindPDF {
		data, err = receipt.PDF(img)
	} else {
		data, err = receipt.ESCPOS(img)
	}
	if err != nil {
		return PrintResult{}, err
	}
	ctx, cancel := context.WithTimeout(n.ctx, time.Minute)
	defer cancel()
	if err := n.printer.Print(ctx, job, data); err != nil {
		var pr *printer.Problem
		if errors.As(err, &pr) {
			e := newError(CodeUnavailable, pr.VI, pr.EN, err)
			e.Detail = &ErrorDetail{PrinterState: pr.State}
			return PrintResult{}, e
		}
		return PrintResult{}, err
	}
	return PrintResult{Printed: true, Kind: kind}, nil
}

// receiptToPrint finds what to print for code: the receipt just submitted
// (with its consent), or the plaintext index.
func (n *Node) receiptToPrint(code string) (ReceiptView, []string, error) {
	rec, err := n.db.Lookup(code)
	if errors.Is(err, kioskdb.ErrNotFound) {
		return ReceiptView{}, nil, newError(CodeNotFound, "Không tìm thấy hồ sơ có mã này.", "No request with this code.", err)
	} else if err != nil {
		return ReceiptView{}, nil, err
	}
	if v, purposes, ok := n.recent.get(rec.Code); ok {
		v.Sent = rec.State == "sent"
		return v, purposes, nil
	}
	v := n.indexReceipt(rec)
	return v, v.Purposes, nil
}

// receiptWords turns a receipt view into the printed words (Vietnamese,
// with English where the screen has both).
func (n *Node) receiptWords(v ReceiptView, purposes []string, test bool) receipt.Receipt {
	cat := n.catalogue()
	r := receipt.Receipt{
		Test:          test,
		Commune:       v.CommuneName,
		Code:          v.Code,
		Service:       v.ServiceName.VI,
		Copies:        v.Copies,
		Expected:      vnDate(v.ExpectedDate),
		Created:       v.CreatedAt.In(kiosk.VietnamZone()).Format("02/01/2006 15:04"),
		NoticeVersion: v.NoticeVersion,
		Sent:          v.Sent,
	}
	switch {
	case v.Quote.FeeAtCounter:
		r.Fee = "Nộp tại quầy / Paid at the counter"
	case v.Quote.Total.VI != "":
		r.Fee = v.Quote.Total.VI
	case v.Quote.TotalVND == 0:
		r.Fee = "Miễn phí / Free"
	}
	if v.Quote.PostageOnDelivery {
		r.Fee += "; bưu phí trả khi nhận / postage paid on delivery"
	}
	switch v.DeliveryMethod {
	case "post":
		r.Delivery = "Gửi qua bưu điện / By post"
	case "pickup":
		r.Delivery = "Nhận tại UBND xã/phường / Pick up at the commune"
	default:
		r.Delivery = v.DeliveryMethod
	}
	for _, id := range purposes {
		for _, p := range cat.Purposes {
			if p.ID == id {
				r.Purposes = append(r.Purposes, p.Label.VI)
			}
		}
	}
	return r
}

// vnDate writes YYYY-MM-DD as DD/MM/YYYY.
func vnDate(s string) string {
	p := strings.Split(s, "-")
	if len(p) != 3 {
		return s
	}
	return p[2] + "/" + p[1] + "/" + p[0]
}

// recentReceipts keeps the last receipts submitted on this kiosk, with the
// consent purposes accepted, for printing (no personal data: the receipt
// holds none). Bounded; lost on restart.
type recentReceipts struct {
	mu    sync.Mutex
	order []string
	byKey map[string]recentReceipt
}

type recentReceipt struct {
	view     ReceiptView
	purposes []string
}

const recentMax = 32

func (r *recentReceipts) put(v ReceiptView, purposes []string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.byKey == nil {
		r.byKey = map[string]recentReceipt{}
	}
	if _, ok := r.byKey[v.Code]; !ok {
		r.order = append(r.order, v.Code)
	}
	r.byKey[v.Code] = recentReceipt{view: v, purposes: append([]string(nil), purposes...)}
	for len(r.order) > recentMax {
		delete(r.byKey, r.order[0])
		r.order = r.order[1:]
	}
}

func (r *recentReceipts) get(code string) (ReceiptView, []string, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	e, ok := r.byKey[code]
	return e.view, e.purposes, ok
}
