package city

import (
	"net/http"
	"time"

	"communekiosk/sync/syncproto"
)

func (s *Server) handlePush(w http.ResponseWriter, r *http.Request, k Kiosk, body []byte) {
	start := time.Now()
	req, err := syncproto.DecodePushRequest(body)
	if err != nil {
		s.decodeFailed(w, err)
		return
	}
	if req.KioskID != k.ID {
		s.metrics.refused(CodeForbidden)
		s.log.Warn("Refused push for another kiosk", "kiosk_id", k.ID, "claimed", req.KioskID)
		writeError(w, http.StatusForbidden, CodeForbidden, "a kiosk pushes only as itself")
		return
	}
	if len(req.Items) > s.opts.MaxItems {
		s.metrics.refused(CodeTooLarge)
		writeError(w, http.StatusRequestEntityTooLarge, CodeTooLarge, "too many items in one push; send fewer")
		return
	}
	results, err := s.ingest(r.Context(), k, req.Items, req.SentAt, ChannelSync)
	if err != nil {
		s.internal(w, "Push ingest", err)
		return
	}
	s.metrics.pushDone(time.Since(start), results)
	s.log.Info("Push", "kiosk_id", k.ID, "batch_id", req.BatchID, "items", len(req.Items), "outcomes", countOutcomes(results))
	writeJSON(w, http.StatusOK, syncproto.PushResponse{Version: syncproto.Version, Results: results,
		AckedThroughSeq: ackedThrough(results), ServerTime: s.now().UTC(), Limits: s.opts.Limits})
}

func countOutcomes(results []syncproto.ItemResult) map[syncproto.Outcome]int {
	m := map[syncproto.Outcome]int{}
	for _, r := range results {
		m[r.Outcome]++
	}
	return m
}
