package printer

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/creack/pty"
)

var job = append([]byte{0x1b, '@'}, bytes.Repeat([]byte("receipt raster "), 20000)...) // 300 kB, more than a pty buffers

func fixedNow() time.Time { return time.Date(2026, 12, 1, 2, 30, 0, 0, time.UTC) }

func newPrinter(t *testing.T, kind, target string) *Printer {
	t.Helper()
	p, err := New(Options{Kind: kind, Target: target, Now: fixedNow, Timeout: 30 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// A pseudo-terminal stands in for the receipt printer's device file: the
// job must arrive on the other side byte for byte.
func TestPrintToPty(t *testing.T) {
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer ptmx.Close()
	// The device side stays open for the whole test: with no open device
	// side, reading the other side fails (EIO) between jobs.
	defer tty.Close()
	name := tty.Name()
	// Raw mode on the device side, so the terminal passes bytes unchanged.
	if err := makeRaw(name); err != nil {
		t.Fatal(err)
	}
	got := make(chan []byte, 1)
	go func() {
		buf := make([]byte, 0, len(job))
		b := make([]byte, 4096)
		for len(buf) < len(job) {
			n, err := ptmx.Read(b)
			buf = append(buf, b[:n]...)
			if err != nil {
				break
			}
		}
		got <- buf
	}()
	p := newPrinter(t, KindESCPOS, name)
	if err := p.Print(context.Background(), "K7M4QXR9P", job); err != nil {
		t.Fatal(err)
	}
	if g := <-got; !bytes.Equal(g, job) {
		t.Fatalf("the printer received %d bytes, want the %d of the job", len(g), len(job))
	}
	s := p.Status()
	if s.Jobs != 1 || s.LastError != nil || !s.LastJobAt.Equal(fixedNow()) {
		t.Fatalf("status after a job: %+v", s)
	}
	if s.State != StateUnknown {
		t.Fatalf("a pty cannot report paper; state %q", s.State)
	}
}

func TestPrintToFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "lp0")
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	p := newPrinter(t, KindESCPOS, path)
	for range 2 {
		if err := p.Print(context.Background(), "job", job); err != nil {
			t.Fatal(err)
		}
	}
	b, _ := os.ReadFile(path)
	if !bytes.Equal(b, append(append([]byte{}, job...), job...)) {
		t.Fatalf("the device file holds %d bytes, want two jobs", len(b))
	}
}

// Failures reach staff in plain words, in both languages, and stay as the
// last error until a job succeeds.
func TestPrintFailures(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name, target string
		state        string
		code         string
	}{
		{"device missing", filepath.Join(dir, "usb", "lp0"), StateOffline, ProblemNotFound},
		{"write fails: device full", "/dev/full", StateNoPaper, ProblemNoPaper},
		{"not a device", dir, StateError, ProblemSendFailed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := os.Stat(tt.target); tt.target == "/dev/full" && err != nil {
				t.Skip("no /dev/full here")
			}
			p := newPrinter(t, KindESCPOS, tt.target)
			err := p.Print(context.Background(), "job", job)
			var pr *Problem
			if !errors.As(err, &pr) {
				t.Fatalf("Print = %v, want a *Problem", err)
			}
			if pr.State != tt.state || pr.Code != tt.code {
				t.Fatalf("problem = %+v, want state %s and %q", pr, tt.state, tt.code)
			}
			if tt.code == ProblemNotFound && pr.Target != tt.target {
				t.Fatalf("problem = %+v: the words name the device, so it must carry %s", pr, tt.target)
			}
			s := p.Status()
			if s.LastError == nil || s.LastError.Code != pr.Code || !s.LastError.At.Equal(fixedNow()) || s.Jobs != 0 {
				t.Fatalf("status = %+v", s)
			}
		})
	}
}

func TestLastErrorClearsAfterAJob(t *testing.T) {
	path := filepath.Join(t.TempDir(), "lp0")
	p := newPrinter(t, KindESCPOS, path)
	if err := p.Print(context.Background(), "job", job); err == nil {
		t.Fatal("printed to a missing device")
	}
	if s := p.Status(); s.State != StateOffline {
		t.Fatalf("state %q with the device missing", s.State)
	}
	os.WriteFile(path, nil, 0o600) // the printer is plugged in
	if err := p.Print(context.Background(), "job", job); err != nil {
		t.Fatal(err)
	}
	if s := p.Status(); s.LastError != nil {
		t.Fatalf("last error kept after a good job: %+v", s.LastError)
	}
}

// A printer that stops reading: the job gives up after the timeout, and a
// second job meanwhile is told the printer is busy.
func TestPrintStalledPrinter(t *testing.T) {
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer tty.Close()
	name := tty.Name()
	if err := makeRaw(name); err != nil {
		t.Fatal(err)
	}
	p, err := New(Options{Kind: KindESCPOS, Target: name, Now: fixedNow, Timeout: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	err = p.Print(context.Background(), "job", job) // nobody reads ptmx
	var pr *Problem
	if !errors.As(err, &pr) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Print to a stalled printer = %v", err)
	}
	err = p.Print(context.Background(), "job2", job)
	if !errors.As(err, &pr) || pr.Code != ProblemBusy {
		t.Fatalf("second job while the first hangs = %v", err)
	}
	// Unblock the stuck write so its goroutine ends.
	go io.Copy(io.Discard, ptmx)
	t.Cleanup(func() { ptmx.Close() })
}

func TestPrintPDFToFolder(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "receipts")
	p := newPrinter(t, KindPDF, dir)
	if s := p.Status(); s.State != StateReady {
		t.Fatalf("state %q", s.State)
	}
	if err := p.Print(context.Background(), "K7M4QXR9P", []byte("%PDF-1.4\n")); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, "K7M4QXR9P.pdf"))
	if err != nil || string(b) != "%PDF-1.4\n" {
		t.Fatalf("pdf file: %q, %v", b, err)
	}
}

func TestNew(t *testing.T) {
	tests := []struct {
		name string
		o    Options
		ok   bool
	}{
		{"zero value is no printer", Options{}, true},
		{"escpos with a device", Options{Kind: KindESCPOS, Target: "/dev/usb/lp0"}, true},
		{"escpos without a device", Options{Kind: KindESCPOS}, false},
		{"unknown kind", Options{Kind: "laser", Target: "x"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := New(tt.o); (err == nil) != tt.ok {
				t.Fatalf("New(%+v) = %v", tt.o, err)
			}
		})
	}
	p, _ := New(Options{})
	if err := p.Print(context.Background(), "j", job); !errors.Is(err, ErrNoPrinter) {
		t.Fatalf("Print with no printer = %v", err)
	}
	if s := p.Status(); s.State != StateNone {
		t.Fatalf("state %q", s.State)
	}
}
