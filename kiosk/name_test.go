package kiosk

import (
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"
)

// TestNameEveryVietnameseLetter: every vowel with every tone (typed either
// precomposed or decomposed), every consonant, f j w z, both cases.
func TestNameEveryVietnameseLetter(t *testing.T) {
	vowels := []string{"a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y"}
	tones := []string{"", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323"} // huyền, sắc, ngã, hỏi, nặng
	n := 0
	for _, v := range vowels {
		for _, tone := range tones {
			for _, c := range []string{v, strings.ToUpper(v)} {
				word := "H" + norm.NFD.String(c) + tone + "n"
				for _, form := range []string{word, norm.NFC.String(word)} {
					if code := checkName(NormalizeName(form)); code != "" {
						t.Errorf("%q (%U) refused: %s", form, []rune(norm.NFC.String(c+tone)), code)
					}
					n++
				}
			}
		}
	}
	for _, c := range "bcdđghklmnpqrstvxfjwzBCDĐGHKLMNPQRSTVXFJWZ" {
		if code := checkName("A" + string(c)); code != "" {
			t.Errorf("%q refused", c)
		}
	}
	if n != 12*6*2*2 {
		t.Fatalf("checked %d forms", n)
	}
}

func TestNameKey(t *testing.T) {
	for _, group := range [][]string{
		{"Hoà", "Hòa", "HOA", norm.NFD.String("hoà"), "  hoa "},
		{"Đặng Thị Thuý", "Đặng Thị Thúy", "dang thi thuy"},
		{"H'Hen Niê", "h'hen nie"},
	} {
		for _, s := range group[1:] {
			if NameKey(s) != NameKey(group[0]) {
				t.Errorf("NameKey(%q) = %q, NameKey(%q) = %q", s, NameKey(s), group[0], NameKey(group[0]))
			}
		}
	}
	if NameKey("Hoa") == NameKey("Hoan") {
		t.Error("different names share a key")
	}
}

// TestEthFoldedToDStroke: Ð and ð (Icelandic eth) are stored and matched
// as Đ and đ, in names and in every other field.
func TestEthFoldedToDStroke(t *testing.T) {
	tests := []struct{ in, want string }{
		{"\u00D0ặng Văn \u00D0ức", "Đặng Văn Đức"},
		{"Nguyễn Thị \u00F0ào", "Nguyễn Thị đào"},
		{"Đặng", "Đặng"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			if got := NormalizeName(tc.in); got != tc.want {
				t.Fatalf("NormalizeName(%q) = %q, want %q", tc.in, got, tc.want)
			}
			if NameKey(tc.in) != NameKey(tc.want) {
				t.Fatalf("keys differ: %q, %q", NameKey(tc.in), NameKey(tc.want))
			}
		})
	}
	req := NormalizeRequest(Request{Requester: Requester{FullName: "\u00D0ỗ Hoa", Residence: Address{Street: "Phố \u00D0ội Cấn"}}}, nil)
	if req.Requester.FullName != "Đỗ Hoa" || req.Requester.Residence.Street != "Phố Đội Cấn" {
		t.Fatalf("normalized %+v", req.Requester)
	}
}
