package city

import (
	"errors"
	"net/http"

	"communekiosk/kiosk"
)

// handlePublishCatalogue takes a catalogue document (the body, as
// kiosk/catalogue.json) and publishes it under the caller's name (the
// named token's user; operator-token for the shared token of --demo): 400 when the kiosk's checks
// refuse it, 409 when its version is not newer than the one in force.
func (s *Server) handlePublishCatalogue(w http.ResponseWriter, r *http.Request) {
	doc, err := readBody(w, r, kiosk.MaxCatalogueSize+1)
	if errors.Is(err, errTooLarge) || len(doc) > kiosk.MaxCatalogueSize {
		writeError(w, http.StatusRequestEntityTooLarge, CodeTooLarge, "catalogue larger than the kiosk accepts")
		return
	}
	if err != nil {
		writeError(w, http.StatusBadRequest, CodeBadRequest, "could not read the body")
		return
	}
	pc, err := s.PublishCatalogue(r.Context(), doc, operatorName(r))
	switch {
	case errors.Is(err, ErrCatalogueInvalid):
		writeError(w, http.StatusBadRequest, CodeBadRequest, err.Error())
	case errors.Is(err, ErrCatalogueNotNewer), errors.Is(err, ErrCatalogueExists):
		writeError(w, http.StatusConflict, CodeConflict, err.Error())
	case err != nil:
		s.internal(w, "Publish catalogue", err)
	default:
		writeJSON(w, http.StatusOK, pc)
	}
}

// handleCatalogueHistory lists the published versions and the one in force.
func (s *Server) handleCatalogueHistory(w http.ResponseWriter, r *http.Request) {
	hist, err := s.CatalogueHistory(r.Context())
	if err != nil {
		s.internal(w, "Catalogue history", err)
		return
	}
	cur, _, err := s.currentCatalogue(r.Context())
	if err != nil {
		s.internal(w, "Catalogue history", err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"current": cur.Version, "notice_version": cur.NoticeVersion, "published": hist})
}
