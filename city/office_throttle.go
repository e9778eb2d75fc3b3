package city

import (
	"math"
	"sync"
	"time"
)

// failLimiter counts wrong sign-ins per client address in a token bucket:
// each failure takes a token, and an address with none left is refused
// until one grows back. Successful sign-ins take nothing, so a commune
// office whose officers share one address is not locked out by their
// morning logins.
type failLimiter struct {
	mu sync.Mutex
	tokenBuckets
}

func newFailLimiter(rate float64, burst int) *failLimiter {
	return &failLimiter{tokenBuckets: newTokenBuckets(rate, max(burst, 1))}
}

// blocked reports whether key has no failure left, and how long until it has.
func (l *failLimiter) blocked(key string, now time.Time) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.refill(key, now)
	if b.tokens >= 1 {
		return false, 0
	}
	return true, l.wait(b)
}

// failed takes a token for a wrong sign-in.
func (l *failLimiter) failed(key string, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.refill(key, now)
	b.tokens = math.Max(0, b.tokens-1)
	if len(l.buckets) > 100_000 { // bounded: forget full buckets
		for k, x := range l.buckets {
			if x.tokens >= l.burst {
				delete(l.buckets, k)
			}
		}
	}
}
