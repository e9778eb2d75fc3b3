package city

import (
	"crypto/ed25519"
	"errors"
	"net/http"

	"communekiosk/sync/syncproto"
)

// handleEnrol redeems a one-time code. The request is authenticated with
// the code's key (X-Enrol-MAC) before the code is used, so a request whose
// kiosk key was changed on the way is refused and the code still works;
// the answer is authenticated with the same key (docs/protocol.md §5).
func (s *Server) handleEnrol(w http.ResponseWriter, r *http.Request) {
	body, err := readBody(w, r, 64<<10)
	if errors.Is(err, errTooLarge) {
		writeError(w, http.StatusRequestEntityTooLarge, CodeTooLarge, "enrol body too large")
		return
	}
	if err != nil {
		writeError(w, http.StatusBadRequest, CodeBadRequest, "could not read the body")
		return
	}
	req, err := syncproto.DecodeEnrolRequest(body)
	if err != nil {
		s.decodeFailed(w, err)
		return
	}
	addr := clientAddr(r)
	if ok, wait := s.guesses.allowed("enrol", addr, req.CodeID, s.now()); !ok {
		s.tooManyGuesses(w, wait)
		return
	}
	now := s.now()
	c, err := s.store.EnrolCode(r.Context(), req.CodeID, now)
	if errors.Is(err, ErrCodeInvalid) {
		s.guesses.failed("enrol", addr, req.CodeID, now)
		s.refuseCode(w)
		return
	}
	if err != nil {
		s.internal(w, "Enrol", err)
		return
	}
	if err := syncproto.VerifyEnrolRequestMAC(c.AuthKey, body, r.Header.Get(syncproto.HeaderEnrolMAC)); err != nil {
		s.guesses.failed("enrol", addr, req.CodeID, now)
		s.metrics.refused(CodeEnrolMAC)
		s.log.Warn("Refused enrolment: the request does not match its code (changed on the way?)")
		writeError(w, http.StatusUnauthorized, CodeEnrolMAC, "this enrolment request was not made with its code, or was changed on the way; the code is still valid")
		return
	}
	k, err := s.store.RedeemEnrolCode(r.Context(), req.CodeID, ed25519.PublicKey(req.SigningKey), req.AppVersion, now)
	s.health.note(err, now)
	if errors.Is(err, ErrCodeInvalid) {
		s.refuseCode(w)
		return
	}
	if err != nil {
		s.internal(w, "Enrol", err)
		return
	}
	s.log.Info("Kiosk enrolled", "kiosk_id", k.ID, "number", k.Number, "commune", k.Commune)
	s.office.auditKiosk(r, "enrol.redeemed", k) // office_operator.go
	data, err := jsonLine(s.enrolResponse(k))
	if err != nil {
		s.internal(w, "Enrol answer", err)
		return
	}
	w.Header().Set(syncproto.HeaderEnrolMAC, syncproto.EnrolResponseMAC(c.AuthKey, body, data))
	writeRaw(w, http.StatusOK, data)
}

func (s *Server) refuseCode(w http.ResponseWriter) {
	s.metrics.refused(CodeBadCode)
	s.log.Warn("Refused enrolment: code unknown, used or expired")
	writeError(w, http.StatusUnauthorized, CodeBadCode, "enrolment code unknown, already used or expired; ask the city for a new one")
}

func (s *Server) enrolResponse(k Kiosk) syncproto.EnrolResponse {
	return syncproto.EnrolResponse{Version: syncproto.Version, KioskID: k.ID, Number: k.Number, Commune: k.Commune,
		CommuneName: k.CommuneName, SealKey: s.keys.SealPublic[:], CityKey: s.keys.Sign.Public().(ed25519.PublicKey),
		ServerTime: s.now().UTC()}
}
