package syncer

import (
	"context"
	"errors"

	"communekiosk/sync/syncproto"
)

// Error codes of a failed run, stable for the UI.
const (
	CodeUnreachable  = "unreachable"
	CodeTimeout      = "timeout"
	CodeCaptive      = "not_city"
	CodeServer       = "server_error"
	CodeBusy         = "busy"
	CodeTooLarge     = "too_large"
	CodeUnauthorized = "unauthorized"
	CodeReplay       = "replay"
	CodeNotEnrolled  = "not_enrolled"
	CodeRefused      = "refused"
	CodeProtocol     = "protocol"
	CodeStore        = "store"
	CodeCancelled    = "cancelled"
)

// ErrNotEnrolled is returned by RunOnce before the kiosk is enrolled.
var ErrNotEnrolled = errors.New("syncer: this kiosk is not enrolled")

// errProtocol marks an answer that breaks the protocol (missing results,
// a cursor that does not move).
var errProtocol = errors.New("syncer: the city's answer breaks the protocol")

// errStore marks a failure of the kiosk's own store.
var errStore = errors.New("syncer: the kiosk's store failed")

type message struct{ vi, en string }

// messages are the plain words of each code, in Vietnamese and English.
var messages = map[string]message{
	CodeUnreachable:  {"Không kết nối được tới máy chủ thành phố", "Could not reach the city server"},
	CodeTimeout:      {"Máy chủ thành phố không trả lời kịp; sẽ thử lại sau", "The city server did not answer in time; will try again"},
	CodeCaptive:      {"Mạng đang chặn kết nối (có thể cần đăng nhập Wi-Fi); câu trả lời không đến từ máy chủ thành phố", "The network is in the way (a Wi-Fi login page?); the answer did not come from the city server"},
	CodeServer:       {"Máy chủ thành phố đang gặp lỗi; sẽ thử lại sau", "The city server has a problem; will try again"},
	CodeBusy:         {"Máy chủ thành phố đang bận; sẽ thử lại sau", "The city server is busy; will try again later"},
	CodeTooLarge:     {"Máy chủ thành phố (hoặc một máy trung gian) từ chối một yêu cầu vì quá lớn dù yêu cầu nằm trong giới hạn của thành phố; hãy báo bộ phận kỹ thuật của thành phố", "The city (or something in between) refused a request as too large although it is within the city's limit; tell the city's IT team"},
	CodeUnauthorized: {"Máy chủ thành phố từ chối ki-ốt này; cần đăng ký lại ki-ốt", "The city server refused this kiosk; it must be enrolled again"},
	CodeReplay:       {"Máy chủ thành phố từ chối chữ ký của ki-ốt vì đồng hồ của ki-ốt đã bị lùi lại (hoặc vừa khôi phục bản sao lưu). Không cần đăng ký lại ki-ốt: hãy nhờ quản trị viên thành phố đặt lại đồng hồ của ki-ốt (cityd reset-clock <mã ki-ốt>). Ki-ốt vẫn tự thử lại", "The city refused this kiosk's signature as a replay: the kiosk's clock went back (or a backup was restored). Do not enrol it again: ask the city operator to reset this kiosk's clock (cityd reset-clock <kiosk ID>). The kiosk keeps trying"},
	CodeNotEnrolled:  {"Ki-ốt chưa được đăng ký với thành phố", "This kiosk is not enrolled with the city yet"},
	CodeRefused:      {"Máy chủ thành phố từ chối yêu cầu đồng bộ; hãy báo bộ phận kỹ thuật", "The city server refused the sync; tell the IT team"},
	CodeProtocol:     {"Câu trả lời của máy chủ thành phố không hợp lệ; sẽ thử lại sau", "The city server's answer was not valid; will try again"},
	CodeStore:        {"Lỗi lưu trữ trên ki-ốt; hãy báo bộ phận kỹ thuật", "The kiosk's storage failed; tell the IT team"},
	CodeCancelled:    {"Đồng bộ bị dừng", "The sync was stopped"},
}

// Describe gives the code and plain words of a run's error. It decides on
// the engine's own errors and syncproto's transport error kinds only.
func Describe(err error) (code, vi, en string) {
	if err == nil {
		return "", "", ""
	}
	code = classify(err)
	m := messages[code]
	return code, m.vi, m.en
}

func classify(err error) string {
	var tooLarge *syncproto.TooLargeError
	var retry *syncproto.RetryAfterError
	var transient *syncproto.TransientError
	var refused *syncproto.RefusedError
	switch {
	case errors.Is(err, ErrNotEnrolled):
		return CodeNotEnrolled
	case errors.Is(err, syncproto.ErrReplay):
		return CodeReplay
	case errors.Is(err, syncproto.ErrUnauthorized):
		return CodeUnauthorized
	case errors.As(err, &tooLarge):
		// A pull or a heartbeat is a few hundred bytes: a 413 there is
		// not a request that is too large but a city (or a proxy) that
		// refuses the call.
		if tooLarge.Op != "push" {
			return CodeRefused
		}
		return CodeTooLarge
	case errors.As(err, &retry):
		return CodeBusy
	case errors.Is(err, syncproto.ErrNotCity):
		return CodeCaptive
	case errors.Is(err, errStore):
		return CodeStore
	case errors.Is(err, errProtocol):
		return CodeProtocol
	case errors.As(err, &refused):
		return CodeRefused
	case errors.Is(err, context.Canceled):
		return CodeCancelled
	case errors.Is(err, context.DeadlineExceeded):
		return CodeTimeout
	case errors.As(err, &transient):
		if transient.Status >= 500 {
			return CodeServer
		}
		return CodeUnreachable
	default:
		return CodeUnreachable
	}
}
