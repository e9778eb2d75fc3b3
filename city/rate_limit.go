package city

import (
	"math"
	"sync"
	"time"
)

// rateLimiter is a token bucket per kiosk: rate calls per second on
// average, burst at once. The zero rate turns it off.
type rateLimiter struct {
	mu sync.Mutex
	tokenBuckets
}

type bucket struct {
	tokens float64
	at     time.Time
}

// tokenBuckets is a token bucket per key: rate tokens per second, burst at
// most. The kiosks' call limit and the sign-in throttle are both made of
// it; the caller holds its own lock.
type tokenBuckets struct {
	rate, burst float64
	buckets     map[string]*bucket
}

func newTokenBuckets(rate float64, burst int) tokenBuckets {
	return tokenBuckets{rate: rate, burst: float64(burst), buckets: map[string]*bucket{}}
}

// refill returns key's bucket (full when new) with the tokens grown since
// it was last seen.
func (t *tokenBuckets) refill(key string, now time.Time) *bucket {
	b := t.buckets[key]
	if b == nil {
		b = &bucket{tokens: t.burst, at: now}
		t.buckets[key] = b
	}
	if d := now.Sub(b.at).Seconds(); d > 0 {
		b.tokens = math.Min(t.burst, b.tokens+d*t.rate)
		b.at = now
	}
	return b
}

// wait is how long until b has a whole token.
func (t *tokenBuckets) wait(b *bucket) time.Duration {
	return time.Duration((1 - b.tokens) / t.rate * float64(time.Second))
}

func newRateLimiter(rate float64, burst int) *rateLimiter {
	if burst < 1 {
		burst = max(1, int(math.Ceil(rate)))
	}
	return &rateLimiter{tokenBuckets: newTokenBuckets(rate, burst)}
}

// allow takes a token for the kiosk, or says how long to wait for one.
func (l *rateLimiter) allow(kioskID string, now time.Time) (bool, time.Duration) {
	if l == nil || l.rate <= 0 {
		return true, 0
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.refill(kioskID, now)
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	return false, l.wait(b)
}
