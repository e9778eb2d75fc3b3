package syncproto

import (
	"bytes"
	"encoding/hex"
	"errors"
	"strings"
	"testing"
)

// testCode and otherCode are well-formed codes (check characters
// computed by EnrolCodeCheck).
var (
	testCode  = mustCode("7KQMX3AD9TWFHC4")
	otherCode = mustCode("34679ACDEFGHJKM")
)

func mustCode(body string) string {
	c, err := EnrolCodeCheck(body)
	if err != nil {
		panic(err)
	}
	return FormatEnrolCode(body + string(c))
}

func testSecret() EnrolSecret {
	s, err := DeriveEnrolSecret(testCode)
	if err != nil {
		panic(err)
	}
	return s
}

// Every single wrong character and every swap of two different
// neighbours is caught by the check character.
func TestEnrolCodeCheckCatchesTypos(t *testing.T) {
	norm := strings.ReplaceAll(testCode, "-", "")
	for i := range norm {
		for _, r := range EnrolCodeAlphabet {
			if byte(r) == norm[i] {
				continue
			}
			typo := norm[:i] + string(r) + norm[i+1:]
			if _, err := NormaliseEnrolCode(typo); !errors.Is(err, ErrEnrolCodeTypo) {
				t.Fatalf("%s (position %d changed) accepted", typo, i)
			}
		}
		if i+1 < len(norm) && norm[i] != norm[i+1] {
			swap := norm[:i] + string(norm[i+1]) + string(norm[i]) + norm[i+2:]
			if _, err := NormaliseEnrolCode(swap); !errors.Is(err, ErrEnrolCodeTypo) {
				t.Fatalf("%s (positions %d, %d swapped) accepted", swap, i, i+1)
			}
		}
	}
}

func TestNormaliseEnrolCode(t *testing.T) {
	tests := []struct {
		name, in string
		ok       bool
	}{
		{"as printed", testCode, true},
		{"lower case, spaces", strings.ToLower(strings.ReplaceAll(testCode, "-", " ")), true},
		{"no separators", strings.ReplaceAll(testCode, "-", ""), true},
		{"too short", testCode[:len(testCode)-1], false},
		{"too long", testCode + "3", false},
		{"look-alike O for 0", strings.Replace(testCode, "9", "O", 1), false},
		{"not ASCII", strings.Replace(testCode, "A", "Á", 1), false},
		{"old 12-character code", "7KQM-X3AD-9TWF", false},
		{"empty", "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := NormaliseEnrolCode(tc.in)
			if tc.ok && (err != nil || got != strings.ReplaceAll(testCode, "-", "")) {
				t.Fatalf("NormaliseEnrolCode(%q) = %q, %v", tc.in, got, err)
			}
			if !tc.ok && !errors.Is(err, ErrEnrolCodeTypo) {
				t.Fatalf("NormaliseEnrolCode(%q) = %q, %v; want ErrEnrolCodeTypo", tc.in, got, err)
			}
		})
	}
}

// The derivation is fixed by the protocol: another client must get these
// same values (docs/protocol.md §5).
func TestDeriveEnrolSecretVector(t *testing.T) {
	a, err := DeriveEnrolSecret(strings.ToLower(testCode))
	if err != nil {
		t.Fatal(err)
	}
	b := testSecret()
	if a.ID != b.ID || !bytes.Equal(a.AuthKey, b.AuthKey) {
		t.Fatal("the same code typed two ways derives two secrets")
	}
	o, _ := DeriveEnrolSecret(otherCode)
	if o.ID == a.ID || bytes.Equal(o.AuthKey, a.AuthKey) {
		t.Fatal("two codes derive the same secret")
	}
	const wantID = "15dd8600e8c96c8e26a30ef6ff21253a2390989201c91b96dbd8cdb164cadf30"
	if a.ID != wantID {
		t.Fatalf("code %s: id %s; want %s", testCode, a.ID, wantID)
	}
	const wantKey = "36eab7ed35d090ba762deb24c6ef98da060bc8567eb92c1f822ffe9600730cef"
	if got := hex.EncodeToString(a.AuthKey); got != wantKey {
		t.Fatalf("code %s: auth key %s; want %s", testCode, got, wantKey)
	}
}

func TestEnrolMACs(t *testing.T) {
	sec := testSecret()
	other, _ := DeriveEnrolSecret(otherCode)
	req := []byte(`{"version":1}`)
	resp := []byte(`{"version":1,"kiosk_id":"K1"}`)
	mac := EnrolRequestMAC(sec.AuthKey, req)
	if err := VerifyEnrolRequestMAC(sec.AuthKey, req, mac); err != nil {
		t.Fatal(err)
	}
	rmac := EnrolResponseMAC(sec.AuthKey, req, resp)
	if err := VerifyEnrolResponseMAC(sec.AuthKey, req, resp, rmac); err != nil {
		t.Fatal(err)
	}
	bad := []struct {
		name string
		err  error
	}{
		{"request, other key", VerifyEnrolRequestMAC(other.AuthKey, req, mac)},
		{"request, changed body", VerifyEnrolRequestMAC(sec.AuthKey, append(req, ' '), mac)},
		{"request, no MAC", VerifyEnrolRequestMAC(sec.AuthKey, req, "")},
		{"request MAC used as an answer's", VerifyEnrolResponseMAC(sec.AuthKey, req, req, mac)},
		{"answer, changed", VerifyEnrolResponseMAC(sec.AuthKey, req, append(resp, ' '), rmac)},
		{"answer to another request", VerifyEnrolResponseMAC(sec.AuthKey, []byte(`{"version":1 }`), resp, rmac)},
		{"answer, other key", VerifyEnrolResponseMAC(other.AuthKey, req, resp, rmac)},
	}
	for _, b := range bad {
		t.Run(b.name, func(t *testing.T) {
			if !errors.Is(b.err, ErrEnrolMAC) {
				t.Errorf("%s: %v; want ErrEnrolMAC", b.name, b.err)
			}
		})
	}
}

// FuzzNormaliseEnrolCode: whatever is typed, a code that reads is
// EnrolCodeLen characters of the alphabet with a matching check, and reads
// the same formatted.
func FuzzNormaliseEnrolCode(f *testing.F) {
	f.Add(testCode)
	f.Add("7kqm x3ad 9twf hc4")
	f.Add("")
	f.Fuzz(func(t *testing.T, in string) {
		got, err := NormaliseEnrolCode(in)
		if err != nil {
			if !errors.Is(err, ErrEnrolCodeTypo) {
				t.Fatalf("%q: %v", in, err)
			}
			return
		}
		if len(got) != EnrolCodeLen || strings.Trim(got, EnrolCodeAlphabet) != "" {
			t.Fatalf("%q read as %q", in, got)
		}
		if again, err := NormaliseEnrolCode(FormatEnrolCode(got)); err != nil || again != got {
			t.Fatalf("%q formatted reads as %q, %v", got, again, err)
		}
	})
}
