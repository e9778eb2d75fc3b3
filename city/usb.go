package city

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"communekiosk/sync/syncproto"
)

func (s *Server) handleExportReceipt(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	k, err := s.store.Kiosk(r.Context(), id)
	if errors.Is(err, ErrNotFound) {
		writeError(w, http.StatusNotFound, CodeNotFound, "no such kiosk")
		return
	}
	if err != nil {
		s.internal(w, "Export receipt", err)
		return
	}
	data, err := s.Receipt(r.Context(), k.ID)
	if err != nil {
		s.internal(w, "Export receipt", err)
		return
	}
	s.log.Info("Receipt file exported", "kiosk_id", k.ID)
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="receipt-%s.json"`, k.ID))
	w.Write(data)
}

// Receipt builds a kiosk's signed receipt file: every ack, and its whole
// status feed as a reset snapshot.
func (s *Server) Receipt(ctx context.Context, kioskID string) ([]byte, error) {
	acks, err := s.store.Acks(ctx, kioskID)
	if err != nil {
		return nil, err
	}
	epoch, err := s.store.Epoch(ctx)
	if err != nil {
		return nil, err
	}
	rc := syncproto.Receipt{KioskID: kioskID, CreatedAt: s.now().UTC(), Results: acks, AckedThroughSeq: ackedThrough(acks), Reset: true,
		Next: syncproto.Cursor{Epoch: epoch}}
	for after := uint64(0); ; {
		changes, _, more, err := s.store.Feed(ctx, kioskID, after, MaxPullLimit)
		if err != nil {
			return nil, err
		}
		rc.Changes = append(rc.Changes, changes...)
		if len(changes) > 0 {
			after = changes[len(changes)-1].Seq
		}
		if !more || len(changes) == 0 {
			break
		}
	}
	rc.Next.Seq = 0
	if n := len(rc.Changes); n > 0 {
		rc.Next.Seq = rc.Changes[n-1].Seq
	}
	return syncproto.EncodeReceipt(rc, s.keys.Sign)
}

// handleImport ingests a USB bundle through the same path as push.
func (s *Server) handleImport(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	data, err := readBody(w, r, 256<<20)
	if errors.Is(err, errTooLarge) {
		writeError(w, http.StatusRequestEntityTooLarge, CodeTooLarge, "bundle over 256 MiB")
		return
	}
	if err != nil {
		writeError(w, http.StatusBadRequest, CodeBadRequest, "could not read the body")
		return
	}
	id, err := syncproto.BundleKioskID(data)
	if err != nil {
		s.decodeFailed(w, err)
		return
	}
	k, err := s.store.Kiosk(r.Context(), id)
	switch {
	case errors.Is(err, ErrNotFound):
		writeError(w, http.StatusUnauthorized, CodeUnauthorized, "bundle from a kiosk the city does not know")
		return
	case err != nil:
		s.internal(w, "Import", err)
		return
	case k.Revoked:
		writeError(w, http.StatusForbidden, CodeRevoked, "bundle from a revoked kiosk")
		return
	}
	b, err := syncproto.DecodeBundle(data, k.PublicKey)
	if errors.Is(err, syncproto.ErrFileSignature) {
		writeError(w, http.StatusUnauthorized, CodeBadSignature, "bundle signature does not verify with the kiosk's key")
		return
	}
	if err != nil {
		s.decodeFailed(w, err)
		return
	}
	var results []syncproto.ItemResult
	for i := 0; i < len(b.Items); i += s.opts.MaxItems {
		chunk := b.Items[i:min(i+s.opts.MaxItems, len(b.Items))]
		res, err := s.ingest(r.Context(), k, chunk, b.CreatedAt, ChannelUSB)
		if err != nil {
			s.internal(w, "Import", err)
			return
		}
		results = append(results, res...)
	}
	if results == nil {
		results = []syncproto.ItemResult{}
	}
	s.metrics.pushDone(time.Since(start), results)
	s.log.Info("Bundle imported", "kiosk_id", k.ID, "from_seq", b.FromSeq, "to_seq", b.ToSeq, "outcomes", countOutcomes(results))
	writeJSON(w, http.StatusOK, syncproto.PushResponse{Version: syncproto.Version, Results: results, AckedThroughSeq: ackedThrough(results),
		ServerTime: s.now().UTC(), Limits: s.opts.Limits})
}
