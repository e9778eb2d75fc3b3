package kiosk

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
)

func TestReceiptAlphabet(t *testing.T) {
	if len(receiptAlphabet) != receiptBase {
		t.Fatalf("alphabet has %d symbols, want %d", len(receiptAlphabet), receiptBase)
	}
	for _, bad := range "0O1ILQJ2ZS5G6B8UW" {
		if bad == '2' || bad == '5' || bad == '6' || bad == '8' {
			continue // kept digits; their letter look-alikes are the ones left out
		}
		if strings.ContainsRune(receiptAlphabet, bad) {
			t.Errorf("alphabet contains look-alike %q", bad)
		}
	}
	seen := map[rune]bool{}
	for _, r := range receiptAlphabet {
		if seen[r] {
			t.Errorf("duplicate symbol %q", r)
		}
		seen[r] = true
	}
}

// longTests reports whether the long variants run (make test-long).
func longTests() bool { return os.Getenv("KIOSK_LONG") == "1" }

// symbolsOf builds the symbol array of a code from numbers, as
// NewReceiptCode does, for the fast exhaustive loops.
func symbolsOf(t *testing.T, k uint32, seq uint64) [receiptSymbols]int8 {
	t.Helper()
	code, err := NewReceiptCode(k, seq)
	if err != nil {
		t.Fatal(err)
	}
	sym, err := parseSymbols(code)
	if err != nil {
		t.Fatalf("parse %q: %v", code, err)
	}
	return sym
}

// checkAllErrors applies every single substitution at every position and
// every adjacent transposition of different symbols to sym, and fails if
// any result still passes the check.
func checkAllErrors(t *testing.T, sym [receiptSymbols]int8) (subs, swaps int) {
	t.Helper()
	for i := 0; i < receiptSymbols; i++ {
		orig := sym[i]
		for v := int8(0); v < receiptBase; v++ {
			if v == orig {
				continue
			}
			sym[i] = v
			if receiptValid(sym[:]) {
				t.Fatalf("substitution at %d (%c→%c) of %s not caught", i, receiptAlphabet[orig], receiptAlphabet[v], formatSymbols(sym[:]))
			}
			subs++
		}
		sym[i] = orig
	}
	for i := 0; i+1 < receiptSymbols; i++ {
		if sym[i] == sym[i+1] {
			continue
		}
		sym[i], sym[i+1] = sym[i+1], sym[i]
		if receiptValid(sym[:]) {
			t.Fatalf("transposition at %d of %s not caught", i, formatSymbols(sym[:]))
		}
		sym[i], sym[i+1] = sym[i+1], sym[i]
		swaps++
	}
	return subs, swaps
}

// TestReceiptCheckProof proves the detection claims for every code at once:
// the check is linear, so an error is missed only if its change to the
// weighted sum is 0 mod 23, and that change depends only on the position
// and the two symbols involved. Every position × every ordered pair of
// different symbols is tried.
func TestReceiptCheckProof(t *testing.T) {
	for i := 1; i <= receiptSymbols; i++ {
		for a := 0; a < receiptBase; a++ {
			for b := 0; b < receiptBase; b++ {
				if a == b {
					continue
				}
				if (i*(b-a))%receiptBase == 0 {
					t.Fatalf("substitution %d→%d at position %d is invisible", a, b, i)
				}
				if i < receiptSymbols {
					// Swap a (at i) and b (at i+1): change = i·(b−a) + (i+1)·(a−b).
					if (i*(b-a)+(i+1)*(a-b))%receiptBase == 0 {
						t.Fatalf("transposition of %d,%d at %d is invisible", a, b, i)
					}
				}
			}
		}
	}
}

// TestReceiptCodeErrorsExhaustive applies every single-character error and
// every adjacent transposition to codes of every supported kiosk number
// (with several sequence numbers each; more under KIOSK_LONG=1) and checks
// that each is caught.
func TestReceiptCodeErrorsExhaustive(t *testing.T) {
	perKiosk := 3
	if longTests() {
		perKiosk = 40
	}
	rng := rand.New(rand.NewPCG(1, 2))
	var subs, swaps, codes int
	for k := uint32(0); k <= MaxKioskNumber; k++ {
		for j := 0; j < perKiosk; j++ {
			var seq uint64
			switch j {
			case 0:
				seq = 1
			case 1:
				seq = MaxReceiptSeq
			default:
				seq = rng.Uint64N(MaxReceiptSeq + 1)
			}
			s, w := checkAllErrors(t, symbolsOf(t, k, seq))
			subs += s
			swaps += w
			codes++
		}
	}
	t.Logf("%d codes, %d substitutions and %d transpositions, all caught", codes, subs, swaps)
}

// TestReceiptCodeErrorsThroughParse checks the same through the public
// parser, on typed strings, for a sample.
func TestReceiptCodeErrorsThroughParse(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for n := 0; n < 200; n++ {
		k := uint32(rng.IntN(MaxKioskNumber + 1))
		seq := rng.Uint64N(MaxReceiptSeq + 1)
		code, err := NewReceiptCode(k, seq)
		if err != nil {
			t.Fatal(err)
		}
		raw := []byte(strings.ReplaceAll(code, "-", ""))
		for i := range raw {
			orig := raw[i]
			for _, c := range []byte(receiptAlphabet) {
				if c == orig {
					continue
				}
				raw[i] = c
				if _, _, err := ParseReceiptCode(string(raw)); !errors.Is(err, ErrReceiptChecksum) {
					t.Fatalf("%s with %c at %d: err %v, want ErrReceiptChecksum", code, c, i, err)
				}
			}
			raw[i] = orig
		}
		for i := 0; i+1 < len(raw); i++ {
			if raw[i] == raw[i+1] {
				continue
			}
			raw[i], raw[i+1] = raw[i+1], raw[i]
			if _, _, err := ParseReceiptCode(string(raw)); !errors.Is(err, ErrReceiptChecksum) {
				t.Fatalf("%s swapped at %d: err %v", code, i, err)
			}
			raw[i], raw[i+1] = raw[i+1], raw[i]
		}
	}
}

func TestReceiptCodeRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	seen := map[string]bool{}
	for k := uint32(0); k <= MaxKioskNumber; k += 7 {
		for _, seq := range []uint64{0, 1, 2, MaxReceiptSeq, rng.Uint64N(MaxReceiptSeq + 1)} {
			code, err := NewReceiptCode(k, seq)
			if err != nil {
				t.Fatal(err)
			}
			if len(code) != ReceiptCodeLen || len(code) > 12 {
				t.Fatalf("%q: length %d", code, len(code))
			}
			if seen[code] {
				t.Fatalf("%q made twice", code)
			}
			seen[code] = true
			gk, gs, err := ParseReceiptCode(code)
			if err != nil || gk != k || gs != seq {
				t.Fatalf("ParseReceiptCode(%q) = %d, %d, %v; want %d, %d", code, gk, gs, err, k, seq)
			}
		}
	}
}

func TestParseReceiptCodeTyped(t *testing.T) {
	code, err := NewReceiptCode(4321, 98765)
	if err != nil {
		t.Fatal(err)
	}
	bare := strings.ReplaceAll(code, "-", "")
	lookalike := strings.NewReplacer("8", "B", "6", "G", "5", "S", "2", "Z", "V", "U").Replace(bare)
	tests := []struct {
		name, in string
		wantErr  error
	}{
		{"canonical", code, nil},
		{"lower case", strings.ToLower(code), nil},
		{"no separators", bare, nil},
		{"spaces", " " + strings.ReplaceAll(code, "-", " ") + " ", nil},
		{"extra separators", strings.Join(strings.Split(bare, ""), "-"), nil},
		{"dots and en dashes", strings.ReplaceAll(code, "-", "–") + ".", nil},
		{"look-alike letters", lookalike, nil},
		{"lower look-alikes", strings.ToLower(lookalike), nil},
		{"empty", "", ErrReceiptLength},
		{"too short", bare[:8], ErrReceiptLength},
		{"too long", bare + "2", ErrReceiptLength},
		{"zero", "0" + bare[1:], ErrReceiptSymbol},
		{"letter O", "O" + bare[1:], ErrReceiptSymbol},
		{"letter I", "I" + bare[1:], ErrReceiptSymbol},
		{"non-ASCII", "Ă" + bare[1:], ErrReceiptSymbol},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			k, seq, err := ParseReceiptCode(tc.in)
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("err = %v, want %v", err, tc.wantErr)
			}
			if err == nil && (k != 4321 || seq != 98765) {
				t.Fatalf("got %d, %d", k, seq)
			}
			if err == nil {
				if f, _ := FormatReceiptCode(tc.in); f != code {
					t.Fatalf("FormatReceiptCode = %q, want %q", f, code)
				}
			}
		})
	}
}

func TestNewReceiptCodeRange(t *testing.T) {
	for _, tc := range []struct {
		k   uint32
		seq uint64
		ok  bool
	}{
		{0, 0, true}, {MaxKioskNumber, MaxReceiptSeq, true},
		{MaxKioskNumber + 1, 1, false}, {1, MaxReceiptSeq + 1, false}, {^uint32(0), ^uint64(0), false},
	} {
		t.Run(fmt.Sprintf("%d-%d", tc.k, tc.seq), func(t *testing.T) {
			_, err := NewReceiptCode(tc.k, tc.seq)
			if (err == nil) != tc.ok || (err != nil && !errors.Is(err, ErrReceiptRange)) {
				t.Errorf("NewReceiptCode(%d, %d): err %v", tc.k, tc.seq, err)
			}
		})
	}
}

func FuzzParseReceiptCode(f *testing.F) {
	for _, s := range readSeeds(f, "receipt_codes.txt") {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		k, seq, err := ParseReceiptCode(s)
		if err != nil {
			return
		}
		code, err := NewReceiptCode(k, seq)
		if err != nil {
			t.Fatalf("parsed %q to out-of-range %d, %d", s, k, seq)
		}
		f, err := FormatReceiptCode(s)
		if err != nil || f != code {
			t.Fatalf("FormatReceiptCode(%q) = %q, %v; want %q", s, f, err, code)
		}
	})
}

// TestReceiptCodeVectors pins codes already printed on receipts: the
// encoding must never change.
func TestReceiptCodeVectors(t *testing.T) {
	for _, v := range []struct {
		k    uint32
		seq  uint64
		code string
	}{
		{0, 0, "222-222-222"},
		{1, 1, "223-222-23C"},
		{7, 12345, "229-232-9PV"},
		{5000, 3000000, "CDC-DNH-3R3"},
		{7000, 5555555, "H7A-TTH-YVK"},
		{MaxKioskNumber, MaxReceiptSeq, "YYY-YYY-YY6"},
	} {
		t.Run(v.code, func(t *testing.T) {
			got, err := NewReceiptCode(v.k, v.seq)
			if err != nil || got != v.code {
				t.Errorf("NewReceiptCode(%d, %d) = %q, %v; want %q", v.k, v.seq, got, err, v.code)
			}
		})
	}
}
