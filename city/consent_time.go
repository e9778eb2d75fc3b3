package city

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"communekiosk/kiosk"
)

// consentFloor is the earliest plausible acceptance of any notice: the day
// Decree 13/2023/NĐ-CP on personal data protection took effect.
var consentFloor = time.Date(2023, 7, 1, 0, 0, 0, 0, kiosk.VietnamZone())

// noticeStart is the first day of the month a notice version names
// ("2026.11.1" → 1 November 2026), or consentFloor for a version that
// does not start with a year and a month.
func noticeStart(version string) time.Time {
	parts := strings.SplitN(version, ".", 3)
	if len(parts) >= 2 {
		y, err1 := strconv.Atoi(parts[0])
		m, err2 := strconv.Atoi(parts[1])
		if err1 == nil && err2 == nil && y >= 2023 && y <= 9000 && m >= 1 && m <= 12 {
			if t := time.Date(y, time.Month(m), 1, 0, 0, 0, 0, kiosk.VietnamZone()); t.After(consentFloor) {
				return t
			}
		}
	}
	return consentFloor
}

// checkConsentTime returns why consent.accepted_at is not plausible, or
// "". acceptedAt and createdAt are on the kiosk's clock; skew is the
// kiosk's last reported clock offset (city minus kiosk, 0 if unknown), so
// a kiosk whose clock is off by a known amount is judged on the city's
// time; received is the city's time of receipt and allowance the skew the
// city tolerates beyond that.
//
//   - Consent is part of the request: within a day of created_at either
//     way (the page that records it may run on another device's clock,
//     a tablet on the kiosk's network, so not tighter than that).
//   - On the city's time, not after the receipt (plus allowance), and not
//     before the notice version existed.
func checkConsentTime(acceptedAt, createdAt time.Time, notice string, skew time.Duration, received time.Time, allowance time.Duration) string {
	const visit = 24 * time.Hour
	switch {
	case acceptedAt.After(createdAt.Add(visit)), acceptedAt.Before(createdAt.Add(-visit)):
		return fmt.Sprintf("consent.accepted_at %s is more than a day from when the request was made (%s)", acceptedAt.UTC().Format(time.RFC3339), createdAt.UTC().Format(time.RFC3339))
	}
	onCity := acceptedAt.Add(skew)
	if onCity.After(received.Add(allowance)) {
		return fmt.Sprintf("consent.accepted_at %s is after the city received the request (%s); is the kiosk's clock ahead?", acceptedAt.UTC().Format(time.RFC3339), received.UTC().Format(time.RFC3339))
	}
	if start := noticeStart(notice); onCity.Before(start) {
		return fmt.Sprintf("consent.accepted_at %s is before notice %s existed (%s); is the kiosk's clock behind?", acceptedAt.UTC().Format(time.RFC3339), notice, start.Format("2006-01-02"))
	}
	return ""
}
