package syncclient

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"communekiosk/sync/syncproto"
)

// ErrEnrolMismatch is returned when the city's answer to an enrolment is
// not authenticated by the code: someone between the kiosk and the city
// changed it (or it is not the city that answered). Nothing of it is used.
var ErrEnrolMismatch = errors.New("syncclient: the city's answer does not match the enrolment code")

// Enrol makes a new Ed25519 key pair and enrols the kiosk at cityURL with
// a one-time code. Enrolment is not signed (the kiosk has no identity
// yet); the code is the proof, and it never leaves the kiosk: the request
// carries an ID derived from it and a MAC with a key derived from it, and
// the answer is used only if its MAC with that key matches
// (docs/protocol.md §5). A mistyped code fails with
// syncproto.ErrEnrolCodeTypo before anything is sent; an answer that does
// not match, with ErrEnrolMismatch.
func (c *Client) Enrol(ctx context.Context, cityURL, code string) (syncproto.Enrolment, error) {
	cityURL = strings.TrimSpace(cityURL)
	if cityURL == "" || strings.TrimSpace(code) == "" {
		return syncproto.Enrolment{}, fmt.Errorf("syncclient: enrol: the city address and the code are both needed")
	}
	sec, err := syncproto.DeriveEnrolSecret(code)
	if err != nil {
		return syncproto.Enrolment{}, fmt.Errorf("syncclient: enrol: %w", err)
	}
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return syncproto.Enrolment{}, fmt.Errorf("syncclient: enrol: make key: %w", err)
	}
	body, err := json.Marshal(syncproto.EnrolRequest{
		Version:    syncproto.Version,
		CodeID:     sec.ID,
		SigningKey: pub,
		AppVersion: c.opts.AppVersion,
	})
	if err != nil {
		return syncproto.Enrolment{}, fmt.Errorf("syncclient: enrol: encode: %w", err)
	}
	ctx, cancel := context.WithTimeout(ctx, c.opts.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, joinURL(cityURL, syncproto.PathEnrol), bytes.NewReader(body))
	if err != nil {
		return syncproto.Enrolment{}, fmt.Errorf("syncclient: enrol: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	req.Header.Set(syncproto.HeaderEnrolMAC, syncproto.EnrolRequestMAC(sec.AuthKey, body))
	hresp, data, err := c.roundTrip(req, "enrol")
	if err != nil {
		return syncproto.Enrolment{}, err
	}
	if hresp.StatusCode == http.StatusUnauthorized && checkJSON(hresp.Header) == nil {
		if env, err := syncproto.DecodeError(data); err == nil && env.Code == CodeEnrolMAC {
			return syncproto.Enrolment{}, fmt.Errorf("syncclient: enrol: the city says the request did not match the code: %w", ErrEnrolMismatch)
		}
	}
	if hresp.StatusCode >= 200 && hresp.StatusCode < 300 {
		// Nothing of an answer is read before its MAC matches.
		if err := syncproto.VerifyEnrolResponseMAC(sec.AuthKey, body, data, hresp.Header.Get(syncproto.HeaderEnrolMAC)); err != nil {
			return syncproto.Enrolment{}, fmt.Errorf("syncclient: enrol: %w", ErrEnrolMismatch)
		}
	}
	var resp syncproto.EnrolResponse
	if err := c.answer("enrol", hresp, data, func(b []byte) (err error) {
		resp, err = syncproto.DecodeEnrolResponse(b)
		return err
	}); err != nil {
		return syncproto.Enrolment{}, err
	}
	if resp.KioskID == "" || len(resp.SealKey) != 32 || len(resp.CityKey) != ed25519.PublicKeySize {
		return syncproto.Enrolment{}, fmt.Errorf("syncclient: enrol: incomplete answer from the city")
	}
	return syncproto.Enrolment{Response: resp, PublicKey: pub, PrivateKey: priv, CityURL: cityURL}, nil
}

// CodeEnrolMAC is the city's error code for an enrol request that does
// not match its code (city.CodeEnrolMAC).
const CodeEnrolMAC = "enrol_mac"
