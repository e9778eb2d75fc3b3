package syncer

import (
	"math/rand/v2"
	"time"
)

// backoffDelay is the wait after the n-th consecutive failure (n ≥ 1):
// full jitter over an exponential ceiling, floored at base so that a kiosk
// never retries sooner than base. The ceiling is base·2^(n-1), capped at
// cap; the delay is uniform in [base, ceiling].
func backoffDelay(n int, base, cap time.Duration, rng *rand.Rand) time.Duration {
	if n < 1 {
		n = 1
	}
	ceiling := cap
	if n-1 < 40 {
		if c := base << (n - 1); c > 0 && c < cap {
			ceiling = c
		}
	}
	if ceiling <= base {
		return base
	}
	return base + time.Duration(rng.Int64N(int64(ceiling-base)+1))
}
