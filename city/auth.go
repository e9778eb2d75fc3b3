package city

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/ed25519"
	"crypto/subtle"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"communekiosk/sync/syncproto"
)

type ctxKey int

const kioskKey ctxKey = 0

// signedHandler is a kiosk endpoint: it gets the authenticated kiosk and
// the decoded (gunzipped) body.
type signedHandler func(w http.ResponseWriter, r *http.Request, k Kiosk, body []byte)

// errTooLarge marks bodies over the limits.
var errTooLarge = errors.New("city: body too large")

// readBody reads at most limit bytes of the raw body.
func readBody(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, error) {
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return nil, errTooLarge
	}
	return data, err
}

// gunzip decodes a gzip body, refusing to inflate past limit.
func gunzip(data []byte, limit int64) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	out, err := io.ReadAll(io.LimitReader(zr, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(out)) > limit {
		return nil, errTooLarge
	}
	return out, nil
}

// replayGuard adapts the store to syncproto.ReplayGuard for one request.
type replayGuard struct {
	ctx    context.Context
	store  ReplayStore
	window time.Duration
	health *writeHealth
}

func (g replayGuard) Fresh(kioskID, nonce string, kioskTime, now time.Time) error {
	err := g.store.Fresh(g.ctx, kioskID, nonce, kioskTime, g.window)
	g.health.note(err, now) // recording the nonce is the first write of every signed call
	return err
}

// signed authenticates a kiosk request before anything is read from its
// body or stored: unsigned → 401 unauthorized; unknown kiosk or bad
// signature → 401 bad_signature, the same answer, after the same work;
// replay → 401; a revoked kiosk that signed correctly → 403.
func (s *Server) signed(h signedHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		raw, err := readBody(w, r, s.opts.MaxBodyBytes)
		if errors.Is(err, errTooLarge) {
			s.metrics.refused("too_large")
			writeError(w, http.StatusRequestEntityTooLarge, CodeTooLarge, fmt.Sprintf("body over %d bytes; send fewer items", s.opts.MaxBodyBytes))
			return
		}
		if err != nil {
			writeError(w, http.StatusBadRequest, CodeBadRequest, "could not read the body")
			return
		}
		var kiosk Kiosk
		lookup := func(id string) (ed25519.PublicKey, error) {
			k, err := s.store.Kiosk(r.Context(), id)
			if errors.Is(err, ErrNotFound) {
				// A key nobody holds: an unknown kiosk is checked, and
				// answered, exactly as a bad signature of a known one.
				return s.nobodysKey, nil
			}
			if err != nil {
				return nil, err
			}
			kiosk = k
			return k.PublicKey, nil
		}
		guard := replayGuard{ctx: r.Context(), store: s.store, window: s.opts.ReplayWindow, health: &s.health}
		if _, err := syncproto.Verify(r, raw, lookup, s.now(), guard); err != nil {
			s.refuseAuth(w, r, err)
			return
		}
		// Only a caller who signed as this kiosk learns that it is revoked.
		if kiosk.Revoked {
			s.refuseAuth(w, r, ErrRevoked)
			return
		}
		if ok, wait := s.limiter.allow(kiosk.ID, s.now()); !ok {
			s.metrics.refused(CodeRateLimited)
			w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
			writeError(w, http.StatusTooManyRequests, CodeRateLimited, "too many calls from this kiosk; wait Retry-After seconds")
			return
		}
		body := raw
		if strings.EqualFold(r.Header.Get("Content-Encoding"), "gzip") {
			body, err = gunzip(raw, 4*s.opts.MaxBodyBytes)
			if errors.Is(err, errTooLarge) {
				s.metrics.refused("too_large")
				writeError(w, http.StatusRequestEntityTooLarge, CodeTooLarge, "body too large once decompressed; send fewer items")
				return
			}
			if err != nil {
				writeError(w, http.StatusBadRequest, CodeBadRequest, "bad gzip body")
				return
			}
		}
		r = r.WithContext(context.WithValue(r.Context(), kioskKey, kiosk.ID))
		h(w, r, kiosk, body)
	}
}

func (s *Server) refuseAuth(w http.ResponseWriter, r *http.Request, err error) {
	status, code, msg := http.StatusUnauthorized, CodeUnauthorized, "this call must be signed by an enrolled kiosk"
	switch {
	case errors.Is(err, ErrRevoked):
		status, code, msg = http.StatusForbidden, CodeRevoked, "this kiosk was revoked by the city"
	case errors.Is(err, syncproto.ErrBadSignature):
		code, msg = CodeBadSignature, "the signature does not verify for this kiosk ID"
	case errors.Is(err, syncproto.ErrReplay):
		code, msg = CodeReplay, err.Error()
	case errors.Is(err, syncproto.ErrUnsigned):
	default:
		s.log.Error("Verify kiosk request", "err", err)
		writeError(w, http.StatusServiceUnavailable, CodeInternal, "try again later")
		return
	}
	s.metrics.refused(code)
	s.log.Warn("Refused kiosk request", "path", r.URL.Path, "kiosk_id", r.Header.Get(syncproto.HeaderKioskID), "code", code, "err", err)
	writeError(w, status, code, msg)
}

// operator authenticates an operator API call: a named API token
// (office_operator.go), or the shared OperatorToken of --demo, checked in
// constant time. Without OperatorToken (every cityd but --demo) only named
// tokens open it.
func (s *Server) operator(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		addr, now := clientAddr(r), s.now()
		if ok, wait := s.guesses.allowed("operator", addr, "", now); !ok {
			s.tooManyGuesses(w, wait)
			return
		}
		got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if s.office != nil && ok && s.office.operatorByToken(w, r, h) {
			return // a named API token (office_operator.go)
		}
		if s.opts.OperatorToken == "" || !ok || subtle.ConstantTimeCompare([]byte(got), []byte(s.opts.OperatorToken)) != 1 {
			s.guesses.failed("operator", addr, "", now)
			s.metrics.refused("operator_unauthorized")
			w.Header().Set("WWW-Authenticate", `Bearer realm="cityd"`)
			writeError(w, http.StatusUnauthorized, CodeUnauthorized, "a named API token of an admin is required (cityd token add, or the back office's account page)")
			return
		}
		s.office.auditOperator(w, r, nil, h)
	}
}

// statusRecorder keeps the status code for the access log.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

// accessLog logs method, route, status and duration; never bodies, query
// strings or personal data.
func (s *Server) accessLog(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r)
		s.metrics.httpDone(rec.status)
		if r.URL.Path == "/metrics" || r.URL.Path == "/healthz" {
			return
		}
		s.log.Info("HTTP", "method", r.Method, "route", r.Pattern, "status", rec.status,
			"kiosk_id", r.Header.Get(syncproto.HeaderKioskID), "ms", time.Since(start).Milliseconds())
	})
}
