package syncer

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"

	"communekiosk/sync/syncproto"
)

func TestErrorCode(t *testing.T) {
	tests := []struct {
		err  error
		code string
	}{
		{&syncproto.TransientError{Op: "push", Err: errors.New("dial tcp: connection refused")}, CodeUnreachable},
		{&syncproto.TransientError{Op: "push", Err: context.DeadlineExceeded}, CodeTimeout},
		{&syncproto.TransientError{Op: "push", Status: 502, Err: errors.New("bad gateway")}, CodeServer},
		{&syncproto.TransientError{Op: "push", Status: 200, Err: fmt.Errorf("%w: html", syncproto.ErrNotCity)}, CodeCaptive},
		{&syncproto.RetryAfterError{Op: "push", Status: 429}, CodeBusy},
		{&syncproto.TooLargeError{Op: "push"}, CodeTooLarge},
		// A 413 on a pull or a heartbeat is a refusal, not a request too large.
		{&syncproto.TooLargeError{Op: "pull"}, CodeRefused},
		{&syncproto.TooLargeError{Op: "heartbeat"}, CodeRefused},
		{fmt.Errorf("x: %w", syncproto.ErrUnauthorized), CodeUnauthorized},
		// A replay does not wrap ErrUnauthorized: the kiosk stays enrolled.
		{fmt.Errorf("syncclient: push: 401 replay: %w", syncproto.ErrReplay), CodeReplay},
		{ErrNotEnrolled, CodeNotEnrolled},
		{&syncproto.RefusedError{Op: "pull", Status: 400}, CodeRefused},
		{fmt.Errorf("x: %w", errProtocol), CodeProtocol},
		{fmt.Errorf("x: %w: disk full", errStore), CodeStore},
		{fmt.Errorf("x: %w", context.Canceled), CodeCancelled},
	}
	seen := map[string]bool{}
	for _, tc := range tests {
		t.Run(tc.code, func(t *testing.T) {
			if code := ErrorCode(tc.err); code != tc.code {
				t.Fatalf("code %q, want %q", code, tc.code)
			}
			if !slices.Contains(syncproto.SyncErrorCodes(), tc.code) {
				t.Fatalf("%q is not in syncproto's set", tc.code)
			}
		})
		seen[tc.code] = true
	}
	for _, c := range syncproto.SyncErrorCodes() {
		if !seen[c] {
			t.Errorf("no error gives code %q", c)
		}
	}
	if c := ErrorCode(nil); c != "" {
		t.Fatal("nil error described")
	}
}
