package syncer

import (
	"context"
	"strconv"
	"sync"
	"time"

	"communekiosk/sync/syncproto"
)

// Syncer moves the kiosk's requests to the city and the city's statuses
// back. RunOnce does one sync; Run adds the triggers (cron, start-up,
// submissions, staff), single flight and backoff. All methods are safe for
// concurrent use.
type Syncer struct {
	opts Options

	// runMu serialises RunOnce: one sync at a time, whoever starts it.
	runMu sync.Mutex

	mu        sync.Mutex
	last      Result
	running   bool
	pending   string    // a trigger that arrived while running ("" none)
	failures  int       // consecutive failed runs
	next      time.Time // no automatic attempt before
	retry     Timer     // pending backoff retry
	retryGen  int       // invalidates a retry timer that fired late
	poke      Timer     // pending debounced poke
	stopped   bool      // 401/403 or not enrolled: no automatic retries
	alarms    map[string]Alarm
	oldest    time.Time // oldest unsent request at the last count
	limits    limits
	city      syncproto.Limits // the city's last limits
	lastFail  failMark         // the last failed run, for heartbeats
	skew      time.Duration
	skewKnown bool            // skew was measured
	kioskID   string          // this kiosk, as the last run read it
	runCtx    context.Context // set while Run runs
}

// failMark is a failed run's error code and when it ended ("" none).
type failMark struct {
	code string
	at   time.Time
}

// limits are the batch bounds in force, lowered by the city and by 413s.
type limits struct {
	items, bytes int
}

// New returns a Syncer. It starts nothing; call Run.
func New(opts Options) *Syncer {
	opts.defaults()
	return &Syncer{
		opts:   opts,
		alarms: map[string]Alarm{},
		limits: limits{items: opts.MaxItems, bytes: opts.MaxBytes},
	}
}

// Last returns the result of the last finished run.
func (s *Syncer) Last() Result {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.last
}

// Alarm is a condition staff must see, as a code with parameters that
// app and the frontend say in words.
type Alarm struct {
	Code  string    `json:"code"` // one of the Alarm constants
	Since time.Time `json:"since"`
	// Params are the alarm's parameters by name: AlarmReplay has
	// ParamKioskID (absent before the kiosk's ID is known), AlarmSkew
	// ParamOffsetMinutes; the others have none.
	Params map[string]string `json:"params,omitempty"`
}

// Parameters of an Alarm.
const (
	// ParamKioskID is the kiosk's ID, for the operator's
	// "cityd reset-clock KIOSK".
	ParamKioskID = "kiosk_id"
	// ParamOffsetMinutes is how far the kiosk's clock is off the city's,
	// in whole minutes (decimal, never negative).
	ParamOffsetMinutes = "offset_minutes"
)

// Alarm codes.
const (
	AlarmEnrolment = syncproto.AlarmEnrolment
	AlarmUnsent    = syncproto.AlarmUnsent
	// AlarmReplay: the city refuses the kiosk's signatures as replays;
	// the city operator must reset the kiosk's clock (not re-enrol it).
	AlarmReplay = syncproto.AlarmClockReplay
	// AlarmSkew: the kiosk's clock is off the city's by more than
	// Options.SkewAlarm.
	AlarmSkew = syncproto.AlarmClockSkew
)

// State is what the staff screen shows about sync.
type State struct {
	Running     bool      `json:"running"`
	NextAttempt time.Time `json:"next_attempt,omitzero"` // zero: at the next schedule
	Failures    int       `json:"failures"`
	Stopped     bool      `json:"stopped"` // no automatic retries until staff act
	Alarms      []Alarm   `json:"alarms"`
	Last        Result    `json:"last"`
	// OldestUnsent is the creation time of the oldest unsent request at the
	// last count (zero when none).
	OldestUnsent time.Time `json:"oldest_unsent,omitzero"`
	// Exported describes the last USB export still awaiting a receipt.
	Exported *ExportMark `json:"exported,omitempty"`
}

// State returns the current state.
func (s *Syncer) State() State {
	exported := s.exportMark()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.checkUnsentLocked(s.opts.Now())
	st := State{
		Running:      s.running,
		NextAttempt:  s.next,
		Failures:     s.failures,
		Stopped:      s.stopped,
		Last:         s.last,
		OldestUnsent: s.oldest,
		Exported:     exported,
	}
	for _, code := range []string{AlarmEnrolment, AlarmReplay, AlarmSkew, AlarmUnsent} {
		if a, ok := s.alarms[code]; ok {
			st.Alarms = append(st.Alarms, a)
		}
	}
	return st
}

func (s *Syncer) raiseLocked(code string, now time.Time) {
	if _, ok := s.alarms[code]; ok {
		return
	}
	s.raiseQuietLocked(code, now)
	s.opts.Logger.Warn("Sync alarm raised", "alarm", code)
}

// raiseQuietLocked sets the alarm and its parameters, without a log line.
func (s *Syncer) raiseQuietLocked(code string, now time.Time) {
	a := Alarm{Code: code, Since: now}
	switch code {
	case AlarmReplay:
		if s.kioskID != "" {
			a.Params = map[string]string{ParamKioskID: s.kioskID}
		}
	case AlarmSkew:
		a.Params = map[string]string{ParamOffsetMinutes: strconv.FormatInt(int64(s.skew.Abs().Round(time.Minute)/time.Minute), 10)}
	}
	s.alarms[code] = a
}

func (s *Syncer) clearLocked(code string) {
	if _, ok := s.alarms[code]; ok {
		delete(s.alarms, code)
		s.opts.Logger.Info("Sync alarm cleared", "alarm", code)
	}
}

// checkUnsentLocked raises or clears the unsent-age alarm.
func (s *Syncer) checkUnsentLocked(now time.Time) {
	if !s.oldest.IsZero() && now.Sub(s.oldest) > s.opts.UnsentAlarm {
		s.raiseLocked(AlarmUnsent, now)
	} else {
		s.clearLocked(AlarmUnsent)
	}
}
