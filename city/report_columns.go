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
	{head: kiosk.Text{VI: "Tiếp nhận mới", EN: "Received"}, value: count(func(f Figures) int { return f.Received })},
	{head: kiosk.Text{VI: "Qua đồng bộ ki-ốt", EN: "By kiosk sync"}, value: count(func(f Figures) int { return f.ReceivedSync })},
	{head: kiosk.Text{VI: "Qua USB", EN: "By USB import"}, value: count(func(f Figures) int { return f.ReceivedUSB })},
	{head: kiosk.Text{VI: "Từ kỳ trước", EN: "Carried over"}, value: count(func(f Figures) int { return f.CarriedOver })},
	{head: kiosk.Text{VI: "Đã giải quyết", EN: "Done"}, value: count(func(f Figures) int { return f.Done })},
	{head: kiosk.Text{VI: "Đúng hạn", EN: "Done on time"}, value: count(func(f Figures) int { return f.DoneOnTime })},
	{head: kiosk.Text{VI: "Quá hạn", EN: "Done late"}, value: count(func(f Figures) int { return f.DoneLate })},
	{head: kiosk.Text{VI: "Từ chối", EN: "Refused"}, value: count(func(f Figures) int { return f.Refused })},
	{head: kiosk.Text{VI: "Không tiếp nhận", EN: "Not accepted"}, value: count(func(f Figures) int { return f.NotAccepted })},
	{head: kiosk.Text{VI: "Rút hồ sơ", EN: "Withdrawn"}, value: count(func(f Figures) int { return f.Withdrawn })},
	{head: kiosk.Text{VI: "Đang giải quyết", EN: "In progress"}, value: count(func(f Figures) int { return f.InProgress })},
	{head: kiosk.Text{VI: "Đang giải quyết trong hạn", EN: "In progress on time"}, value: count(func(f Figures) int { return f.InProgressOnTime })},
	{head: kiosk.Text{VI: "Đang giải quyết quá hạn", EN: "In progress late"}, value: count(func(f Figures) int { return f.InProgressLate })},
	{head: kiosk.Text{VI: "Tỷ lệ thành công", EN: "Success rate"}, value: share(func(f Figures) *float64 { return f.SuccessRate }), rate: true},
	{head: kiosk.Text{VI: "Tỷ lệ qua ki-ốt", EN: "Kiosk share"}, value: share(func(f Figures) *float64 { return f.KioskShare }), rate: true},
}

// satisfactionColumns follow the figures on commune rows.
var satisfactionColumns = []struct {
	head  kiosk.Text
	value func(SatisfactionFigures) (float64, bool)
	rate  bool
}{
	{kiosk.Text{VI: "Số lượt đánh giá", EN: "Ratings"}, func(s SatisfactionFigures) (float64, bool) { return float64(s.Responses), true }, false},
	{kiosk.Text{VI: "Tỷ lệ hài lòng", EN: "Satisfied share"}, func(s SatisfactionFigures) (float64, bool) {
		if s.SatisfiedShare == nil {
			return 0, false
		}
		return *s.SatisfiedShare, true
	}, true},
}
