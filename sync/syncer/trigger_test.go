package syncer

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"communekiosk/sync/syncproto"
)

func transientDown(syncproto.PushRequest) (syncproto.PushResponse, error) {
	return syncproto.PushResponse{}, &syncproto.TransientError{Op: "push", Err: errors.New("connection refused")}
}

func TestBackoffDelayBounds(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	base, cap := 30*time.Second, 30*time.Minute
	for n := 1; n <= 200; n++ {
		ceiling := cap
		if n < 20 {
			ceiling = min(cap, base<<(n-1))
		}
		for range 50 {
			d := backoffDelay(n, base, cap, rng)
			if d < base || d > ceiling {
				t.Fatalf("attempt %d: delay %v outside [%v, %v]", n, d, base, ceiling)
			}
		}
	}
	if d := backoffDelay(1, base, cap, rng); d != base {
		t.Fatalf("first delay %v, want %v", d, base)
	}
}

// TestBackoffSequence drives failures through the trigger path: each
// failure schedules one retry with the next delay of a seeded sequence,
// within 30 s..30 min; a success resets it.
func TestBackoffSequence(t *testing.T) {
	delays := func(seed uint64) []time.Duration {
		clk := newFakeClock()
		store := newTestKiosk(t, 1)
		city := &fakeCity{push: transientDown}
		s := newTestSyncer(store, city, clk, func(o *Options) { o.Rand = rand.New(rand.NewPCG(seed, 7)) })
		ctx := context.Background()
		s.trigger(ctx, TriggerStartup)
		var out []time.Duration
		for i := 0; i < 12; i++ {
			live := clk.live()
			if len(live) != 1 {
				t.Fatalf("after failure %d: %d timers", i+1, len(live))
			}
			st := s.State()
			if st.Failures != i+1 || !st.NextAttempt.Equal(clk.Now().Add(live[0].d)) {
				t.Fatalf("state %+v", st)
			}
			out = append(out, live[0].d)
			// An automatic trigger during the backoff is held back.
			s.trigger(ctx, TriggerCron)
			if n := len(city.batches); n != i+1 {
				t.Fatalf("cron ran during backoff: %d pushes", n)
			}
			clk.fire(live[0])
		}
		// success resets
		city.mu.Lock()
		city.push = nil
		city.mu.Unlock()
		clk.fire(clk.live()[0])
		if st := s.State(); st.Failures != 0 || !st.NextAttempt.IsZero() || len(clk.live()) != 0 {
			t.Fatalf("after success: %+v, %d timers", st, len(clk.live()))
		}
		city.mu.Lock()
		city.push = transientDown
		city.mu.Unlock()
		store.submit(1)
		s.trigger(ctx, TriggerCron)
		if d := clk.live()[0].d; d != DefaultBackoffBase {
			t.Fatalf("first delay after reset %v", d)
		}
		return out
	}
	a, b := delays(42), delays(42)
	if fmt.Sprint(a) != fmt.Sprint(b) {
		t.Fatalf("not deterministic: %v vs %v", a, b)
	}
	for i, d := range a {
		ceiling := min(DefaultBackoffCap, DefaultBackoffBase<<i)
		if d < DefaultBackoffBase || d > ceiling {
			t.Fatalf("delay %d = %v outside [30s, %v]", i+1, d, ceiling)
		}
	}
	t.Logf("delays (seed 42): %v", a)
}

func TestRetryAfterHonoured(t *testing.T) {
	clk := newFakeClock()
	store := newTestKiosk(t, 3)
	calls := 0
	city := &fakeCity{push: func(req syncproto.PushRequest) (syncproto.PushResponse, error) {
		calls++
		if calls == 1 {
			return syncproto.PushResponse{}, &syncproto.RetryAfterError{Op: "push", Status: 429, After: 2 * time.Minute}
		}
		return acceptAll(req)
	}}
	s := newTestSyncer(store, city, clk, nil)
	s.trigger(context.Background(), TriggerCron)
	live := clk.live()
	if len(live) != 1 || live[0].d != 2*time.Minute {
		t.Fatalf("timers %+v", live)
	}
	if st := s.State(); st.Last.ErrorCode != CodeBusy || !st.NextAttempt.Equal(clk.Now().Add(2*time.Minute)) {
		t.Fatalf("state %+v", st)
	}
	clk.fire(live[0])
	if store.queued() != 0 || s.State().Failures != 0 {
		t.Fatalf("queued %d state %+v", store.queued(), s.State())
	}
}

func TestUnauthorizedStopsWithAlarm(t *testing.T) {
	clk := newFakeClock()
	store := newTestKiosk(t, 2)
	city := &fakeCity{push: func(syncproto.PushRequest) (syncproto.PushResponse, error) {
		return syncproto.PushResponse{}, fmt.Errorf("syncclient: push: 401: %w", syncproto.ErrUnauthorized)
	}}
	s := newTestSyncer(store, city, clk, nil)
	ctx := context.Background()
	s.trigger(ctx, TriggerCron)
	st := s.State()
	if !st.Stopped || len(st.Alarms) != 1 || st.Alarms[0].Code != AlarmEnrolment || len(clk.live()) != 0 {
		t.Fatalf("state %+v timers %d", st, len(clk.live()))
	}
	if st.Last.ErrorCode != CodeUnauthorized {
		t.Fatalf("last %+v", st.Last)
	}
	// Automatic triggers do nothing, however much time passes.
	clk.Advance(48 * time.Hour)
	for _, why := range []string{TriggerCron, TriggerPoke, TriggerRetry} {
		s.trigger(ctx, why)
	}
	if n := len(city.batches); n != 1 {
		t.Fatalf("%d pushes while stopped", n)
	}
	// Staff act: sync now runs; on success the stop and the alarm clear.
	city.mu.Lock()
	city.push = nil
	city.mu.Unlock()
	s.trigger(ctx, TriggerStaff)
	st = s.State()
	if st.Stopped || hasAlarm(st, AlarmEnrolment) || store.queued() != 0 {
		t.Fatalf("after staff sync: %+v", st)
	}
}

func hasAlarm(st State, code string) bool {
	for _, a := range st.Alarms {
		if a.Code == code {
			return true
		}
	}
	return false
}

func TestUnsentAlarm(t *testing.T) {
	clk := newFakeClock()
	store := newTestKiosk(t, 0)
	store.submitAt(clk.Now().Add(-23*time.Hour), 1)
	city := &fakeCity{push: transientDown}
	s := newTestSyncer(store, city, clk, nil)
	s.trigger(context.Background(), TriggerCron)
	if st := s.State(); hasAlarm(st, AlarmUnsent) || st.OldestUnsent.IsZero() {
		t.Fatalf("alarm too early: %+v", st)
	}
	clk.Advance(2 * time.Hour) // the oldest request is now 25 h old
	if st := s.State(); !hasAlarm(st, AlarmUnsent) {
		t.Fatalf("no unsent alarm: %+v", st)
	}
	city.mu.Lock()
	city.push = nil
	city.mu.Unlock()
	s.trigger(context.Background(), TriggerStaff)
	if st := s.State(); hasAlarm(st, AlarmUnsent) || !st.OldestUnsent.IsZero() {
		t.Fatalf("alarm stays after the queue drained: %+v", st)
	}
}

func TestSingleFlight(t *testing.T) {
	clk := newFakeClock()
	store := newTestKiosk(t, 1)
	entered := make(chan struct{}, 10)
	release := make(chan struct{})
	var inFlight, maxInFlight, runs atomic.Int32
	city := &fakeCity{}
	city.pull = func(req syncproto.PullRequest) (syncproto.PullResponse, error) {
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		for {
			m := maxInFlight.Load()
			if n <= m || maxInFlight.CompareAndSwap(m, n) {
				break
			}
		}
		runs.Add(1)
		entered <- struct{}{}
		<-release
		return syncproto.PullResponse{Version: 1, Next: req.Cursor}, nil
	}
	s := newTestSyncer(store, city, clk, nil)
	ctx := context.Background()
	done := make(chan struct{})
	go func() { s.trigger(ctx, TriggerStartup); close(done) }()
	<-entered
	var wg sync.WaitGroup
	for i := range 20 {
		why := []string{TriggerCron, TriggerPoke, TriggerStaff, TriggerRetry}[i%4]
		wg.Go(func() { s.trigger(ctx, why) })
	}
	wg.Wait() // every trigger returned at once: coalesced, not queued
	if !s.State().Running {
		t.Fatal("not running")
	}
	release <- struct{}{} // first run ends; the coalesced one starts
	<-entered
	release <- struct{}{}
	<-done
	if runs.Load() != 2 || maxInFlight.Load() != 1 {
		t.Fatalf("runs %d, max in flight %d", runs.Load(), maxInFlight.Load())
	}
	if s.Last().Trigger != TriggerStaff {
		t.Fatalf("coalesced trigger %q, want the forced one", s.Last().Trigger)
	}
	if s.State().Running {
		t.Fatal("still running")
	}
}

func TestPokeDebounce(t *testing.T) {
	clk := newFakeClock()
	store := newTestKiosk(t, 0)
	city := &fakeCity{}
	s := newTestSyncer(store, city, clk, nil)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s.Poke() // not running: nothing
	if len(clk.live()) != 0 {
		t.Fatal("poke before Run scheduled a sync")
	}
	s.mu.Lock()
	s.runCtx = ctx
	s.mu.Unlock()
	for range 5 {
		store.submit(1)
		s.Poke()
	}
	live := clk.live()
	if len(live) != 1 || live[0].d != DefaultDebounce {
		t.Fatalf("timers %+v", live)
	}
	clk.fire(live[0])
	if n := len(city.batches); n != 1 || store.queued() != 0 {
		t.Fatalf("%d pushes, %d queued", n, store.queued())
	}
	s.Poke()
	if len(clk.live()) != 1 {
		t.Fatal("a poke after the debounce fired did not schedule")
	}
}

func TestRunStartupAndStop(t *testing.T) {
	clk := newFakeClock()
	store := newTestKiosk(t, 3)
	done := make(chan Result, 4)
	s := newTestSyncer(store, &fakeCity{}, clk, func(o *Options) {
		o.OnProgress = func(p Progress) {
			if p.Phase == PhaseDone {
				done <- Result{Pushed: p.ItemsSent}
			}
		}
	})
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- s.Run(ctx) }()
	r := <-done
	if r.Pushed != 3 || s.Last().Trigger != TriggerStartup {
		t.Fatalf("startup run %+v last %+v", r, s.Last())
	}
	if err := s.SyncNow(); err != nil {
		t.Fatal(err)
	}
	<-done
	cancel()
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	if err := s.SyncNow(); !errors.Is(err, ErrNotRunning) {
		t.Fatalf("SyncNow after Run: %v", err)
	}
}

func TestRunRefusesBadSchedule(t *testing.T) {
	s := New(Options{Schedule: "every quarter hour", Logger: quietLogger()})
	err := s.Run(context.Background())
	if err == nil || !strings.Contains(err.Error(), "not a valid cron spec") {
		t.Fatalf("err %v", err)
	}
}

func TestValidateSchedule(t *testing.T) {
	tests := []struct {
		spec string
		ok   bool
	}{
		{"*/15 * * * *", true},
		{"0 7-17 * * 1-6", true},
		{"@hourly", true},
		{"@every 10m", true},
		{"@every 5s", false},
		{"", false},
		{"   ", false},
		{"* * * * * *", false}, // seconds field not allowed
		{"61 * * * *", false},
		{"every 15 minutes", false},
		{"TZ=UTC */15 * * * *", false},
	}
	for _, tc := range tests {
		t.Run(tc.spec, func(t *testing.T) {
			err := ValidateSchedule(tc.spec)
			if (err == nil) != tc.ok {
				t.Fatalf("ValidateSchedule(%q) = %v", tc.spec, err)
			}
		})
	}
}

func TestScheduleInHanoiTime(t *testing.T) {
	sched, err := parseSchedule("0 8 * * *")
	if err != nil {
		t.Fatal(err)
	}
	loc := Location()
	if loc.String() != DefaultTimeZone {
		t.Fatalf("location %s", loc)
	}
	from := time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC).In(loc) // 07:00 in Hanoi
	next := sched.Next(from)
	if next.UTC() != time.Date(2026, 11, 28, 1, 0, 0, 0, time.UTC) {
		t.Fatalf("next %v", next.UTC())
	}
}

func TestPanicInRunIsAFailure(t *testing.T) {
	clk := newFakeClock()
	store := newTestKiosk(t, 1)
	calls := 0
	city := &fakeCity{push: func(req syncproto.PushRequest) (syncproto.PushResponse, error) {
		calls++
		if calls == 1 {
			panic("store bug")
		}
		return acceptAll(req)
	}}
	s := newTestSyncer(store, city, clk, nil)
	s.trigger(context.Background(), TriggerStartup)
	st := s.State()
	if st.Running || st.Failures != 1 || st.Last.Err == nil || len(clk.live()) != 1 {
		t.Fatalf("after a panic: %+v", st)
	}
	clk.fire(clk.live()[0])
	if store.queued() != 0 {
		t.Fatal("the retry after a panic did not sync")
	}
}

// TestCronChainSurvivesPanic runs the wrapped job of Run's scheduler
// directly: after a panic, the job still runs the next time (Recover is
// inside SkipIfStillRunning).
func TestCronChainSurvivesPanic(t *testing.T) {
	c := newCron(quietLogger())
	sched, err := parseSchedule(DefaultSchedule)
	if err != nil {
		t.Fatal(err)
	}
	runs := 0
	id := c.Schedule(sched, cronFunc(func() {
		runs++
		if runs == 1 {
			panic("first run fails")
		}
	}))
	job := c.Entry(id).WrappedJob
	job.Run()
	job.Run()
	if runs != 2 {
		t.Fatalf("job ran %d times after a panic, want 2", runs)
	}
	if loc := c.Location().String(); loc != DefaultTimeZone {
		t.Fatalf("cron location %s", loc)
	}
}

type cronFunc func()

func (f cronFunc) Run() { f() }

// TestStaffSyncNowDoesNotLengthenBackoff: failed "sync now" taps leave
// the failure count and the scheduled retry as they were; a successful
// one resets the backoff.
func TestStaffSyncNowDoesNotLengthenBackoff(t *testing.T) {
	clk := newFakeClock()
	store := newTestKiosk(t, 1)
	city := &fakeCity{push: transientDown}
	s := newTestSyncer(store, city, clk, nil)
	ctx := context.Background()
	s.trigger(ctx, TriggerCron)
	before := s.State()
	if before.Failures != 1 || len(clk.live()) != 1 {
		t.Fatalf("after one failure: %+v", before)
	}
	for range 5 {
		clk.Advance(time.Second)
		s.trigger(ctx, TriggerStaff)
	}
	after := s.State()
	if n := len(city.batches); n != 6 {
		t.Fatalf("%d pushes, want 6 (staff taps run at once)", n)
	}
	if after.Failures != 1 || !after.NextAttempt.Equal(before.NextAttempt) || len(clk.live()) != 1 {
		t.Fatalf("staff taps changed the backoff: before %+v, after %+v, %d timers", before, after, len(clk.live()))
	}
	city.mu.Lock()
	city.push = nil
	city.mu.Unlock()
	s.trigger(ctx, TriggerStaff)
	if st := s.State(); st.Failures != 0 || !st.NextAttempt.IsZero() || len(clk.live()) != 0 {
		t.Fatalf("a staff success did not reset the backoff: %+v", st)
	}
}

// TestStaffFailureWithoutBackoffSchedulesBase: a first failure that comes
// from staff schedules the first retry, at the base delay.
func TestStaffFailureWithoutBackoffSchedulesBase(t *testing.T) {
	clk := newFakeClock()
	s := newTestSyncer(newTestKiosk(t, 1), &fakeCity{push: transientDown}, clk, nil)
	s.trigger(context.Background(), TriggerStaff)
	live := clk.live()
	if st := s.State(); st.Failures != 0 || len(live) != 1 || live[0].d != DefaultBackoffBase {
		t.Fatalf("state %+v, timers %+v", st, live)
	}
}

// TestOfficeHoursCapBackoff: during office hours no wait exceeds the cap;
// outside them the backoff grows past it.
func TestOfficeHoursCapBackoff(t *testing.T) {
	for _, open := range []bool{true, false} {
		t.Run(fmt.Sprintf("open=%v", open), func(t *testing.T) {
			clk := newFakeClock()
			var asked []time.Time
			s := newTestSyncer(newTestKiosk(t, 1), &fakeCity{push: transientDown}, clk, func(o *Options) {
				o.Rand = rand.New(rand.NewPCG(3, 4))
				o.OfficeHours = func(t time.Time) bool { asked = append(asked, t); return open }
			})
			s.trigger(context.Background(), TriggerCron)
			longest := time.Duration(0)
			for range 12 {
				live := clk.live()
				if len(live) != 1 {
					t.Fatalf("%d timers", len(live))
				}
				longest = max(longest, live[0].d)
				clk.fire(live[0])
			}
			if open && longest > DefaultOfficeCap {
				t.Fatalf("a wait of %v during office hours", longest)
			}
			if !open && longest <= DefaultOfficeCap {
				t.Fatalf("outside office hours the backoff stayed at %v", longest)
			}
			if len(asked) == 0 {
				t.Fatal("office hours never asked")
			}
		})
	}
}

// TestReplayKeepsTryingWithAlarm: a replay refusal is not an enrolment
// problem: sync does not stop, a retry is scheduled, staff read that the
// city operator must reset the kiosk's clock, and a success clears it.
func TestReplayKeepsTryingWithAlarm(t *testing.T) {
	clk := newFakeClock()
	store := newTestKiosk(t, 2)
	city := &fakeCity{push: func(syncproto.PushRequest) (syncproto.PushResponse, error) {
		return syncproto.PushResponse{}, fmt.Errorf("syncclient: push: 401 replay: %w", syncproto.ErrReplay)
	}}
	s := newTestSyncer(store, city, clk, nil)
	ctx := context.Background()
	s.trigger(ctx, TriggerCron)
	st := s.State()
	if st.Stopped || st.Failures != 1 || len(clk.live()) != 1 {
		t.Fatalf("a replay stopped sync: %+v, %d timers", st, len(clk.live()))
	}
	if st.Last.ErrorCode != CodeReplay {
		t.Fatalf("last %+v", st.Last)
	}
	if len(st.Alarms) != 1 || st.Alarms[0].Code != AlarmReplay || st.Alarms[0].Params[ParamKioskID] != "K1" {
		t.Fatalf("alarms %+v", st.Alarms)
	}
	city.mu.Lock()
	city.push = nil
	city.mu.Unlock()
	clk.fire(clk.live()[0])
	if st := s.State(); len(st.Alarms) != 0 || st.Failures != 0 || store.queued() != 0 {
		t.Fatalf("after the reset: %+v", st)
	}
}

// TestClockSkewAlarm: past the threshold the kiosk's clock offset is an
// alarm (staff screen and heartbeat) and ClockOffset reports it; back
// within, it clears.
func TestClockSkewAlarm(t *testing.T) {
	clk := newFakeClock()
	city := &fakeCity{now: clk.Now().Add(-3 * time.Hour)} // the kiosk is 3 h ahead
	s := newTestSyncer(newTestKiosk(t, 0), city, clk, nil)
	if _, ok := s.ClockOffset(); ok {
		t.Fatal("an offset known before any exchange")
	}
	if _, err := s.RunOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	off, ok := s.ClockOffset()
	if !ok || off != -3*time.Hour {
		t.Fatalf("offset %v %v", off, ok)
	}
	st := s.State()
	if len(st.Alarms) != 1 || st.Alarms[0].Code != AlarmSkew || st.Alarms[0].Params[ParamOffsetMinutes] != "180" {
		t.Fatalf("alarms %+v", st.Alarms)
	}
	// The next heartbeat carries it.
	if _, err := s.RunOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	if b := city.beats[len(city.beats)-1]; !slices.Contains(b.Alarms, syncproto.AlarmClockSkew) {
		t.Fatalf("heartbeat alarms %v", b.Alarms)
	}
	city.mu.Lock()
	city.now = clk.Now().Add(time.Minute)
	city.mu.Unlock()
	if _, err := s.RunOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	if st := s.State(); len(st.Alarms) != 0 {
		t.Fatalf("alarms within the threshold %+v", st.Alarms)
	}
}
