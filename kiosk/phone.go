package kiosk

import (
	"errors"
	"regexp"
	"strings"
)

// ErrPhone is returned by NormalizePhone for input that is not a
// Vietnamese phone number.
var ErrPhone = errors.New("kiosk: not a Vietnamese phone number")

var (
	// mobileKnownRE: the mobile prefixes in use since the 2018 conversion
	// (Viettel, VinaPhone, MobiFone, Vietnamobile, Gmobile, iTel, Reddi).
	mobileKnownRE = regexp.MustCompile(`^0(3[2-9]|5[25689]|7[06-9]|8[1-9]|9[0-46-9])[0-9]{7}$`)
	// mobileShapeRE: any 10-digit number in a mobile range; new prefixes
	// appear, so these only warn.
	mobileShapeRE = regexp.MustCompile(`^0[35789][0-9]{8}$`)
	// landlineRE: 0 + area code 2xx + 8 digits (Hà Nội 024 xxxx xxxx).
	landlineRE = regexp.MustCompile(`^02[0-9]{9}$`)
)

// NormalizePhone returns a phone number in its national form, digits only
// with a leading 0: "+84 912 345 678", "84912345678" and "0912.345.678" all
// become "0912345678". Spaces, dots, hyphens and brackets are ignored. It
// returns ErrPhone when what is left is not 10–11 digits starting with 0.
// It does not judge the prefix; Validate does.
func NormalizePhone(s string) (string, error) {
	var b strings.Builder
	for i, r := range strings.TrimSpace(s) {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '+' && i == 0:
			b.WriteRune(r)
		case r == ' ' || r == '.' || r == '-' || r == '(' || r == ')' || r == '\u00a0':
		default:
			return "", ErrPhone
		}
	}
	d := b.String()
	switch {
	case strings.HasPrefix(d, "+84"):
		d = "0" + d[3:]
	case strings.HasPrefix(d, "+"):
		return "", ErrPhone
	case strings.HasPrefix(d, "84") && (len(d) == 11 || len(d) == 12):
		d = "0" + d[2:]
	}
	if strings.HasPrefix(d, "00") || !strings.HasPrefix(d, "0") || len(d) < 10 || len(d) > 11 {
		return "", ErrPhone
	}
	return d, nil
}

// checkPhone returns "" for a known mobile or landline number,
// "phone_prefix" (a warning) for a mobile-shaped number with an unknown
// prefix, and "phone_format" otherwise.
func checkPhone(s string) string {
	d, err := NormalizePhone(s)
	if err != nil {
		return "phone_format"
	}
	switch {
	case mobileKnownRE.MatchString(d), landlineRE.MatchString(d):
		return ""
	case mobileShapeRE.MatchString(d):
		return "phone_prefix"
	}
	return "phone_format"
}
