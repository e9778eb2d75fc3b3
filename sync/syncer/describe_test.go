package syncer

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"golang.org/x/text/unicode/norm"

	"communekiosk/sync/syncclient"
)

func TestDescribe(t *testing.T) {
	tests := []struct {
		err  error
		code string
	}{
		{&syncclient.TransientError{Op: "push", Err: errors.New("dial tcp: connection refused")}, CodeUnreachable},
		{&syncclient.TransientError{Op: "push", Err: context.DeadlineExceeded}, CodeTimeout},
		{&syncclient.TransientError{Op: "push", Status: 502, Err: errors.New("bad gateway")}, CodeServer},
		{&syncclient.TransientError{Op: "push", Status: 200, Err: fmt.Errorf("%w: html", syncclient.ErrNotOurServer)}, CodeCaptive},
		{&syncclient.RetryAfterError{Op: "push", Status: 429}, CodeBusy},
		{&syncclient.TooLargeError{Op: "push"}, CodeTooLarge},
		// A 413 on a pull or a heartbeat is a refusal, not a request too large.
		{&syncclient.TooLargeError{Op: "pull"}, CodeRefused},
		{&syncclient.TooLargeError{Op: "heartbeat"}, CodeRefused},
		{fmt.Errorf("x: %w", syncclient.ErrUnauthorized), CodeUnauthorized},
		{ErrNotEnrolled, CodeNotEnrolled},
		{&syncclient.RequestError{Op: "pull", Status: 400}, CodeRefused},
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
