package syncclient

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"communekiosk/sync/syncproto"
)

// Options configure a Client. The zero value works for Enrol; the other
// calls need Identity.
type Options struct {
	// BaseURL of the city API, e.g. "https://city.example/". Empty: the
	// identity's CityURL.
	BaseURL string
	// HTTPClient defaults to a client without its own timeout (per-call
	// timeouts come from Timeout).
	HTTPClient *http.Client
	// Identity returns the kiosk's identity (its ID, signing key and, for
	// an empty BaseURL, the city's address), e.g. (*kioskdb.DB).Identity;
	// called for every signed call so a new enrolment takes effect at once.
	Identity func() (syncproto.Identity, error)
	// Now is the kiosk's clock (default time.Now).
	Now func() time.Time
	// Timeout bounds each call, from connect to the last byte of the answer
	// (default 60 s).
	Timeout time.Duration
	// MaxResponseBytes bounds an answer (default 32 MiB).
	MaxResponseBytes int64
	// AppVersion is sent at enrolment.
	AppVersion string
	Logger     *slog.Logger
}

// Client is the kiosk's HTTP transport to the city. It is safe for
// concurrent use.
type Client struct {
	opts Options
	log  *slog.Logger

	mu         sync.Mutex
	lastSigned time.Time
}

// New returns a Client.
func New(opts Options) *Client {
	if opts.HTTPClient == nil {
		opts.HTTPClient = &http.Client{}
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Timeout <= 0 {
		opts.Timeout = 60 * time.Second
	}
	if opts.MaxResponseBytes <= 0 {
		opts.MaxResponseBytes = 32 << 20
	}
	log := opts.Logger
	if log == nil {
		log = slog.Default()
	}
	return &Client{opts: opts, log: log}
}

// Push sends a batch of items; the answer has one result per item.
func (c *Client) Push(ctx context.Context, req syncproto.PushRequest) (syncproto.PushResponse, error) {
	var resp syncproto.PushResponse
	err := c.call(ctx, "push", syncproto.PathPush, req, func(b []byte) (err error) {
		resp, err = syncproto.DecodePushResponse(b)
		return err
	})
	return resp, err
}

// Pull asks for status changes after a cursor.
func (c *Client) Pull(ctx context.Context, req syncproto.PullRequest) (syncproto.PullResponse, error) {
	var resp syncproto.PullResponse
	err := c.call(ctx, "pull", syncproto.PathPull, req, func(b []byte) (err error) {
		resp, err = syncproto.DecodePullResponse(b)
		return err
	})
	return resp, err
}

// Heartbeat reports the kiosk's health.
func (c *Client) Heartbeat(ctx context.Context, hb syncproto.Heartbeat) (syncproto.HeartbeatResponse, error) {
	var resp syncproto.HeartbeatResponse
	err := c.call(ctx, "heartbeat", syncproto.PathHeartbeat, hb, func(b []byte) (err error) {
		resp, err = syncproto.DecodeHeartbeatResponse(b)
		return err
	})
	return resp, err
}

// call sends one signed, gzipped JSON request and reads the city's
// envelope with decode: a 2xx whose body decode refuses is not the city.
func (c *Client) call(ctx context.Context, op, path string, in any, decode func([]byte) error) error {
	id, err := c.identity()
	if err != nil {
		return fmt.Errorf("syncclient: %s: %w", op, err)
	}
	base := c.opts.BaseURL
	if base == "" {
		base = id.CityURL
	}
	if base == "" {
		return fmt.Errorf("syncclient: %s: no city address", op)
	}
	body, err := gzipJSON(in)
	if err != nil {
		return fmt.Errorf("syncclient: %s: encode: %w", op, err)
	}
	ctx, cancel := context.WithTimeout(ctx, c.opts.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, joinURL(base, path), bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("syncclient: %s: %w", op, err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Content-Encoding", "gzip")
	req.Header.Set("Accept", "application/json")
	if err := syncproto.Sign(req, body, id.KioskID, id.SigningKey, c.signTime()); err != nil {
		return fmt.Errorf("syncclient: %s: %w", op, err)
	}
	return c.do(req, op, decode)
}

// do sends req and decodes the answer strictly.
func (c *Client) do(req *http.Request, op string, decode func([]byte) error) error {
	resp, data, err := c.roundTrip(req, op)
	if err != nil {
		return err
	}
	return c.answer(op, resp, data, decode)
}

// roundTrip sends req and reads the whole answer, bounded.
func (c *Client) roundTrip(req *http.Request, op string) (*http.Response, []byte, error) {
	resp, err := c.opts.HTTPClient.Do(req)
	if err != nil {
		return nil, nil, transient(op, 0, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, c.opts.MaxResponseBytes+1))
	if err != nil {
		return nil, nil, transient(op, resp.StatusCode, fmt.Errorf("read answer: %w", err))
	}
	if int64(len(data)) > c.opts.MaxResponseBytes {
		return nil, nil, transient(op, resp.StatusCode, errors.New("answer too large"))
	}
	return resp, data, nil
}

// answer decodes a 2xx answer strictly, or maps another status to the
// error the syncer acts on.
func (c *Client) answer(op string, resp *http.Response, data []byte, decode func([]byte) error) error {
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		if err := checkJSON(resp.Header); err != nil {
			return transient(op, resp.StatusCode, fmt.Errorf("%w: %v", syncproto.ErrNotCity, err))
		}
		if err := decode(data); err != nil {
			return transient(op, resp.StatusCode, fmt.Errorf("%w: %v", syncproto.ErrNotCity, err))
		}
		return nil
	}
	return statusError(op, resp, data, c.opts.Now())
}

// statusError maps a non-2xx answer to the contract's error kind the
// syncer acts on.
func statusError(op string, resp *http.Response, data []byte, now time.Time) error {
	var env syncproto.Error
	ours := false
	if checkJSON(resp.Header) == nil {
		var err error
		env, err = syncproto.DecodeError(data)
		ours = err == nil
	}
	msg := ""
	if ours {
		msg = env.Code + ": " + env.Message
	}
	switch {
	case resp.StatusCode == http.StatusUnauthorized && ours && env.Code == syncproto.CodeReplay:
		return fmt.Errorf("syncclient: %s: %d %s: %w", op, resp.StatusCode, msg, syncproto.ErrReplay)
	case resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden:
		return fmt.Errorf("syncclient: %s: %d %s: %w", op, resp.StatusCode, msg, syncproto.ErrUnauthorized)
	case resp.StatusCode == http.StatusRequestEntityTooLarge:
		return wrap(&syncproto.TooLargeError{Op: op, Message: msg})
	case resp.StatusCode == http.StatusTooManyRequests:
		return wrap(&syncproto.RetryAfterError{Op: op, Status: resp.StatusCode, After: retryAfter(resp.Header.Get("Retry-After"), now)})
	case resp.StatusCode == http.StatusServiceUnavailable && resp.Header.Get("Retry-After") != "":
		return wrap(&syncproto.RetryAfterError{Op: op, Status: resp.StatusCode, After: retryAfter(resp.Header.Get("Retry-After"), now)})
	case resp.StatusCode >= 500:
		return transient(op, resp.StatusCode, fmt.Errorf("server error %s", msg))
	case ours:
		return wrap(&syncproto.RefusedError{Op: op, Status: resp.StatusCode, Code: env.Code, Message: env.Message})
	default:
		// A 4xx that is not our envelope: a proxy or portal in the way.
		return transient(op, resp.StatusCode, syncproto.ErrNotCity)
	}
}

// checkJSON refuses an answer that does not say it is JSON.
func checkJSON(h http.Header) error {
	ct := h.Get("Content-Type")
	if !strings.HasPrefix(strings.ToLower(strings.TrimSpace(ct)), "application/json") {
		return fmt.Errorf("content type %q", ct)
	}
	return nil
}

// retryAfter reads a Retry-After header: delay-seconds or an HTTP date. A
// missing or unreadable value means 30 s.
func retryAfter(v string, now time.Time) time.Duration {
	const dflt = 30 * time.Second
	v = strings.TrimSpace(v)
	if v == "" {
		return dflt
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		if n < 0 {
			return dflt
		}
		if n > 86400 {
			n = 86400
		}
		return time.Duration(n) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		d := t.Sub(now)
		if d < 0 {
			return 0
		}
		if d > 24*time.Hour {
			d = 24 * time.Hour
		}
		return d
	}
	return dflt
}

func (c *Client) identity() (syncproto.Identity, error) {
	if c.opts.Identity == nil {
		return syncproto.Identity{}, errors.New("no kiosk identity configured")
	}
	id, err := c.opts.Identity()
	if err != nil {
		return syncproto.Identity{}, err
	}
	if id.KioskID == "" || len(id.SigningKey) != ed25519.PrivateKeySize {
		return syncproto.Identity{}, errors.New("kiosk identity incomplete")
	}
	return id, nil
}

// signTime is max(clock, last signed time): the city refuses a kiosk time
// far behind one it has already seen.
func (c *Client) signTime() time.Time {
	now := c.opts.Now()
	c.mu.Lock()
	defer c.mu.Unlock()
	if now.Before(c.lastSigned) {
		now = c.lastSigned
	}
	c.lastSigned = now
	return now
}

func gzipJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
	if err := json.NewEncoder(zw).Encode(v); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func joinURL(base, path string) string {
	return strings.TrimRight(base, "/") + path
}
