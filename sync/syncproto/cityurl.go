package syncproto

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
)

// ErrInsecureCity is returned for a city address a kiosk will not enrol
// with: not https, and plain http only on this machine (loopback) unless
// allowed.
var ErrInsecureCity = errors.New("syncproto: the city address is not secure")

// CheckCityURL accepts an https:// address, and an http:// one only on
// loopback (127.0.0.0/8, ::1, localhost) unless allowHTTP. A kiosk checks
// the address of an enrolment and of a provisioning file with it.
func CheckCityURL(cityURL string, allowHTTP bool) error {
	u, err := url.Parse(strings.TrimSpace(cityURL))
	if err != nil || u.Host == "" {
		return fmt.Errorf("%w: %q is not an address like https://city.example", ErrInsecureCity, cityURL)
	}
	switch u.Scheme {
	case "https":
		return nil
	case "http":
		if allowHTTP || IsLoopback(u.Hostname()) {
			return nil
		}
		return fmt.Errorf("%w: %s is plain http to another machine", ErrInsecureCity, u.Host)
	}
	return fmt.Errorf("%w: scheme %q", ErrInsecureCity, u.Scheme)
}

// IsLoopback reports whether host names this machine.
func IsLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
