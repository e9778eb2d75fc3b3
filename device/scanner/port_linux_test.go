package scanner

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/creack/pty"
)

// A pseudo-terminal pair stands in for the scanner: Run opens the device
// side as a serial port, the test writes the scanner's bytes to the other.
func TestRunReadsAPty(t *testing.T) {
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer ptmx.Close()
	defer tty.Close() // kept open so the other side never reads EIO
	scans := make(chan string, 8)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- Run(ctx, Options{Port: tty.Name(), OnScan: func(s string) { scans <- s },
			Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	}()
	next := func() string {
		select {
		case s := <-scans:
			return s
		case <-time.After(20 * time.Second):
			t.Fatal("no scan within 20 s")
			return ""
		}
	}
	write := func(s string) {
		if _, err := ptmx.Write([]byte(s)); err != nil {
			t.Fatal(err)
		}
	}
	// The first scan: the ID card's QR with a Vietnamese name, in pieces
	// that cut a letter in two.
	write(idCardQR[:45])
	write(idCardQR[45:47])
	write(idCardQR[47:] + "\r")
	if got := next(); got != idCardQR {
		t.Fatalf("scan = %q", got)
	}
	// Garbage (noise at a wrong baud rate), then a receipt code.
	write("\xff\xfe\x80\x81\r\n")
	write("K7M4QXR9P\r\n")
	if got := next(); got != "K7M4QXR9P" {
		t.Fatalf("after garbage: scan = %q", got)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("Run did not stop when its context ended")
	}
}

func TestRunRetriesAMissingPort(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- Run(ctx, Options{Port: "/dev/no-such-scanner", OnScan: func(string) {}, Retry: time.Millisecond,
			Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	}()
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}
