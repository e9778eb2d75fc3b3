package syncer

import (
	"cmp"
	"context"
	"fmt"
	"strings"
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

// Alarm is a condition staff must see.
type Alarm struct {
	Code      string    `json:"code"` // AlarmEnrolment, AlarmUnsent
	Since     time.Time `json:"since"`
	MessageVI string    `json:"message_vi"`
	MessageEN string    `json:"message_en"`
}

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

// raiseQuietLocked sets the alarm's words, without a log line.
func (s *Syncer) raiseQuietLocked(code string, now time.Time) {
	a := Alarm{Code: code, Since: now}
	switch code {
	case AlarmEnrolment:
		a.MessageVI = "Máy chủ thành phố không nhận ki-ốt này. Đồng bộ đã dừng; hãy đăng ký lại ki-ốt hoặc liên hệ bộ phận kỹ thuật của thành phố."
		a.MessageEN = "The city server does not accept this kiosk. Sync has stopped; enrol the kiosk again or contact the city's IT team."
	case AlarmReplay:
		id := cmp.Or(s.kioskID, "<mã ki-ốt>")
		idEN := cmp.Or(s.kioskID, "<kiosk ID>")
		a.MessageVI = "Máy chủ thành phố từ chối chữ ký của ki-ốt vì đồng hồ của ki-ốt đã bị lùi lại (hoặc vừa khôi phục bản sao lưu). Không đăng ký lại ki-ốt. Hãy gọi quản trị viên thành phố để đặt lại đồng hồ của ki-ốt: cityd reset-clock " + id + ". Trong lúc chờ, ki-ốt vẫn nhận yêu cầu và tự thử đồng bộ lại."
		a.MessageEN = "The city refuses this kiosk's signatures as replays: the kiosk's clock went back (or a backup was restored). Do not enrol the kiosk again. Call the city operator to reset this kiosk's clock: cityd reset-clock " + idEN + ". Meanwhile the kiosk still takes requests and keeps trying to sync."
	case AlarmSkew:
		off := s.skew.Round(time.Minute)
		a.MessageVI = fmt.Sprintf("Đồng hồ của ki-ốt lệch %s so với máy chủ thành phố. Ngày hẹn trả kết quả và lệ phí vẫn tính theo giờ của thành phố, nhưng hãy chỉnh lại đồng hồ của ki-ốt (hoặc gọi bộ phận kỹ thuật).", durationVI(off))
		a.MessageEN = fmt.Sprintf("The kiosk's clock is %s off the city server's. Expected dates and fees still follow the city's time, but set the kiosk's clock right (or call the IT team).", off.Abs())
	case AlarmUnsent:
		a.MessageVI = "Có yêu cầu chưa gửi được tới thành phố quá lâu. Hãy kiểm tra mạng, hoặc chuyển bằng USB."
		a.MessageEN = "A request has waited too long to reach the city. Check the network, or move it by USB."
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

// durationVI writes a clock offset in Vietnamese words: "2 giờ 5 phút".
func durationVI(d time.Duration) string {
	d = d.Abs().Round(time.Minute)
	days, h, m := int(d/(24*time.Hour)), int(d%(24*time.Hour)/time.Hour), int(d%time.Hour/time.Minute)
	var parts []string
	if days > 0 {
		parts = append(parts, fmt.Sprintf("%d ngày", days))
	}
	if h > 0 {
		parts = append(parts, fmt.Sprintf("%d giờ", h))
	}
	if m > 0 || len(parts) == 0 {
		parts = append(parts, fmt.Sprintf("%d phút", m))
	}
	return strings.Join(parts, " ")
}
