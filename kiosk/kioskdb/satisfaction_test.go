package kioskdb

import (
	"errors"
	"slices"
	"testing"
	"time"
)

func TestSatisfactionTallies(t *testing.T) {
	db := openTest(t, Options{})
	before, err := db.Audit(1000)
	if err != nil {
		t.Fatal(err)
	}
	// 23:30 on 27 November in Hà Nội is 16:30 UTC; 00:10 on the 28th is
	// still the 27th in UTC: days are counted in Hà Nội.
	late27 := time.Date(2026, 11, 27, 16, 30, 0, 0, time.UTC)
	early28 := time.Date(2026, 11, 27, 17, 10, 0, 0, time.UTC)
	for _, a := range []struct {
		answer string
		at     time.Time
	}{
		{AnswerVerySatisfied, late27}, {AnswerVerySatisfied, late27}, {AnswerNotSatisfied, late27},
		{AnswerSatisfied, early28}, {AnswerNeutral, early28},
	} {
		if err := db.RecordSatisfaction(a.answer, a.at); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.RecordSatisfaction("delighted", early28); !errors.Is(err, ErrBadAnswer) {
		t.Fatalf("unknown answer: %v", err)
	}
	got, err := db.SatisfactionDays()
	if err != nil {
		t.Fatal(err)
	}
	want := []SatisfactionDay{
		{Day: "2026-11-27", VerySatisfied: 2, NotSatisfied: 1},
		{Day: "2026-11-28", Satisfied: 1, Neutral: 1},
	}
	if !slices.Equal(got, want) {
		t.Fatalf("days %+v\nwant %+v", got, want)
	}
	// Anonymous: no audit line, nothing but the counts.
	after, _ := db.Audit(1000)
	if len(after) != len(before) {
		t.Errorf("answers wrote %d audit lines", len(after)-len(before))
	}
	// 62 days later the 27th is forgotten, the 28th kept (62 days: the
	// 28th to 28 January).
	jan28 := time.Date(2027, 1, 28, 3, 0, 0, 0, time.UTC)
	if err := db.RecordSatisfaction(AnswerSatisfied, jan28); err != nil {
		t.Fatal(err)
	}
	got, _ = db.SatisfactionDays()
	if len(got) != 2 || got[0].Day != "2026-11-28" || got[1].Day != "2027-01-28" {
		t.Fatalf("after 62 days: %+v", got)
	}
}
