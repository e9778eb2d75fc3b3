package kiosk

import (
	"fmt"
	"time"
)

// vnZone is Asia/Ho_Chi_Minh. Viet Nam has kept UTC+7 without daylight
// saving since 1975, so a fixed zone is exact and needs no tz database on
// the kiosk.
var vnZone = time.FixedZone("ICT", 7*60*60)

// VietnamZone returns the time zone dates are compared in (UTC+7).
func VietnamZone() *time.Location { return vnZone }

// ParseDate reads a YYYY-MM-DD calendar date as midnight in Viet Nam. It
// rejects dates that do not exist (2026-02-30).
func ParseDate(s string) (time.Time, error) {
	if len(s) != 10 {
		return time.Time{}, fmt.Errorf("kiosk: date %q is not YYYY-MM-DD", s)
	}
	t, err := time.ParseInLocation(time.DateOnly, s, vnZone)
	if err != nil {
		return time.Time{}, fmt.Errorf("kiosk: date %q: %w", s, err)
	}
	return t, nil
}

// LocalDate returns t's calendar date in Viet Nam as YYYY-MM-DD.
func LocalDate(t time.Time) string { return t.In(vnZone).Format(time.DateOnly) }
