package city

import (
	"fmt"

	"communekiosk/kiosk"
)

// exportText holds the words of what the city writes outside its pages:
// the fleet page's alerts (with fmt verbs, filled in each language), the
// report's export columns and sheets, and the notes a status carries to
// the kiosk. They join officeText, so tr and the tests see them.
var exportText = map[string][2]string{
	// Fleet alerts. %[n] keeps each language's word order.
	"alert_silent_days":  {"Không liên lạc từ %s (quá %d ngày làm việc)", "Not heard from since %s (over %d working day(s))"},
	"alert_silent":       {"Không liên lạc %s", "Not heard from for %s"},
	"alert_oldest":       {"Hồ sơ chưa gửi lâu nhất đã chờ %s (%d hồ sơ trong hàng đợi)", "The oldest unsent request has waited %s (%d queued)"},
	"alert_quarantine":   {"%d hồ sơ bị cách ly, cán bộ xã cần xem", "%d request(s) in quarantine for the commune staff to look at"},
	"alert_disk_percent": {"Ổ đĩa chỉ còn trống %.1f %%", "Only %.1f %% of the disk is free"},
	"alert_disk_mib":     {"Ổ đĩa chỉ còn trống %d MiB", "Only %d MiB of disk is free"},
	"alert_clock":        {"Đồng hồ của ki-ốt %[1]s %[2]s", "The kiosk clock is %[2]s %[1]s"},
	"clock_behind":       {"chậm", "behind"},
	"clock_ahead":        {"nhanh", "ahead"},
	"unit_s":             {"giây", "s"},
	"unit_min":           {"phút", "min"},
	"unit_h":             {"giờ", "h"},
	"unit_days":          {"ngày", "days"},

	// The report's export columns (Biểu 06's where one applies), rows and
	// sheets ("x": the exports', apart from the report page's words).
	"xcol_received":         {"Tiếp nhận mới", "Received"},
	"xcol_received_sync":    {"Qua đồng bộ ki-ốt", "By kiosk sync"},
	"xcol_received_usb":     {"Qua USB", "By USB import"},
	"xcol_carried_over":     {"Từ kỳ trước", "Carried over"},
	"xcol_done":             {"Đã giải quyết", "Done"},
	"xcol_done_on_time":     {"Đúng hạn", "Done on time"},
	"xcol_done_late":        {"Quá hạn", "Done late"},
	"xcol_refused":          {"Từ chối", "Refused"},
	"xcol_not_accepted":     {"Không tiếp nhận", "Not accepted"},
	"xcol_withdrawn":        {"Rút hồ sơ", "Withdrawn"},
	"xcol_in_progress":      {"Đang giải quyết", "In progress"},
	"xcol_in_progress_ok":   {"Đang giải quyết trong hạn", "In progress on time"},
	"xcol_in_progress_late": {"Đang giải quyết quá hạn", "In progress late"},
	"xcol_success_rate":     {"Tỷ lệ thành công", "Success rate"},
	"xcol_kiosk_share":      {"Tỷ lệ qua ki-ốt", "Kiosk share"},
	"xcol_ratings":          {"Số lượt đánh giá", "Ratings"},
	"xcol_satisfied_share":  {"Tỷ lệ hài lòng", "Satisfied share"},
	"xcol_commune_code":     {"Mã đơn vị", "code"},
	"xcol_commune":          {"Đơn vị", "commune"},
	"xcol_service":          {"Dịch vụ", "service"},
	"xcol_service_code":     {"Mã dịch vụ", "service"},
	"xcol_service_name":     {"Dịch vụ", "name"},
	"xrow_all":              {"Tất cả", "all"},
	"xrow_city_total":       {"Toàn thành phố", "city total"},
	"sheet_communes":        {"Xã phường", "Communes"},
	"sheet_services":        {"Dịch vụ", "Services"},
	"sheet_cells":           {"Xã × dịch vụ", "Communes × services"},
	"sheet_title":           {"Báo cáo kết quả tiếp nhận, giải quyết hồ sơ qua ki-ốt", "uptake report"},

	// Notes a status carries to the kiosk's lookup.
	"note_apology":  {"Xin lỗi, hẹn lại ngày trả kết quả: %s. Lý do: %s", "Sorry: the result is now due on %s. Reason: %s"},
	"note_due":      {"Hẹn trả kết quả", "Due"},
	"note_tracking": {"Số hiệu bưu gửi", "Tracking"},
}

func init() {
	for k, v := range exportText {
		if _, dup := officeText[k]; dup {
			panic("city: office word " + k + " defined twice")
		}
		officeText[k] = v
	}
}

// text is the catalogue's words for key in both languages. It reads
// exportText itself: package variables (the export columns) are set
// before init merges it into officeText.
func text(key string) kiosk.Text {
	if t, ok := exportText[key]; ok {
		return kiosk.Text{VI: t[0], EN: t[1]}
	}
	return kiosk.Text{VI: tr("vi", key), EN: tr("en", key)}
}

// textf fills the catalogue's words for key in each language with that
// language's arguments (a duration, say, is said in words of each).
func textf(key string, args func(lang string) []any) kiosk.Text {
	return kiosk.Text{VI: fmt.Sprintf(tr("vi", key), args("vi")...), EN: fmt.Sprintf(tr("en", key), args("en")...)}
}

// both is the words for key as "Vietnamese (English)", for the exports'
// heads, read by people of either language.
func both(key string) string { return tr("vi", key) + " (" + tr("en", key) + ")" }
