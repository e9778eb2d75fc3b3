package city_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"communekiosk/city"
)

// The report page: counts of the viewer's communes only, charts as SVG,
// exports that download and are audited, the JSON API the same figures.
func TestReportPage(t *testing.T) {
	e := officeEnv(t) // 28 November 2026
	ba, ngoc := e.enrol("00004"), e.enrol("00008")
	ba.submit(goodRequest())
	ba.submit(goodRequest())
	other := goodRequest()
	other.Register.Office = "00008" // responsible: Ngọc Hà
	ngoc.submit(other)
	_, pv := e.user("vien", city.RoleViewer, "00004")
	v := e.browser()
	v.login("vien", pv)

	status, body := v.get("/office/report?month=2026-11")
	if status != 200 {
		t.Fatalf("%d %s", status, body)
	}
	for _, want := range []string{`data-testid="total-received">2<`, `data-testid="chart-communes"`, `data-testid="chart-trend"`, `data-testid="chart-mix"`,
		"Phường Ba Đình", `data-testid="no-request">0 trong 1 xã/phường`} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Contains(body, "Phường Ngọc Hà") || strings.Contains(body, "<script") {
		t.Errorf("another commune's name or a script on the page")
	}

	// Exports: a CSV with its BOM and the viewer's commune only; an XLSX.
	status, csv := v.get("/office/report?month=2026-11&format=csv")
	if status != 200 || !strings.HasPrefix(csv, "\ufeff") || !strings.Contains(csv, "00004,Phường Ba Đình,Tất cả (all),2,2,0,") || strings.Contains(csv, "00008") {
		t.Fatalf("csv %d:\n%s", status, csv)
	}
	status, xlsx := v.get("/office/report?month=2026-11&format=xlsx")
	if status != 200 {
		t.Fatalf("xlsx %d", status)
	}
	x, err := excelize.OpenReader(bytes.NewReader([]byte(xlsx)))
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := x.GetCellValue("Xã phường", "C4"); got != "2" {
		t.Errorf("xlsx received = %q", got)
	}
	x.Close()
	entries, err := e.store.Audit(t.Context(), city.AuditFilter{Action: "export.report"})
	if err != nil || len(entries) != 2 || entries[0].UserName != "vien" {
		t.Fatalf("audited exports %+v %v", entries, err)
	}

	// The JSON API with the viewer's token.
	u, _ := e.store.UserByName(t.Context(), "vien")
	status, js := e.api(e.apiToken(u), "GET", "/v1/office/report?month=2026-11", nil)
	var rep city.Report
	if status != 200 || json.Unmarshal([]byte(js), &rep) != nil || rep.Total.Received != 2 || len(rep.Communes) != 1 {
		t.Fatalf("api %d %s", status, js)
	}

	// Bad periods say so; nobody unsigned gets in.
	if status, body := v.get("/office/report?period=range&from=2026-11-30&to=2026-11-01"); status != 400 || !strings.Contains(body, "Kỳ báo cáo không đúng") {
		t.Errorf("bad range: %d", status)
	}
	if status, _ := e.browser().get("/office/report"); status != http.StatusSeeOther {
		t.Errorf("anonymous: %d", status)
	}
	// An officer of another commune sees that commune only.
	_, pb := e.user("binh", city.RoleOfficer, "00008")
	b := e.browser()
	b.login("binh", pb)
	if _, body := b.get("/office/report?month=2026-11"); !strings.Contains(body, `data-testid="total-received">1<`) || strings.Contains(body, "Phường Ba Đình") {
		t.Errorf("officer of 00008 sees another commune's figures")
	}
}
