package city

import (
	"crypto/ed25519"
	"errors"
	"net/http"

	"communekiosk/sync/syncproto"
)

func (s *Server) handleEnrol(w http.ResponseWriter, r *http.Request) {
	body, err := readBody(w, r, 64<<10)
	if err != nil {
		writeError(w, http.StatusRequestEntityTooLarge, CodeTooLarge, "enrol body too large")
		return
	}
	req, err := syncproto.DecodeEnrolRequest(body)
	if err != nil {
		s.decodeFailed(w, err)
		return
	}
	k, err := s.store.RedeemEnrolCode(r.Context(), HashEnrolCode(req.Code), ed25519.PublicKey(req.SigningKey), req.AppVersion, s.now())
	if errors.Is(err, ErrCodeInvalid) {
		s.metrics.refused(CodeBadCode)
		s.log.Warn("Refused enrolment: code unknown, used or expired")
		writeError(w, http.StatusUnauthorized, CodeBadCode, "enrolment code unknown, already used or expired; ask the city for a new one")
		return
	}
	if err != nil {
		s.internal(w, "Enrol", err)
		return
	}
	s.log.Info("Kiosk enrolled", "kiosk_id", k.ID, "number", k.Number, "commune", k.Commune)
	writeJSON(w, http.StatusOK, s.enrolResponse(k))
}

func (s *Server) enrolResponse(k Kiosk) syncproto.EnrolResponse {
	return syncproto.EnrolResponse{Version: syncproto.Version, KioskID: k.ID, Number: k.Number, Commune: k.Commune,
		CommuneName: k.CommuneName, SealKey: s.keys.SealPublic[:], CityKey: s.keys.Sign.Public().(ed25519.PublicKey),
		ServerTime: s.now().UTC()}
}
