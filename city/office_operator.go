package city

import (
	"fmt"
	"net/http"
	"strings"
)

// operatorByToken serves an operator API call made with a named API token:
// it reports false when the token is not one (the caller then checks the
// --demo operator token). Admins may call the kiosk, fleet, catalogue,
// import and backup endpoints; the request endpoints, which are not
// scoped, stay with the --demo token: people read dossiers through the
// scoped /v1/office API.
func (o *office) operatorByToken(w http.ResponseWriter, r *http.Request, h http.HandlerFunc) bool {
	u, tok, ok := o.tokenUser(r)
	if !ok {
		return false
	}
	if u.Role != RoleAdmin {
		writeError(w, http.StatusForbidden, CodeForbidden, "the operator API is for admins; officers use /v1/office")
		return true
	}
	if strings.HasPrefix(r.URL.Path, "/v1/operator/requests") {
		writeError(w, http.StatusForbidden, CodeForbidden, "admins read no dossier; officers use /v1/office/queue and /v1/office/dossiers")
		return true
	}
	o.auditOperator(w, r, &principal{User: u, Token: &tok, API: true, Addr: clientAddr(r)}, h)
	return true
}

// auditOperator runs an operator call and, for one that changes something,
// writes who did it and how it ended to the audit log (p nil: the --demo
// operator token).
func (o *office) auditOperator(w http.ResponseWriter, r *http.Request, p *principal, h http.HandlerFunc) {
	if o == nil || r.Method == http.MethodGet {
		h(w, r)
		return
	}
	if p == nil {
		p = &principal{User: User{Name: "operator-token"}, Addr: clientAddr(r)}
	}
	rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
	h(rec, r)
	action := "operator." + r.URL.Path[strings.LastIndexByte(r.URL.Path, '/')+1:]
	switch {
	case strings.HasSuffix(r.URL.Path, "/enrol-codes"):
		action = "kiosk.enrol"
	case strings.HasSuffix(r.URL.Path, "/provision"):
		action = "kiosk.provision"
	case strings.HasSuffix(r.URL.Path, "/revoke"):
		action = "kiosk.revoke"
	}
	detail := r.URL.Path + " → " + http.StatusText(rec.status)
	if err := o.audit(r.Context(), p, action, "", "", detail); err != nil {
		o.s.log.Error("Audit an operator call", "err", err, "path", r.URL.Path)
	}
}

// auditKiosk records what a kiosk did by itself (redeeming its enrolment
// code), under the kiosk's ID. A failed write is logged: the kiosk is
// enrolled either way, and the kiosks list shows it.
func (o *office) auditKiosk(r *http.Request, action string, k Kiosk) {
	if o == nil {
		return
	}
	p := &principal{User: User{Name: "kiosk " + k.ID}, Addr: clientAddr(r)}
	if err := o.audit(r.Context(), p, action, "", k.Commune, fmt.Sprintf("kiosk %s number %d", k.ID, k.Number)); err != nil {
		o.s.log.Error("Audit a kiosk enrolment", "err", err, "kiosk_id", k.ID)
	}
}
