package city

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"sync"
	"time"
)

// OfficeOptions configure the back office. The zero value works.
type OfficeOptions struct {
	// SessionIdle ends a session not used for this long (0: 30 minutes);
	// SessionMax ends any session this long after login (0: 12 hours).
	SessionIdle time.Duration
	SessionMax  time.Duration
	// LoginFailures in a row lock an account for LockFor (0: 5, 15 minutes).
	LoginFailures int
	LockFor       time.Duration
	// AddrRate and AddrBurst limit wrong sign-ins per client address
	// (0: 10 a minute, 5 at once); right ones are not counted.
	AddrRate  float64
	AddrBurst int
	// Password is argon2id's cost (zero: DefaultPasswordParams). Tests
	// lower it; production never should.
	Password PasswordParams
	// DeadlineRules: nil takes DefaultDeadlineRules.
	DeadlineRules []DeadlineRule
}

// office is the back office: pages under /office/ and the same handlers
// as JSON under /v1/office/.
type office struct {
	s         *Server
	store     OfficeStore
	opts      OfficeOptions
	rules     []DeadlineRule
	views     views
	addrLimit *failLimiter
	hashSem   chan struct{} // argon2id takes 64 MiB: a few at a time
	dummyOnce sync.Once
	dummyHash string // checked for unknown users, so timing tells nothing
	cop       *http.CrossOriginProtection
}

func (s *Server) initOffice() error {
	st, ok := s.store.(OfficeStore)
	if !ok {
		s.log.Warn("Back office off: the store does not keep users, sessions and audit yet")
		return nil
	}
	o := &office{s: s, store: st, opts: s.opts.Office}
	if o.opts.SessionIdle == 0 {
		o.opts.SessionIdle = 30 * time.Minute
	}
	if o.opts.SessionMax == 0 {
		o.opts.SessionMax = 12 * time.Hour
	}
	if o.opts.LoginFailures == 0 {
		o.opts.LoginFailures = 5
	}
	if o.opts.LockFor == 0 {
		o.opts.LockFor = 15 * time.Minute
	}
	if o.opts.AddrRate == 0 {
		o.opts.AddrRate = 10.0 / 60
	}
	if o.opts.AddrBurst == 0 {
		o.opts.AddrBurst = 5
	}
	if o.opts.Password.Time == 0 {
		o.opts.Password = DefaultPasswordParams
	}
	o.rules = o.opts.DeadlineRules
	if o.rules == nil {
		var err error
		if o.rules, err = DefaultDeadlineRules(); err != nil {
			return err
		}
	}
	o.addrLimit = newFailLimiter(o.opts.AddrRate, o.opts.AddrBurst)
	o.hashSem = make(chan struct{}, 2)
	var err error
	if o.views, err = parseViews(); err != nil {
		return err
	}
	o.cop = http.NewCrossOriginProtection()
	s.office = o
	return nil
}

// dummy is a hash to check when the user is unknown, made on first use.
func (o *office) dummy() string {
	o.dummyOnce.Do(func() {
		h, err := HashPassword(NewPassword(), o.opts.Password)
		if err != nil {
			panic(err) // crypto/rand failed
		}
		o.dummyHash = h
	})
	return o.dummyHash
}

// principal is who makes a request: a user, through a session (pages) or
// an API token (JSON).
type principal struct {
	User    User
	Session *Session
	Token   *APIToken
	API     bool
	Addr    string
	Lang    string
}

// officeHandler serves one route for pages and API alike.
type officeHandler func(w http.ResponseWriter, r *http.Request, p *principal)

type route struct {
	method, path string
	roles        []Role // nil: any signed-in user
	h            officeHandler
}

func sha256Hex(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

func (p *principal) has(roles []Role) bool {
	if roles == nil {
		return true
	}
	for _, r := range roles {
		if p.User.Role == r {
			return true
		}
	}
	return false
}

// audit appends an entry; the back office never acts on something it
// could not write down.
func (o *office) audit(ctx context.Context, p *principal, action, requestID, commune, detail string) error {
	e := AuditEntry{At: o.s.now(), Action: action, RequestID: requestID, Commune: commune, Detail: detail}
	if p != nil {
		e.UserID, e.UserName, e.Addr = p.User.ID, p.User.Name, p.Addr
	}
	if _, err := o.store.AppendAudit(ctx, e); err != nil {
		return fmt.Errorf("city: audit %s: %w", action, err)
	}
	return nil
}

func (o *office) entry(p *principal, action, detail string) AuditEntry {
	return AuditEntry{At: o.s.now(), UserID: p.User.ID, UserName: p.User.Name, Addr: p.Addr, Action: action, Detail: detail}
}

// officeRoutes mounts every route twice: the page under /office (session
// cookie, CSRF-checked forms) and the JSON API under /v1/office (an API
// token). Both call the same handler.
func (s *Server) officeRoutes() {
	o := s.office
	if o == nil {
		off := func(w http.ResponseWriter, r *http.Request) {
			writeError(w, http.StatusServiceUnavailable, CodeInternal, "the back office needs a store that keeps users and audit")
		}
		s.mux.HandleFunc("/office/", off)
		s.mux.HandleFunc("/v1/office/", off)
		return
	}
	m := s.mux
	m.Handle("GET /office/{$}", http.RedirectHandler("/office/queue", http.StatusSeeOther))
	m.Handle("GET /office", http.RedirectHandler("/office/queue", http.StatusSeeOther))
	m.HandleFunc("GET /office/static/office.css", o.handleCSS)
	m.HandleFunc("GET /office/lang/{lang}", o.handleLang)
	m.Handle("GET /office/login", o.cop.Handler(http.HandlerFunc(o.handleLoginForm)))
	m.Handle("POST /office/login", o.cop.Handler(http.HandlerFunc(o.handleLogin)))
	for _, rt := range o.routes() {
		m.Handle(rt.method+" /office"+rt.path, o.cop.Handler(o.page(rt)))
		m.Handle(rt.method+" /v1/office"+rt.path, o.api(rt))
	}
}

var (
	officers = []Role{RoleOfficer}
	admins   = []Role{RoleAdmin}
	counters = []Role{RoleOfficer, RoleViewer}
)

func (o *office) routes() []route {
	return []route{
		{"POST", "/logout", nil, o.handleLogout},
		{"GET", "/queue", officers, o.handleQueue},
		{"GET", "/counts", counters, o.handleCounts},
		{"GET", "/report", nil, o.handleReport}, // office_report.go: counts only, every role
		{"GET", "/dossiers/{id}", officers, o.handleDossier},
		{"POST", "/dossiers/{id}/view", officers, o.handleDossierView},
		{"POST", "/dossiers/{id}/actions/{action}", officers, o.handleDossierAction},
		{"GET", "/dossiers/{id}/slips/{form}", officers, o.handleSlip},
		{"GET", "/post", officers, o.handlePostList},
		{"POST", "/post", officers, o.handlePostHandover},
		{"GET", "/post/batches/{batch}", officers, o.handlePostBatch},
		{"GET", "/register", officers, o.handleRegister},
		{"GET", "/due", officers, o.handleDueList},
		{"GET", "/audit", admins, o.handleAudit},
		{"GET", "/users", admins, o.handleUsers},
		{"POST", "/users", admins, o.handleUserCreate},
		{"POST", "/users/{uid}", admins, o.handleUserUpdate},
		{"GET", "/catalogue", admins, o.handleCatalogue}, // office_catalogue.go
		{"POST", "/catalogue", admins, o.handleCataloguePublish},
		{"GET", "/fleet", admins, o.handleFleet}, // office_fleet.go
		{"POST", "/fleet/enrol", admins, o.handleFleetEnrol},
		{"POST", "/fleet/provision", admins, o.handleFleetProvision},
		{"POST", "/fleet/{kid}/revoke", admins, o.handleFleetRevoke},
		{"POST", "/fleet/{kid}/reset-clock", admins, o.handleFleetResetClock},
		{"GET", "/calendar", admins, o.handleCalendar},
		{"POST", "/calendar", admins, o.handleCalendarChange},
		{"GET", "/account", nil, o.handleAccount},
		{"POST", "/account/sessions", nil, o.handleSessionsEnd},
		{"POST", "/account/tokens", nil, o.handleTokenCreate},
		{"POST", "/account/password", nil, o.handlePasswordChange},
	}
}
