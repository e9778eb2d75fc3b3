package city

import (
	"testing"
	"time"
)

// FuzzCheckConsentTime: whatever the times, the check never panics, and a
// time it lets through is within a day of the request, not after the
// receipt (on the city's time, plus the allowance) and not before the
// notice existed.
func FuzzCheckConsentTime(f *testing.F) {
	base := time.Date(2026, 11, 28, 3, 0, 0, 0, time.UTC).Unix()
	f.Add(base-60, base, "2026.11.1", int64(0), base, int64(3600))
	f.Add(int64(-62135596800), base, "2026.11.1", int64(0), base, int64(3600)) // year 1
	f.Add(int64(253370764800), base, "2026.11.1", int64(0), base, int64(3600)) // year 9999
	f.Add(base-400*86400, base-400*86400+60, "x", int64(400*86400), base, int64(60))
	f.Fuzz(func(t *testing.T, accepted, created int64, notice string, skewSecs, received, allowanceSecs int64) {
		const limit = 1 << 40 // seconds: keeps Add and Sub away from overflow
		for _, v := range []int64{accepted, created, skewSecs, received, allowanceSecs} {
			if v > limit || v < -limit {
				return
			}
		}
		if allowanceSecs < 0 {
			return
		}
		a, c, r := time.Unix(accepted, 0).UTC(), time.Unix(created, 0).UTC(), time.Unix(received, 0).UTC()
		skew, allowance := time.Duration(skewSecs)*time.Second, time.Duration(allowanceSecs)*time.Second
		if checkConsentTime(a, c, notice, skew, r, allowance) != "" {
			return
		}
		onCity := a.Add(skew)
		switch {
		case a.Sub(c) > 24*time.Hour || c.Sub(a) > 24*time.Hour:
			t.Fatalf("accepted %v, a day from created %v", a, c)
		case onCity.After(r.Add(allowance)):
			t.Fatalf("accepted %v (city %v) after received %v + %v", a, onCity, r, allowance)
		case onCity.Before(noticeStart(notice)) || onCity.Before(consentFloor):
			t.Fatalf("accepted %v (city %v) before notice %q", a, onCity, notice)
		}
	})
}
