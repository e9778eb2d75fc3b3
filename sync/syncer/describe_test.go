package syncer

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"communekiosk/sync/syncproto"

	"golang.org/x/text/unicode/norm"
)

func TestDescribe(t *testing.T) {
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
		{ErrNotEnrolled, CodeNotEnrolled},
		{&syncproto.RefusedError{Op: "pull", Status: 400}, CodeRefused},
		{fmt.Errorf("x: %w", errProtocol), CodeProtocol},
		{fmt.Errorf("x: %w: disk full", errStore), CodeStore},
		{fmt.Errorf("x: %w", context.Canceled), CodeCancelled},
	}
	for _, tc := range tests {
		t.Run(tc.code, func(t *testing.T) {
			code, vi, en := Describe(tc.err)
			if code != tc.code {
				t.Fatalf("code %q, want %q", code, tc.code)
			}
			if vi == "" || en == "" {
				t.Fatal("missing words")
			}
		})
	}
	if c, vi, en := Describe(nil); c != "" || vi != "" || en != "" {
		t.Fatal("nil error described")
	}
}

// TestMessagesNFC checks every Vietnamese text is in NFC.
func TestMessagesNFC(t *testing.T) {
	s := New(Options{Logger: quietLogger()})
	s.raiseLocked(AlarmEnrolment, s.opts.Now())
	s.raiseLocked(AlarmUnsent, s.opts.Now())
	texts := []string{}
	for _, m := range messages {
		texts = append(texts, m.vi)
	}
	for _, a := range s.alarms {
		texts = append(texts, a.MessageVI)
	}
	for _, txt := range texts {
		if !norm.NFC.IsNormalString(txt) {
			t.Errorf("not NFC: %q", txt)
		}
	}
	if messages[CodeUnreachable].vi != "Không kết nối được tới máy chủ thành phố" {
		t.Fatal("unreachable text changed")
	}
}
