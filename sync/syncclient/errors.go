package syncclient

import (
	"errors"
	"fmt"
	"time"
)

// ErrUnauthorized is returned when the city refuses the kiosk (401 or 403):
// not enrolled, revoked, or a bad signature. Retrying does not help; the
// syncer stops and raises an enrolment alarm.
var ErrUnauthorized = errors.New("syncclient: the city refused this kiosk")

// ErrReplay is returned when the city refuses a call as a replay (401 with
// code syncproto.CodeReplay): the kiosk's signing time is behind what the
// city last saw. It does not wrap ErrUnauthorized: the kiosk is still
// enrolled, keeps retrying on the backoff, and staff ask the city operator
// to reset the kiosk's clock.
var ErrReplay = errors.New("syncclient: the city refused this kiosk's signature as a replay")

// ErrNotOurServer is returned when a 2xx answer is not the city's envelope,
// as a captive portal's login page is. It is transient.
var ErrNotOurServer = errors.New("syncclient: the answer did not come from the city server")

// TooLargeError is returned on 413: the batch must be halved.
type TooLargeError struct {
	Op string
	// Message is the city's message, if it sent its envelope.
	Message string
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("syncclient: %s: request too large for the city (413) %s", e.Op, e.Message)
}

// RetryAfterError is returned on 429 (and on 503 with Retry-After): the city
// asks the kiosk to come back after After.
type RetryAfterError struct {
	Op     string
	Status int
	After  time.Duration
}

func (e *RetryAfterError) Error() string {
	return fmt.Sprintf("syncclient: %s: the city is busy (%d), retry after %s", e.Op, e.Status, e.After)
}

// TransientError is a failure worth retrying with backoff: a network error,
// a timeout, a 5xx, a truncated or unreadable body, a captive portal.
type TransientError struct {
	Op     string
	Status int // 0 when no HTTP status was received
	Err    error
}

func (e *TransientError) Error() string {
	if e.Status != 0 {
		return fmt.Sprintf("syncclient: %s: status %d: %v", e.Op, e.Status, e.Err)
	}
	return fmt.Sprintf("syncclient: %s: %v", e.Op, e.Err)
}

func (e *TransientError) Unwrap() error { return e.Err }

// RequestError is any other refusal (a 4xx with the city's envelope, such as
// an unknown protocol version). Retrying the same request is unlikely to
// help, but the syncer keeps retrying with backoff in case the city changes.
type RequestError struct {
	Op      string
	Status  int
	Code    string
	Message string
}

func (e *RequestError) Error() string {
	return fmt.Sprintf("syncclient: %s: refused with %d %s: %s", e.Op, e.Status, e.Code, e.Message)
}

// IsTransient reports whether err is a failure that retrying may cure.
func IsTransient(err error) bool {
	var t *TransientError
	var r *RetryAfterError
	return errors.As(err, &t) || errors.As(err, &r)
}
