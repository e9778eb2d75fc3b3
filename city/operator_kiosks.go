package city

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"net/http"
	"time"

	"communekiosk/sync/syncproto"
)

// EnrolCodeRequest is the body of POST /v1/operator/enrol-codes and
// POST /v1/operator/provision.
type EnrolCodeRequest struct {
	Commune     string `json:"commune"`
	CommuneName string `json:"commune_name"`
	CityURL     string `json:"city_url,omitempty"` // provision only
}

// EnrolCodeResponse carries a fresh one-time code.
type EnrolCodeResponse struct {
	Code        string    `json:"code"`
	Commune     string    `json:"commune"`
	CommuneName string    `json:"commune_name"`
	ExpiresAt   time.Time `json:"expires_at"`
}

// KioskView is one line of the fleet page.
type KioskView struct {
	ID               string    `json:"id"`
	Number           uint32    `json:"number"`
	Commune          string    `json:"commune"`
	CommuneName      string    `json:"commune_name"`
	AppVersion       string    `json:"app_version,omitempty"`
	EnrolledAt       time.Time `json:"enrolled_at"`
	Revoked          bool      `json:"revoked"`
	RevokedAt        time.Time `json:"revoked_at,omitzero"`
	LastHeartbeatAt  time.Time `json:"last_heartbeat_at,omitzero"`
	QueueDepth       int       `json:"queue_depth"`
	OldestUnsentSecs int64     `json:"oldest_unsent_secs"`
	Quarantined      int       `json:"quarantined"`
	ClockSkewSecs    int64     `json:"clock_skew_secs"`
	FreeDiskBytes    uint64    `json:"free_disk_bytes"`
}

func (s *Server) handleEnrolCode(w http.ResponseWriter, r *http.Request) {
	var body EnrolCodeRequest
	if !readJSON(w, r, &body) {
		return
	}
	if body.Commune == "" {
		writeError(w, http.StatusBadRequest, CodeBadRequest, "commune is required")
		return
	}
	resp, err := s.CreateEnrolCode(r.Context(), body.Commune, body.CommuneName)
	if err != nil {
		s.internal(w, "Create enrol code", err)
		return
	}
	writeJSON(w, http.StatusOK, resp)
}

// CreateEnrolCode makes and stores a one-time enrolment code (the
// operator API and cityd --demo use it).
func (s *Server) CreateEnrolCode(ctx context.Context, commune, name string) (EnrolCodeResponse, error) {
	code, now := NewEnrolCode(), s.now().UTC()
	c := EnrolCode{Hash: HashEnrolCode(code), Commune: commune, CommuneName: name, CreatedAt: now, ExpiresAt: now.Add(s.opts.EnrolCodeTTL)}
	if err := s.store.CreateEnrolCode(ctx, c); err != nil {
		return EnrolCodeResponse{}, fmt.Errorf("city: create enrol code: %w", err)
	}
	s.log.Info("Enrolment code made", "commune", c.Commune, "expires_at", c.ExpiresAt)
	return EnrolCodeResponse{Code: code, Commune: c.Commune, CommuneName: c.CommuneName, ExpiresAt: c.ExpiresAt}, nil
}

func (s *Server) handleProvision(w http.ResponseWriter, r *http.Request) {
	var body EnrolCodeRequest
	if !readJSON(w, r, &body) {
		return
	}
	if body.Commune == "" {
		writeError(w, http.StatusBadRequest, CodeBadRequest, "commune is required")
		return
	}
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		s.internal(w, "Provision key", err)
		return
	}
	k, err := s.store.RegisterKiosk(r.Context(), body.Commune, body.CommuneName, pub, s.now())
	if err != nil {
		s.internal(w, "Provision", err)
		return
	}
	data, err := syncproto.EncodeProvisioning(syncproto.Provisioning{Enrol: s.enrolResponse(k), CityURL: body.CityURL, SigningKey: priv}, s.keys.Sign)
	if err != nil {
		s.internal(w, "Provision file", err)
		return
	}
	s.log.Info("Kiosk provisioned offline", "kiosk_id", k.ID, "number", k.Number, "commune", k.Commune)
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="provision-%s.json"`, k.ID))
	w.Header().Set("Cache-Control", "no-store")
	w.Write(data)
}

func (s *Server) handleKiosks(w http.ResponseWriter, r *http.Request) {
	ks, err := s.store.Kiosks(r.Context())
	if err != nil {
		s.internal(w, "List kiosks", err)
		return
	}
	out := make([]KioskView, len(ks))
	for i, k := range ks {
		v := KioskView{ID: k.ID, Number: k.Number, Commune: k.Commune, CommuneName: k.CommuneName, AppVersion: k.AppVersion,
			EnrolledAt: k.EnrolledAt, Revoked: k.Revoked, RevokedAt: k.RevokedAt, LastHeartbeatAt: k.LastHeartbeatAt}
		if hb := k.LastHeartbeat; hb != nil {
			v.QueueDepth, v.OldestUnsentSecs, v.Quarantined, v.ClockSkewSecs, v.FreeDiskBytes = hb.QueueDepth, hb.OldestUnsentSecs, hb.Quarantined, hb.ClockSkewSecs, hb.FreeDiskBytes
		}
		out[i] = v
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) handleRevoke(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	err := s.store.Revoke(r.Context(), id, s.now())
	if errors.Is(err, ErrNotFound) {
		writeError(w, http.StatusNotFound, CodeNotFound, "no such kiosk")
		return
	}
	if err != nil {
		s.internal(w, "Revoke", err)
		return
	}
	s.log.Warn("Kiosk revoked", "kiosk_id", id)
	k, _ := s.store.Kiosk(r.Context(), id)
	writeJSON(w, http.StatusOK, map[string]any{"id": id, "revoked": true, "revoked_at": k.RevokedAt})
}

// handleResetClock forgets a kiosk's replay state: after its clock jumped
// far ahead and came back, its requests were refused as replays.
func (s *Server) handleResetClock(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if _, err := s.store.Kiosk(r.Context(), id); errors.Is(err, ErrNotFound) {
		writeError(w, http.StatusNotFound, CodeNotFound, "no such kiosk")
		return
	} else if err != nil {
		s.internal(w, "Reset clock", err)
		return
	}
	if err := s.store.ResetReplay(r.Context(), id); err != nil {
		s.internal(w, "Reset clock", err)
		return
	}
	s.log.Warn("Kiosk replay state reset", "kiosk_id", id)
	writeJSON(w, http.StatusOK, map[string]any{"id": id, "clock_reset": true})
}
