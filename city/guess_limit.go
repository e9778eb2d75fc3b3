package city

import (
	"math"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// GuessLimits bound wrong operator tokens and enrolment codes. Each key (a
// client address, an enrolment code) may fail Burst times at once; after
// that one more failure is allowed every Every, and calls in between get
// 429 with Retry-After, right or wrong. The counts live in this process:
// several cityd behind one database each keep their own, so the city-wide
// limit is the per-instance limit times the number of instances.
type GuessLimits struct {
	PerAddressBurst int           // zero: 10
	PerCodeBurst    int           // zero: 5
	Every           time.Duration // zero: 1 minute
}

// guessLimiter counts failures per key in a leaky bucket.
type guessLimiter struct {
	mu      sync.Mutex
	every   time.Duration
	addr    float64
	code    float64
	buckets map[string]*bucket // tokens = failures still allowed
}

const maxGuessBuckets = 100_000

func newGuessLimiter(l GuessLimits) *guessLimiter {
	if l.PerAddressBurst <= 0 {
		l.PerAddressBurst = 10
	}
	if l.PerCodeBurst <= 0 {
		l.PerCodeBurst = 5
	}
	if l.Every <= 0 {
		l.Every = time.Minute
	}
	return &guessLimiter{every: l.Every, addr: float64(l.PerAddressBurst), code: float64(l.PerCodeBurst), buckets: map[string]*bucket{}}
}

// keys are the buckets a call from addr about code (may be empty) uses.
func (g *guessLimiter) keys(kind, addr, code string) map[string]float64 {
	k := map[string]float64{kind + " addr " + addr: g.addr}
	if code != "" {
		k[kind+" code "+code] = g.code
	}
	return k
}

// refill brings a bucket up to date; the caller holds mu.
func (g *guessLimiter) refill(key string, burst float64, now time.Time) *bucket {
	b := g.buckets[key]
	if b == nil {
		if len(g.buckets) >= maxGuessBuckets {
			g.prune(now)
			if len(g.buckets) >= maxGuessBuckets/2 {
				// Tens of thousands of callers failing at once: start
				// afresh rather than scan the map at every new one.
				clear(g.buckets)
			}
		}
		b = &bucket{tokens: burst, at: now}
		g.buckets[key] = b
	}
	if d := now.Sub(b.at); d > 0 {
		b.tokens = math.Min(burst, b.tokens+float64(d)/float64(g.every))
		b.at = now
	}
	return b
}

// prune forgets full buckets: they hold nothing a new one would not.
func (g *guessLimiter) prune(now time.Time) {
	for k, b := range g.buckets {
		if now.Sub(b.at) >= time.Duration(math.Max(g.addr, g.code))*g.every {
			delete(g.buckets, k)
		}
	}
}

// allowed says whether a call may be tried, or how long to wait.
func (g *guessLimiter) allowed(kind, addr, code string, now time.Time) (bool, time.Duration) {
	g.mu.Lock()
	defer g.mu.Unlock()
	var wait time.Duration
	for key, burst := range g.keys(kind, addr, code) {
		if b := g.refill(key, burst, now); b.tokens < 1 {
			wait = max(wait, time.Duration((1-b.tokens)*float64(g.every)))
		}
	}
	return wait == 0, wait
}

// failed counts a wrong guess against every bucket of the call.
func (g *guessLimiter) failed(kind, addr, code string, now time.Time) {
	g.mu.Lock()
	defer g.mu.Unlock()
	for key, burst := range g.keys(kind, addr, code) {
		b := g.refill(key, burst, now)
		b.tokens = math.Max(0, b.tokens-1)
	}
}

// clientAddr is the caller's IP address (the connection's: cityd does not
// trust forwarding headers, so behind a reverse proxy every caller shares
// the proxy's address and its bucket).
func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func (s *Server) tooManyGuesses(w http.ResponseWriter, wait time.Duration) {
	s.metrics.refused("guess_limited")
	w.Header().Set("Retry-After", strconv.Itoa(max(1, int(math.Ceil(wait.Seconds())))))
	writeError(w, http.StatusTooManyRequests, CodeRateLimited, "too many wrong codes or tokens from here; wait Retry-After seconds")
}
