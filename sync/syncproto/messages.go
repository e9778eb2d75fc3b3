package syncproto

import "time"

// Version is the protocol version carried in every message. A city refuses
// a message whose major version it does not know.
const Version = 1

// Paths of the kiosk-facing HTTP API. Every call except Enrol is signed
// (see Sign).
const (
	PathEnrol     = "/v1/enrol"
	PathPush      = "/v1/push"
	PathPull      = "/v1/pull"
	PathHeartbeat = "/v1/heartbeat"
)

// Outcome is the city's verdict on one pushed item. Values are stored and
// sent, so they are strings.
type Outcome string

const (
	Accepted  Outcome = "accepted"  // stored for the first time
	Duplicate Outcome = "duplicate" // same request_id and hash seen before; the original ack is repeated
	Rejected  Outcome = "rejected"  // payload invalid; the reason says why
	Conflict  Outcome = "conflict"  // same request_id with a different hash
)

// Status is a request's state at the city.
type Status string

const (
	StatusReceived   Status = "received"
	StatusProcessing Status = "processing"
	StatusReady      Status = "ready"
	StatusPosted     Status = "sent_by_post"
	StatusPickedUp   Status = "picked_up"
	StatusDone       Status = "done"
	StatusRejected   Status = "rejected"

	// The national one-stop model's statuses (added in protocol 1; a kiosk
	// that does not know one keeps the code and shows a generic text).
	StatusAccepted        Status = "accepted"         // tiếp nhận: due date set (Mẫu 01)
	StatusNeedsSupplement Status = "needs_supplement" // yêu cầu bổ sung: the note says what (Mẫu 02)
	StatusNotAccepted     Status = "not_accepted"     // không tiếp nhận: the note says why (Mẫu 03)
	StatusRefused         Status = "refused"          // từ chối giải quyết after examination
	StatusWithdrawn       Status = "withdrawn"        // rút hồ sơ
)

// Terminal reports whether no further status change is expected.
func (s Status) Terminal() bool {
	switch s {
	case StatusDone, StatusRejected, StatusNotAccepted, StatusRefused, StatusWithdrawn:
		return true
	}
	return false
}

// EnrolRequest is sent by a kiosk with the one-time code an operator made.
// The code itself is not sent: CodeID is derived from it, and the body is
// authenticated with the code's key in the X-Enrol-MAC header (see
// DeriveEnrolSecret).
type EnrolRequest struct {
	Version    int    `json:"version"`
	CodeID     string `json:"code_id"`     // EnrolSecret.ID of the one-time code
	SigningKey []byte `json:"signing_key"` // the kiosk's Ed25519 public key (32 bytes)
	AppVersion string `json:"app_version"`
}

// EnrolResponse gives the kiosk its identity and the city's keys. Its bytes
// are authenticated with the code's key in the X-Enrol-MAC header; a kiosk
// uses none of it unless that MAC matches.
type EnrolResponse struct {
	Version     int       `json:"version"`
	KioskID     string    `json:"kiosk_id"`
	Number      uint32    `json:"number"`       // used in receipt codes, unique city-wide
	Commune     string    `json:"commune"`      // commune/ward code the kiosk serves
	CommuneName string    `json:"commune_name"` // its name, for display
	SealKey     []byte    `json:"seal_key"`     // the city's X25519 public key (32 bytes)
	CityKey     []byte    `json:"city_key"`     // the city's Ed25519 public key, verifies receipt files
	ServerTime  time.Time `json:"server_time"`
}

// Item is one request pushed by a kiosk.
type Item struct {
	Seq       uint64    `json:"seq"`        // the kiosk's local sequence
	RequestID string    `json:"request_id"` // UUIDv7 made on the kiosk
	Code      string    `json:"code"`       // receipt code given to the citizen
	Service   string    `json:"service"`
	CreatedAt time.Time `json:"created_at"` // kiosk clock; the legal time is the city's received_at
	Sealed    []byte    `json:"sealed"`     // payload sealed to the city's X25519 key
	SHA256    string    `json:"sha256"`     // hex sha256 of Sealed
}

// PushRequest carries a batch of items.
type PushRequest struct {
	Version int       `json:"version"`
	KioskID string    `json:"kiosk_id"`
	BatchID string    `json:"batch_id"`
	SentAt  time.Time `json:"sent_at"` // kiosk clock
	Items   []Item    `json:"items"`
}

// ItemResult is the city's answer for one item.
type ItemResult struct {
	Seq        uint64    `json:"seq"`
	RequestID  string    `json:"request_id"`
	Outcome    Outcome   `json:"outcome"`
	Reason     string    `json:"reason,omitempty"`   // for rejected and conflict
	CityRef    string    `json:"city_ref,omitempty"` // the city's reference
	ReceivedAt time.Time `json:"received_at"`        // the city's legal time of receipt
}

// Limits are the city's wishes for batch sizes.
type Limits struct {
	MaxItems int `json:"max_items"`
	MaxBytes int `json:"max_bytes"`
}

// PushResponse holds one result per pushed item.
type PushResponse struct {
	Version         int          `json:"version"`
	Results         []ItemResult `json:"results"`
	AckedThroughSeq uint64       `json:"acked_through_seq"`
	ServerTime      time.Time    `json:"server_time"`
	Limits          Limits       `json:"limits"`
}

// Cursor marks a position in the city's status feed for one kiosk. Epoch
// changes when the city's feed is rebuilt; a kiosk presenting another epoch
// gets a reset and a snapshot.
type Cursor struct {
	Epoch string `json:"epoch"`
	Seq   uint64 `json:"seq"`
}

// PullRequest asks for status changes after a cursor.
type PullRequest struct {
	Version int    `json:"version"`
	KioskID string `json:"kiosk_id"`
	Cursor  Cursor `json:"cursor"`
	Limit   int    `json:"limit"`
	// CatalogueVersion is the catalogue the kiosk runs.
	CatalogueVersion string `json:"catalogue_version,omitempty"`
}

// StatusChange is one status of one request.
type StatusChange struct {
	Seq       uint64    `json:"seq"` // position in this kiosk's feed
	RequestID string    `json:"request_id"`
	Code      string    `json:"code"`
	Status    Status    `json:"status"`
	Note      string    `json:"note,omitempty"` // reason for rejection, or a note for the citizen
	ChangedAt time.Time `json:"changed_at"`
}

// PullResponse carries status changes. When Reset is true, Changes is a
// snapshot of all of this kiosk's requests and replaces what the kiosk had.
type PullResponse struct {
	Version    int            `json:"version"`
	Changes    []StatusChange `json:"changes"`
	Next       Cursor         `json:"next"`
	HasMore    bool           `json:"has_more"`
	Reset      bool           `json:"reset"`
	ServerTime time.Time      `json:"server_time"`
	// Catalogue is set when the city has a newer catalogue than the kiosk's.
	Catalogue *CatalogueUpdate `json:"catalogue,omitempty"`
}

// CatalogueUpdate is a new service catalogue (services, fees) as the JSON
// document the kiosk package reads.
type CatalogueUpdate struct {
	Version  string `json:"version"`
	Document []byte `json:"document"`
}

// Heartbeat reports a kiosk's health.
type Heartbeat struct {
	Version          int       `json:"version"`
	KioskID          string    `json:"kiosk_id"`
	SentAt           time.Time `json:"sent_at"`
	QueueDepth       int       `json:"queue_depth"`
	OldestUnsentSecs int64     `json:"oldest_unsent_secs"`
	Quarantined      int       `json:"quarantined"`
	ClockSkewSecs    int64     `json:"clock_skew_secs"` // server time minus kiosk time at the last exchange
	FreeDiskBytes    uint64    `json:"free_disk_bytes"`
	DiskBytes        uint64    `json:"disk_bytes,omitempty"` // size of that disk; 0: unknown (older kiosks)
	AppVersion       string    `json:"app_version"`
	CatalogueVersion string    `json:"catalogue_version"`
	// Alarms are the conditions the kiosk's staff screen shows, as codes
	// (see the Alarm constants), so the city sees them too. Absent: none
	// (or an older kiosk).
	Alarms []string `json:"alarms,omitempty"`
	// LastError is the code of the kiosk's last failed sync (the sync
	// engine's error codes: unreachable, timeout, not_city, server_error,
	// unauthorized, replay, …) and LastErrorSecs how long before SentAt it
	// failed. Absent: no failure since the kiosk started (or an older kiosk).
	LastError     string `json:"last_error,omitempty"`
	LastErrorSecs int64  `json:"last_error_secs,omitempty"`

	// Satisfaction holds the kiosk's tallies of its last days (at most
	// MaxSatisfactionDays); the city keeps the last word per kiosk and day.
	Satisfaction []SatisfactionDay `json:"satisfaction,omitempty"`
}

// MaxSatisfactionDays is the most days of tallies one heartbeat carries.
const MaxSatisfactionDays = 62

// SatisfactionDay is a kiosk's running tally of one day's answers to its
// one optional question after the receipt (anonymous counts only).
type SatisfactionDay struct {
	Day           string `json:"day"` // YYYY-MM-DD, Asia/Ho_Chi_Minh
	VerySatisfied int    `json:"very_satisfied"`
	Satisfied     int    `json:"satisfied"`
	Neutral       int    `json:"neutral"`
	NotSatisfied  int    `json:"not_satisfied"`
}

// Alarm codes a kiosk reports in its heartbeat. A city shows codes it does
// not know as they are.
const (
	AlarmDiskLow      = "disk_low"      // under the free-space floor: no new requests taken
	AlarmBackupFailed = "backup_failed" // the last backup of the store failed
	AlarmStoreRewound = "store_rewound" // the store opened older than its last commit (bbolt meta fallback)
	AlarmClockSkew    = "clock_skew"    // the kiosk's clock is off the city's past the threshold
	AlarmClockReplay  = "clock_replay"  // the city refuses the kiosk's signatures as replays
	AlarmEnrolment    = "enrolment"     // the city refuses the kiosk (401/403)
	AlarmUnsent       = "oldest_unsent" // a request has waited too long
)

// HeartbeatResponse acknowledges a heartbeat.
type HeartbeatResponse struct {
	Version    int       `json:"version"`
	ServerTime time.Time `json:"server_time"`
}

// Error is the envelope of every non-2xx answer of the API.
type Error struct {
	Version int    `json:"version"`
	Code    string `json:"code"` // e.g. "unauthorized", "revoked", "too_large"
	Message string `json:"message"`
}

// CodeReplay is the Error code of a 401 that refuses a correctly signed
// call as a replay: its nonce was seen, or its signing time is further back
// than the city's window (the kiosk's clock went forward and came back, or
// its store was restored from a backup). It is not an enrolment problem:
// the kiosk keeps its identity and retries; the city operator resets the
// kiosk's clock state (cityd reset-clock KIOSK).
const CodeReplay = "replay"
