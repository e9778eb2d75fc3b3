package city

import (
	"crypto/ed25519"
	"errors"
	"net/http"
	"time"

	"communekiosk/sync/syncproto"
)

// MaxPullLimit is the most status changes one pull returns.
const MaxPullLimit = 500

func (s *Server) decodeFailed(w http.ResponseWriter, err error) {
	if errors.Is(err, syncproto.ErrVersion) {
		writeError(w, http.StatusBadRequest, CodeBadVersion, err.Error())
		return
	}
	writeError(w, http.StatusBadRequest, CodeBadRequest, err.Error())
}

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

func (s *Server) internal(w http.ResponseWriter, what string, err error) {
	s.log.Error(what+" failed", "err", err)
	writeError(w, http.StatusServiceUnavailable, CodeInternal, "the city could not complete this; try again later")
}

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
	results, err := s.ingest(r.Context(), k, req.Items)
	if err != nil {
		s.internal(w, "Push ingest", err)
		return
	}
	s.metrics.pushDone(time.Since(start), results)
	s.log.Info("Push", "kiosk_id", k.ID, "batch_id", req.BatchID, "items", len(req.Items), "outcomes", countOutcomes(results))
	writeJSON(w, http.StatusOK, syncproto.PushResponse{Version: syncproto.Version, Results: results,
		AckedThroughSeq: ackedThrough(results), ServerTime: s.now().UTC(), Limits: s.opts.Limits})
}

func (s *Server) handlePull(w http.ResponseWriter, r *http.Request, k Kiosk, body []byte) {
	req, err := syncproto.DecodePullRequest(body)
	if err != nil {
		s.decodeFailed(w, err)
		return
	}
	if req.KioskID != k.ID {
		s.metrics.refused(CodeForbidden)
		s.log.Warn("Refused pull for another kiosk", "kiosk_id", k.ID, "claimed", req.KioskID)
		writeError(w, http.StatusForbidden, CodeForbidden, "a kiosk reads only its own statuses")
		return
	}
	resp, err := s.pull(r, k.ID, req)
	if err != nil {
		s.internal(w, "Pull", err)
		return
	}
	writeJSON(w, http.StatusOK, resp)
}

func (s *Server) pull(r *http.Request, kioskID string, req syncproto.PullRequest) (syncproto.PullResponse, error) {
	limit := req.Limit
	if limit <= 0 || limit > MaxPullLimit {
		limit = MaxPullLimit
	}
	epoch, err := s.store.Epoch(r.Context())
	if err != nil {
		return syncproto.PullResponse{}, err
	}
	after, reset := req.Cursor.Seq, req.Cursor.Epoch != epoch
	if reset {
		after = 0
	}
	changes, head, more, err := s.store.Feed(r.Context(), kioskID, after, limit)
	if err != nil {
		return syncproto.PullResponse{}, err
	}
	if !reset && after > head {
		// The kiosk is ahead of the feed: the store was restored without
		// a new epoch. Start it over.
		reset, after = true, 0
		if changes, _, more, err = s.store.Feed(r.Context(), kioskID, 0, limit); err != nil {
			return syncproto.PullResponse{}, err
		}
	}
	next := syncproto.Cursor{Epoch: epoch, Seq: after}
	if len(changes) > 0 {
		next.Seq = changes[len(changes)-1].Seq
	}
	resp := syncproto.PullResponse{Version: syncproto.Version, Changes: changes, Next: next, HasMore: more, Reset: reset, ServerTime: s.now().UTC()}
	if s.opts.CatalogueDocument != nil && req.CatalogueVersion != s.opts.CatalogueVersion {
		resp.Catalogue = &syncproto.CatalogueUpdate{Version: s.opts.CatalogueVersion, Document: s.opts.CatalogueDocument}
	}
	if reset {
		s.log.Info("Pull reset", "kiosk_id", kioskID, "kiosk_epoch", req.Cursor.Epoch, "epoch", epoch)
	}
	return resp, nil
}

func (s *Server) handleHeartbeat(w http.ResponseWriter, r *http.Request, k Kiosk, body []byte) {
	hb, err := syncproto.DecodeHeartbeat(body)
	if err != nil {
		s.decodeFailed(w, err)
		return
	}
	if hb.KioskID != k.ID {
		s.metrics.refused(CodeForbidden)
		writeError(w, http.StatusForbidden, CodeForbidden, "a kiosk reports only for itself")
		return
	}
	if err := s.store.RecordHeartbeat(r.Context(), k.ID, hb, s.now()); err != nil {
		s.internal(w, "Heartbeat", err)
		return
	}
	writeJSON(w, http.StatusOK, syncproto.HeartbeatResponse{Version: syncproto.Version, ServerTime: s.now().UTC()})
}

func countOutcomes(results []syncproto.ItemResult) map[syncproto.Outcome]int {
	m := map[syncproto.Outcome]int{}
	for _, r := range results {
		m[r.Outcome]++
	}
	return m
}
