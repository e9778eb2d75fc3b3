package kiosk

import (
	"errors"
	"fmt"
	"strings"
)

// Receipt codes.
//
// A receipt code is made on the kiosk without asking anyone and is unique
// city-wide because it encodes the kiosk's number (given by the city at
// enrolment) and the kiosk's own request sequence. It looks like
// "H7A-TTH-YVK": nine symbols in three groups of three, 11 characters.
//
//	symbols 1–3  kiosk number, base 23, most significant first
//	symbols 4–8  sequence number, base 23, most significant first
//	symbol  9    check symbol
//
// The alphabet has 23 symbols (a prime): the digits 2–9 and the letters
// A C D E F H K M N P R T V X Y. It leaves out characters that are easy to
// confuse when read or heard: 0 O Q, 1 I L J, 2 Z, 5 S, 6 G, 8 B, U W. When
// a code is typed back, the letters B G S Z U are read as 8 6 5 2 V.
//
// The check symbol c9 makes Σ (i · cᵢ) ≡ 0 (mod 23) over positions i = 1…9.
// Because 23 is prime and the weights 1…9 are distinct and non-zero mod 23:
//   - a single substitution cᵢ → c′ changes the sum by i·(c′−cᵢ) ≢ 0;
//   - swapping neighbours cᵢ, cᵢ₊₁ changes it by (cᵢ₊₁−cᵢ)·(i−(i+1)) ≢ 0
//     whenever the two symbols differ.
//
// So every single-character error and every adjacent transposition is
// caught. receipt_code_test.go checks both exhaustively.
//
// Capacity: MaxKioskNumber+1 = 12,167 kiosks (numbers 0…12,166), each with
// MaxReceiptSeq+1 = 6,436,343 sequence numbers (0…6,436,342): at 1,000
// requests a day, more than 17 years per kiosk.
const (
	receiptAlphabet = "23456789ACDEFHKMNPRTVXY"
	receiptBase     = 23
	kioskSymbols    = 3
	seqSymbols      = 5
	receiptSymbols  = kioskSymbols + seqSymbols + 1

	// MaxKioskNumber is the largest kiosk number a receipt code can carry.
	MaxKioskNumber = receiptBase*receiptBase*receiptBase - 1 // 12,166
	// MaxReceiptSeq is the largest sequence number a receipt code can carry.
	MaxReceiptSeq = receiptBase*receiptBase*receiptBase*receiptBase*receiptBase - 1 // 6,436,342

	// ReceiptCodeLen is the length of a formatted code, separators included.
	ReceiptCodeLen = receiptSymbols + 2
)

// Errors of receipt codes; decide with errors.Is.
var (
	ErrReceiptRange    = errors.New("kiosk: receipt code: kiosk number or sequence out of range")
	ErrReceiptLength   = errors.New("kiosk: receipt code: wrong number of symbols")
	ErrReceiptSymbol   = errors.New("kiosk: receipt code: character not in the alphabet")
	ErrReceiptChecksum = errors.New("kiosk: receipt code: check symbol does not match (a character is wrong or two are swapped)")
)

// receiptValue maps an upper-case byte to its symbol value, -1 if none.
var receiptValue = func() [256]int8 {
	var v [256]int8
	for i := range v {
		v[i] = -1
	}
	for i := 0; i < len(receiptAlphabet); i++ {
		c := receiptAlphabet[i]
		v[c] = int8(i)
		if c >= 'A' && c <= 'Z' {
			v[c+'a'-'A'] = int8(i)
		}
	}
	// Look-alikes typed back are read as the symbol they resemble.
	for from, to := range map[byte]byte{'B': '8', 'G': '6', 'S': '5', 'Z': '2', 'U': 'V'} {
		v[from] = v[to]
		v[from+'a'-'A'] = v[to]
	}
	return v
}()

// receiptCheck returns the check symbol value for the first n-1 symbols so
// that the weighted sum of all n symbols is 0 mod 23.
func receiptCheck(sym []int8) int8 {
	sum := 0
	for i, s := range sym {
		sum += (i + 1) * int(s)
	}
	w := len(sym) + 1 // weight of the check symbol
	// Solve w·c ≡ −sum (mod 23) with w's inverse.
	return int8(((receiptBase - sum%receiptBase) % receiptBase) * modInverse23(w) % receiptBase)
}

// receiptValid reports whether the weighted sum of all symbols is 0 mod 23.
func receiptValid(sym []int8) bool {
	sum := 0
	for i, s := range sym {
		sum += (i + 1) * int(s)
	}
	return sum%receiptBase == 0
}

func modInverse23(w int) int {
	w %= receiptBase
	for x := 1; x < receiptBase; x++ {
		if w*x%receiptBase == 1 {
			return x
		}
	}
	panic("kiosk: weight has no inverse mod 23")
}

// NewReceiptCode makes the receipt code of request seq on kiosk
// kioskNumber, e.g. "H7A-TTH-YVK". It fails only when a number is out of
// range (see MaxKioskNumber and MaxReceiptSeq).
func NewReceiptCode(kioskNumber uint32, seq uint64) (string, error) {
	if kioskNumber > MaxKioskNumber || seq > MaxReceiptSeq {
		return "", fmt.Errorf("%w: kiosk %d (max %d), seq %d (max %d)",
			ErrReceiptRange, kioskNumber, MaxKioskNumber, seq, MaxReceiptSeq)
	}
	var sym [receiptSymbols]int8
	k := uint64(kioskNumber)
	for i := kioskSymbols - 1; i >= 0; i-- {
		sym[i] = int8(k % receiptBase)
		k /= receiptBase
	}
	s := seq
	for i := kioskSymbols + seqSymbols - 1; i >= kioskSymbols; i-- {
		sym[i] = int8(s % receiptBase)
		s /= receiptBase
	}
	sym[receiptSymbols-1] = receiptCheck(sym[:receiptSymbols-1])
	return formatSymbols(sym[:]), nil
}

func formatSymbols(sym []int8) string {
	var b strings.Builder
	b.Grow(ReceiptCodeLen)
	for i, s := range sym {
		if i > 0 && i%3 == 0 {
			b.WriteByte('-')
		}
		b.WriteByte(receiptAlphabet[s])
	}
	return b.String()
}

// receiptSeparator reports whether r may appear between symbols when a code
// is typed back: spaces, hyphens, dashes, dots, underscores, slashes.
func receiptSeparator(r rune) bool {
	switch r {
	case ' ', '\t', '\n', '\r', '-', '.', '_', '/', '\u00a0', '\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\u2212', '\u3000':
		return true
	}
	return false
}

// parseSymbols reads the nine symbols of a typed code, ignoring case and any
// separators.
func parseSymbols(s string) ([receiptSymbols]int8, error) {
	var sym [receiptSymbols]int8
	n := 0
	for _, r := range s {
		if receiptSeparator(r) {
			continue
		}
		if r >= 128 || receiptValue[r] < 0 {
			return sym, fmt.Errorf("%w: %q", ErrReceiptSymbol, r)
		}
		if n == receiptSymbols {
			return sym, fmt.Errorf("%w: more than %d", ErrReceiptLength, receiptSymbols)
		}
		sym[n] = receiptValue[r]
		n++
	}
	if n != receiptSymbols {
		return sym, fmt.Errorf("%w: %d, want %d", ErrReceiptLength, n, receiptSymbols)
	}
	if !receiptValid(sym[:]) {
		return sym, ErrReceiptChecksum
	}
	return sym, nil
}

// ParseReceiptCode reads a receipt code as a citizen or clerk may type it
// (any case, with or without separators or spaces) and returns the kiosk
// number and sequence it carries. Errors wrap ErrReceiptLength,
// ErrReceiptSymbol or ErrReceiptChecksum.
func ParseReceiptCode(s string) (kioskNumber uint32, seq uint64, err error) {
	sym, err := parseSymbols(s)
	if err != nil {
		return 0, 0, err
	}
	var k uint64
	for _, v := range sym[:kioskSymbols] {
		k = k*receiptBase + uint64(v)
	}
	for _, v := range sym[kioskSymbols : kioskSymbols+seqSymbols] {
		seq = seq*receiptBase + uint64(v)
	}
	return uint32(k), seq, nil
}

// FormatReceiptCode returns the canonical form ("H7A-TTH-YVK") of a code
// typed in any accepted way, for lookups and display.
func FormatReceiptCode(s string) (string, error) {
	sym, err := parseSymbols(s)
	if err != nil {
		return "", err
	}
	return formatSymbols(sym[:]), nil
}
