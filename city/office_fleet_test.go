package city_test

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"html"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	qrcode "github.com/skip2/go-qrcode"

	"communekiosk/city"
	"communekiosk/sync/syncproto"
)

// The fleet page: a kiosk that stopped heart-beating is marked red, worst
// first; enrolment codes as text and QR, offline provisioning, revoke and
// reset clock, each audited and each limited to the admin's communes.
func TestFleetPage(t *testing.T) {
	e := officeEnv(t)
	silent, fine := e.enrol("00004"), e.enrol("00004")
	other := e.enrol("00008")
	for _, k := range []*testKiosk{silent, fine, other} {
		if status, body := e.do(k.signed(syncproto.PathHeartbeat, k.id, syncproto.Heartbeat{Version: 1, KioskID: k.id, QueueDepth: 2, AppVersion: "1.2.0"}, false)); status != 200 {
			t.Fatalf("heartbeat: %d %s", status, body)
		}
	}
	// Three days later only fine and other still beat: silent has missed
	// a working day (28 November is a Saturday; 1 December a Tuesday).
	e.now = e.now.Add(72*time.Hour + time.Hour)
	for _, k := range []*testKiosk{fine, other} {
		hb := syncproto.Heartbeat{Version: 1, KioskID: k.id, QueueDepth: 1}
		if k == fine { // its last sync but one failed an hour ago
			hb.LastError, hb.LastErrorSecs = "unreachable", 3600
		}
		e.do(k.signed(syncproto.PathHeartbeat, k.id, hb, false))
	}
	_, pw := e.user("admin", city.RoleAdmin, "00004")
	a := e.browser()
	a.login("admin", pw)
	status, body := a.get("/office/fleet")
	if status != 200 {
		t.Fatalf("%d %s", status, body)
	}
	rows := regexp.MustCompile(`data-testid="fleet-row" data-kiosk="([^"]+)" data-level="([^"]+)"`).FindAllStringSubmatch(body, -1)
	if len(rows) != 3 || rows[0][1] != silent.id || rows[0][2] != "red" || rows[1][2] != "ok" || rows[2][2] != "ok" {
		t.Fatalf("rows %v; want the silent kiosk first and red, the others ok", rows)
	}
	if !strings.Contains(body, "Không liên lạc từ") || !strings.Contains(body, "<polyline") {
		t.Errorf("no alert in words or no trend line")
	}
	if want := "Lần đồng bộ lỗi gần nhất: không kết nối được tới máy chủ thành phố (1h0m0s trước)"; strings.Count(body, want) != 1 {
		t.Errorf("the last failed sync is not said in words once (%q)", want)
	}

	// Enrol from the page: the code as text and as a QR, audited; the code
	// enrols a kiosk.
	status, body, _ = a.post("/office/fleet/enrol", url.Values{"commune": {"00004"}, "city_url": {"https://city.example"}})
	if status != 200 || !strings.Contains(body, `data-testid="enrol-qr"`) || !strings.Contains(body, `src="data:image/png;base64,`) {
		t.Fatalf("enrol: %d", status)
	}
	code := regexp.MustCompile(`data-testid="enrol-code-text">([^<]+)<`).FindStringSubmatch(body)
	if code == nil {
		t.Fatal("no code on the page")
	}
	// The QR is the staff screen's format, and the image is that text.
	want, err := syncproto.FormatEnrolQR(code[1], "https://city.example")
	if err != nil {
		t.Fatal(err)
	}
	qrText := regexp.MustCompile(`data-qr-text="([^"]+)"`).FindStringSubmatch(body)
	if qrText == nil || html.UnescapeString(qrText[1]) != want {
		t.Fatalf("QR text %v, want %q", qrText, want)
	}
	png, _ := qrcode.Encode(want, qrcode.Medium, 192)
	src := regexp.MustCompile(`src="data:image/png;base64,([^"]+)"`).FindStringSubmatch(body)
	if src == nil {
		t.Fatal("no QR image")
	}
	if got, err := base64.StdEncoding.DecodeString(html.UnescapeString(src[1])); err != nil || !bytes.Equal(got, png) {
		t.Errorf("the QR image is not the QR of that text (%v)", err)
	}
	if gotCode, gotURL, err := syncproto.ParseEnrolQR(want); err != nil || gotURL != "https://city.example" || gotCode == "" {
		t.Errorf("the kiosk reads %q %q %v", gotCode, gotURL, err)
	}
	pubKiosk, _, _ := ed25519.GenerateKey(rand.Reader)
	if status, body := e.enrolRaw(code[1], pubKiosk); status != 200 {
		t.Fatalf("the page's code does not enrol: %d %s", status, body)
	}
	if status, _, _ := a.post("/office/fleet/enrol", url.Values{"commune": {"79001"}}); status != 400 {
		t.Errorf("a code for a commune outside the city: %d", status)
	}

	// Offline provisioning: a file to download and the code apart.
	status, body, _ = a.post("/office/fleet/provision", url.Values{"commune": {"00004"}})
	m := regexp.MustCompile(`href="data:application/json;base64,([^"]+)" download="(provision-K\d+\.json)"`).FindStringSubmatch(body)
	if status != 200 || m == nil {
		t.Fatalf("provision: %d", status)
	}
	file, err := base64.StdEncoding.DecodeString(m[1])
	if err != nil || !strings.Contains(string(file), "commune-kiosk-provisioning") {
		t.Fatalf("provisioning file %v %.80s", err, file)
	}

	// Revoke and reset the clock; another commune's kiosk is not found.
	if status, _, h := a.post("/office/fleet/"+fine.id+"/reset-clock", nil); status != 303 || !strings.Contains(h.Get("Location"), "ok_clock_reset") {
		t.Errorf("reset clock: %d", status)
	}
	if status, _, _ := a.post("/office/fleet/"+silent.id+"/revoke", nil); status != 303 {
		t.Errorf("revoke: %d", status)
	}
	if k, _ := e.store.Kiosk(t.Context(), silent.id); !k.Revoked {
		t.Error("not revoked")
	}
	if status, _, _ := a.post("/office/fleet/K9999/revoke", nil); status != 404 {
		t.Errorf("revoking an unknown kiosk: %d", status)
	}
	if k, _ := e.store.Kiosk(t.Context(), other.id); k.Revoked {
		t.Error("another kiosk revoked")
	}
	if status, _, _ := a.post("/office/fleet/"+other.id+"/revoke", url.Values{"csrf": {"wrong"}}); status != 403 {
		t.Errorf("revoke without the form token: %d", status)
	}
	var actions []string
	entries, _ := e.store.Audit(t.Context(), city.AuditFilter{})
	for _, en := range entries {
		if strings.HasPrefix(en.Action, "kiosk.") && en.Action != "kiosk.enrol" {
			actions = append(actions, en.Action)
		}
	}
	if got := strings.Join(actions, " "); got != "kiosk.revoke kiosk.reset_clock kiosk.provision kiosk.enrol_code" {
		t.Errorf("audited %q", got)
	}

	// Officers and viewers do not see the fleet.
	_, po := e.user("lan", city.RoleOfficer, "00004")
	o := e.browser()
	o.login("lan", po)
	if status, _ := o.get("/office/fleet"); status != 403 {
		t.Errorf("officer on the fleet page: %d", status)
	}
}
