package city

import (
	"net/http"

	"communekiosk/sync/syncproto"
)

func (s *Server) handleHeartbeat(w http.ResponseWriter, r *http.Request, k Kiosk, body []byte) {
	hb, err := syncproto.DecodeHeartbeat(body)
	if err != nil {
		s.decodeFailed(w, err)
		return
	}
	if err := hb.Check(); err != nil {
		s.metrics.refused(CodeBadRequest)
		s.log.Warn("Refused heartbeat", "kiosk_id", k.ID, "err", err)
		writeError(w, http.StatusBadRequest, CodeBadRequest, err.Error())
		return
	}
	if hb.KioskID != k.ID {
		s.metrics.refused(CodeForbidden)
		writeError(w, http.StatusForbidden, CodeForbidden, "a kiosk reports only for itself")
		return
	}
	// The satisfaction tallies are kept per commune and day, not with
	// the kiosk's health.
	sat := hb.Satisfaction
	hb.Satisfaction = nil
	if ss, ok := s.store.(SatisfactionStore); ok && len(sat) > 0 {
		if err := ss.PutSatisfaction(r.Context(), k.ID, k.Commune, sat); err != nil {
			s.internal(w, "Heartbeat satisfaction", err)
			return
		}
	}
	err = s.store.RecordHeartbeat(r.Context(), k.ID, hb, s.now())
	s.health.note(err, s.now())
	if err != nil {
		s.internal(w, "Heartbeat", err)
		return
	}
	// The history is for the fleet page's trend line: a failure to keep it
	// is logged, not the kiosk's problem.
	if hs, ok := s.store.(HeartbeatHistoryStore); ok {
		if err := hs.KeepHeartbeat(r.Context(), k.ID, hb, s.now(), HeartbeatKeep); err != nil {
			s.log.Warn("Heartbeat history not kept", "kiosk_id", k.ID, "err", err)
		}
	}
	writeJSON(w, http.StatusOK, syncproto.HeartbeatResponse{Version: syncproto.Version, ServerTime: s.now().UTC()})
}
