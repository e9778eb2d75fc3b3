package kioskdb

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"communekiosk/kiosk"
)

// Answers to the one satisfaction question the kiosk asks after a receipt.
// Values are stored and sent: strings.
const (
	AnswerVerySatisfied = "very_satisfied"
	AnswerSatisfied     = "satisfied"
	AnswerNeutral       = "neutral"
	AnswerNotSatisfied  = "not_satisfied"
)

// SatisfactionKeepDays is how many days of tallies the kiosk keeps.
const SatisfactionKeepDays = 62

// ErrBadAnswer: not one of the four answers.
var ErrBadAnswer = errors.New("kioskdb: unknown satisfaction answer")

// SatisfactionDay is one day's tally (Asia/Ho_Chi_Minh) of the answers.
type SatisfactionDay struct {
	Day           string `json:"day"`
	VerySatisfied int    `json:"very_satisfied"`
	Satisfied     int    `json:"satisfied"`
	Neutral       int    `json:"neutral"`
	NotSatisfied  int    `json:"not_satisfied"`
}

// Tallies live in the meta bucket under satisfactionPrefix + YYYY-MM-DD,
// four big-endian uint32 counts: no schema change, and nothing but counts.
const satisfactionPrefix = "satisfaction/"

var answerIndex = map[string]int{AnswerVerySatisfied: 0, AnswerSatisfied: 1, AnswerNeutral: 2, AnswerNotSatisfied: 3}

// RecordSatisfaction adds one answer to the tally of now's day and forgets
// days older than SatisfactionKeepDays, in one transaction. It is
// anonymous by construction: it takes no request, code or person, and
// writes no audit line (whose time would tie the answer to the last
// receipt); only the day's counts change.
func (db *DB) RecordSatisfaction(answer string, now time.Time) error {
	i, ok := answerIndex[answer]
	if !ok {
		return fmt.Errorf("%w: %q", ErrBadAnswer, answer)
	}
	day := kiosk.LocalDate(now)
	oldest := kiosk.LocalDate(now.AddDate(0, 0, -SatisfactionKeepDays+1))
	return db.bolt.Update(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		key := []byte(satisfactionPrefix + day)
		v := make([]byte, 16)
		copy(v, meta.Get(key))
		binary.BigEndian.PutUint32(v[4*i:], binary.BigEndian.Uint32(v[4*i:])+1)
		if err := meta.Put(key, v); err != nil {
			return fmt.Errorf("kioskdb: satisfaction: %w", err)
		}
		c := meta.Cursor()
		prefix := []byte(satisfactionPrefix)
		for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix) && string(k[len(prefix):]) < oldest; k, _ = c.Next() {
			if err := c.Delete(); err != nil {
				return fmt.Errorf("kioskdb: satisfaction: forget %s: %w", k, err)
			}
		}
		return nil
	})
}

// SatisfactionDays returns the tallies of the days kept, oldest first;
// days without an answer are left out.
func (db *DB) SatisfactionDays() ([]SatisfactionDay, error) {
	out := []SatisfactionDay{}
	err := db.bolt.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketMeta).Cursor()
		prefix := []byte(satisfactionPrefix)
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			if len(v) != 16 {
				return fmt.Errorf("kioskdb: satisfaction %s: %w", k, ErrCorrupt)
			}
			out = append(out, SatisfactionDay{Day: string(k[len(prefix):]),
				VerySatisfied: int(binary.BigEndian.Uint32(v)), Satisfied: int(binary.BigEndian.Uint32(v[4:])),
				Neutral: int(binary.BigEndian.Uint32(v[8:])), NotSatisfied: int(binary.BigEndian.Uint32(v[12:]))})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
