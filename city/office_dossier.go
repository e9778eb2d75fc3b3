package city

import (
	"errors"
	"net/http"
	"slices"

	"communekiosk/kiosk"
)

// DossierView is the dossier page: everything but personal data, which
// comes only with an explicit, audited view.
type DossierView struct {
	Row        QueueRow       `json:"dossier"`
	Kiosk      Kiosk          `json:"kiosk"`
	CreatedAt  string         `json:"-"`
	SHA256     string         `json:"sha256"`
	AcceptedAt string         `json:"-"`
	StatusNote string         `json:"status_note,omitempty"`
	ReasonCode string         `json:"reason_code,omitempty"`
	PostResult string         `json:"post_result,omitempty"`
	PostBatch  string         `json:"post_batch,omitempty"`
	Request    Request        `json:"-"`
	History    []AuditEntry   `json:"history"`
	Actions    []string       `json:"actions"`
	Reasons    []string       `json:"-"`
	Slips      []string       `json:"slips"`
	Payload    *kiosk.Request `json:"payload,omitempty"` // only after "view"
	PayloadErr string         `json:"payload_error,omitempty"`
	Error      string         `json:"error,omitempty"`
}

// slipsFor lists the printable forms a dossier has.
func slipsFor(r Request) []string {
	var out []string
	if !r.AcceptedAt.IsZero() {
		out = append(out, "01")
	}
	if r.Status == "needs_supplement" {
		out = append(out, "02")
	}
	if r.Status == "not_accepted" || r.Status == "refused" {
		out = append(out, "03")
	}
	if !r.NewDueAt.IsZero() {
		out = append(out, "04")
	}
	return out
}

// dossierView loads a dossier of the scope with its history.
func (o *office) dossierView(r *http.Request, p *principal, id string) (DossierView, Request, error) {
	ctx := r.Context()
	req, err := o.store.Dossier(ctx, p.User.Scope(), id)
	if err != nil {
		return DossierView{}, Request{}, err
	}
	cal, err := o.calendar(r)
	if err != nil {
		return DossierView{}, Request{}, err
	}
	v := DossierView{Row: o.row(req, p, cal, o.s.now()), SHA256: req.SHA256, StatusNote: req.StatusNote, ReasonCode: req.ReasonCode,
		PostResult: req.PostResult, PostBatch: req.PostBatch, Request: req, Reasons: ReasonCodes, Slips: slipsFor(req), Actions: []string{}}
	for _, a := range ActionsFor(req) {
		mine := req.Assignee == p.User.ID
		if (a == "assign" && (mine || req.Assignee != "")) || (a == "release" && !mine) {
			continue // only what this officer can do now
		}
		v.Actions = append(v.Actions, a)
	}
	v.Request.Sealed = nil
	if k, err := o.s.store.Kiosk(ctx, req.KioskID); err == nil {
		k.PublicKey, k.LastHeartbeat = nil, nil
		v.Kiosk = k
	}
	if v.History, err = o.store.Audit(ctx, AuditFilter{RequestID: id, Limit: 500}); err != nil {
		return DossierView{}, Request{}, err
	}
	slices.Reverse(v.History) // oldest first
	return v, req, nil
}

func (o *office) handleDossier(w http.ResponseWriter, r *http.Request, p *principal) {
	v, _, err := o.dossierView(r, p, r.PathValue("id"))
	if err != nil {
		o.dossierFail(w, r, p, err)
		return
	}
	o.render(w, r, p, "dossier", v)
}

func (o *office) dossierFail(w http.ResponseWriter, r *http.Request, p *principal, err error) {
	if errors.Is(err, ErrNotFound) {
		o.fail(w, r, p, http.StatusNotFound, "err_not_found")
		return
	}
	o.s.internal(w, "Dossier", err)
}

// handleDossierView opens the sealed payload for the officer, after the
// audit entry is written: no entry, no data.
func (o *office) handleDossierView(w http.ResponseWriter, r *http.Request, p *principal) {
	id := r.PathValue("id")
	v, req, err := o.dossierView(r, p, id)
	if err != nil {
		o.dossierFail(w, r, p, err)
		return
	}
	if err := o.audit(r.Context(), p, "dossier.view", id, req.Office, ""); err != nil {
		o.s.internal(w, "Audit", err)
		return
	}
	if pl, err := o.s.open(req.Sealed); err != nil {
		v.PayloadErr = err.Error()
	} else {
		v.Payload = &pl
	}
	o.render(w, r, p, "dossier", v)
}

func (o *office) handleDossierAction(w http.ResponseWriter, r *http.Request, p *principal) {
	id := r.PathValue("id")
	out, err := o.act(r.Context(), p, id, r.PathValue("action"), r.PostForm)
	if err != nil {
		status, key := actError(err)
		if status >= 500 {
			o.s.internal(w, "Dossier action", err)
			return
		}
		if status == http.StatusNotFound || p.API {
			o.fail(w, r, p, status, key)
			return
		}
		v, _, verr := o.dossierView(r, p, id)
		if verr != nil {
			o.dossierFail(w, r, p, verr)
			return
		}
		v.Error = key
		o.renderStatus(w, r, p, status, "dossier", v)
		return
	}
	cal, _ := o.calendar(r)
	o.done(w, r, p, "/office/dossiers/"+id, "ok_saved", o.row(out, p, cal, o.s.now()))
}
