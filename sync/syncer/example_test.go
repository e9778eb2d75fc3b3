package syncer_test

import (
	"errors"
	"fmt"

	"communekiosk/sync/syncer"
	"communekiosk/sync/syncproto"
)

func ExampleValidateSchedule() {
	for _, spec := range []string{"*/15 * * * *", "@every 10m", "every quarter hour"} {
		fmt.Println(spec, syncer.ValidateSchedule(spec) == nil)
	}
	// Output:
	// */15 * * * * true
	// @every 10m true
	// every quarter hour false
}

func ExampleErrorCode() {
	err := fmt.Errorf("syncclient: %w", &syncproto.TransientError{Op: "push", Err: errors.New("connection refused")})
	fmt.Println(syncer.ErrorCode(err))
	// Output:
	// unreachable
}
