package storetest

import (
	"testing"

	"communekiosk/city"
	"communekiosk/sync/syncproto"
)

// testSatisfaction: tallies are summed per commune over [from, to), a
// kiosk's resent day replaces what it sent before, and the scope decides
// which communes are read (an empty scope reads nothing).
func testSatisfaction(t *testing.T, store city.Store) {
	s, ok := store.(city.SatisfactionStore)
	if !ok {
		t.Fatal("the store does not implement city.SatisfactionStore: the kiosks' answers would be dropped")
	}
	day := func(d string, vs, sa, ne, no int) syncproto.SatisfactionDay {
		return syncproto.SatisfactionDay{Day: d, VerySatisfied: vs, Satisfied: sa, Neutral: ne, NotSatisfied: no}
	}
	put := func(kiosk, commune string, days ...syncproto.SatisfactionDay) {
		t.Helper()
		if err := s.PutSatisfaction(ctx, kiosk, commune, days); err != nil {
			t.Fatalf("put %s: %v", kiosk, err)
		}
	}
	put("K1", "00004", day("2026-11-14", 1, 0, 0, 0), day("2026-11-15", 2, 1, 0, 0))
	put("K2", "00004", day("2026-11-15", 0, 0, 1, 1))
	put("K3", "00008", day("2026-11-15", 5, 0, 0, 0), day("2026-11-30", 0, 0, 0, 9))
	// K1 sends 15 November again with a later count: it replaces, not adds.
	put("K1", "00004", day("2026-11-15", 3, 1, 0, 0))

	both := city.Scope{Communes: []string{"00004", "00008"}}
	got, err := s.Satisfaction(ctx, both, "2026-11-15", "2026-11-30")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][4]int{"00004": {3, 1, 1, 1}, "00008": {5, 0, 0, 0}}
	for commune, w := range want {
		f := got[commune]
		if [4]int{f.VerySatisfied, f.Satisfied, f.Neutral, f.NotSatisfied} != w || f.Responses != w[0]+w[1]+w[2]+w[3] {
			t.Errorf("%s: %+v, want %v", commune, f, w)
		}
	}
	if f := got["00004"]; f.SatisfiedShare == nil || *f.SatisfiedShare != 4.0/6.0 {
		t.Errorf("00004 satisfied share %v, want 4/6", f.SatisfiedShare)
	}
	// The day before from and the day to are outside the period.
	if f := got["00008"]; f.NotSatisfied != 0 {
		t.Errorf("00008 counted the day the period ends: %+v", f)
	}

	one, err := s.Satisfaction(ctx, city.Scope{Communes: []string{"00008"}}, "2026-11-01", "2026-12-01")
	if err != nil {
		t.Fatal(err)
	}
	if _, leaked := one["00004"]; leaked || one["00008"].Responses != 14 {
		t.Errorf("scope of 00008 over November: %+v", one)
	}
	none, err := s.Satisfaction(ctx, city.Scope{}, "2026-11-01", "2026-12-01")
	if err != nil {
		t.Fatal(err)
	}
	for c, f := range none {
		if f.Responses != 0 {
			t.Errorf("an empty scope read %s: %+v", c, f)
		}
	}
	// A commune of the scope with no answers has a row of zeros.
	quiet, err := s.Satisfaction(ctx, city.Scope{Communes: []string{"00012"}}, "2026-11-01", "2026-12-01")
	if err != nil {
		t.Fatal(err)
	}
	if f, ok := quiet["00012"]; !ok || f.Responses != 0 || f.SatisfiedShare != nil {
		t.Errorf("quiet commune: %+v (present %v)", f, ok)
	}
}
