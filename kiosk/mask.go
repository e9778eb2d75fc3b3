package kiosk

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// MaskName hides a full name for the plaintext index and the staff screen:
// each word keeps its first letter and every other letter becomes '*', e.g.
// "Nguyễn Thị Hoa" → "N***** T** H**". Input is normalised to NFC first, so
// decomposed input (base letter + combining marks) masks the same way.
// Apostrophes and hyphens inside a word are masked too; words are separated
// by single spaces in the result.
func MaskName(fullName string) string {
	words := strings.FieldsFunc(norm.NFC.String(fullName), unicode.IsSpace)
	var b strings.Builder
	for i, w := range words {
		if i > 0 {
			b.WriteByte(' ')
		}
		first := true
		for _, r := range w {
			switch {
			case unicode.Is(unicode.Mn, r):
				// A combining mark NFC could not compose: part of the letter.
			case first:
				b.WriteRune(r)
				first = false
			default:
				b.WriteByte('*')
			}
		}
	}
	return b.String()
}
