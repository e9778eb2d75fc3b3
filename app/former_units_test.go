package app

import (
	"strings"
	"testing"

	"communekiosk/kiosk"
)

func TestFormerUnits(t *testing.T) {
	n, _ := newTestNode(t, true)
	r := &Requests{n: n}
	t.Run("hanoi", func(t *testing.T) {
		list, err := r.FormerUnits(kiosk.HanoiCode)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) < 300 {
			t.Fatalf("got %d former units of Hà Nội, want hundreds", len(list))
		}
		var dienBien *FormerUnitView
		for i, u := range list {
			if !strings.HasPrefix(u.OfficeText, "UBND ") || u.District == "" || len(u.NowPartOf) == 0 || len(u.NowPartOf) != len(u.NewCodes) {
				t.Fatalf("unit %d: %+v", i, u)
			}
			if u.Name == "Phường Điện Biên" && u.District == "Quận Ba Đình" {
				dienBien = &list[i]
			}
		}
		if dienBien == nil {
			t.Fatal("no Phường Điện Biên, Quận Ba Đình")
		}
		if dienBien.OfficeText != "UBND phường Điện Biên, quận Ba Đình" {
			t.Errorf("office text %q", dienBien.OfficeText)
		}
		if !strings.Contains(strings.Join(dienBien.NowPartOf, ","), "Ba Đình") {
			t.Errorf("Điện Biên is now part of %v, want Phường Ba Đình among them", dienBien.NowPartOf)
		}
	})
	t.Run("other province", func(t *testing.T) {
		list, err := r.FormerUnits("79")
		if err != nil || list == nil || len(list) != 0 {
			t.Fatalf("got %v, %v; want an empty list", list, err)
		}
	})
	t.Run("state names the commune code", func(t *testing.T) {
		s, err := (&Kiosk{n: n}).State()
		if err != nil || s.Commune != "00004" {
			t.Fatalf("state %+v, %v", s, err)
		}
	})
}
