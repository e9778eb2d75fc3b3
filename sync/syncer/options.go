package syncer

import (
	"context"
	"log/slog"
	"math/rand/v2"
	"time"

	"communekiosk/sync/syncproto"
)

// The engine's interfaces speak syncproto's types only: the kiosk's store
// (kiosk/kioskdb) and the transport (sync/syncclient) implement them, and
// app wires them; the engine imports neither.

// Outbox is the store's queue of unsent requests.
type Outbox interface {
	// Pending returns unsent items in seq order, at most maxItems and
	// maxBytes of sealed payload (≤ 0: no limit), but always the first.
	Pending(maxItems, maxBytes int) ([]syncproto.Item, error)
	// ApplyPushResults stores the city's verdicts in one transaction:
	// accepted and duplicate items leave the outbox, rejected and
	// conflicting ones go to quarantine. Applying them again changes
	// nothing.
	ApplyPushResults(results []syncproto.ItemResult, now time.Time) error
	QueueCounts() (syncproto.QueueCounts, error)
}

// StatusStore keeps the statuses the city sends and the feed cursor.
type StatusStore interface {
	Cursor() (syncproto.Cursor, error)
	// ApplyStatuses stores changes and the cursor that follows them in one
	// transaction; with reset, changes replace every stored status.
	ApplyStatuses(changes []syncproto.StatusChange, next syncproto.Cursor, reset bool, now time.Time) error
}

// IdentityStore keeps who this kiosk is. Before enrolment Identity fails
// with an error that is syncproto.ErrNotEnrolled.
type IdentityStore interface {
	Identity() (syncproto.Identity, error)
	SetIdentity(id syncproto.Identity) error
}

// SettingStore keeps small named values (the USB export marker).
type SettingStore interface {
	Setting(key string) (string, error)
	SetSetting(key, value string) error
}

// Store is everything the syncer needs of the kiosk's store;
// *kioskdb.DB is one (app asserts it).
type Store interface {
	Outbox
	StatusStore
	IdentityStore
	SettingStore
}

// Transport talks to the city; *syncclient.Client is one. Its failures
// are syncproto's transport error kinds (syncproto.ErrUnauthorized,
// *syncproto.TooLargeError, …), wrapped.
type Transport interface {
	Push(ctx context.Context, req syncproto.PushRequest) (syncproto.PushResponse, error)
	Pull(ctx context.Context, req syncproto.PullRequest) (syncproto.PullResponse, error)
	Heartbeat(ctx context.Context, hb syncproto.Heartbeat) (syncproto.HeartbeatResponse, error)
}

// Enroller enrols a kiosk with a one-time code; *syncclient.Client is one.
type Enroller interface {
	Enrol(ctx context.Context, cityURL, code string) (syncproto.Enrolment, error)
}

// Timer is a pending call made by AfterFunc; *time.Timer is one.
type Timer interface {
	Stop() bool
}

// Defaults.
const (
	DefaultSchedule      = "*/15 * * * *"
	DefaultMaxItems      = 100
	DefaultMaxBytes      = 1 << 20
	DefaultPullLimit     = 500
	DefaultBackoffBase   = 30 * time.Second
	DefaultBackoffCap    = 30 * time.Minute
	DefaultOfficeCap     = 5 * time.Minute
	DefaultDebounce      = 5 * time.Second
	DefaultUnsentAlarm   = 24 * time.Hour
	DefaultSkewAlarm     = 5 * time.Minute
	DefaultTimeZone      = "Asia/Ho_Chi_Minh"
	maxPullPages         = 100000
	maxPushBatchesPerRun = 1 << 20
)

// Options configure a Syncer. Store and Transport are required for
// RunOnce; the rest has working defaults.
type Options struct {
	Store     Store
	Transport Transport
	// Enroller is used by Enrol (nil: Enrol fails).
	Enroller Enroller
	// AllowInsecureCity lets Enrol and ImportProvisioning accept a plain
	// http:// city that is not on this machine (syncproto.CheckCityURL).
	// Staff must choose it; the staff screen then warns.
	AllowInsecureCity bool

	// Schedule is the cron spec (five fields or a descriptor such as
	// "@every 10m"), in Asia/Ho_Chi_Minh time. Default "*/15 * * * *".
	Schedule string
	// MaxItems and MaxBytes bound a push batch (defaults 100 and 1 MiB);
	// the city may lower them.
	MaxItems int
	MaxBytes int
	// InFlight is the number of push batches sent at once (default 2):
	// the city works on one while the kiosk waits for the other. Each
	// batch's results are still stored in their own transaction.
	InFlight int
	// PullLimit is the number of status changes asked for per pull (500).
	PullLimit int

	// BackoffBase and BackoffCap bound the delay after a failure (30 s, 30 min).
	BackoffBase time.Duration
	BackoffCap  time.Duration
	// OfficeHours reports whether the commune hall is open at a time (nil:
	// never). During office hours, or when the next attempt would fall in
	// them, the backoff waits at most OfficeBackoffCap (5 min), so a kiosk
	// back online syncs within minutes while citizens are there.
	OfficeHours      func(time.Time) bool
	OfficeBackoffCap time.Duration
	// Debounce is the delay between a submission and the sync it pokes (5 s).
	Debounce time.Duration
	// UnsentAlarm raises an alarm when the oldest unsent request is older
	// (24 h).
	UnsentAlarm time.Duration
	// SkewAlarm raises an alarm when the kiosk's clock is further than
	// this from the city's at an exchange (5 minutes).
	SkewAlarm time.Duration

	// OnProgress receives progress events; it must not block.
	OnProgress func(Progress)
	// OnCatalogue receives a newer catalogue sent by the city. An error
	// fails the run (the pull is retried).
	OnCatalogue func(syncproto.CatalogueUpdate) error
	// CatalogueVersion reports the catalogue the kiosk runs.
	CatalogueVersion func() string
	// Satisfaction reports the kiosk's daily tallies of the satisfaction
	// question, sent in each heartbeat (the newest
	// syncproto.MaxSatisfactionDays days). Nil: none.
	Satisfaction func() ([]syncproto.SatisfactionDay, error)
	// KioskAlarms reports the alarm codes of the rest of the kiosk (disk,
	// backup, store, clock; syncproto.Alarm*), sent in each heartbeat with
	// the syncer's own.
	KioskAlarms func() []string
	// AppVersion is reported in heartbeats.
	AppVersion string
	// DataDir is where free disk space is measured (default ".").
	DataDir string
	// FreeSpace reads the free space of DataDir (app wires
	// kioskdb.FreeSpace); nil: sent as unknown (0).
	FreeSpace func(dir string) (uint64, error)
	// DiskSize reads the size of DataDir's disk (app wires
	// kioskdb.DiskSize), sent in heartbeats beside the free space; nil:
	// unknown (0).
	DiskSize func(dir string) (uint64, error)

	// Now is the clock (default time.Now). AfterFunc schedules backoff
	// retries and the debounced poke (default time.AfterFunc). Rand gives
	// the backoff jitter (default a random source).
	Now       func() time.Time
	AfterFunc func(d time.Duration, f func()) Timer
	Rand      *rand.Rand
	Logger    *slog.Logger
}

func (o *Options) defaults() {
	if o.Schedule == "" {
		o.Schedule = DefaultSchedule
	}
	if o.MaxItems <= 0 {
		o.MaxItems = DefaultMaxItems
	}
	if o.MaxBytes <= 0 {
		o.MaxBytes = DefaultMaxBytes
	}
	if o.InFlight <= 0 {
		o.InFlight = 2
	}
	if o.PullLimit <= 0 {
		o.PullLimit = DefaultPullLimit
	}
	if o.BackoffBase <= 0 {
		o.BackoffBase = DefaultBackoffBase
	}
	if o.BackoffCap <= 0 {
		o.BackoffCap = DefaultBackoffCap
	}
	if o.BackoffCap < o.BackoffBase {
		o.BackoffCap = o.BackoffBase
	}
	if o.OfficeBackoffCap <= 0 {
		o.OfficeBackoffCap = DefaultOfficeCap
	}
	if o.Debounce <= 0 {
		o.Debounce = DefaultDebounce
	}
	if o.UnsentAlarm <= 0 {
		o.UnsentAlarm = DefaultUnsentAlarm
	}
	if o.SkewAlarm <= 0 {
		o.SkewAlarm = DefaultSkewAlarm
	}
	if o.DataDir == "" {
		o.DataDir = "."
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.AfterFunc == nil {
		o.AfterFunc = func(d time.Duration, f func()) Timer { return time.AfterFunc(d, f) }
	}
	if o.Rand == nil {
		o.Rand = rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64()))
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
}
