package syncclient

import (
	"fmt"

	"communekiosk/sync/syncproto"
)

// The client's failures are the contract's kinds (syncproto's
// transport_errors.go), wrapped with the client's prefix: callers decide
// with errors.Is and errors.As on syncproto.ErrUnauthorized,
// syncproto.ErrReplay, syncproto.ErrNotCity, *syncproto.TooLargeError,
// *syncproto.RetryAfterError, *syncproto.TransientError and
// *syncproto.RefusedError.

// wrap prefixes one of the contract's error kinds with the package name.
func wrap(err error) error {
	return fmt.Errorf("syncclient: %w", err)
}

func transient(op string, status int, err error) error {
	return wrap(&syncproto.TransientError{Op: op, Status: status, Err: err})
}
