package city

import (
	"encoding/json"
	"errors"
	"net/http"

	"communekiosk/sync/syncproto"
)

// Codes of the error envelope (syncproto.Error.Code).
const (
	CodeBadRequest    = "bad_request"
	CodeBadVersion    = "bad_version"
	CodeUnauthorized  = "unauthorized"  // unsigned, unknown kiosk, no operator token
	CodeBadSignature  = "bad_signature" // signature does not verify
	CodeReplay        = "replay"        // nonce seen or time too far back
	CodeRevoked       = "revoked"       // 403
	CodeForbidden     = "forbidden"     // 403: another kiosk's ID in the body
	CodeBadCode       = "bad_code"      // enrolment code unknown, used or expired
	CodeEnrolMAC      = "enrol_mac"     // enrol request not authenticated by its code
	CodeTooLarge      = "too_large"     // 413
	CodeRateLimited   = "rate_limited"  // 429, with Retry-After
	CodeNotFound      = "not_found"
	CodeBadTransition = "bad_transition" // 409
	CodeConflict      = "conflict"       // 409: a catalogue version not newer
	CodeInternal      = "internal"
)

func writeJSON(w http.ResponseWriter, status int, v any) {
	data, err := jsonLine(v)
	if err != nil {
		status, data = http.StatusInternalServerError, []byte(`{"version":1,"code":"internal","message":"encoding failed"}`+"\n")
	}
	writeRaw(w, status, data)
}

// jsonLine is v as JSON with a final newline: the bytes writeJSON sends.
func jsonLine(v any) ([]byte, error) {
	data, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return append(data, '\n'), nil
}

// writeRaw sends JSON bytes as they are (when a MAC covers them).
func writeRaw(w http.ResponseWriter, status int, data []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(data)
}

func writeError(w http.ResponseWriter, status int, code, msg string) {
	writeJSON(w, status, syncproto.Error{Version: syncproto.Version, Code: code, Message: msg})
}

func (s *Server) decodeFailed(w http.ResponseWriter, err error) {
	if errors.Is(err, syncproto.ErrVersion) {
		writeError(w, http.StatusBadRequest, CodeBadVersion, err.Error())
		return
	}
	writeError(w, http.StatusBadRequest, CodeBadRequest, err.Error())
}

func (s *Server) internal(w http.ResponseWriter, what string, err error) {
	s.log.Error(what+" failed", "err", err)
	writeError(w, http.StatusServiceUnavailable, CodeInternal, "the city could not complete this; try again later")
}
