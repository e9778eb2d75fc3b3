package city

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"communekiosk/kiosk"
)

// Level is how urgently a kiosk needs someone. Values are sent (JSON,
// /metrics): strings.
type Level string

const (
	LevelOK      Level = "ok"
	LevelAmber   Level = "amber"
	LevelRed     Level = "red"
	LevelRevoked Level = "revoked" // no alerts: nobody expects it to call
)

func (l Level) rank() int {
	switch l {
	case LevelRed:
		return 3
	case LevelAmber:
		return 2
	case LevelOK:
		return 1
	}
	return 0
}

// Signals a kiosk is assessed on (the alert's Signal; also /metrics labels).
const (
	SignalSilent       = "silent"        // no heartbeat for a while
	SignalOldestUnsent = "oldest_unsent" // a citizen's request waits on the kiosk
	SignalQuarantine   = "quarantine"    // requests the city refused or found in conflict
	SignalDisk         = "disk"          // free disk space
	SignalClockSkew    = "clock_skew"    // kiosk clock against the city's
)

// FleetThresholds are the fleet page's red/amber rules. The zero value is
// the documented default (docs/operations.md, "Kiosk fleet").
type FleetThresholds struct {
	// SilentWorkingDays: red when a kiosk has not been heard from for this
	// many working days (0: 1). SilentAmber: amber after this long (0: 1
	// hour, four default sync periods).
	SilentWorkingDays int
	SilentAmber       time.Duration
	// OldestUnsent: red when the oldest request still on the kiosk is
	// older than this (0: 4 hours).
	OldestUnsent time.Duration
	// Quarantine: amber when more requests than this are quarantined (0:
	// any).
	Quarantine int
	// FreeDiskPercent: red when free disk is below this share of the disk
	// (0: 10). FreeDiskMin: for a kiosk that does not report its disk's
	// size, red when it has less free than this (0: 1 GiB).
	FreeDiskPercent float64
	FreeDiskMin     uint64
	// ClockSkew: amber when the kiosk clock is further than this from the
	// city's (0: 5 minutes).
	ClockSkew time.Duration
	// WorkingDay reports whether a date (midnight, Asia/Ho_Chi_Minh) is a
	// working day. Nil: Monday to Friday.
	WorkingDay func(day time.Time) bool
}

func (th FleetThresholds) withDefaults() FleetThresholds {
	if th.SilentWorkingDays <= 0 {
		th.SilentWorkingDays = 1
	}
	if th.SilentAmber <= 0 {
		th.SilentAmber = time.Hour
	}
	if th.OldestUnsent <= 0 {
		th.OldestUnsent = 4 * time.Hour
	}
	if th.FreeDiskPercent <= 0 {
		th.FreeDiskPercent = 10
	}
	if th.FreeDiskMin == 0 {
		th.FreeDiskMin = 1 << 30
	}
	if th.ClockSkew <= 0 {
		th.ClockSkew = 5 * time.Minute
	}
	if th.WorkingDay == nil {
		th.WorkingDay = func(d time.Time) bool { return d.Weekday() != time.Saturday && d.Weekday() != time.Sunday }
	}
	return th
}

// Alert is one rule a kiosk breaks, in words for the fleet page.
type Alert struct {
	Signal  string     `json:"signal"`
	Level   Level      `json:"level"`
	Message kiosk.Text `json:"message"`
}

// KioskHealth is a kiosk with its level and alerts.
type KioskHealth struct {
	Kiosk    Kiosk     `json:"kiosk"`
	Level    Level     `json:"level"`
	Alerts   []Alert   `json:"alerts"`
	LastSeen time.Time `json:"last_seen"` // last heartbeat, or enrolment when none
	// Silence is how long it has been since LastSeen at the time of the
	// assessment.
	Silence time.Duration `json:"silence_ns"`
}

// AssessFleet applies the thresholds to every kiosk at now and returns
// them worst first: red, amber, ok, revoked; within a level more red
// alerts first, then the longest silence, then by kiosk number. It is a
// pure function: the clock and the calendar come in.
func AssessFleet(kiosks []Kiosk, now time.Time, th FleetThresholds) []KioskHealth {
	th = th.withDefaults()
	out := make([]KioskHealth, 0, len(kiosks))
	for _, k := range kiosks {
		out = append(out, assessKiosk(k, now, th))
	}
	reds := func(h KioskHealth) int {
		n := 0
		for _, a := range h.Alerts {
			if a.Level == LevelRed {
				n++
			}
		}
		return n
	}
	slices.SortStableFunc(out, func(a, b KioskHealth) int {
		return cmp.Or(
			cmp.Compare(b.Level.rank(), a.Level.rank()),
			cmp.Compare(reds(b), reds(a)),
			cmp.Compare(b.Silence, a.Silence),
			cmp.Compare(a.Kiosk.Number, b.Kiosk.Number))
	})
	return out
}

func assessKiosk(k Kiosk, now time.Time, th FleetThresholds) KioskHealth {
	h := KioskHealth{Kiosk: k, Level: LevelOK, Alerts: []Alert{}, LastSeen: k.EnrolledAt}
	if k.LastHeartbeat != nil {
		h.LastSeen = k.LastHeartbeatAt
	}
	h.Silence = max(now.Sub(h.LastSeen), 0)
	if k.Revoked {
		h.Level = LevelRevoked
		return h
	}
	add := func(signal string, l Level, msg kiosk.Text) {
		h.Alerts = append(h.Alerts, Alert{Signal: signal, Level: l, Message: msg})
		if l.rank() > h.Level.rank() {
			h.Level = l
		}
	}
	same := func(args ...any) func(string) []any { return func(string) []any { return args } }
	switch {
	case !now.Before(addWorkingDays(h.LastSeen, th.SilentWorkingDays, th.WorkingDay)) && now.Sub(h.LastSeen) > th.SilentAmber:
		add(SignalSilent, LevelRed, textf("alert_silent_days", same(localTime(h.LastSeen), th.SilentWorkingDays)))
	case now.Sub(h.LastSeen) > th.SilentAmber:
		add(SignalSilent, LevelAmber, textf("alert_silent", func(lang string) []any { return []any{words(h.Silence, lang)} }))
	}
	hb := k.LastHeartbeat
	if hb == nil {
		return h
	}
	if old := time.Duration(hb.OldestUnsentSecs) * time.Second; old > th.OldestUnsent {
		add(SignalOldestUnsent, LevelRed, textf("alert_oldest", func(lang string) []any { return []any{words(old, lang), hb.QueueDepth} }))
	}
	if hb.Quarantined > th.Quarantine {
		add(SignalQuarantine, LevelAmber, textf("alert_quarantine", same(hb.Quarantined)))
	}
	switch {
	case hb.DiskBytes > 0:
		if pct := 100 * float64(hb.FreeDiskBytes) / float64(hb.DiskBytes); pct < th.FreeDiskPercent {
			add(SignalDisk, LevelRed, textf("alert_disk_percent", same(pct)))
		}
	case hb.FreeDiskBytes > 0 && hb.FreeDiskBytes < th.FreeDiskMin: // 0 is "could not tell"
		add(SignalDisk, LevelRed, textf("alert_disk_mib", same(hb.FreeDiskBytes>>20)))
	}
	if skew := time.Duration(hb.ClockSkewSecs) * time.Second; skew > th.ClockSkew || -skew > th.ClockSkew {
		dir := map[bool]string{true: "clock_behind", false: "clock_ahead"}[skew > 0]
		add(SignalClockSkew, LevelAmber, textf("alert_clock", func(lang string) []any { return []any{tr(lang, dir), words(max(skew, -skew), lang)} }))
	}
	return h
}

// addWorkingDays returns t moved forward by n working days: the same time
// of day on the n-th working day after t's date (Asia/Ho_Chi_Minh). A kiosk
// last heard on Friday at 16:00 is silent for a working day on Monday at
// 16:00.
func addWorkingDays(t time.Time, n int, working func(time.Time) bool) time.Time {
	local := t.In(kiosk.VietnamZone())
	day := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, kiosk.VietnamZone())
	offset := local.Sub(day)
	for i := 0; n > 0 && i < 366; i++ { // bounded: a calendar with no working day is a broken calendar
		day = day.AddDate(0, 0, 1)
		if working(day) {
			n--
		}
	}
	return day.Add(offset)
}

func localTime(t time.Time) string { return t.In(kiosk.VietnamZone()).Format("02/01/2006 15:04") }

// words says a duration roughly, in minutes, hours or days, in lang.
func words(d time.Duration, lang string) string {
	size, unit := time.Minute, "unit_min"
	switch {
	case d < 2*time.Minute:
		size, unit = time.Second, "unit_s"
	case d >= 48*time.Hour:
		size, unit = 24*time.Hour, "unit_days"
	case d >= 2*time.Hour:
		size, unit = time.Hour, "unit_h"
	}
	return fmt.Sprintf("%d %s", int64(d/size), tr(lang, unit))
}
