package kiosk

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

func FuzzCheckName(f *testing.F) {
	for _, s := range readSeeds(f, "names.txt") {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := NormalizeName(s)
		if NormalizeName(n) != n {
			t.Fatalf("NormalizeName not idempotent: %q → %q", s, n)
		}
		if !norm.NFC.IsNormalString(n) {
			t.Fatalf("NormalizeName(%q) not NFC", s)
		}
		if checkName(n) == "" {
			// Accepted names are 1–100 letters with single separators.
			if c := utf8.RuneCountInString(n); c < 1 || c > MaxNameLen {
				t.Fatalf("accepted %q of length %d", n, c)
			}
			if strings.ContainsAny(n, "0123456789@#\t\n") || strings.Contains(n, "  ") {
				t.Fatalf("accepted %q", n)
			}
			// Decomposing an accepted name does not change the verdict.
			if checkName(NormalizeName(norm.NFD.String(n))) != "" {
				t.Fatalf("NFD of accepted %q rejected", n)
			}
		}
	})
}

func FuzzPersonalID(f *testing.F) {
	for _, line := range readSeeds(f, "personal_ids.txt") {
		parts := strings.SplitN(line, "|", 3)
		for len(parts) < 3 {
			parts = append(parts, "")
		}
		f.Add(parts[0], parts[1], parts[2])
	}
	f.Fuzz(func(t *testing.T, id, birth, sex string) {
		fs := checkPersonalID(id, birth, sex)
		validShape := len(id) == 12 && strings.Trim(id, "0123456789") == ""
		for _, fd := range fs {
			if fd.code == "id_format" && validShape {
				t.Fatalf("%q: id_format on 12 digits", id)
			}
			if _, ok := messages[fd.code]; !ok {
				t.Fatalf("no message for %s", fd.code)
			}
		}
		if !validShape && (len(fs) != 1 || fs[0].code != "id_format") {
			t.Fatalf("%q: %v", id, fs)
		}
	})
}

func FuzzNormalizePhone(f *testing.F) {
	for _, s := range readSeeds(f, "phones.txt") {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := NormalizePhone(s)
		if err != nil {
			if checkPhone(s) != "phone_format" {
				t.Fatalf("%q: not normalised but checkPhone = %q", s, checkPhone(s))
			}
			return
		}
		if strings.Trim(d, "0123456789") != "" || d[0] != '0' || len(d) < 10 || len(d) > 11 {
			t.Fatalf("NormalizePhone(%q) = %q", s, d)
		}
		if again, err := NormalizePhone(d); err != nil || again != d {
			t.Fatalf("not idempotent: %q → %q → %q, %v", s, d, again, err)
		}
	})
}

func FuzzParseDate(f *testing.F) {
	for _, s := range readSeeds(f, "dates.txt") {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDate(s)
		if err != nil {
			return
		}
		if LocalDate(d) != s {
			t.Fatalf("ParseDate(%q) = %s", s, LocalDate(d))
		}
	})
}

func FuzzCheckAddress(f *testing.F) {
	for _, line := range readSeeds(f, "addresses.txt") {
		parts := strings.SplitN(line, "|", 3)
		for len(parts) < 3 {
			parts = append(parts, "")
		}
		f.Add(parts[0], parts[1], parts[2])
	}
	fld := Field{ID: "delivery.address", Kind: KindAddress, Label: Text{"Địa chỉ", "Address"}}
	f.Fuzz(func(t *testing.T, province, commune, street string) {
		ps := checkAddress(fld, Address{province, commune, street})
		if len(ps) == 0 {
			c, ok := UnitByCode(strings.TrimSpace(commune))
			if !ok || c.ProvinceCode != strings.TrimSpace(province) || strings.TrimSpace(street) == "" {
				t.Fatalf("accepted %q %q %q", province, commune, street)
			}
		}
	})
}

// FuzzValidate decodes a request from JSON (as the app and the city do) and
// validates it: no panic, every problem well formed, and normalising a
// request never adds errors.
func FuzzValidate(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "requests", "*.json"))
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	cat := mustCatalogue(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		var r Request
		if json.Unmarshal(data, &r) != nil {
			return
		}
		ps := Validate(r, cat, testNow)
		for _, p := range ps {
			checkMessage(t, p)
		}
		n := NormalizeRequest(r, cat)
		if HasErrors(Validate(n, cat, testNow)) && !HasErrors(ps) {
			t.Fatalf("normalising added errors: %+v", Validate(n, cat, testNow))
		}
		_ = Quote(r, cat, testNow)
		_ = MaskName(r.Requester.FullName)
	})
}
