package city

import (
	"context"
	"fmt"
	"net/http"
	"strings"
)

// demoOperator is the name the audit log and the catalogue history give
// the shared operator token of --demo.
const demoOperator = "operator-token"

const operatorKey ctxKey = 1

// operatorName is who makes an operator call: the named token's user, or
// demoOperator for the shared token of --demo.
func operatorName(r *http.Request) string {
	if p, ok := r.Context().Value(operatorKey).(*principal); ok {
		return p.User.Name
	}
	return demoOperator
}

// operatorByToken serves an operator API call made with a named API token:
// it reports false when the token is not one (the caller then checks the
// --demo operator token). Admins may call the kiosk, fleet, catalogue,
// import, report and backup endpoints. The request endpoints
// (/v1/operator/requests…) read and move any dossier of the city with no
// scope, so no named token opens them, whatever its role: they stay with
// the --demo token, and people, scripts included, read and process
// dossiers through the scoped /v1/office API (queue, dossiers, actions).
func (o *office) operatorByToken(w http.ResponseWriter, r *http.Request, h http.HandlerFunc) bool {
	u, tok, ok := o.tokenUser(r)
	if !ok {
		return false
	}
	if strings.HasPrefix(r.URL.Path, "/v1/operator/requests") {
		writeError(w, http.StatusForbidden, CodeForbidden, "the request endpoints are not scoped and answer only the --demo token; officers use /v1/office/queue, /v1/office/dossiers/{id} and /v1/office/dossiers/{id}/actions/{action}")
		return true
	}
	if u.Role != RoleAdmin {
		writeError(w, http.StatusForbidden, CodeForbidden, "the operator API is for admins; officers and viewers use /v1/office")
		return true
	}
	p := &principal{User: u, Token: &tok, API: true, Addr: clientAddr(r)}
	r = r.WithContext(context.WithValue(r.Context(), operatorKey, p))
	o.auditOperator(w, r, p, h)
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
		p = &principal{User: User{Name: demoOperator}, Addr: clientAddr(r)}
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
