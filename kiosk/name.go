package kiosk

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// MaxNameLen is the longest full name accepted, in characters (NFC).
const MaxNameLen = 100

// NormalizeName returns a name as it is stored: NFC, the Icelandic eth
// mapped to the Vietnamese d with stroke (FoldEth), spaces trimmed and runs
// of white space collapsed to one space. It never moves tone marks: "Hoà"
// and "Hòa" are different names and both stay as typed.
func NormalizeName(s string) string {
	return strings.Join(strings.FieldsFunc(FoldEth(norm.NFC.String(s)), unicode.IsSpace), " ")
}

// ethFolder maps Ð (U+00D0, Icelandic eth) to Đ (U+0110) and ð (U+00F0)
// to đ (U+0111). They look alike, and some keyboards, fonts' character
// pickers and QR encoders give the eth for the Vietnamese letter; left
// alone it breaks name matching ("Ðặng" would not find "Đặng").
var ethFolder = strings.NewReplacer("\u00D0", "\u0110", "\u00F0", "\u0111")

// FoldEth replaces the Icelandic eth by the Vietnamese d with stroke.
func FoldEth(s string) string {
	if !strings.ContainsAny(s, "\u00D0\u00F0") {
		return s
	}
	return ethFolder.Replace(s)
}

// nameLetter reports whether r is a Latin letter of the blocks names are
// written in: Basic Latin, Latin-1, Latin Extended-A/B and Latin Extended
// Additional (where the precomposed Vietnamese letters with tones live).
// Full-width and other look-alike forms are refused.
func nameLetter(r rune) bool {
	return (r <= 0x24F || (r >= 0x1E00 && r <= 0x1EFF)) && unicode.IsLetter(r) && unicode.Is(unicode.Latin, r)
}

// nameApostrophe reports whether r is an apostrophe as typed in names
// such as "H'Hen Niê" (ASCII, or the typographic one a phone may insert).
func nameApostrophe(r rune) bool { return r == '\'' || r == '\u2019' || r == '\u02bc' }

// nameHyphen reports whether r is a hyphen.
func nameHyphen(r rune) bool { return r == '-' || r == '\u2010' || r == '\u2011' }

// checkName returns the problem codes of a full name (after
// NormalizeName): "name_length" or "name_chars". Accepted: Latin letters
// with any Vietnamese tone or hat, the letters f j w z of ethnic-minority
// spellings, combining marks after a letter, and single spaces, apostrophes
// or hyphens between letters ("H'Hen Niê", "Y Moan Ênuôl", "Lò-Văn").
func checkName(s string) string {
	n := utf8.RuneCountInString(s)
	if n == 0 || n > MaxNameLen {
		return "name_length"
	}
	prevLetter := false
	for _, r := range s {
		switch {
		case nameLetter(r):
			prevLetter = true
		case unicode.Is(unicode.Mn, r):
			if !prevLetter {
				return "name_chars"
			}
		case r == ' ' || nameApostrophe(r) || nameHyphen(r):
			if !prevLetter {
				return "name_chars"
			}
			prevLetter = false
		default:
			return "name_chars"
		}
	}
	if !prevLetter {
		return "name_chars"
	}
	return ""
}

// NameKey is a key for matching names, not for display: NFD with every
// combining mark removed, đ → d, lower case, single spaces. "Hoà", "Hòa"
// and "HOA" share a key, so a clerk's search or a cross-check does not
// depend on tone placement or case.
func NameKey(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(NormalizeName(s)) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case r == 'đ' || r == 'Đ':
			b.WriteByte('d')
		default:
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}
