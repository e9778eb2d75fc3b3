package city

import (
	"net/http"

	"communekiosk/kiosk"
	"communekiosk/sync/syncproto"
)

// MaxPullLimit is the most status changes one pull returns.
const MaxPullLimit = 500

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
	// A kiosk running an older catalogue than the one in force gets it.
	cat, doc, err := s.currentCatalogue(r.Context())
	if err != nil {
		return syncproto.PullResponse{}, err
	}
	if doc != nil && kiosk.CompareVersions(req.CatalogueVersion, cat.Version) < 0 {
		resp.Catalogue = &syncproto.CatalogueUpdate{Version: cat.Version, Document: doc}
	}
	if reset {
		s.log.Info("Pull reset", "kiosk_id", kioskID, "kiosk_epoch", req.Cursor.Epoch, "epoch", epoch)
	}
	return resp, nil
}
