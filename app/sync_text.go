package app

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"communekiosk/kiosk"
	"communekiosk/sync/syncer"
)

// The sync engine speaks in codes with parameters (syncer's Code and
// Alarm constants, syncproto's stable set); these are their words on the
// staff screen.

// syncErrorWords say each code of a failed sync.
var syncErrorWords = map[string]kiosk.Text{
	syncer.CodeUnreachable:  {VI: "Không kết nối được tới máy chủ thành phố", EN: "Could not reach the city server"},
	syncer.CodeTimeout:      {VI: "Máy chủ thành phố không trả lời kịp; sẽ thử lại sau", EN: "The city server did not answer in time; will try again"},
	syncer.CodeCaptive:      {VI: "Mạng đang chặn kết nối (có thể cần đăng nhập Wi-Fi); câu trả lời không đến từ máy chủ thành phố", EN: "The network is in the way (a Wi-Fi login page?); the answer did not come from the city server"},
	syncer.CodeServer:       {VI: "Máy chủ thành phố đang gặp lỗi; sẽ thử lại sau", EN: "The city server has a problem; will try again"},
	syncer.CodeBusy:         {VI: "Máy chủ thành phố đang bận; sẽ thử lại sau", EN: "The city server is busy; will try again later"},
	syncer.CodeTooLarge:     {VI: "Máy chủ thành phố (hoặc một máy trung gian) từ chối một yêu cầu vì quá lớn dù yêu cầu nằm trong giới hạn của thành phố; hãy báo bộ phận kỹ thuật của thành phố", EN: "The city (or something in between) refused a request as too large although it is within the city's limit; tell the city's IT team"},
	syncer.CodeUnauthorized: {VI: "Máy chủ thành phố từ chối ki-ốt này; cần đăng ký lại ki-ốt", EN: "The city server refused this kiosk; it must be enrolled again"},
	syncer.CodeReplay:       {VI: "Máy chủ thành phố từ chối chữ ký của ki-ốt vì đồng hồ của ki-ốt đã bị lùi lại (hoặc vừa khôi phục bản sao lưu). Không cần đăng ký lại ki-ốt: hãy nhờ quản trị viên thành phố đặt lại đồng hồ của ki-ốt (cityd reset-clock <mã ki-ốt>). Ki-ốt vẫn tự thử lại", EN: "The city refused this kiosk's signature as a replay: the kiosk's clock went back (or a backup was restored). Do not enrol it again: ask the city operator to reset this kiosk's clock (cityd reset-clock <kiosk ID>). The kiosk keeps trying"},
	syncer.CodeNotEnrolled:  {VI: "Ki-ốt chưa được đăng ký với thành phố", EN: "This kiosk is not enrolled with the city yet"},
	syncer.CodeRefused:      {VI: "Máy chủ thành phố từ chối yêu cầu đồng bộ; hãy báo bộ phận kỹ thuật", EN: "The city server refused the sync; tell the IT team"},
	syncer.CodeProtocol:     {VI: "Câu trả lời của máy chủ thành phố không hợp lệ; sẽ thử lại sau", EN: "The city server's answer was not valid; will try again"},
	syncer.CodeStore:        {VI: "Lỗi lưu trữ trên ki-ốt; hãy báo bộ phận kỹ thuật", EN: "The kiosk's storage failed; tell the IT team"},
	syncer.CodeCancelled:    {VI: "Đồng bộ bị dừng", EN: "The sync was stopped"},
}

// syncErrorText says a failed sync's code in words (zero for "").
func syncErrorText(code string) kiosk.Text { return syncErrorWords[code] }

// syncAlarmText says a sync alarm in words, with its parameters.
func syncAlarmText(a syncer.Alarm) kiosk.Text {
	switch a.Code {
	case syncer.AlarmEnrolment:
		return kiosk.Text{
			VI: "Máy chủ thành phố không nhận ki-ốt này. Đồng bộ đã dừng; hãy đăng ký lại ki-ốt hoặc liên hệ bộ phận kỹ thuật của thành phố.",
			EN: "The city server does not accept this kiosk. Sync has stopped; enrol the kiosk again or contact the city's IT team."}
	case syncer.AlarmReplay:
		id, idEN := "<mã ki-ốt>", "<kiosk ID>"
		if k := a.Params[syncer.ParamKioskID]; k != "" {
			id, idEN = k, k
		}
		return kiosk.Text{
			VI: "Máy chủ thành phố từ chối chữ ký của ki-ốt vì đồng hồ của ki-ốt đã bị lùi lại (hoặc vừa khôi phục bản sao lưu). Không đăng ký lại ki-ốt. Hãy gọi quản trị viên thành phố để đặt lại đồng hồ của ki-ốt: cityd reset-clock " + id + ". Trong lúc chờ, ki-ốt vẫn nhận yêu cầu và tự thử đồng bộ lại.",
			EN: "The city refuses this kiosk's signatures as replays: the kiosk's clock went back (or a backup was restored). Do not enrol the kiosk again. Call the city operator to reset this kiosk's clock: cityd reset-clock " + idEN + ". Meanwhile the kiosk still takes requests and keeps trying to sync."}
	case syncer.AlarmSkew:
		mins, _ := strconv.ParseInt(a.Params[syncer.ParamOffsetMinutes], 10, 64)
		off := time.Duration(mins) * time.Minute
		return kiosk.Text{
			VI: fmt.Sprintf("Đồng hồ của ki-ốt lệch %s so với máy chủ thành phố. Ngày hẹn trả kết quả và lệ phí vẫn tính theo giờ của thành phố, nhưng hãy chỉnh lại đồng hồ của ki-ốt (hoặc gọi bộ phận kỹ thuật).", durationVI(off)),
			EN: fmt.Sprintf("The kiosk's clock is %s off the city server's. Expected dates and fees still follow the city's time, but set the kiosk's clock right (or call the IT team).", off)}
	case syncer.AlarmUnsent:
		return kiosk.Text{
			VI: "Có yêu cầu chưa gửi được tới thành phố quá lâu. Hãy kiểm tra mạng, hoặc chuyển bằng USB.",
			EN: "A request has waited too long to reach the city. Check the network, or move it by USB."}
	}
	return kiosk.Text{VI: a.Code, EN: a.Code}
}

// durationVI writes a clock offset in Vietnamese words: "2 giờ 5 phút".
func durationVI(d time.Duration) string {
	d = d.Abs().Round(time.Minute)
	days, h, m := int(d/(24*time.Hour)), int(d%(24*time.Hour)/time.Hour), int(d%time.Hour/time.Minute)
	var parts []string
	if days > 0 {
		parts = append(parts, fmt.Sprintf("%d ngày", days))
	}
	if h > 0 {
		parts = append(parts, fmt.Sprintf("%d giờ", h))
	}
	if m > 0 || len(parts) == 0 {
		parts = append(parts, fmt.Sprintf("%d phút", m))
	}
	return strings.Join(parts, " ")
}
