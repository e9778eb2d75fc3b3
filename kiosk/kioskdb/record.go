package kioskdb

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
)

// Kiosk-side states of a request (Record.State). Stored, so strings.
const (
	StateQueued      = "queued"      // in the outbox, not yet acked by the city
	StateSent        = "sent"        // the city's ack is stored
	StateQuarantined = "quarantined" // rejected or in conflict; staff may re-queue
)

// storedRequest is the value of the requests bucket: the plaintext index
// Record and the payload sealed to the city's key (nil once purged).
//
// Encoding (schema 2): one version byte (requestFormat), the length of the
// Record JSON as a uvarint, the Record JSON, then the sealed payload.
type storedRequest struct {
	Record Record
	Sealed []byte
}

const requestFormat byte = 2

var errBadRequestValue = errors.New("kioskdb: malformed stored request")

func encodeRequest(r storedRequest) ([]byte, error) {
	rec, err := json.Marshal(r.Record)
	if err != nil {
		return nil, fmt.Errorf("kioskdb: encode record %s: %w", r.Record.RequestID, err)
	}
	buf := make([]byte, 0, 1+binary.MaxVarintLen64+len(rec)+len(r.Sealed))
	buf = append(buf, requestFormat)
	buf = binary.AppendUvarint(buf, uint64(len(rec)))
	buf = append(buf, rec...)
	buf = append(buf, r.Sealed...)
	return buf, nil
}

// decodeRequest reads a value of the requests bucket. The returned Sealed
// is a copy: the value itself lives in bbolt's mmap and is valid only
// inside its transaction.
func decodeRequest(v []byte) (storedRequest, error) {
	if len(v) < 2 || v[0] != requestFormat {
		return storedRequest{}, fmt.Errorf("%w: unknown format", errBadRequestValue)
	}
	n, w := binary.Uvarint(v[1:])
	if w <= 0 || n > uint64(len(v)-1-w) {
		return storedRequest{}, fmt.Errorf("%w: bad record length", errBadRequestValue)
	}
	body := v[1+w:]
	rec, err := decodeRecord(body[:n])
	if err != nil {
		return storedRequest{}, err
	}
	var sealed []byte
	if rest := body[n:]; len(rest) > 0 {
		sealed = append([]byte(nil), rest...)
	}
	return storedRequest{Record: rec, Sealed: sealed}, nil
}

// decodeRecord reads an index Record and checks the fields every stored
// record has.
func decodeRecord(b []byte) (Record, error) {
	var r Record
	if err := json.Unmarshal(b, &r); err != nil {
		return Record{}, fmt.Errorf("%w: record: %w", errBadRequestValue, err)
	}
	if r.RequestID == "" || r.Code == "" || r.Seq == 0 {
		return Record{}, fmt.Errorf("%w: record without request_id, code or seq", errBadRequestValue)
	}
	switch r.State {
	case StateQueued, StateSent, StateQuarantined:
	default:
		return Record{}, fmt.Errorf("%w: record state %q", errBadRequestValue, r.State)
	}
	return r, nil
}
