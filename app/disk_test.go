package app

import (
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
)

// TestDiskFull: a kiosk whose disk is under the floor says so before the
// citizen starts, refuses a submit in plain words, and raises a staff
// alarm; with space again it takes requests.
func TestDiskFull(t *testing.T) {
	var free atomic.Uint64
	free.Store(1 << 40)
	n, _ := newTestNodeWith(t, true, func(c *Config) {
		c.FreeSpace = func(string) (uint64, error) { return free.Load(), nil }
	})
	h := n.Handler(nil)

	free.Store(1 << 20)
	var st KioskState
	call(t, h, "/api/Kiosk/State", &st)
	if st.Ready || st.NotReady != NotReadyDiskFull || !st.Enrolled {
		t.Fatalf("state on a full disk: %+v", st)
	}
	var eb errBody
	if code := call(t, h, "/api/Requests/Submit", &eb, sampleDraft(t)); code != http.StatusServiceUnavailable || eb.Error.Code != CodeDiskFull {
		t.Fatalf("submit: %d %+v", code, eb.Error)
	}
	if words(t, eb.Error.Message).EN != "This kiosk cannot take requests right now, please ask the staff." || words(t, eb.Error.Message).VI == "" {
		t.Fatalf("words %+v", eb.Error.Message)
	}
	if c, _ := n.db.Counts(); c.Queued != 0 {
		t.Fatalf("stored on a full disk: %+v", c)
	}
	u, err := n.Staff.Unlock("2468")
	if err != nil {
		t.Fatal(err)
	}
	tok := u.Token
	o, err := n.Staff.Overview(tok)
	if err != nil {
		t.Fatal(err)
	}
	if !hasAlarm(t, o, "nearly full") {
		t.Fatalf("no disk alarm in %+v", o.Alarms)
	}
	if _, codes := n.kioskAlarms(); len(codes) != 1 || codes[0] != "disk_low" {
		t.Fatalf("heartbeat codes %v", codes)
	}
	// A backup that fails is shown to staff, not only logged.
	if _, err := n.db.Backup(t.Context(), ""); err == nil {
		t.Fatal("backup on a full disk")
	}
	if o, _ = n.Staff.Overview(tok); !hasAlarm(t, o, "could not be backed up") {
		t.Fatalf("no backup alarm in %+v", o.Alarms)
	}

	free.Store(1 << 40)
	st = KioskState{}
	call(t, h, "/api/Kiosk/State", &st)
	if !st.Ready || st.NotReady != "" {
		t.Fatalf("state with space again: %+v", st)
	}
	var rv ReceiptView
	if code := call(t, h, "/api/Requests/Submit", &rv, sampleDraft(t)); code != 200 || rv.Code == "" {
		t.Fatalf("submit with space: %d %+v", code, rv)
	}
	if _, err := n.db.Backup(t.Context(), ""); err != nil {
		t.Fatal(err)
	}
	if o, _ = n.Staff.Overview(tok); hasAlarm(t, o, "nearly full") || hasAlarm(t, o, "backed up") {
		t.Fatalf("alarms left: %+v", o.Alarms)
	}
}

func hasAlarm(t *testing.T, o Overview, said string) bool {
	t.Helper()
	for _, a := range o.Alarms {
		if w := words(t, a); strings.Contains(w.EN, said) && w.VI != "" {
			return true
		}
	}
	return false
}
