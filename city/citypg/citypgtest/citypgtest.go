// Package citypgtest gives tests a PostgreSQL schema of their own on the
// test server. Imported only by tests (citypg's, cmd/cityd's).
package citypgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// DefaultDSN is the server the tests use when CITY_TEST_PG_DSN is unset.
const DefaultDSN = "postgres://127.0.0.1:5432/test?sslmode=disable"

// ServerDSN is the test server's DSN: CITY_TEST_PG_DSN, else DefaultDSN.
// It probes the server; when none answers the test is skipped, unless
// CI=true or CITY_REQUIRE_PG=1, where it fails: in CI a missing server is
// a broken setup, never a pass.
func ServerDSN(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv("CITY_TEST_PG_DSN")
	if dsn == "" {
		dsn = DefaultDSN
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	conn, err := connect(ctx, dsn)
	if err != nil {
		msg := fmt.Sprintf("no PostgreSQL at %s (set CITY_TEST_PG_DSN; scripts/test.sh starts one): %v", redact(dsn), err)
		if os.Getenv("CI") == "true" || os.Getenv("CITY_REQUIRE_PG") == "1" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	conn.Close(ctx)
	return dsn
}

func connect(ctx context.Context, dsn string) (*pgx.Conn, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, err
	}
	cfg.ConnectTimeout = 3 * time.Second
	return pgx.ConnectConfig(ctx, cfg)
}

// Schema creates an empty schema with a unique name on the test server
// and returns a DSN whose connections work in it (search_path); the
// schema is dropped when the test ends.
func Schema(t testing.TB) string {
	t.Helper()
	server := ServerDSN(t)
	var b [6]byte
	rand.Read(b[:])
	// The name carries its creation time, so that schemas of a test
	// binary that died before its cleanup are dropped by a later run.
	name := fmt.Sprintf("citypg_t_%d_%s", time.Now().Unix(), hex.EncodeToString(b[:]))
	ctx := context.Background()
	conn, err := connect(ctx, server)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	dropStale(ctx, t, conn)
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+pgx.Identifier{name}.Sanitize()); err != nil {
		t.Fatalf("create schema %s: %v", name, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		conn, err := connect(ctx, server)
		if err != nil {
			t.Errorf("drop schema %s: %v", name, err)
			return
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, "DROP SCHEMA "+pgx.Identifier{name}.Sanitize()+" CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", name, err)
		}
	})
	return WithParam(server, "search_path", name)
}

// staleAfter is how old a test schema must be to be taken for a leftover.
const staleAfter = 6 * time.Hour

// dropStale drops test schemas older than staleAfter (their test binary
// was killed before its cleanup ran).
func dropStale(ctx context.Context, t testing.TB, conn *pgx.Conn) {
	rows, err := conn.Query(ctx, `SELECT nspname FROM pg_namespace WHERE nspname ~ '^citypg_t_[0-9]+_[0-9a-f]+$'`)
	if err != nil {
		t.Fatal(err)
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range names {
		var sec int64
		if _, err := fmt.Sscanf(n, "citypg_t_%d_", &sec); err != nil || time.Since(time.Unix(sec, 0)) < staleAfter {
			continue
		}
		// Another run may be dropping it too: an error here is no failure.
		conn.Exec(ctx, "DROP SCHEMA IF EXISTS "+pgx.Identifier{n}.Sanitize()+" CASCADE")
	}
}

// WithParam adds a connection parameter to dsn (URL or key=value form).
func WithParam(dsn, key, value string) string {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		sep := "?"
		if strings.Contains(dsn, "?") {
			sep = "&"
		}
		return dsn + sep + url.QueryEscape(key) + "=" + url.QueryEscape(value)
	}
	return dsn + " " + key + "=" + value
}

// redact hides a password in a URL DSN.
func redact(dsn string) string {
	if u, err := url.Parse(dsn); err == nil && u.User != nil {
		if _, has := u.User.Password(); has {
			u.User = url.UserPassword(u.User.Username(), "xxx")
			return u.String()
		}
	}
	return dsn
}

// BareIngest is the fleet benchmark's baseline: batches of batch rows of
// payload's size inserted into a request table and a feed table, one
// transaction per batch committed with the server's durability (fsync,
// synchronous_commit as configured), from workers connections at once,
// with pgx and nothing else. It returns the time it took; measure, when
// not nil, is called once every batch is in and before the connections
// close (so that their servers' CPU can still be read).
func BareIngest(ctx context.Context, dsn string, batches, batch, workers int, payload []byte, measure func()) (time.Duration, error) {
	conn, err := connect(ctx, dsn)
	if err != nil {
		return 0, err
	}
	_, err = conn.Exec(ctx, `CREATE TABLE bare_requests (request_id text PRIMARY KEY, kiosk_id text NOT NULL, seq bigint NOT NULL, sealed bytea NOT NULL, received_at timestamptz NOT NULL);
		CREATE TABLE bare_feed (kiosk_id text NOT NULL, seq bigint NOT NULL, request_id text NOT NULL, PRIMARY KEY (kiosk_id, seq))`)
	conn.Close(ctx)
	if err != nil {
		return 0, err
	}
	jobs := make(chan int)
	errs := make(chan error, workers)
	release := make(chan struct{})
	start := time.Now()
	for w := 0; w < workers; w++ {
		go func() {
			c, err := connect(ctx, dsn)
			if err != nil {
				errs <- err
				for range jobs {
				}
				return
			}
			defer func() { <-release; c.Close(ctx) }()
			for b := range jobs {
				ids, seqs, sealed := make([]string, batch), make([]int64, batch), make([][]byte, batch)
				for i := range ids {
					ids[i], seqs[i], sealed[i] = fmt.Sprintf("bare-%d-%d", b, i), int64(i+1), payload
				}
				kiosk := fmt.Sprintf("K%d", b)
				err = pgx.BeginFunc(ctx, c, func(tx pgx.Tx) error {
					bt := &pgx.Batch{}
					bt.Queue(`INSERT INTO bare_requests SELECT id, $2, seq, s, now() FROM unnest($1::text[], $3::bigint[], $4::bytea[]) AS u(id, seq, s)`, ids, kiosk, seqs, sealed)
					bt.Queue(`INSERT INTO bare_feed SELECT $2, seq, id FROM unnest($1::text[], $3::bigint[]) AS u(id, seq)`, ids, kiosk, seqs)
					return tx.SendBatch(ctx, bt).Close()
				})
				if err != nil {
					errs <- err
					for range jobs {
					}
					return
				}
			}
			errs <- nil
		}()
	}
	for b := 0; b < batches; b++ {
		jobs <- b
	}
	close(jobs)
	var first error
	for w := 0; w < workers; w++ {
		if err := <-errs; err != nil && first == nil {
			first = err
		}
	}
	d := time.Since(start)
	if measure != nil && first == nil {
		measure()
	}
	close(release)
	return d, first
}
