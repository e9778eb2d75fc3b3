package syncproto

import (
	"errors"
	"strings"
	"testing"
)

func TestHeartbeatCheck(t *testing.T) {
	ok := Heartbeat{Version: 1, KioskID: "K0001", QueueDepth: 3, OldestUnsentSecs: 60, Quarantined: 1, ClockSkewSecs: -30,
		FreeDiskBytes: 1 << 30, DiskBytes: 8 << 30, AppVersion: "1.2.3", CatalogueVersion: "2026.11.1"}
	if err := ok.Check(); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		change func(*Heartbeat)
	}{
		{"negative queue depth", func(h *Heartbeat) { h.QueueDepth = -1 }},
		{"absurd queue depth", func(h *Heartbeat) { h.QueueDepth = MaxHeartbeatCount + 1 }},
		{"negative quarantined", func(h *Heartbeat) { h.Quarantined = -5 }},
		{"negative oldest unsent", func(h *Heartbeat) { h.OldestUnsentSecs = -1 }},
		{"oldest unsent over a century", func(h *Heartbeat) { h.OldestUnsentSecs = MaxHeartbeatSeconds + 1 }},
		{"clock skew over a century", func(h *Heartbeat) { h.ClockSkewSecs = -MaxHeartbeatSeconds - 1 }},
		{"free disk over the disk", func(h *Heartbeat) { h.FreeDiskBytes = h.DiskBytes + 1 }},
		{"50 kB version", func(h *Heartbeat) { h.AppVersion = strings.Repeat("x", 50_000) }},
		{"version with a newline", func(h *Heartbeat) { h.AppVersion = "1.0\n<script>" }},
		{"catalogue not UTF-8", func(h *Heartbeat) { h.CatalogueVersion = "\xff\xfe" }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := ok
			tc.change(&h)
			if err := h.Check(); !errors.Is(err, ErrHeartbeatField) {
				t.Fatalf("Check() = %v; want ErrHeartbeatField", err)
			}
		})
	}
	// Unknown disk size (older kiosks): free disk alone is fine.
	h := ok
	h.DiskBytes = 0
	if err := h.Check(); err != nil {
		t.Fatal(err)
	}
}

// FuzzHeartbeatCheck: a heartbeat that decodes and passes Check has every
// count in bounds and every label short and printable.
func FuzzHeartbeatCheck(f *testing.F) {
	seed(f, "heartbeat.json")
	f.Add([]byte(`{"version":1,"kiosk_id":"K1","queue_depth":-1}`))
	f.Add([]byte(`{"version":1,"kiosk_id":"K1","app_version":"` + strings.Repeat("v", 100) + `"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		h, err := DecodeHeartbeat(data)
		if err != nil {
			return
		}
		if h.Check() != nil {
			return
		}
		if h.QueueDepth < 0 || h.Quarantined < 0 || h.OldestUnsentSecs < 0 || len(h.AppVersion) > MaxHeartbeatLabel ||
			len(h.CatalogueVersion) > MaxHeartbeatLabel || len(h.KioskID) > MaxHeartbeatLabel || strings.ContainsAny(h.AppVersion+h.CatalogueVersion, "\n\r\x00") {
			t.Fatalf("passed Check: %+v", h)
		}
	})
}
