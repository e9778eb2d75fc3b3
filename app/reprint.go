package app

import (
	"communekiosk/kiosk"
	"communekiosk/kiosk/kioskdb"
)

// indexReceipt rebuilds a receipt from the plaintext index alone (no
// personal data needed): the fee with the waiver claimed at submit, the
// notice version and purposes accepted then. A record stored before these
// were kept says so instead of guessing.
func (n *Node) indexReceipt(rec kioskdb.Record) ReceiptView {
	id, _ := n.db.Identity()
	cat := n.catalogue()
	req := kiosk.Request{Service: rec.Service, Copies: rec.Copies, Delivery: kiosk.Delivery{Method: rec.Delivery}}
	if t := rec.Terms; t != nil {
		req.Consent = kiosk.Consent{NoticeVersion: t.NoticeVersion, Purposes: t.Purposes}
		if len(t.Claims) > 0 {
			req.Extra = map[string]string{}
			for _, k := range t.Claims {
				req.Extra[k] = "true"
			}
		}
	}
	dated := rec.CreatedAt
	if rec.Terms != nil && !rec.Terms.DatedAt.IsZero() {
		dated = rec.Terms.DatedAt
	}
	v := receiptView(cat, id, req, kioskdb.Receipt{Code: rec.Code, RequestID: rec.RequestID, Seq: rec.Seq, CreatedAt: rec.CreatedAt}, dated)
	v.Sent = rec.State == kioskdb.StateSent
	if rec.Terms == nil {
		v.TermsUnknown = true
		v.Note = msg("reprint_terms_unknown")
	}
	return v
}
