package syncproto

import (
	"errors"
	"fmt"
	"time"
)

// The kinds of a transport's failure (DESIGN.md, invariant 4). HTTP status
// codes speak of transport only; a transport (sync/syncclient) returns one
// of these kinds, wrapped, and the sync engine decides with errors.Is and
// errors.As on them alone, never on the transport's own types:
//
//	401, 403            ErrUnauthorized: stop, raise the enrolment alarm
//	401 with CodeReplay ErrReplay: keep the identity, alarm, back off
//	413                 *TooLargeError: halve the batch
//	429 (503 with       *RetryAfterError: wait After, then retry
//	Retry-After)
//	5xx, a network      *TransientError: retry the batch with backoff
//	error, a timeout
//	a 2xx without our   *TransientError wrapping ErrNotCity (a captive
//	envelope            portal's page): retry with backoff
//	another 4xx with    *RefusedError: retry with backoff in case the
//	our envelope        city changes
var (
	// ErrUnauthorized: the city refuses the kiosk (401 or 403): not
	// enrolled, revoked, or a bad signature. Retrying does not help.
	ErrUnauthorized = errors.New("syncproto: the city refused this kiosk")
	// ErrNotCity: an answer that is not the city's envelope, as a captive
	// portal's login page is. It is transient.
	ErrNotCity = errors.New("syncproto: the answer did not come from the city server")
)

// ErrReplay (sign.go) is also the kind of a 401 with code CodeReplay: the
// kiosk's signing time is behind what the city last saw. It does not wrap
// ErrUnauthorized: the kiosk is still enrolled, keeps retrying on the
// backoff, and staff ask the city operator to reset the kiosk's clock.

// TooLargeError is a 413: the city (or something in between) refuses the
// call as too large; a push batch must be halved.
type TooLargeError struct {
	Op string // push, pull, heartbeat, lookup, enrol
	// Message is the city's message, if it sent its envelope.
	Message string
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("%s: request too large for the city (413) %s", e.Op, e.Message)
}

// RetryAfterError is a 429 (or a 503 with Retry-After): the city asks the
// kiosk to come back after After.
type RetryAfterError struct {
	Op     string
	Status int
	After  time.Duration
}

func (e *RetryAfterError) Error() string {
	return fmt.Sprintf("%s: the city is busy (%d), retry after %s", e.Op, e.Status, e.After)
}

// TransientError is a failure worth retrying with backoff: a network
// error, a timeout, a 5xx, a truncated or unreadable body, a captive
// portal (Err wraps ErrNotCity).
type TransientError struct {
	Op     string
	Status int // 0 when no HTTP status was received
	Err    error
}

func (e *TransientError) Error() string {
	if e.Status != 0 {
		return fmt.Sprintf("%s: status %d: %v", e.Op, e.Status, e.Err)
	}
	return fmt.Sprintf("%s: %v", e.Op, e.Err)
}

func (e *TransientError) Unwrap() error { return e.Err }

// RefusedError is any other refusal: a 4xx with the city's envelope, such
// as an unknown protocol version. Retrying the same call is unlikely to
// help, but the engine keeps retrying with backoff in case the city
// changes.
type RefusedError struct {
	Op      string
	Status  int
	Code    string // the envelope's code
	Message string
}

func (e *RefusedError) Error() string {
	return fmt.Sprintf("%s: refused with %d %s: %s", e.Op, e.Status, e.Code, e.Message)
}

// IsTransient reports whether err is a transport failure that retrying may
// cure (a TransientError or a RetryAfterError).
func IsTransient(err error) bool {
	var t *TransientError
	var r *RetryAfterError
	return errors.As(err, &t) || errors.As(err, &r)
}
