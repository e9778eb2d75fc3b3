package city

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"

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

func readJSON(w http.ResponseWriter, r *http.Request, v any) bool {
	body, err := readBody(w, r, 64<<10)
	if errors.Is(err, errTooLarge) {
		writeError(w, http.StatusRequestEntityTooLarge, CodeTooLarge, "body over 64 KiB")
		return false
	}
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
	s.health.note(err, s.now())
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

func (s *Server) handleStats(w http.ResponseWriter, r *http.Request) {
	st, err := s.store.Stats(r.Context())
	if err != nil {
		s.internal(w, "Stats", err)
		return
	}
	writeJSON(w, http.StatusOK, st)
}
