package syncclient

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"

	"communekiosk/sync/syncproto"
)

// Enrolment is what enrolment gives the kiosk: the city's answer and the
// key pair the kiosk made for itself. Only the public half left the kiosk.
type Enrolment struct {
	Response   syncproto.EnrolResponse
	PublicKey  ed25519.PublicKey
	PrivateKey ed25519.PrivateKey
	CityURL    string
}

// ErrEnrolMismatch is returned when the city's answer to an enrolment is
// not authenticated by the code: someone between the kiosk and the city
// changed it (or it is not the city that answered). Nothing of it is used.
var ErrEnrolMismatch = errors.New("syncclient: the city's answer does not match the enrolment code")

// ErrInsecureCity is returned for a city address the kiosk will not enrol
// with: not https, and plain http only on this machine (loopback) unless
// allowed.
var ErrInsecureCity = errors.New("syncclient: the city address is not secure")

// CheckCityURL accepts an https:// address, and an http:// one only on
// loopback (127.0.0.0/8, ::1, localhost) unless allowHTTP.
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

// Enrol makes a new Ed25519 key pair and enrols the kiosk at cityURL with
// a one-time code. Enrolment is not signed (the kiosk has no identity
// yet); the code is the proof, and it never leaves the kiosk: the request
// carries an ID derived from it and a MAC with a key derived from it, and
// the answer is used only if its MAC with that key matches
// (docs/protocol.md §5). A mistyped code fails with
// syncproto.ErrEnrolCodeTypo before anything is sent; an answer that does
// not match, with ErrEnrolMismatch.
func (c *Client) Enrol(ctx context.Context, cityURL, code string) (Enrolment, error) {
	cityURL = strings.TrimSpace(cityURL)
	if cityURL == "" || strings.TrimSpace(code) == "" {
		return Enrolment{}, fmt.Errorf("syncclient: enrol: the city address and the code are both needed")
	}
	sec, err := syncproto.DeriveEnrolSecret(code)
	if err != nil {
		return Enrolment{}, fmt.Errorf("syncclient: enrol: %w", err)
	}
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return Enrolment{}, fmt.Errorf("syncclient: enrol: make key: %w", err)
	}
	body, err := json.Marshal(syncproto.EnrolRequest{
		Version:    syncproto.Version,
		CodeID:     sec.ID,
		SigningKey: pub,
		AppVersion: c.opts.AppVersion,
	})
	if err != nil {
		return Enrolment{}, fmt.Errorf("syncclient: enrol: encode: %w", err)
	}
	ctx, cancel := context.WithTimeout(ctx, c.opts.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, joinURL(cityURL, syncproto.PathEnrol), bytes.NewReader(body))
	if err != nil {
		return Enrolment{}, fmt.Errorf("syncclient: enrol: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	req.Header.Set(syncproto.HeaderEnrolMAC, syncproto.EnrolRequestMAC(sec.AuthKey, body))
	hresp, data, err := c.roundTrip(req, "enrol")
	if err != nil {
		return Enrolment{}, err
	}
	if hresp.StatusCode == http.StatusUnauthorized && checkJSON(hresp.Header) == nil {
		if env, err := syncproto.DecodeError(data); err == nil && env.Code == CodeEnrolMAC {
			return Enrolment{}, fmt.Errorf("syncclient: enrol: the city says the request did not match the code: %w", ErrEnrolMismatch)
		}
	}
	if hresp.StatusCode >= 200 && hresp.StatusCode < 300 {
		// Nothing of an answer is read before its MAC matches.
		if err := syncproto.VerifyEnrolResponseMAC(sec.AuthKey, body, data, hresp.Header.Get(syncproto.HeaderEnrolMAC)); err != nil {
			return Enrolment{}, fmt.Errorf("syncclient: enrol: %w", ErrEnrolMismatch)
		}
	}
	var resp syncproto.EnrolResponse
	if err := c.answer("enrol", hresp, data, func(b []byte) (err error) {
		resp, err = syncproto.DecodeEnrolResponse(b)
		return err
	}); err != nil {
		return Enrolment{}, err
	}
	if resp.KioskID == "" || len(resp.SealKey) != 32 || len(resp.CityKey) != ed25519.PublicKeySize {
		return Enrolment{}, fmt.Errorf("syncclient: enrol: incomplete answer from the city")
	}
	return Enrolment{Response: resp, PublicKey: pub, PrivateKey: priv, CityURL: cityURL}, nil
}

// CodeEnrolMAC is the city's error code for an enrol request that does
// not match its code (city.CodeEnrolMAC).
const CodeEnrolMAC = "enrol_mac"
