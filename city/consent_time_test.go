package city_test

import (
	"strings"
	"testing"
	"time"

	"communekiosk/sync/syncproto"
)

// consent.accepted_at is checked at the city: not after the receipt, not
// before the notice existed, not far from the request it belongs to, all
// read on the kiosk's clock as of its push, so a kiosk whose clock is days
// off is still judged right.
func TestConsentAcceptedAtChecked(t *testing.T) {
	tests := []struct {
		name     string
		offset   time.Duration // the kiosk's clock, from the city's
		accepted func(kioskNow time.Time) time.Time
		reason   string // "" : accepted
	}{
		{"a minute before the request", 0, func(k time.Time) time.Time { return k.Add(-time.Minute) }, ""},
		{"kiosk 400 days behind", -400 * 24 * time.Hour, func(k time.Time) time.Time { return k.Add(-time.Minute) }, ""},
		{"kiosk 30 days ahead", 30 * 24 * time.Hour, func(k time.Time) time.Time { return k.Add(-time.Minute) }, ""},
		{"year 9999", 0, func(time.Time) time.Time { return time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC) }, "more than a day"},
		{"year 1", 0, func(time.Time) time.Time { return time.Date(1, 1, 1, 0, 0, 1, 0, time.UTC) }, "more than a day"},
		{"two days after the request", 0, func(k time.Time) time.Time { return k.Add(48 * time.Hour) }, "more than a day"},
		{"after the city received it", 0, func(k time.Time) time.Time { return k.Add(3 * time.Hour) }, "after the city received"},
		{"before the notice existed", 0, func(k time.Time) time.Time { return time.Date(2026, 10, 31, 12, 0, 0, 0, time.UTC) }, "before notice"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			k := e.enrol("00004")
			k.clock = cityNow.Add(tc.offset)
			if tc.name == "before the notice existed" {
				// A request made on 1 November: the day after is still within the visit.
				e.now = time.Date(2026, 11, 1, 3, 0, 0, 0, time.UTC)
				k.clock = e.now
			}
			req := goodRequest()
			req.Consent.AcceptedAt = tc.accepted(k.clock)
			it := k.item(req)
			res := k.push(it).Results[0]
			if tc.reason == "" && res.Outcome != syncproto.Accepted {
				t.Fatalf("%+v; want accepted", res)
			}
			if tc.reason != "" && (res.Outcome != syncproto.Rejected || !strings.Contains(res.Reason, "consent.accepted_at") || !strings.Contains(res.Reason, tc.reason)) {
				t.Fatalf("%+v; want rejected with %q", res, tc.reason)
			}
		})
	}
}
