package city

import (
	"context"
	"crypto/ed25519"
	"errors"
	"time"

	"communekiosk/sync/syncproto"
)

// Errors every Store returns for the cases the server tells apart. Stores
// wrap them; the server decides with errors.Is.
var (
	ErrNotFound      = errors.New("city: not found")
	ErrCodeInvalid   = errors.New("city: enrolment code unknown, used or expired")
	ErrRevoked       = errors.New("city: kiosk revoked")
	ErrBadTransition = errors.New("city: status change not allowed")
)

// Store is everything the server keeps. It is composed of small
// interfaces so a test fake or a new store can be written one concern at
// a time. Every method that writes does so in one transaction: a SQL
// store implements each with BEGIN … COMMIT and the uniqueness rules as
// constraints (UNIQUE(request_id), UNIQUE(kiosk number), …).
type Store interface {
	EnrolStore
	KioskStore
	ReplayStore
	IngestStore
	FeedStore
	RequestStore
	Close() error
}

// OfficeStore is what the back office keeps (office_store.go). A Store
// that implements it too serves the back office; cityd refuses to start
// the back office on one that does not.
type OfficeStore interface {
	UserStore
	SessionStore
	TokenStore
	AuditStore
	CalendarStore
	DossierStore
}

// EnrolStore keeps one-time enrolment codes and turns them into kiosks.
type EnrolStore interface {
	// CreateEnrolCode stores a code (by its ID and key; the code itself
	// is never stored).
	CreateEnrolCode(ctx context.Context, c EnrolCode) error
	// EnrolCode returns the code stored under hash, so the server can
	// check the request's MAC before redeeming it: ErrCodeInvalid when it
	// is unknown, used or expired at now. It changes nothing.
	EnrolCode(ctx context.Context, codeHash string, now time.Time) (EnrolCode, error)
	// RedeemEnrolCode consumes the code and registers a new kiosk with the
	// given public key, assigning its ID and a city-wide unique number, in
	// one transaction. A code works once: ErrCodeInvalid after that.
	RedeemEnrolCode(ctx context.Context, codeHash string, key ed25519.PublicKey, appVersion string, now time.Time) (Kiosk, error)
	// RegisterKiosk registers a kiosk without a code (offline
	// provisioning: the city made the key).
	RegisterKiosk(ctx context.Context, commune, communeName string, key ed25519.PublicKey, now time.Time) (Kiosk, error)
}

// KioskStore reads kiosks, revokes them and records heartbeats.
type KioskStore interface {
	Kiosk(ctx context.Context, id string) (Kiosk, error) // ErrNotFound
	Kiosks(ctx context.Context) ([]Kiosk, error)         // by number
	Revoke(ctx context.Context, id string, now time.Time) error
	RecordHeartbeat(ctx context.Context, id string, hb syncproto.Heartbeat, now time.Time) error
}

// ReplayStore remembers the nonces of signed requests (see
// docs/protocol.md, "Replays").
type ReplayStore interface {
	// Fresh records nonce for the kiosk and fails with an error wrapping
	// syncproto.ErrReplay when the nonce was seen, or kioskTime is more
	// than window behind the newest kiosk time accepted from this kiosk.
	// Nonces older than that are forgotten.
	Fresh(ctx context.Context, kioskID, nonce string, kioskTime time.Time, window time.Duration) error
	// ResetReplay forgets a kiosk's newest time and nonces, for a kiosk
	// whose clock jumped far ahead and came back (an operator's decision).
	ResetReplay(ctx context.Context, kioskID string) error
}

// IngestStore stores pushed items, exactly once.
type IngestStore interface {
	// Ingest commits, in one transaction, every valid item that is new (outcome
	// accepted, with the city's reference and receivedAt, and a
	// "received" entry in the kiosk's status feed), and answers the others
	// from what is stored: the same request_id with the same sha256 is a
	// duplicate with the original ack; with another sha256 a conflict.
	// Results are in the order of items.
	Ingest(ctx context.Context, kioskID string, items []IngestItem, receivedAt time.Time) ([]syncproto.ItemResult, error)
	// Acks returns the ack of every request stored from this kiosk, by
	// seq (for receipt files).
	Acks(ctx context.Context, kioskID string) ([]syncproto.ItemResult, error)
}

// FeedStore reads a kiosk's status feed.
type FeedStore interface {
	// Epoch identifies this store's feeds; it changes when they are
	// rebuilt (a restore, a migration).
	Epoch(ctx context.Context) (string, error)
	// Feed returns up to limit changes of the kiosk's feed with seq >
	// after, in order, and whether more follow.
	Feed(ctx context.Context, kioskID string, after uint64, limit int) (changes []syncproto.StatusChange, head uint64, more bool, err error)
}

// RequestStore is the operator's view of requests.
type RequestStore interface {
	Requests(ctx context.Context, f RequestFilter) ([]Request, error)
	Request(ctx context.Context, requestID string) (Request, error) // ErrNotFound
	// SetStatus moves a request to status if CanMove allows it from its
	// current status, and appends the change to its kiosk's feed, in one
	// transaction. ErrBadTransition otherwise.
	SetStatus(ctx context.Context, requestID string, status syncproto.Status, note string, now time.Time) (syncproto.StatusChange, error)
	Stats(ctx context.Context) (Stats, error)
}

// EnrolCode is a one-time enrolment code as stored.
type EnrolCode struct {
	Hash string `json:"hash"` // syncproto.EnrolSecret.ID of the code
	// AuthKey is syncproto.EnrolSecret.AuthKey: the server checks the
	// kiosk's request and authenticates its answer with it. Gone with the
	// code once it is redeemed or expired.
	AuthKey     []byte    `json:"auth_key"`
	Commune     string    `json:"commune"`
	CommuneName string    `json:"commune_name"`
	CreatedAt   time.Time `json:"created_at"`
	ExpiresAt   time.Time `json:"expires_at"`
}

// Kiosk is an enrolled kiosk.
type Kiosk struct {
	ID          string            `json:"id"`
	Number      uint32            `json:"number"`
	Commune     string            `json:"commune"`
	CommuneName string            `json:"commune_name"`
	PublicKey   ed25519.PublicKey `json:"public_key"`
	AppVersion  string            `json:"app_version,omitempty"`
	EnrolledAt  time.Time         `json:"enrolled_at"`
	Revoked     bool              `json:"revoked"`
	RevokedAt   time.Time         `json:"revoked_at,omitzero"`
	// The last heartbeat and when the city got it.
	LastHeartbeat   *syncproto.Heartbeat `json:"last_heartbeat,omitempty"`
	LastHeartbeatAt time.Time            `json:"last_heartbeat_at,omitzero"`
}

// IngestItem is a pushed item with what the store needs to keep.
type IngestItem struct {
	syncproto.Item
	Commune string // the kiosk's commune
	// Office, Delivery and MaskedName are what the back office indexes
	// (see Request). An empty Office is the kiosk's commune.
	Office     string
	Delivery   string
	MaskedName string
	// CatalogueVersion and FeeVND: the catalogue the request was checked
	// with and the fee it was quoted (see kiosk.Request.QuotedVND).
	CatalogueVersion string
	FeeVND           int64
	// Channel is how it came: ChannelSync or ChannelUSB.
	Channel string
	// Reject is set when the payload failed validation. If the
	// request_id is already stored the item is answered from it
	// (duplicate/conflict) as usual; otherwise nothing is stored and the
	// result is "rejected" with this reason, so a later push of the same
	// request is checked again.
	Reject string
}

// Request is a request as the city keeps it. Sealed is the payload as the
// kiosk sealed it; only the server opens it.
type Request struct {
	RequestID  string           `json:"request_id"`
	KioskID    string           `json:"kiosk_id"`
	Seq        uint64           `json:"seq"`
	Code       string           `json:"code"`
	Service    string           `json:"service"`
	Commune    string           `json:"commune"`
	CityRef    string           `json:"city_ref"`
	SHA256     string           `json:"sha256"`
	Sealed     []byte           `json:"sealed,omitempty"`
	CreatedAt  time.Time        `json:"created_at"`  // kiosk clock
	ReceivedAt time.Time        `json:"received_at"` // city clock: the legal time
	Status     syncproto.Status `json:"status"`
	StatusNote string           `json:"status_note,omitempty"`
	UpdatedAt  time.Time        `json:"updated_at"`

	// The back office's fields. Office is the commune responsible for the
	// dossier (see ResponsibleOffice); scopes filter on it.
	Office     string `json:"office"`
	Delivery   string `json:"delivery,omitempty"`    // pickup, post
	MaskedName string `json:"masked_name,omitempty"` // the requester's, masked
	Assignee   string `json:"assignee,omitempty"`    // user ID
	// DueAt is the due date set at acceptance and never moved; NewDueAt
	// the date promised by an apology (Mẫu 04). Both are whole seconds
	// (the end of a day); stores may compare them to the second.
	AcceptedAt time.Time `json:"accepted_at,omitzero"`
	DueAt      time.Time `json:"due_at,omitzero"`
	NewDueAt   time.Time `json:"new_due_at,omitzero"`
	// ResultAt is when the result left the city (posted or picked up):
	// the on-time test compares it with DueAt.
	ResultAt   time.Time `json:"result_at,omitzero"`
	ReasonCode string    `json:"reason_code,omitempty"`
	Tracking   string    `json:"tracking,omitempty"`    // số hiệu bưu gửi
	PostBatch  string    `json:"post_batch,omitempty"`  // the hand-over list it went out on
	PostResult string    `json:"post_result,omitempty"` // delivered, returned
	// The catalogue the request was checked with and the fee it was
	// quoted, in đồng (IngestItem).
	CatalogueVersion string `json:"catalogue_version,omitempty"`
	FeeVND           int64  `json:"fee_vnd"`
	// Channel is how it reached the city (ChannelSync, ChannelUSB); empty
	// for requests stored before it was kept (counted as neither).
	Channel string `json:"channel,omitempty"`
}

// RequestFilter selects requests for the operator list. Empty fields match
// everything. Results are ordered by city reference; After pages.
type RequestFilter struct {
	Status  syncproto.Status
	KioskID string
	Commune string
	After   string // city reference of the last request of the previous page
	Limit   int    // ≤ 0: 100
}

// Stats are the figures the Department of Justice reports.
type Stats struct {
	Total     int                       `json:"total"`
	ByStatus  map[syncproto.Status]int  `json:"by_status"`
	ByCommune map[string]int            `json:"by_commune"`
	ByService map[string]int            `json:"by_service"`
	Grid      map[string]map[string]int `json:"by_commune_service"`
	// Successful counts requests done (picked up or posted and closed);
	// SuccessRate is Successful / (Successful + rejected), 0 when none.
	Successful  int     `json:"successful"`
	Rejected    int     `json:"rejected"`
	SuccessRate float64 `json:"success_rate"`
}
