package app

import (
	"context"
	"sync"
	"time"

	"communekiosk/device/scanner"
)

// Scanner is the facade of a QR scanner in serial mode: the page waits for
// the next scan with Next and handles it exactly as a scan typed in
// keyboard mode (the ID card's QR fills the requester, a receipt's opens
// the lookup, an enrolment QR fills the enrolment form).
type Scanner struct{ n *Node }

// ScanBatch is what Next returns: the scans after the given sequence
// number, and whether a serial scanner is configured at all (when not, the
// page stops asking).
type ScanBatch struct {
	Enabled bool       `json:"enabled"`
	Scans   []ScanView `json:"scans"`
	Last    int64      `json:"last"` // pass it back as after
}

// ScanView is one scan.
type ScanView struct {
	Seq  int64  `json:"seq"`
	Text string `json:"text"`
}

// scanTTL: a scan not picked up by a page within this time is dropped, so
// an ID card scanned for one citizen never fills a later citizen's form.
const scanTTL = 10 * time.Second

// maxWait bounds one Next call (a long poll).
const maxWait = 25 * time.Second

// Next waits up to waitMillis (at most 25 s) for scans after the sequence
// number after, and returns them. after = -1 asks only for the current
// position (the page's start), so old scans are never replayed.
func (s *Scanner) Next(after int64, waitMillis int) (ScanBatch, error) {
	b := s.n.scans
	if b == nil {
		return ScanBatch{Enabled: false, Scans: []ScanView{}}, nil
	}
	wait := min(time.Duration(waitMillis)*time.Millisecond, maxWait)
	ctx, cancel := context.WithTimeout(s.n.ctx, wait)
	defer cancel()
	return b.next(ctx, after), nil
}

// scanBuffer holds the last few scans, briefly, in memory only.
type scanBuffer struct {
	now func() time.Time

	mu      sync.Mutex
	seq     int64
	scans   []scanEntry
	changed chan struct{} // closed and replaced on each scan
	port    string        // the open port, "" while closed
	lastErr string
	opened  chan struct{} // closed when the port first opens
}

type scanEntry struct {
	ScanView
	at time.Time
}

func newScanBuffer(now func() time.Time) *scanBuffer {
	return &scanBuffer{now: now, changed: make(chan struct{}), opened: make(chan struct{})}
}

func (b *scanBuffer) add(text string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.seq++
	b.scans = append(b.scans, scanEntry{ScanView{Seq: b.seq, Text: text}, b.now()})
	if len(b.scans) > 4 {
		b.scans = b.scans[len(b.scans)-4:]
	}
	close(b.changed)
	b.changed = make(chan struct{})
}

func (b *scanBuffer) next(ctx context.Context, after int64) ScanBatch {
	for {
		b.mu.Lock()
		out := ScanBatch{Enabled: true, Scans: []ScanView{}, Last: b.seq}
		if after >= 0 {
			cutoff := b.now().Add(-scanTTL)
			for _, e := range b.scans {
				if e.Seq > after && e.at.After(cutoff) {
					out.Scans = append(out.Scans, e.ScanView)
				}
			}
		}
		changed := b.changed
		b.mu.Unlock()
		if len(out.Scans) > 0 || after < 0 {
			return out
		}
		select {
		case <-ctx.Done():
			return out
		case <-changed:
		}
	}
}

func (b *scanBuffer) state(port string, err error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.port = port
	if err != nil {
		b.lastErr = err.Error()
	} else {
		b.lastErr = ""
		select {
		case <-b.opened:
		default:
			close(b.opened)
		}
	}
}

// ScannerStatus is the serial scanner's state for staff.
type ScannerStatus struct {
	Enabled bool   `json:"enabled"` // a serial scanner is configured
	Setting string `json:"setting"` // the configured port or "auto"
	Port    string `json:"port"`    // the port open now; "" when not open
	Error   string `json:"error,omitempty"`
}

// Status tells staff whether the serial scanner is connected.
func (s *Scanner) Status(token string) (ScannerStatus, error) {
	if err := s.n.Staff.check(token); err != nil {
		return ScannerStatus{}, err
	}
	b := s.n.scans
	if b == nil {
		return ScannerStatus{}, nil
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	return ScannerStatus{Enabled: true, Setting: s.n.cfg.Scanner, Port: b.port, Error: b.lastErr}, nil
}

// runScanner reads the serial scanner into the buffer until ctx is done.
func (n *Node) runScanner(ctx context.Context) {
	if n.scans == nil {
		return
	}
	scanner.Run(ctx, scanner.Options{Port: n.cfg.Scanner, Baud: n.cfg.ScannerBaud, Logger: n.log, OnState: n.scans.state,
		OnScan: func(text string) {
			n.log.Info("QR scanned", "bytes", len(text)) // never the text: ID cards carry personal data
			n.scans.add(text)
		}})
}
