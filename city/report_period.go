package city

import (
	"fmt"
	"time"

	"communekiosk/kiosk"
)

// Period is a reporting period [From, To), bounds at midnight in
// Asia/Ho_Chi_Minh.
type Period struct {
	From  time.Time `json:"from"`
	To    time.Time `json:"to"`
	Kind  string    `json:"kind"`  // month, cutoff, range
	Label string    `json:"label"` // e.g. "11/2026", "15/10/2026 – 14/11/2026"
}

// Period kinds.
const (
	PeriodMonth  = "month"  // calendar month
	PeriodCutoff = "cutoff" // the 15th of the month before to the 14th (NĐ 09/2019)
	PeriodRange  = "range"  // any range of whole days
)

func vnDate(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 0, 0, 0, 0, kiosk.VietnamZone())
}

// MonthPeriod is the calendar month.
func MonthPeriod(year int, month time.Month) Period {
	from := vnDate(year, month, 1)
	return Period{From: from, To: from.AddDate(0, 1, 0), Kind: PeriodMonth, Label: from.Format("01/2006")}
}

// CutoffPeriod is the reporting month of NĐ 09/2019: from the 15th of the
// month before to the 14th of month, inclusive.
func CutoffPeriod(year int, month time.Month) Period {
	to := vnDate(year, month, 15)
	from := to.AddDate(0, -1, 0)
	return Period{From: from, To: to, Kind: PeriodCutoff,
		Label: fmt.Sprintf("%s – %s", from.Format("02/01/2006"), to.AddDate(0, 0, -1).Format("02/01/2006"))}
}

// RangePeriod is the days first to last (YYYY-MM-DD), both included.
func RangePeriod(first, last string) (Period, error) {
	from, err := kiosk.ParseDate(first)
	if err != nil {
		return Period{}, fmt.Errorf("city: period start: %w", err)
	}
	end, err := kiosk.ParseDate(last)
	if err != nil {
		return Period{}, fmt.Errorf("city: period end: %w", err)
	}
	if end.Before(from) {
		return Period{}, fmt.Errorf("city: period ends (%s) before it starts (%s)", last, first)
	}
	if end.Sub(from) > 10*366*24*time.Hour {
		return Period{}, fmt.Errorf("city: period longer than ten years")
	}
	return Period{From: from, To: end.AddDate(0, 0, 1), Kind: PeriodRange,
		Label: fmt.Sprintf("%s – %s", from.Format("02/01/2006"), end.Format("02/01/2006"))}, nil
}

// ParsePeriod reads a period as the report's URL gives it: kind "month" or
// "cutoff" with month "YYYY-MM"; kind "range" with from and to dates. An
// empty kind is a calendar month; an empty month is now's.
func ParsePeriod(kind, month, from, to string, now time.Time) (Period, error) {
	if kind == PeriodRange {
		return RangePeriod(from, to)
	}
	local := now.In(kiosk.VietnamZone())
	y, m := local.Year(), local.Month()
	if month != "" {
		t, err := time.ParseInLocation("2006-01", month, kiosk.VietnamZone())
		if err != nil {
			return Period{}, fmt.Errorf("city: month %q is not YYYY-MM", month)
		}
		y, m = t.Year(), t.Month()
	}
	switch kind {
	case "", PeriodMonth:
		return MonthPeriod(y, m), nil
	case PeriodCutoff:
		if month == "" && local.Day() >= 15 {
			// Today belongs to the reporting month that ends next month.
			next := vnDate(y, m, 1).AddDate(0, 1, 0)
			y, m = next.Year(), next.Month()
		}
		return CutoffPeriod(y, m), nil
	}
	return Period{}, fmt.Errorf("city: period kind %q: want month, cutoff or range", kind)
}
