package kiosk

import (
	"testing"
	"time"
)

func TestInOfficeHours(t *testing.T) {
	vn := VietnamZone()
	cat := &Catalogue{Holidays: []string{"2026-12-31"}}
	late := &Catalogue{OfficeHours: &OfficeHours{Open: "08:00", Close: "20:00"}}
	tests := []struct {
		name string
		cat  *Catalogue
		at   time.Time
		want bool
	}{
		{"Tuesday morning", cat, time.Date(2026, 12, 1, 9, 0, 0, 0, vn), true},
		{"at opening", cat, time.Date(2026, 12, 1, 7, 30, 0, 0, vn), true},
		{"before opening", cat, time.Date(2026, 12, 1, 7, 29, 0, 0, vn), false},
		{"at closing", cat, time.Date(2026, 12, 1, 17, 0, 0, 0, vn), false},
		{"Saturday", cat, time.Date(2026, 12, 5, 9, 0, 0, 0, vn), false},
		{"holiday", cat, time.Date(2026, 12, 31, 9, 0, 0, 0, vn), false},
		// 02:00 UTC is 09:00 in Ha Noi.
		{"UTC input", cat, time.Date(2026, 12, 1, 2, 0, 0, 0, time.UTC), true},
		{"catalogue's own hours", late, time.Date(2026, 12, 1, 19, 0, 0, 0, vn), true},
		{"nil catalogue, defaults", nil, time.Date(2026, 12, 1, 16, 59, 0, 0, vn), true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.cat.InOfficeHours(tc.at); got != tc.want {
				t.Fatalf("InOfficeHours(%v) = %v, want %v", tc.at, got, tc.want)
			}
		})
	}
}
