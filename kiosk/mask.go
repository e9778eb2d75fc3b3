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
	var b strings.Builder
	for _, w := range strings.FieldsFunc(norm.NFC.String(fullName), unicode.IsSpace) {
		first := true
		for _, r := range w {
			switch {
			case unicode.Is(unicode.Mn, r):
				// A combining mark NFC could not compose: part of a letter.
			case first:
				if b.Len() > 0 {
					b.WriteByte(' ')
				}
				b.WriteRune(r)
				first = false
			default:
				b.WriteByte('*')
			}
		}
	}
	return b.String()
}
