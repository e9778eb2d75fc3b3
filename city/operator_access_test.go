package city_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"communekiosk/city"
	"communekiosk/kiosk/kiosktest"
)

// opCall sends an operator API call with tok and body as it is.
func (e *env) opCall(tok, method, path string, body []byte) (int, string) {
	e.t.Helper()
	req, _ := http.NewRequest(method, e.http.URL+path, bytes.NewReader(body))
	if tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	status, out := e.do(req)
	return status, string(out)
}

// TestOperatorRoutesOutsideDemo: a city with no shared token, as cityd
// runs without --demo. Every operator route is tried with the named token
// of each role, of an officer of the dossier's commune and of another one,
// with an unknown token, with the old shared token and with none. Only the
// admin's token opens the operator API, and no token opens the unscoped
// request endpoints: 401/403, nothing changed, nothing of the dossier
// revealed.
func TestOperatorRoutesOutsideDemo(t *testing.T) {
	e := officeEnv(t, func(o *city.Options) { o.OperatorToken = "" })
	adm, _ := e.user("an", city.RoleAdmin, "00004")
	offA, _ := e.user("lan", city.RoleOfficer, "00004")
	offB, _ := e.user("binh", city.RoleOfficer, "00008")
	view, _ := e.user("vien", city.RoleViewer, "00004")
	tAdmin, tA, tB, tV := e.apiToken(adm), e.apiToken(offA), e.apiToken(offB), e.apiToken(view)
	if status, body := e.op("GET", "/v1/operator/kiosks", nil); status != http.StatusUnauthorized || !strings.Contains(string(body), "cityd token add") {
		t.Fatalf("the shared token with none configured: %d %s; want 401 naming cityd token add", status, body)
	}
	e.opToken = tAdmin // the test kiosk is enrolled by the admin
	k := e.enrol("00004")
	d := k.submit(goodRequest())
	personal := []string{"Nguyễn Thị Hoa", "001190012345", "0912345678", "Quán Thánh", "Trần Minh Khôi"}
	snapshot := func() string {
		r, err := e.store.Request(t.Context(), d)
		if err != nil {
			t.Fatal(err)
		}
		r.Sealed = nil
		ks, _ := e.store.Kiosks(t.Context())
		j, _ := json.Marshal(struct {
			R city.Request
			K []city.Kiosk
		}{r, ks})
		return string(j)
	}
	enrol, _ := json.Marshal(city.EnrolCodeRequest{Commune: "00008", CommuneName: "Phường Ngọc Hà"})
	status, _ := json.Marshal(city.StatusChangeRequest{Status: "processing"})
	routes := []struct {
		method, path string
		body         []byte
		admin        int // the admin token's answer
	}{
		{"GET", "/v1/operator/requests", nil, 403},
		{"GET", "/v1/operator/requests?commune=00004", nil, 403},
		{"GET", "/v1/operator/requests/" + d, nil, 403},
		{"POST", "/v1/operator/requests/" + d + "/status", status, 403},
		{"GET", "/v1/operator/kiosks", nil, 200},
		{"GET", "/v1/operator/fleet", nil, 200},
		{"GET", "/v1/operator/kiosks/" + k.id + "/heartbeats", nil, 200},
		{"GET", "/v1/operator/kiosks/" + k.id + "/receipt", nil, 200},
		{"GET", "/v1/operator/stats", nil, 200},
		{"GET", "/v1/operator/report?period=month&month=2026-11", nil, 200},
		{"GET", "/v1/operator/catalogue", nil, 200},
		{"GET", "/v1/operator/backup", nil, 200},
		{"POST", "/v1/operator/import", []byte("{}"), 400},
		{"POST", "/v1/operator/catalogue", []byte("{}"), 400},
		{"POST", "/v1/operator/enrol-codes", enrol, 200},
		{"POST", "/v1/operator/provision", enrol, 200},
		{"POST", "/v1/operator/kiosks/" + k.id + "/reset-clock", nil, 200},
		{"POST", "/v1/operator/kiosks/" + k.id + "/revoke", nil, 200},
	}
	callers := []struct {
		name, tok string
		want      int
	}{
		{"officer of the commune", tA, 403},
		{"officer of another commune", tB, 403},
		{"viewer", tV, 403},
		{"unknown token", "ck_unknown", 401},
		{"the shared token", "test-operator-token", 401},
		{"no token", "", 401},
	}
	before := snapshot()
	for _, c := range callers {
		t.Run(c.name, func(t *testing.T) {
			for _, rt := range routes {
				t.Run(rt.method+" "+rt.path, func(t *testing.T) {
					got, body := e.opCall(c.tok, rt.method, rt.path, rt.body)
					if got != c.want {
						t.Errorf("%s %s: %d %s, want %d", rt.method, rt.path, got, body, c.want)
					}
					for _, p := range append(personal, d) {
						if strings.Contains(body, p) && !strings.Contains(rt.path, p) {
							t.Errorf("%s %s reveals %q", rt.method, rt.path, p)
						}
					}
				})
			}
		})
	}
	if after := snapshot(); after != before {
		t.Fatalf("a refused call changed something:\n%s\n%s", before, after)
	}
	if a, _ := e.store.Audit(t.Context(), city.AuditFilter{Action: "kiosk.enrol"}); len(a) != 1 {
		t.Fatalf("refused calls left enrolment audit entries: %+v", a)
	}
	t.Run("admin", func(t *testing.T) {
		for _, rt := range routes {
			t.Run(rt.method+" "+rt.path, func(t *testing.T) {
				got, body := e.opCall(tAdmin, rt.method, rt.path, rt.body)
				if got != rt.admin {
					t.Errorf("%s %s: %d %.200s, want %d", rt.method, rt.path, got, body, rt.admin)
				}
				if strings.HasPrefix(rt.path, "/v1/operator/requests") {
					for _, p := range personal {
						if strings.Contains(body, p) {
							t.Errorf("%s %s gives an admin %q", rt.method, rt.path, p)
						}
					}
				}
			})
		}
	})
	r, err := e.store.Request(t.Context(), d)
	if err != nil || r.Status != "received" {
		t.Fatalf("the dossier after the admin's calls: %s %v; want it received still", r.Status, err)
	}
	// The officer of the commune reaches the same dossier through the
	// scoped API (the refusals above are not for a wrong reason).
	if got, body := e.api(tA, "GET", "/v1/office/dossiers/"+d, nil); got != 200 || !strings.Contains(body, d) {
		t.Fatalf("the officer's own dossier through /v1/office: %d", got)
	}
}

// TestCataloguePublisherIsTheTokensUser: a catalogue published with a
// named token is recorded under its user's name, not as a shared token.
func TestCataloguePublisherIsTheTokensUser(t *testing.T) {
	e := officeEnv(t, func(o *city.Options) { o.OperatorToken = "" })
	adm, _ := e.user("an", city.RoleAdmin)
	tok := e.apiToken(adm)
	if status, body := e.opCall(tok, "POST", "/v1/operator/catalogue", kiosktest.CatalogueWithFee(t, "2027.1.0", 9000)); status != 200 {
		t.Fatalf("publish: %d %s", status, body)
	}
	status, body := e.opCall(tok, "GET", "/v1/operator/catalogue", nil)
	var hist struct {
		Published []city.PublishedCatalogue `json:"published"`
	}
	if status != 200 || json.Unmarshal([]byte(body), &hist) != nil || len(hist.Published) != 1 || hist.Published[0].PublishedBy != "an" {
		t.Fatalf("history %d %s; want one version published by an", status, body)
	}
	if a, _ := e.store.Audit(t.Context(), city.AuditFilter{Action: "operator.catalogue"}); len(a) != 1 || a[0].UserName != "an" {
		t.Fatalf("publication audit %+v", a)
	}
}
