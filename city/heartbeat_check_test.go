package city_test

import (
	"strings"
	"testing"

	"communekiosk/sync/syncproto"
)

// A heartbeat with a field out of bounds (a negative queue depth, a 50 kB
// version) is refused with 400 and nothing of it is stored or shown.
func TestHeartbeatFieldsChecked(t *testing.T) {
	e := newEnv(t)
	k := e.enrol("00004")
	for name, hb := range map[string]syncproto.Heartbeat{
		"negative queue depth": {QueueDepth: -4},
		"negative quarantined": {Quarantined: -1},
		"50 kB version":        {AppVersion: strings.Repeat("1", 50_000)},
		"version with markup":  {AppVersion: "1.0\n<b>x</b>"},
	} {
		hb.Version, hb.KioskID = 1, k.id
		status, body := e.do(k.signed(syncproto.PathHeartbeat, k.id, hb, false))
		if env, _ := syncproto.DecodeError(body); status != 400 || env.Code != "bad_request" || !strings.Contains(env.Message, "heartbeat field") {
			t.Errorf("%s: %d %s; want 400", name, status, body)
		}
	}
	if got, _ := e.store.Kiosk(t.Context(), k.id); got.LastHeartbeat != nil {
		t.Fatalf("a refused heartbeat was stored: %+v", got.LastHeartbeat)
	}
	if status, body := e.do(k.signed(syncproto.PathHeartbeat, k.id, syncproto.Heartbeat{Version: 1, KioskID: k.id, QueueDepth: 2, AppVersion: "1.0.0"}, false)); status != 200 {
		t.Fatalf("a good heartbeat: %d %s", status, body)
	}
}
