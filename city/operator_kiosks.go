package city

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"communekiosk/kiosk"
	"communekiosk/sync/syncproto"
)

// EnrolCodeRequest is the body of POST /v1/operator/enrol-codes and
// POST /v1/operator/provision.
type EnrolCodeRequest struct {
	Commune     string `json:"commune"`
	CommuneName string `json:"commune_name"`
	CityURL     string `json:"city_url,omitempty"` // provision; for enrol-codes, makes the QR text
}

// EnrolCodeResponse carries a fresh one-time code.
type EnrolCodeResponse struct {
	Code        string    `json:"code"`
	Commune     string    `json:"commune"`
	CommuneName string    `json:"commune_name"`
	ExpiresAt   time.Time `json:"expires_at"`
	// QR is the text of an enrolment QR code (syncproto.FormatEnrolQR),
	// when the request named the city's address.
	QR string `json:"qr,omitempty"`
}

// ErrUnknownCommune: no commune or ward of the administrative units list
// (package kiosk) has this code.
var ErrUnknownCommune = errors.New("city: no such commune or ward")

// checkCommune answers 400 unless code names a commune or ward.
func (s *Server) checkCommune(w http.ResponseWriter, code string) bool {
	if code == "" {
		writeError(w, http.StatusBadRequest, CodeBadRequest, "commune is required")
		return false
	}
	if _, ok := communeUnit(code); !ok {
		writeError(w, http.StatusBadRequest, CodeBadRequest, "no commune or ward has the code "+strconv.Quote(code))
		return false
	}
	return true
}

// communeUnit finds a commune-level unit (not a province) by its code.
func communeUnit(code string) (kiosk.Unit, bool) {
	u, ok := kiosk.UnitByCode(code)
	return u, ok && u.ProvinceCode != ""
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
	if !s.checkCommune(w, body.Commune) {
		return
	}
	resp, err := s.CreateEnrolCode(r.Context(), body.Commune, body.CommuneName)
	if err != nil {
		s.internal(w, "Create enrol code", err)
		return
	}
	if body.CityURL != "" {
		if resp.QR, err = syncproto.FormatEnrolQR(resp.Code, body.CityURL); err != nil {
			writeError(w, http.StatusBadRequest, CodeBadRequest, "city_url: "+err.Error())
			return
		}
	}
	writeJSON(w, http.StatusOK, resp)
}

// CreateEnrolCode makes and stores a one-time enrolment code (the
// operator API and cityd --demo use it).
func (s *Server) CreateEnrolCode(ctx context.Context, commune, name string) (EnrolCodeResponse, error) {
	u, ok := communeUnit(commune)
	if !ok {
		return EnrolCodeResponse{}, fmt.Errorf("city: create enrol code: %w: %q", ErrUnknownCommune, commune)
	}
	if name == "" {
		name = u.Name
	}
	code, now := NewEnrolCode(), s.now().UTC()
	sec, err := syncproto.DeriveEnrolSecret(code)
	if err != nil {
		return EnrolCodeResponse{}, fmt.Errorf("city: create enrol code: %w", err)
	}
	c := EnrolCode{Hash: sec.ID, AuthKey: sec.AuthKey, Commune: commune, CommuneName: name, CreatedAt: now, ExpiresAt: now.Add(s.opts.EnrolCodeTTL)}
	if err := s.store.CreateEnrolCode(ctx, c); err != nil {
		return EnrolCodeResponse{}, fmt.Errorf("city: create enrol code: %w", err)
	}
	s.log.Info("Enrolment code made", "commune", c.Commune, "expires_at", c.ExpiresAt)
	return EnrolCodeResponse{Code: code, Commune: c.Commune, CommuneName: c.CommuneName, ExpiresAt: c.ExpiresAt}, nil
}

// HeaderProvisioningCode carries, in the answer to POST
// /v1/operator/provision, the one-time code the file is bound to. The
// operator hands it over apart from the file; staff type it on the kiosk.
const HeaderProvisioningCode = "X-Provisioning-Code"

// Provisioning is an offline enrolment as the operator hands it over: the
// file for the USB drive and, apart from it, the code staff type.
type Provisioning struct {
	File  []byte
	Code  string
	Kiosk Kiosk
}

// Provision registers a kiosk with a key the city makes for it and returns
// its provisioning file, bound to a new one-time code.
func (s *Server) Provision(ctx context.Context, commune, name, cityURL string) (Provisioning, error) {
	if _, ok := communeUnit(commune); !ok {
		return Provisioning{}, fmt.Errorf("city: provision: %w: %q", ErrUnknownCommune, commune)
	}
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return Provisioning{}, fmt.Errorf("city: provision key: %w", err)
	}
	code := NewEnrolCode()
	sec, err := syncproto.DeriveEnrolSecret(code)
	if err != nil {
		return Provisioning{}, fmt.Errorf("city: provision code: %w", err)
	}
	k, err := s.store.RegisterKiosk(ctx, commune, name, pub, s.now())
	if err != nil {
		return Provisioning{}, fmt.Errorf("city: provision: %w", err)
	}
	data, err := syncproto.EncodeProvisioning(syncproto.Provisioning{Enrol: s.enrolResponse(k), CityURL: cityURL, SigningKey: priv}, s.keys.Sign, sec.AuthKey)
	if err != nil {
		return Provisioning{}, fmt.Errorf("city: provisioning file: %w", err)
	}
	s.log.Info("Kiosk provisioned offline", "kiosk_id", k.ID, "number", k.Number, "commune", k.Commune)
	return Provisioning{File: data, Code: code, Kiosk: k}, nil
}

func (s *Server) handleProvision(w http.ResponseWriter, r *http.Request) {
	var body EnrolCodeRequest
	if !readJSON(w, r, &body) {
		return
	}
	if !s.checkCommune(w, body.Commune) {
		return
	}
	if body.CommuneName == "" {
		u, _ := communeUnit(body.Commune)
		body.CommuneName = u.Name
	}
	p, err := s.Provision(r.Context(), body.Commune, body.CommuneName, body.CityURL)
	if err != nil {
		s.internal(w, "Provision", err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="provision-%s.json"`, p.Kiosk.ID))
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set(HeaderProvisioningCode, p.Code)
	w.Write(p.File)
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
