package citypg

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"communekiosk/city"
)

var _ city.Store = (*Store)(nil)

// Options configure Open. The zero value works.
type Options struct {
	// Migrate brings an older schema up to date before serving (cityd
	// does so at start). Without it an older schema is ErrSchemaOlder. A
	// newer schema is always ErrSchemaNewer.
	Migrate bool
	// MaxConns bounds the pool; zero: pool_max_conns from the DSN, else
	// pgxpool's default (max(4, CPUs)).
	MaxConns int32
	// StatementTimeout is sent as the statement_timeout start-up
	// parameter, with idle_in_transaction_session_timeout twice as long.
	// Zero: leave both to the DSN and the server (behind PgBouncer in
	// transaction mode set them on the role: ALTER ROLE … SET).
	StatementTimeout time.Duration
	// ApplicationName shows in pg_stat_activity; default "cityd".
	ApplicationName string
	// RefPrefix starts every city reference ("HN" → "HN-0000000042").
	RefPrefix string
	Logger    *slog.Logger
}

// Store is a city.Store on a PostgreSQL database. Several Stores, in one
// process or many, may share one database.
type Store struct {
	pool      *pgxpool.Pool
	refPrefix string
	log       *slog.Logger
}

// Config parses dsn and applies opts, for Open and for tools that need
// a pool of their own.
func Config(dsn string, opts Options) (*pgxpool.Config, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("citypg: database URL: %w", err)
	}
	if opts.MaxConns > 0 {
		cfg.MaxConns = opts.MaxConns
	}
	rp := cfg.ConnConfig.RuntimeParams
	if _, set := rp["application_name"]; !set {
		rp["application_name"] = "cityd"
		if opts.ApplicationName != "" {
			rp["application_name"] = opts.ApplicationName
		}
	}
	if opts.StatementTimeout > 0 {
		rp["statement_timeout"] = strconv.FormatInt(opts.StatementTimeout.Milliseconds(), 10)
		if _, set := rp["idle_in_transaction_session_timeout"]; !set {
			rp["idle_in_transaction_session_timeout"] = strconv.FormatInt(2*opts.StatementTimeout.Milliseconds(), 10)
		}
	}
	return cfg, nil
}

// Open connects to the database at dsn (a postgres:// URL or key=value
// string, see docs/city.md), checks the schema version (migrating when
// opts.Migrate) and returns the store.
func Open(ctx context.Context, dsn string, opts Options) (*Store, error) {
	cfg, err := Config(dsn, opts)
	if err != nil {
		return nil, err
	}
	return OpenConfig(ctx, cfg, opts)
}

// OpenConfig is Open with a parsed pool configuration.
func OpenConfig(ctx context.Context, cfg *pgxpool.Config, opts Options) (*Store, error) {
	if opts.RefPrefix == "" {
		opts.RefPrefix = "HN"
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("citypg: connect: %w", err)
	}
	s := &Store{pool: pool, refPrefix: opts.RefPrefix, log: opts.Logger}
	if err := s.checkSchema(ctx, opts.Migrate); err != nil {
		pool.Close()
		return nil, err
	}
	return s, nil
}

func (s *Store) checkSchema(ctx context.Context, migrate bool) error {
	v, err := schemaVersion(ctx, s.pool)
	if err != nil {
		return err
	}
	switch want := SchemaVersion(); {
	case v > want:
		return fmt.Errorf("%w (database %d, this cityd %d)", ErrSchemaNewer, v, want)
	case v < want && !migrate:
		return fmt.Errorf("%w (database %d, this cityd %d)", ErrSchemaOlder, v, want)
	case v < want:
		from, to, err := Migrate(ctx, s.pool)
		if err != nil {
			return err
		}
		s.log.Info("Database schema migrated", "from", from, "to", to)
	}
	return nil
}

// Pool is the store's connection pool (for cityd's tools and tests).
func (s *Store) Pool() *pgxpool.Pool { return s.pool }

// Close closes the pool.
func (s *Store) Close() error {
	s.pool.Close()
	return nil
}

// Epoch implements city.FeedStore.
func (s *Store) Epoch(ctx context.Context) (string, error) {
	var e string
	if err := s.pool.QueryRow(ctx, `SELECT value FROM meta WHERE key = 'epoch'`).Scan(&e); err != nil {
		return "", fmt.Errorf("citypg: epoch: %w", err)
	}
	return e, nil
}

// NewEpoch gives every feed a new epoch, so each kiosk gets a reset and a
// snapshot on its next pull. Run it after restoring the database from a
// backup.
func (s *Store) NewEpoch(ctx context.Context) error {
	_, err := s.pool.Exec(ctx, `UPDATE meta SET value = substr(md5(random()::text || clock_timestamp()::text), 1, 16) WHERE key = 'epoch'`)
	if err != nil {
		return fmt.Errorf("citypg: new epoch: %w", err)
	}
	return nil
}

// inTx runs fn in one READ COMMITTED transaction, again (a bounded number
// of times) when the server reports a serialization failure or a
// deadlock: fn must be safe to rerun from the start.
func (s *Store) inTx(ctx context.Context, fn func(tx pgx.Tx) error) error {
	var err error
	for attempt := range 4 {
		err = pgx.BeginTxFunc(ctx, s.pool, pgx.TxOptions{IsoLevel: pgx.ReadCommitted}, fn)
		if !retryable(err) || ctx.Err() != nil {
			return err
		}
		s.log.Debug("Retrying a transaction", "attempt", attempt+1, "err", err)
	}
	return err
}

// SQLSTATE codes the store tells apart.
const (
	codeSerialization = "40001"
	codeDeadlock      = "40P01"
	codeUnique        = "23505"
	codeForeignKey    = "23503"
)

func retryable(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == codeSerialization || pe.Code == codeDeadlock)
}

func isCode(err error, code string) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == code
}

// ts is a time as PostgreSQL keeps it: UTC, microseconds. Every time the
// store answers with goes through it, so a first ack and a repeated one
// are equal to the bit.
// ProbeWrite implements city.WriteProber: one small committed write, so
// /healthz notices a database that no longer takes writes.
func (s *Store) ProbeWrite(ctx context.Context) error {
	_, err := s.pool.Exec(ctx, `INSERT INTO meta (key, value) VALUES ('health_probe', clock_timestamp()::text)
		ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`)
	if err != nil {
		return fmt.Errorf("citypg: write probe: %w", err)
	}
	return nil
}

func ts(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// optTime is a nullable timestamptz.
func optTime(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return t.UTC()
}

// OpenPool opens a bare pool with cfg (for Migrate and cityd's tools).
func OpenPool(ctx context.Context, cfg *pgxpool.Config) (*pgxpool.Pool, error) {
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("citypg: connect: %w", err)
	}
	return pool, nil
}
