package city

import (
	"errors"
	"strconv"
)

// The words of the report, fleet and catalogue pages, Vietnamese first.
var reportText = map[string][2]string{
	"nav_report":              {"Báo cáo", "Report"},
	"nav_fleet":               {"Ki-ốt", "Kiosks"},
	"nav_catalogue":           {"Danh mục dịch vụ", "Catalogue"},
	"report_title":            {"Báo cáo kết quả tiếp nhận, giải quyết hồ sơ", "Uptake report"},
	"report_period":           {"Kỳ báo cáo", "Period"},
	"period_month":            {"Tháng dương lịch", "Calendar month"},
	"period_cutoff":           {"Kỳ từ ngày 15 tháng trước đến ngày 14", "15th of the month before to the 14th"},
	"period_range":            {"Từ ngày … đến ngày …", "Any range of days"},
	"report_month":            {"Tháng", "Month"},
	"report_show":             {"Xem báo cáo", "Show the report"},
	"report_note":             {"Chỉ có số liệu, không có thông tin cá nhân. Giờ Hà Nội (UTC+7).", "Counts only, no personal data. Hà Nội time (UTC+7)."},
	"report_totals":           {"Toàn bộ phạm vi", "Totals of your communes"},
	"report_no_request":       {"%d trong %d xã/phường chưa có hồ sơ nào trong kỳ.", "%d of %d communes had no request in the period."},
	"report_table":            {"Theo xã/phường (Biểu 06)", "By commune (Biểu 06)"},
	"report_services":         {"Theo thủ tục", "By service"},
	"report_none_list":        {"Xã/phường chưa có hồ sơ trong kỳ", "Communes with no request in the period"},
	"report_how":              {"Cách tính từng số: xem tài liệu báo cáo (docs/reports.md).", "How each figure is counted: see the reports document (docs/reports.md)."},
	"export_csv":              {"Tải CSV", "Download CSV"},
	"export_xlsx":             {"Tải Excel (XLSX)", "Download Excel (XLSX)"},
	"export_api":              {"JSON cho phần mềm khác:", "JSON for other software:"},
	"chart_communes":          {"Số hồ sơ tiếp nhận theo xã/phường", "Requests received per commune"},
	"chart_trend":             {"Số hồ sơ tiếp nhận theo tháng", "Requests received per month"},
	"chart_mix":               {"Tình trạng hồ sơ", "Status mix"},
	"chart_more":              {"và %d xã/phường khác có hồ sơ (xem bảng).", "and %d more communes with requests (see the table)."},
	"chart_none":              {"Chưa có hồ sơ trong kỳ.", "No request in the period."},
	"mix_done_on_time":        {"Đã giải quyết đúng hạn", "Done on time"},
	"mix_done_late":           {"Đã giải quyết quá hạn", "Done late"},
	"mix_refused":             {"Từ chối", "Refused"},
	"mix_not_accepted":        {"Không tiếp nhận", "Not accepted"},
	"mix_withdrawn":           {"Rút hồ sơ", "Withdrawn"},
	"mix_in_progress_on_time": {"Đang giải quyết trong hạn", "In progress, on time"},
	"mix_in_progress_late":    {"Đang giải quyết quá hạn", "In progress, late"},
	"rpt_received":            {"Tiếp nhận", "Received"},
	"rpt_total":               {"Tổng", "Total"},
	"rpt_sync":                {"Qua mạng", "By sync"},
	"rpt_usb":                 {"Qua USB", "By USB"},
	"rpt_carried":             {"Kỳ trước chuyển sang", "Carried over"},
	"rpt_done":                {"Đã giải quyết", "Done"},
	"rpt_on_time":             {"Đúng hạn", "On time"},
	"rpt_late":                {"Quá hạn", "Late"},
	"rpt_refused":             {"Từ chối", "Refused"},
	"rpt_not_accepted":        {"Không tiếp nhận", "Not accepted"},
	"rpt_withdrawn":           {"Rút hồ sơ", "Withdrawn"},
	"rpt_in_progress":         {"Đang giải quyết", "In progress"},
	"rpt_in_progress_late":    {"Đang giải quyết quá hạn", "In progress, late"},
	"rpt_success":             {"Tỷ lệ thành công", "Success rate"},
	"rpt_kiosk_share":         {"Tỷ lệ qua ki-ốt", "Kiosk share"},
	"rpt_satisfaction":        {"Mức hài lòng", "Satisfaction"},
	"rpt_ratings":             {"Lượt đánh giá", "Ratings"},
	"rpt_satisfied":           {"Hài lòng", "Satisfied"},
	"city_total":              {"Toàn phạm vi", "Total"},
	"fleet_title":             {"Ki-ốt của các xã/phường", "The communes' kiosks"},
	"fleet_note":              {"Xếp từ ki-ốt cần xem nhất. Đỏ: không liên lạc một ngày làm việc, hồ sơ chờ gửi quá 4 giờ, ổ đĩa dưới 10 %. Vàng: không liên lạc hơn 1 giờ, có hồ sơ cách ly, đồng hồ lệch quá 5 phút.", "Worst first. Red: not heard for a working day, a request waiting over 4 hours, disk under 10 %. Amber: not heard for over an hour, requests in quarantine, clock off by over 5 minutes."},
	"fleet_level":             {"Mức", "Level"},
	"level_red":               {"Đỏ", "Red"},
	"level_amber":             {"Vàng", "Amber"},
	"level_ok":                {"Tốt", "OK"},
	"level_revoked":           {"Đã thu hồi", "Revoked"},
	"fleet_kiosk":             {"Ki-ốt", "Kiosk"},
	"fleet_number":            {"số", "no."},
	"fleet_version":           {"Phiên bản", "Version"},
	"fleet_catalogue":         {"danh mục", "catalogue"},
	"fleet_last_seen":         {"Liên lạc lần cuối", "Last seen"},
	"fleet_never":             {"chưa liên lạc lần nào (tính từ khi đăng ký)", "never heard (counted from enrolment)"},
	"fleet_queue":             {"Chờ gửi", "Queued"},
	"fleet_oldest":            {"Chờ lâu nhất", "Oldest unsent"},
	"fleet_quarantine":        {"Cách ly", "Quarantine"},
	"fleet_skew":              {"Lệch đồng hồ", "Clock skew"},
	"fleet_disk":              {"Ổ đĩa trống", "Free disk"},
	"fleet_alerts":            {"Cảnh báo", "Alerts"},
	"fleet_kiosk_alarm":       {"Ki-ốt báo:", "The kiosk reports:"},
	"fleet_last_error":        {"Lần đồng bộ lỗi gần nhất:", "Last failed sync:"},
	"fleet_ago_fmt":           {"%s trước", "%s ago"},
	// The kiosk's sync error codes (its sync engine's), for the fleet page.
	"sync_err_unreachable":    {"không kết nối được tới máy chủ thành phố", "could not reach the city server"},
	"sync_err_timeout":        {"máy chủ thành phố không trả lời kịp", "the city server did not answer in time"},
	"sync_err_not_city":       {"mạng chặn kết nối (trang đăng nhập Wi-Fi?)", "the network was in the way (a Wi-Fi login page?)"},
	"sync_err_server_error":   {"máy chủ thành phố gặp lỗi", "the city server had a problem"},
	"sync_err_busy":           {"máy chủ thành phố bận, hẹn thử lại", "the city server was busy and asked to retry later"},
	"sync_err_too_large":      {"yêu cầu quá lớn cho máy chủ hoặc proxy", "a request too large for the server or a proxy"},
	"sync_err_unauthorized":   {"bị từ chối: ki-ốt cần đăng ký lại hoặc đã bị thu hồi", "refused: the kiosk must be enrolled again or was revoked"},
	"sync_err_replay":         {"đồng hồ ki-ốt bị lùi: cần đặt lại đồng hồ (cityd reset-clock)", "the kiosk's clock went back: reset its clock (cityd reset-clock)"},
	"sync_err_not_enrolled":   {"ki-ốt chưa đăng ký", "the kiosk is not enrolled"},
	"sync_err_refused":        {"máy chủ thành phố từ chối yêu cầu", "the city server refused the call"},
	"sync_err_protocol":       {"câu trả lời không đúng giao thức", "an answer outside the protocol"},
	"sync_err_store":          {"lỗi bộ nhớ của ki-ốt", "the kiosk's own store failed"},
	"fleet_trend":             {"Hàng đợi 30 ngày", "Queue, 30 days"},
	"fleet_trend_alt":         {"Hàng đợi 30 ngày qua: %d lần ghi theo giờ, cao nhất %d", "Queue over 30 days: %d hourly samples, at most %d"},
	"fleet_reset_clock":       {"Đặt lại đồng hồ", "Reset clock"},
	"fleet_revoke":            {"Thu hồi", "Revoke"},
	"fleet_revoked":           {"Đã thu hồi lúc", "Revoked at"},
	"fleet_none":              {"Chưa có ki-ốt nào.", "No kiosk yet."},
	"fleet_enrol":             {"Đăng ký ki-ốt mới", "Enrol a kiosk"},
	"fleet_city_url":          {"Địa chỉ máy chủ thành phố", "City server address"},
	"fleet_make_code":         {"Tạo mã đăng ký một lần", "Make a one-time code"},
	"fleet_offline":           {"Ki-ốt không có mạng: tệp cấu hình", "A kiosk without a network: provisioning file"},
	"fleet_make_file":         {"Tạo tệp cấu hình", "Make the provisioning file"},
	"fleet_code_for":          {"Mã đăng ký cho %s", "Enrolment code for %s"},
	"fleet_provisioned":       {"Ki-ốt %s của %s đã được tạo", "Kiosk %s of %s made"},
	"fleet_code":              {"Mã một lần:", "One-time code:"},
	"fleet_qr_alt":            {"Mã QR đăng ký ki-ốt", "Kiosk enrolment QR code"},
	"fleet_qr_how":            {"Trên màn hình cán bộ của ki-ốt, đưa mã QR này vào đầu đọc: ki-ốt điền địa chỉ và mã, không phải gõ.", "On the kiosk's staff screen, hold this QR code to its scanner: the kiosk fills in the address and the code."},
	"fleet_code_until":        {"Mã dùng được một lần, đến", "The code works once, until"},
	"fleet_download":          {"Tải", "Download"},
	"fleet_provision_how":     {"Chép tệp vào USB; trên ki-ốt, nhập tệp rồi gõ mã một lần ở trên. Đưa mã riêng, không để cùng tệp.", "Copy the file to a USB drive; on the kiosk, import it and type the one-time code above. Hand the code over apart from the file."},
	"ok_revoked":              {"Đã thu hồi ki-ốt.", "Kiosk revoked."},
	"ok_clock_reset":          {"Đã đặt lại đồng hồ của ki-ốt: lần gửi sau được chấp nhận.", "The kiosk's clock state is reset: its next call is accepted."},
	"err_city_url":            {"Địa chỉ máy chủ thành phố không đúng (http:// hoặc https://…): mã vẫn dùng được, gõ tay trên ki-ốt.", "The city server address is not valid (http:// or https://…): the code still works, typed on the kiosk."},
	"err_no_kiosk":            {"Không có ki-ốt này.", "No such kiosk."},
	"a_kiosk.enrol_code":      {"Tạo mã đăng ký ki-ốt", "Kiosk enrolment code made"},
	"a_kiosk.provision":       {"Tạo tệp cấu hình ki-ốt", "Kiosk provisioning file made"},
	"a_kiosk.reset_clock":     {"Đặt lại đồng hồ ki-ốt", "Kiosk clock reset"},
	"a_export.report":         {"Tải báo cáo", "Report exported"},
	"catalogue_title":         {"Danh mục dịch vụ, phí, ngày nghỉ", "Services, fees and holidays"},
	"catalogue_current":       {"Đang áp dụng:", "In force:"},
	"catalogue_notice":        {"thông báo xử lý dữ liệu", "data notice"},
	"catalogue_history":       {"Các phiên bản đã ban hành", "Published versions"},
	"catalogue_version":       {"Phiên bản", "Version"},
	"catalogue_when":          {"Ban hành lúc", "Published"},
	"catalogue_by":            {"Người ban hành", "By"},
	"catalogue_none":          {"Chưa ban hành phiên bản nào: ki-ốt dùng danh mục có sẵn.", "Nothing published: kiosks use the built-in catalogue."},
	"catalogue_publish":       {"Ban hành phiên bản mới", "Publish a new version"},
	"catalogue_how":           {"Dán toàn bộ tệp danh mục (JSON như kiosk/catalogue.json) với số phiên bản mới hơn. Máy kiểm tra bằng chính quy tắc của ki-ốt trước khi nhận; ki-ốt nhận bản mới ở lần đồng bộ sau. Hồ sơ làm trước đó vẫn được tính theo phí đã báo.", "Paste the whole catalogue file (JSON as kiosk/catalogue.json) with a newer version. It is checked with the kiosk's own rules first; kiosks take it on their next sync. Requests made before keep the fee they were quoted."},
	"catalogue_document":      {"Tệp danh mục (JSON)", "Catalogue file (JSON)"},
	"catalogue_published":     {"Đã ban hành phiên bản %s.", "Version %s published."},
	"err_catalogue_invalid":   {"Danh mục không qua được kiểm tra của ki-ốt:", "The catalogue fails the kiosk's checks:"},
	"err_catalogue_not_newer": {"Phiên bản này không mới hơn phiên bản đang áp dụng.", "This version is not newer than the one in force."},
	"a_catalogue.publish":     {"Ban hành danh mục", "Catalogue published"},
	"err_period":              {"Kỳ báo cáo không đúng: chọn tháng, hoặc ngày bắt đầu không sau ngày kết thúc.", "The period is not valid: pick a month, or a start not after the end."},
	"err_format":              {"Định dạng không hỗ trợ: CSV, XLSX hoặc JSON.", "Format not supported: CSV, XLSX or JSON."},
}

func init() {
	for k, v := range reportText {
		if _, dup := officeText[k]; dup {
			panic("city: office word " + k + " defined twice")
		}
		officeText[k] = v
	}
	// pct writes a share as a percentage with one decimal, "—" when there
	// is none.
	viewFuncs["pct"] = func(v *float64) string {
		if v == nil {
			return "—"
		}
		return strconv.FormatFloat(100**v, 'f', 1, 64) + " %"
	}
	// dict passes several values to a sub-template.
	viewFuncs["dict"] = func(kv ...any) (map[string]any, error) {
		if len(kv)%2 != 0 {
			return nil, errors.New("dict: odd arguments")
		}
		m := make(map[string]any, len(kv)/2)
		for i := 0; i < len(kv); i += 2 {
			k, ok := kv[i].(string)
			if !ok {
				return nil, errors.New("dict: key not a string")
			}
			m[k] = kv[i+1]
		}
		return m, nil
	}
}
