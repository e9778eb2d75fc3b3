package syncproto

import (
	"fmt"
	"time"
)

// PathLookup is the signed call a kiosk makes to look up a request made
// at another kiosk (docs/protocol.md §7).
const PathLookup = "/v1/lookup"

// LookupRequest asks the city about a receipt code. IDLast4 is the last
// four digits of the personal ID number of the citizen who made the
// request: the city answers only if they match the request's, so a
// mistyped or guessed code tells nothing.
type LookupRequest struct {
	Version int    `json:"version"`
	KioskID string `json:"kiosk_id"`
	Code    string `json:"code"`     // receipt code, canonical form
	IDLast4 string `json:"id_last4"` // four digits
}

// LookupResponse is what the city tells: whether it holds the request and,
// if so, its status and dates. Never personal data.
type LookupResponse struct {
	Version         int       `json:"version"`
	Found           bool      `json:"found"`
	Code            string    `json:"code,omitempty"`
	Service         string    `json:"service,omitempty"`
	Status          Status    `json:"status,omitempty"`
	StatusChangedAt time.Time `json:"status_changed_at,omitzero"`
	ReceivedAt      time.Time `json:"received_at,omitzero"`
	ServerTime      time.Time `json:"server_time"`
}

// DecodeLookupRequest reads a lookup (city side).
func DecodeLookupRequest(data []byte) (LookupRequest, error) {
	var m LookupRequest
	if err := decodeEnvelope("lookup request", data, &m, func() int { return m.Version }); err != nil {
		return LookupRequest{}, err
	}
	switch {
	case m.KioskID == "":
		return LookupRequest{}, missing("lookup request", "kiosk_id")
	case m.Code == "" || len(m.Code) > 32:
		return LookupRequest{}, missing("lookup request", "code of at most 32 characters")
	case len(m.IDLast4) != 4 || !allDigits(m.IDLast4):
		return LookupRequest{}, missing("lookup request", "id_last4 of four digits")
	}
	return m, nil
}

// DecodeLookupResponse reads the city's answer (kiosk side).
func DecodeLookupResponse(data []byte) (LookupResponse, error) {
	var m LookupResponse
	if err := decodeEnvelope("lookup response", data, &m, func() int { return m.Version }); err != nil {
		return LookupResponse{}, err
	}
	if m.ServerTime.IsZero() {
		return LookupResponse{}, missing("lookup response", "server_time")
	}
	if m.Found && (m.Code == "" || m.Status == "") {
		return LookupResponse{}, fmt.Errorf("syncproto: decode lookup response: %w: found without code or status", ErrNotEnvelope)
	}
	return m, nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
