package app

import (
	"errors"

	"communekiosk/kiosk/kioskdb"
	"communekiosk/sync/syncproto"
)

// Rate records the citizen's answer to the one optional question after
// the receipt: very_satisfied, satisfied, neutral or not_satisfied. It
// takes nothing else: the answer is counted for the day and never linked
// to the request or the citizen (nothing is logged with it either).
func (r *Requests) Rate(answer string) error {
	err := r.n.db.RecordSatisfaction(answer, r.n.now())
	if errors.Is(err, kioskdb.ErrBadAnswer) {
		return newError(CodeBadInput, msg("bad_answer"), err)
	}
	return err
}

// satisfactionTallies are the kiosk's daily tallies in wire form, for the
// heartbeat.
func (n *Node) satisfactionTallies() ([]syncproto.SatisfactionDay, error) {
	days, err := n.db.SatisfactionDays()
	if err != nil {
		return nil, err
	}
	out := make([]syncproto.SatisfactionDay, len(days))
	for i, d := range days {
		out[i] = syncproto.SatisfactionDay{Day: d.Day, VerySatisfied: d.VerySatisfied, Satisfied: d.Satisfied, Neutral: d.Neutral, NotSatisfied: d.NotSatisfied}
	}
	return out, nil
}
