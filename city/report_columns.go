package city

import "communekiosk/kiosk"

// reportColumn is one figure column of the exports, Biểu 06's where one
// applies (docs/reports.md).
type reportColumn struct {
	head kiosk.Text
	// value is the count; rate columns give a share in [0, 1] and ok
	// false when there is none.
	value func(f Figures) (v float64, ok bool)
	rate  bool
}

func count(n func(Figures) int) func(Figures) (float64, bool) {
	return func(f Figures) (float64, bool) { return float64(n(f)), true }
}

func share(p func(Figures) *float64) func(Figures) (float64, bool) {
	return func(f Figures) (float64, bool) {
		if v := p(f); v != nil {
			return *v, true
		}
		return 0, false
	}
}

var reportColumns = []reportColumn{
	{head: text("xcol_received"), value: count(func(f Figures) int { return f.Received })},
	{head: text("xcol_received_sync"), value: count(func(f Figures) int { return f.ReceivedSync })},
	{head: text("xcol_received_usb"), value: count(func(f Figures) int { return f.ReceivedUSB })},
	{head: text("xcol_carried_over"), value: count(func(f Figures) int { return f.CarriedOver })},
	{head: text("xcol_done"), value: count(func(f Figures) int { return f.Done })},
	{head: text("xcol_done_on_time"), value: count(func(f Figures) int { return f.DoneOnTime })},
	{head: text("xcol_done_late"), value: count(func(f Figures) int { return f.DoneLate })},
	{head: text("xcol_refused"), value: count(func(f Figures) int { return f.Refused })},
	{head: text("xcol_not_accepted"), value: count(func(f Figures) int { return f.NotAccepted })},
	{head: text("xcol_withdrawn"), value: count(func(f Figures) int { return f.Withdrawn })},
	{head: text("xcol_in_progress"), value: count(func(f Figures) int { return f.InProgress })},
	{head: text("xcol_in_progress_ok"), value: count(func(f Figures) int { return f.InProgressOnTime })},
	{head: text("xcol_in_progress_late"), value: count(func(f Figures) int { return f.InProgressLate })},
	{head: text("xcol_success_rate"), value: share(func(f Figures) *float64 { return f.SuccessRate }), rate: true},
	{head: text("xcol_kiosk_share"), value: share(func(f Figures) *float64 { return f.KioskShare }), rate: true},
}

// satisfactionColumns follow the figures on commune rows.
var satisfactionColumns = []struct {
	head  kiosk.Text
	value func(SatisfactionFigures) (float64, bool)
	rate  bool
}{
	{text("xcol_ratings"), func(s SatisfactionFigures) (float64, bool) { return float64(s.Responses), true }, false},
	{text("xcol_satisfied_share"), func(s SatisfactionFigures) (float64, bool) {
		if s.SatisfiedShare == nil {
			return 0, false
		}
		return *s.SatisfiedShare, true
	}, true},
}
