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
		Service:       receipt.Words.TestService,
		Copies:        1,
		Fee:           receipt.Words.TestFee,
		Delivery:      "—",
		Expected:      now.In(kiosk.VietnamZone()).Format("02/01/2006"),
		Created:       now.In(kiosk.VietnamZone()).Format("02/01/2006 15:04"),
		NoticeVersion: n.catalogue().NoticeVersion,
		Purposes:      []string{receipt.Words.TestLetters},
	}
	if r.Commune == "" {
		r.Commune = "Commune Kiosk"
	}
	return n.print("test-page", r)
}

func (n *Node) print(job string, r receipt.Receipt) (PrintResult, error) {
	kind := n.printer.Kind()
	if kind == printer.KindNone {
		return PrintResult{}, newError(CodeUnavailable, msg("no_printer"), printer.ErrNoPrinter)
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
			e := newError(CodeUnavailable, printerMsg(pr), err)
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
		return ReceiptView{}, nil, newError(CodeNotFound, msg("code_not_found"), err)
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
		r.Fee = receipt.Words.FeeAtCounter
	case v.Quote.Total.VI != "":
		r.Fee = v.Quote.Total.VI
	case v.Quote.TotalVND == 0:
		r.Fee = receipt.Words.FeeFree
	}
	if v.Quote.PostageOnDelivery {
		r.Fee += receipt.Words.PostageOnDelivery
	}
	switch v.DeliveryMethod {
	case "post":
		r.Delivery = receipt.Words.ByPost
	case "pickup":
		r.Delivery = receipt.Words.PickUp
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

// printerMsg is a printing problem for people: printer_<code>, naming the
// device where the words do.
func printerMsg(pr *printer.Problem) Message {
	if pr.Target != "" {
		return msg("printer_"+pr.Code, "target", pr.Target)
	}
	return msg("printer_" + pr.Code)
}
