package syncproto

import (
	"fmt"
	"net/url"
	"strings"
)

// EnrolQRPrefix starts the text of an enrolment QR code: the one-time code
// and the city's address, for the kiosk's staff screen to scan instead of
// typing (docs/protocol.md §5). The QR adds no trust of its own: the code
// in it is the binding.
const EnrolQRPrefix = "commune-kiosk-enrol:1:"

// FormatEnrolQR is the QR text for a code and the city's address:
// "commune-kiosk-enrol:1:<code>:<city url>".
func FormatEnrolQR(code, cityURL string) (string, error) {
	norm, err := NormaliseEnrolCode(code)
	if err != nil {
		return "", err
	}
	if err := checkQRURL(cityURL); err != nil {
		return "", err
	}
	return EnrolQRPrefix + FormatEnrolCode(norm) + ":" + cityURL, nil
}

// ParseEnrolQR reads an enrolment QR text (as a scanner types it; spaces
// around it do not matter). The code is checked as typed codes are
// (ErrEnrolCodeTypo).
func ParseEnrolQR(text string) (code, cityURL string, err error) {
	rest, ok := strings.CutPrefix(strings.TrimSpace(text), EnrolQRPrefix)
	if !ok {
		return "", "", fmt.Errorf("syncproto: not an enrolment QR text")
	}
	c, u, ok := strings.Cut(rest, ":")
	if !ok {
		return "", "", fmt.Errorf("syncproto: enrolment QR text without a city address")
	}
	norm, err := NormaliseEnrolCode(c)
	if err != nil {
		return "", "", err
	}
	if err := checkQRURL(u); err != nil {
		return "", "", err
	}
	return FormatEnrolCode(norm), u, nil
}

func checkQRURL(u string) error {
	p, err := url.Parse(u)
	if err != nil || (p.Scheme != "https" && p.Scheme != "http") || p.Host == "" || strings.ContainsAny(u, " \t\r\n") || len(u) > 512 {
		return fmt.Errorf("syncproto: enrolment QR: %q is not a city address", u)
	}
	return nil
}
