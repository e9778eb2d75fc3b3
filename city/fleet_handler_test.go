package city_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"communekiosk/city"
	"communekiosk/sync/syncproto"
)

func TestFleetEndpointAndHistory(t *testing.T) {
	e := newEnv(t)
	quiet, busy := e.enrol("00004"), e.enrol("00008")
	beat := func(k *testKiosk, hb syncproto.Heartbeat) {
		t.Helper()
		hb.Version, hb.KioskID = 1, k.id
		if status, body := e.do(k.signed(syncproto.PathHeartbeat, k.id, hb, false)); status != 200 {
			t.Fatalf("heartbeat: %d %s", status, body)
		}
	}
	beat(quiet, syncproto.Heartbeat{QueueDepth: 1})
	// busy beats three times in two hours; quarantine on the last.
	beat(busy, syncproto.Heartbeat{QueueDepth: 5})
	e.now = e.now.Add(30 * time.Minute)
	beat(busy, syncproto.Heartbeat{QueueDepth: 6})
	e.now = e.now.Add(time.Hour)
	beat(busy, syncproto.Heartbeat{QueueDepth: 7, Quarantined: 2})
	// quiet has not been heard for 90 minutes: amber; busy is amber for its
	// quarantine, and more recently seen, so quiet comes first.
	status, body := e.op("GET", "/v1/operator/fleet", nil)
	if status != 200 {
		t.Fatalf("%d %s", status, body)
	}
	var fleet []city.KioskHealth
	if err := json.Unmarshal(body, &fleet); err != nil {
		t.Fatal(err)
	}
	if len(fleet) != 2 || fleet[0].Kiosk.ID != quiet.id || fleet[0].Level != city.LevelAmber || fleet[1].Kiosk.ID != busy.id ||
		fleet[1].Level != city.LevelAmber || fleet[1].Alerts[0].Signal != city.SignalQuarantine {
		t.Fatalf("fleet %s", body)
	}

	status, body = e.op("GET", "/v1/operator/kiosks/"+busy.id+"/heartbeats", nil)
	if status != 200 {
		t.Fatalf("%d %s", status, body)
	}
	var hist []city.HeartbeatSample
	json.Unmarshal(body, &hist)
	if len(hist) != 2 || hist[0].Heartbeat.QueueDepth != 6 || hist[1].Heartbeat.QueueDepth != 7 {
		t.Fatalf("history %s; want the 03:30 and 04:30 beats", body)
	}
	if status, _ := e.op("GET", "/v1/operator/kiosks/K9999/heartbeats", nil); status != 404 {
		t.Errorf("unknown kiosk: %d", status)
	}
	req, _ := http.NewRequest("GET", e.http.URL+"/v1/operator/fleet", nil)
	if status, _ := e.do(req); status != 401 {
		t.Errorf("fleet without a token: %d", status)
	}

	req, _ = http.NewRequest("GET", e.metrics.URL+"/metrics", nil)
	_, metrics := e.do(req)
	for _, want := range []string{
		`cityd_kiosk_level{kiosk="` + quiet.id + `",commune="00004"} 1`,
		`cityd_kiosk_alert{kiosk="` + quiet.id + `",commune="00004",signal="silent",level="amber"} 1`,
		`cityd_kiosk_alert{kiosk="` + busy.id + `",commune="00008",signal="quarantine",level="amber"} 1`,
		`cityd_kiosk_quarantined{kiosk="` + busy.id + `",commune="00008"} 2`,
		`cityd_kiosk_silence_seconds{kiosk="` + quiet.id + `",commune="00004"} 5400`,
	} {
		if !strings.Contains(string(metrics), want+"\n") {
			t.Errorf("metrics lack %q", want)
		}
	}
}

// The fleet counts working days with the back office's calendar: a
// holiday the admins set keeps a kiosk quiet since Friday amber on Monday.
func TestFleetUsesTheCityCalendar(t *testing.T) {
	e := officeEnv(t)
	k := e.enrol("00004")
	e.now = time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC) // Friday 16:00 in Hà Nội
	if status, body := e.do(k.signed(syncproto.PathHeartbeat, k.id, syncproto.Heartbeat{Version: 1, KioskID: k.id}, false)); status != 200 {
		t.Fatalf("%d %s", status, body)
	}
	level := func() city.Level {
		t.Helper()
		fleet, err := e.srv.Fleet(t.Context())
		if err != nil || len(fleet) != 1 {
			t.Fatalf("%+v %v", fleet, err)
		}
		return fleet[0].Level
	}
	e.now = time.Date(2026, 11, 30, 9, 30, 0, 0, time.UTC) // Monday 16:30
	if l := level(); l != city.LevelRed {
		t.Fatalf("Monday 16:30 without a holiday: %s, want red", l)
	}
	if err := e.store.PutCalendarDay(t.Context(), city.CalendarDay{Date: "2026-11-30", Kind: city.DayHoliday, Note: "test"}); err != nil {
		t.Fatal(err)
	}
	if l := level(); l != city.LevelAmber {
		t.Fatalf("Monday 16:30, a holiday: %s, want amber", l)
	}
}
