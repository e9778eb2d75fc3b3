package city_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"communekiosk/city"
	"communekiosk/sync/syncproto"
)

// A report through the operator API: two requests pushed by sync, one
// carried by USB, in Ba Đình; JSON, CSV and XLSX say the same, every
// commune of the city has a row, and satisfaction tallies count once.
func TestReportAPIAndExports(t *testing.T) {
	e := newEnv(t) // the city's clock: 28 November 2026
	k := e.enrol("00004")
	k.push(k.item(goodRequest()), k.item(goodRequest()))
	bundle, err := syncproto.EncodeBundle(syncproto.Bundle{KioskID: k.id, CreatedAt: k.clock, Items: []syncproto.Item{k.item(goodRequest())}}, k.key)
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest("POST", e.http.URL+"/v1/operator/import", bytes.NewReader(bundle))
	req.Header.Set("Authorization", "Bearer "+token)
	if status, body := e.do(req); status != 200 {
		t.Fatalf("import: %d %s", status, body)
	}
	// The kiosk's tallies, sent twice (a resent heartbeat) and then with a
	// later count for the same day: the last word counts, once.
	for _, n := range []int{2, 2, 3} {
		hb := syncproto.Heartbeat{Version: 1, KioskID: k.id, Satisfaction: []syncproto.SatisfactionDay{
			{Day: "2026-11-27", VerySatisfied: n, NotSatisfied: 1}, {Day: "2026-10-31", Satisfied: 5}}}
		if status, body := e.do(k.signed(syncproto.PathHeartbeat, k.id, hb, false)); status != 200 {
			t.Fatalf("heartbeat: %d %s", status, body)
		}
	}

	status, body := e.op("GET", "/v1/operator/report?month=2026-11", nil)
	if status != 200 {
		t.Fatalf("%d %s", status, body)
	}
	var rep city.Report
	if err := json.Unmarshal(body, &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Communes) != 126 || len(rep.NoRequest) != 125 || rep.Period.Label != "11/2026" {
		t.Fatalf("%d communes, %d without request, period %q", len(rep.Communes), len(rep.NoRequest), rep.Period.Label)
	}
	if rep.Total.Received != 3 || rep.Total.ReceivedSync != 2 || rep.Total.ReceivedUSB != 1 || rep.Total.InProgress != 3 {
		t.Fatalf("total %+v", rep.Total)
	}
	var ba city.CommuneRow
	for _, c := range rep.Communes {
		if c.Commune == "00004" {
			ba = c
		}
	}
	if ba.Name != "Phường Ba Đình" || ba.Figures.Received != 3 || ba.Satisfaction.Responses != 4 || ba.Satisfaction.VerySatisfied != 3 {
		t.Fatalf("Ba Đình %+v", ba)
	}
	if rep.Satisfaction.Responses != 4 || *rep.Satisfaction.SatisfiedShare != 0.75 {
		t.Errorf("city satisfaction %+v (October's day must not count)", rep.Satisfaction)
	}

	status, body = e.op("GET", "/v1/operator/report?month=2026-11&format=csv", nil)
	if status != 200 || !bytes.HasPrefix(body, []byte("\ufeff")) {
		t.Fatalf("csv: %d, BOM %v", status, bytes.HasPrefix(body, []byte("\ufeff")))
	}
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(body, []byte("\ufeff")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	// Header, 126 communes, the total, one service.
	if len(rows) != 1+126+1+1 || rows[0][0] != "Mã đơn vị (code)" || !strings.HasPrefix(rows[0][3], "Tiếp nhận mới") {
		t.Fatalf("%d csv rows; header %v", len(rows), rows[0])
	}
	if r := rows[1]; r[0] != "00004" || r[1] != "Phường Ba Đình" || r[3] != "3" || r[4] != "2" || r[5] != "1" || r[17] != "100.0" || r[18] != "4" || r[19] != "75.0" {
		t.Errorf("Ba Đình csv row %v", r)
	}
	if r := rows[127]; r[1] != "Toàn thành phố (city total)" || r[3] != "3" {
		t.Errorf("total csv row %v", r)
	}

	status, body = e.op("GET", "/v1/operator/report?month=2026-11&format=xlsx", nil)
	if status != 200 {
		t.Fatalf("xlsx: %d %s", status, body)
	}
	x, err := excelize.OpenReader(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if got := x.GetSheetList(); len(got) != 3 || got[0] != "Xã phường" {
		t.Fatalf("sheets %v", got)
	}
	// Real numbers: the received cell of Ba Đình (row 4, column C) has no
	// string type (OOXML's default, a number), the name beside it has one.
	if typ, _ := x.GetCellType("Xã phường", "C4"); typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
		t.Errorf("C4 type %v, want a number", typ)
	}
	if typ, _ := x.GetCellType("Xã phường", "B4"); typ != excelize.CellTypeSharedString && typ != excelize.CellTypeInlineString {
		t.Errorf("B4 type %v, want a string", typ)
	}
	if v, _ := x.GetCellValue("Xã phường", "Q4", excelize.Options{RawCellValue: true}); v != "1" {
		t.Errorf("kiosk share Q4 raw = %q, want the number 1 (formatted as a percentage)", v)
	}
	if v, _ := x.GetCellValue("Xã phường", "C4"); v != "3" {
		t.Errorf("C4 = %q", v)
	}
	if v, _ := x.GetCellValue("Xã phường", "B130"); v != "Toàn thành phố (city total)" {
		t.Errorf("B130 = %q", v)
	}

	for _, bad := range []string{"?month=2026-13", "?period=range&from=2026-11-30&to=2026-11-01", "?period=week", "?month=2026-11&format=pdf"} {
		if status, _ := e.op("GET", "/v1/operator/report"+bad, nil); status != 400 {
			t.Errorf("%s: %d, want 400", bad, status)
		}
	}
	req, _ = http.NewRequest("GET", e.http.URL+"/v1/operator/report", nil)
	if status, _ := e.do(req); status != 401 {
		t.Errorf("report without a token: %d", status)
	}
}
