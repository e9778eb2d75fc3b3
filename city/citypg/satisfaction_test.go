package citypg_test

import (
	"context"
	"path/filepath"
	"testing"

	"communekiosk/city"
	"communekiosk/city/citybolt"
	"communekiosk/city/citypg"
	"communekiosk/city/citypg/citypgtest"
	"communekiosk/sync/syncproto"
)

// TestCopyKeepsSatisfaction: moving from the embedded store copies each
// kiosk's daily tallies, the verification counts them, and the moved city
// reports the same figures.
func TestCopyKeepsSatisfaction(t *testing.T) {
	ctx := context.Background()
	src, err := citybolt.Open(filepath.Join(t.TempDir(), "city.db"), citybolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	put := func(kiosk, commune string, days ...syncproto.SatisfactionDay) {
		t.Helper()
		if err := src.PutSatisfaction(ctx, kiosk, commune, days); err != nil {
			t.Fatal(err)
		}
	}
	put("K1", "00004", syncproto.SatisfactionDay{Day: "2026-11-20", VerySatisfied: 2, Satisfied: 1})
	put("K2", "00004", syncproto.SatisfactionDay{Day: "2026-11-20", NotSatisfied: 1})
	put("K3", "00008", syncproto.SatisfactionDay{Day: "2026-11-21", Neutral: 4})

	dst := open(t, citypgtest.Schema(t))
	rep, err := citypg.Copy(ctx, src, dst)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, d := range rep.Target {
		if d.Table == "satisfaction" {
			found = true
			if d.Rows != 3 {
				t.Errorf("satisfaction rows copied: %d, want 3", d.Rows)
			}
		}
	}
	if !found {
		t.Fatalf("the verification has no satisfaction table: %+v", rep.Target)
	}
	sc := city.Scope{Communes: []string{"00004", "00008"}}
	want, err := src.Satisfaction(ctx, sc, "2026-11-01", "2026-12-01")
	if err != nil {
		t.Fatal(err)
	}
	got, err := dst.Satisfaction(ctx, sc, "2026-11-01", "2026-12-01")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range sc.Communes {
		if got[c].Responses != want[c].Responses || got[c].VerySatisfied != want[c].VerySatisfied || got[c].NotSatisfied != want[c].NotSatisfied || got[c].Neutral != want[c].Neutral {
			t.Errorf("%s after the move: %+v, before: %+v", c, got[c], want[c])
		}
	}
	if want["00004"].Responses != 4 || want["00008"].Responses != 4 {
		t.Fatalf("source figures %+v", want)
	}
}
