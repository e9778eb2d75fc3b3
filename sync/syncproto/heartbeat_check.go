package syncproto

import (
	"errors"
	"fmt"
	"unicode"
	"unicode/utf8"
)

// ErrHeartbeatField is returned by Heartbeat.Check for a field out of
// bounds.
var ErrHeartbeatField = errors.New("syncproto: heartbeat field out of bounds")

// Bounds of the heartbeat's fields. Counts are never negative; lengths
// are far above any real value, far below what would weigh on the fleet
// page.
const (
	MaxHeartbeatCount   = 10_000_000        // queue depth, quarantined
	MaxHeartbeatSeconds = 100 * 365 * 86400 // oldest unsent age, |clock skew|
	MaxHeartbeatLabel   = 64                // app and catalogue versions, kiosk ID, in bytes
	MaxHeartbeatDisk    = uint64(1) << 60   // bytes: an exabyte
)

// Check reports the first field of h that is out of bounds: a negative or
// absurd count or age, a version string too long or not printable text,
// free disk larger than the disk.
func (h Heartbeat) Check() error {
	bad := func(field, why string, v any) error {
		return fmt.Errorf("%w: %s %v %s", ErrHeartbeatField, field, v, why)
	}
	switch {
	case h.QueueDepth < 0 || h.QueueDepth > MaxHeartbeatCount:
		return bad("queue_depth", "is not in 0…10,000,000", h.QueueDepth)
	case h.Quarantined < 0 || h.Quarantined > MaxHeartbeatCount:
		return bad("quarantined", "is not in 0…10,000,000", h.Quarantined)
	case h.OldestUnsentSecs < 0 || h.OldestUnsentSecs > MaxHeartbeatSeconds:
		return bad("oldest_unsent_secs", "is not in 0…100 years", h.OldestUnsentSecs)
	case h.ClockSkewSecs < -MaxHeartbeatSeconds || h.ClockSkewSecs > MaxHeartbeatSeconds:
		return bad("clock_skew_secs", "is more than 100 years", h.ClockSkewSecs)
	case h.FreeDiskBytes > MaxHeartbeatDisk || h.DiskBytes > MaxHeartbeatDisk:
		return bad("free_disk_bytes", "or disk_bytes is over an exabyte", h.FreeDiskBytes)
	case h.DiskBytes > 0 && h.FreeDiskBytes > h.DiskBytes:
		return bad("free_disk_bytes", "is more than disk_bytes", h.FreeDiskBytes)
	case h.LastErrorSecs < 0 || h.LastErrorSecs > MaxHeartbeatSeconds:
		return bad("last_error_secs", "is not in 0…100 years", h.LastErrorSecs)
	}
	for _, f := range []struct{ name, v string }{{"kiosk_id", h.KioskID}, {"app_version", h.AppVersion}, {"catalogue_version", h.CatalogueVersion}, {"last_error", h.LastError}} {
		if err := checkLabel(f.v); err != nil {
			return fmt.Errorf("%w: %s %v", ErrHeartbeatField, f.name, err)
		}
	}
	return nil
}

// checkLabel accepts short printable UTF-8 without spaces at the ends.
func checkLabel(s string) error {
	if len(s) > MaxHeartbeatLabel {
		return fmt.Errorf("is %d bytes, over %d", len(s), MaxHeartbeatLabel)
	}
	if !utf8.ValidString(s) {
		return errors.New("is not UTF-8")
	}
	for _, r := range s {
		if !unicode.IsPrint(r) {
			return fmt.Errorf("has the unprintable %U", r)
		}
	}
	return nil
}
