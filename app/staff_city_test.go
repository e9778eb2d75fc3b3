package app

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"communekiosk/city"
	"communekiosk/city/citybolt"
)

// newTestCity serves a real city in-process, on its embedded store.
func newTestCity(t *testing.T) (*city.Server, string) {
	t.Helper()
	srv, url, _ := newTestCityStore(t)
	return srv, url
}

func newTestCityStore(t *testing.T) (*city.Server, string, *citybolt.Store) {
	t.Helper()
	dir := t.TempDir()
	store, err := citybolt.Open(filepath.Join(dir, "city.db"), citybolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	srv, err := city.New(city.Options{Store: store, DataDir: dir, OperatorToken: "test",
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return srv, ts.URL, store
}

// enrolNode enrols n at the city (commune 00004) through the staff screen,
// as a clerk does, and returns the staff session it unlocked.
func enrolNode(t *testing.T, n *Node, srv *city.Server, cityURL string) UnlockResult {
	t.Helper()
	tok, err := n.Staff.Unlock("2468")
	if err != nil {
		t.Fatal(err)
	}
	code, err := srv.CreateEnrolCode(t.Context(), "00004", "Phường Ba Đình")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := n.Staff.Enrol(tok.Token, cityURL, code.Code); err != nil {
		t.Fatal(err)
	}
	return tok
}

// The staff screen's enrolment and USB round trip, through the facades,
// against a real city: enrol with a one-time code, take a request, export
// it to a USB folder, import it at the city, bring the city's receipt back.
func TestStaffEnrolAndUSBRoundTrip(t *testing.T) {
	srv, cityURL := newTestCity(t)
	n, _ := newTestNode(t, false)
	s := n.Staff
	tok, err := s.Unlock("2468")
	if err != nil {
		t.Fatal(err)
	}

	// Not enrolled: no requests, and the staff overview says how to enrol.
	if _, err := n.Requests.Submit(sampleDraft(t)); asError(err).Code != CodeNotReady {
		t.Fatalf("submit before enrolment: %v", err)
	}
	ov, err := s.Overview(tok.Token)
	if err != nil || ov.Identity != nil || len(ov.Alarms) == 0 {
		t.Fatalf("overview before enrolment: %+v %v", ov, err)
	}

	code, err := srv.CreateEnrolCode(t.Context(), "00004", "Phường Ba Đình")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Enrol(tok.Token, cityURL, "WRONG-CODE-000"); asError(err).Code != CodeEnrolCodeTypo {
		t.Fatalf("enrol with a mistyped code: %v", err)
	}
	if _, err := s.Enrol(tok.Token, cityURL, city.NewEnrolCode()); asError(err).Code != CodeUnauthorized {
		t.Fatalf("enrol with a code the city never made: %v", err)
	}
	id, err := s.Enrol(tok.Token, cityURL, code.Code)
	if err != nil || id.KioskID == "" || id.CommuneName != "Phường Ba Đình" {
		t.Fatalf("enrol: %+v %v", id, err)
	}
	if _, err := s.Enrol(tok.Token, cityURL, code.Code); err == nil {
		t.Fatal("a one-time code worked twice")
	}

	rv, err := n.Requests.Submit(sampleDraft(t))
	if err != nil {
		t.Fatal(err)
	}

	usb := t.TempDir()
	exp, err := s.ExportUSB(tok.Token, usb)
	if err != nil || exp.Count != 1 || exp.Path == "" {
		t.Fatalf("export: %+v %v", exp, err)
	}
	bundle, err := os.ReadFile(exp.Path)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 2 { // importing twice at the city changes nothing
		req, _ := http.NewRequest("POST", cityURL+"/v1/operator/import", bytes.NewReader(bundle))
		req.Header.Set("Authorization", "Bearer test")
		resp, err := http.DefaultClient.Do(req)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("city import %d: %v %v", i, resp, err)
		}
		resp.Body.Close()
	}

	receipt, err := srv.Receipt(t.Context(), id.KioskID)
	if err != nil {
		t.Fatal(err)
	}
	rpath := filepath.Join(usb, "receipt.json")
	if err := os.WriteFile(rpath, receipt, 0o600); err != nil {
		t.Fatal(err)
	}
	first, err := s.ImportUSB(tok.Token, rpath)
	if err != nil || first.Acks != 1 {
		t.Fatalf("receipt import: %+v %v", first, err)
	}
	second, err := s.ImportUSB(tok.Token, rpath)
	if err != nil || second.Statuses != 0 || second.Acks != 0 {
		t.Fatalf("second receipt import: %+v %v", second, err)
	}
	rec, err := n.db.Lookup(rv.Code)
	if err != nil || rec.State != "sent" || rec.CityRef == "" {
		t.Fatalf("after the receipt: %+v %v", rec, err)
	}
	c, _ := n.db.Counts()
	if c.Queued != 0 || c.Sent != 1 {
		t.Errorf("counts after the receipt: %+v", c)
	}

	// A receipt file that is not one is refused in plain words.
	junk := filepath.Join(usb, "junk.json")
	os.WriteFile(junk, []byte("<html>not a receipt</html>"), 0o600)
	if _, err := s.ImportUSB(tok.Token, junk); asError(err).Code != CodeBadInput {
		t.Errorf("junk receipt: %v", err)
	}
	if _, err := s.ImportProvisioning(tok.Token, filepath.Join(usb, "missing.prov"), city.NewEnrolCode()); asError(err).Code != CodeBadInput {
		t.Errorf("missing provisioning file: %v", err)
	}
}

// Offline enrolment: the city's provisioning file, imported from a USB
// drive on the staff screen, makes the kiosk ready.
func TestStaffImportProvisioning(t *testing.T) {
	_, cityURL := newTestCity(t)
	req, _ := http.NewRequest("POST", cityURL+"/v1/operator/provision",
		bytes.NewReader([]byte(`{"commune":"00004","commune_name":"Phường Ba Đình","city_url":"`+cityURL+`"}`)))
	req.Header.Set("Authorization", "Bearer test")
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("provision: %v %v", resp, err)
	}
	file, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	code := resp.Header.Get(city.HeaderProvisioningCode)
	path := filepath.Join(t.TempDir(), "kiosk.prov")
	os.WriteFile(path, file, 0o600)

	n, _ := newTestNode(t, false)
	tok, err := n.Staff.Unlock("2468")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := n.Staff.ImportProvisioning(tok.Token, path, city.NewEnrolCode()); asError(err).Code != CodeEnrolMismatch {
		t.Fatalf("import with another code: %v; want %s", err, CodeEnrolMismatch)
	}
	if _, err := n.Staff.ImportProvisioning(tok.Token, path, ""); asError(err).Code != CodeBadInput {
		t.Fatalf("import without a code: %v; want %s", err, CodeBadInput)
	}
	id, err := n.Staff.ImportProvisioning(tok.Token, path, code)
	if err != nil || id.KioskID == "" || id.CommuneName != "Phường Ba Đình" || id.CityURL != cityURL {
		t.Fatalf("import provisioning: %+v %v", id, err)
	}
	if st, _ := n.Kiosk.State(); !st.Ready {
		t.Errorf("kiosk not ready after provisioning: %+v", st)
	}
	if _, err := n.Requests.Submit(sampleDraft(t)); err != nil {
		t.Errorf("submit after provisioning: %v", err)
	}
}
