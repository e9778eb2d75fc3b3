package city

import (
	"context"
	"errors"
	"slices"
	"time"

	"communekiosk/sync/syncproto"
)

// Errors of the back-office stores.
var (
	ErrExists = errors.New("city: already exists")
)

// Role is what a user may do. Values are stored: strings, never iota.
type Role string

const (
	// RoleAdmin manages users, kiosks and the calendar; it reads no
	// dossier.
	RoleAdmin Role = "admin"
	// RoleOfficer processes the dossiers of the communes in its scope.
	RoleOfficer Role = "officer"
	// RoleViewer reads counts and reports of its scope, never personal data.
	RoleViewer Role = "viewer"
)

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return r == RoleAdmin || r == RoleOfficer || r == RoleViewer }

// Scope is the set of communes a caller may see. The zero Scope sees
// nothing: an empty scope never means everything.
type Scope struct {
	Communes []string
}

// Has reports whether commune is in the scope.
func (s Scope) Has(commune string) bool { return commune != "" && slices.Contains(s.Communes, commune) }

// Offices is the scope narrowed to office (all of it when office is empty),
// sorted and without repeats: what a store's query may read. An empty
// scope gives nothing.
func (s Scope) Offices(office string) []string {
	var out []string
	for _, c := range s.Communes {
		if c != "" && (office == "" || office == c) {
			out = append(out, c)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// User is a person with an account in the back office.
type User struct {
	ID          string   `json:"id"`
	Name        string   `json:"name"` // login name, unique, lower case
	DisplayName string   `json:"display_name"`
	Role        Role     `json:"role"`
	Communes    []string `json:"communes"` // the scope; empty: nothing
	// PasswordHash is a PHC string ($argon2id$…); empty: no password yet.
	PasswordHash string `json:"password_hash,omitempty"`
	Active       bool   `json:"active"`
	// MustChange: the password is a one-time one (made by an admin or
	// cityd); until the user sets their own, only the account page opens.
	MustChange   bool      `json:"must_change,omitempty"`
	Deactivation string    `json:"deactivation,omitempty"` // reason, when not active
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`
	// Failed counts login failures since the last success; LockedUntil is
	// set when they reach the limit.
	Failed      int       `json:"failed"`
	LockedUntil time.Time `json:"locked_until,omitzero"`
}

// Scope returns the user's scope.
func (u User) Scope() Scope { return Scope{Communes: u.Communes} }

// UserStore keeps accounts.
type UserStore interface {
	// CreateUser stores a new user; ErrExists when the name is taken.
	CreateUser(ctx context.Context, u User) error
	User(ctx context.Context, id string) (User, error)         // ErrNotFound
	UserByName(ctx context.Context, name string) (User, error) // ErrNotFound
	Users(ctx context.Context) ([]User, error)                 // by name
	// UpdateUser reads the user, lets fn change it and writes it back, in
	// one transaction (concurrent updates of one user never interleave).
	// An error from fn aborts and is returned wrapped. ID and Name stay.
	UpdateUser(ctx context.Context, id string, fn func(u *User) error) (User, error)
}

// Session is a signed-in browser. The cookie carries a random secret; the
// store keeps only its hash.
type Session struct {
	Hash      string    `json:"hash"` // hex sha256 of the secret; also the session's public ID
	UserID    string    `json:"user_id"`
	CSRF      string    `json:"csrf"` // the form token of this session
	Addr      string    `json:"addr"`
	UserAgent string    `json:"user_agent"`
	CreatedAt time.Time `json:"created_at"`
	LastSeen  time.Time `json:"last_seen"`
}

// SessionStore keeps sessions.
type SessionStore interface {
	CreateSession(ctx context.Context, s Session) error
	Session(ctx context.Context, hash string) (Session, error) // ErrNotFound
	TouchSession(ctx context.Context, hash string, now time.Time) error
	DeleteSession(ctx context.Context, hash string) error // no error when absent
	Sessions(ctx context.Context, userID string) ([]Session, error)
	// DeleteSessions signs a user out everywhere; it returns how many
	// sessions it ended.
	DeleteSessions(ctx context.Context, userID string) (int, error)
}

// APIToken is a named token a user makes for scripts. Only its hash is
// stored; the token is shown once.
type APIToken struct {
	ID        string    `json:"id"`
	Hash      string    `json:"hash,omitempty"` // hex sha256 of the token
	UserID    string    `json:"user_id"`
	Name      string    `json:"name"`
	CreatedAt time.Time `json:"created_at"`
	RevokedAt time.Time `json:"revoked_at,omitzero"`
}

// TokenStore keeps API tokens.
type TokenStore interface {
	CreateToken(ctx context.Context, t APIToken) error
	TokenByHash(ctx context.Context, hash string) (APIToken, error) // ErrNotFound; revoked ones too
	Tokens(ctx context.Context, userID string) ([]APIToken, error)  // by creation
	RevokeToken(ctx context.Context, id string, now time.Time) error
}

// AuditEntry is one line of the audit log. Entries are only appended.
type AuditEntry struct {
	Seq       uint64    `json:"seq"` // assigned by the store, increasing
	At        time.Time `json:"at"`
	UserID    string    `json:"user_id,omitempty"`
	UserName  string    `json:"user_name,omitempty"`
	Addr      string    `json:"addr,omitempty"`
	Action    string    `json:"action"` // e.g. login, login_failed, dossier.view, status.accepted
	RequestID string    `json:"request_id,omitempty"`
	Commune   string    `json:"commune,omitempty"` // the dossier's office, for scoped reading
	Detail    string    `json:"detail,omitempty"`  // never personal data
}

// AuditFilter selects audit entries, newest first.
type AuditFilter struct {
	UserID    string
	RequestID string
	Action    string
	From, To  time.Time // At in [From, To); zero: unbounded
	Before    uint64    // keyset: entries with Seq < Before; 0: from the newest
	Limit     int       // ≤ 0: 100
}

// AuditStore is the append-only audit log.
type AuditStore interface {
	AppendAudit(ctx context.Context, e AuditEntry) (AuditEntry, error)
	Audit(ctx context.Context, f AuditFilter) ([]AuditEntry, error)
}

// Calendar day kinds.
const (
	DayHoliday = "holiday" // a weekday off
	DayWorkday = "workday" // a Saturday or Sunday worked (swapped day)
)

// CalendarDay is an exception to Monday–Friday.
type CalendarDay struct {
	Date string `json:"date"` // YYYY-MM-DD in Asia/Ho_Chi_Minh
	Kind string `json:"kind"` // DayHoliday, DayWorkday
	Note string `json:"note,omitempty"`
}

// CalendarStore keeps the holidays and swapped working days.
type CalendarStore interface {
	CalendarDays(ctx context.Context) ([]CalendarDay, error) // by date
	PutCalendarDay(ctx context.Context, d CalendarDay) error // replaces the day
	DeleteCalendarDay(ctx context.Context, date string) error
}

// DossierFilter selects dossiers for the queue. Zero fields match
// everything — inside the scope, which always applies. Results are in city
// reference order; After pages.
type DossierFilter struct {
	Statuses     []syncproto.Status
	Office       string // one commune of the scope
	Service      string
	Delivery     string    // pickup, post
	ReceivedFrom time.Time // ReceivedAt in [ReceivedFrom, ReceivedTo)
	ReceivedTo   time.Time
	// DueFrom/DueTo select open dossiers (accepted, processing,
	// needs_supplement) whose DueAt is in [DueFrom, DueTo).
	DueFrom, DueTo time.Time
	Assignee       string
	PostBatch      string // the post hand-over list a dossier went out on
	// Query is a receipt code or a city reference, matched exactly.
	Query string
	After string // city reference of the last dossier of the previous page
	Limit int    // ≤ 0: 50; at most 1000
}

// DossierChange is one dossier's part of UpdateDossiers.
type DossierChange struct {
	RequestID string
	// Apply checks and changes the dossier (status, dates, assignee…). An
	// error aborts the whole UpdateDossiers.
	Apply func(r *Request) error
	// Audit is appended in the same transaction; the store fills
	// RequestID, Commune (the office) and Seq.
	Audit AuditEntry
}

// DossierStore is the back office's view of requests. Every method takes
// the caller's scope and applies it in the query: a dossier outside it is
// ErrNotFound, never a different answer.
type DossierStore interface {
	Dossiers(ctx context.Context, sc Scope, f DossierFilter) ([]Request, error)
	CountDossiers(ctx context.Context, sc Scope, f DossierFilter) (int, error) // ignores After, Limit
	Dossier(ctx context.Context, sc Scope, requestID string) (Request, error)  // with Sealed
	// UpdateDossiers applies every change in one transaction, all or
	// nothing. When a change moves the status or its note, the kiosk's
	// feed gets the change.
	UpdateDossiers(ctx context.Context, sc Scope, changes []DossierChange, now time.Time) ([]Request, error)
}

// StatusCounter is what a DossierStore may add to count a filter's
// dossiers per status in one pass (ignoring f.Statuses, After, Limit;
// statuses with none are absent). Without it the back office asks
// CountDossiers once per status.
type StatusCounter interface {
	CountByStatus(ctx context.Context, sc Scope, f DossierFilter) (map[syncproto.Status]int, error)
}

// countByStatus uses the store's StatusCounter, or one count per status.
func countByStatus(ctx context.Context, st DossierStore, sc Scope, f DossierFilter) (map[syncproto.Status]int, error) {
	if c, ok := st.(StatusCounter); ok {
		return c.CountByStatus(ctx, sc, f)
	}
	out := map[syncproto.Status]int{}
	for _, s := range AllStatuses {
		g := f
		g.Statuses = []syncproto.Status{s}
		n, err := st.CountDossiers(ctx, sc, g)
		if err != nil {
			return nil, err
		}
		if n > 0 {
			out[s] = n
		}
	}
	return out, nil
}
