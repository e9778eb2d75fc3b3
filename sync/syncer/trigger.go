package syncer

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/robfig/cron/v3"

	"communekiosk/sync/syncproto"
)

// ErrNotRunning is returned by SyncNow when Run is not running.
var ErrNotRunning = errors.New("syncer: the sync loop is not running")

// Run runs the triggers until ctx ends: the cron schedule, one sync at
// start-up, a sync shortly after each Poke, and SyncNow from staff. Only
// one sync runs at a time; a trigger that arrives meanwhile is coalesced
// into one more run after it. After a failure the next automatic attempt
// waits a full-jitter exponential backoff (30 s to 30 min, no attempt
// limit); 401/403 stops automatic attempts until staff act or the kiosk is
// enrolled again. Run returns nil when ctx ends, or an error when the
// schedule is invalid or Run is already running.
func (s *Syncer) Run(ctx context.Context) error {
	sched, err := parseSchedule(s.opts.Schedule)
	if err != nil {
		return err
	}
	s.mu.Lock()
	if s.runCtx != nil {
		s.mu.Unlock()
		return errors.New("syncer: Run is already running")
	}
	s.runCtx = ctx
	s.mu.Unlock()

	c := newCron(s.opts.Logger)
	c.Schedule(sched, cron.FuncJob(func() { s.trigger(ctx, TriggerCron) }))
	c.Start()

	var wg sync.WaitGroup
	wg.Go(func() { s.trigger(ctx, TriggerStartup) })
	<-ctx.Done()

	<-c.Stop().Done()
	wg.Wait()
	s.mu.Lock()
	s.runCtx = nil
	if s.retry != nil {
		s.retry.Stop()
		s.retry = nil
	}
	if s.poke != nil {
		s.poke.Stop()
		s.poke = nil
	}
	s.mu.Unlock()
	// Wait for a sync a timer may have started.
	s.runMu.Lock()
	//lint:ignore SA2001 an empty critical section waits for the run to end
	s.runMu.Unlock()
	return nil
}

// newCron is the scheduler of Run: Hanoi time, and the chain
// SkipIfStillRunning then Recover. The order matters: with Recover inside,
// a panicking job releases SkipIfStillRunning's lock; the other way round
// (robfig/cron v3.0.1) the lock is never released and the job never runs
// again.
func newCron(log *slog.Logger) *cron.Cron {
	l := cronLogger{log}
	return cron.New(
		cron.WithLocation(Location()),
		cron.WithLogger(l),
		cron.WithChain(cron.SkipIfStillRunning(l), cron.Recover(l)),
	)
}

// SyncNow asks for a sync at once, whatever the backoff, and also after a
// 401/403 (staff acted). It returns at once; follow it with State, Last and
// OnProgress.
func (s *Syncer) SyncNow() error {
	ctx := s.loopContext()
	if ctx == nil {
		return ErrNotRunning
	}
	go s.trigger(ctx, TriggerStaff)
	return nil
}

// Poke tells the syncer a request was just submitted: a sync starts after
// the debounce delay (5 s), and pokes during that delay are absorbed. A
// poke respects the backoff and a 401/403 stop. It never blocks.
func (s *Syncer) Poke() {
	s.mu.Lock()
	defer s.mu.Unlock()
	ctx := s.runCtx
	if ctx == nil || s.poke != nil {
		return
	}
	s.poke = s.opts.AfterFunc(s.opts.Debounce, func() {
		s.mu.Lock()
		s.poke = nil
		s.mu.Unlock()
		s.trigger(ctx, TriggerPoke)
	})
}

func (s *Syncer) loopContext() context.Context {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.runCtx
}

// forced triggers run whatever the backoff or a stop.
func forced(trigger string) bool {
	return trigger == TriggerStartup || trigger == TriggerStaff || trigger == TriggerEnrol
}

// trigger is the single-flight entry of every trigger. It returns when the
// sync it started (and any coalesced one after it) is done, or at once
// when a sync is already running or the trigger is held back.
func (s *Syncer) trigger(ctx context.Context, why string) {
	s.mu.Lock()
	if ctx.Err() != nil || s.heldLocked(why) {
		s.mu.Unlock()
		return
	}
	if s.running {
		if s.pending == "" || forced(why) {
			s.pending = why
		}
		s.mu.Unlock()
		return
	}
	s.running = true
	s.mu.Unlock()
	for {
		err := s.runSafely(ctx, why)
		s.mu.Lock()
		s.afterRunLocked(ctx, why, err)
		why, s.pending = s.pending, ""
		if why == "" || ctx.Err() != nil || s.heldLocked(why) {
			s.running = false
			s.mu.Unlock()
			return
		}
		s.mu.Unlock()
	}
}

// runSafely is runOnce with a panic (a store or callback bug) turned into
// a failed run, so that a trigger outside cron (which has its own Recover)
// neither crashes the kiosk nor leaves sync marked running forever.
func (s *Syncer) runSafely(ctx context.Context, why string) (err error) {
	defer func() {
		if p := recover(); p != nil {
			s.opts.Logger.Error("Sync panicked", "trigger", why, "panic", fmt.Sprint(p))
			err = fmt.Errorf("syncer: sync panicked: %v: %w", p, errProtocol)
			s.mu.Lock()
			s.last = Result{Started: s.opts.Now(), Finished: s.opts.Now(), Trigger: why, Err: err}
			s.last.ErrorCode = ErrorCode(err)
			s.mu.Unlock()
		}
	}()
	_, err = s.runOnce(ctx, why)
	return err
}

// heldLocked reports whether an automatic trigger must wait: sync is
// stopped (401/403, not enrolled) or a backoff is in force.
func (s *Syncer) heldLocked(why string) bool {
	if forced(why) {
		return false
	}
	if s.stopped {
		return true
	}
	return why != TriggerRetry && !s.next.IsZero() && s.opts.Now().Before(s.next)
}

// afterRunLocked updates backoff, stop and alarms after a run. Any
// success resets the backoff. A failed "sync now" from staff does not add
// to it: the failure count stays, and a retry already scheduled keeps its
// time.
func (s *Syncer) afterRunLocked(ctx context.Context, why string, err error) {
	now := s.opts.Now()
	var ra *syncproto.RetryAfterError
	switch {
	case err == nil:
		s.failures = 0
		s.next = time.Time{}
		s.stopped = false
		s.clearLocked(AlarmEnrolment)
		s.clearLocked(AlarmReplay)
		s.cancelRetryLocked()
		return
	case errors.Is(err, context.Canceled) && ctx.Err() != nil:
		return
	case errors.Is(err, syncproto.ErrReplay):
		// Not an enrolment problem: alarm, and keep trying on the
		// backoff below (the operator's reset-clock lets the next try in).
		s.raiseLocked(AlarmReplay, now)
	case errors.Is(err, syncproto.ErrUnauthorized):
		s.failures++
		s.stopped = true
		s.next = time.Time{}
		s.raiseLocked(AlarmEnrolment, now)
		s.cancelRetryLocked()
		return
	case errors.Is(err, ErrNotEnrolled):
		s.stopped = true
		s.next = time.Time{}
		s.cancelRetryLocked()
		return
	}
	if why == TriggerStaff && !s.next.IsZero() && now.Before(s.next) {
		s.opts.Logger.Info("Staff sync failed; the scheduled attempt stands", "at", s.next.UTC(), "failures", s.failures)
		return
	}
	if why != TriggerStaff {
		s.failures++
	}
	d := backoffDelay(max(s.failures, 1), s.opts.BackoffBase, s.opts.BackoffCap, s.opts.Rand)
	if errors.As(err, &ra) {
		d = min(max(ra.After, 0), s.opts.BackoffCap)
	}
	if oh := s.opts.OfficeHours; oh != nil && d > s.opts.OfficeBackoffCap && (oh(now) || oh(now.Add(d))) {
		d = s.opts.OfficeBackoffCap
	}
	s.next = now.Add(d)
	s.cancelRetryLocked()
	s.retryGen++
	gen := s.retryGen
	s.retry = s.opts.AfterFunc(d, func() {
		s.mu.Lock()
		stale := gen != s.retryGen
		s.mu.Unlock()
		if !stale {
			s.trigger(ctx, TriggerRetry)
		}
	})
	s.opts.Logger.Info("Next sync attempt scheduled", "in", d.String(), "failures", s.failures)
}

func (s *Syncer) cancelRetryLocked() {
	s.retryGen++
	if s.retry != nil {
		s.retry.Stop()
		s.retry = nil
	}
}
