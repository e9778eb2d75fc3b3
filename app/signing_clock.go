package app

import (
	"sync"
	"time"
)

const settingLastSigned = "last_signed_time"

// signingClock is the clock the kiosk signs its calls with: the real clock,
// but never behind the last time it signed, even across restarts. A kiosk
// whose clock was set back (a flat CMOS battery, a bad NTP answer) would
// otherwise sign with a time the city takes for a replay, and stop syncing.
// The last signed time is stored at most once a minute; the gap is within
// the city's replay window.
func (n *Node) signingClock() func() time.Time {
	var (
		mu     sync.Mutex
		last   time.Time
		stored time.Time
	)
	if v, _ := n.db.Setting(settingLastSigned); v != "" {
		if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
			last, stored = t, t
		}
	}
	return func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		now := n.now()
		if now.Before(last) {
			now = last.Add(time.Millisecond)
		}
		last = now
		if now.Sub(stored) >= time.Minute || now.Before(stored) {
			if err := n.db.SetSetting(settingLastSigned, now.UTC().Format(time.RFC3339Nano)); err == nil {
				stored = now
			}
		}
		return now
	}
}
