package syncproto

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// Errors of the Decode* helpers.
var (
	// ErrNotEnvelope: the bytes are not one of our JSON messages (an HTML
	// page of a captive portal, a proxy's error text, an empty body, JSON
	// without a version). A kiosk treats it as a failed attempt even with
	// HTTP 200.
	ErrNotEnvelope = errors.New("syncproto: not a protocol message")
	// ErrVersion: a message or file of a version this code does not know.
	ErrVersion = errors.New("syncproto: unknown version")
)

// MaxMessageBytes bounds what the decoders accept (16 MiB).
const MaxMessageBytes = 16 << 20

// decodeEnvelope reads data into v strictly: a JSON object, with a
// "version" equal to Version (version returns it from v once decoded).
// Fields this version does not know are ignored, so a city can add fields
// without breaking old kiosks; a change that old kiosks must understand
// bumps Version. One pass over the data when it is good (push bodies are
// large); a second only to say why it is not.
func decodeEnvelope(name string, data []byte, v any, version func() int) error {
	if len(data) > MaxMessageBytes {
		return fmt.Errorf("syncproto: decode %s: %w: %d bytes", name, ErrNotEnvelope, len(data))
	}
	if err := json.Unmarshal(data, v); err != nil {
		var probe struct {
			Version *int `json:"version"`
		}
		if json.Unmarshal(data, &probe) == nil && probe.Version != nil && *probe.Version != Version {
			return fmt.Errorf("syncproto: decode %s: %w %d", name, ErrVersion, *probe.Version)
		}
		return fmt.Errorf("syncproto: decode %s: %w: %v", name, ErrNotEnvelope, err)
	}
	switch n := version(); {
	case n == 0:
		return fmt.Errorf("syncproto: decode %s: %w: no version", name, ErrNotEnvelope)
	case n != Version:
		return fmt.Errorf("syncproto: decode %s: %w %d", name, ErrVersion, n)
	}
	return nil
}

func missing(name, field string) error {
	return fmt.Errorf("syncproto: decode %s: %w: missing %s", name, ErrNotEnvelope, field)
}

// DecodeEnrolRequest reads an enrol request (city side).
func DecodeEnrolRequest(data []byte) (EnrolRequest, error) {
	var m EnrolRequest
	if err := decodeEnvelope("enrol request", data, &m, func() int { return m.Version }); err != nil {
		return EnrolRequest{}, err
	}
	if len(m.CodeID) != 64 || strings.Trim(m.CodeID, "0123456789abcdef") != "" {
		return EnrolRequest{}, missing("enrol request", "code_id of 64 lowercase hex characters")
	}
	if len(m.SigningKey) != 32 {
		return EnrolRequest{}, missing("enrol request", "signing_key of 32 bytes")
	}
	return m, nil
}

// DecodeEnrolResponse reads the city's answer to an enrol (kiosk side).
func DecodeEnrolResponse(data []byte) (EnrolResponse, error) {
	var m EnrolResponse
	if err := decodeEnvelope("enrol response", data, &m, func() int { return m.Version }); err != nil {
		return EnrolResponse{}, err
	}
	switch {
	case m.KioskID == "":
		return EnrolResponse{}, missing("enrol response", "kiosk_id")
	case m.Number == 0:
		return EnrolResponse{}, missing("enrol response", "number")
	case len(m.SealKey) != 32:
		return EnrolResponse{}, missing("enrol response", "seal_key of 32 bytes")
	case len(m.CityKey) != 32:
		return EnrolResponse{}, missing("enrol response", "city_key of 32 bytes")
	}
	return m, nil
}

// DecodePushRequest reads a push (city side). Items are not checked here:
// a bad item gets its own "rejected" result, it never fails the batch.
func DecodePushRequest(data []byte) (PushRequest, error) {
	var m PushRequest
	if err := decodeEnvelope("push request", data, &m, func() int { return m.Version }); err != nil {
		return PushRequest{}, err
	}
	if m.KioskID == "" {
		return PushRequest{}, missing("push request", "kiosk_id")
	}
	if m.Items == nil {
		return PushRequest{}, missing("push request", "items")
	}
	return m, nil
}

// DecodePushResponse reads the city's answer to a push (kiosk side).
func DecodePushResponse(data []byte) (PushResponse, error) {
	var m PushResponse
	if err := decodeEnvelope("push response", data, &m, func() int { return m.Version }); err != nil {
		return PushResponse{}, err
	}
	if m.Results == nil {
		return PushResponse{}, missing("push response", "results")
	}
	for i, r := range m.Results {
		if err := r.check(); err != nil {
			return PushResponse{}, fmt.Errorf("syncproto: decode push response: result %d: %w", i, err)
		}
	}
	return m, nil
}

// DecodePullRequest reads a pull (city side).
func DecodePullRequest(data []byte) (PullRequest, error) {
	var m PullRequest
	if err := decodeEnvelope("pull request", data, &m, func() int { return m.Version }); err != nil {
		return PullRequest{}, err
	}
	if m.KioskID == "" {
		return PullRequest{}, missing("pull request", "kiosk_id")
	}
	if m.Limit < 0 {
		return PullRequest{}, fmt.Errorf("syncproto: decode pull request: %w: negative limit", ErrNotEnvelope)
	}
	return m, nil
}

// DecodePullResponse reads the city's answer to a pull (kiosk side).
func DecodePullResponse(data []byte) (PullResponse, error) {
	var m PullResponse
	if err := decodeEnvelope("pull response", data, &m, func() int { return m.Version }); err != nil {
		return PullResponse{}, err
	}
	if m.Changes == nil {
		return PullResponse{}, missing("pull response", "changes")
	}
	if m.Next.Epoch == "" {
		return PullResponse{}, missing("pull response", "next.epoch")
	}
	for i, c := range m.Changes {
		if err := c.check(); err != nil {
			return PullResponse{}, fmt.Errorf("syncproto: decode pull response: change %d: %w", i, err)
		}
	}
	return m, nil
}

// DecodeHeartbeat reads a heartbeat (city side).
func DecodeHeartbeat(data []byte) (Heartbeat, error) {
	var m Heartbeat
	if err := decodeEnvelope("heartbeat", data, &m, func() int { return m.Version }); err != nil {
		return Heartbeat{}, err
	}
	if m.KioskID == "" {
		return Heartbeat{}, missing("heartbeat", "kiosk_id")
	}
	if err := checkSatisfaction(m.Satisfaction); err != nil {
		return Heartbeat{}, fmt.Errorf("syncproto: decode heartbeat: %w: %w", ErrNotEnvelope, err)
	}
	return m, nil
}

// DecodeHeartbeatResponse reads the city's answer to a heartbeat.
func DecodeHeartbeatResponse(data []byte) (HeartbeatResponse, error) {
	var m HeartbeatResponse
	if err := decodeEnvelope("heartbeat response", data, &m, func() int { return m.Version }); err != nil {
		return HeartbeatResponse{}, err
	}
	if m.ServerTime.IsZero() {
		return HeartbeatResponse{}, missing("heartbeat response", "server_time")
	}
	return m, nil
}

// DecodeError reads the envelope of a non-2xx answer. A non-2xx answer
// without it (a proxy's page) still means what its HTTP status says.
func DecodeError(data []byte) (Error, error) {
	var m Error
	if err := decodeEnvelope("error", data, &m, func() int { return m.Version }); err != nil {
		return Error{}, err
	}
	if m.Code == "" {
		return Error{}, missing("error", "code")
	}
	return m, nil
}

// Valid reports whether o is one of the four outcomes.
func (o Outcome) Valid() bool {
	switch o {
	case Accepted, Duplicate, Rejected, Conflict:
		return true
	}
	return false
}

// Valid reports whether s is one of the known statuses.
func (s Status) Valid() bool {
	switch s {
	case StatusReceived, StatusProcessing, StatusReady, StatusPosted, StatusPickedUp, StatusDone, StatusRejected,
		StatusAccepted, StatusNeedsSupplement, StatusNotAccepted, StatusRefused, StatusWithdrawn:
		return true
	}
	return false
}

func (r ItemResult) check() error {
	if r.RequestID == "" {
		return errors.New("missing request_id")
	}
	if !r.Outcome.Valid() {
		return fmt.Errorf("unknown outcome %q", r.Outcome)
	}
	return nil
}

func (c StatusChange) check() error {
	if c.RequestID == "" {
		return errors.New("missing request_id")
	}
	if !c.Status.Valid() {
		return fmt.Errorf("unknown status %q", c.Status)
	}
	return nil
}
