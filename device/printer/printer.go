package printer

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"
)

// Kinds of printer, as configured (printer-kind).
const (
	KindESCPOS = "escpos" // an 80 mm receipt printer fed ESC/POS
	KindPDF    = "pdf"    // A4 PDF files for an office printer
	KindNone   = "none"
)

// States the staff screen shows. They are sent to the UI, so strings.
const (
	StateReady   = "ready"
	StateNoPaper = "no_paper"
	StateOffline = "offline"
	StateError   = "error"
	StateNone    = "none"    // no printer configured
	StateUnknown = "unknown" // reachable, but it cannot report (a file, a pty)
)

// Options configure a Printer. The zero value prints nothing (KindNone).
type Options struct {
	Kind string
	// Target is the device path or printer name (escpos), or the CUPS
	// queue or folder (pdf).
	Target string
	// Timeout bounds one job (default 20 s): a printer that stops reading
	// must not hang the kiosk.
	Timeout time.Duration
	Logger  *slog.Logger
	Now     func() time.Time
}

// Status is the printer's state as staff see it.
type Status struct {
	Kind      string    `json:"kind"`
	Target    string    `json:"target"`
	State     string    `json:"state"`
	LastError *Problem  `json:"last_error,omitempty"`
	LastJobAt time.Time `json:"last_job_at,omitzero"`
	Jobs      int       `json:"jobs"`
}

// Problem is a printing failure staff can act on: a code (the Problem
// constants), which the kiosk UI words (msg_printer_<code>, with Target
// for {target}), and the underlying error for the log.
type Problem struct {
	State  string    `json:"state"`
	Code   string    `json:"code"`
	Target string    `json:"target,omitempty"` // the device, queue or printer name, where the words name it
	At     time.Time `json:"at"`
	err    error
}

// Problem codes. They are sent, so they are strings.
const (
	ProblemNotFound      = "not_found"       // no such device (switched off, unplugged)
	ProblemNoPermission  = "no_permission"   // the kiosk may not open the device
	ProblemNoPaper       = "no_paper"        // out of paper
	ProblemOffline       = "offline"         // cover open or switched off
	ProblemSendFailed    = "send_failed"     // writing to the device failed otherwise
	ProblemNoCUPS        = "no_cups"         // no lp command for a print queue
	ProblemQueueRefused  = "queue_refused"   // the print queue refused the job
	ProblemNoSuchPrinter = "no_such_printer" // Windows knows no printer of that name
	ProblemBusy          = "busy"            // another job is printing
	ProblemFailed        = "failed"          // anything else, e.g. no answer in time
)

func (p *Problem) Error() string { return "printer: " + p.Code + ": " + p.err.Error() }
func (p *Problem) Unwrap() error { return p.err }

// Printer is the kiosk's printer. Jobs go one at a time; it is safe for
// concurrent use.
type Printer struct {
	o    Options
	log  *slog.Logger
	jobs sync.Mutex // one job at a time

	mu        sync.Mutex
	lastErr   *Problem
	lastJobAt time.Time
	count     int
}

// New makes a Printer; it does not touch the device until a job or a
// status query.
func New(o Options) (*Printer, error) {
	if o.Kind == "" {
		o.Kind = KindNone
	}
	switch o.Kind {
	case KindESCPOS, KindPDF, KindNone:
	default:
		return nil, fmt.Errorf("printer: kind %q: want escpos, pdf or none", o.Kind)
	}
	if o.Kind != KindNone && o.Target == "" {
		return nil, fmt.Errorf("printer: kind %s needs a device, name, queue or folder", o.Kind)
	}
	if o.Timeout <= 0 {
		o.Timeout = 20 * time.Second
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Printer{o: o, log: o.Logger}, nil
}

// Kind is the configured kind: the caller renders ESC/POS or PDF for it.
func (p *Printer) Kind() string { return p.o.Kind }

// ErrNoPrinter is returned when no printer is configured.
var ErrNoPrinter = errors.New("printer: no printer configured")

// Print sends one job (ESC/POS bytes or a PDF file, matching Kind). A
// failure is returned as a *Problem and kept as the last error.
func (p *Printer) Print(ctx context.Context, name string, job []byte) error {
	if p.o.Kind == KindNone {
		return ErrNoPrinter
	}
	if len(job) == 0 {
		return fmt.Errorf("printer: empty job %s", name)
	}
	if !p.jobs.TryLock() {
		return p.fail(StateError, ProblemBusy, errors.New("busy"))
	}
	ctx, cancel := context.WithTimeout(ctx, p.o.Timeout)
	done := make(chan error, 1)
	go func() {
		err := p.send(name, job)
		p.jobs.Unlock() // before the answer: the next job may start at once
		done <- err
	}()
	var err error
	select {
	case err = <-done:
	case <-ctx.Done():
		err = fmt.Errorf("no answer within %s: %w", p.o.Timeout, ctx.Err())
	}
	cancel()
	if err != nil {
		var pr *Problem
		if errors.As(err, &pr) {
			return p.keep(pr)
		}
		return p.fail(StateError, ProblemFailed, err)
	}
	p.mu.Lock()
	p.lastErr, p.lastJobAt = nil, p.o.Now()
	p.count++
	p.mu.Unlock()
	p.log.Info("Printed", "job", name, "bytes", len(job), "printer", p.o.Target)
	return nil
}

func (p *Printer) send(name string, job []byte) error {
	switch p.o.Kind {
	case KindESCPOS:
		return sendRaw(p.o.Target, name, job)
	default:
		return sendPDF(p.o.Target, name, job)
	}
}

func (p *Printer) fail(state, code string, err error) *Problem {
	return p.keep(&Problem{State: state, Code: code, err: err})
}

func (p *Printer) keep(pr *Problem) *Problem {
	pr.At = p.o.Now()
	p.mu.Lock()
	p.lastErr = pr
	p.mu.Unlock()
	p.log.Error("Print failed", "printer", p.o.Target, "state", pr.State, "err", pr.err)
	return pr
}

// Status asks the device for its state where it can tell (a Linux usblp
// printer reports paper out and offline) and adds the last error.
func (p *Printer) Status() Status {
	s := Status{Kind: p.o.Kind, Target: p.o.Target}
	p.mu.Lock()
	s.LastError, s.LastJobAt, s.Jobs = p.lastErr, p.lastJobAt, p.count
	p.mu.Unlock()
	switch p.o.Kind {
	case KindNone:
		s.State = StateNone
	case KindESCPOS:
		s.State = probeRaw(p.o.Target)
	default:
		s.State = probePDF(p.o.Target)
	}
	if s.State == StateUnknown && s.LastError != nil {
		s.State = s.LastError.State
	}
	return s
}
