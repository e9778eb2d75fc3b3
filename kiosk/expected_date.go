package kiosk

import (
	"slices"
	"time"
)

// sameDayCutoff is the hour after which a request counts as received on the
// next working day (15:00, per the procedure of 2.000635).
const sameDayCutoff = 15

// ExpectedDate is the day the result is expected, for the receipt: the
// request counts as received on created's date in Viet Nam, or on the next
// working day if it came on a weekend or after 15:00. A service with
// ProcessingDays ≤ 1 is ready that same working day; one with N > 1 working
// days is ready N working days after it (the day of receipt not counted).
// Weekends are skipped, and nothing else: use (*Catalogue).ExpectedDate to
// skip the catalogue's public holidays too. The city's status updates have
// the last word. The result is midnight of that day in Asia/Ho_Chi_Minh.
func ExpectedDate(svc Service, created time.Time) time.Time {
	return expectedDate(svc, created, nil)
}

// ExpectedDate is ExpectedDate that also skips the catalogue's holidays.
func (c *Catalogue) ExpectedDate(svc Service, created time.Time) time.Time {
	if c == nil {
		return expectedDate(svc, created, nil)
	}
	return expectedDate(svc, created, c.Holidays)
}

func expectedDate(svc Service, created time.Time, holidays []string) time.Time {
	t := created.In(vnZone)
	day := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, vnZone)
	if !workingDay(day, holidays) || t.Hour() >= sameDayCutoff {
		day = nextWorkingDay(day, holidays)
	}
	if svc.ProcessingDays > 1 {
		for range svc.ProcessingDays {
			day = nextWorkingDay(day, holidays)
		}
	}
	return day
}

// workingDay: not a Saturday, Sunday or holiday (holidays sorted).
func workingDay(d time.Time, holidays []string) bool {
	wd := d.Weekday()
	if wd == time.Saturday || wd == time.Sunday {
		return false
	}
	_, holiday := slices.BinarySearch(holidays, d.Format(time.DateOnly))
	return !holiday
}

func nextWorkingDay(d time.Time, holidays []string) time.Time {
	// At most a few weeks of closures in a row; the bound keeps a broken
	// list from looping forever.
	for range 366 {
		d = d.AddDate(0, 0, 1)
		if workingDay(d, holidays) {
			return d
		}
	}
	return d
}
