package city

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"communekiosk/kiosk"
	"communekiosk/sync/syncproto"
)

// RequestList is the answer of GET /v1/operator/requests.
type RequestList struct {
	Requests []Request `json:"requests"`
	// Next is the value of "after" for the next page; empty on the last.
	Next string `json:"next,omitempty"`
}

// RequestDetail is one request with its opened payload. It holds personal
// data: it is sent to the operator and never logged.
type RequestDetail struct {
	Request Request        `json:"request"`
	Payload *kiosk.Request `json:"payload,omitempty"`
	// PayloadError says why the payload could not be opened.
	PayloadError string `json:"payload_error,omitempty"`
}

// StatusChangeRequest is the body of POST /v1/operator/requests/{id}/status.
type StatusChangeRequest struct {
	Status syncproto.Status `json:"status"`
	Note   string           `json:"note,omitempty"` // required when rejecting
}

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

func readJSON(w http.ResponseWriter, r *http.Request, v any) bool {
	body, err := readBody(w, r, 64<<10)
	if err == nil {
		err = json.Unmarshal(body, v)
	}
	if err != nil {
		writeError(w, http.StatusBadRequest, CodeBadRequest, "body is not the expected JSON")
		return false
	}
	return true
}

func (s *Server) handleListRequests(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := RequestFilter{Status: syncproto.Status(q.Get("status")), KioskID: q.Get("kiosk"), Commune: q.Get("commune"), After: q.Get("after")}
	if f.Status != "" && !f.Status.Valid() {
		writeError(w, http.StatusBadRequest, CodeBadRequest, "unknown status")
		return
	}
	if l := q.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > 1000 {
			writeError(w, http.StatusBadRequest, CodeBadRequest, "limit must be 1–1000")
			return
		}
		f.Limit = n
	}
	if f.Limit == 0 {
		f.Limit = 100
	}
	list, err := s.store.Requests(r.Context(), f)
	if err != nil {
		s.internal(w, "List requests", err)
		return
	}
	out := RequestList{Requests: list}
	if len(list) == f.Limit {
		out.Next = list[len(list)-1].CityRef
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) handleReadRequest(w http.ResponseWriter, r *http.Request) {
	req, err := s.store.Request(r.Context(), r.PathValue("id"))
	if errors.Is(err, ErrNotFound) {
		writeError(w, http.StatusNotFound, CodeNotFound, "no such request")
		return
	}
	if err != nil {
		s.internal(w, "Read request", err)
		return
	}
	d := RequestDetail{Request: req}
	if p, err := s.open(req.Sealed); err != nil {
		d.PayloadError = err.Error()
	} else {
		d.Payload = &p
	}
	d.Request.Sealed = nil
	s.log.Info("Operator read a request", "request_id", req.RequestID)
	writeJSON(w, http.StatusOK, d)
}

func (s *Server) handleSetStatus(w http.ResponseWriter, r *http.Request) {
	var body StatusChangeRequest
	if !readJSON(w, r, &body) {
		return
	}
	if !body.Status.Valid() {
		writeError(w, http.StatusBadRequest, CodeBadRequest, "unknown status")
		return
	}
	if body.Status == syncproto.StatusRejected && body.Note == "" {
		writeError(w, http.StatusBadRequest, CodeBadRequest, "a rejection needs a reason in note")
		return
	}
	id := r.PathValue("id")
	c, err := s.store.SetStatus(r.Context(), id, body.Status, body.Note, s.now())
	switch {
	case errors.Is(err, ErrNotFound):
		writeError(w, http.StatusNotFound, CodeNotFound, "no such request")
	case errors.Is(err, ErrBadTransition):
		writeError(w, http.StatusConflict, CodeBadTransition, err.Error())
	case err != nil:
		s.internal(w, "Set status", err)
	default:
		s.log.Info("Status changed", "request_id", id, "status", c.Status)
		writeJSON(w, http.StatusOK, c)
	}
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
	if err != nil {
		writeError(w, http.StatusRequestEntityTooLarge, CodeTooLarge, "bundle over 256 MiB")
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
		res, err := s.ingest(r.Context(), k, chunk)
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

func (s *Server) handleStats(w http.ResponseWriter, r *http.Request) {
	st, err := s.store.Stats(r.Context())
	if err != nil {
		s.internal(w, "Stats", err)
		return
	}
	writeJSON(w, http.StatusOK, st)
}
