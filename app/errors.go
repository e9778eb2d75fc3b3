package app

import (
	"encoding/json"
	"errors"
	"net/http"
	"time"

	"communekiosk/kiosk"
)

// Error codes the UI knows. They are sent, so they are strings.
const (
	CodeValidation   = "validation"
	CodeNotReady     = "not_ready"
	CodeDiskFull     = "disk_full"
	CodeNotFound     = "not_found"
	CodeUnauthorized = "unauthorized"
	CodeLocked       = "locked"
	CodeBadInput     = "bad_input"
	CodeUnavailable  = "unavailable"
	CodeInternal     = "internal"
	CodeTooLarge     = "too_large" // a call's body over the limit: 413
	// Enrolment: a mistyped code, an answer (or provisioning file) that
	// does not match its code, a city address that is not secure.
	CodeEnrolCodeTypo = "enrol_code_typo"
	CodeEnrolMismatch = "enrol_mismatch"
	CodeInsecureCity  = "insecure_city"
)

// Error is the only error a facade returns to the UI, and its one shape
// on the wire: a code (the constants above), a message (by key, see
// Message), for validation the problems per field, and for a few codes
// small typed facts. Over HTTP it is the body's "error" member; through
// the Wails bindings (FormatError) the same object is the rejection.
// frontend/src/lib/api/testdata/Error.json is its golden form.
type Error struct {
	Code     string          `json:"code"`
	Message  Message         `json:"message"`
	Problems []kiosk.Problem `json:"problems,omitempty"`
	Detail   *ErrorDetail    `json:"detail,omitempty"`
	cause    error
}

// ErrorDetail are the facts some errors carry beside their message.
type ErrorDetail struct {
	// AttemptsLeft: a wrong staff PIN (unauthorized), how many more
	// before the lockout; always 1 or more.
	AttemptsLeft int `json:"attempts_left,omitempty"`
	// LockedUntil: locked, when the staff screen or the code's lookup
	// opens again (UTC).
	LockedUntil time.Time `json:"locked_until,omitzero"`
	// PrinterState: a failed print (unavailable), the printer's state
	// (device/printer's State constants).
	PrinterState string `json:"printer_state,omitempty"`
}

func (e *Error) Error() string {
	if e.cause != nil {
		return e.Code + ": " + e.Message.Key + ": " + e.cause.Error()
	}
	return e.Code + ": " + e.Message.Key
}

func (e *Error) Unwrap() error { return e.cause }

func newError(code string, m Message, cause error) *Error {
	return &Error{Code: code, Message: m, cause: cause}
}

// asError turns any error into an *Error; unknown errors become "internal"
// with a message that says what the citizen can do.
func asError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return newError(CodeInternal, msg("internal"), err)
}

// FormatError shapes an error for the Wails bindings: the page receives the
// same JSON object as over HTTP.
func FormatError(err error) any {
	b, mErr := json.Marshal(asError(err))
	if mErr != nil {
		return err.Error()
	}
	return string(b)
}

// httpStatus maps an error code to the HTTP status kioskd answers with.
func httpStatus(code string) int {
	switch code {
	case CodeValidation, CodeBadInput, CodeEnrolCodeTypo, CodeInsecureCity:
		return http.StatusUnprocessableEntity
	case CodeNotReady, CodeDiskFull, CodeUnavailable:
		return http.StatusServiceUnavailable
	case CodeNotFound:
		return http.StatusNotFound
	case CodeUnauthorized, CodeEnrolMismatch:
		return http.StatusUnauthorized
	case CodeLocked:
		return http.StatusLocked
	case CodeTooLarge:
		return http.StatusRequestEntityTooLarge
	default:
		return http.StatusInternalServerError
	}
}
