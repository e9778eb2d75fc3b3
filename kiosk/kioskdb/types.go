package kioskdb

import (
	"time"

	"communekiosk/sync/syncproto"
)

// The exported types below, and syncproto's wire types, are the contract
// between kioskdb and its users (app, and through app the sync engine,
// whose interfaces *DB implements in syncproto's types). Methods of *DB:
//
//	Open(path string, opts Options) (*DB, error)
//	(*DB) Close() error
//	(*DB) Identity() (syncproto.Identity, error)  // ErrNotEnrolled until SetIdentity
//	(*DB) SetIdentity(id syncproto.Identity) error
//	(*DB) Submit(req kiosk.Request, now time.Time) (Receipt, error)
//	(*DB) Lookup(code string) (Record, error)     // ErrNotFound
//	(*DB) Pending(maxItems, maxBytes int) ([]syncproto.Item, error)
//	(*DB) Counts() (Counts, error)
//	(*DB) QueueCounts() (syncproto.QueueCounts, error)
//	(*DB) ApplyPushResults(results []syncproto.ItemResult, now time.Time) error
//	(*DB) Cursor() (syncproto.Cursor, error)
//	(*DB) ApplyStatuses(changes []syncproto.StatusChange, next syncproto.Cursor, reset bool, now time.Time) error
//	(*DB) Quarantined() ([]QuarantineItem, error)
//	(*DB) Requeue(requestID string, now time.Time) error
//	(*DB) Setting(key string) (string, error) / SetSetting(key, value string) error
//
// Added with the store (additive):
//
//	(*DB) LookupID(requestID string) (Record, error)        // ErrNotFound
//	(*DB) Audit(limit int) ([]AuditEntry, error)            // newest first
//	(*DB) Purge(now time.Time) (int, error)                 // payloads of acked + closed requests
//	(*DB) Tombstone(requestID string) (Tombstone, error)    // ErrNotFound
//	(*DB) Backup(ctx context.Context, dir string) (string, error)
//	(*DB) RunBackups(ctx context.Context) error             // every Options.BackupEvery
//	(*DB) Path() string
//
// Errors: ErrNotFound, ErrNotEnrolled, ErrCorrupt, ErrLocked (errors.go).

// Receipt is returned by Submit only after the commit is fsynced.
type Receipt struct {
	Code      string    `json:"code"` // receipt code, grouped for reading
	RequestID string    `json:"request_id"`
	Seq       uint64    `json:"seq"`
	CreatedAt time.Time `json:"created_at"`
}

// Record is the plaintext index entry of a request: no personal data but
// a masked name.
type Record struct {
	Code       string    `json:"code"`
	RequestID  string    `json:"request_id"`
	Seq        uint64    `json:"seq"`
	Service    string    `json:"service"`
	MaskedName string    `json:"masked_name"`
	Copies     int       `json:"copies"`
	Delivery   string    `json:"delivery"` // pickup, post
	CreatedAt  time.Time `json:"created_at"`
	// State is the kiosk-side state: queued, sent, quarantined.
	State      string    `json:"state"`
	CityRef    string    `json:"city_ref,omitempty"`
	AckedAt    time.Time `json:"acked_at,omitzero"`
	ReceivedAt time.Time `json:"received_at,omitzero"` // the city's legal time
	// Status is the last status the city sent, and when it changed.
	Status          syncproto.Status `json:"status,omitempty"`
	StatusNote      string           `json:"status_note,omitempty"`
	StatusChangedAt time.Time        `json:"status_changed_at,omitzero"`
	Purged          bool             `json:"purged,omitempty"` // payload deleted, tombstone kept
	// Terms are what the citizen accepted and claimed at submit, kept so
	// that a reprint shows the same fee and notice; nil on records made
	// before they were kept (a reprint then says it cannot tell).
	Terms *Terms `json:"terms,omitempty"`
}

// Terms are the non-personal facts of a request a receipt depends on.
type Terms struct {
	NoticeVersion string   `json:"notice_version"`
	Purposes      []string `json:"purposes"`
	// Claims are the request's yes/no extra fields set to "true" (the
	// fields fee waivers look at, e.g. digital_citizen); never free text.
	Claims []string `json:"claims,omitempty"`
	// DatedAt is the time the fee and the expected date were reckoned
	// from: the city's time when the kiosk knew its clock offset, else
	// the kiosk's (zero on records made before it was kept).
	DatedAt time.Time `json:"dated_at,omitzero"`
}

// QuarantineItem is a request the city rejected or found in conflict.
type QuarantineItem struct {
	RequestID string            `json:"request_id"`
	Code      string            `json:"code"`
	Service   string            `json:"service"`
	Outcome   syncproto.Outcome `json:"outcome"`
	Reason    string            `json:"reason"`
	At        time.Time         `json:"at"`
}

// Counts are the queue figures of the staff screen and the heartbeat.
type Counts struct {
	Queued       int       `json:"queued"`
	Sent         int       `json:"sent"`
	Quarantined  int       `json:"quarantined"`
	OldestUnsent time.Time `json:"oldest_unsent,omitzero"`
}
