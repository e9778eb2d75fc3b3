package city_test

import (
	"net/http"
	"strings"
	"testing"

	"communekiosk/city"
)

// TestOperatorAPIWithNamedTokens: an admin's named token opens the
// operator API's kiosk endpoints (and its changes are audited under the
// admin's name), not the unscoped request endpoints; an officer's token
// opens none of it; a revoked token nothing.
func TestOperatorAPIWithNamedTokens(t *testing.T) {
	e := officeEnv(t)
	k := e.enrol("00004")
	id := k.submit(goodRequest())
	adm, _ := e.user("an", city.RoleAdmin)
	off, _ := e.user("lan", city.RoleOfficer, "00004")
	ta, to := e.apiToken(adm), e.apiToken(off)
	tests := []struct {
		who, tok, method, path string
		want                   int
	}{
		{"admin", ta, "GET", "/v1/operator/kiosks", 200},
		{"admin", ta, "GET", "/v1/operator/requests", 403},
		{"admin", ta, "GET", "/v1/operator/requests/" + id, 403},
		{"officer", to, "GET", "/v1/operator/kiosks", 403},
		{"officer", to, "GET", "/v1/operator/requests/" + id, 403},
		{"unknown token", "ck_unknown", "GET", "/v1/operator/kiosks", 401},
		{"admin", ta, "POST", "/v1/operator/kiosks/" + k.id + "/revoke", 200},
	}
	for _, tt := range tests {
		t.Run(tt.who+" "+tt.method+" "+tt.path, func(t *testing.T) {
			status, body := e.api(tt.tok, tt.method, tt.path, nil)
			if status != tt.want {
				t.Errorf("%s %s: %d %s, want %d", tt.method, tt.path, status, body, tt.want)
			}
			if status == 403 && strings.Contains(body, "Nguyễn") {
				t.Errorf("%s leaks personal data", tt.path)
			}
		})
	}
	a, _ := e.store.Audit(t.Context(), city.AuditFilter{Action: "kiosk.revoke"})
	if len(a) != 1 || a[0].UserName != "an" || !strings.Contains(a[0].Detail, http.StatusText(200)) {
		t.Fatalf("revocation audit %+v", a)
	}
	if a, _ := e.store.Audit(t.Context(), city.AuditFilter{Action: "enrol.redeemed"}); len(a) != 1 || a[0].UserName != "kiosk "+k.id {
		t.Fatalf("the kiosk's enrolment is not audited: %+v", a)
	}
	// The --demo token still works, and is audited as such.
	status, _ := e.op("POST", "/v1/operator/enrol-codes", city.EnrolCodeRequest{Commune: "00008", CommuneName: "Phường Ngọc Hà"})
	if status != 200 {
		t.Fatalf("legacy token: %d", status)
	}
	a, _ = e.store.Audit(t.Context(), city.AuditFilter{Action: "kiosk.enrol"})
	// Two codes: the one the test kiosk was enrolled with, and this one.
	if len(a) != 2 || a[0].UserName != "operator-token" || a[1].UserName != "operator-token" {
		t.Fatalf("enrol audit %+v", a)
	}
}
