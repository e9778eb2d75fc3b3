package city_test

import (
	"slices"
	"testing"
	"time"

	"communekiosk/city"
	"communekiosk/kiosk"
	"communekiosk/sync/syncproto"
)

// friday16 is Friday 27 November 2026, 16:00 in Hà Nội.
var friday16 = time.Date(2026, 11, 27, 16, 0, 0, 0, kiosk.VietnamZone())

func seen(n uint32, at time.Time, hb syncproto.Heartbeat) city.Kiosk {
	return city.Kiosk{ID: "K" + string(rune('0'+n)), Number: n, Commune: "00004", EnrolledAt: at.Add(-720 * time.Hour),
		LastHeartbeat: &hb, LastHeartbeatAt: at}
}

func signals(h city.KioskHealth) []string {
	var out []string
	for _, a := range h.Alerts {
		out = append(out, a.Signal+":"+string(a.Level))
	}
	return out
}

func TestAssessFleetRules(t *testing.T) {
	gib := uint64(1 << 30)
	healthy := syncproto.Heartbeat{FreeDiskBytes: 50 * gib, DiskBytes: 100 * gib}
	with := func(f func(*syncproto.Heartbeat)) syncproto.Heartbeat { hb := healthy; f(&hb); return hb }
	tests := []struct {
		name  string
		k     city.Kiosk
		now   time.Time
		th    city.FleetThresholds
		level city.Level
		want  []string
	}{
		{"healthy", seen(1, friday16, healthy), friday16.Add(10 * time.Minute), city.FleetThresholds{}, city.LevelOK, nil},
		{"quiet an hour is amber", seen(1, friday16, healthy), friday16.Add(61 * time.Minute), city.FleetThresholds{}, city.LevelAmber, []string{"silent:amber"}},
		// Friday 16:00 → Monday 15:59 is less than a working day.
		{"weekend does not count", seen(1, friday16, healthy), friday16.Add(72*time.Hour - time.Minute), city.FleetThresholds{}, city.LevelAmber, []string{"silent:amber"}},
		{"a working day silent is red", seen(1, friday16, healthy), friday16.Add(72 * time.Hour), city.FleetThresholds{}, city.LevelRed, []string{"silent:red"}},
		{"a holiday Monday does not count", seen(1, friday16, healthy), friday16.Add(72 * time.Hour),
			city.FleetThresholds{WorkingDay: func(d time.Time) bool {
				return d.Weekday() != time.Saturday && d.Weekday() != time.Sunday && d.Day() != 30
			}},
			city.LevelAmber, []string{"silent:amber"}},
		{"two working days setting", seen(1, friday16, healthy), friday16.Add(72 * time.Hour), city.FleetThresholds{SilentWorkingDays: 2}, city.LevelAmber, []string{"silent:amber"}},
		{"never heard since enrolment", city.Kiosk{ID: "K9", Number: 9, EnrolledAt: friday16}, friday16.Add(96 * time.Hour), city.FleetThresholds{}, city.LevelRed, []string{"silent:red"}},
		{"oldest unsent 4h is fine", seen(1, friday16, with(func(h *syncproto.Heartbeat) { h.OldestUnsentSecs = 4 * 3600 })), friday16, city.FleetThresholds{}, city.LevelOK, nil},
		{"oldest unsent over 4h", seen(1, friday16, with(func(h *syncproto.Heartbeat) { h.OldestUnsentSecs = 4*3600 + 1 })), friday16, city.FleetThresholds{}, city.LevelRed, []string{"oldest_unsent:red"}},
		{"oldest unsent threshold setting", seen(1, friday16, with(func(h *syncproto.Heartbeat) { h.OldestUnsentSecs = 4*3600 + 1 })), friday16, city.FleetThresholds{OldestUnsent: 5 * time.Hour}, city.LevelOK, nil},
		{"quarantine", seen(1, friday16, with(func(h *syncproto.Heartbeat) { h.Quarantined = 1 })), friday16, city.FleetThresholds{}, city.LevelAmber, []string{"quarantine:amber"}},
		{"disk 10 % is fine", seen(1, friday16, with(func(h *syncproto.Heartbeat) { h.FreeDiskBytes = 10 * gib })), friday16, city.FleetThresholds{}, city.LevelOK, nil},
		{"disk under 10 %", seen(1, friday16, with(func(h *syncproto.Heartbeat) { h.FreeDiskBytes = 10*gib - 1 })), friday16, city.FleetThresholds{}, city.LevelRed, []string{"disk:red"}},
		{"disk size unknown, 1 GiB free", seen(1, friday16, with(func(h *syncproto.Heartbeat) { h.FreeDiskBytes, h.DiskBytes = gib, 0 })), friday16, city.FleetThresholds{}, city.LevelOK, nil},
		{"disk size unknown, under 1 GiB free", seen(1, friday16, with(func(h *syncproto.Heartbeat) { h.FreeDiskBytes, h.DiskBytes = gib-1, 0 })), friday16, city.FleetThresholds{}, city.LevelRed, []string{"disk:red"}},
		{"free disk unknown", seen(1, friday16, with(func(h *syncproto.Heartbeat) { h.FreeDiskBytes, h.DiskBytes = 0, 0 })), friday16, city.FleetThresholds{}, city.LevelOK, nil},
		{"skew 5 min is fine", seen(1, friday16, with(func(h *syncproto.Heartbeat) { h.ClockSkewSecs = -300 })), friday16, city.FleetThresholds{}, city.LevelOK, nil},
		{"skew behind", seen(1, friday16, with(func(h *syncproto.Heartbeat) { h.ClockSkewSecs = 301 })), friday16, city.FleetThresholds{}, city.LevelAmber, []string{"clock_skew:amber"}},
		{"skew ahead", seen(1, friday16, with(func(h *syncproto.Heartbeat) { h.ClockSkewSecs = -301 })), friday16, city.FleetThresholds{}, city.LevelAmber, []string{"clock_skew:amber"}},
		{"everything at once", seen(1, friday16, syncproto.Heartbeat{OldestUnsentSecs: 86400, Quarantined: 2, ClockSkewSecs: 900, FreeDiskBytes: 1, DiskBytes: 100}),
			friday16.Add(96 * time.Hour), city.FleetThresholds{}, city.LevelRed,
			[]string{"silent:red", "oldest_unsent:red", "quarantine:amber", "disk:red", "clock_skew:amber"}},
		{"revoked has no alerts", func() city.Kiosk {
			k := seen(1, friday16, syncproto.Heartbeat{Quarantined: 3})
			k.Revoked = true
			return k
		}(),
			friday16.Add(96 * time.Hour), city.FleetThresholds{}, city.LevelRevoked, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := city.AssessFleet([]city.Kiosk{tt.k}, tt.now, tt.th)
			if len(got) != 1 {
				t.Fatalf("%d results", len(got))
			}
			if got[0].Level != tt.level || !slices.Equal(signals(got[0]), tt.want) {
				t.Errorf("level %s alerts %v; want %s %v", got[0].Level, signals(got[0]), tt.level, tt.want)
			}
			for _, a := range got[0].Alerts {
				if a.Message.VI == "" || a.Message.EN == "" {
					t.Errorf("alert %s without words: %+v", a.Signal, a.Message)
				}
			}
		})
	}
}

func TestAssessFleetWorstFirst(t *testing.T) {
	now := friday16.Add(30 * time.Minute)
	ok := seen(1, friday16.Add(20*time.Minute), syncproto.Heartbeat{})
	amberQuiet := seen(2, friday16.Add(-2*time.Hour), syncproto.Heartbeat{})
	amberQuieter := seen(3, friday16.Add(-3*time.Hour), syncproto.Heartbeat{})
	redOne := seen(4, friday16, syncproto.Heartbeat{OldestUnsentSecs: 5 * 3600})
	redTwo := seen(5, friday16, syncproto.Heartbeat{OldestUnsentSecs: 5 * 3600, FreeDiskBytes: 1, DiskBytes: 100})
	revoked := seen(6, friday16, syncproto.Heartbeat{})
	revoked.Revoked = true
	got := city.AssessFleet([]city.Kiosk{ok, revoked, amberQuiet, redOne, amberQuieter, redTwo}, now, city.FleetThresholds{})
	var order []uint32
	for _, h := range got {
		order = append(order, h.Kiosk.Number)
	}
	if want := []uint32{5, 4, 3, 2, 1, 6}; !slices.Equal(order, want) {
		t.Fatalf("order %v; want %v (red with more reds, red, amber quieter first, amber, ok, revoked)", order, want)
	}
}
