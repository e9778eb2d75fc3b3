package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"communekiosk/city"
	"communekiosk/city/citybolt"
	"communekiosk/city/citypg"
	"communekiosk/internal/atomicfile"
)

// Demo settings for make run.
const (
	demoToken   = "demo"
	demoCommune = "00004"
)

func serve(args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	s := newSettings("cityd serve", stderr, getenv)
	fs := s.fs
	addr := fs.String("addr", "127.0.0.1:8480", "address to listen on (host:port)")
	metricsAddr := fs.String("metrics-addr", "127.0.0.1:8481", "address of the /metrics listener (host:port; empty: no metrics); loopback by default, since metrics name kiosks and communes")
	data := fs.String("data", "./cityd-data", "data directory: the bbolt store city.db and the key file")
	token := fs.String("token", "", "with --demo only: the shared operator token (default \"demo\"); without --demo scripts use named API tokens (cityd token add)")
	tokenFile := fs.String("token-file", "", "with --demo only: a file holding the shared operator token")
	keyFile := fs.String("key-file", "", "the city's key file, 0600, made on first run (default DATA/city-keys.json)")
	refPrefix := fs.String("ref-prefix", "HN", "prefix of the city's request references")
	replay := fs.Duration("replay-window", 24*time.Hour, "how far back a kiosk's signing clock may go (see docs/protocol.md)")
	kioskRate := fs.Float64("kiosk-rate", 0, "signed calls per second allowed per kiosk on average (0: no limit); over it: 429 with Retry-After")
	kioskBurst := fs.Int("kiosk-burst", 0, "calls a kiosk may make at once under --kiosk-rate (0: the rate rounded up)")
	codeTTL := fs.Duration("enrol-code-ttl", 7*24*time.Hour, "lifetime of a one-time enrolment code")
	demo := fs.Bool("demo", false, "demo mode for make run: a shared operator token (\"demo\" unless --token), demo accounts, and a fresh enrolment code written to DATA/demo-enrol-code")
	dbf := addDBFlags(fs)
	fleet := addFleetFlags(fs)
	logFormat := fs.String("log-format", "auto", "log format: auto (text on a terminal, JSON otherwise), text or json")
	logLevel := fs.String("log-level", "info", "log level: debug, info, warn, error")
	cpuProfile := fs.String("cpu-profile", "", "write a CPU profile of the whole run to this file (diagnostics; go tool pprof reads it)")
	fs.String("config", "", "config file of \"flag = value\" lines (env CITYD_CONFIG)")
	fs.Usage = func() {
		fmt.Fprint(stderr, usage+"\nFlags of serve:\n")
		fs.PrintDefaults()
	}
	if err := s.parse(args); err != nil {
		return err
	}
	opToken, err := operatorToken(*demo, *token, *tokenFile)
	if err != nil {
		return err
	}
	if *cpuProfile != "" {
		stopProfile, err := startCPUProfile(*cpuProfile)
		if err != nil {
			return err
		}
		defer stopProfile()
	}
	log, err := newLogger(stderr, *logFormat, *logLevel)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(*data, 0o700); err != nil {
		return fmt.Errorf("data dir: %w", err)
	}
	if !*demo {
		warnOldTokenFile(filepath.Join(*data, "operator-token"), log)
	}

	store, err := openStore(context.Background(), dbf, *data, *refPrefix, log)
	if err != nil {
		return err
	}
	defer store.Close()
	srv, err := city.New(city.Options{Store: store, DataDir: *data, KeyFile: *keyFile, OperatorToken: opToken,
		ReplayWindow: *replay, EnrolCodeTTL: *codeTTL, KioskRate: *kioskRate, KioskBurst: *kioskBurst, Logger: log,
		Fleet: fleet()})
	if err != nil {
		return err
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if *demo {
		c, err := srv.CreateEnrolCode(ctx, demoCommune, demoCommuneName)
		if err != nil {
			return err
		}
		if err := atomicfile.WriteFile(filepath.Join(*data, "demo-enrol-code"), []byte(c.Code+"\n"), 0o600); err != nil {
			return fmt.Errorf("demo enrol code: %w", err)
		}
		if err := ensureDemoUsers(ctx, store, stderr); err != nil {
			return fmt.Errorf("demo users: %w", err)
		}
		log.Warn("DEMO MODE: a shared operator token opens the whole operator API; an enrolment code is in demo-enrol-code", "data", *data, "token_is_demo", opToken == demoToken)
	}

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", *addr, err)
	}
	hs := srv.HTTPServer(*addr)
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	ms, metricsURL, err := serveMetrics(*metricsAddr, srv, log, errc)
	if err != nil {
		hs.Close()
		return err
	}
	log.Info("City server ready", "url", "http://"+ln.Addr().String(), "back_office", "http://"+ln.Addr().String()+"/office/", "metrics_url", metricsURL, "data", *data, "store", storeKind(*dbf.db), "version", version,
		"keys", srv.Keys().Fingerprint(), "demo", *demo)
	notifyReady(ctx, func(ctx context.Context) error { _, err := store.Epoch(ctx); return err }, log)

	select {
	case <-ctx.Done():
		log.Info("Shutting down")
	case err := <-errc:
		if !errors.Is(err, http.ErrServerClosed) {
			return fmt.Errorf("serve: %w", err)
		}
	}
	notifyStopping()
	sctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if ms != nil {
		if err := ms.Shutdown(sctx); err != nil {
			return fmt.Errorf("shutdown metrics: %w", err)
		}
	}
	if err := hs.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := store.Close(); err != nil {
		return fmt.Errorf("close store: %w", err)
	}
	log.Info("Stopped")
	return nil
}

// serveMetrics starts the /metrics listener on addr (none when addr is
// empty); a failure to serve is sent to errc.
func serveMetrics(addr string, srv *city.Server, log *slog.Logger, errc chan<- error) (*http.Server, string, error) {
	if addr == "" {
		log.Info("No metrics listener (--metrics-addr is empty)")
		return nil, "", nil
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, "", fmt.Errorf("listen on %s for metrics: %w", addr, err)
	}
	if host, _, _ := net.SplitHostPort(addr); host != "localhost" && !net.ParseIP(host).IsLoopback() {
		log.Warn("Metrics listener is not on loopback: anyone who reaches it sees kiosk IDs, communes and queue depths", "addr", ln.Addr().String())
	}
	ms := &http.Server{Handler: srv.MetricsHandler(), ReadHeaderTimeout: 10 * time.Second, WriteTimeout: 30 * time.Second}
	go func() {
		if err := ms.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			errc <- err
		}
	}()
	return ms, "http://" + ln.Addr().String() + "/metrics", nil
}

// errSharedToken is what serve says to a shared token outside --demo.
var errSharedToken = errors.New("--token, --token-file and CITYD_TOKEN are for --demo only: outside the demo, scripts and the cityd commands use a named API token of an admin; make one with \"cityd token add --user NAME --name LABEL --save DATA/operator-token\" (the first admin: cityd user add --role admin NAME; see docs/city.md)")

// operatorToken is the shared operator token of the operator API: with
// --demo the one given (--token, or the first line of --token-file), else
// "demo"; without --demo none, and giving one is an error, not silently
// ignored.
func operatorToken(demo bool, token, tokenFile string) (string, error) {
	if !demo {
		if token != "" || tokenFile != "" {
			return "", errSharedToken
		}
		return "", nil
	}
	if token == "" && tokenFile != "" {
		b, err := os.ReadFile(tokenFile)
		if err != nil {
			return "", fmt.Errorf("token file: %w", err)
		}
		if token = strings.TrimSpace(string(b)); token == "" {
			return "", fmt.Errorf("token file %s is empty", tokenFile)
		}
	}
	if token == "" {
		token = demoToken
	}
	return token, nil
}

// warnOldTokenFile warns when path still holds the shared token an older
// cityd made there: the server no longer takes it, and the cityd commands
// that read it will be refused until it is replaced by a named token.
func warnOldTokenFile(path string, log *slog.Logger) {
	b, err := os.ReadFile(path)
	if err != nil {
		return
	}
	if t := strings.TrimSpace(string(b)); t != "" && !strings.HasPrefix(t, city.APITokenPrefix) {
		log.Warn("The file holds a shared operator token, which cityd takes only with --demo: replace it with a named token (cityd token add --user NAME --name LABEL --save FILE)", "file", path)
	}
}

func newEpoch(args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	s := newSettings("cityd new-epoch", stderr, getenv)
	data := s.fs.String("data", "./cityd-data", "data directory (the server must be stopped)")
	dbf := addDBFlags(s.fs)
	s.fs.String("config", "", "config file")
	s.fs.Usage = func() {
		fmt.Fprint(stderr, "Usage: cityd new-epoch --data DIR | --db URL\n\nGives every kiosk feed a new epoch: each kiosk gets a reset and a snapshot\non its next pull. Run it after restoring city.db (or the PostgreSQL\ndatabase) from a backup.\n\n")
		s.fs.PrintDefaults()
	}
	if err := s.parse(args); err != nil {
		return err
	}
	ctx := context.Background()
	var store interface {
		city.FeedStore
		Close() error
	}
	if *dbf.db != "" {
		pg, err := citypg.Open(ctx, *dbf.db, dbf.pgOptions("", false, slog.Default()))
		if err != nil {
			return err
		}
		defer pg.Close()
		if err := pg.NewEpoch(ctx); err != nil {
			return err
		}
		store = pg
	} else {
		b, err := citybolt.Open(filepath.Join(*data, "city.db"), citybolt.Options{})
		if err != nil {
			return err
		}
		defer b.Close()
		if err := b.NewEpoch(); err != nil {
			return err
		}
		store = b
	}
	e, err := store.Epoch(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, "new epoch", e)
	return nil
}

func storeKind(db string) string {
	if db != "" {
		return "postgresql"
	}
	return "embedded"
}
