package kiosk

import (
	"testing"

	"golang.org/x/text/unicode/norm"
)

func TestMaskName(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Nguyễn Thị Hoa", "N***** T** H**"},
		{norm.NFD.String("Nguyễn Thị Hoa"), "N***** T** H**"},
		{"  Đặng   Văn  Hoà ", "Đ*** V** H**"},
		{"H'Hen Niê", "H**** N**"},
		{"Y Moan Ênuôl", "Y M*** Ê****"},
		{norm.NFD.String("Ênuôl"), "Ê****"},
		{"", ""},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			if got := MaskName(tc.in); got != tc.want {
				t.Errorf("MaskName(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func FuzzMaskName(f *testing.F) {
	for _, s := range readSeeds(f, "names.txt") {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m := MaskName(s)
		for i, w := range []rune(m) {
			_ = i
			if w == '\n' || w == '\t' {
				t.Fatalf("MaskName(%q) = %q keeps white space", s, m)
			}
		}
		if MaskName(m) != m {
			t.Fatalf("MaskName not idempotent on %q: %q → %q", s, m, MaskName(m))
		}
	})
}
