package city

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"sync"
	"time"

	"communekiosk/sync/syncproto"
)

// WriteProber is implemented by stores that can test a write cheaply
// (citybolt: one small transaction). /healthz calls it, so a store that
// can read but not write (a full disk, a read-only mount) is reported.
type WriteProber interface {
	ProbeWrite(ctx context.Context) error
}

// writeHealth remembers whether the store's last write failed. Every
// handler that writes reports to it; /healthz reads it.
type writeHealth struct {
	mu       sync.Mutex
	probeAt  time.Time // the last write probe and its outcome
	probeErr error
	failing  int       // writes failed since the last that succeeded
	lastErr  string    // the last failure, without personal data (store errors carry none)
	since    time.Time // the first failure of the current run
}

// note records the outcome of a store write. Refusals that are answers
// (not found, a used code, a replay, a move not allowed, a caller gone)
// say nothing about the store's health.
func (h *writeHealth) note(err error, now time.Time) {
	switch {
	case errors.Is(err, ErrNotFound), errors.Is(err, ErrCodeInvalid), errors.Is(err, ErrRevoked),
		errors.Is(err, ErrBadTransition), errors.Is(err, syncproto.ErrReplay),
		errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if err == nil {
		h.failing, h.lastErr = 0, ""
		return
	}
	if h.failing == 0 {
		h.since = now
	}
	h.failing++
	h.lastErr = err.Error()
}

// probeEvery bounds how often /healthz writes: it needs no token, so each
// call must not cost a committed transaction.
const probeEvery = 5 * time.Second

// probe runs p at most once per probeEvery and returns the last outcome.
func (h *writeHealth) probe(ctx context.Context, p WriteProber, now time.Time) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if !h.probeAt.IsZero() && now.Sub(h.probeAt) < probeEvery && now.Sub(h.probeAt) >= 0 {
		return h.probeErr
	}
	h.probeAt, h.probeErr = now, p.ProbeWrite(ctx)
	return h.probeErr
}

func (h *writeHealth) state() (failing int, lastErr string, since time.Time) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.failing, h.lastErr, h.since
}

// handleHealthz answers 200 "ok" when the store reads, its write probe
// (if it has one) succeeds and its last write did not fail; otherwise 503
// saying which. The store's own error text (paths, addresses) is only on
// the metrics listener's /healthz, for the operator; it is logged either way.
func (s *Server) handleHealthz(w http.ResponseWriter, r *http.Request) { s.healthz(w, r, false) }

func (s *Server) handleHealthzDetail(w http.ResponseWriter, r *http.Request) { s.healthz(w, r, true) }

func (s *Server) healthz(w http.ResponseWriter, r *http.Request, detail bool) {
	why := func(err string) string {
		if detail {
			return ": " + err
		}
		return ""
	}
	if _, err := s.store.Epoch(r.Context()); err != nil {
		s.log.Error("Health: store does not read", "err", err)
		writeError(w, http.StatusServiceUnavailable, CodeInternal, "store unavailable: it does not read")
		return
	}
	if p, ok := s.store.(WriteProber); ok {
		// A probe that succeeds does not clear a failed real write: a
		// small write can still fit where a push no longer does.
		if err := s.health.probe(r.Context(), p, s.now()); err != nil {
			s.log.Error("Health: store write probe failed", "err", err)
			writeError(w, http.StatusServiceUnavailable, CodeInternal, "store unhealthy: a test write failed"+why(err.Error()))
			return
		}
	}
	if n, last, since := s.health.state(); n > 0 {
		writeError(w, http.StatusServiceUnavailable, CodeInternal,
			"store unhealthy: the last "+strconv.Itoa(n)+" writes failed since "+since.UTC().Format(time.RFC3339)+why(last))
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte("ok\n"))
}
