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

func ExampleDescribe() {
	err := &syncproto.TransientError{Op: "push", Err: errors.New("connection refused")}
	code, vi, en := syncer.Describe(err)
	fmt.Println(code)
	fmt.Println(vi)
	fmt.Println(en)
	// Output:
	// unreachable
	// Không kết nối được tới máy chủ thành phố
	// Could not reach the city server
}
