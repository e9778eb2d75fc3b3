package city

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"communekiosk/sync/syncproto"
)

// The city's legal time.
var vnZone = func() *time.Location {
	l, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		return time.FixedZone("ICT", 7*3600) // no tzdata: Viet Nam has no DST
	}
	return l
}()

//go:embed office_deadlines.json
var deadlinesJSON []byte

// DeadlineRule is how a procedure's due date is computed; the rules are
// data (office_deadlines.json, or Options.Office.DeadlineRules).
type DeadlineRule struct {
	Procedure string `json:"procedure"` // national code, or "*"
	// WorkingDays after the day of receipt; nil: the catalogue's
	// processing_days.
	WorkingDays *int   `json:"working_days"`
	Cutoff      string `json:"cutoff"` // HH:MM; empty: none
	Source      string `json:"source,omitempty"`
}

// DefaultDeadlineRules are the embedded rules.
func DefaultDeadlineRules() ([]DeadlineRule, error) {
	var doc struct {
		Rules []DeadlineRule `json:"rules"`
	}
	if err := json.Unmarshal(deadlinesJSON, &doc); err != nil {
		return nil, fmt.Errorf("city: deadline rules: %w", err)
	}
	return doc.Rules, nil
}

// Calendar answers "is this a working day" from the holidays and swapped
// days the admin keeps: Monday to Friday, less holidays, plus worked
// weekend days.
type Calendar struct {
	days map[string]string // date → kind
}

// NewCalendar builds a calendar from its exceptions.
func NewCalendar(days []CalendarDay) Calendar {
	c := Calendar{days: map[string]string{}}
	for _, d := range days {
		c.days[d.Date] = d.Kind
	}
	return c
}

// Working reports whether the day of t (in Asia/Ho_Chi_Minh) is a working day.
func (c Calendar) Working(t time.Time) bool {
	t = t.In(vnZone)
	switch c.days[t.Format(time.DateOnly)] {
	case DayHoliday:
		return false
	case DayWorkday:
		return true
	}
	return t.Weekday() != time.Saturday && t.Weekday() != time.Sunday
}

// midnight of t's day in Viet Nam.
func vnDay(t time.Time) time.Time {
	t = t.In(vnZone)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, vnZone)
}

// NextWorking is the first working day after t's day (midnight, VN).
func (c Calendar) NextWorking(t time.Time) time.Time {
	d := vnDay(t)
	for range 400 { // bounded: a calendar with no working day is broken
		d = d.AddDate(0, 0, 1)
		if c.Working(d) {
			return d
		}
	}
	return d
}

// AddWorkingDays is the n-th working day after t's day (n = 0: t's day).
func (c Calendar) AddWorkingDays(t time.Time, n int) time.Time {
	d := vnDay(t)
	for range n {
		d = c.NextWorking(d)
	}
	return d
}

// EndOfDay is the last instant of t's day in Viet Nam.
func EndOfDay(t time.Time) time.Time { return vnDay(t).AddDate(0, 0, 1).Add(-time.Second) }

// DueDate is when a dossier accepted at acceptedAt is due under rule, with
// days the catalogue's processing days: the day of receipt is acceptedAt's
// day, or the next working day when that is not one or acceptedAt is at
// or after the cutoff; the result is due at the end of the working day
// that many working days later.
func (c Calendar) DueDate(rule DeadlineRule, catalogueDays int, acceptedAt time.Time) time.Time {
	days := catalogueDays
	if rule.WorkingDays != nil {
		days = *rule.WorkingDays
	}
	t := acceptedAt.In(vnZone)
	day := vnDay(t)
	late := false
	if rule.Cutoff != "" {
		if cut, err := time.ParseInLocation("15:04", rule.Cutoff, vnZone); err == nil {
			late = t.Hour()*60+t.Minute() >= cut.Hour()*60+cut.Minute()
		}
	}
	if !c.Working(day) || late {
		day = c.NextWorking(day)
	}
	return EndOfDay(c.AddWorkingDays(day, days))
}

// ruleFor picks the rule of a procedure, or the "*" one.
func ruleFor(rules []DeadlineRule, procedure string) DeadlineRule {
	var star DeadlineRule
	for _, r := range rules {
		if r.Procedure == procedure {
			return r
		}
		if r.Procedure == "*" {
			star = r
		}
	}
	return star
}

// Due flags of a dossier.
const (
	FlagDueSoon = "due_soon" // tới hạn: due within 3 working days
	FlagOverdue = "overdue"  // quá hạn
	FlagOnTime  = "on_time"  // done by the due date
	FlagLate    = "late"     // done after it
)

// DueFlag says where a dossier stands against its original due date.
func (c Calendar) DueFlag(r Request, now time.Time) string {
	if r.DueAt.IsZero() {
		return ""
	}
	if !r.ResultAt.IsZero() {
		if r.ResultAt.After(r.DueAt) {
			return FlagLate
		}
		return FlagOnTime
	}
	if !isOpenStatus(r.Status) {
		return ""
	}
	if now.After(r.DueAt) {
		return FlagOverdue
	}
	if !r.DueAt.After(c.dueSoonLimit(now)) {
		return FlagDueSoon
	}
	return ""
}

// dueSoonLimit is the end of the third working day after today.
func (c Calendar) dueSoonLimit(now time.Time) time.Time {
	return EndOfDay(c.AddWorkingDays(now, 3))
}

func isOpenStatus(s syncproto.Status) bool { return slices.Contains(OpenStatuses, s) }
