package city_test

import (
	"net/url"
	"strings"
	"testing"

	"communekiosk/city"
	"communekiosk/kiosk/kiosktest"
)

// An admin publishes a catalogue from the page: a broken one is refused
// with the kiosk's reason, a newer one is published (audited) and reaches
// a kiosk's pull; officers cannot.
func TestCataloguePage(t *testing.T) {
	e := officeEnv(t)
	k := e.enrol("00004")
	_, pw := e.user("admin", city.RoleAdmin)
	a := e.browser()
	a.login("admin", pw)
	if status, body := a.get("/office/catalogue"); status != 200 || !strings.Contains(body, `<strong>2026.11.1</strong>`) {
		t.Fatalf("page: %d", status)
	}
	status, body, _ := a.post("/office/catalogue", url.Values{"document": {`{"version":"2027.1.0"}`}})
	if status != 400 || !strings.Contains(body, "không qua được kiểm tra") {
		t.Fatalf("broken catalogue: %d", status)
	}
	status, _, _ = a.post("/office/catalogue", url.Values{"document": {string(kiosktest.CatalogueWithFee(t, "2026.10.1", 9000))}})
	if status != 409 {
		t.Fatalf("older catalogue: %d", status)
	}
	status, body, _ = a.post("/office/catalogue", url.Values{"document": {string(kiosktest.CatalogueWithFee(t, "2026.12.0", 9000))}})
	if status != 200 || !strings.Contains(body, `data-testid="catalogue-published"`) || !strings.Contains(body, "<td>admin</td>") {
		t.Fatalf("publish: %d", status)
	}
	if resp := k.pullWith("2026.11.1"); resp.Catalogue == nil || resp.Catalogue.Version != "2026.12.0" {
		t.Fatalf("the kiosk's pull: %+v", resp.Catalogue)
	}
	entries, _ := e.store.Audit(t.Context(), city.AuditFilter{Action: "catalogue.publish"})
	if len(entries) != 1 || !strings.HasPrefix(entries[0].Detail, "2026.12.0 sha256 ") {
		t.Errorf("audit %+v", entries)
	}
	_, po := e.user("lan", city.RoleOfficer, "00004")
	o := e.browser()
	o.login("lan", po)
	if status, _, _ := o.post("/office/catalogue", url.Values{"document": {string(kiosktest.CatalogueWithFee(t, "2027.1.0", 1))}}); status != 403 {
		t.Errorf("an officer publishing: %d", status)
	}
}
