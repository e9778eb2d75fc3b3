package syncer

import (
	"context"
	"errors"

	"communekiosk/sync/syncproto"
)

// Error codes of a failed run (Result.ErrorCode, and the heartbeat's
// LastError): syncproto's stable set. The engine says nothing to people
// in words; app and the frontend render these codes.
const (
	CodeUnreachable  = syncproto.SyncUnreachable
	CodeTimeout      = syncproto.SyncTimeout
	CodeCaptive      = syncproto.SyncNotCity
	CodeServer       = syncproto.SyncServerError
	CodeBusy         = syncproto.SyncBusy
	CodeTooLarge     = syncproto.SyncTooLarge
	CodeUnauthorized = syncproto.SyncUnauthorized
	CodeReplay       = syncproto.SyncReplay
	CodeNotEnrolled  = syncproto.SyncNotEnrolled
	CodeRefused      = syncproto.SyncRefused
	CodeProtocol     = syncproto.SyncProtocol
	CodeStore        = syncproto.SyncStore
	CodeCancelled    = syncproto.SyncCancelled
)

// ErrNotEnrolled is returned by RunOnce before the kiosk is enrolled.
var ErrNotEnrolled = errors.New("syncer: this kiosk is not enrolled")

// errProtocol marks an answer that breaks the protocol (missing results,
// a cursor that does not move).
var errProtocol = errors.New("syncer: the city's answer breaks the protocol")

// errStore marks a failure of the kiosk's own store.
var errStore = errors.New("syncer: the kiosk's store failed")

// ErrorCode gives the code of a run's error ("" for nil). It decides on
// the engine's own errors and syncproto's transport error kinds only.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	return classify(err)
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
