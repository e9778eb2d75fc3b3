package kiosk

import (
	"fmt"
	"time"
)

// OfficeHours are the hours the commune hall is open on a working day, in
// Viet Nam time ("HH:MM", Open before Close). The kiosk syncs more eagerly
// then: citizens and staff are there.
type OfficeHours struct {
	Open  string `json:"open"`
	Close string `json:"close"`
}

// DefaultOfficeHours are the usual hours of a commune's one-stop desk,
// used when the catalogue names none.
var DefaultOfficeHours = OfficeHours{Open: "07:30", Close: "17:00"}

// clockMinutes parses "HH:MM" into minutes after midnight.
func clockMinutes(s string) (int, error) {
	t, err := time.Parse("15:04", s)
	if err != nil || len(s) != 5 {
		return 0, fmt.Errorf("%q is not HH:MM", s)
	}
	return t.Hour()*60 + t.Minute(), nil
}

func (h OfficeHours) check() error {
	open, err := clockMinutes(h.Open)
	if err != nil {
		return fmt.Errorf("office_hours.open: %w", err)
	}
	closing, err := clockMinutes(h.Close)
	if err != nil {
		return fmt.Errorf("office_hours.close: %w", err)
	}
	if open >= closing {
		return fmt.Errorf("office_hours: opens at %s, not before it closes at %s", h.Open, h.Close)
	}
	return nil
}

// InOfficeHours reports whether t falls on a working day (not a weekend
// nor one of the catalogue's holidays) within the catalogue's office hours
// (DefaultOfficeHours when it names none), in Viet Nam time.
func (c *Catalogue) InOfficeHours(t time.Time) bool {
	h := DefaultOfficeHours
	var holidays []string
	if c != nil {
		holidays = c.Holidays
		if c.OfficeHours != nil {
			h = *c.OfficeHours
		}
	}
	v := t.In(vnZone)
	if !workingDay(time.Date(v.Year(), v.Month(), v.Day(), 0, 0, 0, 0, vnZone), holidays) {
		return false
	}
	open, err1 := clockMinutes(h.Open)
	closing, err2 := clockMinutes(h.Close)
	if err1 != nil || err2 != nil {
		return false
	}
	m := v.Hour()*60 + v.Minute()
	return m >= open && m < closing
}
