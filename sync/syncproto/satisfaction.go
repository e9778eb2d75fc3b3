package syncproto

import (
	"fmt"
	"time"
)

// maxDailyAnswers bounds one day's count of one answer at one kiosk: far
// above what a kiosk sees, low enough that sums never overflow.
const maxDailyAnswers = 100_000

// checkSatisfaction refuses tallies no kiosk sends: too many days, a day
// twice, a day that is not a date, a negative or absurd count.
func checkSatisfaction(days []SatisfactionDay) error {
	if len(days) > MaxSatisfactionDays {
		return fmt.Errorf("satisfaction: %d days, at most %d", len(days), MaxSatisfactionDays)
	}
	seen := make(map[string]bool, len(days))
	for i, d := range days {
		if _, err := time.Parse(time.DateOnly, d.Day); err != nil || len(d.Day) != 10 {
			return fmt.Errorf("satisfaction[%d]: day %q is not YYYY-MM-DD", i, d.Day)
		}
		if seen[d.Day] {
			return fmt.Errorf("satisfaction[%d]: day %s twice", i, d.Day)
		}
		seen[d.Day] = true
		for _, n := range []int{d.VerySatisfied, d.Satisfied, d.Neutral, d.NotSatisfied} {
			if n < 0 || n > maxDailyAnswers {
				return fmt.Errorf("satisfaction[%d]: count %d out of range", i, n)
			}
		}
	}
	return nil
}
