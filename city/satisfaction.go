package city

import (
	"context"

	"communekiosk/sync/syncproto"
)

// SatisfactionFigures are the answers to the kiosk's one question over a
// period: how many citizens chose each answer. They are anonymous counts:
// a kiosk never links an answer to a request or a person.
type SatisfactionFigures struct {
	Responses     int `json:"responses"`
	VerySatisfied int `json:"very_satisfied"`
	Satisfied     int `json:"satisfied"`
	Neutral       int `json:"neutral"`
	NotSatisfied  int `json:"not_satisfied"`
	// SatisfiedShare = (VerySatisfied + Satisfied) / Responses; nil when
	// nobody answered.
	SatisfiedShare *float64 `json:"satisfied_share"`
}

// Add counts one day's tally.
func (f *SatisfactionFigures) Add(d syncproto.SatisfactionDay) {
	f.VerySatisfied += d.VerySatisfied
	f.Satisfied += d.Satisfied
	f.Neutral += d.Neutral
	f.NotSatisfied += d.NotSatisfied
	f.Responses = f.VerySatisfied + f.Satisfied + f.Neutral + f.NotSatisfied
	f.SatisfiedShare = nil
	if f.Responses > 0 {
		r := float64(f.VerySatisfied+f.Satisfied) / float64(f.Responses)
		f.SatisfiedShare = &r
	}
}

func (f *SatisfactionFigures) addFigures(o SatisfactionFigures) {
	f.Add(syncproto.SatisfactionDay{VerySatisfied: o.VerySatisfied, Satisfied: o.Satisfied, Neutral: o.Neutral, NotSatisfied: o.NotSatisfied})
}

// SatisfactionStore keeps the kiosks' daily tallies per commune and day.
// Like CatalogueStore it is implemented by choice until every store does.
type SatisfactionStore interface {
	// PutSatisfaction stores a kiosk's running tallies of some days,
	// replacing what that kiosk sent before for those days: a heartbeat
	// resent, or sent again with a day's later count, never counts twice.
	PutSatisfaction(ctx context.Context, kioskID, commune string, days []syncproto.SatisfactionDay) error
	// Satisfaction sums the tallies of the days in [fromDay, toDay)
	// (YYYY-MM-DD, Asia/Ho_Chi_Minh) per commune of the scope.
	Satisfaction(ctx context.Context, sc Scope, fromDay, toDay string) (map[string]SatisfactionFigures, error)
}
