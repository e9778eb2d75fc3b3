package city_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"communekiosk/city"
	"communekiosk/kiosk/kiosktest"
	"communekiosk/sync/syncproto"
)

func (e *env) publish(doc []byte) (int, []byte) {
	e.t.Helper()
	req, _ := http.NewRequest("POST", e.http.URL+"/v1/operator/catalogue", bytes.NewReader(doc))
	req.Header.Set("Authorization", "Bearer "+token)
	return e.do(req)
}

func (k *testKiosk) pullWith(version string) syncproto.PullResponse {
	k.e.t.Helper()
	status, body := k.e.do(k.signed(syncproto.PathPull, k.id, syncproto.PullRequest{Version: 1, KioskID: k.id, CatalogueVersion: version}, false))
	if status != 200 {
		k.e.t.Fatalf("pull: %d %s", status, body)
	}
	resp, err := syncproto.DecodePullResponse(body)
	if err != nil {
		k.e.t.Fatal(err)
	}
	return resp
}

func TestPublishCatalogue(t *testing.T) {
	e := newEnv(t)
	k := e.enrol("00004")
	if resp := k.pullWith("2026.11.1"); resp.Catalogue != nil {
		t.Fatalf("nothing published, yet a catalogue was sent: %s", resp.Catalogue.Version)
	}
	tests := []struct {
		name   string
		doc    []byte
		status int
		says   string
	}{
		{"not JSON", []byte("fees: 10000"), 400, "catalogue"},
		{"unknown key", bytes.Replace(kiosktest.CatalogueWithFee(t, "2026.12.0", 9000), []byte(`"version"`), []byte(`"versoin":"x","version"`), 1), 400, "unknown field"},
		{"not newer than the built-in one", kiosktest.CatalogueWithFee(t, "2026.11.1", 9000), 409, "not newer"},
		{"older", kiosktest.CatalogueWithFee(t, "2026.10.9", 9000), 409, "not newer"},
		{"newer", kiosktest.CatalogueWithFee(t, "2026.12.0", 9000), 200, "2026.12.0"},
		{"same again", kiosktest.CatalogueWithFee(t, "2026.12.0", 9500), 409, "not newer"},
		{"between", kiosktest.CatalogueWithFee(t, "2026.11.5", 9500), 409, "not newer"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := e.publish(tt.doc)
			if status != tt.status || !strings.Contains(string(body), tt.says) {
				t.Fatalf("%d %s; want %d saying %q", status, body, tt.status, tt.says)
			}
		})
	}
	status, body := e.op("GET", "/v1/operator/catalogue", nil)
	var hist struct {
		Current   string                    `json:"current"`
		Published []city.PublishedCatalogue `json:"published"`
	}
	json.Unmarshal(body, &hist)
	if status != 200 || hist.Current != "2026.12.0" || len(hist.Published) != 1 || hist.Published[0].Version != "2026.12.0" || hist.Published[0].SHA256 == "" {
		t.Fatalf("history: %d %s", status, body)
	}
	resp := k.pullWith("2026.11.1")
	if resp.Catalogue == nil || resp.Catalogue.Version != "2026.12.0" || !bytes.Equal(resp.Catalogue.Document, kiosktest.CatalogueWithFee(t, "2026.12.0", 9000)) {
		t.Fatalf("pull with the old catalogue: %+v", resp.Catalogue)
	}
	if resp := k.pullWith("2026.12.0"); resp.Catalogue != nil {
		t.Errorf("kiosk already on it got it again")
	}
	if resp := k.pullWith("2027.1.0"); resp.Catalogue != nil {
		t.Errorf("kiosk with a newer built-in catalogue was sent an older one")
	}
	req, _ := http.NewRequest("POST", e.http.URL+"/v1/operator/catalogue", bytes.NewReader(kiosktest.CatalogueWithFee(t, "2027.1.0", 1)))
	if status, _ := e.do(req); status != 401 {
		t.Errorf("publish without a token: %d", status)
	}
}

// The city checks each request with the catalogue the kiosk used and the
// fee it quoted.
func TestIngestChecksTheKiosksCatalogue(t *testing.T) {
	e := newEnv(t)
	k := e.enrol("00004")
	if status, body := e.publish(kiosktest.CatalogueWithFee(t, "2026.12.0", 10000)); status != 200 {
		t.Fatalf("%d %s", status, body)
	}
	req := func(version string, quoted int64) syncproto.Item {
		r := goodRequest() // two copies, picked up
		r.CatalogueVersion, r.QuotedVND = version, quoted
		return k.item(r)
	}
	tests := []struct {
		name    string
		item    syncproto.Item
		outcome syncproto.Outcome
		reason  string
		fee     int64
	}{
		{"the old catalogue at its fee", req("2026.11.1", 16000), syncproto.Accepted, "", 16000},
		{"the new catalogue at its fee", req("2026.12.0", 20000), syncproto.Accepted, "", 20000},
		{"the old fee claimed under the new catalogue", req("2026.12.0", 16000), syncproto.Rejected, "quoted_vnd", 0},
		{"a catalogue the city never had", req("2026.11.7", 16000), syncproto.Rejected, "catalogue_version", 0},
		{"an older kiosk that does not say: the one in force", req("", 0), syncproto.Accepted, "", 20000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := k.push(tt.item).Results[0]
			if r.Outcome != tt.outcome || !strings.Contains(r.Reason, tt.reason) {
				t.Fatalf("%+v; want %s with %q", r, tt.outcome, tt.reason)
			}
			if tt.outcome != syncproto.Accepted {
				return
			}
			got, err := e.store.Request(t.Context(), tt.item.RequestID)
			if err != nil {
				t.Fatal(err)
			}
			if got.FeeVND != tt.fee {
				t.Errorf("fee kept %d, want %d", got.FeeVND, tt.fee)
			}
		})
	}
}
