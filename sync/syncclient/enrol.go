package syncclient

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"net/http"
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

// Enrol makes a new Ed25519 key pair and enrols the kiosk at cityURL with
// a one-time code. Enrolment is not signed (the kiosk has no identity yet);
// the code is the proof.
func (c *Client) Enrol(ctx context.Context, cityURL, code string) (Enrolment, error) {
	cityURL = strings.TrimSpace(cityURL)
	code = strings.TrimSpace(code)
	if cityURL == "" || code == "" {
		return Enrolment{}, fmt.Errorf("syncclient: enrol: the city address and the code are both needed")
	}
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return Enrolment{}, fmt.Errorf("syncclient: enrol: make key: %w", err)
	}
	body, err := json.Marshal(syncproto.EnrolRequest{
		Version:    syncproto.Version,
		Code:       code,
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
	var resp syncproto.EnrolResponse
	if err := c.do(req, "enrol", func(b []byte) (err error) {
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
