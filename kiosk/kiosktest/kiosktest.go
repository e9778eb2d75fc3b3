// Package kiosktest makes the domain's fixtures for tests in other
// packages (app, city): catalogue documents as the city would publish
// them. Only test files import it.
package kiosktest

import (
	"encoding/json"
	"testing"

	"communekiosk/kiosk"
)

// CatalogueWithFee is the embedded catalogue's document as version, with
// the civil-status copy fee set to amount (VND).
func CatalogueWithFee(t testing.TB, version string, amount int) []byte {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(kiosk.DefaultCatalogueDocument(), &m); err != nil {
		t.Fatal(err)
	}
	m["version"] = version
	for _, f := range m["fees"].([]any) {
		if f := f.(map[string]any); f["id"] == "civil_status_copy" {
			f["amount_vnd"] = amount
		}
	}
	out, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return out
}
