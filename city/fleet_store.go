package city

import (
	"context"
	"time"

	"communekiosk/sync/syncproto"
)

// HeartbeatKeep is how long the fleet's heartbeat history is kept.
const HeartbeatKeep = 30 * 24 * time.Hour

// HeartbeatSample is a kiosk's heartbeat as kept in its history: the last
// one the city got in an hour (Hour is that hour, UTC).
type HeartbeatSample struct {
	Hour       time.Time           `json:"hour"`
	ReceivedAt time.Time           `json:"received_at"` // city clock
	Heartbeat  syncproto.Heartbeat `json:"heartbeat"`
}

// HeartbeatHistoryStore keeps each kiosk's heartbeats for the fleet page's
// trend line: at most one row per kiosk and hour, for HeartbeatKeep.
//
// A Store implements it by choice until every store does (then it joins
// Store): the server keeps and serves the history when its store has it,
// and storetest checks it on every store that has it.
type HeartbeatHistoryStore interface {
	// KeepHeartbeat stores hb as the kiosk's sample of the hour of now
	// (replacing an earlier sample of that hour) and forgets the kiosk's
	// samples whose hour is before now-keep, in one transaction.
	KeepHeartbeat(ctx context.Context, kioskID string, hb syncproto.Heartbeat, now time.Time, keep time.Duration) error
	// HeartbeatHistory returns the kiosk's samples whose hour is at or
	// after since, oldest first. An unknown kiosk has none.
	HeartbeatHistory(ctx context.Context, kioskID string, since time.Time) ([]HeartbeatSample, error)
}
