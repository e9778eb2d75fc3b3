package city

import (
	"context"
	"crypto/subtle"
	"errors"
	"net/http"
	"strings"

	"communekiosk/kiosk"
	"communekiosk/sync/syncproto"
)

// CodeLookupStore finds a request by its receipt code (codes are unique
// city-wide: they carry the kiosk's number). Stores without it answer
// every lookup with 501; citybolt has it.
type CodeLookupStore interface {
	RequestByCode(ctx context.Context, code string) (Request, error) // ErrNotFound; with Sealed
}

// handleLookup tells a kiosk whether the city holds a request with this
// receipt code, and its status and dates; never personal data. The
// caller must also give the last four digits of the requester's personal
// ID number, checked against the sealed payload: a code that exists with
// other digits is answered exactly as a code that does not exist. Wrong
// tries are throttled per kiosk and per code, so four digits cannot be
// walked through.
func (s *Server) handleLookup(w http.ResponseWriter, r *http.Request, k Kiosk, body []byte) {
	req, err := syncproto.DecodeLookupRequest(body)
	if err != nil {
		s.decodeFailed(w, err)
		return
	}
	if req.KioskID != k.ID {
		s.metrics.refused(CodeForbidden)
		writeError(w, http.StatusForbidden, CodeForbidden, "a kiosk looks up only as itself")
		return
	}
	finder, ok := s.store.(CodeLookupStore)
	if !ok {
		writeError(w, http.StatusNotImplemented, CodeNotFound, "this city store cannot look requests up by code")
		return
	}
	code, err := kiosk.FormatReceiptCode(req.Code)
	now := s.now()
	notFound := syncproto.LookupResponse{Version: syncproto.Version, Found: false, ServerTime: now.UTC()}
	if err != nil {
		writeJSON(w, http.StatusOK, notFound)
		return
	}
	if ok, wait := s.guesses.allowed("lookup", k.ID, code, now); !ok {
		s.tooManyGuesses(w, wait)
		return
	}
	rq, err := finder.RequestByCode(r.Context(), code)
	if errors.Is(err, ErrNotFound) {
		s.guesses.failed("lookup", k.ID, code, now)
		writeJSON(w, http.StatusOK, notFound)
		return
	}
	if err != nil {
		s.internal(w, "Lookup", err)
		return
	}
	if !s.idMatches(rq, req.IDLast4) {
		s.guesses.failed("lookup", k.ID, code, now)
		s.log.Info("Lookup: code known, digits do not match", "kiosk_id", k.ID, "code", code)
		writeJSON(w, http.StatusOK, notFound)
		return
	}
	s.log.Info("Lookup", "kiosk_id", k.ID, "code", code, "request_kiosk", rq.KioskID, "status", rq.Status)
	writeJSON(w, http.StatusOK, syncproto.LookupResponse{Version: syncproto.Version, Found: true, Code: rq.Code, Service: rq.Service,
		Status: rq.Status, StatusChangedAt: rq.UpdatedAt, ReceivedAt: rq.ReceivedAt, ServerTime: now.UTC()})
}

// idMatches opens the request's payload and compares the last four digits
// of the requester's personal ID number, in constant time.
func (s *Server) idMatches(rq Request, last4 string) bool {
	p, err := s.open(rq.Sealed)
	if err != nil {
		return false
	}
	id := strings.TrimSpace(p.Requester.PersonalID)
	if len(id) < 4 {
		return false
	}
	return subtle.ConstantTimeCompare([]byte(id[len(id)-4:]), []byte(last4)) == 1
}
