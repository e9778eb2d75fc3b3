package syncer

import (
	"fmt"
	"log/slog"
	"strings"
	"time"
	_ "time/tzdata" // Asia/Ho_Chi_Minh without the system's zone files

	"github.com/robfig/cron/v3"
)

// ValidateSchedule checks a cron spec for the sync schedule: five fields
// (minute hour day-of-month month day-of-week) or a descriptor such as
// "@hourly" or "@every 10m". Times are in Asia/Ho_Chi_Minh.
func ValidateSchedule(spec string) error {
	_, err := parseSchedule(spec)
	return err
}

func parseSchedule(spec string) (cron.Schedule, error) {
	spec = strings.TrimSpace(spec)
	if spec == "" {
		return nil, fmt.Errorf("syncer: the sync schedule is empty; use a cron spec such as %q", DefaultSchedule)
	}
	if strings.HasPrefix(spec, "TZ=") || strings.HasPrefix(spec, "CRON_TZ=") {
		return nil, fmt.Errorf("syncer: sync schedule %q: leave out the time zone, the schedule is always in %s", spec, DefaultTimeZone)
	}
	sched, err := cron.ParseStandard(spec)
	if err != nil {
		return nil, fmt.Errorf("syncer: sync schedule %q is not a valid cron spec (five fields: minute hour day month weekday, e.g. %q, or \"@every 10m\"): %w", spec, DefaultSchedule, err)
	}
	if e, ok := sched.(cron.ConstantDelaySchedule); ok && e.Delay < time.Minute {
		return nil, fmt.Errorf("syncer: sync schedule %q runs more often than once a minute", spec)
	}
	return sched, nil
}

// Location is the time zone of the schedule, Asia/Ho_Chi_Minh (UTC+7, no
// daylight saving).
func Location() *time.Location {
	loc, err := time.LoadLocation(DefaultTimeZone)
	if err != nil {
		return time.FixedZone("ICT", 7*3600)
	}
	return loc
}

// cronLogger adapts slog to cron's Logger.
type cronLogger struct{ l *slog.Logger }

func (c cronLogger) Info(msg string, kv ...any) { c.l.Debug("Cron: "+msg, kv...) }

func (c cronLogger) Error(err error, msg string, kv ...any) {
	c.l.Error("Cron: "+msg, append(kv, "err", err)...)
}
