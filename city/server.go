package city

import (
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"path/filepath"
	"time"

	"communekiosk/kiosk"
	"communekiosk/sync/syncproto"
)

// Options configure a Server. Only Store is required; every other zero
// value works (DataDir defaults to the working directory).
type Options struct {
	Store Store
	// DataDir holds the key file unless KeyFile says otherwise.
	DataDir string
	// KeyFile is the city's key file (0600), created on first run.
	// Default: DataDir/city-keys.json.
	KeyFile string
	// OperatorToken is a shared token that opens the whole operator API,
	// the unscoped request endpoints included: cityd sets it only with
	// --demo (and tests in one process may). Empty, the usual case: the
	// operator API takes only named API tokens of users (cityd token add),
	// under their roles.
	OperatorToken string
	// Catalogue checks payloads (kiosk.Validate); nil: the embedded
	// kiosk.DefaultCatalogue(). When CatalogueDocument is set too, a kiosk
	// reporting another catalogue version gets it in its pull answer.
	Catalogue         *kiosk.Catalogue
	CatalogueVersion  string
	CatalogueDocument []byte
	// NoticeVersions are older consent-notice versions the city still
	// accepts from kiosks that have not yet received a newer catalogue.
	NoticeVersions []string
	// Limits are advertised to kiosks in every push answer.
	// Zero: 100 items, 1 MiB.
	Limits syncproto.Limits
	// MaxBodyBytes bounds a request body as sent (gzip or not); a larger
	// one gets 413. Zero: 4 MiB. MaxItems bounds the items of one push
	// (zero: 500).
	MaxBodyBytes int64
	MaxItems     int
	// ReplayWindow: how far behind the newest time a kiosk has signed a
	// request may be (see docs/protocol.md). Zero: 24 hours.
	ReplayWindow time.Duration
	// KioskRate limits each kiosk to this many signed calls per second
	// on average, KioskBurst at once; over it a call gets 429 with
	// Retry-After. Zero: no limit.
	KioskRate  float64
	KioskBurst int
	// Fleet are the fleet page's red/amber rules (zero: the defaults in
	// docs/operations.md). A nil WorkingDay uses the catalogue's holidays.
	Fleet FleetThresholds
	// EnrolCodeTTL is how long a one-time enrolment code lives. Zero: 7 days.
	EnrolCodeTTL time.Duration
	// ConsentSkew is how far after the city's time of receipt a consent
	// may have been accepted, on the kiosk's clock corrected by its last
	// reported skew. Zero: 1 hour.
	ConsentSkew time.Duration
	// GuessLimits throttle wrong operator tokens and enrolment codes, per
	// address and per code (zero values: see GuessLimits).
	GuessLimits GuessLimits
	// Office configures the back office (office.go).
	Office OfficeOptions
	Logger *slog.Logger
	Now    func() time.Time
}

// Server is the city's HTTP API: the kiosk API and the operator API.
type Server struct {
	opts    Options
	store   Store
	keys    Keys
	cat     *kiosk.Catalogue // the one it was started with
	cats    catalogues
	log     *slog.Logger
	now     func() time.Time
	metrics *metrics
	opener  *opener
	limiter *rateLimiter
	guesses *guessLimiter
	health  writeHealth
	// nobodysKey is a public key whose private half was thrown away:
	// unknown kiosks are verified against it (see signed).
	nobodysKey ed25519.PublicKey
	mux        *http.ServeMux
	office     *office // nil when the store does not keep the back office's data
}

// New opens (or makes) the city's keys and builds the server.
func New(opts Options) (*Server, error) {
	if opts.Store == nil {
		return nil, errors.New("city: Options.Store is required")
	}
	if opts.KeyFile == "" {
		opts.KeyFile = filepath.Join(opts.DataDir, "city-keys.json")
	}
	if opts.Limits.MaxItems == 0 {
		opts.Limits.MaxItems = 100
	}
	if opts.Limits.MaxBytes == 0 {
		opts.Limits.MaxBytes = 1 << 20
	}
	if opts.MaxBodyBytes == 0 {
		opts.MaxBodyBytes = 4 << 20
	}
	if opts.MaxItems == 0 {
		opts.MaxItems = 500
	}
	if opts.ReplayWindow == 0 {
		opts.ReplayWindow = 24 * time.Hour
	}
	if opts.ConsentSkew == 0 {
		opts.ConsentSkew = time.Hour
	}
	if opts.EnrolCodeTTL == 0 {
		opts.EnrolCodeTTL = 7 * 24 * time.Hour
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	keys, err := LoadOrCreateKeys(opts.KeyFile)
	if err != nil {
		return nil, err
	}
	cat := opts.Catalogue
	if cat == nil {
		if cat, err = kiosk.DefaultCatalogue(); err != nil {
			return nil, fmt.Errorf("city: catalogue: %w", err)
		}
	}
	op, err := newOpener(keys)
	if err != nil {
		return nil, fmt.Errorf("city: seal key: %w", err)
	}
	s := &Server{opener: op, limiter: newRateLimiter(opts.KioskRate, opts.KioskBurst), guesses: newGuessLimiter(opts.GuessLimits), opts: opts, store: opts.Store, keys: keys, cat: cat, log: opts.Logger, now: opts.Now,
		metrics: newMetrics(), mux: http.NewServeMux()}
	if err := s.initOffice(); err != nil {
		return nil, err
	}
	if s.nobodysKey, _, err = ed25519.GenerateKey(rand.Reader); err != nil {
		return nil, fmt.Errorf("city: key: %w", err)
	}
	s.routes()
	return s, nil
}

// Keys returns the city's keys (for cityd's start-up line and tests).
func (s *Server) Keys() Keys { return s.keys }

// Handler returns the whole HTTP API.
func (s *Server) Handler() http.Handler { return s.accessLog(s.mux) }

// HTTPServer returns an http.Server for addr with the timeouts cityd uses.
func (s *Server) HTTPServer(addr string) *http.Server {
	return &http.Server{
		Addr:              addr,
		Handler:           s.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      120 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
}

func (s *Server) routes() {
	m := s.mux
	m.HandleFunc("POST "+syncproto.PathEnrol, s.handleEnrol)
	m.HandleFunc("POST "+syncproto.PathPush, s.signed(s.handlePush))
	m.HandleFunc("POST "+syncproto.PathPull, s.signed(s.handlePull))
	m.HandleFunc("POST "+syncproto.PathHeartbeat, s.signed(s.handleHeartbeat))
	m.HandleFunc("POST "+syncproto.PathLookup, s.signed(s.handleLookup))

	m.HandleFunc("GET /v1/operator/requests", s.operator(s.handleListRequests))
	m.HandleFunc("GET /v1/operator/requests/{id}", s.operator(s.handleReadRequest))
	m.HandleFunc("POST /v1/operator/requests/{id}/status", s.operator(s.handleSetStatus))
	m.HandleFunc("POST /v1/operator/enrol-codes", s.operator(s.handleEnrolCode))
	m.HandleFunc("POST /v1/operator/provision", s.operator(s.handleProvision))
	m.HandleFunc("GET /v1/operator/kiosks", s.operator(s.handleKiosks))
	m.HandleFunc("GET /v1/operator/fleet", s.operator(s.handleFleet))
	m.HandleFunc("GET /v1/operator/kiosks/{id}/heartbeats", s.operator(s.handleHeartbeatHistory))
	m.HandleFunc("POST /v1/operator/kiosks/{id}/revoke", s.operator(s.handleRevoke))
	m.HandleFunc("POST /v1/operator/kiosks/{id}/reset-clock", s.operator(s.handleResetClock))
	m.HandleFunc("GET /v1/operator/kiosks/{id}/receipt", s.operator(s.handleExportReceipt))
	m.HandleFunc("POST /v1/operator/import", s.operator(s.handleImport))
	m.HandleFunc("GET /v1/operator/stats", s.operator(s.handleStats))
	m.HandleFunc("GET /v1/operator/report", s.operator(s.handleReport))
	m.HandleFunc("POST /v1/operator/catalogue", s.operator(s.handlePublishCatalogue))
	m.HandleFunc("GET /v1/operator/catalogue", s.operator(s.handleCatalogueHistory))
	m.HandleFunc("GET /v1/operator/backup", s.operator(s.handleBackup))

	s.officeRoutes()

	m.HandleFunc("GET /healthz", s.handleHealthz)
	m.HandleFunc("/", notFound)
}

func notFound(w http.ResponseWriter, r *http.Request) {
	writeError(w, http.StatusNotFound, CodeNotFound, "no such endpoint")
}

// MetricsHandler serves /metrics (and /healthz) for a listener of its
// own: the metrics name kiosks, communes, queue depths and refusals, so
// they are not on the API's listener. cityd serves it on --metrics-addr,
// loopback by default.
func (s *Server) MetricsHandler() http.Handler {
	m := http.NewServeMux()
	m.HandleFunc("GET /metrics", s.handleMetrics)
	m.HandleFunc("GET /healthz", s.handleHealthzDetail)
	m.HandleFunc("/", notFound)
	return m
}
