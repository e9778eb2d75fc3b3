package kiosk

import "time"

// sameDayCutoff is the hour after which a request counts as received on the
// next working day (15:00, per the procedure of 2.000635).
const sameDayCutoff = 15

// ExpectedDate is the day the result is expected, for the receipt: the
// request counts as received on created's date in Viet Nam, or on the next
// working day if it came on a weekend or after 15:00. A service with
// ProcessingDays ≤ 1 is ready that same working day; one with N > 1 working
// days is ready N working days after it (the day of receipt not counted).
// Weekends are skipped; public holidays are not known to the kiosk, so the
// city's status updates have the last word. The result is midnight of that
// day in Asia/Ho_Chi_Minh.
func ExpectedDate(svc Service, created time.Time) time.Time {
	t := created.In(vnZone)
	day := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, vnZone)
	if !workingDay(day) || t.Hour() >= sameDayCutoff {
		day = nextWorkingDay(day)
	}
	if svc.ProcessingDays > 1 {
		for range svc.ProcessingDays {
			day = nextWorkingDay(day)
		}
	}
	return day
}

func workingDay(d time.Time) bool {
	wd := d.Weekday()
	return wd != time.Saturday && wd != time.Sunday
}

func nextWorkingDay(d time.Time) time.Time {
	for {
		d = d.AddDate(0, 0, 1)
		if workingDay(d) {
			return d
		}
	}
}
