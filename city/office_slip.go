package city

import (
	"net/http"
	"time"

	"communekiosk/kiosk"
)

// slipData is a printable form Mẫu 01–04 (TT 03/2025/TT-VPCP, Phụ lục I).
type slipData struct {
	Form    string
	Row     QueueRow
	Req     Request
	Payload kiosk.Request
	Printed time.Time
	Fee     string
}

// handleSlip prints a slip. It shows the requester's name, so it is a view
// of personal data and audited as one.
func (o *office) handleSlip(w http.ResponseWriter, r *http.Request, p *principal) {
	id, form := r.PathValue("id"), r.PathValue("form")
	v, req, err := o.dossierView(r, p, id)
	if err != nil {
		o.dossierFail(w, r, p, err)
		return
	}
	ok := false
	for _, s := range v.Slips {
		ok = ok || s == form
	}
	if !ok {
		o.fail(w, r, p, http.StatusNotFound, "err_no_slip")
		return
	}
	pl, err := o.s.open(req.Sealed)
	if err != nil {
		o.s.internal(w, "Open payload", err)
		return
	}
	if err := o.audit(r.Context(), p, "dossier.print", id, req.Office, "mau "+form); err != nil {
		o.s.internal(w, "Audit", err)
		return
	}
	req.Sealed = nil
	o.render(w, r, p, "slip", slipData{Form: form, Row: v.Row, Req: req, Payload: pl, Printed: o.s.now()})
}
