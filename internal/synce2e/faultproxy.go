package synce2e

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
)

// Fault is one misbehaviour of the proxy, applied to one request.
type Fault string

// Faults the proxy can inject.
const (
	Pass Fault = "pass" // forward untouched
	// DropBefore closes the connection before the city sees the request.
	DropBefore Fault = "drop_before"
	// DropAfter forwards the request (the city commits) and closes the
	// connection without answering.
	DropAfter Fault = "drop_after"
	// ResetMidBody forwards, then sends the headers and half the answer
	// and resets the connection (TCP RST).
	ResetMidBody Fault = "reset_mid_body"
	// Truncate forwards, then sends the headers (with the full length) and
	// half the answer and closes the connection normally.
	Truncate Fault = "truncate"
	// ServerError answers 502 without forwarding.
	ServerError Fault = "5xx_before"
	// ServerErrorAfter forwards (the city commits) and answers 500.
	ServerErrorAfter Fault = "5xx_after"
	// Stall holds the request, unanswered, until Release or until the
	// client gives up; it is never forwarded.
	Stall Fault = "stall"
	// Captive answers 200 with a Wi-Fi login page.
	Captive Fault = "captive_portal"
	// TooLarge answers 413.
	TooLarge Fault = "413"
	// TooMany answers 429 with Retry-After: 1.
	TooMany Fault = "429"
)

// FaultProxy is a reverse proxy on 127.0.0.1 that applies a scripted
// schedule of faults, one per request, then passes requests through.
type FaultProxy struct {
	srv    *httptest.Server
	target string
	client *http.Client

	mu       sync.Mutex
	script   []Fault
	applied  map[Fault]int
	released chan struct{}
	// Filter, when set, decides which requests consume the script (others
	// pass); by default every request does.
	filter func(r *http.Request) bool
}

// NewFaultProxy starts a proxy in front of target (a base URL).
func NewFaultProxy(target string) *FaultProxy {
	p := &FaultProxy{
		target:   target,
		client:   &http.Client{Transport: &http.Transport{DisableCompression: true}},
		applied:  map[Fault]int{},
		released: make(chan struct{}),
	}
	p.srv = httptest.NewServer(http.HandlerFunc(p.serve))
	return p
}

// URL is the proxy's base URL.
func (p *FaultProxy) URL() string { return p.srv.URL }

// Close stops the proxy, releasing stalled requests.
func (p *FaultProxy) Close() {
	p.Release()
	p.srv.CloseClientConnections()
	p.srv.Close()
}

// Script appends faults to the schedule.
func (p *FaultProxy) Script(f ...Fault) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.script = append(p.script, f...)
}

// OnlyPaths makes only requests to these paths consume the script.
func (p *FaultProxy) OnlyPaths(paths ...string) {
	set := map[string]bool{}
	for _, s := range paths {
		set[s] = true
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.filter = func(r *http.Request) bool { return set[r.URL.Path] }
}

// Remaining is the number of faults not yet applied.
func (p *FaultProxy) Remaining() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.script)
}

// Applied returns how many times each fault was applied.
func (p *FaultProxy) Applied() map[Fault]int {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make(map[Fault]int, len(p.applied))
	for k, v := range p.applied {
		out[k] = v
	}
	return out
}

// Release lets stalled requests go (they are then dropped).
func (p *FaultProxy) Release() {
	p.mu.Lock()
	defer p.mu.Unlock()
	select {
	case <-p.released:
	default:
		close(p.released)
	}
}

func (p *FaultProxy) next(r *http.Request) Fault {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.script) == 0 || (p.filter != nil && !p.filter(r)) {
		return Pass
	}
	f := p.script[0]
	p.script = p.script[1:]
	p.applied[f]++
	return f
}

func (p *FaultProxy) serve(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return
	}
	switch f := p.next(r); f {
	case DropBefore:
		hangUp(w, false)
	case ServerError:
		http.Error(w, "bad gateway", http.StatusBadGateway)
	case Captive:
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, "<!DOCTYPE html><html><body><h1>Đăng nhập Wi-Fi miễn phí</h1><form><input name=phone></form></body></html>")
	case TooLarge:
		http.Error(w, "request entity too large", http.StatusRequestEntityTooLarge)
	case TooMany:
		w.Header().Set("Retry-After", "1")
		http.Error(w, "too many requests", http.StatusTooManyRequests)
	case Stall:
		select {
		case <-p.released:
		case <-r.Context().Done():
		}
		hangUp(w, false)
	default:
		status, h, data, err := p.forward(r, body)
		if err != nil {
			http.Error(w, "proxy: "+err.Error(), http.StatusBadGateway)
			return
		}
		switch f {
		case DropAfter:
			hangUp(w, false)
		case ResetMidBody:
			writePartial(w, status, h, data, true)
		case Truncate:
			writePartial(w, status, h, data, false)
		case ServerErrorAfter:
			http.Error(w, "internal server error", http.StatusInternalServerError)
		default:
			for k, v := range h {
				w.Header()[k] = v
			}
			w.WriteHeader(status)
			w.Write(data)
		}
	}
}

func (p *FaultProxy) forward(r *http.Request, body []byte) (int, http.Header, []byte, error) {
	req, err := http.NewRequestWithContext(r.Context(), r.Method, p.target+r.URL.RequestURI(), bytes.NewReader(body))
	if err != nil {
		return 0, nil, nil, err
	}
	for k, v := range r.Header {
		req.Header[k] = v
	}
	resp, err := p.client.Do(req)
	if err != nil {
		return 0, nil, nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, nil, nil, err
	}
	h := resp.Header.Clone()
	h.Del("Content-Length")
	return resp.StatusCode, h, data, nil
}

// hangUp closes the client's connection without an answer; with reset, by
// a TCP RST.
func hangUp(w http.ResponseWriter, reset bool) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic("synce2e: response writer cannot hijack")
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		return
	}
	if tc, ok := conn.(*net.TCPConn); ok && reset {
		tc.SetLinger(0)
	}
	conn.Close()
}

// writePartial writes the status line and headers announcing the full
// length, then half the body, then closes (reset: with RST).
func writePartial(w http.ResponseWriter, status int, h http.Header, data []byte, reset bool) {
	hj := w.(http.Hijacker)
	conn, buf, err := hj.Hijack()
	if err != nil {
		return
	}
	fmt.Fprintf(buf, "HTTP/1.1 %d %s\r\n", status, http.StatusText(status))
	h = h.Clone()
	h.Set("Content-Length", strconv.Itoa(len(data)))
	h.Write(buf)
	buf.WriteString("\r\n")
	buf.Write(data[:len(data)/2])
	buf.Flush()
	if tc, ok := conn.(*net.TCPConn); ok && reset {
		tc.SetLinger(0)
	}
	conn.Close()
}
