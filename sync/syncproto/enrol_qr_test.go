package syncproto

import (
	"errors"
	"strings"
	"testing"
)

func TestEnrolQRRoundTrip(t *testing.T) {
	text, err := FormatEnrolQR(strings.ToLower(testCode), "https://city.example.vn:8443/api")
	if err != nil {
		t.Fatal(err)
	}
	if text != EnrolQRPrefix+testCode+":https://city.example.vn:8443/api" {
		t.Fatalf("QR text %q", text)
	}
	code, u, err := ParseEnrolQR(" " + text + "\n")
	if err != nil || code != testCode || u != "https://city.example.vn:8443/api" {
		t.Fatalf("parse: %q %q %v", code, u, err)
	}
	for name, bad := range map[string]string{
		"no prefix":    testCode + ":https://city.example.vn",
		"no address":   EnrolQRPrefix + testCode,
		"mistyped":     EnrolQRPrefix + strings.Replace(testCode, "7", "9", 1) + ":https://city.example.vn",
		"not a URL":    EnrolQRPrefix + testCode + ":city.example.vn",
		"ftp":          EnrolQRPrefix + testCode + ":ftp://city.example.vn",
		"space in URL": EnrolQRPrefix + testCode + ":https://city.example.vn/a b",
	} {
		if _, _, err := ParseEnrolQR(bad); err == nil {
			t.Errorf("%s: %q accepted", name, bad)
		} else if name == "mistyped" && !errors.Is(err, ErrEnrolCodeTypo) {
			t.Errorf("mistyped: %v; want ErrEnrolCodeTypo", err)
		}
	}
}

// FuzzParseEnrolQR: whatever a scanner types, a text that reads gives a
// well-formed code and an http(s) address, and formats back to itself.
func FuzzParseEnrolQR(f *testing.F) {
	f.Add(EnrolQRPrefix + testCode + ":https://city.example.vn")
	f.Add(EnrolQRPrefix + testCode + ":")
	f.Add("commune-kiosk-enrol:2:x:y")
	f.Fuzz(func(t *testing.T, text string) {
		code, u, err := ParseEnrolQR(text)
		if err != nil {
			return
		}
		if _, err := NormaliseEnrolCode(code); err != nil {
			t.Fatalf("%q gave code %q: %v", text, code, err)
		}
		again, err := FormatEnrolQR(code, u)
		if err != nil {
			t.Fatalf("%q read but does not format: %v", text, err)
		}
		if c2, u2, err := ParseEnrolQR(again); err != nil || c2 != code || u2 != u {
			t.Fatalf("%q → %q → %q %q %v", text, again, c2, u2, err)
		}
	})
}
